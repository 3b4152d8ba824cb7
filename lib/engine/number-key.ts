/**
 * E.164 text as a number key. The engine's tables and number caches are
 * looked up several times per INVITE among up to millions of keys; a whole
 * number key goes to a typed-array index (lib/cache/num-index.ts), several
 * times cheaper to find than the same digits as text in a Map.
 */
import type { KeyCodec, TableKey } from './stats.js';

/**
 * "+" and 1-15 digits not starting with 0 (E.164, and the number blocks cut
 * from it) as the integer of its digits; any other text unchanged. Only that
 * exact form converts, and it converts back exactly, so two texts share a
 * key only when they are equal.
 */
export function numberKey(text: string): TableKey {
  const n = text.length;
  if (n < 2 || n > 16 || text.charCodeAt(0) !== 43 /* + */) return text;
  let v = text.charCodeAt(1) - 48;
  if (v < 1 || v > 9) return text;
  for (let i = 2; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return text;
    v = v * 10 + d;
  }
  return v;
}

/** The codec of the caller, callee and block tables: E.164 text ↔ numberKey(). */
export const NUMBER_CODEC: KeyCodec = {
  stored: numberKey,
  text: (k) => (typeof k === 'number' ? `+${k}` : k),
};
