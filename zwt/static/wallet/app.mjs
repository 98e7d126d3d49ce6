// The citizen's web wallet (/wallet): what the app does, with the device key in the browser. Sign in; register
// this browser's device key (a step-up: fresh password login plus an SMS code, then proof of possession over a
// server nonce); list the licenses; fetch a device-bound credential for a license and a profile or a service
// item; show it as a 30-second holder-bound QR code made offline; read the access log; remove a device or lock
// the wallet. README "The web wallet (for app teams)" walks through the same steps.
import { ApiError, call, keepAccessToken, login, signedIn, signOut } from './api.mjs'
import { fieldLabel, licenseName, reasonText, TEXTS } from './i18n.mjs'
import { REFRESH_SECONDS, showFreshCode } from './qr.mjs'
import { registerNewKey } from '../common/device.mjs'
import { openStore } from './store.mjs'

const $ = (id) => document.getElementById(id)
const state = {
  lang: localStorage.getItem('zwt-wallet-lang') || 'zh',
  store: null, licenses: [], items: [], credentials: [], device: null, devices: [], log: [],
  showing: null, timer: null, pending: null, challenge: null
}
const t = (key, ...args) => { const v = TEXTS[state.lang][key]; return typeof v === 'function' ? v(...args) : v }
const nowSeconds = () => Math.floor(Date.now() / 1000)
const localTime = (iso) => new Date(iso).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false })

function el (tag, text, attrs = {}) {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  return node
}

// ---- views -------------------------------------------------------------------------------------------------

function show (view, note = '') {
  $('login-view').hidden = view !== 'login'
  $('wallet-view').hidden = view !== 'wallet'
  $('code-view').hidden = view !== 'code'
  $('signout').hidden = !signedIn()
  $('login-note').hidden = !note
  $('login-note').textContent = note
  $('offline-note').hidden = navigator.onLine
  document.body.dataset.view = view
  if (view !== 'code') stopCode()
  if (view === 'login') $('username').focus()
}

function applyTexts () {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en'
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t)
  $('lang').lang = state.lang === 'zh' ? 'en' : 'zh-CN'
  document.title = t('title')
  $('net').textContent = navigator.onLine ? t('online') : t('offline')
  renderLicenses()
  renderHeld()
  renderLog()
  renderDevices()
}

/** The license's number as the service shows it (masked), with its label: its own number, else the holder's. */
function numberOf (lic) {
  const field = lic.fields?.license_number ?? lic.fields?.holder_code
  if (!field) return ''
  return (state.lang === 'zh' ? field.label_zh : field.label_en) + t('colon') + field.value
}

function renderLicenses () {
  const list = $('licenses')
  list.replaceChildren()
  for (const lic of state.licenses) {
    const item = el('li', undefined, { 'data-license': lic.id })
    item.append(el('span', licenseName(lic.license_type, state.lang), { class: 'name' }),
      el('span', numberOf(lic)),
      el('span', t('status')[lic.status] ?? lic.status, { class: lic.status === 'valid' ? 'status-valid' : 'status-other' }),
      el('span', lic.valid_until ? t('validUntil', lic.valid_until) : t('noExpiry')))
    list.append(item)
  }
  const select = $('license')
  const chosen = select.value
  select.replaceChildren(...state.licenses.filter((lic) => lic.status === 'valid')
    .map((lic) => new Option(licenseName(lic.license_type, state.lang), lic.id)))
  if (chosen) select.value = chosen
  renderPurposes()
}

function renderPurposes () {
  const select = $('purpose')
  const chosen = select.value
  const lic = state.licenses.find((x) => x.id === $('license').value)
  const profiles = Object.entries(t('profiles')).map(([code, label]) => new Option(label, `profile:${code}`))
  const group = el('optgroup', undefined, { label: t('itemsGroup') })
  for (const item of state.items.filter((x) => lic && x.needs[lic.license_type])) {
    group.append(new Option(item.name, `item:${item.impl_code}`))
  }
  select.replaceChildren(...profiles, ...(group.children.length ? [group] : []))
  select.value = chosen && [...select.options].some((o) => o.value === chosen) ? chosen : 'profile:standard'
}

