/**
 * Regression tests for the defects measured in the `sip` package's
 * `sip/proxy` (issue 6), against our proxy, with real UDP peers on
 * 127.0.0.1 — caller, callee and proxy all on the same address, different
 * ports, which is exactly what the package got wrong.
 */
import t from 'tap';
import dgram from 'node:dgram';
import { pino } from 'pino';
import { sip, type SipRequest, type SipResponse } from '../../lib/sip/sip-types.js';
import { TimerWheel, type TimerEntry } from '../../lib/sip/proxy/timers.js';
import { viaText } from '../../lib/sip/proxy/wire.js';
import { encode } from '../../lib/sip/transport.js';
import { ackNon2xx, branch, cancelOf, inDialog, ringingCall, makeInvite, SDP, sleep, UdpPeer, until } from '../helpers/sip-peer.js';
import { FAST, handRules, harnessWithPeers, startHarness, type Harness } from '../helpers/sip-rules.js';

const FOREIGN = '+12025550100';

const setup = harnessWithPeers;

/** Caller INVITE → callee 180/200 → caller ACK; returns everything both sides saw. */
async function answeredCall(uac: UdpPeer, uas: UdpPeer, h: Harness, caller = FOREIGN) {
  const inv = makeInvite(uac, { proxyPort: h.port, caller });
  uac.send(inv, h.port);
  const cid = inv.headers['call-id']!;
  await uac.response(100, cid);
  const atCallee = await uas.request('INVITE', 3000, cid);
  uas.reply(atCallee, 180, 'Ringing');
  await uac.response(180, cid);
  uas.reply(atCallee, 200, 'OK', {}, SDP);
  const ok = (await uac.response(200, cid)).msg as SipResponse;
  uac.send(inDialog(uac, 'ACK', inv, ok, 1), h.port);
  const ack = await uas.request('ACK', 3000, cid);
  return { inv, cid, atCallee, ok, ack };
}

t.test('Route naming us is stripped and not used as next hop; peers on our address at other ports are not us', async (t) => {
  const { uac, uas, h } = await setup(t);
  const { inv, cid, atCallee, ok, ack } = await answeredCall(uac, uas, h);
  const rr = atCallee.msg.headers['record-route'] ?? [];
  t.equal(rr.length, 1, 'the INVITE carries our Record-Route');
  t.match(String((ack.msg as SipRequest).uri), `127.0.0.1:${uas.port}`, 'ACK reaches the callee Contact on 127.0.0.1 (same address as the proxy)');
  t.notOk(ack.msg.headers.route, 'our Route entry was removed from the ACK');

  // BYE from the caller through the route set.
  const bye = inDialog(uac, 'BYE', inv, ok, 2);
  uac.send(bye, h.port);
  const atCalleeBye = await uas.request('BYE', 3000, cid);
  t.notOk(atCalleeBye.msg.headers.route, 'our Route entry was removed from the BYE');
  uas.reply(atCalleeBye, 200, 'OK');
  const byeOk = await uac.response((s) => s >= 200, cid, 3000, 'BYE');
  t.equal(byeOk.msg.status, 200, 'BYE answered 200 by the callee, not 500 by the proxy');

  // A Route naming the callee (same address, its own port) is not ours: it is followed.
  const viaRoute = inDialog(uac, 'INFO', inv, ok, 3);
  viaRoute.headers.route = [rr[0]!, { uri: `sip:127.0.0.1:${uas.port};lr`, params: {} }];
  viaRoute.uri = 'sip:somewhere@192.0.2.1:5060';
  uac.send(viaRoute, h.port);
  const info = await uas.request('INFO', 3000, cid);
  t.equal(info.msg.headers.route?.length, 1, 'only our own Route entry was removed');
  uas.reply(info, 200, 'OK');
  await uac.response(200, cid, 3000, 'INFO');
  t.equal(h.proxy.stats().internalErrors, 0);
});

t.test('a forwarded ACK carries our Via on top of the caller\'s, untouched', async (t) => {
  const { uac, uas, h } = await setup(t);
  const { ack } = await answeredCall(uac, uas, h);
  const vias = ack.msg.headers.via!;
  t.equal(vias.length, 2, 'two Vias: ours and the caller\'s');
  t.equal(vias[0]!.port, h.port, 'top Via is the proxy');
  t.match(vias[0]!.params.branch, /^z9hG4bK/);
  t.equal(vias[1]!.port, uac.port, 'second Via is the caller\'s');
  t.match(vias[1]!.params.branch, /^z9hG4bK[0-9a-f]{20}$/, 'caller branch unchanged');
});

t.test('branches are long, random and unique', async (t) => {
  const { uac, uas, h } = await setup(t);
  const N = 200;
  for (let i = 0; i < N; i++) uac.send(makeInvite(uac, { proxyPort: h.port }), h.port);
  t.ok(await until(() => new Set(uas.all.filter((r) => r.msg.method === 'INVITE').map((r) => r.msg.headers['call-id'])).size >= N, 5000), 'all INVITEs forwarded');
  // One branch per call (Timer A retransmissions repeat their call's branch, as they must).
  const byCall = new Map<string, Set<string>>();
  for (const r of uas.all.filter((x) => x.msg.method === 'INVITE')) {
    const cid = r.msg.headers['call-id']!;
    if (!byCall.has(cid)) byCall.set(cid, new Set());
    byCall.get(cid)!.add(r.msg.headers.via![0]!.params.branch!);
  }
  t.equal(byCall.size, N);
  t.ok([...byCall.values()].every((s) => s.size === 1), 'retransmissions keep their branch');
  const branches = [...byCall.values()].map((s) => [...s][0]!);
  for (const b of branches.slice(0, 5)) t.match(b, /^z9hG4bK[A-Za-z0-9_-]{16,}/, 'cookie + at least 16 random characters');
  t.equal(new Set(branches).size, N, 'no branch shared by two calls');
  // Let the callee answer nothing: Timer B cleans up. Stop here, teardown closes.
});

t.test('100 Trying at once; retransmitted INVITEs are absorbed; our INVITE is retransmitted (Timer A) until a response', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  await uac.response(100, cid);
  uac.send(inv, h.port); // retransmission
  await uac.response(100, cid);
  const first = await uas.request('INVITE', 3000, cid);
  // T1 = 50 ms: retransmissions at ~50, 150, 350 ms.
  await sleep(400);
  const copies = uas.queue.filter((r) => r.msg.method === 'INVITE' && r.msg.headers['call-id'] === cid);
  t.ok(copies.length >= 2, `proxy retransmitted its INVITE (${copies.length} copies)`);
  t.ok(copies.every((c) => c.msg.headers.via![0]!.params.branch === first.msg.headers.via![0]!.params.branch), 'same branch: retransmissions, not new INVITEs');
  t.equal(h.proxy.stats().retransmissionsAbsorbed, 1, 'the caller\'s retransmission was absorbed');
  uas.reply(first, 486, 'Busy Here');
  const busy = await uac.response(486, cid);
  uac.send(ackNon2xx(inv, busy.msg as SipResponse), h.port);
  const ackAtCallee = await uas.request('ACK', 1000, cid);
  t.equal(ackAtCallee.msg.headers.via!.length, 1, 'the proxy ACKed the 486 itself (hop by hop)');
  t.ok(await uas.none((m) => m.method === 'ACK' && m.headers['call-id'] === cid, 300), 'the caller\'s ACK for the 486 is absorbed, not forwarded');
});

