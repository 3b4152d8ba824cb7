/**
 * NumberInfo for a presented number, memoised per raw string: the same callers
 * and callees repeat constantly, and a libphonenumber parse + validity check
 * costs ~20 µs, so the hot path should mostly be one LRU lookup. Misses on
 * international forms are answered from compiled metadata (compiled.ts) at a
 * fraction of that; classifyReference() keeps the library-only answer.
 */
import { LRUCache } from 'lru-cache';
import type { NumberType as LibNumberType, PhoneNumber } from 'libphonenumber-js/max';
import { analyse, type Analysis } from './normalise.js';
import type { Reading } from './compiled.js';
import { homePlan, NON_GEOGRAPHIC_CODES, UIFN_CODES, type HomePlan } from './metadata.js';
import type { NumberInfo, NumberType } from './types.js';

const TYPE_MAP: Readonly<Record<NonNullable<LibNumberType>, NumberType>> = {
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed-line',
  FIXED_LINE_OR_MOBILE: 'fixed-line-or-mobile',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

/** Raw values longer than this are classified but not cached, so junk floods cannot bloat memory. */
export const MAX_CACHED_RAW = 256;

/** Keys for numbers without an E.164 form stay short whatever was sent. */
const MAX_KEY = 64;

export class NumberClassifier {
  readonly home: string;
  private readonly plan: HomePlan;
  private readonly cache: LRUCache<string, NumberInfo> | null;

  constructor(opts: { home: string; cacheSize?: number }) {
    this.plan = homePlan(opts.home);
    this.home = this.plan.country;
    const size = opts.cacheSize ?? 100_000;
    this.cache = size >= 1 ? new LRUCache<string, NumberInfo>({ max: Math.floor(size) }) : null;
  }

  /** Never throws; the returned object is frozen and may be shared between calls. */
  classify(raw: string): NumberInfo {
    if (typeof raw !== 'string') raw = raw == null ? '' : String(raw);
    const cacheable = this.cache !== null && raw.length <= MAX_CACHED_RAW;
    if (cacheable) {
      const hit = this.cache!.get(raw);
      if (hit !== undefined) return hit;
    }
    const info = Object.freeze(build(raw, this.plan, true));
    if (cacheable) this.cache!.set(raw, info);
    return info;
  }

  /**
   * classify() for a number written as a subscriber of `country` would dial
   * it: national digits (trunk prefix and all) and that country's
   * international prefix are read against `country`, while `home` still
   * says whether the number belongs to this classifier's home country.
   * For interconnects whose carrier presents caller IDs in its own national
   * format. Not cached (the engine caches what it needs).
   */
  classifyAs(raw: string, country: string): NumberInfo {
    if (country === this.home) return this.classify(raw);
    if (typeof raw !== 'string') raw = raw == null ? '' : String(raw);
    return Object.freeze(build(raw, homePlan(country), true, this.plan.country));
  }
}

/**
 * classify() as it is without compiled metadata: every parse through
 * libphonenumber-js, no cache. The yardstick the fast path is tested against.
 */
export function classifyReference(raw: string, home: string): NumberInfo {
  if (typeof raw !== 'string') raw = raw == null ? '' : String(raw);
  return Object.freeze(build(raw, homePlan(home), false));
}

/** classify() without a cache: for the rare second reading of a number (a plugin's), not for every call. */
export function classifyUncached(raw: string, home: string): NumberInfo {
  if (typeof raw !== 'string') raw = raw == null ? '' : String(raw);
  return Object.freeze(build(raw, homePlan(home), true));
}

/** `home`: the country the `home` flag is about; the plan's own unless a number is read in another country's format. */
function build(raw: string, plan: HomePlan, fast: boolean, home: string = plan.country): NumberInfo {
  let a: Analysis;
  try {
    a = analyse(raw, plan, fast);
  } catch {
    a = { e164: null, problem: 'non-digit', valid: false, digits: '' };
  }

  const r = a.reading ?? (a.phone !== undefined ? readingOf(a.phone, a.valid) : undefined);
  if (a.e164 === null || r === undefined) {
    const info: NumberInfo = {
      raw,
      e164: null,
      key: fallbackKey(raw, a.problem, a.digits),
      valid: false,
      possible: false,
      country: null,
      callingCode: null,
      type: 'unknown',
      home: false,
      uifn: false,
      nonGeographic: false,
    };
    if (a.problem !== undefined) info.problem = a.problem;
    return info;
  }

  const callingCode = r.callingCode;
  const nonGeographic = NON_GEOGRAPHIC_CODES.has(callingCode) || r.nonGeographic;
  const country = r.country ?? (nonGeographic ? '001' : null);
  const libType = a.valid ? r.type : undefined;
  const info: NumberInfo = {
    raw,
    e164: a.e164,
    key: a.e164,
    valid: a.valid,
    possible: r.possible,
    country,
    callingCode,
    type: libType === undefined ? 'unknown' : (TYPE_MAP[libType] ?? 'unknown'),
    home: country === home,
    uifn: UIFN_CODES.has(callingCode),
    nonGeographic,
  };
  if (a.problem !== undefined) info.problem = a.problem;
  return info;
}

/** The library's answers for a parsed number; any that throws counts as "no". */
export function readingOf(phone: PhoneNumber, valid: boolean): Reading {
  return {
    e164: phone.number as string,
    callingCode: phone.countryCallingCode as string,
    country: phone.country as string | undefined,
    nonGeographic: safe(() => phone.isNonGeographic(), false),
    valid,
    possible: safe(() => phone.isPossible(), false),
    type: valid ? safe(() => phone.getType(), undefined) : undefined,
  };
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** Statistics key when there is no E.164: stable per presented value, bounded in size. */
function fallbackKey(raw: string, problem: string | undefined, digits: string): string {
  if (problem === 'empty') return '';
  if (problem === 'anonymous') return 'anonymous';
  if (digits.length > 0) return '?' + digits.slice(0, MAX_KEY);
  return '?' + raw.trim().toLowerCase().slice(0, MAX_KEY);
}
