/**
 * Caller/callee ID → E.164.
 *
 * Carriers send numbers in every shape: bare E.164, IDD-prefixed, national with
 * or without trunk prefix, whole SIP name-addrs, tel: URIs with parameters,
 * percent-encoded '+'. We peel the transport syntax off with plain char loops
 * (this runs on every cache miss) and only hand clean digit strings to
 * libphonenumber-js, which is the slow part. International and national
 * readings go through the compiled metadata in compiled.ts, which gives the
 * library's answers many times faster; the library answers what it declines.
 */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { callingCodeLength, homePlan, type HomePlan } from './metadata.js';
import { DECLINED, readInternational, readNational, type Reading } from './compiled.js';
import { asciiOf } from './digits.js';
import type { NumberProblem } from './types.js';

export interface NormaliseResult {
  e164: string | null;
  problem?: NumberProblem;
}

/** What normalisation learned, kept so classify() does not parse twice. */
export interface Analysis extends NormaliseResult {
  /** libphonenumber's parse of e164, when the library produced it. */
  phone?: PhoneNumber;
  /** The same facts from the compiled metadata, when that produced e164. */
  reading?: Reading;
  valid: boolean;
  /** Digits as presented after stripping syntax ('+' kept), '' when none. */
  digits: string;
}

/** Caller-ID placeholders that mean "withheld", compared lower-cased. */
const ANONYMOUS: ReadonlySet<string> = new Set([
  'anonymous', 'unavailable', 'restricted', 'private', 'unknown', 'withheld',
]);

/** Over this many digits no IDD + E.164 combination can fit; skip the parser. */
const MAX_RAW_DIGITS = 22;

/**
 * Normalise a presented number to E.164.
 *
 * `e164` is set whenever the input parses to a plausible-length E.164 number;
 * `problem: 'invalid'` then says libphonenumber does not consider it an
 * allocated range. Never throws for caller data (only for an unknown `home`).
 */
export function normalise(raw: string, opts: { home: string }): NormaliseResult {
  const a = analyse(raw, homePlan(opts.home));
  return a.problem === undefined ? { e164: a.e164 } : { e164: a.e164, problem: a.problem };
}

/**
 * `fast: false` is the reference behaviour: every parse goes through
 * libphonenumber-js. The fast path must give identical results.
 */
export function analyse(raw: string, plan: HomePlan, fast = true): Analysis {
  if (typeof raw !== 'string') return fail('empty', '');
  if (fast) {
    // Already '+digits' or bare digits ('00...', national): the syntax peeling
    // below would return it unchanged, so skip it. Digit counts outside 3..22
    // take the long way, which owns those problem reports.
    const plus = raw.charCodeAt(0) === 43;
    const from = plus ? 1 : 0;
    const n = raw.length - from;
    if (n >= 3 && n <= MAX_RAW_DIGITS && allDigits(raw, from)) {
      return readDigits(plus, plus ? raw.slice(1) : raw, raw, plan, true);
    }
  }
  const user = userPart(raw);
  if (user === null) return fail('empty', '');

  let num = user;
  let context = '';
  const semi = user.indexOf(';');
  if (semi >= 0) {
    num = user.slice(0, semi);
    context = phoneContext(user, semi);
  }
  if (num.indexOf('%') >= 0) num = percentDecode(num);
  num = num.trim();
  if (num.length === 0) return fail('empty', '');
  if (fast) {
    // The user part is already '+digits' or digits ('sip:+86...@host', '<tel:0086...>'):
    // the scan below would give the same digits, so take them as they are. A
    // global phone-context applies only without '+', so it sends those the long way.
    const plus = num.charCodeAt(0) === 43;
    const from = plus ? 1 : 0;
    const n = num.length - from;
    if ((plus || context.length === 0) && n >= 3 && n <= MAX_RAW_DIGITS && allDigits(num, from)) {
      return readDigits(plus, plus ? num.slice(1) : num, num, plan, true);
    }
  }
  if (num.length <= 16 && ANONYMOUS.has(num.toLowerCase())) return fail('anonymous', '');

  const scanned = scanDigits(num);
  if (scanned === null || scanned.digits.length === 0) return fail('non-digit', '');
  let { plus, digits } = scanned;

  // RFC 3966 local number: a global phone-context ('+1212') is its prefix.
  if (!plus && context.length > 1 && context.charCodeAt(0) === 43) {
    const ctx = scanDigits(context);
    if (ctx !== null && ctx.plus) {
      digits = ctx.digits + digits;
      plus = true;
    }
  }

  const shown = plus ? '+' + digits : digits;
  if (digits.length < 3) return fail('too-short', shown);
  if (digits.length > MAX_RAW_DIGITS) return fail('too-long', shown);

  return readDigits(plus, digits, shown, plan, fast);
}

