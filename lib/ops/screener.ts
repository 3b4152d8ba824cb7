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
import { signedPoints } from '../engine/score.js';
import type { CallAttempt, CallOutcome, Decision } from '../engine/types.js';
import { identityDigits, maskNumber, maskText, numberVariants } from './mask.js';

export { maskNumber } from './mask.js';

/** Sink for operational events (metrics); every hook optional. */
export interface ScreenEvents {
  decision?(d: Decision, seconds: number): void;
  outcome?(o: CallOutcome, matched: boolean): void;
  responseSent?(status: number): void;
  /**
   * A call let through was forgotten before its outcome arrived (aged out or
   * pushed out of the pending table): `hangup` when it was answered and only
   * its end was missing, `final` when not even its final status came.
   */
  outcomeLost?(waitingFor: 'final' | 'hangup'): void;
  /**
   * An INVITE without the --source-header the edge should have stamped: its
   * source is the packet's (the edge), so scopes and national_formats by
   * trunk do not apply to it.
   */
  sourceHeaderMissing?(): void;
  badMessage?(kind: string): void;
  engineError?(): void;
  /** A decision's log line could not be built or written (the decision itself stood). */
  logError?(): void;
}

/**
 * For an adapter that reads the call's source from a header the edge stamps
 * (--source-header): call it for each INVITE without the header. It counts
 * the INVITE (ScreenEvents.sourceHeaderMissing) and warns at most once a
 * minute, so that an edge that stopped stamping the header, which quietly
 * turns off every scope and national format by trunk, is seen.
 */
export function sourceHeaderWatch(events: ScreenEvents, header: string, log: Logger | undefined): (at: number, fields?: Record<string, unknown>) => void {
  let logged = -Infinity;
  return (at, fields = {}) => {
    events.sourceHeaderMissing?.();
    if (at - logged < 60_000) return;
    logged = at;
    log?.warn({ header, ...fields }, `an INVITE came without ${header}: screened with the packet source, so scopes and national_formats by trunk did not apply (is the edge stamping it?); counted in ringfence_source_header_missing_total, logged at most once a minute`);
  };
}

export interface ScreenerOptions {
  logger?: Logger;
  events?: ScreenEvents;
  /** Mask this many trailing digits of numbers in logs (privacy); 0 for none. */
  maskDigits?: number;
  /**
   * Decision lines written at info whatever the logger's level (unless it is silent):
   * every call, rejects only (would-be rejects in monitor mode too), or none.
   * Absent: decision lines follow the logger's level, as any other info line.
   */
  decisionLog?: 'all' | 'rejects' | 'none';
}

/**
 * The fields of the decision log line. Names from decisionJson (snake_case,
 * those of `replay --decisions` for the same things); numbers masked, reasons
 * as one string each; `source` is the attempt's ingress peer. `presented`
 * are the call's numbers as they arrived (the decision holds the normalised
 * ones): reasons quote them too, so masking looks for those as well.
 */
export function decisionLogFields(d: Decision, source: string | undefined, maskDigits = 0, presented: readonly (string | undefined)[] = []): Record<string, unknown> {
  const j = decisionJson(d);
  const reasons = j.reasons.map((r) => `${r.signal} ${signedPoints(r.points)}: ${r.detail}`);
  // Matchers only when masking: this runs once per call.
  const ids = maskDigits > 0 ? identityDigits([...numberVariants(j.caller), ...numberVariants(j.callee), ...presented]) : [];
  return {
    call_id: j.call_id,
    caller: maskNumber(j.caller, maskDigits),
    callee: maskNumber(j.callee, maskDigits),
    source,
    action: j.action,
    ...(j.would_be ? { would_be: j.would_be } : {}),
    score: j.score,
    ...(j.code ? { code: j.code } : {}),
    ...(j.rejected_by ? { rejected_by: j.rejected_by } : {}),
    scope: j.scope,
    reasons: maskDigits > 0 ? reasons.map((r) => maskText(r, maskDigits, ids)) : reasons,
  };
}

export class Screener {
  readonly engine: Engine;
  private readonly logger: Logger | undefined;
  /** Where decision lines go: the logger, or a child of it at its own level (decisionLog). */
  private readonly decisions: Logger | undefined;
  private readonly rejectsOnly: boolean;
  readonly events: ScreenEvents;
  private readonly mask: number;

  constructor(engine: Engine, opts: ScreenerOptions = {}) {
    this.engine = engine;
    this.logger = opts.logger;
    const which = opts.decisionLog;
    this.rejectsOnly = which === 'rejects';
    this.decisions = !opts.logger || which === undefined || opts.logger.level === 'silent' ? opts.logger
      : which === 'none' ? undefined
      : opts.logger.child({}, { level: 'info' });
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
    if (this.decisions && (!this.rejectsOnly || d.action === 'reject' || d.wouldBe === 'reject')) {
      // The log line is built from what the caller sent: whatever goes wrong there must not change the decision.
      try {
        const v = attempt.callerVariants;
        this.decisions.info(decisionLogFields(d, attempt.source, this.mask, [attempt.caller, attempt.callee, v?.pai, v?.from, v?.display]), 'decision');
      } catch (err) {
        this.events.logError?.();
        this.logger?.error({ err, call_id: d.callId, action: d.action }, 'decision log line failed');
      }
    }
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

  /** A call let through that the network never got to answer (Engine#withdraw): its attempt is taken back. */
  withdraw(callId: string, at: number): boolean {
    try {
      return this.engine.withdraw(callId, at);
    } catch (err) {
      this.events.engineError?.();
      this.logger?.error({ err, call_id: callId }, 'engine error on a withdrawn call');
      return false;
    }
  }
}
