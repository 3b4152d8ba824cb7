/**
 * CPU per call of the standalone proxy without sockets or sipp: the call
 * flow of bench/sip-load (INVITE, 100, 180, 200, ACK, BYE, 200) played
 * through the Proxy in-process, datagrams handed over in memory. What the
 * sipp benchmark cannot give on a shared machine: a stable number to compare
 * two versions of the proxy by, and the engine's share of it.
 *
 *   node dist/bench/sip-load/proxy-cpu.js [--calls 40000] [--rules examples/rules/china-ingress.yaml] [--rounds 3]
 *
 * Kernel time for the 13 datagrams a call costs through a real proxy is not
 * in these figures (on the 2-core VM of BENCHMARKS.md, roughly 7 µs a send).
 */
import { Engine } from '../../lib/engine/engine.js';
import { Screener } from '../../lib/ops/screener.js';
import { loadRules } from '../../lib/rules/load.js';
import { Proxy } from '../../lib/sip/proxy/proxy.js';
import { sip } from '../../lib/sip/sip-types.js';
import { SipTransport, type Dest, type Peer } from '../../lib/sip/transport.js';
import { benchArgs, wholeNumber } from '../cli-args.js';

const USAGE = `Usage: node dist/bench/sip-load/proxy-cpu.js [options]

CPU per call of the standalone proxy without sockets or sipp: the call flow
of bench/sip-load played through the proxy in-process.

Options:
  --calls N       calls per round, at most 49000 (default 40000)
  --rounds N      rounds, at most 5 (default 3)
  --rules FILE    rules file (default examples/rules/china-ingress.yaml)
  -h, --help      show this help
`;
const { values } = benchArgs(USAGE, {
  calls: { type: 'string', default: '40000' },
  rounds: { type: 'string', default: '3' },
  rules: { type: 'string', default: 'examples/rules/china-ingress.yaml' },
});
const CALLS = wholeNumber(values.calls, '--calls', USAGE);
const ROUNDS = Math.min(5, wholeNumber(values.rounds, '--rounds', USAGE));
if (CALLS > 49_000) {
  process.stderr.write('error: --calls: at most 49,000 calls a round (7 callers per number block)\n');
  process.exit(2);
}

const engine = new Engine(await loadRules(values.rules));
const screener = new Screener(engine);
// Time spent in the engine, to report its share.
let engineNs = 0n;
const decide = screener.decide.bind(screener);
const observe = screener.observe.bind(screener);
screener.decide = (a) => {
  const t = process.hrtime.bigint();
  const d = decide(a);
  engineNs += process.hrtime.bigint() - t;
  return d;
};
screener.observe = (o) => {
  const t = process.hrtime.bigint();
  const m = observe(o);
  engineNs += process.hrtime.bigint() - t;
  return m;
};

const transport = await SipTransport.open([{ transport: 'udp', host: '127.0.0.1', port: 0 }], {
  recvBufferBytes: 1 << 20,
  maxMessageBytes: 65_535,
  onMessage: () => {},
  onBadStream: () => {},
});
const PROXY_PORT = transport.listeners[0]!.port;
const UAC = 15090;
const UAS = 15080;
const out: Array<{ dest: Dest; data: Buffer }> = [];
// In memory: what the proxy sends is collected, not put on the wire.
transport.send = (dest: Dest, data: Buffer) => {
  out.push({ dest, data });
};
let proxy = new Proxy({ transport, nextHop: sip.parseUri(`sip:127.0.0.1:${UAS}`)!, screener });
const local = transport.listeners[0]!;
const peer = (port: number): Peer => ({ transport: 'udp', address: '127.0.0.1', port, local });
const fromUac = peer(UAC);
const fromUas = peer(UAS);

const SDP = 'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6004 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
// US area codes, ten per round, so that each round's callers are new numbers in new number blocks (no signal fires on repeats).
const AREA = '212 213 312 415 617 305 404 503 206 718 201 202 203 205 207 208 209 210 214 215 216 217 218 219 224 225 228 229 231 234 239 240 248 251 252 253 254 256 260 262 267 269 270 276 281 301 302 303 304 307'.split(' ');

/** sipp's uac.xml INVITE for call i (same caller spread as run.sh). */
function invite(i: number, round: number): Buffer {
  const caller = `+1${AREA[((round % 5) * 10) + (i % 10)]}${200 + (Math.floor(i / 10) % 700)}${1000 + Math.floor(i / 7000) + round * 10}`;
  const callee = `+86138${round % 10}${String(i).padStart(7, '0')}`;
  return Buffer.from(`INVITE sip:${callee}@127.0.0.1:${PROXY_PORT} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${UAC};branch=z9hG4bK-1-${round}-${i}-0\r\nFrom: <sip:${caller}@127.0.0.1:${UAC}>;tag=1SIPpTag00${i}\r\nTo: <sip:${callee}@127.0.0.1:${PROXY_PORT}>\r\nCall-ID: ${round}-${i}-1@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:sipp@127.0.0.1:${UAC}>\r\nMax-Forwards: 70\r\nSubject: ringfence load\r\nContent-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`, 'latin1');
}

