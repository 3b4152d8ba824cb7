import t from 'tap';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkRules } from '../../lib/rules/check.js';
import { compileRulesText, loadRules } from '../../lib/rules/load.js';
import { opts } from './fixtures/helpers.js';

const RULES = `
home_country: CN
timezone: Asia/Shanghai
lists:
  allow: { action: allow, numbers: ['+8613800138000', '+1800*'], files: [allow.txt] }
  deny: { action: reject, numbers: ['+447700900123'], code: 603 }
signals:
  fan-out: { window: 10m }
  burst: { use: rate, window: 90s }
scopes:
  - name: night
    when: { hours: '22:00-06:00', days: [mon-wed] }
    signals: { fan-out: { distinct: 5 } }
`;

t.test('check prints the effective configuration', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'allow.txt': '+442079460000\n+442079460001\n' });
  const file = join(dir, 'rules.yaml');
  const r = await checkRules(file, opts);
  t.equal(r.ok, true);
  t.same(r.issues, []);
  t.match(r.text, /^# Effective rules from .*rules\.yaml/);
  t.match(r.text, /\n {2}allow: # 4 entries\n/, 'list sizes as comments');
  t.match(r.text, /\n {2}deny: # 1 entry\n/);
  const doc = parse(r.text) as Record<string, any>;
  t.equal(doc.timezone, 'Asia/Shanghai');
  t.same(doc.hold, { duration: '1h', extend: true, max: '1d', probe: '0s', probe_backoff: 2, release_talk: '1m' }, 'durations rendered with units (hold.max too, so the output loads back as the same rules)');
  t.same(doc.stats.short_call, '1m');
  t.same(doc.reject, { code: 608, phrase: 'Rejected', reason: '' });
  t.same(doc.signals, {
    'fan-out': { monitor: false, action: 'score', hold: true, probe: true, unless_listed: [], window: '10m', distinct: 10, weight: 35 },
    burst: { use: 'rate', monitor: false, action: 'score', hold: true, probe: true, unless_listed: [], window: '90s', max_calls: 30, weight: 40 },
  });
  t.same(doc.lists.deny, { action: 'reject', numbers: ['+447700900123'], files: [], code: 603, phrase: 'Decline', reason: '', monitor: false, bad_lines: 'fail' });
  t.same(doc.scopes[0].when, { hours: ['22:00-06:00'], days: ['mon', 'tue', 'wed'] });
  t.same(doc.scopes[0].signals['fan-out'].distinct, 5);

  // The output is itself a valid rules file that compiles to the same rules.
  const again = await compileRulesText(r.text, { ...opts, baseDir: dir });
  const orig = await loadRules(file, opts);
  t.same(again.base.signals.map((s) => [s.id, s.cfg]), orig.base.signals.map((s) => [s.id, s.cfg]));
  t.same(again.scopes.map((s) => [s.name, s.signals.map((x) => x.cfg), s.thresholds]), orig.scopes.map((s) => [s.name, s.signals.map((x) => x.cfg), s.thresholds]));
  t.same(again.lists.map((l) => l.size), [4, 1]);
});

t.test('the effective configuration writes every value out, never as a YAML alias', async (t) => {
  // domestic-cli twice, in two scopes: its default array would otherwise come out as &a1 [] ... *a1.
  const dir = t.testdir({
    'rules.yaml': `home_country: CN
signals:
  domestic-cli: {}
  mobile: { use: domestic-cli, weight: 20 }
scopes:
  - name: a
    when: { source: [trunk-a] }
  - name: b
    when: { source: [trunk-b] }
`,
  });
  const r = await checkRules(join(dir, 'rules.yaml'), opts);
  t.equal(r.ok, true);
  t.notMatch(r.text, /[&*]a\d/, 'no anchors or aliases for a reader to chase');
  const doc = parse(r.text) as Record<string, any>;
  t.same(doc.scopes[1].signals.mobile.allow_prefixes, []);
});

t.test('a renamed time zone is shown as written, not as ICU\'s old name', async (t) => {
  // ICU resolves Asia/Kolkata to Asia/Calcutta: the India example's effective configuration said
  // "timezone: Asia/Calcutta". The case is still made canonical.
  for (const [written, shown] of [['Asia/Kolkata', 'Asia/Kolkata'], ['Europe/Kyiv', 'Europe/Kyiv'], ['europe/london', 'Europe/London'], ['utc', 'UTC']] as const) {
    const dir = t.testdir({ 'rules.yaml': `home_country: IN\ntimezone: ${written}\nscopes:\n  - name: night\n    when: { hours: '00:00-06:00' }\n` });
    const r = await checkRules(join(dir, 'rules.yaml'), opts);
    t.equal(r.ok, true, written);
    t.equal((parse(r.text) as Record<string, any>).timezone, shown, `${written} shown as ${shown}`);
    const rules = await loadRules(join(dir, 'rules.yaml'), opts);
    // 00:30 UTC is 06:00 in Kolkata: outside the night scope there; inside it in London and UTC.
    const at = Date.UTC(2025, 2, 3, 0, 30);
    const scope = rules.scopes[0]!.match!({ at, source: undefined, caller: {} as never, callee: {} as never });
    t.equal(scope, written === 'Asia/Kolkata' ? false : true, `${written}: night scope hours read in that zone`);
  }
});

t.test('check --json', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'allow.txt': '+442079460000\n' });
  const r = await checkRules(join(dir, 'rules.yaml'), { ...opts, json: true });
  const out = JSON.parse(r.text);
  t.equal(out.ok, true);
  t.same(out.list_sizes, { allow: 3, deny: 1 });
  t.equal(out.config.signals['fan-out'].window, '10m');
});

t.test('check reports every problem and fails', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nsignals:\n  fan-out: { windw: 10m }\nscopes: [{ nme: a }]\n' });
  const file = join(dir, 'rules.yaml');
  const r = await checkRules(file, opts);
  t.equal(r.ok, false);
  t.equal(r.text, [
    `${file}:3:14: signals.fan-out.windw: unknown key 'windw', did you mean 'window'?`,
    `${file}:4:10: scopes[0].name: missing required key 'name'`,
    `${file}:4:12: scopes[0].nme: unknown key 'nme', did you mean 'name'?`,
    '',
  ].join('\n'));
  t.equal(r.issues.length, 3);
  const j = JSON.parse((await checkRules(file, { ...opts, json: true })).text);
  t.equal(j.ok, false);
  t.same(j.issues[0], { file, line: 3, col: 14, path: 'signals.fan-out.windw', message: "unknown key 'windw', did you mean 'window'?", code: 'RF_RULES_UNKNOWN_KEY' });
});
