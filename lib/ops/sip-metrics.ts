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
  ['too_large', 'tooLarge'],
  ['preloaded_route', 'preloadedRoute'],
  ['foreign_dialog', 'foreignDialog'],
  ['unsigned_route', 'unsignedRoute'],
  ['dead_dialog', 'deadDialog'],
  ['unsigned_route_accepted', 'unsignedAccepted'],
  ['too_many_hops', 'tooManyHops'],
  ['overload', 'overload'],
  ['stopping', 'stopping'],
  ['converted_503', 'converted503'],
  ['next_hop_down', 'hopDown'],
  ['next_hop_ping', 'hopPings'],
  ['unreachable', 'unreachable'],
  ['dropped', 'dropped'],
  ['dialog_evicted', 'dialogsEvicted'],
  ['tombstones_shed', 'tombsShed'],
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

/** Values of one metric read from the proxy's stats: a number, or one number per label value. */
type Read = (s: StandaloneStats) => number | Record<string, number>;

export function registerSipMetrics(registry: Registry, p: string, src: SipSources): void {
  if (src.drachtio) registerDrachtio(registry, p, src.drachtio);
  const standalone = src.standalone;
  if (!standalone) return;
  const metric = (Kind: typeof Counter | typeof Gauge, name: string, help: string, label: string | undefined, value: Read): void => {
    new Kind({
      name: `${p}${name}`,
      help,
      labelNames: label ? [label] : [],
      registers: [registry],
      collect(this: Counter | Gauge) {
        this.reset();
        const s = read(standalone);
        if (!s) return;
        const v = value(s);
        // Counters are copied from the proxy's own running totals, so inc() from a reset series sets them.
        const put = (labels: Record<string, string>, n: number): void => (this instanceof Gauge ? this.set(labels, n) : this.inc(labels, n));
        if (typeof v === 'number') put({}, v);
        else for (const k of Object.keys(v)) put({ [label as string]: k }, v[k] as number);
      },
    });
  };
  const counter = (name: string, help: string, label: string | undefined, value: Read): void => metric(Counter, name, help, label, value);
  const gauge = (name: string, help: string, label: string | undefined, value: Read): void => metric(Gauge, name, help, label, value);
  const pick = (pairs: readonly (readonly [string, CounterKey])[]) => (s: StandaloneStats): Record<string, number> =>
    Object.fromEntries(pairs.map(([label, key]) => [label, s[key]]));

  counter('sip_messages_total', 'SIP messages received by the standalone proxy, by kind (request or response)', 'kind', (s) => ({ request: s.requestsIn, response: s.responsesIn }));
  // Each its own running total: a difference of them could go down between scrapes (a tag is counted once the call is sent on).
  counter('sip_invites_total', 'Initial INVITEs the standalone proxy screened', undefined, (s) => s.invites);
  counter('sip_invites_rejected_total', 'Initial INVITEs the standalone proxy rejected', undefined, (s) => s.rejected);
  counter('sip_invites_tagged_total', 'Initial INVITEs the standalone proxy forwarded with tag headers', undefined, (s) => s.tagged);
  counter(
    'sip_proxy_events_total',
    'Standalone proxy events by kind: retransmissions, ACK and CANCEL handling, loops, Max-Forwards exhausted (too_many_hops), 503 for overload, dropped messages, internal errors',
    'event',
    pick(EVENTS),
  );
  counter(
    'sip_timeouts_total',
    'Transaction timers that fired: B (INVITE unanswered, 408), C (ringing too long, CANCEL sent), F (non-INVITE unanswered), H (no ACK for a final response), cancel (CANCEL unanswered)',
    'timer',
    pick(TIMEOUTS),
  );
  gauge('sip_transactions', 'Live SIP transactions in the standalone proxy, by side (server: towards the caller, client: towards the next hop)', 'side', (s) => ({
    server: s.sizes.serverTransactions,
    client: s.sizes.clientTransactions,
  }));
  gauge('sip_tombstones', 'Finished SIP transactions kept to absorb retransmissions (32 s for an INVITE answered 2xx and for non-INVITEs); the oldest go early past maxTombstones', undefined, (s) => s.sizes.tombstones);
  gauge('sip_dialogs', 'Calls the standalone proxy tracks for their in-dialog requests (ACK, BYE, re-INVITE)', undefined, (s) => s.sizes.dialogs);
  gauge('sip_tcp_connections', 'Open SIP TCP connections', undefined, (s) => s.sizes.tcpConnections);
  gauge('sip_held_bytes', 'Bytes the standalone proxy holds for live transactions and kept final responses; new requests get 503 past its limit (maxHeldBytes)', undefined, (s) => s.sizes.heldBytes);
  counter('sip_datagrams_total', 'UDP datagrams received (in) and sent (out) by the standalone proxy', 'direction', (s) => ({ in: s.transport.datagramsIn, out: s.transport.datagramsOut }));
  counter(
    'sip_udp_receive_drops_total',
    'Datagrams dropped because the queue from the UDP I/O thread was full (the main thread is not keeping up); kernel drops show in /proc/net/udp',
    undefined,
    (s) => s.transport.receiveDrops,
  );
  counter('sip_send_errors_total', 'SIP messages that could not be sent (socket errors, a full queue to the UDP I/O thread)', undefined, (s) => s.transport.sendErrors);
  counter('sip_tcp_connections_total', 'SIP TCP connections accepted from peers and opened by Ringfence', 'direction', (s) => ({ accepted: s.transport.tcpAccepted, opened: s.transport.tcpConnected }));
  counter(
    'sip_tcp_connections_closed_at_cap_total',
    'At the TCP connection cap: silent connections (no whole message yet) closed for a new one (evicted), new ones closed because every open one had sent SIP (refused)',
    'action',
    (s) => ({ evicted: s.transport.tcpEvicted, refused: s.transport.tcpRefused }),
  );
  counter(
    'sip_tcp_stalled_total',
    'SIP TCP connections closed because the peer left our messages unread (it was not reading): more than 1 MiB on a connection it opened, 32 MiB on one we opened',
    undefined,
    (s) => s.transport.tcpStalled,
  );
  gauge('sip_udp_receive_buffer_bytes', 'SO_RCVBUF of each UDP listener as the kernel granted it (Linux reports double the usable size)', 'listener', (s) =>
    Object.fromEntries(s.recvBufferBytes.map((b, i) => [String(i), b])),
  );
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
