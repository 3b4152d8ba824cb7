import t from 'tap';
import plugin from '../../plugins/rotating-cli.js';
import { ASCII, MIN, defaults, fakeContext, numberInfo, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 10m, 10 distinct, weight 35
const ctx = (distinct: number, blockDigits = 2) =>
  fakeContext({ settings: { blockDigits }, stats: { block: { distinct: { [10 * MIN]: distinct } } } });

t.test('below the threshold says nothing', async (t) => {
  t.equal(plugin.score(ctx(9), cfg), null);
});

t.test('ramps from half to full weight', async (t) => {
  t.equal(plugin.score(ctx(10), cfg)!.points, 17.5);
  t.equal(plugin.score(ctx(20), cfg)!.points, 35);
});

t.test('detail shows the block with its hidden digits', async (t) => {
  const s = plugin.score(ctx(24), cfg)!;
  t.equal(s.detail, '24 distinct caller IDs from block +23480312345xx in 10m (threshold 10)');
  t.match(s.detail, ASCII);
  t.match(plugin.score(ctx(64, 3), cfg)!.detail, /at least 64 distinct caller IDs from block \+2348031234xxx/);
});

t.test('a caller without an E.164 form has no block', async (t) => {
  const x = fakeContext({ caller: numberInfo({ e164: null, raw: 'anonymous', problem: 'anonymous' }), stats: { block: { distinct: { [10 * MIN]: 50 } } } });
  t.equal(plugin.score(x, cfg), null);
});

t.test('needs the block distinct set over its window', async (t) => {
  t.same(plugin.needs!(cfg), [{ table: 'block', window: 10 * MIN, distinct: true }]);
  const x = ctx(30);
  plugin.score(x, cfg);
  t.same(undeclaredReads(plugin, cfg, x), []);
});