function allDigits(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function readDigits(plus: boolean, digits: string, shown: string, plan: HomePlan, fast: boolean): Analysis {
  try {
    if (plus && digits.charCodeAt(0) === 48) return iddAfterPlus(digits, shown, plan, fast);
    return plus ? international(digits, shown, fast, shown) : unprefixed(digits, shown, plan, fast);
  } catch {
    // libphonenumber should not throw on clean digits; if it ever does, the
    // caller ID is still just "not usable", never a crashed call path.
    return fail('invalid', shown);
  }
}

/**
 * '+' then 0: no country code starts with 0, but carriers do send an
 * international prefix typed after the '+' ('+0044...', or '+011 44...' where
 * 011 is the home IDD). Only that reading is taken: the rest is read as the
 * country code it was presented as. Anything else ('+0123456789', a national
 * number with a stray '+') is judged as presented, as before: too short, too
 * long or an unassigned country code, and no home number presented with its
 * country code either.
 */
function iddAfterPlus(digits: string, shown: string, plan: HomePlan, fast: boolean): Analysis {
  const rest = afterIdd(digits, plan);
  // Not an IDD: judged as presented, as before (too short, too long, or no such country code).
  return rest === null ? international(digits, shown, fast, shown) : international(rest, shown, fast);
}

/**
 * The digits after a leading international prefix (the home plan's, or '00',
 * which is near-universal), when what follows can be a country code (not
 * empty, not 0); null otherwise.
 */
function afterIdd(digits: string, plan: HomePlan): string | null {
  const m = plan.idd.exec(digits);
  const rest = m !== null ? digits.slice(m[0].length) : digits.charCodeAt(0) === 48 && digits.charCodeAt(1) === 48 ? digits.slice(2) : null;
  return rest !== null && rest.length > 0 && rest.charCodeAt(0) !== 48 ? rest : null;
}

/** Digits known to be CC + national number; `plusForm` is '+' + digits when the caller has it. */
function international(digits: string, shown: string, fast: boolean, plusForm?: string): Analysis {
  // E.164 bounds: 7 digits (e.g. +290 1234) to 15; nothing the parser does can lengthen it.
  if (digits.length < 7) return fail('too-short', shown);
  if (digits.length > 15) return fail('too-long', shown);
  if (callingCodeLength(digits) === 0) return fail('unknown-country', shown);
  return parseInternational(digits, shown, fast, plusForm);
}

/** finish(parsePhoneNumberFromString('+' + digits)), from compiled metadata when it can answer. */
function parseInternational(digits: string, shown: string, fast: boolean, plusForm?: string): Analysis {
  if (fast) {
    const r = readInternational(digits, plusForm);
    if (r !== DECLINED) return finishReading(r, shown);
  }
  return finish(parsePhoneNumberFromString('+' + digits), shown);
}

/** finish(parsePhoneNumberFromString(digits, home)), from compiled metadata when it can answer. */
function parseNational(digits: string, shown: string, plan: HomePlan, fast: boolean): Analysis {
  if (fast) {
    const r = readNational(digits, plan.country);
    if (r !== DECLINED) return finishReading(r, shown);
  }
  return finish(parsePhoneNumberFromString(digits, plan.country), shown);
}

/** Digits with no '+': IDD-prefixed, national, or international missing its '+'. */
function unprefixed(digits: string, shown: string, plan: HomePlan, fast: boolean): Analysis {
  const iddRest = afterIdd(digits, plan);
  let first: Analysis | null = null;
  if (iddRest !== null) {
    first = international(iddRest, shown, fast);
    if (first.valid) return first;
  }

  const national = parseNational(digits, shown, plan, fast);
  if (national.valid) return national;

  if (callingCodeLength(digits) > 0) {
    // Many carriers drop the '+': accept that reading only if it is a real number.
    // Also when an IDD matched: China's carrier-select IDDs (1XXXX00) shadow US numbers
    // sent without '+' (1 206 400 2931 reads as IDD 1206400 + '2931', too short).
    const intl = parseInternational(digits, shown, fast);
    if (intl.valid) return intl;
  }

  // Nothing valid: report the most likely reading with its problem.
  if (first !== null) return first;
  if (national.e164 === null && digits.length > 15) return fail('too-long', shown);
  return national;
}

function finish(phone: PhoneNumber | undefined, shown: string): Analysis {
  if (phone === undefined) return fail('invalid', shown);
  const e164 = phone.number as string;
  const n = e164.length - 1;
  if (n < 7) return fail('too-short', shown);
  if (n > 15) return fail('too-long', shown);
  const valid = phone.isValid();
  return valid
    ? { e164, phone, valid, digits: shown }
    : { e164, phone, valid, digits: shown, problem: 'invalid' };
}

/** finish() for a compiled-metadata reading: same bounds, same problems. */
function finishReading(r: Reading | undefined, shown: string): Analysis {
  if (r === undefined) return fail('invalid', shown);
  const e164 = r.e164;
  const n = e164.length - 1;
  if (n < 7) return fail('too-short', shown);
  if (n > 15) return fail('too-long', shown);
  return r.valid
    ? { e164, reading: r, valid: true, digits: shown }
    : { e164, reading: r, valid: false, digits: shown, problem: 'invalid' };
}

function fail(problem: NumberProblem, digits: string): Analysis {
  return { e164: null, problem, valid: false, digits };
}

/**
 * The user part of whatever was presented: the URI inside <...> of a
 * name-addr, the user of a sip:/sips: URI, the body of a tel: URI, or the
 * string itself. Parameters (';...') are left on for the caller to split.
 * Returns null when there is no user part at all (empty, host-only URI).
 */
function userPart(raw: string): string | null {
  let s = raw.trim();
  const lt = s.lastIndexOf('<');
  if (lt >= 0) {
    const gt = s.indexOf('>', lt + 1);
    s = (gt > lt ? s.slice(lt + 1, gt) : s.slice(lt + 1)).trim();
  }
  if (s.length === 0) return null;

  const colon = s.indexOf(':');
  if (colon >= 3 && colon <= 4) {
    const scheme = s.slice(0, colon).toLowerCase();
    if (scheme === 'tel') return s.slice(colon + 1);
    if (scheme === 'sip' || scheme === 'sips') {
      const rest = s.slice(colon + 1);
      const at = rest.indexOf('@');
      if (at < 0) return null; // host-only URI carries no number
      const pw = rest.indexOf(':');
      return rest.slice(0, pw >= 0 && pw < at ? pw : at);
    }
  }
  // Bare "user@host" without a scheme.
  const at = s.indexOf('@');
  return at >= 0 ? s.slice(0, at) : s;
}

/** Value of ';phone-context=' among parameters starting at `from`, or ''. */
function phoneContext(user: string, from: number): string {
  const lower = user.toLowerCase();
  const key = ';phone-context=';
  const i = lower.indexOf(key, from);
  if (i < 0) return '';
  const start = i + key.length;
  let end = user.indexOf(';', start);
  if (end < 0) end = user.length;
  const v = user.slice(start, end);
  return v.indexOf('%') >= 0 ? percentDecode(v) : v;
}

/**
 * Strict digit scan: digits, one leading '+', and visual separators; anything
 * else makes the whole value non-numeric (null).
 */
function scanDigits(s: string): { plus: boolean; digits: string } | null {
  let plus = false;
  let digits = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c > 127) c = asciiOf(c);
    if (c >= 48 && c <= 57) {
      // Past MAX_RAW_DIGITS the value is rejected anyway; stop growing the string.
      if (digits.length <= MAX_RAW_DIGITS) digits += String.fromCharCode(c);
    } else if (c === 43) {
      if (plus || digits.length > 0) return null;
      plus = true;
    } else if (!isSeparator(c)) {
      return null;
    }
  }
  return { plus, digits };
}

