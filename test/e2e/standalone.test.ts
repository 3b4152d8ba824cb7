/**
 * End to end: real rules (YAML loader, built-in plugins), engine, screener
 * and the standalone proxy, with SIP caller and callee over UDP on
 * 127.0.0.1. What the issue asks of `ringfence serve` in standalone mode.
 */
import t from 'tap';
import type { SipRequest, SipResponse } from '../../lib/sip/sip-types.js';
import type { Engine } from '../../lib/engine/engine.js';
import { ackNon2xx, calleeBye, cancelOf, inDialog, ringingCall, makeInvite, SDP, sleep, UdpPeer, until } from '../helpers/sip-peer.js';
import { FAST, startHarness, yamlRules, type Harness } from '../helpers/sip-rules.js';

type T = { teardown(fn: () => unknown): void };

async function setup(t: T): Promise<{ uac: UdpPeer; uas: UdpPeer; h: Harness }> {
  const uac = await UdpPeer.open('caller');
  const uas = await UdpPeer.open('callee');
  const h = await startHarness(uas.port, await yamlRules(), { timers: FAST });
  t.teardown(async () => {
    await h.proxy.close();
    await uac.close();
    await uas.close();
  });
  return { uac, uas, h };
}

/** A caller-table counter through the engine's own tables, over the window a plugin registered. */
function callerCount(engine: Engine, e164: string, metric: 'answered' | 'failed' | 'cancelled' | 'talk' | 'attempts' | 'short'): number {
  const table = engine.tables.caller;
  const w = table.windows[0];
  if (w === undefined) throw new Error('no caller window registered by the rules');
  return table.count(table.get(e164), metric, w, Date.now());
}

t.test('a home-country caller ID gets 608 with a Reason; the callee never sees the INVITE', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port, caller: '+8613912345678', callee: '+8613800138000' });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  await uac.response(100, cid);
  const r = await uac.response((s) => s >= 200, cid);
  const rs = r.msg as SipResponse;
  t.equal(rs.status, 608);
  t.equal(rs.reason, 'Rejected');
  t.match(String(rs.headers.reason), /cause=608/, 'Reason header from the rules');
  t.ok(rs.headers.to!.params.tag, 'final response has a To tag');
  uac.send(ackNon2xx(inv, rs), h.port);
  t.ok(await uas.none((m) => m.headers['call-id'] === cid, 400), 'the callee saw nothing of this call');
  t.same(h.events.responses.slice(0, 2), [100, 608], 'responseSent events');
  t.equal(h.proxy.stats().rejected, 1);
  t.ok(await uac.none((m) => m.status === 608, 300), 'ACK stopped our 608 retransmissions');
});

t.test('a tagged call reaches the callee carrying the score, the reasons and the display prefix', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port, caller: '+442079460123', display: '"Acme"', pai: '<sip:+442079460123@edge.example>' });
  inv.headers['x-ringfence-score'] = '0'; // an upstream cannot pre-set our verdict
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const got = await uas.request('INVITE', 3000, cid);
  const rq = got.msg as SipRequest;
  t.equal(rq.headers['x-ringfence-score'], '50');
  t.match(String(rq.headers['x-ringfence-reasons']), /list:suspect=\+50/);
  t.equal(rq.headers.from!.name, '"[SPAM?] Acme"', 'From display prefixed');
  t.match(String(rq.headers['p-asserted-identity']), /^"\[SPAM\?\] \+?442079460123" <sip:\+442079460123@edge.example>$/, 'PAI display prefixed');
  t.equal(rq.content, SDP, 'body untouched');
  uas.reply(got, 486, 'Busy Here');
  const busy = await uac.response(486, cid);
  uac.send(ackNon2xx(inv, busy.msg as SipResponse), h.port);
  t.equal(h.proxy.stats().tagged, 1);
});

t.test('an answered call hung up after N seconds is counted answered, with that duration', async (t) => {
  const { uac, uas, h } = await setup(t);
  const caller = '+12025550111';
  const inv = makeInvite(uac, { proxyPort: h.port, caller, headers: { 'x-ringfence-score': '0', 'x-ringfence-reasons': 'trusted' } });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const got = await uas.request('INVITE', 3000, cid);
  t.notOk(got.msg.headers['x-ringfence-score'] ?? got.msg.headers['x-ringfence-reasons'], 'verdict headers planted upstream are removed from a forwarded call');
  uas.reply(got, 180, 'Ringing');
  uas.reply(got, 200, 'OK', {}, SDP);
  const ok = (await uac.response(200, cid)).msg as SipResponse;
  uac.send(inDialog(uac, 'ACK', inv, ok, 1), h.port);
  await uas.request('ACK', 3000, cid);
  t.equal(callerCount(h.engine, caller, 'answered'), 1, 'answered');
  const N = 1.2;
  await sleep(N * 1000);
  // The callee hangs up this time: its BYE follows the Record-Route back through us.
  uas.send(calleeBye(uas, got.msg as SipRequest, 1), h.port);
  const bye = await uac.request('BYE', 3000, cid);
  uac.reply(bye, 200, 'OK');
  await uas.response(200, cid, 3000, 'BYE');
  const talk = callerCount(h.engine, caller, 'talk');
  t.ok(talk >= N - 0.05 && talk <= N + 0.5, `talk time ${talk} s ≈ ${N} s`);
  t.equal(callerCount(h.engine, caller, 'failed'), 0);
  t.equal(h.engine.sizes().pending, 0, 'call finished in the engine');
  t.ok(await until(() => h.proxy.stats().sizes.dialogs === 0 && h.proxy.stats().sizes.serverTransactions === 0 && h.proxy.stats().sizes.tombstones === 0, 2000), 'proxy state released');
});

