import t from 'tap';
import net from 'node:net';
import fc from 'fast-check';
import { decode, encode, SipTransport, StreamFramer } from '../../lib/sip/transport.js';
import { countListElements, splitHeaderList } from '../../lib/sip/headers.js';
import { responseFor, splice, viaText } from '../../lib/sip/proxy/wire.js';
import { makeInvite, SDP, UdpPeer } from '../helpers/sip-peer.js';
import { sip, type SipResponse } from '../../lib/sip/sip-types.js';
import { FAST, handRules, startHarness } from '../helpers/sip-rules.js';

const MSG = (extra = '', body = ''): Buffer => Buffer.from(
  `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`, 'latin1');

t.test('decode: what the parser lets through silently is caught', async (t) => {
  t.equal(decode(MSG(), 65535).ok, true);
  t.same(decode(Buffer.from('junk'), 65535), { ok: false, kind: 'unparsable' });
  t.match(decode(MSG('CSeq: x\r\n'), 65535), { ok: false, kind: 'bad-header:cseq' }, 'a second bad CSeq line');
  t.match(decode(MSG('Route: <sip:a@b;lr>, <sip:[::1];lr>\r\n'), 65535), { ok: false, kind: 'bad-header:route' }, 'a Route URI that does not parse');
  t.match(decode(MSG('Via: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKy, nonsense\r\n'), 65535), { ok: false, kind: 'bad-header:via' }, 'a Via list cut short');
  t.match(decode(MSG().subarray(0, MSG().length), 10), { ok: false, kind: 'oversize' });
  const cl = Buffer.from(MSG().toString('latin1').replace('Content-Length: 0', 'Content-Length: 99'), 'latin1');
  t.match(decode(cl, 65535), { ok: false, kind: 'content-length' }, 'Content-Length beyond the datagram');
  const nan = Buffer.from(MSG().toString('latin1').replace('Content-Length: 0', 'Content-Length: abc'), 'latin1');
  t.match(decode(nan, 65535), { ok: false, kind: 'content-length' });
  const body = decode(MSG('Content-Type: text/plain\r\n', 'h\u00e9llo'), 65535);
  t.ok(body.ok && body.msg.content === 'h\u00e9llo', 'bodies kept byte for byte (latin1)');
});

