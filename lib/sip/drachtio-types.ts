/**
 * Narrow types for the parts of drachtio-srf 5 that Ringfence calls, written
 * against its source (lib/srf.js, lib/connect.js, lib/proto.js,
 * lib/request.js, lib/response.js, lib/drachtio-agent.js) because the bundled
 * lib/@types/index.d.ts is wrong where it matters here: connect() returns no
 * Promise (it returns the connect app, srf.app), proxyRequest() without a
 * callback returns a Promise of a result object,
 * source_port is a number, there is no req.locals, and the SipMessage /
 * SipRequest / SipResponse statics are missing.
 */
import { createRequire } from 'node:module';

/**
 * The largest message Ringfence lets drachtio-srf write to drachtio-server.
 * drachtio-server reads an app's connection into a fixed 12,228-byte
 * circular buffer, 8,192 bytes at a time (client.hpp/client.cpp: m_buffer,
 * m_readBuf), and only consumes a message once all of it is buffered. A
 * message longer than the buffer never completes and the bytes after it
 * overwrite its start: the connection stays up but no later response or
 * proxy command is ever read, so every screened call hangs. Under load the
 * rest of a message waiting in the buffer plus one 8 kB read must fit as
 * well, so a message of at most 12,228 - 8,192 = 4,036 bytes (length prefix
 * included) can never overflow it. Ringfence's own messages are a few
 * hundred bytes; only a hostile or broken INVITE comes near this.
 */
export const MAX_APP_MESSAGE_BYTES = 4000;

/** What drachtio-srf's SipMessage (lib/sip-parser/message.js) offers for reading. */
export interface SipMessageLike {
  /** Case-insensitive; repeated headers come back joined with ','. */
  get(name: string): string | undefined;
  has(name: string): boolean;
  readonly method?: string;
  readonly status?: number;
  readonly uri?: string;
}

/**
 * An incoming request as the middleware sees it (lib/request.js). Kept
 * structurally compatible with the bundled `SrfRequest` type so an operator's
 * TypeScript app can `srf.use('invite', ringfence(...))`.
 */
export interface DrachtioRequest {
  readonly method: string;
  readonly uri: string;
  get(name: string): string | undefined;
  has(name: string): boolean;
  /** The message as drachtio-server sent it (Request's `raw` getter); headers are re-read from it when drachtio-srf's reading differs from the wire's (wire-headers.ts). */
  readonly raw?: string;
  /** drachtio-srf's parse of the headers, by name as it keys them (wire-headers.ts looks for names split by case). */
  readonly headers?: object;
  /** From the wire protocol meta (Request#meta setter): where the INVITE came from. */
  readonly source_address?: string;
  readonly source_port?: number | string;
  /** 'udp' | 'tcp' | 'tls' | 'ws' | 'wss'. */
  readonly protocol?: string;
  /** Not a drachtio-srf property: created by the middleware (express convention) to hand the decision on. */
  locals?: Record<string, unknown>;
  /**
   * Request is an EventEmitter: DrachtioAgent#_onMsg emits 'cancel' (with the
   * CANCEL) when the caller cancels an INVITE the app has not answered yet.
   * Optional so that plain request views still fit.
   */
  on?(event: 'cancel', listener: (cancel?: unknown) => void): unknown;
}

/** The response half (lib/response.js); `send` throws for codes missing from the sip-status table. */
export interface DrachtioResponse {
  /** `callback`: drachtio-server's reply (Response#send → DrachtioAgent#sendResponse): null when sent, else its NOK reason. */
  send(status: number, reason: string, opts: { headers?: Record<string, string> }, callback?: (err: unknown) => void): void;
  /** Headers of the response so far: the `req` setter copies Call-ID, CSeq, From and To from the request. */
  get?(name: string): string | undefined;
  /** The response being built (a SipMessage): its `headers` object holds the copies the `req` setter made. */
  readonly msg?: { readonly headers: object };
  readonly finalResponseSent: boolean;
  /** Response is an EventEmitter: Response#send emits 'end' with { status, reason } for a final response. */
  on?(event: 'end', listener: (info?: unknown) => void): unknown;
}

/**
 * connect's `next`. The bundled types declare it as `Function`; accepting both
 * keeps the middleware assignable to `srf.use`'s callback type.
 */
export type Next = ((err?: unknown) => void) | Function;

export type Middleware = (req: DrachtioRequest, res: DrachtioResponse, next: Next) => void;