t.test('Timer C: a call that rings for ever is cancelled downstream and answered 408 upstream', async (t) => {
  const { uac, uas, h } = await setup(t, { timers: { ...FAST, timerC: 800 } });
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const atCallee = await uas.request('INVITE', 3000, cid);
  uas.reply(atCallee, 180, 'Ringing');
  await uac.response(180, cid);
  const cancel = await uas.request('CANCEL', 3000, cid);
  t.equal(cancel.msg.headers.via![0]!.params.branch, atCallee.msg.headers.via![0]!.params.branch, 'CANCEL uses the INVITE branch');
  const timeout = await uac.response(408, cid, 2000);
  t.ok(timeout, 'caller gets 408');
  uas.reply(cancel, 200, 'OK');
  uas.reply(atCallee, 487, 'Request Terminated');
  const ack = await uas.request('ACK', 2000, cid);
  t.equal((ack.msg as SipRequest).headers.cseq!.method, 'ACK', 'proxy ACKs the 487');
  t.ok(await uac.none((m) => m.status === 487, 300), 'the 487 is not relayed after our 408');
  uac.send(ackNon2xx(inv, timeout.msg as SipResponse), h.port);
  t.equal(h.proxy.stats().timeoutC, 1);
});

t.test('Timer B: a next hop that never answers still gives the caller a final response, and a warning is logged', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const { uac, uas, h } = await setup(t, { timers: { ...FAST, timerB: 700 }, logger });
  const silent = () => lines.filter((l) => String(l.msg).includes('answered nothing'));
  const call = async () => {
    const inv = makeInvite(uac, { proxyPort: h.port });
    const cid = inv.headers['call-id']!;
    uac.send(inv, h.port);
    await uas.request('INVITE', 3000, cid);
    return uac.response(408, cid, 3000);
  };
  const r = await call();
  t.equal(r.msg.status, 408);
  t.equal(h.proxy.stats().timeoutB, 1);
  // The hop never answered the INVITE, so no one rang: no failed call is counted against the caller.
  t.equal(h.engine.counters.withdrawn, 1, 'withdrawn from the engine');
  t.equal(h.engine.counters.outcomes, 0, 'no outcome observed');
  t.equal(silent().length, 1, 'one warning');
  t.match(silent()[0], { level: 40, next_hop: `udp:127.0.0.1:${uas.port}`, invites_unanswered: 1, timer_b_ms: 700 });
  await call();
  t.equal(h.proxy.stats().timeoutB, 2);
  t.equal(silent().length, 1, 'at most one warning every 10 s');
});

t.test('a non-INVITE that got a 1xx still times out (Timer F), with Timer E capped at T2', async (t) => {
  const { uac, uas, h } = await setup(t, { timers: { ...FAST, timerF: 1500 } });
  const msg = makeInvite(uac, { proxyPort: h.port });
  msg.method = 'MESSAGE';
  msg.headers.cseq = { seq: 1, method: 'MESSAGE' };
  const cid = msg.headers['call-id']!;
  uac.send(msg, h.port);
  const first = await uas.request('MESSAGE', 3000, cid);
  const t0 = Date.now();
  uas.reply(first, 100, 'Trying');
  const r = await uac.response(408, cid, 3000);
  t.ok(Date.now() - t0 >= 1000, 'waited for Timer F');
  t.equal(r.msg.status, 408, 'caller gets 408 although the next hop said 100');
  const copies = uas.all.filter((x) => x.msg.method === 'MESSAGE');
  t.ok(copies.length >= 3 && copies.length <= 8, `retransmitted at most every T2 (400 ms) after the 1xx: ${copies.length} copies in 1.5 s`);
  t.equal(h.proxy.stats().timeoutF, 1);
});

t.test('Max-Forwards is decremented; at 0 the proxy answers 483 and forwards nothing', async (t) => {
  const { uac, uas, h } = await setup(t);
  const a = makeInvite(uac, { proxyPort: h.port, maxForwards: '10' });
  uac.send(a, h.port);
  const got = await uas.request('INVITE', 3000, a.headers['call-id']);
  t.equal(got.msg.headers['max-forwards'], '9');
  const b = makeInvite(uac, { proxyPort: h.port, maxForwards: '0' });
  uac.send(b, h.port);
  const r = await uac.response((s) => s >= 200, b.headers['call-id'], 2000);
  t.equal(r.msg.status, 483);
  t.ok(await uas.none((m) => m.headers['call-id'] === b.headers['call-id'], 300), 'nothing forwarded');
  const c = makeInvite(uac, { proxyPort: h.port, maxForwards: undefined });
  uac.send(c, h.port);
  const gotC = await uas.request('INVITE', 3000, c.headers['call-id']);
  t.equal(gotC.msg.headers['max-forwards'], '69', 'absent Max-Forwards becomes 70 - 1');
  const d = makeInvite(uac, { proxyPort: h.port, maxForwards: 'lots' });
  uac.send(d, h.port);
  t.equal((await uac.response((s) => s >= 200, d.headers['call-id'], 2000)).msg.status, 400, 'junk Max-Forwards: 400');
});

t.test('loops: a request coming back unchanged gets 482; a BYE addressed to the proxy is not looped', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const got = await uas.request('INVITE', 3000, cid);
  // The "callee" is a misconfigured proxy that sends the request straight back.
  const back = got.msg as SipRequest;
  back.headers.via!.unshift({ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: uas.port, params: { branch: branch() } });
  delete back.headers['record-route'];
  uas.send(back, h.port);
  const r = await uas.response(482, cid, 2000);
  t.equal(r.msg.status, 482, 'loop detected from our own Via');
  t.equal(h.proxy.stats().loops, 1);

  const before = h.proxy.stats().requestsIn;
  const bye = inDialog(uac, 'BYE', inv, { status: 200, reason: 'OK', version: '2.0', headers: { to: { uri: 'sip:x@127.0.0.1', params: { tag: 'abc' } } } } as SipResponse, 2);
  bye.uri = `sip:127.0.0.1:${h.port}`;
  uac.send(bye, h.port);
  const br = await uac.response((s) => s >= 200, cid, 2000, 'BYE');
  t.equal(br.msg.status, 404, 'answered (not along a route set of ours), not forwarded to ourselves');
  await sleep(100);
  t.equal(h.proxy.stats().requestsIn - before, 1, 'the BYE went through the proxy once, not 70 times');
});

t.test('a next hop that is the proxy itself is a loop, not 70 hops', async (t) => {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
  const port = probe.address().port;
  await new Promise<void>((r) => probe.close(() => r()));
  const uac = await UdpPeer.open('caller');
  const h = await startHarness(port, handRules(), { timers: FAST, listen: [{ transport: 'udp', host: '127.0.0.1', port }] });
  t.teardown(async () => {
    await h.proxy.close();
    await uac.close();
  });
  const inv = makeInvite(uac, { proxyPort: h.port });
  uac.send(inv, h.port);
  const r = await uac.response((s) => s >= 200, inv.headers['call-id'], 2000);
  t.equal(r.msg.status, 482);
  t.equal(h.proxy.stats().requestsIn, 1);
});

