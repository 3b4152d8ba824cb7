import t from 'tap';
import plugin from '../../plugins/retries.js';
import { ASCII, HOUR, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const W = 3 * HOUR;
const cfg = defaults(plugin); // 3h, 3 retries, 10%, 5 callees, repeats <= 20% of retries, -50, waives holds
const ctx = (attempts: number, retries: number, callees: number, repeats = 0) =>
  fakeContext({ stats: { caller: { counts: { attempts: { [W]: attempts }, retries: { [W]: retries }, repeats: { [W]: repeats } }, distinct: { [W]: callees } } } });

t.test('a campaign that never calls anyone back says nothing', async (t) => {
  t.equal(plugin.score(ctx(40, 0, 40), cfg), null, 'no retries');
  t.equal(plugin.score(ctx(40, 2, 38), cfg), null, 'too few retries');
  t.equal(plugin.score(ctx(100, 5, 95), cfg), null, 'retries a small share of the calls (5%)');
});

t.test('calling back one or two people, or the same people over and over, is not a business', async (t) => {
  t.equal(plugin.score(ctx(12, 6, 3), cfg), null, 'three callees');
  t.equal(plugin.score(ctx(40, 10, 15, 3), cfg), null, 'repeats past 20% of the retries');
  t.ok(plugin.score(ctx(40, 10, 15, 2), cfg), 'repeats at 20% of the retries are tolerated');
});

t.test('just past the thresholds earns half, twice past all of it', async (t) => {
  t.equal(plugin.score(ctx(30, 3, 27), cfg)!.points, -25);
  t.equal(plugin.score(ctx(30, 6, 24), cfg)!.points, -50);
  t.equal(plugin.score(ctx(60, 6, 54), cfg)!.points, -37.5, 'enough retries, a share just at its threshold');
});

t.test('detail says what was counted, against which thresholds', async (t) => {
  const s = plugin.score(ctx(24, 6, 18, 1), cfg)!;
  t.equal(s.detail, 'calls back callees it could not reach: 6 of 24 calls (25%) in 3h went again to a callee called less than 3h before, among 18 callees, 1 to one called twice already (thresholds 3 retries, 10%, 5 callees)');
  t.match(s.detail, ASCII);
});

t.test('needs the caller table with distinct callees and retries; waives holds unless told not to', async (t) => {
  t.same(plugin.needs!(cfg), [{ table: 'caller', window: W, distinct: true, retries: true }]);
  const x = ctx(24, 6, 18);
  plugin.score(x, cfg);
  t.same(undeclaredReads(plugin, cfg, x), []);
  t.equal(plugin.waivesHold!(cfg), true);
  t.equal(plugin.waivesHold!({ ...cfg, waive_hold: false }), false);
});
