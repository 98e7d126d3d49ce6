// Public keys for QD1 on WebCrypto: SPKI (trust bundle) and COSE_Key (the cnf claim) import, kid, export.
// A key is { kind: 'p256' | 'ed25519' | 'rsa' | 'other', key: CryptoKey | null, bits }.
import { concat, equal, sha256 } from './bytes.mjs'
import { InvalidCredential } from './errors.mjs'

const subtle = () => globalThis.crypto.subtle
const P256_SPKI_PREFIX = new Uint8Array([0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
  0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00])
const ED25519_SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
const EC_OID = new Uint8Array([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])
const RSA_OID = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])
export const KID_LENGTH = 8

function startsWith (data, prefix) {
  return data.length >= prefix.length && equal(data.subarray(0, prefix.length), prefix)
}

function contains (data, needle) {
  outer: for (let i = 0; i + needle.length <= data.length && i < 32; i++) {
    for (let j = 0; j < needle.length; j++) if (data[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

/** The key id: the first 8 bytes of SHA-256 of the SubjectPublicKeyInfo DER. */
export async function kidOf (spki) {
  return (await sha256(spki)).subarray(0, KID_LENGTH)
}

/** Import a DER SubjectPublicKeyInfo (P-256, Ed25519 or RSA), raising malformed if it is not one. */
export async function publicKeyFromSpki (der) {
  try {
    if (startsWith(der, P256_SPKI_PREFIX) && der.length === 91) {
      return { kind: 'p256', key: await subtle().importKey('spki', der, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']) }
    }
    if (startsWith(der, ED25519_SPKI_PREFIX) && der.length === 44) {
      return { kind: 'ed25519', key: await subtle().importKey('spki', der, { name: 'Ed25519' }, true, ['verify']) }
    }
    if (contains(der, RSA_OID)) {
      const key = await subtle().importKey('spki', der, { name: 'RSA-PSS', hash: 'SHA-256' }, true, ['verify'])
      return { kind: 'rsa', key, bits: key.algorithm.modulusLength }
    }
  } catch (exc) {
    throw new InvalidCredential('malformed', `bad public key (${exc.message})`)
  }
  if (contains(der, EC_OID)) return { kind: 'other', key: null } // another curve: verifies nothing here
  throw new InvalidCredential('malformed', 'bad public key (not P-256, Ed25519 or RSA)')
}

// P-256 (FIPS 186-4 D.1.2.3): y^2 = x^3 - 3x + b mod p, p = 3 mod 4 so a square root is a power.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn

function modPow (base, exp, mod) {
  let result = 1n
  base %= mod
  while (exp > 0n) {
    if (exp & 1n) result = result * base % mod
    base = base * base % mod
    exp >>= 1n
  }
  return result
}

const toBig = (bytes) => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n)
function toBytes32 (n) {
  const out = new Uint8Array(32)
  for (let i = 31; i >= 0; i--) { out[i] = Number(n & 0xffn); n >>= 8n }
  return out
}

function decompress (x, odd) {
  const xn = toBig(x)
  if (xn >= P) throw new Error('x is not a field element')
  const rhs = ((xn * xn % P) * xn - 3n * xn + B) % P
  let y = modPow((rhs + P) % P, (P + 1n) / 4n, P)
  if (y * y % P !== (rhs + P) % P) throw new Error('x is not on the curve')
  if ((y & 1n) !== (odd ? 1n : 0n)) y = P - y
  return toBytes32(y)
}

/** Decode a COSE_Key (EC2 P-256 with full or compressed y, or OKP Ed25519) or raise malformed. */
export async function publicFromCoseKey (coseKey) {
  if (!(coseKey instanceof Map)) throw new InvalidCredential('malformed', 'COSE_Key must be a map')
  const [kty, crv, x, y] = [coseKey.get(1), coseKey.get(-1), coseKey.get(-2), coseKey.get(-3)]
  try {
    if (kty === 2 && crv === 1 && x instanceof Uint8Array && x.length === 32) {
      let full
      if (typeof y === 'boolean') full = decompress(x, y)
      else if (y instanceof Uint8Array && y.length === 32) full = y
      else throw new Error('bad y coordinate')
      const raw = concat([new Uint8Array([4]), x, full])
      return { kind: 'p256', key: await subtle().importKey('raw', raw, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']) }
    }
    if (kty === 1 && crv === 6 && x instanceof Uint8Array && x.length === 32) {
      return { kind: 'ed25519', key: await subtle().importKey('raw', x, { name: 'Ed25519' }, true, ['verify']) }
    }
  } catch (exc) {
    throw new InvalidCredential('malformed', `COSE_Key is not a valid point (${exc.message})`)
  }
  throw new InvalidCredential('malformed', 'COSE_Key must be EC2 P-256 or OKP Ed25519')
}

/** The COSE_Key of a P-256 CryptoKey (public), full point, as the cnf claim carries it. */
export async function coseKeyFromPublic (publicKey) {
  const raw = new Uint8Array(await subtle().exportKey('raw', publicKey))
  return new Map([[1, 2], [-1, 1], [-2, raw.subarray(1, 33)], [-3, raw.subarray(33, 65)]])
}

/** The DER SubjectPublicKeyInfo of a public CryptoKey (what a device registers). */
export async function spkiOf (publicKey) {
  return new Uint8Array(await subtle().exportKey('spki', publicKey))
}
