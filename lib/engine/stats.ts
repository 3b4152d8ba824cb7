/**
 * Rolling statistics: per-key sliding-window counters and bounded distinct
 * sets, kept in lru-cache tables with a hard entry limit.
 *
 * Sliding windows use the two-bucket estimator (the previous fixed bucket,
 * weighted by how much of it still lies inside the window, plus the current
 * one). It is O(1) in time and memory per window, exact within a burst, and
 * its error is bounded by one bucket's worth of the previous window's count.
 * That keeps an entry small enough for millions of tracked numbers.
 */
import { LRUCache } from 'lru-cache';
import { METRICS, type Metric, type PopulationView, type StatsView, type TableName } from './plugin.js';

export const M = METRICS.length;
const METRIC_INDEX: Record<Metric, number> = Object.fromEntries(METRICS.map((m, i) => [m, i])) as Record<Metric, number>;
export const metricIndex = (m: Metric): number => METRIC_INDEX[m];
/** Per window: [epoch, cur × M, prev × M]. */
const STRIDE = 1 + 2 * M;

/** FNV-1a, 32 bit: keys of distinct sets are stored as hashes to keep entries small. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export class Entry {
  /** First seen, ms. */
  first: number;
  /** Counters, STRIDE numbers per window of the table, grown when windows are added. */
  c: number[];
  /** Distinct set: interleaved [hash, lastSeen ms], at most cap pairs; null until used. */
  d: number[] | null = null;

  constructor(first: number, windows: number) {
    this.first = first;
    this.c = new Array<number>(windows * STRIDE).fill(0);
  }
}

/** Roll window k of an entry to time t; returns false when t lies before the previous bucket (too old to count). */
function roll(c: number[], k: number, w: number, t: number): number {
  const base = k * STRIDE;
  const e = Math.floor(t / w);
  const epoch = c[base] as number;
  if (e === epoch) return base;
  if (e > epoch) {
    if (e === epoch + 1) {
      for (let i = 1; i <= M; i++) {
        c[base + M + i] = c[base + i] as number;
        c[base + i] = 0;
      }
    } else {
      for (let i = 1; i <= 2 * M; i++) c[base + i] = 0;
    }
    c[base] = e;
    return base;
  }
  // A late event (out of order by less than one bucket) still counts, in the previous bucket.
  return e === epoch - 1 ? base + M : -1;
}

function estimate(c: number[], k: number, w: number, t: number, m: number): number {
  const base = k * STRIDE;
  if (base >= c.length) return 0;
  const e = Math.floor(t / w);
  const epoch = c[base] as number;
  const frac = (t - e * w) / w;
  if (e === epoch) return (c[base + 1 + m] as number) + (c[base + 1 + M + m] as number) * (1 - frac);
  if (e === epoch + 1) return (c[base + 1 + m] as number) * (1 - frac);
  return 0;
}

export class Table {
  readonly name: TableName;
  readonly cache: LRUCache<string, Entry>;
  /** Windows (ms) this table keeps counters for, in registration order. */
  readonly windows: number[] = [];
  /** Longest window any distinct query needs; older distinct members are dead. */
  distinctRetention = 0;
  readonly distinctCap: number;
  evictions = 0;

  constructor(name: TableName, max: number, distinctCap: number) {
    this.name = name;
    this.distinctCap = distinctCap;
    this.cache = new LRUCache<string, Entry>({
      max,
      dispose: (_v, _k, reason) => {
        if (reason === 'evict') this.evictions++;
      },
    });
  }

  /** Register a window; existing entries grow lazily. Windows are never removed while the process lives. */
  addWindow(w: number): void {
    if (!(w > 0) || this.windows.includes(w)) return;
    this.windows.push(w);
  }

  windowIndex(w: number): number {
    const ws = this.windows;
    for (let i = 0; i < ws.length; i++) if (ws[i] === w) return i;
    return -1;
  }

  get(key: string): Entry | undefined {
    return this.cache.get(key);
  }

  /** Fetch or create the entry for key, grown to the current window count. */
  touch(key: string, t: number): Entry {
    let e = this.cache.get(key);
    if (e === undefined) {
      e = new Entry(t, this.windows.length);
      this.cache.set(key, e);
    } else if (e.c.length < this.windows.length * STRIDE) {
      for (let i = e.c.length; i < this.windows.length * STRIDE; i++) e.c.push(0);
    }
    return e;
  }

  /** Add v to metric m of entry e at time t, in every window. */
  add(e: Entry, m: number, t: number, v = 1): void {
    const ws = this.windows;
    const c = e.c;
    for (let k = 0; k < ws.length; k++) {
      const base = roll(c, k, ws[k] as number, t);
      if (base >= 0) c[base + 1 + m] = (c[base + 1 + m] as number) + v;
    }
  }

  /**
   * Record counterparty h seen at t. Exact until the set holds `cap`
   * members; then the least recently seen member makes room, so recent
   * windows stay exact and long ones saturate at the cap.
   */
  addDistinct(e: Entry, h: number, t: number): void {
    let d = e.d;
    if (d === null) {
      e.d = [h, t];
      return;
    }
    let oldest = 0;
    let oldestT = Infinity;
    for (let i = 0; i < d.length; i += 2) {
      if (d[i] === h) {
        if ((d[i + 1] as number) < t) d[i + 1] = t;
        return;
      }
      const s = d[i + 1] as number;
      if (s < oldestT) {
        oldestT = s;
        oldest = i;
      }
    }
    if (d.length < this.distinctCap * 2) {
      d.push(h, t);
    } else if (oldestT <= t) {
      d[oldest] = h;
      d[oldest + 1] = t;
    }
  }

  /** Count of metric m in the current fixed bucket of window index k (after an add at the same time). */
  current(e: Entry, k: number, m: number): number {
    return (e.c[k * STRIDE + 1 + m] as number) ?? 0;
  }

  count(e: Entry | undefined, metric: Metric, w: number, t: number): number {
    if (e === undefined) return 0;
    const k = this.windowIndex(w);
    if (k < 0) return 0;
    return estimate(e.c, k, w, t, METRIC_INDEX[metric]);
  }

  distinct(e: Entry | undefined, w: number, t: number): number {
    const d = e?.d;
    if (!d) return 0;
    const from = t - w;
    let n = 0;
    for (let i = 1; i < d.length; i += 2) if ((d[i] as number) > from) n++;
    return n;
  }

  view(key: string | undefined, t: number): StatsView {
    const e = key === undefined ? undefined : this.cache.peek(key);
    return new EntryView(this).at(e, t);
  }
}

/**
 * A view on one entry at one time. The engine re-points one view per table
 * for every call instead of allocating: plugins are synchronous and must not
 * keep views beyond score().
 */
export class EntryView implements StatsView {
  private e: Entry | undefined = undefined;
  private t = 0;
  constructor(private readonly table: Table) {}
  at(e: Entry | undefined, t: number): this {
    this.e = e;
    this.t = t;
    return this;
  }
  count(metric: Metric, window: number): number {
    return this.table.count(this.e, metric, window, this.t);
  }
  distinct(window: number): number {
    return this.table.distinct(this.e, window, this.t);
  }
  get distinctCap(): number {
    return this.table.distinctCap;
  }
  get firstSeen(): number {
    return this.e ? this.e.first : NaN;
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
    if (e === this.epoch) return;
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

  weight(t: number): number {
    const e = Math.floor(t / this.w);
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
