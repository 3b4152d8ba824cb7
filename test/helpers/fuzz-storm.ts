/**
 * A fuzz storm against an in-process standalone proxy: a callee behind it
 * that answers (or leaves ringing) what it receives, a caller that places
 * real calls, an attacker over UDP and over TCP sending mutated messages
 * of a real call flow (lib: test/helpers/sip-fuzz.ts), and a sink that
 * only listens. While it runs, every message the proxy sends anywhere is
 * checked against what SIP forbids; afterwards the caller checks the
 * proxy still works and lets go of its state.
 *
 * Violations are collected as text (the first of each kind with the
 * message that caused it), so a failing seed says what went wrong.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { Screener } from '../../lib/ops/screener.js';
import { startStandalone, type Standalone, type StandaloneOptions } from '../../lib/sip/standalone.js';
import { decode, StreamFramer } from '../../lib/sip/transport.js';
import { rules, scope, sig } from './engine-rules.js';
import { callId, clone, FUZZ_ROUTE_KEY, hopRequest, ourRoute, inDialog, invite, lines, mutate, options, render, response, Rng, type Ctx, type Msg } from './sip-fuzz.js';
import { sleep, until } from './sip-peer.js';

/** Tags every call it sees (so a forwarded initial INVITE without the score header was not screened); rejects +86 callers. */
const tagAll = definePlugin<Record<string, never>>({
  name: 'tag-all',
  description: 'fuzz: every call scored, home-country callers rejected',
  schema: {},
  needs: () => [{ table: 'caller', window: 3_600_000 }],
  score: (ctx) => ({ points: (ctx.caller.e164 ?? '').startsWith('+86') ? 100 : 50, detail: 'fuzz' }),
});

export const FUZZ_TIMERS = { t1: 50, t2: 400, t4: 200, timerD: 300, timerJ: 300, timerL: 300, timerC: 800, cancelWait: 800, dialog: 1500 } as const;

export interface StormOptions {
  seed: number;
  /** Messages per transport. */
  messages: number;
  transports: ('udp' | 'tcp')[];
  /** A display-name prefix on tagged calls (forwarding then re-serialises instead of splicing). */
  displayPrefix?: boolean;
  udpThread?: boolean;
  /** More options for the in-process proxy (tight limits, say). */
  proxyOptions?: Partial<StandaloneOptions>;
  /** Record every message sent, for replaying a violation. */
  keepSent?: boolean;
  log?: (s: string) => void;
  /** A proxy of the caller's (a `ringfence serve` child process) in place of the in-process one, given the callee's port. */
  external?: (calleePort: number) => Promise<{ udpPort: number; tcpPort: number; close(): Promise<void> }>;
}

export interface StormReport {
  violations: string[];
  sent: number;
  /** The in-process proxy (undefined with `external`). */
  proxy: Standalone | undefined;
  engine: Engine;
  /** Quiescent after the storm: no transactions, dialogs, timers or held bytes. */
  idle: boolean;
  /** End-to-end checks after the storm (OPTIONS, a call) over each transport. */
  healthy: string[];
  /** The engine's 'answered' count for the caller of the call placed after the storm (1 when its state is intact). */
  engineAnswered: number;
  /** Sent messages, when keepSent. */
  log: string[];
  close(): Promise<void>;
}

interface Sock {
  sock: dgram.Socket;
  port: number;
}

async function udp(onMessage: (buf: Buffer, port: number) => void): Promise<Sock> {
  const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  sock.on('message', (b, ri) => onMessage(b, ri.port));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { sock, port: sock.address().port };
}

/** Header value (trimmed) of the first line with that name or compact form. */
function hv(m: Msg, name: string, compact?: string): string | undefined {
  const x = m.headers.find((l) => {
    const n = l.name.trim().toLowerCase();
    return n === name || (compact !== undefined && n === compact);
  });
  return x?.value.trim();
}

function firstLine(b: Buffer): string {
  const s = b.toString('latin1');
  const i = s.indexOf('\r\n');
  return JSON.stringify(s.slice(0, i < 0 ? 120 : Math.min(i, 120)));
}

