/**
 * hold.reject: how a call rejected on its caller's hold is answered, so a
 * trace tells a hold from a fresh decision. Over each scope's reject; absent,
 * holds answer as the points do.
 */
import t from 'tap';
import { join } from 'node:path';
import { Engine } from '../../lib/engine/engine.js';
import { checkRules } from '../../lib/rules/check.js';
import { loadRules } from '../../lib/rules/load.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const MIN = 60_000;
const RULES = [
  'home_country: CN',
  "reject: { code: 608, reason: 'SIP;cause=608;text=\"Rejected by call screening\"' }",
  "hold: { duration: 1h, reject: { code: 603, reason: 'SIP;cause=603;text=\"Caller on hold after an earlier reject\"' } }",
  'signals:',
  '  rate: { window: 10m, max_calls: 3, max_weight: 200, history_factor: 0, population_factor: 0 }',
  'scopes:',
  "  - { name: grey, when: { source: [trunk-grey] }, reject: { code: 607 } }",
  '',
].join('\n');

t.test('a held caller is answered with hold.reject; the reject that set the hold with the usual answer', async (t) => {
  const dir = t.testdir({ 'rules.yaml': RULES, 'plain.yaml': RULES.replace(/hold: .*\n/, 'hold: { duration: 1h }\n') });
  const e = new Engine(await loadRules(join(dir, 'rules.yaml')));
  const ds = [0, 1, 2, 3, 4].map((i) => e.decide({ callId: `h${i}`, at: T0 + i * MIN, caller: '+447911123456', callee: `+86138001380${i}0` }));
  const first = ds.findIndex((d) => d.action === 'reject');
  t.equal(ds[first]?.rejectedBy, 'score');
  t.same([ds[first]?.code, ds[first]?.headers?.Reason], [608, 'SIP;cause=608;text="Rejected by call screening"'], 'the reject that set the hold');
  const held = ds[first + 1];
  t.equal(held?.rejectedBy, 'hold');
  t.same([held?.code, held?.headers?.Reason], [603, 'SIP;cause=603;text="Caller on hold after an earlier reject"'], 'then the hold answer');
  // In a scope, over that scope's reject: its code unless hold.reject names one (here it does).
  const g = e.decide({ callId: 'g', at: T0 + 5 * MIN, caller: '+447911123456', callee: '+8613800138999', source: 'trunk-grey' });
  t.same([g.rejectedBy, g.code], ['hold', 603]);
  // Without hold.reject, a hold answers as the points do.
  const p = new Engine(await loadRules(join(dir, 'plain.yaml')));
  const pd = [0, 1, 2, 3, 4].map((i) => p.decide({ callId: `p${i}`, at: T0 + i * MIN, caller: '+447911123456', callee: `+86138001380${i}0` }));
  const ph = pd.find((d) => d.rejectedBy === 'hold');
  t.same([ph?.code, ph?.headers?.Reason], [608, 'SIP;cause=608;text="Rejected by call screening"']);
  const c = await checkRules(join(dir, 'rules.yaml'));
  t.match(c.text, /hold:\n(.*\n)*? {2}reject:\n {4}code: 603\n/, 'check shows it');
  const bad = await checkRules(join(t.testdir({ 'r.yaml': 'home_country: CN\nhold: { reject: { code: 404 } }\n' }), 'r.yaml'));
  t.equal(bad.ok, false);
  t.match(bad.text, /hold\.reject\.code/);
});
