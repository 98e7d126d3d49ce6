// Every verification is recorded in IndexedDB, then uploaded in batches signed by the counter device key: a
// non-extractable WebCrypto P-256 key registered through /api/v1/verifier/devices. The batch format and the
// signature (ES256, raw r||s over the payload bytes) are those zwt/wallet_service/verifier.py checks.
import { b64, ECDSA, registerNewKey } from '../common/device.mjs'
import { call } from './api.mjs'

export const BATCH_SIZE = 500
const randomId = (prefix) => prefix + Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')

let sequence = Date.now() * 1000

/** Record one verification for upload; what the access log stores of it, nothing more. */
export async function record (store, verdict, { at, implCode }) {
  const rec = {
    record_id: randomId('r-'),
    seq: sequence++,
    verified_at: new Date(at * 1000).toISOString(),
    license_id: verdict.licenseId,
    license_type: verdict.licenseType,
    verdict: verdict.valid ? 'valid' : verdict.reason,
    fields: verdict.valid ? Object.keys(verdict.fields).sort() : [],
    impl_code: implCode ?? null
  }
  await store.addRecord(rec)
  return rec
}

/** The registered device of this clerk's counter, registering a new key when there is none for it. */
export async function ensureDevice (store, me) {
  const held = await store.get('device')
  if (held && held.hall_code === me.hall_code && held.counter_code === me.counter_code) return held
  const { device, keyPair } = await registerNewKey(call, '/api/v1/verifier/devices', me.subject,
    { name: `柜台 ${me.counter_code}`.slice(0, 60) })
  const kept = { id: device.id, hall_code: device.hall_code, counter_code: device.counter_code, privateKey: keyPair.privateKey }
  await store.putAll({ device: kept })
  return kept
}

/**
 * Upload the waiting records, a signed batch at a time. A batch is written to the outbox before it is sent,
 * so a retry after a lost answer sends the same bytes and the service stores it once.
 * Returns { uploaded, refused } counts.
 */
export async function upload (store) {
  const device = await store.get('device')
  if (!device) return { uploaded: 0, refused: 0 }
  let uploaded = 0
  let refused = 0
  for (;;) {
    let outbox = await store.get('outbox')
    if (!outbox) {
      const records = await store.waitingRecords(BATCH_SIZE)
      if (!records.length) break
      const payload = {
        batch_id: randomId('b-'),
        device_id: device.id,
        hall_code: device.hall_code,
        counter_code: device.counter_code,
        records: records.map(({ seq, ...rec }) => rec)
      }
      const raw = new TextEncoder().encode(JSON.stringify(payload))
      const signature = await crypto.subtle.sign(ECDSA, device.privateKey, raw)
      outbox = { ids: records.map((r) => r.record_id), payload: b64(raw), signature: b64(signature) }
      await store.putAll({ outbox })
    }
    const response = await call('/api/v1/verifier/logs', { method: 'POST', body: { payload: outbox.payload, signature: outbox.signature } })
    const answer = await response.json()
    await store.uploaded(outbox.ids)
    uploaded += answer.accepted
    refused += answer.refused.length
  }
  return { uploaded, refused }
}
