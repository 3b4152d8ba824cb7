/**
 * Retries and repeats (stats.retry_window) as the engine
 * counts them, and a signal that waives a hold (SignalPlugin.waivesHold).
 * Real Engine, injected time.
 */
import t from 'tap';
import { metricValue } from '../helpers/metric-value.js';
import { Engine } from '../../lib/engine/engine.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import retries from '../../plugins/retries.js';
import { badCallers, readsOnly, rules, scope, sig, verdict } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const W = 3 * HOUR;
const GB = '+447911123456';
const callee = (i: number): string => `+86138001${String(38000 + i).padStart(5, '0')}`;

let seq = 0;
const call = (at: number, to: number, caller = GB): CallAttempt => ({ callId: `c${++seq}`, at, caller, callee: callee(to), source: '192.0.2.1' });

const bad = badCallers;

const counts = (e: Engine, at: number, caller = GB) => {
  const slot = e.tables.caller.peek(caller);
  return { retries: e.tables.caller.count(slot, 'retries', W, at), repeats: e.tables.caller.count(slot, 'repeats', W, at) };
};

t.afterEach(async () => {
  bad.clear();
});

t.test('a second call to a callee within the retry window is a retry, a third a repeat', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  // A, B, A (retry), A (repeat), C, B (retry)
  [0, 1, 0, 0, 2, 1].forEach((to, i) => e.decide(call(T0 + i * MIN, to)));
  t.same(counts(e, T0 + 6 * MIN), { retries: 2, repeats: 1 });
});

t.test('a callee called long before the retry window is a fresh call', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  e.decide(call(T0, 0));
  e.decide(call(T0 + 7 * HOUR, 0));
  t.same(counts(e, T0 + 7 * HOUR), { retries: 0, repeats: 0 });
});

t.test('each caller has its own retries; nothing is counted when no signal reads them', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  e.decide(call(T0, 0, GB));
  e.decide(call(T0 + MIN, 0, '+33612345678'));
  t.same(counts(e, T0 + MIN), { retries: 0, repeats: 0 }, 'another caller to the same callee is no retry');
  const off = new Engine(rules(scope([sig(verdict)])));
  off.decide(call(T0, 0));
  off.decide(call(T0 + MIN, 0));
  t.same(counts(off, T0 + MIN), { retries: 0, repeats: 0 });
});

t.test('a challenged (407) retry is one retry, not two', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  e.decide(call(T0, 0));
  const c = call(T0 + MIN, 0);
  t.not(e.decide(c).action, 'reject');
  t.ok(e.observe({ callId: c.callId, at: c.at + 40, status: 407 }));
  // The INVITE again, with credentials: the same call.
  e.decide({ ...c, callId: `${c.callId}b`, at: c.at + 80 });
  t.same(counts(e, T0 + 2 * MIN), { retries: 1, repeats: 0 }, 'the challenge takes its retry back as it takes its attempt back');
});

t.test('a call back 1h50m later, inside the 3h retry window, is a retry', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  const at1 = T0 - 10 * MIN; // 11:50, previous 3h bucket
  e.decide(call(at1, 0));
  e.decide(call(at1 + 110 * MIN, 0)); // 13:40
  t.same(counts(e, at1 + 111 * MIN), { retries: 1, repeats: 0 });
});

t.test('a call back 4h later, past the 3h retry window, is no retry', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  const at1 = T0 - 3 * HOUR + MIN; // 09:01
  e.decide(call(at1, 0));
  e.decide(call(at1 + 4 * HOUR, 0)); // 13:01
  t.same(counts(e, at1 + 4 * HOUR), { retries: 0, repeats: 0 });
});

t.test('a repeat is a call to a callee called twice in the retry window before it, not earlier', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  // 0h, 2h50m, 5h40m: each within 3h of the one before, never three within 3h.
  e.decide(call(T0, 0));
  e.decide(call(T0 + 170 * MIN, 0));
  t.same(counts(e, T0 + 170 * MIN), { retries: 1, repeats: 0 });
  e.decide(call(T0 + 340 * MIN, 0));
  t.equal(counts(e, T0 + 340 * MIN).repeats, 0, 'the first call is 5h40m back: this is a retry again');
  e.decide(call(T0 + 345 * MIN, 0));
  t.equal(counts(e, T0 + 345 * MIN).repeats, 1, 'two calls in the 3h before it: a repeat');
});

