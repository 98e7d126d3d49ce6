// The holder's side (wallet/holder.py): a presentation is CBOR [1, issuer COSE_Sign1 bytes, t, device signature]
// where the ES256 device signature (raw r||s) covers CBOR ["QD1-present", SHA-256(issuer COSE_Sign1 bytes), t].
import { sha256 } from './bytes.mjs'
import { encodeCbor } from './cbor.mjs'
import { decodeText, DEFAULT_PREFIX, encodeText } from './codec.mjs'
import DATA from './wallet_data.mjs'

export const PRESENTATION_VERSION = DATA.constants.presentation_version
export const PRESENTATION_CONTEXT = DATA.constants.presentation_context

/** A P-256 device key pair whose private key is not extractable (it never leaves WebCrypto). */
export async function generateDeviceKey () {
  return globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
}

/** The bytes the device signs: CBOR ["QD1-present", SHA-256(issuer COSE), t]. */
export async function presentationSignedData (issuerCose, t) {
  return encodeCbor([PRESENTATION_CONTEXT, await sha256(issuerCose), t])
}

/** Wrap the credential text in a presentation signed by the device's private CryptoKey at now (epoch s). */
export async function present (credential, devicePrivateKey, { now, prefix = DEFAULT_PREFIX }) {
  if (!Number.isSafeInteger(now)) throw new TypeError('now must be an integer number of seconds')
  const issuerCose = await decodeText(credential, { prefix })
  const signed = await presentationSignedData(issuerCose, now)
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' },
    devicePrivateKey, signed))
  return encodeText(encodeCbor([PRESENTATION_VERSION, issuerCose, now, signature]), { prefix })
}
