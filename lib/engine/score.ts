/** From points to an action, and from reasons to the words put on the wire. */
import type { CompiledScope, RejectSpec } from './config.js';
import type { Action, Reason } from './types.js';

export function actionFor(score: number, thresholds: { tag: number; reject: number }): Action {
  if (score >= thresholds.reject) return 'reject';
  if (score >= thresholds.tag) return 'tag';
  return 'forward';
}

/**
 * How a reason says its rule (signal or list) is in monitor mode: its points
 * are reported but not counted, so it never causes the action.
 */
export const MONITOR_MARK = '(monitor) ';

/** Whether a reason comes from a monitor-only rule (see MONITOR_MARK). */
export function isMonitorReason(r: Reason): boolean {
  return r.detail.startsWith(MONITOR_MARK);
}

/** Sum of counted points, one decimal place. */
export function total(reasons: readonly Reason[], counted: readonly boolean[]): number {
  let s = 0;
  for (let i = 0; i < reasons.length; i++) if (counted[i]) s += (reasons[i] as Reason).points;
  return Math.round(s * 10) / 10;
}

/** Points as reasons show them everywhere: signed, `+0` for none (`+35`, `-40`, `+0`). */
export const signedPoints = (points: number): string => `${points >= 0 ? '+' : ''}${points}`;

/** Compact, header-safe summary: `fan-out=+50 unanswered=+30.5`. */
export function reasonsSummary(reasons: readonly Reason[]): string {
  let out = '';
  for (const r of reasons) {
    if (out) out += ' ';
    out += `${r.signal}=${signedPoints(r.points)}`;
  }
  return out;
}

/** Headers for a reject: a Reason header when the rule sets one. */
export function rejectHeaders(spec: RejectSpec): Record<string, string> | undefined {
  return spec.reasonHeader ? { Reason: spec.reasonHeader } : undefined;
}

/** Headers added to a tagged INVITE. */
export function tagHeaders(scope: CompiledScope, score: number, reasons: readonly Reason[]): Record<string, string> {
  return { [scope.tag.scoreHeader]: String(score), [scope.tag.reasonsHeader]: reasonsSummary(reasons) };
}
