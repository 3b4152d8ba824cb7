/**
 * Fan-in: many different callers reaching one callee in a short time. The
 * evidence is about the callee (targeted by a campaign, or a number that was
 * leaked or published); the points still land on this call, so keep the
 * weight lower than fan-out's.
 */
import { definePlugin } from '../lib/engine/plugin.js';
import { duration, int, points } from '../lib/rules/fields.js';
import { distinctScore } from './_shared.js';

export interface FanInCfg {
  window: number;
  distinct: number;
  weight: number;
}

export default definePlugin<FanInCfg>({
  name: 'fan-in',
  description: 'Distinct callers that reached this callee within the window (the callee is being targeted)',
  schema: {
    window: duration({ default: '10m', min: '1s', description: 'How far back to look' }),
    distinct: int({ default: 10, min: 1, description: 'Distinct callers at which the signal fires (half the weight); all of it at twice this' }),
    weight: points({ default: 20, description: 'Points at twice the threshold and beyond' }),
  },
  needs: (cfg) => [{ table: 'callee', window: cfg.window, distinct: true }],
  score: (ctx, cfg) => distinctScore(ctx.stats.callee, cfg, words, ctx),
});

const words = (d: string): string => `callee targeted: ${d} distinct callers to this callee`;
