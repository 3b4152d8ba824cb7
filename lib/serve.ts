/**
 * `ringfence serve`: load rules, restore state, start the SIP adapters and
 * the admin endpoint, reload rules on change or SIGHUP, snapshot state
 * periodically and on shutdown. Everything that decides lives in the engine;
 * this file only wires the pieces together and owns the process lifecycle.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { CompiledRules } from './engine/config.js';
import { Engine } from './engine/engine.js';
import { DEFAULT_ADMIN, parseHostPort, startAdmin, type AdminServer } from './ops/admin.js';
import { createLogger } from './ops/logger.js';
import { createMetrics } from './ops/metrics.js';
import { Screener } from './ops/screener.js';
import { loadSnapshot, writeSnapshot } from './ops/state.js';
import { formatIssue, RulesError, type RulesIssue } from './rules/errors.js';
import { describeChanges, restartChanges, rulesChanges } from './rules/changes.js';
import { formatDuration } from './rules/fields.js';
import { RulesWatcher } from './rules/reload.js';
import { startDrachtioApp, type DrachtioApp } from './sip/drachtio-app.js';
import { parseListenSpec, startStandalone, type Standalone, type StandaloneOptions } from './sip/standalone.js';

export const DEFAULT_LISTEN = 'udp:127.0.0.1:5060';
export const DEFAULT_NEXT_HOP = 'sip:127.0.0.1:5070';
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 5 * 60_000;
/** Grace period for calls in flight at shutdown. */
export const DEFAULT_DRAIN_MS = 2000;
export const DEFAULT_HOP_PING_MS = 5000;
export const DEFAULT_HOP_DOWN_MS = 10_000;
/** Most log output held for a stalled log reader before lines are dropped. */
const LOG_BUFFER_BYTES = 16 * 1024 * 1024;
/** A second SIGINT/SIGTERM sooner than this after the first is the same keypress delivered twice (npm start). */
const REPEAT_SIGNAL_MS = 1000;
/** How long a crash waits for its state snapshot before exiting anyway. */
const CRASH_SNAPSHOT_MS = 10_000;

/** The package root, found from this module whether it runs from lib/ (tsx) or dist/lib/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Ringfence's version, from its package.json ('unknown' if that cannot be read). */
export function packageVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** The rules `npm start` runs on when none are named. */
export const embeddedRules = (): string => join(packageRoot(), 'examples', 'rules', 'china-ingress.yaml');

export interface ServeOptions {
  rules?: string;
  listen?: string[];
  nextHop?: string;
  drachtio?: string;
  secret?: string;
  /** Header the edge stamps with the ingress peer (e.g. X-Ringfence-Source), read as the call's source instead of the packet source (both modes). */
  sourceHeader?: string;
  /** Standalone: the address for our Via and Record-Route (needed when listening on 0.0.0.0). */
  advertise?: string;
  admin?: string | false;
  allowRemoteAdmin?: boolean;
  state?: string;
  snapshotIntervalMs?: number;
  monitor?: boolean;
  maskDigits?: number;
  logLevel?: string;
  /** Decision lines written, whatever logLevel is: every call (default), rejects only, or none. */
  decisionLog?: 'all' | 'rejects' | 'none';
  pretty?: boolean;
  recvBufferBytes?: number;
  /** Standalone UDP sockets on an I/O thread of their own (default true). */
  udpThread?: boolean;
  /** Standalone proxy bounds (see StandaloneOptions): transactions, bytes held for them, TCP connections, TCP message time (ms). */
  limits?: Pick<StandaloneOptions, 'maxTransactions' | 'maxTombstones' | 'maxHeldBytes' | 'maxTcpConnections' | 'tcpMessageMs'>;
  /** File holding the key that signs the standalone proxy's Record-Route (see readRouteKey); default a key per process. */
  routeKeyFile?: string;
  /**
   * Standalone next-hop health: OPTIONS once a request has waited this long unanswered, and this
   * often while the hop is down (ms, default 5000; 0: no health checks); after how long without any
   * response it counts as down (default 10000): new calls then get 503 at once and /readyz says not
   * ready, until it answers again.
   */
  nextHopPingMs?: number;
  nextHopDownAfterMs?: number;
  /** Unsigned in-dialog routes passed for this long after start (ms): for an upgrade from a build that did not sign them. */
  acceptUnsignedRoutesMs?: number;
  /** Grace period for calls in flight at shutdown (ms). */
  drainMs?: number;
  logger?: Logger;
  /** Install SIGTERM/SIGINT/SIGHUP handlers (off in tests). */
  signals?: boolean;
}

