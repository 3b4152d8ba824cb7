import t from 'tap';
import net from 'node:net';
import { decode, StreamFramer } from '../../lib/sip/transport.js';
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
  t.equal(decode(MSG('X-Foo: a\r\n b (folded)\r\n'), 65535).ok, true, 'line folding (CRLF + space) is still accepted');
});
