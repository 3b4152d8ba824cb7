/**
 * What every adapter does around the engine: time the decision, never let
 * an engine error escape (fail open or closed per rules), log one line per
 * decision, and tell the metrics. Adapters (standalone proxy, drachtio
 * middleware) hold a Screener, not the Engine directly.
 *
 * Log lines use snake_case keys, and name a decision's fields as replay's
 * decision log does (`call_id`, `would_be`; see decisionJson), so one query
 * finds a call in either (the TypeScript properties stay camelCase).
 */
import type { Logger } from 'pino';
import { decisionJson } from '../engine/decision-json.js';
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

/**
 * The fields of the decision log line. Names from decisionJson (snake_case,
 * those of `replay --decisions` for the same things); numbers masked, reasons
 * as one string each; `source` is the attempt's ingress peer.
 */
export function decisionLogFields(d: Decision, source: string | undefined, maskDigits = 0): Record<string, unknown> {
  const j = decisionJson(d);
  return {
    call_id: j.call_id,
    caller: maskNumber(j.caller, maskDigits),
    callee: maskNumber(j.callee, maskDigits),
    source,
    action: j.action,
    ...(j.would_be ? { would_be: j.would_be } : {}),
    score: j.score,
    ...(j.code ? { code: j.code } : {}),
    scope: j.scope,
    reasons: j.reasons.map((r) => `${r.signal} ${r.points >= 0 ? '+' : ''}${r.points}: ${r.detail}`),
  };
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
    this.logger?.info(decisionLogFields(d, attempt.source, this.mask), 'decision');
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