export async function runStorm(o: StormOptions): Promise<StormReport> {
  const violations: string[] = [];
  const seen = new Set<string>();
  const violate = (kind: string, detail: string): void => {
    if (seen.has(kind)) return;
    seen.add(kind);
    violations.push(`${kind}: ${detail}`);
    o.log?.(`VIOLATION ${kind}: ${detail}`);
  };
  /**
   * Each message draws from a generator of its own (seed, transport, index): what the pools of live calls
   * hold depends on timing, and a draw made from a pool must not shift the mutations of every later message.
   */
  let r = new Rng(o.seed);
  const calleeRng = new Rng(o.seed ^ 0x5eed);
  const callerRng = new Rng(o.seed ^ 0xca11);
  const udpRng = new Rng(o.seed ^ 0x0d9);
  const tcpRng = new Rng(o.seed ^ 0x7c9);
  const sentLog: string[] = [];
  /** Call-IDs of responses the fuzzer sent: the proxy may relay them, never answer them. */
  const responseCids = new Set<string>();

  // ---- the proxy
  const base = scope([sig(tagAll)], {
    reject: { code: 608, phrase: 'Rejected', reasonHeader: 'SIP;cause=608' },
    tag: { scoreHeader: 'X-Ringfence-Score', reasonsHeader: 'X-Ringfence-Reasons', displayPrefix: o.displayPrefix ? '[SPAM?] ' : '' },
  });
  const engine = new Engine(rules(base, { hold: { duration: 0, extend: false, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  const screener = new Screener(engine);

  // ---- the callee: answers what the proxy forwards, checks it was well formed and screened
  interface Live { vias: string[]; cid: string; from: string; to: string; seq: string; method: string; answered: boolean }
  const live: Live[] = [];
  /** Call-IDs of initial INVITEs that reached the callee screened: an in-dialog INVITE of any other call got past screening. */
  const screened = new Set<string>();
  let proxy: Standalone | undefined;
  const proxyPorts = new Set<number>();
  let ctxCallee: Ctx;
  const callee = await udp((buf, port) => {
    const d = decode(buf, 1 << 20);
    if (!d.ok) return violate(`forwarded-malformed:${d.kind}`, firstLine(buf) + ' ' + JSON.stringify(buf.toString('latin1').slice(0, 600)));
    const m = d.msg;
    if (m.method === undefined) return violate('callee-got-response', `${m.status} for ${m.headers.cseq?.method} ${m.headers['call-id']}`);
    const top = m.headers.via?.[0];
    if (!top || top.host !== '127.0.0.1' || top.port === undefined || !proxyPorts.has(top.port)) violate('forwarded-without-our-via', firstLine(buf));
    for (const n of ['from', 'to', 'call-id', 'cseq'] as const) if (m.headers[n] === undefined) violate(`forwarded-without-${n}`, firstLine(buf));
    if (m.headers.cseq && m.headers.cseq.method !== m.method) violate('forwarded-cseq-method-mismatch', firstLine(buf));
    const toTag = m.headers.to?.params?.tag;
    // (An external proxy runs the operator's rules, which need not tag every call.)
    if (!o.external && m.method === 'INVITE' && !toTag && m.headers['x-ringfence-score'] === undefined) violate('unscreened-invite', JSON.stringify(buf.toString('latin1').slice(0, 600)));
    if (m.method === 'INVITE' && !toTag && typeof m.headers['x-ringfence-score'] === 'string' && /,/.test(m.headers['x-ringfence-score'])) violate('planted-score-kept', String(m.headers['x-ringfence-score']));
    if (m.method === 'INVITE' && !toTag) screened.add(String(m.headers['call-id']).trim());
    else if (!o.external && m.method === 'INVITE' && !screened.has(String(m.headers['call-id']).trim())) violate('in-dialog-invite-of-unscreened-call', JSON.stringify(buf.toString('latin1').slice(0, 600)));
    const msg = lines(buf.toString('latin1'));
    const vias = msg.headers.filter((l) => /^\s*(via|v)\s*$/i.test(l.name)).map((l) => l.value.trim());
    const cid = m.headers['call-id'] ?? '';
    const from = hv(msg, 'from', 'f') ?? '';
    const to = hv(msg, 'to', 't') ?? '';
    const seq = String(m.headers.cseq?.seq ?? 1);
    const send = (status: number, method: string, v = vias, t = to): void => {
      const rs = response(calleeRng, ctxCallee, status, { vias: v, cid, method, seq, from, to: t });
      callee.sock.send(render(rs), port, '127.0.0.1');
    };
    if (m.method === 'INVITE') {
      // A retransmission of one already seen (Timer A) is not answered afresh.
      if (live.some((x) => x.vias[0] === vias[0])) return;
      const legit = cid.startsWith('legit-');
      const l: Live = { vias, cid, from, to: toTag ? to : `${to};tag=cle${calleeRng.hex(6)}`, seq, method: 'INVITE', answered: false };
      const what = legit ? 0 : calleeRng.int(4);
      if (what === 0) {
        send(180, 'INVITE', vias, l.to);
        send(200, 'INVITE', vias, l.to);
        l.answered = true;
      } else if (what === 1) {
        send(486, 'INVITE', vias, l.to);
        l.answered = true;
      } else if (what === 3) {
        send(183, 'INVITE', vias, l.to);
      }
      live.push(l);
      if (live.length > 200) live.shift();
    } else if (m.method === 'CANCEL') {
      send(200, 'CANCEL');
      const l = live.find((x) => x.cid === cid && !x.answered);
      if (l) {
        l.answered = true;
        send(487, 'INVITE', l.vias, l.to);
      }
    } else if (m.method !== 'ACK') {
      // Answered at once, or now and then left for the fuzzer's responses (the proxy's Timer E / F run meanwhile).
      if (calleeRng.chance(0.8)) send(200, m.method);
      else if (!live.some((x) => x.vias[0] === vias[0])) live.push({ vias, cid, from, to, seq, method: m.method, answered: false });
      if (live.length > 200) live.shift();
    }
  });

  // ---- sink: responses relayed to a Via of ours land here; it must never hear an answer to an ACK
  const checkUpstream = (where: string) => (buf: Buffer): void => {
    const d = decode(buf, 1 << 20);
    const m = d.ok ? d.msg : d.msg;
    if (!m || m.status === undefined) return;
    const cid = m.headers['call-id'] ?? '';
    // What reaches the sink or the caller was relayed (or answers a well-formed request of the caller): it must be well formed.
    // (A 400 to a malformed request may echo its bad header: the attacker's hop requests copy the caller's Via.)
    const echo400 = m.status === 400 && /^Bad Request \(/.test(m.reason);
    if ((where === 'sink' || where === 'caller' || responseCids.has(cid)) && !d.ok && !echo400) violate(`relayed-malformed:${d.kind}@${where}`, JSON.stringify(buf.toString('latin1').slice(0, 400)));
    // No response ever has CSeq method ACK (an ACK is never answered, RFC 3261 §17): neither ours nor one relayed.
    if (m.headers.cseq?.method === 'ACK') violate(responseCids.has(cid) ? 'relayed-response-to-ack' : `answered-an-ack@${where}`, `${m.status} ${m.reason} ${cid}`);
    if (responseCids.has(cid) && where !== 'sink' && where !== 'caller') violate(`answered-a-response@${where}`, `${m.status} ${cid}`);
  };
  const sink = await udp(checkUpstream('sink'));
  // The sink listens on TCP too, at the same port: a Via that says TCP gets a connection that stays open.
  const sinkTcp = net.createServer((c) => {
    const framer = new StreamFramer(1 << 20);
    c.on('data', (chunk) => void framer.push(chunk, checkUpstream('sink')));
    c.on('error', () => c.destroy());
  });
  await new Promise<void>((resolve) => {
    sinkTcp.once('error', () => resolve()); // the port taken on TCP: no TCP sink this time
    sinkTcp.listen(sink.port, '127.0.0.1', () => resolve());
  });
  const attacker = await udp(checkUpstream('attacker'));

  // ---- caller: places real calls, ACKs what it gets
  interface CallerCall { inv: Msg; cid: string; fromTag: string }
  const calls = new Map<string, CallerCall>();
  const dialogs: { cid: string; fromTag: string; toTag: string }[] = [];
  let ctxCaller: Ctx;
  const caller = await udp((buf) => {
    checkUpstream('caller')(buf);
    const d = decode(buf, 1 << 20);
    if (!d.ok || d.msg.status === undefined) return;
    const m = d.msg;
    const cid = m.headers['call-id'] ?? '';
    const call = calls.get(cid);
    if (!call || m.headers.cseq?.method !== 'INVITE' || m.status < 200) return;
    const toTag = m.headers.to?.params?.tag ?? 'none';
    if (m.status < 300) {
      const ack = inDialog(callerRng, ctxCaller, 'ACK', { cid, fromTag: call.fromTag, toTag, seq: 1 });
      caller.sock.send(render(ack), ctxCaller.proxyPort, '127.0.0.1');
      dialogs.push({ cid, fromTag: call.fromTag, toTag });
      if (dialogs.length > 100) dialogs.shift();
    } else {
      const ack = hopRequest(callerRng, ctxCaller, 'ACK', call.inv);
      ack.headers = ack.headers.map((x) => (x.name === 'To' ? { ...x, value: `${hv(call.inv, 'to')};tag=${toTag}` } : x));
      caller.sock.send(render(ack), ctxCaller.proxyPort, '127.0.0.1');
    }
  });

  const listen: StandaloneOptions['listen'] = [{ transport: 'udp', host: '127.0.0.1', port: 0 }, { transport: 'tcp', host: '127.0.0.1', port: 0 }];
  // Internal errors are defects: what they were is reported with the violation.
  const errs: string[] = [];
  const logger = {
    child: () => logger,
    error: (o: { err?: Error }, msg: string) => errs.push(`${msg}: ${o.err?.stack ?? ''}`),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  };
  let external: Awaited<ReturnType<NonNullable<StormOptions['external']>>> | undefined;
  if (o.external) external = await o.external(callee.port);
  else proxy = await startStandalone({
    logger: logger as unknown as NonNullable<StandaloneOptions['logger']>,
    listen,
    nextHop: `sip:127.0.0.1:${callee.port}`,
    screener,
    timers: FUZZ_TIMERS,
    tcpMessageMs: 2000,
    routeKey: FUZZ_ROUTE_KEY,
    ...(o.udpThread !== undefined ? { udpThread: o.udpThread } : {}),
    ...o.proxyOptions,
  });
  const udpPort = external ? external.udpPort : proxy!.addresses()[0]!.port;
  const tcpPort = external ? external.tcpPort : proxy!.addresses()[1]!.port;
  proxyPorts.add(udpPort).add(tcpPort);
  const ctx = (transport: 'UDP' | 'TCP', myPort: number): Ctx => ({ proxyPort: transport === 'UDP' ? udpPort : tcpPort, proxyUdpPort: udpPort, myPort, transport, calleePort: callee.port, sinkPort: sink.port });
  ctxCallee = ctx('UDP', sink.port);
  ctxCaller = ctx('UDP', caller.port);

  const onErr = (e: unknown): void => {
    violate('uncaught', String((e as Error)?.stack ?? e));
  };
  process.on('uncaughtException', onErr);
  process.on('unhandledRejection', onErr);

  // ---- one fuzz message: a base from the call flow, mutated
  let sent = 0;
  const newCall = (): void => {
    const cid = `legit-${callId(r)}`;
    const fromTag = r.hex(8);
    const inv = invite(r, ctxCaller, { cid, caller: r.pick(['+442079460001', '+12025550100', '+8613912345678']), callee: '+8613800138000' });
    inv.headers = inv.headers.map((x) => (x.name === 'From' ? { ...x, value: ` <sip:+442079460001@127.0.0.1>;tag=${fromTag}` } : x));
    calls.set(cid, { inv, cid, fromTag });
    if (calls.size > 300) calls.delete(calls.keys().next().value as string);
    caller.sock.send(render(inv), udpPort, '127.0.0.1');
  };

  /** A message for transport `t` whose sender listens on `myPort`; returns bytes (and notes response Call-IDs). */
  /** Initial INVITEs sent, by transport, for mutated re-sends on the same branch. */
  const recent: { t: 'UDP' | 'TCP'; m: Msg }[] = [];
  const next = (t: 'UDP' | 'TCP', myPort: number, i: number): Buffer | null => {
    r = new Rng((Math.imul(o.seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b) ^ (t === 'TCP' ? 0x27d4eb2f : 0)) >>> 0);
    const c = ctx(t, myPort);
    const roll = r.int(100);
    let m: Msg;
    let intensity = 1;
    if (roll < 5) {
      newCall();
      return null;
    } else if (roll < 24 || (roll < 30 && recent.length === 0)) {
      m = invite(r, c);
      recent.push({ t, m: clone(m) });
      if (recent.length > 100) recent.shift();
    } else if (roll < 30) {
      // A request sent before, its Via (so its transaction) kept, something else changed: a retransmission
      // that is not one, an ACK or a CANCEL on the same branch, a re-sent INVITE with another Call-ID.
      const old = r.pick(recent.filter((x) => x.t === t).map((x) => x.m));
      if (!old) return null;
      m = clone(old);
      const method = r.pick(['INVITE', 'ACK', 'CANCEL', 'BYE']);
      m.start = m.start.replace(/^\S+/, method);
      m.headers = m.headers.map((x) => (/^\s*cseq\s*$/i.test(x.name) ? { ...x, value: x.value.replace(/[A-Z]+\s*$/, r.chance(0.8) ? method : 'INVITE') } : x));
      intensity = 0.4;
    } else if (roll < 42) {
      const dlg = dialogs.length && r.chance(0.6) ? r.pick(dialogs) : undefined;
      m = inDialog(r, c, r.pick(['ACK', 'BYE', 'INVITE', 'INFO', 'UPDATE', 'PRACK', 'CANCEL', 'OPTIONS', 'NOTIFY']), dlg ? { cid: dlg.cid, fromTag: dlg.fromTag, toTag: dlg.toTag, seq: 2 + r.int(5) } : {});
      intensity = 0.7;
    } else if (roll < 52) {
      const call = calls.size && r.chance(0.7) ? r.pick([...calls.values()]) : undefined;
      m = hopRequest(r, c, r.pick(['CANCEL', 'ACK']), call?.inv);
      intensity = 0.6;
    } else if (roll < 57) {
      m = options(r, c);
    } else if (roll < 82 && live.length) {
      // A response to a live (or recent) forwarded transaction, with our Via on top.
      const l = r.pick(live);
      const status = r.pick([100, 180, 183, 200, 200, 486, 487, 603, 0, 99, 700, 1000, 199, 299]);
      m = response(r, { ...c, myPort: sink.port }, status, { vias: l.vias, cid: l.cid, method: r.chance(0.85) ? l.method : r.pick(['ACK', 'CANCEL', 'BYE', 'INVITE']), seq: l.seq, from: l.from, to: l.to });
      intensity = 0.5;
      if (status >= 200) l.answered = true;
      // Sent from the callee over UDP; on TCP from the attacker's connection.
      if (t === 'UDP') {
        const b = mutate(m, r, { ...c, myPort: sink.port }, intensity);
        callee.sock.send(b, udpPort, '127.0.0.1');
        sent++;
        if (o.keepSent) sentLog.push(`udp(callee) ${JSON.stringify(b.toString('latin1'))}`);
        return null;
      }
    } else {
      m = response(r, { ...c, myPort: sink.port }, r.pick([100, 180, 200, 404, 0, 99, 700, 1000]));
      const cid = hv(m, 'call-id');
      if (cid) responseCids.add(cid);
      return mutate(m, r, { ...c, myPort: sink.port });
    }
    return mutate(m, r, c, intensity);
  };

  // ---- TCP: a few connections; messages pipelined several per write and split at random points
  const tcpConns: net.Socket[] = [];
  const openTcp = (): Promise<net.Socket> =>
    new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: tcpPort }, () => resolve(s));
      const framer = new StreamFramer(1 << 20);
      const check = checkUpstream('attacker-tcp');
      s.on('data', (chunk) => {
        if (framer.push(chunk, check)) framer.push(Buffer.alloc(0), () => undefined);
      });
      s.on('error', () => s.destroy());
    });

  const stormUdp = async (): Promise<void> => {
    for (let i = 0; i < o.messages; i++) {
      const b = next('UDP', attacker.port, i);
      if (b) {
        // Responses the attacker sends under its own Call-IDs are noted in next(); requests go from the attacker socket.
        attacker.sock.send(b, udpPort, '127.0.0.1');
        if (o.keepSent) sentLog.push(`udp ${JSON.stringify(b.toString('latin1'))}`);
        sent++;
        if (udpRng.chance(0.05)) attacker.sock.send(b, udpPort, '127.0.0.1'); // a retransmission
      }
      if (i % 20 === 19) await sleep(2);
    }
  };
  const stormTcp = async (): Promise<void> => {
    const K = 3;
    for (let k = 0; k < K; k++) tcpConns.push(await openTcp());
    for (let i = 0; i < o.messages; ) {
      const k = tcpRng.int(K);
      let s = tcpConns[k]!;
      if (s.destroyed || !s.writable) {
        s = tcpConns[k] = await openTcp();
      }
      const batch: Buffer[] = [];
      const n = 1 + tcpRng.int(4);
      for (let j = 0; j < n && i < o.messages; j++, i++) {
        const b = next('TCP', s.localPort ?? 0, i);
        if (b) batch.push(b);
      }
      const all = Buffer.concat(batch);
      if (o.keepSent) sentLog.push(`tcp#${k} ${JSON.stringify(all.toString('latin1'))}`);
      sent += batch.length;
      // Split at random points: some bytes now, the rest a moment later.
      let at = 0;
      while (at < all.length) {
        const len = tcpRng.chance(0.5) ? all.length - at : 1 + tcpRng.int(Math.max(1, all.length - at));
        if (!s.destroyed) s.write(all.subarray(at, at + len));
        at += len;
        if (tcpRng.chance(0.3)) await sleep(1);
      }
      if (i % 20 < n) await sleep(2);
    }
  };

  const jobs: Promise<void>[] = [];
  if (o.transports.includes('udp')) jobs.push(stormUdp());
  if (o.transports.includes('tcp')) jobs.push(stormTcp());
  await Promise.all(jobs);
  for (const s of tcpConns) s.destroy();

  // ---- after the storm: state drains, then the proxy still serves
  // An external proxy runs RFC timers (32 s and more): its state is the caller's to read, from its metrics.
  // Open TCP connections are left out: the proxy keeps the ones it opened to a next hop (Route ...;transport=tcp) for reuse.
  const sizes = (): Record<string, number> => {
    if (!proxy) return {};
    const { tcpConnections: _, ...rest } = proxy.stats().sizes;
    return rest;
  };
  const idle = await until(() => Object.values(sizes()).every((v) => v === 0), 15_000, 50);
  if (!idle) violate('not-idle', JSON.stringify(sizes()));
  const st = proxy ? proxy.stats() : { internalErrors: 0 };
  if (st.internalErrors > 0) violate('internal-errors', `${st.internalErrors}: ${errs.slice(0, 3).join(' | ')}`);

  const healthy: string[] = [];
  r = new Rng(o.seed ^ 0xf1a1);
  /** A caller of its own for the call after the storm, so the engine's record of it can be read. */
  const finalCaller = `+1202555${String(1000 + (o.seed % 9000))}`;
  // OPTIONS over UDP, answered 200.
  {
    const got: Buffer[] = [];
    const ua = await udp((b) => got.push(b));
    const m = options(r, ctx('UDP', ua.port));
    m.headers = m.headers.map((x) => (x.name === 'Max-Forwards' ? { ...x, value: ' 70' } : x));
    m.start = `OPTIONS sip:127.0.0.1:${udpPort} SIP/2.0`;
    ua.sock.send(render(m), udpPort, '127.0.0.1');
    if (await until(() => got.some((b) => b.toString('latin1').startsWith('SIP/2.0 200 ')), 3000)) healthy.push('udp-options');
    ua.sock.close();
  }
  // A whole call over UDP: INVITE, 180/200 from the callee, ACK, BYE, 200.
  {
    const got: Buffer[] = [];
    const ua = await udp((b) => got.push(b));
    const c = ctx('UDP', ua.port);
    const cid = `legit-final-${r.hex(6)}`;
    const inv = invite(r, c, { cid, caller: finalCaller, callee: '+8613800138000' });
    ua.sock.send(render(inv), udpPort, '127.0.0.1');
    const ok = await until(() => got.some((b) => /^SIP\/2\.0 200 /.test(b.toString('latin1')) && b.toString('latin1').includes(cid)), 3000);
    const okText = got.map((b) => b.toString('latin1')).find((s) => s.startsWith('SIP/2.0 200 ')) ?? '';
    const toTag = /^To:.*;tag=([^;\s>]+)/im.exec(okText)?.[1] ?? '';
    const fromTag = /^From:.*;tag=([^;\s>]+)/im.exec(render(inv).toString('latin1'))?.[1] ?? '';
    if (!ok) healthy.push(`FAILED udp-call INVITE: ${got.map(firstLine).join(' ')}`);
    if (ok) {
      ua.sock.send(render(inDialog(r, c, 'ACK', { cid, fromTag, toTag, seq: 1 })), udpPort, '127.0.0.1');
      const bye = inDialog(r, c, 'BYE', { cid, fromTag, toTag, seq: 2 });
      ua.sock.send(render(bye), udpPort, '127.0.0.1');
      if (await until(() => got.some((b) => /^SIP\/2\.0 200 /.test(b.toString('latin1')) && /CSeq: 2 BYE/i.test(b.toString('latin1'))), 3000)) healthy.push('udp-call');
      else healthy.push(`FAILED udp-call BYE: ${got.map(firstLine).join(' ')}`);
    }
    ua.sock.close();
  }
  // OPTIONS and a call over TCP.
  {
    const s = await openTcp();
    const got: string[] = [];
    const framer = new StreamFramer(1 << 20);
    s.on('data', (chunk) => framer.push(chunk, (b) => got.push(b.toString('latin1'))));
    const c = ctx('TCP', s.localPort ?? 0);
    const m = options(r, c);
    m.headers = m.headers.map((x) => (x.name === 'Max-Forwards' ? { ...x, value: ' 70' } : x));
    m.start = `OPTIONS sip:127.0.0.1:${tcpPort} SIP/2.0`;
    s.write(render(m));
    if (await until(() => got.some((x) => x.startsWith('SIP/2.0 200 ') && /OPTIONS/.test(x)), 3000)) healthy.push('tcp-options');
    const cid = `legit-final-tcp-${r.hex(6)}`;
    const inv = invite(r, c, { cid, caller: '+442079460001', callee: '+8613800138000' });
    s.write(render(inv));
    if (await until(() => got.some((x) => x.startsWith('SIP/2.0 200 ') && x.includes(cid) && /CSeq: 1 INVITE/i.test(x)), 3000)) {
      const okText = got.find((x) => x.startsWith('SIP/2.0 200 ') && x.includes(cid))!;
      const toTag = /^To:.*;tag=([^;\s>]+)/im.exec(okText)?.[1] ?? '';
      const fromTag = /^From:.*;tag=([^;\s>]+)/im.exec(render(inv).toString('latin1'))?.[1] ?? '';
      const route = (x: Msg): Msg => ({ ...x, headers: x.headers.map((l) => (l.name === 'Route' ? { ...l, value: ` ${ourRoute(tcpPort, cid, ';transport=tcp')}` } : l)) });
      s.write(render(route(inDialog(r, c, 'ACK', { cid, fromTag, toTag, seq: 1 }))));
      s.write(render(route(inDialog(r, c, 'BYE', { cid, fromTag, toTag, seq: 2 }))));
      if (await until(() => got.some((x) => x.startsWith('SIP/2.0 200 ') && /CSeq: 2 BYE/i.test(x)), 3000)) healthy.push('tcp-call');
      else healthy.push(`FAILED tcp-call BYE: ${got.map((x) => x.slice(0, 40)).join(' | ')}`);
    } else healthy.push(`FAILED tcp-call INVITE: ${got.map((x) => x.slice(0, 40)).join(' | ')}`);
    s.destroy();
  }
  await until(() => Object.values(sizes()).every((v) => v === 0), 8000, 50);
  const table = engine.tables.caller;
  const w = table.windows[0];
  const engineAnswered = w === undefined ? 0 : table.count(table.get(finalCaller), 'answered', w, Date.now());

  let closed = false;
  process.off('uncaughtException', onErr);
  process.off('unhandledRejection', onErr);
  return {
    violations,
    sent,
    proxy,
    engine,
    idle,
    healthy,
    engineAnswered,
    log: sentLog,
    async close() {
      if (closed) return;
      closed = true;
      await (proxy ?? external)?.close();
      for (const s of [callee, sink, attacker, caller]) s.sock.close();
      sinkTcp.close();
    },
  };
}
