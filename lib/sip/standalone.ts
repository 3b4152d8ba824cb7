/**
 * Standalone mode: Ringfence as its own SIP proxy between the international
 * edge and the domestic network, with nothing else installed. Transport in
 * lib/sip/transport.ts, proxy logic in lib/sip/proxy/proxy.ts.
 */
import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { Logger } from 'pino';
import type { Screener } from '../ops/screener.js';
import { Proxy, type ProxyCounters, type ProxySizes, type ProxyTimers } from './proxy/proxy.js';
import { sip } from './sip-types.js';
import { SipTransport, type Listener, type ListenSpec, type TransportCounters } from './transport.js';

export type { ListenSpec, Listener, ProxyTimers };

/**
 * Default UDP receive buffer: 4 MiB. The kernel default (~208 KiB) holds
 * about 90 datagrams as the kernel accounts them (~2.3 KiB each on
 * loopback), some 15 ms of traffic at 1,000 calls/s and 6–7 messages a
 * call, so one 20–30 ms garbage-collection pause drops packets. 4 MiB holds
 * ~250 ms. The kernel caps the request at net.core.rmem_max (212,992 bytes
 * on a stock Debian kernel: raise it); `stats().recvBufferBytes` shows what
 * the kernel reports, which on Linux is double what it granted.
 */
export const DEFAULT_RECV_BUFFER = 4 * 1024 * 1024;

export interface StandaloneOptions {
  listen: ListenSpec[];
  /** sip:HOST:PORT[;transport=tcp]: where initial requests go. */
  nextHop: string;
  screener: Screener;
  logger?: Logger;
  /** SO_RCVBUF for UDP listeners, bytes; default DEFAULT_RECV_BUFFER. */
  recvBufferBytes?: number;
  /** RFC 3261 timers, ms (t1, t2, t4, timerB, timerC, timerD, timerF, timerH, timerJ, timerL, cancelWait, dialog). */
  timers?: Partial<ProxyTimers>;
  /** Address for our Via and Record-Route; required when listening on 0.0.0.0. */
  advertise?: string;
  /** More addresses that mean "us" in Route headers (a VIP, a NAT address). */
  aliases?: string[];
  /** Bound on live transactions (server + client); new requests get 503 beyond it. Default 200,000. */
  maxTransactions?: number;
  /** Tombstones of finished transactions at most (default 4 × maxTransactions); see ProxyOptions. */
  maxTombstones?: number;
  /** Bound on bytes held for transactions (requests, what we sent, kept finals); new requests get 503 beyond it. Default 256 MiB. */
  maxHeldBytes?: number;
  /** Bound on tracked calls; the oldest is forgotten beyond it. Default 200,000. */
  maxDialogs?: number;
  /** Largest SIP message accepted, bytes. Default 65,535. */
  maxMessageBytes?: number;
  /** Open SIP TCP connections at most; at the cap a connection that never sent a whole message makes way. Default 10,000. */
  maxTcpConnections?: number;
  /** The process's limit on open files; read from /proc/self/limits when not given (tests give one). */
  fdLimit?: number;
  /** A TCP message must arrive whole within this long of its first byte (ms), else the connection closes. Default 10 s. */
  tcpMessageMs?: number;
  /** Map a peer `ip` or `ip:port` to a trunk name used as CallAttempt.source. */
  trunks?: Record<string, string>;
  /** A header the edge stamps with the ingress peer, read as CallAttempt.source (see ProxyOptions.sourceHeader). */
  sourceHeader?: string;
  /** UDP sockets on an I/O thread of their own (default true); see lib/sip/udp-thread.ts. */
  udpThread?: boolean;
  /** Key that signs our Record-Route (16 bytes or more); default one per process. See ProxyOptions.routeKey. */
  routeKey?: Buffer;
  /** Next-hop health checks (ProxyOptions.hopHealth); default off here, on in serve. */
  hopHealth?: { pingMs: number; downAfterMs: number };
  /** Unsigned in-dialog routes passed for this long after start (ms), for upgrades; see ProxyOptions.unsignedRouteGraceMs. */
  unsignedRouteGraceMs?: number;
}

export interface StandaloneStats extends ProxyCounters {
  sizes: ProxySizes & { tcpConnections: number };
  transport: TransportCounters;
  /** Effective SO_RCVBUF of each UDP listener, as the kernel reports it. */
  recvBufferBytes: number[];
}

