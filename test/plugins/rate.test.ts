import t from 'tap';
import plugin from '../../plugins/rate.js';
import { ASCII, HOUR, MIN, NOW, defaults, fakeContext, undeclaredReads, type FakeInit } from '../helpers/fake-context.js';

const W = 10 * MIN;
const H = 24 * HOUR;
const cfg = defaults(plugin);
// Each test alone, so the max() combination does not hide which one spoke.
const absOnly = defaults(plugin, { history_factor: 0, population_factor: 0 });
const histOnly = defaults(plugin, { max_calls: 0, population_factor: 0 });
const popOnly = defaults(plugin, { max_calls: 0, history_factor: 0 });

const ctx = (attempts: number, o: { history?: number; firstSeen?: number; p99?: number; callers?: number } = {}, extra: FakeInit = {}) =>
  fakeContext({
    stats: {
      caller: {
        counts: { attempts: { [W]: attempts, [H]: o.history ?? attempts } },
        ...(o.firstSeen !== undefined ? { firstSeen: o.firstSeen } : {}),
      },
    },
    population: { quantile: { 0.99: o.p99 ?? 0 }, callers: o.callers ?? 1000 },
    ...extra,
  });

t.test('defaults', async (t) => {
  t.same(
    { window: cfg.window, min_calls: cfg.min_calls, max_calls: cfg.max_calls, history: cfg.history, history_factor: cfg.history_factor },
    { window: W, min_calls: 5, max_calls: 30, history: H, history_factor: 10 },
  );
});

t.test('absolute test', async (t) => {
  t.equal(plugin.score(ctx(29), absOnly), null);
  t.equal(plugin.score(ctx(30), absOnly)!.points, 20);
  t.equal(plugin.score(ctx(60), absOnly)!.points, 40);
  const s = plugin.score(ctx(42), absOnly)!;
  t.equal(s.detail, '42 attempts in 10m (threshold 30)');
  t.match(s.detail, ASCII);
});

t.test('history test: a burst against its own usual rate', async (t) => {
  // 144 attempts a day is 1 per 10m; 10 in 10m is 10x.
  t.equal(plugin.score(ctx(9, { history: 144 + 9 }), histOnly), null);
  const at = plugin.score(ctx(10, { history: 144 }), histOnly)!;
  t.equal(at.points, 15);
  t.equal(at.detail, "10 attempts in 10m is 10x this caller's own rate over 1d (144 attempts; threshold 10x)");
  t.equal(plugin.score(ctx(40, { history: 144 }), histOnly)!.points, 30);
});

t.test('history test: min_calls, and no judgement without history', async (t) => {
  t.equal(plugin.score(ctx(4, { history: 4 }), histOnly), null, 'fewer than min_calls');
  t.equal(plugin.score(ctx(50, { firstSeen: NaN }), histOnly), null, 'never seen before');
  t.equal(plugin.score(ctx(50, { firstSeen: NOW - 5 * MIN }), histOnly), null, 'younger than the window');
});

t.test('history test: a caller younger than the history window is measured over its lifetime', async (t) => {
  // Known for 2h with 32 attempts in all, 20 of them just now: 7.5x its lifetime rate,
  // where dividing by the full 24h would have said 90x.
  const c = defaults(plugin, { max_calls: 0, population_factor: 0, history_factor: 5 });
  const s = plugin.score(ctx(20, { history: 32, firstSeen: NOW - 2 * HOUR }), c)!;
  t.equal(s.detail, "20 attempts in 10m is 7.5x this caller's own rate since first seen 2h00m ago (32 attempts; threshold 5x)");
  t.equal(plugin.score(ctx(20, { history: 32, firstSeen: NOW - 2 * HOUR }), histOnly), null);
});

t.test('population test', async (t) => {
  t.equal(plugin.score(ctx(29, { p99: 3 }), popOnly), null, 'under 10x the p99');
  const s = plugin.score(ctx(30, { p99: 3 }), popOnly)!;
  t.equal(s.points, 15);
  t.equal(s.detail, '30 attempts in 10m is 10x the p99 of all callers (3 attempts; threshold 10x)');
  t.equal(plugin.score(ctx(60, { p99: 3 }), popOnly)!.points, 30);
  t.equal(plugin.score(ctx(4, { p99: 0.2 }), popOnly), null, 'min_calls guards a quiet population');
  t.equal(plugin.score(ctx(50, { p99: 3, callers: 20 }), popOnly), null, 'too few callers for a baseline');
  t.equal(plugin.score(ctx(50, { p99: 0 }), popOnly), null, 'no baseline');
});

t.test('combined: the strongest test speaks', async (t) => {
  // 45 attempts: absolute 40*0.75 = 30; history (all new today) 144x -> 30; population 15x -> 22.5
  const s = plugin.score(ctx(45, { history: 45 + 144, p99: 3 }), cfg)!;
  t.equal(s.points, 30);
  t.equal(s.detail, '45 attempts in 10m (threshold 30)', 'ties go to the first test');
  const p = plugin.score(ctx(25, { history: 25 + 1000, p99: 1 }), cfg)!;
  t.match(p.detail, /p99/, 'only the population test fires');
  t.equal(plugin.score(ctx(3, { p99: 0.1 }), cfg), null);
});

t.test('needs the caller table over the window and the history window', async (t) => {
  t.same(plugin.needs!(cfg), [
    { table: 'caller', window: W },
    { table: 'caller', window: H },
  ]);
  const x = ctx(45, { history: 100, p99: 3 });
  plugin.score(x, cfg);
  t.same(undeclaredReads(plugin, cfg, x), []);
});
