/**
 * Attempt rate. Three tests, each optional, and the strongest one counts:
 * - absolute: more attempts in the window than any ordinary line makes;
 * - history: a burst far above this caller's own usual rate;
 * - population: far above what nearly every other caller does right now.
 */
import { definePlugin, ramp, round1, type Score, type SignalContext } from '../lib/engine/plugin.js';
import { duration, int, num, points, formatDuration } from '../lib/rules/fields.js';
import { earned, n, hms } from './_shared.js';

export interface RateCfg {
  window: number;
  min_calls: number;
  max_calls: number;
  max_weight: number;
  history: number;
  history_factor: number;
  history_weight: number;
  population_quantile: number;
  population_factor: number;
  population_min_callers: number;
  population_weight: number;
}

function absolute(a: number, cfg: RateCfg, w: string): Score | null {
  if (cfg.max_calls <= 0 || cfg.max_weight === 0) return null;
  const share = ramp(a, cfg.max_calls);
  return share === 0 ? null : { points: earned(cfg.max_weight, share), detail: `${n(a)} attempts in ${w} (threshold ${cfg.max_calls})` };
}

function history(ctx: SignalContext, a: number, cfg: RateCfg, w: string): Score | null {
  if (cfg.history_factor <= 0 || cfg.history_weight === 0 || a < cfg.min_calls) return null;
  // A caller we have not known for longer than the window has no history to compare with.
  const age = ctx.now - ctx.stats.caller.firstSeen;
  if (!(age > cfg.window)) return null;
  // A caller younger than `history` is measured over its own lifetime, so
  // a new-ish caller's usual rate is not diluted by hours it did not exist.
  const span = Math.min(cfg.history, age);
  const past = ctx.stats.caller.count('attempts', cfg.history);
  if (past <= 0) return null;
  // (a / window) / (past / span), arranged so round numbers stay exact.
  const factor = (a * span) / (past * cfg.window);
  const share = ramp(factor, cfg.history_factor);
  if (share === 0) return null;
  return {
    points: earned(cfg.history_weight, share),
    detail: `${n(a)} attempts in ${w} is ${round1(factor)}x this caller's own rate ${
      span < cfg.history ? `since first seen ${hms(span / 1000)} ago` : `over ${formatDuration(cfg.history)}`
    } (${n(past)} attempts; threshold ${cfg.history_factor}x)`,
  };
}

function population(ctx: SignalContext, a: number, cfg: RateCfg, w: string): Score | null {
  if (cfg.population_factor <= 0 || cfg.population_weight === 0 || a < cfg.min_calls) return null;
  // A quantile over a handful of callers is noise, not a baseline.
  if (ctx.population.callers(cfg.window) < cfg.population_min_callers) return null;
  const q = ctx.population.quantile(cfg.population_quantile, cfg.window);
  if (!(q > 0)) return null;
  const factor = a / q;
  const share = ramp(factor, cfg.population_factor);
  if (share === 0) return null;
  return {
    points: earned(cfg.population_weight, share),
    detail: `${n(a)} attempts in ${w} is ${round1(factor)}x the p${round1(cfg.population_quantile * 100)} of all callers (${n(q)} attempts; threshold ${cfg.population_factor}x)`,
  };
}

export default definePlugin<RateCfg>({
  name: 'rate',
  description: "Caller's attempts in the window: absolute, versus its own history, and versus the population",
  schema: {
    window: duration({ default: '10m', min: '1s', description: 'Window whose attempts are judged' }),
    min_calls: int({ default: 5, min: 1, description: 'Attempts needed before the history and population tests judge' }),
    max_calls: int({ default: 30, min: 0, description: 'Absolute test: attempts at which it fires (half of max_weight; all at twice this); 0 turns it off' }),
    max_weight: points({ default: 40, description: 'Absolute test: points at twice max_calls' }),
    history: duration({ default: '24h', min: '1m', description: "History test: long window giving the caller's usual rate" }),
    history_factor: num({ default: 10, min: 0, description: 'History test: fires when the window rate is this many times the usual rate; 0 turns it off' }),
    history_weight: points({ default: 30, description: 'History test: points at twice history_factor' }),
    population_quantile: num({ default: 0.99, min: 0.5, max: 1, description: 'Population test: quantile of attempts per active caller used as the baseline' }),
    population_factor: num({ default: 10, min: 0, description: 'Population test: fires at this many times the baseline; 0 turns it off' }),
    population_min_callers: int({ default: 100, min: 1, description: 'Population test: active callers needed in the window for the baseline to mean anything' }),
    population_weight: points({ default: 30, description: 'Population test: points at twice population_factor' }),
  },
  needs: (cfg) => [
    { table: 'caller', window: cfg.window },
    { table: 'caller', window: cfg.history },
  ],
  score(ctx, cfg) {
    const a = ctx.stats.caller.count('attempts', cfg.window);
    const w = formatDuration(cfg.window);
    let best: Score | null = null;
    for (const s of [absolute(a, cfg, w), history(ctx, a, cfg, w), population(ctx, a, cfg, w)]) {
      if (s && (!best || s.points > best.points)) best = s;
    }
    return best;
  },
});