t.test('a header that fails to parse gets 400 and is counted, not silently dropped', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const raw = (await import('../../lib/sip/sip-types.js')).sip.stringify(inv).replace(/\r\nFrom: [^\r]*/, '\r\nFrom: ;tag=1');
  uac.sendRaw(raw, h.port);
  const r = await uac.response(400, inv.headers['call-id'], 2000);
  t.match((r.msg as SipResponse).reason, /from/, 'From that the package\'s parser throws on');
  t.ok(await uas.none(() => true, 200), 'nothing forwarded');
  t.ok(h.events.bad.includes('bad-header:from'), 'badMessage event with the header name');

  // A second Via line that does not parse would be dropped by the package's parser (the list is truncated).
  const inv2 = makeInvite(uac, { proxyPort: h.port });
  const raw2 = (await import('../../lib/sip/sip-types.js')).sip.stringify(inv2).replace(/(\r\nVia: [^\r]*)/, '$1\r\nVia: junk junk');
  uac.sendRaw(raw2, h.port);
  const r2 = await uac.response(400, inv2.headers['call-id'], 2000);
  t.match((r2.msg as SipResponse).reason, /via/);

  // Missing mandatory header.
  const inv3 = makeInvite(uac, { proxyPort: h.port });
  delete inv3.headers.cseq;
  uac.send(inv3, h.port);
  const r3 = await uac.response(400, inv3.headers['call-id'], 2000);
  t.match((r3.msg as SipResponse).reason, /cseq/);
  t.ok(h.events.bad.includes('missing-header:cseq'));

  // A Route list the package would take a quarter of a second to parse: refused unparsed, answered 400.
  const inv4 = makeInvite(uac, { proxyPort: h.port });
  const route = `Route: ${Array.from({ length: 5000 }, () => '<sip:b>').join(',')}`;
  uac.sendRaw((await import('../../lib/sip/sip-types.js')).sip.stringify(inv4).replace(/\r\nCSeq: /, `\r\n${route}\r\nCSeq: `), h.port);
  const r4 = await uac.response(400, inv4.headers['call-id'], 2000);
  t.match((r4.msg as SipResponse).reason, /long-list:route/);
  t.ok(await uas.none(() => true, 200), 'nothing forwarded');
  const inv5 = makeInvite(uac, { proxyPort: h.port });
  uac.send(inv5, h.port);
  const next = await uas.request('INVITE', 3000, inv5.headers['call-id']);
  t.equal(next.msg.headers['call-id'], inv5.headers['call-id'], 'the next call is forwarded as usual');
});

t.test('responses with no transaction: relayed statelessly when our Via is on top, dropped and counted otherwise', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const stray: SipResponse = {
    status: 200,
    reason: 'OK',
    version: '2.0',
    headers: {
      via: [{ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: h.port, params: { branch: 'z9hG4bKunknownbranch.00000000' } }, inv.headers.via![0]!],
      from: inv.headers.from,
      to: { ...inv.headers.to!, params: { tag: 'x1' } },
      'call-id': inv.headers['call-id'],
      cseq: inv.headers.cseq,
    },
    content: '',
  };
  uas.send(stray, h.port);
  const got = await uac.response(200, inv.headers['call-id'], 2000);
  t.equal(got.msg.headers.via!.length, 1, 'our Via popped, relayed to the caller (a retransmitted 2xx after the transaction ended)');
  t.equal(h.proxy.stats().statelessResponses, 1);

  const notOurs = { ...stray, headers: { ...stray.headers, via: [inv.headers.via![0]!] } };
  uas.send(notOurs, h.port);
  await until(() => h.events.bad.includes('response-not-ours'), 1000);
  t.ok(h.events.bad.includes('response-not-ours'), 'a response without our Via is dropped and counted');
});

t.test('a response that lost the caller\'s Via is not forwarded (RFC 3261 §16.7 step 3)', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const atCallee = await uas.request('INVITE', 3000, cid);
  t.equal(atCallee.msg.headers.via!.length, 2);
  uas.reply(atCallee, 486, 'Busy Here', { via: [atCallee.msg.headers.via![0]!] });
  await until(() => h.events.bad.includes('response-without-caller-via'), 1000);
  t.ok(h.events.bad.includes('response-without-caller-via'), 'dropped and counted');
  t.ok(await uac.none((m) => m.status === 486, 300), 'the caller never gets a response without its own Via');
  uas.reply(atCallee, 486, 'Busy Here');
  await uac.response(486, cid);
});

t.test('transactions and dialogs return to zero after a mix of calls', async (t) => {
  const { uac, uas, h } = await setup(t);
  // answered + BYE
  const a = await answeredCall(uac, uas, h);
  uac.send(inDialog(uac, 'BYE', a.inv, a.ok, 2), h.port);
  uas.reply(await uas.request('BYE', 3000, a.cid), 200, 'OK');
  await uac.response(200, a.cid, 3000, 'BYE');
  // rejected (home-country caller) + ACK
  const r = makeInvite(uac, { proxyPort: h.port, caller: '+8613912345678' });
  uac.send(r, h.port);
  const rej = await uac.response(608, r.headers['call-id'], 2000);
  uac.send(ackNon2xx(r, rej.msg as SipResponse), h.port);
  // busy downstream + ACK
  const b = makeInvite(uac, { proxyPort: h.port });
  uac.send(b, h.port);
  uas.reply(await uas.request('INVITE', 3000, b.headers['call-id']), 486, 'Busy Here');
  const busy = await uac.response(486, b.headers['call-id'], 2000);
  uac.send(ackNon2xx(b, busy.msg as SipResponse), h.port);
  // OPTIONS out of dialog
  const o = makeInvite(uac, { proxyPort: h.port });
  o.method = 'OPTIONS';
  o.headers.cseq = { seq: 1, method: 'OPTIONS' };
  uac.send(o, h.port);
  uas.reply(await uas.request('OPTIONS', 3000, o.headers['call-id']), 200, 'OK');
  await uac.response(200, o.headers['call-id'], 2000);

  t.ok(h.proxy.stats().sizes.serverTransactions + h.proxy.stats().sizes.tombstones > 0, 'state was held while calls were live');
  const zero = await until(() => {
    const s = h.proxy.stats().sizes;
    return s.serverTransactions === 0 && s.clientTransactions === 0 && s.tombstones === 0 && s.dialogs === 0 && s.timers === 0 && s.heldBytes === 0;
  }, 3000);
  t.ok(zero, `all maps empty: ${JSON.stringify(h.proxy.stats().sizes)}`);
  t.equal(h.engine.sizes().pending, 0, 'engine has no call waiting for an outcome');
});

t.test('garbage, oversize and truncated datagrams are counted and service continues', async (t) => {
  const { uac, uas, h } = await setup(t);
  uac.sendRaw('hello world', h.port);
  uac.sendRaw(Buffer.alloc(0), h.port);
  uac.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0d, 0x0a, 0x0d, 0x0a]), h.port);
  uac.sendRaw(`INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${uac.port};branch=z9hG4bKbig\r\nContent-Length: 999999\r\n\r\nv=0\r\n`, h.port);
  uac.sendRaw(Buffer.alloc(60_000, 0x41), h.port);
  const inv = makeInvite(uac, { proxyPort: h.port });
  inv.headers['content-length'] = 5000;
  const raw = (await import('../../lib/sip/sip-types.js')).sip.stringify({ ...inv }).replace(/Content-Length: \d+/, 'Content-Length: 5000');
  uac.sendRaw(raw, h.port);
  const cl = await uac.response(400, inv.headers['call-id'], 2000);
  t.match((cl.msg as SipResponse).reason, /content-length/i, 'Content-Length beyond the datagram: 400');
  await until(() => h.proxy.stats().badMessages >= 6, 1000);
  t.ok(h.proxy.stats().badMessages >= 6, `counted: ${JSON.stringify(h.proxy.stats().bad)}`);
  const ok = await answeredCall(uac, uas, h);
  t.ok(ok.ack, 'a normal call still goes through');
  t.equal(h.proxy.stats().internalErrors, 0);
});

t.test('a request our Via and Record-Route take past a datagram is answered 513 at once, not 408 after Timer B', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const base = (await import('../../lib/sip/sip-types.js')).sip.stringify({ ...inv, content: '' });
  // Padded to 65,470 bytes: it arrives whole, and what we add (about 150 bytes) does not fit in 65,507.
  const pad = 65_470 - Buffer.byteLength(base) - 'Content-Type: application/sdp\r\n'.length - 10;
  const body = `v=0\r\n${'a=x\r\n'.repeat(Math.floor(pad / 5))}`;
  const raw = base.replace(/Content-Length: \d+\r\n/, `Content-Type: application/sdp\r\nContent-Length: ${body.length}\r\n`) + body;
  t.ok(raw.length < 65_507 && raw.length > 65_300, `the INVITE fits: ${raw.length} bytes`);
  const started = Date.now();
  uac.sendRaw(raw, h.port);
  const r = await uac.response((s) => s >= 200, inv.headers['call-id'], 2000);
  t.equal(r.msg.status, 513, 'Message Too Large');
  t.ok(Date.now() - started < 2000, 'at once');
  t.ok(await uas.none(() => true, 200), 'nothing reached the next hop');
  t.equal(h.proxy.stats().tooLarge, 1, 'counted');
  const ok = await answeredCall(uac, uas, h);
  t.ok(ok.ack, 'a normal call still goes through');
});

