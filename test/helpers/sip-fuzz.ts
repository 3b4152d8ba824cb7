/**
 * A structured (grammar-aware) SIP mutation fuzzer for tests.
 *
 * Messages are kept as a start line, a list of header lines and a body, so
 * that mutations act on SIP's grammar (drop, repeat or reorder a header,
 * write it in compact form, fold it, give it an absurd value, a weird URI,
 * a Via stack of a hundred entries, a Content-Length that lies) rather
 * than on bytes alone; a few byte-level mutations (NULs, high bytes,
 * truncation) are applied on top, away from the lines that decide where
 * a message goes.
 *
 * Everything is driven by a seeded generator, so a seed always produces the
 * same messages. Every host and port a mutation writes where the proxy could
 * send something (Route, Request-URI, Via) is 127.0.0.1, localhost or
 * unusable (IPv6, junk): fuzzing sends traffic to nowhere else.
 */

import { RouteSigner } from '../../lib/sip/proxy/ids.js';

/**
 * The key fuzzed proxies sign their Record-Route with (pass it as routeKey),
 * so fuzzed in-dialog requests can carry this call's signature and reach the
 * forwarding code, as well as forged ones that must be refused.
 */
export const FUZZ_ROUTE_KEY = Buffer.alloc(32, 0x5a);
const signer = new RouteSigner(FUZZ_ROUTE_KEY);

/** A Route entry naming the proxy at `port`, signed for Call-ID `cid` as its Record-Route would be. */
export function ourRoute(port: number, cid: string, params = ''): string {
  return `<sip:127.0.0.1:${port};lr;rf=${signer.sign(cid)}${params}>`;
}

/** mulberry32: small, fast, good enough to drive a fuzzer, and reproducible. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
}

/** A message as lines: a header line is its name, its separator (the colon and the blanks around it) and its value. */
export interface Msg {
  start: string;
  headers: { name: string; sep: string; value: string }[];
  body: string;
}

/** A Content-Length value written as this becomes the body's byte length at render time. */
export const LEN = '@LEN';

export function render(m: Msg): Buffer {
  const bodyLen = Buffer.byteLength(m.body, 'latin1');
  let s = `${m.start}\r\n`;
  for (const h of m.headers) s += `${h.name}${h.sep}${h.value.replace(LEN, String(bodyLen))}\r\n`;
  s += `\r\n${m.body}`;
  return Buffer.from(s, 'latin1');
}

/** Parse wire text back into lines (for messages received, e.g. a forwarded INVITE to answer). */
export function lines(text: string): Msg {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 4);
  const parts = head.split(/\r\n(?![ \t])/);
  const start = parts.shift() ?? '';
  const headers = parts.map((l) => {
    const c = l.indexOf(':');
    return c < 0 ? { name: l, sep: '', value: '' } : { name: l.slice(0, c), sep: ':', value: l.slice(c + 1) };
  });
  return { start, headers, body };
}

export function h(name: string, value: string): { name: string; sep: string; value: string } {
  return { name, sep: ': ', value };
}

export const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

/** Where things are: every address is 127.0.0.1. */
export interface Ctx {
  /** The proxy's port for the transport in use. */
  proxyPort: number;
  /** The proxy's UDP port (its Via and Record-Route on UDP). */
  proxyUdpPort: number;
  /** Where the sender of the message listens (its Via). */
  myPort: number;
  transport: 'UDP' | 'TCP';
  calleePort: number;
  /** A socket that only listens: responses relayed to a Via of ours land there. */
  sinkPort: number;
}

const CALLERS = ['+442079460001', '+12025550100', '+8613912345678', '+33142685300', 'anonymous', '0044207946', '+', '', '%2B4420794600', '+4420\u00e9\u00ff79'];
const CALLEES = ['+8613800138000', '+8610123', 'callee', '', '911'];

