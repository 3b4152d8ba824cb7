/**
 * A short fingerprint of the rules as loaded: which rules are live, for
 * /metrics and the logs. Two hosts (or two reloads) with the same
 * fingerprint run the same rules file over the same list contents.
 */
import { createHash } from 'node:crypto';

/** Hex characters kept: enough to tell versions apart at a glance, short enough for a label. */
export const FINGERPRINT_HEX = 12;

/** SHA-256 of one list file's text (the list's part of the fingerprint). */
export const digestText = (text: string): string => createHash('sha256').update(text).digest('hex');

/** digestText in 4 MiB slices with the event loop handed back between them (a list file can be 256 MiB). */
export async function digestTextAsync(text: string, slice = 4 << 20): Promise<string> {
  const h = createHash('sha256');
  // Slices of the UTF-16 string: each is encoded as UTF-8 on its own, so a surrogate pair must not be cut.
  for (let i = 0; i < text.length; ) {
    let j = Math.min(text.length, i + slice);
    const c = text.charCodeAt(j - 1);
    if (j < text.length && c >= 0xd800 && c <= 0xdbff) j--;
    h.update(text.slice(i, j));
    i = j;
    if (i < text.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return h.digest('hex');
}

/**
 * First FINGERPRINT_HEX hex of SHA-256 over the rules text and the digests of
 * its list files in rules order (a list file's path is in the rules text;
 * its contents only here). Plugin modules are not included.
 */
export function rulesFingerprint(rulesText: string, listDigests: readonly string[]): string {
  const h = createHash('sha256').update(rulesText);
  // NUL-separated: file texts cannot run into each other and give the same bytes.
  for (const d of listDigests) h.update('\0').update(d);
  return h.digest('hex').slice(0, FINGERPRINT_HEX);
}
