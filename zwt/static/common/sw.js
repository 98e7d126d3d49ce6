// The service worker of an offline page (the counter console, the web wallet): keeps the page, its modules and
// the QD1 library so the page opens and works with the network off. The service (zwt/offline_page.py) fills in
// VERSION (a digest of every file listed), PREFIX (the page's cache names) and FILES when it serves this script,
// so any change to a file installs a new worker with a fresh cache. The API is never cached here: each page keeps
// what it needs offline in IndexedDB itself.
const VERSION = '__VERSION__'
const PREFIX = '__PREFIX__'
const FILES = __FILES__
const CACHE = `${PREFIX}${VERSION}`
const KEPT = new Set(FILES)

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()))
})

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !KEPT.has(url.pathname)) return
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const held = await cache.match(url.pathname)
    return held || fetch(event.request)
  }))
})
