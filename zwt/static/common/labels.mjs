// Names from the wallet's own registry (zwt/static/qd1/wallet_data.mjs, generated from wallet/): verdict reasons,
// warnings, license types and field labels, in Chinese or English, as wallet.verify and the service say them.
import DATA from '../qd1/wallet_data.mjs'

const TYPES = new Map(DATA.license_types.map((t) => [t.code, t]))

export function reasonText (reason, lang) {
  const texts = DATA.reasons[reason] ?? DATA.reasons.malformed
  return lang === 'zh' ? texts[0] : texts[1]
}

export function warningText (warning, lang) {
  const texts = DATA.warnings[warning] ?? [warning, warning]
  return lang === 'zh' ? texts[0] : texts[1]
}

export function licenseName (code, lang) {
  const type = TYPES.get(code)
  if (!type) return code ?? ''
  return lang === 'zh' ? type.name_zh : type.name_en
}

export function fieldLabel (code, name, lang) {
  const spec = TYPES.get(code)?.fields.find((f) => f.name === name)
  if (!spec) return name
  return lang === 'zh' ? spec.label_zh : spec.label_en
}
