/**
 * Rolling statistics: per-key sliding-window counters and bounded distinct
 * sets, kept in tables with a hard entry limit (least recently used keys
 * make room).
 *
 * Sliding windows use the two-bucket estimator (the previous fixed bucket,
 * weighted by how much of it still lies inside the window, plus the current
 * one). It is O(1) in time and memory per window, exact within a burst, and
 * its error is bounded by one bucket's worth of the previous window's count.
 *
 * Counters live in typed-array slabs indexed by the slot number that the
 * table's LRU index (SlotLru) maps each key to, not in an object per key:
 * millions of tracked numbers then cost a few hundred bytes each and give
 * the garbage collector almost nothing to trace.
 */
import { SlotLru } from '../cache/slot-lru.js';
import { resized } from '../cache/typed.js';
import { DistinctSets } from './distinct-sets.js';
import { METRICS, type Metric, type PopulationView, type StatsView, type TableName } from './plugin.js';

export const M = METRICS.length;
const M2 = 2 * M;
const METRIC_INDEX: Record<Metric, number> = Object.fromEntries(METRICS.map((m, i) => [m, i])) as Record<Metric, number>;
export const metricIndex = (m: Metric): number => METRIC_INDEX[m];
/** Snapshot layout of one window: [epoch, cur × M, prev × M]. */
export const STRIDE = 1 + M2;

/** FNV-1a, 32 bit: keys of distinct sets are stored as hashes to keep entries small. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A tracked key's slot in its table's slabs. */
export type Slot = number;

/** A key as a table stores it: text, or a number the engine derives (pairs; see KeyCodec). */
export type TableKey = string | number;

/**
 * How a table whose stored keys are numbers names them in text (snapshots,
 * inspection): `stored` is undefined for a text key with no stored form now,
 * `text` undefined for a stored key that no longer names anything.
 */
export interface KeyCodec {
  stored(text: string): TableKey | undefined;
  text(key: TableKey): string | undefined;
}

/** A table entry as plain data, for snapshots and tests: STRIDE numbers per window. */
export interface EntryData {
  first: number;
  c: number[];
  d: number[] | null;
}

const START_CAPACITY = 1024;
/**
 * Counters live in chunks of 2^CHUNK_BITS slots. A table that grows adds a
 * chunk and copies nothing: one slab re-allocated and copied at each doubling
 * stalled a call for 50-500 ms at a few hundred thousand keys (the copy, and
 * the collection the large allocation set off).
 */
const CHUNK_BITS = 12;

export class Table {
  readonly name: TableName;
  /** key → slot, least recently used evicted. Eviction hands the slot to the next key. */
  readonly cache: SlotLru<TableKey>;
  /** Set by the engine when this table stores derived keys; text keys pass through otherwise. */
  codec: KeyCodec | null = null;
  /** Windows (ms) this table keeps counters for, in registration order. */
  readonly windows: number[] = [];
  /** Longest window any distinct query needs; 0 when no signal reads distinct counts here. */
  distinctRetention = 0;
  readonly distinctCap: number;
  evictions = 0;

  private capacity = 0;
  /** Slots per chunk (a power of two, at most 2^CHUNK_BITS) and its shift and mask. */
  private readonly chunkBits: number;
  private readonly chunkMask: number;
  /** Counters per chunk: local slot × window × [cur M, prev M]. Float32: counts stay exact far past any window's traffic. */
  private cnt: Float32Array[] = [];
  /** Bucket epoch per chunk: local slot × window (floor(t / w)). */
  private ep: Int32Array[] = [];
  private firstSeen = new Float64Array(0);
  /** Bumped when a slot is reused, so a stale reference (a pending call) cannot write into its next owner. */
  private generation = new Uint32Array(0);
  private readonly dsets: DistinctSets;
  /** A byte per slot for the engine's own marks (the caller table marks held callers); 0 for a new key. */
  private marks = new Uint8Array(0);
  /**
   * Times of each slot's last two calls (NaN for none), for tables that keep
   * them (keepLast: the pair table, when retries are counted); null otherwise.
   */
  private lastAt: Float64Array | null = null;
  private prevAt: Float64Array | null = null;
  /**
   * Per slot, who last called it (an engine-chosen number, -1 for none) and
   * when (keepFrom: the callee table, when block callbacks are counted);
   * null otherwise.
   */
  private fromKey: Int32Array | null = null;
  private fromAt: Float64Array | null = null;
  /** Whether the last touch() created its key. */
  created = false;

