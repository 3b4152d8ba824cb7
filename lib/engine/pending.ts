/**
 * Calls let through and waiting for their final response and hang-up,
 * bounded by count, oldest forgotten first.
 *
 * One row per call in typed arrays (start, answer time, the slot and
 * generation of each of its table entries) instead of an object and two
 * arrays per call: at thousands of calls per second the garbage collector
 * then has nothing to trace for them. Rows are slots of a SlotLru that is
 * only ever peeked, so its recency order is insertion order: the oldest
 * pending call, the one least likely to still get an answer, goes first.
 * (A plain Map's first key is no substitute: finding it walks every entry
 * deleted since the Map was last rehashed, which under load made each
 * eviction O(calls). lru-cache is not used either: deleting its last entry
 * clears all of its `max` slots, an O(max) pause that a map emptied and
 * refilled on every call in light traffic would pay each time.)
 */
import { resized } from '../cache/typed.js';
import { SlotLru } from '../cache/slot-lru.js';

/** `L`: what a few rows carry besides the typed columns (the engine's probe links). */
export class PendingCalls<L = unknown> {
  /** Table entries per call. */
  readonly width: number;
  evictions = 0;
  private readonly index: SlotLru<string>;
  /** INVITE time, ms. */
  at = new Float64Array(0);
  /** Answer time, ms; NaN until answered. */
  answeredAt = new Float64Array(0);
  /** Slot per table (row × width + table), -1 where the call has no entry. */
  slot = new Int32Array(0);
  /** Generation of each slot when the call started (see Table.gen). */
  gen = new Uint32Array(0);
  /** The caller counter record() added for this call's retry (Table metric index), -1 for none. */
  retry = new Int32Array(0);
  /** The pair's call time before the last that record() overwrote for this call (NaN for none): a challenge restores it. */
  pairPrev = new Float64Array(0);
  /** 1 when record() counted this call as a callback of its caller's number block. */
  blockRetry = new Uint8Array(0);
  /** Who had last called the callee before this call, and when (Table.from), for a challenge to restore. */
  fromPrev = new Int32Array(0);
  fromPrevAt = new Float64Array(0);
  /**
   * Rows that carry something more, by row (rare: a Map, not a column). A
   * row's entry is cleared when the row is given to a call, so it is bounded
   * by `max` and never outlives its call's row.
   */
  private readonly links = new Map<number, L>();

  constructor(max: number, width: number) {
    this.width = width;
    const m = Math.max(1, Math.floor(max));
    this.index = new SlotLru<string>(m, Math.min(m, 1024));
    this.index.onEvict = () => {
      this.evictions++;
    };
    this.index.onGrow = (capacity) => this.grow(capacity);
    this.grow(this.index.slots);
  }

  get max(): number {
    return this.index.max;
  }

  get size(): number {
    return this.index.size;
  }

  private grow(capacity: number): void {
    const w = this.width;
    this.at = resized(this.at, capacity);
    this.answeredAt = resized(this.answeredAt, capacity);
    this.slot = resized(this.slot, capacity * w);
    this.gen = resized(this.gen, capacity * w);
    this.retry = resized(this.retry, capacity);
    this.pairPrev = resized(this.pairPrev, capacity, NaN);
    this.blockRetry = resized(this.blockRetry, capacity);
    this.fromPrev = resized(this.fromPrev, capacity, -1);
    this.fromPrevAt = resized(this.fromPrevAt, capacity, NaN);
  }

  /**
   * The row for a new pending call, its slots set to -1. A call id already
   * pending (a retransmitted INVITE is the same call) is started afresh in
   * its row and keeps its place in the eviction order.
   */
  add(callId: string, at: number): number {
    let row = this.index.peek(callId);
    if (row < 0) row = this.index.insert(callId);
    this.at[row] = at;
    this.answeredAt[row] = NaN;
    this.retry[row] = -1;
    this.pairPrev[row] = NaN;
    this.blockRetry[row] = 0;
    this.fromPrev[row] = -1;
    this.fromPrevAt[row] = NaN;
    this.slot.fill(-1, row * this.width, (row + 1) * this.width);
    if (this.links.size !== 0) this.links.delete(row);
    return row;
  }

  /** Attach a value to a pending call's row (until the row is given to another call). */
  attach(row: number, value: L): void {
    this.links.set(row, value);
  }

  /** The value attached to a live row, if any. */
  attached(row: number): L | undefined {
    return this.links.size === 0 ? undefined : this.links.get(row);
  }

  /** The row of a pending call, or -1. */
  find(callId: string): number {
    return this.index.peek(callId);
  }

  delete(callId: string): void {
    if (this.links.size !== 0) {
      const row = this.index.peek(callId);
      if (row >= 0) this.links.delete(row);
    }
    this.index.delete(callId);
  }
}
