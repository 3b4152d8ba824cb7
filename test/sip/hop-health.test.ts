/**
 * Next-hop health: a dead next hop must not cost every caller 32 s of dead
 * air while the edge's health checks still see Ringfence as fine. The
 * breaker on its own with injected times, then the proxy with real UDP and
 * TCP peers on 127.0.0.1.
 */
import t from 'tap';
import net, { createServer } from 'node:net';
import { sip, type SipRequest, type SipResponse } from '../../lib/sip/sip-types.js';
import { HopHealth } from '../../lib/sip/proxy/hop-health.js';
import { StreamFramer } from '../../lib/sip/transport.js';
import { ackNon2xx, cancelOf, makeInvite, ringingCall, sleep, UdpPeer, until } from '../helpers/sip-peer.js';
import { FAST, handRules, harnessWithPeers, startHarness } from '../helpers/sip-rules.js';

const FOREIGN = '+12025550100';

t.test('HopHealth: down after a silence with a request waiting, up with any response, one probe per interval', async (t) => {
  const h = new HopHealth({ downAfterMs: 1000, probeMs: 500 });
  t.ok(h.up(0), 'up at start');
  t.ok(h.up(10_000), 'a quiet hop with nothing sent to it is not down');
  h.sent(10_000);
  t.ok(h.up(10_999), 'waiting less than downAfter');
  t.notOk(h.up(11_000), 'down after downAfter of silence');
  t.equal(h.changed(11_000), false, 'the change is reported once');
  t.equal(h.changed(11_100), undefined);
  h.sent(11_200);
  t.notOk(h.up(11_200), 'a later request does not restart the silence');
  t.ok(h.probe(11_300), 'the first call while down tries the hop');
  t.notOk(h.probe(11_700), 'not the next one within probeMs');
  t.ok(h.probe(11_800), 'and one again after probeMs');
  h.heard(12_000);
  t.ok(h.up(12_000), 'any response brings it back');
  t.equal(h.changed(12_000), true);
  h.failed(12_500);
  t.notOk(h.up(12_500), 'a refused connection is down at once');
  h.heard(12_600);
  t.ok(h.up(12_600));
});

t.test('a silent UDP next hop: after downAfter new calls get 503 at once, /readyz-style hopUp and OPTIONS to us say so; its answer to a ping brings it back', async (t) => {
  const { uac, uas, h } = await harnessWithPeers(t, { hopHealth: { pingMs: 300, downAfterMs: 600 } });
  const call = (): { inv: SipRequest; cid: string } => {
    const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
    uac.send(inv, h.port);
    return { inv, cid: inv.headers['call-id']! };
  };
  // The first call reaches the callee, which stays silent (so does everything after it).
  const first = call();
  await uas.request('INVITE', 3000, first.cid);
  t.ok(h.proxy.hopUp(), 'up while the silence is shorter than downAfter');
  t.ok(await until(() => !h.proxy.hopUp(), 3000), 'down once the hop has said nothing for downAfter');
  // The first call while down tries the hop; the next one within pingMs is answered at once.
  const probe = call();
  await uas.request('INVITE', 3000, probe.cid);
  const third = call();
  const t0 = Date.now();
  const res = (await uac.response((s) => s >= 200, third.cid, 2000, 'INVITE')).msg as SipResponse;
  t.equal(res.status, 503, '503, so the edge fails the call over');
  t.equal(res.headers['retry-after'], '5');
  t.ok(Date.now() - t0 < 1000, 'at once, not after Timer B');
  t.ok(await uas.none((m) => m.method === 'INVITE' && m.headers['call-id'] === third.cid, 200), 'the dead hop was not sent it');
  t.equal(h.proxy.stats().hopDown, 1);
  // No one rang: the engine takes the call back rather than count a failed call against its caller.
  t.equal(h.engine.counters.withdrawn, 1, 'the 503\'d call is withdrawn from the engine');
  const callers = h.engine.tables.caller;
  t.equal(callers.count(callers.peek(FOREIGN), 'failed', 3_600_000, Date.now()), 0, 'no failed call counted');
  t.equal(callers.count(callers.peek(FOREIGN), 'attempts', 3_600_000, Date.now()), 2, 'the two calls the hop was sent remain attempts');
  // The edge's keep-alive to us.
  const opt = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  opt.method = 'OPTIONS';
  opt.uri = `sip:127.0.0.1:${h.port}`;
  opt.headers.cseq = { seq: 1, method: 'OPTIONS' };
  uac.send(opt, h.port);
  t.equal(((await uac.response((s) => s >= 200, opt.headers['call-id']!, 2000)).msg as SipResponse).status, 503, 'OPTIONS to us: 503 while the hop is down');
  // The hop comes back: it answers our next ping.
  const ping = await uas.request('OPTIONS', 3000);
  t.match(String((ping.msg as SipRequest).uri), `127.0.0.1:${uas.port}`, 'the ping goes to the next hop');
  uas.reply(ping, 200, 'OK');
  t.ok(await until(() => h.proxy.hopUp(), 2000), 'up again with its answer');
  const fourth = call();
  await uas.request('INVITE', 3000, fourth.cid);
  t.pass('calls are forwarded again');
});

