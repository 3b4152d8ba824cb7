/**
 * From SIP header text to a CallAttempt. Pure string functions shared by the
 * SIP adapters (standalone proxy, drachtio): each takes header values as the
 * wire carries them and never throws; junk gives empty strings, because a
 * malformed caller ID is itself evidence the engine should score, not a
 * reason to drop the call.
 */
import type { CallAttempt } from '../engine/types.js';
import { clipValue, detach, oneLine, quoteDisplay, SCREENED_HEADERS, skipQuoted, splitHeaderList, uriUserRaw } from './sip-text.js';

// The primitives the drachtio adapter uses too live in sip-text.ts; re-exported so this module's API stays whole.
export { detach, MAX_SCREENED_VALUE, quoteDisplay, SCREENED_HEADERS, splitHeaderList } from './sip-text.js';

/** splitHeaderList(value.slice(from, to)).length without building the list: non-blank elements between top-level commas. */
export function countListElements(value: string, from = 0, to = value.length): number {
  let n = 0;
  let depth = 0;
  let blank = true;
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 && depth === 0) {
      if (!blank) n++;
      blank = true;
      continue;
    }
    if (c === 34) {
      i = Math.min(skipQuoted(value, i), to) - 1;
      blank = false;
    } else if (c === 60) {
      depth++;
      blank = false;
    } else if (c === 62) {
      if (depth > 0) depth--;
      blank = false;
    } else if (blank && !isTrimmed(c)) {
      blank = false;
    }
  }
  return blank ? n : n + 1;
}

/** Characters String.prototype.trim removes that can occur in a latin1 header. */
function isTrimmed(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

/** Index of the first comma outside quotes and angle brackets (the end of a list's first element), or -1. */
export function firstListSeparator(value: string): number {
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') i = skipQuoted(value, i) - 1;
    else if (c === '<') depth++;
    else if (c === '>') {
      if (depth > 0) depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return -1;
}

/** Position of the '<' opening the URI of a name-addr, or -1 for a bare addr-spec. */
export function openAngle(v: string): number {
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '"') i = skipQuoted(v, i) - 1;
    else if (c === '<') return i;
  }
  return -1;
}

/**
 * Whether a From or To value holds more than one address: a ',' or '<'
 * (outside quotes) after the first name-addr's '>', as in `<sip:a@x>,
 * <sip:b@y>` or a second address on a folded line, or a ',' in an addr-spec
 * (one with a comma must be bracketed, RFC 3261 §20.10). Both headers take
 * exactly one, and a next hop may read another than the one screened. A
 * comma before the '<' is a display name written without quotes
 * (`Smith, John <sip:…>`, which PBXs send): one address.
 */
export function hasSecondAddress(v: string): boolean {
  const lt = openAngle(v);
  if (lt < 0) return countListElements(v) > 1;
  // An addr-spec, then a comma, then the name-addr: `sip:+86…@x, <sip:+44…@y>`. A display name (a token
  // or quoted) has no ':' or '@' outside quotes: one before a comma is a first address.
  for (let i = 0, addr = false; i < lt; i++) {
    const c = v.charCodeAt(i);
    if (c === 34) i = skipQuoted(v, i) - 1;
    else if (c === 58 || c === 64) addr = true;
    else if (c === 44 && addr) return true;
  }
  const gt = v.indexOf('>', lt);
  if (gt < 0) return false;
  for (let i = gt + 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 34) i = skipQuoted(v, i) - 1;
    else if (c === 60 || c === 44) return true;
  }
  return false;
}

/** The URI of a name-addr (`"Name" <sip:…>;tag=x`) or addr-spec (`sip:…;tag=x`). */
export function nameAddrUri(value: string | undefined | null): string {
  if (typeof value !== 'string') return '';
  const v = value.trim();
  const lt = openAngle(v);
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    return (gt < 0 ? v.slice(lt + 1) : v.slice(lt + 1, gt)).trim();
  }
  // In an addr-spec, ';' starts header parameters (RFC 3261 §20.10), and a space ends the URI.
  const semi = v.search(/[;\s]/);
  return semi < 0 ? v : v.slice(0, semi);
}

/** The display name of a name-addr, unquoted; '' when there is none. */
export function nameAddrDisplay(value: string | undefined | null): string {
  if (typeof value !== 'string') return '';
  const v = value.trim();
  const lt = openAngle(v);
  if (lt <= 0) return '';
  const d = v.slice(0, lt).trim();
  if (d.startsWith('"')) {
    const end = skipQuoted(d, 0);
    return d.slice(1, Math.max(1, end - 1)).replace(/\\(.)/g, '$1');
  }
  return d;
}

