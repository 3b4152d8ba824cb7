import t from 'tap';
import plugin from '../../plugins/short-calls.js';
import { ASCII, HOUR, SEC, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 1h, 70%, min 5 answered, weight 30
const ctx = (answered: number, short: number, shortCall = 6 * SEC) =>
  fakeContext({ settings: { shortCall }, stats: { caller: { counts: { answered: { [HOUR]: answered }, short: { [HOUR]: short } } } } });

t.test('below the ratio says nothing', async (t) => {
  t.equal(plugin.score(ctx(10, 6), cfg), null);
});

t.test('at the ratio half, at 100% all of the weight', async (t) => {
  t.equal(plugin.score(ctx(10, 7), cfg)!.points, 15);
  t.equal(plugin.score(ctx(10, 10), cfg)!.points, 30);
});

t.test('detail names the short-call setting and the counts', async (t) => {
  const s = plugin.score(ctx(8, 7, 10 * SEC), cfg)!;
  t.equal(s.detail, '7 of 8 answered calls (88%) shorter than 10s in 1h, threshold 70% over at least 5');
  t.match(s.detail, ASCII);
});

t.test('min_answered guards small samples', async (t) => {
  t.equal(plugin.score(ctx(4, 4), cfg), null);
  t.ok(plugin.score(ctx(5, 5), cfg));
  t.equal(plugin.score(ctx(0, 0), defaults(plugin, { min_answered: 0 })), null);
});

t.test('needs the caller table over its window', async (t) => {
  t.same(plugin.needs!(cfg), [{ table: 'caller', window: HOUR }]);
  const x = ctx(10, 10);
  plugin.score(x, cfg);
  t.same(undeclaredReads(plugin, cfg, x), []);
});
