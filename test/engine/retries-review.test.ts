/**
 * Review 12b: failing tests for the exact retries/repeats counting.
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
const counts = (e: Engine, at: number, caller = GB) => {
  const slot = e.tables.caller.peek(caller);
  return { retries: e.tables.caller.count(slot, 'retries', W, at), repeats: e.tables.caller.count(slot, 'repeats', W, at) };
};
const other = definePlugin<Record<string, never>>({
  name: 'other',
  description: 'test: reads the caller table only',
  schema: {},
  needs: () => [{ table: 'caller', window: MIN }],
  score: () => null,
});

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

t.test('reload with retries -> without -> with: calls made in between still count, and the pair table is not kept for nothing', async (t) => {
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
  t.equal(counts(e, T0 + 20 * MIN).repeats, 1, 'the third call to callee 0 in 20 minutes is a repeat');
});

t.test('preview() of the call decide() would waive says what decide() does', async (t) => {
  const bad = new Set<string>([GB]);
  const verdict = definePlugin<Record<string, never>>({
    name: 'verdict', description: 'test', schema: {},
    needs: () => [{ table: 'caller', window: MIN }],
    score: (ctx) => (ctx.caller.e164 !== null && bad.has(ctx.caller.e164) ? { points: 200, detail: 'bad' } : null),
  });
  const e = new Engine(rules(scope([sig(verdict), sig(retries)])));
  e.decide(call(T0, 100));
  bad.clear();
  t.ok(e.holdOf(GB));
  for (let i = 0; i < 12; i++) e.decide(call(T0 + (i + 1) * MIN, i));
  for (let i = 0; i < 2; i++) e.decide(call(T0 + (13 + i) * MIN, i));
  const next = call(T0 + 15 * MIN, 2);
  const p = e.preview(next);
  const d = e.decide(next);
  t.equal(d.rejectedBy, undefined, 'decide: the third retry waives the hold');
  t.equal(p.rejectedBy, d.rejectedBy, 'preview: the same');
});
