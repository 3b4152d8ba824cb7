/**
 * A bounded key → slot index with least-recently-used eviction, for the
 * statistics tables.
 *
 * The tables keep their counters in typed-array slabs indexed by slot, so
 * the index only has to hand out slot numbers 0..max-1 and say which slot
 * to reuse when full. Recency is a doubly linked list threaded through two
 * Int32Arrays over those same slots. lru-cache, used for this before, keeps
 * a second slot space of its own behind the same Map and spends a good part
 * of a lookup on per-call options (TTL, staleness, status); the tables are
 * looked up four or five times per INVITE, so that cost was most of the
 * engine's (see BENCHMARKS.md). Elsewhere the engine still uses lru-cache.
 *
 * Keys are found in typed-array indexes (NumIndex), not a JS Map: whole
 * numbers directly, text by a hash checked against the slot's key.
 */
import { NumIndex } from './num-index.js';
import { resized } from './typed.js';

const NONE = -1;
const NO_KEY = 0;
const NUM_KEY = 1;
const OTHER_KEY = 2;

export class SlotLru<K extends string | number = string> {
  readonly max: number;
  /** Whole-number keys: a typed-array index is several times cheaper than a Map at a million keys. */
  private readonly nums = new NumIndex();
  /**
   * Text keys by a 52-bit hash of the text, each hit checked against the
   * slot's key. A key whose hash another live key already holds goes to
   * `map` instead (so does a number NumIndex cannot hold): correct whatever
   * the hash, and at 52 bits almost never used.
   */
  private readonly texts = new NumIndex();
  private readonly map = new Map<K, number>();
  private readonly hash: (text: string) => number;
  /** The last text hashed and its hash: a lookup is mostly followed by an insert or delete of the same key. */
  private lastText: string | undefined;
  private lastHash = 0;
  /**
   * Each slot's key: numbers in a Float64Array, anything else in a JS array
   * grown only as far as such keys go. Numbers past 2^31 (E.164 digits, pair
   * keys) in a JS array were each a boxed heap number: a million-key table
   * handed the garbage collector a million more objects to trace.
   */
  private numKeys = new Float64Array(0);
  private otherKeys: (K | undefined)[] = [];
  /** Per slot: NO_KEY, NUM_KEY (in numKeys) or OTHER_KEY (in otherKeys). */
  private keyKind = new Uint8Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  /** Most recently used slot, or NONE. */
  private head = NONE;
  /** Least recently used slot, or NONE. */
  private tail = NONE;
  private capacity = 0;
  private used = 0;
  /** Slots given back by delete(), handed out again before new ones. */
  private readonly free: number[] = [];

  /** Called with a slot (and its old key) just before it is reused for another key. */
  onEvict: (slot: number, key: K) => void = () => {};
  /** Called when the slot space grows, before the new slots are handed out. */
  onGrow: (capacity: number) => void = () => {};

  /** `hash` is for tests (a weak one forces the collision path). */
  constructor(max: number, startCapacity = 1024, hash: (text: string) => number = textHash) {
    if (!(max >= 1)) throw new RangeError(`SlotLru: max must be at least 1, got ${max}`);
    this.hash = hash;
    this.max = Math.floor(max);
    this.grow(Math.min(this.max, startCapacity));
  }

  get size(): number {
    return this.nums.size + this.texts.size + this.map.size;
  }

  private find(key: K): number {
    if (typeof key === 'number') {
      if (NumIndex.fits(key)) return this.nums.get(key);
    } else {
      const s = this.texts.get(this.hashOf(key as string));
      if (s !== NONE && this.otherKeys[s] === key) return s;
    }
    if (this.map.size === 0) return NONE;
    const s = this.map.get(key);
    return s === undefined ? NONE : s;
  }

  private hashOf(text: string): number {
    if (text === this.lastText) return this.lastHash;
    const h = this.hash(text);
    this.lastText = text;
    this.lastHash = h;
    return h;
  }

  /** Index a key just written to slot s. */
  private store(key: K, s: number): void {
    if (typeof key === 'number') {
      if (NumIndex.fits(key)) return this.nums.set(key, s);
    } else {
      const h = this.hashOf(key as string);
      if (this.texts.get(h) === NONE) return this.texts.set(h, s);
    }
    this.map.set(key, s);
  }

  /** Unindex a live key (its slot still holds it). */
  private remove(key: K): void {
    if (typeof key === 'number') {
      if (NumIndex.fits(key)) {
        this.nums.delete(key);
        return;
      }
    } else {
      const h = this.hashOf(key as string);
      const s = this.texts.get(h);
      if (s !== NONE && this.otherKeys[s] === key) {
        this.texts.delete(h);
        return;
      }
    }
    this.map.delete(key);
  }

