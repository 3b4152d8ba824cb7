/**
 * String primitives both SIP adapters share: the standalone proxy
 * (lib/sip/headers.ts) and the drachtio middleware
 * (lib/sip/drachtio-attempt.ts). Only what the two did identically lives
 * here; where their parsing deliberately differs (how strict a name-addr
 * must be, whether user parameters are kept) each keeps its own.
 * Pure, and nothing here throws on caller-controlled input.
 */

/**
 * Headers copied into CallAttempt.headers (lower-case names) for the signals
 * to read: one list for every adapter, so a signal sees the same call
 * whichever adapter carried it.
 */
export const SCREENED_HEADERS = [
  'privacy', 'diversion', 'history-info', 'user-agent', 'p-asserted-identity', 'p-preferred-identity', 'remote-party-id', 'identity', 'from', 'to',
] as const;

/** Longer header values are cut for CallAttempt.headers: signals need the start, junk floods should not cost memory. */
export const MAX_SCREENED_VALUE = 1024;

/** `v` cut to MAX_SCREENED_VALUE. */
export const clipValue = (v: string): string => (v.length > MAX_SCREENED_VALUE ? v.slice(0, MAX_SCREENED_VALUE) : v);

/** Index just past a quoted string starting at s[i] === '"', honouring backslash escapes. */
export function skipQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return s.length;
}

/** Split a header value on commas that are outside quotes and angle brackets. */
export function splitHeaderList(value: string | undefined | null): string[] {
  if (typeof value !== 'string') return [];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') {
      i = skipQuoted(value, i) - 1;
    } else if (c === '<') {
      depth++;
    } else if (c === '>') {
      if (depth > 0) depth--;
    } else if (c === ',' && depth === 0) {
      const part = value.slice(start, i).trim();
      if (part) out.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/**
 * The user part of a sip:/sips: URI (password dropped, user parameters such
 * as ;npdi kept) or the number of a tel: URI with its parameters, exactly as
 * written; '' when a sip URI has no user part; null for any other scheme.
 */
export function uriUserRaw(uri: string): string | null {
  const u = uri.trim();
  const colon = u.indexOf(':');
  if (colon <= 0) return null;
  const scheme = u.slice(0, colon).toLowerCase();
  const rest = u.slice(colon + 1);
  if (scheme === 'tel') {
    const q = rest.indexOf('?');
    return q < 0 ? rest : rest.slice(0, q);
  }
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  // The host cannot hold an '@', so the last one ends the userinfo.
  const at = rest.lastIndexOf('@');
  if (at < 0) return '';
  const user = rest.slice(0, at);
  // user:password@host: the password is not part of the number.
  const pw = user.indexOf(':');
  return pw < 0 ? user : user.slice(0, pw);
}

/** A lower-case header name as the sip package writes it (sip.js prettifyHeaderName): Call-ID, Retry-After, Www-Authenticate. */
export const prettyHeaderName = (n: string): string => (n === 'call-id' ? 'Call-ID' : n.replace(/\b([a-z])/g, (c) => c.toUpperCase()));

/** A header value on one line: every run of CR/LF becomes a space (no header injection). */
export const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

/** Quote a display name for a header (RFC 3261 quoted-string). */
export function quoteDisplay(name: string): string {
  return `"${name.replace(/[\r\n]/g, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * A copy of `s` that does not share storage with the string it was cut
 * from. V8 keeps a substring of 13 or more characters as a view of its
 * parent, so a number the engine keeps for hours (table keys, caches,
 * pending calls) would otherwise keep the whole SIP message it came from
 * alive: some 400 bytes or more per tracked number.
 */
export function detach(s: string): string {
  return s.length === 0 ? s : (' ' + s).slice(1);
}