t.test('decode: a list the package would parse in quadratic time is refused before parsing', async (t) => {
  const list = (n: number, el: string): string => Array.from({ length: n }, () => el).join(',');
  for (const name of ['Route', 'Record-Route', 'Contact', 'm', 'Path', 'Via']) {
    const el = name === 'Via' ? 'SIP/2.0/UDP a' : '<sip:b>';
    const started = process.hrtime.bigint();
    const d = decode(MSG(`${name}: ${list(4000, el)}\r\n`), 65535);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const canonical = name === 'm' ? 'contact' : name.toLowerCase();
    t.match(d, { ok: false, kind: `long-list:${canonical}` }, `${name}: refused`);
    t.equal(d.ok === false && d.msg?.headers['call-id'], 'c', `${name}: the rest parsed, so a request can be answered 400`);
    const kept = d.ok === false ? (d.msg?.headers as Record<string, unknown> | undefined)?.[canonical] : 'parsed';
    if (canonical === 'via') t.equal((kept as unknown[] | undefined)?.length, 1, 'Via: the message\'s own Via, without the long line');
    else t.equal(kept, undefined, `${name}: without the list`);
    // Not a timing assertion on the result: a guard that let the list through would take 0.2-1 s here.
    t.comment(`${name}: ${ms.toFixed(1)} ms`);
  }
  // Via backtracks at every '/', commas or not (60 kB of 'SIP/2.0/' took 750 ms).
  t.match(decode(MSG(`Via: ${'SIP/2.0/'.repeat(7000)}\r\n`), 65535), { ok: false, kind: 'long-list:via' }, "a Via of 'SIP/2.0/' over and over");
  // Many lines, each under the budget, add up: the message as a whole is refused.
  const many = Array.from({ length: 60 }, () => `Route: ${list(100, '<sip:b>')}\r\n`).join('');
  t.match(decode(MSG(many), 65535), { ok: false, kind: 'long-list:route' }, '60 Route lines of 100 bare URIs');
  // Header lines cost the package about 5 us each: more than MAX_HEADER_LINES is refused unparsed.
  t.match(decode(MSG('m:a,\r\n'.repeat(12_000)), 1 << 20), { ok: false, kind: 'too-many-headers' });
  t.equal(decode(MSG('X-A: 1\r\n'.repeat(200)), 65535).ok, true, '200 header lines are fine');
  t.match(decode(MSG('x\r\n'.repeat(20_000)), 1 << 20), { ok: false, kind: 'too-many-headers' }, 'lines without a colon');
  // Folded over many lines it is still one header line to the package.
  const folded = `Route: ${Array.from({ length: 4000 }, () => '<sip:b>').join(',\r\n ')}\r\n`;
  t.match(decode(MSG(folded), 65535), { ok: false, kind: 'long-list:route' }, 'a folded list');
  // Many short lines are linear for the parser: accepted.
  const lines = Array.from({ length: 200 }, (_, i) => `Record-Route: <sip:10.0.0.${i % 250}:5060;lr>\r\n`).join('');
  t.equal(decode(MSG(lines), 65535).ok, true, '200 Record-Route lines of one element each');
  // Real sizes: 30 Record-Route entries on one line, an SDP body, Allow and Supported lists.
  const rr = `Record-Route: ${Array.from({ length: 30 }, (_, i) => `<sip:10.0.${i}.1:5060;lr;ftag=abcdef${i};did=a1b.c2d3>`).join(', ')}\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO, REFER, NOTIFY\r\n`;
  const ok = decode(MSG(rr, 'v=0\r\n'.repeat(200)), 65535);
  t.equal(ok.ok, true, 'a long but ordinary message is parsed');
  t.equal(ok.ok && ok.msg.headers['record-route']?.length, 30);
  // Not answerable: the rest carries a bare line break the 400 would echo.
  const smuggle = decode(MSG(`Route: ${list(6000, '<sip:b>')}\r\nX-Foo: a\nX-Injected: 1\r\n`), 65535);
  t.match(smuggle, { ok: false, kind: 'long-list:route' });
  t.equal(smuggle.ok === false && smuggle.msg, undefined, 'no message to answer when the rest has a bare line break');
});

t.test('authentication headers are never parsed, and go back out as written', async (t) => {
  // The package's parsers backtrack over the whole line: a 32 kB WWW-Authenticate without a space took 2.2 s.
  for (const name of ['WWW-Authenticate', 'Proxy-Authenticate', 'Authorization', 'Proxy-Authorization', 'Authentication-Info']) {
    const value = `Digest ${'a'.repeat(50_000)}`;
    const started = process.hrtime.bigint();
    const d = decode(MSG(`${name}: ${value}\r\n`), 65535);
    t.comment(`${name}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms`);
    t.equal(d.ok, true, `${name}: accepted`);
    t.equal(d.ok && (d.msg.headers as Record<string, unknown>)[name.toLowerCase()], value, `${name}: kept as written`);
  }
  const two = decode(MSG('WWW-Authenticate: Digest realm="a", nonce="1"\r\nWWW-Authenticate: Digest realm="b", nonce="2"\r\n'), 65535);
  t.equal(two.ok, true);
  if (!two.ok) return;
  const out = encode(two.msg).toString('latin1');
  t.match(out, /\r\nWww-Authenticate: Digest realm="a", nonce="1"\r\nWww-Authenticate: Digest realm="b", nonce="2"\r\n/, 'two challenges, two lines, each as it came');
});

