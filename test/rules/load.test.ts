import t, { type Test } from 'tap';
import { dirname, join } from 'node:path';
import { compileRules, compileRulesText, loadRules } from '../../lib/rules/load.js';
import { RulesError } from '../../lib/rules/errors.js';
import { opts } from './fixtures/helpers.js';
import { checkRules } from '../../lib/rules/check.js';
import { Engine } from '../../lib/engine/engine.js';
import { readFileSync } from 'node:fs';

const FULL = `
version: 1
home_country: CN
timezone: Asia/Shanghai
monitor: false
fail_mode: closed
thresholds: { tag: 30, reject: 90 }
reject: { code: 603, reason: 'SIP;cause=603;text="Spam"' }
tag: { score_header: X-Score, reasons_header: X-Why, display_prefix: '[SPAM?] ' }
hold: { duration: 30m, extend: false }
stats:
  short_call: 30s
  quick_ring: 4s
  block_digits: 3
  distinct_cap: 32
  pending_ttl: 1h
  max: { caller: 500, callee: 600, pair: 700, block: 80, source: 90, pending: 100, hold: 110 }
lists:
  allow: { action: allow, numbers: ['+8613800138000', '+1800*'] }
  deny:  { action: reject, numbers: ['+447700900123'], code: 607 }
  reported: { action: score, points: 60, files: [reported.txt], monitor: true }
signals:
  fan-out: { window: 5m, distinct: 8, weight: 50 }
  rate-burst: { use: rate, window: 1m, max_calls: 20 }
  unanswered: { monitor: true, action: reject, reject: { code: 608 } }
  short-calls: { enabled: false }
scopes:
  - name: grey-night
    when: { source: ['10.1.0.0/16', trunk-grey], caller_country: [NG, GB], caller_prefix: ['+44'], callee_prefix: ['+86138'], hours: '22:00-06:00', days: [mon, tue, sat] }
    thresholds: { reject: 80 }
    monitor: true
    signals: { fan-out: { distinct: 5 }, short-calls: { enabled: true }, extra: { use: rate, window: 2m } }
`;

t.test('a full valid file loads', async (t) => {
  const dir = t.testdir({ 'rules.yaml': FULL, 'reported.txt': '+2348012345678\n+234701*\n' });
  const file = join(dir, 'rules.yaml');
  const r = await loadRules(file, opts);
  t.equal(r.file, file);
  t.equal(r.homeCountry, 'CN');
  t.equal(r.failMode, 'closed');
  t.equal(r.monitor, false);
  t.same(r.hold, { duration: 1_800_000, extend: false, max: 86_400_000, probe: 0, probeBackoff: 2, releaseTalk: 60_000 });
  t.same(r.stats, {
    shortCall: 30_000, quickRing: 4000, blockDigits: 3, distinctCap: 32, pendingTtl: 3_600_000, retryWindow: 10_800_000,
    max: { caller: 500, callee: 600, pair: 700, block: 80, source: 90, pending: 100, hold: 110 },
  });

  t.same(r.lists.map((l) => [l.name, l.action, l.size, l.points, l.monitor]), [
    ['allow', 'allow', 2, 0, false],
    ['deny', 'reject', 1, 0, false],
    ['reported', 'score', 2, 60, true],
  ]);
  t.same(r.lists[1]?.reject, { code: 607, phrase: 'Unwanted', reasonHeader: 'SIP;cause=603;text="Spam"' }, 'list reject overlays the top-level answer');
  t.same(r.lists[0]?.lookup('+18005551234'), { match: '+1800*', exact: false });
  t.same(r.lists[2]?.lookup('+2348012345678'), { match: '+2348012345678', exact: true });
  t.equal(r.lists[2]?.lookup('+8613800138000'), null);

  const b = r.base;
  t.equal(b.name, 'default');
  t.equal(b.match, undefined);
  t.same(b.thresholds, { tag: 30, reject: 90 });
  t.same(b.reject, { code: 603, phrase: 'Decline', reasonHeader: 'SIP;cause=603;text="Spam"' });
  t.same(b.tag, { scoreHeader: 'X-Score', reasonsHeader: 'X-Why', displayPrefix: '[SPAM?] ' });
  t.same(b.signals.map((s) => [s.id, s.plugin.name, s.cfg, s.monitor, s.action]), [
    ['fan-out', 'fan-out', { window: 300_000, distinct: 8, weight: 50 }, false, 'score'],
    ['rate-burst', 'rate', { window: 60_000, max_calls: 20, weight: 40 }, false, 'score'],
    ['unanswered', 'unanswered', { window: 3_600_000, ratio: 0.8, weight: 35 }, true, 'reject'],
  ], 'disabled signals are left out');
  t.same(b.signals[2]?.reject, { code: 608, phrase: 'Rejected', reasonHeader: 'SIP;cause=603;text="Spam"' });
  t.equal(b.signals[0]?.reject, undefined, 'no per-signal reject: the engine uses the scope');

  t.equal(r.scopes.length, 1);
  const s = r.scopes[0]!;
  t.equal(s.name, 'grey-night');
  t.same(s.thresholds, { tag: 30, reject: 80 });
  t.same(s.reject, b.reject);
  t.equal(s.monitor, true);
  t.same(s.signals.map((x) => [x.id, x.cfg]), [
    ['fan-out', { window: 300_000, distinct: 5, weight: 50 }],
    ['rate-burst', { window: 60_000, max_calls: 20, weight: 40 }],
    ['unanswered', { window: 3_600_000, ratio: 0.8, weight: 35 }],
    ['short-calls', { window: 3_600_000, weight: 30 }],
    ['extra', { window: 120_000, max_calls: 30, weight: 40 }],
  ], 'scope signals merge over the top level by id; new ids come last');
  t.equal(typeof s.match, 'function');
});

