/**
 * Short calls: a caller whose answered calls mostly end within seconds is
 * playing a recording people hang up on, or probing which numbers answer.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import { earned, n, pct } from './_shared.js';

export interface ShortCallsCfg {
  window: number;
  ratio: number;
  min_answered: number;
  weight: number;
}

export default definePlugin<ShortCallsCfg>({
  name: 'short-calls',
  description: "Share of the caller's answered calls shorter than the stats short-call setting",
  schema: {
    window: duration({ default: '1h', min: '1m', description: 'How far back to look' }),
    ratio: ratio({ default: 0.7, description: 'Short share of answered calls at which the signal fires (half the weight); all of it at 100%' }),
    min_answered: int({ default: 5, min: 1, description: 'Answered calls needed before judging' }),
    weight: points({ default: 30, description: 'Points when every answered call was short' }),
  },
  needs: (cfg) => [{ table: 'caller', window: cfg.window }],
  score(ctx, cfg) {
    const s = ctx.stats.caller;
    const answered = s.count('answered', cfg.window);
    if (answered < cfg.min_answered || answered <= 0) return null;
    const short = s.count('short', cfg.window);
    const r = short / answered;
    const share = ramp(r, cfg.ratio, 1);
    if (share === 0) return null;
    return {
      points: earned(cfg.weight, share),
      detail: `${n(short)} of ${n(answered)} answered calls (${pct(r)}) shorter than ${formatDuration(ctx.settings.shortCall)} in ${formatDuration(cfg.window)}, threshold ${pct(cfg.ratio)} over at least ${cfg.min_answered}`,
    };
  },
});
