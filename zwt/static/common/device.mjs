// A device key registered with proof of possession, as the counter (its counter device) and the web wallet (the
// citizen's device) both do it: a non-extractable WebCrypto P-256 key pair, a single-use server nonce from
// POST /api/v1/nonces, and an ES256 signature (raw r||s, base64) over "zwt-device-binding|<nonce>|<subject>"
// (zwt/wallet_service/devices.py checks it). Only the public half is ever exported.
import { generateDeviceKey, spkiOf } from '../qd1/qd1.mjs'

export const ECDSA = { name: 'ECDSA', hash: 'SHA-256' }

/** Standard base64 of bytes (an ArrayBuffer or a typed array), chunked so long inputs fit a call's arguments. */
export function b64 (bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let text = ''
  for (let i = 0; i < view.length; i += 0x8000) text += String.fromCharCode(...view.subarray(i, i + 0x8000))
  return btoa(text)
}

/** The bytes a device signs to prove it holds its key for this account. */
export const bindingMessage = (nonce, subject) => new TextEncoder().encode(`zwt-device-binding|${nonce}|${subject}`)

/**
 * Make a new device key and register it: POST body (plus public_key, nonce, signature) to path with call (the
 * page's API call). Returns { device: the service's answer, keyPair } (keyPair.privateKey cannot be exported).
 */
export async function registerNewKey (call, path, subject, body) {
  const keyPair = await generateDeviceKey()
  const spki = await spkiOf(keyPair.publicKey)
  const { nonce } = await (await call('/api/v1/nonces', { method: 'POST' })).json()
  const signature = await crypto.subtle.sign(ECDSA, keyPair.privateKey, bindingMessage(nonce, subject))
  const response = await call(path, {
    method: 'POST',
    body: { ...body, public_key: b64(spki), nonce, signature: b64(signature) }
  })
  return { device: await response.json(), keyPair }
}
