// The service's API as the wallet uses it (zwt/static/shared/api.mjs), the citizen's tokens kept for this tab.
import { Api } from '../shared/api.mjs'

export { ApiError } from '../shared/api.mjs'
export const { call, keepAccessToken, login, signedIn, signOut } = new Api('zwt-wallet-tokens')
