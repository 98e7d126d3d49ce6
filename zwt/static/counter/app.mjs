// The counter console: clerk sign-in, then one verification view. A scan (keyboard-wedge scanner + Enter),
// a paste, a photo or the camera verifies at once, in the browser, with the QD1 library and the trust data
// held in IndexedDB; the verdict is shown large in colour and words and announced to screen readers.
import { MAX_AGE, verify, WARN_AGE } from '../qd1/qd1.mjs'
import { rejected } from '../qd1/verdict.mjs'
import { ApiError, call, login, signedIn, signOut } from './api.mjs'
import { fieldLabel, licenseName, reasonText, TEXTS, warningText } from './i18n.mjs'
import { purposeOf, syncItems } from './items.mjs'
import { ensureDevice, record, upload } from './logs.mjs'
import { openStore, StoredReplayCache } from './store.mjs'
import { heldTrust, syncTrust } from './trustsync.mjs'

const SYNC_EVERY_MS = 60_000
const $ = (id) => document.getElementById(id)
const state = { lang: localStorage.getItem('zwt-counter-lang') || 'zh', store: null, trust: null, items: [], item: null, last: null, syncing: null, syncNote: '' }
const t = (key, ...args) => { const v = TEXTS[state.lang][key]; return typeof v === 'function' ? v(...args) : v }
const nowSeconds = () => Math.floor(Date.now() / 1000)

function applyTexts () {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en'
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t)
  $('lang').lang = state.lang === 'zh' ? 'en' : 'zh-CN'
  document.title = t('title')
  $('scan').placeholder = t('scanPlaceholder')
  renderItems()
  renderVerdict()
  renderStatus()
}

function show (view) {
  $('login-view').hidden = view !== 'login'
  $('console-view').hidden = view !== 'console'
  $('signout').hidden = !signedIn()
  $('offline-note').hidden = signedIn()
  if (view === 'console') $('scan').focus()
  else $('username').focus()
}

// ---- the verdict -------------------------------------------------------------------------------------------

function colourOf (verdict) {
  if (!verdict.valid) return 'red'
  return verdict.warnings.length ? 'amber' : 'green'
}

function renderVerdict () {
  const box = $('verdict')
  const fieldsBox = $('fields-box')
  const last = state.last
  if (!last) { box.className = 'verdict idle'; fieldsBox.hidden = true; return }
  const { verdict, ms } = last
  const colour = last.noTrust ? 'red' : colourOf(verdict)
  box.className = `verdict ${colour}`
  box.dataset.reason = verdict.reason ?? 'valid'
  box.dataset.colour = colour
  const word = { green: '✔ ' + t('valid'), amber: '⚠ ' + t('validWarn'), red: '✖ ' + t('rejected') }[colour]
  let message
  let hint = ''
  if (last.noTrust) {
    message = t('noTrust')
  } else if (verdict.reason === 'not_qd1') { // an EU HC1: code, a payment code, any text: said plainly
    message = t('notLicense')
    hint = t('notLicenseHint')
  } else if (!verdict.valid) {
    message = t('reason') + t('colon') + reasonText(verdict.reason, state.lang)
  } else {
    message = state.lang === 'zh' ? verdict.messageZh : verdict.messageEn
    hint = verdict.warnings.map((w) => warningText(w, state.lang)).join('；')
  }
  $('verdict-word').textContent = word
  $('verdict-message').textContent = message
  $('verdict-hint').textContent = hint
  $('elapsed-line').textContent = ms === undefined ? '' : t('elapsed', ms.toFixed(1))
  const list = $('fields')
  list.replaceChildren()
  fieldsBox.hidden = !verdict.valid
  if (!verdict.valid) return
  $('license-line').textContent = t('license') + t('colon') + licenseName(verdict.licenseType, state.lang)
  for (const [name, value] of Object.entries(verdict.fields)) {
    const dt = document.createElement('dt')
    dt.textContent = fieldLabel(verdict.licenseType, name, state.lang)
    dt.dataset.field = name
    const dd = document.createElement('dd')
    dd.textContent = value
    list.append(dt, dd)
  }
}

// ---- status: trust data, network, waiting records ----------------------------------------------------------

async function renderStatus () {
  const line = $('trust-line')
  const trust = state.trust
  if (!trust) {
    line.textContent = t('trust') + t('colon') + t('trustNone')
    line.className = 'stale'
  } else {
    const age = nowSeconds() - trust.bundle.iat
    const hours = Math.floor(Math.max(age, 0) / 3600)
    const level = age > MAX_AGE ? 'stale' : age > WARN_AGE ? 'old' : 'ok'
    const word = { ok: t('trustOk'), old: t('trustOld'), stale: t('trustStale') }[level]
    line.textContent = t('trustLine', t('trustAge', t('hours', hours)), trust.bundle.seq, word)
    line.className = level
    line.dataset.ageHours = String(hours)
    line.dataset.level = level
  }
  $('net').textContent = navigator.onLine ? t('online') : t('offline')
  $('sync-line').textContent = state.syncNote
  if (state.store) {
    const waiting = await state.store.countWaiting()
    $('waiting-line').textContent = t('waiting', waiting)
    $('waiting-line').dataset.count = String(waiting)
  }
}

function renderItems () {
  const select = $('item')
  const chosen = state.item?.impl_code ?? ''
  const none = new Option(t('anyItem'), '')
  select.replaceChildren(none, ...state.items.map((item) => new Option(item.name, item.impl_code)))
  select.value = chosen
}

// ---- scanning ----------------------------------------------------------------------------------------------

