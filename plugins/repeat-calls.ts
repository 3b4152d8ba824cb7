/**
 * Repeat calls: the same caller dialling the same callee again and again
 * (harassment, callback bait, a dialler retrying a list). Relatives redialling
 * a line nobody picks up look the same, so the default weight is modest, and
 * once the callee has answered this caller in the window the points are cut:
 * the callee evidently knows it.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import { earned, n, pct } from './_shared.js';

export interface RepeatCallsCfg {
  window: number;
  calls: number;
  weight: number;
  answered_discount: number;
}

export default definePlugin<RepeatCallsCfg>({
  name: 'repeat-calls',
  description: 'Attempts from this caller to this same callee within the window',
  schema: {
    window: duration({ default: '1h', min: '1m', description: 'How far back to look' }),
    calls: int({ default: 6, min: 2, description: 'Attempts to the same callee at which the signal fires (half the weight); all of it at twice this' }),
    weight: points({ default: 15, description: 'Points at twice the threshold; modest, because family redialling an unanswered line looks the same' }),
    answered_discount: ratio({ default: 0.5, description: 'Share of the points removed when the callee answered this caller at least once in the window (1 removes them all)' }),
  },
  needs: (cfg) => [{ table: 'pair', window: cfg.window }],
  score(ctx, cfg) {
    const s = ctx.stats.pair;
    const a = s.count('attempts', cfg.window);
    const share = ramp(a, cfg.calls);
    if (share === 0) return null;
    const base = `${n(a)} attempts to this callee in ${formatDuration(cfg.window)} (threshold ${cfg.calls})`;
    const answered = s.count('answered', cfg.window);
    if (answered > 0 && cfg.answered_discount > 0) {
      const points = earned(cfg.weight, share * (1 - cfg.answered_discount));
      if (points === 0) return null;
      return { points, detail: `${base}, ${pct(cfg.answered_discount)} off because the callee answered ${n(answered)} of them` };
    }
    return { points: earned(cfg.weight, share), detail: base };
  },
});