t.test('encode: an address without a display name is written with one space', async (t) => {
  const uac = await UdpPeer.open();
  t.teardown(() => uac.close());
  const inv = makeInvite(uac, { proxyPort: 5060 });
  const rs = sip.makeResponse(inv, 200, 'OK');
  const text = encode(rs).toString('latin1');
  t.match(text, /\r\nTo: <sip:/);
  t.match(text, /\r\nFrom: <sip:/);
  t.notMatch(text, /: {2}/, 'no double space anywhere');
  t.same(sip.parse(encode(rs))?.headers.to, rs.headers.to, 'reads back the same');
  const named = { ...rs, headers: { ...rs.headers, from: { ...rs.headers.from!, name: '"Alice"' } } };
  t.match(encode(named).toString('latin1'), /\r\nFrom: "Alice" <sip:/, 'a display name keeps its single space');
  // The body is left as written: Content-Length counts it.
  const body = 'X-Note:  <sip:a@b>\r\nv=0\r\n';
  const withBody = { ...rs, headers: { ...rs.headers, 'content-type': 'text/plain' }, content: body };
  const wire = encode(withBody).toString('latin1');
  t.equal(wire.slice(wire.indexOf('\r\n\r\n') + 4), body);
  t.match(wire, new RegExp(`Content-Length: ${Buffer.byteLength(body)}\r\n`));
  t.match(wire, /\r\nTo: <sip:/);
});

t.test('StreamFramer splits a TCP stream by Content-Length', async (t) => {
  const f = new StreamFramer(65535);
  const out: string[] = [];
  const two = Buffer.concat([Buffer.from('\r\n\r\n'), MSG('', 'abc'), MSG()]);
  for (let i = 0; i < two.length; i += 7) t.equal(f.push(two.subarray(i, i + 7), (m) => out.push(m.toString('latin1'))), null);
  t.equal(out.length, 2);
  t.ok(out[0]!.endsWith('\r\n\r\nabc'));
  t.equal(new StreamFramer(100).push(Buffer.alloc(200, 65), () => {}), 'oversize', 'no blank line within the limit');
  t.equal(new StreamFramer(65535).push(Buffer.from('A B SIP/2.0\r\nContent-Length: 1000000\r\n\r\n'), () => {}), 'oversize', 'absurd Content-Length');
  t.equal(new StreamFramer(65535).push(Buffer.from('A B SIP/2.0\r\nl: -1\r\n\r\n'), () => {}), 'content-length');
});

t.test('TCP caller through the proxy to a UDP callee, responses on the same connection', async (t) => {
  const uas = await UdpPeer.open('callee');
  const h = await startHarness(uas.port, handRules(), {
    timers: FAST,
    listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }, { transport: 'tcp', host: '127.0.0.1', port: 0 }],
  });
  const tcpPort = h.proxy.addresses().find((a) => a.transport === 'tcp')!.port;
  const c = net.connect(tcpPort, '127.0.0.1');
  await new Promise((r) => c.once('connect', r));
  c.on('error', () => {}); // the proxy resets the connection at the end
  t.teardown(async () => {
    c.destroy();
    await h.proxy.close();
    await uas.close();
  });
  const inv = makeInvite(uas, { proxyPort: tcpPort, caller: '+12025550100' });
  inv.headers.via = [{ version: '2.0', protocol: 'TCP', host: '127.0.0.1', port: c.localPort!, params: { branch: 'z9hG4bKtcp1234567890abc' } }];
  const got: SipResponse[] = [];
  const framer = new StreamFramer(65535);
  c.on('data', (d) => framer.push(d, (m) => got.push(sip.parse(m) as SipResponse)));
  const wire = sip.stringify(inv);
  c.write(wire.slice(0, 100));
  c.write(wire.slice(100));
  const rq = await uas.request('INVITE', 3000);
  t.match(sip.stringifyUri(rq.msg.headers['record-route']![0]!.uri!), /;transport=tcp/, 'Record-Route names our TCP side');
  uas.reply(rq, 200, 'OK', {}, SDP);
  const deadline = Date.now() + 3000;
  while (!got.some((r) => r.status === 200) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.same(got.map((r) => r.status), [100, 200], '100 and 200 back over the TCP connection');
  c.write('garbage without end'.repeat(5000));
  await new Promise((r) => c.once('close', r));
  t.ok((h.proxy.stats().bad.oversize ?? 0) >= 1, 'a stream that lost its framing is counted and closed');
});

