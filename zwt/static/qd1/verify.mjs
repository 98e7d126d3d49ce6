// The offline verifier a counter runs (wallet/verify.py): QD1 text + trust bundle + clock -> one verdict.
// Checks, in order: text layers and structure; trust data freshness; the headers (alg and crit protected and
// understood); the key by the protected kid (authoritative) and the signature; claims (length caps); the key's
// allowed types and period; iat (not after the clock plus CLOCK_SKEW), nbf, exp; holder binding (t within
// ±90 s); status list entry; the counter's purpose; replay. Never throws for bad input: it returns a rejection.
import { sha256, toHex } from './bytes.mjs'
import { asBytes, asInt, asList, decodeCbor, isInt, Tagged, CborFloat } from './cbor.mjs'
import { DEFAULT_PREFIX, decodeTextCbor } from './codec.mjs'
import { ALG_ES256, ALG_NAMES, HEADER_ALG, HEADER_CRIT, HEADER_KID, sign1FromCbor, verifyRaw, verifyWithAny } from './cose.mjs'
import { decodeClaims } from './cwt.mjs'
import { expandLicenseId } from './cti.mjs'
import { InvalidCredential } from './errors.mjs'
import { presentationSignedData, PRESENTATION_VERSION } from './holder.mjs'
import { parseDisclosed } from './licenses.mjs'
import { INVALID, SUSPENDED, VALID } from './status_list.mjs'
import { CLOCK_SKEW } from './trust.mjs'
import { accepted, rejected } from './verdict.mjs'
import DATA from './wallet_data.mjs'

export const PRESENTATION_WINDOW = DATA.constants.presentation_window
export const UNDERSTOOD_HEADERS = new Set(DATA.constants.understood_headers)

/** Decode a bare credential or a holder-bound presentation: { message, issuerCose, presentation: {t, signature} | null }. */
export async function decode (text, { prefix = DEFAULT_PREFIX } = {}) {
  const obj = await decodeTextCbor(text, { prefix })
  if (Array.isArray(obj) && obj.length && isInt(obj[0])) {
    const [version, issuerCose, t, signature] = asList(obj, 'presentation', 4)
    if (version !== PRESENTATION_VERSION) {
      throw new InvalidCredential('malformed', `presentation version ${version} is not supported`)
    }
    const cose = asBytes(issuerCose, 'presented credential')
    const presentation = { t: asInt(t, 'presentation time'), signature: asBytes(signature, 'device signature') }
    return { message: sign1FromCbor(decodeCbor(cose, 'malformed')), issuerCose: cose, presentation }
  }
  return { message: sign1FromCbor(obj), issuerCose: new Uint8Array(0), presentation: null }
}

/** RFC 9052 3.1 (wallet.cose.check_headers): alg protected; crit protected, non-empty, understood labels only. */
export function checkHeaders (message) {
  const prot = message.protectedHeaders
  if (!prot.has(HEADER_ALG)) {
    const where = message.unprotected.has(HEADER_ALG) ? 'only in the unprotected header' : 'missing'
    throw new InvalidCredential('alg_not_protected', `alg is ${where}; it must be in the protected header`)
  }
  if (message.unprotected.has(HEADER_CRIT)) throw new InvalidCredential('malformed', 'crit must be in the protected header')
  const crit = prot.get(HEADER_CRIT)
  if (crit == null) return
  if (!Array.isArray(crit) || !crit.length) throw new InvalidCredential('malformed', 'crit must be a non-empty array of labels')
  for (const label of crit) {
    if (!isInt(label) && typeof label !== 'string') throw new InvalidCredential('malformed', 'crit labels must be integers or text')
    if (!UNDERSTOOD_HEADERS.has(label)) {
      throw new InvalidCredential('unknown_critical_header', `crit names header ${String(label)}, not understood here`)
    }
  }
}

/** The kid that selects the key: QD1 requires it in the protected header, where it is authoritative. */
function signingKid (message) {
  const kid = message.protectedHeaders.get(HEADER_KID)
  if (kid == null) throw new InvalidCredential('kid_not_protected', 'QD1 needs the kid in the protected header')
  if (!(kid instanceof Uint8Array)) throw new InvalidCredential('malformed', 'kid must be a byte string')
  return kid
}

function jsonable (value) {
  if (value instanceof Uint8Array) return toHex(value)
  if (value instanceof Tagged) return { tag: value.tag, value: jsonable(value.value) }
  if (value instanceof CborFloat) return value.value
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(jsonable)
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonable(v)]))
  return value
}

/** The CWT claims as JSON-ready data (verify.claims_json): bytes as hex, labels as strings, no license claim. */
export function claimsJson (claims) {
  const out = jsonable(claims.extra)
  for (const name of ['iss', 'sub', 'iat', 'nbf', 'exp']) if (claims[name] !== null) out[name] = claims[name]
  if (claims.cti !== null) out.cti = new TextDecoder().decode(claims.cti)
  if (claims.status !== null) out.status = { uri: claims.status.uri, idx: claims.status.idx }
  out.holder_key = claims.cnf !== null
  return out
}

function checkTimes (claims, now) {
  if (claims.iat !== null && claims.iat > now + CLOCK_SKEW) {
    throw new InvalidCredential('issued_in_future', `issued at ${claims.iat}, now ${now}`)
  }
  if (claims.nbf !== null && now < claims.nbf) throw new InvalidCredential('not_yet_valid', `valid from ${claims.nbf}, now ${now}`)
  if (claims.exp !== null && now >= claims.exp) throw new InvalidCredential('expired', `expired at ${claims.exp}, now ${now}`)
}

