/**
 * Header values of a drachtio-srf request as the next hop reads them.
 *
 * drachtio-srf reads every header name through unescape() (sip-parser
 * getHeaderName), so `Fr%6Fm` and `P-Asserted-Identit%79` are From and
 * P-Asserted-Identity to it, their values joined to the real header's. To
 * drachtio-server (sofia-sip), to the next hop and to RFC 3261 a name is a
 * token written as it is: those are unknown extension headers, forwarded
 * unread. It also keeps the case of names starting 'X-' or 'P-' (other than
 * P-Asserted...), so `P-ASSERTED-IDENTITY` is a header of its own to it, and
 * get() returns one of the spellings only. Screening on drachtio-srf's
 * reading would let any caller choose the number screened while the next hop
 * sees another. When a header name of the raw message holds a '%', or two
 * names differ only in case, the headers are read again from the raw text
 * (names as written, case aside); otherwise the request is read as it is.
 */

/** The part of a request read here: drachtio-srf's Request (its `raw` getter is the received message, `headers` its parse). */
export interface HeaderSource {
  get(name: string): string | undefined;
  readonly raw?: unknown;
  readonly headers?: unknown;
}

/** RFC 3261 §7.3.3 compact forms, as drachtio-srf expands them. */
const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type',
  f: 'from', s: 'subject', k: 'supported', t: 'to', v: 'via',
};

const canonical = (name: string): string => {
  const n = name.trim().toLowerCase();
  return Object.hasOwn(COMPACT, n) ? (COMPACT[n] as string) : n;
};

/** End of the header section: the first empty line, or the whole text. */
function headerEnd(raw: string): number {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? raw.length : end;
}

/** Whether a header line (after the start line) of `raw` has a '%' in its name. */
export function hasEscapedName(raw: string): boolean {
  const end = headerEnd(raw);
  let pct = raw.indexOf('%');
  while (pct >= 0 && pct < end) {
    const ls = raw.lastIndexOf('\n', pct) + 1;
    // Past the start line, and no ':' between the line's start and the '%': the '%' is in the name.
    if (ls > 0 && raw.charCodeAt(ls) !== 32 && raw.charCodeAt(ls) !== 9) {
      const colon = raw.indexOf(':', ls);
      if (colon < 0 || colon > pct) return true;
    }
    const nl = raw.indexOf('\n', pct);
    if (nl < 0) return false;
    pct = raw.indexOf('%', nl);
  }
  return false;
}

/** Whether two header names of drachtio-srf's parse differ only in case (it keeps the case of X- and P- names). */
export function caseSplit(headers: unknown): boolean {
  if (typeof headers !== 'object' || headers === null) return false;
  const keys = Object.keys(headers);
  // Names it lower-cases are the rest: only one with a capital can have a twin.
  if (!keys.some((k) => k !== k.toLowerCase())) return false;
  return new Set(keys.map((k) => k.toLowerCase())).size !== keys.length;
}

/**
 * Header values by canonical name, repeated headers joined with ',' as
 * drachtio-srf joins them, from lines whose name holds no '%'. Lines are
 * split as drachtio-srf splits them (a CRLF followed by space or tab
 * continues the line).
 */
export function wireHeaders(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = raw.slice(0, headerEnd(raw)).split(/\r\n(?![ \t])/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const written = line.slice(0, colon);
    if (written.includes('%')) continue;
    const name = canonical(written);
    const value = line.slice(colon + 1).trim();
    const had = out.get(name);
    out.set(name, had === undefined ? value : `${had},${value}`);
  }
  return out;
}

/**
 * `get(name)` reading the headers the next hop reads: the request's own
 * when no header name is escaped (nearly always), else a reading of its raw
 * text that leaves escaped names out.
 */
export function wireGet(req: HeaderSource): (name: string) => string | undefined {
  const raw = req.raw;
  if (typeof raw !== 'string' || !(hasEscapedName(raw) || caseSplit(req.headers))) return (name) => req.get(name);
  const headers = wireHeaders(raw);
  return (name) => headers.get(canonical(name));
}
