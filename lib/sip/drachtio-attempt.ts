/**
 * From a drachtio-srf request to a CallAttempt, and back to header values for
 * the forwarded INVITE. Pure string work on what `req.get(name)` returns:
 * drachtio-srf's own helpers do not fit (`callingNumber` is '' for tel: URIs,
 * `getParsedHeader('from')` throws on a malformed From), and nothing here may
 * throw on caller-controlled input.
 */
import type { CallAttempt, Decision } from '../engine/types.js';
import { nameAddrUri } from './headers.js';
import { clipValue, detach, MAX_SCREENED_VALUE, oneLine, quoteDisplay, SCREENED_HEADERS, splitHeaderList, uriUserRaw } from './sip-text.js';
import { MAX_APP_MESSAGE_BYTES } from './drachtio-types.js';

/** Headers the signals may read, copied (lower-case) into CallAttempt.headers when present; the standalone proxy copies the same. */
export { SCREENED_HEADERS };

/** A header value longer than this is cut: signals need the start, and junk floods should not cost memory. */
export const MAX_HEADER_VALUE = MAX_SCREENED_VALUE;

/** The part of a request this module reads (a drachtio-srf Request satisfies it). */
export interface RequestView {
  readonly uri: string;
  readonly method?: string;
  get(name: string): string | undefined;
  readonly source_address?: string;
}

/** Split a header holding several comma-separated values; commas inside quotes or <...> do not split. */
export const splitList = (value: string): string[] => splitHeaderList(value);

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
  return uriUserRaw(uri)?.trim() ?? null;
}

export interface Identity {
  number: string;
  display?: string;
}

/** Number and display name of one name-addr header value; null when malformed or not a phone-ish URI. */
export function identityOf(value: string | undefined): Identity | null {
  if (value === undefined) return null;
  const na = parseNameAddr(value) ?? angleUri(value);
  if (na === null) return null;
  const number = uriNumber(na.uri);
  if (number === null) return null;
  return na.display === undefined ? { number } : { number, display: na.display };
}

/**
 * A header the grammar rejects still reaches the next hop, which reads the
 * URI in it: screening reads it as the standalone proxy does (headers.ts
 * nameAddrUri, the URI in the first angle brackets outside quotes), so a
 * caller ID cannot hide behind a broken display name. Where quotes leave no
 * such URI (an unterminated quote before it), the URI in angle brackets is
 * taken only when every pair holds the same one: the last of several was
 * taken before, and `<sip:+86…@home> <sip:+1555…@x>` was screened as the
 * decoy while a next hop reading the first (as the standalone does) saw +86.
 */
