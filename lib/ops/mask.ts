/**
 * Masking of phone numbers in log lines (`serve --mask-digits N`): the last
 * N digits of every number become 'x', in the caller and callee fields and
 * inside free text (reason details, which plugins write and which name the
 * caller's E.164 number, the raw form as presented, or other numbers).
 *
 * Free text is masked by two rules, because neither alone is enough:
 * - the call's own identities (normalised and as presented), found by their
 *   digits in order with up to two separator characters between any two, so
 *   "020 7946 0123" or "(020) 7946-0123" is found for 02079460123 however a
 *   plugin quoted it;
 * - any other run of 7+ digits (a bare run, or one led by '+' with single
 *   separators), which catches numbers that are not this call's (a plugin
 *   naming another number, a quote cut short). Seven because shorter
 *   subscriber numbers hardly exist, while the counts, percentages, points
 *   and ISO times reasons are full of never have seven digits in a row.
 * Masking a count by mistake loses a little detail; missing a number leaks
 * it, so where unsure the rules mask.
 */
import { asciiOf, NON_ASCII_DIGIT, NON_ASCII_DIGITS } from '../numbers/digits.js';

/** The last `digits` characters of a number as 'x' (the caller and callee fields). */
export function maskNumber(n: string, digits: number): string {
  if (digits <= 0 || n.length <= digits) return n;
  return n.slice(0, n.length - digits) + 'x'.repeat(digits);
}

/**
 * The last `digits` digit positions of `s` as 'x', separators kept. An 'x'
 * already there (a block label such as +4420794601xx) counts as a masked
 * position, so a number is masked to the same width whatever showed it.
 */
function maskTail(s: string, digits: number): string {
  const out = s.split('');
  let left = digits;
  for (let i = out.length - 1; i >= 0 && left > 0; i--) {
    const ch = out[i] as string;
    if (ch === 'x') left--;
    else if (ch >= '0' && ch <= '9') {
      out[i] = 'x';
      left--;
    }
  }
  return out.join('');
}

/** Digits of an identity fewer than this are not looked for: they would match counts and thresholds. */
const MIN_IDENTITY_DIGITS = 6;
/**
 * Nor more than this: no number is longer (E.164 has 15, an IDD prefix adds a
 * few). A longer digit string is junk a caller wrote (a display name of
 * 6,000 digits), which the 7+ digit rule masks anyway.
 */
const MAX_IDENTITY_DIGITS = 20;

/** Between two digits of a presented number, at most two of: spaces, dashes, dots, slashes, parentheses, underscores. */
const SEP = ' ().-/_';
const MAX_GAP = 2;

/** Numbers whoever they belong to: '+' and 7+ digits with single separators, or 7+ digits in a row; trailing 'x's of a block label included. */
const ANY_NUMBER = /\+\d(?:[ .\-_]?\d){6,}(?:[ .\-_]?x)*|\d{7,}x*/g;

/**
 * Digits of other scripts and the fullwidth plus (as the numbers module reads
 * them), as written or as a reason's \uXXXX escape, read as ASCII: they are
 * the same number.
 */
function asciiDigits(text: string): string {
  const escaped = text.includes('\\u');
  if (!escaped && !NON_ASCII_DIGIT.test(text)) return text;
  const s = escaped ? text.replace(ESCAPE, unescapeDigit) : text;
  return s.replace(NON_ASCII_DIGITS, (c) => String.fromCharCode(asciiOf(c.charCodeAt(0))));
}

const ESCAPE = /\\u([0-9a-fA-F]{4})/g;
/** A \uXXXX escape as its character when that is a digit asciiOf reads, else as written. */
function unescapeDigit(m: string, h: string): string {
  const c = parseInt(h, 16);
  return asciiOf(c) === c ? m : String.fromCharCode(c);
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A number's digits and the same without a country code of one to three
 * digits: reasons quote a caller ID as it was presented, which may be the
 * national form ('presented without country code as "138 0013 8000"'), and a
 * held call's reason quotes the presentation of the call that set the hold,
 * not its own. Masking a little more is the safe side. And its last
 * TAIL_DIGITS digits alone: some national forms put digits of their own
 * before the subscriber number (an Argentine mobile, +54 9 11 2345 6789, is
 * dialled at home as 011 15 2345 6789), so no form without the country code is
 * in the quote.
 */
export function numberVariants(n: string | undefined): string[] {
  if (typeof n !== 'string') return [];
  const d = asciiDigits(n).replace(/\D/g, '');
  return [d, d.slice(1), d.slice(2), d.slice(3), d.slice(-TAIL_DIGITS)];
}

/**
 * The shortest subscriber number after digits a national form inserts (an
 * Argentine mobile with a four-digit area code: 0 2982 15 12 3456), and no
 * fewer than an identity may have (MIN_IDENTITY_DIGITS).
 */
const TAIL_DIGITS = 6;

/**
 * The digit strings of a call's identities to look for (6 to 20 digits),
 * longest first, so a raw 0044... is masked before its E.164 digits. Plain
 * strings, searched with indexOf: nothing built from what a caller sent is
 * ever compiled (a regular expression of a 6,000-digit display name
 * overflowed the stack).
 */
export function identityDigits(identities: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const id of identities) {
    if (typeof id !== 'string') continue;
    const d = asciiDigits(id).replace(/\D/g, '');
    if (d.length >= MIN_IDENTITY_DIGITS && d.length <= MAX_IDENTITY_DIGITS) seen.add(d);
  }
  return [...seen].sort((a, b) => b.length - a.length);
}

/**
 * `text` with the last `digits` digits of every number in it masked (see the
 * rules above). Linear in the text for each identity; never throws on what
 * callers sent.
 */
export function maskText(text: string, digits: number, identities: readonly string[]): string {
  if (digits <= 0) return text;
  const s = asciiDigits(text);
  if (!/\d/.test(s)) return s;
  const out = identities.length > 0 ? maskIdentities(s, digits, identities) : s;
  return out.replace(ANY_NUMBER, (m) => maskTail(m, digits));
}

/**
 * Each run of digits joined by at most MAX_GAP separators, searched for the
 * identities' digits; the last `digits` digits of each occurrence become 'x'.
 */
function maskIdentities(s: string, digits: number, identities: readonly string[]): string {
  let chars: string[] | null = null;
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(s.charCodeAt(i))) {
      i++;
      continue;
    }
    // One run: its digits and where each stands in s.
    const pos: number[] = [];
    let run = '';
    let j = i;
    for (;;) {
      pos.push(j);
      run += s[j];
      let k = j + 1;
      while (k < n && k - j - 1 < MAX_GAP && SEP.includes(s[k] as string)) k++;
      if (k < n && isDigit(s.charCodeAt(k))) j = k;
      else break;
    }
    i = j + 1;
    if (run.length < MIN_IDENTITY_DIGITS) continue;
    for (const id of identities) {
      for (let at = run.indexOf(id); at >= 0; at = run.indexOf(id, at + id.length)) {
        chars ??= s.split('');
        const from = Math.max(at, at + id.length - digits);
        for (let q = from; q < at + id.length; q++) chars[pos[q] as number] = 'x';
      }
    }
  }
  return chars === null ? s : chars.join('');
}
