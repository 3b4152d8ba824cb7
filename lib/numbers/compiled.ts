/**
 * Compiled view of libphonenumber-js max metadata for the cache-miss path.
 *
 * libphonenumber-js builds a fresh RegExp for every pattern it tests and
 * allocates Metadata/PhoneNumber wrappers per call, which is most of the
 * ~20 µs a classification costs. readInternational() computes exactly what
 * parsePhoneNumberFromString('+' + digits) and the PhoneNumber's isValid(),
 * isPossible(), getType(), country and isNonGeographic() would, but against
 * patterns compiled once per calling code, on first use.
 *
 * It mirrors the library's own steps (extractCountryCallingCode,
 * extractNationalNumber, getCountryByCallingCode, getNumberType,
 * checkNumberLength) rather than reinterpreting the metadata, so that results
 * stay identical; test/numbers/fast-classify.test.ts checks that against the
 * library on a large sample. Whenever the metadata looks unlike what this code
 * was written against, it declines and the caller takes the library path.
 */
import metadataJson from 'libphonenumber-js/max/metadata';
import type { NumberType as LibNumberType } from 'libphonenumber-js/max';
import { callingCodeLength } from './metadata.js';

/** What the library's PhoneNumber would report for a number. */
export interface Reading {
  /** phone.number */
  e164: string;
  /** phone.countryCallingCode */
  callingCode: string;
  /** phone.country: undefined for non-geographic codes and unresolved shared codes. */
  country: string | undefined;
  /** phone.isNonGeographic() */
  nonGeographic: boolean;
  /** phone.isValid() */
  valid: boolean;
  /** phone.isPossible(), false where the library would throw. */
  possible: boolean;
  /** phone.getType() */
  type: LibNumberType | undefined;
}

/** readInternational() could not vouch for the answer: use the library. */
export const DECLINED = null;

// Slots of a numbering-plan tuple in metadata version 4 (libphonenumber-js metadata.js).
const NATIONAL_NUMBER_PATTERN = 2;
const POSSIBLE_LENGTHS = 3;
const NATIONAL_PREFIX = 5;
const NATIONAL_PREFIX_FOR_PARSING = 7;
const NATIONAL_PREFIX_TRANSFORM_RULE = 8;
const LEADING_DIGITS = 10;
const TYPES = 11;

// Slots of the types tuple (metadata.js getType()).
const FIXED_LINE = 0;
const MOBILE = 1;
const TYPE_COUNT = 10;

/** getNumberType()'s order once FIXED_LINE has not matched, with each type's slot. */
const NON_FIXED_LINE: readonly (readonly [slot: number, type: LibNumberType])[] = [
  [1, 'MOBILE'],
  [3, 'PREMIUM_RATE'],
  [2, 'TOLL_FREE'],
  [9, 'SHARED_COST'],
  [8, 'VOIP'],
  [4, 'PERSONAL_NUMBER'],
  [7, 'PAGER'],
  [6, 'UAN'],
  [5, 'VOICEMAIL'],
];

interface TypeDef {
  /** The raw pattern value: getNumberType() compares it with '' and tests its truthiness. */
  source: unknown;
  /** Anchored pattern; null when the source is falsy (the library never tests it then). */
  re: RegExp | null;
  /** Type lengths, else the plan's (Type.possibleLengths()). */
  lengths: readonly number[] | undefined;
}

interface Plan {
  /** ISO code of a geographic plan, undefined for a non-geographic one. */
  country: string | undefined;
  nationalNumber: RegExp;
  possibleLengths: readonly number[] | undefined;
  /** '^(?:nationalPrefixForParsing)', null when the plan has none. */
  prefixForParsing: RegExp | null;
  transformRule: string | undefined;
  /** '^(?:leadingDigits)': equivalent to the library's `search(leadingDigits) === 0`. */
  leadingDigits: RegExp | null;
  /** NumberingPlan.hasTypes(): isValid() then asks getNumberType(), else the national pattern. */
  hasTypes: boolean;
  /** metadata.type(slot): null where the library returns undefined. */
  types: readonly (TypeDef | null)[];
}