t.test('draining for shutdown: new calls get 503, the call in progress hangs up through us, then idle', async (t) => {
  const { uac, uas, h } = await setup(t);
  const { inv, cid, ok } = await answeredCall(uac, uas, h);
  t.notOk(h.proxy.idle(), 'a call in progress');
  h.proxy.drain();
  const fresh = makeInvite(uac, { proxyPort: h.port });
  uac.send(fresh, h.port);
  const r = await uac.response((s) => s >= 200, fresh.headers['call-id'], 2000);
  t.equal(r.msg.status, 503, 'a new call is refused: the edge fails it over');
  t.equal(r.msg.headers['retry-after'], '5');
  t.ok(await uas.none((m) => m.headers['call-id'] === fresh.headers['call-id'], 200), 'not forwarded');
  t.equal(h.proxy.stats().stopping, 1, 'counted');
  uac.send(inDialog(uac, 'BYE', inv, ok, 2), h.port);
  const bye = await uas.request('BYE', 3000, cid);
  uas.reply(bye, 200, 'OK');
  t.equal((await uac.response((s) => s >= 200, cid, 3000, 'BYE')).msg.status, 200, 'the BYE of the call in progress passes');
  await until(() => h.proxy.idle(), 5000);
  t.ok(h.proxy.idle(), 'idle once its transactions are done');
});

t.test('OPTIONS addressed to the proxy is answered by the proxy (health check)', async (t) => {
  const { uac, uas, h } = await setup(t);
  const o = makeInvite(uac, { proxyPort: h.port, uri: `sip:127.0.0.1:${h.port}` });
  o.method = 'OPTIONS';
  o.headers.cseq = { seq: 1, method: 'OPTIONS' };
  o.headers.to = { uri: `sip:127.0.0.1:${h.port}`, params: {} };
  uac.send(o, h.port);
  const r = await uac.response(200, o.headers['call-id'], 2000);
  t.ok(r.msg.headers.allow, 'Allow header present');
  t.ok(await uas.none(() => true, 200), 'not forwarded');
});

t.test('a re-INVITE follows the route set, is not screened again, and needs no new dialog', async (t) => {
  const { uac, uas, h } = await setup(t);
  const a = await answeredCall(uac, uas, h);
  const invites = h.proxy.stats().invites;
  const re = inDialog(uac, 'INVITE', a.inv, a.ok, 2);
  re.headers.contact = [{ uri: uac.uri, params: {} }];
  re.content = SDP;
  re.headers['content-type'] = 'application/sdp';
  uac.send(re, h.port);
  await uac.response(100, a.cid, 2000, 'INVITE');
  const got = await uas.request('INVITE', 3000, a.cid);
  t.equal(got.msg.headers.cseq!.seq, 2);
  t.notOk(got.msg.headers['record-route'], 'no Record-Route added mid-dialog');
  uas.reply(got, 200, 'OK', {}, SDP);
  const ok2 = (await uac.response(200, a.cid, 2000, 'INVITE')).msg as SipResponse;
  // The route set is the one the dialog began with: a 2xx to a re-INVITE carries no Record-Route.
  uac.send(inDialog(uac, 'ACK', a.inv, { ...ok2, headers: { ...ok2.headers, 'record-route': a.ok.headers['record-route'] } } as SipResponse, 2), h.port);
  await uas.request('ACK', 2000, a.cid);
  t.equal(h.proxy.stats().invites, invites, 're-INVITE not counted as a new call attempt');
  t.equal(h.engine.counters.decisions, 1, 'engine decided once for the call');
});

t.test('a made-up To tag does not take an INVITE past screening: in-dialog requests must follow our route set', async (t) => {
  const { uac, uas, h } = await setup(t);
  const spoofed = '+8613912345678'; // rejected 608 by the harness rules as a new call
  const inv = makeInvite(uac, { proxyPort: h.port, caller: spoofed });
  inv.headers.to = { ...inv.headers.to!, params: { tag: 'made-up' } };
  inv.uri = `sip:+8613800138000@127.0.0.1:${uas.port}`; // straight at the next hop
  uac.send(inv, h.port);
  const r = await uac.response((s) => s >= 200, inv.headers['call-id'], 2000, 'INVITE');
  t.equal(r.msg.status, 404, 'refused as not ours');
  await sleep(200);
  t.notOk(uas.queue.some((x) => x.msg.headers['call-id'] === inv.headers['call-id']), 'the callee never saw it');
  t.equal(h.proxy.stats().foreignDialog, 1);
  t.equal(h.engine.counters.decisions, 0, 'nothing was screened or forwarded');
  // A 2xx ACK that did not come along our route set is dropped the same way (ACKs get no answer).
  const ack: SipRequest = { ...inv, method: 'ACK', headers: { ...inv.headers, cseq: { seq: 1, method: 'ACK' }, via: [{ ...inv.headers.via![0]!, params: { branch: branch() } }] } };
  uac.send(ack, h.port);
  await until(() => h.proxy.stats().foreignDialog === 2, 2000);
  t.notOk(uas.queue.some((x) => x.msg.method === 'ACK'), 'not forwarded');
  // A real dialog through us still works: its requests carry our Record-Route as Route.
  const a = await answeredCall(uac, uas, h);
  uac.send(inDialog(uac, 'BYE', a.inv, a.ok, 2), h.port);
  uas.reply(await uas.request('BYE', 3000, a.cid), 200, 'OK');
  t.equal((await uac.response(200, a.cid, 3000, 'BYE')).msg.status, 200);
});

t.test('our Route written by hand does not take an INVITE past screening: in-dialog requests need the signature of their call', async (t) => {
  const { uac, uas, h } = await setup(t);
  const a = await answeredCall(uac, uas, h);
  const rrUri = (a.ok.headers['record-route'] ?? [])[0]?.uri;
  const rr = typeof rrUri === 'string' ? rrUri : sip.stringifyUri(rrUri!);
  t.match(rr, /;rf=[0-9a-z]+-[0-9a-f]{24}/, 'our Record-Route carries a signature');
  const spoofed = '+8613912345678'; // rejected 608 by the harness rules as a new call
  const forge = (route: string, callId?: string): SipRequest => {
    const inv = makeInvite(uac, { proxyPort: h.port, caller: spoofed, ...(callId ? { callId } : {}), route: [{ uri: route, params: {} }] });
    inv.headers.to = { ...inv.headers.to!, params: { tag: 'made-up' } };
    inv.uri = `sip:+8613800138000@127.0.0.1:${uas.port}`; // straight at the callee
    return inv;
  };
  const cases: [string, SipRequest][] = [
    ['no signature', forge(`sip:127.0.0.1:${h.port};lr`)],
    ['a signature of another call', forge(rr)],
    ['a signature cut short', forge(rr.replace(/(;rf=[^;]*)[^;]/, '$1'), a.cid)],
    // Its last character changed (a 1 for a 0, else a 0): whatever the token, never the same one.
    ['a signature altered', forge(rr.replace(/(;rf=[^;]*)([0-9a-f])/, (_m, p: string, c: string) => `${p}${c === '0' ? '1' : '0'}`), a.cid)],
  ];
  for (const [what, inv] of cases) {
    uac.send(inv, h.port);
    const r = await uac.response((s) => s >= 200, inv.headers['call-id'], 2000, 'INVITE');
    t.equal(r.msg.status, 404, `${what}: refused`);
  }
  // The same forged route on a 2xx ACK: dropped (ACKs get no answer).
  const ack = forge(`sip:127.0.0.1:${h.port};lr`);
  ack.method = 'ACK';
  ack.headers.cseq = { seq: 1, method: 'ACK' };
  uac.send(ack, h.port);
  t.ok(await until(() => h.proxy.stats().unsignedRoute === 5, 2000), 'five counted as unsigned');
  await sleep(200);
  t.notOk(uas.queue.some((x) => x.msg.headers.from?.uri?.includes(spoofed)), 'the callee never saw any of them');
  t.equal(h.engine.counters.decisions, 1, 'only the real call was screened');
  // The real dialog still works: its requests carry the route set as the 200 gave it.
  uac.send(inDialog(uac, 'BYE', a.inv, a.ok, 2), h.port);
  uas.reply(await uas.request('BYE', 3000, a.cid), 200, 'OK');
  t.equal((await uac.response(200, a.cid, 3000, 'BYE')).msg.status, 200);
});

