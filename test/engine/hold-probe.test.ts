/**
 * Hold probes (hold.probe, hold.release_talk): a held caller gets one call
 * per interval through to its signals, and a probe that turns into a
 * conversation lifts the hold. Real Engine, injected time.
 */
import t from 'tap';
import { metricValue } from '../helpers/metric-value.js';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import type { CompiledRules } from '../../lib/engine/config.js';
import type { CallAttempt, Decision } from '../../lib/engine/types.js';
import { formatInspect, inspectNumber } from '../../lib/ops/inspect.js';
import { loadSnapshot, writeSnapshot } from '../../lib/ops/state.js';
import { checkRules } from '../../lib/rules/check.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { issuesOf, opts } from '../rules/fixtures/helpers.js';
import { badCallers, keptHold, rules, scope, sig, verdict } from '../helpers/engine-rules.js';


const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MIN = 60_000;
const GB = '+447911123456';
const FR = '+33612345678';
const CN = '+8613800138000';

const bad = badCallers;

let seq = 0;
const call = (at: number, caller = GB, extra: Partial<CallAttempt> = {}): CallAttempt => ({ callId: `c${++seq}`, at, caller, callee: CN, source: '192.0.2.1', ...extra });

type HoldCfg = CompiledRules['hold'];
const HOLD: HoldCfg = { duration: 3_600_000, extend: true, max: 0, probe: 10 * MIN, probeBackoff: 1, releaseTalk: MIN };
const engine = (hold: Partial<HoldCfg> = {}, extra: Partial<CompiledRules> = {}): Engine =>
  new Engine(rules(scope([sig(verdict)]), { hold: { ...HOLD, ...hold }, ...extra }));

/** Put GB on hold at T0 (a behaviour reject), then declare it good again. */
function held(e: Engine): void {
  bad.add(GB);
  const d = e.decide(call(T0));
  bad.delete(GB);
  if (d.action !== 'reject' || e.holdOf(GB) === undefined) throw new Error('setup: the caller was not held');
}

const isProbe = (d: Decision): boolean => d.reasons.some((r) => r.signal === 'hold' && r.detail.startsWith('probe call'));

t.afterEach(async () => {
  bad.clear();
});

t.test('a held caller gets exactly one call through per probe interval', async (t) => {
  const e = engine();
  held(e);
  // A call every minute for 35 minutes: probes fall due at +10, +20 and +30 min.
  const through: number[] = [];
  for (let k = 1; k <= 35; k++) {
    const d = e.decide(call(T0 + k * MIN));
    if (d.action !== 'reject') through.push(k);
    else t.same(d.reasons.map((r) => r.signal), ['hold'], `minute ${k}: rejected on the hold alone`);
    // No outcome for the probes yet (they are still ringing): nothing lifts the hold.
  }
  t.same(through, [10, 20, 30], 'one call per 10 minutes, the first once the interval has passed');
  t.equal(e.counters.probes, 3);
  t.ok(e.holdOf(GB), 'still held: no probe has talked');
});

t.test('with probe_backoff each probe that does not lift the hold doubles the wait for the next', async (t) => {
  const e = engine({ probeBackoff: 2, duration: 24 * 60 * MIN });
  held(e);
  const through: number[] = [];
  for (let k = 1; k <= 160; k++) {
    const c = call(T0 + k * MIN);
    const d = e.decide(c);
    if (d.action === 'reject') continue;
    through.push(k);
    // Answered, but too short to lift the hold.
    e.observe({ callId: c.callId, at: c.at + 20_000, status: 200, answeredAt: c.at + 2000, endedAt: c.at + 20_000 });
  }
  t.same(through, [10, 30, 70, 150], 'waits of 10, 20, 40 and 80 minutes');
  t.equal(e.holdOf(GB)?.probes, 4);
  t.equal(inspectNumber(e, GB, { at: T0 + 160 * MIN }).hold?.next_probe, T0 + 150 * MIN + 160 * MIN, 'inspect names the next, 160 minutes on');
  const p = call(T0 + 310 * MIN);
  t.ok(isProbe(e.decide(p)));
  e.observe({ callId: p.callId, at: p.at + 3 * MIN, status: 200, answeredAt: p.at + 2000, endedAt: p.at + 3 * MIN });
  t.equal(e.holdOf(GB), undefined, 'a late probe that talks still lifts it');
});

