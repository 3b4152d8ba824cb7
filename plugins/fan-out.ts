/**
 * Fan-out: one caller reaching many different numbers in a short time is the
 * shape of a dialler working through a list.
 */
import { definePlugin } from '../lib/engine/plugin.js';
import { duration, int, points } from '../lib/rules/fields.js';
import { distinctScore } from './_shared.js';

export interface FanOutCfg {
  window: number;
  distinct: number;
  weight: number;
}

export default definePlugin<FanOutCfg>({
  name: 'fan-out',
  description: 'Distinct callees one caller reached within the window',
  schema: {
    window: duration({ default: '10m', min: '1s', description: 'How far back to look' }),
    distinct: int({ default: 10, min: 1, description: 'Distinct callees at which the signal fires (half the weight); all of it at twice this' }),
    weight: points({ default: 35, description: 'Points at twice the threshold and beyond' }),
  },
  needs: (cfg) => [{ table: 'caller', window: cfg.window, distinct: true }],
  score: (ctx, cfg) => distinctScore(ctx.stats.caller, cfg, words, ctx),
});

const words = (d: string): string => `${d} distinct callees`;
