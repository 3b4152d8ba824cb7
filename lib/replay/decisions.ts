/**
 * The decision log: one JSON line per call, in input order. Lines are
 * batched into large writes and replay waits when the stream is full, so a
 * slow disk slows the replay instead of filling memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DECISION_KEYS as K } from '../engine/decision-json.js';
import type { Decision, Reason } from '../engine/types.js';
import type { Row } from './csv.js';

export interface DecisionSink {
  write(row: Row, d: Decision): void;
  /** A promise to await before feeding more, or null when there is room. */
  ready(): Promise<void> | null;
}

/**
 * One decision as a JSON line. Keys in a fixed order: `call_id`, `action`,
 * `score`, `reasons` first (the documented contract), then context. A
 * decision's fields are named by DECISION_KEYS, as in the decision log line
 * and /inspect; `at`, `label` and `line` are the CSV row's.
 */
export function decisionLine(row: Row, d: Decision): string {
  const w = scratch;
  w.pos = 0;
  w.decision(row, d);
  return w.buf.toString('utf8', 0, w.pos);
}

/**
 * JSON lines written as bytes into a buffer: no object, string or
 * JSON.stringify per decision (with those, the log took longer than the rest
 * of a replay). The bytes are those JSON.stringify gives for the decision as
 * an object: a key whose value is undefined is left out, a non-finite number
 * is null, a string with anything to escape or beyond ASCII goes through
 * JSON.stringify, and any other kind of value too.
 */
class LineWriter {
  buf: Buffer;
  pos = 0;
  /** No member written yet in the object being written (no comma before the next). */
  private first = true;

  constructor(private readonly size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** The bytes so far, and a fresh buffer: the stream keeps what it is given until written. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    return out;
  }

  /** The decision and a line break. */
  line(row: Row, d: Decision): void {
    this.decision(row, d);
    this.byte(10);
  }

  decision(row: Row, d: Decision): void {
    this.open();
    this.member(K.callId, row.callId);
    this.member(K.action, d.action);
    this.member(K.score, d.score);
    this.key(K.reasons);
    this.byte(91);
    const rs = d.reasons;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i] as Reason;
      if (i > 0) this.byte(44);
      this.open();
      this.member('signal', r.signal);
      this.member('points', r.points);
      this.member('detail', r.detail);
      this.byte(125);
    }
    this.byte(93);
    this.first = false;
    if (d.code !== undefined) this.member(K.code, d.code);
    if (d.rejectedBy !== undefined) this.member(K.rejectedBy, d.rejectedBy);
    if (d.monitor) this.member(K.wouldBe, d.wouldBe);
    this.key('at');
    this.time(row.at);
    this.member(K.caller, d.caller);
    this.member(K.callee, d.callee);
    if (row.label !== undefined) this.member('label', row.label);
    this.member(K.scope, d.scope);
    this.member('line', row.line);
    this.byte(125);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }

  private byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  private open(): void {
    this.byte(123);
    this.first = true;
  }

  /** `,"key":` (no comma for the first member). Keys are plain ASCII. */
  private key(k: string): void {
    this.room(k.length + 4);
    const b = this.buf;
    let p = this.pos;
    if (!this.first) b[p++] = 44;
    this.first = false;
    b[p++] = 34;
    for (let i = 0; i < k.length; i++) b[p++] = k.charCodeAt(i);
    b[p++] = 34;
    b[p++] = 58;
    this.pos = p;
  }

  private member(k: string, v: unknown): void {
    if (typeof v === 'string') {
      this.key(k);
      this.string(v);
    } else if (typeof v === 'number') {
      this.key(k);
      this.number(v);
    } else {
      const j = JSON.stringify(v);
      if (j === undefined) return; // undefined, a function: JSON leaves the key out
      this.key(k);
      this.utf8(j);
    }
  }

  private string(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c === 34 || c === 92 || c > 126) {
        this.utf8(JSON.stringify(s));
        return;
      }
      b[p++] = c;
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** Text already in JSON form, as UTF-8. */
  private utf8(j: string): void {
    this.room(j.length * 3);
    this.pos += this.buf.write(j, this.pos);
  }

  private number(v: number): void {
    if (!Number.isFinite(v)) return this.ascii('null');
    if (!Number.isInteger(v) || v <= -1e15 || v >= 1e15) return this.ascii(String(v));
    this.room(17);
    if (v < 0) {
      this.buf[this.pos++] = 45;
      v = -v;
    }
    let n = 1;
    for (let x = 10; x <= v; x *= 10) n++;
    this.digits(v, n);
  }

  /** `v` in exactly `n` digits, zero-padded. */
  private digits(v: number, n: number): void {
    const b = this.buf;
    let p = this.pos + n;
    this.pos = p;
    for (let i = 0; i < n; i++) {
      const q = Math.floor(v / 10);
      b[--p] = 48 + v - q * 10;
      v = q;
    }
  }

  private ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  // The date part of the last day written: replay's times come in order, so a day is formatted once.
  private day = NaN;
  private dayPrefix = '';

  /** new Date(ms).toISOString() as a JSON string, with the date part cached and the time of day in digits. */
  private time(ms: number): void {
    // Whole milliseconds in years 0000-9999 (toISOString's four-digit years); anything else as Date does it.
    if (!Number.isInteger(ms) || ms < -62_167_219_200_000 || ms >= 253_402_300_800_000) return this.string(new Date(ms).toISOString());
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.dayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    }
    let t = ms - day * 86_400_000;
    const h = Math.floor(t / 3_600_000);
    t -= h * 3_600_000;
    const m = Math.floor(t / 60_000);
    t -= m * 60_000;
    const sec = Math.floor(t / 1000);
    this.byte(34);
    this.ascii(this.dayPrefix);
    this.room(14);
    const b = this.buf;
    this.digits(h, 2);
    b[this.pos++] = 58;
    this.digits(m, 2);
    b[this.pos++] = 58;
    this.digits(sec, 2);
    b[this.pos++] = 46;
    this.digits(t - sec * 1000, 3);
    b[this.pos++] = 90;
    b[this.pos++] = 34;
  }
}

const scratch = new LineWriter(1024);

const CHUNK = 1 << 16;

export class DecisionLog implements DecisionSink {
  private readonly w = new LineWriter(2 * CHUNK);
  private waiting: Promise<void> | null = null;
  lines = 0;
  private error: Error | null = null;

  constructor(private readonly out: Writable) {
    // Kept, not thrown from an event: the next write() raises it inside replay's await chain.
    out.on('error', (e: Error) => {
      this.error ??= e;
    });
  }

  static toFile(path: string): DecisionLog {
    return new DecisionLog(createWriteStream(path));
  }

  write(row: Row, d: Decision): void {
    if (this.error) throw this.error;
    const w = this.w;
    const start = w.pos;
    try {
      w.line(row, d);
    } catch (err) {
      w.pos = start; // no half line left behind
      throw err;
    }
    this.lines++;
    if (w.pos >= CHUNK) this.push();
  }

  private push(): void {
    const ok = this.out.write(this.w.take());
    if (!ok && this.waiting === null) {
      this.waiting = once(this.out, 'drain').then(() => {
        this.waiting = null;
      });
    }
  }

  ready(): Promise<void> | null {
    return this.waiting;
  }

  /** Flush and close the stream; resolves once the data is written. */
  async close(): Promise<void> {
    if (this.error) throw this.error;
    if (this.w.pos > 0) this.push();
    if (this.waiting) await this.waiting;
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
    if (this.error) throw this.error;
  }
}