t.test('a probe is scored on its signals alone and says why it went through', async (t) => {
  const e = engine();
  held(e);
  const d = e.decide(call(T0 + 10 * MIN));
  t.equal(d.action, 'forward', 'good signals: forwarded');
  t.equal(d.score, 0, 'the hold adds no points to a probe');
  t.equal(d.reasons.length, 1);
  t.same(d.reasons[0], {
    signal: 'hold',
    points: 0,
    detail: `probe call of a caller on hold until 2026-11-01T13:10:00Z after ${e.holdOf(GB)!.why}`,
  });
});

t.test('a probe the signals alone would reject is rejected, and still counts as the probe', async (t) => {
  const e = engine();
  held(e);
  bad.add(GB);
  const d = e.decide(call(T0 + 10 * MIN));
  t.equal(d.action, 'reject');
  t.equal(d.score, 200, 'the signals\u2019 points, not the hold\u2019s');
  t.same(d.reasons.map((r) => [r.signal, r.points]), [['hold', 0], ['verdict', 200]]);
  t.equal(e.counters.probes, 1);
  bad.delete(GB);
  t.equal(e.decide(call(T0 + 11 * MIN)).action, 'reject', 'the interval restarted at the rejected probe');
  t.equal(e.decide(call(T0 + 20 * MIN)).action, 'forward', 'next probe one interval after it');
});

t.test('a probe answered and talking at least release_talk lifts the hold', async (t) => {
  const e = engine();
  held(e);
  const p = call(T0 + 10 * MIN);
  t.equal(e.decide(p).action, 'forward');
  t.ok(e.observe({ callId: p.callId, at: p.at + 5000, status: 200 }), 'answered');
  t.ok(e.holdOf(GB), 'answered is not enough: the talk is not over');
  t.ok(e.observe({ callId: p.callId, at: p.at + 5000 + MIN, endedAt: p.at + 5000 + MIN }));
  t.equal(e.holdOf(GB), undefined, 'a minute of conversation lifts the hold');
  t.equal(e.counters.releases, 1);
  const caller = e.tables.caller.peek(GB);
  t.equal(caller === undefined ? 0 : e.tables.caller.mark(caller), 0, 'the caller-table HELD mark is cleared');
  for (let k = 11; k <= 15; k++) t.equal(e.decide(call(T0 + k * MIN)).action, 'forward', `minute ${k}: judged on its signals again`);
  // One CSV-style event carrying everything works the same.
  const e2 = engine();
  held(e2);
  const q = call(T0 + 10 * MIN);
  e2.decide(q);
  e2.observe({ callId: q.callId, at: q.at + 3000, status: 200, answeredAt: q.at + 3000, endedAt: q.at + 3000 + 2 * MIN });
  t.equal(e2.holdOf(GB), undefined);
});

t.test('an unanswered, cancelled or short probe leaves the hold as it is', async (t) => {
  for (const [what, outcome] of [
    ['busy', { status: 486 }],
    ['cancelled', { status: 487 }],
    ['59 s of talk', { status: 200, answeredAt: 0, endedAt: 59_000 }],
    ['answered, never hung up', { status: 200, answeredAt: 0 }],
  ] as const) {
    const e = engine();
    held(e);
    const before = { ...e.holdOf(GB)! };
    const p = call(T0 + 10 * MIN);
    t.equal(e.decide(p).action, 'forward', `${what}: probe through`);
    const base = p.at + 4000;
    const o = outcome as { status: number; answeredAt?: number; endedAt?: number };
    e.observe({ callId: p.callId, at: base + (o.endedAt ?? 0), status: o.status, ...(o.answeredAt !== undefined ? { answeredAt: base + o.answeredAt } : {}), ...(o.endedAt !== undefined ? { endedAt: base + o.endedAt } : {}) });
    const after = e.holdOf(GB);
    t.ok(after, `${what}: still held`);
    t.equal(after?.until, before.until + 10 * MIN, `${what}: the hold is as the probe call left it (extended by it, like any call)`);
    t.equal(e.counters.releases, 0);
    const next = e.decide(call(T0 + 11 * MIN));
    t.equal(next.action, 'reject', `${what}: the next call is rejected on the hold`);
    t.equal(next.reasons[0]?.points, 100);
  }
});

