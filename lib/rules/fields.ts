/**
 * Typed config fields. A plugin's schema is a record of these; the rules
 * loader uses them to validate YAML values (it adds file:line:col) and to
 * export JSON Schema for editors. A field never throws: it returns an error
 * message that the loader places.
 */
import { isSupportedCountry } from 'libphonenumber-js/max';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Field<T> {
  readonly kind: string;
  readonly description: string;
  /** Value used when the key is absent; undefined means the key is required. */
  readonly default: T | undefined;
  parse(value: unknown): FieldResult<T>;
  jsonSchema(): Record<string, unknown>;
}

export type Schema<C> = { [K in keyof C]: Field<C[K]> };

export interface Opts<T> {
  default?: T;
  description?: string;
}

function make<T>(kind: string, o: Opts<T>, js: Record<string, unknown>, parse: (v: unknown) => FieldResult<T>): Field<T> {
  const schema: Record<string, unknown> = { ...js };
  if (o.description) schema.description = o.description;
  return {
    kind,
    description: o.description ?? '',
    default: o.default,
    parse,
    jsonSchema: () => schema,
  };
}

/** A field with its own parser, for values the builders below do not cover. */
export function custom<T>(kind: string, o: Opts<T>, jsonSchema: Record<string, unknown>, parse: (v: unknown) => FieldResult<T>): Field<T> {
  return make(kind, o, jsonSchema, parse);
}

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const bad = <T>(error: string): FieldResult<T> => ({ ok: false, error });

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/**
 * The longest duration any setting takes: a year and a day. Longer is a typo
 * (or 1e308, which is Infinity in milliseconds and made every hold end at an
 * invalid date); no window, hold or timer of call screening is that long.
 */
export const MAX_DURATION_MS = 366 * 86_400_000;
const tooLong = (v: unknown): FieldResult<number> => bad(`duration ${typeof v === 'string' ? `'${v}'` : String(v)} is longer than any setting takes (at most 366d)`);

/** Parse '90s', '10m', '24h', '1d', '500ms' (or a bare number of seconds) to milliseconds. */
export function parseDuration(v: unknown): FieldResult<number> {
  if (typeof v === 'number') {
    if (!(Number.isFinite(v) && v >= 0)) return bad(`expected a duration like 90s, 10m, 24h; got ${v}`);
    const ms = Math.round(v * 1000);
    return ms <= MAX_DURATION_MS ? ok(ms) : tooLong(v);
  }
  if (typeof v !== 'string') return bad(`expected a duration like 90s, 10m, 24h; got ${typeof v}`);
  const m = DURATION_RE.exec(v.trim());
  if (!m) {
    const hint = durationHint(v);
    return bad(`expected a duration like 90s, 10m, 24h; got '${v}'${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`);
  }
  const ms = Math.round(Number(m[1]) * (UNITS[m[2] as string] as number));
  return ms <= MAX_DURATION_MS ? ok(ms) : tooLong(v);
}

/** Unit words people write, by the unit this format uses for them. */
const UNIT_WORDS: Record<string, string> = {
  msec: 'ms', msecs: 'ms', millisecond: 'ms', milliseconds: 'ms',
  sec: 's', secs: 's', second: 's', seconds: 's',
  min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  day: 'd', days: 'd',
};
const unitOf = (word: string): string | undefined => {
  const w = word.toLowerCase();
  // Own keys only: 'constructor' is 'in' every object.
  return Object.hasOwn(UNITS, w) ? w : Object.hasOwn(UNIT_WORDS, w) ? UNIT_WORDS[w] : undefined;
};

/**
 * What a duration the format does not read was probably meant to be:
 * '10 min' -> '10m', '10M' -> '10m', '1 hour' -> '1h', '1h30m' -> '90m'.
 * Undefined when it is not a number with unit words.
 */
