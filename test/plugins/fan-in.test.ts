import t from 'tap';
import plugin from '../../plugins/fan-in.js';
import { ASCII, MIN, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 10m, 10 distinct, weight 20
const ctx = (distinct: number) => fakeContext({ stats: { callee: { distinct: { [10 * MIN]: distinct } } } });

t.test('below the threshold says nothing', async (t) => {
  t.equal(plugin.score(ctx(9), cfg), null);
});

t.test('reads the callee, not the caller', async (t) => {
  const x = fakeContext({ stats: { caller: { distinct: { [10 * MIN]: 50 } } } });
  t.equal(plugin.score(x, cfg), null);
});

t.test('ramps from half to full weight', async (t) => {
  t.equal(plugin.score(ctx(10), cfg)!.points, 10);
  t.equal(plugin.score(ctx(40), cfg)!.points, 20);
});

t.test('detail says the callee is the one targeted', async (t) => {
  const s = plugin.score(ctx(14), cfg)!;
  t.equal(s.detail, 'callee targeted: 14 distinct callers to this callee in 10m (threshold 10)');
  t.match(s.detail, ASCII);
  t.match(plugin.score(ctx(64), cfg)!.detail, /at least 64 distinct callers/);
});

t.test('needs the callee distinct set over its window', async (t) => {
  const c = defaults(plugin, { window: 5 * MIN });
  t.same(plugin.needs!(c), [{ table: 'callee', window: 5 * MIN, distinct: true }]);
  const x = fakeContext({ stats: { callee: { distinct: { [5 * MIN]: 12 } } } });
  t.ok(plugin.score(x, c));
  t.same(undeclaredReads(plugin, c, x), []);
});