t.test('upgrades: with unsignedRouteGraceMs, an unsigned route of ours passes until the grace ends', async (t) => {
  for (const [grace, passes] of [[60_000, true], [1, false]] as const) {
    const { uac, uas, h } = await setup(t, { unsignedRouteGraceMs: grace });
    await sleep(20);
    // A BYE of a call set up before the upgrade: our Route as the old build wrote it, without a signature.
    const bye = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN, route: [{ uri: `sip:127.0.0.1:${h.port};lr`, params: {} }] });
    bye.method = 'BYE';
    bye.headers.cseq = { seq: 2, method: 'BYE' };
    bye.headers.to = { ...bye.headers.to!, params: { tag: 'old-call' } };
    bye.uri = `sip:callee@127.0.0.1:${uas.port}`;
    uac.send(bye, h.port);
    if (passes) {
      uas.reply(await uas.request('BYE', 3000, bye.headers['call-id']!), 200, 'OK');
      t.equal((await uac.response((s) => s >= 200, bye.headers['call-id']!, 3000, 'BYE')).msg.status, 200, 'within the grace: passed');
      t.equal(h.proxy.stats().unsignedAccepted, 1, 'and counted');
    } else {
      t.equal((await uac.response((s) => s >= 200, bye.headers['call-id']!, 3000, 'BYE')).msg.status, 404, 'after it: refused');
      t.equal(h.proxy.stats().unsignedRoute, 1);
    }
  }
});

t.test('a signature copied from a screened call does not carry new INVITEs past screening', async (t) => {
  const { uac, uas, h } = await setup(t);
  const third = await UdpPeer.open('third');
  t.teardown(() => third.close());
  const a = await answeredCall(uac, uas, h);
  const route = a.ok.headers['record-route']!;
  const reinvite = (to: string, seq: number): SipRequest => {
    const re = inDialog(uac, 'INVITE', a.inv, a.ok, seq);
    re.uri = to;
    re.headers.contact = [{ uri: uac.uri, params: {} }];
    re.content = SDP;
    re.headers['content-type'] = 'application/sdp';
    return re;
  };
  // While the call is up, a re-INVITE from either side follows the route set (the upper-cased parameter name too).
  const upper = reinvite(String(a.inv.uri).replace(/@.*/, `@127.0.0.1:${uas.port}`), 2);
  upper.headers.route = route.map((r) => ({ ...r, uri: (typeof r.uri === 'string' ? r.uri : sip.stringifyUri(r.uri!)).replace(';rf=', ';RF=') }));
  uac.send(upper, h.port);
  const got = await uas.request('INVITE', 3000, a.cid);
  uas.reply(got, 200, 'OK', {}, SDP);
  await uac.response(200, a.cid, 3000, 'INVITE');
  // Hung up: the same signature no longer opens a way in, whoever the INVITE names.
  uac.send(inDialog(uac, 'BYE', a.inv, a.ok, 3), h.port);
  uas.reply(await uas.request('BYE', 3000, a.cid), 200, 'OK');
  await uac.response(200, a.cid, 3000, 'BYE');
  const replay = reinvite(`sip:+8613800138001@127.0.0.1:${third.port}`, 4);
  replay.headers.from = { ...replay.headers.from!, uri: 'sip:+8613912345678@127.0.0.1' };
  uac.send(replay, h.port);
  const r = await uac.response((s) => s >= 200, a.cid, 2000, 'INVITE');
  t.equal(r.msg.status, 404, 'refused');
  t.equal(h.proxy.stats().deadDialog, 1, 'counted as a dead dialog');
  await sleep(200);
  t.equal(third.queue.length, 0, 'the third party never saw it');
  t.equal(h.engine.counters.decisions, 1, 'nothing screened but the first call');
});

t.test('an answered call pushed out past maxDialogs keeps its re-INVITEs until it is hung up', async (t) => {
  const { uac, uas, h } = await setup(t, { maxDialogs: 1 });
  const a = await answeredCall(uac, uas, h, '+442079460000');
  await answeredCall(uac, uas, h, '+442079460001'); // evicts the first call's dialog
  t.equal(h.proxy.stats().dialogsEvicted, 1);
  const reinvite = (seq: number): SipRequest => {
    const re = inDialog(uac, 'INVITE', a.inv, a.ok, seq);
    re.headers.contact = [{ uri: uac.uri, params: {} }];
    re.content = SDP;
    re.headers['content-type'] = 'application/sdp';
    return re;
  };
  uac.send(reinvite(2), h.port);
  const got = await uas.request('INVITE', 3000, a.cid);
  uas.reply(got, 200, 'OK', {}, SDP);
  t.equal((await uac.response((s) => s >= 200, a.cid, 3000, 'INVITE')).msg.status, 200, 'a session refresh of the evicted call passes');
  uac.send(inDialog(uac, 'BYE', a.inv, a.ok, 3), h.port);
  uas.reply(await uas.request('BYE', 3000, a.cid), 200, 'OK');
  await uac.response(200, a.cid, 3000, 'BYE');
  uac.send(reinvite(4), h.port);
  t.equal((await uac.response((s) => s >= 200, a.cid, 3000, 'INVITE')).msg.status, 404, 'after its BYE, no more');
  t.equal(h.proxy.stats().deadDialog, 1);
});

t.test('a preloaded Route on a new call is removed: the call goes to the configured next hop, not where the sender chose', async (t) => {
  const { uac, uas, h } = await setup(t);
  const third = await UdpPeer.open('third');
  t.teardown(() => third.close());
  for (const route of [[`sip:127.0.0.1:${third.port};lr`], [`sip:127.0.0.1:${h.port};lr`, `sip:127.0.0.1:${third.port};lr`]]) {
    const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN, route: route.map((uri) => ({ uri, params: {} })) });
    uac.send(inv, h.port);
    const got = await uas.request('INVITE', 3000, inv.headers['call-id']!);
    t.notOk(got.msg.headers.route, `${route.length} Route entries: none forwarded`);
    uas.reply(got, 486, 'Busy Here');
    const rs = (await uac.response((s) => s >= 200, inv.headers['call-id']!, 3000, 'INVITE')).msg as SipResponse;
    uac.send(ackNon2xx(inv, rs), h.port);
  }
  t.equal(h.proxy.stats().preloadedRoute, 2);
  await sleep(200);
  t.equal(third.queue.length, 0, 'nothing went where the Route pointed');
});

