/**
 * Review of aeb4484: defects in retry counting and the hold waiver.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import retries from '../../plugins/retries.js';
import { rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0); // 12:00, a 3h bucket boundary (epoch multiple of 3h)
const MIN = 60_000;
const HOUR = 60 * MIN;
const W = 3 * HOUR;
const GB = '+447911123456';
const callee = (i: number): string => `+86138001${String(38000 + i).padStart(5, '0')}`;
let seq = 0;
const call = (at: number, to: number, caller = GB): CallAttempt => ({ callId: `r${++seq}`, at, caller, callee: callee(to), source: '192.0.2.1' });
const counts = (e: Engine, at: number, caller = GB) => {
  const slot = e.tables.caller.peek(caller);
  return { retries: e.tables.caller.count(slot, 'retries', W, at), repeats: e.tables.caller.count(slot, 'repeats', W, at) };
};

t.test('T0 is on a 3h bucket boundary', async (t) => {
  t.equal(T0 % W, 0);
});

t.test('a challenged (407) retry is one retry, not two', async (t) => {
  const e = new Engine(rules(scope([sig(retries)])));
  e.decide(call(T0, 0));
  const c = call(T0 + MIN, 0);
  t.not(e.decide(c).action, 'reject');
  t.ok(e.observe({ callId: c.callId, at: c.at + 40, status: 407 }));
  // The INVITE again, with credentials: the same call.
  e.decide({ ...c, callId: c.callId + 'b', at: c.at + 80 });
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

const bad = new Set<string>();
const verdict = definePlugin<Record<string, never>>({
  name: 'verdict',
  description: 'test: 200 points for callers in the bad set',
  schema: {},
  needs: () => [{ table: 'caller', window: MIN }],
  score: (ctx) => (ctx.caller.e164 !== null && bad.has(ctx.caller.e164) ? { points: 200, detail: 'declared bad by the test' } : null),
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
  bad.clear();
});