interface CallingCodePlan {
  callingCode: string;
  /** The plan selectNumberingPlan(callingCode) picks: first country, or the non-geographic one. */
  main: Plan;
  /** getCountryCodesForCallingCode(): countries sharing the code, in metadata order. */
  countries: readonly Plan[] | undefined;
  nonGeographic: boolean;
}

type Tuple = readonly unknown[];
interface MetadataV4 {
  version: unknown;
  country_calling_codes: Record<string, readonly string[] | undefined>;
  countries: Record<string, Tuple | undefined>;
  nonGeographic?: Record<string, Tuple | undefined>;
}

const META = metadataJson as unknown as MetadataV4;

/** Slot positions above are those of version 4; anything else goes to the library. */
const SUPPORTED =
  META.version === 4 &&
  typeof META.country_calling_codes === 'object' &&
  typeof META.countries === 'object' &&
  typeof META.nonGeographic === 'object';

const has = Object.prototype.hasOwnProperty;

function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj !== undefined && has.call(obj, key) ? obj[key] : undefined;
}

/** What matchesEntirely() builds on every call, built once. */
function entire(source: unknown): RegExp {
  return new RegExp('^(?:' + String(source) + ')$');
}

function lengthsOf(v: unknown): readonly number[] | undefined {
  if (!v) return undefined;
  if (!Array.isArray(v) || !v.every((n) => typeof n === 'number')) throw new Error('unexpected possible lengths');
  return v as number[];
}

function compilePlan(tuple: Tuple, country: string | undefined): Plan {
  const possibleLengths = lengthsOf(tuple[POSSIBLE_LENGTHS]);
  const npfp = tuple[NATIONAL_PREFIX_FOR_PARSING] || tuple[NATIONAL_PREFIX];
  const rule = tuple[NATIONAL_PREFIX_TRANSFORM_RULE];
  if (rule && typeof rule !== 'string') throw new Error('unexpected transform rule');
  const ld = tuple[LEADING_DIGITS];
  const rawTypes = tuple[TYPES];
  // NumberingPlan.hasTypes(): present and not an empty array.
  const hasTypes = !!rawTypes && !(Array.isArray(rawTypes) && rawTypes.length === 0);
  if (hasTypes && !Array.isArray(rawTypes)) throw new Error('unexpected types');
  const types: (TypeDef | null)[] = [];
  for (let slot = 0; slot < TYPE_COUNT; slot++) {
    const t = hasTypes ? (rawTypes as Tuple)[slot] : undefined;
    if (!t) {
      types.push(null);
      continue;
    }
    if (!Array.isArray(t)) throw new Error('unexpected type definition');
    const source: unknown = t[0];
    types.push({
      source,
      re: source ? entire(source) : null,
      lengths: lengthsOf(t[1]) ?? possibleLengths,
    });
  }
  return {
    country,
    nationalNumber: entire(tuple[NATIONAL_NUMBER_PATTERN]),
    possibleLengths,
    prefixForParsing: npfp ? new RegExp('^(?:' + String(npfp) + ')') : null,
    transformRule: rule ? (rule as string) : undefined,
    leadingDigits: ld ? new RegExp('^(?:' + String(ld) + ')') : null,
    hasTypes,
    types,
  };
}

const countryPlans = new Map<string, Plan>();

function countryPlan(country: string): Plan {
  let plan = countryPlans.get(country);
  if (plan === undefined) {
    const tuple = own(META.countries, country);
    if (!Array.isArray(tuple)) throw new Error(`no metadata for ${country}`);
    plan = compilePlan(tuple, country);
    countryPlans.set(country, plan);
  }
  return plan;
}