t.test('only a probe\u2019s own outcome lifts its hold', async (t) => {
  // Another caller's long call, under any call id, lifts nothing.
  const e = engine();
  held(e);
  const other = call(T0 + 5 * MIN, FR);
  t.equal(e.decide(other).action, 'forward');
  e.observe({ callId: other.callId, at: other.at + 1000, status: 200, answeredAt: other.at + 1000, endedAt: other.at + 10 * MIN });
  t.ok(e.holdOf(GB), 'another caller\u2019s conversation does not lift it');
  t.notOk(e.observe({ callId: 'c-never-decided', at: T0 + 6 * MIN, status: 200, answeredAt: T0 + 6 * MIN, endedAt: T0 + 9 * MIN }), 'unknown call ids are not matched');
  t.ok(e.holdOf(GB));

  // In monitor mode every call of a held caller goes through; only the probe's outcome counts.
  const m = engine({}, { base: scope([sig(verdict)], { monitor: true }) });
  m.restoreHold(GB, { until: T0 + 3_600_000, why: 'restored', since: T0 });
  const plain = call(T0 + 5 * MIN);
  const pd = m.decide(plain);
  t.equal(pd.action, 'forward', 'monitor: forwarded');
  t.equal(pd.wouldBe, 'reject', 'but would have been rejected on the hold');
  t.notOk(isProbe(pd));
  m.observe({ callId: plain.callId, at: plain.at + 1000, status: 200, answeredAt: plain.at + 1000, endedAt: plain.at + 20 * MIN });
  t.ok(m.holdOf(GB), 'a non-probe call\u2019s conversation does not lift the hold');
  const probe = call(T0 + 10 * MIN);
  const qd = m.decide(probe);
  t.ok(isProbe(qd), 'monitor mode probes as enforcement would');
  t.equal(qd.wouldBe, 'forward');
  m.observe({ callId: probe.callId, at: probe.at + 1000, status: 200, answeredAt: probe.at + 1000, endedAt: probe.at + 3 * MIN });
  t.equal(m.holdOf(GB), undefined, 'the probe\u2019s does');
  // A monitored probe that enforcement would have rejected on its signals lifts nothing, however long it talks.
  const m2 = engine({}, { base: scope([sig(verdict)], { monitor: true }) });
  m2.restoreHold(GB, { until: T0 + 3_600_000, why: 'restored', since: T0 });
  bad.add(GB);
  const rp = call(T0 + 10 * MIN);
  const rd = m2.decide(rp);
  bad.delete(GB);
  t.ok(isProbe(rd));
  t.same([rd.action, rd.wouldBe], ['forward', 'reject']);
  m2.observe({ callId: rp.callId, at: rp.at + 1000, status: 200, answeredAt: rp.at + 1000, endedAt: rp.at + 5 * MIN });
  t.ok(m2.holdOf(GB), 'a would-be-rejected probe does not lift the hold');

  // A probe of a hold that has since been replaced by a new one does not lift the new one.
  const r = engine({ duration: 15 * MIN, extend: false });
  held(r);
  const old = call(T0 + 10 * MIN);
  t.ok(isProbe(r.decide(old)), 'probe of the first hold');
  bad.add(GB);
  t.equal(r.decide(call(T0 + 20 * MIN)).action, 'reject', 'first hold expired; a new behaviour reject');
  bad.delete(GB);
  const second = r.holdOf(GB);
  t.equal(second?.since, T0 + 20 * MIN, 'a new hold');
  r.observe({ callId: old.callId, at: old.at + 1000, status: 200, answeredAt: old.at + 1000, endedAt: T0 + 25 * MIN });
  t.equal(r.holdOf(GB), second, 'the old probe\u2019s conversation does not lift the new hold');
  t.equal(r.counters.releases, 0);
});

