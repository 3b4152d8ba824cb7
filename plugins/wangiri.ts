/**
 * Wangiri ("one ring and cut"): the caller lets each number ring briefly and
 * hangs up, hoping the callee rings back a premium-rate number. The mark is
 * many quick failures, making up most of the caller's completed calls, spread
 * over many callees.
 *
 * A busy line, a switched-off phone or a failing route also fails fast, and
 * someone redialling a few relatives through an outage can collect many quick
 * failures. Bait is the caller hanging up itself (CANCEL, 487) after a ring or
 * two; `cancelled_only` counts only those.
 *
 * `of: block` pools the calls of every caller ID in the caller's number block:
 * a campaign that rotates its bait through a range uses each number a few
 * times, fewer than `min_quick`, and is seen only as a block. The block keeps
 * no callee set; `min_distinct` asks for that many distinct caller IDs, so one
 * caller's own calls seen again through its block are not a rotation.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { bool, duration, int, oneOf, points, ratio, formatDuration } from '../lib/rules/fields.js';
import { atLeast, distinctGate, earned, hasSubject, minDistinctField, n, pct, subjectNeeds, subjectWords } from './_shared.js';

export interface WangiriCfg {
  window: number;
  min_quick: number;
  ratio: number;
  min_callees: number;
  weight: number;
  cancelled_only: boolean;
  of: 'caller' | 'block';
  min_distinct: number;
}

export default definePlugin<WangiriCfg>({
  name: 'wangiri',
  description: 'One-ring bait: many calls that rang only briefly and were dropped, across many callees',
  schema: {
    window: duration({ default: '1h', min: '1m', description: 'How far back to look' }),
    min_quick: int({ default: 5, min: 1, description: 'Quick (one-ring) failures needed; the count half of the score ramps to twice this' }),
    ratio: ratio({ default: 0.6, description: 'Quick share of completed calls (answered + failed) needed; the ratio half of the score ramps to 100%' }),
    min_callees: int({ default: 5, min: 1, description: 'Distinct callees needed in the window, so one person ringing a busy line is not a campaign (of: caller; a block keeps no callee set)' }),
    weight: points({ default: 60, description: 'Points when both the count and the ratio are at full strength' }),
    cancelled_only: bool({
      default: false,
      description: 'Count only quick failures the caller cancelled (487): busy, switched-off and network failures fail fast too but are not bait',
    }),
    of: oneOf(['caller', 'block'] as const, {
      default: 'caller',
      description: "Whose calls are judged: the caller, or every caller ID of its number block (bait rotated through a range)",
    }),
    min_distinct: minDistinctField(),
  },
  needs: (cfg) => (cfg.of === 'caller' ? [{ table: 'caller', window: cfg.window, distinct: true }] : subjectNeeds('block', cfg.window, cfg.min_distinct)),
  score(ctx, cfg) {
    if (!hasSubject(ctx, cfg.of)) return null;
    const s = ctx.stats[cfg.of];
    // Counters do not pair facts per call, so with cancelled_only count the
    // calls that must have been both quick and cancelled: quick + cancelled -
    // failed (a lower bound; exact when every failure is one or the other).
    const quick = cfg.cancelled_only
      ? Math.max(0, s.count('quick', cfg.window) + s.count('cancelled', cfg.window) - s.count('failed', cfg.window))
      : s.count('quick', cfg.window);
    if (quick < cfg.min_quick || quick <= 0) return null;
    // Against completed calls, not failures only: a caller whose few failures
    // are all quick but who is mostly answered is not baiting anyone.
    const done = s.count('answered', cfg.window) + s.count('failed', cfg.window);
    const r = done > 0 ? Math.min(1, quick / done) : 1;
    if (r < cfg.ratio) return null;
    const callees = cfg.of === 'caller' ? s.distinct(cfg.window) : 0;
    if (cfg.of === 'caller' && callees < cfg.min_callees) return null;
    const distinct = distinctGate(s, cfg.window, cfg.min_distinct);
    if (distinct < 0) return null;
    const share = (ramp(quick, cfg.min_quick) + ramp(r, cfg.ratio, 1)) / 2;
    const what = `${n(quick)} of ${n(done)} calls (${pct(r)}) rang under ${formatDuration(ctx.settings.quickRing)} then ${!cfg.cancelled_only ? 'dropped' : ctx.cancels ? 'the caller hung up' : 'went unanswered'}`;
    return {
      points: earned(cfg.weight, share),
      detail:
        cfg.of === 'caller'
          ? `${what}; ${atLeast(callees, s.distinctCap)} distinct callees rung in ${formatDuration(cfg.window)}, this call included (threshold ${cfg.min_quick} calls, ${pct(cfg.ratio)}, ${cfg.min_callees} callees)`
          : subjectWords(ctx, cfg.of, cfg.min_distinct, distinct, `${what} in ${formatDuration(cfg.window)} (threshold ${cfg.min_quick} calls, ${pct(cfg.ratio)})`),
    };
  },
});