t.test('a Call-ID with trailing blanks: the callee may send it back trimmed', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port, caller: '+442079460000' });
  const cid = inv.headers['call-id']!;
  const raw = encode(inv).toString('latin1').replace(`Call-ID: ${cid}\r\n`, `Call-ID: ${cid}  \r\n`);
  uac.sendRaw(raw, h.port);
  const atCallee = await uas.request('INVITE', 3000);
  t.equal(atCallee.msg.headers['call-id'], `${cid}  `, 'blanks kept as sent');
  const rr = atCallee.msg.headers['record-route']!;
  uas.reply(atCallee, 200, 'OK', {}, SDP);
  await uac.response(200, undefined, 3000, 'INVITE');
  // The callee hangs up with the Call-ID trimmed, along the route set it was given.
  const bye: SipRequest = {
    method: 'BYE', uri: `sip:caller@127.0.0.1:${uac.port}`, version: '2.0',
    headers: {
      via: [{ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: uas.port, params: { branch: branch(), rport: null } }],
      'max-forwards': '70', route: rr, from: { ...atCallee.msg.headers.to!, params: { tag: 'callee-tag' } }, to: atCallee.msg.headers.from!,
      'call-id': cid, cseq: { seq: 1, method: 'BYE' },
    },
    content: '',
  };
  uas.send(bye, h.port);
  const atCaller = await uac.request('BYE', 3000);
  t.ok(atCaller, 'the BYE reached the caller');
  t.equal(h.proxy.stats().unsignedRoute, 0);
});

t.test('a method in the wrong case is refused, not proxied unscreened as an unknown method', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port, caller: '+8613912345678' });
  inv.method = 'invite';
  inv.headers.cseq = { seq: 1, method: 'invite' };
  uac.send(inv, h.port);
  const r = await uac.response((s) => s >= 200, inv.headers['call-id'], 2000);
  t.equal(r.msg.status, 400);
  await sleep(100);
  t.notOk(uas.queue.some((x) => x.msg.headers['call-id'] === inv.headers['call-id']), 'never forwarded');
  t.equal(h.proxy.stats().bad['method-case'], 1);
});

t.test('CANCEL before any provisional waits for one, then cancels downstream', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  const got = await uas.request('INVITE', 3000, cid);
  const cancel = cancelOf(inv);
  uac.send(cancel, h.port);
  await uac.response(200, cid, 2000, 'CANCEL');
  t.ok(await uas.none((m) => m.method === 'CANCEL', 200), 'no CANCEL before the next hop sent a provisional (RFC 3261 §9.1)');
  uas.reply(got, 180, 'Ringing');
  const c = await uas.request('CANCEL', 2000, cid);
  uas.reply(c, 200, 'OK');
  uas.reply(got, 487, 'Request Terminated');
  const term = await uac.response(487, cid, 2000, 'INVITE');
  uac.send(ackNon2xx(inv, term.msg as SipResponse), h.port);
  t.equal(h.engine.sizes().pending, 0, 'outcome delivered');
});

t.test('a cancelled call rang until the caller cancelled, not until the 487 came back', async (t) => {
  const { uac, uas, h } = await setup(t);
  const seen: { status?: number; at: number }[] = [];
  const observe = h.screener.observe.bind(h.screener);
  h.screener.observe = (o) => {
    seen.push({ status: o.status, at: o.at });
    return observe(o);
  };
  const { inv, cid, got } = await ringingCall(uac, uas, h.port);
  const cancel = cancelOf(inv);
  const cancelledAt = Date.now();
  uac.send(cancel, h.port);
  const c = await uas.request('CANCEL', 2000, cid);
  uas.reply(c, 200, 'OK');
  // A slow next hop: the 487 comes a second and a half after the CANCEL.
  await new Promise((r) => setTimeout(r, 1500));
  uas.reply(got, 487, 'Request Terminated');
  await uac.response(487, cid, 2000, 'INVITE');
  t.equal(seen.length, 1);
  t.equal(seen[0]?.status, 487);
  t.ok(seen[0]!.at - cancelledAt < 500, `outcome at the CANCEL (${seen[0]!.at - cancelledAt} ms after sending it), not at the 487`);
});

t.test('a CANCEL for nothing gets 481; transactions beyond the bound get 503', async (t) => {
  const { uac, uas, h } = await setup(t, { maxTransactions: 2 });
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cancel = cancelOf(inv);
  uac.send(cancel, h.port);
  t.equal((await uac.response((s) => s >= 200, inv.headers['call-id'], 2000, 'CANCEL')).msg.status, 481);
  const one = makeInvite(uac, { proxyPort: h.port });
  uac.send(one, h.port);
  await uas.request('INVITE', 2000, one.headers['call-id']);
  const two = makeInvite(uac, { proxyPort: h.port });
  uac.send(two, h.port);
  const r = await uac.response((s) => s >= 200, two.headers['call-id'], 2000);
  t.equal(r.msg.status, 503, 'bounded: new work refused, not queued');
  t.equal(h.proxy.stats().overload, 1);
});

t.test('requests held in transactions are bounded in bytes too: big INVITEs that ring for ever get 503, not the whole heap', async (t) => {
  // Ringing calls are held for Timer C (3 minutes) with their bytes: 70,000 ringing 60 KB INVITEs, well under
  // maxTransactions, filled the default 4 GB heap and killed the process (shown with 30 KB ones and a 600 MB heap).
  const { uac, uas, h } = await setup(t, { maxHeldBytes: 200_000 });
  const pad = { 'x-pad': 'p'.repeat(30_000) };
  const invites = Array.from({ length: 5 }, () => makeInvite(uac, { proxyPort: h.port, headers: pad }));
  const ringing = [];
  for (const inv of invites.slice(0, 3)) {
    uac.send(inv, h.port);
    const got = await uas.request('INVITE', 2000, inv.headers['call-id']);
    uas.reply(got, 180, 'Ringing');
    await uac.response(180, inv.headers['call-id']);
    ringing.push(got);
  }
  for (const inv of invites.slice(3)) {
    uac.send(inv, h.port);
    const r = await uac.response((s) => s >= 200, inv.headers['call-id'], 2000);
    t.equal(r.msg.status, 503, 'over the byte budget: refused at once');
    uac.send(ackNon2xx(inv, r.msg as SipResponse), h.port);
  }
  t.equal(h.proxy.stats().overload, 2);
  // A small INVITE still fits; a finished call gives its bytes back.
  const small = makeInvite(uac, { proxyPort: h.port });
  uac.send(small, h.port);
  await uas.request('INVITE', 2000, small.headers['call-id']);
  uas.reply(ringing[0]!, 486, 'Busy Here');
  const busy = await uac.response(486, invites[0]!.headers['call-id']);
  uac.send(ackNon2xx(invites[0]!, busy.msg as SipResponse), h.port);
  const again = makeInvite(uac, { proxyPort: h.port, headers: pad });
  uac.send(again, h.port);
  await uas.request('INVITE', 2000, again.headers['call-id']);
  t.pass('room again once a big call ended');
});

t.test('the byte budget covers a transaction\'s whole life: answers nobody ACKs and ACKs we keep count too', async (t) => {
  // A 30 KB Call-ID is copied into the final response kept for Timer G/H and into our ACK kept for Timer D:
  // 15,000 such calls answered 486 and never ACKed held 0.9 GB of heap and 0.45 GB of buffers for 32 s, uncounted.
  const { uac, uas, h } = await setup(t, { maxHeldBytes: 200_000 });
  const big = (): SipRequest => {
    const inv = makeInvite(uac, { proxyPort: h.port });
    inv.headers['call-id'] = `${branch()}-${'c'.repeat(30_000)}`;
    return inv;
  };
  for (let i = 0; i < 3; i++) {
    const inv = big();
    uac.send(inv, h.port);
    uas.reply(await uas.request('INVITE', 2000, inv.headers['call-id']), 486, 'Busy Here');
    await uac.response(486, inv.headers['call-id']); // and no ACK
  }
  t.ok(h.proxy.stats().sizes.heldBytes > 150_000, `still counted after the final response: ${h.proxy.stats().sizes.heldBytes}`);
  const late = big();
  uac.send(late, h.port);
  t.equal((await uac.response((s) => s >= 200, late.headers['call-id'], 2000)).msg.status, 503, 'no room while they wait for ACKs');
  // Timer H (64·T1 = 3.2 s here) gives up on the ACKs: the bytes come back.
  t.ok(await until(() => h.proxy.stats().sizes.heldBytes === 0, 6000), 'all given back');
  const after = big();
  uac.send(after, h.port);
  await uas.request('INVITE', 2000, after.headers['call-id']);
  t.pass('room again');
});

