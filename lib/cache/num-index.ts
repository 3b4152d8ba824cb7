/**
 * An integer key → non-negative int index on typed arrays (open addressing,
 * linear probing), for keys that are whole numbers in [0, 2^53): E.164
 * numbers read as integers, and the engine's numeric pair keys.
 *
 * Why not a JS Map: at hundreds of thousands of keys a Map lookup walks a
 * bucket array, an entry chain and the key object, several cache misses
 * each, and a double key above 2^31 is boxed. Here a lookup is a hash and
 * usually one or two adjacent reads of a Float64Array. Deletion shifts the
 * following run back (no tombstones), so a long-lived index that evicts a
 * key per insert never degrades.
 */

const EMPTY = -1;
/** Capacity is kept at least twice the key count (load ≤ 0.5): short probe runs. */
const MIN_CAPACITY = 16;

export class NumIndex {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor() {
    this.keys = new Float64Array(MIN_CAPACITY).fill(EMPTY);
    this.vals = new Int32Array(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Whether k can be a key here (a whole number in [0, 2^53)). */
  static fits(k: number): boolean {
    return Number.isSafeInteger(k) && k >= 0;
  }

  /** The position k hashes to: both 32-bit halves mixed (murmur3's finaliser). */
  private home(k: number): number {
    let h = (k >>> 0) ^ Math.imul((k / 4294967296) >>> 0, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
  }

  /** The value of k, or -1. */
  get(k: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = this.home(k); ; i = (i + 1) & mask) {
      const x = keys[i] as number;
      if (x === k) return this.vals[i] as number;
      if (x === EMPTY) return -1;
    }
  }

  /** Set k's value (v ≥ 0), adding k when absent. */
  set(k: number, v: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    const keys = this.keys;
    const mask = this.mask;
    for (let i = this.home(k); ; i = (i + 1) & mask) {
      const x = keys[i] as number;
      if (x === k) {
        this.vals[i] = v;
        return;
      }
      if (x === EMPTY) {
        keys[i] = k;
        this.vals[i] = v;
        this.count++;
        return;
      }
    }
  }

  /** Remove k; false when absent. Later keys of its probe run move back into the gap. */
  delete(k: number): boolean {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = this.home(k);
    for (; ; i = (i + 1) & mask) {
      const x = keys[i] as number;
      if (x === k) break;
      if (x === EMPTY) return false;
    }
    this.count--;
    // Backward-shift deletion: a key after the gap moves into it unless its home lies cyclically in (gap, its position].
    let gap = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const x = keys[j] as number;
      if (x === EMPTY) break;
      const h = this.home(x);
      const stays = gap <= j ? gap < h && h <= j : gap < h || h <= j;
      if (stays) continue;
      keys[gap] = x;
      vals[gap] = vals[j] as number;
      gap = j;
    }
    keys[gap] = EMPTY;
    return true;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.count = 0;
  }

  private rehash(capacity: number): void {
    const oldK = this.keys;
    const oldV = this.vals;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.vals = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < oldK.length; i++) {
      const x = oldK[i] as number;
      if (x !== EMPTY) this.set(x, oldV[i] as number);
    }
  }
}
