/**
 * A bounded key → value cache with least-recently-used eviction, on
 * SlotLru: values sit in an array indexed by the key's slot.
 *
 * For the engine's per-number refs, which every INVITE consults twice:
 * lru-cache's get() spends much of its time on per-call options (TTL,
 * staleness, status) that this cache does not need (see BENCHMARKS.md).
 */
import { SlotLru } from './slot-lru.js';

export class ValueLru<V, K extends string | number = string> {
  private readonly index: SlotLru<K>;
  private values: (V | undefined)[] = [];

  constructor(max: number) {
    this.index = new SlotLru<K>(max, Math.min(max, 1024));
    this.index.onEvict = (slot) => {
      this.values[slot] = undefined;
    };
  }

  get size(): number {
    return this.index.size;
  }

  get max(): number {
    return this.index.max;
  }

  /** The value of key, made most recently used. */
  get(key: K): V | undefined {
    const s = this.index.get(key);
    return s < 0 ? undefined : this.values[s];
  }

  /** The value of key without touching recency. */
  peek(key: K): V | undefined {
    const s = this.index.peek(key);
    return s < 0 ? undefined : this.values[s];
  }

  /** Store value under a key known to be absent (peek() just missed): one index operation instead of two. */
  add(key: K, value: V): void {
    this.values[this.index.insert(key)] = value;
  }

  /** Store value under key, most recently used; the least recently used key makes room when full. */
  set(key: K, value: V): void {
    let s = this.index.get(key);
    if (s < 0) s = this.index.insert(key);
    this.values[s] = value;
  }
}