t.test('a long Call-ID is tracked under a short key: an answered call without BYE keeps a few hundred bytes, not the Call-ID', async (t) => {
  // The proxy's dialog (4 h) and the engine's pending call (2 h) were keyed by the Call-ID itself: 9,824 answered
  // calls with a 30 KB Call-ID and no BYE held 287 MB of heap; max.pending (200,000) of them would need ~6 GB.
  const { uac, uas, h } = await setup(t);
  const seen: string[] = [];
  const decide = h.screener.decide.bind(h.screener);
  h.screener.decide = (a) => {
    seen.push(a.callId);
    return decide(a);
  };
  const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  const cid = `${branch()}-${'c'.repeat(30_000)}`;
  inv.headers['call-id'] = cid;
  uac.send(inv, h.port);
  const atCallee = await uas.request('INVITE', 2000, cid);
  t.equal(atCallee.msg.headers['call-id'], cid, 'forwarded unchanged');
  uas.reply(atCallee, 200, 'OK', {}, SDP);
  const ok = (await uac.response(200, cid)).msg as SipResponse;
  uac.send(inDialog(uac, 'ACK', inv, ok, 1), h.port);
  await uas.request('ACK', 2000, cid);
  t.equal(seen.length, 1);
  t.ok(seen[0]!.length <= 256, `screened under a key of ${seen[0]!.length} characters`);
  t.equal(h.engine.sizes().pending, 1, 'the answered call waits for its BYE');
  // Two long Call-IDs that share a long prefix are still two calls.
  const other = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  other.headers['call-id'] = `${cid}x`;
  uac.send(other, h.port);
  uas.reply(await uas.request('INVITE', 2000, `${cid}x`), 486, 'Busy Here');
  uac.send(ackNon2xx(other, (await uac.response(486, `${cid}x`)).msg as SipResponse), h.port);
  t.not(seen[1], seen[0], 'different keys');
  // The BYE finds the call under the same key: the outcome reaches the engine and nothing is left.
  uac.send(inDialog(uac, 'BYE', inv, ok, 2), h.port);
  uas.reply(await uas.request('BYE', 2000, cid), 200, 'OK');
  await uac.response(200, cid, 2000, 'BYE');
  t.ok(await until(() => h.engine.sizes().pending === 0 && h.proxy.stats().sizes.dialogs === 0, 2000), 'outcome delivered, dialog gone');
});