t.test('a bare LF or CR inside the header section is refused, not forwarded', async (t) => {
  t.match(decode(MSG('X-Foo: a\nX-Injected: yes\r\n'), 65535), { ok: false, kind: 'bare-line-break' });
  t.match(decode(MSG('X-Foo: a\rb\r\n'), 65535), { ok: false, kind: 'bare-line-break' });
  for (const bad of ['X-Foo: a\r\n\n b\r\n', 'X-Foo: a\r\r\n', 'X-Foo: a\n\r\n', 'X-Foo: a\r\n \r\r\n']) {
    t.notOk(decode(MSG(bad), 65535).ok, `refused: ${JSON.stringify(bad)}`);
  }
  t.equal(decode(MSG('X-Foo: a\r\n b (folded)\r\n'), 65535).ok, true, 'line folding (CRLF + space) is still accepted');
});

t.test('decode: header line positions for splicing', async (t) => {
  const d = decode(Buffer.from('\r\n' + MSG('X-Folded: a\r\n b\r\nv: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKv\r\n').toString('latin1'), 'latin1'), 65535);
  if (!d.ok) throw new Error('decode failed');
  const { raw } = d;
  t.equal(raw.start, 2, 'leading CRLF (keep-alive) skipped, as the parser does');
  t.equal(raw.text.slice(raw.start, raw.startEnd), 'OPTIONS sip:a@b SIP/2.0');
  const lines = raw.names.map((n, i) => [n, raw.text.slice(raw.spans[2 * i], raw.spans[2 * i + 1])]);
  t.same(lines.map(([n]) => n), ['via', 'from', 'to', 'call-id', 'cseq', 'x-folded', 'via', 'content-length'], 'canonical names, compact forms expanded');
  t.equal(lines[5]![1], 'X-Folded: a\r\n b', 'a folded line is one header line');
  t.equal(raw.text.slice(raw.headEnd, raw.headEnd + 4), '\r\n\r\n');
  t.ok(raw.bodyExact);
  const long = Buffer.from(MSG().toString('latin1') + 'extra', 'latin1');
  const dl = decode(long, 65535);
  t.ok(dl.ok && !dl.raw.bodyExact, 'a body longer than Content-Length is not copied as is');
});

t.test('countListElements agrees with splitHeaderList', async (t) => {
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(',', '"', '<', '>', ' ', '\t', 'a', '\\', ';', '\xa0') }), (s: string) => countListElements(s) === splitHeaderList(s).length));
  t.equal(countListElements('x, <a,b>, "c,d" e', 3), 2, 'from an offset: the value after a header name');
});

const WIRE_BODY = 'v=0\r\ns=caf\xe9 \xff\r\n';
/** An INVITE as an edge proxy might write it: compact names, two Vias on one line, a folded header, a latin1 body. */
const WIRE_INVITE = (): Buffer => Buffer.from([
  'INVITE sip:+8613800138000@10.0.0.1 SIP/2.0',
  'v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa;rport, SIP/2.0/TCP 192.0.2.2;branch=z9hG4bKb',
  'Via: SIP/2.0/UDP 192.0.2.3;branch=z9hG4bKc',
  'f: <sip:+12025550100@192.0.2.1>;tag=1',
  't: <sip:+8613800138000@10.0.0.1>',
  'i: cid-1',
  'CSeq: 1 INVITE',
  'Route: <sip:10.0.0.1:5060;lr>',
  'Record-Route: <sip:192.0.2.9;lr>',
  'Max-Forwards: 12',
  'X-Ringfence-Score: 0',
  'Subject: folded\r\n  subject',
  `Content-Length: ${WIRE_BODY.length}`,
  '',
  WIRE_BODY,
].join('\r\n'), 'latin1');

