/**
 * Ringfence as drachtio-srf middleware:
 *
 *   srf.use('invite', ringfence({ screener, srf, nextHop: 'sip:10.0.0.5:5060' }));
 *
 * Each initial INVITE becomes a CallAttempt, the Screener decides, and the
 * decision goes on the wire: reject → res.send(code, phrase, {headers});
 * tag/forward → proxied to `nextHop` with the tag headers, or handed to the
 * next middleware (decision on req.locals.ringfence) when there is no
 * nextHop. Outcomes come back from the proxy result and from drachtio-server
 * CDR events (<cdrs>true</cdrs>), matched by Call-ID.
 *
 * Nothing thrown here may reach drachtio-srf: connect's handler turns a throw
 * into a 500 and a stack trace on stderr.
 */
import { pino, type Logger } from 'pino';
import { sourceHeaderWatch, type Screener } from '../ops/screener.js';
import type { CompiledRules } from '../engine/config.js';
import type { CallOutcome, Decision } from '../engine/types.js';
import { rejectHeaders } from '../engine/score.js';
import { wireGet } from './wire-headers.js';
import { attemptFromRequest, tagOf, forwardHeadersFor, headerSafe, isInitialInvite, proxyDestination, fitProxyHeaders, type AttemptOptions } from './drachtio-attempt.js';
import { PendingCalls } from './drachtio-outcomes.js';
import {
  MAX_APP_MESSAGE_BYTES,
  allowRejectCodes,
  sendableStatus,
  type CdrListener,
  type DrachtioRequest,
  type DrachtioResponse,
  type Next,
  type ProxyOptions,
  type ProxyResult,
  type SipMessageLike,
  type SrfLike,
} from './drachtio-types.js';

export type { DrachtioRequest, DrachtioResponse, Next, ProxyOptions, ProxyResult, SrfLike } from './drachtio-types.js';
export { attemptFromRequest, forwardHeadersFor, SCREENED_HEADERS } from './drachtio-attempt.js';

export interface RingfenceOptions {
  screener: Screener;
  /** Proxy let-through calls here (sip:host:port); without it the next middleware routes them. */
  nextHop?: string | string[];
  /** The Srf to proxy with and take CDR events from; defaults to req.srf (set by Srf's dialog middleware). */
  srf?: SrfLike;
  logger?: Logger;
  /** Most calls waiting for an outcome (default: rules stats.max.pending). */
  pendingMax?: number;
  /** How long a call waits for its outcome, answer to hang-up included (default: rules stats.pending_ttl). */
  pendingTtlMs?: number;
  /**
   * true (default): subscribe to drachtio-server CDR events for answer and
   * hang-up times (one tick after creation, or at the first INVITE; an app
   * with its own srf.on('cdr:...') listeners registers them before then, or
   * drachtio-srf throws 'duplicate route request'). 'manual': do not
   * subscribe; the app forwards them through the middleware's
   * cdrStart/cdrStop. false: no CDRs; short-call signals are blind.
   */
  cdrs?: boolean | 'manual';
  /** Warn when calls are answered but no CDR event arrives within this long (ms). */
  cdrGraceMs?: number;
  /** Header the edge stamps with the ingress trunk or peer (else the packet source address is used). */
  sourceHeader?: string;
  /** Headers copied into the CallAttempt (lower-case names). */
  headers?: readonly string[];
  /** Extra proxy options (timeouts, forking); headers and remainInDialog are set by the middleware. */
  proxy?: Omit<ProxyOptions, 'headers' | 'remainInDialog'>;
  /** Clock, epoch ms (tests). */
  now?: () => number;
}

export interface RingfenceMiddleware {
  (req: DrachtioRequest, res: DrachtioResponse, next: Next): void;
  /** CDR handlers with drachtio-srf's argument order, for apps that own the CDR subscription (cdrs: 'manual'). */
  cdrStart: CdrListener;
  cdrStop: CdrListener;
  /** Calls waiting for an outcome. */
  pendingCount(): number;
  /** Shutting down: new calls are answered 503 (the edge fails them over); calls in flight carry on. */
  drain(): void;
  /** Stop timers and drop CDR listeners. */
  close(): void;
}

/** Keys under req.locals. */
export const LOCALS_KEY = 'ringfence';