function angleUri(value: string): NameAddr | null {
  const first = nameAddrUri(value);
  if (URI_RE.test(first)) return { uri: first, params: '' };
  let uri: string | undefined;
  for (let lt = value.indexOf('<'); lt >= 0; lt = value.indexOf('<', lt + 1)) {
    const gt = value.indexOf('>', lt + 1);
    if (gt < 0) return null;
    const u = value.slice(lt + 1, gt).trim();
    if (uri !== undefined && u !== uri) return null;
    uri = u;
  }
  return uri !== undefined && URI_RE.test(uri) ? { uri, params: '' } : null;
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

/** The tag parameter of a From or To value (the first, if a hostile value holds several), or undefined. */
export function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const na = parseNameAddr(value);
  const params = na === null ? value : na.params;
  const m = /;\s*tag\s*=\s*([^;,\s>]+)/i.exec(params);
  return m === null ? undefined : (m[1] as string);
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

/**
 * Build the CallAttempt for an initial INVITE. Never throws.
 *
 * drachtio-srf's header values are slices of the whole received message
 * (sip-parser/parser.js splits the text), and so is anything cut from them.
 * The strings the engine keeps after the call (Call-ID in its pending
 * calls, numbers as table keys, source) are detached, or each would pin
 * the message.
 */
export function attemptFromRequest(req: RequestView, at: number, opts: AttemptOptions = {}): CallAttempt {
  // RFC 3261 §25.1: a Call-ID has no whitespace. Trailing blanks kept as sent would never match the
  // Call-ID of the BYE and CDRs that report the call's outcome.
  const callId = detach((req.get('call-id') ?? '').trim());
  const pai = firstIdentity(req.get('p-asserted-identity'));
  const from = identityOf(req.get('from'));

  const attempt: CallAttempt = {
    callId,
    at,
    caller: detach(pai?.number ?? from?.number ?? ''),
    callee: detach(calleeOf(req)),
  };

  const variants: NonNullable<CallAttempt['callerVariants']> = {};
  if (pai) variants.pai = detach(pai.number);
  if (from) variants.from = detach(from.number);
  if (from?.display) variants.display = detach(from.display);
  if (variants.pai !== undefined || variants.from !== undefined || variants.display !== undefined) attempt.callerVariants = variants;

  const stamped = opts.sourceHeader ? req.get(opts.sourceHeader)?.trim() : undefined;
  const source = stamped || req.source_address;
  if (source) attempt.source = detach(clipValue(source));

  const headers: Record<string, string> = {};
  let any = false;
  for (const name of opts.headers ?? SCREENED_HEADERS) {
    const v = req.get(name);
    if (v !== undefined) {
      headers[name.toLowerCase()] = clipValue(v);
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

/**
 * Characters a destination URI's user part may carry as they are: RFC 3261
 * §25.1 unreserved and user-unreserved ones (;npdi-style parameters
 * included), less '?' and '/', which a URI parser could read as its end.
 */
const USER_CHAR = "[A-Za-z0-9\\-_.!~*'()&=+$,;]";
const ESCAPE = '%[0-9A-Fa-f]{2}';
const URI_USER_SAFE = new RegExp(USER_CHAR);
/** An escape at the start of the text. */
const URI_ESCAPE = new RegExp(`^${ESCAPE}`);
/** A user part with nothing to escape (every '%' starts an escape). */
const URI_USER_AS_IS = new RegExp(`^(?:${USER_CHAR}|${ESCAPE})*$`);

/**
 * The user part escaped as RFC 3261 §19.1.2 asks: a '#' (a DTMF suffix,
 * `+4420...#123`), a space or a '/' in a received Request-URI becomes %23,
 * %20, %2F; an escape already there is kept, a stray '%' becomes %25. The
 * escaped form is the same URI (§19.1.4), and sofia-sip reads a raw '#'
 * after an escape as an unparseable Request-URI.
 */
export function escapeUriUser(user: string): string {
  if (URI_USER_AS_IS.test(user)) return user;
  let out = '';
  for (let i = 0; i < user.length; i++) {
    const c = user[i] as string;
    if (URI_USER_SAFE.test(c)) out += c;
    else if (c === '%' && URI_ESCAPE.test(user.slice(i, i + 3))) out += c;
    else {
      const cp = user.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i += ch.length - 1;
    }
  }
  return out;
}
/** host, IPv4 or [IPv6], optional port and URI parameters: a next hop written without a scheme. */
const HOST_PORT_RE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-_.]+)(?::\d+)?(?:;\S*)?$/;

/** Longest Request-URI user part (escaped) carried into a proxy destination. */
export const MAX_DESTINATION_USER = 256;

/**
 * The proxy destination for one next hop, carrying the Request-URI's user
 * part. drachtio-server replaces a sip:/sips: Request-URI that names
 * drachtio-server itself with the destination (sip-proxy-controller.cpp,
 * ClientTransaction::forwardRequest: "only replace request uri if it is a
 * local address"), so an INVITE sent to sip:+4420...@drachtio would reach
 * the next hop as `INVITE sip:nexthop` with the called number gone. Any
 * other Request-URI is forwarded unchanged, and the destination only picks
 * where to send it (the user part plays no part in that).
 *
 * Also written as drachtio-srf's Request#proxy wants it: it prefixes 'sip:'
 * to anything not starting with exactly 'sip:' or 'tel:' (request.js), so
 * 'SIP:host' is lower-cased here rather than turned into 'sip:SIP:host', and
 * a sips: next hop, which would reach drachtio-server as 'sip:sips:host' (no
 * target it can send to: every call answered 500), is given as the sip: URI
 * with transport=tls, the parameter drachtio-server picks its transport by:
 * sips: asks for TLS to the next hop (RFC 3261 26.2), and a sips: URI's
 * transport=tcp means TLS over TCP.
 */
export function proxyDestination(nextHop: string, ruri: string): string {
  const scheme = /^(sips?):/i.exec(ruri.trim())?.[1];
  const raw = scheme === undefined ? '' : (uriUserRaw(ruri)?.trim() ?? '');
  // A '?' before the last '@' is more likely a URI's headers (sip:host?To=a@b, which a Request-URI may
  // not carry) than a called number: such a "user" is not carried at all, rather than escaped into one.
  const user = raw.length > MAX_DESTINATION_USER || /\?[^@]*@/.test(ruri) ? '' : escapeUriUser(raw);
  // DrachtioAgent#proxy writes the destination twice (the command's leader and the request line), and
  // drachtio-server cannot read an app message over 4 kB reliably (MAX_APP_MESSAGE_BYTES): a user part
  // beyond any real one (a number with its npdi/rn parameters is well under 100 characters) is not
  // carried, so one INVITE cannot stall Ringfence's connection for every call.
  if (user.length > MAX_DESTINATION_USER) return proxyDestination(nextHop, '');
  const hop = nextHop.trim();
  const secure = /^sips:(.*)$/is.exec(hop)?.[1];
  // 'sip:host[:port][;params]', or a bare host[:port] that drachtio-srf would prefix with 'sip:' itself.
  const rest = secure !== undefined ? overTls(secure) : (/^sip:(.*)$/is.exec(hop)?.[1] ?? (HOST_PORT_RE.test(hop) ? hop : undefined));
  if (rest === undefined) return nextHop; // tel: and anything else: as given
  return user && !rest.includes('@') ? `sip:${user}@${rest}` : `sip:${rest}`;
}

/** What follows 'sips:' in a next hop, with the transport parameter that keeps it on TLS once written after 'sip:'. */
function overTls(rest: string): string {
  const q = rest.indexOf('?');
  const params = q < 0 ? rest : rest.slice(0, q);
  const headers = q < 0 ? '' : rest.slice(q);
  const tls = /;\s*transport\s*=/i.test(params) ? params.replace(/;\s*transport\s*=\s*tcp(?=;|$)/i, ';transport=tls') : `${params};transport=tls`;
  return tls + headers;
}

/**
 * Bytes of the proxy command drachtio-srf writes for these destinations and
 * headers (DrachtioAgent#proxy: a leader with every destination, then a
 * request line with the first and the headers), rounded up for the
 * message id, transaction id and flags.
 */
export function proxyMessageBytes(dest: string | string[], headers: Record<string, string>): number {
  const ds = Array.isArray(dest) ? dest : [dest];
  let n = 320 + Buffer.byteLength(ds[0] ?? '');
  for (const d of ds) n += Buffer.byteLength(d) + 1;
  for (const [k, v] of Object.entries(headers)) n += Buffer.byteLength(k) + Buffer.byteLength(v) + 4;
  return n;
}

/**
 * The tag headers trimmed until the proxy command fits what drachtio-server
 * reads reliably (MAX_APP_MESSAGE_BYTES): as they are, then without the
 * rewritten From, then without any; null when the destinations alone do not
 * fit (the call is then answered 503, never written).
 */
export function fitProxyHeaders(dest: string | string[], headers: Record<string, string>): { headers: Record<string, string>; trimmed: 'none' | 'from' | 'all' } | null {
  if (proxyMessageBytes(dest, headers) <= MAX_APP_MESSAGE_BYTES) return { headers, trimmed: 'none' };
  const { From: _from, ...tags } = headers;
  if (_from !== undefined && proxyMessageBytes(dest, tags) <= MAX_APP_MESSAGE_BYTES) return { headers: tags, trimmed: 'from' };
  if (proxyMessageBytes(dest, {}) > MAX_APP_MESSAGE_BYTES) return null;
  return { headers: {}, trimmed: 'all' };
}

/** Longest From given the display-name prefix; any real one is far shorter. */
export const MAX_FROM_REWRITE = 1024;

/** Header values may not carry line breaks (header injection); collapse them. */
export const headerSafe = oneLine;

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
  return headerSafe(`${quoteDisplay(name)} <${na.uri}>${na.params}`);
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
  // The rewritten From goes into the proxy command drachtio-srf writes to drachtio-server, which
  // cannot read an app message over 4 kB reliably (MAX_APP_MESSAGE_BYTES): a From that large is
  // left alone rather than stall Ringfence's connection for every call.
  if (decision.displayPrefix && from !== undefined && from.length <= MAX_FROM_REWRITE) {
    const f = prefixDisplayName(from, decision.displayPrefix);
    if (f !== null) out.From = f;
  }
  return out;
}
