// The service's API as the counter uses it (zwt/static/common/api.mjs), the clerk's tokens kept for this tab.
import { Api } from '../common/api.mjs'

export { ApiError, publicGet } from '../common/api.mjs'
export const { call, login, signedIn, signOut } = new Api('zwt-counter-tokens')
