/**
 * What an operator reads: the call id is `call_id` in every JSON log line
 * about a call (decision, engine error, drachtio adapter lines), the same
 * name as in replay's decision log, so one query finds a call in either.
 * Every key of the decision line and of the inspect report is snake_case,
 * and a name the decision line or the inspect preview shares with
 * `replay --decisions` is spelt the same there.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import type { Decision } from '../../lib/engine/types.js';
import { startAdmin } from '../../lib/ops/admin.js';
import { inspectNumber } from '../../lib/ops/inspect.js';
import { createMetrics } from '../../lib/ops/metrics.js';
import { Screener } from '../../lib/ops/screener.js';
import { decisionLine } from '../../lib/replay/decisions.js';
import { ringfence } from '../../lib/sip/drachtio.js';
import { CALLERS, testRules, testScreener } from '../helpers/drachtio-rules.js';
import { captureLog } from '../helpers/drachtio-log.js';
import { Wire, byeText, inviteText, responseText, settle } from '../helpers/drachtio-wire.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const from = (number: string): string => `"Caller" <sip:${number}@carrier.example>;tag=f1`;

t.test('Screener: the decision line and engine error lines name the call call_id', async (t) => {
  const log = captureLog();
  const s = new Screener(new Engine(await testRules()), { logger: log.logger });
  s.decide({ callId: 'c-608', at: T0, caller: CALLERS.reject608, callee: '+442079460123' });
  const [d] = log.find(/^decision$/);
  t.match(d, { call_id: 'c-608', action: 'reject' });
  t.notOk(d && 'callId' in d, 'no camelCase callId');

  const boom = new Screener(new Engine(await testRules({ boom: true })), { logger: log.logger });
  boom.decide({ callId: 'c-boom', at: T0, caller: CALLERS.forward, callee: '+442079460123' });
  const [e] = log.find(/^engine error; call/);
  t.match(e, { call_id: 'c-boom' });
  t.notOk(e && 'callId' in e);

  const engine = new Engine(await testRules());
  engine.observe = () => {
    throw new Error('observe failed');
  };
  new Screener(engine, { logger: log.logger }).observe({ callId: 'c-out', at: T0, status: 200 });
  const [o] = log.find(/^engine error on outcome$/);
  t.match(o, { call_id: 'c-out' });
  t.notOk(o && 'callId' in o);
});

t.test('decisionLog: decision lines do not depend on the log level; rejects only, or none, on request', async (t) => {
  const calls = async (log: ReturnType<typeof captureLog>, decisionLog?: 'all' | 'rejects' | 'none'): Promise<unknown[]> => {
    const s = new Screener(new Engine(await testRules()), { logger: log.logger, ...(decisionLog ? { decisionLog } : {}) });
    s.decide({ callId: 'c-rej', at: T0, caller: CALLERS.reject608, callee: '+442079460123' });
    s.decide({ callId: 'c-fwd', at: T0 + 1000, caller: CALLERS.forward, callee: '+442079460123' });
    return log.find(/^decision$/).map((l) => l.call_id);
  };
  t.same(await calls(captureLog('warn'), 'all'), ['c-rej', 'c-fwd'], 'an operator quieting the log to warn keeps the audit trail');
  t.same(await calls(captureLog('warn'), 'rejects'), ['c-rej'], 'rejects only');
  t.same(await calls(captureLog('info'), 'none'), [], 'none');
  t.same(await calls(captureLog('warn')), [], 'without decisionLog, decision lines follow the level, as before');
  t.same(await calls(captureLog('silent'), 'all'), [], 'a silent logger stays silent');
});

t.test('drachtio adapter: its own lines about a call name it call_id', async (t) => {
  const wire = new Wire();
  const probe = await testScreener();
  const log = captureLog();
  const clock = { now: T0 };
  const mw = ringfence({ screener: probe.screener, srf: wire.srf, nextHop: 'sip:127.0.0.1:5090', logger: log.logger, now: () => clock.now, pendingMax: 1 });
  for (const id of ['p1', 'p2']) {
    const { req, res } = wire.request(inviteText({ callId: id, from: from(CALLERS.forward) }));
    mw(req, res, () => undefined);
  }
  const dropped = log.find(/^pending call dropped without outcome$/);
  t.match(dropped, [{ call_id: 'p1', why: 'evicted' }]);
  t.notOk(dropped.some((l) => 'callId' in l));

  const failing = await testScreener(testRules(), { decision: () => { throw new Error('metrics exploded'); } });
  const mw2 = ringfence({ screener: failing.screener, srf: wire.srf, nextHop: undefined, logger: log.logger, now: () => clock.now });
  const { req, res } = wire.request(inviteText({ callId: 'x1', from: from(CALLERS.forward) }));
  mw2(req, res, () => undefined);
  const [err] = log.find(/^ringfence middleware error$/);
  t.match(err, { call_id: 'x1' });
  t.notOk(err && 'callId' in err);
  mw.close();
  mw2.close();
});

const SNAKE = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

/**
 * Every key path in a JSON value whose last key is not snake_case. The
 * members of `headers` are SIP header names (data, not field names) and are
 * not walked.
 */