  /** Current length of the slot space (slots are below this). */
  get slots(): number {
    return this.capacity;
  }

  private grow(capacity: number): void {
    this.next = resized(this.next, capacity);
    this.prev = resized(this.prev, capacity);
    this.numKeys = resized(this.numKeys, capacity);
    this.keyKind = resized(this.keyKind, capacity);
    this.capacity = capacity;
    this.onGrow(capacity);
  }

  private unlink(s: number): void {
    const p = this.prev[s] as number;
    const n = this.next[s] as number;
    if (p === NONE) this.head = n;
    else this.next[p] = n;
    if (n === NONE) this.tail = p;
    else this.prev[n] = p;
  }

  private pushHead(s: number): void {
    this.prev[s] = NONE;
    this.next[s] = this.head;
    if (this.head === NONE) this.tail = s;
    else this.prev[this.head] = s;
    this.head = s;
  }

  /** The slot of key, made most recently used; -1 when absent. */
  get(key: K): number {
    const s = this.find(key);
    if (s === NONE) return NONE;
    if (s !== this.head) {
      this.unlink(s);
      this.pushHead(s);
    }
    return s;
  }

  /** Make a live slot most recently used (for callers that remember a key's slot). */
  touchSlot(s: number): void {
    if (s !== this.head) {
      this.unlink(s);
      this.pushHead(s);
    }
  }

  /** The slot of key without touching recency; -1 when absent. */
  peek(key: K): number {
    return this.find(key);
  }

  /**
   * A slot for a key that is not present (check with get() first), most
   * recently used. When full, the least recently used key is evicted and
   * its slot reused.
   */
  insert(key: K): number {
    let s: number;
    const freed = this.free.pop();
    if (freed !== undefined) {
      s = freed;
    } else if (this.used < this.max) {
      if (this.used === this.capacity) this.grow(Math.min(this.max, this.capacity * 2));
      s = this.used++;
    } else {
      s = this.tail;
      const old = this.keyOf(s) as K;
      this.unlink(s);
      this.remove(old);
      this.onEvict(s, old);
    }
    this.setKey(s, key);
    this.store(key, s);
    this.pushHead(s);
    return s;
  }

  /** Forget key; its slot is handed out again by a later insert(). onEvict is not called. */
  delete(key: K): boolean {
    const s = this.find(key);
    if (s === NONE) return false;
    this.unlink(s);
    this.remove(key);
    this.clearKey(s);
    this.free.push(s);
    return true;
  }

  private setKey(s: number, key: K): void {
    if (typeof key === 'number' && key === key) {
      if (this.keyKind[s] === OTHER_KEY) this.otherKeys[s] = undefined;
      this.numKeys[s] = key;
      this.keyKind[s] = NUM_KEY;
    } else {
      while (this.otherKeys.length <= s) this.otherKeys.push(undefined);
      this.otherKeys[s] = key;
      this.keyKind[s] = OTHER_KEY;
    }
  }

  private clearKey(s: number): void {
    if (this.keyKind[s] === OTHER_KEY) this.otherKeys[s] = undefined;
    this.keyKind[s] = NO_KEY;
  }

  keyOf(slot: number): K | undefined {
    const k = this.keyKind[slot];
    return k === NUM_KEY ? (this.numKeys[slot] as K) : k === OTHER_KEY ? this.otherKeys[slot] : undefined;
  }

  /** Keys, most recently used first (as lru-cache's keys()). */
  *keys(): IterableIterator<K> {
    for (let s = this.head; s !== NONE; s = this.next[s] as number) yield this.keyOf(s) as K;
  }

  /** Keys, least recently used first (as lru-cache's rkeys()): the order that restores recency when re-inserted. */
  *rkeys(): IterableIterator<K> {
    for (let s = this.tail; s !== NONE; s = this.prev[s] as number) yield this.keyOf(s) as K;
  }

  /** [key, slot], most recently used first. */
  *entries(): IterableIterator<[K, number]> {
    for (let s = this.head; s !== NONE; s = this.next[s] as number) yield [this.keyOf(s) as K, s];
  }
}

/**
 * 52 bits from two 32-bit multiplicative hashes of the UTF-16 code units
 * (FNV-1a and a murmur-style one). The start state is fixed for the tables;
 * a random one (lib/sip/proxy/tombs.ts) keeps collisions from being found
 * offline where outsiders choose the keys.
 */
export function textHash(text: string, a0 = 0x811c9dc5 | 0, b0 = 0x9747b28c | 0): number {
  let a = a0;
  let b = b0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  return (a >>> 0) * 1048576 + (b >>> 12);
}