/** URIs for From / To / Contact / Request-URI / Route: the odd ones a parser meets. Hosts are 127.0.0.1 or unusable. */
export function weirdUri(r: Rng, c: Ctx, user = r.pick(CALLEES)): string {
  const port = r.pick([c.proxyPort, c.calleePort, c.sinkPort, 0, 5060, 65535, 99999, 123456789]);
  return r.pick([
    `sip:${user}@127.0.0.1:${port}`,
    `sip:127.0.0.1:${port}`,
    `sip:127.0.0.1`,
    `sips:${user}@127.0.0.1:${port}`,
    `tel:${user}`,
    `tel:+1-202-555-0100;phone-context=example.com`,
    `sip:${user}@[::1]:5060`,
    `sip:${user}@[2001:db8::1]`,
    `sip:%2B44%20207@127.0.0.1:${port}`,
    `sip:${user}:secret@127.0.0.1:${port}`,
    `sip:${user}@127.0.0.1:${port};user=phone;transport=tcp`,
    `sip:${user}@127.0.0.1:${port};transport=TCP;lr`,
    `sip:${user}@127.0.0.1:${port};maddr=127.0.0.1`,
    `sip:${user}@127.0.0.1:${port};maddr=localhost`,
    `sip:${user}@localhost:${port}`,
    `sip:${user}@127.0.0.1:${port}?Subject=hi&Priority=urgent`,
    `sip:${user}@127.0.0.1:${port};;;=;a=b=c`,
    `sip:@127.0.0.1`,
    `sip:`,
    `sip:${'u'.repeat(3000)}@127.0.0.1`,
    `mailto:x@y`,
    `*`,
    `<sip:${user}@127.0.0.1>`,
    `sip:${user}@127.0.0.1:${port}\u0000`,
    `sip:\u00e9\u00e8@127.0.0.1`,
    `http://127.0.0.1/`,
  ]);
}

function nameAddr(r: Rng, c: Ctx, user: string, tag: string | null): string {
  const uri = r.chance(0.8) ? `sip:${user}@127.0.0.1` : weirdUri(r, c, user);
  const tagP = tag === null ? '' : `;tag=${tag}`;
  return r.pick([`<${uri}>${tagP}`, `"Disp" <${uri}>${tagP}`, `${uri}${tagP}`, `Bob <${uri}>${tagP}`, `"\\"q\\" \u00e9" <${uri}>${tagP}`]);
}

export function via(c: Ctx, branch: string): string {
  return ` SIP/2.0/${c.transport} 127.0.0.1:${c.myPort};branch=${branch};rport`;
}

export function callId(r: Rng): string {
  return `fz-${r.hex(12)}@fuzz`;
}

/** An initial INVITE to the proxy, as an edge sends it. */
export function invite(r: Rng, c: Ctx, o: { cid?: string; branch?: string; caller?: string; callee?: string } = {}): Msg {
  const caller = o.caller ?? r.pick(CALLERS);
  const callee = o.callee ?? r.pick(CALLEES);
  return {
    start: `INVITE sip:${callee}@127.0.0.1:${c.proxyPort} SIP/2.0`,
    headers: [
      h('Via', via(c, o.branch ?? `z9hG4bK${r.hex(16)}`).trim()),
      h('Max-Forwards', '70'),
      h('From', nameAddr(r, c, caller, r.hex(8))),
      h('To', `<sip:${callee}@127.0.0.1>`),
      h('Call-ID', o.cid ?? callId(r)),
      h('CSeq', '1 INVITE'),
      h('Contact', `<sip:caller@127.0.0.1:${c.myPort}>`),
      h('Content-Type', 'application/sdp'),
      h('Content-Length', LEN),
    ],
    body: SDP,
  };
}

