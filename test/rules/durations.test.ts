import t from 'tap';
import { compileRulesText } from '../../lib/rules/load.js';
import { duration, formatDuration, parseDuration } from '../../lib/rules/fields.js';
import { issuesOf, opts } from './fixtures/helpers.js';

t.test('duration syntax', async (t) => {
  const cases: [unknown, number][] = [['500ms', 500], ['90s', 90_000], ['10m', 600_000], ['24h', 86_400_000], ['1d', 86_400_000], ['1.5h', 5_400_000], [' 5 s ', 5000], [30, 30_000], [0, 0], ['0s', 0]];
  for (const [v, ms] of cases) t.same(parseDuration(v), { ok: true, value: ms }, String(v));
  for (const v of ['10', '10 minutes', '-5s', 'm', '', null, true, -1, Infinity]) t.equal(parseDuration(v).ok, false, String(v));
});

t.test('a duration written the way people write it suggests the form this format reads', async (t) => {
  const cases: [string, string][] = [['10 min', '10m'], ['10mins', '10m'], ['10M', '10m'], ['1 hour', '1h'], ['2 days', '2d'], ['30 sec', '30s'], ['1.5 hours', '1.5h'], ['1h30m', '90m'], ['1h 30min', '90m'], ['2m30s', '150s'], ['500 msec', '500ms']];
  for (const [v, hint] of cases) {
    const r = parseDuration(v);
    t.same(r, { ok: false, error: `expected a duration like 90s, 10m, 24h; got '${v}' (did you mean '${hint}'?)` }, v);
  }
  for (const v of ['10', 'ten minutes', '10 fortnights', '10m later', '-5s', '']) {
    const r = parseDuration(v);
    t.equal(r.ok, false, v);
    t.notMatch(r.ok ? '' : r.error, /did you mean/, `${v}: no guess`);
  }
});

t.test('formatDuration picks the largest exact unit', async (t) => {
  t.equal(formatDuration(600_000), '10m');
  t.equal(formatDuration(90_000), '90s');
  t.equal(formatDuration(86_400_000), '1d');
  t.equal(formatDuration(1500), '1500ms');
  t.equal(formatDuration(0), '0s', 'as the docs write a duration that is off');
});

t.test('min / max bounds', async (t) => {
  const f = duration({ min: '1s', max: '1d' });
  t.same(f.parse('500ms'), { ok: false, error: 'must be at least 1s' });
  t.same(f.parse('2d'), { ok: false, error: 'must be at most 1d' });
  t.same(f.parse('1d'), { ok: true, value: 86_400_000 });
});

t.test('durations in the file', async (t) => {
  const r = await compileRulesText(`
home_country: CN
hold: { duration: 0 }
stats: { short_call: 45, quick_ring: 2500ms, pending_ttl: 1d }
signals: { fan-out: { window: 1.5m } }
`, opts);
  t.equal(r.hold.duration, 0, 'hold 0 disables holds');
  t.equal(r.stats.shortCall, 45_000, 'a bare number is seconds');
  t.equal(r.stats.quickRing, 2500);
  t.equal(r.stats.pendingTtl, 86_400_000);
  t.equal(r.base.signals[0]?.cfg.window, 90_000);

  const issues = await issuesOf(compileRulesText('home_country: CN\nhold: { duration: 1 hour }\nstats: { pending_ttl: 0 }\n', opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.message]), [
    [2, 19, 'hold.duration', "expected a duration like 90s, 10m, 24h; got '1 hour' (did you mean '1h'?)"],
    [3, 23, 'stats.pending_ttl', 'must be at least 1s'],
  ]);
});

t.test('a duration too long for any setting is an error, not Infinity', async (t) => {
  t.same(parseDuration('366d'), { ok: true, value: 366 * 86_400_000 }, 'a year and a day is the most');
  for (const v of [1e308, `${'9'.repeat(400)}h`, '367d', 31_622_401]) {
    const r = parseDuration(v);
    t.equal(r.ok, false, String(v).slice(0, 20));
    t.match(r.ok ? '' : r.error, /longer than any setting takes \(at most 366d\)/);
  }
  // 1e308 seconds was Infinity ms: every hold ended at an invalid date and /holds answered 500.
  const issues = await issuesOf(compileRulesText('home_country: CN\nhold: { duration: 1e308, max: 999999999999999h }\nsignals: { fan-out: { window: 400d } }\n', opts));
  t.same(issues.map((i) => i.path), ['hold.duration', 'hold.max', 'signals.fan-out.window']);
});
