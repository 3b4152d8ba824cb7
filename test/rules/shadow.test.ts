/**
 * Scopes an earlier scope takes calls from (the first scope that matches
 * decides): warned about when the rules load, never an error.
 */
import t from 'tap';
import { compileRulesText } from '../../lib/rules/load.js';
import { shadowedScopes } from '../../lib/rules/shadow.js';
import { loadRulesDetailed } from '../../lib/rules/load.js';
import { opts } from './fixtures/helpers.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

t.test('a later scope taken always, at some hours, or not at all', async (t) => {
  t.same(shadowedScopes([{ hours: ['00:00-06:00'] }, { hours: ['22:00-02:00'] }]), [{ index: 1, by: 0, full: false, when: '00:00-02:00' }], 'the night before the late night');
  t.same(shadowedScopes([{ source: ['a', 'b'] }, { source: ['a'], hours: ['01:00-05:00'] }]), [{ index: 1, by: 0, full: true, when: '' }], 'every call of the later one');
  t.same(shadowedScopes([{ caller_prefix: ['+44'] }, { caller_prefix: ['+447', '+4420'] }]), [{ index: 1, by: 0, full: true, when: '' }], 'prefixes by their starts');
  t.same(shadowedScopes([{}, { source: ['a'] }]), [{ index: 1, by: 0, full: true, when: '' }], 'a scope with no when matches everything');
  t.same(shadowedScopes([{ hours: ['00:00-06:00'], days: ['sat', 'sun'] }, { hours: ['01:00-02:00'] }]), [{ index: 1, by: 0, full: false, when: 'at some hours of some days' }], 'days differ: said so');
  t.same(shadowedScopes([{ source: ['a'] }, { source: ['b'] }]), [], 'other sources');
  t.same(shadowedScopes([{ source: ['a'] }, { hours: ['00:00-06:00'] }]), [], 'the earlier one asks for a source the later one does not');
  t.same(shadowedScopes([{ caller_prefix: ['+447'] }, { caller_prefix: ['+44'] }]), [], 'a narrower prefix first: the later one still gets the rest');
  t.same(shadowedScopes([{ hours: ['00:00-06:00'] }, { hours: ['06:00-12:00'] }]), [], 'hours that meet but do not overlap');
  t.same(shadowedScopes([{ source: ['198.51.100.0/24'] }, { source: ['198.51.100.7'] }]), [], 'a network holding an address is not worked out (no false warning)');
});

t.test('check and the loader say it, with the scope\'s line, as a warning', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'r.yaml');
  writeFileSync(file, `home_country: CN
signals: { fan-out: {} }
scopes:
  - name: night
    when: { hours: ['00:00-06:00'] }
    thresholds: { reject: 90 }
  - name: late-night
    when: { hours: ['22:00-02:00'] }
    thresholds: { reject: 80 }
  - name: grey
    when: { source: [trunk-a] }
  - name: grey-nights
    when: { source: [trunk-a], hours: ['01:00-05:00'] }
`);
  const { meta } = await loadRulesDetailed(file);
  t.same(meta.warnings.map((w) => [w.line, w.path, w.code]), [
    [7, 'scopes[1]', 'RF_RULES_SCOPE_SHADOWED'],
    [10, 'scopes[2]', 'RF_RULES_SCOPE_SHADOWED'],
    [12, 'scopes[3]', 'RF_RULES_SCOPE_SHADOWED'],
  ]);
  t.match(meta.warnings[0]?.message, /^scope 'late-night' does not apply 00:00-02:00: scope 'night' before it takes those calls/);
  t.match(meta.warnings[2]?.message, /^scope 'grey-nights' never applies: every call it matches, scope 'night' before it matches too/);
  const clean = await compileRulesText("home_country: CN\nsignals: { fan-out: {} }\nscopes:\n  - { name: a, when: { source: [x] } }\n  - { name: b, when: { hours: ['00:00-06:00'] } }\n", opts);
  t.ok(clean, 'rules with scopes that do not overlap load');
});