/** Options of Request#proxy (lib/request.js); `headers` are added to (or replace) headers of the forwarded INVITE. */
export interface ProxyOptions {
  headers?: Record<string, string>;
  remainInDialog?: boolean;
  recordRoute?: boolean;
  followRedirects?: boolean;
  forking?: 'sequential' | 'simultaneous';
  provisionalTimeout?: string;
  /** Sent by drachtio-srf but ignored by drachtio-server (sip-proxy-controller.cpp addProxy applies only provisionalTimeout). */
  finalTimeout?: string;
}

/** One final response the proxy saw: drachtio-server reports finals only (sip-proxy-controller.cpp). */
export interface ProxyResponseRecord {
  time: string;
  status: number;
  msg: SipMessageLike;
}

/**
 * What proxyRequest resolves with, on drachtio-server's 'done' (right after a
 * 2xx, or once every target has failed). `finalStatus` is the LAST target
 * final received (Request#proxy overwrites it per '|||continue' message), not
 * necessarily what the caller got: see proxyFinalStatus in drachtio.ts. It is
 * absent when no target sent a final (drachtio-server answered 408 itself
 * after timer B/C or a provisionalTimeout). No 'done' comes when the caller CANCELs before any target
 * sent a provisional response (sip-proxy-controller.cpp: the Promise stays
 * pending); the cdr:stop for the 487 drachtio-server sends covers that call.
 * After a provisionalTimeout, 'done' can come on a failure while a further
 * target is still to be tried (the proxy is marked cancelled and no target is
 * calling or proceeding at that moment): then it is not the call's end.
 */
export interface ProxyResult {
  connected: boolean;
  finalStatus?: number;
  finalResponse?: ProxyResponseRecord;
  responses: { address: string; port: number; msgs: ProxyResponseRecord[] }[];
}

/** CDR listeners get (source, time, role|reason, msg) — checked at runtime, so typed loosely here. */
export type CdrListener = (...args: unknown[]) => void;

/** srf.app, the connect app: an EventEmitter where srf.on('cdr:*') listeners actually live. */
export interface SrfAppEmitter {
  listenerCount(event: string): number;
  addListener(event: string, fn: CdrListener): unknown;
  removeListener(event: string, fn: CdrListener): unknown;
}

/** The Srf surface the middleware needs. */
export interface SrfLike {
  /**
   * A Promise of the result without a callback (srf.js). Typed as drachtio-srf's own declaration has it
   * (void) as well, so that a real `Srf` is accepted where an SrfLike is asked for without a cast.
   */
  proxyRequest(req: DrachtioRequest, destination: string | string[], opts: ProxyOptions): PromiseLike<ProxyResult> | void;
  on(event: string, listener: CdrListener): unknown;
  readonly app?: SrfAppEmitter;
}

/** Srf#connect options as lib/wire-protocol.js reads them. */
export interface SrfConnectOptions {
  host: string;
  port: number;
  secret: string;
  /** retryMaxDelay caps the backoff (it otherwise grows by 1.7x per attempt, unbounded). */
  reconnect?: { retryMaxDelay?: number; maxAttempts?: number; connectTimeout?: number };
  /** Write 'ping' every pingInterval ms once authenticated (server >= v0.8.2); nothing tracks the pongs. */
  enablePing?: boolean;
  /** 5000..300000, asserted by wire-protocol.js _evalPingOpts (a throw from srf.connect). */
  pingInterval?: number;
}

/** What the application mode uses from a whole Srf instance. */
export interface SrfInstance extends SrfLike {
  connect(opts: SrfConnectOptions): unknown;
  disconnect(): void;
  use(method: string, fn: Middleware): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  readonly app: SrfAppEmitter;
}

export interface SrfConstructor {
  new (): SrfInstance;
}

const requireHere = createRequire(import.meta.url);

/** drachtio-srf's Srf class (a CommonJS module), typed by the interfaces above. */
export function loadSrf(): SrfConstructor {
  const Srf: SrfConstructor = requireHere('drachtio-srf');
  if (typeof Srf !== 'function') throw new Error('drachtio-srf did not export a constructor');
  return Srf;
}

let table: object | null | undefined;

/** The sip-status table drachtio-srf validates response codes against, resolved from its own location. */
function statusTable(): object | null {
  if (table !== undefined) return table;
  try {
    const t: unknown = createRequire(requireHere.resolve('drachtio-srf'))('sip-status');
    table = typeof t === 'object' && t !== null ? t : null;
  } catch {
    table = null;
  }
  return table;
}

