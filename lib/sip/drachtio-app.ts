/**
 * Application mode: Ringfence as its own drachtio app. Connects inbound to
 * drachtio-server (Srf#connect), screens every initial INVITE and proxies the
 * calls it lets through to the next hop. drachtio-srf's WireProtocol
 * reconnects by itself after the server restarts (backoff capped here) and
 * re-sends the `route|invite` and `route|cdr:*` registrations on every
 * successful authentication (DrachtioAgent#_onConnect → routeVerbs); this
 * module only logs the state changes and owns start-up and shutdown.
 */
import type { Logger } from 'pino';
import type { Screener } from '../ops/screener.js';
import { ringfence, type RingfenceMiddleware, type RingfenceOptions } from './drachtio.js';
import { loadSrf, stopReconnecting, watchPings, type Destroyable, type SrfInstance } from './drachtio-types.js';

export interface DrachtioAppOptions {
  /** drachtio-server admin address (its <admin> element). */
  host: string;
  port: number;
  secret: string;
  /** Where let-through calls go, e.g. sip:10.0.0.5:5060. */
  nextHop: string;
  screener: Screener;
  logger: Logger;
  /** See RingfenceOptions.cdrs (default true). */
  cdrs?: boolean;
  /** Give up if the first connection is not up within this long (ms); 0 waits forever. Default 30 s. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts (ms). Default 5 s. */
  retryMaxDelayMs?: number;
  /**
   * How often to write a ping to drachtio-server (ms, 5 s to 300 s, the
   * range drachtio-srf accepts). Default 10 s. See the note at srf.connect.
   */
  pingIntervalMs?: number;
  /** Further middleware options (sourceHeader, proxy timeouts, pending limits...). */
  middleware?: Omit<RingfenceOptions, 'screener' | 'nextHop' | 'srf' | 'logger' | 'cdrs'>;
}

export interface DrachtioApp {
  close(): Promise<void>;
  /** Shutting down: new calls get 503, calls in flight carry on. */
  drain(): void;
  /** No call let through is still waiting for its outcome. */
  idle(): boolean;
  /** Currently connected and authenticated to drachtio-server. */
  readonly connected: boolean;
  /** The SIP endpoints drachtio-server reported on the last connect (e.g. 'udp/10.0.0.2:5060'). */
  readonly hostport: string | undefined;
  readonly middleware: RingfenceMiddleware;
}

