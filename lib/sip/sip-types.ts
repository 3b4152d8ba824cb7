/**
 * A narrow typed view of the `sip` package (kirm/sip.js 0.0.6, CommonJS, no
 * types of its own). Only what Ringfence uses is typed: the parser, the
 * serialiser, URI helpers and makeResponse. Its transport, transaction layer
 * and `sip/proxy` are deliberately not used (see lib/sip/proxy/proxy.ts).
 *
 * Shapes below are what the package's parser produces; fields it may leave
 * out are optional. Strings are "binary" (latin1) strings: one char per byte,
 * so Content-Length stays a byte count. Convert with `fromWire`/`toWire`.
 */
import { createRequire } from 'node:module';

export type Params = Record<string, string | null>;

/** Result of sip.parseUri. `port` is NaN when the URI has none. */
export interface SipUri {
  schema: string;
  user?: string;
  password?: string;
  host: string;
  port: number;
  params: Params;
  headers: Record<string, string>;
}

export interface Via {
  version: string;
  protocol: string;
  host: string;
  /** Absent (undefined) when the Via has no port. */
  port?: number;
  params: Params;
}

/** To / From / Contact: `uri` stays a string. */
export interface NameAddr {
  name?: string;
  uri: string;
  params: Params;
}

/** Route / Record-Route: `uri` is parsed, and undefined when it did not parse (IPv6, junk). */
export interface RouteEntry {
  name?: string;
  uri: SipUri | string | undefined;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

export interface SipHeaders {
  via?: Via[];
  to?: NameAddr;
  from?: NameAddr;
  'call-id'?: string;
  cseq?: CSeq;
  'content-length'?: number;
  'max-forwards'?: string;
  route?: RouteEntry[];
  'record-route'?: RouteEntry[];
  contact?: NameAddr[] | '*';
  /** Generic headers are strings; repeated ones are joined with ','. */
  [name: string]: unknown;
}

export interface SipRequest {
  method: string;
  uri: string;
  version: string;
  headers: SipHeaders;
  content?: string;
  status?: undefined;
}

export interface SipResponse {
  status: number;
  reason: string;
  version: string;
  headers: SipHeaders;
  content?: string;
  method?: undefined;
}

export type SipMessage = SipRequest | SipResponse;

/** The subset of the package's exports Ringfence calls. */
export interface SipPackage {
  /** Parses one whole message (Buffer or binary string); undefined when the start line or a header line is unreadable. */
  parse(data: Buffer | string): SipMessage | undefined;
  /** Serialises; sets headers['content-length'] from content. */
  stringify(m: SipMessage): string;
  parseUri(s: string): SipUri | undefined;
  stringifyUri(u: SipUri | string): string;
  makeResponse(rq: SipRequest, status: number, reason?: string, extension?: { headers?: Record<string, unknown>; content?: string }): SipResponse;
  /**
   * `z9hG4bK` plus a random number below 1,000,000: not used, because about
   * 1% of INVITEs at 500 calls/s would reuse a live branch (lib/sip/proxy/ids.ts makes ours).
   */
  generateBranch(): string;
}

const require = createRequire(import.meta.url);
/** The package, typed by our interface (it ships no declarations). */
export const sip = require('sip') as SipPackage;

/** Bytes as the parser sees them (latin1) → text (UTF-8), for display names in logs and the engine. */
export const fromWire = (s: string): string => (/[\x80-\xff]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s);
/** Text (UTF-8) → the parser's latin1 byte string, for values we insert into messages. */
export const toWire = (s: string): string => (/[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s);
