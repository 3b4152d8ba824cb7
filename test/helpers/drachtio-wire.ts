/**
 * drachtio-srf's real classes with a stand-in for the drachtio-server
 * connection, for tests that must not need a server.
 *
 * Everything above the socket is drachtio-srf's own code: a real Srf, its
 * connect app, and the real DrachtioAgent, set up the way Srf#connect does it
 * (connect.js app.connect → proto.js _init) except that the agent's
 * WireProtocol is replaced by `WireStandIn`, which records every message the
 * agent writes and returns the message id the agent uses to match replies.
 * Replies and server-originated messages are fed to DrachtioAgent#_onMsg in
 * the exact text format drachtio-server writes (client.cpp
 * sendSipMessageToClient / sendApiResponseToClient / sendCdrToClient,
 * sip-proxy-controller.cpp for proxy results), so what res.send and
 * srf.proxyRequest put "on the wire" is what the agent really produces.
 *
 * Requests are built from raw SIP text with Srf.SipMessage / Srf.SipRequest /
 * Srf.SipResponse and wired to the agent as DrachtioAgent#_onMsg does.
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import type { DrachtioRequest, DrachtioResponse, SrfInstance } from '../../lib/sip/drachtio-types.js';

const requireCjs = createRequire(import.meta.url);

const CRLF = '\r\n';

// ---- narrow types for drachtio-srf internals driven here (test-only) ----

export interface SipMessageT {
  get(name: string): string | undefined;
  has(name: string): boolean;
  set(name: string, value: string): unknown;
  readonly headers: Record<string, string>;
  readonly method?: string;
  readonly status?: number;
  readonly reason?: string;
  readonly uri?: string;
  readonly callingNumber: string;
  readonly calledNumber: string;
  getParsedHeader(name: string): unknown;
  toString(): string;
}

export interface WireMeta {
  source: 'network' | 'application';
  address: string;
  port: string;
  protocol: string;
  time: string;
  transactionId: string;
  dialogId?: string;
}

export interface RequestT extends DrachtioRequest {
  readonly msg: SipMessageT;
  readonly callingNumber: string;
  readonly calledNumber: string;
  res: ResponseT;
  agent: unknown;
  socket: unknown;
  getParsedHeader(name: string): unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

export interface ResponseT extends DrachtioResponse {
  req: RequestT;
  agent: unknown;
  socket: unknown;
  readonly status?: number;
}

interface ServerEntry {
  pendingRequests: Map<string, unknown>;
  pendingNetworkInvites: Map<string, { req: RequestT; res: ResponseT }>;
  authenticated: boolean;
}

interface AgentT {
  wp: unknown;
  secret: string;
  tags: string[];
  mapServer: Map<Socket, ServerEntry>;
  _initServer(socket: Socket): ServerEntry;
  _onConnect(socket: Socket): void;
  _onMsg(socket: Socket, msg: string): void;
}

interface SrfAppT {
  _init(): AgentT;
  client?: AgentT;
}

interface SrfStatics {
  new (): SrfInstance;
  SipMessage: new (raw?: string) => SipMessageT;
  SipRequest: new (msg: SipMessageT, meta: WireMeta) => RequestT;
  SipResponse: new (agent?: unknown) => ResponseT;
}

export const Srf: SrfStatics = requireCjs('drachtio-srf');

/** Stands in for lib/wire-protocol.js: the agent calls send() to write a framed message and uses the returned id. */
export class WireStandIn {
  readonly isClient = true;
  readonly sent: { id: string; text: string }[] = [];
  private n = 0;

  send(_socket: unknown, msg: string): string {
    const id = `msg-${++this.n}`;
    this.sent.push({ id, text: msg });
    return id;
  }

  startPinging(): void {}
  disconnect(): void {}
}

// ---- drachtio-server's message formats ----

/** Wire time stamps look like Cdr::encodeMetaData's: HH:MM:SS.micro, no date. */
export const wireTime = (): string => '12:00:00.000000';

/** A SIP message from the network (client.cpp: uuid|sip|source|bytes|proto|addr|port|time|txnId||). */
export function sipFromServer(raw: string, m: Partial<WireMeta> & { transactionId: string }): string {
  const meta = [m.source ?? 'network', Buffer.byteLength(raw), m.protocol ?? 'udp', m.address ?? '198.51.100.7', m.port ?? '5060', m.time ?? wireTime(), m.transactionId, m.dialogId ?? ''];
  return `${randomUUID()}|sip|${meta.join('|')}|${CRLF}${raw}`;
}

/** An API response (client.cpp sendApiResponseToClient: uuid|response|msgId|text[|more]). */
export const apiResponse = (msgId: string, text: string): string => `${randomUUID()}|response|${msgId}|${text}`;