function badKeys(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => badKeys(x, `${path}[${i}]`));
  if (typeof v !== 'object' || v === null) return [];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (!SNAKE.test(k)) out.push(p);
    if (k !== 'headers') out.push(...badKeys(x, p));
  }
  return out;
}

/** All keys at any depth (headers' members left out). */
function allKeys(v: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x !== null) {
      for (const [k, y] of Object.entries(x)) {
        out.add(k);
        if (k !== 'headers') walk(y);
      }
    }
  };
  walk(v);
  return out;
}

/** The keys replay --decisions writes for a decision, read back from its line. */
function replayKeys(d: Decision, at = T0): Set<string> {
  return allKeys(JSON.parse(decisionLine({ row: 1, line: 2, callId: d.callId, at, caller: d.caller, callee: d.callee, label: 'x' }, d)));
}

/** What a Decision field is called in JSON where it shows: a name in camelCase or snake_case, compared without the difference. */
const fold = (k: string): string => k.replace(/_/g, '').toLowerCase();

/** Keys of `a` that name the same thing as a key of `b` but are spelt differently. */
function spelledOtherwise(a: Set<string>, b: Set<string>): string[] {
  const byFold = new Map([...b].map((k) => [fold(k), k]));
  return [...a].filter((k) => byFold.has(fold(k)) && byFold.get(fold(k)) !== k);
}

t.test('the decision line: every key snake_case, shared keys spelt as replay --decisions spells them', async (t) => {
  const log = captureLog();
  const seen: Decision[] = [];
  for (const monitor of [false, true]) {
    const engine = new Engine(await testRules({ monitor, reject603: true }));
    const s = new Screener(engine, { logger: log.logger });
    for (const caller of Object.values(CALLERS)) seen.push(s.decide({ callId: `k-${monitor}-${caller}`, at: T0, caller, callee: '+442079460123', source: '192.0.2.9' }));
  }
  const lines = log.find(/^decision$/);
  t.equal(lines.length, seen.length, 'one line per decision');
  t.ok(seen.some((d) => d.wouldBe !== undefined), 'a monitor-mode decision (would_be) among them');
  t.ok(seen.some((d) => d.code !== undefined), 'a reject (code) among them');
  for (const [i, line] of lines.entries()) {
    const { level: _l, time: _t, pid: _p, hostname: _h, msg: _m, ...fields } = line;
    t.same(badKeys(fields), [], `decision line ${i}: no key outside snake_case`);
    const replay = replayKeys(seen[i] as Decision);
    t.same(spelledOtherwise(allKeys(fields), replay), [], `decision line ${i}: shared names as in replay --decisions`);
    const shared = [...allKeys(fields)].filter((k) => replay.has(k));
    t.ok(shared.includes('call_id') && shared.includes('action') && shared.includes('score'), 'call_id, action and score in both');
    if (seen[i]?.wouldBe !== undefined) {
      t.ok(replay.has('would_be') && 'would_be' in fields, 'would_be in both');
      t.equal(fields.would_be, seen[i]?.wouldBe);
    }
  }
  const outcomes = log.lines.filter((l) => l.msg !== 'decision');
  for (const l of outcomes) t.same(badKeys(l), [], `"${String(l.msg)}": no key outside snake_case`);
});

