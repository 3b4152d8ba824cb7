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

// ---- max_answered, min_conversations, confidence, cancelled_only -------------

const counts = (answered: number, failed: number, short = 0, extra: Record<string, number> = {}) =>
  fakeContext({
    stats: {
      caller: {
        counts: {
          answered: { [HOUR]: answered },
          failed: { [HOUR]: failed },
          short: { [HOUR]: short },
          ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { [HOUR]: v }])),
        },
      },
    },
  });

t.test('the new gates are off by default and read nothing new', async (t) => {
  t.equal(cfg.max_answered, 1);
  t.equal(cfg.min_conversations, 0);
  t.equal(cfg.confidence, 0);
  t.equal(cfg.cancelled_only, false);
  const x = counts(1, 9);
  t.equal(plugin.score(x, cfg)!.points, 26.3);
  t.notOk(x.reads.some((r) => r.what === 'short' || r.what === 'cancelled'), 'reads neither short nor cancelled');
});

t.test('max_answered: a caller most people pick up for is expected, not judged', async (t) => {
  const c = defaults(plugin, { count_short: true, max_answered: 0.75 });
  // Voice OTP: answered and short by design, so 100% "no conversation".
  t.equal(plugin.score(counts(15, 5, 15), c), null, '75% answered: clearly not a cold list');
  t.equal(plugin.score(counts(7, 3, 7), c), null, '7 of 10 answered: the upper bound of the share is 87%');
  t.equal(plugin.score(counts(12, 8, 12), c), null, '60% answered over 20 calls could still be 75%');
  t.equal(plugin.score(counts(2, 18, 2), c)!.points, 35, 'a cold list is judged');
  t.equal(plugin.score(counts(30, 20, 30), c)!.points, 35, '60% answered over 50 calls is clearly below 75%');
});

t.test('min_conversations: a caller that talks to whoever answers is not judged on its answer rate', async (t) => {
  const c = defaults(plugin, { count_short: true, ratio: 0.7, min_conversations: 3 });
  // An outbound call centre: 4 of 20 answered, 3 of them real conversations.
  t.equal(plugin.score(counts(4, 16, 1), c), null);
  t.equal(plugin.score(counts(6, 14, 3), c), null, 'as many conversations as short calls');
  t.ok(plugin.score(counts(6, 14, 4), c), 'more short calls than conversations: judged');
  t.ok(plugin.score(counts(2, 18, 0), c), 'two conversations are not yet a record');
  const plain = defaults(plugin, { min_conversations: 3 });
  const x = counts(4, 16, 0);
  t.equal(plugin.score(x, plain), null, 'also without count_short');
  t.ok(x.reads.some((r) => r.what === 'short'), 'reads short calls for the gate');
  t.same(undeclaredReads(plugin, plain, x), []);
});

t.test('confidence: the lower bound of the ratio is judged, so small samples earn less', async (t) => {
  const c = defaults(plugin, { confidence: 0.9 });
  const ten = plugin.score(counts(0, 10), c)!;
  t.equal(ten.points, 22.7, '10 of 10: at least 86%');
  t.equal(ten.detail, 'unanswered 10 of 10 calls (100%, at least 86% at 90% confidence) in 1h, threshold 80% over at least 5');
  t.equal(plugin.score(counts(0, 30), c)!.points, 30.5, '30 of 30: at least 95%');
  t.equal(plugin.score(counts(2, 18), c), null, '18 of 20 (90%) is at least 78%: below the threshold');
  t.equal(plugin.score(counts(2, 18), cfg)!.points, 26.3, 'as measured it fires');
  const s = plugin.score(counts(2, 18, 2), defaults(plugin, { confidence: 0.9, count_short: true }))!;
  t.match(s.detail, /^no conversation on 20 of 20 calls \(100%: 18 unanswered, 2 shorter than 6s, at least 92% at 90% confidence\)/);
  t.match(s.detail, ASCII);
});

t.test('cancelled_only: busy and unavailable calls stay out of the ratio', async (t) => {
  const c = defaults(plugin, { of: 'callee', count_short: true, cancelled_only: true, ratio: 0.85, min_calls: 6 });
  const callee = (answered: number, failed: number, cancelled: number, short: number) =>
    fakeContext({
      stats: {
        callee: { counts: { answered: { [HOUR]: answered }, failed: { [HOUR]: failed }, cancelled: { [HOUR]: cancelled }, short: { [HOUR]: short } } },
      },
    });
  // A hotline in a rush: 76 busy, 12 given up while ringing, 12 answered and talked.
  t.equal(plugin.score(callee(12, 88, 12, 0), c), null);
  t.ok(plugin.score(callee(12, 88, 12, 0), defaults(plugin, { of: 'callee', count_short: true, ratio: 0.85, min_calls: 6 })), 'counted as before it is judged');
  // A flood: busy, cancelled after a ring or two, answered and dropped.
  const s = plugin.score(callee(25, 75, 30, 25), c)!;
  t.equal(s.points, 35);
  t.equal(s.detail, 'calls to this callee: no conversation on 55 of 55 calls (100%: 30 cancelled while ringing, 25 shorter than 6s) in 1h, threshold 85% over at least 6');
  t.equal(plugin.score(callee(0, 40, 4, 0), c), null, 'a line that is only busy has too few judged calls');
  t.equal(plugin.score(callee(0, 20, 25, 0), c)!.detail.includes('20 cancelled'), true, 'a sliding-window estimate never counts more cancelled than failed calls');
  // Call records without cancels: the engine counts no-answers after ringing instead, and the reason says so.
  const records = fakeContext({
    cancels: false,
    stats: { callee: { counts: { answered: { [HOUR]: 25 }, failed: { [HOUR]: 75 }, cancelled: { [HOUR]: 30 }, short: { [HOUR]: 25 } } } },
  });
  t.match(plugin.score(records, c)!.detail, /30 unanswered after ringing, 25 shorter/);
});

