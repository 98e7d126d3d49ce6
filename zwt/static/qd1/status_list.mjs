// IETF Token Status List, CWT form (wallet/status_list.py): verify a token, look an entry up.
import { asBytes, asInt, asMap, asText, decodeCbor } from './cbor.mjs'
import { inflate } from './codec.mjs'
import { decodeSign1, HEADER_TYP, verifyWithAny } from './cose.mjs'
import { InvalidCredential } from './errors.mjs'
import DATA from './wallet_data.mjs'

export const VALID = 0
export const INVALID = 1
export const SUSPENDED = 2
export const TYP_STATUSLIST_CWT = DATA.constants.typ_status_list
const CLAIM_SUB = 2
const CLAIM_EXP = 4
const CLAIM_IAT = 6
const CLAIM_TTL = 65534
const CLAIM_STATUS_LIST = 65533
export const MAX_LIST_BYTES = 32 << 20

export class StatusList {
  constructor (bits, data) { this.bits = bits; this.data = data }

  get size () { return this.data.length * 8 / this.bits }

  /** The status at idx; RangeError outside the list. */
  get (idx) {
    const perByte = 8 / this.bits
    const pos = Math.floor(idx / perByte)
    if (idx < 0 || pos >= this.data.length) throw new RangeError(`index ${idx} outside the list`)
    return (this.data[pos] >> (idx % perByte) * this.bits) & ((1 << this.bits) - 1)
  }

  static async fromCbor (obj, maxBytes = MAX_LIST_BYTES) {
    const mapping = asMap(obj, 'status_list')
    const bits = asInt(mapping.get('bits'), 'status_list bits')
    if (![1, 2, 4, 8].includes(bits)) throw new InvalidCredential('malformed', `status_list bits ${bits} is not 1, 2, 4 or 8`)
    const compressed = asBytes(mapping.get('lst'), 'status_list lst')
    const data = await inflate(compressed, maxBytes, { reason: 'malformed', tooLarge: 'malformed' })
    return new StatusList(bits, data)
  }
}

/** Verify a status list token with any of keys and parse it: { uri, iat, exp, ttl, statusList }. */
export async function parseStatusListToken (data, keys) {
  const message = decodeSign1(data)
  if (message.header(HEADER_TYP) !== TYP_STATUSLIST_CWT) {
    throw new InvalidCredential('malformed', `typ is not ${TYP_STATUSLIST_CWT}`)
  }
  await verifyWithAny(message, keys)
  const claims = asMap(decodeCbor(message.payload, 'malformed'), 'status list claims')
  const exp = claims.get(CLAIM_EXP)
  const ttl = claims.get(CLAIM_TTL)
  return {
    uri: asText(claims.get(CLAIM_SUB), 'status list sub'),
    iat: asInt(claims.get(CLAIM_IAT), 'status list iat'),
    exp: exp == null ? null : asInt(exp, 'status list exp'),
    ttl: ttl == null ? null : asInt(ttl, 'status list ttl'),
    statusList: await StatusList.fromCbor(claims.get(CLAIM_STATUS_LIST))
  }
}
