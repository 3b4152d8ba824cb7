/**
 * From a drachtio-srf request to a CallAttempt, and back to header values for
 * the forwarded INVITE. Pure string work on what `req.get(name)` returns:
 * drachtio-srf's own helpers do not fit (`callingNumber` is '' for tel: URIs,
 * `getParsedHeader('from')` throws on a malformed From), and nothing here may
 * throw on caller-controlled input.
 */
import type { CallAttempt } from '../engine/types.js';
import type { Decision } from '../engine/types.js';

/** Headers the signals may read, copied (lower-case) into CallAttempt.headers when present. */
export const SCREENED_HEADERS: readonly string[] = [
  'privacy',
  'diversion',
  'history-info',
  'user-agent',
  'p-asserted-identity',
  'p-preferred-identity',
  'remote-party-id',
  'identity',
  'from',
  'to',
];

/** A header value longer than this is cut: signals need the start, and junk floods should not cost memory. */
export const MAX_HEADER_VALUE = 1024;

/** The part of a request this module reads (a drachtio-srf Request satisfies it). */
export interface RequestView {
  readonly uri: string;
  readonly method?: string;
  get(name: string): string | undefined;
  readonly source_address?: string;
}

/** Split a header holding several comma-separated values; commas inside quotes or <...> do not split. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (c === ',' && !angle) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s.length > 0);
}

export interface NameAddr {
  /** Display name, unquoted; undefined when absent. */
  display?: string;
  /** The URI, without angle brackets. */
  uri: string;
  /** Header parameters after the URI, with their leading ';' (e.g. ';tag=a1'), or ''. */
  params: string;
}

const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/;

/**
 * Parse one name-addr or addr-spec: `"Bob" <sip:+4420...@h>;tag=1`,
 * `Bob <tel:+44...>`, `<sip:..>`, `sip:+44..@h;tag=1`. Null when malformed.
 */
export function parseNameAddr(value: string): NameAddr | null {
  const v = value.trim();
  if (v.length === 0) return null;
  let display: string | undefined;
  let rest = v;
  if (v[0] === '"') {
    let name = '';
    let i = 1;
    for (; i < v.length; i++) {
      const c = v[i] as string;
      if (c === '\\' && i + 1 < v.length) name += v[++i];
      else if (c === '"') break;
      else name += c;
    }
    if (i >= v.length) return null; // unterminated quote
    display = name;
    rest = v.slice(i + 1).trim();
    if (rest[0] !== '<') return null; // a quoted name must be followed by <uri>
  }
  const lt = rest.indexOf('<');
  if (lt >= 0) {
    if (display === undefined) {
      const token = rest.slice(0, lt).trim();
      if (token.length > 0) display = token;
    }
    const gt = rest.indexOf('>', lt);
    if (gt < 0) return null;
    const uri = rest.slice(lt + 1, gt).trim();
    if (!URI_RE.test(uri)) return null;
    const params = rest.slice(gt + 1).trim();
    if (params.length > 0 && params[0] !== ';') return null;
    return display === undefined ? { uri, params } : { display, uri, params };
  }
  if (rest.indexOf('>') >= 0) return null;
  // addr-spec: RFC 3261 20.10, the first ';' starts the header parameters.
  const semi = rest.indexOf(';');
  const uri = (semi < 0 ? rest : rest.slice(0, semi)).trim();
  if (!URI_RE.test(uri)) return null;
  return { uri, params: semi < 0 ? '' : rest.slice(semi) };
}

/**
 * The telephone number a URI carries, raw: the tel: number with its
 * parameters (the numbers module reads ';phone-context'), or the user part of
 * a sip:/sips: URI with its user parameters. '' when the URI has no user
 * part; null for other schemes.
 */
export function uriNumber(uri: string): string | null {
  const colon = uri.indexOf(':');
  if (colon <= 0) return null;
  const scheme = uri.slice(0, colon).toLowerCase();
  const rest = uri.slice(colon + 1);
  if (scheme === 'tel') {
    const q = rest.indexOf('?');
    return (q < 0 ? rest : rest.slice(0, q)).trim();
  }
  if (scheme !== 'sip' && scheme !== 'sips') return null;
  const at = rest.indexOf('@');
  if (at < 0) return '';
  let user = rest.slice(0, at);
  // user:password@host — the password is not part of the number.
  const pw = user.indexOf(':');
  if (pw >= 0) user = user.slice(0, pw);
  return user.trim();
}

export interface Identity {
  number: string;
  display?: string;
}

