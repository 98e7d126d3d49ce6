// RFC 9285 Base45, as wallet/base45.py: invalid characters, a dangling character or an oversized group
// raise InvalidCredential('bad_base45').
import { InvalidCredential } from './errors.mjs'

export const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
const DIGIT = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i

export function b45encode (data) {
  let out = ''
  let i = 0
  for (; i + 1 < data.length; i += 2) {
    let word = data[i] * 256 + data[i + 1]
    const c = word % 45; word = (word - c) / 45
    const d = word % 45
    const e = (word - d) / 45
    out += ALPHABET[c] + ALPHABET[d] + ALPHABET[e]
  }
  if (i < data.length) out += ALPHABET[data[i] % 45] + ALPHABET[Math.floor(data[i] / 45)]
  return out
}

export function b45decode (text) {
  const digits = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 127) throw new InvalidCredential('bad_base45', 'non-ASCII character')
  }
  for (let i = 0; i < text.length; i++) {
    const d = DIGIT[text.charCodeAt(i)]
    if (d < 0) throw new InvalidCredential('bad_base45', `invalid character at ${i}`)
    digits[i] = d
  }
  const n = Math.floor(digits.length / 3)
  const tail = digits.length % 3
  if (tail === 1) throw new InvalidCredential('bad_base45', 'length leaves a single dangling character')
  const out = new Uint8Array(2 * n + (tail === 2 ? 1 : 0))
  for (let g = 0; g < n; g++) {
    const word = digits[3 * g] + 45 * digits[3 * g + 1] + 2025 * digits[3 * g + 2]
    if (word > 0xffff) throw new InvalidCredential('bad_base45', 'a 3-character group exceeds 65535')
    out[2 * g] = word >> 8
    out[2 * g + 1] = word & 0xff
  }
  if (tail === 2) {
    const last = digits[digits.length - 2] + 45 * digits[digits.length - 1]
    if (last > 0xff) throw new InvalidCredential('bad_base45', 'the final 2-character group exceeds 255')
    out[2 * n] = last
  }
  return out
}
