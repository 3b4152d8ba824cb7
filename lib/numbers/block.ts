/**
 * Number blocks: spoofers and Wangiri floods walk through consecutive numbers,
 * so statistics are also kept per E.164 minus its last few digits.
 */
import { callingCodeLength } from './metadata.js';

/**
 * `e164` without its last `digits` digits ('+8613800138000', 4 -> '+861380013').
 * Always keeps the country code plus one digit, so a large `digits` can never
 * lump a whole country (or every caller) into one block. An unassigned code is
 * assumed to be three digits long, the widest form.
 */
export function blockOf(e164: string, digits: number): string {
  if (!(digits > 0)) return e164;
  const plus = e164.charCodeAt(0) === 43;
  let keep: number;
  if (plus) {
    const cc = callingCodeLength(e164, 1) || 3;
    keep = 1 + cc + 1;
  } else {
    keep = 1;
  }
  const cut = e164.length - Math.floor(digits);
  return e164.slice(0, Math.max(keep, cut));
}