  constructor(name: TableName, max: number, distinctCap: number) {
    this.name = name;
    this.distinctCap = distinctCap;
    this.dsets = new DistinctSets(distinctCap);
    this.cache = new SlotLru<TableKey>(max, START_CAPACITY);
    this.chunkBits = Math.min(CHUNK_BITS, Math.ceil(Math.log2(Math.max(2, this.cache.max))));
    this.chunkMask = (1 << this.chunkBits) - 1;
    this.cache.onEvict = (slot) => {
      this.evictions++;
      this.generation[slot] = ((this.generation[slot] as number) + 1) >>> 0;
      this.dsets.clear(slot);
      this.marks[slot] = 0;
      if (this.fromKey !== null) this.fromKey[slot] = -1;
    };
    this.cache.onGrow = (capacity) => this.grow(capacity);
    this.grow(this.cache.slots);
  }

  private get K(): number {
    return this.windows.length;
  }

  /** Cover slots below capacity: new counter chunks, and the small per-slot arrays re-allocated (copied). */
  private grow(capacity: number): void {
    const K = this.K;
    const per = 1 << this.chunkBits;
    while (this.cnt.length * per < capacity) {
      this.cnt.push(new Float32Array(per * K * M2));
      this.ep.push(new Int32Array(per * K));
    }
    this.firstSeen = resized(this.firstSeen, capacity);
    if (this.lastAt !== null) this.lastAt = resized(this.lastAt, capacity, NaN);
    if (this.prevAt !== null) this.prevAt = resized(this.prevAt, capacity, NaN);
    if (this.fromKey !== null) this.fromKey = resized(this.fromKey, capacity, -1);
    if (this.fromAt !== null) this.fromAt = resized(this.fromAt, capacity, NaN);
    this.generation = resized(this.generation, capacity);
    this.marks = resized(this.marks, capacity);
    this.dsets.grow(capacity);
    this.capacity = capacity;
  }

  /** Re-lay every chunk for one more window; existing counters are kept. */
  private addWindowSlabs(): void {
    const oldK = this.K;
    const K = oldK + 1;
    const per = 1 << this.chunkBits;
    for (let c = 0; c < this.cnt.length; c++) {
      const oc = this.cnt[c] as Float32Array;
      const oe = this.ep[c] as Int32Array;
      const cnt = new Float32Array(per * K * M2);
      const ep = new Int32Array(per * K);
      for (let s = 0; s < per; s++) {
        cnt.set(oc.subarray(s * oldK * M2, (s + 1) * oldK * M2), s * K * M2);
        ep.set(oe.subarray(s * oldK, (s + 1) * oldK), s * K);
      }
      this.cnt[c] = cnt;
      this.ep[c] = ep;
    }
  }

  /** Register a window; windows are never removed while the process lives (statistics survive reloads). */
  addWindow(w: number): void {
    if (!(w > 0) || this.windows.includes(w)) return;
    this.addWindowSlabs();
    this.windows.push(w);
  }

  windowIndex(w: number): number {
    const ws = this.windows;
    for (let i = 0; i < ws.length; i++) if (ws[i] === w) return i;
    return -1;
  }

  /** The slot for key, made most recently used. */
  get(key: string): Slot | undefined {
    const k = this.stored(key);
    if (k === undefined) return undefined;
    const s = this.cache.get(k);
    return s < 0 ? undefined : s;
  }

  /** The slot for key without touching recency (inspection). */
  peek(key: string): Slot | undefined {
    const k = this.stored(key);
    if (k === undefined) return undefined;
    const s = this.cache.peek(k);
    return s < 0 ? undefined : s;
  }

  /** Fetch or create the slot for key, most recently used. */
  /** The stored form of a text key. */
  stored(key: string): TableKey | undefined {
    return this.codec === null ? key : this.codec.stored(key);
  }

  /** The text key of a live slot (undefined for a free slot or a stored key that names nothing now). */
  keyText(slot: Slot): string | undefined {
    const k = this.cache.keyOf(slot);
    if (k === undefined) return undefined;
    return this.codec === null ? (k as string) : this.codec.text(k);
  }

