/**
 * Retries and repeats (stats.retry_window, stats.retry_max) as the engine
 * counts them, and a signal that waives a hold (SignalPlugin.waivesHold).
 * Real Engine, injected time.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import retries from '../../plugins/retries.js';
import { rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const W = 3 * HOUR;
const GB = '+447911123456';
const callee = (i: number): string => `+86138001${String(38000 + i).padStart(5, '0')}`;

let seq = 0;
const call = (at: number, to: number, caller = GB): CallAttempt => ({ callId: `c${++seq}`, at, caller, callee: callee(to), source: '192.0.2.1' });

const bad = new Set<string>();
const verdict = definePlugin<Record<string, never>>({
  name: 'verdict',
  description: 'test: 200 points for callers in the bad set',
  schema: {},
  needs: () => [{ table: 'caller', window: MIN }],
  score: (ctx) => (ctx.caller.e164 !== null && bad.has(ctx.caller.e164) ? { points: 200, detail: 'declared bad by the test' } : null),
});

const counts = (e: Engine, at: number, caller = GB) => {
  const slot = e.tables.caller.peek(caller);
  return { retries: e.tables.caller.count(slot, 'retries', W, at), repeats: e.tables.caller.count(slot, 'repeats', W, at) };
};

t.afterEach(async () => {
  bad.clear();
});

t.test('a second call to a callee is a retry, a third a repeat (retry_max 2)', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  // A, B, A (retry), A (repeat), C, B (retry)
  [0, 1, 0, 0, 2, 1].forEach((to, i) => e.decide(call(T0 + i * MIN, to)));
  t.same(counts(e, T0 + 6 * MIN), { retries: 2, repeats: 1 });
});

t.test('retry_max sets where retries end and repeats begin', async (t) => {
  const e = new Engine(rules(scope([sig(retries)]), { stats: { ...rules(scope([])).stats, retryMax: 3 } }));
  for (let i = 0; i < 4; i++) e.decide(call(T0 + i * MIN, 0));
  t.same(counts(e, T0 + 4 * MIN), { retries: 2, repeats: 1 });
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
