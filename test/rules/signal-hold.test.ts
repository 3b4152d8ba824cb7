/**
 * A signal's `hold: false`: its points reject the call but do not put the
 * caller on hold, because its evidence is about other numbers (the caller's
 * number block here). Real rules text, real Engine, injected time.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import type { CompiledSignal } from '../../lib/engine/config.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { effectiveConfig } from '../../lib/rules/check.js';
import { compileRulesText, compileRulesTextDetailed } from '../../lib/rules/load.js';
import { issuesOf } from './fixtures/helpers.js';
import { rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);
const MIN = 60_000;
const BLOCK = '+44791112'; // + 4 digits: one number block (block_digits 4)

const rulesText = (rotating: string, scopes = ''): string => `
home_country: CN
hold: { duration: 6h }
stats: { block_digits: 4 }
signals:
  rotating-cli: { window: 10m, distinct: 5, weight: 200${rotating} }
  fan-out: { window: 10m, distinct: 3, weight: 200 }
${scopes}`;

async function engineOf(text: string): Promise<Engine> {
  return new Engine(await compileRulesText(text));
}

let seq = 0;
const call = (e: Engine, caller: string, at: number, callee = '+8613800138000') =>
  e.decide({ callId: `c${++seq}`, at, caller, callee, source: '192.0.2.1' });

/** Five caller IDs of one block, one call each: the fifth reaches rotating-cli's 100 points. */
function rotate(e: Engine): ReturnType<typeof call> {
  let d = call(e, `${BLOCK}0001`, T0);
  for (let i = 2; i <= 5; i++) d = call(e, `${BLOCK}000${i}`, T0 + i * 1000);
  return d;
}

t.test('hold: false rejects on the block evidence without holding the caller', async (t) => {
  const e = await engineOf(rulesText(', hold: false'));
  const d = rotate(e);
  t.equal(d.action, 'reject');
  t.same(d.reasons.map((r) => r.signal), ['rotating-cli']);
  t.equal(e.holdOf(`${BLOCK}0005`), undefined, 'not held: the evidence was about its block');
  // Once the block's calls have left the window, the same caller is judged afresh and goes through.
  const later = call(e, `${BLOCK}0005`, T0 + 20 * MIN);
  t.equal(later.action, 'forward');
  t.same(later.reasons, []);
});

t.test('by default the same reject holds the caller', async (t) => {
  const e = await engineOf(rulesText(''));
  t.equal(rotate(e).action, 'reject');
  t.not(e.holdOf(`${BLOCK}0005`), undefined);
  const later = call(e, `${BLOCK}0005`, T0 + 20 * MIN);
  t.equal(later.action, 'reject');
  t.equal(later.rejectedBy, 'hold');
});

t.test("a caller whose own evidence reaches the reject threshold is held all the same", async (t) => {
  const e = await engineOf(rulesText(', hold: false'));
  // Four block neighbours, then the fifth number fans out to three callees: 100 points of its own.
  for (let i = 1; i <= 4; i++) call(e, `${BLOCK}000${i}`, T0 + i * 1000);
  const me = `${BLOCK}0005`;
  call(e, me, T0 + 10_000, '+8613800138001');
  call(e, me, T0 + 11_000, '+8613800138002');
  const d = call(e, me, T0 + 12_000, '+8613800138003');
  t.equal(d.action, 'reject');
  t.same(d.reasons.map((r) => r.signal).sort(), ['fan-out', 'rotating-cli']);
  t.not(e.holdOf(me), undefined, 'its fan-out alone reaches 100');
  t.equal(call(e, me, T0 + 30 * MIN).rejectedBy, 'hold');
});

t.test('a scope can turn holding back on, and check shows the setting', async (t) => {
  const text = rulesText(', hold: false', `scopes:
  - name: grey
    when: { source: [trunk-grey] }
    signals:
      rotating-cli: { hold: true }
`);
  const { rules, meta } = await compileRulesTextDetailed(text);
  t.equal(rules.base.signals.find((s) => s.id === 'rotating-cli')?.holds, false);
  t.equal(rules.scopes[0]?.signals.find((s) => s.id === 'rotating-cli')?.holds, undefined, 'holds again in the scope');
  const shown = effectiveConfig(rules, meta) as { signals: Record<string, { hold: boolean }>; scopes: { signals: Record<string, { hold: boolean }> }[] };
  t.equal(shown.signals['rotating-cli']?.hold, false);
  t.equal(shown.signals['fan-out']?.hold, true);
  t.equal(shown.scopes[0]?.signals['rotating-cli']?.hold, true);
});

t.test('a hold value that is not true or false names the file, line and field', async (t) => {
  const issues = await issuesOf(compileRulesText(rulesText(', hold: sometimes')));
  t.equal(issues.length, 1);
  t.match(issues[0], { path: 'signals.rotating-cli.hold', line: 6 });
});

// Hand-built rules with fixed points, for the arithmetic and the hold's reason.
const fixed = (name: string, pts: number) =>
  definePlugin<Record<string, never>>({
    name,
    description: `test: ${pts} points`,
    schema: {},
    score: () => ({ points: pts, detail: `${name} evidence` }),
  });

function fixedEngine(parts: Array<[string, number, Partial<CompiledSignal>]>): Engine {
  return new Engine(rules(scope(parts.map(([name, pts, extra]) => ({ ...sig(fixed(name, pts)), id: name, ...extra })))));
}

t.test("the caller's own points at exactly the threshold hold it, whatever the other points add", async (t) => {
  // 168.7 - 68.7 is 99.99999999999999 in floating point.
  const e = fixedEngine([['own', 100, {}], ['block', 68.7, { holds: false }]]);
  const d = call(e, '+447911123456', T0);
  t.equal(d.action, 'reject');
  t.equal(d.score, 168.7);
  t.not(e.holdOf('+447911123456'), undefined);
  const under = fixedEngine([['own', 99.9, {}], ['block', 68.8, { holds: false }]]);
  t.equal(call(under, '+447911123456', T0).action, 'reject');
  t.equal(under.holdOf('+447911123456'), undefined, '99.9 of its own is not enough');
});

t.test("the hold quotes the caller's own evidence, not the larger evidence about its block", async (t) => {
  const e = fixedEngine([['own', 100, {}], ['block', 150, { holds: false }]]);
  call(e, '+447911123456', T0);
  const later = call(e, '+447911123456', T0 + MIN);
  t.equal(later.rejectedBy, 'hold');
  t.match(later.reasons[0]?.detail, /\(own: own evidence\)/);
  t.notMatch(later.reasons[0]?.detail, /block/);
});

t.test('hold: false points that are not counted (monitor) take nothing away, and negative ones are given back', async (t) => {
  const monitored = fixedEngine([['own', 100, {}], ['block', 50, { holds: false, monitor: true }]]);
  call(monitored, '+447911123456', T0);
  t.not(monitored.holdOf('+447911123456'), undefined, 'monitor points never counted');
  // Own 110; the hold: false signals add +50 and -20: without them the caller scores 110 and is held.
  const mixed = fixedEngine([['own', 110, {}], ['up', 50, { holds: false }], ['down', -20, { holds: false }]]);
  t.equal(call(mixed, '+447911123456', T0).score, 140);
  t.not(mixed.holdOf('+447911123456'), undefined);
});
