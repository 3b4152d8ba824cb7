/**
 * Reputation: good behaviour earns negative points. A line whose calls are
 * mostly answered and then talked on for minutes is what a real business
 * looks like (an airline rebooking passengers, a bank calling customers),
 * even when it reaches many callees quickly; this offsets fan-out and rate.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import { earned, hms, n, pct } from './_shared.js';

export interface ReputationCfg {
  window: number;
  min_answered: number;
  ratio: number;
  min_mean_talk: number;
  weight: number;
}

export default definePlugin<ReputationCfg>({
  name: 'reputation',
  description: 'Negative points for a caller with a record of answered calls and real conversations',
  schema: {
    window: duration({ default: '24h', min: '1h', description: 'How far back the record goes' }),
    min_answered: int({ default: 10, min: 1, description: 'Answered calls needed; the score ramps to full at twice this' }),
    ratio: ratio({ default: 0.5, description: 'Answered share of completed calls needed; ramps to full at 100%' }),
    min_mean_talk: duration({ default: '1m', min: '1s', description: 'Mean talk time per answered call needed; ramps to full at twice this' }),
    weight: points({ default: -30, description: 'Points (negative) for a caller strong on all three; half of it just past the thresholds' }),
  },
  needs: (cfg) => [{ table: 'caller', window: cfg.window }],
  score(ctx, cfg) {
    const s = ctx.stats.caller;
    const answered = s.count('answered', cfg.window);
    if (answered < cfg.min_answered || answered <= 0) return null;
    const done = answered + s.count('failed', cfg.window);
    const r = answered / done;
    const meanTalk = s.count('talk', cfg.window) / answered; // seconds
    const minTalk = cfg.min_mean_talk / 1000;
    if (r < cfg.ratio || meanTalk < minTalk) return null;
    // How strongly: the mean of the three shares, each half at its threshold.
    const share = (ramp(answered, cfg.min_answered) + ramp(r, cfg.ratio, 1) + ramp(meanTalk, minTalk)) / 3;
    return {
      points: earned(cfg.weight, share),
      detail: `good record: ${n(answered)} of ${n(done)} calls answered (${pct(r)}) in ${formatDuration(cfg.window)}, mean talk ${hms(meanTalk)} (thresholds ${cfg.min_answered} answered, ${pct(cfg.ratio)}, mean talk ${formatDuration(cfg.min_mean_talk)})`,
    };
  },
});
