/**
 * Scope `when`: the fields that validate it and the predicate it compiles to.
 * Absent keys match anything; present keys must all match. Everything that
 * can be precomputed (CIDR masks, minute ranges, a weekday bitmask) is.
 */
import type { ScopeInput } from '../engine/config.js';
import { cachedIp, inCidr, parseCidr, type Cidr } from './cidr.js';
import type { LocalClock } from './clock.js';
import type { NumberType } from '../numbers/types.js';
import { countries, custom, type Field, type FieldResult } from './fields.js';

export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const bad = <T>(error: string): FieldResult<T> => ({ ok: false, error });

/** One value or a list of them, each checked (and normalised) by `each`. */
function listOf(kind: string, description: string, item: Record<string, unknown>, each: (s: string) => FieldResult<string[]>): Field<string[]> {
  // One bare value is accepted too, so the top level takes the item's types besides 'array'.
  const one = Array.isArray(item.type) ? item.type : [item.type];
  // A closed set of values is checked on a bare value too: one schema for the list, one for the value.
  const schema = item.enum ? { anyOf: [{ type: 'array', items: item }, item] } : { type: ['array', ...one], items: item, ...(item.pattern ? { pattern: item.pattern } : {}) };
  return custom<string[]>(kind, { description }, schema, (v) => {
    const list = typeof v === 'string' || typeof v === 'number' ? [v] : v;
    if (!Array.isArray(list)) return bad('expected a list');
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const x: unknown = list[i];
      if (typeof x !== 'string' && typeof x !== 'number') return bad(`entry ${i + 1}: expected text, got ${JSON.stringify(x)}`);
      const r = each(String(x).trim());
      if (!r.ok) return bad(list.length > 1 ? `entry ${i + 1}: ${r.error}` : r.error);
      for (const y of r.value) if (!out.includes(y)) out.push(y);
    }
    return ok(out);
  });
}

const TRUNK = /^[A-Za-z0-9][\w.@:-]*$/;

/** Number types a scope can select callers by (NumberInfo.type). */
export const CALLER_TYPES: readonly NumberType[] = [
  'mobile', 'fixed-line', 'fixed-line-or-mobile', 'toll-free', 'premium-rate', 'shared-cost', 'voip', 'personal', 'pager', 'uan', 'voicemail', 'unknown',
];

/** Written as the numbering module names them, like the toll-free signal's `types` (and the JSON Schema's enum). */
function typeEntry(s: string): FieldResult<string[]> {
  return (CALLER_TYPES as readonly string[]).includes(s) ? ok([s]) : bad(`'${s}' is not a number type (one of ${CALLER_TYPES.join(', ')})`);
}

/** A trunk name or an IPv4/IPv6 address or network. */
function sourceEntry(s: string): FieldResult<string[]> {
  if (parseCidr(s)) return ok([s]);
  if (s.includes('/') || /^[\d.]+$/.test(s)) return bad(`'${s}' is not a valid IP network (want 10.1.0.0/16 or 2001:db8::/32)`);
  return TRUNK.test(s) ? ok([s]) : bad(`'${s}' is neither an IP network nor a trunk name`);
}

/** '+44', '44' or '0044' → '+44'. */
function prefixEntry(s: string): FieldResult<string[]> {
  const m = /^(?:\+|00)?(\d{1,15})$/.exec(s.replace(/[\s-]/g, ''));
  if (!m || (m[1] as string).startsWith('0')) return bad(`expected an international prefix such as +4420, got '${s}'`);
  return ok([`+${m[1]}`]);
}

const HOURS_RE = /^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$/;

/** 'H[:MM]-H[:MM]' → [start, end) in minutes of the day. End may be 24:00; end <= start wraps midnight. */
export function parseHours(s: string): [number, number] | string {
  const m = HOURS_RE.exec(s);
  if (!m) return `expected a time range such as 22:00-06:00, got '${s}'`;
  const at = (h: string, mm: string | undefined): number | null => {
    const hh = Number(h);
    const mi = mm === undefined ? 0 : Number(mm);
    if (mi > 59 || hh > 24 || (hh === 24 && mi !== 0)) return null;
    return hh * 60 + mi;
  };
  const a = at(m[1] as string, m[2]);
  const b = at(m[3] as string, m[4]);
  if (a === null || b === null || a === 1440) return `'${s}' is not a valid time range (hours 0-24, minutes 0-59)`;
  if (a === b) return `'${s}' is empty: start and end are the same (use 00:00-24:00 for the whole day)`;
  return [a, b];
}

/** Minutes of the day as HH:MM. */
export const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function hoursEntry(s: string): FieldResult<string[]> {
  const r = parseHours(s);
  return typeof r === 'string' ? bad(r) : ok([`${hhmm(r[0])}-${hhmm(r[1])}`]);
}

const FULL_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** 'mon', 'tues', 'Monday' → 0..6; -1 otherwise. */
function dayIndex(s: string): number {
  const l = s.toLowerCase();
  return l.length < 3 ? -1 : FULL_DAYS.findIndex((d) => d.startsWith(l));
}

