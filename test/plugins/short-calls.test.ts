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

// ---- of, min_distinct -----------------------------------------------------------

t.test('defaults judge the caller with no gate', async (t) => {
  t.equal(cfg.of, 'caller');
  t.equal(cfg.min_distinct, 0);
  const x = ctx(10, 10);
  plugin.score(x, cfg);
  t.notOk(x.reads.some((r) => r.what === 'distinct'));
});

t.test('min_distinct waits for enough different callees', async (t) => {
  const c = defaults(plugin, { min_distinct: 8 });
  const x = (distinct: number) =>
    fakeContext({ stats: { caller: { counts: { answered: { [HOUR]: 6 }, short: { [HOUR]: 6 } }, distinct: { [HOUR]: distinct } } } });
  t.equal(plugin.score(x(7), c), null, 'voicemail checks to a few people are not a campaign');
  t.equal(
    plugin.score(x(8), c)!.detail,
    '6 of 6 answered calls (100%) shorter than 6s in 1h, threshold 70% over at least 5, 8 distinct callees (threshold 8)',
  );
  t.same(plugin.needs!(c), [{ table: 'caller', window: HOUR, distinct: true }]);
  t.same(undeclaredReads(plugin, c, x(8)), []);
});

t.test('of: block and of: callee read their own tables and say so', async (t) => {
  const counts = { answered: { [HOUR]: 10 }, short: { [HOUR]: 9 } };
  const b = defaults(plugin, { of: 'block', min_distinct: 6 });
  const xb = fakeContext({ stats: { block: { counts, distinct: { [HOUR]: 12 } } } });
  t.match(plugin.score(xb, b)!.detail, /^block \+23480312345xx: 9 of 10 answered calls .*, 12 distinct caller IDs \(threshold 6\)$/);
  t.same(undeclaredReads(plugin, b, xb), []);
  const e = defaults(plugin, { of: 'callee' });
  const xe = fakeContext({ stats: { callee: { counts } } });
  t.match(plugin.score(xe, e)!.detail, /^calls to this callee: 9 of 10 answered calls/);
  t.same(plugin.needs!(e), [{ table: 'callee', window: HOUR }]);
  t.same(undeclaredReads(plugin, e, xe), []);
});

// ---- max_answered, confidence --------------------------------------------------

t.test('max_answered: answered-and-short is judged only for callers few people pick up for', async (t) => {
  const c = defaults(plugin, { max_answered: 0.75 });
  const x = (answered: number, failed: number) =>
    fakeContext({ stats: { caller: { counts: { answered: { [HOUR]: answered }, short: { [HOUR]: answered }, failed: { [HOUR]: failed } } } } });
  t.equal(plugin.score(x(17, 3), c), null, 'voice OTP: 85% answered, every call short');
  t.equal(plugin.score(x(6, 14), c)!.points, 30, 'robocall: 30% answered, every call short');
  const y = x(6, 14);
  plugin.score(y, c);
  t.same(undeclaredReads(plugin, c, y), []);
  const z = ctx(10, 10);
  plugin.score(z, cfg);
  t.notOk(z.reads.some((r) => r.what === 'failed'), 'without the gate failures are not read');
});

t.test('confidence: small samples of answered calls earn less', async (t) => {
  const c = defaults(plugin, { confidence: 0.9 });
  t.equal(plugin.score(ctx(5, 5), cfg)!.points, 30, 'as measured 5 of 5 earns it all');
  t.equal(plugin.score(ctx(5, 5), c)!.points, 17.6, 'at 90% confidence 5 of 5 is at least 75%');
  t.equal(plugin.score(ctx(10, 8), c), null, '8 of 10 is at least 64%: below the threshold');
  const s = plugin.score(ctx(30, 30), c)!;
  t.equal(s.detail, '30 of 30 answered calls (100%, at least 95% at 90% confidence) shorter than 6s in 1h, threshold 70% over at least 5');
  t.ok(s.points < 30 && s.points > 25);
});