/** An in-dialog request along our Record-Route (ACK, BYE, re-INVITE, INFO, UPDATE, CANCEL). */
export function inDialog(r: Rng, c: Ctx, method: string, o: { cid?: string; fromTag?: string; toTag?: string; seq?: number; branch?: string } = {}): Msg {
  const headers = [
    h('Via', via(c, o.branch ?? `z9hG4bK${r.hex(16)}`).trim()),
    h('Max-Forwards', '70'),
    h('Route', `<sip:127.0.0.1:${c.proxyUdpPort};lr>`),
    h('From', `<sip:+442079460001@127.0.0.1>;tag=${o.fromTag ?? r.hex(8)}`),
    h('To', `<sip:+8613800138000@127.0.0.1>;tag=${o.toTag ?? r.hex(8)}`),
    h('Call-ID', o.cid ?? callId(r)),
    h('CSeq', `${o.seq ?? 2} ${method}`),
    h('Content-Length', LEN),
  ];
  headers[2] = h('Route', ourRoute(c.proxyUdpPort, headers[5]!.value.trim()));
  const body = method === 'INVITE' || (method === 'ACK' && r.chance(0.3)) ? SDP : '';
  if (body) headers.splice(6, 0, h('Content-Type', 'application/sdp'));
  if (method === 'INVITE') headers.splice(6, 0, h('Contact', `<sip:caller@127.0.0.1:${c.myPort}>`));
  return { start: `${method} sip:callee@127.0.0.1:${c.calleePort} SIP/2.0`, headers, body };
}

/** A CANCEL or non-2xx ACK for an INVITE (same branch, no Route). */
export function hopRequest(r: Rng, c: Ctx, method: 'CANCEL' | 'ACK', inv?: Msg): Msg {
  if (inv) {
    const get = (n: string): string => inv.headers.find((x) => x.name.toLowerCase() === n)?.value.trim() ?? '';
    const to = method === 'ACK' ? `${get('to')};tag=${r.hex(6)}` : get('to');
    return {
      start: inv.start.replace(/^INVITE/, method),
      headers: [
        h('Via', get('via')),
        h('Max-Forwards', '70'),
        h('From', get('from')),
        h('To', to),
        h('Call-ID', get('call-id')),
        h('CSeq', `${get('cseq').split(/\s+/)[0] ?? '1'} ${method}`),
        h('Content-Length', LEN),
      ],
      body: '',
    };
  }
  const m = invite(r, c);
  return hopRequest(r, c, method, m);
}

export function options(r: Rng, c: Ctx): Msg {
  const user = r.chance(0.5) ? '' : 'someone@';
  return {
    start: `OPTIONS sip:${user}127.0.0.1:${c.proxyPort} SIP/2.0`,
    headers: [
      h('Via', via(c, `z9hG4bK${r.hex(16)}`).trim()),
      h('Max-Forwards', r.pick(['70', '0', '1'])),
      h('From', `<sip:ping@127.0.0.1>;tag=${r.hex(8)}`),
      h('To', `<sip:127.0.0.1:${c.proxyPort}>`),
      h('Call-ID', callId(r)),
      h('CSeq', '1 OPTIONS'),
      h('Content-Length', LEN),
    ],
    body: '',
  };
}

/**
 * A response as a callee sends it back: `vias` are the Via values as the
 * callee received them (the proxy's on top, so a live transaction may match),
 * or made up.
 */
export function response(r: Rng, c: Ctx, status: number, o: { vias?: string[]; cid?: string; method?: string; seq?: string; from?: string; to?: string } = {}): Msg {
  const vias = o.vias ?? [`SIP/2.0/UDP 127.0.0.1:${c.proxyUdpPort};branch=z9hG4bK${r.hex(16)}`, `SIP/2.0/UDP 127.0.0.1:${c.sinkPort};branch=z9hG4bK${r.hex(12)};received=127.0.0.1`];
  const method = o.method ?? r.pick(['INVITE', 'INVITE', 'BYE', 'CANCEL', 'OPTIONS', 'ACK']);
  const to = o.to ?? `<sip:+8613800138000@127.0.0.1>`;
  const msg = {
    start: `SIP/2.0 ${status} ${reasonFor(status)}`,
    headers: [
      ...vias.map((v) => h('Via', v.trim())),
      h('From', o.from ?? `<sip:+442079460001@127.0.0.1>;tag=${r.hex(8)}`),
      h('To', status > 100 && !/tag=/.test(to) ? `${to};tag=${r.hex(6)}` : to),
      h('Call-ID', o.cid ?? callId(r)),
      h('CSeq', o.seq ? `${o.seq} ${method}` : `1 ${method}`),
      ...(status >= 180 && status < 300 && method === 'INVITE' ? [h('Contact', `<sip:callee@127.0.0.1:${c.calleePort}>`), h('Record-Route', `<sip:127.0.0.1:${c.proxyUdpPort};lr>`)] : []),
      h('Content-Length', LEN),
    ],
    body: status === 200 && method === 'INVITE' && r.chance(0.5) ? SDP : '',
  };
  // A callee copies the Record-Route it got: ours, signed for the call.
  const rr = msg.headers.findIndex((x) => x.name === 'Record-Route');
  if (rr >= 0) msg.headers[rr] = h('Record-Route', ourRoute(c.proxyUdpPort, msg.headers.find((x) => x.name === 'Call-ID')!.value.trim()));
  return msg;
}