async function checkHolder (decoded, claims, now) {
  if (decoded.presentation === null) {
    if (claims.cnf !== null) throw new InvalidCredential('holder_binding_required', "shown without the holder's device signature")
    return
  }
  if (claims.cnf === null) throw new InvalidCredential('holder_binding_failed', 'presented, but the credential names no device key')
  const { t, signature } = decoded.presentation
  try {
    await verifyRaw(ALG_ES256, claims.cnf, await presentationSignedData(decoded.issuerCose, t), signature)
  } catch (exc) {
    if (!(exc instanceof InvalidCredential)) throw exc
    throw new InvalidCredential('holder_binding_failed', exc.detail)
  }
  if (Math.abs(now - t) > PRESENTATION_WINDOW) throw new InvalidCredential('presentation_too_old', `presented at ${t}, now ${now}`)
}

function checkStatus (claims, bundle, now) {
  if (claims.status === null) throw new InvalidCredential('status_unknown', 'the credential has no status list entry')
  const token = bundle.statusLists.get(claims.status.uri)
  if (token === undefined) throw new InvalidCredential('status_unknown', `no status list ${claims.status.uri} in the trust data`)
  if (token.exp !== null && now >= token.exp) throw new InvalidCredential('status_unknown', 'the status list has expired')
  let status
  try {
    status = token.statusList.get(claims.status.idx)
  } catch {
    throw new InvalidCredential('status_unknown', `index ${claims.status.idx} is outside the list`)
  }
  if (status === INVALID) throw new InvalidCredential('revoked', `status list entry ${claims.status.idx}`)
  if (status === SUSPENDED) throw new InvalidCredential('suspended', `status list entry ${claims.status.idx}`)
  if (status !== VALID) throw new InvalidCredential('status_unknown', `status value ${status} has no meaning here`)
}

function filterFields (view, purpose) {
  if (purpose == null) return { ...view.fields }
  const wanted = new Set(typeof purpose === 'function' ? purpose(view.typeCode) : purpose)
  const missing = [...wanted].filter((name) => !(name in view.fields)).sort()
  if (missing.length) throw new InvalidCredential('insufficient_disclosure', `missing ${missing.join(', ')}`)
  return Object.fromEntries(Object.entries(view.fields).filter(([name]) => wanted.has(name)))
}

/**
 * Verify a QD1 credential or presentation offline against a loaded TrustBundle at now (epoch seconds).
 * purpose: the fields the counter needs and may see (an iterable, or a function of the license type);
 * replayCache: { seenBefore(key, { now, ttl }) } so each presentation is accepted once.
 */
export async function verify (text, bundle, { now, purpose = null, replayCache = null, prefix = DEFAULT_PREFIX }) {
  const facts = {}
  let fields
  const warnings = []
  try {
    const decoded = await decode(text, { prefix })
    facts.holderBound = decoded.presentation !== null
    warnings.push(...bundle.checkFresh(now))
    const message = decoded.message
    facts.kid = message.kid
    checkHeaders(message)
    const kid = signingKid(message)
    const alg = message.protectedHeaders.get(HEADER_ALG)
    if (!ALG_NAMES.has(alg)) throw new InvalidCredential('unsupported_algorithm', `algorithm ${String(alg)}`)
    const candidates = bundle.keysFor(kid)
    if (!candidates.length) throw new InvalidCredential('unknown_key', 'no trusted key has this kid')
    const usable = candidates.filter((key) => key.alg === alg)
    if (!usable.length) throw new InvalidCredential('bad_signature', 'the key is not registered for this algorithm')
    const signerKey = await verifyWithAny(message, usable.map((key) => key.publicKey))
    const signer = usable.find((key) => key.publicKey === signerKey)
    const claims = await decodeClaims(message.payload)
    if (claims.license === null) throw new InvalidCredential('malformed', 'no license claim')
    const view = parseDisclosed(claims.license)
    facts.licenseType = view.typeCode
    facts.licenseId = expandLicenseId(claims.cti, view.licenseType.gb_type_code, claims.iss)
    facts.profile = view.profile
    facts.claims = claimsJson(claims)
    if (claims.iat === null) throw new InvalidCredential('malformed', 'no iat claim')
    if (!signer.allows(view.typeCode)) throw new InvalidCredential('key_not_allowed_for_type', `key may not sign ${view.typeCode}`)
    if (!signer.validAt(claims.iat)) throw new InvalidCredential('key_not_valid_at_time', `signed at ${claims.iat}, outside key period`)
    checkTimes(claims, now)
    await checkHolder(decoded, claims, now)
    checkStatus(claims, bundle, now)
    fields = filterFields(view, purpose)
    if (decoded.presentation !== null) {
      if (replayCache === null) {
        warnings.push('replay_not_checked')
      } else {
        // Keyed on what the device signed, not on the (malleable) signature bytes.
        const key = await sha256(await presentationSignedData(decoded.issuerCose, decoded.presentation.t))
        if (await replayCache.seenBefore(key, { now, ttl: 2 * PRESENTATION_WINDOW + 1 })) {
          throw new InvalidCredential('replayed', 'this presentation was accepted before')
        }
      }
    }
  } catch (exc) {
    if (!(exc instanceof InvalidCredential)) throw exc
    return rejected(exc.reason, exc.detail, facts)
  }
  return accepted({ ...facts, fields, warnings })
}
