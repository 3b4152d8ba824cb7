/**
 * Numbering plans for generated traffic: templates of real national number
 * ranges per country, expanded at random and kept only when libphonenumber
 * (max metadata) says the number is valid, plus the messy formats numbers
 * arrive in on a real international trunk.
 *
 * Template syntax (national significant number, no trunk prefix):
 *   0-9 literal digit, x any digit, n 2-9, [..] one of a set ('4-9' ranges),
 *   (a|b|c) one of several sub-templates.
 */
import { isValidPhoneNumber, parsePhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import { Rng } from './rng.js';

export interface CountryPlan {
  iso: string;
  cc: string;
  /** Standard-time UTC offset, hours (diurnal cycles; DST ignored). */
  utc: number;
  mobile: string[];
  fixed: string[];
  /** Toll-free ranges, for spoofed toll-free caller IDs. */
  tollFree?: string[];
  /** National dialling: trunk prefix before the NSN ('' for NANP), undefined when we do not model it. */
  trunk?: string;
  /** Mobiles dialled without the trunk prefix nationally (China). */
  mobileNoTrunk?: boolean;
}

const NANP_NPA = '(201|202|206|212|213|214|215|305|310|312|313|347|404|408|415|503|512|602|617|646|702|713|718|773|786|818|832|917|929)';

export const PLANS: Record<string, CountryPlan> = {
  CN: {
    iso: 'CN', cc: '86', utc: 8, trunk: '0', mobileNoTrunk: true,
    mobile: ['13[0-9]xxxxxxxx', '15[0-35-9]xxxxxxxx', '18[0-9]xxxxxxxx', '17[3678]xxxxxxxx', '19[189]xxxxxxxx', '166xxxxxxxx', '14[57]xxxxxxxx'],
    fixed: ['10[2-8]xxxxxxx', '21[2-6]xxxxxxx', '20[38]xxxxxxx', '755[2-8]xxxxxxx', '28[68]xxxxxxx'],
    tollFree: ['800xxxxxxx', '400xxxxxxx'],
  },
  US: { iso: 'US', cc: '1', utc: -5, trunk: '', mobile: [NANP_NPA + 'nxxxxxx'], fixed: [NANP_NPA + 'nxxxxxx'], tollFree: ['8(00|33|44|55|66|77|88)nxxxxxx'] },
  CA: { iso: 'CA', cc: '1', utc: -5, trunk: '', mobile: ['(416|647|604|778|514|438|403|613)nxxxxxx'], fixed: ['(416|604|514|403|613)nxxxxxx'], tollFree: ['8(00|88|77)nxxxxxx'] },
  GB: { iso: 'GB', cc: '44', utc: 0, trunk: '0', mobile: ['7[4-9]xxxxxxxx'], fixed: ['20[378]xxxxxxx', '161[2-9]xxxxxx', '131[2-9]xxxxxx'], tollFree: ['80[08]xxxxxxx'] },
  DE: { iso: 'DE', cc: '49', utc: 1, trunk: '0', mobile: ['1(51|52|57|60|62|70|71|72|73|75|76|77|78|79)xxxxxxxx'], fixed: ['30[2-9]xxxxxxx', '89[2-9]xxxxxxx', '40[2-9]xxxxxxx'], tollFree: ['800xxxxxxx'] },
  FR: { iso: 'FR', cc: '33', utc: 1, trunk: '0', mobile: ['6xxxxxxxx', '7[3-9]xxxxxxx'], fixed: ['1[0-9]xxxxxxx', '4xxxxxxxx'], tollFree: ['80[05]xxxxxx'] },
  IT: { iso: 'IT', cc: '39', utc: 1, mobile: ['3[2-9]xxxxxxxx'], fixed: ['06[2-9]xxxxxx', '02[2-9]xxxxxxx'] },
  ES: { iso: 'ES', cc: '34', utc: 1, mobile: ['6xxxxxxxx'], fixed: ['91[2-9]xxxxxx'] },
  NL: { iso: 'NL', cc: '31', utc: 1, trunk: '0', mobile: ['6[1-5]xxxxxxx'], fixed: ['20[2-9]xxxxxx'] },
  RU: { iso: 'RU', cc: '7', utc: 3, mobile: ['9[0-36-9]xxxxxxxx'], fixed: ['(495|499)[1-9]xxxxxx'] },
  IN: { iso: 'IN', cc: '91', utc: 5.5, trunk: '0', mobile: ['9[0-9]xxxxxxxx', '8[0-9]xxxxxxxx', '7[0-9]xxxxxxxx'], fixed: ['11[2-6]xxxxxxx', '22[2-6]xxxxxxx'] },
  NG: { iso: 'NG', cc: '234', utc: 1, mobile: ['(803|806|703|706|813|816|810|814|903|805|807|705|815|905|802|808|708|812|701|902|809|817|818|909)xxxxxxx'], fixed: ['20[1259]xxxxxxx'] },
  PH: { iso: 'PH', cc: '63', utc: 8, mobile: ['9(05|06|15|16|17|26|27|35|36|77|78|79|18|19|20|21|28|29|39|47|49|98|99)xxxxxxx'], fixed: ['2[2-8]xxxxxxx'] },
  JP: { iso: 'JP', cc: '81', utc: 9, trunk: '0', mobile: ['[789]0[1-9]xxxxxxx'], fixed: ['3[2-9]xxxxxxx', '6[2-9]xxxxxxx'], tollFree: ['120xxxxxx'] },
  KR: { iso: 'KR', cc: '82', utc: 9, trunk: '0', mobile: ['10[2-9]xxxxxxx'], fixed: ['2[2-9]xxxxxxx', '51[2-9]xxxxxx'] },
  AU: { iso: 'AU', cc: '61', utc: 10, trunk: '0', mobile: ['4[0-9]xxxxxxx'], fixed: ['2[89]xxxxxxx', '3[89]xxxxxxx'], tollFree: ['1800xxxxxx'] },
  SG: { iso: 'SG', cc: '65', utc: 8, mobile: ['[89][1-8]xxxxxx'], fixed: ['6[1-9]xxxxxx'], tollFree: ['1800xxxxxxx'] },
  HK: { iso: 'HK', cc: '852', utc: 8, mobile: ['[569][1-8]xxxxxx'], fixed: ['[23][1-9]xxxxxx'], tollFree: ['800xxxxxx'] },
  MO: { iso: 'MO', cc: '853', utc: 8, mobile: ['6[2-8]xxxxxx'], fixed: ['28[2-9]xxxxx'] },
  TW: { iso: 'TW', cc: '886', utc: 8, mobile: ['9[0-8]xxxxxxx'], fixed: ['2[2-8]xxxxxxx'] },
  MY: { iso: 'MY', cc: '60', utc: 8, mobile: ['1[2-46-9]xxxxxxx'], fixed: ['3[2-9]xxxxxxx'] },
  TH: { iso: 'TH', cc: '66', utc: 7, mobile: ['[689][0-9]xxxxxxx'], fixed: ['2[1-9]xxxxxx'] },
  VN: { iso: 'VN', cc: '84', utc: 7, mobile: ['9[0-8]xxxxxxx', '3[2-9]xxxxxxx', '8[1-9]xxxxxxx'], fixed: ['24[3-9]xxxxxxx', '28[3-9]xxxxxxx'] },
  ID: { iso: 'ID', cc: '62', utc: 7, mobile: ['8(11|12|13|21|22|52|53|55|56|57|58|59|77|78|95|96|97|98|99)xxxxxxx'], fixed: ['21[2-9]xxxxxxx'] },
  AE: { iso: 'AE', cc: '971', utc: 4, mobile: ['5[024568]xxxxxxx'], fixed: ['4[2-9]xxxxxx', '2[2-9]xxxxxx'] },
  PK: { iso: 'PK', cc: '92', utc: 5, mobile: ['3[0-4][0-9]xxxxxxx'], fixed: ['21[2-9]xxxxxxx', '42[2-9]xxxxxxx'] },
  BR: { iso: 'BR', cc: '55', utc: -3, mobile: ['(11|21|31|41|51)9[6-9]xxxxxxx'], fixed: ['(11|21)[2-5]xxxxxxx'] },
  // Smaller sources of legitimate traffic, and the classic origins of Wangiri bait.
  TN: { iso: 'TN', cc: '216', utc: 1, mobile: ['[259]xxxxxxx'], fixed: ['7[1-9]xxxxxx'] },
  MR: { iso: 'MR', cc: '222', utc: 0, mobile: ['[234][0-9]xxxxxx'], fixed: ['45[2-9]xxxxx'] },
  SL: { iso: 'SL', cc: '232', utc: 0, mobile: ['(25|30|33|76|77|78|79|88)xxxxxx'], fixed: ['22[2-4]xxxxx'] },
  PG: { iso: 'PG', cc: '675', utc: 10, mobile: ['7[0-9]xxxxxx'], fixed: ['3[0-9]xxxxx'] },
  BY: { iso: 'BY', cc: '375', utc: 3, mobile: ['(25|29|33|44)xxxxxxx'], fixed: ['17[2-9]xxxxxx'] },
  LV: { iso: 'LV', cc: '371', utc: 2, mobile: ['2xxxxxxx'], fixed: ['6[3-7]xxxxxx'] },
  CU: { iso: 'CU', cc: '53', utc: -5, mobile: ['5xxxxxxx'], fixed: ['7[2-8]xxxxxx'] },
};

/** Calls into the home country by caller country: a rough international mix (home excluded at use). */
export const CALLER_MIX: readonly (readonly [string, number])[] = [
  ['US', 14], ['HK', 9], ['TW', 6], ['JP', 7], ['KR', 7], ['SG', 6], ['MY', 4], ['GB', 5], ['AU', 5], ['CA', 4],
  ['DE', 4], ['FR', 3], ['IT', 2], ['ES', 1.5], ['NL', 1.5], ['RU', 4], ['IN', 3], ['TH', 3], ['VN', 4], ['PH', 3],
  ['ID', 3], ['AE', 2], ['PK', 1], ['BR', 1], ['NG', 1.5], ['MO', 2], ['CN', 3],
  ['TN', 0.3], ['MR', 0.2], ['SL', 0.2], ['PG', 0.2], ['BY', 0.4], ['LV', 0.3], ['CU', 0.2],
];

/** Where Wangiri bait numbers tend to be: costly to call back. */
export const BAIT_COUNTRIES = ['TN', 'MR', 'SL', 'PG', 'BY', 'LV', 'CU', 'NG', 'PK'] as const;

/** UIFN (+800) and international shared cost (+808): 8 digits after the code. */
export const UIFN = [{ cc: '800', nsn: 'xxxxxxxx' }, { cc: '808', nsn: 'xxxxxxxx' }] as const;

type Tok = string | string[] | Tok[][];

/** Compile a template into tokens: literal runs, digit sets, alternations. */
function compile(t: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const parseSeq = (stop: string): Tok[] => {
    const seq: Tok[] = [];
    while (i < t.length && !stop.includes(t[i] as string)) {
      const c = t[i] as string;
      if (c === 'x') {
        seq.push(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        i++;
      } else if (c === 'n') {
        seq.push(['2', '3', '4', '5', '6', '7', '8', '9']);
        i++;
      } else if (c === '[') {
        const end = t.indexOf(']', i);
        const body = t.slice(i + 1, end);
        const set: string[] = [];
        for (let k = 0; k < body.length; k++) {
          if (body[k + 1] === '-') {
            for (let d = body.charCodeAt(k); d <= body.charCodeAt(k + 2); d++) set.push(String.fromCharCode(d));
            k += 2;
          } else set.push(body[k] as string);
        }
        seq.push(set);
        i = end + 1;
      } else if (c === '(') {
        i++;
        const alts: Tok[][] = [];
        for (;;) {
          alts.push(parseSeq('|)'));
          if (t[i] === '|') i++;
          else break;
        }
        i++; // ')'
        seq.push([alts] as unknown as Tok);
      } else {
        seq.push(c);
        i++;
      }
    }
    return seq;
  };
  out.push(...parseSeq(''));
  return out;
}

function expand(toks: Tok[], rng: Rng): string {
  let s = '';
  for (const t of toks) {
    if (typeof t === 'string') s += t;
    else if (Array.isArray(t[0])) s += expand(rng.pick((t as unknown as Tok[][][])[0] as Tok[][]) as Tok[], rng);
    else s += rng.pick(t as string[]);
  }
  return s;
}

const compiled = new Map<string, Tok[]>();
function tokens(template: string): Tok[] {
  let c = compiled.get(template);
  if (c === undefined) {
    c = compile(template);
    compiled.set(template, c);
  }
  return c;
}

/** One random expansion of a template (no validity check). */
export function fromTemplate(template: string, rng: Rng): string {
  return expand(tokens(template), rng);
}

export class NumberingError extends Error {}

/** libphonenumber (max metadata) considers it an allocated number. */
export const isValid = (e164: string): boolean => isValidPhoneNumber(e164);

/**
 * A valid E.164 number ('+' and digits) from one of the templates, retrying until libphonenumber accepts it
 * (and `accept`, when given, does too).
 */
export function validFrom(cc: string, templates: readonly string[], rng: Rng, tries = 60, accept?: (e164: string) => boolean): string {
  for (let i = 0; i < tries; i++) {
    const n = '+' + cc + fromTemplate(rng.pick(templates), rng);
    if (isValidPhoneNumber(n) && (accept === undefined || accept(n))) return n;
  }
  throw new NumberingError(`no valid number from +${cc} ${templates.join(' ')} after ${tries} tries`);
}

export type NumberKind = 'mobile' | 'fixed' | 'toll-free';

export function validNumber(iso: string, kind: NumberKind, rng: Rng): string {
  const p = PLANS[iso];
  if (!p) throw new NumberingError(`no numbering plan for ${iso}`);
  const t = kind === 'mobile' ? p.mobile : kind === 'fixed' ? p.fixed : p.tollFree;
  if (!t || t.length === 0) throw new NumberingError(`no ${kind} ranges for ${iso}`);
  return validFrom(p.cc, t, rng);
}

/** libphonenumber types that a home number of each kind may have (where it cannot tell, a number is both). */
const KIND_TYPES: Readonly<Record<NumberKind, readonly string[]>> = {
  mobile: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
  fixed: ['FIXED_LINE', 'FIXED_LINE_OR_MOBILE'],
  'toll-free': ['TOLL_FREE'],
};

/**
 * A number of the home country as the screening side will classify it: valid, of `iso` itself and of
 * the kind asked for. validNumber() only asks for a valid number with the country's calling code, and
 * templates are broad: GB's 7[4-9] mobiles include 076 pagers and the Crown Dependencies' mobiles
 * (Jersey 07797, Guernsey 07781, Isle of Man 07624: +44, but JE, GG and IM), India's 7x and 8x include
 * landlines (080 Bengaluru, 079 Ahmedabad). As a foreign caller such a number is still that country's;
 * as a home subscriber roaming abroad, a spoofed home mobile or a callee it would be wrong: a pager
 * "roamer" is a non-mobile home number that domestic-cli rejects. The countries whose plans are exact
 * (CN) draw exactly the numbers validNumber() would, from the same draws.
 */
export function homeNumber(iso: string, kind: NumberKind, rng: Rng): string {
  const p = PLANS[iso];
  if (!p) throw new NumberingError(`no numbering plan for ${iso}`);
  const t = kind === 'mobile' ? p.mobile : kind === 'fixed' ? p.fixed : p.tollFree;
  if (!t || t.length === 0) throw new NumberingError(`no ${kind} ranges for ${iso}`);
  const types = KIND_TYPES[kind];
  return validFrom(p.cc, t, rng, 200, (n) => {
    const ph = parsePhoneNumber(n);
    return ph.country === iso && types.includes(ph.getType() ?? '');
  });
}

/** A valid number that shares all but its last `free` digits with `base` (a number block). */
export function validInBlock(base: string, free: number, rng: Rng, tries = 60): string {
  const stem = base.slice(0, base.length - free);
  for (let i = 0; i < tries; i++) {
    const n = stem + rng.digits(free);
    if (isValidPhoneNumber(n)) return n;
  }
  return base;
}

/** Country calling code of an E.164 number we built (known codes only). */
export function callingCodeOf(e164: string): string {
  for (const len of [1, 2, 3]) {
    const cc = e164.slice(1, 1 + len);
    if (cc === '1' || cc === '7' || CODES.has(cc)) return cc;
  }
  return e164.slice(1, 3);
}
const CODES = new Set<string>([...Object.values(PLANS).map((p) => p.cc), '800', '808']);

/**
 * Invalid caller IDs as spoofers and broken gateways send them: country
 * codes that are not assigned, unallocated ranges, wrong lengths. Every
 * result is checked to be invalid.
 */
export function invalidNumber(rng: Rng): string {
  for (let i = 0; i < 100; i++) {
    let n: string;
    switch (rng.int(0, 5)) {
      case 0: // unassigned country codes
        n = '+' + rng.pick(['210', '214', '259', '280', '283', '289', '292', '295', '422', '429', '801', '803', '999']) + rng.digits(rng.int(6, 10));
        break;
      case 1: // NANP with an area code that cannot exist (0xx, 1xx, N11)
        n = '+1' + rng.pick(['0', '1']) + rng.digits(2) + String(rng.int(2, 9)) + rng.digits(6);
        if (rng.chance(0.3)) n = '+1' + String(rng.int(2, 9)) + '11' + String(rng.int(2, 9)) + rng.digits(6);
        break;
      case 2: // right country, too short or too long
        {
          const p = PLANS[rng.pick(['GB', 'DE', 'FR', 'JP', 'AU', 'US', 'IN', 'RU'])] as CountryPlan;
          const good = fromTemplate(rng.pick(p.mobile), rng);
          n = '+' + p.cc + (rng.chance(0.5) ? good.slice(0, good.length - rng.int(2, 3)) : good + rng.digits(rng.int(2, 3)));
        }
        break;
      case 3: // unallocated leading digits
        n = rng.pick(['+440', '+4410', '+331', '+8610', '+610', '+810', '+4900']) + rng.digits(rng.int(7, 9));
        if (n.startsWith('+331') || n.startsWith('+8610')) n = rng.pick(['+3300', '+860']) + rng.digits(8);
        break;
      case 4: // digits only, no country code, not a number anywhere
        n = String(rng.int(1, 9)) + rng.digits(rng.int(3, 5));
        break;
      default: // premium-looking junk: a real code followed by a wrong-length tail
        n = '+' + rng.pick(['44', '49', '33', '61', '81', '82']) + '0' + rng.digits(rng.int(4, 6));
    }
    if (!isValidPhoneNumber(n)) return n;
  }
  return '+99912345';
}

// ---- presentation formats ---------------------------------------------------

export type Format = 'e164' | 'plain' | 'idd' | 'spaced' | 'dashed' | 'sip' | 'tel' | 'nameaddr' | 'national';

const NAMES = ['Mobile', 'Anna', 'Li Wei', 'John', 'Office', 'Maria K', 'Customer Service', 'Chen', 'Private', 'Tom'];

/** NSN in groups, roughly as people write them (exact national grouping does not matter to a parser). */
function grouped(nsn: string, sep: string): string {
  const n = nsn.length;
  const cuts = n <= 8 ? [4] : n === 9 ? [3, 6] : n === 10 ? [3, 6] : [3, 7];
  let out = '';
  let prev = 0;
  for (const c of cuts) {
    if (c >= n) break;
    out += nsn.slice(prev, c) + sep;
    prev = c;
  }
  return out + nsn.slice(prev);
}

/**
 * `e164` ('+' and digits) as it might appear in From / P-Asserted-Identity or
 * the Request-URI. Anything that is not a clean E.164 number (withheld,
 * invalid junk without '+') is passed through as it is for URI forms, since
 * that is what broken gateways do.
 */
export function present(e164: string, fmt: Format, host: string, rng: Rng, home?: CountryPlan): string {
  if (e164[0] !== '+') return fmt === 'sip' || fmt === 'nameaddr' ? `sip:${e164}@${host}` : e164;
  const digits = e164.slice(1);
  switch (fmt) {
    case 'e164':
      return e164;
    case 'plain':
      // Carriers that drop the '+' do send such numbers, but one that also reads as a valid national number would be
      // misread by any parser (US +1 778... as China 177...; 1xxxx00... is a Chinese carrier-select IDD): send those,
      // and all NANP numbers, with the IDD prefix instead.
      return digits[0] === '1' || (home && isValidPhoneNumber(digits, home.iso as CountryCode)) ? '00' + digits : digits;
    case 'idd':
      return '00' + digits;
    case 'spaced':
    case 'dashed': {
      const cc = callingCodeOf(e164);
      return `+${cc} ${grouped(digits.slice(cc.length), fmt === 'spaced' ? ' ' : '-')}`;
    }
    case 'sip':
      return `sip:${e164}@${host};user=phone`;
    case 'tel': {
      const cc = callingCodeOf(e164);
      return `tel:+${cc}-${grouped(digits.slice(cc.length), '-')}`;
    }
    case 'nameaddr':
      return `"${rng.pick(NAMES)}" <sip:${e164}@${host}>`;
    case 'national': {
      if (!home || home.trunk === undefined || !digits.startsWith(home.cc)) return e164;
      const nsn = digits.slice(home.cc.length);
      // Mobiles in China are dialled without the trunk 0; fixed lines with it.
      if (home.mobileNoTrunk && nsn[0] === '1' && nsn.length === 11) return nsn;
      return home.trunk + nsn;
    }
  }
}