/** Verify a scanned, pasted or decoded text at once; show, announce and record the verdict. */
async function verifyText (raw) {
  const text = raw.trim()
  if (!text) return
  const now = nowSeconds()
  const started = performance.now()
  if (!state.trust) {
    state.last = { verdict: rejected('status_unknown'), noTrust: true }
  } else {
    const verdict = await verify(text, state.trust.bundle, { now, purpose: purposeOf(state.item), replayCache: state.replay })
    state.last = { verdict, ms: performance.now() - started }
  }
  await shown(now)
}

/** A photo without a readable QR code: a rejection of its own, recorded like any other. */
async function verifyNoCode () {
  state.last = { verdict: rejected('no_qr_code') }
  await shown(nowSeconds())
}

async function shown (now) {
  renderVerdict()
  await record(state.store, state.last.verdict, { at: now, implCode: state.item?.impl_code })
  await renderStatus()
  if (navigator.onLine && signedIn()) sync({ trust: false })
}

function keepFocus () {
  const scan = $('scan')
  const busy = (el) => el && el !== scan && ['SELECT', 'INPUT', 'BUTTON', 'TEXTAREA', 'VIDEO'].includes(el.tagName)
  const refocus = () => { if (!$('console-view').hidden && !busy(document.activeElement)) scan.focus() }
  scan.addEventListener('blur', () => setTimeout(refocus, 0))
  document.addEventListener('click', (event) => { // a click anywhere but on a control gives the field back
    if (!busy(event.target) && event.target.tagName !== 'LABEL') setTimeout(refocus, 0)
  })
  document.addEventListener('visibilitychange', refocus)
  scan.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return
    event.preventDefault()
    const text = scan.value
    scan.value = ''
    verifyText(text)
  })
  scan.addEventListener('paste', (event) => {
    event.preventDefault()
    scan.value = ''
    verifyText(event.clipboardData.getData('text'))
  })
  $('item').addEventListener('change', () => {
    state.item = state.items.find((item) => item.impl_code === $('item').value) ?? null
    scan.focus()
  })
}

async function wireImages () {
  const { wireScanning } = await import('./scan.mjs')
  await wireScanning({ verifyText, verifyNoCode, t, refocus: () => $('scan').focus() })
}

// ---- sync: trust data, items, device, uploads --------------------------------------------------------------

async function syncOnce ({ trust = true } = {}) {
  if (trust) {
    document.body.dataset.sync = 'syncing' // until this sync answers: a reader never sees the last one's state
    const result = await syncTrust(state.store, nowSeconds())
    if (result.trust) state.trust = result.trust
    state.syncNote = result.status === 'refused' ? t('syncRefused', reasonText(result.reason, state.lang)) : ''
    document.body.dataset.sync = result.status
    if (result.status === 'refused') document.body.dataset.syncReason = result.reason
  }
  if (!signedIn()) return
  try {
    if (trust) { // a full sync; after a scan only the upload
      const me = await (await call('/api/v1/me')).json()
      await ensureDevice(state.store, me)
      state.items = (await syncItems(state.store)) ?? []
      renderItems()
    }
    await upload(state.store)
  } catch (exc) {
    if (!(exc instanceof ApiError || exc instanceof TypeError)) throw exc
    if (exc.status === 401) { signOut(); show('login') }
    if (exc instanceof ApiError && exc.status !== 401) state.syncNote = `${exc.status} ${exc.problem?.code ?? exc.message}`
  }
}

function sync (options = {}) { // one at a time; a call while one runs waits for it, then runs once more
  const run = async () => {
    try { await syncOnce(options) } catch (exc) { console.error(exc) }
    await renderStatus()
  }
  state.syncing = (state.syncing ?? Promise.resolve()).then(run)
  return state.syncing
}

// ---- start -------------------------------------------------------------------------------------------------

async function signInSubmitted (event) {
  event.preventDefault()
  $('login-error').textContent = ''
  try {
    await login($('username').value, $('password').value)
    const me = await (await call('/api/v1/me')).json()
    if (me.role !== 'clerk') { signOut(); $('login-error').textContent = t('notClerk'); return }
  } catch (exc) {
    $('login-error').textContent = exc instanceof ApiError ? t('loginFailed') : String(exc)
    return
  }
  $('password').value = ''
  show('console')
  await sync()
  document.body.dataset.ready = 'signed-in'
}

async function start () {
  state.store = await openStore()
  state.replay = new StoredReplayCache(state.store)
  state.items = (await state.store.get('items')) ?? []
  try { state.trust = await heldTrust(state.store) } catch (exc) { console.error(exc) }
  applyTexts()
  keepFocus()
  wireImages().catch((exc) => console.error(exc))
  $('login-form').addEventListener('submit', signInSubmitted)
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh'
    localStorage.setItem('zwt-counter-lang', state.lang)
    applyTexts()
    if (!$('console-view').hidden) $('scan').focus()
  })
  $('signout').addEventListener('click', () => { signOut(); show('login') })
  $('sync').addEventListener('click', () => { sync(); if (!$('console-view').hidden) $('scan').focus() })
  window.addEventListener('online', () => sync())
  window.addEventListener('offline', () => renderStatus())
  setInterval(() => { if (navigator.onLine) sync(); else renderStatus() }, SYNC_EVERY_MS)
  show(signedIn() || !navigator.onLine ? 'console' : 'login')
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/counter/sw.js', { scope: '/counter' }).catch((exc) => console.error(exc))
    navigator.serviceWorker.ready.then(() => { document.body.dataset.offlineReady = '1' })
  }
  if (navigator.onLine) await sync()
  await renderStatus()
  document.body.dataset.ready = signedIn() ? 'signed-in' : 'started'
}

start()
