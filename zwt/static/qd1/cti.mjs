// The compact cti (wallet/cti.py): <serial>.<version>.<check>, expanded with the type code and iss into the
// GB/T 36904 identifier 1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>.
import { InvalidCredential } from './errors.mjs'

export const LICENSE_ID_ROOT = '1.2.156.3005.2'
const CTI = /^([0-9A-Z]{1,32})\.([0-9]{3})\.([0-9A-Z])$/

export function expandLicenseId (cti, gbTypeCode, issuerCode) {
  if (cti == null || issuerCode == null) throw new InvalidCredential('malformed', 'a QD1 credential needs cti and iss')
  let text = ''
  for (const b of cti) {
    if (b > 127) throw new InvalidCredential('malformed', 'cti is not <serial>.<version>.<check>')
    text += String.fromCharCode(b)
  }
  const match = CTI.exec(text)
  if (match === null) throw new InvalidCredential('malformed', 'cti is not <serial>.<version>.<check>')
  return [LICENSE_ID_ROOT, gbTypeCode, issuerCode, match[1], match[2], match[3]].join('.')
}