/** Resolves once connected to drachtio-server; rejects on a wrong secret or the connect timeout. */
export function startDrachtioApp(opts: DrachtioAppOptions): Promise<DrachtioApp> {
  const log = opts.logger;
  const Srf = loadSrf();
  const srf: SrfInstance = new Srf();
  const where = `${opts.host}:${opts.port}`;

  let connected = false;
  let everConnected = false;
  let closing = false;
  let hostport: string | undefined;
  let lostAt = 0;
  let attempts = 0;

  const middleware = ringfence({
    ...opts.middleware,
    screener: opts.screener,
    nextHop: opts.nextHop,
    srf,
    logger: log,
    cdrs: opts.cdrs ?? true,
  });
  srf.use('invite', middleware);

  const app: DrachtioApp = {
    get connected() {
      return connected;
    },
    get hostport() {
      return hostport;
    },
    middleware,
    close,
    drain: () => middleware.drain(),
    idle: () => middleware.pendingCount() === 0,
  };

  let settle: { resolve(a: DrachtioApp): void; reject(e: Error): void } | undefined;
  const started = new Promise<DrachtioApp>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const timeoutMs = opts.connectTimeoutMs ?? 30_000;
  const startTimer = timeoutMs > 0
    ? setTimeout(() => fail(new Error(`no connection to drachtio-server at ${where} within ${timeoutMs} ms`)), timeoutMs)
    : undefined;

  function fail(err: Error): void {
    if (settle === undefined) return;
    const s = settle;
    settle = undefined;
    if (startTimer) clearTimeout(startTimer);
    void close().finally(() => s.reject(err));
  }

  // Srf re-emits the agent's events (proto.js _init → srf.js constructor) on a later tick.
  srf.on('connect', (err: unknown, hp: unknown, version: unknown) => {
    if (err) {
      log.error({ drachtio: where, err: err instanceof Error ? err.message : String(err) }, 'drachtio-server refused the connection (check --secret)');
      fail(new Error(`drachtio-server at ${where} refused authentication`));
      return;
    }
    if (closing) {
      // A retry that was already in flight when close() ran.
      try {
        srf.disconnect();
      } catch {
        // nothing left to disconnect
      }
      return;
    }
    connected = true;
    hostport = typeof hp === 'string' ? hp : undefined;
    attempts = 0;
    const info = { drachtio: where, sip: hostport, server_version: typeof version === 'string' ? version : undefined };
    if (everConnected) log.warn({ ...info, down_ms: Date.now() - lostAt }, 'reconnected to drachtio-server');
    else log.info(info, 'connected to drachtio-server');
    everConnected = true;
    if (settle !== undefined) {
      const s = settle;
      settle = undefined;
      if (startTimer) clearTimeout(startTimer);
      s.resolve(app);
    }
  });

  srf.on('close', () => {
    if (closing) return;
    if (connected) {
      lostAt = Date.now();
      log.warn({ drachtio: where }, 'lost connection to drachtio-server; calls are not screened until it is back');
    }
    connected = false;
  });

  srf.on('reconnecting', (info: unknown) => {
    if (closing) return;
    attempts++;
    const delay = typeof info === 'object' && info !== null ? Reflect.get(info, 'delay') : undefined;
    // First retry and then every tenth: the backoff caps at retryMaxDelayMs, so an outage is visible without flooding.
    if (attempts === 1 || attempts % 10 === 0) log.warn({ drachtio: where, attempt: attempts, delay_ms: delay }, 'reconnecting to drachtio-server');
    else log.debug({ drachtio: where, attempt: attempts, delay_ms: delay }, 'reconnecting to drachtio-server');
  });

  // Without an 'error' listener Srf's re-emit would throw and kill the process.
  srf.on('error', (err: unknown) => {
    if (closing) return;
    const msg = err instanceof Error ? err.message : String(err);
    if (attempts <= 1) log.warn({ drachtio: where, err: msg }, 'drachtio-server connection error');
    else log.debug({ drachtio: where, err: msg }, 'drachtio-server connection error');
  });

  // A connection drachtio-server no longer reads (its 12 kB read buffer overflowed, or it hangs)
  // stays up: INVITEs keep coming, the answers to them are never read, and no FIN or RST ever
  // comes. Its pings go unanswered, though: when a check finds two outstanding on the live socket
  // (the older one 1.5 intervals old), the connection is dropped and drachtio-srf reconnects.
  const wanted = opts.pingIntervalMs ?? 10_000;
  const pingInterval = Math.min(300_000, Math.max(5_000, Math.round(Number.isFinite(wanted) ? wanted : 10_000)));
  /** Each ping not yet answered: its socket and when it was written. */
  const outstanding = new Map<string, { sock: Destroyable; at: number }>();
  const check = (): void => {
    if (!connected || closing) return;
    let live: Destroyable | undefined;
    let n = 0;
    let oldest = Infinity;
    for (const [id, p] of outstanding) {
      if (p.sock.destroyed === true) outstanding.delete(id);
      else {
        live = p.sock;
        n++;
        oldest = Math.min(oldest, p.at);
      }
    }
    // Two pings outstanding, the older one written more than 1.5 intervals ago: a pong merely
    // late behind one busy interval is not a stalled connection.
    if (live === undefined || n < 2 || Date.now() - oldest < 1.5 * pingInterval) return;
    log.error({ drachtio: where, unanswered_pings: n }, 'drachtio-server answers no pings on this connection: dropping it to reconnect');
    outstanding.clear();
    live.destroy();
  };
  // setImmediate: pongs already waiting on the socket are read before the check.
  const watchdog = setInterval(() => setImmediate(check), pingInterval);
  watchdog.unref();

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(watchdog);
    if (startTimer) clearTimeout(startTimer);
    middleware.close();
    connected = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const socketClosed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2_000);
      srf.on('close', () => resolve());
    });
    let disconnecting = false;
    try {
      // Ends the socket and marks the WireProtocol as closing, so no reconnect.
      srf.disconnect();
      disconnecting = true;
    } catch {
      // DrachtioAgent#disconnect asserts when there is no socket (between retries).
    }
    // Between attempts there is no socket to end; stop the retry timer instead.
    stopReconnecting(srf);
    if (disconnecting) await socketClosed;
    if (timer) clearTimeout(timer);
    log.info({ drachtio: where }, 'drachtio app closed');
  }

  try {
    // enablePing: drachtio-srf otherwise writes nothing while no call arrives, and learns of a
    // connection only from a FIN or RST. When drachtio-server's host reboots, fails over or drops
    // off the network, none comes: the socket looks connected (its keepalive is the OS default,
    // 2 h) while the new drachtio-server has no app registered and answers every INVITE 503, so
    // calls go unscreened. A ping every few seconds (wire-protocol.js startPinging, sent once
    // drachtio-server >= v0.8.2 has authenticated us; it answers 'OK|pong', client.cpp) makes the
    // kernel report the dead peer (an RST at once from a rebooted host, or the retransmission
    // timeout) and drachtio-srf reconnects.
    srf.connect({
      host: opts.host,
      port: opts.port,
      secret: opts.secret,
      reconnect: { retryMaxDelay: opts.retryMaxDelayMs ?? 5_000 },
      enablePing: true,
      pingInterval,
    });
    if (!watchPings(srf, (id, sock) => outstanding.set(id, { sock, at: Date.now() }), (id) => outstanding.delete(id))) {
      log.warn({ drachtio: where }, "drachtio-srf's wire protocol not found where this version of Ringfence looks: no watchdog on unanswered pings");
    }
  } catch (err) {
    fail(err instanceof Error ? err : new Error(String(err)));
  }

  return started;
}
