/**
 * Hostile SIP against the standalone proxy (issue 5, "try to break it"):
 * real rules, engine, screener and proxy on 127.0.0.1, a SIP caller and
 * callee over UDP, and an attacker sending what no well-behaved peer sends.
 * After every assault a legitimate call still completes end to end, the
 * proxy has counted what it refused, every INVITE it could parse got an
 * answer, and once idle it holds no transactions, dialogs or timers.
 */
import t, { type Test } from 'tap';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../lib/engine/engine.js';
import { Screener } from '../../lib/ops/screener.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { sip, type SipRequest, type SipResponse } from '../../lib/sip/sip-types.js';
import { ackNon2xx, branch, inDialog, makeInvite, SDP, until } from '../helpers/sip-peer.js';
import { startSipEnv, type SipEnv } from '../helpers/sip-env.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { FD_RESERVE, openFileLimit, startStandalone } from '../../lib/sip/standalone.js';
import { FAST } from '../helpers/sip-rules.js';

/** Home CN; a home caller ID is rejected outright; fan-out keeps a caller window with distinct sets. */
const RULES = `
version: 1
home_country: CN
reject: { code: 608, reason: 'SIP;cause=608;text="Home-country caller ID"' }
hold: { duration: 0 }
signals:
  domestic-cli: { action: reject }
  fan-out: { window: 10m, distinct: 5, weight: 30 }
`;
const SPOOFED = '+861065529988'; // Beijing fixed line, arriving on international ingress
const CALLEE = '+8613800138000';

interface Env extends SipEnv {
  /** Kinds of bad message, as the screener's metrics hook got them. */
  badKinds: string[];
}

async function setup(t: Test): Promise<Env> {
  const engine = new Engine(await compileRulesText(RULES, { file: 'hostile-rules.yaml' }));
  const badKinds: string[] = [];
  const screener = new Screener(engine, { events: { badMessage: (k) => badKinds.push(k) } });
  return { ...(await startSipEnv(t, { screener, timers: FAST })), badKinds };
}

let callNo = 0;

/** A complete answered call: INVITE, 180, 200, ACK, BYE from the caller, 200. */
async function legitCall(t: Test, e: Env, after: string): Promise<void> {
  const { uac, uas, udpPort } = e;
  const inv = makeInvite(uac, { proxyPort: udpPort, caller: `+44207946${String(1000 + ++callNo)}`, callee: CALLEE });
  const cid = inv.headers['call-id']!;
  uac.send(inv, udpPort);
  const got = await uas.request('INVITE', 3000, cid);
  uas.reply(got, 180, 'Ringing');
  uas.reply(got, 200, 'OK', {}, SDP);
  const ok = (await uac.response(200, cid, 3000, 'INVITE')).msg as SipResponse;
  uac.send(inDialog(uac, 'ACK', inv, ok, 1), udpPort);
  await uas.request('ACK', 3000, cid);
  uac.send(inDialog(uac, 'BYE', inv, ok, 2), udpPort);
  const bye = await uas.request('BYE', 3000, cid);
  uas.reply(bye, 200, 'OK');
  await uac.response(200, cid, 3000, 'BYE');
  t.pass(`a legitimate call completes after ${after}`);
}

/** An INVITE as wire text (latin1), with its Call-ID. */
function inviteText(e: Env, o: Parameters<typeof makeInvite>[1] = { proxyPort: e.udpPort }): { text: string; cid: string; inv: SipRequest } {
  const inv = makeInvite(e.uac, { ...o, proxyPort: e.udpPort });
  return { text: sip.stringify(inv), cid: inv.headers['call-id']!, inv };
}

/** A response for a transaction nobody has: `vias` are the Via header values, top first. */
function strayResponse(vias: string[], opts: { cseq?: boolean } = {}): string {
  return [
    'SIP/2.0 200 OK',
    ...vias.map((v) => `Via: ${v}`),
    'From: <sip:+442079460000@127.0.0.1>;tag=a',
    'To: <sip:+8613800138000@127.0.0.1>;tag=b',
    `Call-ID: stray-${randomBytes(6).toString('hex')}`,
    ...(opts.cseq === false ? [] : ['CSeq: 1 INVITE']),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Proxy counters before an assault; `since()` gives what the assault added. */
function counter(e: Env): { bad(kind?: string): number; get(name: 'cancels' | 'statelessResponses' | 'internalErrors' | 'rejected'): number } {
  const s0 = e.proxy.stats();
  return {
    bad: (kind) => (kind === undefined ? e.proxy.stats().badMessages - s0.badMessages : (e.proxy.stats().bad[kind] ?? 0) - (s0.bad[kind] ?? 0)),
    get: (name) => e.proxy.stats()[name] - s0[name],
  };
}

/** Resolves when the server closes the connection; rejects after `ms`. */
function closed(sock: net.Socket, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sock.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error('the proxy kept the connection open')), ms);
    sock.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function tcpConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err)));
  });
}