t.test('splice: the forwarding edits, everything else byte for byte', async (t) => {
  const d = decode(WIRE_INVITE(), 65535);
  if (!d.ok) throw new Error('decode failed');
  const top = d.msg.headers.via![0]!;
  top.params.received = '198.51.100.7';
  top.params.rport = '5062';
  const out = splice(d.raw, {
    first: 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKours;rport\r\n',
    topVia: viaText(top),
    maxForwards: 11,
    drop: ['route', 'x-ringfence-score'],
    recordRoute: 'Record-Route: <sip:10.0.0.1:5060;lr>\r\n',
    append: 'X-Ringfence-Score: 42\r\n',
  });
  const again = decode(out, 65535);
  if (!again.ok) throw new Error(`spliced message does not decode: ${out.toString('latin1')}`);
  const h = again.msg.headers;
  t.same(h.via!.map((v) => v.params.branch), ['z9hG4bKours', 'z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc'], 'our Via on top, the others in order');
  t.same(h.via![1]!.params, { branch: 'z9hG4bKa', rport: '5062', received: '198.51.100.7' }, 'the first received Via stamped');
  t.equal(h.via![2]!.protocol, 'TCP', 'the second value of that line kept');
  t.equal(h['max-forwards'], '11');
  t.notOk(h.route, 'our Route entry gone');
  t.same(h['record-route']!.map((r) => (r.uri as { host: string }).host), ['10.0.0.1', '192.0.2.9'], 'our Record-Route first');
  t.equal(h['x-ringfence-score'], '42', 'an inbound verdict header replaced, not repeated');
  t.equal(h.subject, 'folded\r\n  subject', 'a folded header as it came');
  t.equal(again.msg.content, WIRE_BODY, 'body byte for byte');
  t.equal(h['content-length'], WIRE_BODY.length);
  t.ok(out.toString('latin1').includes('\r\nf: <sip:+12025550100@192.0.2.1>;tag=1\r\n'), 'untouched lines are copied, compact names and all');
});

t.test('splice: a response going upstream loses its first Via value and nothing else', async (t) => {
  const rs = (vias: string): Buffer => Buffer.from(`SIP/2.0 200 OK\r\n${vias}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: ${WIRE_BODY.length}\r\n\r\n${WIRE_BODY}`, 'latin1');
  for (const vias of ['Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKours, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa;received=198.51.100.7', 'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKours\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa;received=198.51.100.7']) {
    const d = decode(rs(vias), 65535);
    if (!d.ok) throw new Error('decode failed');
    const out = decode(splice(d.raw, { popVia: true }), 65535);
    if (!out.ok) throw new Error('spliced response does not decode');
    t.same(out.msg.headers.via!.map((v) => v.params.branch), ['z9hG4bKa'], vias.split('\r\n').length === 1 ? 'two values on one line' : 'one value per line');
    t.equal(out.msg.headers.via![0]!.params.received, '198.51.100.7');
    t.equal(out.msg.content, WIRE_BODY);
    t.equal((out.msg as SipResponse).status, 200);
  }
});

t.test('responseFor: our response carries Via, From, To, Call-ID, CSeq of the request', async (t) => {
  const d = decode(WIRE_INVITE(), 65535);
  if (!d.ok) throw new Error('decode failed');
  const top = d.msg.headers.via![0]!;
  top.params.rport = '5062';
  const r180 = decode(responseFor(d.raw, '2.0', 180, 'Ringing', viaText(top), 'tg1', 'Reason: SIP;cause=608\r\n'), 65535);
  if (!r180.ok) throw new Error('response does not decode');
  const h = r180.msg.headers;
  t.equal((r180.msg as SipResponse).status, 180);
  t.same(h.via!.map((v) => v.params.branch), ['z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc'], 'every Via, in order');
  t.equal(h.via![0]!.params.rport, '5062', 'the first as stamped');
  t.equal(h.to!.params.tag, 'tg1', 'our To tag');
  t.equal(h.from!.params.tag, '1');
  t.equal(h['call-id'], 'cid-1');
  t.same(h.cseq, { seq: 1, method: 'INVITE' });
  t.equal(h.reason, 'SIP;cause=608');
  t.equal(h['content-length'], 0);
  t.notOk(h.route ?? h['record-route'] ?? h.subject, 'nothing else of the request');
  const r100 = decode(responseFor(d.raw, '2.0', 100, 'Trying', undefined, '', ''), 65535);
  t.ok(r100.ok && r100.msg.headers.to!.params.tag === undefined, '100 Trying: no To tag');
});

