import t from 'tap';
import plugin from '../../plugins/wangiri.js';
import { ASCII, HOUR, SEC, defaults, fakeContext, numberInfo, undeclaredReads } from '../helpers/fake-context.js';

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
  t.equal(s.detail, '9 of 10 calls (90%) rang under 3s then dropped; 10 distinct callees rung in 1h, this call included (threshold 5 calls, 60%, 5 callees)');
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
  t.equal(s.detail, '7 of 10 calls (70%) rang under 3s then the caller hung up; 8 distinct callees rung in 1h, this call included (threshold 5 calls, 60%, 5 callees)');
  t.equal(s.points, earned(7, 0.7));
  t.same(undeclaredReads(plugin, c, x(9, 8, 10)), []);
});

/** Expected points for a count and ratio at the default thresholds (5 calls, 60%, weight 60). */
function earned(count: number, r: number): number {
  const share = (Math.min(1, 0.5 + (0.5 * (count - 5)) / 5) + Math.min(1, 0.5 + (0.5 * (r - 0.6)) / 0.4)) / 2;
  return Math.round(60 * share * 10) / 10;
}

t.test('of: block pools the quick calls of every caller ID of the block, and names the block', async (t) => {
  // A campaign rotating its bait through a range: each number rings a few callees, fewer than min_quick.
  const c = defaults(plugin, { of: 'block', min_distinct: 5, cancelled_only: true, ratio: 0.5 });
  const x = (distinct: number, blockDigits = 4) =>
    fakeContext({
      settings: { quickRing: 8 * SEC, blockDigits },
      stats: {
        caller: { counts: { quick: { [HOUR]: 1 }, cancelled: { [HOUR]: 1 }, failed: { [HOUR]: 1 } }, distinct: { [HOUR]: 1 } },
        block: {
          counts: { quick: { [HOUR]: 9 }, cancelled: { [HOUR]: 8 }, failed: { [HOUR]: 10 }, answered: { [HOUR]: 2 } },
          distinct: { [HOUR]: distinct },
        },
      },
    });
  t.equal(plugin.score(x(6), defaults(plugin, { cancelled_only: true })), null, 'judged as a caller: one quick call is nothing');
  t.equal(plugin.score(x(4), c), null, 'too few caller IDs in the block: one caller seen again');
  const s = plugin.score(x(6), c)!;
  // 9 quick + 8 cancelled - 10 failed = 7 quick cancels of 12 completed (58%); no callee gate for a block.
  t.equal(s.detail, 'block +234803123xxxx: 7 of 12 calls (58%) rang under 8s then the caller hung up in 1h (threshold 5 calls, 50%), 6 distinct caller IDs (threshold 5)');
  t.ok(s.points > 30 && s.points < 60, `part of the weight near the thresholds (${s.points})`);
  t.same(plugin.needs!(c), [{ table: 'block', window: HOUR, distinct: true }]);
  t.same(plugin.needs!(defaults(plugin, { of: 'block' })), [{ table: 'block', window: HOUR }], 'no distinct set without a gate');
  t.same(undeclaredReads(plugin, c, x(6)), []);
  const anon = fakeContext({
    caller: numberInfo({ e164: null, raw: 'anonymous', problem: 'anonymous' }),
    stats: { block: { counts: { quick: { [HOUR]: 20 }, cancelled: { [HOUR]: 20 }, failed: { [HOUR]: 20 } }, distinct: { [HOUR]: 20 } } },
  });
  t.equal(plugin.score(anon, c), null, 'a caller without an E.164 form has no block');
  t.ok(plugin.schema.of.parse('block').ok);
  t.notOk(plugin.schema.of.parse('callee').ok, 'a callee rings back, it does not bait');
});