  /** Keys as text with their slots, least recently used first (snapshots); stored keys that name nothing now are skipped. */
  *textEntries(): IterableIterator<[string, Slot]> {
    const keys = [...this.cache.rkeys()];
    for (const k of keys) {
      const text = this.codec === null ? (k as string) : this.codec.text(k);
      const slot = this.cache.peek(k);
      if (text !== undefined && slot >= 0) yield [text, slot];
    }
  }

  /** Fetch or create the slot for a stored key, most recently used. */
  touch(key: TableKey, t: number): Slot {
    let slot = this.cache.get(key);
    this.created = slot < 0;
    if (slot < 0) {
      slot = this.cache.insert(key);
      this.reset(slot, t);
    }
    return slot;
  }

  /** Make a slot known to be live (its generation checked by the caller) most recently used, without a key lookup. */
  hit(slot: Slot): void {
    this.created = false;
    this.cache.touchSlot(slot);
  }

  mark(slot: Slot): number {
    return this.marks[slot] as number;
  }

  setMark(slot: Slot, v: number): void {
    this.marks[slot] = v;
  }

  /** Keep each slot's last two call times from now on (16 bytes a slot); slots in use start with none. */
  keepLast(): void {
    if (this.lastAt !== null) return;
    this.lastAt = new Float64Array(this.capacity).fill(NaN);
    this.prevAt = new Float64Array(this.capacity).fill(NaN);
  }

  /** Stop keeping call times (and forget them). */
  dropLast(): void {
    this.lastAt = null;
    this.prevAt = null;
  }

  get keepsLast(): boolean {
    return this.lastAt !== null;
  }

  /** The slot's last call time (NaN for none, or when the table keeps none). */
  last(slot: Slot): number {
    return this.lastAt === null ? NaN : (this.lastAt[slot] as number);
  }

  /** The call time before the last (NaN for none). */
  prev(slot: Slot): number {
    return this.prevAt === null ? NaN : (this.prevAt[slot] as number);
  }

  /** A call at t: the last becomes the one before. */
  pushLast(slot: Slot, t: number): void {
    if (this.lastAt === null || this.prevAt === null) return;
    this.prevAt[slot] = this.lastAt[slot] as number;
    this.lastAt[slot] = t;
  }

  /** Keep who last called each slot, and when, from now on (12 bytes a slot); every slot starts with none, also when kept before. */
  keepFrom(): void {
    if (this.fromKey === null || this.fromAt === null) {
      this.fromKey = new Int32Array(this.capacity).fill(-1);
      this.fromAt = new Float64Array(this.capacity).fill(NaN);
    } else {
      this.fromKey.fill(-1);
      this.fromAt.fill(NaN);
    }
  }

  get keepsFrom(): boolean {
    return this.fromKey !== null;
  }

  /** Who last called the slot (-1 for none, or when the table keeps none). */
  from(slot: Slot): number {
    return this.fromKey === null ? -1 : (this.fromKey[slot] as number);
  }

  /** When the slot was last called by from() (NaN for never). */
  fromTime(slot: Slot): number {
    return this.fromAt === null ? NaN : (this.fromAt[slot] as number);
  }

  setFrom(slot: Slot, key: number, t: number): void {
    if (this.fromKey === null || this.fromAt === null) return;
    this.fromKey[slot] = key;
    this.fromAt[slot] = t;
  }

  /** Take back the last call (a challenged INVITE): the one before becomes the last, and `before` (the time its push had let go; NaN if unknown) the one before that. */
  popLast(slot: Slot, before = NaN): void {
    if (this.lastAt === null || this.prevAt === null) return;
    this.lastAt[slot] = this.prevAt[slot] as number;
    this.prevAt[slot] = before;
  }

  gen(slot: Slot): number {
    return this.generation[slot] as number;
  }

  /** Start a slot afresh for its key (counters, distinct set, first seen). */
  reset(slot: Slot, t: number): void {
    const K = this.K;
    const l = slot & this.chunkMask;
    (this.cnt[slot >>> this.chunkBits] as Float32Array).fill(0, l * K * M2, (l + 1) * K * M2);
    (this.ep[slot >>> this.chunkBits] as Int32Array).fill(0, l * K, (l + 1) * K);
    this.firstSeen[slot] = t;
    if (this.lastAt !== null && this.prevAt !== null) {
      this.lastAt[slot] = NaN;
      this.prevAt[slot] = NaN;
    }
    this.dsets.clear(slot);
  }

