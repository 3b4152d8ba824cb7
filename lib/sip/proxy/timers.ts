/**
 * A hashed timer wheel for transaction timers. One interval drives every
 * timer, entries are tiny objects, and cancelling removes the entry at once
 * (so a transaction that finished is not kept alive by a 3-minute Timer C
 * still pending). Node's setTimeout would work too, but one Timeout object
 * per timer per transaction, several per call at a thousand calls a second,
 * is the kind of allocation churn that made the sip package stall.
 *
 * Each slot is a plain array and an entry knows its index in it, so cancel
 * is a swap with the last element: no Set per slot (a Set insert also gives
 * every new entry an identity hash, an allocation of its own).
 */

export interface TimerEntry<T> {
  owner: T;
  kind: number;
  /** Slot index, or -1 when not scheduled. */
  slot: number;
  /** Position in the slot's array. */
  index: number;
}

export class TimerWheel<T> {
  private readonly slots = new Map<number, TimerEntry<T>[]>();
  private cursor: number;
  private handle: NodeJS.Timeout | null = null;
  private count = 0;
  private ticking = false;
  /** The slot whose entries tick() is firing, or -1. */
  private firing = -1;

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
    const e: TimerEntry<T> = { owner, kind, slot: -1, index: -1 };
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
    let list = this.slots.get(slot);
    if (list === undefined) {
      list = [];
      this.slots.set(slot, list);
    }
    e.index = list.length;
    list.push(e);
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
    if (e.slot === this.firing) {
      // In the slot being fired (taken out of the map): tick() skips it.
      this.count--;
    } else {
      const list = this.slots.get(e.slot);
      if (list !== undefined && list[e.index] === e) {
        // Swap-remove: the last entry takes this one's place.
        const last = list.pop() as TimerEntry<T>;
        if (last !== e) {
          list[e.index] = last;
          last.index = e.index;
        }
        this.count--;
        if (list.length === 0) this.slots.delete(e.slot);
      }
    }
    e.slot = -1;
    e.index = -1;
  }

  private tick(): void {
    const target = Math.floor(this.now() / this.resolution);
    this.ticking = true;
    while (this.cursor <= target) {
      const list = this.slots.get(this.cursor);
      if (list !== undefined) {
        this.slots.delete(this.cursor);
        this.firing = this.cursor;
        for (let i = 0; i < list.length; i++) {
          const e = list[i] as TimerEntry<T>;
          // Cancelled or moved by an earlier timer of this slot.
          if (e.slot !== this.firing) continue;
          e.slot = -1;
          e.index = -1;
          this.count--;
          try {
            this.fire(e.owner, e.kind);
          } catch {
            // the owner counts its own errors; one bad timer must not stop the others
          }
        }
        this.firing = -1;
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
