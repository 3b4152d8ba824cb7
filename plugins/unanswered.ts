/**
 * Unanswered ratio: a caller whose calls mostly go unanswered is dialling
 * people who do not know it (robocall lists, Wangiri sweeps).
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import { earned, n, pct } from './_shared.js';

export interface UnansweredCfg {
  window: number;
  ratio: number;
  min_calls: number;
  weight: number;
}

export default definePlugin<UnansweredCfg>({
  name: 'unanswered',
  description: "Share of the caller's completed calls that were not answered",
  schema: {
    window: duration({ default: '1h', min: '1m', description: 'How far back to look' }),
    ratio: ratio({ default: 0.8, description: 'Unanswered share at which the signal fires (half the weight); all of it at 100%' }),
    min_calls: int({ default: 5, min: 1, description: 'Completed calls (answered + failed) needed before judging; fewer says nothing' }),
    weight: points({ default: 35, description: 'Points at 100% unanswered' }),
  },
  needs: (cfg) => [{ table: 'caller', window: cfg.window }],
  score(ctx, cfg) {
    const s = ctx.stats.caller;
    const failed = s.count('failed', cfg.window);
    const done = s.count('answered', cfg.window) + failed;
    if (done < cfg.min_calls || done <= 0) return null;
    const r = failed / done;
    const share = ramp(r, cfg.ratio, 1);
    if (share === 0) return null;
    return {
      points: earned(cfg.weight, share),
      detail: `unanswered ${n(failed)} of ${n(done)} calls (${pct(r)}) in ${formatDuration(cfg.window)}, threshold ${pct(cfg.ratio)} over at least ${cfg.min_calls}`,
    };
  },
});