function durationHint(v: string): string | undefined {
  const parts = [...v.trim().matchAll(/(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*/gy)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v.trim()) return undefined;
  let ms = 0;
  for (const p of parts) {
    const unit = unitOf(p[2] as string);
    if (unit === undefined) return undefined;
    ms += Number(p[1]) * (UNITS[unit] as number);
  }
  if (parts.length === 1) return `${parts[0]![1]}${unitOf(parts[0]![2] as string)}`;
  return formatDuration(Math.round(ms));
}

const DURATION_UNITS = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const;
/** Signals name their configured windows in every reason: a handful of values, formatted once each. */
const formatted = new Map<number, string>();

/** Milliseconds back to the shortest exact unit, for reasons and `check` output. */
export function formatDuration(ms: number): string {
  let text = formatted.get(ms);
  if (text !== undefined) return text;
  text = ms === 0 ? '0s' : `${ms}ms`;
  for (const [u, f] of DURATION_UNITS) {
    if (ms >= f && ms % f === 0) {
      text = `${ms / f}${u}`;
      break;
    }
  }
  // Bounded: a caller passing arbitrary values gets correct text, just no memo beyond this.
  if (formatted.size < 256) formatted.set(ms, text);
  return text;
}

export function duration(o: Opts<string | number> & { min?: string; max?: string } = {}): Field<number> {
  const min = o.min ? (parseDuration(o.min) as { value: number }).value : 0;
  const max = o.max ? (parseDuration(o.max) as { value: number }).value : Infinity;
  const def = o.default === undefined ? undefined : (parseDuration(o.default) as { ok: true; value: number }).value;
  return make<number>('duration', { default: def, description: o.description },
    { type: ['string', 'number'], pattern: '^\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)$', default: o.default }, (v) => {
      const r = parseDuration(v);
      if (!r.ok) return r;
      if (r.value < min) return bad(`must be at least ${o.min}`);
      if (r.value > max) return bad(`must be at most ${o.max}`);
      return r;
    });
}

function numeric(kind: string, integer: boolean, o: Opts<number> & { min?: number; max?: number }): Field<number> {
  const js: Record<string, unknown> = { type: integer ? 'integer' : 'number' };
  if (o.min !== undefined) js.minimum = o.min;
  if (o.max !== undefined) js.maximum = o.max;
  if (o.default !== undefined) js.default = o.default;
  return make<number>(kind, o, js, (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return bad(`expected a number, got ${JSON.stringify(v)}`);
    if (integer && !Number.isInteger(v)) return bad(`expected a whole number, got ${v}`);
    if (o.min !== undefined && v < o.min) return bad(`must be at least ${o.min}, got ${v}`);
    if (o.max !== undefined && v > o.max) return bad(`must be at most ${o.max}, got ${v}`);
    return ok(v);
  });
}

export const int = (o: Opts<number> & { min?: number; max?: number } = {}): Field<number> => numeric('int', true, o);
export const num = (o: Opts<number> & { min?: number; max?: number } = {}): Field<number> => numeric('number', false, o);
/**
 * The reject threshold: above 0. Every call starts at score 0, so a threshold
 * of 0 or less rejects the calls no signal scored, which is the whole of an
 * operator's clean traffic: a typo, never a setting.
 */
export function rejectThreshold(o: Opts<number> = {}): Field<number> {
  return aboveZero(o, 'this would reject calls no signal scored');
}

/**
 * The tag threshold: above 0, for the same reason as the reject threshold (0
 * or less tags the calls no signal scored). Equal to the reject threshold is
 * allowed: that is how tagging is turned off (a score reaching it rejects).
 */
export function tagThreshold(o: Opts<number> = {}): Field<number> {
  return aboveZero(o, 'this would tag calls no signal scored (to turn tagging off, set tag equal to the reject threshold)');
}

function aboveZero(o: Opts<number>, why: string): Field<number> {
  return make<number>('number', o, { type: 'number', exclusiveMinimum: 0, default: o.default }, (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return bad(`expected a number, got ${JSON.stringify(v)}`);
    if (v <= 0) return bad(`must be above 0, got ${v}: every call starts at score 0, so ${why}`);
    return ok(v);
  });
}
/** A fraction 0..1 (e.g. an answer ratio). */
export const ratio = (o: Opts<number> = {}): Field<number> => numeric('ratio', false, { ...o, min: 0, max: 1 });
/** Points a signal adds to the score; negative for good behaviour. */
export const points = (o: Opts<number> = {}): Field<number> => numeric('points', false, { ...o, min: -1000, max: 1000 });

export function bool(o: Opts<boolean> = {}): Field<boolean> {
  return make<boolean>('bool', o, { type: 'boolean', default: o.default }, (v) =>
    typeof v === 'boolean' ? ok(v) : bad(`expected true or false, got ${JSON.stringify(v)}`));
}

/** `expect` says in words what `pattern` asks for ("a header name of ..."): the error reads better than a regex. */
export function str(o: Opts<string> & { pattern?: RegExp; expect?: string } = {}): Field<string> {
  const js: Record<string, unknown> = { type: 'string', default: o.default };
  if (o.pattern) js.pattern = o.pattern.source;
  return make<string>('string', o, js, (v) => {
    if (typeof v === 'number') v = String(v);
    if (typeof v !== 'string') return bad(`expected text, got ${JSON.stringify(v)}`);
    // Control characters are shown escaped: a raw line break would split the error line in two.
    const shown = /[\x00-\x1f\x7f]/.test(v) ? JSON.stringify(v) : `'${v}'`;
    if (o.pattern && !o.pattern.test(v)) return bad(o.expect ? `${shown} is not ${o.expect}` : `${shown} does not match ${o.pattern}`);
    return ok(v);
  });
}

export function oneOf<T extends string | number>(values: readonly T[], o: Opts<T> = {}): Field<T> {
  return make<T>('enum', o, { enum: values, default: o.default }, (v) =>
    values.includes(v as T) ? ok(v as T) : bad(`expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`));
}

export function strings(o: Opts<string[]> & { max?: number } = {}): Field<string[]> {
  const max = o.max ?? 1_000_000;
  return make<string[]>('strings', o, { type: 'array', items: { type: ['string', 'number'] }, default: o.default }, (v) => {
    if (typeof v === 'string' || typeof v === 'number') v = [v];
    if (!Array.isArray(v)) return bad('expected a list of text values');
    if (v.length > max) return bad(`at most ${max} entries, got ${v.length}`);
    const out: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'string' && typeof x !== 'number') return bad(`entry ${i + 1}: expected text, got ${JSON.stringify(x)}`);
      out.push(String(x));
    }
    return ok(out);
  });
}

