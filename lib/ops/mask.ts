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

/** Between two digits of a presented number: spaces, dashes, dots, slashes, parentheses. */
const SEP = '[ ().\\-/]{0,2}';

/** Numbers whoever they belong to: '+' and 7+ digits with single separators, or 7+ digits in a row; trailing 'x's of a block label included. */
const ANY_NUMBER = /\+\d(?:[ .\-]?\d){6,}x*|\d{7,}x*/g;

/** The matchers for a call's identities, longest digit string first (a raw 0044... masked before its E.164 digits). */
export function identityPatterns(identities: readonly (string | undefined)[]): RegExp[] {
  const seen = new Set<string>();
  for (const id of identities) {
    const d = id?.replace(/\D/g, '') ?? '';
    if (d.length >= MIN_IDENTITY_DIGITS) seen.add(d);
  }
  return [...seen].sort((a, b) => b.length - a.length).map((d) => new RegExp(d.split('').join(SEP), 'g'));
}

/** `text` with the last `digits` digits of every number in it masked (see the rules above). */
export function maskText(text: string, digits: number, patterns: readonly RegExp[]): string {
  if (digits <= 0 || !/\d/.test(text)) return text;
  let out = text;
  for (const re of patterns) out = out.replace(re, (m) => maskTail(m, digits));
  return out.replace(ANY_NUMBER, (m) => maskTail(m, digits));
}
