import t from 'tap';
import { compileRulesText } from '../../lib/rules/load.js';
import { overlayReject } from '../../lib/rules/compile.js';
import { DEFAULT_PHRASES, GLOBAL_FIELDS, HOLD_FIELDS, LIST_FIELDS, STATS_FIELDS, STATS_MAX_FIELDS, TAG_FIELDS, THRESHOLD_FIELDS } from '../../lib/rules/defaults.js';
import { issuesOf, opts } from './fixtures/helpers.js';

t.test('a minimal file gets every default', async (t) => {
  const r = await compileRulesText('home_country: cn\n', opts);
  t.equal(r.homeCountry, 'CN', 'country codes are case-insensitive');
  t.equal(r.monitor, false);
  t.equal(r.failMode, 'open');
  t.same(r.hold, { duration: 3_600_000, extend: true, max: 86_400_000, probe: 0, probeBackoff: 2, releaseTalk: 60_000 });
  t.same(r.stats, {
    shortCall: 60_000, quickRing: 5000, blockDigits: 4, distinctCap: 64, pendingTtl: 7_200_000, retryWindow: 10_800_000,
    max: { caller: 1_000_000, callee: 1_000_000, pair: 1_000_000, block: 200_000, source: 10_000, pending: 200_000, hold: 100_000 },
  });
  t.same(r.lists, []);
  t.same(r.scopes, []);
  t.same(r.base, {
    name: 'default',
    thresholds: { tag: 40, reject: 100 },
    reject: { code: 608, phrase: 'Rejected' },
    tag: { scoreHeader: 'X-Ringfence-Score', reasonsHeader: 'X-Ringfence-Reasons', displayPrefix: '' },
    monitor: false,
    signals: [],
  });
});

t.test('every field documents itself and its default', async (t) => {
  for (const fields of [GLOBAL_FIELDS, THRESHOLD_FIELDS, TAG_FIELDS, HOLD_FIELDS, STATS_FIELDS, STATS_MAX_FIELDS, LIST_FIELDS]) {
    for (const [k, f] of Object.entries(fields)) t.ok(f.description.length > 10, `${k} has a description`);
  }
  t.equal(GLOBAL_FIELDS.home_country.default, undefined, 'home_country is required');
});

t.test('reject phrase follows the code', async (t) => {
  for (const code of [603, 607, 608] as const) {
    const r = await compileRulesText(`home_country: CN\nreject: { code: ${code} }\n`, opts);
    t.same(r.base.reject, { code, phrase: DEFAULT_PHRASES[code] });
  }
  const r = await compileRulesText("home_country: CN\nreject: { code: 603, phrase: Go away, reason: 'SIP;cause=603' }\n", opts);
  t.same(r.base.reject, { code: 603, phrase: 'Go away', reasonHeader: 'SIP;cause=603' });
});

t.test('partial reject overlays: a new code brings its phrase, other keys inherit', async (t) => {
  const base = { code: 603 as const, phrase: 'Custom', reasonHeader: 'SIP;cause=603' };
  t.same(overlayReject(base, {}), base);
  t.same(overlayReject(base, { code: 607 }), { code: 607, phrase: 'Unwanted', reasonHeader: 'SIP;cause=603' });
  t.same(overlayReject(base, { code: 603 }), base, 'same code keeps the custom phrase');
  t.same(overlayReject(base, { reason: '' }), { code: 603, phrase: 'Custom' }, "reason '' removes the header");
  t.same(overlayReject(base, { phrase: '' }), { code: 603, phrase: 'Decline', reasonHeader: 'SIP;cause=603' });

  const r = await compileRulesText(`
home_country: CN
reject: { code: 603, reason: top }
signals: { fan-out: { action: reject, reject: { code: 607 } } }
scopes:
  - name: s
    reject: { reason: scoped }
`, opts);
  t.same(r.base.signals[0]?.reject, { code: 607, phrase: 'Unwanted', reasonHeader: 'top' });
  t.same(r.scopes[0]?.reject, { code: 603, phrase: 'Decline', reasonHeader: 'scoped' });
  t.same(r.scopes[0]?.signals[0]?.reject, { code: 607, phrase: 'Unwanted', reasonHeader: 'scoped' }, 'a signal reject overlays its scope');
});

t.test('scope overrides are partial', async (t) => {
  const r = await compileRulesText(`
home_country: CN
monitor: false
thresholds: { tag: 30, reject: 90 }
tag: { display_prefix: '[?] ' }
scopes:
  - name: s
    thresholds: { tag: 50 }
    tag: { score_header: X-S }
    monitor: true
  - name: t
`, opts);
  const [s, u] = r.scopes;
  t.same(s?.thresholds, { tag: 50, reject: 90 });
  t.same(s?.tag, { scoreHeader: 'X-S', reasonsHeader: 'X-Ringfence-Reasons', displayPrefix: '[?] ' });
  t.equal(s?.monitor, true);
  t.same(u?.thresholds, { tag: 30, reject: 90 });
  t.equal(u?.monitor, false);
  t.equal(u?.match?.({ at: 0, source: undefined, caller: null as never, callee: null as never }), true, 'no when: matches everything');
});