function purposeLabel (credential) {
  if (credential.implCode) return state.items.find((x) => x.impl_code === credential.implCode)?.name ?? credential.implCode
  return t('profiles')[credential.profile] ?? credential.profile
}

function renderHeld () {
  const list = $('held')
  list.replaceChildren()
  $('held-empty').hidden = state.credentials.length > 0
  for (const credential of state.credentials) {
    const item = el('li', undefined, { 'data-credential': credential.id })
    const button = el('button', t('show'), { type: 'button', class: 'show' })
    button.addEventListener('click', () => startCode(credential))
    item.append(el('span', licenseName(credential.licenseType, state.lang), { class: 'name' }),
      el('span', purposeLabel(credential)), el('span', t('validUntil', localTime(credential.expiresAt))), button)
    list.append(item)
  }
}

function renderLog () {
  const body = $('log').querySelector('tbody')
  body.replaceChildren()
  for (const entry of state.log) {
    const row = el('tr', undefined, { 'data-event': entry.event, 'data-source': entry.source ?? '' })
    const fields = (entry.fields || []).map((name) => fieldLabel(entry.license_type, name, state.lang)).join('、')
    const verdict = entry.verdict ? (entry.verdict === 'valid' ? t('validVerdict') : reasonText(entry.verdict, state.lang)) : ''
    const where = [entry.hall_code, entry.counter_code].filter(Boolean).join(' / ')
    const item = state.items.find((x) => x.impl_code === entry.impl_code)?.name ?? entry.impl_code ?? ''
    row.append(el('td', localTime(entry.at)),
      el('td', `${t('events')[entry.event] ?? entry.event} · ${licenseName(entry.license_type, state.lang)}`),
      el('td', where), el('td', item), el('td', fields), el('td', verdict, { 'data-verdict': entry.verdict ?? '' }),
      el('td', entry.reported_by === 'counter' ? t('reportedByCounter') : ''))
    body.append(row)
  }
}

function renderDevices () {
  const list = $('devices')
  list.replaceChildren()
  for (const device of state.devices) {
    const mine = state.device?.id === device.id
    const item = el('li', undefined, { 'data-device': device.id })
    const button = el('button', t('remove'), { type: 'button' })
    button.addEventListener('click', () => removeDevice(device.id))
    item.append(el('span', device.name + (mine ? t('thisDevice') : ''), { class: 'name' }),
      el('span', localTime(device.created_at)), button)
    list.append(item)
  }
}

// ---- the live code -----------------------------------------------------------------------------------------

async function startCode (credential) {
  state.showing = credential
  show('code')
  $('code-title').textContent = licenseName(credential.licenseType, state.lang)
  $('code-purpose').textContent = purposeLabel(credential)
  $('qr').setAttribute('aria-label', t('qrLabel', licenseName(credential.licenseType, state.lang)))
  await freshCode()
  state.timer = setInterval(tick, 1000)
}

function stopCode () {
  clearInterval(state.timer)
  state.timer = null
  state.showing = null
}

async function freshCode () {
  const device = state.device
  const made = await showFreshCode($('qr'), state.showing, device.keyPair.privateKey, nowSeconds())
  const canvas = $('qr')
  canvas.dataset.t = String(made.t)
  canvas.dataset.count = String(Number(canvas.dataset.count || 0) + 1)
  $('made-in').textContent = t('madeIn', made.ms.toFixed(1))
  $('made-in').dataset.ms = String(made.ms)
  $('qr-status').textContent = t('qrAnnounce', REFRESH_SECONDS)
  renderCountdown()
}

function renderCountdown () {
  const left = Math.max(0, Number($('qr').dataset.t) + REFRESH_SECONDS - nowSeconds())
  $('countdown').textContent = t('countdown', left)
  return left
}