/**
 * Response#send refuses any status not in the `sip-status` table it imports,
 * and sip-status 0.1 has no 607 (RFC 8197) or 608 (RFC 8688): `res.send(608)`
 * throws. Add the two to the very table drachtio-srf uses (resolved from its
 * own location, in case an install nests a second copy).
 */
export function allowRejectCodes(): void {
  const t = statusTable();
  if (t === null) return;
  for (const [code, phrase] of [[607, 'Unwanted'], [608, 'Rejected']] as const) {
    if (!Reflect.has(t, code)) Reflect.set(t, code, phrase);
  }
}

/** Whether Response#send will accept a status (call allowRejectCodes first). */
export function sendableStatus(status: number): boolean {
  const t = statusTable();
  return t !== null && Reflect.has(t, status);
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

/**
 * Stop drachtio-srf retrying a connection. Srf#disconnect only works while
 * connected (DrachtioAgent#disconnect asserts on a missing socket); between
 * attempts the WireProtocol holds a retry timer (wire-protocol.js
 * _onConnectionGone) that would otherwise keep reconnecting and keep the
 * process alive. Returns false when the internals are not where expected.
 */
export function stopReconnecting(srf: SrfInstance): boolean {
  const client: unknown = Reflect.get(srf.app, 'client');
  const wp: unknown = isObject(client) ? Reflect.get(client, 'wp') : undefined;
  if (!isObject(wp)) return false;
  Reflect.set(wp, 'closing', true);
  const vars: unknown = Reflect.get(wp, 'reconnectVars');
  const timer: unknown = isObject(vars) ? Reflect.get(vars, 'retryTimer') : undefined;
  if (timer !== null && timer !== undefined) {
    clearTimeout(timer as ReturnType<typeof setTimeout>);
    if (isObject(vars)) Reflect.set(vars, 'retryTimer', null);
  }
  const sock: unknown = Reflect.get(wp, 'socket');
  if (isObject(sock) && typeof Reflect.get(sock, 'destroy') === 'function' && Reflect.get(sock, 'destroyed') !== true) {
    (sock as { destroy(): void }).destroy();
  }
  return true;
}

/** A socket the ping watchdog can drop. */
export interface Destroyable {
  destroy(): void;
  readonly destroyed?: boolean;
}

/**
 * Follow drachtio-srf's pings and drachtio-server's pongs: `onPing` for each
 * ping written (wire-protocol.js startPinging emits 'ping' with its message
 * id and socket), `onPong` with the message id of each short response read
 * (its 'msg' event; a pong is '<uuid>|response|<id>|OK|pong'). drachtio-srf
 * itself never looks at the pongs (DrachtioAgent keeps a pendingPingRequests
 * set that nothing fills). false when its WireProtocol is not where this
 * looks (srf.app.client.wp): no watchdog then.
 */
export function watchPings(srf: SrfInstance, onPing: (id: string, socket: Destroyable) => void, onPong: (id: string) => void): boolean {
  const client: unknown = Reflect.get(srf.app, 'client');
  const wp: unknown = isObject(client) ? Reflect.get(client, 'wp') : undefined;
  if (!isObject(wp) || typeof Reflect.get(wp, 'on') !== 'function') return false;
  const on = (Reflect.get(wp, 'on') as (event: string, l: (...args: unknown[]) => void) => unknown).bind(wp);
  on('ping', (p: unknown) => {
    const id: unknown = isObject(p) ? Reflect.get(p, 'msgId') : undefined;
    const socket: unknown = isObject(p) ? Reflect.get(p, 'socket') : undefined;
    if (typeof id === 'string' && isObject(socket) && typeof Reflect.get(socket, 'destroy') === 'function') onPing(id, socket as Destroyable);
  });
  on('msg', (_socket: unknown, text: unknown) => {
    // '<uuid>|response|<msgId>|OK|pong' (client.cpp createResponseMsg): any response to the ping's id
    // shows drachtio-server read the ping, whatever its last fields say. The caller ignores other ids.
    if (typeof text !== 'string' || text.length > 200 || !text.includes('|response|')) return;
    const parts = text.split('|', 3);
    if (parts[1] === 'response' && parts[2] !== undefined) onPong(parts[2]);
  });
  return true;
}
