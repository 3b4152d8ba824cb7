/**
 * The admin HTTP endpoint: /metrics (Prometheus), /healthz, /readyz,
 * /inspect and /holds. It shows what the engine holds, so it binds to loopback unless
 * the operator says otherwise: anyone who can reach it can read callers'
 * numbers and statistics.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Engine } from '../engine/engine.js';
import { inspectNumber } from './inspect.js';
import { identityDigits, maskNumber, maskText, numberVariants } from './mask.js';

/** Where `serve --admin` listens and `inspect --admin` looks when not told. */
export const DEFAULT_ADMIN = '127.0.0.1:9477';

export interface AdminOptions {
  host: string;
  /** 0 picks a free port (see `address`). */
  port: number;
  engine: () => Engine;
  metrics: { registry: Registry };
  /** Ready to take calls: rules loaded, state restored, SIP side up. */
  ready: () => boolean;
  logger?: Logger;
  /**
   * Allow a non-loopback address. Off by default because /inspect and
   * /metrics expose numbers and traffic; put a firewall or a proxy with
   * authentication in front when you turn it on.
   */
  allowRemote?: boolean;
  /** Wall clock for /inspect (the engine itself never reads one); tests pin it. */
  now?: () => number;
  /**
   * `serve --mask-digits`: the last digits of numbers in a logged request URL
   * (an /inspect query names one) are masked. The /inspect answer is not: it
   * is about the number the asker gave.
   */
  maskDigits?: number;
  /** An idle connection is closed after this long, ms (default ADMIN_IDLE_MS; tests shorten it). */
  idleMs?: number;
}

/** Open connections to the admin endpoint at most; more are closed when accepted. */
export const MAX_ADMIN_CONNECTIONS = 64;
/** An admin connection silent this long is closed, ms. */
export const ADMIN_IDLE_MS = 10_000;

export interface AdminServer {
  close(): Promise<void>;
  address: { host: string; port: number; url: string };
}

/** True for 127.0.0.0/8, ::1, their IPv4-mapped forms and 'localhost'. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * 'HOST:PORT', '[v6]:PORT', ':PORT' or 'PORT' (loopback), or an http:// URL.
 * Throws with a readable message on anything else.
 */
export function parseHostPort(s: string, defaultHost = '127.0.0.1'): { host: string; port: number } {
  const v = s.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  let host = defaultHost;
  let port: string;
  const m6 = /^\[([^\]]+)\]:(\d+)$/.exec(v);
  if (m6) {
    host = m6[1] as string;
    port = m6[2] as string;
  } else if (/^\d+$/.test(v)) {
    port = v;
  } else {
    const i = v.lastIndexOf(':');
    if (i < 0 || v.indexOf(':') !== i) throw new Error(`bad address '${s}': expected HOST:PORT, e.g. ${DEFAULT_ADMIN} or [::1]:9477`);
    if (i > 0) host = v.slice(0, i);
    port = v.slice(i + 1);
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 0 || n > 65535) throw new Error(`bad port in '${s}': expected 0-65535`);
  return { host, port: n };
}

/**
 * A request URL for a log line, its numbers masked when masking is on.
 * Decoded first: '%2B44 20 7946 0123' percent-encoded has no digit run to
 * find; each query value is then looked for as a number, as a call's
 * identities are in the decision line.
 */
function loggedUrl(url: string | undefined, maskDigits: number): string | undefined {
  if (maskDigits <= 0 || url === undefined) return url;
  let text = url;
  try {
    text = decodeURIComponent(url);
  } catch {
    // Bad percent-encoding: masked as it came.
  }
  return maskText(text, maskDigits, identityDigits(text.split(/[?&=]/)));
}

