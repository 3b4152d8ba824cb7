/**
 * Retries: negative points for a caller that calls back the people it could
 * not reach, once or twice each, among many others. That is how a business
 * dialler works its list (a call centre, a courier, a voice OTP service
 * whose user asks again); one-ring bait and robocall campaigns move on to
 * fresh numbers instead. Calling the same few people over and over is not
 * this (`repeats`, and the repeat-calls signal).
 *
 * It can waive a hold: a held caller's calls are rejected and leave no
 * outcome, so retries, counted on every call, rejected ones included, are the
 * one thing a held business still shows.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { bool, duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import { atLeast, earned, n, pct } from './_shared.js';

export interface RetriesCfg {
  window: number;
  min_retries: number;
  ratio: number;
  min_callees: number;
  max_repeats: number;
  weight: number;
  waive_hold: boolean;
}

export default definePlugin<RetriesCfg>({
  name: 'retries',
  description: "Negative points for a caller that calls back callees it could not reach (a dialler working its list), spread over many callees",
  schema: {
    window: duration({ default: '3h', min: '1m', description: 'How far back to look' }),
    min_retries: int({ default: 3, min: 1, description: 'Retries needed (calls to a callee called less than stats.retry_window before); half the weight here, all of it at twice this' }),
    ratio: ratio({ default: 0.1, description: 'Share of the calls that are retries needed; ramps to full at twice this' }),
    min_callees: int({ default: 5, min: 1, description: 'Distinct callees in the window needed, so calling back one or two people is not a business' }),
    max_repeats: ratio({ default: 0.2, description: 'Most repeats (calls to a callee called twice or more within stats.retry_window before) allowed, as a share of the retries' }),
    weight: points({ default: -50, description: 'Points (negative) for a caller strong on both shares; half of it just past the thresholds' }),
    waive_hold: bool({ default: true, description: 'When it fires for a caller on hold, the call is scored on its signals instead of rejected on the hold' }),
  },
  needs: (cfg) => [{ table: 'caller', window: cfg.window, distinct: true, retries: true }],
  waivesHold: (cfg) => cfg.waive_hold,
  score(ctx, cfg) {
    const s = ctx.stats.caller;
    const retries = s.count('retries', cfg.window);
    if (!(retries >= cfg.min_retries)) return null;
    const attempts = s.count('attempts', cfg.window);
    const r = attempts > 0 ? retries / attempts : 0;
    if (r < cfg.ratio) return null;
    const repeats = s.count('repeats', cfg.window);
    if (repeats > cfg.max_repeats * retries) return null;
    const callees = s.distinct(cfg.window);
    if (callees < cfg.min_callees) return null;
    const share = (ramp(retries, cfg.min_retries) + ramp(r, cfg.ratio)) / 2;
    const points = earned(cfg.weight, share);
    if (points === 0) return null;
    return {
      points,
      detail: `calls back callees it could not reach: ${n(retries)} of ${n(attempts)} calls (${pct(r)}) in ${formatDuration(cfg.window)} went again to a callee called less than ${formatDuration(ctx.settings.retryWindow)} before, among ${atLeast(callees, s.distinctCap)} callees, ${n(repeats)} to one called twice already (thresholds ${cfg.min_retries} retries, ${pct(cfg.ratio)}, ${cfg.min_callees} callees)`,
    };
  },
});