t.test('compileRulesText: file name and base dir', async (t) => {
  const dir = t.testdir({ 'l.txt': '+8613900139000\n' });
  const r = await compileRulesText('home_country: CN\nlists: { x: { action: allow, files: [l.txt] } }\n', { ...opts, file: 'inline.yaml', baseDir: dir });
  t.equal(r.file, 'inline.yaml');
  t.equal(r.lists[0]?.size, 1);
  const err = await compileRulesText('home_country: XX\n', opts).catch((e: unknown) => e);
  t.type(err, RulesError);
  t.match((err as RulesError).message, /^<rules>:1:15: home_country: /);
});

t.test('compileRules from a plain object', async (t) => {
  const r = await compileRules({ home_country: 'GB', signals: { 'fan-out': { window: '2m' } } }, opts);
  t.equal(r.homeCountry, 'GB');
  t.same(r.base.signals[0]?.cfg, { window: 120_000, distinct: 10, weight: 35 });
  const err = (await compileRules({ home_country: 'GB', signals: { 'fan-out': { windw: '2m' } } }, opts).catch((e: unknown) => e)) as RulesError;
  t.equal(err.message, "<rules>: signals.fan-out.windw: unknown key 'windw', did you mean 'window'?", 'no position for objects');
});

t.test('an empty file only lacks home_country', async (t) => {
  const err = (await compileRulesText('', opts).catch((e: unknown) => e)) as RulesError;
  t.same(err.issues.map((i) => [i.line, i.col, i.path, i.code]), [[1, 1, 'home_country', 'RF_RULES_MISSING_KEY']]);
  t.match(err.issues[0]?.message, /^the file is empty \(nothing but blank lines or comments\): missing required key 'home_country'/, 'says the file is empty');
  const comments = (await compileRulesText('# rules to come\n\n', opts).catch((e: unknown) => e)) as RulesError;
  t.match(comments.issues[0]?.message, /^the file is empty/);
  const partial = (await compileRulesText('version: 1\n', opts).catch((e: unknown) => e)) as RulesError;
  t.equal(partial.issues[0]?.message, "missing required key 'home_country'", 'a file with content is not called empty');
});

t.test('loadRules reads a missing file as an RF_RULES_READ issue', async (t) => {
  const dir = t.testdir({});
  const err = (await loadRules(join(dir, 'nope.yaml'), opts).catch((e: unknown) => e)) as RulesError;
  t.type(err, RulesError);
  t.equal(err.code, 'RF_RULES_READ');
  t.match(err.message, /nope\.yaml: rules file not found/);
});

t.test('default registry: the built-in plugins', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nsignals:\n  fan-out: { window: 5m }\n  unanswered: {}\n  domestic-cli: {}\n' });
  const r = await loadRules(join(dir, 'rules.yaml'));
  t.same(r.base.signals.map((s) => s.id), ['fan-out', 'unanswered', 'domestic-cli']);
  t.equal(r.base.signals[0]?.cfg.window, 300_000);
});

