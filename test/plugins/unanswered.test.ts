import t from 'tap';
import plugin from '../../plugins/unanswered.js';
import { ASCII, HOUR, MIN, defaults, fakeContext, numberInfo, undeclaredReads } from '../helpers/fake-context.js';

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

// ---- of, min_distinct, count_short ------------------------------------------

t.test('defaults judge the caller with no gate, exactly as before', async (t) => {
  t.equal(cfg.of, 'caller');
  t.equal(cfg.min_distinct, 0);
  t.equal(cfg.count_short, false);
  const x = fakeContext({ stats: { caller: { counts: { answered: { [HOUR]: 1 }, failed: { [HOUR]: 9 }, short: { [HOUR]: 1 } } } } });
  t.equal(plugin.score(x, cfg)!.detail, 'unanswered 9 of 10 calls (90%) in 1h, threshold 80% over at least 5', 'short calls ignored');
  t.notOk(x.reads.some((r) => r.what === 'distinct' || r.what === 'short'), 'reads neither distinct nor short');
});

t.test('min_distinct: a caller redialling few numbers is not judged', async (t) => {
  const c = defaults(plugin, { min_distinct: 4 });
  const x = (distinct: number) =>
    fakeContext({ stats: { caller: { counts: { answered: { [HOUR]: 0 }, failed: { [HOUR]: 10 } }, distinct: { [HOUR]: distinct } } } });
  t.equal(plugin.score(x(1), c), null, 'one relative, ten unanswered calls');
  t.equal(plugin.score(x(3), c), null);
  const s = plugin.score(x(4), c)!;
  t.equal(s.points, 35);
  t.equal(s.detail, 'unanswered 10 of 10 calls (100%) in 1h, threshold 80% over at least 5, 4 distinct callees (threshold 4)');
  t.match(plugin.score(x(64), c)!.detail, /at least 64 distinct callees/);
  t.same(plugin.needs!(c), [{ table: 'caller', window: HOUR, distinct: true }]);
  t.same(undeclaredReads(plugin, c, x(4)), []);
});

t.test('count_short: answered calls under the short-call setting count as no conversation', async (t) => {
  const c = defaults(plugin, { count_short: true });
  const x = (answered: number, failed: number, short: number) =>
    fakeContext({ stats: { caller: { counts: { answered: { [HOUR]: answered }, failed: { [HOUR]: failed }, short: { [HOUR]: short } } } } });
  // 5 unanswered + 4 answered-and-dropped of 10: 90%, where unanswered alone is 50%.
  t.equal(plugin.score(x(5, 5, 0), c), null);
  const s = plugin.score(x(5, 5, 4), c)!;
  t.equal(s.points, 26.3);
  t.equal(s.detail, 'no conversation on 9 of 10 calls (90%: 5 unanswered, 4 shorter than 6s) in 1h, threshold 80% over at least 5');
  t.match(s.detail, ASCII);
  t.equal(plugin.score(x(10, 0, 3), c), null, 'mostly real conversations');
  // Short counts arrive at hang-up, answers at answer: never more short than answered.
  t.equal(plugin.score(x(2, 8, 5), c)!.points, 35);
  t.same(undeclaredReads(plugin, c, x(5, 5, 4)), []);
});

t.test('of: block pools every caller ID of the block, and names the block', async (t) => {
  const c = defaults(plugin, { of: 'block', min_distinct: 6, count_short: true });
  const x = (distinct: number, blockDigits = 2) =>
    fakeContext({
      settings: { blockDigits },
      stats: {
        caller: { counts: { answered: { [HOUR]: 10 } } }, // the caller itself looks fine: it is one call
        block: { counts: { answered: { [HOUR]: 4 }, failed: { [HOUR]: 16 }, short: { [HOUR]: 4 } }, distinct: { [HOUR]: distinct } },
      },
    });
  t.equal(plugin.score(x(5), c), null, 'too few caller IDs in the block');
  const s = plugin.score(x(18), c)!;
  t.equal(s.points, 35);
  t.equal(
    s.detail,
    'block +23480312345xx: no conversation on 20 of 20 calls (100%: 16 unanswered, 4 shorter than 6s) in 1h, threshold 80% over at least 5, 18 distinct caller IDs (threshold 6)',
  );
  t.match(plugin.score(x(18, 4), c)!.detail, /^block \+234803123xxxx: /);
  t.same(plugin.needs!(c), [{ table: 'block', window: HOUR, distinct: true }]);
  t.same(undeclaredReads(plugin, c, x(18)), []);
  const anon = fakeContext({
    caller: numberInfo({ e164: null, raw: 'anonymous', problem: 'anonymous' }),
    stats: { block: { counts: { failed: { [HOUR]: 20 } }, distinct: { [HOUR]: 20 } } },
  });
  t.equal(plugin.score(anon, c), null, 'a caller without an E.164 form has no block');
});

t.test('of: callee judges every call to this callee', async (t) => {
  const c = defaults(plugin, { of: 'callee', min_distinct: 10 });
  const x = (distinct: number) =>
    fakeContext({ stats: { callee: { counts: { answered: { [HOUR]: 1 }, failed: { [HOUR]: 19 } }, distinct: { [HOUR]: distinct } } } });
  t.equal(plugin.score(x(9), c), null);
  const s = plugin.score(x(12), c)!;
  t.equal(s.detail, 'calls to this callee: unanswered 19 of 20 calls (95%) in 1h, threshold 80% over at least 5, 12 distinct callers (threshold 10)');
  t.same(plugin.needs!(c), [{ table: 'callee', window: HOUR, distinct: true }]);
  t.same(undeclaredReads(plugin, c, x(12)), []);
  t.same(plugin.needs!(defaults(plugin, { of: 'callee' })), [{ table: 'callee', window: HOUR }], 'no distinct set without a gate');
});

t.test('the new fields validate', async (t) => {
  t.ok(plugin.schema.of.parse('block').ok);
  t.notOk(plugin.schema.of.parse('pair').ok, 'pair has no distinct set and no single subject');
  t.notOk(plugin.schema.min_distinct.parse(-1).ok);
  t.notOk(plugin.schema.count_short.parse('yes').ok);
});
