/**
 * Rotating caller IDs: one source cycling through many numbers of the same
 * block (E.164 minus the last `blockDigits` digits), so that per-number
 * counters each stay small. Counting distinct callers per block sees through it.
 */
import { definePlugin, type SignalContext } from '../lib/engine/plugin.js';
import { duration, int, points } from '../lib/rules/fields.js';
import { distinctScore } from './_shared.js';

export interface RotatingCliCfg {
  window: number;
  distinct: number;
  weight: number;
}

export default definePlugin<RotatingCliCfg>({
  name: 'rotating-cli',
  description: "Distinct caller IDs seen from the caller's number block within the window",
  schema: {
    window: duration({ default: '10m', min: '1s', description: 'How far back to look' }),
    distinct: int({ default: 10, min: 2, description: 'Distinct callers in one block at which the signal fires (half the weight); all of it at twice this' }),
    weight: points({ default: 35, description: 'Points at twice the threshold and beyond' }),
  },
  needs: (cfg) => [{ table: 'block', window: cfg.window, distinct: true }],
  score(ctx, cfg) {
    if (ctx.caller.e164 === null) return null;
    return distinctScore(ctx.stats.block, cfg, words, ctx);
  },
});

/** The block is spelt out only when the signal fires, off the hot path. */
function words(d: string, ctx: SignalContext): string {
  const e164 = ctx.caller.e164 ?? '';
  const k = Math.max(0, Math.min(ctx.settings.blockDigits, e164.length - 2));
  return `${d} distinct caller IDs from block ${e164.slice(0, e164.length - k)}${'x'.repeat(k)}`;
}
