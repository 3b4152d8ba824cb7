/**
 * A Map bounded by entry count that forgets its oldest insertions first.
 *
 * For calls waiting for their outcome: the oldest pending call is the one
 * least likely to still get an answer, so insertion order is the right
 * eviction order and needs no recency bookkeeping. (lru-cache is not used
 * here: deleting its last entry clears all its `max` slots, an O(max) pause
 * that a map emptied and refilled on every call would pay each time.)
 */
export class FifoMap<K, V> {
  private readonly map = new Map<K, V>();
  evictions = 0;
  constructor(readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    // Re-setting a key keeps its place: a retransmitted INVITE is the same call.
    if (!this.map.has(key) && this.map.size >= this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) {
        this.map.delete(oldest.value);
        this.evictions++;
      }
    }
    this.map.set(key, value);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }
}