t.test('a reload that changes retry_window applies at once', async (t) => {
  const base = rules(scope([sig(retries)]));
  const e = new Engine(base);
  e.decide(call(T0, 0));
  e.reload({ ...base, stats: { ...base.stats, retryWindow: 30 * MIN } });
  e.decide(call(T0 + 40 * MIN, 0));
  t.same(counts(e, T0 + 40 * MIN), { retries: 0, repeats: 0 }, 'called back after 40 minutes: past the new 30m window');
  e.decide(call(T0 + 50 * MIN, 0));
  t.same(counts(e, T0 + 50 * MIN), { retries: 1, repeats: 0 });
});

const other = readsOnly('other', 'caller', MIN);

/** A call that the next hop challenges (407) and that is sent again with credentials (same Call-ID, 80 ms later). */
function challenged(e: Engine, at: number, to: number) {
  const c = call(at, to);
  e.decide(c);
  e.observe({ callId: c.callId, at: at + 40, status: 407 });
  return e.decide({ ...c, at: at + 80 });
}

t.test('a challenged third call to a callee is still a repeat (popLast must not forget the call before the last)', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  e.decide(call(T0, 0));
  e.decide(call(T0 + MIN, 0));
  challenged(e, T0 + 2 * MIN, 0);
  t.same(counts(e, T0 + 3 * MIN), { retries: 1, repeats: 1 }, 'A, A (retry), A challenged + resent (repeat)');
});

t.test('a trunk that challenges every INVITE: hammering five callees is repeats, not retries', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  let last;
  for (let round = 0; round < 4; round++) for (let i = 0; i < 5; i++) last = challenged(e, T0 + (round * 5 + i) * MIN, i);
  // Truth: round 0 fresh, round 1 retries (5), rounds 2-3 repeats (10).
  t.same(counts(e, T0 + 21 * MIN), { retries: 5, repeats: 10 });
  t.notOk(last!.reasons.some((r) => r.signal === 'retries'), 'no retries credit for calling the same five people four times each');
});

t.test('rules without retries drop the pair call times; rules with them again start afresh', async (t) => {
  const withR = rules(scope([sig(retries)]));
  const without = rules(scope([sig(other)]));
  const e = new Engine(withR);
  e.decide(call(T0, 0));
  e.reload(without);
  const before = e.sizes().pair;
  e.decide(call(T0 + MIN, 1));
  t.equal(e.sizes().pair, before, 'no signal reads pairs: no pair entry is made for a new call');
  e.decide(call(T0 + 10 * MIN, 0));
  e.reload(withR);
  e.decide(call(T0 + 20 * MIN, 0));
  t.same(counts(e, T0 + 20 * MIN), { retries: 0, repeats: 0 }, 'no stale call time makes this a retry: the times start afresh');
  e.decide(call(T0 + 30 * MIN, 0));
  t.same(counts(e, T0 + 30 * MIN), { retries: 1, repeats: 0 });
});

/** Hold GB at T0 (a behaviour reject), then declare it good again. */
function hold(e: Engine): void {
  bad.add(GB);
  const d = e.decide(call(T0, 100));
  bad.delete(GB);
  if (d.action !== 'reject' || e.holdOf(GB) === undefined) throw new Error('setup: the caller was not held');
}

/** Twelve fresh callees, then calls back to the first six: a dialler working its list. */
function dialler(e: Engine, from: number) {
  const ds = [];
  for (let i = 0; i < 12; i++) ds.push(e.decide(call(from + i * MIN, i)));
  for (let i = 0; i < 6; i++) ds.push(e.decide(call(from + (12 + i) * MIN, i)));
  return ds;
}

t.test('a held caller that calls back the callees it missed has its calls scored, not rejected on the hold', async (t) => {
  const e = new Engine(rules(scope([sig(verdict), sig(retries)])));
  hold(e);
  const ds = dialler(e, T0 + MIN);
  t.ok(ds.slice(0, 12).every((d) => d.action === 'reject' && d.rejectedBy === 'hold'), 'fresh callees only: the hold rejects');
  const waived = ds.findIndex((d) => d.action !== 'reject');
  t.equal(waived, 14, 'waived from the third retry on (min_retries 3)');
  const d = ds[waived]!;
  const h = d.reasons.find((r) => r.signal === 'hold')!;
  t.equal(h.points, 0);
  t.match(h.detail, /^hold waived for this call by retries: caller on hold until .* after reject at /);
  t.ok(d.reasons.some((r) => r.signal === 'retries' && r.points < 0), 'the retries reason is listed with its points');
  t.ok(e.holdOf(GB), 'the hold itself stays');
  t.equal(e.holdList(T0 + HOUR, 5).holds[0]!.rejected, 14, 'only the calls the hold rejected are counted on it');
});