t.test('examples/rules/minimal.yaml loads with the built-in plugins', async (t) => {
  const r = await loadRules(new URL('../../examples/rules/minimal.yaml', import.meta.url).pathname);
  t.equal(r.homeCountry, 'CN');
  t.equal(r.monitor, true);
  t.same(r.base.signals.map((s) => s.id), ['unanswered', 'fan-out', 'domestic-cli']);
});

/**
 * A country example as shipped: passes `ringfence check` (list files found, no warnings), has its
 * home country and time zone, and no home number on an allow list (inline or in a file): an allow
 * list skips every signal, the home-CLI rule too. Returns the example's path.
 */
async function checkExample(t: Test, name: string, home: string, tz: string, cc: string): Promise<string> {
  const file = new URL(`../../examples/rules/${name}`, import.meta.url).pathname;
  const c = await checkRules(file, { json: true });
  t.equal(c.ok, true, `${name} passes check`);
  t.same(c.issues, [], `${name}: no problems`);
  t.same(c.warnings, [], `${name}: no warnings`);
  const cfg = (JSON.parse(c.text) as { config: { home_country: string; timezone: string; lists: Record<string, { action: string; numbers: string[]; files: string[] }> } }).config;
  t.equal(cfg.home_country, home, `${name}: home country`);
  t.equal(cfg.timezone, tz, `${name}: time zone`);
  for (const l of Object.values(cfg.lists).filter((l) => l.action === 'allow')) {
    t.notOk(l.numbers.some((n) => n.startsWith(cc)), `${name}: no ${cc} number inline on an allow list`);
    for (const f of l.files) {
      const lines = readFileSync(join(dirname(file), f), 'utf8').split('\n');
      t.notOk(lines.some((line) => line.startsWith(cc)), `${name}: allow list ${f} holds no ${cc} number`);
    }
  }
  return file;
}

t.test('the country examples pass check, reject home non-mobile and UIFN caller IDs from abroad, tag foreign freephone', async (t) => {
  // China, the UK and India: each must pass `ringfence check` as shipped (list files found, no
  // warnings), and its home-CLI rule must do what the regulator asks: a home fixed line presented
  // with its country code rejected, a home mobile (possibly roaming) tagged, a foreign number left alone.
  // `at`: Monday 2025-03-03 10:00 local time, outside the night scope.
  const examples = [
    { file: 'china-ingress.yaml', home: 'CN', tz: 'Asia/Shanghai', at: '02:00', fixed: '+861065529988', mobile: '+8613800138000', callee: '+8613900139000' },
    { file: 'uk-ingress.yaml', home: 'GB', tz: 'Europe/London', at: '10:00', fixed: '+442079460123', mobile: '+447400123456', callee: '+447400999000' },
    { file: 'india-ingress.yaml', home: 'IN', tz: 'Asia/Kolkata', at: '04:30', fixed: '+911123456789', mobile: '+919812345678', callee: '+919812399999' },
  ];
  for (const x of examples) {
    const file = await checkExample(t, x.file, x.home, x.tz, { CN: '+86', GB: '+44', IN: '+91' }[x.home]!);
    const e = new Engine(await loadRules(file));
    const at = Date.parse(`2025-03-03T${x.at}:00Z`);
    const decide = (caller: string, i: number) => e.decide({ callId: `${x.home}${i}`, at: at + i * 1000, caller, callee: x.callee, source: '192.0.2.1' });
    const fixed = decide(x.fixed, 1);
    t.equal(fixed.action, 'reject', `${x.file}: a home fixed line from abroad is rejected`);
    t.equal(fixed.scope, 'default', `${x.file}: decided by day`);
    t.match(fixed.reasons.map((z) => z.signal).join(' '), /domestic-cli/);
    t.equal(decide(x.mobile, 2).action, 'tag', `${x.file}: a home mobile (maybe roaming) is tagged`);
    t.equal(decide('+33142685300', 3).action, 'forward', `${x.file}: a French caller is forwarded`);
    // A caller ID that places no calls is rejected; a foreign freephone number, which some call
    // centres present as their own, is tagged and left for behaviour to reject.
    t.equal(decide('+80012345678', 4).rejectedBy, 'toll-free', `${x.file}: a UIFN freephone caller ID is rejected`);
    const freephone = decide('+18005550100', 5);
    t.equal(freephone.action, 'tag', `${x.file}: a US 1-800 caller ID is tagged`);
    t.match(freephone.reasons.map((z) => `${z.signal} ${z.points}`).join(', '), /foreign-toll-free 60/);
  }
});

