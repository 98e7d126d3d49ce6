// Small byte helpers shared by the QD1 modules (Uint8Array in, Uint8Array out).
export function toHex (bytes) {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

export function fromHex (hex) {
  if (hex.length % 2 || /[^0-9a-fA-F]/.test(hex)) throw new TypeError('not a hex string')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16)
  return out
}

export function concat (chunks, total = chunks.reduce((n, c) => n + c.length, 0)) {
  const out = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length }
  return out
}

export function equal (a, b) {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export async function sha256 (data) {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data))
}
