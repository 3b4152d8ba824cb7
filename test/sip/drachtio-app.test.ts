/**
 * Application mode through drachtio-srf's real TCP client (WireProtocol,
 * DrachtioAgent) against a fake drachtio-server that speaks the same framing
 * and messages: connect and authenticate, route registration, screening on
 * the wire, reconnecting after a server restart, and clean shutdown. Every
 * test must leave no socket or timer behind, or this file would not exit.
 */
import t, { type Test } from 'tap';
import { startDrachtioApp, type DrachtioApp } from '../../lib/sip/drachtio-app.js';
import { CALLERS, callerCount, testScreener } from '../helpers/drachtio-rules.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { FakeDrachtioServer } from '../helpers/drachtio-fake-server.js';
import { byeText, inviteText, responseText } from '../helpers/drachtio-wire.js';
import { proxyMessageBytes } from '../../lib/sip/drachtio-attempt.js';
import { MAX_APP_MESSAGE_BYTES } from '../../lib/sip/drachtio-types.js';

const NEXT_HOP = 'sip:127.0.0.1:5090';

/** Poll until f() holds (real sockets: no fixed sleeps). */
async function until(what: string, f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const from = (n: string, name = 'Caller'): string => `"${name}" <sip:${n}@carrier.example>;tag=f1`;

async function start(fake: FakeDrachtioServer, extra: { secret?: string; connectTimeoutMs?: number; pingIntervalMs?: number } = {}) {
  const log = captureLog();
  const probe = await testScreener();
  const app = await startDrachtioApp({
    host: '127.0.0.1',
    port: fake.port,
    secret: extra.secret ?? fake.secret,
    nextHop: NEXT_HOP,
    screener: probe.screener,
    logger: log.logger,
    retryMaxDelayMs: 100,
    connectTimeoutMs: extra.connectTimeoutMs ?? 5000,
    ...(extra.pingIntervalMs === undefined ? {} : { pingIntervalMs: extra.pingIntervalMs }),
  });
  return { app, log, probe };
}

/** A fake drachtio-server and an app connected to it, both closed when the test ends. */
async function connected(t: Test, extra: Parameters<typeof start>[1] = {}) {
  const fake = new FakeDrachtioServer();
  await fake.listen();
  const started = await start(fake, extra);
  t.teardown(async () => {
    await started.app.close();
    await fake.stop();
  });
  return { fake, ...started };
}

/** A call from the caller the test rules reject gets its 608: the app is screening. */
async function screensReject(t: Test, fake: FakeDrachtioServer, callId: string, message: string): Promise<void> {
  const since = fake.received.length;
  fake.sendInvite(inviteText({ callId, from: from(CALLERS.reject608) }));
  const resp = await fake.next('sip', since);
  t.match(resp.body, /^SIP\/2\.0 608 /, message);
}

t.test('connects, registers its routes, rejects and proxies on the wire', async (t) => {
  const { fake, app, log, probe } = await connected(t);
  t.ok(app.connected);
  t.equal(app.hostport, 'udp/127.0.0.1:5060');
  t.ok(log.find(/^connected to drachtio-server$/).length === 1);
  const auth = fake.received.find((m) => m.verb === 'authenticate');
  t.equal(auth?.leader[1], 'cymru', 'shared secret sent');
  // Routes go out once, at authentication, because the app subscribes before connecting.
  await until('3 routes', () => fake.received.filter((m) => m.verb === 'route').length >= 3);
  t.same(fake.received.filter((m) => m.verb === 'route').map((m) => m.leader[1]).sort(), ['cdr:start', 'cdr:stop', 'invite']);

  const since = fake.received.length;
  const txn = fake.sendInvite(inviteText({ callId: 'app-r', from: from(CALLERS.reject608) }));
  const resp = await fake.next('sip', since);
  t.equal(resp.leader[1], txn, 'answers on the INVITE transaction');
  t.match(resp.body, /^SIP\/2\.0 608 Rejected\r\n/);

  const since2 = fake.received.length;
  const txn2 = fake.sendInvite(inviteText({ callId: 'app-t', from: from(CALLERS.tag, 'Bob') }));
  const px = await fake.next('proxy', since2);
  t.same(px.leader.slice(0, 8), ['proxy', txn2, 'remainInDialog', 'fullResponse', '', 'serial', '', ''], 'proxy command as DrachtioAgent#proxy writes it');
  t.equal(px.leader[8], 'sip:+442079460123@127.0.0.1:5090', 'next hop, carrying the called number');
  t.match(px.body, /^INVITE sip:\+442079460123@127\.0\.0\.1:5090 SIP\/2\.0\r\n/);
  t.match(px.body, /X-Ringfence-Score: 50\r\n/);
  t.match(px.body, /from: "\[SPAM\?\] Bob" <sip:\+4915112345678@carrier\.example>;tag=f1\r\n/);

  // 'done' and the BYE's cdr:stop written back to back usually land in one socket read, so the
  // agent sees the hang-up before the proxy Promise settles: the answer must still come first.
  fake.finishProxy(px.msgId, responseText(200, 'OK', 'app-t'));
  fake.cdr('stop', 'network', 'normal-release', byeText('app-t'));
  await until('two outcomes', () => probe.outcomes.length >= 2);
  t.same(probe.outcomes.map(({ o }) => (o.status ?? (o.endedAt !== undefined ? 'ended' : '?'))), [200, 'ended']);
  t.equal(callerCount(probe.screener, CALLERS.tag, 'short', Date.now()), 1, 'a short call recorded from the CDR');
});

t.test('reconnects when drachtio-server restarts, and re-registers its routes', async (t) => {
  const { fake, app, log } = await connected(t);
  await fake.stop();
  await log.waitFor(/^lost connection to drachtio-server/);
  t.notOk(app.connected);
  const retry = await log.waitFor(/^reconnecting to drachtio-server$/);
  t.match(retry, { attempt: Number, delay_ms: Number }, 'the wait in delay_ms (snake_case, like every log key)');
  const since = fake.received.length;
  await fake.listen();
  const auth = await fake.next('authenticate', since);
  t.ok(auth, 'authenticated again on the new connection');
  const back = await log.waitFor(/^reconnected to drachtio-server$/);
  t.match(back, { down_ms: Number });
  t.ok(app.connected);
  const routesOn = () => fake.received.slice(since).filter((m) => m.verb === 'route' && m.socket === auth.socket);
  await until('routes on the new socket', () => routesOn().length >= 3);
  const routes = routesOn().map((m) => m.leader[1]).sort();
  t.same(routes, ['cdr:start', 'cdr:stop', 'invite'], 'routes re-sent by drachtio-srf on the new socket');

  await screensReject(t, fake, 'after', 'screening resumed');
});

t.test('drachtio-server\'s host vanishing without a FIN: pings find out and the app reconnects', async (t) => {
  // Without pings drachtio-srf writes nothing while no INVITE comes, so a drachtio-server that
  // rebooted or failed over (no FIN reached us) stays "connected" for the OS keepalive time (2 h)
  // while the new server answers every INVITE 503 for lack of an app.
  const { fake, app, log } = await connected(t, { pingIntervalMs: 1000 }); // clamped to drachtio-srf's 5 s minimum
  fake.forgetConnections();
  // Nothing but a ping is written to the forgotten connection; its RST is what gives it away.
  await log.waitFor(/^lost connection to drachtio-server/, 7000);
  const back = await log.waitFor(/^reconnected to drachtio-server$/, 5000);
  t.ok(back && app.connected, 'reconnected to the (new) drachtio-server');
  await screensReject(t, fake, 'after-reboot', 'screening again');
});

t.test('a connection drachtio-server stopped reading: unanswered pings find out and the app reconnects', async (t) => {
  // No FIN, no RST: the socket stays up, INVITEs keep coming and nothing Ringfence writes is read.
  const { fake, app, log } = await connected(t, { pingIntervalMs: 5000 });
  await screensReject(t, fake, 'before-stall', 'screening');
  fake.stallReads();
  const dropped = await log.waitFor(/^drachtio-server answers no pings on this connection/, 25_000);
  t.ok(dropped, 'noticed');
  t.ok((dropped as { unanswered_pings?: number }).unanswered_pings! >= 2, 'after two unanswered pings');
  const back = await log.waitFor(/^reconnected to drachtio-server$/, 8000);
  t.ok(back && app.connected, 'reconnected');
  await screensReject(t, fake, 'after-stall', 'screening again');
});

t.test('an INVITE too large to echo never makes Ringfence write a message drachtio-server would drop it for', async (t) => {
  // drachtio-server reads at most five digits of a message length (client.cpp readMessageLength) and
  // drops the app on a sixth; drachtio-srf copies the INVITE's From into a response, and the middleware
  // copies it into the proxy command when it prefixes the display name. The fake drops the app likewise.
  const { fake, app, log } = await connected(t);
  let dropped = 0;
  fake.on('dropped', () => dropped++);
  const huge = 'x'.repeat(120_000);

  const since = fake.received.length;
  fake.sendInvite(inviteText({ callId: 'big-reject', from: from(CALLERS.reject608, huge) }));
  await log.waitFor(/too large to copy/);
  const rej = await fake.next('sip', since);
  t.match(rej.body, /^SIP\/2\.0 608 /, 'rejected');
  t.notMatch(rej.body, /^from:/im, 'without the From, which drachtio-server adds from the INVITE');
  t.ok(rej.body.length < 4000, 'a message drachtio-server reads');
  fake.sendInvite(inviteText({ callId: 'big-tag', from: from(CALLERS.tag, huge) }));
  const px = await fake.next('proxy', since);
  t.match(px.body, /X-Ringfence-Score: 50\r\n/, 'tagged');
  t.notMatch(px.body, /^from:/im, 'From left alone rather than copied into the proxy command');
  t.equal(dropped, 0, 'drachtio-server kept the connection');
  t.ok(app.connected);

  await screensReject(t, fake, 'small', 'other calls still screened');
});

t.test('an INVITE larger than drachtio-server\'s 12 kB read buffer never stalls the connection', async (t) => {
  // drachtio-server reads an app's messages into a fixed 12,228-byte buffer (client.cpp): a longer
  // message never completes, and nothing written after it is read. The connection stays up, so
  // only the calls that follow show it: they hang. Up to session 14 Ringfence wrote any message
  // under 100 kB, so a 13 kB From stalled every later call; the fake stalls ('wedged') likewise.
  const { fake, app, log } = await connected(t);
  let wedged = 0;
  fake.on('wedged', () => wedged++);
  const big = 'y'.repeat(13_000);

  const since = fake.received.length;
  fake.sendInvite(inviteText({ callId: 'mid-reject', from: from(CALLERS.reject608, big) }));
  await log.waitFor(/too large to copy/);
  t.match((await fake.next('sip', since)).body, /^SIP\/2\.0 608 /, 'rejected, From left to drachtio-server');
  fake.sendInvite(inviteText({ callId: 'mid-tag', from: from(CALLERS.tag, big) }));
  const px = await fake.next('proxy', since);
  t.match(px.body, /X-Ringfence-Score: 50\r\n/, 'tagged');
  t.notMatch(px.body, /^from:/im, 'From not rewritten: too large to copy into the proxy command');
  t.equal(wedged, 0, 'drachtio-server still reads the connection');
  t.ok(app.connected);
  await screensReject(t, fake, 'after-mid', 'later calls still answered');
});

t.test('proxyMessageBytes is an upper bound of the proxy command drachtio-srf writes', async (t) => {
  const { fake } = await connected(t);
  const since = fake.received.length;
  const name = 'N'.repeat(900);
  fake.sendInvite(inviteText({ callId: 'size-tag', ruri: `sip:${'8'.repeat(200)}@ringfence.example`, from: from(CALLERS.tag, name) }));
  const px = await fake.next('proxy', since);
  const written = Buffer.byteLength(`${px.msgId}|${px.leader.join('|')}\r\n${px.body}`);
  const dest = px.leader.slice(8);
  const headers: Record<string, string> = {};
  for (const line of px.body.split('\r\n').slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c)] = line.slice(c + 1).trim();
  }
  t.match(px.body, /^From: .*N{900}/im, 'the prefixed From is in the command');
  t.ok(proxyMessageBytes(dest, headers) >= written, `estimate ${proxyMessageBytes(dest, headers)} >= ${written} bytes written`);
  t.ok(written < MAX_APP_MESSAGE_BYTES, 'and within what drachtio-server reads reliably');
});

