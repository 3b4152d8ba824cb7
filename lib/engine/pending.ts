/**
 * Calls let through and waiting for their final response and hang-up,
 * bounded by count, oldest forgotten first.
 *
 * One row per call in typed arrays (start, answer time, the slot and
 * generation of each of its table entries) behind a call-id Map, instead of
 * an object and two arrays per call: at thousands of calls per second the
 * garbage collector then has nothing to trace for them. Insertion order is
 * the eviction order: the oldest pending call is the one least likely to
 * still get an answer. It is a linked list through the rows, not the Map's
 * own order: finding a Map's first key walks over every entry deleted since
 * it was last rehashed, which under load made each eviction O(calls).
 * (lru-cache is not used here either: deleting its last entry clears all of
 * its `max` slots, an O(max) pause that a map emptied and refilled on every
 * call in light traffic would pay each time.)
 */
const NONE = -1;

export class PendingCalls {
  readonly max: number;
  /** Table entries per call. */
  readonly width: number;
  evictions = 0;
  private readonly index = new Map<string, number>();
  private readonly free: number[] = [];
  /** Call id per row, for eviction. */
  private ids: (string | undefined)[] = [];
  /** Insertion order: oldest row first. */
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private oldest = NONE;
  private newest = NONE;
  private rows = 0;
  private capacity = 0;
  /** INVITE time, ms. */
  at = new Float64Array(0);
  /** Answer time, ms; NaN until answered. */
  answeredAt = new Float64Array(0);
  /** Slot per table (row × width + table), -1 where the call has no entry. */
  slot = new Int32Array(0);
  /** Generation of each slot when the call started (see Table.gen). */
  gen = new Uint32Array(0);

  constructor(max: number, width: number) {
    this.max = Math.max(1, Math.floor(max));
    this.width = width;
    this.grow(Math.min(this.max, 1024));
  }

  get size(): number {
    return this.index.size;
  }

  private grow(capacity: number): void {
    const w = this.width;
    const at = new Float64Array(capacity);
    const answeredAt = new Float64Array(capacity);
    const slot = new Int32Array(capacity * w);
    const gen = new Uint32Array(capacity * w);
    at.set(this.at);
    answeredAt.set(this.answeredAt);
    slot.set(this.slot);
    gen.set(this.gen);
    const next = new Int32Array(capacity);
    const prev = new Int32Array(capacity);
    next.set(this.next);
    prev.set(this.prev);
    this.next = next;
    this.prev = prev;
    for (let i = this.ids.length; i < capacity; i++) this.ids.push(undefined);
    this.at = at;
    this.answeredAt = answeredAt;
    this.slot = slot;
    this.gen = gen;
    this.capacity = capacity;
  }

  /**
   * The row for a new pending call, its slots set to -1. A call id already
   * pending (a retransmitted INVITE is the same call) is started afresh in
   * its row and keeps its place in the eviction order.
   */
  add(callId: string, at: number): number {
    let row = this.index.get(callId);
    if (row === undefined) {
      if (this.index.size >= this.max && this.oldest !== NONE) {
        this.delete(this.ids[this.oldest] as string);
        this.evictions++;
      }
      row = this.free.pop();
      if (row === undefined) {
        if (this.rows === this.capacity) this.grow(Math.min(this.max, this.capacity * 2));
        row = this.rows++;
      }
      this.index.set(callId, row);
      this.ids[row] = callId;
      this.prev[row] = this.newest;
      this.next[row] = NONE;
      if (this.newest === NONE) this.oldest = row;
      else this.next[this.newest] = row;
      this.newest = row;
    }
    this.at[row] = at;
    this.answeredAt[row] = NaN;
    this.slot.fill(-1, row * this.width, (row + 1) * this.width);
    return row;
  }

  /** The row of a pending call, or -1. */
  find(callId: string): number {
    const row = this.index.get(callId);
    return row === undefined ? -1 : row;
  }

  delete(callId: string): void {
    const row = this.index.get(callId);
    if (row === undefined) return;
    this.index.delete(callId);
    this.ids[row] = undefined;
    const p = this.prev[row] as number;
    const n = this.next[row] as number;
    if (p === NONE) this.oldest = n;
    else this.next[p] = n;
    if (n === NONE) this.newest = p;
    else this.prev[n] = p;
    this.free.push(row);
  }
}
