// The service's API as the counter uses it (zwt/static/shared/api.mjs), the clerk's tokens kept for this tab.
import { Api } from '../shared/api.mjs'

export { ApiError, publicGet } from '../shared/api.mjs'
export const { call, login, signedIn, signOut } = new Api('zwt-counter-tokens')
