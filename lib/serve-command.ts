/**
 * `ringfence serve`, registered on the main CLI program like the other
 * commands, so its help and argument checks can be tested without a process.
 */
import { isIPv4 } from 'node:net';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_ADMIN } from './ops/admin.js';
import { formatDuration, parseDuration } from './rules/fields.js';
import { isRulesError } from './rules/errors.js';
import { DEFAULT_DRAIN_MS, DEFAULT_HOP_DOWN_MS, DEFAULT_HOP_PING_MS, DEFAULT_LISTEN, DEFAULT_NEXT_HOP, DEFAULT_SNAPSHOT_INTERVAL_MS, serve, type ServeOptions } from './serve.js';
import { DEFAULT_RECV_BUFFER, parseListenSpec } from './sip/standalone.js';

/** --listen, checked as it is parsed: a typo is an error before rules load or anything binds. */
const collectListen = (v: string, prev: string[]): string[] => {
  try {
    parseListenSpec(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return [...prev, v];
};

export const intArg = (name: string, min: number) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} takes a whole number >= ${min}, got '${v}'`);
  return n;
};

/**
 * A duration option: '90s', '10m', '500ms', or a bare number of seconds, as in
 * rules files. Milliseconds. `min0` lets 0 through (for "none").
 */
export const durationArg = (name: string, min0 = false) => (v: string): number => {
  const r = parseDuration(/^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
  if (!r.ok) throw new InvalidArgumentError(`${name}: ${r.error}`);
  if (r.value <= 0 && !min0) throw new InvalidArgumentError(`${name} must be more than 0, got '${v}'`);
  // These become Node timers, which fire at once for a delay over 2^31 - 1 ms (24.8 days): a 30d
  // snapshot interval wrote snapshots back to back.
  if (r.value > MAX_TIMER_MS) throw new InvalidArgumentError(`${name} must be at most 24d (a timer of this process), got '${v}'`);
  return r.value;
};
/** The longest delay a Node timer takes as given (2^31 - 1 ms); rounded down to whole days. */
const MAX_TIMER_MS = 24 * 86_400_000;

/** A SIP header name option: letters, digits, '-' and '_' (what drachtio-server keeps; see tag headers in rules). */
export const headerArg = (name: string) => (v: string): string => {
  if (!/^[A-Za-z0-9_-]+$/.test(v)) throw new InvalidArgumentError(`${name} takes a header name of letters, digits, '-' and '_', got '${v}'`);
  return v;
};

/** An IPv4 address option (what the standalone proxy can put in Via and Record-Route). */
export const ipv4Arg = (name: string) => (v: string): string => {
  if (!isIPv4(v.trim()) || v.trim() === '0.0.0.0') throw new InvalidArgumentError(`${name} takes the IPv4 address peers reach this host at, got '${v}'`);
  return v.trim();
};

/** What the serve action hands to serve(): the parsed options, nothing started. */
export type ServeRunner = (o: ServeOptions) => Promise<unknown>;

export function registerServeCommand(program: Command, run: ServeRunner = serve): Command {
  return program
    .command('serve')
    .summary('screen live SIP calls (standalone proxy or drachtio-server application)')
    .description(
      'Screen every initial INVITE and reject, tag or forward it.\n\n' +
        'Standalone mode (default): Ringfence is a transaction-stateful SIP proxy between your edge and the domestic network: ' +
        '--listen where the edge sends international-ingress INVITEs, --next-hop where screened calls go. ' +
        'drachtio mode: --drachtio connects to a drachtio-server beside the edge.\n\n' +
        'Rules are reloaded when the file changes or on SIGHUP; a file that fails validation is refused, its errors are logged ' +
        'and the old rules stay. SIGTERM/SIGINT stop taking calls (new INVITEs get 503, so the edge fails them over), let calls in flight finish ' +
        '(until none is left, at most --drain), write the --state snapshot and exit 0 (1 if that snapshot could not be written). ' +
        'A second signal at least a second later exits at once, without the snapshot.',
    )
    .option('-r, --rules <file>', 'rules file (YAML) (default: the embedded examples/rules/china-ingress.yaml)')
    .addOption(new Option('-l, --listen <udp|tcp:HOST:PORT>', 'standalone listener, repeatable').argParser(collectListen).default([], `${DEFAULT_LISTEN}, none with --drachtio`))
    .option('-n, --next-hop <sip:HOST:PORT>', `where forwarded and tagged calls go (default: ${DEFAULT_NEXT_HOP}, a demo address: a warning says so)`)
    .option('--advertise <IPv4>', 'standalone: the address put in our Via and Record-Route, where the edge and the core send back to us; needed when listening on 0.0.0.0, or behind NAT or a VIP (default: the listen address)', ipv4Arg('--advertise'))
    .option('--drachtio <HOST:PORT>', 'connect to drachtio-server (its admin port) instead of / besides listening')
    .option('--secret <secret>', 'drachtio-server shared secret (default: $DRACHTIO_SECRET)')
    .option('--source-header <name>', "read the ingress peer (for scopes' when.source and national_formats) from this header the edge stamps, e.g. X-Ringfence-Source, instead of the packet source, which behind an edge is always the edge; only when the edge removes the peer's own copy (default: none)", headerArg('--source-header'))
    .option('--admin <HOST:PORT>', '/metrics, /healthz, /readyz, /inspect and /holds endpoint', DEFAULT_ADMIN)
    .option('--no-admin', 'no admin endpoint')
    .option('--allow-remote-admin', 'let --admin bind a non-loopback address (put authentication in front)')
    .option('--state <file>', 'state snapshot: loaded at start, written every --snapshot-interval and at shutdown (default: none, start empty)')
    .option('--snapshot-interval <duration>', `how often to write --state, e.g. 90s, 5m (default: ${formatDuration(DEFAULT_SNAPSHOT_INTERVAL_MS)})`, durationArg('--snapshot-interval'))
    .option('--monitor', 'monitor mode whatever the rules say: decide and log, forward everything unchanged')
    .option('--mask-digits <n>', 'mask the last n digits of numbers in logs', intArg('--mask-digits', 0), 0)
    .option('--recv-buffer <bytes>', `UDP receive buffer for standalone listeners (default: ${DEFAULT_RECV_BUFFER}, 4 MiB)`, intArg('--recv-buffer', 65536))
    .option('--no-udp-thread', 'standalone: UDP sockets on the main thread instead of an I/O thread of their own')
    .option('--max-transactions <n>', 'standalone: live SIP transactions at most; new requests get 503 beyond it (default: 200000)', intArg('--max-transactions', 1))
    .option('--max-tombstones <n>', 'standalone: finished transactions kept to absorb retransmissions at most; the oldest go early beyond it (default: 4 × --max-transactions)', intArg('--max-tombstones', 1))
    .option('--max-held-bytes <bytes>', 'standalone: bytes held for live transactions at most; 503 beyond it (default: 268435456, 256 MiB)', intArg('--max-held-bytes', 65536))
    .option('--max-tcp-connections <n>', 'standalone: open SIP TCP connections at most (default: 10000)', intArg('--max-tcp-connections', 1))
    .option('--tcp-message-timeout <duration>', 'standalone: a TCP message must arrive whole within this long of its first byte (default: 10s)', durationArg('--tcp-message-timeout'))
    .option('--route-key-file <file>', 'standalone: key that signs our Record-Route, so in-dialog requests can be told from forged ones; share it across restarts and between the proxies of a pair (default: a key per process)')
    .option('--accept-unsigned-routes <duration>', 'standalone, for an upgrade from a version that did not sign its Record-Route: pass in-dialog requests whose Route of ours is unsigned for this long after start (calls already up can still be hung up; a route set written by hand passes too meanwhile), e.g. 4h', durationArg('--accept-unsigned-routes'))
    .option('--next-hop-ping <duration>', `standalone: send OPTIONS to the next hop once a request has waited this long without any response, and this often while it is down; 0 turns next-hop health checks off (default: ${formatDuration(DEFAULT_HOP_PING_MS)})`, durationArg('--next-hop-ping', true))
    .option('--next-hop-down-after <duration>', `standalone: the next hop counts as down after this long without any response to what was sent to it (or at once when a TCP connection to it is refused): new calls then get 503 with Retry-After at once instead of 408 after 32 s, /readyz and OPTIONS to Ringfence answer 503, and one call per --next-hop-ping still tries it (default: ${formatDuration(DEFAULT_HOP_DOWN_MS)})`, durationArg('--next-hop-down-after'))
    .option('--drain <duration>', `at shutdown, the longest to wait for calls in flight to finish (it stops sooner when none is left); 0 for none. Keep it under your service manager's stop timeout (TimeoutStopSec=60 in examples/deploy/ringfence.service) or the snapshot is not written (default: ${formatDuration(DEFAULT_DRAIN_MS)})`, durationArg('--drain', true))
    .addOption(new Option('--log-level <level>', 'log level of operational lines; decision lines follow --decision-log, not this').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
    .addOption(new Option('--decision-log <which>', 'decision lines written: every call, rejects only (with their reasons), or none; whatever --log-level is (silent aside), so quieting the log never loses the reject audit trail').choices(['all', 'rejects', 'none']).default('all'))
    .option('--pretty', 'human-readable log lines instead of JSON')
    .addHelpText('after', `
Durations are written as in rules files: 500ms, 90s, 10m, 1h, or a bare number of seconds.

Examples:
  $ ringfence serve                                   # embedded rules, ${DEFAULT_LISTEN} -> ${DEFAULT_NEXT_HOP}
  $ ringfence serve -r rules.yaml -l udp:10.0.0.2:5060 -n sip:10.0.0.9:5060 --state /var/lib/ringfence/state.bin
  $ ringfence serve -r rules.yaml --drachtio 127.0.0.1:9022 --secret cymru -n sip:10.0.0.9:5060 --source-header X-Ringfence-Source

Exit status: 0 after a clean shutdown (SIGTERM/SIGINT), 1 when it cannot start (rules with errors, an address in use ...).`)
    .action(async (opts: {
      rules?: string; listen: string[]; nextHop?: string; advertise?: string; drachtio?: string; secret?: string; sourceHeader?: string; admin: string | false;
      allowRemoteAdmin?: boolean; state?: string; snapshotInterval?: number; monitor?: boolean; maskDigits: number;
      recvBuffer?: number; udpThread: boolean; drain?: number; nextHopPing?: number; nextHopDownAfter?: number; routeKeyFile?: string; acceptUnsignedRoutes?: number; logLevel: string; decisionLog: 'all' | 'rejects' | 'none'; pretty?: boolean;
      maxTransactions?: number; maxTombstones?: number; maxHeldBytes?: number; maxTcpConnections?: number; tcpMessageTimeout?: number;
    }) => {
      try {
        await run({
          ...(opts.rules ? { rules: opts.rules } : {}),
          listen: opts.listen,
          ...(opts.nextHop !== undefined ? { nextHop: opts.nextHop } : {}),
          ...(opts.drachtio ? { drachtio: opts.drachtio } : {}),
          ...(opts.secret ? { secret: opts.secret } : {}),
          ...(opts.sourceHeader ? { sourceHeader: opts.sourceHeader } : {}),
          ...(opts.advertise ? { advertise: opts.advertise } : {}),
          admin: opts.admin,
          allowRemoteAdmin: !!opts.allowRemoteAdmin,
          ...(opts.state ? { state: opts.state } : {}),
          ...(opts.snapshotInterval ? { snapshotIntervalMs: opts.snapshotInterval } : {}),
          monitor: !!opts.monitor,
          maskDigits: opts.maskDigits,
          ...(opts.recvBuffer ? { recvBufferBytes: opts.recvBuffer } : {}),
          ...(opts.udpThread === false ? { udpThread: false } : {}),
          limits: {
            ...(opts.maxTransactions ? { maxTransactions: opts.maxTransactions } : {}),
            ...(opts.maxTombstones ? { maxTombstones: opts.maxTombstones } : {}),
            ...(opts.maxHeldBytes ? { maxHeldBytes: opts.maxHeldBytes } : {}),
            ...(opts.maxTcpConnections ? { maxTcpConnections: opts.maxTcpConnections } : {}),
            ...(opts.tcpMessageTimeout ? { tcpMessageMs: opts.tcpMessageTimeout } : {}),
          },
          ...(opts.routeKeyFile ? { routeKeyFile: opts.routeKeyFile } : {}),
          ...(opts.acceptUnsignedRoutes ? { acceptUnsignedRoutesMs: opts.acceptUnsignedRoutes } : {}),
          ...(opts.drain !== undefined ? { drainMs: opts.drain } : {}),
          ...(opts.nextHopPing !== undefined ? { nextHopPingMs: opts.nextHopPing } : {}),
          ...(opts.nextHopDownAfter !== undefined ? { nextHopDownAfterMs: opts.nextHopDownAfter } : {}),
          logLevel: opts.logLevel,
          decisionLog: opts.decisionLog,
          pretty: !!opts.pretty,
          signals: true,
        });
      } catch (err) {
        if (isRulesError(err)) process.stderr.write(`ringfence: the rules file has errors:\n${(err as Error).message}\n`);
        else process.stderr.write(`ringfence: cannot start: ${(err as Error).message}\n`);
        process.exit(1);
      }
    });
}
