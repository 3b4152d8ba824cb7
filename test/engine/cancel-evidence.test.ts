/**
 * Call records that give every unanswered call one cause carry no caller
 * cancels (487). The engine notices from recent outcomes and, while that
 * lasts, counts as cancelled what a cancel would have been: a no-answer
 * failure (480, 408) after ringing. Live SIP, which always has cancels, is
 * counted as before.
 */
import t from 'tap';
import { CANCEL_HALF_LIFE, CANCEL_MIN_FAILURES, CancelEvidence } from '../../lib/engine/cancel-evidence.js';
import { Engine } from '../../lib/engine/engine.js';
import { burst, rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MIN = 60_000;

t.test('CancelEvidence: known until enough failures say otherwise, and again once cancels return', async (t) => {
  const ev = new CancelEvidence();
  t.ok(ev.known(T0), 'no evidence yet: assume cancels are carried, as live SIP does');
  for (let i = 0; i < CANCEL_MIN_FAILURES - 1; i++) ev.record(T0 + i, false);
  t.ok(ev.known(T0 + 100), 'too few failures to judge');
  ev.record(T0 + 100, false);
  ev.record(T0 + 101, false);
  t.notOk(ev.known(T0 + 102), `${CANCEL_MIN_FAILURES} failures and not one cancel`);
  ev.record(T0 + 103, true);
  t.ok(ev.known(T0 + 104), 'one cancel in about fifty failures is enough: live traffic has far more');
  const quiet = new CancelEvidence();
  for (let i = 0; i < 2 * CANCEL_MIN_FAILURES; i++) quiet.record(T0, false);
  t.notOk(quiet.known(T0 + CANCEL_HALF_LIFE / 2));
  t.ok(quiet.known(T0 + 2 * CANCEL_HALF_LIFE), 'evidence fades: after two half-lives 100 failures weigh 25');
  t.ok(quiet.known(T0 - MIN) === false, 'a time before the last event reads the evidence undecayed');
});

/** An engine that counts outcomes for one caller; the call's outcome after `ringMs`. */
function setup() {
  const e = new Engine(rules(scope([sig(burst, { window: 3_600_000, max: 1_000_000 })])));
  let n = 0;
  const fail = (at: number, status: number, ringMs: number, caller = '+447911123456'): void => {
    const callId = `x${++n}`;
    e.decide({ callId, at, caller, callee: `+86138001${String(n).padStart(5, '0')}`, source: '192.0.2.1' });
    e.observe({ callId, at: at + ringMs, status });
  };
  const cancelled = (at: number, caller = '+447911123456'): number => e.tables.caller.count(e.tables.caller.get(caller), 'cancelled', 3_600_000, at);
  return { e, fail, cancelled };
}

t.test('records without cancels: a no-answer after ringing counts as cancelled, busy and failures at once do not', async (t) => {
  const { fail, cancelled } = setup();
  // Another caller's failures set the evidence: every unanswered call reads 480.
  for (let i = 0; i < CANCEL_MIN_FAILURES + 10; i++) fail(T0 + i * 1000, 480, 30_000, '+33612345678');
  const at = T0 + 2 * MIN;
  fail(at, 480, 25_000);
  fail(at + 1000, 408, 40_000);
  fail(at + 2000, 486, 25_000);
  fail(at + 3000, 480, 2_000);
  fail(at + 4000, 503, 25_000);
  t.equal(cancelled(at + MIN), 2, '480 and 408 after ringing; not busy, not a 2 s failure, not a server error');
});

t.test('traffic with cancels is counted as it always was', async (t) => {
  const { fail, cancelled } = setup();
  for (let i = 0; i < CANCEL_MIN_FAILURES + 10; i++) fail(T0 + i * 1000, i % 5 === 0 ? 487 : 480, 30_000, '+33612345678');
  const at = T0 + 2 * MIN;
  fail(at, 480, 25_000);
  fail(at + 1000, 487, 20_000);
  t.equal(cancelled(at + MIN), 1, 'only the 487');
});

t.test('before there is evidence, only 487s count', async (t) => {
  const { fail, cancelled } = setup();
  fail(T0, 480, 25_000);
  fail(T0 + 1000, 487, 25_000);
  t.equal(cancelled(T0 + MIN), 1);
});

t.test('an outage of 503s, or calls to dead numbers, does not make live traffic look cancel-less', async (t) => {
  const { fail, cancelled } = setup();
  // Live traffic: callers give up on some ringing calls (487), others ring out (480).
  for (let i = 0; i < 40; i++) fail(T0 + i * 1000, i % 4 === 0 ? 487 : 480, 30_000, '+33612345678');
  // Then the next hop fails everything at once for a while.
  for (let i = 0; i < 5000; i++) fail(T0 + MIN + i * 10, i % 2 ? 503 : 404, 200, '+33612345679');
  const at = T0 + 3 * MIN;
  fail(at, 480, 25_000);
  t.equal(cancelled(at + MIN), 0, 'a ring-out is still a ring-out, not a cancel');
});
