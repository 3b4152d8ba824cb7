/**
 * The standalone proxy's logic: a transaction-stateful, record-routing SIP
 * proxy (RFC 3261 §16–17) that screens each initial INVITE with the engine.
 *
 * It owns every transaction and dialog it tracks, in plain Maps with a hard
 * size limit and timer-driven expiry, and keeps as little as possible once a
 * transaction is decided (the wire bytes needed for a retransmission, not the
 * parsed message). The `sip` package only parses and serialises.
 *
 * What it does with each message:
 * - requests: validate → stamp Via received/rport → ACK / CANCEL / new
 *   transaction → Max-Forwards, loose routing, loop check → screen (initial
 *   INVITE) → reject locally, or push our Via (+ Record-Route) and forward;
 * - responses: must carry our Via on top; matched to a client transaction,
 *   or else forwarded statelessly (RFC 3261 §16.7: 2xx retransmissions
 *   arrive after the transaction is gone);
 * - outcomes: the final status of each forwarded initial INVITE and the BYE
 *   of each answered one go to screener.observe.
 */
import { isIPv4 } from 'node:net';
import { lookup } from 'node:dns/promises';
import { HopHealth } from './hop-health.js';
import type { Logger } from 'pino';
import { sourceHeaderWatch, type Screener } from '../../ops/screener.js';
import type { Decision } from '../../engine/types.js';
import { attemptFromHeaders, detach, prefixDisplayName, quoteDisplay, sourceOf, splitHeaderList, nameAddrDisplay } from '../headers.js';
import { fromWire, sip, toWire, type NameAddr, type Params, type RouteEntry, type SipRequest, type SipResponse, type SipUri, type Via } from '../sip-types.js';
import { decode, encode, MAX_UDP_PAYLOAD, type Dest, type Peer, type RawMessage, type SipTransport, type TransportName } from '../transport.js';
import { prettyHeaderName } from '../sip-text.js';
import { callKey, COOKIE, fnv32, newBranch, newTag, RouteSig, RouteSigner } from './ids.js';
import { TimerWheel, type TimerEntry } from './timers.js';
import { tombKey, TombStore, type TombValue } from './tombs.js';
import { responseFor, splicable, splice, viaText } from './wire.js';

/** RFC 3261 timer values, ms. Every one can be shortened for tests. */
export interface ProxyTimers {
  /** RTT estimate (500). */
  t1: number;
  /** Cap on non-INVITE request and INVITE response retransmit intervals (4000). */
  t2: number;
  /** Maximum time a message stays in the network (5000): Timers I and K. */
  t4: number;
  /** INVITE sent, no response at all: give up with 408 (64·T1). */
  timerB: number;
  /** INVITE got a provisional but no final: CANCEL it, 408 upstream (180 s; RFC: > 3 min). */
  timerC: number;
  /** Absorb retransmitted non-2xx finals after our ACK (32 s over UDP). */
  timerD: number;
  /** Non-INVITE sent, no final: 408 (64·T1), even after a 1xx. */
  timerF: number;
  /** Our non-2xx final to an INVITE, no ACK: give up (64·T1). */
  timerH: number;
  /** Absorb retransmitted non-INVITE requests after the final (64·T1 over UDP). */
  timerJ: number;
  /** Absorb retransmitted INVITEs after a 2xx was relayed (64·T1, RFC 6026 Timer L). */
  timerL: number;
  /** After a CANCEL, how long to wait for the final response before answering 487 ourselves (64·T1). */
  cancelWait: number;
  /** An answered call with no BYE is forgotten after this long (4 h). */
  dialog: number;
}

export function resolveTimers(t: Partial<ProxyTimers> = {}): ProxyTimers {
  const t1 = t.t1 ?? 500;
  const long = 64 * t1;
  return {
    t1,
    t2: t.t2 ?? 4000,
    t4: t.t4 ?? 5000,
    timerB: t.timerB ?? long,
    timerC: t.timerC ?? 180_000,
    timerD: t.timerD ?? 32_000,
    timerF: t.timerF ?? long,
    timerH: t.timerH ?? long,
    timerJ: t.timerJ ?? long,
    timerL: t.timerL ?? long,
    cancelWait: t.cancelWait ?? long,
    dialog: t.dialog ?? 4 * 3600_000,
  };
}

export interface ProxyOptions {
  transport: SipTransport;
  /** Where initial (out-of-dialog) requests go. */
  nextHop: SipUri;
  /**
   * Next-hop health (see HopHealth): down after downAfterMs without any response to
   * what was sent to it, or at once on a refused connection; OPTIONS once a request
   * has waited pingMs unanswered and every pingMs while down. pingMs 0: off (every
   * call waits out Timer B against a dead hop).
   */
  hopHealth?: { pingMs: number; downAfterMs: number };
  screener: Screener;
  logger?: Logger;
  timers?: Partial<ProxyTimers>;
  /** Address written in our Via and Record-Route when listening on 0.0.0.0. */
  advertise?: string;
  /** Other addresses that mean "us" in Route / Request-URI (e.g. a VIP). */
  aliases?: string[];
  /** Live server + client transactions at most; past it new requests get 503. */
  maxTransactions?: number;
  /**
   * Tombstones of finished transactions (kept 5-32 s to absorb
   * retransmissions) at most, default 4 × maxTransactions; past it the
   * oldest are forgotten early. One call leaves two for 32 s (its INVITE's
   * and its BYE's): 800,000 holds 12,500 calls/s.
   */
  maxTombstones?: number;
  /**
   * Bytes held for transactions at most (default 256 MiB): each request's
   * size for as long as its server transaction lives, what we sent for as
   * long as the client transaction lives, a kept final response for Timer J.
   * Past it new requests get 503. A count alone does not bound memory: a
   * ringing call keeps its request for Timer C, a final nobody ACKs is kept
   * for Timer H with the request's Call-ID, From, To and Vias, and 64 KB
   * messages are 40 times the usual size.
   */
  maxHeldBytes?: number;
  /** Tracked calls (for outcomes) at most; past it the oldest is forgotten. */
  maxDialogs?: number;
  maxMessageBytes?: number;
  /** Map a peer `ip` or `ip:port` to a trunk name for CallAttempt.source. */
  trunks?: Record<string, string>;
  /**
   * A header the edge proxy stamps with the ingress trunk or peer, read as
   * CallAttempt.source instead of the packet source: between the edge and the
   * domestic network every INVITE comes from the edge. Trust it only when the
   * edge removes the copy a caller may have sent.
   */
  sourceHeader?: string;
  /**
   * Key (16 bytes or more; serve asks 32 characters of a key file) that signs our Record-Route (see RouteSigner).
   * Default: one made at start, so in-dialog requests of calls set up before
   * a restart are refused; share one key across restarts and between the
   * proxies of a pair.
   */
  routeKey?: Buffer;
  /**
   * For upgrades from a build that did not sign its Record-Route: for this
   * long after start (ms), an in-dialog request whose Route of ours carries
   * no signature is passed as a call set up before the restart. Default 0.
   * While it lasts, a route set written by hand passes too.
   */
  unsignedRouteGraceMs?: number;
}

export interface ProxyCounters {
  requestsIn: number;
  responsesIn: number;
  invites: number;
  rejected: number;
  forwarded: number;
  tagged: number;
  responsesSent: number;
  statelessResponses: number;
  retransmissionsAbsorbed: number;
  retransmissionsSent: number;
  acksAbsorbed: number;
  acksForwarded: number;
  cancels: number;
  byes: number;
  timeoutB: number;
  timeoutC: number;
  timeoutF: number;
  timeoutH: number;
  cancelTimeouts: number;
  loops: number;
  /** In-dialog requests addressed to us with no Route left. */
  unroutable: number;
  /** Requests that our additions made too large for a datagram: answered 513. */
  tooLarge: number;
  /** Requests with no To tag that carried Route entries beyond ours: sent to the next hop without them. */
  preloadedRoute: number;
  /** In-dialog requests (To tag) that did not come back along our Record-Route: refused 404, or dropped for an ACK. */
  foreignDialog: number;
  /** In-dialog requests naming our Route without this call's signature on it (made up, or a key since changed): refused 404, or dropped for an ACK. */
  unsignedRoute: number;
  /**
   * In-dialog INVITEs with a valid signature of this process for a call it no
   * longer tracks as answered (hung up, never answered, or evicted past
   * maxDialogs): refused 404. A signature is not to be replayed as a way past screening.
   */
  deadDialog: number;
  /** In-dialog requests passed with an unsigned Route of ours during unsignedRouteGraceMs. */
  unsignedAccepted: number;
  tooManyHops: number;
  overload: number;
  /** New calls and other out-of-dialog requests refused 503 while shutting down (drain()). */
  stopping: number;
  /** 503s from the next hop answered 500 upstream instead (RFC 3261 §16.7). */
  converted503: number;
  /** Requests answered 503 at once because the next hop was not answering (hopHealth). */
  hopDown: number;
  /** OPTIONS pings sent to a quiet next hop (hopHealth). */
  hopPings: number;
  /** Requests answered at once because the transport could not reach where they were going (RFC 3261 §16.9). */
  unreachable: number;
  badMessages: number;
  /** Bad messages by kind. */
  bad: Record<string, number>;
  dropped: number;
  dialogsEvicted: number;
  /** Tombstones forgotten early, a generation at a time, past maxTombstones. */
  tombsShed: number;
  internalErrors: number;
}

export interface ProxySizes {
  /** Live transactions (what maxTransactions bounds). */
  serverTransactions: number;
  clientTransactions: number;
  /** Finished transactions kept to absorb retransmissions (what maxTombstones bounds). */
  tombstones: number;
  dialogs: number;
  timers: number;
  /** Bytes held for live transactions and kept final responses (bounded by maxHeldBytes). */
  heldBytes: number;
}

// What an in-dialog request's Route signature says (see Proxy.signature), weakest first.
type Sig = 0 | 1 | 2 | 3;
const NO_SIG: Sig = 0;
/** Ours, for a call not tracked as answered: good for BYE, ACK and the like, not for a re-INVITE. */
const SIG_STALE: Sig = 1;
/** Made by an earlier process with our key: a call set up before a restart. */
const SIG_EARLIER: Sig = 2;
/** The token of an answered call we track. */
const SIG_LIVE: Sig = 3;

// Marks of evicted calls.
const EVICTED_EARLY = 1;
const EVICTED_ANSWERED = 2;
const EVICTED_ENDED = 3;

// Transaction states.
const PROCEEDING = 1; // server: no final yet; client: got a provisional
const CALLING = 2; // client: nothing heard yet
const COMPLETED = 3; // final sent / received

