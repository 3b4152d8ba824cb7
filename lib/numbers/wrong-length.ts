/**
 * Whether an invalid number is the beginning of a valid one, or a valid one
 * with digits added: a wrong length, not a range nobody was given.
 *
 * A PBX pilot or gateway cuts the last digits off (+31 200798 for an
 * Amsterdam +31 20 0798xxx), or a PBX appends the extension (+7 499 524 6302
 * 7691). libphonenumber calls such a length possible whenever its country
 * has numbers of that length in some other range (the Netherlands has 0800
 * numbers of 7 digits), and then merely invalid, so the length alone does
 * not show it. A range nobody was given has no valid number at any length.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DECLINED, readInternational } from './compiled.js';

/** Digits a truncation may have lost: pilots and PBXs lose the last one to four. */
const MAX_LOST = 4;
/** Fill digits tried for the lost ones: some ranges exclude a digit in a position, rarely all three. */
const FILLS = ['0', '5', '9'] as const;
/** E.164 numbers have 7 to 15 digits; fewer are too short to be cut from anything (too-short, not this). */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

const INVALID = 0;
const VALID = 1;
/** No number of the country has this length: no other fill of the same length can be valid. */
const IMPOSSIBLE = 2;

/**
 * How '+' + digits reads as written: a reading that strips a national
 * prefix (+1 1867... read as +1 867...) is another number.
 */
function check(digits: string): number {
  const e164 = '+' + digits;
  const r = readInternational(digits);
  if (r !== DECLINED) {
    if (r === undefined) return INVALID;
    return r.valid && r.e164 === e164 ? VALID : r.possible ? INVALID : IMPOSSIBLE;
  }
  try {
    const p = parsePhoneNumberFromString(e164);
    if (p === undefined) return INVALID;
    return p.isValid() && p.number === e164 ? VALID : p.isPossible() ? INVALID : IMPOSSIBLE;
  } catch {
    return INVALID;
  }
}

/** Extension digits a PBX may append to its number: one to five. */
const MAX_EXTENSION = 5;

/**
 * True when `e164` ('+' and digits) is not a valid number but is a valid
 * one followed by one to five more digits: a PBX that appends the
 * extension (+7 499 524 6302 7691). libphonenumber calls some such lengths
 * possible (Russia's), so the length alone does not show it. Up to 5
 * readings; callers ask only for numbers already found invalid.
 */
export function isExtended(e164: string): boolean {
  if (e164.charCodeAt(0) !== 43) return false;
  const digits = e164.slice(1);
  if (digits.length <= MIN_DIGITS || digits.length > MAX_DIGITS || check(digits) === VALID) return false;
  for (let added = 1; added <= MAX_EXTENSION && digits.length - added >= MIN_DIGITS; added++) {
    if (check(digits.slice(0, digits.length - added)) === VALID) return true;
  }
  return false;
}

/**
 * True when `e164` ('+' and digits, 7 to 14 of them) is not a valid number
 * but appending one to four digits makes it one. Up to 13 readings of
 * compiled metadata (10-45 µs on a slow machine), fewer where the country has
 * no number of a length, so callers ask only for numbers already found
 * invalid, once each.
 *
 * In plans of many lengths (China's fixed lines, Germany, the UK) many
 * short random numbers are the start of some valid one, so a spoofer who
 * sends a number cut short is scored as a broken PBX is: as in countries of
 * one length, where a short number was never a possible length at all.
 */
export function isTruncated(e164: string): boolean {
  if (e164.charCodeAt(0) !== 43) return false;
  const digits = e164.slice(1);
  if (digits.length < MIN_DIGITS || digits.length >= MAX_DIGITS || check(digits) === VALID) return false;
  for (let lost = 1; lost <= MAX_LOST && digits.length + lost <= MAX_DIGITS; lost++) {
    for (const f of FILLS) {
      const c = check(digits + f.repeat(lost));
      if (c === VALID) return true;
      if (c === IMPOSSIBLE) break;
    }
  }
  return false;
}
