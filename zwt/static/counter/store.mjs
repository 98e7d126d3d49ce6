// What the counter keeps in IndexedDB, so a reload or a browser restart loses nothing: the trust data (bundle
// bytes, ETag, the highest seq and iat ever held), the root key, the service items, the counter device key
// (a non-extractable CryptoKey), the verification records waiting for upload and the replay cache.
import { done, finished, KvStore, openDatabase } from '../common/store.mjs'

const DB_NAME = 'zwt-counter'
const DB_VERSION = 1

export async function openStore () {
  return new Store(await openDatabase(DB_NAME, DB_VERSION, (db) => {
    db.createObjectStore('records', { keyPath: 'record_id' }).createIndex('seq', 'seq')
    db.createObjectStore('replay', { keyPath: 'key' }).createIndex('expiry', 'expiry')
  }))
}

export class Store extends KvStore {
  async addRecord (record) {
    const tx = this.db.transaction('records', 'readwrite')
    tx.objectStore('records').add(record)
    return finished(tx)
  }

  /** The oldest waiting records, at most limit. */
  async waitingRecords (limit) {
    const all = await done(this.db.transaction('records').objectStore('records').index('seq').getAll(null, limit))
    return all
  }

  async countWaiting () {
    return done(this.db.transaction('records').objectStore('records').count())
  }

  /** Remove uploaded records and the batch that carried them, in one transaction. */
  async uploaded (recordIds) {
    const tx = this.db.transaction(['records', 'kv'], 'readwrite')
    for (const id of recordIds) tx.objectStore('records').delete(id)
    tx.objectStore('kv').delete('outbox')
    return finished(tx)
  }
}

/** The wallet's replay-cache port (seenBefore) on IndexedDB: a code accepted once stays refused across reloads. */
export class StoredReplayCache {
  constructor (store) { this.store = store }

  async seenBefore (key, { now, ttl }) {
    const hex = Array.from(key, (b) => b.toString(16).padStart(2, '0')).join('')
    const tx = this.store.db.transaction('replay', 'readwrite')
    const table = tx.objectStore('replay')
    const seen = await new Promise((resolve, reject) => { // one transaction: look up, then record
      const lookup = table.get(hex)
      lookup.onerror = () => reject(lookup.error)
      lookup.onsuccess = () => {
        const entry = lookup.result
        if (entry && entry.expiry > now) return resolve(true)
        table.put({ key: hex, expiry: now + ttl })
        table.index('expiry').openCursor(IDBKeyRange.upperBound(now)).onsuccess = (event) => {
          const cursor = event.target.result
          if (cursor) { cursor.delete(); cursor.continue() }
        }
        resolve(false)
      }
    })
    await finished(tx)
    return seen
  }
}