/** Number and display name of one name-addr header value; null when malformed or not a phone-ish URI. */
export function identityOf(value: string | undefined): Identity | null {
  if (value === undefined) return null;
  const na = parseNameAddr(value);
  if (na === null) return null;
  const number = uriNumber(na.uri);
  if (number === null) return null;
  return na.display === undefined ? { number } : { number, display: na.display };
}

/**
 * The first usable identity of a header that may list several (RFC 3325
 * allows a sip: and a tel: P-Asserted-Identity). Entries without a user part
 * are skipped.
 */
export function firstIdentity(value: string | undefined): Identity | null {
  if (value === undefined) return null;
  for (const part of splitList(value)) {
    const id = identityOf(part);
    if (id !== null && id.number.length > 0) return id;
  }
  return null;
}

/** A new INVITE (no To tag); a malformed To counts as new so it is still screened. */
export function isInitialInvite(req: { readonly method?: string; get(name: string): string | undefined }): boolean {
  if (req.method !== 'INVITE') return false;
  const to = req.get('to');
  if (to === undefined) return true;
  const na = parseNameAddr(to);
  return na === null || !/;\s*tag\s*=/i.test(na.params);
}

export interface AttemptOptions {
  /** Which headers to copy (lower-case names); defaults to SCREENED_HEADERS. */
  headers?: readonly string[];
  /**
   * A header the edge proxy stamps with the ingress trunk or peer address.
   * Behind an edge, the packet source is always the edge itself.
   */
  sourceHeader?: string;
}

const clip = (s: string): string => (s.length > MAX_HEADER_VALUE ? s.slice(0, MAX_HEADER_VALUE) : s);

/** Build the CallAttempt for an initial INVITE. Never throws. */
export function attemptFromRequest(req: RequestView, at: number, opts: AttemptOptions = {}): CallAttempt {
  const callId = req.get('call-id') ?? '';
  const pai = firstIdentity(req.get('p-asserted-identity'));
  const from = identityOf(req.get('from'));

  const attempt: CallAttempt = {
    callId,
    at,
    caller: pai?.number ?? from?.number ?? '',
    callee: calleeOf(req),
  };

  const variants: NonNullable<CallAttempt['callerVariants']> = {};
  if (pai) variants.pai = pai.number;
  if (from) variants.from = from.number;
  if (from?.display) variants.display = from.display;
  if (variants.pai !== undefined || variants.from !== undefined || variants.display !== undefined) attempt.callerVariants = variants;

  const stamped = opts.sourceHeader ? req.get(opts.sourceHeader)?.trim() : undefined;
  const source = stamped || req.source_address;
  if (source) attempt.source = clip(source);

  const headers: Record<string, string> = {};
  let any = false;
  for (const name of opts.headers ?? SCREENED_HEADERS) {
    const v = req.get(name);
    if (v !== undefined) {
      headers[name.toLowerCase()] = clip(v);
      any = true;
    }
  }
  if (any) attempt.headers = headers;
  return attempt;
}

/** Callee from the Request-URI (sip, sips or tel), else from To when the R-URI has no user. */
function calleeOf(req: RequestView): string {
  const fromUri = uriNumber(req.uri);
  if (fromUri) return fromUri;
  return identityOf(req.get('to'))?.number ?? '';
}

/** Header values may not carry line breaks (header injection); collapse them. */
export const headerSafe = (v: string): string => v.replace(/[\r\n]+/g, ' ');

const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * From with the display name prefixed (`[SPAM?] Alice`), URI and tag kept
 * exactly; null when From cannot be parsed (then leave it alone). A display
 * name that already carries the prefix is not prefixed twice.
 */
export function prefixDisplayName(from: string, prefix: string): string | null {
  const na = parseNameAddr(from);
  if (na === null) return null;
  const current = na.display ?? '';
  const mark = prefix.trim();
  const name = mark.length > 0 && current.startsWith(mark) ? current : `${prefix}${current}`.trim();
  return headerSafe(`${quote(name)} <${na.uri}>${na.params}`);
}

/**
 * Headers to put on the forwarded INVITE for a decision: the tag headers,
 * and From with the display-name prefix when the rule sets one. Empty for
 * forward and reject.
 */
export function forwardHeadersFor(decision: Decision, from: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (decision.action !== 'tag') return out;
  for (const [k, v] of Object.entries(decision.headers ?? {})) out[k] = headerSafe(v);
  if (decision.displayPrefix && from !== undefined) {
    const f = prefixDisplayName(from, decision.displayPrefix);
    if (f !== null) out.From = f;
  }
  return out;
}