t.test('the inspect report, as inspectNumber makes it and as /inspect sends it: every key snake_case', async (t) => {
  // Tag with a display prefix (no monitor), then monitor mode for would_be: every optional Decision field shows in some preview.
  const reports: unknown[] = [];
  const decisions: Decision[] = [];
  for (const monitor of [false, true]) {
    const engine = new Engine(await testRules({ monitor, reject603: true }));
    for (const caller of Object.values(CALLERS)) {
      const r = inspectNumber(engine, caller, { at: T0, callee: '+442079460123', source: '192.0.2.9' });
      t.ok(r.preview, `a preview for ${caller}`);
      reports.push(r);
      decisions.push(engine.preview({ callId: 'inspect', at: T0, caller, callee: '+442079460123', source: '192.0.2.9' }));
    }
  }
  const previewKeys = new Set(reports.flatMap((r) => Object.keys((r as { preview: object }).preview)));
  for (const k of ['display_prefix', 'would_be', 'monitor', 'code', 'phrase', 'headers']) t.ok(previewKeys.has(k), `some preview has ${k}`);
  for (const [i, r] of reports.entries()) {
    t.same(badKeys(r), [], `report ${i}: no key outside snake_case`);
    const preview = (r as { preview: object }).preview;
    t.same(spelledOtherwise(allKeys(preview), replayKeys(decisions[i] as Decision)), [], `preview ${i}: shared names as in replay --decisions`);
    t.ok('call_id' in preview, 'the preview names the call call_id');
  }

  // And over HTTP: what the admin endpoint (and so inspect --json) sends, after a call has made state to show.
  const engine = new Engine(await testRules({ monitor: true }));
  const metrics = createMetrics(() => engine, { processMetrics: false });
  const s = new Screener(engine, { events: metrics.events });
  s.decide({ callId: 'h1', at: T0, caller: CALLERS.reject608, callee: '+442079460123' });
  const admin = await startAdmin({ host: '127.0.0.1', port: 0, engine: () => engine, metrics, ready: () => true, now: () => T0 + 1000 });
  t.teardown(() => admin.close());
  const body = (await (await fetch(`${admin.address.url}/inspect?number=${encodeURIComponent(CALLERS.reject608)}&callee=%2B442079460123`)).json()) as Record<string, unknown>;
  t.same(badKeys(body), [], '/inspect: no key outside snake_case');
  t.match(body, { preview: { call_id: 'inspect', would_be: 'reject', monitor: true }, preview_error: null, info: { calling_code: '232' } });
  t.ok((body.tables as object[]).some((x) => 'first_seen' in x && 'distinct_of' in x), 'table rows: first_seen, distinct_of');
});

t.test('drachtio adapter: the outcome line is snake_case (ended_at)', async (t) => {
  const wire = new Wire();
  const probe = await testScreener();
  const log = captureLog();
  const clock = { now: T0 };
  const mw = ringfence({ screener: probe.screener, srf: wire.srf, nextHop: 'sip:127.0.0.1:5090', logger: log.logger, now: () => clock.now });
  const { req, res } = wire.request(inviteText({ callId: 'o1', from: from(CALLERS.forward) }));
  mw(req, res, () => undefined);
  clock.now = T0 + 3000;
  wire.cdr('start', 'network', 'proxy-uac', responseText(200, 'OK', 'o1'));
  wire.finishProxy(wire.proxies()[0]!, responseText(200, 'OK', 'o1'));
  await settle();
  clock.now = T0 + 11_000;
  wire.cdr('stop', 'network', 'normal-release', byeText('o1'));
  const outcomes = log.find(/^outcome$/);
  t.match(outcomes, [{ call_id: 'o1', status: 200 }, { call_id: 'o1', ended_at: T0 + 11_000 }]);
  for (const l of log.lines) t.same(badKeys(l), [], `"${String(l.msg)}": no key outside snake_case`);
  mw.close();
});
