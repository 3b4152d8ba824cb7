/**
 * A SIP caller and callee on 127.0.0.1 built on the `sip` package, for the
 * end-to-end test against a real drachtio-server. The callee's behaviour is
 * chosen by the called number's last digits: ...486 answers 486 Busy Here,
 * ...487 rings until cancelled, anything else answers 200 OK. The caller
 * ACKs a 2xx and hangs up after a delay, or CANCELs on 180.
 */
import { createRequire } from 'node:module';
import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';

const requireCjs = createRequire(import.meta.url);

// ---- narrow types for the parts of `sip` 0.0.6 used here ----

export interface NameAddrObj {
  name?: string;
  uri: unknown;
  params: Record<string, string | null | undefined>;
}

export interface SipMsg {
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  headers: {
    to: NameAddrObj;
    from: NameAddrObj;
    'call-id': string;
    cseq: { method: string; seq: number };
    via?: unknown[];
    contact?: NameAddrObj[];
    'record-route'?: NameAddrObj[];
    route?: NameAddrObj[];
    [name: string]: unknown;
  };
  content?: string;
}

interface SipStack {
  send(m: SipMsg, callback?: (rs: SipMsg) => void): void;
  destroy(): void;
}

interface SipModule {
  create(opts: { address: string; port: number; udp: boolean; tcp: boolean; publicAddress?: string }, onRequest: (rq: SipMsg) => void): SipStack;
  makeResponse(rq: SipMsg, status: number, reason?: string): SipMsg;
  stringifyUri(u: unknown): string;
}

const sip: SipModule = requireCjs('sip');

// `sip` treats any request URI whose host equals its own hostname (publicAddress, else the bound
// address) as one of its flow tokens, so with 127.0.0.1 on both sides it would never send to
// 127.0.0.1. Both peers therefore call themselves 'localhost' in Via; replies follow rport anyway.

/** A UDP port that was free a moment ago. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const uriText = (u: unknown): string => (typeof u === 'string' ? u : sip.stringifyUri(u));
const userOf = (uri: string): string => /^(?:sips?|tel):([^@;]*)/.exec(uri)?.[1] ?? '';

/**
 * The called number as the callee sees it: the Request-URI user part. The
 * caller dials drachtio-server's own address, so drachtio-server replaces
 * the Request-URI with the proxy destination (sip-proxy-controller.cpp
 * forwardRequest); the number is there only if Ringfence put it in the
 * destination.
 */
export const calledUser = (rq: SipMsg): string => userOf(uriText(rq.uri));

export class Callee {
  readonly invites: SipMsg[] = [];
  readonly byes: SipMsg[] = [];
  private readonly ringing = new Map<string, SipMsg>();
  private readonly stack: SipStack;
  readonly port: number;

  private constructor(port: number) {
    this.port = port;
    this.stack = sip.create({ address: '127.0.0.1', publicAddress: 'localhost', port, udp: true, tcp: false }, (rq) => this.onRequest(rq));
  }

  static async start(): Promise<Callee> {
    return new Callee(await freeUdpPort());
  }

  private onRequest(rq: SipMsg): void {
    const callId = rq.headers['call-id'];
    switch (rq.method) {
      case 'INVITE': {
        this.invites.push(rq);
        rq.headers.to.params.tag = `callee-${randomUUID().slice(0, 8)}`;
        const user = calledUser(rq);
        if (user.endsWith('486')) {
          this.stack.send(sip.makeResponse(rq, 486, 'Busy Here'));
        } else if (user.endsWith('487')) {
          this.ringing.set(callId, rq);
          this.stack.send(sip.makeResponse(rq, 180, 'Ringing'));
        } else {
          const rs = sip.makeResponse(rq, 200, 'OK');
          rs.headers.contact = [{ uri: `sip:callee@127.0.0.1:${this.port}`, params: {} }];
          // RFC 3261 12.1.1: the UAS copies Record-Route into its 2xx, so the caller's BYE goes via drachtio-server.
          if (rq.headers['record-route']) rs.headers['record-route'] = rq.headers['record-route'];
          this.stack.send(rs);
        }
        break;
      }
      case 'CANCEL': {
        this.stack.send(sip.makeResponse(rq, 200, 'OK'));
        const inv = this.ringing.get(callId);
        if (inv) {
          this.ringing.delete(callId);
          this.stack.send(sip.makeResponse(inv, 487, 'Request Terminated'));
        }
        break;
      }
      case 'BYE':
        this.byes.push(rq);
        this.stack.send(sip.makeResponse(rq, 200, 'OK'));
        break;
      default:
        break;
    }
  }

