/**
 * The decision log: one JSON line per call, in input order. Lines are
 * batched into large writes and replay waits when the stream is full, so a
 * slow disk slows the replay instead of filling memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Decision } from '../engine/types.js';
import type { Row } from './csv.js';

export interface DecisionSink {
  write(row: Row, d: Decision): void;
  /** A promise to await before feeding more, or null when there is room. */
  ready(): Promise<void> | null;
}

/**
 * One decision as a JSON line. Keys in a fixed order: `call_id`, `action`,
 * `score`, `reasons` first (the documented contract), then context.
 */
export function decisionLine(row: Row, d: Decision): string {
  const o: Record<string, unknown> = {
    call_id: row.callId,
    action: d.action,
    score: d.score,
    reasons: d.reasons.map((r) => ({ signal: r.signal, points: r.points, detail: r.detail })),
  };
  if (d.code !== undefined) o.code = d.code;
  if (d.monitor) o.would_be = d.wouldBe;
  o.at = new Date(row.at).toISOString();
  o.caller = d.caller;
  o.callee = d.callee;
  if (row.label !== undefined) o.label = row.label;
  o.scope = d.scope;
  o.line = row.line;
  return JSON.stringify(o);
}

const CHUNK = 1 << 16;

export class DecisionLog implements DecisionSink {
  private buf = '';
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
    this.buf += decisionLine(row, d) + '\n';
    this.lines++;
    if (this.buf.length >= CHUNK) this.push();
  }

  private push(): void {
    const ok = this.out.write(this.buf);
    this.buf = '';
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
    if (this.buf.length > 0) this.push();
    if (this.waiting) await this.waiting;
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
    if (this.error) throw this.error;
  }
}