/** Metadata.getCountryCodesForCallingCode(): a lone 3-letter entry ('001') means non-geographic. */
function countriesFor(callingCode: string): readonly string[] | undefined {
  const list = own(META.country_calling_codes, callingCode);
  if (!list) return undefined;
  if (list.length === 1 && list[0]!.length === 3) return undefined;
  return list;
}

function compileCallingCode(callingCode: string): CallingCodePlan | null {
  try {
    const ids = countriesFor(callingCode);
    const ngTuple = own(META.nonGeographic, callingCode);
    if (ids !== undefined) {
      const countries = ids.map(countryPlan);
      return { callingCode, main: countries[0]!, countries, nonGeographic: !!ngTuple };
    }
    if (!Array.isArray(ngTuple)) return null;
    return { callingCode, main: compilePlan(ngTuple, undefined), countries: undefined, nonGeographic: true };
  } catch {
    // A shape this code does not know: leave the calling code to the library.
    return null;
  }
}

/** By numeric calling code (1..999), compiled on first use; null: left to the library. */
const callingCodePlans: (CallingCodePlan | null | undefined)[] = new Array(1000).fill(undefined);

function planForCode(code: number): CallingCodePlan | null {
  let p = callingCodePlans[code];
  if (p === undefined) {
    p = compileCallingCode(String(code));
    callingCodePlans[code] = p;
  }
  return p;
}

/** isNumberTypeEqualTo() */
function isType(plan: Plan, slot: number, nn: string): boolean {
  const def = plan.types[slot];
  if (!def || !def.source || def.re === null) return false;
  if (def.lengths && def.lengths.indexOf(nn.length) < 0) return false;
  return def.re.test(nn);
}

// Last numberType() answer: resolving a shared calling code by type (NANP,
// +44 ...) and then typing the number would otherwise test it all twice.
let lastPlan: Plan | null = null;
let lastNumber = '';
let lastType: LibNumberType | undefined;

/** getNumberType() for a selected plan. */
function numberType(plan: Plan, nn: string): LibNumberType | undefined {
  if (plan === lastPlan && nn === lastNumber) return lastType;
  const type = typeOf(plan, nn);
  lastPlan = plan;
  lastNumber = nn;
  lastType = type;
  return type;
}

function typeOf(plan: Plan, nn: string): LibNumberType | undefined {
  if (!plan.nationalNumber.test(nn)) return undefined;
  if (isType(plan, FIXED_LINE, nn)) {
    const mobile = plan.types[MOBILE];
    if (mobile && mobile.source === '') return 'FIXED_LINE_OR_MOBILE';
    if (!mobile) return 'FIXED_LINE_OR_MOBILE';
    if (isType(plan, MOBILE, nn)) return 'FIXED_LINE_OR_MOBILE';
    return 'FIXED_LINE';
  }
  for (const [slot, type] of NON_FIXED_LINE) {
    if (isType(plan, slot, nn)) return type;
  }
  return undefined;
}

/** getCountryByCallingCode() + getCountryByNationalNumber(). */
function countryOf(cc: CallingCodePlan, nn: string): Plan | undefined {
  const countries = cc.countries;
  if (countries === undefined) return undefined;
  if (countries.length === 1) return countries[0];
  for (const p of countries) {
    if (p.leadingDigits !== null) {
      if (nn && p.leadingDigits.test(nn)) return p;
    } else if (numberType(p, nn) !== undefined) {
      return p;
    }
  }
  return undefined;
}

type LengthCheck = 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH';

