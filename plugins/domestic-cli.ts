/**
 * Home-country caller ID on international ingress: a call that arrives from
 * abroad presenting one of our own country's numbers is usually masking its
 * real origin (and dodging international termination rates). The exception is
 * a home subscriber roaming abroad, which `allow_prefixes` and
 * `mobile_weight` cater for.
 */
import { definePlugin } from '../lib/engine/plugin.js';
import { oneOf, points } from '../lib/rules/fields.js';
import { matchesPrefix, PRESENTED, prefixes, presentation, quote, type Presentation, type Presented } from './_shared.js';

export interface DomesticCliCfg {
  weight: number;
  mobile_weight: number;
  allow_prefixes: string[];
  presented: Presented;
}

/**
 * Whether a home caller ID counts, given how it was presented. Digits read as
 * a home number only because no country code came with them are no evidence
 * of a home caller ID when the same digits are a valid foreign number (a
 * carrier that drops the '+') or no valid home number at all (left to
 * invalid-cli), whatever `presented` says.
 */
function counts(p: Presentation, valid: boolean, presented: Presented): boolean {
  if (!p.national) return presented !== 'national';
  return presented !== 'international' && valid && p.foreign === null;
}

export default definePlugin<DomesticCliCfg>({
  name: 'domestic-cli',
  description: 'Caller ID of the home country arriving on international ingress (number masking)',
  schema: {
    weight: points({ default: 60, description: 'Points for a home fixed-line or other non-mobile number' }),
    mobile_weight: points({
      default: 40,
      description: 'Points for a home mobile number, which may be a subscriber roaming abroad; 0 ignores home mobiles',
    }),
    allow_prefixes: prefixes({
      default: [],
      description: 'Home number ranges legitimately seen from abroad (e.g. +4478 for roaming mobiles, a carrier\'s own ranges); matched on E.164 digits',
    }),
    presented: oneOf(PRESENTED, {
      default: 'any',
      description: "Which home numbers count: 'international' those presented with their country code (+86..., 0086..., 86...), 'national' those presented without it and read against the home numbering plan (which may be a foreign carrier's national format), 'any' both",
    }),
  },
  needs: () => [],
  score(ctx, cfg) {
    const c = ctx.caller;
    if (!c.home || c.e164 === null) return null;
    if (matchesPrefix(c.e164, cfg.allow_prefixes)) return null;
    const mobile = c.type === 'mobile' || c.type === 'fixed-line-or-mobile';
    const w = mobile ? cfg.mobile_weight : cfg.weight;
    if (w === 0) return null;
    const p = presentation(c, ctx.homeCountry);
    if (!counts(p, c.valid, cfg.presented)) return null;
    return {
      points: w,
      detail: `caller ${c.e164} is a home-country (${ctx.homeCountry})${mobile ? ' mobile' : ''} number arriving on international ingress${p.national ? ` (presented without country code as ${quote(c.raw)})` : ''}`,
    };
  },
});