async function tick () {
  if (!state.showing) return
  if (renderCountdown() <= 0) await freshCode()
}

// ---- the device key and credentials ------------------------------------------------------------------------

async function loadDevices () {
  state.devices = (await (await call('/api/v1/me/devices')).json()).items
  if (state.device && !state.devices.some((d) => d.id === state.device.id)) { // removed or locked elsewhere
    await state.store.forgetDevice()
    state.device = null
    state.credentials = []
  }
  renderDevices()
  renderHeld()
}

/** Register this browser's key after a step-up: the SMS code is asked for first, then this runs again. */
async function ensureDevice () {
  if (state.device) return state.device
  const me = await (await call('/api/v1/me')).json()
  const { device, keyPair } = await registerNewKey(call, '/api/v1/me/devices', me.subject, { name: t('deviceName') })
  state.device = { id: device.id, kid: device.kid, keyPair }
  await state.store.putAll({ device: state.device })
  await loadDevices()
  return state.device
}

async function askStepUp () {
  const challenge = await (await call('/api/v1/me/sms-challenges', { method: 'POST', body: { purpose: 'step_up' } })).json()
  state.challenge = challenge.challenge_id
  $('stepup-sent').textContent = t('stepUpSent', challenge.phone_masked)
  $('stepup-error').textContent = ''
  $('stepup-box').hidden = false
  document.body.dataset.stepUp = 'asked'
  $('sms-code').focus()
}

async function stepUpSubmitted (event) {
  event.preventDefault()
  try {
    const answer = await (await call('/api/v1/auth/step-up', {
      method: 'POST', body: { challenge_id: state.challenge, code: $('sms-code').value }
    })).json()
    keepAccessToken(answer.access_token)
  } catch (exc) {
    if (exc instanceof ApiError && exc.status === 401) return needFreshLogin()
    $('stepup-error').textContent = t('stepUpFailed')
    return
  }
  $('sms-code').value = ''
  $('stepup-box').hidden = true
  document.body.dataset.stepUp = 'done'
  if (state.pending) await fetchCredential(state.pending)
}

function needFreshLogin () {
  $('stepup-box').hidden = true // a new code is sent after the password, for the new sign-in
  delete document.body.dataset.stepUp
  signOut()
  show('login', t('freshLogin'))
}

function chosenPurpose () {
  const [kind, value] = $('purpose').value.split(/:(.*)/s)
  return kind === 'item' ? { impl_code: value } : { profile: value }
}

async function fetchCredential (request) {
  state.pending = request
  $('fetch-status').textContent = t('fetching')
  try {
    await ensureDevice()
  } catch (exc) {
    if (exc instanceof ApiError && exc.status === 401 && exc.problem?.code === 'step_up_required') return askStepUp()
    if (exc instanceof ApiError && exc.status === 401 && exc.problem?.code === 'fresh_login_required') return needFreshLogin()
    $('fetch-status').textContent = t('fetchFailed', exc.problem?.title ?? exc.message)
    return
  }
  try {
    const response = await call(`/api/v1/me/licenses/${request.licenseId}/presentations`, {
      method: 'POST', body: { ...request.purpose, device_id: state.device.id }
    })
    const made = await response.json()
    const lic = state.licenses.find((x) => x.id === request.licenseId)
    const credential = {
      id: made.id, licenseId: made.license_id, licenseType: lic.license_type, qd1: made.qd1, profile: made.profile,
      implCode: made.impl_code, fields: made.fields, expiresAt: made.expires_at, deviceId: made.device_id
    }
    await state.store.addCredential(credential)
    state.credentials = await state.store.credentials()
    state.pending = null
    renderHeld()
    $('fetch-status').textContent = t('fetched', localTime(made.expires_at))
    await online(loadLog) // the log shows the credential just made
    document.body.dataset.fetched = made.id
  } catch (exc) {
    if (!(exc instanceof ApiError)) throw exc
    $('fetch-status').textContent = t('fetchFailed', exc.problem?.title ?? exc.message)
  }
}