function reasonFor(s: number): string {
  return ({ 100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 486: 'Busy Here', 487: 'Request Terminated', 603: 'Decline' } as Record<number, string>)[s] ?? 'Whatever';
}

// ---------------------------------------------------------------- mutations

const MANDATORY = ['via', 'from', 'to', 'call-id', 'cseq', 'max-forwards', 'contact', 'route', 'record-route', 'content-length'];
const COMPACT: Record<string, string> = { via: 'v', from: 'f', to: 't', 'call-id': 'i', 'content-length': 'l', contact: 'm', 'content-type': 'c', supported: 'k', subject: 's' };
/** Lines whose hosts decide where the proxy sends things: byte-level noise stays out of them. */
const ROUTING = new Set(['route', 'via', 'v']);

function find(m: Msg, r: Rng, names?: string[]): number {
  const idx = m.headers.map((x, i) => [x, i] as const).filter(([x]) => !names || names.includes(canon(x.name)));
  return idx.length ? r.pick(idx)[1] : -1;
}

export function canon(n: string): string {
  const l = n.trim().toLowerCase();
  for (const [k, v] of Object.entries(COMPACT)) if (v === l) return k;
  return l;
}

const HUGE = (r: Rng): string => r.pick(['9'.repeat(30), 'x'.repeat(r.pick([1000, 8000, 30000])), '-1', '', ' ', '0', '4294967296', '2147483647', '2147483648', '1e3', '0x1f', 'NaN', 'Infinity', '1.5', '+5', '\u0000', '\u00ff\u00fe']);

const VIA_ODD = (r: Rng, c: Ctx): string => {
  const host = r.pick(['127.0.0.1', '127.0.0.1', '[::1]', '[2001:db8::1]', 'localhost', '', '127.0.0.1.', '0.0.0.0', 'a_b']);
  const port = r.pick([`:${c.myPort}`, `:${c.myPort}`, '', ':0', ':99999', ':-1', ':abc', `:${c.sinkPort}`]);
  const proto = r.pick([c.transport, c.transport, 'udp', 'TLS', 'SCTP', 'WS', '', 'UDP/extra']);
  const version = r.pick(['2.0', '2.0', '3.0', '1.0', '']);
  const params = r.pick([
    `;branch=z9hG4bK${r.hex(10)}`,
    `;branch=z9hG4bK${r.hex(10)};rport`,
    ';branch=',
    ';branch',
    ';branch=z9hG4bK',
    `;branch=${r.hex(6)}`,
    `;branch=z9hG4bK${r.hex(10)};rport=99999`,
    `;branch=z9hG4bK${r.hex(10)};rport=0`,
    `;branch=z9hG4bK${r.hex(10)};rport=abc`,
    `;branch=z9hG4bK${r.hex(10)};received=127.0.0.1;rport=${c.sinkPort}`,
    `;branch=z9hG4bK${r.hex(10)};received=[::1]`,
    `;branch=z9hG4bK${r.hex(10)};received=junk`,
    `;branch=z9hG4bK${r.hex(10)};branch=z9hG4bK${r.hex(10)}`,
    `;branch="z9hG4bK q"`,
    `;branch=z9hG4bK${r.hex(10)};maddr=127.0.0.1;ttl=1`,
    `;BRANCH=z9hG4bK${r.hex(10)};RPORT`,
    '',
  ]);
  return ` SIP/${version}/${proto} ${host}${port}${params}`;
};

type Mutator = (m: Msg, r: Rng, c: Ctx) => void;

