/**
 * NumberInfo for a presented number, memoised per raw string: the same callers
 * and callees repeat constantly, and a libphonenumber parse + validity check
 * costs ~10 µs, so the hot path should mostly be one LRU lookup.
 */
import { LRUCache } from 'lru-cache';
import type { NumberType as LibNumberType } from 'libphonenumber-js/max';
import { analyse, type Analysis } from './normalise.js';
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
const MAX_CACHED_RAW = 256;

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
    const info = Object.freeze(this.build(raw));
    if (cacheable) this.cache!.set(raw, info);
    return info;
  }

  private build(raw: string): NumberInfo {
    let a: Analysis;
    try {
      a = analyse(raw, this.plan);
    } catch {
      a = { e164: null, problem: 'non-digit', valid: false, digits: '' };
    }

    if (a.e164 === null || a.phone === undefined) {
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

    const phone = a.phone;
    const callingCode = phone.countryCallingCode as string;
    const nonGeographic = NON_GEOGRAPHIC_CODES.has(callingCode) || safe(() => phone.isNonGeographic(), false);
    const country = (phone.country as string | undefined) ?? (nonGeographic ? '001' : null);
    const libType = a.valid ? safe(() => phone.getType(), undefined) : undefined;
    const info: NumberInfo = {
      raw,
      e164: a.e164,
      key: a.e164,
      valid: a.valid,
      possible: safe(() => phone.isPossible(), false),
      country,
      callingCode,
      type: libType === undefined ? 'unknown' : (TYPE_MAP[libType] ?? 'unknown'),
      home: country === this.home,
      uifn: UIFN_CODES.has(callingCode),
      nonGeographic,
    };
    if (a.problem !== undefined) info.problem = a.problem;
    return info;
  }
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
