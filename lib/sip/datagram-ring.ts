/**
 * A single-producer, single-consumer queue of datagrams in a
 * SharedArrayBuffer, between the main thread and the UDP I/O thread
 * (lib/sip/udp-thread.ts). One ring per direction.
 *
 * Records are [length u32][IPv4 u32][port u16][tag u16][payload], padded to
 * 4 bytes; a record that would run past the end is preceded by a wrap marker
 * and written at the start. Head and tail are byte counters that wrap at
 * 2^32; the capacity is a power of two, so `counter & mask` is a position
 * and `tail - head` the bytes in use across the wrap.
 *
 * Waking: the consumer sets `sleeping` before it waits on the tail and
 * checks the tail once more; the producer, after a batch of pushes, notifies
 * only when it sees `sleeping` set. With sequentially consistent atomics
 * either the consumer sees the new tail or the producer sees the flag, so
 * no datagram waits for the next batch, and a busy consumer costs the
 * producer no wake-up call.
 */
const HEAD = 0;
const TAIL = 1;
const SLEEPING = 2;
const DROPPED = 3;
const CTL_BYTES = 16;
const REC_HEADER = 12;
const WRAP = 0xffffffff;

/** Atomics.waitAsync (ES2024; in Node since 16), which lib ES2022 does not declare. */
interface WaitAsync {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs?: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** What pop() hands over; reused between calls (copy what you keep). */
export interface DatagramView {
  bytes: Uint8Array;
  offset: number;
  length: number;
  ip: number;
  port: number;
  tag: number;
}

export class DatagramRing {
  private readonly ctl: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly words: DataView;
  private readonly cap: number;
  private readonly mask: number;
  private readonly view: DatagramView;
  /** The record bytes as a Buffer, for copy(). */
  private readonly buf: Buffer;

  /** A buffer for a ring of `capacity` bytes of records (rounded up to a power of two). */
  static allocate(capacity: number): SharedArrayBuffer {
    let cap = 4096;
    while (cap < capacity) cap *= 2;
    return new SharedArrayBuffer(CTL_BYTES + cap);
  }

  constructor(sab: SharedArrayBuffer) {
    this.ctl = new Int32Array(sab, 0, CTL_BYTES / 4);
    this.cap = sab.byteLength - CTL_BYTES;
    if (this.cap <= 0 || (this.cap & (this.cap - 1)) !== 0) throw new Error('datagram ring: capacity must be a power of two');
    this.mask = this.cap - 1;
    this.bytes = new Uint8Array(sab, CTL_BYTES, this.cap);
    this.words = new DataView(sab, CTL_BYTES, this.cap);
    this.buf = Buffer.from(sab, CTL_BYTES, this.cap);
    this.view = { bytes: this.bytes, offset: 0, length: 0, ip: 0, port: 0, tag: 0 };
  }

  /** Largest payload a record can carry. */
  get maxPayload(): number {
    return this.cap / 2 - REC_HEADER;
  }

  /** Datagrams the producer dropped because the ring was full (or too large). */
  get dropped(): number {
    return Atomics.load(this.ctl, DROPPED);
  }

  /** Producer: queue a datagram; false (and counted as dropped) when it does not fit now. */
  push(src: Uint8Array, ip: number, port: number, tag: number): boolean {
    const len = src.length;
    const need = (REC_HEADER + len + 3) & ~3;
    const head = Atomics.load(this.ctl, HEAD);
    let tail = this.ctl[TAIL] as number; // only this side writes it
    const at = tail & this.mask;
    const toEnd = this.cap - at;
    const skip = toEnd < need ? toEnd : 0;
    if (len > this.maxPayload || ((tail - head) | 0) + skip + need > this.cap) {
      Atomics.add(this.ctl, DROPPED, 1);
      return false;
    }
    if (skip > 0) {
      this.words.setUint32(at, WRAP, true);
      tail = (tail + skip) | 0;
    }
    const p = tail & this.mask;
    this.words.setUint32(p, len, true);
    this.words.setUint32(p + 4, ip >>> 0, true);
    this.words.setUint16(p + 8, port, true);
    this.words.setUint16(p + 10, tag, true);
    this.bytes.set(src, p + REC_HEADER);
    Atomics.store(this.ctl, TAIL, (tail + need) | 0);
    return true;
  }