const mutators: Mutator[] = [
  // Drop a mandatory header (all its lines).
  (m, r) => {
    const n = r.pick(MANDATORY);
    m.headers = m.headers.filter((x) => canon(x.name) !== n);
  },
  // Duplicate a header line, next to it or at the end.
  (m, r) => {
    const i = find(m, r);
    if (i < 0) return;
    const copy = { ...m.headers[i]! };
    if (r.chance(0.5)) m.headers.splice(i + 1, 0, copy);
    else m.headers.push(copy);
  },
  // Move a header line elsewhere.
  (m, r) => {
    const i = find(m, r);
    if (i < 0) return;
    const [x] = m.headers.splice(i, 1);
    m.headers.splice(r.int(m.headers.length + 1), 0, x!);
  },
  // Reverse all header lines.
  (m) => {
    m.headers.reverse();
  },
  // Compact form, or back; odd case.
  (m, r) => {
    const i = find(m, r);
    if (i < 0) return;
    const x = m.headers[i]!;
    const n = canon(x.name);
    x.name = r.pick([COMPACT[n] ?? x.name, x.name.toUpperCase(), x.name.toLowerCase(), n.replace(/-/g, '%2D'), `${x.name} `, `\t${x.name}`, encodeURIComponent(x.name).replace(/[a-z]/, (ch) => `%${ch.charCodeAt(0).toString(16)}`)]);
  },
  // Odd separators around the colon.
  (m, r) => {
    const i = find(m, r);
    if (i < 0) return;
    m.headers[i]!.sep = r.pick([':', ' : ', '\t:\t', ':   ', ' :', '::', ': \t ', ':\r\n ', ':\r\n\t']);
  },
  // Fold a value onto continuation lines.
  (m, r) => {
    const i = find(m, r);
    if (i < 0) return;
    const x = m.headers[i]!;
    const at = r.int(x.value.length + 1);
    x.value = `${x.value.slice(0, at)}\r\n${r.pick([' ', '\t', '  \t'])}${x.value.slice(at)}`;
  },
  // Odd whitespace inside a value.
  (m, r) => {
    const i = find(m, r);
    if (i < 0) return;
    const x = m.headers[i]!;
    x.value = x.value.replace(/ /g, () => r.pick([' ', '  ', '\t', ' \t '])) + r.pick(['', ' ', '\t', '   ']);
  },
  // Huge / empty / negative / non-numeric value of a numeric header or any header.
  (m, r) => {
    const i = find(m, r, ['cseq', 'max-forwards', 'content-length', 'expires', 'call-id', 'from', 'to', 'via', 'contact']);
    if (i < 0) return;
    const x = m.headers[i]!;
    const n = canon(x.name);
    if (n === 'cseq') {
      const [, method = 'INVITE'] = x.value.trim().split(/\s+/);
      x.value = ` ${r.chance(0.7) ? HUGE(r) : '1'} ${r.chance(0.7) ? method : r.pick(['', 'invite', 'FOO', 'ACK', 'BYE', 'CANCEL', 'INV ITE', '\u0000'])}`;
    } else if (n === 'via' && r.chance(0.5)) {
      x.value = r.pick([' ', '', ' SIP/2.0/UDP', ' garbage', ` ${'v'.repeat(5000)}`]);
    } else {
      x.value = ` ${HUGE(r)}`;
    }
  },
  // Weird URIs where URIs go (not the lines that route: Route keeps 127.0.0.1 hosts by construction).
  (m, r, c) => {
    const i = find(m, r, ['from', 'to', 'contact', 'route', 'record-route']);
    if (i < 0) return;
    const x = m.headers[i]!;
    const tag = /;tag=([^;>\s]+)/.exec(x.value)?.[1];
    const u = weirdUri(r, c);
    x.value = ` ${r.pick([`<${u}>`, u, `"x" <${u}>`, `<${u}>;lr`, `<${u}>, <${weirdUri(r, c)}>`, `<${u}`, `${u}>`])}${tag && r.chance(0.7) ? `;tag=${tag}` : ''}`;
  },
  // A weird Request-URI, method or version in the start line.
  (m, r, c) => {
    if (m.start.startsWith('SIP/')) {
      const [, , ...rest] = m.start.split(' ');
      m.start = `${r.pick(['SIP/2.0', 'SIP/2.0', 'SIP/3.0', 'sip/2.0', 'SIP/2.0 ', 'SIP/ 2.0'])} ${r.pick(['0', '99', '700', '1000', '199', '299', '100', '183', '200', '-1', '00200', '2000000000', ''])} ${rest.join(' ')}`;
      return;
    }
    const [method = 'INVITE', uri = '', version = 'SIP/2.0'] = m.start.split(' ');
    const which = r.int(3);
    if (which === 0) m.start = `${method} ${weirdUri(r, c)} ${version}`;
    else if (which === 1) m.start = `${r.pick([method.toLowerCase(), 'FOO', 'INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'PRACK', 'REGISTER', 'INV%49TE', 'I'])} ${uri} ${version}`;
    else m.start = r.pick([`${method}  ${uri}  ${version}`, `${method} ${uri} SIP/3.0`, `${method} ${uri}`, `${method} ${uri} SIP/2.0 extra`, `${method}\t${uri}\t${version}`, `${method} ${uri} SIP / 2.0`]);
  },
  // Many Vias: in one line, or one per line.
  (m, r, c) => {
    const n = r.pick([2, 10, 70, 200]);
    const i = find(m, r, ['via']);
    const at = i < 0 ? 0 : i + 1;
    const vs = Array.from({ length: n }, () => ` SIP/2.0/UDP 127.0.0.1:${c.sinkPort};branch=z9hG4bK${r.hex(8)}`);
    if (r.chance(0.5)) m.headers.splice(at, 0, h('Via', vs.join(',').trim()));
    else m.headers.splice(at, 0, ...vs.map((v) => h('Via', v.trim())));
  },
  // A Via with oddities, replacing one or added.
  (m, r, c) => {
    const i = find(m, r, ['via']);
    const v = { name: 'Via', sep: ':', value: VIA_ODD(r, c) };
    if (i >= 0 && r.chance(0.7)) m.headers[i] = { ...v, name: m.headers[i]!.name };
    else m.headers.splice(r.int(m.headers.length + 1), 0, v);
  },
  // Unicode, NULs or control bytes inside a value (not in routing lines).
  (m, r) => {
    const cand = m.headers.map((x, i) => [x, i] as const).filter(([x]) => !ROUTING.has(canon(x.name)));
    if (!cand.length) return;
    const x = r.pick(cand)[0];
    const at = r.int(x.value.length + 1);
    x.value = x.value.slice(0, at) + r.pick(['\u0000', '\u0000\u0000\u0000', '\u00e9', '\u00ff', '\u00c3\u00a9', '\u001b[31m', '\u007f', '\u0085', '\u00a0', '%00', '"', '<', '>', ',', ';', '\\', '\r', '\n', '\u0001']) + x.value.slice(at);
  },
  // Content-Length that lies, is absent, repeated, or a body of another length.
  (m, r) => {
    const i = m.headers.findIndex((x) => canon(x.name) === 'content-length');
    const len = Buffer.byteLength(m.body, 'latin1');
    const v = r.pick([String(len + 1), String(Math.max(0, len - 1)), '0', '99999999', '65536', String(len + 500), '-1', ' 1', `${len} `, `0${len}`, 'abc', '']);
    if (i >= 0) m.headers[i]!.value = ` ${v}`;
    else m.headers.push(h('Content-Length', v));
    if (r.chance(0.3)) m.body = r.pick(['', 'x', SDP, SDP + SDP, 'a'.repeat(2000), '\r\n\r\n', 'INVITE sip:x@127.0.0.1 SIP/2.0\r\n\r\n']);
  },
  // A body without the length fixed up, or the body changed with it.
  (m, r) => {
    m.body = r.pick(['', SDP, `${SDP}\u0000\u00ff`, 'x'.repeat(r.pick([1, 100, 5000])), '--b\r\n\r\n--b--']);
  },
  // A Route of ours followed by mutated entries; or a Route to elsewhere (127.0.0.1 only).
  (m, r, c) => {
    // Mostly signed for the message's Call-ID, as a real route set is; sometimes forged.
    const cid = m.headers.find((x) => canon(x.name) === 'call-id')?.value.trim() ?? '';
    const ours = r.chance(0.2) ? `<sip:127.0.0.1:${c.proxyUdpPort};lr>` : ourRoute(c.proxyUdpPort, cid);
    const rest = r.pick([`<sip:127.0.0.1:${c.calleePort};lr>`, `<sip:127.0.0.1:${c.sinkPort};lr;transport=tcp>`, `<sip:127.0.0.1:${c.proxyUdpPort};lr>`, `<${weirdUri(r, c)}>`, `<sip:127.0.0.1:${c.proxyPort}>`, `<sip:localhost:${c.sinkPort};lr>`, '<sip:[::1]:5060;lr>', 'garbage', '']);
    const value = r.pick([`${ours}, ${rest}`, ours, rest, `${ours},${ours},${ours}`, `<sip:127.0.0.1;lr>`]);
    m.headers = m.headers.filter((x) => canon(x.name) !== 'route');
    m.headers.splice(1 + r.int(m.headers.length), 0, h('Route', value));
  },
  // Extra odd headers: Record-Route, Proxy-Require, Require, long junk, empty names.
  (m, r) => {
    m.headers.splice(r.int(m.headers.length + 1), 0, r.pick([
      h('Record-Route', `<sip:127.0.0.1:1;lr>, <sip:[::1];lr>`),
      h('Proxy-Require', 'foo'),
      h('Require', '100rel'),
      h('X-Junk', 'y'.repeat(r.pick([10, 1000, 20000]))),
      { name: '', sep: ':', value: ' empty name' },
      { name: 'No-Colon-Here', sep: '', value: '' },
      h('Content-Type', 'multipart/mixed;boundary=b'),
      h('Expires', '-5'),
      h('X-Ringfence-Score', '0'),
      h('Constructor', 'x'),
      h('__proto__', 'x'),
      h('toString', 'x'),
      h('Contact', '*'),
      h('P-Asserted-Identity', '"x" <sip:+8613912345678@127.0.0.1>, <tel:+8613912345678>'),
      h('Supported', 'timer, 100rel'),
    ]));
  },
];

