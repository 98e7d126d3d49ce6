// The compact license claim (wallet/licenses.py parse_disclosed): {0: type number, 1: profile, key: value}
// decoded into the disclosed fields with the registry exported from wallet/license_types.py.
import { CborFloat } from './cbor.mjs'
import { InvalidCredential } from './errors.mjs'
import DATA from './wallet_data.mjs'

export const LONG_TERM = DATA.constants.long_term
export const PROFILE_NUMBERS = DATA.profile_numbers
const PROFILE_NAMES = new Map(Object.entries(PROFILE_NUMBERS).map(([name, n]) => [n, name]))
export const BY_NUMBER = new Map(DATA.license_types.map((t) => [t.number, t]))
export const BY_CODE = new Map(DATA.license_types.map((t) => [t.code, t]))
const TYPE_KEY = 0
const PROFILE_KEY = 1
const CONTROL = /[\x00-\x1f\x7f-\x9f]/ // eslint-disable-line no-control-regex
const FIRST_DAY = -719162 // 0001-01-01 in days since 1970-01-01
const LAST_DAY = 2932896 // 9999-12-31

const malformed = (detail) => new InvalidCredential('malformed', detail)
const isPlainInt = (v) => typeof v === 'number' && Number.isInteger(v)
const codePoints = (text) => { let n = 0; for (const _ of text) n++; return n } // eslint-disable-line no-unused-vars

function textProblem (spec, value) {
  if (typeof value !== 'string') return 'is not text'
  const length = codePoints(value)
  if (!length || length > spec.max_length) return `must have 1-${spec.max_length} characters`
  if (CONTROL.test(value)) return 'contains control characters'
  return null
}

function isoDay (days) {
  const date = new Date(days * 86400000)
  const pad = (n, w) => String(n).padStart(w, '0')
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`
}

function decodeField (spec, value) {
  if (spec.kind === 'text') {
    if (typeof value === 'string' && codePoints(value) > spec.max_length) { // its own reason, as the claim caps
      throw new InvalidCredential('claim_too_long', `${spec.name} has ${codePoints(value)} characters, over ${spec.max_length}`)
    }
    const problem = textProblem(spec, value)
    if (problem) throw malformed(`${spec.name} ${problem}`)
    return value
  }
  if (spec.kind === 'date') {
    if (value === null && spec.name === 'valid_until') return LONG_TERM
    if (!isPlainInt(value) && typeof value !== 'bigint') throw malformed(`${spec.name} is not a day number`)
    if (value < FIRST_DAY || value > LAST_DAY) throw malformed(`${spec.name} is not a day between years 1 and 9999`)
    return isoDay(Number(value))
  }
  if (!isPlainInt(value) || value < 0 || value >= spec.choices.length) {
    throw malformed(`${spec.name} is not one of its ${spec.choices.length} codes`)
  }
  return spec.choices[value]
}

const disclosable = new Map()
function fieldsFor (ltype, profile) {
  const cacheKey = `${ltype.number}/${profile}`
  let specs = disclosable.get(cacheKey)
  if (!specs) {
    const allowed = new Set(ltype.profiles[profile] || ltype.fields.map((f) => f.name))
    for (const name of (ltype.retired[profile] || [])) allowed.add(name)
    specs = new Map(ltype.fields.filter((f) => allowed.has(f.name)).map((f) => [f.key, f]))
    disclosable.set(cacheKey, specs)
  }
  return specs
}

/** Parse a compact license claim into { typeCode, profile, fields, licenseType } or raise malformed. */
export function parseDisclosed (obj) {
  if (!(obj instanceof Map)) throw malformed('the license claim is not a map')
  const keys = [...obj.keys()]
  for (const key of keys) {
    if (!isPlainInt(key) && typeof key !== 'bigint') {
      throw malformed(`claim key ${key instanceof CborFloat ? key.value : JSON.stringify(key)} is not an integer`)
    }
  }
  const number = obj.get(TYPE_KEY)
  const profileNumber = obj.get(PROFILE_KEY)
  if (!isPlainInt(number) || !BY_NUMBER.has(number)) throw malformed(`unknown license type number ${String(number)}`)
  if (!isPlainInt(profileNumber) || !PROFILE_NAMES.has(profileNumber)) {
    throw malformed(`unknown profile number ${String(profileNumber)}`)
  }
  const profile = PROFILE_NAMES.get(profileNumber)
  const ltype = BY_NUMBER.get(number)
  const specs = fieldsFor(ltype, profile)
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const fields = {}
  for (const key of keys) {
    if (key === TYPE_KEY || key === PROFILE_KEY) continue
    const spec = typeof key === 'number' ? specs.get(key) : undefined
    if (spec === undefined) throw malformed(`key ${key} is not a field of ${ltype.code} in profile ${profile}`)
    fields[spec.name] = decodeField(spec, obj.get(key))
  }
  return { typeCode: ltype.code, profile, fields, licenseType: ltype }
}
