// The service items a counter handles with a wallet license: synced from /api/v1/verifier/items (the service
// keeps the one rule for which fields an item needs) and kept for offline use. The page checks presented codes
// against the picked item's fields and shows no more.
import { InvalidCredential } from '../qd1/qd1.mjs'
import { call } from './api.mjs'

export async function syncItems (store) {
  const etag = await store.get('itemsEtag')
  const response = await call('/api/v1/verifier/items', { headers: etag ? { 'If-None-Match': etag } : {} })
  if (response.status === 304) return store.get('items')
  const { items } = await response.json()
  await store.putAll({ items, itemsEtag: response.headers.get('ETag') })
  return items
}

/** The verifier's purpose for an item: its fields for each license type it takes; another type is refused. */
export function purposeOf (item) {
  if (!item) return null
  return (licenseType) => {
    const fields = item.needs[licenseType]
    if (!fields) throw new InvalidCredential('insufficient_disclosure', `${item.impl_code} does not take ${licenseType}`)
    return fields
  }
}