t.test('preview() shows a due probe but does not use it up', async (t) => {
  const e = engine();
  held(e);
  const before = { ...e.holdOf(GB)! };
  const early = e.preview(call(T0 + 5 * MIN));
  t.equal(early.action, 'reject', 'not due: the preview says reject');
  const due = e.preview(call(T0 + 10 * MIN));
  t.equal(due.action, 'forward', 'due: the preview shows the probe');
  t.ok(isProbe(due));
  t.same(e.holdOf(GB), before, 'the hold (probe time, end) is untouched');
  t.equal(e.counters.probes, 0);
  const text = formatInspect(inspectNumber(e, GB, { at: T0 + 5 * MIN, callee: CN }));
  t.match(text, /next probe call from 2026-11-01T12:10:00.000Z/, 'inspect says when the next probe goes through');
  t.match(formatInspect(inspectNumber(e, GB, { at: T0 + 12 * MIN })), /its next call goes through as a probe/);
  t.equal(inspectNumber(e, GB, { at: T0 }).hold?.next_probe, T0 + 10 * MIN);
  t.ok(isProbe(e.decide(call(T0 + 10 * MIN))), 'the real call still gets the probe');
  t.equal(e.decide(call(T0 + 11 * MIN)).action, 'reject', 'and only one');
});

/**
 * `calls` calls from `callers` numbers, one every `every` ms; the calls `bad`
 * picks come from a caller the `bad` signal marks; every call let through is
 * answered after 2 s and talks `talk(k)` ms. Each decision as JSON.
 */
function traffic(e: Engine, o: { calls: number; callers: number; every: number; id: string; bad: (k: number) => boolean; talk: (k: number) => number }): string[] {
  const out: string[] = [];
  for (let k = 0; k < o.calls; k++) {
    const caller = `+4479111234${String(k % o.callers).padStart(2, '0')}`;
    if (o.bad(k)) bad.add(caller);
    const c = call(T0 + k * o.every, caller);
    c.callId = `${o.id}${k}`;
    const d = e.decide(c);
    bad.delete(caller);
    out.push(JSON.stringify(d));
    if (d.action !== 'reject') e.observe({ callId: c.callId, at: c.at + 2000, status: 200, answeredAt: c.at + 2000, endedAt: c.at + 2000 + o.talk(k) });
  }
  return out;
}

t.test('probes off (the default) leave the old behaviour exactly', async (t) => {
  // The same traffic, probes off with two different release_talk values, and every
  // forwarded call answered and long: decisions are identical and no held call goes through.
  const run = (hold: Partial<HoldCfg>): string[] => {
    const e = engine({ probe: 0, ...hold });
    const out = traffic(e, { calls: 400, callers: 7, every: 20_000, id: 'r', bad: (k) => k % 50 === 3, talk: () => 598_000 });
    t.equal(e.counters.probes, 0);
    t.equal(e.counters.releases, 0);
    return out;
  };
  const a = run({ releaseTalk: 1 });
  const b = run({ releaseTalk: 3_600_000 });
  t.same(a, b);
  const heldThrough = a.map((s) => JSON.parse(s) as Decision).filter((d) => d.action !== 'reject' && d.reasons.some((r) => r.signal === 'hold'));
  t.same(heldThrough, [], 'no call of a held caller goes through');
  t.ok(a.filter((s) => s.includes('"signal":"hold"')).length > 100, 'the traffic did hold callers');
  const r = await compileRulesText('home_country: CN\n', opts);
  t.same(r.hold, { duration: 3_600_000, extend: true, max: 86_400_000, probe: 0, probeBackoff: 2, releaseTalk: 60_000 }, 'defaults: probes off');
});