// Timer kinds (one wheel for all owners).
const T_RETRANS = 1; // client A / E
const T_TIMEOUT = 2; // client B / F / cancel wait
const T_C = 3; // client Timer C
const T_CLIENT_END = 4; // client D
const T_G = 5; // server G
const T_H = 6; // server H
const T_DIALOG = 8;
const T_RETIRED = 9; // finished transactions forgotten (I / J / K / L)

class ServerTx {
  state = PROCEEDING;
  /** The request, kept until a final response is sent (needed to build responses). */
  rq: SipRequest | null;
  /** Its bytes, kept as long as `rq`: responses of ours are spliced from them. */
  raw: RawMessage | null;
  /** The first Via as stamped with received/rport, when that changed it; dropped with `raw`. */
  topVia: string | undefined;
  /** Last response sent, for retransmitted requests and Timer G. */
  last: Wire | null = null;
  client: ClientTx | null = null;
  initial = false;
  cancelled = false;
  /** When the caller's CANCEL came (ms), NaN until then. */
  cancelledAt = NaN;
  toTag = '';
  timer: TimerEntry<Owner> | null = null;
  timerH: TimerEntry<Owner> | null = null;
  interval = 0;
  /** Bytes counted in Proxy.held for this transaction (its request's size, until it is dropped). */
  weight = 0;
  constructor(
    readonly key: string,
    readonly invite: boolean,
    /** callKey() of the Call-ID. */
    readonly callId: string,
    readonly dest: Dest,
    readonly conn: Peer['conn'],
    rq: SipRequest,
    raw: RawMessage | null,
    topVia: string | undefined,
  ) {
    this.rq = rq;
    this.raw = raw;
    this.topVia = topVia;
  }
}

class ClientTx {
  state = CALLING;
  /** What we sent, for retransmission over UDP; dropped once a response arrives. */
  wire: Buffer | null;
  /** The request as sent (INVITE only), to build CANCEL and ACK; dropped at the final. */
  fwd: SipRequest | null;
  ack: Wire | null = null;
  provisional = false;
  cancelPending = false;
  cancelSent = false;
  timerRetrans: TimerEntry<Owner> | null = null;
  timerTimeout: TimerEntry<Owner> | null = null;
  timerC: TimerEntry<Owner> | null = null;
  timerEnd: TimerEntry<Owner> | null = null;
  interval = 0;
  /** Bytes counted in Proxy.held for this transaction (what it sent; its ACK is of the same making). */
  weight = 0;
  /** Sent to the next hop (an out-of-dialog request, or our OPTIONS ping): its responses say the hop is alive. */
  toHop = false;
  constructor(
    readonly key: string,
    readonly method: string,
    readonly dest: Dest,
    readonly server: ServerTx | null,
    wire: Buffer,
    fwd: SipRequest | null,
  ) {
    this.wire = wire;
    this.fwd = fwd;
  }
  get invite(): boolean {
    return this.method === 'INVITE';
  }
}

class Dialog {
  answered = false;
  timer: TimerEntry<Owner> | null = null;
  /** The signature on its Record-Route: its ACK and BYE are checked against this, not a new HMAC. */
  token = '';
  constructor(readonly callId: string) {}
}

/** On our own 503s (overload, stopping, a dead next hop): try another instance or route in 5 s. */
const RETRY_AFTER: Readonly<Record<string, string>> = Object.freeze({ 'retry-after': '5' });

/**
 * What is left of a finished transaction while it absorbs retransmissions
 * (Timers I, J, K, L): not the transaction object, its peer and its timers,
 * only a value under its key. Tens of thousands of these are alive at
 * a thousand calls a second, and the garbage collector walks each one.
 * - a string: a non-INVITE's final response, repeated to a retransmitted request (Timer J);
 * - ABSORB: an INVITE whose 2xx was relayed (RFC 6026 Accepted, Timer L), or a client
 *   transaction that got its final (Timer K): retransmissions are dropped;
 * - CONFIRMED: an INVITE whose non-2xx was ACKed (Timer I): retransmitted ACKs are dropped.
 */
const ABSORB = 1;
const CONFIRMED = 2;
type Tomb = string | typeof ABSORB | typeof CONFIRMED;

/** One kind of finished transaction: its tombstones (see TombStore) and the wheel entry that drops them when due. */
class Retired {
  /** A kept final response counts in the byte budget until its generation goes. */
  readonly tombs: TombStore;
  entry: TimerEntry<Owner> | null = null;
  constructor(delay: number) {
    this.tombs = new TombStore(delay);
  }
}

type Owner = ServerTx | ClientTx | Dialog | Retired;

/**
 * Bytes to send again on a retransmission. Kept for long (Timer J, D:
 * 32 s), a message is held as a string: a small Buffer is a slice of a
 * shared 8 KiB slab, and one kept slice keeps the whole slab, so a
 * retained BYE answer per call would pin every slab of the last 32 s.
 */
type Wire = Buffer | string;

function text(b: Wire): string {
  return typeof b === 'string' ? b : b.toString('latin1');
}

function bytes(w: Wire): Buffer {
  return typeof w === 'string' ? Buffer.from(w, 'latin1') : w;
}

