/**
 * Calls the middleware let through and is waiting to hear about: the final
 * status (from the proxy result or a CDR) and, for answered calls, the
 * hang-up (CDR stop). Several sources report the same event (drachtio-server
 * writes a CDR per proxy leg, and the proxy result repeats the final status),
 * so the first report of each event wins and later ones are ignored.
 *
 * Bounded and expiring without timers: entries sit in a Map in arrival order,
 * so expiry pops from the front and the size cap evicts the oldest. An outcome
 * that never comes costs one slot until the entry ages out or is pushed out.
 */
import type { CallOutcome } from '../engine/types.js';

interface Pending {
  at: number;
  /** The caller's From tag, when the INVITE had one: reports about another INVITE with the same Call-ID carry another. */
  tag?: string;
  status?: number;
  answeredAt?: number;
  /** A hang-up reported before the answer (both can arrive in one read; see ended()). */
  endedAt?: number;
}

export type DropReason = 'expired' | 'evicted';

export interface PendingCallsOptions {
  max: number;
  ttlMs: number;
  onOutcome(o: CallOutcome): void;
  /** `answered`: the call was answered and only its hang-up was awaited. */
  onDrop?(callId: string, why: DropReason, answered: boolean): void;
}

export class PendingCalls {
  private readonly calls = new Map<string, Pending>();
  private readonly max: number;
  private readonly ttl: number;
  private readonly opts: PendingCallsOptions;
  /** Counters for logs and tests. */
  readonly counts = { added: 0, outcomes: 0, hangups: 0, expired: 0, evicted: 0, answeredDropped: 0 };

  constructor(opts: PendingCallsOptions) {
    this.opts = opts;
    this.max = Math.max(1, Math.floor(opts.max));
    this.ttl = Math.max(0, opts.ttlMs);
  }

  get size(): number {
    return this.calls.size;
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  /**
   * Start waiting for a call; a Call-ID already waiting keeps its first entry.
   * Returns whether this call is now waited for.
   */
  add(callId: string, at: number, tag?: string): boolean {
    this.sweep(at);
    if (this.calls.has(callId)) return false;
    while (this.calls.size >= this.max) {
      const oldest = this.calls.keys().next().value;
      if (oldest === undefined) break;
      this.drop(oldest, 'evicted');
    }
    this.calls.set(callId, tag === undefined ? { at } : { at, tag });
    this.counts.added++;
    return true;
  }

  /**
   * Whether a message about `callId` (a CDR's response or BYE) belongs to the
   * call waited for: the caller's From tag is its From tag (responses) or its
   * To tag (a BYE from the callee). Unknown tags on either side match.
   */
  owns(callId: string, tags: readonly (string | undefined)[]): boolean {
    const c = this.calls.get(callId);
    if (c === undefined) return false;
    if (c.tag === undefined || tags.every((t) => t === undefined)) return true;
    return tags.includes(c.tag);
  }

  /**
   * Drop entries older than the TTL. Arrival order means the scan stops at
   * the first young entry (a clock step backwards only delays expiry).
   */
  sweep(now: number): void {
    for (const [id, c] of this.calls) {
      if (now - c.at <= this.ttl) break;
      this.drop(id, 'expired');
    }
  }

  /**
   * The INVITE's final status. 2xx marks the call answered at `at` and keeps
   * waiting for the hang-up; 3xx-6xx finishes it. Returns whether it counted.
   */
  final(callId: string, status: number, at: number): boolean {
    const c = this.live(callId, at);
    if (c === undefined || c.status !== undefined || !(status >= 200)) return false;
    c.status = status;
    if (status >= 300) {
      this.calls.delete(callId);
      this.emit({ callId, at, status });
      return true;
    }
    // An answer can only precede the hang-up, whatever order the reports came in.
    const answeredAt = c.endedAt === undefined ? at : Math.min(at, c.endedAt);
    c.answeredAt = answeredAt;
    this.emit({ callId, at: answeredAt, status });
    if (c.endedAt !== undefined) this.finish(callId, c.endedAt);
    return true;
  }

  /**
   * The answered call ended at `at`. A hang-up reported before the answer is
   * held until the answer arrives: drachtio-agent handles every message of a
   * socket read synchronously, while the proxy result settles a Promise
   * afterwards, so a cdr:stop read together with the proxy's 'done' is seen first.
   */
  ended(callId: string, at: number): boolean {
    const c = this.live(callId, at);
    if (c === undefined) return false;
    if (c.answeredAt === undefined) {
      c.endedAt ??= at;
      return false;
    }
    this.finish(callId, at);
    return true;
  }

  private finish(callId: string, at: number): void {
    this.calls.delete(callId);
    this.counts.hangups++;
    this.emit({ callId, at, endedAt: at });
  }

  /** Forget a call without an outcome (its proxying failed). */
  forget(callId: string): void {
    this.calls.delete(callId);
  }

  clear(): void {
    this.calls.clear();
  }

  private live(callId: string, at: number): Pending | undefined {
    const c = this.calls.get(callId);
    if (c === undefined) return undefined;
    if (at - c.at > this.ttl) {
      this.drop(callId, 'expired');
      return undefined;
    }
    return c;
  }

  private drop(callId: string, why: DropReason): void {
    const answered = this.calls.get(callId)?.answeredAt !== undefined;
    this.calls.delete(callId);
    this.counts[why]++;
    if (answered) this.counts.answeredDropped++;
    this.opts.onDrop?.(callId, why, answered);
  }

  private emit(o: CallOutcome): void {
    this.counts.outcomes++;
    this.opts.onOutcome(o);
  }
}
