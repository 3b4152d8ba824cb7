/**
 * Structured fuzzing of the standalone proxy (test/helpers/sip-fuzz.ts for
 * the mutations, test/helpers/fuzz-storm.ts for the storm and its checks),
 * and one regression test per defect the fuzzer found.
 *
 * The storm: fixed seeds, a few thousand mutated messages of a real call
 * flow over UDP and TCP against an in-process proxy with a callee behind
 * it. It fails when the proxy throws, answers an ACK or a response,
 * forwards or relays a message that does not decode, forwards an initial
 * INVITE unscreened, keeps state once idle, or stops serving calls.
 */
import t, { type Test } from 'tap';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { decode, encode, StreamFramer } from '../../lib/sip/transport.js';
import { sip, type SipRequest, type SipResponse } from '../../lib/sip/sip-types.js';
import { startStandalone } from '../../lib/sip/standalone.js';
import { Screener } from '../../lib/ops/screener.js';
import { Engine } from '../../lib/engine/engine.js';
import { ackNon2xx, branch, makeInvite, UdpPeer, until } from '../helpers/sip-peer.js';
import { FAST, handRules } from '../helpers/sip-rules.js';
import { runStorm } from '../helpers/fuzz-storm.js';
import { FUZZ_ROUTE_KEY, ourRoute } from '../helpers/sip-fuzz.js';
import { startSipEnv, type SipEnv } from '../helpers/sip-env.js';

type Env = SipEnv;

/** A proxy on UDP and TCP with hand-built rules: +86 rejected, +4420 tagged with a display prefix. */
function setup(t: Test, extra: { udpThread?: boolean } = {}): Promise<Env> {
  return startSipEnv(t, { screener: new Screener(new Engine(handRules())), timers: { ...FAST, timerF: 300, timerH: 300 }, routeKey: FUZZ_ROUTE_KEY, ...extra });
}

const idle = (e: Env): boolean => {
  const s = e.proxy.stats().sizes;
  return s.serverTransactions === 0 && s.clientTransactions === 0 && s.tombstones === 0 && s.timers === 0 && s.heldBytes === 0;
};