/** The decision the middleware put on a request, if any. */
export function decisionOf(req: { locals?: Record<string, unknown> }): Decision | undefined {
  const d = req.locals?.[LOCALS_KEY];
  return typeof d === 'object' && d !== null ? (d as Decision) : undefined;
}

/**
 * Headers an app that routes calls itself should add to the forwarded INVITE
 * (tag headers, From with the display-name prefix): pass them as
 * `headers` to srf.proxyRequest or createB2BUA.
 */
export function forwardHeaders(req: DrachtioRequest): Record<string, string> {
  const d = decisionOf(req);
  return d ? forwardHeadersFor(d, wireGet(req)('from')) : {};
}

const isSipMessage = (v: unknown): v is SipMessageLike =>
  typeof v === 'object' && v !== null && typeof Reflect.get(v, 'get') === 'function';

const isSrfLike = (v: unknown): v is SrfLike =>
  typeof v === 'object' && v !== null && typeof Reflect.get(v, 'proxyRequest') === 'function' && typeof Reflect.get(v, 'on') === 'function';

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** RFC 3261 16.7.6 preference among failures, as drachtio-server's bestResponseOrder ranks them (lower wins). */
function failureRank(status: number): number {
  if (status >= 600) return 0;
  if (status === 401 || status === 407 || status === 415 || status === 420 || status === 484) return 1;
  if (status >= 400 && status < 500) return 2;
  if (status >= 500 && status < 600) return 3;
  return 4;
}

/**
 * The final status the caller got, from a proxy result. drachtio-srf's
 * `finalStatus` is only the last target's final (Request#proxy overwrites it
 * for every '|||continue' message), while drachtio-server answers the caller
 * with the best of all targets' finals (sip-proxy-controller.cpp
 * ProxyCore::forwardBestResponse, sorted by bestResponseOrder): with several
 * next hops, a redirect, or a provisionalTimeout, they differ (486 then 503:
 * the caller gets 486). So:
 * - a 2xx from any target: the call was answered (drachtio-server sends
 *   'done' right after it);
 * - a 487 as the last final: targets answer 487 only to the CANCELs
 *   drachtio-server sends when the caller cancelled
 *   (processRequestWithoutRouteHeader → generateResponse(487) to the caller),
 *   so 487 is what the caller got, whatever earlier targets said;
 * - otherwise the best failure by RFC 3261 16.7.6, the first among equals;
 * - no final at all: drachtio-server answered 408 itself (timer B/C, or a
 *   provisionalTimeout on every target).
 */
export function proxyFinalStatus(result: ProxyResult | undefined): number {
  const finals: number[] = [];
  for (const leg of Array.isArray(result?.responses) ? result.responses : []) {
    for (const m of Array.isArray(leg?.msgs) ? leg.msgs : []) {
      if (typeof m?.status === 'number' && m.status >= 200) finals.push(m.status);
    }
  }
  const last = result?.finalStatus;
  if (typeof last === 'number' && last >= 200 && finals.at(-1) !== last) finals.push(last);
  const answered = finals.find((s) => s < 300);
  if (answered !== undefined) return answered;
  if (finals.length === 0) return 408;
  if (finals.at(-1) === 487) return 487;
  let best = finals[0] as number;
  for (const s of finals) if (failureRank(s) < failureRank(best)) best = s;
  return best;
}

interface CallState {
  handedOn: boolean;
  proxied: boolean;
  decision?: Decision;
  callId: string;
  /** Whether this call's outcome is waited for (pending): not when another INVITE with its Call-ID already is. */
  tracked: boolean;
}