/** checkNumberLength() without a type. */
function checkLength(nn: string, lengths: readonly number[] | undefined): LengthCheck {
  if (!lengths) return 'IS_POSSIBLE';
  const n = nn.length;
  const min = lengths[0]!;
  if (min === n) return 'IS_POSSIBLE';
  if (min > n) return 'TOO_SHORT';
  if (lengths[lengths.length - 1]! < n) return 'TOO_LONG';
  return lengths.indexOf(n, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}

/**
 * extractNationalNumber(): strip a national prefix the number carries after
 * the calling code ('+44 0 20...'), undoing it when that makes the number
 * worse. `plan` is the one the library has selected: the calling code's main
 * one for international input, the home country's for a national reading.
 */
function nationalNumberOf(cc: CallingCodePlan, number: string, plan: Plan = cc.main): string {
  const re = plan.prefixForParsing;
  if (!number || re === null) return number;
  const m = re.exec(number);
  if (m === null) return number;
  const groups = m.length - 1;
  const hasGroups = groups > 0 && !!m[groups];
  const nn = plan.transformRule !== undefined && hasGroups ? number.replace(re, plan.transformRule) : number.slice(m[0].length);
  if (nn === number) return number;
  if (plan.nationalNumber.test(number) && !plan.nationalNumber.test(nn)) return number;
  if (plan.possibleLengths) {
    const country = countryOf(cc, nn);
    const check = checkLength(nn, country !== undefined ? country.possibleLengths : plan.possibleLengths);
    if (check === 'TOO_SHORT' || check === 'INVALID_LENGTH') return number;
  }
  return nn;
}

/**
 * What the library makes of '+' + digits (`digits`: ASCII digits only), as a
 * Reading; undefined where parsePhoneNumberFromString() would return
 * undefined; DECLINED when the library should be asked instead.
 *
 * `plusForm`, when the caller already holds '+' + digits, becomes the e164 if
 * no national prefix was stripped: one flat string shared with the raw value
 * instead of a new one kept alive in every cache entry.
 */
export function readInternational(digits: string, plusForm?: string): Reading | undefined | typeof DECLINED {
  // Shorter inputs hit the parser's viability rules; not worth mirroring.
  if (!SUPPORTED || digits.length < 3 || digits.length > 248) return DECLINED;
  if (digits.charCodeAt(0) === 48) return undefined;
  const ccLen = callingCodeLength(digits);
  if (ccLen === 0) return undefined;
  if (digits.length === ccLen) return undefined;
  // The code as a number (callingCodeLength() vouched for its digits): no substring for the lookup.
  let code = 0;
  for (let i = 0; i < ccLen; i++) code = code * 10 + digits.charCodeAt(i) - 48;
  const cc = planForCode(code);
  if (cc === null) return DECLINED;
  const rest = digits.slice(ccLen);

  const nn = nationalNumberOf(cc, rest);
  // parse(): MIN_LENGTH_FOR_NSN / MAX_LENGTH_FOR_NSN.
  if (nn.length < 2 || nn.length > 17) return undefined;
  const exact = countryOf(cc, nn);
  // isValid(), isPossible() and getType() all select country || callingCode.
  const plan = exact ?? cc.main;
  const type = numberType(plan, nn);
  const valid = plan.hasTypes ? type !== undefined : plan.nationalNumber.test(nn);
  let possible: boolean;
  if (plan.possibleLengths) possible = checkLength(nn, plan.possibleLengths) === 'IS_POSSIBLE';
  else possible = cc.nonGeographic; // the library throws otherwise, which classify reads as false
  return {
    e164: plusForm !== undefined && nn === rest ? plusForm : '+' + cc.callingCode + nn,
    callingCode: cc.callingCode,
    country: exact?.country,
    nonGeographic: cc.nonGeographic,
    valid,
    possible,
    type,
  };
}

/** The home country as parse(digits, { defaultCountry }) sees it. */
interface HomeReader {
  /** The ISO code given to the library (phone.country of a national reading). */
  country: string;
  /** The home country's own plan (selected by country, not by calling code). */
  plan: Plan;
  /** Plans of the home calling code, for shared codes (NANP, +44, +7 ...). */
  cc: CallingCodePlan;
  /** '^(?:IDDPrefix)': stripIddPrefix()'s `search(new RegExp(IDD)) === 0`; null when there is none. */
  idd: RegExp | null;
}

const homeReaders = new Map<string, HomeReader | null>();

function homeReader(country: string): HomeReader | null {
  let h = homeReaders.get(country);
  if (h === undefined) {
    h = compileHome(country);
    homeReaders.set(country, h);
  }
  return h;
}

function compileHome(country: string): HomeReader | null {
  try {
    const tuple = own(META.countries, country);
    if (!Array.isArray(tuple)) return null;
    const callingCode: unknown = tuple[0];
    const idd: unknown = tuple[1];
    if (typeof callingCode !== 'string' || !/^[1-9]\d{0,2}$/.test(callingCode)) return null;
    if (idd && typeof idd !== 'string') return null;
    const cc = planForCode(Number(callingCode));
    if (cc === null || cc.countries === undefined) return null;
    const plan = cc.countries.find((p) => p.country === country) ?? countryPlan(country);
    return { country, plan, cc, idd: idd ? new RegExp('^(?:' + idd + ')') : null };
  } catch {
    return null;
  }
}

/**
 * What the library makes of parsePhoneNumberFromString(digits, home) for
 * `digits` (ASCII digits only, no '+'), as a Reading; undefined where the
 * library returns undefined; DECLINED when the library should be asked.
 *
 * The library's steps (parse.js parsePhoneNumber()): an IDD prefix of the
 * home country makes the rest international; else a leading home calling
 * code is dropped when that reads better (extractCountryCallingCode-
 * FromInternationalNumberWithoutPlusSign); then the national prefix is
 * stripped against the selected plan and the country resolved by the
 * national number, falling back to the home country for a national reading.
 */
export function readNational(digits: string, home: string): Reading | undefined | typeof DECLINED {
  // Same bounds as readInternational(); the library's viability rules need at least 3 digits.
  if (!SUPPORTED || digits.length < 3 || digits.length > 248) return DECLINED;
  const h = homeReader(home);
  if (h === null) return DECLINED;

  // stripIddPrefix(): only when something follows that does not start with '0'.
  if (h.idd !== null) {
    const m = h.idd.exec(digits);
    if (m !== null && m[0].length > 0 && m[0].length < digits.length && digits.charCodeAt(m[0].length) !== 48) {
      return readInternational(digits.slice(m[0].length));
    }
  }

  const cc = h.cc;
  const hc = cc.callingCode;
  const H = h.plan;
  let number = digits;
  let fromNumber = false;
  if (digits.startsWith(hc)) {
    // International without its '+': keep the shorter reading when the long one is not a number.
    const shorter = digits.slice(hc.length);
    const nnShort = nationalNumberOf(cc, shorter, H);
    const nnFull = nationalNumberOf(cc, digits, H);
    if ((!H.nationalNumber.test(nnFull) && H.nationalNumber.test(nnShort)) || checkLength(nnFull, H.possibleLengths) === 'TOO_LONG') {
      fromNumber = true;
      number = shorter;
    }
  }
  // parsePhoneNumber(): nothing after the calling code is TOO_SHORT.
  if (number.length === 0) return undefined;
  // The plan selected by country (national reading) or by calling code (its main country).
  const nn = nationalNumberOf(cc, number, fromNumber ? cc.main : H);
  if (nn.length < 2 || nn.length > 17) return undefined;
  const exact = countryOf(cc, nn);
  const country = exact?.country ?? (fromNumber ? undefined : h.country);
  // isValid(), isPossible() and getType() select country || callingCode.
  const plan = exact ?? (fromNumber ? cc.main : H);
  const type = numberType(plan, nn);
  const valid = plan.hasTypes ? type !== undefined : plan.nationalNumber.test(nn);
  let possible: boolean;
  if (plan.possibleLengths) possible = checkLength(nn, plan.possibleLengths) === 'IS_POSSIBLE';
  else possible = cc.nonGeographic;
  return {
    e164: '+' + hc + nn,
    callingCode: hc,
    country,
    nonGeographic: cc.nonGeographic,
    valid,
    possible,
    type,
  };
}