  /**
   * Start a slot afresh for a new owner of the same stored key (reset()), with
   * a new generation: references to the earlier owner's counts (its pending
   * calls) no longer write into the new owner's.
   */
  renew(slot: Slot, t: number): void {
    this.reset(slot, t);
    this.generation[slot] = ((this.generation[slot] as number) + 1) >>> 0;
  }

  first(slot: Slot): number {
    return this.firstSeen[slot] as number;
  }

  /**
   * Roll the window at ep[ei] (counters at cnt[ei × 2M]) to time t; returns
   * the offset of the bucket to add to (cur, or prev for an event less than
   * one bucket late), or -1.
   */
  private static roll(c: Float32Array, ep: Int32Array, ei: number, w: number, t: number): number {
    const base = ei * M2;
    const e = Math.floor(t / w);
    const epoch = ep[ei] as number;
    if (e === epoch) return base;
    if (e > epoch) {
      if (e === epoch + 1) c.copyWithin(base + M, base, base + M);
      else c.fill(0, base + M, base + M2);
      c.fill(0, base, base + M);
      ep[ei] = e;
      return base;
    }
    return e === epoch - 1 ? base + M : -1;
  }

  /** Add v to metric m of slot at time t, in every window. */
  add(slot: Slot, m: number, t: number, v = 1): void {
    const ws = this.windows;
    const K = ws.length;
    const c = this.cnt[slot >>> this.chunkBits] as Float32Array;
    const ep = this.ep[slot >>> this.chunkBits] as Int32Array;
    const e0 = (slot & this.chunkMask) * K;
    for (let k = 0; k < K; k++) {
      const off = Table.roll(c, ep, e0 + k, ws[k] as number, t);
      if (off >= 0) c[off + m] = (c[off + m] as number) + v;
    }
  }

  /** Count of metric m in the current fixed bucket of window index k (after an add at the same time). */
  current(slot: Slot, k: number, m: number): number {
    return (this.cnt[slot >>> this.chunkBits] as Float32Array)[((slot & this.chunkMask) * this.K + k) * M2 + m] as number;
  }

  /** Count of metric m in the fixed bucket of window index k that holds time t; NaN once that bucket has rolled out. */
  bucketCount(slot: Slot, k: number, m: number, t: number): number {
    const ei = (slot & this.chunkMask) * this.K + k;
    const e = Math.floor(t / (this.windows[k] as number));
    const epoch = (this.ep[slot >>> this.chunkBits] as Int32Array)[ei] as number;
    const c = this.cnt[slot >>> this.chunkBits] as Float32Array;
    if (e === epoch) return c[ei * M2 + m] as number;
    if (e === epoch - 1) return c[ei * M2 + M + m] as number;
    return NaN;
  }

  count(slot: Slot | undefined, metric: Metric, w: number, t: number): number {
    if (slot === undefined) return 0;
    const k = this.windowIndex(w);
    if (k < 0) return 0;
    const c = this.cnt[slot >>> this.chunkBits] as Float32Array;
    const ei = (slot & this.chunkMask) * this.K + k;
    const base = ei * M2;
    const m = METRIC_INDEX[metric];
    const e = Math.floor(t / w);
    const epoch = (this.ep[slot >>> this.chunkBits] as Int32Array)[ei] as number;
    const frac = (t - e * w) / w;
    if (e === epoch) return (c[base + m] as number) + (c[base + M + m] as number) * (1 - frac);
    if (e === epoch + 1) return (c[base + m] as number) * (1 - frac);
    return 0;
  }

  /**
   * Record counterparty h seen at t. Exact until the set holds `cap`
   * members; then the least recently seen member makes room, so recent
   * windows stay exact and long ones saturate at the cap.
   */
  addDistinct(slot: Slot, h: number, t: number): void {
    this.dsets.add(slot, h, t);
  }

  distinct(slot: Slot | undefined, w: number, t: number): number {
    return slot === undefined ? 0 : this.dsets.countSince(slot, t - w, t);
  }