  /**
   * Producer: wake the consumer if it waits. Call it after a batch of
   * pushes (every push must be followed by one): a wake-up is a system
   * call on both threads, and under load the consumer is awake anyway.
   */
  notify(): void {
    if (Atomics.load(this.ctl, SLEEPING) === 1) Atomics.notify(this.ctl, TAIL);
  }

  private notifyQueued = false;
  private readonly queuedNotify = (): void => {
    this.notifyQueued = false;
    this.notify();
  };

  /**
   * Producer: one notify() for every push until `schedule` runs it (a
   * microtask: after this turn's sends; setImmediate: after every datagram
   * one poll of the event loop read).
   */
  notifySoon(schedule: (f: () => void) => unknown): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    schedule(this.queuedNotify);
  }

  /**
   * Consumer: the next datagram, or null when empty. The view stays valid
   * until the next pop() or release(), which hand its bytes back to the
   * producer: copy what you keep.
   */
  pop(): DatagramView | null {
    this.release();
    const head = this.ctl[HEAD] as number; // only this side writes it
    const tail = Atomics.load(this.ctl, TAIL);
    if (head === tail) return null;
    let p = head & this.mask;
    let skip = 0;
    let len = this.words.getUint32(p, true);
    if (len === WRAP) {
      skip = this.cap - p;
      p = 0;
      len = this.words.getUint32(0, true);
    }
    const v = this.view;
    v.offset = p + REC_HEADER;
    v.length = len;
    v.ip = this.words.getUint32(p + 4, true);
    v.port = this.words.getUint16(p + 8, true);
    v.tag = this.words.getUint16(p + 10, true);
    this.pending = (head + skip + ((REC_HEADER + len + 3) & ~3)) | 0;
    return v;
  }

  private pending: number | null = null;

  /** The payload of a popped datagram as a Buffer of its own. */
  copy(v: DatagramView): Buffer {
    const out = Buffer.allocUnsafe(v.length);
    this.buf.copy(out, 0, v.offset, v.offset + v.length);
    return out;
  }

  /** Consumer: hand the record of the last pop() back to the producer. */
  release(): void {
    if (this.pending === null) return;
    Atomics.store(this.ctl, HEAD, this.pending);
    this.pending = null;
  }

  /**
   * Consumer: hand up to `max` datagrams to `fn` in order, then give their
   * bytes back; the number handed. A view is valid only during its call.
   */
  drain(max: number, fn: (v: DatagramView) => void): number {
    let n = 0;
    try {
      for (let v = this.pop(); v !== null; v = n < max ? this.pop() : null) {
        n++;
        fn(v);
      }
    } finally {
      this.release();
    }
    return n;
  }

  /**
   * Consumer: wait for datagrams and drain them until `stopped()`, batch by
   * batch; after a full batch the event loop runs (sockets, timers) before
   * the next one.
   */
  async consume(batch: number, fn: (v: DatagramView) => void, stopped: () => boolean): Promise<void> {
    while (!stopped()) {
      await this.waitNotEmpty();
      if (stopped()) return;
      if (this.drain(batch, fn) >= batch) await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Wake a waiting consumer whatever the ring holds (so that it sees it should stop). */
  wake(): void {
    Atomics.notify(this.ctl, TAIL);
  }

  /**
   * Consumer: wait until the ring is not empty. Resolves at once when it is
   * not; otherwise when the producer notifies (or after `timeoutMs`).
   */
  async waitNotEmpty(timeoutMs = Infinity): Promise<void> {
    this.release();
    const tail = Atomics.load(this.ctl, TAIL);
    if ((this.ctl[HEAD] as number) !== tail) return;
    Atomics.store(this.ctl, SLEEPING, 1);
    try {
      // Checked again after the flag is up: a push in between is seen here or notifies.
      if (Atomics.load(this.ctl, TAIL) !== tail) return;
      const r = (Atomics as unknown as WaitAsync).waitAsync(this.ctl, TAIL, tail, timeoutMs);
      if (r.async) await r.value;
    } finally {
      Atomics.store(this.ctl, SLEEPING, 0);
    }
  }
}

/** Dotted IPv4 text → its 32-bit value (unsigned); NaN when not IPv4. */
export function ipv4ToInt(s: string): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return NaN;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else return NaN;
  }
  if (dots !== 3 || digits === 0 || part > 255) return NaN;
  return v * 256 + part;
}

/** A 32-bit value → dotted IPv4 text. */
export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