t.test('a waived call is still scored: bad behaviour is rejected by its score', async (t) => {
  const e = new Engine(rules(scope([sig(verdict), sig(retries)])));
  hold(e);
  bad.add(GB);
  const ds = dialler(e, T0 + MIN);
  const last = ds[ds.length - 1]!;
  t.equal(last.action, 'reject');
  t.equal(last.rejectedBy, 'score');
  t.ok(last.reasons.some((r) => r.signal === 'verdict'));
});

t.test('waive_hold: false, or a monitored signal: no waiver', async (t) => {
  for (const s of [sig(retries, { waive_hold: false }), sig(retries, {}, { monitor: true })]) {
    const e = new Engine(rules(scope([sig(verdict), s])));
    hold(e);
    t.ok(dialler(e, T0 + MIN).every((d) => d.rejectedBy === 'hold'));
  }
});

t.test('a waived call that its score rejects is not counted as rejected by the hold', async (t) => {
  const e = new Engine(rules(scope([sig(verdict), sig(retries)])));
  bad.add(GB);
  e.decide(call(T0, 100));
  t.ok(e.holdOf(GB));
  const ds: ReturnType<Engine['decide']>[] = [];
  for (let i = 0; i < 12; i++) ds.push(e.decide(call(T0 + (i + 1) * MIN, i)));
  for (let i = 0; i < 6; i++) ds.push(e.decide(call(T0 + (13 + i) * MIN, i)));
  const byHold = ds.filter((d) => d.rejectedBy === 'hold').length;
  const byScore = ds.filter((d) => d.rejectedBy === 'score').length;
  t.ok(byScore > 0, 'some calls were waived and rejected by their score');
  t.equal(e.holdList(T0 + HOUR, 5).holds[0]!.rejected, byHold, "the hold's rejected count is the calls rejected_by hold");
});

t.test('a waived call does not extend the hold, and its conversation lifts it as a probe would', async (t) => {
  const e = new Engine(rules(scope([sig(verdict), sig(retries)])));
  hold(e);
  const ds = dialler(e, T0 + MIN);
  const waived = ds.filter((d) => d.action !== 'reject');
  t.ok(waived.length > 0);
  const until = e.holdOf(GB)!.until;
  t.equal(until, T0 + 14 * MIN + HOUR, 'extended by the last call rejected on the hold (the 14th, at T0+14m), not by the waived ones after it');
  // A waived call that is a short conversation leaves the hold; one of release_talk (1m) or more lifts it.
  const short = waived[0]!;
  t.ok(e.observe({ callId: short.callId, at: T0 + 30 * MIN, status: 200, answeredAt: T0 + 30 * MIN, endedAt: T0 + 30 * MIN + 20_000 }));
  t.ok(e.holdOf(GB), 'a 20 s call lifts nothing');
  const long = waived[1]!;
  t.ok(e.observe({ callId: long.callId, at: T0 + 31 * MIN, status: 200, answeredAt: T0 + 31 * MIN, endedAt: T0 + 33 * MIN }));
  t.equal(e.holdOf(GB), undefined, 'a 2 minute conversation lifts the hold');
  t.equal(e.counters.releases, 1);
});

t.test('a challenged waived call gives nothing back to the probes', async (t) => {
  const e = new Engine(rules(scope([sig(verdict), sig(retries)]), { hold: { duration: HOUR, extend: true, max: 0, probe: 10 * HOUR, probeBackoff: 1, releaseTalk: MIN } }));
  hold(e);
  const waived = dialler(e, T0 + MIN).filter((d) => d.action !== 'reject');
  const h = e.holdOf(GB)!;
  const before = { probes: h.probes, probeAt: h.probeAt };
  t.ok(e.observe({ callId: waived[0]!.callId, at: T0 + 30 * MIN, status: 407 }));
  t.same({ probes: h.probes, probeAt: h.probeAt }, before);
});

t.test('waived calls are counted, and exported as a metric; a preview counts nothing', async (t) => {
  const { createMetrics } = await import('../../lib/ops/metrics.js');
  const e = new Engine(rules(scope([sig(verdict), sig(retries)])));
  const m = createMetrics(() => e);
  const value = (name: string): Promise<number | undefined> => metricValue(m.registry, name);
  t.equal(await value('hold_waived_total'), 0, 'the series exists from the start');
  hold(e);
  const ds = dialler(e, T0 + MIN);
  const waived = ds.filter((d) => d.reasons.some((r) => r.signal === 'hold' && r.detail.startsWith('hold waived'))).length;
  t.equal(waived, 4);
  t.equal(e.counters.waived, 4);
  e.preview(call(T0 + 20 * MIN, 3));
  t.equal(e.counters.waived, 4, 'a preview is not counted');
  t.equal(await value('hold_waived_total'), 4);
});