export interface Server {
  engine(): Engine;
  standalone?: Standalone;
  drachtio?: DrachtioApp;
  admin?: AdminServer;
  watcher: RulesWatcher;
  /** Stop taking calls, let those in flight finish, write the snapshot. */
  close(): Promise<void>;
}

export async function serve(o: ServeOptions): Promise<Server> {
  // Asynchronous, with a bound: a log reader that stalls (a full pipe to journald or a container's log
  // driver) must not stop the call path, which a synchronous write would; past 16 MiB behind, lines are
  // dropped and counted (ringfence_log_lines_dropped_total). Written out at exit.
  const log = o.logger ?? createLogger({ level: o.logLevel ?? 'info', pretty: o.pretty ?? false, sync: false, maxBuffer: LOG_BUFFER_BYTES });
  const file = resolve(o.rules ?? embeddedRules());
  const version = packageVersion();
  log.info({ version, node: process.version, rules: file }, 'ringfence starting');
  // Right for `npm start`, wrong on a gateway that is not Chinese: a unit file that forgot --rules must be noticed.
  if (!o.rules) log.warn({ rules: file }, 'no --rules given: screening with the embedded example rules (home country CN, examples/rules/china-ingress.yaml); name your own with --rules');
  const override = (r: CompiledRules): CompiledRules => (o.monitor ? { ...r, monitor: true } : r);

  // Read before anything watches, connects or listens: a bad key file stops the start at once, leaving nothing open.
  const routeKey = o.routeKeyFile ? readRouteKey(o.routeKeyFile) : undefined;
  // Likewise every address and path, so that a typo fails the start before any call is taken.
  const adminAt = o.admin === false ? undefined : addressArg('--admin', o.admin ?? DEFAULT_ADMIN);
  const drachtioAt = o.drachtio ? addressArg('--drachtio', o.drachtio) : undefined;
  checkNextHop(o.nextHop ?? DEFAULT_NEXT_HOP, !drachtioAt || !!o.listen?.length);
  if (!o.nextHop) log.warn({ next_hop: DEFAULT_NEXT_HOP }, `no --next-hop given: forwarding screened calls to the demo default ${DEFAULT_NEXT_HOP}; name your own with --next-hop`);
  const listen = o.listen?.length ? o.listen : o.drachtio ? [] : [DEFAULT_LISTEN];
  const listenAt = listen.map(parseListenSpec);
  if (o.state) checkStatePath(o.state);
  const watcher = new RulesWatcher(file);
  const rules = override(await watcher.start());
  const engine = new Engine(rules);
  let standalone: Standalone | undefined;
  let drachtio: DrachtioApp | undefined;
  const sip = { ...(listen.length ? { standalone: () => standalone?.stats() } : {}), ...(o.drachtio ? { drachtio: () => drachtio?.connected } : {}) };
  const metrics = createMetrics(() => engine, { sip, version });
  if (o.state) {
    const r = await loadSnapshot(engine, o.state, Date.now());
    if (r.ok) {
      log.info({ state: o.state, entries: r.entries, holds: r.holds, age_seconds: Math.round(r.age / 1000) }, 'state restored');
      if (r.dropped) log.warn({ state: o.state, dropped: r.dropped }, `state snapshot kept counters this build does not know (${r.dropped.join(', ')}): not loaded`);
    } else if (r.missing) log.info({ state: o.state }, 'no state snapshot yet: starting empty');
    else {
      // Moved aside, never left to be overwritten: the next snapshot (at shutdown at the latest) replaced a
      // file refused only because this start was wrong (rules for another home country, a build older than
      // the file's version) with an empty one, and every caller's history and every hold was gone for good.
      const aside = `${o.state}.unused-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const kept = await rename(o.state, aside).then(() => aside, (err: NodeJS.ErrnoException) => {
        log.error({ state: o.state, err }, `state snapshot not used and could not be moved aside (${err.code ?? err.message}): the next snapshot replaces it`);
        return undefined;
      });
      log.warn({ state: o.state, reason: r.reason, ...(kept ? { kept_as: kept } : {}) }, 'state snapshot not used: starting empty');
    }
    metrics.snapshot(r.ok || !!r.missing);
  }
  const screener = new Screener(engine, { logger: log, decisionLog: o.decisionLog ?? 'all', events: metrics.events, maskDigits: o.maskDigits ?? 0 });
  if (o.routeKeyFile && (statSync(o.routeKeyFile).mode & 0o004) !== 0) {
    log.warn({ route_key_file: o.routeKeyFile }, 'the route key file can be read by any user of this host: chmod o-r it');
  }
  if (routeKey && !listen.length) log.warn({ route_key_file: o.routeKeyFile }, '--route-key-file only signs the standalone proxy\'s Record-Route: no --listen, so it is not used');
  const fingerprint = watcher.meta?.fingerprint ?? '';
  metrics.rulesLoaded({ fingerprint, file });
  log.info({ rules: file, fingerprint, home: rules.homeCountry, monitor: rules.monitor, scopes: rules.scopes.map((s) => s.name), signals: rules.base.signals.map((s) => s.id) }, `rules loaded (fingerprint ${fingerprint})`);
  // Loaded in spite of these (list lines left out with bad_lines: skip): one warning each, file and lines named.
  const warn = (ws: readonly RulesIssue[], what: string): void => {
    for (const w of ws) log.warn({ rules: file, warning: w }, `${what} with a warning: ${formatIssue(w)}`);
  };
  warn(watcher.meta?.warnings ?? [], 'rules loaded');

  let live = rules;
  let liveFingerprint = fingerprint;
  watcher.on('rules', (r, meta) => {
    // A SIGHUP (systemctl reload) with nothing edited: say so, rather than a reload that changed nothing.
    const same = meta.fingerprint === liveFingerprint;
    liveFingerprint = meta.fingerprint;
    const next = override(r);
    const changes = rulesChanges(live, next);
    const prev = live;
    const held = engine.reload(next, Date.now());
    live = next;
    metrics.ruleReload(true);
    metrics.rulesLoaded({ fingerprint: meta.fingerprint, file });
    if (same) log.info({ rules: file, fingerprint: meta.fingerprint, unchanged: true }, `rules re-read: unchanged (fingerprint ${meta.fingerprint}: the rules file and its lists are as they were)`);
    else log.info({ rules: file, fingerprint: meta.fingerprint, changes }, `rules reloaded (fingerprint ${meta.fingerprint}): ${describeChanges(changes)}`);
    if (held.holdsLifted > 0) log.warn({ rules: file, holds_lifted: held.holdsLifted }, `hold.duration is 0: the ${held.holdsLifted} holds in force are lifted`);
    if (held.holdsShortened > 0) {
      log.warn({ rules: file, holds_shortened: held.holdsShortened }, `hold shortened (duration ${formatDuration(prev.hold.duration)} → ${formatDuration(next.hold.duration)}, max ${formatDuration(prev.hold.max)} → ${formatDuration(next.hold.max)}): ${held.holdsShortened} holds in force now end as the new rules would have them`);
    }
    const later = restartChanges(rules, prev, next);
    if (later.length > 0) log.warn({ rules: file, settings: later }, `rules reloaded, but: ${later.join('; ')}`);
    warn(meta.warnings, 'rules reloaded');
  });
  watcher.on('watchLost', (dir) => {
    log.warn({ rules: file, dir }, `rules watch lost: ${dir} was deleted or replaced; looking for it every second to watch it again (SIGHUP still reloads)`);
  });
  watcher.on('watchRearmed', (dir) => {
    log.warn({ rules: file, dir }, `rules watch re-armed on ${dir}: edits there are picked up again`);
  });
  watcher.on('invalid', (err: RulesError) => {
    metrics.ruleReload(false);
    // The problems as fields too, for log pipelines that alert on them (capped: a list file pointed at the wrong file has thousands).
    log.error({ rules: file, issue_count: err.issues.length, issues: err.issues.slice(0, 50) }, `rules reload refused, the previous rules stay in force:\n${err.message}`);
  });

  let admin: AdminServer | undefined;
  let ready = false;
  let closing: Promise<void> | undefined;
  let snapshotting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  /** Whether the last snapshot failed: the exit status says so after the one at shutdown. */
  let snapshotFailed = false;

  const snapshot = (why: string): Promise<void> => {
    if (!o.state) return Promise.resolve();
    snapshotting ??= writeSnapshot(engine, o.state, Date.now())
      .then((info) => {
        snapshotFailed = false;
        metrics.snapshot(true);
        log.info({ ...info, why }, 'state snapshot written');
      })
      .catch((err: Error) => {
        snapshotFailed = true;
        metrics.snapshot(false);
        log.error({ err, state: o.state, why }, 'state snapshot failed; the previous snapshot is kept');
      })
      .finally(() => {
        snapshotting = undefined;
      });
    return snapshotting;
  };

  let startFailed = false;
  const server: Server = {
    engine: () => engine,
    watcher,
    close() {
      closing ??= (async () => {
        ready = false;
        if (timer) clearInterval(timer);
        watcher.stop();
        if (startFailed) {
          await Promise.allSettled([standalone?.close(), drachtio?.close(), admin?.close()]);
          return;
        }
        log.info('shutting down: no new calls');
        const drain = o.drainMs ?? DEFAULT_DRAIN_MS;
        // New calls get 503 (the edge fails them over); calls in flight get their responses relayed
        // and their BYEs through until none is left or the grace period is over.
        standalone?.drain();
        drachtio?.drain();
        if (standalone || drachtio) {
          const until = Date.now() + drain;
          const idle = (): boolean => (standalone?.idle() ?? true) && (drachtio?.idle() ?? true);
          while (!idle() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, until - Date.now()))).unref());
          if (idle()) log.info({ drained: true }, 'no calls left in flight');
          else {
            // A caller must not be left ringing into a process that is gone: end what still rings.
            const ended = standalone?.abortInFlight() ?? 0;
            log.warn({ drained: false, ended_ringing: ended }, `grace period over with calls still in flight: ${ended} still ringing ended (CANCEL towards the next hop; 503 with Retry-After: 5 to the caller, 487 if it had cancelled)`);
          }
        }
        await Promise.allSettled([standalone?.close(), drachtio?.close()]);
        if (snapshotting) await snapshotting;
        await snapshot('shutdown');
        await admin?.close();
        log.info('stopped');
      })();
      return closing;
    },
  };

  try {
    // The admin endpoint first: a port already in use stops the start before any SIP listener takes a call.
    if (adminAt) {
      admin = await startAdmin({ host: adminAt.host, port: adminAt.port, engine: () => engine, metrics, ready: () => ready && (drachtio === undefined || drachtio.connected || standalone !== undefined) && (standalone === undefined || standalone.hopUp()), logger: log, allowRemote: !!o.allowRemoteAdmin, maskDigits: o.maskDigits ?? 0 });
      server.admin = admin;
      log.info({ admin: admin.address.url }, 'admin endpoint: /metrics /healthz /readyz /inspect /holds');
    }
    if (drachtioAt) {
      const { host, port } = drachtioAt;
      const secret = o.secret ?? process.env.DRACHTIO_SECRET;
      if (!secret) throw new Error('--drachtio needs --secret (or DRACHTIO_SECRET in the environment)');
      drachtio = await startDrachtioApp({
        host,
        port,
        secret,
        nextHop: o.nextHop ?? DEFAULT_NEXT_HOP,
        screener,
        logger: log,
        ...(o.sourceHeader ? { middleware: { sourceHeader: o.sourceHeader } } : {}),
      });
      server.drachtio = drachtio;
    }
    if (listen.length) {
      if (o.acceptUnsignedRoutesMs) {
        log.warn({ seconds: Math.round(o.acceptUnsignedRoutesMs / 1000) }, 'in-dialog requests with an unsigned Route of ours are passed for a while after start (--accept-unsigned-routes): a route set written by hand passes too until then');
      }
      if (!routeKey) log.warn('route signing key made for this process: after a restart, calls set up before it cannot be hung up or re-INVITEd through the proxy (404); keep a key with --route-key-file');
      standalone = await startStandalone({
        listen: listenAt,
        nextHop: o.nextHop ?? DEFAULT_NEXT_HOP,
        screener,
        logger: log,
        ...(o.recvBufferBytes ? { recvBufferBytes: o.recvBufferBytes } : {}),
        ...(o.udpThread === false ? { udpThread: false } : {}),
        ...(routeKey ? { routeKey } : {}),
        ...((o.nextHopPingMs ?? DEFAULT_HOP_PING_MS) > 0 ? { hopHealth: { pingMs: o.nextHopPingMs ?? DEFAULT_HOP_PING_MS, downAfterMs: o.nextHopDownAfterMs ?? DEFAULT_HOP_DOWN_MS } } : {}),
        ...(o.sourceHeader ? { sourceHeader: o.sourceHeader } : {}),
        ...(o.advertise ? { advertise: o.advertise } : {}),
        ...(o.acceptUnsignedRoutesMs ? { unsignedRouteGraceMs: o.acceptUnsignedRoutesMs } : {}),
        ...o.limits,
      });
      server.standalone = standalone;
    }
  } catch (err) {
    // Nothing was served: close what was opened, but write no snapshot (another instance may own the
    // state file, and this one's tables hold only what it loaded).
    startFailed = true;
    await server.close().catch(() => undefined);
    throw err;
  }

  if (o.state) {
    timer = setInterval(() => void snapshot('periodic'), o.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS);
    timer.unref();
  }
  if (o.signals) {
    process.on('SIGHUP', () => {
      log.info('SIGHUP: reloading rules');
      void watcher.reload();
    });
    let stoppingAt = 0;
    const stop = (sig: string): void => {
      if (stoppingAt > 0) {
        // One Ctrl-C on `npm start` arrives twice within a millisecond: the terminal signals npm and
        // node together, and npm passes its own on. Only a second press is meant as "exit now".
        if (Date.now() - stoppingAt < REPEAT_SIGNAL_MS) return;
        log.warn(`${sig} again: exiting now`);
        process.exit(1);
      }
      stoppingAt = Date.now();
      log.info(`${sig}: stopping`);
      server.close().then(
        () => {
          // The statistics and holds this process held are lost if the shutdown snapshot failed: say so to the service manager.
          if (snapshotFailed) log.error({ state: o.state }, 'exiting with status 1: the state snapshot at shutdown failed');
          process.exit(snapshotFailed ? 1 : 0);
        },
        (err) => {
          log.error({ err }, 'error while stopping');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // A throw no handler of ours caught (inside a library's socket callback, say) leaves the process in
    // an unknown state, so it exits; but the statistics and holds it held are still good: snapshot them
    // first, so the restart the service manager makes resumes from here, not from the last periodic snapshot.
    let crashed = false;
    process.on('uncaughtException', (err, origin) => {
      if (crashed) return;
      crashed = true;
      ready = false;
      log.fatal({ err, origin }, `uncaught ${origin === 'unhandledRejection' ? 'promise rejection' : 'exception'}: exiting with status 1${o.state ? ' after a state snapshot' : ''}`);
      const force = setTimeout(() => process.exit(1), CRASH_SNAPSHOT_MS);
      force.unref();
      (snapshotting ?? Promise.resolve()).then(() => snapshot('crash')).finally(() => process.exit(1));
    });
  }
  ready = true;
  return server;
}

/** HOST:PORT of an option, or an error that names the option. */
function addressArg(option: string, value: string): { host: string; port: number } {
  try {
    return parseHostPort(value);
  } catch (err) {
    throw new Error(`${option}: ${(err as Error).message}`);
  }
}

/**
 * The next hop, checked before anything starts: a sip: or sips: URI with a
 * host and, if it has one, a port from 1 to 65535. drachtio-server also
 * takes a bare HOST:PORT (`standalone` false: no --listen).
 */
export function checkNextHop(uri: string, standalone: boolean): void {
  const m = /^(sips?:)?(?:[^@;?]*@)?(\[[^\]]*\]|[^:;?\[\]]+)(?::([^;?]*))?(?:[;?].*)?$/i.exec(uri.trim());
  if (!m || (standalone && !m[1])) throw new Error(`--next-hop: expected sip:HOST:PORT${standalone ? '' : ' (or sips:)'}, got '${uri}'`);
  // The standalone proxy has no TLS: a sips: hop went out as plain UDP, unencrypted, without a word.
  if (standalone && /^sips:/i.test(m[1] ?? '')) throw new Error(`--next-hop: the standalone proxy has no TLS transport, so '${uri}' would be sent unencrypted: use sip: (;transport=tcp for TCP), or drachtio mode (--drachtio) where drachtio-server speaks TLS`);
  if (standalone && (m[2] ?? '').startsWith('[')) throw new Error(`--next-hop: the standalone proxy is IPv4 only (the sip package it parses with reads no IPv6 URIs), got '${uri}'`);
  // Any other transport (tls, ws, sctp) went out as plain UDP.
  const transport = /;transport=([^;?]*)/i.exec(uri)?.[1]?.toLowerCase();
  if (standalone && transport !== undefined && transport !== 'udp' && transport !== 'tcp') {
    throw new Error(`--next-hop: the standalone proxy speaks UDP and TCP only, so ';transport=${transport}' in '${uri}' cannot be honoured (it would go out as plain UDP): use udp or tcp, or drachtio mode (--drachtio)`);
  }
  const port = m[3];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new Error(`--next-hop: port out of range in '${uri}' (1-65535)`);
  }
}

/** The --state file must be writable where it is named: its directory exists and this process may write in it. */
export function checkStatePath(file: string): void {
  // An existing directory (or device) named as the file would be moved aside as an unreadable snapshot.
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(file, { throwIfNoEntry: false });
  } catch {
    existing = undefined; // ENOTDIR and the like: the directory check below names the problem
  }
  if (existing !== undefined && !existing.isFile()) throw new Error(`--state ${file}: exists and is not a regular file (name a file, e.g. ${join(file, 'state.bin')})`);
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : code === 'EACCES' ? 'is not writable by this process' : (code ?? (err as Error).message);
    throw new Error(`--state ${file}: its directory ${dir} ${why}, so no snapshot could be written (create it, or name another file)`);
  }
}

/**
 * The route signing key from a file: its bytes, surrounding whitespace
 * removed (so `openssl rand -hex 32 > FILE` works as is). At least 32 bytes.
 */
export function readRouteKey(file: string): Buffer {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (err) {
    throw new Error(`--route-key-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const key = Buffer.from(text.toString('latin1').trim(), 'latin1');
  // 32 characters: 128 bits even when the file holds hex.
  if (key.length < 32) throw new Error(`--route-key-file ${file}: ${key.length} bytes, at least 32 needed (make one with: openssl rand -hex 32 > ${file})`);
  return key;
}
