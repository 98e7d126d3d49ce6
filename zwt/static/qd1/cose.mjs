// COSE_Sign1 (RFC 9052) for QD1 (wallet/cose.py): parse tagged (18), untagged or CWT-tagged (61) messages,
// verify ES256 (raw r||s), EdDSA and PS256 with WebCrypto.
import { asBytes, asList, asMap, decodeCbor, encodeCbor, Tagged } from './cbor.mjs'
import { InvalidCredential } from './errors.mjs'
import DATA from './wallet_data.mjs'

export const ALG_ES256 = DATA.constants.algs.ES256
export const ALG_EDDSA = DATA.constants.algs.EdDSA
export const ALG_PS256 = DATA.constants.algs.PS256
export const ALG_NAMES = new Map(Object.entries(DATA.constants.algs).map(([name, alg]) => [alg, name]))
export const HEADER_ALG = 1
export const HEADER_CRIT = 2
export const HEADER_KID = 4
export const HEADER_TYP = 16
const TAG_SIGN1 = 18
const TAG_CWT = 61
const EMPTY = new Uint8Array(0)

export class Sign1 {
  constructor (protectedBytes, protectedHeaders, unprotected, payload, signature) {
    this.protected = protectedBytes
    this.protectedHeaders = protectedHeaders
    this.unprotected = unprotected
    this.payload = payload
    this.signature = signature
  }

  /** A header parameter, the protected value winning over the unprotected one. */
  header (label) {
    if (this.protectedHeaders.has(label)) return this.protectedHeaders.get(label)
    return this.unprotected.get(label)
  }

  get alg () { return this.header(HEADER_ALG) }

  get kid () {
    const kid = this.header(HEADER_KID)
    return kid instanceof Uint8Array ? kid : null
  }

  /** The Sig_structure bytes: ["Signature1", protected, external_aad, payload]. */
  toBeSigned (externalAad = EMPTY) {
    return encodeCbor(['Signature1', this.protected, externalAad, this.payload])
  }
}

/** Interpret a decoded CBOR item as a COSE_Sign1, raising malformed. */
export function sign1FromCbor (obj) {
  if (obj instanceof Tagged && obj.tag === TAG_CWT) obj = obj.value
  if (obj instanceof Tagged) {
    if (obj.tag !== TAG_SIGN1) throw new InvalidCredential('malformed', `CBOR tag ${obj.tag} is not COSE_Sign1`)
    obj = obj.value
  }
  const [prot, unprotected, payload, signature] = asList(obj, 'COSE_Sign1', 4)
  const protectedBytes = asBytes(prot, 'protected header')
  let headers = new Map()
  if (protectedBytes.length) headers = asMap(decodeCbor(protectedBytes, 'malformed'), 'protected header')
  return new Sign1(protectedBytes, headers, asMap(unprotected, 'unprotected header'),
    asBytes(payload, 'payload'), asBytes(signature, 'signature'))
}

export function decodeSign1 (data) {
  return sign1FromCbor(decodeCbor(data))
}

/** Check sig over data with a key from keys.mjs after checking that key type fits alg, or raise. */
export async function verifyRaw (alg, publicKey, data, sig) {
  const subtle = globalThis.crypto.subtle
  let ok
  if (alg === ALG_ES256) {
    if (publicKey.kind !== 'p256') throw new InvalidCredential('bad_signature', 'ES256 needs a P-256 key')
    if (sig.length !== 64) throw new InvalidCredential('bad_signature', 'an ES256 signature is 64 bytes r||s')
    ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey.key, sig, data)
  } else if (alg === ALG_EDDSA) {
    if (publicKey.kind !== 'ed25519') throw new InvalidCredential('bad_signature', 'EdDSA needs an Ed25519 key')
    ok = await subtle.verify({ name: 'Ed25519' }, publicKey.key, sig, data)
  } else if (alg === ALG_PS256) {
    if (publicKey.kind !== 'rsa' || publicKey.bits < 2048) {
      throw new InvalidCredential('bad_signature', 'PS256 needs an RSA key of at least 2048 bits')
    }
    ok = await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, publicKey.key, sig, data)
  } else {
    throw new InvalidCredential('unsupported_algorithm', `algorithm ${String(alg)} is not supported`)
  }
  if (!ok) throw new InvalidCredential('bad_signature', 'signature does not verify')
}

export async function verifySignature (message, publicKey, externalAad = EMPTY) {
  await verifyRaw(message.alg, publicKey, message.toBeSigned(externalAad), message.signature)
}

/** Return the first of keys whose signature check passes (keys may share a kid), else raise. */
export async function verifyWithAny (message, keys, externalAad = EMPTY) {
  let last = null
  for (const key of keys) {
    try {
      await verifySignature(message, key, externalAad)
      return key
    } catch (exc) {
      if (!(exc instanceof InvalidCredential) || exc.reason === 'unsupported_algorithm') throw exc
      last = exc
    }
  }
  throw last || new InvalidCredential('unknown_key', 'no key to check the signature with')
}

/** Sign payload into a tagged COSE_Sign1 with a P-256 CryptoKey (ES256; alg, kid and extra headers protected). */
export async function sign1 (payload, privateKey, { kid, protectedHeaders = new Map() } = {}) {
  const headers = new Map([[HEADER_ALG, ALG_ES256], [HEADER_KID, kid]])
  for (const [label, value] of protectedHeaders) headers.set(label, value)
  const protectedBytes = encodeCbor(headers)
  const unsigned = new Sign1(protectedBytes, headers, new Map(), payload, EMPTY)
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey,
    unsigned.toBeSigned()))
  return encodeCbor(new Tagged(TAG_SIGN1, [protectedBytes, new Map(), payload, sig]))
}
