/**
 * Digits a phone displays as digits in the scripts a caller ID may be written
 * in, and the fullwidth plus: one table for the numbers module, which reads
 * them as the number they show, and for log masking, which must find the
 * same number however it was written.
 */

/** Code point of '0' in each script read as ASCII digits: fullwidth forms, Arabic-Indic, Extended Arabic-Indic, Devanagari. */
const ZEROS: readonly number[] = [0xff10, 0x0660, 0x06f0, 0x0966];
const FULLWIDTH_PLUS = 0xff0b;

/** The ASCII code a character reads as ('0'-'9', '+'); any other code unchanged. */
export function asciiOf(c: number): number {
  if (c === FULLWIDTH_PLUS) return 43;
  for (let i = 0; i < ZEROS.length; i++) {
    const z = ZEROS[i] as number;
    if (c >= z && c <= z + 9) return c - z + 48;
  }
  return c;
}

const hex = (c: number): string => `\\u${c.toString(16).padStart(4, '0')}`;
/** A character class of every character asciiOf maps. */
const CLASS = `[${hex(FULLWIDTH_PLUS)}${ZEROS.map((z) => `${hex(z)}-${hex(z + 9)}`).join('')}]`;

/** Whether text holds a character asciiOf maps. */
export const NON_ASCII_DIGIT = new RegExp(CLASS);
/** Every character asciiOf maps (for replace). */
export const NON_ASCII_DIGITS = new RegExp(CLASS, 'g');
