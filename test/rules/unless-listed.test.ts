import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../lib/engine/engine.js';
import { effectiveConfig } from '../../lib/rules/check.js';
import { compileRulesText, loadRules, loadRulesDetailed } from '../../lib/rules/load.js';
import { issuesOf } from './fixtures/helpers.js';

// Home subscribers registered abroad (an HLR/HSS export) are exempt from the home-CLI rule; everyone else with a +86 mobile is rejected.
const RULES = `
home_country: CN
lists:
  roaming: { action: score, points: 0, files: [roaming.txt] }
  watch: { action: score, points: 0, numbers: ['+8613700137000'], monitor: true }
signals:
  domestic-cli: { weight: 100, mobile_weight: 100, action: reject, unless_listed: [roaming, watch] }
scopes:
  - name: strict-trunk
    when: { source: [trunk-strict] }
    signals:
      domestic-cli: { unless_listed: [] }
`;

const ROAMER = '+8613800138000';
const OTHER = '+8613900139000';

function call(e: Engine, caller: string, at: number, source = 'trunk-a') {
  return e.decide({ callId: `${caller}-${at}`, at, caller, callee: '+8613500135000', source });
}

t.test('a caller on an unless_listed list is not scored by that signal', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'roaming.txt': `# registered abroad\n${ROAMER}\n` });
  const e = new Engine(await loadRules(join(dir, 'rules.yaml')));
  const roamer = call(e, ROAMER, 1e12);
  t.equal(roamer.action, 'forward');
  t.same(roamer.reasons.map((r) => r.signal), ['list:roaming'], 'the list hit says why the home-CLI rule did not fire');
  const other = call(e, OTHER, 1e12 + 1);
  t.equal(other.action, 'reject');
  t.equal(other.code, 608);
  t.same(other.reasons.map((r) => r.signal), ['domestic-cli']);
  t.equal(call(e, '+8613800138000', 1e12 + 2, 'trunk-strict').action, 'reject', 'a scope can take the exemption away');
});

t.test('a list in monitor mode exempts nobody', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'roaming.txt': '' });
  const e = new Engine(await loadRules(join(dir, 'rules.yaml')));
  const d = call(e, '+8613700137000', 1e12);
  t.equal(d.action, 'reject');
  t.same(d.reasons.map((r) => r.signal), ['list:watch', 'domestic-cli']);
});

t.test('a new export takes effect on reload', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'roaming.txt': `${ROAMER}\n` });
  const file = join(dir, 'rules.yaml');
  const e = new Engine(await loadRules(file));
  t.equal(call(e, OTHER, 1e12).action, 'reject');
  t.equal(call(e, ROAMER, 1e12 + 1).action, 'forward');
  writeFileSync(join(dir, 'roaming.txt'), `${OTHER}\n`);
  e.reload(await loadRules(file));
  t.equal(call(e, OTHER, 1e12 + 2).action, 'forward', 'now registered abroad');
  t.equal(call(e, ROAMER, 1e12 + 3).action, 'reject', 'back home: its number from abroad is spoofed');
});

t.test('an unknown list name is an error at the entry, with a suggestion', async (t) => {
  const issues = await issuesOf(
    compileRulesText(
      'home_country: CN\nlists:\n  roaming: { action: score, points: 0, numbers: [] }\nsignals:\n  domestic-cli: { unless_listed: [roamng, partners] }\n',
    ),
  );
  t.same(issues.map((i) => [i.line, i.col, i.path, i.code]), [
    [5, 35, 'signals.domestic-cli.unless_listed[0]', 'RF_RULES_UNKNOWN_LIST'],
    [5, 43, 'signals.domestic-cli.unless_listed[1]', 'RF_RULES_UNKNOWN_LIST'],
  ]);
  t.match(issues[0]?.message, /no list named 'roamng' in lists, did you mean 'roaming'\?/);
  t.match(issues[1]?.message, /no list named 'partners' in lists \(lists: roaming\)/);
  const none = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  domestic-cli: { unless_listed: roaming }\n'));
  t.same(none.map((i) => [i.line, i.path, i.code]), [[3, 'signals.domestic-cli.unless_listed', 'RF_RULES_UNKNOWN_LIST']], 'a single name without brackets');
  t.match(none[0]?.message, /this file defines no lists/);
});

t.test('check shows unless_listed by name, and its output loads again', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'roaming.txt': `${ROAMER}\n` });
  const { rules, meta } = await loadRulesDetailed(join(dir, 'rules.yaml'));
  const eff = effectiveConfig(rules, meta) as { signals: Record<string, { unless_listed?: string[] }>; scopes: { signals: Record<string, { unless_listed?: string[] }> }[] };
  t.same(eff.signals['domestic-cli']?.unless_listed, ['roaming', 'watch']);
  t.same(eff.scopes[0]?.signals['domestic-cli']?.unless_listed, [], 'the scope runs it without exemptions');
  const again = await compileRulesText(JSON.stringify(eff), { file: 'effective.yaml', baseDir: dir });
  t.same(again.base.signals[0]?.unless, [0, 1]);
  t.equal(again.scopes[0]?.signals[0]?.unless, undefined, "the scope's [] survives the round trip");
});

t.test('a list with errors of its own is no unknown list: one error, not two', async (t) => {
  const issues = await issuesOf(
    compileRulesText("home_country: CN\nlists:\n  roaming: { action: allowed, numbers: ['+8613800138000'] }\nsignals:\n  domestic-cli: { unless_listed: [roaming] }\n"),
  );
  t.same(issues.map((i) => [i.path, i.code]), [['lists.roaming.action', 'RF_RULES_BAD_VALUE']]);
});
