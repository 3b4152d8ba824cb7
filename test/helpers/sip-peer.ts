/**
 * Minimal SIP user agents for tests: a raw UDP socket on 127.0.0.1 plus the
 * `sip` package's parser and serialiser, driven step by step by each test,
 * so every header and every retransmission is under the test's control.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { sip, type NameAddr, type RouteEntry, type SipMessage, type SipRequest, type SipResponse } from '../../lib/sip/sip-types.js';

export interface Received {
  msg: SipMessage;
  raw: string;
  from: { address: string; port: number };
}

const rand = (n = 8): string => randomBytes(n).toString('hex');

export const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

export class UdpPeer {
  readonly queue: Received[] = [];
  /** Every message ever received, in order (the queue is consumed by next()). */
  readonly all: Received[] = [];
  private waiters: { pred: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  readonly tag = rand(4);

  private constructor(readonly sock: dgram.Socket, readonly port: number, readonly name: string) {
    sock.on('message', (buf, rinfo) => {
      const raw = buf.toString('latin1');
      const msg = sip.parse(raw);
      if (!msg) return;
      const r: Received = { msg, raw, from: { address: rinfo.address, port: rinfo.port } };
      this.all.push(r);
      const i = this.waiters.findIndex((w) => w.pred(r));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w!.resolve(r);
      } else {
        this.queue.push(r);
      }
    });
  }

  static async open(name = 'peer'): Promise<UdpPeer> {
    // A large receive buffer: a burst of test calls must not be lost in the test's own socket.
    const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    return new UdpPeer(sock, sock.address().port, name);
  }

  get uri(): string {
    return `sip:${this.name}@127.0.0.1:${this.port}`;
  }

  sendRaw(data: string | Buffer, port: number): void {
    this.sock.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, '127.0.0.1');
  }

  send(m: SipMessage, port: number): string {
    const s = sip.stringify(m);
    this.sendRaw(s, port);
    return s;
  }

  /** The next message matching `pred` (already queued or still to come). */
  next(pred: (m: SipMessage, r: Received) => boolean, timeoutMs = 3000, what = 'message'): Promise<Received> {
    const i = this.queue.findIndex((r) => pred(r.msg, r));
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const w = {
        pred: (r: Received) => pred(r.msg, r),
        resolve: (r: Received) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms; queue: ${this.queue.map((r) => startLine(r.msg)).join(' | ') || 'empty'}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  request(method: string, timeoutMs?: number, callId?: string): Promise<Received> {
    return this.next((m) => m.method === method && (!callId || m.headers['call-id'] === callId), timeoutMs, method);
  }

  response(status: number | ((s: number) => boolean), callId?: string, timeoutMs?: number, method?: string): Promise<Received> {
    const ok = typeof status === 'number' ? (s: number) => s === status : status;
    return this.next((m) => m.status !== undefined && ok(m.status) && (!callId || m.headers['call-id'] === callId) && (!method || m.headers.cseq?.method === method), timeoutMs, `response ${String(status)}`);
  }

  /** Resolves true if nothing matching arrives within ms. */
  async none(pred: (m: SipMessage) => boolean, ms: number): Promise<boolean> {
    try {
      await this.next(pred, ms);
      return false;
    } catch {
      return true;
    }
  }

  /** Answer a request: To tag (fixed per peer), Record-Route copied, Contact of ours. */
  reply(r: Received, status: number, reason: string, extra: Record<string, unknown> = {}, content?: string): SipResponse {
    const rq = r.msg as SipRequest;
    const rs = sip.makeResponse(rq, status, reason);
    if (status > 100 && !rq.headers.to!.params.tag) rs.headers.to = { ...rq.headers.to!, params: { ...rq.headers.to!.params, tag: this.tag } };
    if (rq.headers['record-route']) rs.headers['record-route'] = rq.headers['record-route'];
    if (rq.method === 'INVITE' && status < 300 && status > 100) rs.headers.contact = [{ uri: this.uri, params: {} }];
    Object.assign(rs.headers, extra);
    if (content) {
      rs.content = content;
      rs.headers['content-type'] = 'application/sdp';
    }
    this.send(rs, r.from.port);
    return rs;
  }

  close(): Promise<void> {
    return new Promise((r) => this.sock.close(() => r()));
  }
}

export function startLine(m: SipMessage): string {
  return m.method !== undefined ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`;
}

export function branch(): string {
  return `z9hG4bK${rand(10)}`;
}

export interface InviteOpts {
  caller?: string;
  callee?: string;
  proxyPort: number;
  callId?: string;
  pai?: string;
  display?: string;
  maxForwards?: string | undefined;
  headers?: Record<string, unknown>;
  route?: RouteEntry[];
  uri?: string;
}

/** An initial INVITE from `ua` addressed to the proxy (as sipp and edge proxies send them). */
export function makeInvite(ua: UdpPeer, o: InviteOpts): SipRequest {
  const caller = o.caller ?? '+442079460000';
  const callee = o.callee ?? '+8613800138000';
  const headers: SipRequest['headers'] = {
    via: [{ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: ua.port, params: { branch: branch(), rport: null } }],
    'max-forwards': o.maxForwards ?? '70',
    from: { name: o.display, uri: `sip:${caller}@127.0.0.1`, params: { tag: rand(4) } } as NameAddr,
    to: { uri: `sip:${callee}@127.0.0.1`, params: {} },
    'call-id': o.callId ?? `${rand(8)}@test`,
    cseq: { seq: 1, method: 'INVITE' },
    contact: [{ uri: ua.uri, params: {} }],
    'content-type': 'application/sdp',
  };
  if (o.maxForwards === undefined && 'maxForwards' in o) delete headers['max-forwards'];
  if (o.pai) headers['p-asserted-identity'] = o.pai;
  if (o.route) headers.route = o.route;
  Object.assign(headers, o.headers ?? {});
  return { method: 'INVITE', uri: o.uri ?? `sip:${callee}@127.0.0.1:${o.proxyPort}`, version: '2.0', headers, content: SDP };
}

/** ACK for a non-2xx final: same branch as the INVITE, To from the response (RFC 3261 §17.1.1.3). */
export function ackNon2xx(inv: SipRequest, rs: SipResponse): SipRequest {
  const headers: SipRequest['headers'] = {
    via: [inv.headers.via![0]!],
    'max-forwards': '70',
    from: inv.headers.from,
    to: rs.headers.to,
    'call-id': inv.headers['call-id'],
    cseq: { seq: inv.headers.cseq!.seq, method: 'ACK' },
  };
  if (inv.headers.route) headers.route = inv.headers.route;
  return { method: 'ACK', uri: inv.uri, version: '2.0', headers, content: '' };
}

/** An INVITE through the proxy at `port`, rung at the callee (180 relayed back): what each side holds of it. */
export async function ringingCall(uac: UdpPeer, uas: UdpPeer, port: number, o: Omit<InviteOpts, 'proxyPort'> = {}): Promise<{ inv: SipRequest; cid: string; got: Received }> {
  const inv = makeInvite(uac, { proxyPort: port, ...o });
  const cid = inv.headers['call-id']!;
  uac.send(inv, port);
  const got = await uas.request('INVITE', 3000, cid);
  uas.reply(got, 180, 'Ringing');
  await uac.response(180, cid);
  return { inv, cid, got };
}

/** CANCEL for an INVITE: its branch, From, To and Call-ID, CSeq number with method CANCEL (RFC 3261 §9.1). */
export function cancelOf(inv: SipRequest): SipRequest {
  const cancel: SipRequest = { ...ackNon2xx(inv, { headers: { to: inv.headers.to } } as SipResponse), method: 'CANCEL' };
  cancel.headers.cseq = { seq: inv.headers.cseq!.seq, method: 'CANCEL' };
  return cancel;
}

/** An in-dialog request from the caller after a 2xx: route set = Record-Route reversed, target = Contact. */
export function inDialog(ua: UdpPeer, method: string, inv: SipRequest, ok: SipResponse, seq: number): SipRequest {
  const rr = ok.headers['record-route'] ?? [];
  const contact = ok.headers.contact;
  const target = Array.isArray(contact) && contact[0] ? contact[0].uri : inv.uri;
  const headers: SipRequest['headers'] = {
    via: [{ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: ua.port, params: { branch: branch(), rport: null } }],
    'max-forwards': '70',
    from: inv.headers.from,
    to: ok.headers.to,
    'call-id': inv.headers['call-id'],
    cseq: { seq, method },
  };
  if (rr.length) headers.route = [...rr].reverse();
  return { method, uri: target, version: '2.0', headers, content: '' };
}

/** A BYE from the callee side: route set = Record-Route in order, target = the caller's Contact. */
export function calleeBye(ua: UdpPeer, invAtCallee: SipRequest, seq: number): SipRequest {
  const rr = invAtCallee.headers['record-route'] ?? [];
  const contact = invAtCallee.headers.contact;
  const target = Array.isArray(contact) && contact[0] ? contact[0].uri : '';
  const headers: SipRequest['headers'] = {
    via: [{ version: '2.0', protocol: 'UDP', host: '127.0.0.1', port: ua.port, params: { branch: branch(), rport: null } }],
    'max-forwards': '70',
    from: { ...invAtCallee.headers.to!, params: { ...invAtCallee.headers.to!.params, tag: ua.tag } },
    to: invAtCallee.headers.from,
    'call-id': invAtCallee.headers['call-id'],
    cseq: { seq, method: 'BYE' },
  };
  if (rr.length) headers.route = rr;
  return { method: 'BYE', uri: target, version: '2.0', headers, content: '' };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll until `f` is true or time runs out. */
export async function until(f: () => boolean, timeoutMs = 3000, step = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (f()) return true;
    await sleep(step);
  }
  return f();
}