t.test('TCP slowloris: a message dripped in is cut off; at the connection cap silent connections make way', async (t) => {
  const got: string[] = [];
  const bad: string[] = [];
  const tp = await SipTransport.open([{ transport: 'tcp', host: '127.0.0.1', port: 0 }], {
    recvBufferBytes: 1 << 16,
    maxMessageBytes: 65_535,
    maxTcpConnections: 20,
    tcpMessageMs: 400,
    onMessage: (m) => got.push(m.toString('latin1')),
    onBadStream: (kind) => bad.push(kind),
    udpThread: false,
  });
  const port = tp.listeners[0]!.port;
  const socks: net.Socket[] = [];
  t.teardown(async () => {
    for (const s of socks) s.destroy();
    await tp.close();
  });
  const connect = async (): Promise<net.Socket> => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {}); // resets from the transport are expected
    socks.push(s);
    await new Promise((r) => s.once('connect', r));
    return s;
  };
  const until = async (f: () => boolean, ms = 3000): Promise<boolean> => {
    for (const end = Date.now() + ms; !f() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    return f();
  };

  // A header dripped one byte at a time never completes: each byte used to reset the 5-minute idle timer, holding up to 64 KB for ever.
  const drip = await connect();
  drip.write(`INVITE sip:a@b SIP/2.0\r\nX-Pad: ${'p'.repeat(30_000)}`);
  const timer = setInterval(() => drip.write('p'), 50);
  t.teardown(() => clearInterval(timer));
  t.ok(await until(() => drip.destroyed || drip.readyState === 'closed' || bad.includes('slow-message')), 'closed within the message deadline');
  clearInterval(timer);
  t.same(bad, ['slow-message'], 'counted as a slow message');

  // Connections that never send a whole message fill the cap; a peer that speaks SIP still gets in, in place of the oldest of them.
  const silent: net.Socket[] = [];
  for (let i = 0; i < 20; i++) silent.push(await connect());
  t.ok(await until(() => tp.tcpConnections === 20), `cap reached (${tp.tcpConnections})`);
  const good = await connect();
  good.write(MSG());
  t.ok(await until(() => got.length === 1), 'the new connection is served');
  t.ok(await until(() => silent[0]!.destroyed || silent[0]!.readyState === 'closed'), 'the oldest silent connection was closed for it');
  t.equal(tp.tcpConnections, 20, 'still at the cap');
  t.equal(tp.counters.tcpEvicted, 1, 'counted');
});

t.test('TCP: a next hop we dialled that stops reading for a moment keeps its connection past the 1 MiB bound of accepted peers', async (t) => {
  // The far end: accepts, reads nothing until told to.
  const held: net.Socket[] = [];
  let received = 0;
  const far = net.createServer((s) => {
    held.push(s);
    s.pause();
    s.on('data', (d) => void (received += d.length));
  });
  await new Promise<void>((r) => far.listen(0, '127.0.0.1', () => r()));
  const farPort = (far.address() as net.AddressInfo).port;
  const tp = await SipTransport.open([{ transport: 'tcp', host: '127.0.0.1', port: 0 }], {
    recvBufferBytes: 1 << 16, maxMessageBytes: 65_535, onMessage: () => undefined, onBadStream: () => undefined, udpThread: false,
  });
  t.teardown(async () => {
    for (const s of held) s.destroy();
    await tp.close();
    await new Promise<void>((r) => far.close(() => r()));
  });
  const dest = { transport: 'tcp' as const, address: '127.0.0.1', port: farPort };
  const msg = MSG('', 'x'.repeat(1000));
  // 4 MiB queued while the core does not read: more than an accepted peer may leave unread.
  const n = Math.ceil((4 * 1024 * 1024) / msg.length);
  for (let i = 0; i < n; i++) tp.send(dest, msg);
  t.equal(tp.counters.tcpStalled, 0, 'not taken for a stalled peer');
  for (const end = Date.now() + 5_000; held.length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
  t.equal(tp.counters.tcpStalled, 0, 'still connected while the core is not reading');
  held[0]?.resume();
  for (const end = Date.now() + 10_000; received < n * msg.length && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
  t.equal(received, n * msg.length, 'every message arrived once the core read again');
});
