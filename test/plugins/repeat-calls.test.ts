import t from 'tap';
import plugin from '../../plugins/repeat-calls.js';
import { ASCII, HOUR, MIN, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 1h, 6 calls, weight 15, 50% off once answered
const ctx = (attempts: number, answered = 0, window = HOUR) =>
  fakeContext({ stats: { pair: { counts: { attempts: { [window]: attempts }, answered: { [window]: answered } } } } });

t.test('below the threshold says nothing', async (t) => {
  t.equal(plugin.score(ctx(5), cfg), null);
});

t.test('ramps from half to full weight, which stays modest', async (t) => {
  t.equal(plugin.score(ctx(6), cfg)!.points, 7.5);
  t.equal(plugin.score(ctx(12), cfg)!.points, 15);
  t.ok(plugin.score(ctx(100), cfg)!.points < 40, 'repeat calls alone never reach a typical tag threshold');
});

t.test('detail names attempts, window and threshold', async (t) => {
  const s = plugin.score(ctx(8), cfg)!;
  t.equal(s.detail, '8 attempts to this callee in 1h (threshold 6)');
  t.match(s.detail, ASCII);
});

t.test('relatives redialling: once the callee answered, points are discounted', async (t) => {
  const unanswered = plugin.score(ctx(12), cfg)!;
  const answered = plugin.score(ctx(12, 1), cfg)!;
  t.equal(answered.points, unanswered.points / 2);
  t.equal(answered.detail, '12 attempts to this callee in 1h (threshold 6), 50% off because the callee answered 1 of them');
  t.equal(plugin.score(ctx(12, 1), defaults(plugin, { answered_discount: 1 })), null, 'a full discount says nothing');
  t.equal(plugin.score(ctx(12, 1), defaults(plugin, { answered_discount: 0 }))!.points, 15, 'no discount when turned off');
});

t.test('needs the pair table over its window', async (t) => {
  const c = defaults(plugin, { window: 30 * MIN });
  t.same(plugin.needs!(c), [{ table: 'pair', window: 30 * MIN }]);
  const x = ctx(12, 1, 30 * MIN);
  t.ok(plugin.score(x, c));
  t.same(undeclaredReads(plugin, c, x), []);
});