async function removeDevice (id) {
  await call(`/api/v1/me/devices/${id}`, { method: 'DELETE' })
  await loadDevices()
}

async function lockWallet () {
  const answer = await (await call('/api/v1/me/wallet/lock', { method: 'POST' })).json()
  $('lock-confirm').hidden = true
  $('lock-result').textContent = t('locked', answer.devices_removed, answer.credentials_suspended)
  await loadDevices()
  document.body.dataset.locked = '1'
}

// ---- loading -----------------------------------------------------------------------------------------------

async function refresh () {
  const [licenses, items] = await Promise.all([call('/api/v1/me/licenses'), call('/api/v1/verifier/items')])
  state.licenses = (await licenses.json()).items
  state.items = (await items.json()).items
  await state.store.putAll({ licenses: state.licenses, items: state.items })
  await Promise.all([loadDevices(), loadLog()])
  renderLicenses()
}

async function loadLog () {
  state.log = (await (await call('/api/v1/me/access-log?limit=50')).json()).items
  renderLog()
  document.body.dataset.logLoaded = String(state.log.length)
}

async function online (work) { // an API step: a lost sign-in goes back to the login view, the rest is shown
  try {
    await work()
  } catch (exc) {
    if (exc instanceof ApiError && exc.status === 401) { signOut(); show('login'); return }
    if (!(exc instanceof ApiError || exc instanceof TypeError)) throw exc
    console.error(exc)
  }
}

async function signInSubmitted (event) {
  event.preventDefault()
  $('login-error').textContent = ''
  try {
    await login($('username').value, $('password').value)
  } catch (exc) {
    $('login-error').textContent = exc instanceof ApiError ? t('loginFailed') : String(exc)
    return
  }
  $('password').value = ''
  show('wallet')
  await online(refresh)
  if (state.pending) await fetchCredential(state.pending)
  document.body.dataset.ready = 'signed-in'
}

async function start () {
  state.store = await openStore()
  state.device = (await state.store.get('device')) ?? null
  state.credentials = await state.store.credentials()
  state.licenses = (await state.store.get('licenses')) ?? []
  state.items = (await state.store.get('items')) ?? []
  applyTexts()
  $('login-form').addEventListener('submit', signInSubmitted)
  $('stepup-form').addEventListener('submit', stepUpSubmitted)
  $('license').addEventListener('change', renderPurposes)
  $('fetch-form').addEventListener('submit', (event) => {
    event.preventDefault()
    fetchCredential({ licenseId: $('license').value, purpose: chosenPurpose() })
  })
  $('close-code').addEventListener('click', () => show('wallet'))
  $('load-log').addEventListener('click', () => online(loadLog))
  $('lock').addEventListener('click', () => { $('lock-confirm').hidden = false; $('lock-confirm').focus() })
  $('lock-confirm').addEventListener('click', () => online(lockWallet))
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh'
    localStorage.setItem('zwt-wallet-lang', state.lang)
    applyTexts()
    if (state.showing) startCode(state.showing)
  })
  $('signout').addEventListener('click', () => { signOut(); show('login') })
  const network = () => { $('net').textContent = navigator.onLine ? t('online') : t('offline'); $('offline-note').hidden = navigator.onLine }
  window.addEventListener('online', network)
  window.addEventListener('offline', network)
  // offline, or signed out with credentials held: the codes are shown all the same
  show(signedIn() || (!navigator.onLine && state.credentials.length) ? 'wallet' : 'login')
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/wallet/sw.js', { scope: '/wallet' }).catch((exc) => console.error(exc))
    navigator.serviceWorker.ready.then(() => { document.body.dataset.offlineReady = '1' })
  }
  if (signedIn() && navigator.onLine) await online(refresh)
  document.body.dataset.ready = signedIn() ? 'signed-in' : 'started'
}

start()