function isSeparator(c: number): boolean {
  return (
    c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 9 || c === 47 ||
    c === 0xa0 || (c >= 0x2010 && c <= 0x2015)
  );
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Lenient %XX decoding: malformed escapes stay as they are (decodeURIComponent would throw). */
function percentDecode(s: string): string {
  let out = '';
  // A run of %XX is bytes: UTF-8 where it is UTF-8 (RFC 3986 §2.5: '%EF%BC%98' is '８', which asciiOf reads
  // as the 8 the callee's phone shows, as headers.ts decodes a From for the standalone proxy), else one
  // character per byte as before.
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const hi = hexVal(s.charCodeAt(i + 1));
      const lo = hexVal(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    if (bytes.length > 0) out += bytesText(bytes);
    out += s[i];
  }
  if (bytes.length > 0) out += bytesText(bytes);
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Percent-decoded bytes as text (UTF-8 when they are, else latin1); empties `bytes`. */
function bytesText(bytes: number[]): string {
  let text: string | undefined;
  if (bytes.some((b) => b > 127)) {
    try {
      text = UTF8.decode(Uint8Array.from(bytes));
    } catch {
      text = undefined;
    }
  }
  if (text === undefined) {
    text = '';
    for (const b of bytes) text += String.fromCharCode(b);
  }
  bytes.length = 0;
  return text;
}