t.test('drachtio-server going away mid-call: nothing throws, the call waits for its outcome until it ages out', async (t) => {
  // drachtio-server keeps proxying a call whose app disconnected (the proxy core owns the
  // transactions); the app only loses the result and CDRs, which drachtio-srf dropped with the
  // socket's pending requests (DrachtioAgent#_onClose deletes the socket's entry).
  const { fake, app, log } = await connected(t);
  const since = fake.received.length;
  fake.sendInvite(inviteText({ callId: 'mid-call', from: from(CALLERS.forward) }));
  await fake.next('proxy', since);
  t.equal(app.middleware.pendingCount(), 1);
  await fake.stop();
  await log.waitFor(/^lost connection to drachtio-server/);
  await fake.listen();
  await log.waitFor(/^reconnected to drachtio-server$/);
  t.equal(app.middleware.pendingCount(), 1, 'still waiting (bounded by stats.pending_ttl)');
  await screensReject(t, fake, 'after-drop', 'screened');
  t.equal(log.find(/error/i).length, 0, 'nothing logged as an error');
});

t.test('a Request-URI user part too large to carry never makes the proxy command one drachtio-server drops Ringfence for', async (t) => {
  // proxyDestination copies the Request-URI's user part into the destination, which DrachtioAgent#proxy
  // writes twice (leader and request line): a 60 kB user part (TCP/TLS ingress) made a 120 kB message.
  const { fake, app } = await connected(t);
  let dropped = 0;
  fake.on('dropped', () => dropped++);
  const since = fake.received.length;
  fake.sendInvite(inviteText({ callId: 'big-ruri', ruri: `sip:${'1'.repeat(60_000)}@ringfence.example`, from: from(CALLERS.forward) }));
  const px = await fake.next('proxy', since);
  t.equal(px.leader[8], 'sip:127.0.0.1:5090', 'forwarded, without the oversized user part');
  t.equal(dropped, 0, 'drachtio-server kept the connection');
  t.ok(app.connected);

  await screensReject(t, fake, 'small-after-ruri', 'other calls still screened');
});