export function ringfence(opts: RingfenceOptions): RingfenceMiddleware {
  const screener = opts.screener;
  const log = opts.logger ?? pino({ name: 'ringfence', level: 'warn' });
  const now = opts.now ?? Date.now;
  // Rules can be swapped by a reload: read them per call, not once.
  const rules = (): CompiledRules => screener.engine.rules;
  const nextHop = opts.nextHop;
  // Whether drachtio-server may send 'done' before the call's last target has answered: after a
  // provisionalTimeout it marks the whole proxy cancelled, and a later target's failure then counts as
  // the end while targets not yet started remain (ClientTransaction::processResponse, exhaustedAllTargets).
  const earlyDone = !!opts.proxy?.provisionalTimeout && ((Array.isArray(nextHop) && nextHop.length > 1) || !!opts.proxy.followRedirects);
  const cdrMode = opts.cdrs ?? true;
  const attemptOpts: AttemptOptions = {};
  if (opts.headers) attemptOpts.headers = opts.headers;
  if (opts.sourceHeader) attemptOpts.sourceHeader = opts.sourceHeader;

  allowRejectCodes();

  let cdrSeen = false;
  let warnedNoCdr = false;
  let warnedNoOutcome = false;
  let warnedNoHangup = false;
  let draining = false;
  /** INVITEs that reused the Call-ID of a call still waited for, numbered in their engine Call-IDs. */
  let reuses = 0;
  const sourceMissing = opts.sourceHeader ? sourceHeaderWatch(screener.events, opts.sourceHeader, log) : undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let subscribed = false;
  const listening: { app: NonNullable<SrfLike['app']>; event: string; fn: CdrListener }[] = [];

  const pending = new PendingCalls({
    max: opts.pendingMax ?? rules().stats.max.pending,
    ttlMs: opts.pendingTtlMs ?? rules().stats.pendingTtl,
    onOutcome(o: CallOutcome) {
      const matched = screener.observe(o);
      log.debug({ call_id: o.callId, status: o.status, ended_at: o.endedAt, matched }, 'outcome');
      if (o.status !== undefined && o.status >= 200 && o.status < 300) armCdrWatchdog();
    },
    onDrop(callId, why, answered) {
      log.debug({ call_id: callId, why, answered }, 'pending call dropped without outcome');
      screener.events.outcomeLost?.(answered ? 'hangup' : 'final');
      if (why !== 'expired') return;
      if (pending.counts.outcomes === 0 && !warnedNoOutcome) {
        warnedNoOutcome = true;
        log.warn('calls let through are expiring without any outcome: no proxy results or CDR events arrive, so answer and short-call signals are blind');
      } else if (answered && cdrMode !== false && pending.counts.hangups === 0 && !warnedNoHangup) {
        // drachtio-server reports a hang-up (cdr:stop) only for a BYE that passes through it: one that
        // follows the Record-Route it added. An answer CDR alone keeps the CDR watchdog quiet.
        warnedNoHangup = true;
        log.warn('answered calls are expiring without a hang-up: no BYE passes through drachtio-server (the core or an SBC between ignores its Record-Route, or an app of your own proxies without remainInDialog), so talk times are unknown and short-call signals are blind');
      }
    },
  });

  if (cdrMode === false) {
    log.warn(nextHop
      ? 'drachtio CDRs off: call durations are unknown, so short-call signals are blind (answered/unanswered still come from proxy results)'
      : 'drachtio CDRs off and no nextHop: outcomes come only from the app\'s own final answers and CANCELs (none when the app proxies); call durations are unknown, so short-call signals are blind');
  }

  function armCdrWatchdog(): void {
    if (cdrMode === false || cdrSeen || warnedNoCdr || watchdog !== undefined) return;
    watchdog = setTimeout(() => {
      watchdog = undefined;
      if (cdrSeen || warnedNoCdr) return;
      warnedNoCdr = true;
      log.warn('calls are being answered but no CDR events arrive from drachtio-server: set <cdrs>true</cdrs> in drachtio.conf.xml; until then short-call signals are blind');
    }, opts.cdrGraceMs ?? 30_000);
    watchdog.unref?.();
  }

  /** The CDR's message and the Call-ID of a call we wait for, or undefined. */
  function cdrCall(msg: unknown): { callId: string; status: number | undefined } | undefined {
    if (!isSipMessage(msg)) return undefined;
    const id = msg.get('call-id')?.trim();
    if (!id || !pending.owns(id, [tagOf(msg.get('from')), tagOf(msg.get('to'))])) return undefined;
    return { callId: id, status: msg.status };
  }

  // drachtio-agent.js _onMsg: cdr:start → (source, time, role, msg); msg is the 200 OK.
  const cdrStart: CdrListener = (...args) => {
    try {
      cdrSeen = true;
      const c = cdrCall(args[3]);
      if (c === undefined) return;
      const s = c.status;
      pending.final(c.callId, typeof s === 'number' && s >= 200 && s < 300 ? s : 200, now());
    } catch (err) {
      log.error({ err }, 'cdr:start handling failed');
    }
  };

  // cdr:stop → (source, time, reason, msg): the final response for rejected or
  // cancelled attempts (call-rejected, call-canceled), the BYE for normal-release.
  // A proxied call's BYE never reaches the app: drachtio-server forwards
  // in-dialog requests of a Record-Routed proxy itself and posts this
  // cdr:stop instead (sip-proxy-controller.cpp processRequestWithRouteHeader).
  const cdrStop: CdrListener = (...args) => {
    try {
      cdrSeen = true;
      const reason = typeof args[2] === 'string' ? args[2] : '';
      const c = cdrCall(args[3]);
      if (c === undefined) return;
      const { callId, status: s } = c;
      const t = now();
      // A response from 'network' is one target's answer (ClientTransaction::writeCdr): the proxy may
      // still fail over, follow a redirect or pick a better final. What the caller got comes from
      // 'application' (ServerTransaction::writeCdr / generateResponse).
      if (typeof s === 'number' && args[0] === 'network') return;
      if (typeof s === 'number' && s >= 300) pending.final(callId, s, t);
      else if (reason === 'call-canceled') pending.final(callId, 487, t);
      else if (reason !== 'call-rejected') pending.ended(callId, t);
    } catch (err) {
      log.error({ err }, 'cdr:stop handling failed');
    }
  };

  function listen(srf: SrfLike, event: string, fn: CdrListener): void {
    const app = srf.app;
    // DrachtioAgent#route throws 'duplicate route request' when a cdr event is
    // subscribed twice through srf.on; if the app already did, just listen on
    // srf.app, where drachtio-srf re-emits every CDR (connect.js app.on).
    if (app && app.listenerCount(event) > 0) app.addListener(event, fn);
    else srf.on(event, fn);
    if (app) listening.push({ app, event, fn });
  }

  function subscribe(srf: SrfLike | undefined): void {
    if (subscribed || cdrMode !== true || srf === undefined) return;
    subscribed = true;
    try {
      listen(srf, 'cdr:start', cdrStart);
      listen(srf, 'cdr:stop', cdrStop);
    } catch (err) {
      log.warn({ err: errText(err) }, 'could not subscribe to drachtio CDR events; forward them with cdrs: \'manual\' (middleware.cdrStart/cdrStop) or short-call signals are blind');
    }
  }

  // One tick later, not now: if the app subscribes to the same CDR events after installing the
  // middleware, whichever srf.on comes second throws 'duplicate route request' (DrachtioAgent#route),
  // in the app's own call or, before connecting, in srf.connect (connect.js replays them). Later,
  // listen() sees the app's listener and shares it. The first INVITE subscribes too, if sooner.
  let deferred: ReturnType<typeof setImmediate> | undefined;
  const preset = opts.srf;
  if (preset && cdrMode === true) {
    deferred = setImmediate(() => {
      deferred = undefined;
      subscribe(preset);
    });
  }

  function srfFor(req: DrachtioRequest): SrfLike | undefined {
    if (opts.srf) return opts.srf;
    const s: unknown = Reflect.get(req, 'srf');
    return isSrfLike(s) ? s : undefined;
  }

  /**
   * Send a final response; never throws. Falls back to 603 if drachtio-srf
   * would refuse the code. `confirmed`: count it sent only when drachtio-server
   * says it went out, for a response that may come after drachtio-server
   * has answered the caller itself.
   */
  function answer(res: DrachtioResponse, status: number, phrase: string, headers?: Record<string, string>, confirmed = false): boolean {
    try {
      if (res.finalResponseSent) return false;
      let code = status;
      // Response#send puts the phrase on the status line as given ('SIP/2.0 <code> <phrase>\r\n', sip-parser
      // stringify), and the rules loader takes any text (a YAML folded scalar ends it with a newline): a line
      // break would end the status line early or turn the rest of the phrase into header lines.
      let reason = headerSafe(phrase).trim();
      if (!sendableStatus(code)) {
        log.error({ status }, 'drachtio-srf refuses this status; answering 603 instead');
        code = 603;
        reason = 'Decline';
      }
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers ?? {})) h[k] = headerSafe(v);
      // drachtio-srf writes the response with the INVITE's Call-ID, CSeq, From and To (response.js
      // req setter). Only a hostile or broken INVITE makes that more than drachtio-server reads
      // reliably (MAX_APP_MESSAGE_BYTES, 4 kB), but writing it would stall Ringfence's connection, and
      // every call with it. Leave that one call unanswered instead: the caller's transaction times out.
      const bytes = (): number => {
        let size = 512 + Buffer.byteLength(reason);
        for (const name of ['from', 'to', 'call-id', 'cseq']) size += Buffer.byteLength(res.get?.(name) ?? '') + name.length + 4;
        for (const [k, v] of Object.entries(h)) size += Buffer.byteLength(k) + Buffer.byteLength(v) + 4;
        return size;
      };
      let size = bytes();
      const copied = res.msg?.headers;
      if (size > MAX_APP_MESSAGE_BYTES && copied !== undefined) {
        // sofia-sip completes a response that lacks From, To or CSeq with the INVITE's own
        // (nta_msg_response_complete), so drachtio-server sends them whether or not they are copied
        // here. The Call-ID stays: drachtio-srf finds the INVITE it stops waiting for by it
        // (DrachtioAgent#sendResponse), and an INVITE never answered stays pinned there.
        for (const name of ['from', 'to', 'cseq']) Reflect.deleteProperty(copied, name);
        size = bytes();
        if (size <= MAX_APP_MESSAGE_BYTES) log.warn({ status: code, call_id: res.get?.('call-id') }, 'INVITE headers too large to copy into the response; drachtio-server adds them from the INVITE');
      }
      if (size > MAX_APP_MESSAGE_BYTES) {
        log.error({ status: code, bytes: size }, 'INVITE too large to answer through drachtio-server (it cannot read an app message over 4 kB reliably); left unanswered');
        return false;
      }
      // drachtio-server replies OK or NOK to every response an app sends (doRespondToSipRequest).
      const sent = (err: unknown): void => {
        if (err) log.info({ status: code, why: errText(err) }, 'drachtio-server did not send the response');
        else screener.events.responseSent?.(code);
      };
      // Without a callback drachtio-srf registers nothing to wait for (DrachtioAgent#sendResponse).
      const callback = confirmed ? sent : undefined;
      try {
        res.send(code, reason, { headers: h }, callback);
      } catch (err) {
        // Response#send throws for a code missing from the sip-status table it loaded, which may be another
        // copy than the one sendableStatus() patched (an app with its own drachtio-srf install): a plain 603
        // is in every copy, and answering beats leaving the caller's INVITE to time out.
        if (res.finalResponseSent || code === 603) throw err;
        log.error({ err, status: code }, 'drachtio-srf refused the response; answering 603 instead');
        code = 603;
        res.send(603, 'Decline', { headers: {} }, callback);
      }
      if (!confirmed) screener.events.responseSent?.(code);
      return true;
    } catch (err) {
      log.error({ err }, 'sending a response failed');
      return false;
    }
  }

  /** The tag headers as they fit in one proxy command (fitProxyHeaders), trimming logged; throws when nothing fits. */
  function fittedHeaders(dest: string | string[], headers: Record<string, string>, callId: string): Record<string, string> {
    const fit = fitProxyHeaders(dest, headers);
    if (fit === null) throw new Error(`next-hop destinations too long for one drachtio-server message (${MAX_APP_MESSAGE_BYTES} bytes)`);
    if (fit.trimmed === 'from') log.warn({ call_id: callId }, 'From not rewritten: the proxy command would be too large for drachtio-server');
    if (fit.trimmed === 'all') log.error({ call_id: callId }, 'tag headers left off: the proxy command would be too large for drachtio-server');
    return fit.headers;
  }

  function proxy(req: DrachtioRequest, res: DrachtioResponse, hop: string | string[], headers: Record<string, string>, st: CallState): void {
    const srf = srfFor(req);
    st.proxied = true;
    let p: Promise<ProxyResult | void>;
    try {
      if (srf === undefined) throw new Error('nextHop is set but there is no Srf to proxy with (pass `srf`)');
      // Per call, a fresh value: Request#proxy rewrites the array it is given in place (request.js).
      const dest = Array.isArray(hop) ? hop.map((h) => proxyDestination(h, req.uri)) : proxyDestination(hop, req.uri);
      // remainInDialog: drachtio-server Record-Routes, so the BYE passes through it and yields the cdr:stop
      // (the app itself never sees the ACK or BYE of a proxied call). `headers` go into the proxy command's
      // message (DrachtioAgent#proxy) and drachtio-server adds them to the forwarded INVITE (makeTags):
      // custom headers appended, a From replacing the From.
      p = Promise.resolve(srf.proxyRequest(req, dest, { ...opts.proxy, headers: fittedHeaders(dest, headers, st.callId), remainInDialog: true }));
    } catch (err) {
      // Not a policy decision: a 503 lets the edge fail over.
      log.error({ err: errText(err), call_id: st.callId }, 'proxying failed; answering 503');
      if (st.tracked) unserved(st.callId);
      answer(res, 503, 'Service Unavailable');
      return;
    }
    p.then(
      (result) => {
        if (st.tracked) onProxyResult(st.callId, result ?? undefined);
      },
      (err: unknown) => {
        // drachtio-srf rejects with the server's reason string (Request#proxy, 'NOK'). drachtio-server
        // has often answered the caller itself by then (500 when no target could be tried, 483 on
        // Max-Forwards, nothing left after a quick CANCEL); a 503 on a finished transaction is dropped
        // (NOK 'Response not sent due to unknown transaction'), so it counts only once confirmed.
        log.error({ err: errText(err), call_id: st.callId }, 'drachtio-server could not proxy the call');
        if (st.tracked) unserved(st.callId);
        answer(res, 503, 'Service Unavailable', undefined, true);
      },
    ).catch((err: unknown) => log.error({ err }, 'proxy result handling failed'));
  }

  /** A call the network never got to answer (drachtio-server could not proxy it): no outcome, and its attempt taken back. */
  function unserved(callId: string): void {
    pending.forget(callId);
    screener.withdraw(callId, now());
  }

  function onProxyResult(callId: string, result: ProxyResult | undefined): void {
    const status = proxyFinalStatus(result);
    // An early 'done' reports a failure while the next target is being started, and drachtio-srf drops
    // the proxy's later messages: a target answering after it would count as a failed call. While CDRs
    // arrive, what the caller got comes from drachtio-server's 'application' CDR (ServerTransaction
    // writeCdr / generateResponse) instead.
    if (earlyDone && status >= 300 && cdrSeen) return;
    // 'done' follows the final response at once, so now is when the 200 came.
    pending.final(callId, status, now());
  }

  /**
   * Send the answer of a reject decision. A fail-closed decision (scope
   * 'error': Engine#decideSafe, or failSafe below) carries the top-level
   * code and phrase but not its Reason header; a rules file answering
   * `603` with a Reason must still send that Reason.
   */
  function reject(res: DrachtioResponse, d: Decision): void {
    const base = rules().base.reject;
    const headers = d.headers ?? (d.scope === 'error' ? rejectHeaders(base) : undefined);
    answer(res, d.code ?? base.code, d.phrase ?? base.phrase, headers);
  }

  /**
   * Outcome of a call the next middleware routes. drachtio-srf reports the
   * app's own final answer (Response#send emits 'end', response.js) and the
   * caller cancelling an INVITE not yet answered (DrachtioAgent#_onMsg emits
   * 'cancel' on the Request). CDRs alone miss some of these: drachtio-server
   * sends no cdr:stop for some CANCELs of an INVITE held by an app
   * (drachtio-server issues #112, #342). First report wins, CDRs included. An
   * app that proxies the call gets neither event; its outcome comes from CDRs.
   */
  function followApp(req: DrachtioRequest, res: DrachtioResponse, callId: string): void {
    req.on?.('cancel', () => {
      try {
        pending.final(callId, 487, now());
      } catch (err) {
        log.error({ err, call_id: callId }, 'cancel handling failed');
      }
    });
    res.on?.('end', (info) => {
      try {
        const status: unknown = typeof info === 'object' && info !== null ? Reflect.get(info, 'status') : undefined;
        if (typeof status === 'number' && status >= 200) pending.final(callId, status, now());
      } catch (err) {
        log.error({ err, call_id: callId }, 'final response handling failed');
      }
    });
  }

  function setLocals(req: DrachtioRequest, d: Decision): void {
    if (typeof req.locals !== 'object' || req.locals === null) req.locals = {};
    req.locals[LOCALS_KEY] = d;
  }

  function handle(req: DrachtioRequest, res: DrachtioResponse, pass: () => void, st: CallState): void {
    // Headers as the next hop reads them: drachtio-srf also reads names written %-escaped (wire-headers.ts).
    const get = wireGet(req);
    if (!isInitialInvite({ method: req.method, get })) return pass(); // re-INVITEs and other methods are not screened
    if (draining) {
      answer(res, 503, 'Service Unavailable', { 'Retry-After': '5' });
      return;
    }
    subscribe(srfFor(req));
    const t = now();
    if (opts.sourceHeader && !get(opts.sourceHeader)?.trim()) sourceMissing?.(t);
    const attempt = attemptFromRequest({ uri: req.uri, method: req.method, source_address: req.source_address, get }, t, attemptOpts);
    st.callId = attempt.callId;
    // Another INVITE with the Call-ID of a call still waiting for its outcome (a broken or hostile UA, a
    // spiral): screened, but under a Call-ID of its own in the engine and not followed, so that its
    // outcome is never taken for the first call's, nor the first call's for its own.
    pending.sweep(t); // a call aged out but not yet swept is not waiting any more
    const reused = attempt.callId !== '' && pending.has(attempt.callId);
    if (reused) attempt.callId = `${attempt.callId} (reused ${++reuses})`;
    const d = screener.decide(attempt);
    st.decision = d;
    setLocals(req, d);
    if (d.action === 'reject') {
      reject(res, d);
      return;
    }
    st.tracked = !reused && attempt.callId !== '' && pending.add(attempt.callId, t, tagOf(get('from')));
    if (nextHop === undefined) {
      if (st.tracked) followApp(req, res, attempt.callId);
      return pass();
    }
    proxy(req, res, nextHop, forwardHeadersFor(d, get('from')), st);
  }

  /** After an unexpected throw: decideSafe semantics (fail open or closed per rules), never a second answer. */
  function failSafe(req: DrachtioRequest, res: DrachtioResponse, pass: () => void, st: CallState, err: unknown): void {
    log.error({ err, call_id: st.callId }, 'ringfence middleware error');
    try {
      if (st.handedOn || st.proxied || res.finalResponseSent) return;
      let d = st.decision;
      if (d === undefined) {
        const closed = rules().failMode === 'closed';
        d = {
          callId: st.callId,
          action: closed ? 'reject' : 'forward',
          score: 0,
          reasons: [{ signal: 'error', points: 0, detail: `adapter error, failing ${closed ? 'closed' : 'open'}: ${errText(err)}` }],
          scope: 'error',
          caller: '',
          callee: '',
        };
        if (closed) {
          d.rejectedBy = 'error';
          const base = rules().base.reject;
          d.code = base.code;
          d.phrase = base.phrase;
        }
        try {
          setLocals(req, d);
        } catch {
          // locals are a convenience; the call still gets handled below
        }
      }
      if (d.action === 'reject') reject(res, d);
      else if (nextHop === undefined) pass();
      else proxy(req, res, nextHop, {}, st);
    } catch (e) {
      log.error({ err: e }, 'ringfence fail-safe failed');
    }
  }

  const middleware = function ringfenceMiddleware(req: DrachtioRequest, res: DrachtioResponse, next: Next): void {
    const st: CallState = { handedOn: false, proxied: false, callId: '', tracked: false };
    const pass = (): void => {
      if (st.handedOn) return;
      st.handedOn = true;
      next();
    };
    try {
      handle(req, res, pass, st);
    } catch (err) {
      failSafe(req, res, pass, st, err);
    }
  };

  return Object.assign(middleware, {
    cdrStart,
    cdrStop,
    pendingCount: () => pending.size,
    drain(): void {
      draining = true;
    },
    close(): void {
      if (deferred !== undefined) clearImmediate(deferred);
      deferred = undefined;
      subscribed = true; // a late first INVITE must not subscribe again
      if (watchdog !== undefined) clearTimeout(watchdog);
      watchdog = undefined;
      for (const l of listening.splice(0)) {
        try {
          l.app.removeListener(l.event, l.fn);
        } catch {
          // already gone with the Srf
        }
      }
      pending.clear();
    },
  });
}

export default ringfence;
