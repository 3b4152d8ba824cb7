/**
 * A distinct-count threshold above stats.distinct_cap can never be reached:
 * the sets stop counting at the cap. The file loads, with a warning naming
 * the field.
 */
import t from 'tap';
import { join } from 'node:path';
import { checkRules } from '../../lib/rules/check.js';
import { loadRulesDetailed } from '../../lib/rules/load.js';

t.test('a distinct threshold above distinct_cap: loads, with RF_RULES_NEVER_REACHED on that field', async (t) => {
  const dir = t.testdir({
    'rules.yaml': [
      'home_country: CN',
      'stats: { distinct_cap: 64 }',
      'signals:',
      '  fan-in: { window: 10m, distinct: 100 }',
      '  fan-out: { distinct: 64 }',
      '  block-unanswered: { use: unanswered, of: block, min_distinct: 80 }',
      'scopes:',
      '  - { name: night, when: { hours: \'00:00-06:00\' } }',
      '  - { name: grey, when: { source: [trunk-grey] } }',
      '',
    ].join('\n'),
  });
  const { meta } = await loadRulesDetailed(join(dir, 'rules.yaml'));
  t.same(meta.warnings.filter((w) => w.code === 'RF_RULES_NEVER_REACHED').map((w) => [w.code, w.line, w.path]), [
    ['RF_RULES_NEVER_REACHED', 4, 'signals.fan-in.distinct'],
    ['RF_RULES_NEVER_REACHED', 6, 'signals.block-unanswered.min_distinct'],
  ], 'at the cap is reachable; above it is not; once each, whatever the scopes');
  t.match(meta.warnings[0]?.message, /distinct 100 is above stats\.distinct_cap \(64\): distinct counts stop there, so this threshold is never reached/);
  const c = await checkRules(join(dir, 'rules.yaml'));
  t.equal(c.ok, true, 'a warning, not an error');
  t.match(c.text, /^# warning: .*rules\.yaml:4:\d+: signals\.fan-in\.distinct: distinct 100 is above/m);
});
