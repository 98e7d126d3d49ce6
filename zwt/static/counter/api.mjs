// The service's API as the counter uses it. The clerk's tokens live in this tab's sessionStorage: readable by
// this origin's own scripts only (the page's CSP admits no other script), gone when the tab closes, never in
// IndexedDB, a cookie or the service worker's cache.
const TOKENS = 'zwt-counter-tokens'

export class ApiError extends Error {
  constructor (status, problem) {
    super(problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

export function signedIn () {
  return sessionStorage.getItem(TOKENS) !== null
}

function tokens () {
  return JSON.parse(sessionStorage.getItem(TOKENS) || 'null')
}

export function signOut () {
  sessionStorage.removeItem(TOKENS)
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

/** Sign in; the answer's tokens are kept for this tab. Throws ApiError. */
export async function login (username, password) {
  const response = await send('/api/v1/auth/login', { method: 'POST', body: { username, password } })
  if (!response.ok) throw new ApiError(response.status, await problemOf(response))
  const pair = await response.json()
  sessionStorage.setItem(TOKENS, JSON.stringify({ access: pair.access_token, refresh: pair.refresh_token }))
}

async function refresh () {
  const held = tokens()
  if (!held?.refresh) return false
  const response = await send('/api/v1/auth/refresh', { method: 'POST', token: held.refresh })
  if (!response.ok) {
    if (response.status === 401) signOut()
    return false
  }
  const pair = await response.json()
  sessionStorage.setItem(TOKENS, JSON.stringify({ access: pair.access_token, refresh: pair.refresh_token }))
  return true
}

/** A call with the clerk's token (refreshed once on 401); returns the Response, throws ApiError for others. */
export async function call (path, options = {}) {
  if (!tokens()) throw new ApiError(401, null)
  let response = await send(path, { ...options, token: tokens().access })
  if (response.status === 401 && await refresh()) response = await send(path, { ...options, token: tokens().access })
  if (!response.ok && response.status !== 304) throw new ApiError(response.status, await problemOf(response))
  return response
}

/** A public GET (the trust bundle, the root key), conditional on etag when given. */
export async function publicGet (path, etag = null) {
  return send(path, { headers: etag ? { 'If-None-Match': etag } : {} })
}
