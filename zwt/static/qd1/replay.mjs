// A replay cache in memory (wallet/replay.py MemoryReplayCache): each presentation is accepted once.
import { toHex } from './bytes.mjs'

export class MemoryReplayCache {
  constructor (maxEntries = 1000000) {
    this.maxEntries = maxEntries
    this.entries = new Map() // hex key -> expiry
  }

  get size () { return this.entries.size }

  purge (now) {
    for (const [key, expiry] of this.entries) if (expiry <= now) this.entries.delete(key)
  }


  /** Whether key was seen within its ttl; records it otherwise. */
  async seenBefore (key, { now, ttl }) {
    const hex = toHex(key)
    const expiry = this.entries.get(hex)
    if (expiry !== undefined && expiry > now) return true
    this.purge(now)
    this.entries.delete(hex)
    this.entries.set(hex, now + ttl)
    for (const oldest of this.entries.keys()) { // bounded: the oldest entries go first
      if (this.entries.size <= this.maxEntries) break
      this.entries.delete(oldest)
    }
    return false
  }
}
