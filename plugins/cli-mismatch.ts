/**
 * Caller identities that disagree: P-Asserted-Identity (set by the
 * originating network) and From (set by the caller) naming different
 * countries, or one home and the other foreign, is how a foreign call
 * dresses itself up as a local one.
 */
import { definePlugin, type SignalContext } from '../lib/engine/plugin.js';
import { points } from '../lib/rules/fields.js';
import type { NumberInfo } from '../lib/numbers/types.js';
import { quote } from './_shared.js';

export interface CliMismatchCfg {
  country_weight: number;
  home_weight: number;
}

/** Which header a presented identity came from, by matching the raw value the adapter passed. */
function label(ctx: SignalContext, v: NumberInfo, fallback: string): string {
  const cv = ctx.attempt.callerVariants;
  if (cv?.pai !== undefined && v.raw === cv.pai) return 'P-Asserted-Identity';
  if (cv?.from !== undefined && v.raw === cv.from) return 'From';
  if (cv?.display !== undefined && v.raw === cv.display) return 'display name';
  return fallback;
}

const show = (v: NumberInfo): string => `${v.e164 ?? quote(v.raw)} (${v.country}${v.home ? ', home' : ''})`;

export default definePlugin<CliMismatchCfg>({
  name: 'cli-mismatch',
  description: 'P-Asserted-Identity and From disagree on country, or one is home and the other foreign',
  schema: {
    country_weight: points({ default: 30, description: 'Points when the identities are in different foreign countries' }),
    home_weight: points({
      default: 50,
      description: 'Points when one identity is a home-country number and the other foreign (masking as a local call)',
    }),
  },
  needs: () => [],
  score(ctx, cfg) {
    const c = ctx.caller;
    // A withheld or unparseable identity disagrees with nothing: From
    // "anonymous" beside a real PAI is ordinary RFC 3325 privacy.
    if (c.problem || c.country === null) return null;
    let best: { points: number; detail: string } | null = null;
    for (const v of ctx.callerVariants) {
      if (v.problem || v.country === null || v.key === c.key) continue;
      const homeSplit = v.home !== c.home;
      if (!homeSplit && v.country === c.country) continue;
      const w = homeSplit ? cfg.home_weight : cfg.country_weight;
      if (w === 0 || (best && best.points >= w)) continue;
      best = { points: w, detail: `${label(ctx, v, 'other identity')} ${show(v)} disagrees with ${label(ctx, c, 'caller')} ${show(c)}` };
    }
    return best;
  },
});
