// IndexedDB for the offline pages: open a page's database, and the key-value store every page keeps its
// small values in (trust data, device keys as non-extractable CryptoKeys, cached lists).
export const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result)
  request.onerror = () => reject(request.error)
})

export const finished = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve()
  tx.onerror = () => reject(tx.error)
  tx.onabort = () => reject(tx.error || new Error('transaction aborted'))
})

/** Open (creating or upgrading with upgrade(db)) the database name at version; every one has a 'kv' store. */
export async function openDatabase (name, version, upgrade) {
  const request = indexedDB.open(name, version)
  request.onupgradeneeded = () => {
    const db = request.result
    if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv')
    upgrade(db)
  }
  return done(request)
}

export class KvStore {
  constructor (db) { this.db = db }

  async get (key) {
    return done(this.db.transaction('kv').objectStore('kv').get(key))
  }

  /** Write several keys in one transaction (all or nothing). */
  async putAll (entries) {
    const tx = this.db.transaction('kv', 'readwrite')
    for (const [key, value] of Object.entries(entries)) tx.objectStore('kv').put(value, key)
    return finished(tx)
  }

  /** Delete several keys in one transaction. */
  async deleteAll (keys) {
    const tx = this.db.transaction('kv', 'readwrite')
    for (const key of keys) tx.objectStore('kv').delete(key)
    return finished(tx)
  }
}
