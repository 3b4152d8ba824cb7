/**
 * A rules file that loads but screens nothing (no signal, no list in force)
 * is legal, and says so: a warning in `check` and in the load result, which
 * `serve` logs at start and on reload.
 */
import t from 'tap';
import { join } from 'node:path';
import { checkRules } from '../../lib/rules/check.js';
import { loadRulesDetailed } from '../../lib/rules/load.js';
import { opts } from './fixtures/helpers.js';

t.test('no signals and no lists: loads, with RF_RULES_SCREENS_NOTHING', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'version: 1\nhome_country: CN\n' });
  const { rules, meta } = await loadRulesDetailed(join(dir, 'rules.yaml'), opts);
  t.equal(rules.base.signals.length, 0);
  t.same(meta.warnings.map((w) => [w.code, w.line, w.message]), [['RF_RULES_SCREENS_NOTHING', 1, 'no signal and no list that can tag or reject is in force: every call is forwarded unscreened']]);
  const c = await checkRules(join(dir, 'rules.yaml'), opts);
  t.equal(c.ok, true, 'a warning, not an error');
  t.match(c.text, /^# warning: .*rules\.yaml:1:1: no signal and no list that can tag or reject is in force/m);
});

t.test('only allow lists, or only empty lists: screens nothing too', async (t) => {
  const dir = t.testdir({
    'allow.yaml': 'home_country: CN\nlists: { vip: { action: allow, numbers: ["+447700900001"] } }\n',
    'empty.yaml': 'home_country: CN\nlists: { feed: { action: score, points: 20 } }\n',
  });
  for (const f of ['allow.yaml', 'empty.yaml']) {
    const { meta } = await loadRulesDetailed(join(dir, f), opts);
    t.same(meta.warnings.map((w) => w.code), ['RF_RULES_SCREENS_NOTHING'], f);
  }
});

t.test('one signal, one list, or one scope with a signal: no warning', async (t) => {
  const texts = [
    'home_country: CN\nsignals: { fan-out: {} }\n',
    'home_country: CN\nlists: { bad: { action: reject, numbers: ["+88299*"] } }\n',
    'home_country: CN\nscopes:\n  - name: night\n    when: { hours: "00:00-06:00" }\n    signals: { fan-out: {} }\n',
  ];
  const dir = t.testdir(Object.fromEntries(texts.map((x, i) => [`r${i}.yaml`, x])));
  for (let i = 0; i < texts.length; i++) {
    const { meta } = await loadRulesDetailed(join(dir, `r${i}.yaml`), opts);
    t.same(meta.warnings, [], texts[i] as string);
  }
});