  /** Plain copy of a slot (snapshot layout: per window [epoch, cur × M, prev × M]). */
  exportEntry(slot: Slot): EntryData {
    const K = this.K;
    const cnt = this.cnt[slot >>> this.chunkBits] as Float32Array;
    const ep = this.ep[slot >>> this.chunkBits] as Int32Array;
    const l = slot & this.chunkMask;
    const c: number[] = [];
    for (let k = 0; k < K; k++) {
      c.push(ep[l * K + k] as number);
      const base = (l * K + k) * M2;
      for (let j = 0; j < M2; j++) c.push(cnt[base + j] as number);
    }
    return { first: this.firstSeen[slot] as number, c, d: this.dsets.export(slot) };
  }

  /**
   * Store an entry under key (most recently used). `windows` names the
   * windows of `data.c`; windows this table does not keep are dropped.
   */
  importEntry(key: string, data: EntryData, windows: readonly number[]): void {
    const k = this.stored(key);
    if (k === undefined) return;
    const slot = this.touch(k, data.first);
    this.firstSeen[slot] = data.first;
    const K = this.K;
    const cnt = this.cnt[slot >>> this.chunkBits] as Float32Array;
    const ep = this.ep[slot >>> this.chunkBits] as Int32Array;
    const l = slot & this.chunkMask;
    for (let i = 0; i < windows.length; i++) {
      const k = this.windowIndex(windows[i] as number);
      if (k < 0) continue;
      ep[l * K + k] = data.c[i * STRIDE] as number;
      const base = (l * K + k) * M2;
      for (let j = 0; j < M2; j++) cnt[base + j] = data.c[i * STRIDE + 1 + j] as number;
    }
    this.dsets.import(slot, data.d);
  }

  view(key: string | undefined, t: number): StatsView {
    return new EntryView(this).at(key === undefined ? undefined : this.peek(key), t);
  }
}

/**
 * A view on one slot at one time. The engine re-points one view per table
 * for every call instead of allocating: plugins are synchronous and must not
 * keep views beyond score().
 */
export class EntryView implements StatsView {
  private s: Slot | undefined = undefined;
  private t = 0;
  constructor(private readonly table: Table) {}
  at(s: Slot | undefined, t: number): this {
    this.s = s;
    this.t = t;
    return this;
  }
  count(metric: Metric, window: number): number {
    return this.table.count(this.s, metric, window, this.t);
  }
  distinct(window: number): number {
    return this.table.distinct(this.s, window, this.t);
  }
  get distinctCap(): number {
    return this.table.distinctCap;
  }
  get firstSeen(): number {
    return this.s === undefined ? NaN : this.table.first(this.s);
  }
}

const HIST_BINS = 96;
/** Bin of a per-caller count: exact to 8, then quarter octaves. */
export function histBin(n: number): number {
  if (n <= 8) return n - 1;
  return Math.min(HIST_BINS - 1, 8 + Math.floor(Math.log2(n / 8) * 4));
}
/** Upper bound of the counts that fall in bin b. */
export function histUpper(b: number): number {
  if (b < 8) return b + 1;
  return Math.floor(8 * 2 ** ((b - 8 + 1) / 4));
}

/**
 * Population baseline for one window: how many attempts active callers make
 * per window. Kept exactly for the current fixed bucket (every caller's
 * count moves one bin up per attempt) and blended with the previous bucket
 * as the counters are.
 */
class PopulationWindow {
  epoch = -1;
  cur = new Float64Array(HIST_BINS);
  prev = new Float64Array(HIST_BINS);
  curAttempts = 0;
  prevAttempts = 0;
  curCallers = 0;
  prevCallers = 0;
  constructor(readonly w: number) {}

  roll(t: number): void {
    const e = Math.floor(t / this.w);
    // An earlier bucket (the wall clock stepped back under serve): keep counting in the current one;
    // starting both afresh lost the whole baseline.
    if (e <= this.epoch) return;
    if (e === this.epoch + 1) {
      [this.prev, this.cur] = [this.cur, this.prev];
      this.cur.fill(0);
      this.prevAttempts = this.curAttempts;
      this.prevCallers = this.curCallers;
    } else {
      this.cur.fill(0);
      this.prev.fill(0);
      this.prevAttempts = 0;
      this.prevCallers = 0;
    }
    this.curAttempts = 0;
    this.curCallers = 0;
    this.epoch = e;
  }

  /** A caller whose current-bucket count went from n-1 to n. */
  record(t: number, n: number): void {
    this.roll(t);
    const cur = this.cur;
    if (n > 1) cur[histBin(n - 1)] = (cur[histBin(n - 1)] as number) - 1;
    else this.curCallers++;
    cur[histBin(n)] = (cur[histBin(n)] as number) + 1;
    this.curAttempts++;
  }