/** 'mon', 'Monday', or a range 'mon-fri' / 'fri-mon' (wraps the week). */
function daysEntry(s: string): FieldResult<string[]> {
  const parts = s.split('-').map((p) => p.trim());
  const idx = parts.map(dayIndex);
  if (parts.length > 2 || idx.some((i) => i < 0)) return bad(`expected a day such as mon or a range such as mon-fri, got '${s}'`);
  const a = idx[0] as number;
  const b = idx[parts.length - 1] as number;
  const out: string[] = [];
  for (let i = a; ; i = (i + 1) % 7) {
    out.push(DAY_NAMES[i] as string);
    if (i === b) break;
  }
  return ok(out);
}

export const WHEN_FIELDS = {
  source: listOf('sources', 'Ingress peers: exact trunk names, or IPv4/IPv6 addresses and CIDR networks.', { type: 'string' }, sourceEntry),
  caller_country: countries({ nonGeographic: true, description: "Caller's country (ISO alpha-2, '001' for non-geographic numbers)." }),
  caller_type: listOf('types', "Caller's number type as classified: mobile, fixed-line, fixed-line-or-mobile (NANP and others that do not tell them apart), toll-free, voip ... ('unknown' for invalid and withheld numbers).", { type: 'string', enum: [...CALLER_TYPES] }, typeEntry),
  caller_prefix: listOf('prefixes', 'Caller E.164 starts with one of these (+44, 0044 or 44).', { type: ['string', 'number'] }, prefixEntry),
  callee_prefix: listOf('prefixes', 'Callee E.164 starts with one of these.', { type: ['string', 'number'] }, prefixEntry),
  hours: listOf('hours', "Local time ranges 'HH:MM-HH:MM' in `timezone`, start inclusive, end exclusive; a range may wrap midnight (22:00-06:00).", { type: 'string', pattern: HOURS_RE.source }, hoursEntry),
  days: listOf('days', "Local weekdays (mon..sun, or ranges such as mon-fri). With a range that wraps midnight, the hours after midnight belong to the day the range started.", { type: 'string' }, daysEntry),
} as const;

export type WhenSpec = { [K in keyof typeof WHEN_FIELDS]?: string[] };

/** Whether a call's source (trunk name or peer IP) is one of `list` (names, addresses, CIDR networks; validated by WHEN_FIELDS.source). */
export function sourceMatcher(list: readonly string[]): (source: string | undefined) => boolean {
  const names = new Set<string>();
  const nets: Cidr[] = [];
  for (const s of list) {
    const c = parseCidr(s);
    if (c) nets.push(c);
    else names.add(s);
  }
  return (src) => {
    if (src === undefined) return false;
    if (names.has(src)) return true;
    if (nets.length === 0) return false;
    const ip = cachedIp(src);
    if (ip === null) return false;
    for (const n of nets) if (inCidr(ip, n)) return true;
    return false;
  };
}

/** The scope predicate. `clock` is shared by all scopes of one rules set (same time zone). */
export function compileWhen(spec: WhenSpec, clock: LocalClock): ((input: ScopeInput) => boolean) {
  const tests: ((input: ScopeInput) => boolean)[] = [];

  if (spec.source?.length) {
    const matches = sourceMatcher(spec.source);
    tests.push((i) => matches(i.source));
  }

  if (spec.caller_country?.length) {
    const set = new Set(spec.caller_country);
    tests.push((i) => i.caller.country !== null && set.has(i.caller.country));
  }

  if (spec.caller_type?.length) {
    const set = new Set(spec.caller_type);
    tests.push((i) => set.has(i.caller.type));
  }

  const prefixTest = (list: string[] | undefined, side: 'caller' | 'callee'): void => {
    if (!list?.length) return;
    tests.push((i) => {
      const e = i[side].e164;
      if (e === null) return false;
      for (const p of list) if (e.startsWith(p)) return true;
      return false;
    });
  };
  prefixTest(spec.caller_prefix, 'caller');
  prefixTest(spec.callee_prefix, 'callee');

  const ranges = (spec.hours ?? []).map((h) => parseHours(h) as [number, number]);
  let dayMask = 0;
  for (const d of spec.days ?? []) dayMask |= 1 << DAY_NAMES.indexOf(d as (typeof DAY_NAMES)[number]);
  const days = (spec.days?.length ?? 0) > 0;

  if (ranges.length > 0) {
    tests.push((i) => {
      const { minute, day } = clock.sync(i.at);
      for (const [a, b] of ranges) {
        let startDay = -1;
        if (a < b) {
          if (minute >= a && minute < b) startDay = day;
        } else if (minute >= a) {
          startDay = day;
        } else if (minute < b) {
          startDay = (day + 6) % 7; // after midnight: the night began yesterday
        }
        if (startDay >= 0 && (!days || (dayMask & (1 << startDay)) !== 0)) return true;
      }
      return false;
    });
  } else if (days) {
    tests.push((i) => (dayMask & (1 << clock.sync(i.at).day)) !== 0);
  }

  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0] as (input: ScopeInput) => boolean;
  return (i) => {
    for (const t of tests) if (!t(i)) return false;
    return true;
  };
}
