/**
 * Short calls: a caller whose answered calls mostly end within seconds is
 * playing a recording people hang up on, or probing which numbers answer.
 *
 * `of` and `min_distinct` work as for unanswered: `of: block` pools the
 * caller IDs of one number block, `of: callee` every call to this callee, and
 * `min_distinct` waits until the record spans that many counterparties.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import {
  answeredGate, boundWords, confidenceField, distinctGate, earned, hasSubject, judged, maxAnsweredField, minDistinctField, n, pct,
  subjectField, subjectNeeds, subjectWords, type Subject,
} from './_shared.js';

export interface ShortCallsCfg {
  window: number;
  ratio: number;
  min_answered: number;
  weight: number;
  of: Subject;
  min_distinct: number;
  max_answered: number;
  confidence: number;
}

export default definePlugin<ShortCallsCfg>({
  name: 'short-calls',
  description: "Share of the caller's (or its number block's, or the callee's) answered calls shorter than the stats short-call setting",
  schema: {
    window: duration({ default: '1h', min: '1m', description: 'How far back to look' }),
    ratio: ratio({ default: 0.7, description: 'Short share of answered calls at which the signal fires (half the weight); all of it at 100%' }),
    min_answered: int({ default: 5, min: 1, description: 'Answered calls needed before judging' }),
    weight: points({ default: 30, description: 'Points when every answered call was short' }),
    of: subjectField(),
    min_distinct: minDistinctField(),
    max_answered: maxAnsweredField(),
    confidence: confidenceField(),
  },
  needs: (cfg) => subjectNeeds(cfg.of, cfg.window, cfg.min_distinct),
  score(ctx, cfg) {
    if (!hasSubject(ctx, cfg.of)) return null;
    const s = ctx.stats[cfg.of];
    const answered = s.count('answered', cfg.window);
    if (answered < cfg.min_answered || answered <= 0) return null;
    const short = s.count('short', cfg.window);
    const r = short / answered;
    const lb = judged(r, answered, cfg.confidence);
    const share = ramp(lb, cfg.ratio, 1);
    if (share === 0) return null;
    // Failures are read only when the gate is on, so the defaults read what they always did.
    if (cfg.max_answered < 1 && !answeredGate(answered, answered + s.count('failed', cfg.window), cfg.max_answered)) return null;
    const distinct = distinctGate(s, cfg.window, cfg.min_distinct);
    if (distinct < 0) return null;
    return {
      points: earned(cfg.weight, share),
      detail: subjectWords(
        ctx,
        cfg.of,
        cfg.min_distinct,
        distinct,
        `${n(short)} of ${n(answered)} answered calls (${pct(r)}${boundWords(lb, cfg.confidence)}) shorter than ${formatDuration(ctx.settings.shortCall)} in ${formatDuration(cfg.window)}, threshold ${pct(cfg.ratio)} over at least ${cfg.min_answered}`,
      ),
    };
  },
});