export async function startAdmin(opts: AdminOptions): Promise<AdminServer> {
  if (!isLoopback(opts.host) && !opts.allowRemote) {
    throw new Error(`refusing to serve the admin endpoint on non-loopback address ${opts.host}: it exposes numbers and statistics; allow it explicitly (serve --allow-remote-admin, or allowRemote: true) and put authentication in front`);
  }
  const log = opts.logger;
  const now = opts.now ?? Date.now;

  // The headers and request timeouts are only enforced when the server checks its connections (every 30 s by
  // default): connections that sent nothing, or half a request, each held a file descriptor until then.
  // Open connections, oldest first, and how many requests each has in progress (pipelined ones count each).
  const conns = new Map<Socket, { busy: number }>();
  const server: Server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    const c = conns.get(req.socket);
    if (c) {
      c.busy++;
      res.once('close', () => {
        c.busy--;
      });
    }
    handle(req, res).catch((err: unknown) => {
      log?.error({ err, url: loggedUrl(req.url, opts.maskDigits ?? 0) }, 'admin request failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  // A scrape or an inspect is small and fast; drop clients that trickle.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.maxHeadersCount = 50;
  // A few scrapers and an operator. Without a cap, idle connections opened faster than they time out took
  // every descriptor the process had, and the SIP side could accept no TCP connection, dial none, nor write
  // the state snapshot. At the cap a new connection takes the place of the oldest one with no request in
  // progress (one that sent nothing, or half a request): with a plain refusal, 64 silent connections locked
  // /healthz out until they timed out, and a liveness probe failing would get the process restarted.
  server.on('connection', (sock: Socket) => {
    if (conns.size >= MAX_ADMIN_CONNECTIONS) {
      for (const [old, st] of conns) {
        if (st.busy > 0) continue;
        conns.delete(old);
        old.destroy();
        break;
      }
      if (conns.size >= MAX_ADMIN_CONNECTIONS) {
        sock.destroy();
        return;
      }
    }
    conns.set(sock, { busy: 0 });
    sock.once('close', () => conns.delete(sock));
  });
  // Idle sockets (none of the timeouts above covers a connection that never sent a byte between requests) go too.
  server.setTimeout(opts.idleMs ?? ADMIN_IDLE_MS);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://admin.invalid');
    } catch {
      send(res, 400, 'bad request URL\n');
      return;
    }
    const route = ROUTES.get(url.pathname);
    if (route === undefined) {
      send(res, 404, `not found; try ${[...ROUTES.keys()].join(', ')}\n`);
      return;
    }
    if (route === 'release' ? req.method !== 'POST' : req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', route === 'release' ? 'POST' : 'GET, HEAD');
      send(res, 405, 'method not allowed\n');
      return;
    }
    switch (route) {
      case 'metrics': {
        const body = await opts.metrics.registry.metrics();
        send(res, 200, body, opts.metrics.registry.contentType);
        return;
      }
      case 'healthz':
        send(res, 200, 'ok\n');
        return;
      case 'readyz': {
        let ready = false;
        try {
          ready = opts.ready();
        } catch (err) {
          log?.warn({ err }, 'readiness check threw; reporting not ready');
        }
        send(res, ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n');
        return;
      }
      case 'inspect':
        inspect(url.searchParams, res);
        return;
      case 'release':
        // The one route that changes state: a web page open on this host could POST to loopback, but not
        // with a header of its own (that needs a CORS preflight, which this endpoint never grants).
        if (req.headers['x-ringfence-admin'] === undefined) {
          sendJson(res, 403, { error: 'send the header X-Ringfence-Admin: 1 with this request (ringfence holds --release does)' });
          return;
        }
        release(url.searchParams, res);
        return;
      case 'holds':
        holds(url.searchParams, res);
        return;
    }
  }

  function current(): Engine | undefined {
    try {
      return opts.engine() ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** The callers on hold with the most rejected calls: who is being kept out now, and after which reject. */
  function holds(q: URLSearchParams, res: ServerResponse): void {
    const raw = q.get('top');
    const top = raw === null || raw === '' ? DEFAULT_HOLDS_TOP : Number(raw);
    if (!Number.isInteger(top) || top < 1 || top > MAX_HOLDS_TOP) {
      sendJson(res, 400, { error: `bad 'top' ${JSON.stringify(raw)}: a whole number from 1 to ${MAX_HOLDS_TOP}` });
      return;
    }
    const engine = current();
    if (engine === undefined) {
      sendJson(res, 503, { error: 'no engine yet: rules or state still loading' });
      return;
    }
    const at = now();
    const list = engine.holdList(at, top);
    // Unlike /inspect, nobody named these numbers: with masking on they are masked, as in the log.
    const mask = opts.maskDigits ?? 0;
    sendJson(res, 200, {
      at: new Date(at).toISOString(),
      held: list.held,
      holds: list.holds.map((h) => {
        const ids = mask > 0 ? identityDigits(numberVariants(h.caller)) : [];
        return {
          caller: maskNumber(h.caller, mask),
          rejected: h.rejected,
          probes: h.probes,
          probed: h.probed,
          since: new Date(h.since).toISOString(),
          until: new Date(h.until).toISOString(),
          why: mask > 0 ? maskText(h.why, mask, ids) : h.why,
        };
      }),
    });
  }

  /** POST /holds/release?number=...: lift one caller's hold now (the operator's decision, logged and counted). */
  function release(q: URLSearchParams, res: ServerResponse): void {
    const number = numberParam(q, 'number');
    if (number === '') {
      sendJson(res, 400, { error: "missing query parameter 'number', e.g. POST /holds/release?number=%2B447911123456 (encode '+' as %2B)" });
      return;
    }
    const engine = current();
    if (engine === undefined) {
      sendJson(res, 503, { error: 'no engine yet: rules or state still loading' });
      return;
    }
    const e164 = engine.classify(number).e164;
    if (e164 === null) {
      sendJson(res, 400, { error: `'${number}' is not a number a hold can be on (holds are kept by E.164 caller ID)` });
      return;
    }
    const h = engine.releaseHold(e164, now());
    if (h !== undefined) log?.info({ caller: e164, held_since: new Date(h.since).toISOString(), rejected: h.rejected, why: h.why }, 'hold released by an operator');
    sendJson(res, 200, { number, caller: e164, released: h !== undefined, ...(h !== undefined ? { rejected: h.rejected, since: new Date(h.since).toISOString(), why: h.why } : {}) });
  }

  function inspect(q: URLSearchParams, res: ServerResponse): void {
    const param = (name: string): string => numberParam(q, name);
    const number = param('number');
    if (number === '') {
      sendJson(res, 400, { error: "missing query parameter 'number', e.g. /inspect?number=%2B447911123456&callee=%2B8613800138000 (encode '+' as %2B)" });
      return;
    }
    const callee = param('callee');
    const source = param('source');
    const atRaw = param('at');
    let at = now();
    if (atRaw !== '') {
      // Date.parse alone takes '-1' or '12' as dates (2001-01-01, 2001-12-01): ISO 8601 only.
      at = /^\d+$/.test(atRaw) ? Number(atRaw) : /^\d{4}-\d{2}-\d{2}/.test(atRaw) ? Date.parse(atRaw) : NaN;
      if (!Number.isFinite(at)) {
        sendJson(res, 400, { error: `bad 'at' ${JSON.stringify(atRaw)}: epoch milliseconds or an ISO 8601 time` });
        return;
      }
    }
    const engine = current();
    if (engine === undefined) {
      sendJson(res, 503, { error: 'no engine yet: rules or state still loading' });
      return;
    }
    const report = inspectNumber(engine, number, { at, ...(callee ? { callee } : {}), ...(source ? { source } : {}) });
    if (atRaw !== '') report.at_given = true;
    sendJson(res, 200, report);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log?.error({ err }, 'admin server error'));
  const a = server.address();
  const port = typeof a === 'object' && a !== null ? a.port : opts.port;
  const host = typeof a === 'object' && a !== null ? a.address : opts.host;
  log?.info({ host, port }, 'admin endpoint listening');

  return {
    address: { host, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections (Prometheus keeps one open) would hold close() forever.
        server.closeAllConnections();
      }),
  };
}

/** A number from the query string. An unencoded '+' arrives as a space: restored, rather than act on the wrong number. */
function numberParam(q: URLSearchParams, name: string): string {
  return (q.get(name) ?? '').replace(/^ (?=\d)/, '+').trim();
}

const ROUTES = new Map<string, 'metrics' | 'healthz' | 'readyz' | 'inspect' | 'holds' | 'release'>([
  ['/holds/release', 'release'],
  ['/metrics', 'metrics'],
  ['/healthz', 'healthz'],
  ['/readyz', 'readyz'],
  ['/inspect', 'inspect'],
  ['/holds', 'holds'],
]);

/** Holds listed by /holds unless ?top= says otherwise, and the most it lists. */
export const DEFAULT_HOLDS_TOP = 20;
export const MAX_HOLDS_TOP = 1000;

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, `${JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`, 'application/json; charset=utf-8');
}