t.test('a TCP next hop that refuses the connection: the call gets 503 at once (RFC 3261 §16.9), not 408 after Timer B', async (t) => {
  // A port nobody listens on: bound and closed.
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const uac = await UdpPeer.open('caller');
  const h = await startHarness(port, handRules(), { nextHop: `sip:127.0.0.1:${port};transport=tcp`, hopHealth: { pingMs: 5000, downAfterMs: 10_000 } });
  t.teardown(async () => {
    await h.proxy.close();
    await uac.close();
  });
  const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  const t0 = Date.now();
  uac.send(inv, h.port);
  const res = (await uac.response((s) => s >= 200, inv.headers['call-id']!, 5000, 'INVITE')).msg as SipResponse;
  t.equal(res.status, 503);
  t.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
  t.notOk(h.proxy.hopUp(), 'and the hop counts as down');
  t.equal(h.proxy.stats().unreachable, 1);
});

t.test('a hop marked down by a refused connection with nothing waiting (a CANCEL\'s dial) is pinged until it is back', async (t) => {
  // The TCP next hop answers call 1, sees call 2, answers call 1 again (heard after the last send), then restarts:
  // the caller's CANCEL for call 1 dials it and is refused. No request is waiting, so no silence is measured.
  const conns: net.Socket[] = [];
  const got: { msg: SipRequest; c: net.Socket }[] = [];
  const srv = net.createServer((c) => {
    conns.push(c);
    const f = new StreamFramer(65535);
    c.on('data', (b) => f.push(b, (m) => {
      const msg = sip.parse(m.toString('latin1')) as SipRequest;
      if (!msg) return;
      got.push({ msg, c });
      if (msg.method === 'OPTIONS') c.write(sip.stringify(sip.makeResponse(msg, 200, 'OK')));
    }));
    c.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const reply = (x: { msg: SipRequest; c: net.Socket }, status: number, reason: string): void => {
    const rs = sip.makeResponse(x.msg, status, reason);
    rs.headers.to = { ...x.msg.headers.to!, params: { tag: 'hoptag' } };
    x.c.write(sip.stringify(rs));
  };
  const of = (cid: string) => (x: { msg: SipRequest }) => x.msg.headers['call-id'] === cid;
  const uac = await UdpPeer.open('caller');
  const h = await startHarness(port, handRules(), { timers: FAST, nextHop: `sip:127.0.0.1:${port};transport=tcp`, hopHealth: { pingMs: 300, downAfterMs: 5000 } });
  t.teardown(async () => {
    await h.proxy.close();
    await uac.close();
    srv.close();
  });
  const inv1 = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  uac.send(inv1, h.port);
  await until(() => got.some(of(inv1.headers['call-id']!)));
  reply(got.find(of(inv1.headers['call-id']!))!, 180, 'Ringing');
  await uac.response(180, inv1.headers['call-id']);
  const inv2 = makeInvite(uac, { proxyPort: h.port, caller: '+12025550111' });
  uac.send(inv2, h.port);
  await until(() => got.some(of(inv2.headers['call-id']!)));
  reply(got.find(of(inv1.headers['call-id']!))!, 183, 'Session Progress');
  await uac.response(183, inv1.headers['call-id']);
  await new Promise<void>((r) => {
    srv.close(() => r());
    for (const c of conns) c.destroy();
  });
  await sleep(100);
  uac.send(cancelOf(inv1), h.port);
  await uac.response((s) => s >= 200, inv2.headers['call-id'], 3000, 'INVITE');
  t.notOk(h.proxy.hopUp(), 'down');
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  t.ok(await until(() => h.proxy.hopUp(), 3000), 'up again once the hop is back: pinged while down');
  t.ok(h.proxy.stats().hopPings > 0);
});

t.test('a 503 to our ping is no sign of life (a hop in maintenance); pings do not keep a draining proxy busy', async (t) => {
  const { uac, uas, h } = await harnessWithPeers(t, { timers: { ...FAST, timerB: 600 }, hopHealth: { pingMs: 200, downAfterMs: 400 } });
  const inv = makeInvite(uac, { proxyPort: h.port, caller: FOREIGN });
  uac.send(inv, h.port);
  await uas.request('INVITE', 3000, inv.headers['call-id']!);
  const ping = await uas.request('OPTIONS', 3000);
  uas.reply(ping, 503, 'Service Unavailable');
  t.ok(await until(() => !h.proxy.hopUp(), 2000), 'down despite the 503 to the ping');
  const res = (await uac.response((s) => s >= 200, inv.headers['call-id']!, 3000, 'INVITE')).msg as SipResponse;
  t.equal(res.status, 408, 'the silent call ends on Timer B');
  uac.send(ackNon2xx(inv, res), h.port);
  await sleep(300);
  h.proxy.drain();
  t.ok(await until(() => h.proxy.idle(), 2000), 'idle once the call is over: our own pings are no call in flight');
});

t.test('shutdown: a call its caller already cancelled ends 487, not 503 (nothing to fail over)', async (t) => {
  const { uac, uas, h } = await harnessWithPeers(t);
  const { inv, cid } = await ringingCall(uac, uas, h.port, { caller: FOREIGN });
  uac.send(cancelOf(inv), h.port);
  await uac.response(200, cid, 2000, 'CANCEL');
  await uas.request('CANCEL', 2000, cid); // the callee is slow to answer 487
  h.proxy.drain();
  t.equal(h.proxy.abortInFlight(), 1);
  const res = (await uac.response((s) => s >= 300, cid, 2000, 'INVITE')).msg as SipResponse;
  t.equal(res.status, 487);
});
