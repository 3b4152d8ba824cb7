/**
 * What is left of finished transactions while they absorb retransmissions
 * (Timers I, J, K, L): a value under the transaction's key, kept for a fixed
 * delay, in generations.
 *
 * Why not one Map with a delete per expired key: under steady load a Map
 * that takes a key and drops its oldest for every call fills with deleted
 * entries and compacts itself, all at once, every few hundred thousand
 * inserts: 12-16 ms with the 176,000 keys of 32 s at 2,750 calls/s, during
 * which no datagram is read (measured in-process on the 2-core VM). Growing
 * to that size cost three such pauses more. Here keys go into the newest of
 * about 17 generation maps, each a sixteenth of the delay long and never
 * deleted from; a whole generation is dropped when its last key is due.
 * Each map stays small (its rehash well under a millisecond), expiry is
 * O(1) per generation, and a lookup tries the generations newest first.
 *
 * A key is kept at least `delay` and at most `delay` plus one generation.
 */
export interface TombGeneration<V> {
  /** When its last key is due: the generation is dropped then. */
  until: number;
  readonly map: Map<string, V>;
  /** weigh() of its values, summed. */
  bytes: number;
}

export class TombStore<V> {
  /** Oldest first. */
  private gens: TombGeneration<V>[] = [];
  private count = 0;
  private readonly span: number;

  constructor(
    readonly delay: number,
    /** Bytes a value holds (counted in the proxy's byte budget). */
    private readonly weigh: (v: V) => number = () => 0,
    generations = 16,
  ) {
    this.span = Math.max(1, delay / generations);
  }

  /** Keys held (a key retired twice counts twice until its older copy's generation goes). */
  get size(): number {
    return this.count;
  }

  /** Bytes of the values held. */
  get bytes(): number {
    let b = 0;
    for (const g of this.gens) b += g.bytes;
    return b;
  }

  /** Keep `v` under `key` from `now` for at least `delay`. */
  set(key: string, v: V, now: number): void {
    let g = this.gens[this.gens.length - 1];
    // A generation takes keys for `span` ms; its drop time is its last key's due time.
    if (g === undefined || now + this.delay > g.until) {
      g = { until: now + this.delay + this.span, map: new Map(), bytes: 0 };
      this.gens.push(g);
    }
    const old = g.map.get(key);
    if (old === undefined) this.count++;
    else g.bytes -= this.weigh(old);
    g.map.set(key, v);
    g.bytes += this.weigh(v);
  }

  /** The newest value under key, or undefined. Expired generations not yet dropped still answer (they are dropped by expire()). */
  get(key: string): V | undefined {
    const gens = this.gens;
    for (let i = gens.length - 1; i >= 0; i--) {
      const v = (gens[i] as TombGeneration<V>).map.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** When the oldest generation is due, or -1 when empty. */
  get nextDue(): number {
    return this.gens.length === 0 ? -1 : (this.gens[0] as TombGeneration<V>).until;
  }

  /** Drop the generations due by `now`; returns the bytes they held. */
  expire(now: number): number {
    let freed = 0;
    let n = 0;
    const gens = this.gens;
    while (n < gens.length && (gens[n] as TombGeneration<V>).until <= now) {
      const g = gens[n] as TombGeneration<V>;
      freed += g.bytes;
      this.count -= g.map.size;
      n++;
    }
    if (n > 0) gens.splice(0, n);
    return freed;
  }

  /** Drop the oldest generation whatever its time (a flood past the store's bound); returns the bytes it held. */
  shed(): number {
    const g = this.gens.shift();
    if (g === undefined) return 0;
    this.count -= g.map.size;
    return g.bytes;
  }

  clear(): void {
    this.gens = [];
    this.count = 0;
  }
}
