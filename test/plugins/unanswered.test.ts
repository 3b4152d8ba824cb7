import t from 'tap';
import plugin from '../../plugins/unanswered.js';
import { ASCII, HOUR, MIN, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 1h, 80%, min 5, weight 35
const ctx = (answered: number, failed: number, window = HOUR) =>
  fakeContext({ stats: { caller: { counts: { answered: { [window]: answered }, failed: { [window]: failed } } } } });

t.test('below the ratio says nothing', async (t) => {
  t.equal(plugin.score(ctx(3, 7), cfg), null); // 70%
  t.equal(plugin.score(ctx(10, 0), cfg), null);
});

t.test('at the ratio earns half the weight', async (t) => {
  const s = plugin.score(ctx(2, 8), cfg);
  t.ok(s);
  t.equal(s!.points, 17.5);
});

t.test('all unanswered earns the full weight, and the detail names the numbers', async (t) => {
  const s = plugin.score(ctx(1, 9), cfg)!;
  t.equal(s.points, 26.3); // 90% is halfway from 80% to 100%
  t.equal(s.detail, 'unanswered 9 of 10 calls (90%) in 1h, threshold 80% over at least 5');
  t.match(s.detail, ASCII);
  t.equal(plugin.score(ctx(0, 40), cfg)!.points, 35);
});

t.test('min_calls guards small samples', async (t) => {
  t.equal(plugin.score(ctx(0, 4), cfg), null);
  t.ok(plugin.score(ctx(0, 5), cfg));
  t.equal(plugin.score(ctx(0, 0), defaults(plugin, { min_calls: 0 })), null, 'no division by zero');
});

t.test('needs the caller table over its window, and reads nothing else', async (t) => {
  const c = defaults(plugin, { window: 30 * MIN });
  t.same(plugin.needs!(c), [{ table: 'caller', window: 30 * MIN }]);
  const x = ctx(0, 10, 30 * MIN);
  t.ok(plugin.score(x, c));
  t.same(undeclaredReads(plugin, c, x), []);
});
