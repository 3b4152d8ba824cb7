/**
 * Toll-free / premium-rate / shared-cost caller IDs. Such numbers only
 * receive calls; a call from one arriving internationally has a caller ID
 * somebody made up, usually to look like a bank or a helpline.
 */
import { definePlugin } from '../lib/engine/plugin.js';
import { bool, points } from '../lib/rules/fields.js';
import type { NumberInfo } from '../lib/numbers/types.js';
import { prefixes, presentation, quote, stringsOf } from './_shared.js';

const TYPES = ['toll-free', 'premium-rate', 'shared-cost', 'uan', 'uifn'] as const;

const LABEL: Record<string, string> = {
  'toll-free': 'a toll-free number',
  'premium-rate': 'a premium-rate number',
  'shared-cost': 'a shared-cost number',
  uan: 'a universal access (business) number',
};

export interface TollFreeCfg {
  types: string[];
  uifn_codes: string[];
  weight: number;
  shared_cost_weight: number;
  include_home: boolean;
}

/** Which configured kind the caller is, or null. */
function kind(c: NumberInfo, cfg: TollFreeCfg): string | null {
  // A non-geographic code in uifn_codes (+800 freephone, +808 shared cost, +979 premium rate: numbers
  // that only receive calls) is judged as 'uifn' or not at all: libphonenumber types +800 toll-free,
  // +808 shared-cost and +979 premium-rate, and an instance for countries' ranges alone (types:
  // [toll-free]) must not score +800 beside the instance that rejects it. Read off the code, not
  // NumberInfo's uifn mark, which +979 (and an invalid +979 number) does not carry.
  const uifn = c.country === '001' && c.callingCode !== null && cfg.uifn_codes.includes(c.callingCode);
  if (uifn) return cfg.types.includes('uifn') ? 'uifn' : null;
  if (cfg.types.includes(c.type)) return c.type;
  return null;
}

export default definePlugin<TollFreeCfg>({
  name: 'toll-free',
  description: 'Caller ID is a toll-free, premium-rate, shared-cost or international freephone number, which cannot originate calls',
  schema: {
    types: stringsOf(TYPES, {
      default: ['toll-free', 'premium-rate', 'shared-cost', 'uifn'],
      description: `Caller number types that count: ${TYPES.join(', ')} (uifn = the non-geographic codes in uifn_codes)`,
    }),
    uifn_codes: prefixes({
      default: ['800', '808', '979'],
      description: 'Non-geographic country codes that only receive calls: +800 freephone, +808 shared cost, +979 premium rate',
    }),
    weight: points({ default: 60, description: 'Points for toll-free, premium-rate and uifn callers' }),
    shared_cost_weight: points({
      default: 30,
      description: 'Points for shared-cost and uan callers; lower, since businesses do present these as their outbound number',
    }),
    include_home: bool({
      default: true,
      description:
        "Judge the home country's own numbers too; false leaves every home number of these types (premium rate too) to domestic-cli, for where home businesses present their toll-free numbers from abroad, as in the US (add a second rule for home premium rate, as examples/rules/us-ingress.yaml does)",
    }),
  },
  needs: () => [],
  score(ctx, cfg) {
    let c = ctx.caller;
    let k = kind(c, cfg);
    let how = '';
    if (!k && c.home && c.e164 !== null) {
      // Digits without a country code were read as a home number (1800 555 1234 as a Chinese
      // 180 mobile), but a carrier that drops the '+' sends a US toll-free number the same way:
      // judge that reading too. Only home callers get here, a few of the calls.
      const p = presentation(c, ctx.homeCountry);
      const f = p.foreign;
      if (f !== null) {
        k = kind(f, cfg);
        if (k) {
          how = ` (digits presented without a country code, ${quote(c.raw)}, read as an international number)`;
          c = f;
        }
      }
    }
    if (!k) return null;
    if (c.home && !cfg.include_home) return null;
    const w = k === 'shared-cost' || k === 'uan' ? cfg.shared_cost_weight : cfg.weight;
    if (w === 0) return null;
    const number = c.e164 ?? quote(c.raw);
    const what = k === 'uifn' ? `an international non-geographic number (+${c.callingCode})` : `${LABEL[k]}${c.country && c.country !== '001' ? ` (${c.country})` : ''}`;
    return { points: w, detail: `caller ${number}${how} is ${what}, which cannot originate calls` };
  },
});
