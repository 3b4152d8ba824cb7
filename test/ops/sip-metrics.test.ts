/**
 * The SIP adapters' counters on /metrics: every proxy counter lands in its
 * own series (each field gets a distinct value, so a swapped mapping fails),
 * adapters that are not configured export nothing, and an adapter that is
 * not up yet or throws never breaks a scrape.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { createMetrics } from '../../lib/ops/metrics.js';
import type { StandaloneStats } from '../../lib/sip/standalone.js';
import { rules, scope } from '../helpers/engine-rules.js';

function value(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  return undefined;
}

/** Stats whose every field has a value of its own: 1, 2, 3 ... in declaration order. */
function stats(): StandaloneStats {
  let n = 0;
  const next = (): number => ++n;
  return {
    requestsIn: next(),
    responsesIn: next(),
    invites: 100,
    rejected: 30,
    forwarded: 500,
    tagged: 20,
    responsesSent: next(),
    statelessResponses: next(),
    retransmissionsAbsorbed: next(),
    retransmissionsSent: next(),
    acksAbsorbed: next(),
    acksForwarded: next(),
    cancels: next(),
    byes: next(),
    timeoutB: next(),
    timeoutC: next(),
    timeoutF: next(),
    timeoutH: next(),
    cancelTimeouts: next(),
    loops: next(),
    unroutable: next(),
    tooLarge: next(),
    preloadedRoute: next(),
    foreignDialog: next(),
    unsignedRoute: next(),
    deadDialog: next(),
    unsignedAccepted: next(),
    tooManyHops: next(),
    overload: next(),
    stopping: next(),
    converted503: next(),
    hopDown: next(),
    hopPings: next(),
    unreachable: next(),
    badMessages: next(),
    bad: {},
    dropped: next(),
    dialogsEvicted: next(),
    tombsShed: next(),
    internalErrors: next(),
    sizes: { serverTransactions: 1001, clientTransactions: 1002, tombstones: 1007, dialogs: 1003, timers: 1004, heldBytes: 1006, tcpConnections: 1005 },
    transport: { datagramsIn: 2001, datagramsOut: 2002, bytesIn: 2003, sendErrors: 2004, receiveDrops: 2005, tcpAccepted: 2006, tcpConnected: 2007, tcpEvicted: 2008, tcpRefused: 2009, tcpStalled: 2010 },
    recvBufferBytes: [8388608, 425984],
  };
}

const engine = new Engine(rules(scope([])));

