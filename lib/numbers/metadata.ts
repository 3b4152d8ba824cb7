/**
 * Small, precomputed views of libphonenumber-js max metadata that the hot path
 * needs without going through a full parse: which calling codes exist, and each
 * home country's international (IDD) prefix.
 */
import { Metadata, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

/** The runtime Metadata class has these; the published typings omit them. */
interface MetadataRuntime {
  hasCallingCode(callingCode: string): boolean;
  selectNumberingPlan(country: string): unknown;
  numberingPlan?: { IDDPrefix(): string };
}

const meta = new Metadata() as unknown as MetadataRuntime;

/**
 * Every assigned calling code (geographic and non-geographic), by numeric
 * value: IS_CALLING_CODE[cc] is 1 for an assigned code. A table rather than a
 * Set of strings so that callingCodeLength() allocates no substrings (it runs
 * several times per classified number).
 */
const IS_CALLING_CODE: Uint8Array = (() => {
  const table = new Uint8Array(1000);
  for (let cc = 1; cc <= 999; cc++) if (meta.hasCallingCode(String(cc))) table[cc] = 1;
  return table;
})();

/** Non-geographic international service codes (ITU "global services"). */
export const NON_GEOGRAPHIC_CODES: ReadonlySet<string> = new Set([
  '800', '808', '870', '878', '881', '882', '883', '888', '979',
]);

/** UIFN freephone (+800) and international shared cost (+808). */
export const UIFN_CODES: ReadonlySet<string> = new Set(['800', '808']);

/**
 * Length of the calling code at the start of `digits` (no '+'), or 0 when the
 * leading digits are not an assigned code. ITU codes are prefix-free, so the
 * first hit is the only one. Codes never start with '0', and a non-digit ends
 * every longer candidate too.
 */
export function callingCodeLength(digits: string, offset = 0): number {
  let code = 0;
  for (let len = 1; len <= 3 && offset + len <= digits.length; len++) {
    const d = digits.charCodeAt(offset + len - 1) - 48;
    if (d < 0 || d > 9 || (len === 1 && d === 0)) return 0;
    code = code * 10 + d;
    if (IS_CALLING_CODE[code] === 1) return len;
  }
  return 0;
}

export interface HomePlan {
  country: CountryCode;
  /** Anchored IDD pattern for the home country ('00', '011', CN carrier-select forms ...). */
  idd: RegExp;
}

const homePlans = new Map<string, HomePlan>();

/** Resolve and memoise a home country; throws on an unknown code (a config error, not caller data). */
export function homePlan(home: string): HomePlan {
  let plan = homePlans.get(home);
  if (plan) return plan;
  const country = typeof home === 'string' ? home.toUpperCase() : '';
  if (!isSupportedCountry(country)) {
    throw new TypeError(`numbers: unsupported home country ${JSON.stringify(home)} (want ISO 3166-1 alpha-2, e.g. 'CN')`);
  }
  meta.selectNumberingPlan(country);
  const pattern = meta.numberingPlan?.IDDPrefix() ?? '00';
  plan = { country, idd: new RegExp(`^(?:${pattern})`) };
  homePlans.set(home, plan);
  return plan;
}