t.test('cancelled_only with max_answered: the answered share is over every completed call', async (t) => {
  const callee = (answered: number, failed: number, cancelled: number, short: number) =>
    fakeContext({
      stats: {
        callee: { counts: { answered: { [HOUR]: answered }, failed: { [HOUR]: failed }, cancelled: { [HOUR]: cancelled }, short: { [HOUR]: short } } },
      },
    });
  const c = defaults(plugin, { of: 'callee', count_short: true, cancelled_only: true, ratio: 0.85, min_calls: 6, max_answered: 0.75 });
  // 30 answered of 100 completed (65 busy): a line few people pick up, though 30 of the 35 calls judged were answered.
  const s = plugin.score(callee(30, 70, 5, 30), c);
  t.ok(s, '30% answered is judged: busy calls count as completed for the gate');
  t.equal(s!.points, 35);
  // 80 answered of 100: people pick up, whatever share of the judged calls that is.
  t.equal(plugin.score(callee(80, 20, 5, 80), c), null);
});

t.test('the gate fields validate', async (t) => {
  t.notOk(plugin.schema.max_answered.parse(1.5).ok);
  t.notOk(plugin.schema.min_conversations.parse(-1).ok);
  t.notOk(plugin.schema.confidence.parse(2).ok);
  t.ok(plugin.schema.cancelled_only.parse(true).ok);
});

t.test("spare_talkers: a caller holding conversations of its own is not judged on its block's calls", async (t) => {
  const c = defaults(plugin, { of: 'block', count_short: true, spare_talkers: 1 });
  const x = (ownAnswered: number, ownShort: number) =>
    fakeContext({
      stats: {
        caller: { counts: { answered: { [HOUR]: ownAnswered }, short: { [HOUR]: ownShort } } },
        block: { counts: { answered: { [HOUR]: 2 }, failed: { [HOUR]: 18 }, short: { [HOUR]: 2 } } },
      },
    });
  t.ok(plugin.score(x(0, 0), c), 'a rotated caller ID with no record of its own is judged on its block');
  t.ok(plugin.score(x(2, 2), c), 'short answered calls are no conversation');
  t.equal(plugin.score(x(2, 1), c), null, 'one conversation of its own spares it');
  t.ok(plugin.score(x(2, 1), defaults(plugin, { of: 'block', count_short: true })), 'off by default: judged on its block all the same');
  t.same(plugin.needs!(c), [{ table: 'block', window: HOUR }, { table: 'caller', window: HOUR }]);
  t.same(undeclaredReads(plugin, c, x(2, 1)), []);
  const own = defaults(plugin, { spare_talkers: 1 });
  t.same(plugin.needs!(own), [{ table: 'caller', window: HOUR }], 'of: caller: the field means nothing and reads nothing more');
});

t.test("spare_callbacks: a block whose calls go back to callees it called is not judged", async (t) => {
  const c = defaults(plugin, { of: 'block', count_short: true, spare_callbacks: 0.2 });
  const x = (attempts: number, retries: number) =>
    fakeContext({
      stats: { block: { counts: { attempts: { [HOUR]: attempts }, retries: { [HOUR]: retries }, answered: { [HOUR]: 2 }, failed: { [HOUR]: 18 }, short: { [HOUR]: 2 } } } },
    });
  t.ok(plugin.score(x(20, 0), c), 'a block calling fresh numbers only is judged');
  t.ok(plugin.score(x(20, 3), c), 'three callbacks in 20 calls (15%) are under the share');
  t.equal(plugin.score(x(20, 4), c), null, 'four in 20 (20%): a business calling back the people it missed');
  t.ok(plugin.score(x(20, 4), defaults(plugin, { of: 'block', count_short: true })), 'off by default');
  t.same(plugin.needs!(c), [{ table: 'block', window: HOUR }, { table: 'block', window: HOUR, retries: true }]);
  t.same(undeclaredReads(plugin, c, x(20, 4)), []);
  t.same(plugin.needs!(defaults(plugin, { spare_callbacks: 0.2 })), [{ table: 'caller', window: HOUR }], 'of: caller: the field means nothing and reads nothing more');
  t.same(plugin.needs!(defaults(plugin, { of: 'callee', spare_callbacks: 0.2 })), [{ table: 'callee', window: HOUR }], 'nor with of: callee');
  t.notOk(plugin.schema.spare_callbacks.parse(1.5).ok);
});
