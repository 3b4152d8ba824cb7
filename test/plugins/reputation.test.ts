import t from 'tap';
import plugin from '../../plugins/reputation.js';
import { builtinPlugins } from '../../plugins/index.js';
import { ASCII, HOUR, MIN, defaults, fakeContext, undeclaredReads, type FakeContext } from '../helpers/fake-context.js';

const D = 24 * HOUR;
const cfg = defaults(plugin); // 24h, 10 answered, 50%, mean talk 1m, weight -30
const ctx = (answered: number, failed: number, talkSeconds: number) =>
  fakeContext({ stats: { caller: { counts: { answered: { [D]: answered }, failed: { [D]: failed }, talk: { [D]: talkSeconds } } } } });

t.test('no record, or a poor one, says nothing', async (t) => {
  t.equal(plugin.score(ctx(9, 0, 9 * 600), cfg), null, 'too few answered');
  t.equal(plugin.score(ctx(20, 30, 20 * 600), cfg), null, 'mostly unanswered');
  t.equal(plugin.score(ctx(50, 0, 50 * 15), cfg), null, 'answered but hung up on at once (robocall)');
});

t.test('just past the thresholds earns half, a strong record all of it', async (t) => {
  t.equal(plugin.score(ctx(10, 10, 600), cfg)!.points, -15);
  t.equal(plugin.score(ctx(40, 0, 40 * 180), cfg)!.points, -30);
});

t.test('detail names the record and the thresholds', async (t) => {
  const s = plugin.score(ctx(120, 30, 120 * 192), cfg)!;
  t.equal(s.detail, 'good record: 120 of 150 calls answered (80%) in 1d, mean talk 3m12s (thresholds 10 answered, 50%, mean talk 1m)');
  t.match(s.detail, ASCII);
});

t.test('needs the caller table over its window', async (t) => {
  t.same(plugin.needs!(cfg), [{ table: 'caller', window: D }]);
  const x = ctx(40, 0, 40 * 180);
  plugin.score(x, cfg);
  t.same(undeclaredReads(plugin, cfg, x), []);
});

t.test('hard case: an airline rebooking passengers is not mistaken for a robocaller', async (t) => {
  // 40 passengers in 10 minutes, most answer and talk for minutes.
  const x: FakeContext = fakeContext({
    stats: {
      caller: {
        counts: {
          attempts: { [10 * MIN]: 40, [D]: 400 },
          answered: { [HOUR]: 150, [D]: 300 },
          failed: { [HOUR]: 50, [D]: 80 },
          short: { [HOUR]: 10 },
          talk: { [D]: 300 * 240 },
        },
        distinct: { [10 * MIN]: 40, [HOUR]: 200 },
      },
    },
    population: { quantile: { 0.99: 8 }, callers: 5000 },
  });
  let total = 0;
  const fired: Record<string, number> = {};
  for (const p of builtinPlugins) {
    const s = p.score(x, defaults(p));
    if (s) {
      fired[p.name] = s.points;
      total += s.points;
    }
  }
  t.ok(fired['fan-out']! > 0, 'fan-out sees the many callees');
  t.ok(fired['reputation']! < 0, 'reputation earns negative points');
  t.notOk(fired['unanswered'] ?? fired['short-calls'] ?? fired['wangiri'], 'no behaviour signal fires');
  t.ok(total < 40, `total ${Math.round(total * 10) / 10} (${JSON.stringify(fired)}) stays below a typical tag threshold of 40`);
});
