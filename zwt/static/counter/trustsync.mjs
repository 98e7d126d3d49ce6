// The trust data a counter verifies with: the platform root key, then the signed bundle, synced with its ETag
// whenever the network is up and kept in IndexedDB with the highest seq and iat ever held (a rolled-back
// bundle is refused, as the Python counter CLI refuses it).
import { InvalidCredential, loadBundle, parseBundle } from '../qd1/qd1.mjs'
import { publicGet } from './api.mjs'

const BUNDLE = '/api/v1/verifier/bundle'
const ROOT_KEY = '/api/v1/verifier/root-key'

function pemToDer (pem) {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
}

/** The root key this counter trusts: fetched once (provisioning) and kept; never replaced by a later fetch. */
async function rootKey (store) {
  const held = await store.get('rootKey')
  if (held) return held
  const response = await publicGet(ROOT_KEY)
  if (!response.ok) throw new Error(`root key: HTTP ${response.status}`)
  const der = pemToDer(await response.text())
  await store.putAll({ rootKey: der })
  return der
}

/** The held bundle, parsed whatever its age (verification then judges its freshness), or null. */
export async function heldTrust (store) {
  const [data, root] = await Promise.all([store.get('bundle'), store.get('rootKey')])
  if (!data || !root) return null
  return { bundle: await parseBundle(data, [root]), syncedAt: await store.get('syncedAt') }
}

/**
 * Fetch the bundle (If-None-Match the held ETag) and keep it when it is valid and newer.
 * Returns { status: 'synced' | 'unchanged' | 'refused' | 'offline', reason?, trust? }.
 */
export async function syncTrust (store, now) {
  let root, response
  const [etag, heldSeq, heldIat, held] = await Promise.all(
    [store.get('etag'), store.get('maxSeq'), store.get('maxIat'), store.get('bundle')])
  try {
    root = await rootKey(store)
    response = await publicGet(BUNDLE, held ? etag : null)
  } catch (exc) {
    return { status: 'offline', reason: String(exc.message || exc) }
  }
  if (response.status === 304) {
    await store.putAll({ syncedAt: now })
    return { status: 'unchanged', trust: await heldTrust(store) }
  }
  if (!response.ok) return { status: 'offline', reason: `HTTP ${response.status}` }
  const data = new Uint8Array(await response.arrayBuffer())
  let bundle
  try {
    bundle = await loadBundle(data, [root], { now, heldSeq: heldSeq ?? null })
  } catch (exc) {
    if (!(exc instanceof InvalidCredential)) throw exc
    return { status: 'refused', reason: exc.reason, detail: exc.detail }
  }
  if (heldSeq === bundle.seq && heldIat !== undefined && bundle.iat < heldIat) { // the same seq signed earlier
    return { status: 'unchanged', trust: await heldTrust(store) }
  }
  await store.putAll({
    bundle: data,
    etag: response.headers.get('ETag'),
    maxSeq: Math.max(bundle.seq, heldSeq ?? bundle.seq),
    maxIat: Math.max(bundle.iat, heldIat ?? bundle.iat),
    syncedAt: now
  })
  return { status: 'synced', trust: { bundle, syncedAt: now } }
}
