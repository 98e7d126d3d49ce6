// The service's API as a page uses it (the counter console, the web wallet). A page's tokens live in its tab's
// sessionStorage under the page's own key: readable by this origin's own scripts only (each page's CSP admits
// no other script), gone when the tab closes, never in IndexedDB, a cookie or the service worker's cache.
export class ApiError extends Error {
  constructor (status, problem) {
    super(problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

async function problemOf (response) {
  try { return await response.json() } catch { return null }
}

async function send (path, { method = 'GET', body, token, headers = {} } = {}) {
  const init = { method, headers: { ...headers }, cache: 'no-store' }
  if (token) init.headers.Authorization = `Bearer ${token}`
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  return fetch(path, init)
}

/** A public GET (the trust bundle, the root key), conditional on etag when given. */
export async function publicGet (path, etag = null) {
  return send(path, { headers: etag ? { 'If-None-Match': etag } : {} })
}

/**
 * The API client of one page, its tokens kept under tokenKey. Its methods are bound, so a page module can
 * export them as plain functions: `export const { call, login } = new Api('zwt-counter-tokens')`.
 */
export class Api {
  constructor (tokenKey) {
    this.tokenKey = tokenKey
    for (const name of ['signedIn', 'signOut', 'login', 'call', 'keepAccessToken']) this[name] = this[name].bind(this)
  }

  tokens () {
    return JSON.parse(sessionStorage.getItem(this.tokenKey) || 'null')
  }

  keep (pair) {
    sessionStorage.setItem(this.tokenKey, JSON.stringify({ access: pair.access_token, refresh: pair.refresh_token }))
  }

  signedIn () {
    return sessionStorage.getItem(this.tokenKey) !== null
  }

  signOut () {
    sessionStorage.removeItem(this.tokenKey)
  }

  /** Sign in; the answer's tokens are kept for this tab. Throws ApiError. */
  async login (username, password) {
    const response = await send('/api/v1/auth/login', { method: 'POST', body: { username, password } })
    if (!response.ok) throw new ApiError(response.status, await problemOf(response))
    this.keep(await response.json())
  }

  /** Replace the access token (a step-up answers one of the same sign-in), keeping the refresh token. */
  keepAccessToken (access) {
    this.keep({ access_token: access, refresh_token: this.tokens()?.refresh })
  }

  async refresh () {
    const held = this.tokens()
    if (!held?.refresh) return false
    const response = await send('/api/v1/auth/refresh', { method: 'POST', token: held.refresh })
    if (!response.ok) {
      if (response.status === 401) this.signOut()
      return false
    }
    this.keep(await response.json())
    return true
  }

  /**
   * A call with the page's token (refreshed once on a plain 401); returns the Response, throws ApiError for others.
   * A 401 that asks for more than a valid token (a step-up, a fresh login) is not retried: a refresh cannot give it.
   */
  async call (path, options = {}) {
    if (!this.tokens()) throw new ApiError(401, null)
    let response = await send(path, { ...options, token: this.tokens().access })
    if (response.status === 401) {
      const problem = await problemOf(response.clone())
      const plain = !['step_up_required', 'fresh_login_required'].includes(problem?.code)
      if (plain && await this.refresh()) response = await send(path, { ...options, token: this.tokens().access })
    }
    if (!response.ok && response.status !== 304) throw new ApiError(response.status, await problemOf(response))
    return response
  }
}
