/**
 * A next hop that challenges (401/407) makes the caller send the same call
 * again with credentials: one call, judged again but counted once, and the
 * challenge is not a failed call. Any other INVITE reusing a pending
 * Call-ID is counted as a new attempt, so one Call-ID cannot hide a campaign.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { burst, rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const W = 3_600_000;
const GB = '+447911123456';
const CALLEE = '+8613800138000';

function setup() {
  const e = new Engine(rules(scope([sig(burst, { window: W, max: 1000 })])));
  const count = (m: 'attempts' | 'failed' | 'answered', at: number): number => e.tables.caller.count(e.tables.caller.get(GB), m, W, at);
  const invite = (callId: string, at: number) => e.decide({ callId, at, caller: GB, callee: CALLEE, source: '192.0.2.1' });
  return { e, count, invite };
}

t.test('challenged, then sent again with credentials: one attempt, no failure, the outcome counts', async (t) => {
  const { e, count, invite } = setup();
  t.equal(invite('c1', T0).action, 'forward');
  t.ok(e.observe({ callId: 'c1', at: T0 + 100, status: 407 }), 'the challenge is taken');
  t.equal(count('failed', T0 + 200), 0, 'a challenge is not a failed call');
  t.equal(invite('c1', T0 + 300).action, 'forward', 'the retry is judged');
  t.equal(count('attempts', T0 + 400), 1, 'and not counted again');
  t.ok(e.observe({ callId: 'c1', at: T0 + 5000, status: 200 }));
  t.equal(count('answered', T0 + 6000), 1, "the retry's outcome is the call's");
  t.equal(e.counters.decisions, 2);
});

t.test('a Call-ID reused without a challenge counts every time', async (t) => {
  const { count, invite } = setup();
  for (let i = 0; i < 5; i++) invite('same', T0 + i * 1000);
  t.equal(count('attempts', T0 + 10_000), 5);
});

t.test('one challenge excuses one retry; a second challenge excuses the next', async (t) => {
  const { e, count, invite } = setup();
  invite('c2', T0);
  e.observe({ callId: 'c2', at: T0 + 100, status: 401 });
  invite('c2', T0 + 200);
  invite('c2', T0 + 300); // no challenge in between: a new attempt
  t.equal(count('attempts', T0 + 400), 2);
  e.observe({ callId: 'c2', at: T0 + 500, status: 407 });
  invite('c2', T0 + 600);
  t.equal(count('attempts', T0 + 700), 2);
});
