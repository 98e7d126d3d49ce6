// One failure inside the verifier: a reason code (wallet/verdict.py REASONS) and a detail for logs.
export class InvalidCredential extends Error {
  constructor (reason, detail = '') {
    super(`${reason}: ${detail}`)
    this.name = 'InvalidCredential'
    this.reason = reason
    this.detail = detail
  }
}