const MANDATORY = ['via', 'from', 'to', 'call-id', 'cseq'] as const;
/** RFC 3261 methods and common extensions: one written in another case is not that method (methods are case-sensitive) and is refused, not proxied as an unknown method past screening. */
const METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE', 'INFO', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH']);
const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO, REFER, NOTIFY, MESSAGE';
/** Headers a decision may not overwrite on the wire (message structure and routing). */
const PROTECTED = new Set(['via', 'to', 'from', 'call-id', 'cseq', 'route', 'record-route', 'contact', 'content-length', 'max-forwards', 'content-type']);
const HEADER_NAME = /^[A-Za-z0-9!%*_+`'~.-]+$/;

export class Proxy {
  readonly counters: ProxyCounters = {
    requestsIn: 0, responsesIn: 0, invites: 0, rejected: 0, forwarded: 0, tagged: 0, responsesSent: 0,
    statelessResponses: 0, retransmissionsAbsorbed: 0, retransmissionsSent: 0, acksAbsorbed: 0, acksForwarded: 0,
    cancels: 0, byes: 0, timeoutB: 0, timeoutC: 0, timeoutF: 0, timeoutH: 0, cancelTimeouts: 0, loops: 0, unroutable: 0, tooLarge: 0, preloadedRoute: 0, foreignDialog: 0, unsignedRoute: 0, deadDialog: 0, unsignedAccepted: 0,
    tooManyHops: 0, overload: 0, stopping: 0, converted503: 0, hopDown: 0, hopPings: 0, unreachable: 0, badMessages: 0, bad: {}, dropped: 0, dialogsEvicted: 0, tombsShed: 0, internalErrors: 0,
  };
  /** Live transactions; finished ones leave only a tombstone in a Retired store. */
  private readonly servers = new Map<string, ServerTx>();
  private readonly clients = new Map<string, ClientTx>();
  /** Timers L (INVITE accepted), J (non-INVITE completed), I (INVITE confirmed), K (client non-INVITE completed). */
  private readonly retiredL: Retired;
  private readonly retiredJ: Retired;
  private readonly retiredI: Retired;
  private readonly retiredK: Retired;
  /** The four kinds, for what applies to all of them (counting, shedding, stopping). */
  private readonly retired: readonly Retired[];
  private readonly dialogs = new Map<string, Dialog>();
  private readonly wheel: TimerWheel<Owner>;
  private readonly t: ProxyTimers;
  private readonly tp: SipTransport;
  private readonly screener: Screener;
  private readonly log: Logger | undefined;
  private readonly hosts: Set<string>;
  private readonly ports: Set<number>;
  private readonly advertise: string;
  private readonly maxTx: number;
  private readonly maxTombs: number;
  private readonly maxHeld: number;
  /** Sum of the weights of live transactions and the lengths of string tombstones. */
  private held = 0;
  private readonly maxDialogs: number;
  private readonly maxBytes: number;
  private readonly nextHop: SipUri;
  private readonly signer: RouteSigner;
  /** Until when an unsigned Route of ours is accepted (see ProxyOptions.unsignedRouteGraceMs). */
  private readonly unsignedUntil: number;
  /** Calls pushed out of `dialogs` past maxDialogs (see trackDialog), by callKey: EVICTED_*. */
  private readonly evicted: TombStore;
  private readonly dns = new Map<string, { address: string; until: number }>();
  /** tagHeaderNames() for the rules object it was computed from (a reload brings a new object). */
  private tagNamesOf: unknown = null;
  private tagNames: readonly string[] = [];
  private readonly health: HopHealth | null;
  private readonly pingTimer: NodeJS.Timeout | null;
  private pingSeq = 0;
  private lastPing = -Infinity;

  constructor(private readonly o: ProxyOptions) {
    this.tp = o.transport;
    this.screener = o.screener;
    this.log = o.logger;
    this.sourceMissing = o.sourceHeader ? sourceHeaderWatch(o.screener.events, o.sourceHeader, o.logger) : undefined;
    this.t = resolveTimers(o.timers);
    this.maxTx = o.maxTransactions ?? 200_000;
    this.maxTombs = o.maxTombstones ?? 4 * this.maxTx;
    this.maxHeld = o.maxHeldBytes ?? 256 * 1024 * 1024;
    this.maxDialogs = o.maxDialogs ?? 200_000;
    this.maxBytes = o.maxMessageBytes ?? 65_535;
    this.nextHop = o.nextHop;
    const hh = o.hopHealth;
    this.health = hh && hh.pingMs > 0 ? new HopHealth({ downAfterMs: hh.downAfterMs, probeMs: hh.pingMs }) : null;
    this.pingTimer = this.health ? setInterval(() => this.checkHop(), Math.max(100, Math.min(hh!.pingMs, 1000))) : null;
    this.pingTimer?.unref();
    this.signer = new RouteSigner(o.routeKey);
    this.unsignedUntil = Date.now() + (o.unsignedRouteGraceMs ?? 0);
    this.evicted = new TombStore(this.t.dialog);
    const first = this.tp.listeners[0];
    if (!first) throw new Error('no listener');
    const wildcard = first.host === '0.0.0.0';
    if (wildcard && !o.advertise) throw new Error('listening on 0.0.0.0 needs the address to put in Via and Record-Route: name it with --advertise');
    this.advertise = o.advertise ?? first.host;
    this.hosts = new Set([this.advertise, ...this.tp.listeners.map((l) => l.host).filter((h) => h !== '0.0.0.0'), ...(o.aliases ?? [])]);
    this.ports = new Set(this.tp.listeners.map((l) => l.port));
    this.wheel = new TimerWheel<Owner>((owner, kind) => this.onTimer(owner, kind), Math.max(1, Math.min(10, Math.floor(this.t.t1 / 10))));
    this.retiredL = new Retired(this.t.timerL);
    this.retiredJ = new Retired(this.t.timerJ);
    this.retiredI = new Retired(this.t.t4);
    this.retiredK = new Retired(this.t.t4);
    this.retired = [this.retiredL, this.retiredJ, this.retiredI, this.retiredK];
  }

  /** Shutting down: new calls and other requests without a To tag get 503; calls in flight carry on. */
  private draining = false;

  drain(): void {
    this.draining = true;
    // Our own OPTIONS pings are no call in flight: a dead hop's would keep idle() false for Timer F.
    for (const ct of [...this.clients.values()]) if (ct.toHop && !ct.server && ct.method === 'OPTIONS') this.dropClient(ct);
  }

  /**
   * The drain's grace period is over: each forwarded INVITE still without a final
   * response is cancelled downstream (or, before any 1xx, forgotten, as Timer C does)
   * and answered 503 with Retry-After upstream, so no caller is left ringing without
   * an answer and no callee answers a call nobody is on. Not fed to the engine as an
   * outcome: the caller did nothing. Returns how many calls were ended.
   */
  abortInFlight(): number {
    let n = 0;
    for (const ct of [...this.clients.values()]) {
      const st = ct.server;
      if (!ct.invite || ct.state === COMPLETED || !st || st.state !== PROCEEDING) continue;
      n++;
      if (ct.provisional) this.sendCancel(ct);
      else this.dropClient(ct);
      this.endUnserved(st, 503);
    }
    return n;
  }

  /**
   * Ends a forwarded call we can no longer serve, through no doing of its caller's: 487
   * if the caller had cancelled it (an outcome the engine counts: nothing to fail over),
   * else `status` (503 with Retry-After, or 500) and no outcome.
   */
  private endUnserved(st: ServerTx, status: 503 | 500): void {
    if (st.cancelled) return this.localFinal(st, 487, 'Request Terminated');
    if (status === 503) this.unservedFinal(st, 503, 'Service Unavailable', RETRY_AFTER);
    else this.unservedFinal(st, 500, 'Server Internal Error');
  }

  /**
   * Final response we generate for a forwarded request that the network never got to answer
   * (our next hop down or silent, no route, our own error): for a call, no outcome of its
   * caller's, so the engine takes its attempt back (Engine#withdraw) rather than count a failure.
   */
  private unservedFinal(st: ServerTx, status: number, reason: string, extra?: Record<string, unknown>): void {
    if (st.state !== PROCEEDING) return;
    this.respond(st, status, reason, extra);
    if (!st.initial) return;
    const dlg = this.dialogs.get(st.callId);
    if (dlg) this.dropDialog(dlg);
    this.screener.withdraw(st.callId, Date.now());
  }

  /** Whether the next hop is answering (always true with hop health off). */
  hopUp(): boolean {
    return !this.health || this.health.up(Date.now());
  }

  /**
   * The ping timer: an OPTIONS to the hop once something sent to it has waited pingMs
   * without any response (and every pingMs while it is down); a log line when up/down
   * changes. An idle hop is not pinged: a callee that takes only calls (a sipp UAS)
   * would count an OPTIONS as an unexpected message.
   */
  private checkHop(): void {
    try {
      const now = Date.now();
      const pingMs = this.o.hopHealth!.pingMs;
      // Down for a refused connection with nothing waiting (a CANCEL's or an ACK's dial) has no silence to
      // measure, and an edge that health-checks us sends no probe call: the pings must bring it back.
      if ((!this.health!.up(now) || this.health!.silentFor(now) >= pingMs) && now - this.lastPing >= pingMs && !this.draining) {
        this.lastPing = now;
        this.ping();
      }
      this.noteHop(now);
    } catch (err) {
      this.counters.internalErrors++;
      this.log?.error({ err }, 'sip: next-hop check failed');
    }
  }

  /** OPTIONS to the next hop, as a client transaction of its own (no server transaction: its final ends it). */
  private ping(): void {
    const d = this.dest(this.nextHop);
    const send = (dest: Dest | null): void => {
      if (dest === null) return;
      const branch = newBranch('ping');
      const uri = sip.stringifyUri(this.nextHop);
      const headers: SipRequest['headers'] = {
        via: [this.ourVia(dest.transport, branch)],
        'max-forwards': '70',
        from: { uri: `sip:ringfence@${this.advertise}`, params: { tag: newTag() } },
        to: { uri, params: {} },
        'call-id': `${newTag()}-ping@${this.advertise}`,
        cseq: { seq: ++this.pingSeq, method: 'OPTIONS' },
      };
      const wire = encode({ method: 'OPTIONS', uri, version: '2.0', headers, content: '' });
      const ct = new ClientTx(`${branch}|OPTIONS`, 'OPTIONS', dest, null, wire, null);
      ct.toHop = true;
      this.clients.set(ct.key, ct);
      this.charge(ct, wire.length);
      this.health!.sent(Date.now());
      this.counters.hopPings++;
      this.tp.send(dest, wire);
      if (dest.transport === 'udp') {
        ct.interval = this.t.t1;
        ct.timerRetrans = this.wheel.schedule(ct, T_RETRANS, ct.interval);
      }
      ct.timerTimeout = this.wheel.schedule(ct, T_TIMEOUT, this.t.timerF);
    };
    if (d instanceof Promise) void d.then(send, () => undefined);
    else send(d);
  }

  /** One log line each time the hop goes down or comes back. */
  private noteHop(now: number): void {
    const changed = this.health?.changed(now);
    if (changed === false) {
      this.log?.warn({ next_hop: sip.stringifyUri(this.nextHop), silent_ms: this.health!.silentFor(now) },
        'next hop not answering: new calls are answered 503 (Retry-After: 5) until it answers again; /readyz and OPTIONS to us say 503 meanwhile');
    } else if (changed === true) {
      this.log?.warn({ next_hop: sip.stringifyUri(this.nextHop) }, 'next hop answering again: calls are forwarded');
    }
  }

  /**
   * The transport could not reach `dest` (a TCP connection refused or reset before it
   * connected): RFC 3261 §16.9, as if each request waiting there got a 503. Upstream that
   * is 503 with Retry-After when the next hop is the one gone (every call would fail the
   * same way: §16.7), else 500. Not an outcome of the callers': nothing goes to the engine.
   */
  onDialError(dest: Dest): void {
    const now = Date.now();
    for (const ct of [...this.clients.values()]) {
      if (ct.state !== CALLING || ct.provisional || ct.dest.transport !== dest.transport || ct.dest.address !== dest.address || ct.dest.port !== dest.port) continue;
      if (ct.toHop) this.health?.failed(now);
      const st = ct.server;
      this.dropClient(ct);
      if (!st || st.state !== PROCEEDING) continue;
      this.counters.unreachable++;
      this.endUnserved(st, ct.toHop ? 503 : 500);
    }
    this.noteHop(now);
  }

  /** No transaction live and no call in progress through us. */
  idle(): boolean {
    return this.servers.size === 0 && this.clients.size === 0 && this.dialogs.size === 0;
  }

  sizes(): ProxySizes {
    return {
      serverTransactions: this.servers.size,
      clientTransactions: this.clients.size,
      tombstones: this.tombCount(),
      dialogs: this.dialogs.size,
      timers: this.wheel.size,
      heldBytes: this.held,
    };
  }

  stop(): void {
    this.wheel.stop();
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const r of this.retired) {
      r.tombs.clear();
      r.entry = null;
    }
    this.servers.clear();
    this.clients.clear();
    this.dialogs.clear();
    this.evicted.clear();
    this.held = 0;
  }

  // ---------------------------------------------------------------- input

  /** Transport entry point. Never throws: a socket handler must keep serving. */
  onMessage(data: Buffer, peer: Peer): void {
    const at = Date.now();
    try {
      const d = decode(data, this.maxBytes);
      if (!d.ok) {
        this.bad(d.kind, peer);
        // Not answered when a header holds a bare CR or LF: the 400 echoes Via, From, To, Call-ID and
        // CSeq, and would carry the line break (and the header smuggled behind it) to the sender.
        if (d.msg && d.msg.method !== undefined && d.kind !== 'bare-line-break') this.badRequest(d.msg, peer, d.kind);
        return;
      }
      const m = d.msg;
      if (m.method !== undefined) this.onRequest(m, peer, at, d.raw);
      else this.onResponse(m, peer, at, d.raw);
    } catch (err) {
      this.counters.internalErrors++;
      this.log?.error({ err, peer: `${peer.address}:${peer.port}` }, 'sip: internal error on message');
    }
  }

  /** A stream the transport had to close (TCP framing). */
  onBadStream(kind: string, peer: Peer): void {
    this.bad(kind, peer);
  }

  private bad(kind: string, peer: Peer): void {
    this.counters.badMessages++;
    this.counters.bad[kind] = (this.counters.bad[kind] ?? 0) + 1;
    try {
      this.screener.events.badMessage?.(kind);
    } catch {
      // a metrics hook must not break the proxy
    }
    this.log?.debug({ kind, peer: `${peer.address}:${peer.port}` }, 'sip: bad message');
  }

  /** 400 for a request we can answer (it has a usable top Via); ACKs are never answered. */
  private badRequest(rq: SipRequest, peer: Peer, kind: string): void {
    const via = Array.isArray(rq.headers.via) ? rq.headers.via[0] : undefined;
    if (!answerable(rq) || !via || typeof via.host !== 'string' || typeof via.params !== 'object') return;
    const rs = this.response(rq, 400, `Bad Request (${kind})`, newTag());
    this.sendTo(this.responseDest(via, peer), encode(rs), peer.conn);
  }

  private onRequest(rq: SipRequest, peer: Peer, at: number, raw: RawMessage | null): void {
    this.counters.requestsIn++;
    const h = rq.headers;
    for (const name of MANDATORY) {
      if (h[name] === undefined || (name === 'via' && h.via?.length === 0)) {
        this.bad(`missing-header:${name}`, peer);
        this.badRequest(rq, peer, `missing ${name}`);
        return;
      }
    }
    if (rq.version !== '2.0') {
      // RFC 3261 §8.2.5 / §21.5.20: answered in the version we speak, never proxied as if it were ours.
      this.bad('sip-version', peer);
      if (answerable(rq)) this.statelessReply({ ...rq, version: '2.0' }, peer, 505, 'Version Not Supported');
      return;
    }
    if (!METHODS.has(rq.method) && METHODS.has(rq.method.toUpperCase())) {
      this.bad('method-case', peer);
      this.badRequest(rq, peer, 'method name case');
      return;
    }
    const cseq = h.cseq!;
    if (cseq.method !== rq.method) {
      this.bad('cseq-method', peer);
      this.badRequest(rq, peer, 'CSeq method');
      return;
    }
    // Parsed once here, for routing too.
    const ruri = sip.parseUri(rq.uri) ?? null;
    if (!ruri && !/^tel:/i.test(rq.uri)) {
      this.bad('request-uri', peer);
      this.badRequest(rq, peer, 'Request-URI');
      return;
    }
    // RFC 3261 §18.2.1 and RFC 3581: note where the request really came from.
    const top = h.via![0]!;
    let stamped = false;
    if (top.host !== peer.address) {
      top.params.received = peer.address;
      stamped = true;
    }
    if ('rport' in top.params) {
      top.params.rport = String(peer.port);
      stamped = true;
    }
    // Spliced copies write the stamped Via; the rest of the message goes out as it came.
    const topVia = stamped ? viaText(top) : undefined;
    const size = raw ? raw.text.length : 0;
    if (!splicable(raw)) raw = null;

    if (rq.method === 'ACK') return this.onAck(rq, ruri, raw, topVia);
    if (rq.method === 'CANCEL') return this.onCancel(rq, peer, at);

    const key = serverKey(rq, rq.method);
    const existing = this.serverAt(key);
    if (existing !== undefined) {
      // A retransmission: repeat our last response, never forward it again.
      this.counters.retransmissionsAbsorbed++;
      if (existing instanceof ServerTx) {
        if (existing.last) this.sendUp(existing, existing.last);
      } else if (typeof existing === 'string') {
        this.sendTo(this.responseDest(top, peer), bytes(existing), peer.conn);
      }
      return;
    }

    const mf = maxForwards(rq);
    if (mf === null) {
      this.bad('bad-header:max-forwards', peer);
      this.badRequest(rq, peer, 'Max-Forwards');
      return;
    }
    const target = this.route(rq, ruri);
    if (mf <= 0) {
      if (rq.method === 'OPTIONS') return this.answerOptions(rq, peer);
      this.counters.tooManyHops++;
      return this.statelessReply(rq, peer, 483, 'Too Many Hops');
    }
    if (this.isLoop(rq, target.loopHash)) {
      this.counters.loops++;
      return this.statelessReply(rq, peer, 482, 'Loop Detected');
    }
    if (rq.method === 'OPTIONS' && target.routes.length === 0 && this.isOurUri(ruri ?? undefined) && !ruri?.user) {
      // OPTIONS to the proxy itself (no user part): an edge proxy's keep-alive, answered here.
      return this.answerOptions(rq, peer);
    }
    if (h.to!.params.tag && !target.viaUs) {
      // In-dialog requests of calls through us come back along our Record-Route (RFC 3261 §16.12).
      // Without our Route a To tag alone would take an INVITE past screening to wherever its
      // Request-URI points: refused, as a Kamailio edge does when loose_route() fails.
      this.counters.foreignDialog++;
      return this.statelessReply(rq, peer, 404, 'Not Here');
    }
    if (h.to!.params.tag) {
      if (target.sig === NO_SIG) {
        this.counters.unsignedRoute++;
        return this.statelessReply(rq, peer, 404, 'Not Here');
      }
      // A re-INVITE belongs to an answered call (RFC 3261 §14.1). Ours must be one we still track as
      // such: otherwise the signature of one screened call, copied, would carry new INVITEs past screening.
      if (rq.method === 'INVITE' && target.sig === SIG_STALE) {
        this.counters.deadDialog++;
        return this.statelessReply(rq, peer, 404, 'Not Here');
      }
    }
    if (target.uri === null) {
      // Addressed to us with nowhere further to go (never send it to ourselves).
      if (rq.method === 'OPTIONS') return this.answerOptions(rq, peer);
      this.counters.unroutable++;
      return this.statelessReply(rq, peer, rq.method === 'BYE' ? 481 : 404, rq.method === 'BYE' ? 'Call/Transaction Does Not Exist' : 'Not Found');
    }
    if (this.draining && !h.to!.params.tag) {
      // Nothing new starts (a call, a MESSAGE, a REGISTER): another instance or route takes it
      // (RFC 3261 §21.5.4). In-dialog requests, ACK and CANCEL still pass.
      this.counters.stopping++;
      return this.statelessReply(rq, peer, 503, 'Service Unavailable', RETRY_AFTER);
    }
    // Live transactions only: tombstones are bounded by maxTombs (see retire()), and counting them here
    // capped sustained load at maxTx / (2 × 32 s), about 3,100 calls/s with the defaults.
    if (this.servers.size + this.clients.size >= this.maxTx || this.held + size > this.maxHeld) {
      this.counters.overload++;
      return this.statelessReply(rq, peer, 503, 'Service Unavailable', RETRY_AFTER);
    }

    // Kept for Timer J/L: detached, or the key (built from slices of the message) would keep the datagram.
    // The call is tracked under callKey(): bounded, since an answered call's key stays for hours.
    const st = new ServerTx(detach(key), rq.method === 'INVITE', detach(callKey(h['call-id']!)), this.responseDest(top, peer), peer.conn, rq, raw, topVia);
    this.servers.set(st.key, st);
    this.charge(st, size);

    if (st.invite) {
      // Stop the caller's INVITE retransmissions at once (RFC 3261 §16.2), before screening.
      this.respond(st, 100, 'Trying');
      if (!h.to!.params.tag) {
        st.initial = true;
        this.counters.invites++;
        const decision = this.screen(rq, st.callId, peer, at);
        if (decision && decision.action === 'reject') {
          this.counters.rejected++;
          this.respond(st, decision.code ?? 608, decision.phrase ?? 'Rejected', decision.headers);
          return;
        }
        return this.forward(st, rq, mf, target, decision);
      }
    } else if (rq.method === 'BYE') {
      this.counters.byes++;
      const dlg = this.dialogs.get(st.callId);
      if (dlg && dlg.answered) {
        this.dropDialog(dlg);
        this.screener.observe({ callId: st.callId, at, endedAt: at });
      } else if (!dlg && this.evicted.get(st.callId) === EVICTED_ANSWERED) {
        this.evicted.set(st.callId, EVICTED_ENDED, at);
      }
    }
    this.forward(st, rq, mf, target, null);
  }

  /** Called for an INVITE without o.sourceHeader (sourceHeaderWatch); undefined without one. */
  private readonly sourceMissing: ((at: number, fields?: Record<string, unknown>) => void) | undefined;

  private screen(rq: SipRequest, callId: string, peer: Peer, at: number): Decision | null {
    try {
      const sh = this.o.sourceHeader;
      if (sh && !headerText(rq, sh.toLowerCase())?.trim()) this.sourceMissing?.(at, { peer: `${peer.address}:${peer.port}` });
      const attempt = attemptFromHeaders({
        callId,
        at,
        requestUri: rq.uri,
        get: (name) => headerText(rq, name),
        source: sourceOf(peer.address, peer.port, this.o.trunks),
        ...(this.o.sourceHeader ? { sourceHeader: this.o.sourceHeader } : {}),
      });
      return this.screener.decide(attempt);
    } catch (err) {
      // Screener.decide already fails open/closed on engine errors; this is a hook or logger failing.
      this.counters.internalErrors++;
      this.log?.error({ err }, 'sip: screening failed, forwarding unchanged');
      return null;
    }
  }

  // ---------------------------------------------------------------- routing

  /**
   * Loose routing (RFC 3261 §16.4, §16.5): drop our own Route entries; the
   * next hop is the next Route, else the Request-URI for in-dialog requests.
   * Requests that start something (no To tag) go to the configured next hop
   * whatever Route they carry, and without it: a preloaded Route from abroad
   * would otherwise choose where in the domestic network a call lands (or
   * make us relay to any host), as Kamailio's default configuration also
   * removes it. `uri` null: addressed to us, nowhere to go.
   * `viaUs`: the top Route was ours (the request follows a route set we Record-Routed);
   * `sig`: for an in-dialog request, the best signature of this call on those Route entries (see signature()).
   */
  private route(rq: SipRequest, ruri: SipUri | null): { uri: SipUri | null; routes: RouteEntry[]; loopHash: string; viaUs: boolean; sig: Sig } {
    const routes = rq.headers.route ?? [];
    const inDialog = !!rq.headers.to!.params.tag;
    let sig: Sig = NO_SIG;
    let i = 0;
    for (; i < routes.length; i++) {
      const u = routes[i]!.uri;
      const uri = typeof u === 'string' ? sip.parseUri(u) : u;
      if (!uri || !this.isUs(uri.host, uri.port)) break;
      if (inDialog && sig !== SIG_LIVE) sig = Math.max(sig, this.signature(rq.headers['call-id']!, uri.params)) as Sig;
    }
    let rest = i === 0 ? routes : routes.slice(i);
    if (!inDialog && rest.length > 0) {
      if (rq.method !== 'CANCEL') this.counters.preloadedRoute++;
      rest = [];
    }
    let uri: SipUri | null;
    const firstRoute = rest[0]?.uri;
    if (firstRoute && typeof firstRoute === 'object') {
      uri = firstRoute;
    } else if (!rq.headers.to!.params.tag) {
      uri = this.nextHop;
    } else {
      uri = ruri && !this.isOurUri(ruri) ? ruri : null;
    }
    const h = rq.headers;
    const loopHash = fnv32(rq.uri, h['call-id']!, h.from!.params.tag ?? '', h.to!.params.tag ?? '', String(h.cseq!.seq), rq.method, firstRoute ? sip.stringifyUri(firstRoute) : '', String(h['proxy-require'] ?? ''));
    return { uri, routes: rest, loopHash, viaUs: i > 0, sig };
  }

  /**
   * This call's signature on a Route entry of ours (URI parameters `params`).
   * A call we track keeps the token we wrote, which spares an HMAC (about
   * 5 µs under load) on its ACK and BYE; others are checked in full.
   */
  private signature(callId: string, params: Params): Sig {
    let token = params.rf;
    if (token === undefined) {
      // Parameter names are case-insensitive (RFC 3261 §19.1.4); the parser keeps them as written.
      for (const k in params) if (k.toLowerCase() === 'rf') token = params[k];
    }
    if (typeof token !== 'string') {
      if (token === undefined && this.unsignedUntil > Date.now()) {
        this.counters.unsignedAccepted++;
        return SIG_EARLIER;
      }
      return NO_SIG;
    }
    const key = callKey(callId);
    const dlg = this.dialogs.get(key);
    // A plain comparison: it can leak only how many leading characters of one call's token matched, through UDP jitter.
    if (dlg && dlg.token && dlg.token === token.toLowerCase()) return dlg.answered ? SIG_LIVE : SIG_STALE;
    const s = this.signer.check(callId, token);
    // An answered call pushed out past maxDialogs is still up as far as we know: its re-INVITEs (session refreshes) pass.
    if (s === RouteSig.Ours && !dlg && this.evicted.get(key) === EVICTED_ANSWERED) return SIG_LIVE;
    // Ours but untracked: the call ended or was evicted. Earlier: set up before a restart, which we cannot know more of.
    return s === RouteSig.Earlier ? SIG_EARLIER : s === RouteSig.Ours ? SIG_STALE : NO_SIG;
  }

  /** Our address at one of our listening ports (5060 when the URI has none). */
  private isUs(host: string | undefined, port: number | undefined): boolean {
    if (!host || !this.hosts.has(host)) return false;
    return this.ports.has(port && port > 0 ? port : 5060);
  }

  private isOurUri(u: SipUri | string | undefined): boolean {
    const uri = typeof u === 'string' ? sip.parseUri(u) : u;
    return !!uri && this.isUs(uri.host, uri.port);
  }

  /** RFC 3261 §16.3 step 4: one of our Vias carries this request's loop hash. */
  private isLoop(rq: SipRequest, loopHash: string): boolean {
    const suffix = `.${loopHash}`;
    for (const v of rq.headers.via!) {
      const b = v.params.branch;
      if (b && b.endsWith(suffix) && this.isUs(v.host, v.port)) return true;
    }
    return false;
  }

  private ourVia(transport: TransportName, branch: string): Via {
    return { version: '2.0', protocol: transport.toUpperCase(), host: this.advertise, port: this.tp.listenerFor(transport).port, params: { branch, rport: null } };
  }

  /** Destination of a URI; async only for a host name that is not cached. */
  private dest(uri: SipUri): Dest | Promise<Dest | null> {
    const transport: TransportName = (uri.params.transport ?? '').toLowerCase() === 'tcp' ? 'tcp' : 'udp';
    const port = uri.port > 0 ? uri.port : 5060;
    const host = uri.params.maddr ?? uri.host;
    if (isIPv4(host)) return { transport, address: host, port };
    const hit = this.dns.get(host);
    if (hit && hit.until > Date.now()) return { transport, address: hit.address, port };
    return lookup(host, { family: 4 }).then(
      (r) => {
        if (this.dns.size > 1000) this.dns.clear();
        this.dns.set(host, { address: r.address, until: Date.now() + 60_000 });
        return { transport, address: r.address, port };
      },
      () => null,
    );
  }

  // ---------------------------------------------------------------- forwarding

  private forward(st: ServerTx, rq: SipRequest, mf: number, target: { uri: SipUri | null; routes: RouteEntry[]; loopHash: string }, decision: Decision | null): void {
    const d = this.dest(target.uri!);
    if (d instanceof Promise) {
      d.then(
        (dest) => this.forwardTo(st, rq, mf, target, decision, dest),
        () => this.forwardTo(st, rq, mf, target, decision, null),
      );
      return;
    }
    this.forwardTo(st, rq, mf, target, decision, d);
  }

  private forwardTo(st: ServerTx, rq: SipRequest, mf: number, target: { uri: SipUri | null; routes: RouteEntry[]; loopHash: string }, decision: Decision | null, dest: Dest | null): void {
    try {
      if (this.servers.get(st.key) !== st) return; // gone while resolving
      if (st.cancelled) return this.localFinal(st, 487, 'Request Terminated');
      if (dest === null) return this.unservedFinal(st, 502, 'Bad Gateway');
      if (this.isUs(dest.address, dest.port)) {
        this.counters.loops++;
        return this.unservedFinal(st, 482, 'Loop Detected');
      }
      const toHop = target.uri === this.nextHop;
      const now = toHop && this.health ? Date.now() : 0;
      if (toHop && this.health && !this.health.up(now) && !this.health.probe(now)) {
        // The hop is not answering: 503 now (the edge fails the call over) rather than 408 after 32 s.
        // Not an outcome of the caller's: the engine takes the attempt back (unservedFinal).
        this.counters.hopDown++;
        this.noteHop(now);
        return this.unservedFinal(st, 503, 'Service Unavailable', RETRY_AFTER);
      }
      const branch = newBranch(target.loopHash);
      const h = rq.headers;
      const via = this.ourVia(dest.transport, branch);
      // Record-Route so ACK, BYE, CANCEL and re-INVITEs of this call come back through us.
      let rr = '';
      let token = '';
      if (st.initial) {
        const l = st.conn ? this.tp.listenerFor('tcp') : this.tp.listenerFor('udp');
        token = this.signer.sign(h['call-id']!);
        rr = `sip:${this.advertise}:${l.port};lr;rf=${token}${l.transport === 'tcp' ? ';transport=tcp' : ''}`;
      }
      // Our verdict headers come from us only: an inbound copy (a caller planting "score 0") is removed on every call.
      const tagNames = st.initial ? this.tagHeaderNames() : [];
      let wire: Buffer;
      let fwd: SipRequest | null = null;
      const routesKept = target.routes.length === (h.route?.length ?? 0);
      if (st.raw && (routesKept || target.routes.length === 0) && !decision?.displayPrefix) {
        // The common case, spliced: our Via, Max-Forwards, our Route entries gone, our Record-Route, verdict headers.
        const drop = routesKept ? [...tagNames] : ['route', ...tagNames];
        const append = decision ? decisionLines(decision, drop) : '';
        wire = splice(st.raw, {
          first: `Via: ${viaText(via)}\r\n`,
          topVia: st.topVia,
          maxForwards: mf - 1,
          drop,
          ...(rr ? { recordRoute: `Record-Route: <${rr}>\r\n` } : {}),
          append,
        });
        // What CANCEL and ACK are built from (RFC 3261 §9.1, §17.1.1.3): the fields they copy.
        if (st.invite) {
          const headers: SipRequest['headers'] = { via: [via], to: h.to, from: h.from, 'call-id': h['call-id'], cseq: h.cseq };
          if (target.routes.length) headers.route = target.routes;
          fwd = { method: rq.method, uri: rq.uri, version: rq.version, headers, content: '' };
        }
      } else {
        const headers: SipRequest['headers'] = { ...h, via: [via, ...h.via!], 'max-forwards': String(mf - 1) };
        if (target.routes.length) headers.route = target.routes;
        else delete headers.route;
        if (st.initial) {
          headers['record-route'] = [{ uri: rr, params: {} }, ...(h['record-route'] ?? [])];
          for (const name of tagNames) delete headers[name];
          if (decision) this.applyDecision(headers, decision);
        }
        const full: SipRequest = { method: rq.method, uri: rq.uri, version: rq.version, headers, content: rq.content ?? '' };
        wire = encode(full);
        if (st.invite) fwd = full;
      }
      if (dest.transport === 'udp' && wire.length > MAX_UDP_PAYLOAD) {
        // Our Via, Record-Route and tag headers took a request near the limit past what a datagram
        // carries: answer now (RFC 3261 §21.5.14) rather than 408 after Timer B, blaming the next hop.
        this.counters.tooLarge++;
        this.log?.warn({ call_id: st.callId, bytes: wire.length }, 'sip: request too large to forward over UDP; answered 513');
        return this.unservedFinal(st, 513, 'Message Too Large');
      }
      const ct = new ClientTx(`${branch}|${rq.method}`, rq.method, dest, st, wire, fwd);
      this.clients.set(ct.key, ct);
      this.charge(ct, wire.length);
      st.client = ct;
      if (toHop) {
        ct.toHop = true;
        this.health?.sent(now);
      }
      this.tp.send(dest, wire);
      this.counters.forwarded++;
      if (decision?.action === 'tag') this.counters.tagged++;
      if (st.initial) this.trackDialog(st.callId, token);
      if (dest.transport === 'udp') {
        ct.interval = this.t.t1;
        ct.timerRetrans = this.wheel.schedule(ct, T_RETRANS, ct.interval);
      }
      ct.timerTimeout = this.wheel.schedule(ct, T_TIMEOUT, st.invite ? this.t.timerB : this.t.timerF);
      if (st.invite) ct.timerC = this.wheel.schedule(ct, T_C, this.t.timerC);
    } catch (err) {
      this.counters.internalErrors++;
      this.log?.error({ err }, 'sip: forwarding failed');
      // A client transaction registered before the failure has no timers yet: nothing would ever remove it.
      if (st.client) this.dropClient(st.client);
      this.unservedFinal(st, 500, 'Server Internal Error');
    }
  }

  /** Lower-case names of the score/reasons headers of every scope, for the rules in force (they can be reloaded). */
  private tagHeaderNames(): readonly string[] {
    const r = this.screener.engine.rules;
    if (r === this.tagNamesOf) return this.tagNames;
    const names: string[] = [];
    for (const sc of [r.base, ...r.scopes]) {
      const a = sc.tag.scoreHeader.toLowerCase();
      const b = sc.tag.reasonsHeader.toLowerCase();
      if (!PROTECTED.has(a) && !names.includes(a)) names.push(a);
      if (!PROTECTED.has(b) && !names.includes(b)) names.push(b);
    }
    this.tagNamesOf = r;
    this.tagNames = names;
    return names;
  }

  /** Tag headers and the display-name prefix of a tag decision. */
  private applyDecision(headers: SipRequest['headers'], d: Decision): void {
    for (const [name, value] of Object.entries(d.headers ?? {})) {
      const n = name.toLowerCase();
      if (PROTECTED.has(n) || !HEADER_NAME.test(name)) continue;
      // Overwrite: an upstream cannot pre-set our score headers.
      headers[n] = wireValue(value);
    }
    const prefix = d.displayPrefix ? toWire(d.displayPrefix) : '';
    if (!prefix) return;
    const from = headers.from!;
    const user = (sip.parseUri(from.uri)?.user ?? '').replace(/[^\x21-\x7e]/g, '');
    const old = from.name ? nameAddrDisplay(`${from.name} <x>`) : '';
    if (!old.startsWith(prefix)) headers.from = { ...from, name: quoteDisplay((prefix + (old || user)).trim()) };
    const pai = headers['p-asserted-identity'];
    if (typeof pai === 'string') {
      const parts = splitHeaderList(pai);
      if (parts[0]) {
        const fallback = (/^<?\s*(?:sips?|tel):\+?([^@;>]*)/i.exec(parts[0].replace(/^"[^"]*"\s*/, ''))?.[1] ?? '').trim();
        parts[0] = prefixDisplayName(parts[0], prefix, fallback);
        headers['p-asserted-identity'] = parts.join(', ');
      }
    }
  }

  // ---------------------------------------------------------------- ACK and CANCEL

  private onAck(rq: SipRequest, ruri: SipUri | null, raw: RawMessage | null, topVia: string | undefined): void {
    const st = this.serverAt(serverKey(rq, 'INVITE'));
    if (st === CONFIRMED) {
      // A retransmitted ACK for a non-2xx we already have the ACK for.
      this.counters.acksAbsorbed++;
      return;
    }
    if (st instanceof ServerTx && st.state === COMPLETED) {
      // ACK for a non-2xx final we sent upstream: hop-by-hop, ends here (our client transaction ACKed downstream).
      this.counters.acksAbsorbed++;
      if (st.dest.transport === 'udp') this.retireServer(st, CONFIRMED, this.retiredI);
      else this.dropServer(st);
      return;
    }
    // ACK for a 2xx: its own transaction end to end; forward statelessly along the route set.
    if (!rq.headers.to!.params.tag) {
      this.counters.dropped++;
      return;
    }
    const mf = maxForwards(rq);
    if (mf === null || mf <= 0) {
      this.counters.dropped++;
      return;
    }
    const target = this.route(rq, ruri);
    if (!target.viaUs) {
      // Not along our Record-Route: not an ACK of a call through us (see onRequest).
      this.counters.foreignDialog++;
      return;
    }
    if (target.sig === NO_SIG) {
      this.counters.unsignedRoute++;
      return;
    }
    if (target.uri === null || this.isLoop(rq, target.loopHash)) {
      this.counters.dropped++;
      return;
    }
    const send = (dest: Dest | null): void => {
      if (!dest || this.isUs(dest.address, dest.port)) {
        this.counters.dropped++;
        return;
      }
      const h = rq.headers;
      const via = this.ourVia(dest.transport, newBranch(target.loopHash));
      const routesKept = target.routes.length === (h.route?.length ?? 0);
      if (raw && (routesKept || target.routes.length === 0)) {
        this.tp.send(dest, splice(raw, { first: `Via: ${viaText(via)}\r\n`, topVia, maxForwards: mf - 1, ...(routesKept ? {} : { drop: ['route'] }) }));
      } else {
        const headers = { ...h, via: [via, ...h.via!], 'max-forwards': String(mf - 1) };
        if (target.routes.length) headers.route = target.routes;
        else delete headers.route;
        this.tp.send(dest, encode({ ...rq, headers }));
      }
      this.counters.acksForwarded++;
    };
    const d = this.dest(target.uri);
    // After a DNS lookup this runs in a promise callback, outside onMessage's try: a throw there
    // would be an unhandled rejection, which ends the process.
    if (d instanceof Promise) {
      d.then(send, () => send(null)).catch((err: unknown) => {
        this.counters.internalErrors++;
        this.log?.error({ err }, 'sip: forwarding an ACK failed');
      });
    } else send(d);
  }

  private onCancel(rq: SipRequest, peer: Peer, at: number): void {
    this.counters.cancels++;
    const st = this.serverAt(serverKey(rq, 'INVITE'));
    if (st === undefined) {
      // No INVITE to apply it to (never seen, or long finished).
      return this.statelessReply(rq, peer, 481, 'Call/Transaction Does Not Exist');
    }
    if (!(st instanceof ServerTx)) {
      // The INVITE has its final response: nothing left to cancel, the CANCEL is still answered (RFC 3261 §9.2).
      return this.statelessReply(rq, peer, 200, 'OK');
    }
    // RFC 3261 §16.10: answer the CANCEL hop by hop (same To tag as our INVITE responses, RFC 3261 §9.2), then cancel downstream.
    if (!st.toTag && st.rq && !st.rq.headers.to?.params?.tag) st.toTag = newTag();
    this.statelessReply(rq, peer, 200, 'OK', undefined, st.toTag);
    if (st.state !== PROCEEDING) return;
    st.cancelled = true;
    st.cancelledAt = at;
    const ct = st.client;
    if (!ct) return;
    if (ct.provisional) this.sendCancel(ct);
    else ct.cancelPending = true; // RFC 3261 §9.1: not before a provisional response arrives
  }

  private sendCancel(ct: ClientTx): void {
    if (ct.cancelSent || !ct.fwd || ct.state === COMPLETED) return;
    ct.cancelSent = true;
    ct.cancelPending = false;
    const f = ct.fwd.headers;
    const headers: SipRequest['headers'] = {
      via: [f.via![0]!],
      to: f.to,
      from: f.from,
      'call-id': f['call-id'],
      cseq: { seq: f.cseq!.seq, method: 'CANCEL' },
      'max-forwards': '70',
    };
    if (f.route?.length) headers.route = f.route;
    const wire = encode({ method: 'CANCEL', uri: ct.fwd.uri, version: '2.0', headers, content: '' });
    const cancel = new ClientTx(`${f.via![0]!.params.branch}|CANCEL`, 'CANCEL', ct.dest, null, wire, null);
    if (this.clientAt(cancel.key) === undefined) {
      this.clients.set(cancel.key, cancel);
      this.charge(cancel, wire.length);
      if (ct.dest.transport === 'udp') {
        cancel.interval = this.t.t1;
        cancel.timerRetrans = this.wheel.schedule(cancel, T_RETRANS, cancel.interval);
      }
      cancel.timerTimeout = this.wheel.schedule(cancel, T_TIMEOUT, this.t.timerF);
    }
    this.tp.send(ct.dest, wire);
    // Wait for the 487; if it never comes, answer the caller ourselves.
    this.wheel.cancel(ct.timerC);
    ct.timerC = null;
    if (ct.timerTimeout) this.wheel.reschedule(ct.timerTimeout, this.t.cancelWait);
    else ct.timerTimeout = this.wheel.schedule(ct, T_TIMEOUT, this.t.cancelWait);
  }

  // ---------------------------------------------------------------- responses

  private onResponse(rs: SipResponse, peer: Peer, at: number, raw: RawMessage | null): void {
    this.counters.responsesIn++;
    const h = rs.headers;
    for (const name of MANDATORY) {
      if (h[name] === undefined || (name === 'via' && h.via?.length === 0)) {
        this.bad(`missing-header:${name}`, peer);
        return; // a response cannot be answered
      }
    }
    const top = h.via![0]!;
    if (!this.isUs(top.host, top.port)) {
      this.bad('response-not-ours', peer);
      return;
    }
    if (h.cseq!.method === 'ACK') {
      // No transaction is answered by a response to an ACK (RFC 3261 §17.1.1.3): nothing to match, nothing to relay.
      this.bad('response-to-ack', peer);
      return;
    }
    const branch = top.params.branch ?? '';
    const ct = this.clientAt(`${branch}|${h.cseq!.method}`);
    // Any response to a call says the hop is there; to our OPTIONS ping, a 503 says it is not taking calls (maintenance).
    if (ct !== undefined && ct !== ABSORB && ct.toHop && this.health && (ct.server !== null || rs.status !== 503)) {
      this.health.heard(at);
      this.noteHop(at);
    }
    h.via!.shift();
    if (ct === ABSORB) {
      // A retransmitted final for a transaction that has its own (Timer K).
      if (rs.status >= 200) this.counters.retransmissionsAbsorbed++;
      return;
    }
    // Going upstream, the response loses our Via and nothing else: spliced, unless its body length is off.
    const up = splicable(raw) ? raw : null;
    if (!ct) return this.forwardResponseStateless(rs, peer, up);
    if (ct.method === 'CANCEL' || !ct.server) {
      // Our own CANCEL: the 200 ends it here.
      if (rs.status >= 200) this.dropClient(ct);
      return;
    }
    if (h.via!.length === 0) {
      // The callee dropped the caller's Via: with none left the response is addressed to us and
      // must not be forwarded (RFC 3261 §16.7 step 3). Our transaction waits for a proper one, or times out.
      this.bad('response-without-caller-via', peer);
      return;
    }
    if (ct.invite) this.onInviteResponse(ct, rs, at, up);
    else this.onOtherResponse(ct, rs, up);
  }

  /** RFC 3261 §16.7 / §16.11: no transaction, but our Via: relay to the next Via. */
  private forwardResponseStateless(rs: SipResponse, peer: Peer, raw: RawMessage | null): void {
    const next = rs.headers.via![0];
    if (!next) {
      this.bad('unmatched-response', peer);
      return;
    }
    const transport = next.protocol.toLowerCase();
    const address = next.params.received ?? next.host;
    if ((transport !== 'udp' && transport !== 'tcp') || !isIPv4(address)) {
      this.bad('unmatched-response', peer);
      return;
    }
    const rport = Number(next.params.rport);
    const port = rport > 0 ? rport : next.port && next.port > 0 ? next.port : 5060;
    this.counters.statelessResponses++;
    this.sendTo({ transport, address, port }, upstreamWire(rs, raw));
  }

  private onInviteResponse(ct: ClientTx, rs: SipResponse, at: number, raw: RawMessage | null): void {
    const st = ct.server!;
    const status = rs.status;
    if (status < 200) {
      if (ct.state === CALLING) {
        ct.state = PROCEEDING;
        this.wheel.cancel(ct.timerRetrans);
        ct.wire = null;
        // Timer B only guards the calling state; with a provisional, Timer C (or the cancel wait) takes over.
        if (!ct.cancelSent) {
          this.wheel.cancel(ct.timerTimeout);
          ct.timerTimeout = null;
        }
      }
      ct.provisional = true;
      if (ct.cancelPending) this.sendCancel(ct);
      if (status > 100) {
        if (ct.timerC) this.wheel.reschedule(ct.timerC, this.t.timerC);
        if (st.state === PROCEEDING) this.relay(st, rs, raw);
      }
      return;
    }
    if (status < 300) {
      // 2xx: relayed whatever state we are in (RFC 3261 §16.7 step 5); the client transaction ends.
      const first = st.state === PROCEEDING;
      this.dropClient(ct);
      this.relay(st, rs, raw);
      if (first) {
        // RFC 6026 Accepted: retransmitted INVITEs are absorbed for Timer L; retransmitted 2xx pass statelessly.
        if (st.dest.transport === 'udp') this.retireServer(st, ABSORB, this.retiredL);
        else this.dropServer(st);
        if (st.initial) {
          const dlg = this.dialogs.get(st.callId);
          if (dlg) {
            dlg.answered = true;
            if (dlg.timer) this.wheel.reschedule(dlg.timer, this.t.dialog);
          } else if (this.evicted.get(st.callId) === EVICTED_EARLY) {
            this.evicted.set(st.callId, EVICTED_ANSWERED, at);
          }
          this.screener.observe({ callId: st.callId, at, status, answeredAt: at });
        }
      }
      return;
    }
    // Non-2xx final: ACK it ourselves (hop by hop), then pass it up once.
    if (ct.state === COMPLETED) {
      this.counters.retransmissionsAbsorbed++;
      if (ct.ack) this.tp.send(ct.dest, bytes(ct.ack));
      return;
    }
    const ack = this.buildAck(ct, rs);
    this.tp.send(ct.dest, ack);
    ct.ack = text(ack);
    ct.state = COMPLETED;
    ct.fwd = null;
    ct.wire = null;
    this.wheel.cancel(ct.timerRetrans);
    this.wheel.cancel(ct.timerTimeout);
    this.wheel.cancel(ct.timerC);
    if (ct.dest.transport === 'udp') ct.timerEnd = this.wheel.schedule(ct, T_CLIENT_END, this.t.timerD);
    else this.dropClient(ct);
    st.client = null;
    if (st.state === PROCEEDING) {
      this.relayFinal(st, rs, raw);
      this.finalOutcome(st, status, at);
    }
  }

  /**
   * A non-2xx final upstream. A 503 is not passed on (RFC 3261 §16.7 step 6): upstream it
   * would say that Ringfence itself is unavailable, and an edge that fails over on 503 would
   * take this proxy out of service for one busy callee network. The caller gets 500; the
   * engine still sees the 503 it was.
   */
  private relayFinal(st: ServerTx, rs: SipResponse, raw: RawMessage | null): void {
    if (rs.status === 503) {
      this.counters.converted503++;
      this.respond(st, 500, 'Server Internal Error');
      return;
    }
    this.relay(st, rs, raw);
    this.completeServer(st);
  }

  private onOtherResponse(ct: ClientTx, rs: SipResponse, raw: RawMessage | null): void {
    const st = ct.server!;
    if (rs.status < 200) {
      if (ct.state === CALLING) ct.state = PROCEEDING;
      ct.provisional = true;
      if (rs.status > 100 && st.state === PROCEEDING) this.relay(st, rs, raw);
      return;
    }
    if (ct.state === COMPLETED) {
      this.counters.retransmissionsAbsorbed++;
      return;
    }
    ct.state = COMPLETED;
    // Timer K: retransmitted finals are absorbed for T4 (UDP).
    if (ct.dest.transport === 'udp') this.retireClient(ct);
    else this.dropClient(ct);
    if (st.state === PROCEEDING) this.relayFinal(st, rs, raw);
    st.client = null;
  }

  private buildAck(ct: ClientTx, rs: SipResponse): Buffer {
    const f = ct.fwd!.headers;
    const headers: SipRequest['headers'] = {
      via: [f.via![0]!],
      to: rs.headers.to,
      from: f.from,
      'call-id': f['call-id'],
      cseq: { seq: f.cseq!.seq, method: 'ACK' },
      'max-forwards': '70',
    };
    if (f.route?.length) headers.route = f.route;
    return encode({ method: 'ACK', uri: ct.fwd!.uri, version: '2.0', headers, content: '' });
  }

  /** Pass a response (our Via already popped) up to the server transaction's peer. */
  private relay(st: ServerTx, rs: SipResponse, raw: RawMessage | null): void {
    const wire = upstreamWire(rs, raw);
    if (rs.status < 300 || st.state === PROCEEDING) st.last = wire;
    this.sendUp(st, wire);
    this.sent(rs.status);
  }

  // ---------------------------------------------------------------- local responses

  private response(rq: SipRequest, status: number, reason: string, toTag: string, extra?: Record<string, unknown>): SipResponse {
    const rs = sip.makeResponse(rq, status, reason);
    const to = rq.headers.to;
    if (status > 100 && to && !to.params?.tag && toTag) rs.headers.to = { ...to, params: { ...to.params, tag: toTag } };
    if (extra) {
      for (const [k, v] of Object.entries(extra)) {
        const n = k.toLowerCase();
        if (!PROTECTED.has(n)) rs.headers[n] = wireValue(v);
      }
    }
    return rs;
  }

  /** A response from us within a server transaction (100, reject, 408, 487 ...). */
  private respond(st: ServerTx, status: number, reason: string, extra?: Record<string, unknown>): void {
    const rq = st.rq;
    if (!rq) return;
    const needTag = status > 100 && !rq.headers.to?.params?.tag;
    // A 100 carries no To tag: the tag is made with the first response that needs one.
    if (needTag && !st.toTag) st.toTag = newTag();
    const wire = st.raw
      ? responseFor(st.raw, rq.version, status, reason, st.topVia, needTag ? st.toTag : '', extraLines(extra))
      : encode(this.response(rq, status, reason, st.toTag, extra));
    st.last = wire;
    this.sendUp(st, wire);
    this.sent(status);
    if (status >= 200) this.completeServer(st);
  }

  /** Final response we generate for a forwarded request (timeouts, errors); feeds the outcome. */
  private localFinal(st: ServerTx, status: number, reason: string): void {
    if (st.state !== PROCEEDING) return;
    this.respond(st, status, reason);
    this.finalOutcome(st, status, Date.now());
  }

  private statelessReply(rq: SipRequest, peer: Peer, status: number, reason: string, extra?: Record<string, unknown>, toTag?: string): void {
    const tag = rq.headers.to?.params?.tag ? '' : toTag || newTag();
    const wire = encode(this.response(rq, status, reason, tag, extra));
    this.sendTo(this.responseDest(rq.headers.via![0]!, peer), wire, peer.conn);
    this.sent(status);
  }

  private answerOptions(rq: SipRequest, peer: Peer): void {
    // An edge's keep-alive to us: while the next hop does not answer, neither can we.
    if (this.health && !this.health.up(Date.now())) return this.statelessReply(rq, peer, 503, 'Service Unavailable', RETRY_AFTER);
    this.statelessReply(rq, peer, 200, 'OK', { allow: ALLOW, accept: 'application/sdp' });
  }

  private sent(status: number): void {
    this.counters.responsesSent++;
    try {
      this.screener.events.responseSent?.(status);
    } catch {
      // metrics hook failure is not ours to propagate
    }
  }

  private finalOutcome(st: ServerTx, status: number, at: number): void {
    if (!st.initial) return;
    const dlg = this.dialogs.get(st.callId);
    if (dlg) this.dropDialog(dlg);
    // A cancelled call rang for as long as the caller let it: until its CANCEL, not until the 487 came
    // back (a slow or broken next hop may send it much later, or never), so quick give-ups read as quick.
    const end = status === 487 && st.cancelledAt <= at ? st.cancelledAt : at;
    this.screener.observe({ callId: st.callId, at: end, status });
  }

  /** Non-2xx final sent upstream: INVITE waits for the ACK (Timer G/H); others absorb retransmissions (Timer J). */
  private completeServer(st: ServerTx): void {
    st.state = COMPLETED;
    st.rq = null;
    st.raw = null;
    st.topVia = undefined;
    const udp = st.dest.transport === 'udp';
    if (st.invite) {
      if (udp) {
        st.interval = this.t.t1;
        st.timer = this.wheel.schedule(st, T_G, st.interval);
      }
      st.timerH = this.wheel.schedule(st, T_H, this.t.timerH);
    } else if (udp) {
      // Timer J: a retransmitted request gets this final again.
      this.retireServer(st, st.last ? text(st.last) : ABSORB, this.retiredJ);
    } else {
      this.dropServer(st);
    }
  }

  // ---------------------------------------------------------------- timers

  private onTimer(owner: Owner, kind: number): void {
    try {
      if (owner instanceof ClientTx) this.onClientTimer(owner, kind);
      else if (owner instanceof ServerTx) this.onServerTimer(owner, kind);
      else if (owner instanceof Retired) this.forgetRetired(owner);
      else if (kind === T_DIALOG) this.dropDialog(owner);
    } catch (err) {
      this.counters.internalErrors++;
      this.log?.error({ err }, 'sip: timer failed');
    }
  }

  private onClientTimer(ct: ClientTx, kind: number): void {
    if (this.clients.get(ct.key) !== ct) return;
    const st = ct.server;
    switch (kind) {
      case T_RETRANS: {
        if (!ct.wire || ct.state === COMPLETED) return;
        this.tp.send(ct.dest, ct.wire);
        this.counters.retransmissionsSent++;
        // Timer A doubles (RFC 3261 §17.1.1.2); Timer E doubles up to T2, and stays at T2 after a 1xx (§17.1.2.2).
        ct.interval = ct.invite ? ct.interval * 2 : ct.provisional ? this.t.t2 : Math.min(ct.interval * 2, this.t.t2);
        ct.timerRetrans = this.wheel.schedule(ct, T_RETRANS, ct.interval);
        return;
      }
      case T_TIMEOUT: {
        if (ct.state === COMPLETED) return;
        if (ct.method === 'CANCEL' || !st) return this.dropClient(ct);
        if (ct.cancelSent) {
          this.counters.cancelTimeouts++;
          this.dropClient(ct);
          return this.localFinal(st, 487, 'Request Terminated');
        }
        if (ct.invite) {
          this.counters.timeoutB++;
          this.warnNoAnswer(ct.dest);
        } else this.counters.timeoutF++;
        this.dropClient(ct);
        // Timer B: the next hop never answered the INVITE at all, so no one rang (Timer C, below, is a call that rang too long).
        if (st.cancelled) return this.localFinal(st, 487, 'Request Terminated');
        return ct.invite ? this.unservedFinal(st, 408, 'Request Timeout') : this.localFinal(st, 408, 'Request Timeout');
      }
      case T_C: {
        ct.timerC = null;
        if (ct.state === COMPLETED || !st) return;
        this.counters.timeoutC++;
        // RFC 3261 §16.8: cancel a call that rings too long; the caller hears 408 now.
        if (ct.provisional) this.sendCancel(ct);
        else this.dropClient(ct);
        this.localFinal(st, 408, 'Request Timeout');
        return;
      }
      case T_CLIENT_END:
        this.dropClient(ct);
        return;
    }
  }

  /** When the last next-hop-silent warning was logged, and how many Timer B expiries since. */
  private silentWarnAt = -Infinity;
  private silentSince = 0;

  /**
   * A forwarded INVITE got no response at all within Timer B: the caller hears
   * 408 after 32 s, which on its own only shows in a counter. An inline
   * element with a dead next hop should say so: a warning, at most one every
   * 10 s, with the count since the last one.
   */
  private warnNoAnswer(dest: Dest): void {
    this.silentSince++;
    const now = Date.now();
    if (now - this.silentWarnAt < 10_000) return;
    this.log?.warn(
      { next_hop: `${dest.transport}:${dest.address}:${dest.port}`, invites_unanswered: this.silentSince, timer_b_ms: this.t.timerB },
      'sip: the next hop answered nothing to a forwarded INVITE within Timer B: is it up? (a caller still waiting gets 408)',
    );
    this.silentWarnAt = now;
    this.silentSince = 0;
  }

  private onServerTimer(st: ServerTx, kind: number): void {
    if (this.servers.get(st.key) !== st) return;
    switch (kind) {
      case T_G:
        if (st.state !== COMPLETED || !st.last) return;
        this.sendUp(st, st.last);
        this.counters.retransmissionsSent++;
        st.interval = Math.min(st.interval * 2, this.t.t2);
        st.timer = this.wheel.schedule(st, T_G, st.interval);
        return;
      case T_H:
        this.counters.timeoutH++;
        this.dropServer(st);
        return;
    }
  }

  /** The live server transaction under key, else its tombstone (newest kind first), else undefined. */
  private serverAt(key: string): ServerTx | TombValue | undefined {
    const live = this.servers.get(key);
    if (live !== undefined) return live;
    const { retiredL: l, retiredJ: j, retiredI: i } = this;
    if (l.tombs.size + j.tombs.size + i.tombs.size === 0) return undefined;
    const h = tombKey(key);
    return l.tombs.getHashed(h) ?? j.tombs.getHashed(h) ?? i.tombs.getHashed(h);
  }

  /** The live client transaction under key, ABSORB for a finished one (Timer K), else undefined. */
  private clientAt(key: string): ClientTx | typeof ABSORB | undefined {
    return this.clients.get(key) ?? (this.retiredK.tombs.has(key) ? ABSORB : undefined);
  }

  /** A finished server transaction keeps only its tombstone under its key, until `r`'s delay has passed. */
  private retireServer(st: ServerTx, tomb: Tomb, r: Retired): void {
    const key = st.key;
    const mine = this.servers.get(key) === st;
    this.dropServer(st);
    if (!mine) return;
    this.retire(r, key, tomb);
  }

  private retireClient(ct: ClientTx): void {
    const key = ct.key;
    const mine = this.clients.get(key) === ct;
    this.dropClient(ct);
    if (!mine) return;
    this.retire(this.retiredK, key, ABSORB);
  }

  private retire(r: Retired, key: string, tomb: Tomb): void {
    const now = performance.now();
    // A kept final response is counted until its generation is dropped (forgetRetired, or shed below); the
    // store says by how much, so a value replaced under the same key hash gives its bytes back.
    this.held += r.tombs.set(key, tomb, now);
    r.entry ??= this.wheel.schedule(r, T_RETIRED, Math.max(0, r.tombs.nextDue - now));
    // A flood of short transactions must not hold memory for 32 s each without bound: past maxTombs
    // the oldest generation of the fullest store goes early (a late retransmission then meets no tombstone).
    let total = this.tombCount();
    while (total > this.maxTombs) {
      let big = this.retired[0] as Retired;
      for (const x of this.retired) if (x.tombs.size > big.tombs.size) big = x;
      const before = big.tombs.size;
      this.held -= big.tombs.shed();
      total -= before - big.tombs.size;
      this.counters.tombsShed++;
      if (before === big.tombs.size) break;
    }
  }

  private tombCount(): number {
    let n = 0;
    for (const r of this.retired) n += r.tombs.size;
    return n;
  }

  /** The oldest generation of `r` is due: drop every generation that is, then wait for the next. */
  private forgetRetired(r: Retired): void {
    r.entry = null;
    const now = performance.now();
    this.held -= r.tombs.expire(now);
    const next = r.tombs.nextDue;
    if (next >= 0) r.entry = this.wheel.schedule(r, T_RETIRED, Math.max(0, next - now));
  }

  private dropServer(st: ServerTx): void {
    this.wheel.cancel(st.timer);
    this.wheel.cancel(st.timerH);
    st.timer = st.timerH = null;
    st.rq = null;
    st.raw = null;
    st.topVia = undefined;
    st.last = null;
    st.client = null;
    this.release(st);
    if (this.servers.get(st.key) === st) this.servers.delete(st.key);
  }

  private charge(tx: ServerTx | ClientTx, bytes: number): void {
    tx.weight = bytes;
    this.held += bytes;
  }

  /** The transaction's bytes are no longer held (once per transaction). */
  private release(tx: ServerTx | ClientTx): void {
    this.held -= tx.weight;
    tx.weight = 0;
  }

  private dropClient(ct: ClientTx): void {
    this.wheel.cancel(ct.timerRetrans);
    this.wheel.cancel(ct.timerTimeout);
    this.wheel.cancel(ct.timerC);
    this.wheel.cancel(ct.timerEnd);
    ct.timerRetrans = ct.timerTimeout = ct.timerC = ct.timerEnd = null;
    ct.wire = ct.ack = null;
    ct.fwd = null;
    this.release(ct);
    if (this.clients.get(ct.key) === ct) this.clients.delete(ct.key);
  }

  // ---------------------------------------------------------------- dialogs

  private trackDialog(callId: string, token: string): void {
    const known = this.dialogs.get(callId);
    if (known) {
      known.token = token;
      return;
    }
    if (this.dialogs.size >= this.maxDialogs) {
      // Forget the oldest call: its outcome is lost, memory stays bounded.
      const oldest = this.dialogs.values().next().value;
      if (oldest) {
        this.dropDialog(oldest);
        // Remembered as a mark off the heap for the dialog lifetime, so an answered call's re-INVITEs still pass.
        const now = Date.now();
        this.evicted.expire(now);
        if (this.evicted.size >= 4 * this.maxDialogs) this.evicted.shed();
        this.evicted.set(oldest.callId, oldest.answered ? EVICTED_ANSWERED : EVICTED_EARLY, now);
      }
      this.counters.dialogsEvicted++;
    }
    const dlg = new Dialog(callId);
    dlg.token = token;
    dlg.timer = this.wheel.schedule(dlg, T_DIALOG, this.t.dialog);
    this.dialogs.set(callId, dlg);
  }

  private dropDialog(dlg: Dialog): void {
    this.wheel.cancel(dlg.timer);
    dlg.timer = null;
    if (this.dialogs.get(dlg.callId) === dlg) this.dialogs.delete(dlg.callId);
  }

  // ---------------------------------------------------------------- sending

  /** Where responses to a request go: the source address; the rport, else the Via port (RFC 3261 §18.2.2, RFC 3581). */
  private responseDest(via: Via, peer: Peer): Dest {
    const rport = Number(via.params?.rport);
    const port = peer.transport === 'tcp' ? peer.port : rport > 0 ? rport : via.port && via.port > 0 ? via.port : 5060;
    return { transport: peer.transport, address: peer.address, port };
  }

  private sendUp(st: ServerTx, wire: Wire): void {
    this.tp.send(st.dest, bytes(wire), st.conn);
  }

  private sendTo(dest: Dest, wire: Buffer, conn?: Peer['conn']): void {
    this.tp.send(dest, wire, conn);
  }
}

/** A response relayed upstream (our Via already shifted off the parsed copy). */
function upstreamWire(rs: SipResponse, raw: RawMessage | null): Buffer {
  return raw ? splice(raw, { popVia: true }) : encode(rs);
}

/** A header value we write: UTF-8 to the wire's latin1, no line breaks (no header injection through rule text). */
function wireValue(v: unknown): string {
  return toWire(String(v)).replace(/[\r\n]+/g, ' ');
}


/** Header lines of a decision (tag headers), names added to `drop` so an inbound copy is replaced, not repeated. */
function decisionLines(d: Decision, drop: string[]): string {
  let s = '';
  for (const [name, value] of Object.entries(d.headers ?? {})) {
    const n = name.toLowerCase();
    if (PROTECTED.has(n) || !HEADER_NAME.test(name)) continue;
    if (!drop.includes(n)) drop.push(n);
    s += `${prettyHeaderName(n)}: ${wireValue(value)}\r\n`;
  }
  return s;
}

/** Extra header lines of a local response, as `response()` sets them. */
function extraLines(extra: Record<string, unknown> | undefined): string {
  let s = '';
  if (extra) {
    for (const [k, v] of Object.entries(extra)) {
      const n = k.toLowerCase();
      if (!PROTECTED.has(n)) s += `${prettyHeaderName(n)}: ${wireValue(v)}\r\n`;
    }
  }
  return s;
}

/** Server transaction key (RFC 3261 §17.2.3): branch + sent-by + method, ACK matching INVITE; RFC 2543 peers fall back to dialog fields. */
function serverKey(rq: SipRequest, method: string): string {
  const v = rq.headers.via![0]!;
  const b = v.params.branch;
  const sentBy = `${v.host}:${v.port ?? ''}`;
  if (b && b.startsWith(COOKIE)) return `${b}|${sentBy}|${method}`;
  return `~${rq.headers['call-id']}|${rq.headers.cseq!.seq}|${rq.headers.from!.params.tag ?? ''}|${sentBy}|${method}`;
}

/**
 * Whether a request may be answered: never an ACK (RFC 3261 §17), nor a request whose CSeq names ACK:
 * the response carries that CSeq, and a response to an ACK is one no transaction can match.
 */
function answerable(rq: SipRequest): boolean {
  return rq.method !== 'ACK' && rq.headers.cseq?.method !== 'ACK';
}

/** Max-Forwards as a number (70 when absent), null when malformed. */
function maxForwards(rq: SipRequest): number | null {
  const v = rq.headers['max-forwards'];
  if (v === undefined) return 70;
  if (typeof v !== 'string' || !/^\s*\d{1,3}\s*$/.test(v)) return null;
  return Number(v);
}

function paramsText(p: Params | undefined): string {
  let s = '';
  for (const k in p) s += `;${k}${p[k] ? `=${p[k]}` : ''}`;
  return s;
}

/** Header text for CallAttempt building: From/To re-serialised, others as received; UTF-8. */
function headerText(rq: SipRequest, name: string): string | undefined {
  const v = rq.headers[name];
  if (typeof v === 'string') return fromWire(v);
  if ((name === 'from' || name === 'to') && v && typeof v === 'object') {
    const a = v as NameAddr;
    return fromWire(`${a.name ? `${a.name} ` : ''}<${a.uri}>${paramsText(a.params)}`);
  }
  return undefined;
}
