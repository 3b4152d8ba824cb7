import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeChanges, restartChanges, rulesChanges } from '../../lib/rules/changes.js';
import { compileRulesText, loadRulesDetailed } from '../../lib/rules/load.js';
import { opts } from './fixtures/helpers.js';

const RULES = 'home_country: CN\nlists: { deny: { action: reject, files: [deny.txt] } }\nsignals: { fan-out: {} }\n';

t.test('the fingerprint covers the rules text and the list files\' contents', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'deny.txt': '+447700900001\n' });
  const file = join(dir, 'rules.yaml');
  const fp = async (): Promise<string> => (await loadRulesDetailed(file, opts)).meta.fingerprint;
  const first = await fp();
  t.match(first, /^[0-9a-f]{12}$/, '12 hex digits');
  t.equal(await fp(), first, 'the same files give the same fingerprint');

  await writeFile(join(dir, 'deny.txt'), '+447700900001\n+447700900002\n');
  const listChanged = await fp();
  t.not(listChanged, first, 'a list file edit changes it (the rules text did not change)');

  await writeFile(file, RULES + 'monitor: true\n');
  const rulesChanged = await fp();
  t.not(rulesChanged, listChanged, 'a rules file edit changes it');
  t.not(rulesChanged, first);

  await writeFile(file, RULES);
  await writeFile(join(dir, 'deny.txt'), '+447700900001\n');
  t.equal(await fp(), first, 'back to the first files: back to the first fingerprint');
});

t.test('reload changes: only the settings that differ', async (t) => {
  const a = await compileRulesText('home_country: CN\nsignals: { fan-out: {}, unanswered: {} }\nlists: { x: { action: allow } }\n', opts);
  const same = await compileRulesText('home_country: CN\nsignals: { fan-out: { distinct: 3 }, unanswered: {} }\nlists: { x: { action: allow } }\n', opts);
  t.same(rulesChanges(a, same), {}, 'a signal setting is not one of them');
  t.equal(describeChanges({}), "home_country, monitor, the thresholds (top level and each scope's), the number of scopes, signals and lists unchanged; any other edit (signal settings, list entries, hold) is in force");

  const b = await compileRulesText('home_country: GB\nmonitor: true\nthresholds: { reject: 80 }\nsignals: { fan-out: {} }\nlists: { x: { action: allow }, y: { action: allow } }\n', opts);
  const c = rulesChanges(a, b);
  t.same(c, {
    home_country: { from: 'CN', to: 'GB' },
    monitor: { from: false, to: true },
    threshold_reject: { from: 100, to: 80 },
    signals: { from: 2, to: 1 },
    lists: { from: 1, to: 2 },
  }, 'thresholds.tag (40 in both) is left out');
  t.equal(describeChanges(c), 'home_country CN → GB, monitor false → true, thresholds.reject 100 → 80, signals 2 → 1, lists 1 → 2');
  const d = await compileRulesText('home_country: CN\nthresholds: { tag: 30 }\nsignals: { fan-out: {}, unanswered: {} }\nlists: { x: { action: allow } }\n', opts);
  t.equal(describeChanges(rulesChanges(a, d)), 'thresholds.tag 40 → 30');

  // A scope's thresholds: an engineer tightening the night scope sees it said.
  const night = (reject: number, more = ''): Promise<Awaited<ReturnType<typeof compileRulesText>>> =>
    compileRulesText(`home_country: CN\nsignals: { fan-out: {} }\nscopes:\n  - { name: night, when: { hours: '00:00-06:00' }, thresholds: { tag: 35, reject: ${reject} } }\n${more}`, opts);
  const n1 = await night(90);
  t.equal(describeChanges(rulesChanges(n1, await night(60))), 'scopes.night.thresholds.reject 90 → 60');
  const n3 = await night(90, "  - { name: grey, when: { source: [198.51.100.0/24] }, thresholds: { reject: 70 } }\n");
  t.equal(describeChanges(rulesChanges(n1, n3)), 'scopes 1 → 2');
});

t.test('reload changes a running engine cannot apply are named: table limits, distinct cap, block length', async (t) => {
  const a = await compileRulesText('home_country: CN\nsignals: { fan-out: {} }\n', opts);
  t.same(restartChanges(a, a, a), [], 'nothing changed');
  const b = await compileRulesText('home_country: CN\nstats: { max: { caller: 5000 }, distinct_cap: 8, block_digits: 5 }\nsignals: { fan-out: {} }\n', opts);
  t.same(restartChanges(a, a, b), [
    `stats.max.caller 5000 takes effect at the next restart (${a.stats.max.caller} until then)`,
    `stats.distinct_cap 8 takes effect at the next restart (${a.stats.distinctCap} until then)`,
    `stats.block_digits ${a.stats.blockDigits} → 5: number blocks are keyed afresh, their evidence starts empty`,
  ]);
  // A second reload that keeps b's limits: the engine still runs a's, so it says so again; block_digits is applied.
  t.same(restartChanges(a, b, b), [
    `stats.max.caller 5000 takes effect at the next restart (${a.stats.max.caller} until then)`,
    `stats.distinct_cap 8 takes effect at the next restart (${a.stats.distinctCap} until then)`,
  ]);
  // Back to the start-up limits: nothing pending (block_digits changes back, afresh again).
  t.same(restartChanges(a, b, a), [`stats.block_digits 5 → ${a.stats.blockDigits}: number blocks are keyed afresh, their evidence starts empty`]);
  const c = await compileRulesText('home_country: CN\nthresholds: { reject: 80 }\nsignals: { fan-out: { distinct: 3 } }\n', opts);
  t.same(restartChanges(a, a, c), [], 'thresholds and signal settings apply at once');
});