t.test('same input, same output, with probes on', async (t) => {
  const run = (): string[] => {
    const e = engine();
    const out = traffic(e, { calls: 600, callers: 5, every: 15_000, id: 'd', bad: (k) => k % 37 === 1, talk: (k) => (k % 3) * 45_000 });
    out.push(JSON.stringify(e.counters));
    return out;
  };
  const a = run();
  t.same(run(), a);
  t.match(JSON.parse(a[a.length - 1]!), { probes: Number, releases: Number });
  const counters = JSON.parse(a[a.length - 1]!) as { probes: number; releases: number };
  t.ok(counters.releases > 0 && counters.probes > counters.releases, `some probes talked long enough, not all (${JSON.stringify(counters)})`);
});

t.test('a snapshot keeps when each hold was last probed', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = engine();
  held(a);
  t.ok(isProbe(a.decide(call(T0 + 10 * MIN))));
  await writeSnapshot(a, file, T0 + 12 * MIN);
  const b = engine();
  t.ok((await loadSnapshot(b, file, T0 + 12 * MIN)).ok);
  // A snapshot keeps all but when the hold was last extended (lastAt).
  t.same(keptHold(b.holdOf(GB)), keptHold(a.holdOf(GB)));
  t.equal(b.decide(call(T0 + 15 * MIN)).action, 'reject', 'no extra probe after a restart');
  t.ok(isProbe(b.decide(call(T0 + 20 * MIN))), 'the next one when it is due');
  // With backoff the count of probes taken comes back too.
  const c = engine({ probeBackoff: 3 });
  held(c);
  t.ok(isProbe(c.decide(call(T0 + 10 * MIN))));
  await writeSnapshot(c, file, T0 + 12 * MIN);
  const d = engine({ probeBackoff: 3 });
  t.ok((await loadSnapshot(d, file, T0 + 12 * MIN)).ok);
  t.equal(d.holdOf(GB)?.probes, 1);
  t.equal(d.decide(call(T0 + 39 * MIN)).action, 'reject', 'the second probe waits 30 minutes after the first');
  t.ok(isProbe(d.decide(call(T0 + 40 * MIN))));
});

t.test('a hold that a signal with probe: false helped place is never probed', async (t) => {
  const other = { ...verdict, name: 'other' };
  const make = (probes: boolean | undefined, hold?: Partial<HoldCfg>): Engine =>
    new Engine(rules(scope([sig(verdict, {}, probes === undefined ? {} : { probes }), sig(other)]), { hold: { ...HOLD, ...hold } }));
  const through = (e: Engine, from: number, to: number): number[] => {
    const out: number[] = [];
    for (let k = from; k <= to; k++) if (e.decide(call(T0 + k * MIN)).action !== 'reject') out.push(k);
    return out;
  };
  const off = make(false);
  held(off);
  t.equal(off.holdOf(GB)?.noProbe, true, 'marked when the hold is placed');
  t.same(through(off, 1, 35), [], 'every call rejected on the hold: no probe');
  t.equal(off.counters.probes, 0);
  const on = make(undefined);
  held(on);
  t.same(through(on, 1, 35), [10, 20, 30], 'probe: true (the default) is probed as before');
  // Placed while probes were off, a reload that turns them on still knows which holds not to probe.
  const later = make(false, { probe: 0 });
  held(later);
  later.reload(rules(scope([sig(verdict, {}, { probes: false }), sig(other)]), { hold: HOLD }), T0);
  t.same(through(later, 1, 35), [], 'no probe after a reload turns probes on');
  // The mark survives a snapshot.
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  await writeSnapshot(off, file, T0 + 36 * MIN);
  const back = make(false);
  t.ok((await loadSnapshot(back, file, T0 + 36 * MIN)).ok);
  t.equal(back.holdOf(GB)?.noProbe, true);
  t.same(through(back, 37, 70), [], 'restored: still never probed');
  const seen = inspectNumber(back, GB, { at: T0 + 70 * MIN });
  t.same([seen.hold?.next_probe, seen.hold?.probed], [null, false], 'inspect says no probe is due, and why');
  t.match(formatInspect(seen), /never probed: a rule with probe: false scored the caller/);
  t.equal(inspectNumber(on, GB, { at: T0 + 36 * MIN }).hold?.probed, true);
});