export interface Standalone {
  close(): Promise<void>;
  /** Shutting down: new calls get 503, calls in flight carry on (close() when idle() or the grace period is over). */
  drain(): void;
  /** Whether the next hop is answering (true when health checks are off). */
  hopUp(): boolean;
  /** The grace period is over: calls still ringing are cancelled downstream and answered 503; returns how many. */
  abortInFlight(): number;
  /** No transaction live and no call in progress through the proxy. */
  idle(): boolean;
  /** Bound listeners with their real ports (useful with port 0). */
  addresses(): Listener[];
  stats(): StandaloneStats;
}

/** `udp:HOST:PORT` or `tcp:HOST:PORT` (as given to `--listen`). */
export function parseListenSpec(s: string): ListenSpec {
  if (/^(udp|tcp):\[/i.test(s.trim())) throw new Error(`--listen: the standalone proxy is IPv4 only (the sip package it parses with reads no IPv6 URIs), got '${s}'`);
  const m = /^(udp|tcp):([^:]+):(\d{1,5})$/i.exec(s.trim());
  if (!m) throw new Error(`--listen expects udp:HOST:PORT or tcp:HOST:PORT, got '${s}'`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`port out of range in '${s}'`);
  if (!isIPv4(m[2] as string)) throw new Error(`listen address must be an IPv4 address in '${s}' (the standalone proxy is IPv4 only: the sip package it parses with reads no IPv6 URIs)`);
  return { transport: (m[1] as string).toLowerCase() as 'udp' | 'tcp', host: m[2] as string, port };
}

/** The transport's default cap on TCP connections (see TransportOptions.maxTcpConnections). */
const DEFAULT_MAX_TCP = 10_000;
/** File descriptors kept out of the TCP cap for the rest of the process: admin connections, UDP sockets, the state and rules files, logs. */
export const FD_RESERVE = 256;

/** The soft limit on open files (RLIMIT_NOFILE) from /proc/self/limits; undefined when unlimited or not on Linux. */
export function openFileLimit(text?: string): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(text ?? readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function startStandalone(opts: StandaloneOptions): Promise<Standalone> {
  if (!opts.listen?.length) throw new Error('standalone: at least one listen address is needed');
  const hop = sip.parseUri(opts.nextHop);
  if (!hop || (hop.schema !== 'sip' && hop.schema !== 'sips') || !hop.host) throw new Error(`standalone: next hop must be sip:HOST:PORT, got '${opts.nextHop}'`);
  // Fail at start, not on the first call; the error names the option (getaddrinfo's alone does not).
  if (!isIPv4(hop.host)) await lookup(hop.host, { family: 4 }).catch((err: Error) => {
    throw new Error(`--next-hop ${opts.nextHop}: ${hop.host} does not resolve to an IPv4 address (${err.message})`);
  });
  const log = opts.logger?.child({ component: 'sip' });
  // The TCP cap is what lets a new connection evict a silent one. Above what the process may open it never
  // comes into play: silent connections used up the descriptors first (EMFILE), and from then on every TCP
  // peer was accepted and dropped at once, no dial could be made, and the state snapshot could not be written.
  const wantedTcp = opts.maxTcpConnections ?? DEFAULT_MAX_TCP;
  const fdLimit = opts.fdLimit ?? openFileLimit();
  const maxTcp = fdLimit !== undefined && wantedTcp > fdLimit - FD_RESERVE ? Math.max(16, fdLimit - FD_RESERVE) : wantedTcp;
  // Said only where TCP is listened on: a UDP-only proxy (npm start) dials TCP only for a sip:...;transport=tcp hop.
  if (maxTcp < wantedTcp && opts.listen.some((l) => l.transport === 'tcp')) {
    log?.warn({ max_tcp_connections: wantedTcp, open_files_limit: fdLimit, capped_at: maxTcp },
      fdLimit !== undefined && fdLimit - FD_RESERVE < 16
        ? `at most ${wantedTcp} TCP connections asked for, but the process may only open ${fdLimit} files, not even the ${FD_RESERVE} kept for everything else: capped at the minimum of ${maxTcp}, and files may run out; raise the limit (LimitNOFILE=, ulimit -n)`
        : `at most ${wantedTcp} TCP connections asked for, but the process may only open ${fdLimit} files: capped at ${maxTcp} (${fdLimit} less ${FD_RESERVE} kept for everything else); raise the limit (LimitNOFILE=, ulimit -n) for more`);
  }
  let proxy: Proxy | undefined;
  const where = opts.listen.map((l) => `${l.transport}:${l.host}:${l.port}`).join(' ');
  const transport = await SipTransport.open(opts.listen, {
    recvBufferBytes: opts.recvBufferBytes ?? DEFAULT_RECV_BUFFER,
    maxMessageBytes: opts.maxMessageBytes ?? 65_535,
    ...(opts.udpThread !== undefined ? { udpThread: opts.udpThread } : {}),
    maxTcpConnections: maxTcp,
    ...(opts.tcpMessageMs ? { tcpMessageMs: opts.tcpMessageMs } : {}),
    onMessage: (data, peer) => proxy?.onMessage(data, peer),
    onBadStream: (kind, peer) => proxy?.onBadStream(kind, peer),
    onError: (err, where) => log?.warn({ err }, 'sip: %s error', where),
    onDialError: (dest) => proxy?.onDialError(dest),
  }).catch((err: Error) => {
    throw new Error(`--listen ${where}: ${err.message}${/EADDRINUSE/.test(err.message) ? ' (another process, or another Ringfence, has that port)' : ''}`);
  });
  try {
    proxy = new Proxy({
      transport,
      nextHop: hop,
      screener: opts.screener,
      ...(log ? { logger: log } : {}),
      ...(opts.timers ? { timers: opts.timers } : {}),
      ...(opts.advertise ? { advertise: opts.advertise } : {}),
      ...(opts.aliases ? { aliases: opts.aliases } : {}),
      ...(opts.maxTransactions ? { maxTransactions: opts.maxTransactions } : {}),
      ...(opts.maxTombstones ? { maxTombstones: opts.maxTombstones } : {}),
      ...(opts.maxHeldBytes ? { maxHeldBytes: opts.maxHeldBytes } : {}),
      ...(opts.maxDialogs ? { maxDialogs: opts.maxDialogs } : {}),
      ...(opts.maxMessageBytes ? { maxMessageBytes: opts.maxMessageBytes } : {}),
      ...(opts.trunks ? { trunks: opts.trunks } : {}),
      ...(opts.sourceHeader ? { sourceHeader: opts.sourceHeader } : {}),
      ...(opts.routeKey ? { routeKey: opts.routeKey } : {}),
      ...(opts.unsignedRouteGraceMs ? { unsignedRouteGraceMs: opts.unsignedRouteGraceMs } : {}),
      ...(opts.hopHealth ? { hopHealth: opts.hopHealth } : {}),
    });
  } catch (err) {
    await transport.close();
    throw err;
  }
  const p = proxy;
  const requested = opts.recvBufferBytes ?? DEFAULT_RECV_BUFFER;
  // Linux reports twice what it grants (the rest is its own bookkeeping): half of it is what compares with the request.
  const granted = transport.recvBuffer.map((b) => (process.platform === 'linux' ? Math.floor(b / 2) : b));
  log?.info({
    listen: transport.listeners.map((l) => `${l.transport}:${l.host}:${l.port}`),
    next_hop: opts.nextHop,
    recv_buffer_requested: requested,
    recv_buffer_granted: granted,
  }, 'standalone SIP proxy listening');
  if (granted.some((g) => g > 0 && g < requested)) {
    log?.warn({ recv_buffer_requested: requested, recv_buffer_granted: granted },
      `the kernel granted a smaller UDP receive buffer than asked for: raise net.core.rmem_max to at least ${requested} (sysctl -w net.core.rmem_max=${requested}) or a garbage-collection pause can drop datagrams`);
  }
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= transport.close().then(() => p.stop());
      return closing;
    },
    drain: () => p.drain(),
    hopUp: () => p.hopUp(),
    abortInFlight: () => p.abortInFlight(),
    idle: () => p.idle(),
    addresses: () => transport.listeners.map((l) => ({ ...l })),
    stats: () => ({
      ...p.counters,
      bad: { ...p.counters.bad },
      sizes: { ...p.sizes(), tcpConnections: transport.tcpConnections },
      transport: { ...transport.counters },
      recvBufferBytes: [...transport.recvBuffer],
    }),
  };
}