/** One final response of a proxy operation (sip-proxy-controller.cpp: meta + '|||continue' CRLF msg). */
export function proxyFinal(msgId: string, raw: string, from: { address?: string; port?: string } = {}): string {
  const meta = ['network', Buffer.byteLength(raw), 'udp', from.address ?? '127.0.0.1', from.port ?? '5090', wireTime()].join('|');
  return `${apiResponse(msgId, `OK|${meta}|||continue`)}${CRLF}${raw}`;
}

/** The end of a proxy operation (route_api_response(msgId, 'OK', 'done')). */
export const proxyDone = (msgId: string): string => apiResponse(msgId, 'OK|done');

/** A CDR (client.cpp sendCdrToClient: uuid|cdr:type|source|time[|role or reason] CRLF msg). */
export function cdrFromServer(kind: 'attempt' | 'start' | 'stop', source: string, extra: string | undefined, raw: string): string {
  return `${randomUUID()}|cdr:${kind}|${source}|${wireTime()}${extra === undefined ? '' : `|${extra}`}${CRLF}${raw}`;
}

// ---- raw SIP ----

export interface InviteSpec {
  callId?: string;
  ruri?: string;
  from?: string | null;
  to?: string;
  pai?: string;
  extra?: string[];
}

let seq = 0;

export function inviteText(s: InviteSpec = {}): string {
  const callId = s.callId ?? `call-${++seq}@test`;
  const lines = [
    `INVITE ${s.ruri ?? 'sip:+442079460123@ringfence.example'} SIP/2.0`,
    'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-edge-1',
    'Max-Forwards: 69',
  ];
  if (s.from !== null) lines.push(`From: ${s.from ?? '"Caller" <sip:+33612345678@carrier.example>;tag=f1'}`);
  lines.push(`To: ${s.to ?? '<sip:+442079460123@ringfence.example>'}`);
  lines.push(`Call-ID: ${callId}`, 'CSeq: 1 INVITE', 'Contact: <sip:edge@198.51.100.7:5060>');
  if (s.pai) lines.push(`P-Asserted-Identity: ${s.pai}`);
  for (const h of s.extra ?? []) lines.push(h);
  lines.push('Content-Length: 0', '', '');
  return lines.join(CRLF);
}

