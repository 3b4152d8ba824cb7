/**
 * Prometheus metrics of the SIP side: the standalone proxy's counters and
 * table sizes, its transport's datagram counts (UDP receive drops above all:
 * the first sign of a proxy that cannot keep up), and whether drachtio-server
 * is connected.
 *
 * Everything is read from the adapters' own counters when /metrics is
 * scraped; nothing is added to the per-message path. Only configured
 * adapters get series, so a drachtio-only server shows no proxy series and
 * the reverse; one that has not started yet reads as zero.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StandaloneStats } from '../sip/standalone.js';
import type { ProxyCounters } from '../sip/proxy/proxy.js';

export interface SipSources {
  /** The standalone proxy's stats, or undefined when it is not running. */
  standalone?: () => StandaloneStats | undefined;
  /** Whether drachtio-server is connected, or undefined when Ringfence does not use drachtio. */
  drachtio?: () => boolean | undefined;
}

type CounterKey = keyof Omit<ProxyCounters, 'bad'>;

/** Proxy events, one label value each: the event name engineers read in the table below. */
const EVENTS: readonly [string, CounterKey][] = [
  ['retransmission_absorbed', 'retransmissionsAbsorbed'],
  ['retransmission_sent', 'retransmissionsSent'],
  ['ack_absorbed', 'acksAbsorbed'],
  ['ack_forwarded', 'acksForwarded'],
  ['cancel', 'cancels'],
  ['bye', 'byes'],
  ['stateless_response', 'statelessResponses'],
  ['loop', 'loops'],
  ['unroutable', 'unroutable'],
  ['too_many_hops', 'tooManyHops'],
  ['overload', 'overload'],
  ['dropped', 'dropped'],
  ['dialog_evicted', 'dialogsEvicted'],
  ['internal_error', 'internalErrors'],
];

const TIMEOUTS: readonly [string, CounterKey][] = [
  ['B', 'timeoutB'],
  ['C', 'timeoutC'],
  ['F', 'timeoutF'],
  ['H', 'timeoutH'],
  ['cancel', 'cancelTimeouts'],
];

function read<T>(f: (() => T | undefined) | undefined): T | undefined {
  if (f === undefined) return undefined;
  try {
    return f();
  } catch {
    // A scrape must not fail because an adapter is closing.
    return undefined;
  }
}

export function registerSipMetrics(registry: Registry, p: string, src: SipSources): void {
  const stats = (): StandaloneStats | undefined => read(src.standalone);
  const registers = [registry];
  if (src.drachtio) registerDrachtio(registry, p, src.drachtio);
  if (!src.standalone) return;

  new Counter({
    name: `${p}sip_messages_total`,
    help: 'SIP messages received by the standalone proxy, by kind (request or response)',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      this.inc({ kind: 'request' }, s.requestsIn);
      this.inc({ kind: 'response' }, s.responsesIn);
    },
  });

  new Counter({
    name: `${p}sip_invites_total`,
    help: 'Initial INVITEs the standalone proxy screened, by result: rejected, tagged (forwarded with tag headers), forwarded (untouched)',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      // The proxy's own `forwarded` counts every request sent on, in-dialog ones included: derive the INVITE share.
      this.inc({ result: 'rejected' }, s.rejected);
      this.inc({ result: 'tagged' }, s.tagged);
      this.inc({ result: 'forwarded' }, Math.max(0, s.invites - s.rejected - s.tagged));
    },
  });

  new Counter({
    name: `${p}sip_proxy_events_total`,
    help: 'Standalone proxy events by kind: retransmissions, ACK and CANCEL handling, loops, Max-Forwards exhausted (too_many_hops), 503 for overload, dropped messages, internal errors',
    labelNames: ['event'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      for (const [event, key] of EVENTS) this.inc({ event }, s[key]);
    },
  });

  new Counter({
    name: `${p}sip_timeouts_total`,
    help: 'Transaction timers that fired: B (INVITE unanswered, 408), C (ringing too long, CANCEL sent), F (non-INVITE unanswered), H (no ACK for a final response), cancel (CANCEL unanswered)',
    labelNames: ['timer'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      for (const [timer, key] of TIMEOUTS) this.inc({ timer }, s[key]);
    },
  });

  new Gauge({
    name: `${p}sip_transactions`,
    help: 'Live SIP transactions in the standalone proxy, by side (server: towards the caller, client: towards the next hop)',
    labelNames: ['side'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      this.set({ side: 'server' }, s.sizes.serverTransactions);
      this.set({ side: 'client' }, s.sizes.clientTransactions);
    },
  });

  new Gauge({
    name: `${p}sip_dialogs`,
    help: 'Calls the standalone proxy tracks for their in-dialog requests (ACK, BYE, re-INVITE)',
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (s) this.set(s.sizes.dialogs);
    },
  });

  new Gauge({
    name: `${p}sip_tcp_connections`,
    help: 'Open SIP TCP connections',
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (s) this.set(s.sizes.tcpConnections);
    },
  });

  new Counter({
    name: `${p}sip_datagrams_total`,
    help: 'UDP datagrams received (in) and sent (out) by the standalone proxy',
    labelNames: ['direction'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      this.inc({ direction: 'in' }, s.transport.datagramsIn);
      this.inc({ direction: 'out' }, s.transport.datagramsOut);
    },
  });

  new Counter({
    name: `${p}sip_udp_receive_drops_total`,
    help: 'Datagrams dropped because the queue from the UDP I/O thread was full (the main thread is not keeping up); kernel drops show in /proc/net/udp',
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (s) this.inc(s.transport.receiveDrops);
    },
  });

  new Counter({
    name: `${p}sip_send_errors_total`,
    help: 'SIP messages that could not be sent (socket errors, a full queue to the UDP I/O thread)',
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (s) this.inc(s.transport.sendErrors);
    },
  });

  new Counter({
    name: `${p}sip_tcp_connections_total`,
    help: 'SIP TCP connections accepted from peers and opened by Ringfence',
    labelNames: ['direction'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      this.inc({ direction: 'accepted' }, s.transport.tcpAccepted);
      this.inc({ direction: 'opened' }, s.transport.tcpConnected);
    },
  });

  new Gauge({
    name: `${p}sip_udp_receive_buffer_bytes`,
    help: 'SO_RCVBUF of each UDP listener as the kernel granted it (Linux reports double the usable size)',
    labelNames: ['listener'],
    registers,
    collect() {
      this.reset();
      const s = stats();
      if (!s) return;
      s.recvBufferBytes.forEach((b, i) => this.set({ listener: String(i) }, b));
    },
  });
}

function registerDrachtio(registry: Registry, p: string, connected: () => boolean | undefined): void {
  new Gauge({
    name: `${p}drachtio_connected`,
    help: '1 while connected and authenticated to drachtio-server, 0 while reconnecting',
    registers: [registry],
    collect() {
      this.reset();
      const c = read(connected);
      if (c !== undefined) this.set(c ? 1 : 0);
    },
  });
}