t.test('a wrong secret fails start-up and leaves nothing running', async (t) => {
  const fake = new FakeDrachtioServer();
  await fake.listen();
  t.teardown(() => fake.stop());
  await t.rejects(start(fake, { secret: 'wrong' }), /refused authentication/);
  const auths = fake.received.filter((m) => m.verb === 'authenticate').length;
  await new Promise((r) => setTimeout(r, 400));
  t.equal(fake.received.filter((m) => m.verb === 'authenticate').length, auths, 'no retries after giving up');
});

t.test('no drachtio-server: start-up times out and stops retrying', async (t) => {
  const fake = new FakeDrachtioServer();
  await fake.listen();
  await fake.stop(); // a port that was free a moment ago
  await t.rejects(start(fake, { connectTimeoutMs: 400 }), /no connection to drachtio-server/);
  await fake.listen();
  t.teardown(() => fake.stop());
  await new Promise((r) => setTimeout(r, 400));
  t.equal(fake.received.length, 0, 'gave up: nothing connects later');
});

t.test('close() while reconnecting stops the retries', async (t) => {
  const fake = new FakeDrachtioServer();
  await fake.listen();
  const { app, log } = await start(fake);
  await fake.stop();
  await log.waitFor(/^reconnecting to drachtio-server$/);
  await app.close();
  const n = fake.received.length;
  await fake.listen();
  t.teardown(() => fake.stop());
  await new Promise((r) => setTimeout(r, 400));
  t.equal(fake.received.length, n, 'no reconnection after close');
  t.notOk((app as DrachtioApp).connected);
});