/** Header lines of a message by lower-case name, repeated ones joined (the callee copies them, as uas.xml does with [last_*:]). */
function headerLines(m: string): Map<string, string> {
  const map = new Map<string, string>();
  const end = m.indexOf('\r\n\r\n');
  for (let ls = m.indexOf('\r\n') + 2; ls < end + 2; ) {
    const le = m.indexOf('\r\n', ls);
    const name = m.slice(ls, m.indexOf(':', ls)).toLowerCase();
    const line = m.slice(ls, le);
    const had = map.get(name);
    map.set(name, had === undefined ? line : `${had}\r\n${line}`);
    ls = le + 2;
  }
  return map;
}

/** uas.xml's response to a request the proxy forwarded. */
function answer(rq: Map<string, string>, status: string, tag: boolean, body = ''): Buffer {
  const rr = rq.get('record-route');
  return Buffer.from(`SIP/2.0 ${status}\r\n${rq.get('via')}\r\n${rr ? `${rr}\r\n` : ''}${rq.get('from')}\r\n${rq.get('to')}${tag ? ';tag=uas1' : ''}\r\n${rq.get('call-id')}\r\n${rq.get('cseq')}\r\nContact: <sip:127.0.0.1:${UAS};transport=UDP>\r\n${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`, 'latin1');
}

/** The caller's in-dialog request (ACK or BYE) through the Record-Route set. */
function inDialog(method: string, seq: number, inv: Map<string, string>, ok: Map<string, string>, i: number, round: number): Buffer {
  const rr = (ok.get('record-route') ?? '').replace(/^record-route:/i, 'Route:');
  return Buffer.from(`${method} sip:127.0.0.1:${UAS};transport=UDP SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${UAC};branch=z9hG4bK-1-${round}-${i}-${seq}\r\n${rr}\r\n${inv.get('from')}\r\n${ok.get('to')}\r\n${inv.get('call-id')}\r\nCSeq: ${seq} ${method}\r\nContact: <sip:sipp@127.0.0.1:${UAC}>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`, 'latin1');
}

/** What the proxy sent to `port` since the last look. */
function take(port: number): string[] {
  const got = out.filter((o) => o.dest.port === port).map((o) => o.data.toString('latin1'));
  out.length = 0;
  return got;
}

function oneCall(i: number, round: number): boolean {
  const inv = invite(i, round);
  proxy.onMessage(inv, fromUac);
  const fwd = take(UAS)[0];
  if (!fwd) return false;
  const fwdH = headerLines(fwd);
  proxy.onMessage(answer(fwdH, '180 Ringing', true), fromUas);
  proxy.onMessage(answer(fwdH, '200 OK', true, SDP), fromUas);
  const ok200 = take(UAC).find((m) => m.startsWith('SIP/2.0 200'));
  if (!ok200) return false;
  const invH = headerLines(inv.toString('latin1'));
  const okH = headerLines(ok200);
  proxy.onMessage(inDialog('ACK', 1, invH, okH, i, round), fromUac);
  proxy.onMessage(inDialog('BYE', 2, invH, okH, i, round), fromUac);
  const bye = take(UAS).find((m) => m.startsWith('BYE'));
  if (!bye) return false;
  proxy.onMessage(answer(headerLines(bye), '200 OK', false), fromUas);
  take(UAC);
  return true;
}

/** The driver's own work per call (building and reading messages, as oneCall does), measured to be taken off. */
function driverCost(n: number, round: number): number {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const invB = invite(i, round);
    const inv = invB.toString('latin1');
    const invH = headerLines(inv);
    headerLines(inv);
    answer(invH, '180 Ringing', true);
    const okH = headerLines(answer(invH, '200 OK', true, SDP).toString('latin1'));
    headerLines(inv);
    inDialog('ACK', 1, invH, okH, i, round);
    headerLines(inDialog('BYE', 2, invH, okH, i, round).toString('latin1'));
    answer(invH, '200 OK', false);
    for (let k = 0; k < 7; k++) out.push({ dest: { transport: 'udp', address: '127.0.0.1', port: k & 1 ? UAC : UAS }, data: invB });
    take(UAC);
  }
  const c = process.cpuUsage(t);
  return (c.user + c.system) / n;
}

for (let r = 0; r < ROUNDS; r++) {
  // A fresh proxy per round: timers do not run in this synchronous loop, so transactions would only pile up.
  proxy.stop();
  proxy = new Proxy({ transport, nextHop: sip.parseUri(`sip:127.0.0.1:${UAS}`)!, screener });
  engineNs = 0n;
  const base = driverCost(Math.min(CALLS, 20_000), r + 100);
  const t = process.cpuUsage();
  let failed = 0;
  for (let i = 0; i < CALLS; i++) if (!oneCall(i, r)) failed++;
  const c = process.cpuUsage(t);
  const perCall = (c.user + c.system) / CALLS - base;
  const eng = Number(engineNs) / 1000 / CALLS;
  process.stdout.write(`round ${r + 1}: ${CALLS} calls, ${failed} failed: proxy ${perCall.toFixed(1)} µs/call (engine ${eng.toFixed(1)}, rest ${(perCall - eng).toFixed(1)}), driver ${base.toFixed(1)} µs/call taken off; live tx ${JSON.stringify(proxy.sizes())}\n`);
}
proxy.stop();
await transport.close();