  stop(): void {
    this.stack.destroy();
  }
}

export interface CallResult {
  statuses: number[];
  final: number;
  /** Status of the BYE, when the call was answered and hung up. */
  bye?: number;
}

export class Caller {
  private readonly stack: SipStack;
  readonly port: number;

  private constructor(port: number) {
    this.port = port;
    this.stack = sip.create({ address: '127.0.0.1', publicAddress: 'localhost', port, udp: true, tcp: false }, () => undefined);
  }

  static async start(): Promise<Caller> {
    return new Caller(await freeUdpPort());
  }

  /** Place a call to `callee` through `target` (host:port of drachtio-server's SIP contact). */
  call(o: { target: string; callee: string; caller: string; display?: string; hangUpAfterMs?: number; cancelOnRinging?: boolean; timeoutMs?: number }): Promise<CallResult> {
    const callId = `e2e-${randomUUID()}@127.0.0.1`;
    const from: NameAddrObj = { uri: `sip:${o.caller}@127.0.0.1:${this.port}`, params: { tag: randomUUID().slice(0, 8) } };
    if (o.display) from.name = `"${o.display}"`;
    const rq: SipMsg = {
      method: 'INVITE',
      uri: `sip:${o.callee}@${o.target}`,
      headers: {
        to: { uri: `sip:${o.callee}@${o.target}`, params: {} },
        from,
        'call-id': callId,
        cseq: { method: 'INVITE', seq: 1 },
        contact: [{ uri: `sip:caller@127.0.0.1:${this.port}`, params: {} }],
        'max-forwards': 70,
      },
    };
    const statuses: number[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`call ${callId}: no final outcome (statuses ${statuses.join(',')})`)), o.timeoutMs ?? 15_000);
      const done = (r: CallResult): void => {
        clearTimeout(timer);
        resolve(r);
      };
      let cancelled = false;
      let acked = false;
      this.stack.send(rq, (rs) => {
        const status = rs.status ?? 0;
        statuses.push(status);
        if (status === 180 && o.cancelOnRinging && !cancelled) {
          cancelled = true;
          this.stack.send({
            method: 'CANCEL',
            uri: rq.uri,
            headers: { to: rq.headers.to, from, 'call-id': callId, cseq: { method: 'CANCEL', seq: 1 }, via: rq.headers.via },
          });
        }
        if (status >= 200 && status < 300 && !acked) {
          acked = true;
          const contact = rs.headers.contact?.[0]?.uri;
          const target = contact === undefined ? uriText(rq.uri) : uriText(contact);
          const route = [...(rs.headers['record-route'] ?? [])].reverse();
          const inDialog = (method: string, seq: number): SipMsg => ({
            method,
            uri: target,
            headers: { to: rs.headers.to, from, 'call-id': callId, cseq: { method, seq }, route: [...route], 'max-forwards': 70 },
          });
          this.stack.send(inDialog('ACK', 1));
          setTimeout(() => {
            this.stack.send(inDialog('BYE', 2), (b) => {
              if ((b.status ?? 0) >= 200) done({ statuses, final: status, bye: b.status ?? 0 });
            });
          }, o.hangUpAfterMs ?? 500);
        } else if (status >= 300) {
          done({ statuses, final: status });
        }
      });
    });
  }

  stop(): void {
    this.stack.destroy();
  }
}