t.test('a call the caller cancels is counted unanswered and cancelled; CANCEL relayed, 487 upstream', async (t) => {
  const { uac, uas, h } = await setup(t);
  const caller = '+12025550122';
  const { inv, cid, got } = await ringingCall(uac, uas, h.port, { caller });
  const cancel = cancelOf(inv);
  uac.send(cancel, h.port);
  await uac.response(200, cid, 3000, 'CANCEL');
  const c = await uas.request('CANCEL', 3000, cid);
  uas.reply(c, 200, 'OK');
  uas.reply(got, 487, 'Request Terminated');
  const term = await uac.response(487, cid, 3000, 'INVITE');
  uac.send(ackNon2xx(inv, term.msg as SipResponse), h.port);
  t.equal(callerCount(h.engine, caller, 'answered'), 0);
  t.equal(callerCount(h.engine, caller, 'failed'), 1, 'unanswered');
  t.equal(callerCount(h.engine, caller, 'cancelled'), 1, 'the caller gave up');
  t.equal(h.proxy.stats().cancels, 1);
});

t.test('garbage datagrams do not stop service', async (t) => {
  const { uac, uas, h } = await setup(t);
  for (let i = 0; i < 50; i++) uac.sendRaw(Buffer.from(`junk ${i} \x00\xff\r\n\r\n`, 'latin1'), h.port);
  uac.sendRaw('SIP/2.0 200 OK\r\n\r\n', h.port);
  uac.sendRaw('INVITE sip:a@b SIP/2.0\r\nVia: nonsense\r\n\r\n', h.port);
  const inv = makeInvite(uac, { proxyPort: h.port, caller: '+12025550133' });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const got = await uas.request('INVITE', 3000, cid);
  uas.reply(got, 200, 'OK', {}, SDP);
  const ok = (await uac.response(200, cid)).msg as SipResponse;
  uac.send(inDialog(uac, 'ACK', inv, ok, 1), h.port);
  await uas.request('ACK', 3000, cid);
  t.ok(h.proxy.stats().badMessages >= 52, `bad messages counted: ${h.proxy.stats().badMessages}`);
  t.ok(h.events.bad.length >= 52, 'and reported through the badMessage hook');
  t.equal(h.proxy.stats().internalErrors, 0);
});

for (const udpThread of [true, false]) {
  t.test(`UDP ${udpThread ? 'on its I/O thread' : 'on the main thread (--no-udp-thread)'}: a call goes through, datagrams are counted`, async (t) => {
    const uac = await UdpPeer.open('caller');
    const uas = await UdpPeer.open('callee');
    const h = await startHarness(uas.port, await yamlRules(), { timers: FAST, udpThread });
    t.teardown(async () => {
      await h.proxy.close();
      await uac.close();
      await uas.close();
    });
    const inv = makeInvite(uac, { proxyPort: h.port, caller: '+12025550177' });
    const cid = inv.headers['call-id']!;
    uac.send(inv, h.port);
    const got = await uas.request('INVITE', 3000, cid);
    t.equal(got.from.port, h.port, 'forwarded from the listening port');
    uas.reply(got, 486, 'Busy Here');
    const busy = await uac.response(486, cid);
    t.equal(busy.from.port, h.port, 'answered from the listening port');
    uac.send(ackNon2xx(inv, busy.msg as SipResponse), h.port);
    const tp = h.proxy.stats().transport;
    // In: INVITE, 486, ACK. Out: 100, INVITE, 486, ACK to the callee.
    t.ok(await until(() => h.proxy.stats().transport.datagramsIn === 3), `3 datagrams in (${tp.datagramsIn})`);
    t.equal(h.proxy.stats().transport.datagramsOut, 4, '4 datagrams out');
    t.equal(h.proxy.stats().transport.sendErrors, 0);
    t.equal(h.proxy.stats().transport.receiveDrops, 0);
  });
}

t.test('start-up log: the UDP receive buffer requested and granted, and a warning when the kernel gave less', async (t) => {
  const { pino } = await import('pino');
  const { Writable } = await import('node:stream');
  const { readFileSync } = await import('node:fs');
  const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  for (const udpThread of [true, false]) {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(c: Buffer, _e, cb) { lines.push(JSON.parse(c.toString()) as Record<string, unknown>); cb(); } });
    const logger = pino({ level: 'info' }, sink);
    // Far above any rmem_max a test machine has: the kernel grants its cap.
    const big = 256 * 1024 * 1024;
    const h = await startHarness(9, await yamlRules(), { logger, recvBufferBytes: big, udpThread });
    await h.proxy.close();
    const up = lines.find((l) => l.msg === 'standalone SIP proxy listening');
    t.equal(up?.recv_buffer_requested, big, `${udpThread ? 'I/O thread' : 'main thread'}: what was asked for`);
    t.same(up?.recv_buffer_granted, [rmemMax], 'what the kernel granted: its cap, not double it');
    const warn = lines.find((l) => l.level === 40);
    t.match(String(warn?.msg), new RegExp(`raise net.core.rmem_max to at least ${big}`), 'a warning that says what to do');
    const quiet: Array<Record<string, unknown>> = [];
    const sink2 = new Writable({ write(c: Buffer, _e, cb) { quiet.push(JSON.parse(c.toString()) as Record<string, unknown>); cb(); } });
    const h2 = await startHarness(9, await yamlRules(), { logger: pino({ level: 'info' }, sink2), recvBufferBytes: 65536, udpThread });
    await h2.proxy.close();
    t.same(quiet.find((l) => l.msg === 'standalone SIP proxy listening')?.recv_buffer_granted, [65536], 'a request under the cap is granted as asked');
    t.notOk(quiet.some((l) => l.level === 40), 'and no warning');
  }
});