/** Byte-level noise on the rendered message, away from its start line and routing lines. */
function byteNoise(buf: Buffer, r: Rng, stream: boolean): Buffer {
  const s = buf.toString('latin1');
  // On a stream a cut or trailing junk runs into the next message, which then carries another's
  // headers: framing is fuzzed by the splits and Content-Lengths instead.
  const kind = stream ? 2 + r.int(2) : r.int(4);
  if (kind === 0) return Buffer.from(s.slice(0, r.int(s.length)), 'latin1'); // truncated
  if (kind === 1) return Buffer.from(s + r.pick(['\r\n', '\r\n\r\n', 'junk', '\u0000']), 'latin1');
  // Flip or insert a byte inside a non-routing header line.
  const ls = s.split('\r\n');
  const cand = ls.map((l, i) => [l, i] as const).filter(([l, i]) => i > 0 && l.includes(':') && !ROUTING.has(canon(l.slice(0, l.indexOf(':')))));
  if (!cand.length) return buf;
  const [line, i] = r.pick(cand);
  const at = r.int(line.length);
  const b = String.fromCharCode(r.int(256));
  ls[i] = kind === 2 ? line.slice(0, at) + b + line.slice(at + 1) : line.slice(0, at) + b + line.slice(at);
  return Buffer.from(ls.join('\r\n'), 'latin1');
}

/** Apply 0–4 grammar-level mutations (0 keeps the message valid), sometimes byte noise on top. */
export function mutate(m: Msg, r: Rng, c: Ctx, intensity = 1): Buffer {
  const n = r.chance(0.15) ? 0 : 1 + r.int(Math.max(1, Math.round(3 * intensity)));
  for (let i = 0; i < n; i++) r.pick(mutators)(m, r, c);
  const out = render(m);
  return r.chance(0.08 * intensity) ? byteNoise(out, r, c.transport === 'TCP') : out;
}

/** Deep copy, so a base message can be mutated many times. */
export function clone(m: Msg): Msg {
  return { start: m.start, headers: m.headers.map((x) => ({ ...x })), body: m.body };
}
