import t from 'tap';
import plugin from '../../plugins/wangiri.js';
import { ASCII, HOUR, SEC, defaults, fakeContext, undeclaredReads } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // 1h, 5 quick, 60%, 5 callees, weight 60
const ctx = (quick: number, failed: number, answered: number, callees: number, distinctCap = 64) =>
  fakeContext({
    settings: { quickRing: 3 * SEC },
    stats: {
      caller: {
        counts: { quick: { [HOUR]: quick }, failed: { [HOUR]: failed }, answered: { [HOUR]: answered } },
        distinct: { [HOUR]: callees },
        distinctCap,
      },
    },
  });

t.test('below the thresholds says nothing', async (t) => {
  t.equal(plugin.score(ctx(4, 4, 0, 4), cfg), null, 'too few quick calls');
  t.equal(plugin.score(ctx(5, 5, 5, 10), cfg), null, 'quick calls are only half the completed calls');
  t.equal(plugin.score(ctx(9, 9, 0, 1), cfg), null, 'one callee is a person ringing a busy line, not a sweep');
});

t.test('a caller mostly answered is not baiting, even if all its failures are quick', async (t) => {
  t.equal(plugin.score(ctx(6, 6, 30, 36), cfg), null);
});

t.test('at the thresholds half, far past them all of the weight', async (t) => {
  t.equal(plugin.score(ctx(5, 10, 0, 5), defaults(plugin, { ratio: 0.5 }))!.points, 30, 'both exactly at threshold');
  t.equal(plugin.score(ctx(6, 10, 0, 6), cfg)!.points, 33, '60% exactly (share .5), 6 quick (share .6)');
  t.equal(plugin.score(ctx(40, 40, 0, 40), cfg)!.points, 60);
});

t.test('detail names counts, ratio, quick-ring setting and callees', async (t) => {
  const s = plugin.score(ctx(9, 10, 0, 10), cfg)!;
  t.equal(s.detail, '9 of 10 calls (90%) rang under 3s then dropped, to 10 distinct callees in 1h (threshold 5 calls, 60%, 5 callees)');
  t.match(s.detail, ASCII);
  t.match(plugin.score(ctx(64, 64, 0, 64), cfg)!.detail, /at least 64 distinct callees/);
});

t.test('needs the caller table with distinct over its window', async (t) => {
  t.same(plugin.needs!(cfg), [{ table: 'caller', window: HOUR, distinct: true }]);
  const x = ctx(20, 20, 0, 20);
  t.ok(plugin.score(x, cfg));
  t.same(undeclaredReads(plugin, cfg, x), []);
});

t.test('cancelled_only: fast busy, switched-off and network failures are not bait', async (t) => {
  const c = defaults(plugin, { cancelled_only: true });
  t.equal(cfg.cancelled_only, false, 'off by default');
  const x = (quick: number, cancelled: number, failed: number, answered = 0, callees = 8) =>
    fakeContext({
      settings: { quickRing: 3 * SEC },
      stats: {
        caller: {
          counts: { quick: { [HOUR]: quick }, cancelled: { [HOUR]: cancelled }, failed: { [HOUR]: failed }, answered: { [HOUR]: answered } },
          distinct: { [HOUR]: callees },
        },
      },
    });
  // Someone redialling five relatives through an outage: nine fast 480s and 486s, nobody hung up.
  t.ok(plugin.score(x(9, 0, 9), cfg), 'the default counts them');
  t.equal(plugin.score(x(9, 0, 9), c), null, 'cancelled_only does not');
  // Slow cancels (the caller gave up after 25 s of ringing) beside fast busies are not one-ring either.
  t.equal(plugin.score(x(5, 5, 10), c), null, 'no call need have been both quick and cancelled');
  // Bait: eight quick cancels, one quick busy, one slow failure.
  const s = plugin.score(x(9, 8, 10), c)!;
  t.equal(s.detail, '7 of 10 calls (70%) rang under 3s then the caller hung up, to 8 distinct callees in 1h (threshold 5 calls, 60%, 5 callees)');
  t.equal(s.points, earned(7, 0.7));
  t.same(undeclaredReads(plugin, c, x(9, 8, 10)), []);
});

/** Expected points for a count and ratio at the default thresholds (5 calls, 60%, weight 60). */
function earned(count: number, r: number): number {
  const share = (Math.min(1, 0.5 + (0.5 * (count - 5)) / 5) + Math.min(1, 0.5 + (0.5 * (r - 0.6)) / 0.4)) / 2;
  return Math.round(60 * share * 10) / 10;
}
