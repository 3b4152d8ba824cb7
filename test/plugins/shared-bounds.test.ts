import t from 'tap';
import { answeredGate, conversationGate, judged, wilsonLower, zOf } from '../../plugins/_shared.js';

t.test('zOf gives the one-sided normal quantile', async (t) => {
  t.ok(Math.abs(zOf(0.9) - 1.2816) < 1e-3);
  t.ok(Math.abs(zOf(0.95) - 1.6449) < 1e-3);
  t.ok(Math.abs(zOf(0.99) - 2.3263) < 1e-3);
  t.equal(zOf(0.5), 0);
  t.equal(zOf(0), 0);
  t.ok(Number.isFinite(zOf(1)));
});

t.test('wilsonLower: the lower bound never exceeds the share and grows with the sample', async (t) => {
  const z = zOf(0.9);
  t.ok(Math.abs(wilsonLower(1, 10, z) - 0.8589) < 1e-3);
  t.ok(wilsonLower(1, 10, z) < wilsonLower(1, 30, z));
  t.ok(wilsonLower(0.9, 20, z) < 0.9);
  t.equal(wilsonLower(0, 10, z), 0);
  t.equal(wilsonLower(0.7, 0, z), 0.7, 'no sample: the share as it is');
  t.equal(wilsonLower(0.7, 10, 0), 0.7, 'no confidence: the share as it is');
  t.ok(Number.isFinite(wilsonLower(1.2, 5, z)), 'a sliding-window overshoot above 1 is clamped');
  t.equal(judged(0.9, 20, 0), 0.9);
  t.equal(judged(0.9, 20, 0.9), wilsonLower(0.9, 20, z));
});

t.test('answeredGate judges only when the answered share is clearly low', async (t) => {
  t.ok(answeredGate(20, 20, 1), 'off at 1');
  t.ok(answeredGate(0, 0, 0.75), 'nothing completed');
  t.notOk(answeredGate(7, 10, 0.75));
  t.notOk(answeredGate(12, 20, 0.75), '60% of 20 could still be 75%');
  t.ok(answeredGate(30, 50, 0.75), '60% of 50 is clearly below 75%');
  t.ok(answeredGate(2, 20, 0.75));
});

t.test('conversationGate: conversations that outnumber or equal short calls end the judgement', async (t) => {
  t.ok(conversationGate(10, 0, 0), 'off at 0');
  t.notOk(conversationGate(4, 1, 3));
  t.notOk(conversationGate(6, 3, 3));
  t.ok(conversationGate(6, 4, 3));
  t.ok(conversationGate(2, 0, 3));
});
