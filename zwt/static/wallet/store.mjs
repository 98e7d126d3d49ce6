// What the wallet keeps in IndexedDB: the device key (a non-extractable WebCrypto P-256 CryptoKey, with its
// registered id), the device-bound credentials fetched for it (QD1 texts signed by the department: on their own
// they show nothing without the device key), and the masked license list and service items for offline use.
import { done, finished, KvStore, openDatabase } from '../common/store.mjs'

const DB_NAME = 'zwt-wallet'
const DB_VERSION = 1

export async function openStore () {
  return new Store(await openDatabase(DB_NAME, DB_VERSION, (db) => {
    db.createObjectStore('credentials', { keyPath: 'id' })
  }))
}

export class Store extends KvStore {
  async credentials () {
    return done(this.db.transaction('credentials').objectStore('credentials').getAll())
  }

  async addCredential (credential) {
    const tx = this.db.transaction('credentials', 'readwrite')
    tx.objectStore('credentials').put(credential)
    return finished(tx)
  }

  /** Forget the device key and every credential bound to it (removed, or the wallet locked), in one transaction. */
  async forgetDevice () {
    const tx = this.db.transaction(['credentials', 'kv'], 'readwrite')
    tx.objectStore('credentials').clear()
    tx.objectStore('kv').delete('device')
    return finished(tx)
  }
}
