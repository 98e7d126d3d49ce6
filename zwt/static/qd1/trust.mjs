// The trust bundle a counter syncs (wallet/trust.py): a COSE_Sign1 by the platform root over
// {seq, iat, exp, issuers: [{kid, alg, key (SPKI), not_before, not_after, allowed_types}],
//  status_lists: {uri: token}, next_root?}. Loading checks signature, rollback and age.
import { asBytes, asInt, asList, asMap, asText, decodeCbor } from './cbor.mjs'
import { equal } from './bytes.mjs'
import { decodeSign1, HEADER_TYP, verifyWithAny } from './cose.mjs'
import { InvalidCredential } from './errors.mjs'
import { publicKeyFromSpki } from './keys.mjs'
import { parseStatusListToken } from './status_list.mjs'
import DATA from './wallet_data.mjs'

export const TYP_TRUST_BUNDLE = DATA.constants.typ_trust_bundle
export const WARN_AGE = DATA.constants.warn_age
export const MAX_AGE = DATA.constants.max_age
export const CLOCK_SKEW = DATA.constants.clock_skew

export class TrustBundle {
  constructor ({ seq, iat, exp, issuers, statusLists, nextRoot = null }) {
    Object.assign(this, { seq, iat, exp, issuers, statusLists, nextRoot })
    Object.freeze(this)
  }

  /** Every issuer key with this kid (a verifier tries them all). */
  keysFor (kid) {
    return this.issuers.filter((key) => equal(key.kid, kid))
  }

  /** Raise clock_before_bundle / stale_trust_data or return warnings (old but usable). */
  checkFresh (now) {
    if (now < this.iat - CLOCK_SKEW) {
      throw new InvalidCredential('clock_before_bundle', `clock ${now} is before bundle iat ${this.iat}`)
    }
    const age = now - this.iat
    if (age > MAX_AGE || now > this.exp) {
      throw new InvalidCredential('stale_trust_data', `trust bundle is ${Math.floor(age / 3600)} h old`)
    }
    return age > WARN_AGE ? ['trust_data_older_than_24h'] : []
  }
}

async function issuerFromCbor (obj) {
  const entry = asMap(obj, 'issuer entry')
  const types = asList(entry.get('allowed_types'), 'allowed_types')
  const kid = asBytes(entry.get('kid'), 'issuer kid')
  const alg = asInt(entry.get('alg'), 'issuer alg')
  const publicKey = await publicKeyFromSpki(asBytes(entry.get('key'), 'issuer key'))
  const notBefore = asInt(entry.get('not_before'), 'issuer not_before')
  const notAfter = asInt(entry.get('not_after'), 'issuer not_after')
  const allowedTypes = new Set(types.map((t) => asText(t, 'allowed type')))
  return {
    kid,
    alg,
    publicKey,
    notBefore,
    notAfter,
    allowedTypes,
    allows: (typeCode) => allowedTypes.has(typeCode),
    validAt: (when) => notBefore <= when && when <= notAfter
  }
}

async function rootKey (key) {
  return key instanceof Uint8Array ? publicKeyFromSpki(key) : key
}

/** Verify the root's signature and parse a trust bundle, whatever its age: a counter keeps the bundle it
 * holds this way, so that each verification (which checks freshness first) says stale_trust_data or
 * clock_before_bundle exactly as wallet.verify does. Reason: trust_bundle_invalid. */
export async function parseBundle (data, rootKeys) {
  try {
    const roots = await Promise.all([...rootKeys].map(rootKey))
    const message = decodeSign1(data)
    if (message.header(HEADER_TYP) !== TYP_TRUST_BUNDLE) {
      throw new InvalidCredential('malformed', `typ is not ${TYP_TRUST_BUNDLE}`)
    }
    await verifyWithAny(message, roots)
    const body = asMap(decodeCbor(message.payload), 'trust bundle')
    const issuers = []
    for (const entry of asList(body.get('issuers'), 'issuers')) issuers.push(await issuerFromCbor(entry))
    const signers = roots.concat(issuers.map((key) => key.publicKey))
    const lists = new Map()
    for (const [uri, raw] of asMap(body.get('status_lists'), 'status_lists')) {
      const token = await parseStatusListToken(asBytes(raw, 'status list token'), signers)
      if (token.uri !== uri) throw new InvalidCredential('malformed', `status list ${token.uri} filed under ${uri}`)
      lists.set(uri, token)
    }
    const announced = body.get('next_root')
    return new TrustBundle({
      seq: asInt(body.get('seq'), 'seq'),
      iat: asInt(body.get('iat'), 'iat'),
      exp: asInt(body.get('exp'), 'exp'),
      issuers,
      statusLists: lists,
      nextRoot: announced == null ? null : await publicKeyFromSpki(asBytes(announced, 'next_root'))
    })
  } catch (exc) {
    if (!(exc instanceof InvalidCredential)) throw exc
    throw new InvalidCredential('trust_bundle_invalid', `${exc.reason}: ${exc.detail}`)
  }
}

/** Verify and parse a trust bundle; rootKeys are SPKI DER bytes or keys from keys.mjs.
 * Reasons: trust_bundle_invalid, trust_bundle_rollback, stale_trust_data, clock_before_bundle. */
export async function loadBundle (data, rootKeys, { now, heldSeq = null }) {
  const bundle = await parseBundle(data, rootKeys)
  if (heldSeq !== null && bundle.seq < heldSeq) {
    throw new InvalidCredential('trust_bundle_rollback', `bundle seq ${bundle.seq} < held seq ${heldSeq}`)
  }
  bundle.checkFresh(now)
  return bundle
}