t.test('the India example: a +91 caller ID of a length India never uses is rejected by domestic-cli, a foreign one tagged', async (t) => {
  // As its invalid-cli comment says: wrong_length tags foreign caller IDs, while DoT's rule rejects any
  // +91 caller ID that is no valid Indian mobile, whatever invalid-cli makes of it.
  const e = new Engine(await loadRules(new URL('../../examples/rules/india-ingress.yaml', import.meta.url).pathname));
  const at = Date.parse('2025-03-03T04:30:00Z');
  const decide = (caller: string, i: number) => e.decide({ callId: `in${i}`, at: at + i * 1000, caller, callee: '+919812399999', source: '192.0.2.1' });
  for (const [i, caller] of ['+919812345', '+9198123456781'].entries()) {
    const d = decide(caller, i);
    t.equal(d.action, 'reject', caller);
    t.equal(d.rejectedBy, 'domestic-cli', `${caller}: rejected by the home-CLI rule`);
  }
  const it = decide('+390260718992156', 5);
  t.equal(it.action, 'tag', 'an Italian number with an extension appended is tagged');
  t.match(it.reasons.map((r) => `${r.signal} ${r.points}`).join(', '), /invalid-cli 60/);
});

t.test('the US example passes check, tags US caller IDs from abroad and rejects caller IDs that place no calls', async (t) => {
  // The FCC does not ask a gateway to block US caller IDs from abroad (roamers, offshore call
  // centres), so the US example tags them and leaves the reject to behaviour; UIFN and any
  // premium-rate caller ID are rejected, a US or foreign freephone one only tagged.
  const file = await checkExample(t, 'us-ingress.yaml', 'US', 'America/New_York', '+1');
  const e = new Engine(await loadRules(file));
  const at = Date.parse('2025-03-03T15:00:00Z'); // 10:00 in New York
  const decide = (caller: string, i: number) => e.decide({ callId: `us${i}`, at: at + i * 1000, caller, callee: '+12125550147', source: '192.0.2.1' });
  const cases: [string, string, string][] = [
    ['+13125550123', 'tag', 'a US number from abroad (maybe roaming, maybe an offshore call centre)'],
    ['+18005550100', 'tag', 'a US toll-free number from abroad'],
    ['+19005550100', 'reject', 'a US premium-rate number'],
    ['+448001234567', 'tag', 'UK freephone (a call centre may present it)'],
    ['+80012345678', 'reject', 'UIFN freephone'],
    ['+18762345678', 'forward', 'a Jamaican number (+1, but foreign)'],
    ['+16475550123', 'forward', 'a Canadian number'],
    ['+33142685300', 'forward', 'a French number'],
  ];
  for (const [i, [caller, action, what]] of cases.entries()) {
    const d = decide(caller, i);
    t.equal(d.action, action, `${what}: ${caller} ${action}`);
  }
  const us = decide('+13125550123', 20);
  t.match(us.reasons.map((r) => `${r.signal} ${r.points}`).join(', '), /domestic-cli 40/);
  const premium = decide('+19005550100', 21);
  t.equal(premium.rejectedBy, 'home-premium-cli');
  t.same([premium.code, premium.phrase], [603, 'Network Blocked'], "FCC 25-15's 603+: 603 with the phrase Network Blocked");
  t.match(premium.headers?.Reason, /^SIP;cause=603;text="Caller ID cannot originate calls";location=TN$/);
  const freephone = decide('+448001234567', 22);
  t.match(freephone.reasons.map((r) => `${r.signal} ${r.points}`).join(', '), /foreign-toll-free 60/, 'foreign freephone: 60 points, rejected with any 40 more');
  t.equal(decide('+80012345678', 23).rejectedBy, 'toll-free');
  // A US caller ID from abroad dialling many people and reaching none is rejected on its behaviour, with the same answer.
  let last = decide('+13125550177', 30);
  for (let i = 1; i < 40 && last.action !== 'reject'; i++) {
    const callId = `robo${i}`;
    const at2 = at + 60_000 + i * 20_000;
    last = e.decide({ callId, at: at2, caller: '+13125550177', callee: `+1212555${String(1000 + i)}`, source: '192.0.2.1' });
    if (last.action !== 'reject') e.observe({ callId, at: at2 + 15_000, status: 487 });
  }
  t.equal(last.action, 'reject', 'a US caller ID with no conversation on dozens of calls is rejected');
  t.equal(last.rejectedBy, 'score');
  t.same([last.code, last.phrase], [603, 'Network Blocked']);
  t.match(last.headers?.Reason, /^SIP;cause=603;text="url=[^"]+";location=TN$/);
});
