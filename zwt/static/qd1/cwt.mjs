// CWT claims (RFC 8392) of a QD1 credential (wallet/cwt.py): iss 1, sub 2, exp 4, nbf 5, iat 6, cti 7,
// cnf 8 ({1: COSE_Key}), status 65535 ({"status_list": {"idx", "uri"}}), license -65537.
import { asInt, asMap, asText, CborFloat, decodeCbor, isInt } from './cbor.mjs'
import { InvalidCredential } from './errors.mjs'
import { publicFromCoseKey } from './keys.mjs'
import DATA from './wallet_data.mjs'

export const ISS = 1
export const SUB = 2
export const EXP = 4
export const NBF = 5
export const IAT = 6
export const CTI = 7
export const CNF = 8
export const STATUS = 65535
export const LICENSE_CLAIM = -65537
const KNOWN = new Set([ISS, SUB, EXP, NBF, IAT, CTI, CNF, STATUS, LICENSE_CLAIM])
/** Caps in characters (text) or bytes (cti) per claim label, and for any other top-level claim. */
export const MAX_CLAIM_LENGTH = new Map(Object.entries(DATA.constants.max_claim_length).map(([k, v]) => [Number(k), v]))
export const MAX_OTHER_CLAIM_LENGTH = DATA.constants.max_other_claim_length

/** Length as Python's len(): code points of text, bytes of a byte string. */
export function pyLength (value) {
  if (value instanceof Uint8Array) return value.length
  let n = 0
  for (const _ of value) n++ // eslint-disable-line no-unused-vars
  return n
}

function capped (value, cap, what) {
  const length = pyLength(value)
  if (length > cap) throw new InvalidCredential('claim_too_long', `claim ${what} has ${length} characters or bytes, over ${cap}`)
  return value
}

function optional (claims, label, check, what) {
  const value = claims.get(label)
  if (value == null) return null
  if (!check(value)) throw new InvalidCredential('malformed', `claim ${what} has the wrong type`)
  const cap = MAX_CLAIM_LENGTH.get(label)
  return cap === undefined ? value : capped(value, cap, what)
}

function time (claims, label, what) {
  const value = claims.get(label)
  if (value == null) return null
  if (value instanceof CborFloat && Number.isFinite(value.value) && Math.abs(value.value) < 2 ** 53) {
    return Math.trunc(value.value) // RFC 8392 NumericDate allows floats
  }
  return asInt(optional(claims, label, isInt, what), what)
}

function status (value) {
  if (value == null) return null
  const inner = asMap(asMap(value, 'status claim').get('status_list'), 'status_list claim')
  const idx = asInt(inner.get('idx'), 'status idx')
  if (idx < 0) throw new InvalidCredential('malformed', 'status idx must not be negative')
  return { uri: capped(asText(inner.get('uri'), 'status uri'), MAX_CLAIM_LENGTH.get(STATUS), 'status uri'), idx }
}

/** Parse a CWT claims map, raising InvalidCredential malformed. */
export async function decodeClaims (payload) {
  const claims = asMap(decodeCbor(payload, 'malformed'), 'CWT claims')
  const cnf = claims.get(CNF)
  const cnfKey = cnf == null ? null : await publicFromCoseKey(asMap(cnf, 'cnf claim').get(1))
  const result = {
    iss: optional(claims, ISS, (v) => typeof v === 'string', 'iss'),
    sub: optional(claims, SUB, (v) => typeof v === 'string', 'sub'),
    exp: time(claims, EXP, 'exp'),
    nbf: time(claims, NBF, 'nbf'),
    iat: time(claims, IAT, 'iat'),
    cti: optional(claims, CTI, (v) => v instanceof Uint8Array, 'cti'),
    cnf: cnfKey,
    status: status(claims.get(STATUS)),
    license: claims.has(LICENSE_CLAIM) ? claims.get(LICENSE_CLAIM) : null,
    extra: new Map()
  }
  for (const [label, value] of claims) {
    if (KNOWN.has(label)) continue
    if (typeof value === 'string' || value instanceof Uint8Array) capped(value, MAX_OTHER_CLAIM_LENGTH, String(label))
    result.extra.set(label, value)
  }
  return result
}
