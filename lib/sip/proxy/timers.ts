/**
 * A hashed timer wheel for transaction timers. One interval drives every
 * timer, entries are tiny objects, and cancelling removes the entry at once
 * (so a transaction that finished is not kept alive by a 3-minute Timer C
 * still pending). Node's setTimeout would work too, but one Timeout object
 * per timer per transaction, several per call at a thousand calls a second,
 * is the kind of allocation churn that made the sip package stall.
 */

export interface TimerEntry<T> {
  owner: T;
  kind: number;
  /** Slot index, or -1 when not scheduled. */
  slot: number;
}

export class TimerWheel<T> {
  private readonly slots = new Map<number, Set<TimerEntry<T>>>();
  private cursor: number;
  private handle: NodeJS.Timeout | null = null;
  private count = 0;
  private ticking = false;

  /**
   * @param fire called for each due entry (after it is unscheduled)
   * @param resolution slot width, ms: timers fire up to this late
   * @param now monotonic clock, ms
   */
  constructor(
    private readonly fire: (owner: T, kind: number) => void,
    private readonly resolution = 10,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.cursor = Math.floor(this.now() / resolution);
  }

  get size(): number {
    return this.count;
  }

  schedule(owner: T, kind: number, delay: number): TimerEntry<T> {
    const e: TimerEntry<T> = { owner, kind, slot: -1 };
    this.place(e, delay);
    return e;
  }

  /** Re-arm an entry (cancelling it first if scheduled). */
  reschedule(e: TimerEntry<T>, delay: number): void {
    this.cancel(e);
    this.place(e, delay);
  }

  private place(e: TimerEntry<T>, delay: number): void {
    const now = this.now();
    // Idle wheel: jump the cursor to now rather than walk every empty slot since.
    if (this.handle === null && !this.ticking) this.cursor = Math.floor(now / this.resolution);
    // While a slot is being fired, new entries go to the next one (the current set is already taken).
    const first = this.ticking ? this.cursor + 1 : this.cursor;
    const slot = Math.max(first, Math.ceil((now + Math.max(0, delay)) / this.resolution));
    let set = this.slots.get(slot);
    if (set === undefined) {
      set = new Set();
      this.slots.set(slot, set);
    }
    set.add(e);
    e.slot = slot;
    this.count++;
    if (this.handle === null) {
      this.handle = setInterval(() => this.tick(), this.resolution);
      // Timers alone must not keep the process alive; the sockets do that.
      this.handle.unref();
    }
  }

  cancel(e: TimerEntry<T> | null | undefined): void {
    if (!e || e.slot < 0) return;
    const set = this.slots.get(e.slot);
    if (set?.delete(e)) {
      this.count--;
      if (set.size === 0) this.slots.delete(e.slot);
    }
    e.slot = -1;
  }

  private tick(): void {
    const target = Math.floor(this.now() / this.resolution);
    this.ticking = true;
    while (this.cursor <= target) {
      const set = this.slots.get(this.cursor);
      if (set !== undefined) {
        this.slots.delete(this.cursor);
        for (const e of set) {
          e.slot = -1;
          this.count--;
          try {
            this.fire(e.owner, e.kind);
          } catch {
            // the owner counts its own errors; one bad timer must not stop the others
          }
        }
      }
      this.cursor++;
    }
    this.ticking = false;
    if (this.count === 0 && this.handle !== null) {
      clearInterval(this.handle);
      this.handle = null;
    }
  }

  stop(): void {
    if (this.handle !== null) clearInterval(this.handle);
    this.handle = null;
    this.slots.clear();
    this.count = 0;
  }
}