t.test('standalone proxy counters, sizes and transport', async (t) => {
  const s = stats();
  const m = createMetrics(() => engine, { processMetrics: false, sip: { standalone: () => s } });
  const text = await m.registry.metrics();
  const want: Record<string, number> = {
    'ringfence_sip_messages_total{kind="request"}': s.requestsIn,
    'ringfence_sip_messages_total{kind="response"}': s.responsesIn,
    ringfence_sip_invites_total: 100,
    ringfence_sip_invites_rejected_total: 30,
    ringfence_sip_invites_tagged_total: 20,
    'ringfence_sip_proxy_events_total{event="retransmission_absorbed"}': s.retransmissionsAbsorbed,
    'ringfence_sip_proxy_events_total{event="retransmission_sent"}': s.retransmissionsSent,
    'ringfence_sip_proxy_events_total{event="ack_absorbed"}': s.acksAbsorbed,
    'ringfence_sip_proxy_events_total{event="ack_forwarded"}': s.acksForwarded,
    'ringfence_sip_proxy_events_total{event="cancel"}': s.cancels,
    'ringfence_sip_proxy_events_total{event="bye"}': s.byes,
    'ringfence_sip_proxy_events_total{event="stateless_response"}': s.statelessResponses,
    'ringfence_sip_proxy_events_total{event="loop"}': s.loops,
    'ringfence_sip_proxy_events_total{event="unroutable"}': s.unroutable,
    'ringfence_sip_proxy_events_total{event="preloaded_route"}': s.preloadedRoute,
    'ringfence_sip_proxy_events_total{event="foreign_dialog"}': s.foreignDialog,
    'ringfence_sip_proxy_events_total{event="unsigned_route"}': s.unsignedRoute,
    'ringfence_sip_proxy_events_total{event="dead_dialog"}': s.deadDialog,
    'ringfence_sip_proxy_events_total{event="unsigned_route_accepted"}': s.unsignedAccepted,
    'ringfence_sip_proxy_events_total{event="too_many_hops"}': s.tooManyHops,
    'ringfence_sip_proxy_events_total{event="overload"}': s.overload,
    'ringfence_sip_proxy_events_total{event="dropped"}': s.dropped,
    'ringfence_sip_proxy_events_total{event="dialog_evicted"}': s.dialogsEvicted,
    'ringfence_sip_proxy_events_total{event="tombstones_shed"}': s.tombsShed,
    'ringfence_sip_proxy_events_total{event="internal_error"}': s.internalErrors,
    'ringfence_sip_timeouts_total{timer="B"}': s.timeoutB,
    'ringfence_sip_timeouts_total{timer="C"}': s.timeoutC,
    'ringfence_sip_timeouts_total{timer="F"}': s.timeoutF,
    'ringfence_sip_timeouts_total{timer="H"}': s.timeoutH,
    'ringfence_sip_timeouts_total{timer="cancel"}': s.cancelTimeouts,
    'ringfence_sip_transactions{side="server"}': 1001,
    'ringfence_sip_transactions{side="client"}': 1002,
    ringfence_sip_tombstones: 1007,
    ringfence_sip_dialogs: 1003,
    ringfence_sip_tcp_connections: 1005,
    ringfence_sip_held_bytes: 1006,
    'ringfence_sip_datagrams_total{direction="in"}': 2001,
    'ringfence_sip_datagrams_total{direction="out"}': 2002,
    ringfence_sip_send_errors_total: 2004,
    ringfence_sip_udp_receive_drops_total: 2005,
    'ringfence_sip_tcp_connections_total{direction="accepted"}': 2006,
    'ringfence_sip_tcp_connections_total{direction="opened"}': 2007,
    'ringfence_sip_tcp_connections_closed_at_cap_total{action="evicted"}': 2008,
    'ringfence_sip_tcp_connections_closed_at_cap_total{action="refused"}': 2009,
    ringfence_sip_tcp_stalled_total: 2010,
    'ringfence_sip_udp_receive_buffer_bytes{listener="0"}': 8388608,
    'ringfence_sip_udp_receive_buffer_bytes{listener="1"}': 425984,
  };
  for (const [series, v] of Object.entries(want)) t.equal(value(text, series), v, series);
  t.notOk(/drachtio_connected/.test(text), 'no drachtio series when drachtio is not configured');

  // Counters follow the proxy's between scrapes.
  s.transport.receiveDrops += 7;
  t.equal(value(await m.registry.metrics(), 'ringfence_sip_udp_receive_drops_total'), 2012);
});

t.test('drachtio connection gauge', async (t) => {
  let up: boolean | undefined;
  const m = createMetrics(() => engine, { processMetrics: false, sip: { drachtio: () => up } });
  t.notOk(/ringfence_sip_(messages|invites|transactions|datagrams|udp)/.test(await m.registry.metrics()), 'no proxy series when the proxy is not configured');
  t.equal(value(await m.registry.metrics(), 'ringfence_drachtio_connected'), 0, 'not started yet reads as not connected');
  up = true;
  t.equal(value(await m.registry.metrics(), 'ringfence_drachtio_connected'), 1);
  up = false;
  t.equal(value(await m.registry.metrics(), 'ringfence_drachtio_connected'), 0);
});

t.test('a proxy not started yet, or one that throws while closing, never fails a scrape', async (t) => {
  let mode: 'none' | 'throw' = 'none';
  const m = createMetrics(() => engine, {
    processMetrics: false,
    sip: {
      standalone: () => {
        if (mode === 'throw') throw new Error('closing');
        return undefined;
      },
    },
  });
  const a = await m.registry.metrics();
  t.equal(value(a, 'ringfence_sip_udp_receive_drops_total'), 0);
  t.equal(value(a, 'ringfence_sip_messages_total{kind="request"}'), undefined, 'labelled series appear once there are numbers');
  mode = 'throw';
  const b = await m.registry.metrics();
  t.match(b, /ringfence_decisions_total/, 'the rest of the scrape is intact');
});
