import t from 'tap';
import plugin from '../../plugins/fan-out.js';
import { ASCII, MIN, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 10m, 10 distinct, weight 35
const ctx = (distinct: number, distinctCap = 64) => fakeContext({ stats: { caller: { distinct: { [10 * MIN]: distinct }, distinctCap } } });

t.test('below the threshold says nothing', async (t) => {
  t.equal(plugin.score(ctx(9), cfg), null);
  t.equal(plugin.score(ctx(0), cfg), null);
});

t.test('at the threshold half, at twice it all of the weight', async (t) => {
  t.equal(plugin.score(ctx(10), cfg)!.points, 17.5);
  t.equal(plugin.score(ctx(15), cfg)!.points, 26.3);
  t.equal(plugin.score(ctx(20), cfg)!.points, 35);
  t.equal(plugin.score(ctx(60), cfg)!.points, 35);
});

t.test('detail names count, window and threshold', async (t) => {
  const s = plugin.score(ctx(14), cfg)!;
  t.equal(s.detail, '14 distinct callees in 10m (threshold 10)');
  t.match(s.detail, ASCII);
});

t.test('a saturated distinct set says "at least"', async (t) => {
  t.equal(plugin.score(ctx(64), cfg)!.detail, 'at least 64 distinct callees in 10m (threshold 10)');
});

t.test('needs the caller distinct set over its window', async (t) => {
  t.same(plugin.needs!(cfg), [{ table: 'caller', window: 10 * MIN, distinct: true }]);
  const x = ctx(30);
  plugin.score(x, cfg);
  t.same(undeclaredReads(plugin, cfg, x), []);
});