t.test('a probe that a signal with probe: false scores ends the probing of its hold', async (t) => {
  const bait = new Set<string>();
  const baitSig = definePlugin<Record<string, never>>({
    name: 'bait',
    description: 'test: 50 points for callers in the bait set',
    schema: {},
    needs: () => [],
    score: (ctx) => (ctx.caller.e164 !== null && bait.has(ctx.caller.e164) ? { points: 50, detail: 'one-ring bait' } : null),
  });
  const e = new Engine(rules(scope([sig(verdict), sig(baitSig, {}, { probes: false })]), { hold: HOLD }));
  held(e);
  t.notOk(e.holdOf(GB)?.noProbe, 'placed by a signal that allows probes');
  bait.add(GB);
  const d = e.decide(call(T0 + 10 * MIN));
  t.ok(isProbe(d), 'the probe is taken');
  t.equal(d.action, 'tag', 'and goes through on its own points (50: a tag)');
  t.equal(e.holdOf(GB)?.noProbe, true, 'but what it showed ends the probing');
  bait.delete(GB);
  const through: number[] = [];
  for (let k = 11; k <= 45; k++) if (e.decide(call(T0 + k * MIN)).action !== 'reject') through.push(k);
  t.same(through, [], 'no further probe');
});

t.test('hold.probe and hold.release_talk in rules files', async (t) => {
  const r = await compileRulesText('home_country: CN\nhold: { probe: 10m, release_talk: 30s }\n', opts);
  t.same(r.hold, { duration: 3_600_000, extend: true, max: 86_400_000, probe: 600_000, probeBackoff: 2, releaseTalk: 30_000 });

  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nhold:\n  duration: 1h\n  probe: 10m\n  release_talk: 45s\n' });
  const c = await checkRules(join(dir, 'rules.yaml'), opts);
  t.equal(c.ok, true);
  const doc = parse(c.text) as { hold: unknown };
  t.same(doc.hold, { duration: '1h', extend: true, max: '1d', probe: '10m', probe_backoff: 2, release_talk: '45s' }, 'check shows the new fields');
  const again = await compileRulesText(c.text, { ...opts, baseDir: dir });
  t.same(again.hold, { duration: 3_600_000, extend: true, max: 86_400_000, probe: 600_000, probeBackoff: 2, releaseTalk: 45_000 }, 'and loads back the same');
  const off = await checkRules(join(t.testdir({ 'r.yaml': 'home_country: CN\n' }), 'r.yaml'), opts);
  const offDoc = parse(off.text) as { hold: Record<string, unknown> };
  t.same([offDoc.hold.probe, offDoc.hold.release_talk], ['0s', '1m']);
  t.equal((await compileRulesText(off.text, opts)).hold.probe, 0, '0ms loads back as off');

  const bads = t.testdir({ 'bad.yaml': 'home_country: CN\nhold:\n  probe: 10 minutes\n  release_talk: -1\n' });
  const file = join(bads, 'bad.yaml');
  const res = await checkRules(file, opts);
  t.equal(res.ok, false);
  t.same(res.issues.map((i) => [i.file, i.line, i.col, i.path, i.message]), [
    [file, 3, 10, 'hold.probe', "expected a duration like 90s, 10m, 24h; got '10 minutes' (did you mean '10m'?)"],
    [file, 4, 17, 'hold.release_talk', 'expected a duration like 90s, 10m, 24h; got -1'],
  ]);
  t.match(res.text, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:10: hold\\.probe: expected a duration`));
  const typo = await issuesOf(compileRulesText('home_country: CN\nhold: { probes: 10m }\n', opts));
  t.match(typo[0], { line: 2, path: 'hold.probes', message: "unknown key 'probes', did you mean 'probe'?" });

  // A signal's own probe: false, through check and back.
  const sd = t.testdir({ 'rules.yaml': 'home_country: CN\nhold: { probe: 10m }\nsignals:\n  unanswered: { probe: false }\n  fan-out: {}\n' });
  const sc = await checkRules(join(sd, 'rules.yaml'), opts);
  t.equal(sc.ok, true);
  const sdoc = parse(sc.text) as { signals: Record<string, { probe: boolean }> };
  t.same([sdoc.signals.unanswered?.probe, sdoc.signals['fan-out']?.probe], [false, true], 'check shows each signal\'s probe');
  const sr = await compileRulesText(sc.text, { ...opts, baseDir: sd });
  t.same(sr.base.signals.map((x) => [x.id, x.probes]), [['unanswered', false], ['fan-out', undefined]], 'and loads back the same');
  const bad = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  unanswered: { probe: 10m }\n', opts));
  t.match(bad[0], { line: 3, path: 'signals.unanswered.probe' });
});

t.test('probes and releases are exported as metrics, monotonic across a replaced engine', async (t) => {
  const { createMetrics } = await import('../../lib/ops/metrics.js');
  let e = engine();
  const m = createMetrics(() => e);
  const value = (name: string): Promise<number | undefined> => metricValue(m.registry, name);
  t.equal(await value('hold_probes_total'), 0, 'series exist from the start');
  held(e);
  const p = e.decide(call(T0 + 10 * MIN));
  t.ok(isProbe(p));
  e.observe({ callId: p.callId, at: T0 + 10 * MIN + 2000, status: 200, answeredAt: T0 + 10 * MIN + 2000, endedAt: T0 + 12 * MIN });
  t.equal(await value('hold_probes_total'), 1);
  t.equal(await value('hold_releases_total'), 1);
  e = engine();
  t.equal(await value('hold_probes_total'), 1, 'a new engine (snapshot load) does not take the count back');
  held(e);
  e.decide(call(T0 + 10 * MIN));
  t.equal(await value('hold_probes_total'), 2);
  t.equal(await value('hold_releases_total'), 1);
});

t.test('a probe the next hop challenges (401/407) gives its turn to the retry with credentials', async (t) => {
  const e = engine({ probeBackoff: 2 });
  held(e);
  const first = call(T0 + 10 * MIN);
  t.ok(isProbe(e.decide(first)), 'the probe');
  t.equal(e.holdOf(GB)?.probes, 1);
  e.observe({ callId: first.callId, at: first.at + 40, status: 407 });
  t.equal(e.holdOf(GB)?.probes, 0, 'not counted as a probe taken');
  // The caller sends the INVITE again, with the same Call-ID, a moment later.
  const retry = call(T0 + 10 * MIN + 100, GB, { callId: first.callId });
  t.ok(isProbe(e.decide(retry)), 'the retry is the probe, not a call rejected on the hold');
  e.observe({ callId: retry.callId, at: retry.at + 2000, status: 200, answeredAt: retry.at + 2000 });
  e.observe({ callId: retry.callId, at: retry.at + 3 * MIN, endedAt: retry.at + 3 * MIN });
  t.equal(e.holdOf(GB), undefined, 'and its conversation lifts the hold');

  // A challenged call that is not a probe changes nothing on the hold.
  const f = engine();
  held(f);
  const plain = call(T0 + MIN);
  t.equal(f.decide(plain).action, 'reject');
  t.notOk(f.observe({ callId: plain.callId, at: plain.at + 40, status: 407 }), 'a rejected call has no outcome');
  t.equal(f.holdOf(GB)?.probes, 0);
});

t.test('a held caller whose every call is challenged gets no more than one retry per probe turn', async (t) => {
  // A replay file can carry status 407 on every row of a held caller: a challenge that gave its turn
  // back without limit turned each of its calls into a probe, and the hold rejected nothing.
  const e = engine();
  held(e);
  const through: number[] = [];
  for (let k = 1; k <= 35; k++) {
    const c = call(T0 + k * MIN);
    const d = e.decide(c);
    if (d.action === 'reject') continue;
    through.push(k);
    e.observe({ callId: c.callId, at: c.at + 40, status: 407 });
  }
  t.same(through, [10, 11, 21, 22, 32, 33], 'each probe turn: the challenged probe and one retry');
  t.ok(e.holdOf(GB), 'still held');
});

t.test('a reload that shortens the hold shortens the holds in force; hold 0 lifts them', async (t) => {
  const mk = (hold: Partial<HoldCfg>): CompiledRules => rules(scope([sig(verdict)]), { hold: { ...HOLD, probe: 0, ...hold } });
  const e = new Engine(mk({ duration: 6 * 60 * MIN }));
  held(e);
  t.equal(e.holdOf(GB)?.until, T0 + 6 * 60 * MIN, 'held for 6h');
  // An extension at +1h (the caller kept calling) moves the end to +7h.
  t.equal(e.decide(call(T0 + 60 * MIN)).action, 'reject');
  t.equal(e.holdOf(GB)?.until, T0 + 7 * 60 * MIN);

  t.same(e.reload(mk({ duration: 10 * MIN })), { holdsShortened: 1, holdsLifted: 0 });
  t.equal(e.holdOf(GB)?.until, T0 + 70 * MIN, 'as the new rules would have it: the last extension plus 10 minutes');
  t.equal(e.decide(call(T0 + 71 * MIN)).action, 'forward', 'over 10 minutes after the last extension, the caller goes through');

  const f = new Engine(mk({ duration: 6 * 60 * MIN }));
  held(f);
  t.same(f.reload(mk({ duration: 6 * 60 * MIN, max: 30 * MIN })), { holdsShortened: 1, holdsLifted: 0 }, 'a new max');
  t.equal(f.holdOf(GB)?.until, T0 + 30 * MIN, 'within the new max from its start');
  t.same(f.reload(mk({ duration: 12 * 60 * MIN })), { holdsShortened: 0, holdsLifted: 0 }, 'a longer hold leaves the holds in force as they are');
  t.equal(f.holdOf(GB)?.until, T0 + 30 * MIN);
  t.same(f.reload(mk({ duration: 0 })), { holdsShortened: 0, holdsLifted: 1 }, 'hold 0: off');
  t.equal(f.holdOf(GB), undefined);
  t.equal(f.decide(call(T0 + MIN)).action, 'forward', 'the caller is not held any more');

  // Capped by max and still calling: the new end is the last extension plus the new duration, not the
  // capped end less the difference of durations (which fell before the caller's last call).
  const g = new Engine(mk({ duration: 6 * 60 * MIN, max: 12 * 60 * MIN }));
  held(g);
  for (let k = 1; k <= 66; k++) t.equal(g.decide(call(T0 + k * 10 * MIN)).action, 'reject', `a call every 10 minutes for 11h: #${k} held`);
  t.equal(g.holdOf(GB)?.until, T0 + 12 * 60 * MIN, 'capped at since + max');
  t.same(g.reload(mk({ duration: 60 * MIN, max: 12 * 60 * MIN }), T0 + 11 * 60 * MIN), { holdsShortened: 0, holdsLifted: 0 }, 'the last call + 1h is still the cap');
  t.equal(g.decide(call(T0 + 11 * 60 * MIN + 5 * MIN)).action, 'reject', 'the caller is still held five minutes after its last call');

  // Counted only when in force at the reload's time.
  const h = new Engine(mk({ duration: 6 * 60 * MIN }));
  held(h);
  t.same(h.reload(mk({ duration: 10 * MIN }), T0 + 7 * 60 * MIN), { holdsShortened: 0, holdsLifted: 0 }, 'a hold already over is not counted');
});
