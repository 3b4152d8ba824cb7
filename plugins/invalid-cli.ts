/**
 * Caller IDs that cannot be taken at face value: missing, withheld,
 * malformed, or in a range no operator was ever given. Each problem has its
 * own weight; withholding is legal in many countries, so it weighs least.
 */
import { definePlugin } from '../lib/engine/plugin.js';
import { points } from '../lib/rules/fields.js';
import type { NumberInfo, NumberProblem } from '../lib/numbers/types.js';
import { isExtended, isTruncated } from '../lib/numbers/wrong-length.js';
import { ValueLru } from '../lib/cache/value-lru.js';
import { nationalCapField, presentation, quote, type Presentation } from './_shared.js';

export interface InvalidCliCfg {
  empty: number;
  anonymous: number;
  non_digit: number;
  too_short: number;
  too_long: number;
  unknown_country: number;
  invalid: number;
  wrong_length: number;
  national_cap: number;
}

const FIELD: Record<NumberProblem, keyof InvalidCliCfg> = {
  empty: 'empty',
  anonymous: 'anonymous',
  'non-digit': 'non_digit',
  'too-short': 'too_short',
  'too-long': 'too_long',
  'unknown-country': 'unknown_country',
  invalid: 'invalid',
};

/** Fewest digits of a national number in nearly every numbering plan (most have 7 to 10, without a trunk prefix). */
const MIN_NATIONAL_DIGITS = 7;

/** Whether digits read against the home plan could be another country's national number. */
const mayBeForeignNational = (p: Presentation): boolean => p.national && p.length >= MIN_NATIONAL_DIGITS;

/** Problems found by reading the digits against a numbering plan: the ones a wrong plan can cause. */
const PLAN_PROBLEMS: ReadonlySet<NumberProblem> = new Set<NumberProblem>(['too-short', 'too-long', 'unknown-country', 'invalid']);

/**
 * A number presented with its country code, outside every allocated range
 * because of its length: one that country never uses (a PBX appending an
 * extension), or the first digits of a valid number (a truncated pilot),
 * which broken PBXs and gateways send, rather than a range no operator was
 * ever given. Digits without a country code are judged by national_cap
 * instead.
 */
function wrongLength(c: NumberInfo, home: string): WrongLength | null {
  if (c.problem !== 'invalid' || c.e164 === null) return null;
  const p = presentation(c, home);
  // Bare digits with the country code ('8613800138') did carry it: their length is judged too.
  if (p.national && !p.bareCode) return null;
  return c.possible ? lengthOff(c.e164) : 'length';
}

/** How a number's length is wrong: one its country never uses, cut short, or with digits added. */
type WrongLength = 'length' | 'truncated' | 'extended';

/**
 * Keyed by the E.164 string, not the classified number: junk too long for
 * the engine's number cache is classified afresh on every call, and its
 * checks (up to 18 readings) must not be.
 */
const lengths = new ValueLru<'truncated' | 'extended' | null>(8192);

/** Whether a possible but invalid number is the start of a valid one, or one with digits added. */
function lengthOff(e164: string): 'truncated' | 'extended' | null {
  let v = lengths.peek(e164);
  if (v === undefined) {
    v = isTruncated(e164) ? 'truncated' : isExtended(e164) ? 'extended' : null;
    lengths.add(e164, v);
  }
  return v;
}

function describe(c: NumberInfo, p: NumberProblem, wrong: WrongLength | null): string {
  if (wrong !== null) {
    const cc = `+${c.callingCode ?? '?'}`;
    switch (wrong) {
      case 'length':
        return `caller ID ${c.e164} has a length no ${cc} number has (digits added or missing)`;
      case 'truncated':
        return `caller ID ${c.e164} is the start of a valid ${cc} number (digits missing)`;
      case 'extended':
        return `caller ID ${c.e164} is a valid ${cc} number with digits added (an extension)`;
    }
  }
  const where = c.country && c.country !== '001' ? ` for ${c.country}` : '';
  const shown = quote(c.raw);
  switch (p) {
    case 'empty':
      return 'no caller ID presented';
    case 'anonymous':
      return `caller ID withheld (${shown})`;
    case 'non-digit':
      return `caller ID ${shown} is not a telephone number`;
    case 'too-short':
      return `caller ID ${shown} is too short${where}`;
    case 'too-long':
      return `caller ID ${shown} is too long${where}`;
    case 'unknown-country':
      return `caller ID ${shown} has no assigned country code`;
    case 'invalid':
      return `caller ID ${c.e164 ?? shown} is in an unallocated range${where}`;
  }
}

export default definePlugin<InvalidCliCfg>({
  name: 'invalid-cli',
  description: 'Caller ID missing, withheld, malformed or in an unallocated range',
  schema: {
    empty: points({ default: 40, description: 'Points when no caller ID is presented at all' }),
    anonymous: points({ default: 10, description: 'Points for a withheld caller ID (anonymous, restricted); legal in many countries, so low' }),
    non_digit: points({ default: 40, description: 'Points for a caller ID that is not digits (names, junk)' }),
    too_short: points({ default: 40, description: "Points for a caller ID too short for its country's numbering plan" }),
    too_long: points({ default: 40, description: "Points for a caller ID too long for its country's numbering plan" }),
    unknown_country: points({ default: 50, description: 'Points for a caller ID whose country code is not assigned' }),
    invalid: points({ default: 50, description: 'Points for a well-formed caller ID in a range not allocated to any operator' }),
    wrong_length: points({
      default: 40,
      description: "Points for a caller ID with a country code but a length that country never uses (an extension appended), or the first digits of a valid number (a truncated pilot): what broken PBXs and gateways send, rather than an unallocated range",
    }),
    national_cap: nationalCapField('any problem'),
  },
  needs: () => [],
  score(ctx, cfg) {
    const p = ctx.caller.problem;
    if (!p) return null;
    const wrong = wrongLength(ctx.caller, ctx.homeCountry);
    let w = cfg[wrong !== null ? 'wrong_length' : FIELD[p]];
    if (!w) return null;
    // Digits presented without their country code were read against the home
    // plan only because no other plan was given: a problem found there may
    // only mean that they were another country's national number (a Hong Kong
    // 8-digit number is an unallocated Chinese range), which no plan here can
    // check. With the country code presented, the range is checked for real;
    // fewer than 7 digits are no country's national number (junk stays junk).
    const pres = presentation(ctx.caller, ctx.homeCountry);
    if (cfg.national_cap < w && PLAN_PROBLEMS.has(p) && mayBeForeignNational(pres)) {
      w = cfg.national_cap;
      if (!w) return null;
      return { points: w, detail: `${describe(ctx.caller, p, wrong)} (${pres.bareCode ? "presented without '+': may be another country's national number" : 'presented without country code'})` };
    }
    return { points: w, detail: describe(ctx.caller, p, wrong) };
  },
});