function unescapeUser(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The user part of a sip:/sips: URI or the number of a tel: URI, without
 * parameters; '' for any other scheme, no user part, or junk.
 */
export function uriUser(uri: string | undefined | null): string {
  if (typeof uri !== 'string') return '';
  const raw = uriUserRaw(uri);
  return raw === null ? '' : withContext(raw);
}

/**
 * A number and its parameters → the number, keeping a global
 * `;phone-context=+CC...` of a local number (RFC 3966): without it
 * `tel:2125551234;phone-context=+1` would read as a home-country number.
 */
function withContext(numberAndParams: string): string {
  const semi = numberAndParams.indexOf(';');
  const number = unescapeUser(semi < 0 ? numberAndParams : numberAndParams.slice(0, semi)).trim();
  if (semi < 0 || number.startsWith('+')) return number;
  const ctx = /;phone-context=([^;]*)/i.exec(numberAndParams)?.[1]?.trim();
  return ctx && ctx.startsWith('+') ? `${number};phone-context=${unescapeUser(ctx)}` : number;
}

/** The first sip:, sips: or tel: identity in a (possibly multi-valued) P-Asserted-Identity; '' if none. */
export function firstIdentity(pai: string | undefined | null): string {
  for (const part of splitHeaderList(pai)) {
    const uri = nameAddrUri(part);
    if (/^(sips?|tel):/i.test(uri)) return part;
  }
  return '';
}

export interface CallerIdentity {
  /** P-Asserted-Identity user when present, else From user. */
  caller: string;
  pai: string;
  from: string;
  /** Display name of the identity the caller came from (PAI, else From). */
  display: string;
}

export function callerIdentity(h: { pai?: string | undefined; from?: string | undefined }): CallerIdentity {
  const paiEntry = firstIdentity(h.pai);
  const pai = uriUser(nameAddrUri(paiEntry));
  const from = uriUser(nameAddrUri(h.from));
  const display = pai ? nameAddrDisplay(paiEntry) || nameAddrDisplay(h.from) : nameAddrDisplay(h.from);
  return { caller: pai || from, pai, from, display };
}

/** `ip:port` of a peer, IPv6 in brackets; or a trunk name when the source maps to one. */
export function sourceOf(address: string, port?: number, trunks?: Record<string, string>): string {
  const hostPart = address.includes(':') ? `[${address}]` : address;
  const full = port ? `${hostPart}:${port}` : hostPart;
  return trunks?.[full] ?? trunks?.[address] ?? full;
}

export interface HeaderInput {
  callId: string;
  at: number;
  /** The Request-URI as received. */
  requestUri: string;
  /** A header's value by lower-case name; repeated headers joined with ', '. */
  get(name: string): string | undefined;
  /** The packet source (or its trunk name). */
  source?: string;
  /**
   * A header the edge stamps with the ingress trunk or peer, read as the
   * source when present (behind an edge the packet source is always the edge),
   * as attemptFromRequest does for drachtio.
   */
  sourceHeader?: string;
}

/** Build the CallAttempt for an initial INVITE; never throws. */
export function attemptFromHeaders(h: HeaderInput): CallAttempt {
  const safeGet = (name: string): string | undefined => {
    try {
      const v = h.get(name);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const id = callerIdentity({ pai: safeGet('p-asserted-identity'), from: safeGet('from') });
  // Callee from the Request-URI; a Request-URI without a user part (sip:host) falls back to To.
  const callee = uriUser(h.requestUri) || uriUser(nameAddrUri(safeGet('to')));
  const headers: Record<string, string> = {};
  for (const name of SCREENED_HEADERS) {
    const v = safeGet(name);
    if (v !== undefined) headers[name] = clipValue(v);
  }
  const attempt: CallAttempt = {
    callId: typeof h.callId === 'string' ? h.callId : '',
    at: h.at,
    caller: detach(id.caller),
    callee: detach(callee),
    headers,
  };
  const variants: NonNullable<CallAttempt['callerVariants']> = {};
  if (id.pai) variants.pai = detach(id.pai);
  if (id.from) variants.from = detach(id.from);
  if (id.display) variants.display = detach(id.display);
  if (variants.pai || variants.from || variants.display) attempt.callerVariants = variants;
  const stamped = h.sourceHeader ? safeGet(h.sourceHeader.toLowerCase())?.trim() : undefined;
  if (stamped) attempt.source = detach(clipValue(stamped));
  else if (h.source) attempt.source = h.source;
  return attempt;
}

/**
 * Put `prefix` in front of the display name of a name-addr value, keeping
 * URI and parameters. A value without a display name gets the prefix plus
 * `fallback` (usually the caller number), so the callee's screen shows it.
 * Returns the value unchanged when it is not a usable name-addr.
 */
export function prefixDisplayName(value: string, prefix: string, fallback = ''): string {
  if (!prefix || typeof value !== 'string') return value;
  const v = value.trim();
  const lt = openAngle(v);
  // The rewritten value goes on the wire: a bare CR or LF the parser left inside it must not start a new header line (oneLine).
  if (lt >= 0) {
    const old = nameAddrDisplay(v);
    // Compare without the prefix's outer spaces: a prefixed empty name was trimmed to '[SPAM?]', and must not become '[SPAM?] [SPAM?]'.
    const mark = prefix.trim();
    if (mark ? old.startsWith(mark) : old.startsWith(prefix)) return value;
    return `${quoteDisplay((prefix + (old || fallback)).trim())} ${oneLine(v.slice(lt))}`;
  }
  const uri = nameAddrUri(v);
  if (!uri) return value;
  // addr-spec: wrap in <>, header parameters stay outside.
  return `${quoteDisplay((prefix + fallback).trim())} <${uri}>${oneLine(v.slice(uri.length))}`;
}