/**
 * ISO 3166-1 alpha-2 country with a numbering plan (libphonenumber's list, so a
 * code that can never match a classified number is refused). Case-insensitive,
 * parsed to upper case. `nonGeographic` also admits '001' (+800, +882 ...).
 */
export function country(o: Opts<string> & { nonGeographic?: boolean } = {}): Field<string> {
  return make<string>('country', o, { type: 'string', pattern: countryPattern(o), default: o.default }, (v) => checkCountry(v, o.nonGeographic === true));
}

/** A list of countries (one value is taken as a list of one). */
export function countries(o: Opts<string[]> & { nonGeographic?: boolean } = {}): Field<string[]> {
  return make<string[]>('countries', o, { type: 'array', items: { type: 'string', pattern: countryPattern(o) }, default: o.default }, (v) => {
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list)) return bad('expected a list of country codes such as [CN, GB]');
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const r = checkCountry(list[i], o.nonGeographic === true);
      if (!r.ok) return bad(`entry ${i + 1}: ${r.error}`);
      out.push(r.value);
    }
    return ok(out);
  });
}

/** Codes people use that are not ISO 3166 alpha-2 (EU and ITU habits), with the ISO code and the country. */
const NOT_ISO: Readonly<Record<string, readonly [string, string]>> = { UK: ['GB', 'the United Kingdom'], EL: ['GR', 'Greece'] };

const countryPattern = (o: { nonGeographic?: boolean }): string => (o.nonGeographic ? '^([A-Za-z]{2}|001)$' : '^[A-Za-z]{2}$');

function checkCountry(v: unknown, nonGeo: boolean): FieldResult<string> {
  if (nonGeo && (v === '001' || v === 1)) return ok('001');
  if (typeof v !== 'string' || !/^[A-Za-z]{2}$/.test(v)) return bad(`expected a two-letter country code such as CN, got ${JSON.stringify(v)}`);
  const c = v.toUpperCase();
  if (isSupportedCountry(c)) return ok(c);
  const iso = NOT_ISO[c];
  return bad(`unknown country code '${v}'${iso ? ` (ISO 3166 writes ${iso[1]} as ${iso[0]})` : ''}`);
}

/**
 * An IANA time zone ('Asia/Shanghai', 'UTC'), in its canonical case. A renamed zone keeps the name
 * it was written with: ICU answers with its own canonical id, which for those is the old name
 * (Asia/Kolkata comes back as Asia/Calcutta, Europe/Kyiv as Europe/Kiev), and `check` would print
 * a name that the operator never wrote and the IANA database has deprecated.
 */
export function timezone(o: Opts<string> = {}): Field<string> {
  return make<string>('timezone', o, { type: 'string', default: o.default }, (v) => {
    if (typeof v !== 'string' || v.trim() === '') return bad(`expected a time zone such as Asia/Shanghai, got ${JSON.stringify(v)}`);
    try {
      const written = v.trim();
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: written }).resolvedOptions().timeZone;
      return ok(resolved.toLowerCase() === written.toLowerCase() ? resolved : written);
    } catch {
      return bad(`unknown time zone '${v}' (want an IANA name such as Asia/Shanghai or UTC)`);
    }
  });
}