/** An in-dialog request from the caller along our Record-Route, then `rest` of the route set. */
function inDialogText(e: Env, method: string, rest: string, cid = `fz-${branch()}`): string {
  return [
    `${method} sip:callee@127.0.0.1:${e.uas.port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${e.uac.port};branch=${branch()};rport`,
    'Max-Forwards: 70',
    `Route: ${ourRoute(e.udpPort, cid)}, ${rest}`,
    'From: <sip:+442079460001@127.0.0.1>;tag=a1',
    'To: <sip:+8613800138000@127.0.0.1>;tag=b2',
    `Call-ID: ${cid}`,
    `CSeq: 2 ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Send an OPTIONS ping to the proxy and wait for its 200: everything sent before it has been handled. */
async function barrier(e: Env): Promise<void> {
  const cid = `ping-${branch()}`;
  e.uac.sendRaw([
    `OPTIONS sip:127.0.0.1:${e.udpPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${e.uac.port};branch=${branch()}`,
    'Max-Forwards: 70',
    'From: <sip:ping@127.0.0.1>;tag=p',
    `To: <sip:127.0.0.1:${e.udpPort}>`,
    `Call-ID: ${cid}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'), e.udpPort);
  await e.uac.response(200, cid);
}

/** A stray 200 whose next Via (after ours, on udpPort) says TCP to tcpPort: the proxy dials there to relay it. */
function strayToTcp(udpPort: number, tcpPort: number): string {
  return ['SIP/2.0 200 OK', `Via: SIP/2.0/UDP 127.0.0.1:${udpPort};branch=${branch()}`, `Via: SIP/2.0/TCP 127.0.0.1:${tcpPort};branch=${branch()}`, 'From: <sip:a@127.0.0.1>;tag=a', 'To: <sip:b@127.0.0.1>;tag=b', `Call-ID: ${branch()}`, 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n');
}

/** Whether a new TCP peer can connect to the proxy's listener and get its OPTIONS answered 200. */
async function tcpPingAnswered(t: Test, port: number, callId: string): Promise<boolean> {
  const c = net.connect({ host: '127.0.0.1', port });
  t.teardown(() => void c.destroy());
  c.on('error', () => undefined);
  const got: string[] = [];
  const framer = new StreamFramer(1 << 20);
  c.on('data', (d) => framer.push(d, (m) => got.push(m.toString('latin1'))));
  await new Promise((r) => c.once('connect', r));
  c.write([`OPTIONS sip:127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/TCP 127.0.0.1:${c.localPort};branch=${branch()}`, 'Max-Forwards: 70', 'From: <sip:p@127.0.0.1>;tag=p', `To: <sip:127.0.0.1:${port}>`, `Call-ID: ${callId}`, 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'));
  return until(() => got.some((x) => x.startsWith('SIP/2.0 200 ')));
}

t.test('defects found by the fuzzer', async (t) => {
  await t.test('a next hop at port 99999 neither throws nor leaks a client transaction', async (t) => {
    // sip:127.0.0.1:99999 parses with port 99999; dgram.send and net.connect throw on it. The throw
    // came after the client transaction was registered and before its timers: it stayed for ever
    // (and its bytes in heldBytes), one per message, until maxTransactions turned every call away.
    for (const udpThread of [true, false]) {
      const e = await setup(t, { udpThread });
      for (const rest of ['<sip:127.0.0.1:99999;lr;transport=tcp>', '<sip:127.0.0.1:99999;lr>']) {
        const cid = `fz-${branch()}`;
        e.uac.sendRaw(inDialogText(e, 'BYE', rest, cid), e.udpPort);
        const r = await e.uac.response((s) => s >= 200, cid, 3000);
        t.equal(r.msg.status, 408, `${rest}, UDP ${udpThread ? 'thread' : 'main thread'}: the BYE times out like any unreachable hop`);
      }
      // An INVITE whose Via names port 99999 (no rport): on the main thread its 100 Trying threw right after the
      // server transaction was registered, which then stayed for ever; the INVITE was never forwarded.
      const inv = makeInvite(e.uac, { proxyPort: e.udpPort, caller: '+12025550100' });
      const cid = inv.headers['call-id']!;
      e.uac.sendRaw(sip.stringify(inv).replace(/^Via: .*$/m, `Via: SIP/2.0/UDP 127.0.0.1:99999;branch=${branch()}`), e.udpPort);
      const got = await e.uas.request('INVITE', 3000, cid);
      e.uas.reply(got, 486, 'Busy Here');
      t.ok(await until(() => idle(e), 3000), `no transaction left: ${JSON.stringify(e.proxy.stats().sizes)}`);
      t.equal(e.proxy.stats().internalErrors, 0, 'no internal error');
      t.ok(e.proxy.stats().transport.sendErrors >= 4, 'the sends are counted as failed');
    }
  });

  await t.test('an ACK routed through a host name to port 99999 does not end the process', async (t) => {
    // The ACK's next hop needs a DNS lookup, so it is sent from a promise callback: the throw there was
    // an unhandled rejection, which ends a Node process (`ringfence serve` exited).
    const e = await setup(t);
    const before = e.proxy.stats().transport.sendErrors;
    e.uac.sendRaw(inDialogText(e, 'ACK', '<sip:localhost:99999;lr;transport=tcp>'), e.udpPort);
    e.uac.sendRaw(inDialogText(e, 'ACK', '<sip:localhost:99999;lr>'), e.udpPort);
    t.ok(await until(() => e.proxy.stats().transport.sendErrors >= before + 2, 3000), 'both ACKs dropped as failed sends');
    t.equal(e.proxy.stats().internalErrors, 0);
    await barrier(e);
  });

  await t.test('no response with CSeq ACK is relayed or sent', async (t) => {
    const e = await setup(t);
    const stray = (method: string, cid: string): string => [
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP 127.0.0.1:${e.udpPort};branch=${branch()}`,
      `Via: SIP/2.0/UDP 127.0.0.1:${e.uac.port};branch=${branch()}`,
      'From: <sip:a@127.0.0.1>;tag=a',
      'To: <sip:b@127.0.0.1>;tag=b',
      `Call-ID: ${cid}`,
      `CSeq: 1 ${method}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    // A response to an ACK (nothing answers an ACK), then one to an INVITE that is relayed statelessly.
    e.uas.sendRaw(stray('ACK', 'rs-ack'), e.udpPort);
    e.uas.sendRaw(stray('INVITE', 'rs-invite'), e.udpPort);
    await e.uac.response(200, 'rs-invite');
    // Requests whose CSeq names ACK: a 400 (or a 505) would carry that CSeq, a response to an ACK.
    const inv = makeInvite(e.uac, { proxyPort: e.udpPort });
    const text = sip.stringify(inv).replace('CSeq: 1 INVITE', 'CSeq: 1 ACK');
    e.uac.sendRaw(text, e.udpPort);
    e.uac.sendRaw(text.replace(/ SIP\/2\.0\r\n/, ' SIP/3.0\r\n'), e.udpPort);
    await barrier(e);
    t.same(e.uac.all.filter((r) => r.msg.headers.cseq?.method === 'ACK').map((r) => r.raw.slice(0, 40)), [], 'the caller got no response with CSeq ACK');
    t.equal(e.proxy.stats().bad['response-to-ack'], 1, 'the stray one is counted');
  });

  await t.test('a status code outside 100-699 is not relayed, and does not throw', async (t) => {
    // The parser takes any digits: 0 made the serialiser throw (the proxy's internal error), 700 and
    // 1000 went upstream as finals and ended the call, 00200 was relayed as written.
    const e = await setup(t);
    const inv = makeInvite(e.uac, { proxyPort: e.udpPort, caller: '+12025550100' });
    const cid = inv.headers['call-id']!;
    e.uac.send(inv, e.udpPort);
    const got = await e.uas.request('INVITE', 3000, cid);
    const busy = sip.makeResponse(got.msg as SipRequest, 486, 'Busy Here');
    busy.headers.to = { ...busy.headers.to!, params: { ...busy.headers.to!.params, tag: 'x1' } };
    const text = sip.stringify(busy);
    // Without Content-Length (allowed over UDP) the response is re-serialised, not spliced.
    const noLength = text.replace(/Content-Length: 0\r\n/i, '');
    for (const line of ['SIP/2.0 0 Zero', 'SIP/2.0 700 Seven', 'SIP/2.0 1000 Thousand', 'SIP/2.0 00200 OK', 'SIP/2.0 99 Low']) {
      e.uas.sendRaw(text.replace(/^SIP\/2\.0 486 Busy Here/, line), e.udpPort);
      e.uas.sendRaw(noLength.replace(/^SIP\/2\.0 486 Busy Here/, line), e.udpPort);
    }
    e.uas.sendRaw(text, e.udpPort);
    const r = await e.uac.response((s) => s >= 200, cid, 3000);
    t.equal(r.msg.status, 486, 'the first final the caller sees is the real one');
    e.uac.send(ackNon2xx(inv, r.msg as SipResponse), e.udpPort);
    t.equal(e.proxy.stats().bad['status-code'], 10, 'each counted');
    t.equal(e.proxy.stats().internalErrors, 0);
    t.match(decode(Buffer.from('SIP/2.0 0 X\r\nVia: SIP/2.0/UDP a;branch=z9hG4bKx\r\n\r\n', 'latin1'), 65535), { ok: false, kind: 'status-code' });
  });

  await t.test("headers named 'constructor' or '__proto__' are refused, not forwarded renamed", async (t) => {
    // The parser's lookup tables are plain objects: 'constructor' was filed under the Object function's
    // source text and forwarded as a header "Function Object() { [Native Code] }" when re-serialised.
    for (const name of ['Constructor', 'constructor', '__proto__', '%5F%5Fproto%5F%5F']) {
      const m = `INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n${name}: x\r\nContent-Length: 0\r\n\r\n`;
      t.match(decode(Buffer.from(m, 'latin1'), 65535), { ok: false, kind: 'bad-header-name' }, name);
    }
  });

  await t.test('a Record-Route URI the parser cannot read is forwarded as written, not a 500', async (t) => {
    // An IPv6 upstream proxy's entry: the parser leaves its URI undefined and the serialiser threw on it
    // whenever the message was re-serialised (here: a tagged call with a display-name prefix).
    const rr = 'Record-Route: <sip:[2001:db8::1];lr>, <sip:127.0.0.1:5070;lr>\r\n';
    const d = decode(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n${rr}Content-Length: 0\r\n\r\n`, 'latin1'), 65535);
    t.ok(d.ok);
    if (d.ok) t.match(encode(d.msg).toString('latin1'), /Record-Route: +<sip:\[2001:db8::1\];lr>, +<sip:127\.0\.0\.1:5070;lr>/, 're-serialised as written');
    const e = await setup(t);
    const inv = makeInvite(e.uac, { proxyPort: e.udpPort, caller: '+442079460001', display: '"Acme"' });
    const cid = inv.headers['call-id']!;
    e.uac.sendRaw(sip.stringify(inv).replace('\r\nContent-Type', `\r\n${rr.trimEnd()}\r\nContent-Type`), e.udpPort);
    const got = await e.uas.request('INVITE', 3000, cid);
    t.match(got.raw, /<sip:\[2001:db8::1\];lr>/, 'the entry reached the callee');
    t.equal(got.msg.headers.from!.name, '"[SPAM?] Acme"', 'the call was tagged');
    delete got.msg.headers['record-route']; // the test peer's own serialiser cannot write it back, and a 486 needs none
    e.uas.reply(got, 486, 'Busy Here');
    const r = await e.uac.response(486, cid);
    e.uac.send(ackNon2xx(inv, r.msg as SipResponse), e.udpPort);
    t.equal(e.proxy.stats().internalErrors, 0);
  });

  await t.test('a request with a bare CR in a header is not answered with that CR echoed', async (t) => {
    // The 400 echoes Call-ID, From, To, CSeq and Via: the line break and the header smuggled behind it went back in it.
    const e = await setup(t);
    const inv = makeInvite(e.uac, { proxyPort: e.udpPort });
    e.uac.sendRaw(sip.stringify(inv).replace(/^Call-ID: (.*)$/m, 'Call-ID: $1\rX-Injected: yes'), e.udpPort);
    await barrier(e);
    t.same(e.uac.all.filter((r) => r.raw.includes('X-Injected')).map((r) => r.raw.slice(0, 60)), [], 'nothing came back carrying it');
    t.equal(e.proxy.stats().bad['bare-line-break'], 1, 'counted');
  });

  await t.test('connections the proxy opened to silent listeners do not lock TCP peers out', async (t) => {
    // A stray response whose next Via says TCP, or an in-dialog request routed ;transport=tcp, makes the
    // proxy dial where the message says. Connections to listeners that never speak were kept for the idle
    // timeout and counted against the cap, never evicted: a few datagrams refused every TCP peer.
    const uac = await UdpPeer.open('caller');
    const proxy = await startStandalone({
      listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }, { transport: 'tcp', host: '127.0.0.1', port: 0 }],
      nextHop: 'sip:127.0.0.1:9',
      screener: new Screener(new Engine(handRules())),
      maxTcpConnections: 4,
      routeKey: FUZZ_ROUTE_KEY,
    });
    const listeners: net.Server[] = [];
    t.teardown(async () => {
      await proxy.close();
      await uac.close();
      for (const l of listeners) l.close();
    });
    const [udp, tcp] = proxy.addresses();
    for (let i = 0; i < 4; i++) {
      const l = net.createServer(() => undefined);
      await new Promise<void>((r) => l.listen(0, '127.0.0.1', () => r()));
      listeners.push(l);
      const port = (l.address() as net.AddressInfo).port;
      const cid = branch();
      uac.sendRaw(i % 2
        ? strayToTcp(udp!.port, port)
        : [`OPTIONS sip:x@127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${uac.port};branch=${branch()}`, 'Max-Forwards: 70', `Route: ${ourRoute(udp!.port, cid)}, <sip:127.0.0.1:${port};lr;transport=tcp>`, 'From: <sip:a@127.0.0.1>;tag=a', 'To: <sip:b@127.0.0.1>;tag=b', `Call-ID: ${cid}`, 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'), udp!.port);
    }
    t.ok(await until(() => proxy.stats().sizes.tcpConnections === 4), 'four connections opened to silent listeners: the cap');
    t.ok(await tcpPingAnswered(t, tcp!.port, 'tcp-ping'), 'a TCP peer still connects and is answered');
    t.equal(proxy.stats().transport.tcpEvicted, 1, 'the oldest silent connection made way');
    t.equal(proxy.stats().transport.tcpRefused, 0);
  });

  // A connect to a listener whose accept queue is full waits out the kernel's SYN retries (about 2 minutes).
  // Pending dials were in the connection table but not evictable: a few stray responses naming TCP Vias
  // there refused every TCP peer. Node's listeners always accept, so the full queues are made with Python.
  const python = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' }).status === 0;
  await t.test('dials that never connect are evictable at the cap and given up on after tcpMessageMs', {
    skip: python ? false : 'python3 is not installed: it makes the listeners that never accept',
  }, async (t) => {
    const hole = spawn('python3', ['-c', [
      'import socket, time',
      'socks = []',
      'ports = []',
      'for i in range(3):',
      '    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0); socks.append(s); ports.append(s.getsockname()[1])',
      '    for j in range(3):',
      '        c = socket.socket(); c.setblocking(False)',
      '        try: c.connect(("127.0.0.1", ports[-1]))',
      '        except BlockingIOError: pass',
      '        socks.append(c)',
      'print(" ".join(map(str, ports)), flush=True)',
      'time.sleep(30)',
    ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => void hole.kill());
    const ports = await new Promise<number[]>((resolve) => hole.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim().split(' ').map(Number))));
    const uac = await UdpPeer.open('caller');
    const proxy = await startStandalone({
      listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }, { transport: 'tcp', host: '127.0.0.1', port: 0 }],
      nextHop: 'sip:127.0.0.1:9',
      screener: new Screener(new Engine(handRules())),
      maxTcpConnections: 2,
      tcpMessageMs: 1500,
    });
    t.teardown(async () => {
      await proxy.close();
      await uac.close();
    });
    const [udp, tcp] = proxy.addresses();
    for (const port of ports.slice(0, 2)) {
      uac.sendRaw(strayToTcp(udp!.port, port), udp!.port);
    }
    t.ok(await until(() => proxy.stats().sizes.tcpConnections === 2), 'two dials pending: the cap');
    t.ok(await tcpPingAnswered(t, tcp!.port, 'tcp-ping-2'), 'a TCP peer still connects and is answered');
    t.equal(proxy.stats().transport.tcpEvicted, 1, 'a pending dial made way');
    t.equal(proxy.stats().transport.tcpRefused, 0);
    t.ok(await until(() => proxy.stats().sizes.tcpConnections === 1, 4000), 'the other pending dial was given up on after tcpMessageMs');
  });

  await t.test('TCP: the same defects over a stream', async (t) => {
    const e = await setup(t);
    const c = net.connect({ host: '127.0.0.1', port: e.tcpPort });
    await new Promise((r) => c.once('connect', r));
    t.teardown(() => void c.destroy());
    const got: string[] = [];
    const framer = new StreamFramer(1 << 20);
    c.on('data', (d) => framer.push(d, (m) => got.push(m.toString('latin1'))));
    const bye = inDialogText(e, 'BYE', '<sip:127.0.0.1:99999;lr;transport=tcp>', 'tcp-bye').replace('SIP/2.0/UDP', 'SIP/2.0/TCP');
    // Pipelined in one segment and split mid-message.
    const both = bye + inDialogText(e, 'INFO', '<sip:127.0.0.1:99999;lr>', 'tcp-info').replace('SIP/2.0/UDP', 'SIP/2.0/TCP');
    c.write(both.slice(0, 77));
    c.write(both.slice(77));
    t.ok(await until(() => got.filter((x) => /^SIP\/2\.0 408 /.test(x)).length === 2, 3000), 'both time out with 408 over the connection');
    t.ok(await until(() => idle(e), 3000), 'no transaction left');
    t.equal(e.proxy.stats().internalErrors, 0);
  });
});

t.test('fuzz storm: fixed seeds, UDP and TCP, a few thousand mutated messages each', async (t) => {
  // Seed 2 re-serialises tagged calls (a display prefix) and runs UDP on the main thread (--no-udp-thread).
  const seeds: { seed: number; displayPrefix: boolean; udpThread: boolean }[] = [
    { seed: 1, displayPrefix: false, udpThread: true },
    { seed: 2, displayPrefix: true, udpThread: false },
  ];
  for (const { seed, displayPrefix, udpThread } of seeds) {
    const rep = await runStorm({ seed, messages: 1000, transports: ['udp', 'tcp'], displayPrefix, udpThread });
    t.teardown(() => rep.close());
    t.ok(rep.sent > 1500, `seed ${seed}: ${rep.sent} messages sent`);
    t.same(rep.violations, [], `seed ${seed}: nothing SIP forbids, no throw, no state left`);
    t.ok(rep.idle, `seed ${seed}: idle after the storm`);
    t.same(rep.healthy, ['udp-options', 'udp-call', 'tcp-options', 'tcp-call'], `seed ${seed}: OPTIONS and a whole call still work on both transports`);
    const s = rep.proxy!.stats();
    t.equal(s.internalErrors, 0, `seed ${seed}: no internal errors`);
    t.ok(s.badMessages > 200 && s.forwarded > 100 && s.rejected > 0, `seed ${seed}: the storm reached every path (bad ${s.badMessages}, forwarded ${s.forwarded}, rejected ${s.rejected})`);
    t.equal(s.badMessages, Object.values(s.bad).reduce((a, b) => a + b, 0), `seed ${seed}: bad messages add up by kind`);
    t.ok(rep.engineAnswered >= 1, `seed ${seed}: the engine recorded the final call as answered`);
  }
});