export function responseText(status: number, reason: string, callId: string, extra: string[] = []): string {
  return [
    `SIP/2.0 ${status} ${reason}`,
    'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-edge-1',
    'From: "Caller" <sip:+33612345678@carrier.example>;tag=f1',
    `To: <sip:+442079460123@ringfence.example>${status > 100 ? ';tag=t9' : ''}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join(CRLF);
}

/** The caller's CANCEL of inviteText()'s INVITE (same Call-ID, Via branch and CSeq number). */
export function cancelText(callId: string): string {
  return [
    'CANCEL sip:+442079460123@ringfence.example SIP/2.0',
    'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-edge-1',
    'Max-Forwards: 70',
    'From: "Caller" <sip:+33612345678@carrier.example>;tag=f1',
    'To: <sip:+442079460123@ringfence.example>',
    `Call-ID: ${callId}`,
    'CSeq: 1 CANCEL',
    'Content-Length: 0',
    '',
    '',
  ].join(CRLF);
}

export function byeText(callId: string): string {
  return [
    'BYE sip:edge@198.51.100.7:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-bye-1',
    'From: <sip:+442079460123@ringfence.example>;tag=t9',
    'To: "Caller" <sip:+33612345678@carrier.example>;tag=f1',
    `Call-ID: ${callId}`,
    'CSeq: 2 BYE',
    'Content-Length: 0',
    '',
    '',
  ].join(CRLF);
}

// ---- the stand-in connection ----

export interface SentResponse {
  txnId: string;
  msg: SipMessageT;
}

export interface SentProxy {
  msgId: string;
  txnId: string;
  remainInDialog: boolean;
  fullResponse: boolean;
  destinations: string[];
  msg: SipMessageT;
}

export class Wire {
  readonly srf: SrfInstance;
  agent!: AgentT;
  readonly wp = new WireStandIn();
  readonly socket = new Socket();
  private txn = 0;

  /** A real Srf, connected and authenticated through the stand-in unless `connected` is false (then call connect()). */
  constructor(connected = true) {
    this.srf = new Srf();
    if (connected) this.connect();
  }

  /** What Srf#connect does up to a successful authentication; throws where app.connect would. */
  connect(): void {
    const app: SrfAppT = Reflect.get<object, string>(this.srf, 'app');
    // What app.connect does (connect.js/proto.js), minus opening a TCP socket.
    this.agent = app._init();
    app.client = this.agent;
    this.agent.secret = 'cymru';
    this.agent.tags = [];
    this.agent.wp = this.wp;
    this.agent._onConnect(this.socket);
    const auth = this.wp.sent.find((s) => s.text.startsWith('authenticate|'));
    if (!auth) throw new Error('agent did not authenticate');
    this.deliver(apiResponse(auth.id, 'OK|udp/127.0.0.1:5060|v0.9.2'));
  }

  /** Feed one message from "drachtio-server" to the agent. */
  deliver(text: string): void {
    this.agent._onMsg(this.socket, text);
  }

  get server(): ServerEntry {
    const e = this.agent.mapServer.get(this.socket);
    if (!e) throw new Error('no server entry');
    return e;
  }

  /**
   * An incoming INVITE as Srf.SipRequest / Srf.SipResponse, wired to the
   * agent the way DrachtioAgent#_onMsg wires network requests.
   */
  request(raw: string, meta: Partial<WireMeta> = {}): { req: RequestT; res: ResponseT } {
    const msg = new Srf.SipMessage(raw);
    const req = new Srf.SipRequest(msg, {
      source: 'network',
      address: '198.51.100.7',
      port: '5060',
      protocol: 'udp',
      time: wireTime(),
      transactionId: `txn-${++this.txn}`,
      dialogId: '',
      ...meta,
    });
    const res = new Srf.SipResponse();
    req.res = res;
    res.req = req;
    req.agent = res.agent = this.agent;
    req.socket = res.socket = this.socket;
    if (req.method === 'INVITE') this.server.pendingNetworkInvites.set(req.get('call-id') ?? '', { req, res });
    return { req, res };
  }

  /** An INVITE through the agent's own parsing and the Srf app's middleware stack. */
  inviteThroughApp(raw: string, meta: Partial<WireMeta> = {}): void {
    this.deliver(sipFromServer(raw, { transactionId: `txn-${++this.txn}`, ...meta }));
  }

  /** SIP responses the agent wrote (DrachtioAgent#sendMessage: 'sip|txnId|dialogId' CRLF message). */
  responses(): SentResponse[] {
    return this.wp.sent
      .filter((s) => s.text.startsWith('sip|'))
      .map((s) => {
        const [leader, body] = splitLeader(s.text);
        return { txnId: leader.split('|')[1] ?? '', msg: new Srf.SipMessage(body) };
      });
  }

  /** Proxy requests the agent wrote (DrachtioAgent#proxy). */
  proxies(): SentProxy[] {
    return this.wp.sent
      .filter((s) => s.text.startsWith('proxy|'))
      .map((s) => {
        const [leader, body] = splitLeader(s.text);
        const t = leader.split('|');
        return {
          msgId: s.id,
          txnId: t[1] ?? '',
          remainInDialog: t[2] === 'remainInDialog',
          fullResponse: t[3] === 'fullResponse',
          destinations: t.slice(8),
          msg: new Srf.SipMessage(body),
        };
      });
  }

  /** Route registrations the agent sent ('route|invite', 'route|cdr:start', ...). */
  routes(): string[] {
    return this.wp.sent.filter((s) => s.text.startsWith('route|')).map((s) => s.text.slice('route|'.length));
  }

  /** Complete a proxy operation with one final response from the next hop. */
  finishProxy(p: SentProxy, raw: string | null): void {
    if (raw !== null) this.deliver(proxyFinal(p.msgId, raw));
    this.deliver(proxyDone(p.msgId));
  }

  /**
   * drachtio-server's reply to the i-th response the app wrote
   * (doRespondToSipRequest → route_api_response): OK with the response as
   * sent, or NOK with the reason.
   */
  replyToResponse(i: number, nok?: string): void {
    const sent = this.wp.sent.filter((s) => s.text.startsWith('sip|'))[i];
    if (!sent) throw new Error(`no response ${i} was written`);
    if (nok !== undefined) {
      this.deliver(apiResponse(sent.id, `NOK|${nok}`));
      return;
    }
    const [leader, body] = splitLeader(sent.text);
    const meta = ['application', Buffer.byteLength(body), 'udp', '127.0.0.1', '5060', wireTime(), leader.split('|')[1] ?? '', ''].join('|');
    this.deliver(`${apiResponse(sent.id, `OK|${meta}||Msg sent:|`)}${CRLF}${body}`);
  }

  /** drachtio-server failing the proxy operation (Request#proxy rejects with the reason). */
  failProxy(p: SentProxy, reason: string): void {
    this.deliver(apiResponse(p.msgId, `NOK|${reason}`));
  }

  cdr(kind: 'start' | 'stop', source: string, extra: string, raw: string): void {
    this.deliver(cdrFromServer(kind, source, extra, raw));
  }
}

function splitLeader(text: string): [string, string] {
  const i = text.indexOf(CRLF);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 2)];
}

/** Let promise callbacks and setImmediate-deferred emits run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