  /**
   * Take back a record(): a caller whose count in the bucket holding t goes
   * from n back to n-1. Nothing once that bucket has rolled out.
   */
  unrecord(t: number, n: number): void {
    if (!(n >= 1)) return;
    const e = Math.floor(t / this.w);
    let hist: Float64Array;
    if (e === this.epoch) {
      hist = this.cur;
      this.curAttempts--;
      if (n === 1) this.curCallers--;
    } else if (e === this.epoch - 1) {
      hist = this.prev;
      this.prevAttempts--;
      if (n === 1) this.prevCallers--;
    } else {
      return;
    }
    hist[histBin(n)] = (hist[histBin(n)] as number) - 1;
    if (n > 1) hist[histBin(n - 1)] = (hist[histBin(n - 1)] as number) + 1;
  }

  weight(t: number): number {
    const e = Math.floor(t / this.w);
    // Stepped back into an earlier bucket: read as at the start of the current one.
    if (e < this.epoch && this.epoch >= 0) return 1;
    if (e !== this.epoch) return -1;
    return 1 - (t - e * this.w) / this.w;
  }
}

export class Population implements PopulationView {
  private readonly windows = new Map<number, PopulationWindow>();
  now = 0;

  addWindow(w: number): void {
    if (w > 0 && !this.windows.has(w)) this.windows.set(w, new PopulationWindow(w));
  }

  get windowList(): number[] {
    return [...this.windows.keys()];
  }

  record(w: number, t: number, n: number): void {
    this.windows.get(w)?.record(t, n);
  }

  /** Take back record(w, t, n) (see PopulationWindow.unrecord). */
  unrecord(w: number, t: number, n: number): void {
    this.windows.get(w)?.unrecord(t, n);
  }

  /** Plain data for snapshots. */
  toJSON(): unknown[] {
    return [...this.windows.values()].map((p) => ({
      now: this.now,
      w: p.w, epoch: p.epoch, cur: [...p.cur], prev: [...p.prev],
      curAttempts: p.curAttempts, prevAttempts: p.prevAttempts, curCallers: p.curCallers, prevCallers: p.prevCallers,
    }));
  }

  /** Restore windows the current rules still use; ignores anything malformed. */
  fromJSON(data: unknown): void {
    if (!Array.isArray(data)) return;
    for (const d of data as Array<Record<string, unknown>>) {
      const p = this.windows.get(Number(d?.w));
      if (!p || !Array.isArray(d.cur) || !Array.isArray(d.prev) || d.cur.length !== HIST_BINS || d.prev.length !== HIST_BINS) continue;
      this.now = Math.max(this.now, Number(d.now) || 0);
      p.epoch = Number(d.epoch);
      p.cur.set(d.cur as number[]);
      p.prev.set(d.prev as number[]);
      p.curAttempts = Number(d.curAttempts) || 0;
      p.prevAttempts = Number(d.prevAttempts) || 0;
      p.curCallers = Number(d.curCallers) || 0;
      p.prevCallers = Number(d.prevCallers) || 0;
    }
  }

  callers(window: number): number {
    const p = this.windows.get(window);
    if (!p) return 0;
    const f = p.weight(this.now);
    return f < 0 ? 0 : p.curCallers + p.prevCallers * f;
  }

  mean(window: number): number {
    const p = this.windows.get(window);
    if (!p) return 0;
    const f = p.weight(this.now);
    if (f < 0) return 0;
    const callers = p.curCallers + p.prevCallers * f;
    return callers > 0 ? (p.curAttempts + p.prevAttempts * f) / callers : 0;
  }

  quantile(q: number, window: number): number {
    const p = this.windows.get(window);
    if (!p) return 0;
    const f = p.weight(this.now);
    if (f < 0) return 0;
    let total = 0;
    for (let b = 0; b < HIST_BINS; b++) total += (p.cur[b] as number) + (p.prev[b] as number) * f;
    if (total <= 0) return 0;
    const target = q * total;
    let acc = 0;
    for (let b = 0; b < HIST_BINS; b++) {
      acc += (p.cur[b] as number) + (p.prev[b] as number) * f;
      if (acc >= target) return histUpper(b);
    }
    return histUpper(HIST_BINS - 1);
  }
}