t.test('hostile SIP: the proxy counts, answers or drops, and keeps serving', async (t) => {
  const e = await setup(t);
  const { uac, udpPort } = e;
  await legitCall(t, e, 'start-up');

  await t.test('truncated messages', async (t) => {
    const c = counter(e);
    const { text } = inviteText(e);
    const headEnd = text.indexOf('\r\n\r\n');
    // Cuts in the start line, inside headers, inside the blank line, right after it, and inside the body.
    const cuts = [1, 8, 30, 90, 150, headEnd - 3, headEnd, headEnd + 2, headEnd + 4, headEnd + 20, text.length - 1];
    const answered: string[] = [];
    for (const cut of cuts) {
      // Each cut from its own INVITE, so the 400s can be told apart.
      const m = inviteText(e);
      const at = cut >= headEnd + 4 ? m.text.indexOf('\r\n\r\n') + (cut - headEnd) : cut;
      uac.sendRaw(m.text.slice(0, at), udpPort);
      if (cut >= headEnd + 4) answered.push(m.cid);
    }
    // A whole head with a short body is parseable: it gets 400, and no call is screened or forwarded.
    for (const cid of answered) {
      const r = (await uac.response(400, cid)).msg as SipResponse;
      t.match(r.reason, /content-length/i, `400 names the problem for ${cid}`);
    }
    t.ok(await until(() => c.bad() === cuts.length), `every truncated message counted as bad (${c.bad()} of ${cuts.length})`);
    t.equal(c.bad('unparsable'), cuts.length - answered.length, 'heads cut short are unparsable');
    t.equal(c.bad('content-length'), answered.length, 'bodies cut short fail on Content-Length');
    await legitCall(t, e, 'truncated messages');
  });

  await t.test('absurd Content-Length', async (t) => {
    const c = counter(e);
    // Over the body, negative, and not 1*DIGIT at all (RFC 3261 §20.14): hex and exponent forms used to pass as numbers.
    const values = ['999999999', '-1', '-999999999', '18446744073709551616', '1e2', '0x10', 'abc', '', '12abc'];
    const cids: string[] = [];
    for (const v of values) {
      const m = inviteText(e);
      uac.sendRaw(m.text.replace(/^Content-Length: \d+$/im, `Content-Length: ${v}`), udpPort);
      cids.push(m.cid);
    }
    // Every one is an INVITE with a usable Via: each gets an answer, a 400, and nothing waits for a body that never comes.
    for (const cid of cids) await uac.response(400, cid);
    t.pass(`all ${values.length} INVITEs answered 400`);
    t.equal(c.bad(), values.length, 'all counted');
    t.equal(c.bad('content-length'), values.length, 'by kind');
    t.equal(e.uas.queue.length, 0, 'nothing reached the callee');
    await legitCall(t, e, 'absurd Content-Length');
  });

  await t.test('another SIP version, and CSeq numbers out of range', async (t) => {
    const c = counter(e);
    const v3 = inviteText(e);
    uac.sendRaw(v3.text.replace(/ SIP\/2\.0\r\n/, ' SIP/3.0\r\n'), udpPort);
    const r = await uac.response(505, v3.cid);
    t.match(sip.stringify(r.msg as SipResponse), /^SIP\/2\.0 505 /, 'answered 505 in our version, not proxied');
    t.equal(c.bad('sip-version'), 1);
    const cids: string[] = [];
    for (const n of ['-1', '2147483648', '99999999999', '1.5']) {
      const m = inviteText(e);
      uac.sendRaw(m.text.replace(/^CSeq: \d+ INVITE$/im, `CSeq: ${n} INVITE`), udpPort);
      cids.push(m.cid);
    }
    // The sip package reads 'CSeq: -1 INVITE' as 1 and '1.5 INVITE' as method '.5': the header is checked as written.
    for (const cid of cids) await uac.response(400, cid);
    t.pass('every one answered 400');
    t.equal(e.uas.queue.length, 0, 'nothing reached the callee');
    await legitCall(t, e, 'SIP/3.0 and bad CSeq numbers');
  });

  await t.test('a 64 KB header', async (t) => {
    const c = counter(e);
    // A 64,000-byte display name on a spoofed home caller ID: the biggest datagram UDP carries (65,507) with room for the rest.
    const big = 'A'.repeat(64_000);
    const m = inviteText(e, { proxyPort: udpPort, caller: SPOOFED, display: `"${big}"` });
    t.ok(Buffer.byteLength(m.text, 'latin1') > 64_000 && Buffer.byteLength(m.text, 'latin1') < 65_507, `datagram of ${m.text.length} bytes`);
    uac.sendRaw(m.text, udpPort);
    const r = (await uac.response((s) => s >= 200, m.cid, 3000)).msg as SipResponse;
    t.equal(r.status, 608, 'screened on the caller number and rejected like any other');
    uac.send(ackNon2xx(m.inv, r), udpPort);
    // And a 64 KB junk header on an ordinary call is forwarded, not choked on.
    const j = inviteText(e, { proxyPort: udpPort, caller: '+442079469999', headers: { 'x-junk': 'x'.repeat(64_000) } });
    uac.sendRaw(j.text, udpPort);
    const got = await e.uas.request('INVITE', 3000, j.cid);
    t.equal(String(got.msg.headers['x-junk']).length, 64_000, 'the callee got it whole');
    e.uas.reply(got, 486, 'Busy Here');
    const busy = (await uac.response(486, j.cid)).msg as SipResponse;
    uac.send(ackNon2xx(j.inv, busy), udpPort);
    t.equal(c.bad(), 0, 'big is not bad');
    t.equal(c.get('rejected'), 1);
    await legitCall(t, e, 'a 64 KB header');
  });

  await t.test('a display name the parser cannot read does not hide the caller ID', async (t) => {
    const c = counter(e);
    // The sip package reads a display name only as tokens or one quoted string: behind anything else it took the
    // junk for the URI and lost the tag, the caller was screened as '' and the call forwarded, From line as written,
    // to a next hop that read the spoofed number in the angle brackets. A decoy addr-spec chose the number screened.
    const queued = e.uas.queue.length;
    const hidden = ['a/b', 'bare,comma;semi', 'J\xf6hn (mobile)', 'sip:+442079461234@127.0.0.1'];
    for (const display of hidden) {
      const m = inviteText(e, { proxyPort: udpPort, caller: SPOOFED, display });
      uac.sendRaw(m.text, udpPort);
      const got = await uac.response((s) => s >= 200, m.cid);
      const r = got.msg as SipResponse;
      t.equal(r.status, 608, `${JSON.stringify(display)}: screened on the number in angle brackets, rejected`);
      // As received: the test's own parser garbles such a From the same way.
      t.match(got.raw, new RegExp(`^From: .*;tag=${m.inv.headers.from!.params.tag}\r$`, 'm'), 'the From tag is kept');
      uac.send(ackNon2xx(m.inv, r), udpPort);
    }
    // No URI with a scheme to be found outside quotes: nothing to screen, so nothing to forward.
    for (const display of ['"unterminated', '"a"b"', '<<>>']) {
      const m = inviteText(e, { proxyPort: udpPort, caller: SPOOFED, display });
      uac.sendRaw(m.text, udpPort);
      const r = (await uac.response(400, m.cid)).msg as SipResponse;
      t.match(r.reason, /bad-header:from/, `${display}: 400`);
    }
    t.equal(c.bad('bad-header:from'), 3, 'counted');
    // Two addresses in one From: the next hop may read the second, so neither is forwarded.
    for (const second of [', <sip:+8613171481181@10.1.1.1>', '\r\n <sip:+8613171481181@10.1.1.1>']) {
      const m = inviteText(e, { proxyPort: udpPort, caller: '+447911123456' });
      const text = m.text.replace(/^(From: [^\r]*?>)(;tag=)/m, `$1${second}$2`);
      t.not(text, m.text, 'the second address went in');
      uac.sendRaw(text, udpPort);
      const r = (await uac.response(400, m.cid)).msg as SipResponse;
      t.match(r.reason, /bad-header:from/, `${JSON.stringify(second)}: 400`);
    }
    // An addr-spec, a comma, then the name-addr screened: the first address is the one a next hop may read.
    const m2 = inviteText(e, { proxyPort: udpPort, caller: '+447911123456' });
    const text2 = m2.text.replace(/^From: [^\r]*?(<sip:[^>]*>)(;tag=)/m, 'From: sip:+8613171481181@10.1.1.1, $1$2');
    t.not(text2, m2.text);
    uac.sendRaw(text2, udpPort);
    t.match(((await uac.response(400, m2.cid)).msg as SipResponse).reason, /bad-header:from/, 'addr-spec, comma, name-addr: 400');
    t.equal(c.bad('bad-header:from'), 6, 'counted');
    t.equal(c.get('rejected'), hidden.length);
    t.equal(e.uas.queue.length, queued, 'nothing reached the callee');
    // A legitimate caller with such a name still gets through, and its dialog works (the tag was read).
    const inv = makeInvite(uac, { proxyPort: udpPort, caller: '+442079469876', callee: CALLEE, display: 'a/b' });
    const cid = inv.headers['call-id']!;
    uac.send(inv, udpPort);
    const got = await e.uas.request('INVITE', 3000, cid);
    t.match(got.raw, /^From: a\/b <sip:\+442079469876@127\.0\.0\.1>;tag=/m, 'forwarded with From as written');
    e.uas.reply(got, 200, 'OK', {}, SDP);
    const ok = (await uac.response(200, cid)).msg as SipResponse;
    uac.send(inDialog(uac, 'ACK', inv, ok, 1), udpPort);
    await e.uas.request('ACK', 3000, cid);
    uac.send(inDialog(uac, 'BYE', inv, ok, 2), udpPort);
    e.uas.reply(await e.uas.request('BYE', 3000, cid), 200, 'OK');
    await uac.response(200, cid, 3000, 'BYE');
    await legitCall(t, e, 'unreadable display names');
  });

  await t.test('binary junk and NUL bytes', async (t) => {
    const c = counter(e);
    const N = 300;
    for (let i = 0; i < N; i++) uac.sendRaw(randomBytes(1 + ((i * 97) % 1400)), udpPort);
    // Junk behind a valid start line, a datagram of NULs, a NUL inside the method.
    uac.sendRaw(Buffer.concat([Buffer.from(`INVITE sip:${CALLEE}@127.0.0.1 SIP/2.0\r\n`), randomBytes(600)]), udpPort);
    uac.sendRaw(Buffer.alloc(1000), udpPort);
    const nulMethod = inviteText(e);
    uac.sendRaw(nulMethod.text.replace('INVITE sip:', 'INV\0ITE sip:'), udpPort);
    const sent = N + 3;
    t.ok(await until(() => c.bad() === sent), `all ${sent} counted as bad (${c.bad()})`);
    // NULs inside a quoted display name are only bytes: the call is still screened on its number.
    const nul = inviteText(e, { proxyPort: udpPort, caller: SPOOFED, display: '"\0ev\0il\0"' });
    uac.sendRaw(nul.text, udpPort);
    const r = (await uac.response((s) => s >= 200, nul.cid)).msg as SipResponse;
    t.equal(r.status, 608, 'NUL-laden display name screened and rejected');
    uac.send(ackNon2xx(nul.inv, r), udpPort);
    t.equal(c.get('internalErrors'), 0, 'no internal errors');
    await legitCall(t, e, 'binary junk and NUL bytes');
  });

  await t.test('a message of only CRLFs', async (t) => {
    const c = counter(e);
    uac.sendRaw('\r\n'.repeat(700), udpPort);
    uac.sendRaw('\r\n\r\n', udpPort);
    t.ok(await until(() => c.bad() === 2), 'counted (UDP keep-alives are STUN, not CRLF)');
    t.equal(c.bad('unparsable'), 2);
    await legitCall(t, e, 'a message of only CRLFs');
  });

  await t.test('a torrent of 2,000 CANCELs for unknown calls', async (t) => {
    const idle = (): boolean => Object.values(e.proxy.stats().sizes).every((v) => v === 0);
    t.ok(await until(idle, 5000), 'idle before the torrent');
    const c = counter(e);
    const N = 2000;
    const before = uac.all.length;
    for (let i = 0; i < N; i++) {
      const { inv } = inviteText(e);
      const cancel: SipRequest = { ...ackNon2xx(inv, { headers: { to: inv.headers.to } } as SipResponse), method: 'CANCEL' };
      cancel.headers.cseq = { seq: 1, method: 'CANCEL' };
      uac.send(cancel, udpPort);
      // Let the event loop breathe every few hundred so the test's own socket buffers keep up.
      if (i % 250 === 249) await new Promise((r) => setImmediate(r));
    }
    const got481 = (): number => uac.all.slice(before).filter((r) => r.msg.status === 481 && r.msg.headers.cseq?.method === 'CANCEL').length;
    t.ok(await until(() => got481() === N, 15_000), `every CANCEL answered 481 (${got481()} of ${N})`);
    t.equal(c.get('cancels'), N, 'counted');
    t.equal(c.bad(), 0, 'a CANCEL for an unknown call is not malformed');
    const s = e.proxy.stats().sizes;
    t.same([s.serverTransactions, s.clientTransactions, s.dialogs], [0, 0, 0], 'answered statelessly: no state kept');
    t.equal(e.uas.queue.filter((r) => r.msg.method === 'CANCEL').length, 0, 'none forwarded');
    uac.queue.splice(0);
    await legitCall(t, e, '2,000 CANCELs');
  });

  await t.test('responses for unknown transactions', async (t) => {
    const c = counter(e);
    const N = 100;
    const ours = `SIP/2.0/UDP 127.0.0.1:${udpPort};branch=${branch()}`;
    const before = uac.all.length;
    for (let i = 0; i < N; i++) {
      uac.sendRaw(strayResponse([`SIP/2.0/UDP 10.9.9.9:5060;branch=${branch()}`]), udpPort); // not our Via
      uac.sendRaw(strayResponse([`SIP/2.0/UDP 127.0.0.1:${udpPort};branch=${branch()}`]), udpPort); // ours, nowhere to relay
      uac.sendRaw(strayResponse([ours, `SIP/2.0/UDP [2001:db8::1]:5060;branch=${branch()}`]), udpPort); // ours, next hop unusable
      uac.sendRaw(strayResponse([ours], { cseq: false }), udpPort); // mandatory header missing
    }
    // Our Via on top and a usable one below: relayed statelessly, as RFC 3261 §16.7 says for late 2xx retransmissions.
    const R = 20;
    for (let i = 0; i < R; i++) uac.sendRaw(strayResponse([ours, `SIP/2.0/UDP 127.0.0.1:${uac.port};branch=${branch()}`]), udpPort);
    t.ok(await until(() => c.bad() === 4 * N), `bad responses counted (${c.bad()} of ${4 * N})`);
    t.equal(c.bad('response-not-ours'), N);
    t.equal(c.bad('unmatched-response'), 2 * N);
    t.equal(c.bad('missing-header:cseq'), N);
    t.ok(await until(() => c.get('statelessResponses') === R), 'stray responses with a next hop relayed');
    t.ok(await until(() => uac.all.length - before === R), 'only those came back');
    uac.queue.splice(0);
    await legitCall(t, e, 'stray responses');
  });

  await t.test('TCP: a never-ending header line, a 70 KB header, absurd Content-Length', async (t) => {
    const c = counter(e);
    // Never-ending: keep writing one header line until the proxy hangs up (or 4 MB, which would be a failure).
    const bytesIn0 = e.proxy.stats().transport.bytesIn;
    const s = await tcpConnect(e.tcpPort);
    let isClosed = false;
    const done = closed(s, 10_000).then(() => {
      isClosed = true;
    });
    s.write(`INVITE sip:${CALLEE}@127.0.0.1 SIP/2.0\r\nX-Endless: `);
    let written = 0;
    const chunk = Buffer.alloc(8192, 'a');
    while (!isClosed && written < 4 * 1024 * 1024) {
      // One chunk per turn of the event loop, so the hang-up is seen as soon as it happens.
      await new Promise<void>((r) => s.write(chunk, () => r()));
      written += chunk.length;
    }
    await done;
    const read = e.proxy.stats().transport.bytesIn - bytesIn0;
    // The kernel may have accepted more of our writes; what counts is what the proxy read and held.
    t.ok(read <= 65_535 + 2 * 65_536, `the proxy read ${read} bytes, then hung up`);
    t.ok(await until(() => c.bad('oversize') === 1), 'counted as oversize');

    // A complete message whose header alone is over the 65,535-byte limit.
    const s2 = await tcpConnect(e.tcpPort);
    const d2 = closed(s2);
    s2.write(`INVITE sip:${CALLEE}@127.0.0.1 SIP/2.0\r\nX-Big: ${'b'.repeat(70_000)}\r\nContent-Length: 0\r\n\r\n`);
    await d2;
    t.ok(await until(() => c.bad('oversize') === 2), 'a 70 KB header: oversize, closed');

    // Content-Length that would need the proxy to buffer a gigabyte, and a negative one: refused at once, not waited for.
    for (const [v, kind, n] of [['999999999', 'oversize', 3], ['-5', 'content-length', 1], ['0x10', 'content-length', 2]] as const) {
      const sx = await tcpConnect(e.tcpPort);
      const dx = closed(sx);
      sx.write(inviteText(e).text.replace(/^Content-Length: \d+$/im, `Content-Length: ${v}`));
      await dx;
      t.ok(await until(() => c.bad(kind) === n), `Content-Length ${v}: ${kind}, closed`);
    }
    t.ok(await until(() => e.proxy.stats().sizes.tcpConnections === 0), 'no TCP connection left behind');
    await legitCall(t, e, 'TCP abuse');
  });

  await t.test('TCP: RFC 5626 keep-alives are answered, and a flood of them from a peer that never reads is not queued', async (t) => {
    const s = await tcpConnect(e.tcpPort);
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    // A ping split over two writes, then one in a single write after a whole message (and its trailing CRLF).
    s.write('\r\n');
    await new Promise((r) => setTimeout(r, 50));
    s.write('\r\n');
    t.ok(await until(() => got === '\r\n'), 'a double CRLF gets a single CRLF back');
    const m = inviteText(e, { proxyPort: udpPort, caller: SPOOFED });
    s.write(m.text.replace(/SIP\/2\.0\/UDP 127\.0\.0\.1:\d+/, `SIP/2.0/TCP 127.0.0.1:${s.localPort}`) + '\r\n');
    t.ok(await until(() => / 608 /.test(got)), 'a message between pings is handled as ever');
    const before = got.length;
    s.write('\r\n\r\n');
    t.ok(await until(() => got.length === before + 2), 'and the next ping is answered');
    s.destroy();
    // 32 MB of pings from a peer that does not read: the pongs waiting to be sent stay a few KB (unbounded, 424 MB of RSS).
    const f = await tcpConnect(e.tcpPort);
    f.pause();
    const rssBefore = process.memoryUsage().rss;
    const chunk = Buffer.from('\r\n\r\n'.repeat(16_384));
    for (let i = 0; i < 512 && !f.destroyed; i++) await new Promise<void>((r) => f.write(chunk, () => r()));
    await new Promise((r) => setTimeout(r, 200));
    const grown = process.memoryUsage().rss - rssBefore;
    t.ok(grown < 100 * 1024 * 1024, `memory grew ${(grown / 1048576).toFixed(1)} MB for 16 MB of unread pongs asked`);
    f.destroy();
    await legitCall(t, e, 'CRLF keep-alives');
  });

  await t.test('TCP: a peer that sends requests and never reads the answers is cut off, not queued for', async (t) => {
    // OPTIONS to the proxy itself are answered by it: pipelined without reading, their answers queued in
    // Node's write buffer without bound (150 MB of requests grew the proxy by 400 MB).
    const s = await tcpConnect(e.tcpPort);
    s.pause();
    const done = closed(s, 30_000);
    let n = 0;
    let sent = 0;
    const one = (): string => `OPTIONS sip:127.0.0.1:${e.tcpPort} SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:${s.localPort};branch=${branch()}\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1:${e.tcpPort}>\r\nCall-ID: noread-${++n}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
    while (!s.destroyed && sent < 200 * 1024 * 1024) {
      let b = '';
      for (let k = 0; k < 200; k++) b += one();
      sent += b.length;
      // Until the proxy hangs up: its reading stops when its writes back up, so wait for drain or close.
      if (!s.write(b)) await Promise.race([new Promise((r) => s.once('drain', r)), done]);
    }
    await done;
    t.ok(sent < 200 * 1024 * 1024, `closed after ${(sent / 1048576).toFixed(1)} MB of requests`);
    t.ok(e.proxy.stats().transport.tcpStalled >= 1, 'counted as stalled');
    await legitCall(t, e, 'a peer that never reads');
  });

  await t.test('idle again: no state left behind', async (t) => {
    const idle = (): boolean => {
      const z = e.proxy.stats().sizes;
      return z.serverTransactions === 0 && z.clientTransactions === 0 && z.tombstones === 0 && z.dialogs === 0 && z.timers === 0 && z.tcpConnections === 0 && z.heldBytes === 0;
    };
    t.ok(await until(idle, 8000), `maps empty when idle: ${JSON.stringify(e.proxy.stats().sizes)}`);
    const s = e.proxy.stats();
    t.equal(s.internalErrors, 0, 'no internal errors in the whole run');
    t.equal(s.badMessages, Object.values(s.bad).reduce((a, b) => a + b, 0), 'bad messages add up by kind');
    t.equal(e.badKinds.length, s.badMessages, 'and each went to the metrics hook');
  });
});

t.test('a TCP cap above the open-files limit is lowered to fit it, so silent connections make way before descriptors run out', async (t) => {
  // With 2,048 descriptors and the default cap of 10,000, 2,100 connections that sent nothing took them all:
  // the cap (where a silent connection is evicted for a new one) was never reached, every TCP peer after
  // them was accepted and dropped at once (EMFILE), and the periodic snapshot failed. The limit is given
  // here (this process's own is far higher); serve reads it from /proc/self/limits.
  t.equal(openFileLimit('Max cpu time   unlimited   unlimited   seconds\nMax open files            2048                 4096                 files     \n'), 2048, 'the soft limit is read');
  t.equal(openFileLimit('Max open files            unlimited            unlimited            files\n'), undefined);
  const log = captureLog('warn');
  const limit = FD_RESERVE + 40;
  const engine = new Engine(await compileRulesText(RULES, { file: 'hostile-rules.yaml' }));
  const e: Env = { ...(await startSipEnv(t, { screener: new Screener(engine), timers: FAST, fdLimit: limit, logger: log.logger })), badKinds: [] };
  const warn = log.find(/TCP connections asked for/)[0];
  t.match(warn, { max_tcp_connections: 10_000, open_files_limit: limit, capped_at: 40 }, 'capped, and said so');
  const silent: net.Socket[] = [];
  t.teardown(() => silent.forEach((s) => s.destroy()));
  for (let i = 0; i < 60; i++) silent.push(await tcpConnect(e.tcpPort));
  t.ok(await until(() => e.proxy.stats().transport.tcpEvicted >= 20), `silent connections evicted at the cap (${e.proxy.stats().transport.tcpEvicted})`);
  // A peer that speaks still gets in and is answered.
  const s = await tcpConnect(e.tcpPort);
  let got = '';
  s.on('data', (d: Buffer) => (got += d.toString('latin1')));
  const m = inviteText(e, { proxyPort: e.udpPort, caller: SPOOFED });
  s.write(m.text.replace(/SIP\/2\.0\/UDP 127\.0\.0\.1:\d+/, `SIP/2.0/TCP 127.0.0.1:${s.localPort}`));
  t.ok(await until(() => / 608 /.test(got), 3000), 'a TCP caller after them is screened and answered');
  t.ok(e.proxy.stats().sizes.tcpConnections <= 40, `open connections stay within the cap (${e.proxy.stats().sizes.tcpConnections})`);
  s.destroy();
});

t.test('a UDP-only proxy under a low open-files limit does not warn about a TCP cap it does not use', async (t) => {
  const log = captureLog('warn');
  const engine = new Engine(await compileRulesText(RULES, { file: 'hostile-rules.yaml' }));
  const p = await startStandalone({ listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }], nextHop: 'sip:127.0.0.1:9', screener: new Screener(engine), fdLimit: FD_RESERVE + 40, logger: log.logger });
  t.teardown(() => p.close());
  t.same(log.find(/TCP connections asked for/), [], 'no warning');
});
