// Strict CBOR for QD1 on the vendored cborg: exactly one item, shortest-form integers and lengths, no
// duplicate map keys, no indefinite lengths, no undefined, bounded depth (wallet/cborio.py's MAX_DEPTH).
// Maps decode as Map (integer keys), byte strings as Uint8Array, every tag as a Tagged (shared references,
// tags 28/29, are refused), floats as CborFloat so that an integer field never accepts 3.0 (Python does not).
import { decode, encode, Tagged, Token, Tokenizer, Type } from '../vendor/cborg/cborg.js'
import { InvalidCredential } from './errors.mjs'

export { Tagged }
export const MAX_DEPTH = 24

/** A CBOR floating-point value (kept apart from integers, as Python's float is from int). */
export class CborFloat {
  constructor (value) { this.value = value }
}

class FloatAwareTokenizer extends Tokenizer {
  next () {
    const token = super.next()
    if (Type.equals(token.type, Type.float)) {
      return new Token(Type.float, new CborFloat(token.value), token.encodedLength)
    }
    return token
  }
}

const ALL_TAGS = new Proxy({}, {
  get (_target, prop) {
    if (typeof prop !== 'string' || !/^[0-9]+$/.test(prop)) return undefined
    const tag = Number(prop)
    if (tag === 28 || tag === 29) return () => { throw new Error('shared references are not allowed') }
    return (inner) => new Tagged(tag, inner())
  }
})

function depth (value, level) {
  if (level > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`)
  if (Array.isArray(value)) for (const item of value) depth(item, level + 1)
  else if (value instanceof Map) for (const [k, v] of value) { depth(k, level + 1); depth(v, level + 1) }
  else if (value instanceof Tagged) depth(value.value, level + 1)
}

/** Decode exactly one CBOR item or raise InvalidCredential(reason). */
export function decodeCbor (data, reason = 'bad_cbor') {
  let value
  try {
    const options = {
      strict: true,
      useMaps: true,
      rejectDuplicateMapKeys: true,
      allowIndefinite: false,
      allowUndefined: false,
      tags: ALL_TAGS
    }
    options.tokenizer = new FloatAwareTokenizer(data, options)
    value = decode(data, options)
    depth(value, 1)
  } catch (exc) {
    if (exc instanceof InvalidCredential) throw exc
    throw new InvalidCredential(reason, `not valid CBOR (${exc.message})`)
  }
  return value
}

/** Encode with shortest forms and sorted map keys (as cborio.dumps). */
export function encodeCbor (value) {
  return encode(value)
}

export function isInt (value) {
  return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint'
}

export function asMap (value, what) {
  if (!(value instanceof Map)) throw new InvalidCredential('malformed', `${what} must be a map`)
  return value
}

export function asList (value, what, length) {
  if (!Array.isArray(value)) throw new InvalidCredential('malformed', `${what} must be an array`)
  if (length !== undefined && value.length !== length) {
    throw new InvalidCredential('malformed', `${what} must have ${length} elements`)
  }
  return value
}

export function asInt (value, what) {
  if (!isInt(value)) throw new InvalidCredential('malformed', `${what} must be an integer`)
  return typeof value === 'bigint' ? Number(value) : value
}

export function asBytes (value, what) {
  if (!(value instanceof Uint8Array)) throw new InvalidCredential('malformed', `${what} must be a byte string`)
  return value
}

export function asText (value, what) {
  if (typeof value !== 'string') throw new InvalidCredential('malformed', `${what} must be a text string`)
  return value
}
