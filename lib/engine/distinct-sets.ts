/**
 * Bounded distinct-counterparty sets, one per table slot, kept in typed-array
 * pools instead of a JS array per key.
 *
 * A million tracked numbers with a set each were two heap objects apiece
 * (about 150 bytes), all of which the garbage collector traced on every full
 * collection; the pause grew with the table. Here a set is a block in the pool
 * of its size class (1, 2, 4 ... cap members): member hashes in an Int32Array,
 * last-seen times in a Float64Array. A set that outgrows its block moves to
 * the next class and its old block goes on that class's free list.
 *
 * Semantics are those of the array it replaces: members in insertion order,
 * a member seen again keeps the later time, and a full set makes room by
 * replacing its least recently seen member (the first such in order) when
 * the newcomer is not older.
 */
import { resized } from '../cache/typed.js';

const NONE = -1;

class Pool {
  hashes: Int32Array;
  seen: Float64Array;
  /** Blocks handed out so far (free ones included). */
  used = 0;
  readonly free: number[] = [];
  constructor(readonly size: number) {
    this.hashes = new Int32Array(size * 16);
    this.seen = new Float64Array(size * 16);
  }

  /** Start index of a free block. */
  alloc(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    const at = this.used * this.size;
    if (at + this.size > this.hashes.length) {
      this.hashes = resized(this.hashes, this.hashes.length * 2);
      this.seen = resized(this.seen, this.seen.length * 2);
    }
    this.used++;
    return at;
  }
}

export class DistinctSets {
  readonly cap: number;
  /** Per slot: start of its block in its class's pool, or NONE. */
  private off = new Int32Array(0);
  /** Per slot: members held. */
  private len = new Int32Array(0);
  /** Per slot: size class. */
  private cls = new Uint8Array(0);
  private readonly pools: Pool[] = [];

  constructor(cap: number) {
    this.cap = Math.max(1, Math.floor(cap));
    for (let size = 1; ; size *= 2) {
      this.pools.push(new Pool(Math.min(size, this.cap)));
      if (size >= this.cap) break;
    }
  }

  /** Make room for slots below `slots`; existing sets are kept. */
  grow(slots: number): void {
    const n = this.off.length;
    if (slots <= n) return;
    this.off = resized(this.off, slots, NONE);
    this.len = resized(this.len, slots);
    this.cls = resized(this.cls, slots);
  }

  /** Forget slot's set. */
  clear(slot: number): void {
    const o = this.off[slot] as number;
    if (o === NONE) return;
    (this.pools[this.cls[slot] as number] as Pool).free.push(o);
    this.off[slot] = NONE;
    this.len[slot] = 0;
  }

  /** Record counterparty h seen at t. */
  add(slot: number, h: number, t: number): void {
    let o = this.off[slot] as number;
    if (o === NONE) {
      const p = this.pools[0] as Pool;
      o = p.alloc();
      p.hashes[o] = h;
      p.seen[o] = t;
      this.off[slot] = o;
      this.cls[slot] = 0;
      this.len[slot] = 1;
      return;
    }
    const c = this.cls[slot] as number;
    const p = this.pools[c] as Pool;
    const n = this.len[slot] as number;
    const hs = p.hashes;
    const ss = p.seen;
    // Membership first, on the hashes alone: a set of 64 is 256 bytes to read, not 768,
    // and the last-seen times are read only when a full set needs its oldest member.
    const end = o + n;
    for (let i = o; i < end; i++) {
      if (hs[i] === h) {
        if ((ss[i] as number) < t) ss[i] = t;
        return;
      }
    }
    if (n < p.size) {
      hs[o + n] = h;
      ss[o + n] = t;
      this.len[slot] = n + 1;
    } else if (n < this.cap) {
      // Move to the next class: the block is full but the set may grow.
      const q = this.pools[c + 1] as Pool;
      const to = q.alloc();
      // Copied element by element: set(subarray()) made two view objects per move.
      const qh = q.hashes;
      const qs = q.seen;
      for (let i = 0; i < n; i++) {
        qh[to + i] = hs[o + i] as number;
        qs[to + i] = ss[o + i] as number;
      }
      p.free.push(o);
      q.hashes[to + n] = h;
      q.seen[to + n] = t;
      this.off[slot] = to;
      this.cls[slot] = c + 1;
      this.len[slot] = n + 1;
    } else {
      let oldest = o;
      let oldestT = Infinity;
      for (let i = o; i < end; i++) {
        const s = ss[i] as number;
        if (s < oldestT) {
          oldestT = s;
          oldest = i;
        }
      }
      if (oldestT <= t) {
        hs[oldest] = h;
        ss[oldest] = t;
      }
    }
  }

  /**
   * Members last seen after `from` and not after `to` (ms). Live, nothing is
   * seen after now. A preview of an earlier moment (inspect --at) leaves out
   * members last seen later: a set keeps only each member's last sighting, so
   * one seen both before and after that moment is left out too (an
   * undercount), where counting it would count members first seen later.
   */
  countSince(slot: number, from: number, to = Infinity): number {
    const o = this.off[slot] as number;
    if (o === NONE) return 0;
    const ss = (this.pools[this.cls[slot] as number] as Pool).seen;
    const end = o + (this.len[slot] as number);
    let k = 0;
    for (let i = o; i < end; i++) {
      const s = ss[i] as number;
      if (s > from && s <= to) k++;
    }
    return k;
  }

  /** The set as interleaved [hash, lastSeen] (the snapshot format), or null. */
  export(slot: number): number[] | null {
    const o = this.off[slot] as number;
    if (o === NONE) return null;
    const p = this.pools[this.cls[slot] as number] as Pool;
    const out: number[] = [];
    for (let i = 0; i < (this.len[slot] as number); i++) out.push(p.hashes[o + i] as number, p.seen[o + i] as number);
    return out;
  }

  /** Replace slot's set with interleaved [hash, lastSeen] pairs (at most cap are kept, the first ones). */
  import(slot: number, d: readonly number[] | null): void {
    this.clear(slot);
    if (d === null) return;
    const n = Math.min(this.cap, Math.floor(d.length / 2));
    if (n === 0) return;
    let c = 0;
    while ((this.pools[c] as Pool).size < n) c++;
    const p = this.pools[c] as Pool;
    const o = p.alloc();
    for (let i = 0; i < n; i++) {
      p.hashes[o + i] = d[2 * i] as number;
      p.seen[o + i] = d[2 * i + 1] as number;
    }
    this.off[slot] = o;
    this.cls[slot] = c;
    this.len[slot] = n;
  }

  /** Typed-array bytes held (pools and per-slot arrays), for memory reports. */
  get bytes(): number {
    let b = this.off.byteLength + this.len.byteLength + this.cls.byteLength;
    for (const p of this.pools) b += p.hashes.byteLength + p.seen.byteLength;
    return b;
  }
}