t.test('forwarded by splicing: compact names, a Via list on one line and a latin1 body arrive as sent, with our edits', async (t) => {
  const { uac, uas, h } = await setup(t);
  const cid = `${branch()}@splice`;
  const body = 'v=0\r\ns=caf\xe9\r\n';
  // The caller's Via names another host (so received= is stamped) and asks for rport; no Max-Forwards; an inbound verdict header.
  uac.sendRaw([
    `INVITE sip:+8613800138000@127.0.0.1:${h.port} SIP/2.0`,
    `v: SIP/2.0/UDP 192.0.2.10:${uac.port};branch=${branch()};rport, SIP/2.0/UDP 192.0.2.11;branch=${branch()}`,
    `f: <sip:${FOREIGN}@192.0.2.10>;tag=f1`,
    't: <sip:+8613800138000@127.0.0.1>',
    `i: ${cid}`,
    'CSeq: 1 INVITE',
    `m: <sip:caller@127.0.0.1:${uac.port}>`,
    'X-Ringfence-Score: 0',
    // The parser unescapes header names: this one is X-Ringfence-Reasons to it, so it must go too.
    'X-Ringfence-Reason%73: planted',
    'Content-Type: application/sdp',
    `l: ${body.length}`,
    '',
    body,
  ].join('\r\n'), h.port);
  const got = await uas.request('INVITE', 3000, cid);
  const vias = got.msg.headers.via!;
  t.equal(vias.length, 3, 'our Via plus both of the caller\'s');
  t.equal(vias[0]!.port, h.port);
  t.equal(vias[1]!.params.received, '127.0.0.1', 'received stamped on the caller\'s top Via');
  t.equal(vias[1]!.params.rport, String(uac.port), 'rport filled in');
  t.equal(vias[2]!.host, '192.0.2.11', 'the second value of the caller\'s Via line kept');
  t.equal(got.msg.headers['max-forwards'], '69');
  t.equal(got.msg.headers['record-route']?.length, 1);
  t.notOk(got.msg.headers['x-ringfence-score'], 'an inbound verdict header is removed');
  t.notMatch(got.raw, /planted/, 'also under an escaped name');
  t.equal(got.msg.content, body, 'body byte for byte');
  t.match(got.raw, /\r\nf: <sip:\+12025550100@192\.0\.2\.10>;tag=f1\r\n/, 'untouched lines copied as written');

  // The callee answers with all three Vias on one line: the caller gets its own two.
  uas.sendRaw([
    'SIP/2.0 200 OK',
    `Via: ${vias.map(viaText).join(', ')}`,
    `From: <sip:${FOREIGN}@192.0.2.10>;tag=f1`,
    't: <sip:+8613800138000@127.0.0.1>;tag=t1',
    `Call-ID: ${cid}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:callee@127.0.0.1:${uas.port}>`,
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n'), h.port);
  const ok = await uac.response(200, cid, 3000);
  t.same(ok.msg.headers.via!.map((v) => v.host), ['192.0.2.10', '192.0.2.11'], 'our Via removed, the caller\'s kept');
  t.equal(ok.msg.content, body);
});

t.test('a body longer than its Content-Length is forwarded cut to it (serialised, not spliced)', async (t) => {
  const { uac, uas, h } = await setup(t);
  const inv = makeInvite(uac, { proxyPort: h.port });
  const raw = (await import('../../lib/sip/sip-types.js')).sip.stringify(inv) + 'trailing junk';
  uac.sendRaw(raw, h.port);
  const got = await uas.request('INVITE', 3000, inv.headers['call-id']);
  t.equal(got.msg.content, SDP, 'the body as Content-Length says');
  t.equal(got.msg.headers['content-length'], SDP.length);
  t.notMatch(got.raw, /trailing junk/);
});

t.test('a BYE retransmitted after its 200 gets the same 200, not a second BYE downstream', async (t) => {
  const { uac, uas, h } = await setup(t, { timers: { ...FAST, timerJ: 2000 } });
  const a = await answeredCall(uac, uas, h);
  const bye = inDialog(uac, 'BYE', a.inv, a.ok, 2);
  const wire = uac.send(bye, h.port);
  uas.reply(await uas.request('BYE', 3000, a.cid), 200, 'OK');
  const first = await uac.response(200, a.cid, 3000, 'BYE');
  uac.sendRaw(wire, h.port);
  const second = await uac.response(200, a.cid, 3000, 'BYE');
  t.equal(second.raw, first.raw, 'the kept answer, byte for byte');
  t.ok(await uas.none((m) => m.method === 'BYE', 200), 'the retransmission is absorbed');
});

t.test('timer wheel: timers cancelled or moved by an earlier timer of the same slot do not fire there', async (t) => {
  let now = 1000;
  const fired: string[] = [];
  const e = new Map<string, TimerEntry<string>>();
  const w = new TimerWheel<string>((owner) => {
    fired.push(owner);
    if (owner === 'a') {
      w.cancel(e.get('b'));
      w.reschedule(e.get('c')!, 50);
    }
  }, 10, () => now);
  t.teardown(() => w.stop());
  for (const k of ['a', 'b', 'c', 'd']) e.set(k, w.schedule(k, 1, 20));
  // Swap-removal in a slot that is not firing keeps the others.
  const x = w.schedule('x', 1, 20);
  w.cancel(x);
  w.cancel(x);
  t.equal(w.size, 4, 'cancelled once, counted once');
  now = 1030;
  t.ok(await until(() => fired.length >= 2, 2000), 'the slot fired');
  t.same(fired, ['a', 'd'], 'b cancelled and c moved by a: neither fired with a');
  t.equal(w.size, 1, 'c still scheduled');
  now = 1100;
  t.ok(await until(() => fired.includes('c'), 2000));
  t.equal(w.size, 0);
  t.same(fired, ['a', 'd', 'c'], 'c fired once, later');
});

t.test('finished transactions keep absorbing: ACK and INVITE after a non-2xx, a late CANCEL, a repeated BYE 200 from the callee', async (t) => {
  const { uac, uas, h } = await setup(t, { timers: { ...FAST, t4: 2000, timerJ: 2000, timerL: 2000 } });
  const inv = makeInvite(uac, { proxyPort: h.port });
  const cid = inv.headers['call-id']!;
  uac.send(inv, h.port);
  uas.reply(await uas.request('INVITE', 3000, cid), 486, 'Busy Here');
  const busy = await uac.response(486, cid, 2000);
  const ack = ackNon2xx(inv, busy.msg as SipResponse);
  uac.send(ack, h.port);
  await until(() => h.proxy.stats().acksAbsorbed === 1, 1000);
  uac.send(ack, h.port);
  uac.send(inv, h.port);
  const cancel = cancelOf(inv);
  uac.send(cancel, h.port);
  t.equal((await uac.response((s) => s >= 200, cid, 2000, 'CANCEL')).msg.status, 200, 'a CANCEL after the final is answered 200, not 481');
  await until(() => h.proxy.stats().acksAbsorbed === 2, 1000);
  t.equal(h.proxy.stats().acksAbsorbed, 2, 'the repeated ACK absorbed');
  t.ok(await uac.none((m) => m.headers['call-id'] === cid && (m.status ?? 0) >= 200 && m.headers.cseq?.method === 'INVITE', 200), 'the repeated INVITE got no second final (Confirmed)');
  t.ok(await uas.none((m) => m.headers['call-id'] === cid && m.method !== 'ACK', 100), 'nothing forwarded again');

  const a = await answeredCall(uac, uas, h);
  uac.send(inDialog(uac, 'BYE', a.inv, a.ok, 2), h.port);
  const bye = await uas.request('BYE', 3000, a.cid);
  uas.reply(bye, 200, 'OK');
  await uac.response(200, a.cid, 2000, 'BYE');
  const before = h.proxy.stats().retransmissionsAbsorbed;
  uas.reply(bye, 200, 'OK');
  await until(() => h.proxy.stats().retransmissionsAbsorbed > before, 1000);
  t.equal(h.proxy.stats().retransmissionsAbsorbed, before + 1, 'the callee\'s repeated 200 absorbed (Timer K)');
  t.ok(await uac.none((m) => m.headers['call-id'] === a.cid && m.headers.cseq?.method === 'BYE', 200), 'not relayed twice');
  t.ok(h.proxy.stats().sizes.tombstones > 0, 'finished transactions are still remembered');
  t.equal(h.proxy.stats().internalErrors, 0);
});

t.test('finished transactions do not count against maxTransactions: a steady call rate is not capped by 32 s of tombstones', async (t) => {
  // Each call leaves its INVITE's (Timer L) and its BYE's (Timer J) tombstone for 32 s. Counted as transactions,
  // they capped sustained load at maxTransactions / 64 s: 3,125 calls/s with the default 200,000.
  // maxTombstones of its own: the default, 4 × maxTransactions, would be 16 here.
  const { uac, uas, h } = await setup(t, { maxTransactions: 4, maxTombstones: 100, timers: { ...FAST, timerJ: 30_000, timerL: 30_000 } });
  for (let i = 0; i < 6; i++) {
    const { inv, cid, ok } = await answeredCall(uac, uas, h);
    const bye = inDialog(uac, 'BYE', inv, ok, 2);
    uac.send(bye, h.port);
    const atCallee = await uas.request('BYE', 3000, cid);
    uas.reply(atCallee, 200, 'OK');
    t.equal((await uac.response((s) => s >= 200, cid, 3000, 'BYE')).msg.status, 200, `call ${i + 1} and its BYE went through`);
    if (i === 0) {
      // A retransmitted BYE meets its tombstone: the kept 200 again, not a second BYE to the callee.
      uac.send(bye, h.port);
      t.equal((await uac.response((s) => s >= 200, cid, 3000, 'BYE')).msg.status, 200, 'retransmitted BYE answered from the tombstone');
    }
  }
  t.equal(h.proxy.stats().overload, 0, 'no 503');
  const sizes = h.proxy.stats().sizes;
  t.equal(sizes.serverTransactions, 0, 'no live transaction left');
  t.ok(sizes.tombstones >= 12, `each call's INVITE and BYE tombstones are still there (${sizes.tombstones})`);
  t.equal(uas.all.filter((r) => (r.msg as SipRequest).method === 'BYE').length, 6, 'the callee saw each BYE once');
});

t.test('tombstones are bounded: past maxTombstones the oldest are forgotten early, and calls go on', async (t) => {
  const { uac, uas, h } = await setup(t, { maxTombstones: 5, timers: { ...FAST, timerJ: 30_000, timerL: 30_000 } });
  for (let i = 0; i < 8; i++) {
    const { inv, cid, ok } = await answeredCall(uac, uas, h);
    const bye = inDialog(uac, 'BYE', inv, ok, 2);
    uac.send(bye, h.port);
    uas.reply(await uas.request('BYE', 3000, cid), 200, 'OK');
    await uac.response((s) => s >= 200, cid, 3000, 'BYE');
  }
  const st = h.proxy.stats();
  t.ok(st.tombsShed > 0, 'some were shed');
  t.ok(st.sizes.tombstones <= 5, `at most maxTombstones kept (${st.sizes.tombstones})`);
  t.equal(st.overload, 0);
  t.equal(h.proxy.stats().internalErrors, 0);
});

t.test('sourceHeader: the source is what the edge stamps, else the packet source', async (t) => {
  const { uac, uas, h } = await setup(t, { sourceHeader: 'X-Ringfence-Source' });
  const seen: (string | undefined)[] = [];
  const decide = h.screener.decide.bind(h.screener);
  h.screener.decide = (a) => {
    seen.push(a.source);
    return decide(a);
  };
  let missing = 0;
  h.screener.events.sourceHeaderMissing = () => void missing++;
  for (const stamp of ['trunk-grey', undefined, '   ']) {
    const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
    if (stamp !== undefined) inv.headers['x-ringfence-source'] = stamp;
    uac.send(inv, h.port);
    const got = await uas.request('INVITE', 3000, inv.headers['call-id']!);
    uas.reply(got, 486, 'Busy Here');
    const rs = (await uac.response((s) => s >= 200, inv.headers['call-id']!, 3000, 'INVITE')).msg as SipResponse;
    uac.send(ackNon2xx(inv, rs), h.port);
  }
  t.same(seen, ['trunk-grey', `127.0.0.1:${uac.port}`, `127.0.0.1:${uac.port}`], 'stamped; not stamped; stamped blank');
  t.equal(missing, 2, 'each INVITE without the header counted: scopes by trunk did not apply to it');
});
