// The verifier's answer (wallet/verdict.py): valid, or one reason with the clerk's zh-CN and English text.
// The messages come from wallet_data.mjs, generated from wallet.verdict.REASONS.
import { toHex } from './bytes.mjs'
import DATA from './wallet_data.mjs'

export const REASONS = DATA.reasons
export const WARNINGS = DATA.warnings

function verdict (valid, reason, [messageZh, messageEn], detail, facts) {
  return {
    valid,
    reason,
    messageZh,
    messageEn,
    detail,
    kid: facts.kid ?? null,
    licenseType: facts.licenseType ?? null,
    licenseId: facts.licenseId ?? null,
    profile: facts.profile ?? null,
    fields: facts.fields ?? {},
    claims: facts.claims ?? {},
    warnings: facts.warnings ?? [],
    holderBound: facts.holderBound ?? false
  }
}

export function accepted (facts) {
  return verdict(true, null, DATA.valid, '', facts)
}

export function rejected (reason, detail = '', facts = {}) {
  return verdict(false, reason, REASONS[reason] || REASONS.malformed, detail, facts)
}

/** The verdict as the Python CLI's --json prints it (Verdict.to_json). */
export function verdictJson (v) {
  return {
    valid: v.valid,
    reason: v.reason,
    message_zh: v.messageZh,
    message_en: v.messageEn,
    detail: v.detail,
    kid: v.kid === null ? null : toHex(v.kid),
    type: v.licenseType,
    license_id: v.licenseId,
    profile: v.profile,
    holder_bound: v.holderBound,
    warnings: [...v.warnings],
    fields: { ...v.fields },
    claims: { ...v.claims }
  }
}
