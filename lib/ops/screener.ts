/**
 * What every adapter does around the engine: time the decision, never let
 * an engine error escape (fail open or closed per rules), log one line per
 * decision, and tell the metrics. Adapters (standalone proxy, drachtio
 * middleware) hold a Screener, not the Engine directly.
 *
 * Log lines name the call `call_id`, as replay's decision log does, so one
 * query finds a call in either (the TypeScript property stays `callId`).
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.js';
import type { CallAttempt, CallOutcome, Decision } from '../engine/types.js';

/** Sink for operational events (metrics); every hook optional. */
export interface ScreenEvents {
  decision?(d: Decision, seconds: number): void;
  outcome?(o: CallOutcome, matched: boolean): void;
  responseSent?(status: number): void;
  badMessage?(kind: string): void;
  engineError?(): void;
}

export interface ScreenerOptions {
  logger?: Logger;
  events?: ScreenEvents;
  /** Mask this many trailing digits of numbers in logs (privacy); 0 for none. */
  maskDigits?: number;
}

export function maskNumber(n: string, digits: number): string {
  if (digits <= 0 || n.length <= digits) return n;
  return n.slice(0, n.length - digits) + 'x'.repeat(digits);
}

export class Screener {
  readonly engine: Engine;
  private readonly logger: Logger | undefined;
  readonly events: ScreenEvents;
  private readonly mask: number;

  constructor(engine: Engine, opts: ScreenerOptions = {}) {
    this.engine = engine;
    this.logger = opts.logger;
    this.events = opts.events ?? {};
    this.mask = opts.maskDigits ?? 0;
  }

  decide(attempt: CallAttempt): Decision {
    const t0 = process.hrtime.bigint();
    const d = this.engine.decideSafe(attempt);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (d.error !== undefined) {
      this.events.engineError?.();
      this.logger?.error({ err: d.error, call_id: attempt.callId }, 'engine error; call %s', d.action === 'reject' ? 'rejected (fail-closed)' : 'forwarded (fail-open)');
      delete d.error;
    }
    this.events.decision?.(d, seconds);
    this.logger?.info({
      call_id: d.callId,
      caller: maskNumber(d.caller, this.mask),
      callee: maskNumber(d.callee, this.mask),
      source: attempt.source,
      action: d.action,
      ...(d.wouldBe ? { wouldBe: d.wouldBe } : {}),
      score: d.score,
      ...(d.code ? { code: d.code } : {}),
      scope: d.scope,
      reasons: d.reasons.map((r) => `${r.signal} ${r.points >= 0 ? '+' : ''}${r.points}: ${r.detail}`),
    }, 'decision');
    return d;
  }

  observe(o: CallOutcome): boolean {
    let matched = false;
    try {
      matched = this.engine.observe(o);
    } catch (err) {
      this.events.engineError?.();
      this.logger?.error({ err, call_id: o.callId }, 'engine error on outcome');
    }
    this.events.outcome?.(o, matched);
    return matched;
  }
}
