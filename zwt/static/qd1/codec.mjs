// The text transport (wallet/codec.py): prefix + Base45 + zlib around CBOR bytes. Each layer fails with its
// own reason: not_qd1, bad_base45, bad_zlib, too_large (checked while inflating), bad_cbor.
import { b45decode, b45encode } from './base45.mjs'
import { concat } from './bytes.mjs'
import { decodeCbor } from './cbor.mjs'
import { InvalidCredential } from './errors.mjs'
import DATA from './wallet_data.mjs'

export const DEFAULT_PREFIX = DATA.constants.prefix
export const MAX_DECOMPRESSED = DATA.constants.max_decompressed

async function drain (stream, maxSize, tooLarge) {
  const reader = stream.getReader()
  const chunks = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > maxSize) {
      reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return concat(chunks, total)
}

async function endsExactly (data) {
  // DecompressionStream ignores bytes after the end of the zlib stream (Node 20 does), Python refuses them.
  // Without them the last byte belongs to the Adler-32 trailer, so the input less one byte must not inflate.
  try {
    await inflate(data.subarray(0, data.length - 1), Infinity)
  } catch {
    return true
  }
  return false
}

/** Inflate zlib-format data, refusing more than maxSize bytes of output; errors raise `reason`.
 * With `exact`, bytes after the end of the zlib stream are refused too (bad_zlib). */
export async function inflate (data, maxSize, { reason = 'bad_zlib', tooLarge = 'too_large', exact = false } = {}) {
  if (exact) {
    const [output, ends] = await Promise.all([inflate(data, maxSize, { reason, tooLarge }), endsExactly(data)])
    if (!ends) throw new InvalidCredential(reason, 'bytes after the end of the zlib stream')
    return output
  }
  const stream = new DecompressionStream('deflate')
  const writer = stream.writable.getWriter()
  writer.write(data).catch(() => {})
  writer.close().catch(() => {})
  try {
    return await drain(stream.readable, maxSize,
      () => new InvalidCredential(tooLarge, `decompresses to more than ${maxSize} bytes`))
  } catch (exc) {
    if (exc instanceof InvalidCredential) throw exc
    throw new InvalidCredential(reason, String(exc && exc.message))
  }
}

/** Compress with zlib (deflate format), as the holder's device does. */
export async function deflate (data) {
  const stream = new CompressionStream('deflate')
  const writer = stream.writable.getWriter()
  writer.write(data).catch(() => {})
  writer.close().catch(() => {})
  return drain(stream.readable, Infinity)
}

export async function encodeText (data, { prefix = DEFAULT_PREFIX } = {}) {
  return prefix + b45encode(await deflate(data))
}

/** Undo encodeText, returning the inner bytes or raising InvalidCredential. */
export async function decodeText (text, { prefix = DEFAULT_PREFIX, maxSize = MAX_DECOMPRESSED } = {}) {
  if (typeof text !== 'string' || !text.startsWith(prefix)) {
    throw new InvalidCredential('not_qd1', `text does not start with ${JSON.stringify(prefix)}`)
  }
  const body = text.slice(prefix.length)
  // Deflate expands incompressible data by a few bytes only, so a longer text cannot be legitimate.
  if (body.length > Math.floor((maxSize + 64) * 3 / 2) + 2) {
    throw new InvalidCredential('too_large', `text longer than any payload of ${maxSize} bytes`)
  }
  return inflate(b45decode(body), maxSize, { exact: true })
}

export async function decodeTextCbor (text, options = {}) {
  return decodeCbor(await decodeText(text, options))
}
