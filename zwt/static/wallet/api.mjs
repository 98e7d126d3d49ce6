// The service's API as the wallet uses it (zwt/static/common/api.mjs), the citizen's tokens kept for this tab.
import { Api } from '../common/api.mjs'

export { ApiError } from '../common/api.mjs'
export const { call, keepAccessToken, login, signedIn, signOut } = new Api('zwt-wallet-tokens')
