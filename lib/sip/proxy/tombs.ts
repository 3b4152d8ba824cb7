/**
 * What is left of finished transactions while they absorb retransmissions
 * (Timers I, J, K, L): a mark, or the final response to repeat, under the
 * transaction's key, kept for a fixed delay, in generations, off the JS heap.
 *
 * Why not one Map with a delete per expired key: under steady load a Map
 * that takes a key and drops its oldest for every call fills with deleted
 * entries and compacts itself, all at once, every few hundred thousand
 * inserts: 12-16 ms with the 176,000 keys of 32 s at 2,750 calls/s, during
 * which no datagram is read (measured in-process on the 2-core VM). Growing
 * to that size cost three such pauses more.
 *
 * Why not strings at all: each key was two heap strings (the key and the
 * slice that detaches it from its datagram) and each kept response one more,
 * all living 32 s: about 400,000 old-generation objects at 2,750 calls/s,
 * promoted by the scavenger and traced by every full collection (a heap
 * snapshot under sipp load). Here a key is its 52-bit hash (seeded per
 * process, see tombKey) in a typed-array index and a response is bytes in an
 * arena Buffer: a generation holds a handful of objects whatever its size.
 * Two keys sharing a hash (odds about 2^-52 × keys held, per lookup) would
 * make a new request look like a retransmission of a finished one.
 *
 * Keys go into the newest of about 17 generations, each a sixteenth of the
 * delay long and never deleted from; a whole generation is dropped when its
 * last key is due. A key is kept at least `delay` and at most `delay` plus
 * one generation; a lookup tries the generations newest first.
 */
import { randomBytes } from 'node:crypto';
import { NumIndex } from '../../cache/num-index.js';
import { textHash } from '../../cache/slot-lru.js';
import { resized } from '../../cache/typed.js';

/** A tombstone: a mark (a small positive integer of the proxy's choosing) or a response's text (latin1) to send again. */
export type TombValue = number | string;

const START = 256;

class Generation {
  readonly index = new NumIndex();
  /** Per slot: the mark, or -1 for a text kept in the arena at [off, off + len). */
  private mark = new Int32Array(START);
  private off = new Int32Array(START);
  private len = new Int32Array(START);
  private arena = Buffer.allocUnsafe(0);
  private used = 0;
  private slots = 0;
  /** Bytes of text held. */
  bytes = 0;
  constructor(readonly until: number) {}

  get size(): number {
    return this.index.size;
  }

  /** Returns the change in bytes held (a value replaced under the same hash gives its bytes back). */
  set(h: number, v: TombValue): number {
    const before = this.bytes;
    let s = this.index.get(h);
    if (s < 0) {
      s = this.slots++;
      if (s === this.mark.length) this.growSlots();
      this.index.set(h, s);
    } else if ((this.mark[s] as number) < 0) {
      this.bytes -= this.len[s] as number;
    }
    if (typeof v === 'number') {
      this.mark[s] = v;
      return this.bytes - before;
    }
    const n = Buffer.byteLength(v, 'latin1');
    if (this.used + n > this.arena.length) {
      const next = Buffer.allocUnsafe(Math.max(64 * 1024, 2 * (this.used + n)));
      this.arena.copy(next, 0, 0, this.used);
      this.arena = next;
    }
    this.arena.write(v, this.used, 'latin1');
    this.mark[s] = -1;
    this.off[s] = this.used;
    this.len[s] = n;
    this.used += n;
    this.bytes += n;
    return this.bytes - before;
  }

  get(h: number): TombValue | undefined {
    const s = this.index.get(h);
    if (s < 0) return undefined;
    const m = this.mark[s] as number;
    if (m >= 0) return m;
    const o = this.off[s] as number;
    return this.arena.toString('latin1', o, o + (this.len[s] as number));
  }

  private growSlots(): void {
    const n = this.mark.length * 2;
    this.mark = resized(this.mark, n);
    this.off = resized(this.off, n);
    this.len = resized(this.len, n);
  }
}

/**
 * The hash a key is stored under (for getHashed()): the tables' textHash,
 * started from a random state per process. Keys are chosen by whoever sends
 * the requests: with a known start, two strings that collide could be found
 * offline and made into any number of pairs, each absorbing the other's
 * request and sharing a kept response.
 */
const SEED = randomBytes(8);
const SEED_A = SEED.readInt32LE(0);
const SEED_B = SEED.readInt32LE(4);
export const tombKey = (text: string): number => textHash(text, SEED_A, SEED_B);

export class TombStore {
  /** Oldest first. */
  private gens: Generation[] = [];
  private count = 0;
  private readonly span: number;

  constructor(readonly delay: number, generations = 16) {
    this.span = Math.max(1, delay / generations);
  }

  /** Keys held (a key retired twice, in two generations, counts twice until the older goes). */
  get size(): number {
    return this.count;
  }

  /** Bytes of response text held. */
  get bytes(): number {
    let b = 0;
    for (const g of this.gens) b += g.bytes;
    return b;
  }

  /** Keep `v` under `key` from `now` for at least `delay`; returns the change in bytes of text held. */
  set(key: string, v: TombValue, now: number): number {
    let g = this.gens[this.gens.length - 1];
    // A generation takes keys for `span` ms; its drop time is its last key's due time.
    if (g === undefined || now + this.delay > g.until) {
      g = new Generation(now + this.delay + this.span);
      this.gens.push(g);
    }
    const before = g.size;
    const bytes = g.set(tombKey(key), v);
    this.count += g.size - before;
    return bytes;
  }

  /** The newest value under key, or undefined. Generations due but not yet dropped still answer (expire() drops them). */
  get(key: string): TombValue | undefined {
    return this.gens.length === 0 ? undefined : this.getHashed(tombKey(key));
  }

  /** get() by tombKey(key): one hash for a lookup in several stores. */
  getHashed(h: number): TombValue | undefined {
    const gens = this.gens;
    for (let i = gens.length - 1; i >= 0; i--) {
      const v = (gens[i] as Generation).get(h);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** When the oldest generation is due, or -1 when empty. */
  get nextDue(): number {
    return this.gens.length === 0 ? -1 : (this.gens[0] as Generation).until;
  }

  /** Drop the generations due by `now`; returns the bytes of text they held. */
  expire(now: number): number {
    let freed = 0;
    let n = 0;
    const gens = this.gens;
    while (n < gens.length && (gens[n] as Generation).until <= now) {
      const g = gens[n] as Generation;
      freed += g.bytes;
      this.count -= g.size;
      n++;
    }
    if (n > 0) gens.splice(0, n);
    return freed;
  }

  /** Drop the oldest generation whatever its time (a flood past the store's bound); returns the bytes of text it held. */
  shed(): number {
    const g = this.gens.shift();
    if (g === undefined) return 0;
    this.count -= g.size;
    return g.bytes;
  }

  clear(): void {
    this.gens = [];
    this.count = 0;
  }
}