t.test('a reject threshold of 0 or less is refused, at the top and in scopes', async (t) => {
  const issues = await issuesOf(compileRulesText(`home_country: CN
thresholds: { tag: 10, reject: 0 }
scopes:
  - name: s
    thresholds: { reject: -5 }
`, opts));
  t.same(issues.map((i) => [i.line, i.path, i.message]), [
    [2, 'thresholds.reject', 'must be above 0, got 0: every call starts at score 0, so this would reject calls no signal scored'],
    [5, 'scopes[0].thresholds.reject', 'must be above 0, got -5: every call starts at score 0, so this would reject calls no signal scored'],
  ]);
  const r = await compileRulesText('home_country: CN\nthresholds: { tag: 0.5, reject: 0.5 }\n', opts);
  t.same(r.base.thresholds, { tag: 0.5, reject: 0.5 }, 'any threshold above 0 is taken');
});

t.test('a tag threshold of 0 or less is refused, at the top and in scopes; equal to reject turns tagging off', async (t) => {
  const TAG_ZERO = 'must be above 0, got 0: every call starts at score 0, so this would tag calls no signal scored (to turn tagging off, set tag equal to the reject threshold)';
  const issues = await issuesOf(compileRulesText(`home_country: CN
thresholds: { tag: 0, reject: 100 }
scopes:
  - name: s
    thresholds: { tag: -5 }
  - name: u
    thresholds: { tag: 120, reject: 110 }
`, opts));
  t.same(issues.map((i) => [i.file, i.line, i.col, i.path, i.code, i.message]), [
    ['<rules>', 2, 20, 'thresholds.tag', 'RF_RULES_BAD_VALUE', TAG_ZERO],
    ['<rules>', 5, 24, 'scopes[0].thresholds.tag', 'RF_RULES_BAD_VALUE', TAG_ZERO.replace('got 0', 'got -5')],
    ['<rules>', 7, 5, 'scopes[1].thresholds', 'RF_RULES_CONFLICT', 'tag threshold 120 is above reject threshold 110, so no call would ever be tagged (to turn tagging off, set tag equal to reject)'],
  ]);
  // A scope's own reject under the inherited tag is the same conflict.
  const inherited = await issuesOf(compileRulesText('home_country: CN\nthresholds: { tag: 40, reject: 100 }\nscopes: [{ name: s, thresholds: { reject: 30 } }]\n', opts));
  t.same(inherited.map((i) => [i.path, i.code]), [['scopes[0].thresholds', 'RF_RULES_CONFLICT']]);
  const off = await compileRulesText('home_country: CN\nthresholds: { tag: 100, reject: 100 }\nscopes: [{ name: s, thresholds: { tag: 80, reject: 80 } }]\n', opts);
  t.same([off.base.thresholds, off.scopes[0]?.thresholds], [{ tag: 100, reject: 100 }, { tag: 80, reject: 80 }], 'tag equal to reject is taken: no call is tagged');
});

t.test('signal shorthands: true, false, empty', async (t) => {
  const r = await compileRulesText('home_country: CN\nsignals:\n  fan-out:\n  unanswered: true\n  short-calls: false\n', opts);
  t.same(r.base.signals.map((s) => s.id), ['fan-out', 'unanswered']);
  const s = await compileRulesText('home_country: CN\nsignals: { fan-out: {} }\nscopes: [{ name: a, signals: { fan-out: false } }]\n', opts);
  t.same(s.scopes[0]?.signals, [], 'a scope can switch a signal off');
});

t.test('YAML anchors and merge keys work for repeated blocks', async (t) => {
  const r = await compileRulesText(`
home_country: CN
signals:
  fan-out: &fo { window: 5m, distinct: 4 }
  wide: { <<: *fo, use: fan-out, distinct: 40 }
`, opts);
  t.same(r.base.signals.map((s) => [s.id, s.cfg]), [
    ['fan-out', { window: 300_000, distinct: 4, weight: 35 }],
    ['wide', { window: 300_000, distinct: 40, weight: 35 }],
  ]);
});

t.test('docs/rules.md documents every key of defaults.ts with its default', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const { SCOPE_FIELDS, SIGNAL_FIELDS } = await import('../../lib/rules/defaults.js');
  const { WHEN_FIELDS } = await import('../../lib/rules/when.js');
  const { parseDuration } = await import('../../lib/rules/fields.js');
  const doc = await readFile(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  // Table rows: first cell lists the key(s) in backticks, second cell the default.
  const rows = doc.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('|').map((c) => c.trim()));
  const sections: [string, Record<string, { default: unknown; kind: string }>][] = [
    ['', GLOBAL_FIELDS], ['', THRESHOLD_FIELDS], ['', TAG_FIELDS], ['', HOLD_FIELDS], ['', STATS_FIELDS], ['max.', STATS_MAX_FIELDS],
    ['', LIST_FIELDS], ['', SIGNAL_FIELDS], ['', SCOPE_FIELDS], ['', WHEN_FIELDS],
  ];
  for (const [prefix, fields] of sections) {
    for (const [k, f] of Object.entries(fields)) {
      const mine = rows.filter((r) => (r[1] ?? '').split(',').map((c) => c.trim()).includes(`\`${prefix}${k}\``));
      t.ok(mine.length > 0, `${prefix}${k} has a row`);
      if (f.default === undefined || (Array.isArray(f.default) && f.default.length === 0) || f.default === '') continue;
      const documented = mine.some((r) => {
        const cell = (r[2] ?? '').replace(/`/g, '');
        if (f.kind === 'duration') {
          const d = parseDuration(cell);
          return d.ok && d.value === f.default;
        }
        return cell === String(f.default);
      });
      t.ok(documented, `${prefix}${k} documents its default ${String(f.default)}`);
    }
  }
});
