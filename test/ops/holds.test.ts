import t, { type Test } from 'tap';
import { Command } from 'commander';
import { Engine } from '../../lib/engine/engine.js';
import { MAX_HOLDS_TOP, startAdmin } from '../../lib/ops/admin.js';
import { decisionLogFields } from '../../lib/ops/screener.js';
import { registerHoldsCommand, runHolds, type Io } from '../../lib/ops/command.js';
import { formatHolds, type HoldsReport } from '../../lib/ops/holds.js';
import { createMetrics } from '../../lib/ops/metrics.js';
import { burst, list, rules, scope, sig } from '../helpers/engine-rules.js';
import domesticCli from '../../plugins/domestic-cli.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const CN = '+8613800138000';
const BUSY = '+447911123456';
const QUIET = '+33612345678';

/** Two callers held by burst (max 3: the third call is rejected and sets the hold), BUSY rejected 6 times on its hold and QUIET 3 times, and one caller never held. */
function heldEngine(): Engine {
  const e = new Engine(rules(scope([sig(burst, { max: 3, weight: 200 })])));
  let n = 0;
  const call = (caller: string, at: number) => e.decide({ callId: `c${n++}`, at, caller, callee: CN });
  for (let i = 0; i < 9; i++) call(BUSY, T0 + i * 1000);
  for (let i = 0; i < 6; i++) call(QUIET, T0 + 500 + i * 1000);
  call('+12125550100', T0);
  return e;
}

function io(): Io & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', out: (s: string) => void (o.stdout += s), err: (s: string) => void (o.stderr += s) };
  return o;
}

async function serve(t: Test, e: Engine, extra: { maskDigits?: number; now?: number } = {}): Promise<string> {
  const a = await startAdmin({
    host: '127.0.0.1', port: 0, engine: () => e, metrics: createMetrics(() => e, { processMetrics: false }), ready: () => true,
    now: () => extra.now ?? T0 + 10_000, ...(extra.maskDigits ? { maskDigits: extra.maskDigits } : {}),
  });
  t.teardown(() => a.close());
  return a.address.url;
}

t.test('the engine counts the calls each hold rejects; a preview counts none', async (t) => {
  const e = heldEngine();
  t.equal(e.holdOf(BUSY)?.rejected, 6, 'calls 4-9: the 3rd set the hold and is not counted on it');
  t.equal(e.holdOf(QUIET)?.rejected, 3);
  e.preview({ callId: 'p', at: T0 + 9500, caller: BUSY, callee: CN });
  t.equal(e.holdOf(BUSY)?.rejected, 6, 'a preview is not a call');
  const list = e.holdList(T0 + 10_000, 10);
  t.equal(list.held, 2);
  t.same(list.holds.map((h) => [h.caller, h.rejected]), [[BUSY, 6], [QUIET, 3]], 'most rejected first');
  t.match(list.holds[0]!.why, /^reject at 2026-11-01T12:00:02Z \(burst: /);
  t.same(e.holdList(T0 + 10_000, 1).holds.map((h) => h.caller), [BUSY]);
  const later = e.holdList(list.holds[0]!.until + 1, 10);
  t.equal(later.held, 0, 'an expired hold is not listed');
});

t.test('a held call that is not rejected is not counted on the hold', async (t) => {
  // A score list with negative points (a known-good range) can bring a held caller under the reject
  // threshold: the call is tagged and goes through, so the hold did not reject it.
  const e = new Engine(rules(scope([sig(burst, { max: 3, weight: 200 })]), { lists: [list('known', 'score', ['+4479111*'], { points: -50 })] }));
  const actions: string[] = [];
  for (let i = 0; i < 7; i++) actions.push(e.decide({ callId: `k${i}`, at: T0 + i * 1000, caller: BUSY, callee: CN }).action);
  t.same(actions, ['forward', 'forward', 'tag', 'tag', 'reject', 'tag', 'tag'], 'the 5th call set the hold, the two after it were tagged');
  t.equal(e.holdOf(BUSY)?.rejected, 0, 'no call was rejected on the hold');
  t.same(e.holdList(T0 + 10_000, 10).holds.map((h) => [h.caller, h.rejected]), [[BUSY, 0]]);
});

t.test('holdList picks the top holds without sorting every hold (100,000 of them block the event loop)', async (t) => {
  const n = 5000;
  const r = rules(scope([sig(burst, { max: 3, weight: 200 })]));
  r.stats.max.hold = n;
  const e = new Engine(r);
  // Few distinct counts and starts: most of the order comes from the ties, broken by start, then caller.
  for (let i = 0; i < n; i++) {
    const k = (i * 7919) % n;
    e.restoreHold(`+4479111${String(k).padStart(5, '0')}`, { until: T0 + (k % 10 === 0 ? -1 : 3_600_000), why: 'w', since: T0 - (k % 5), rejected: k % 13 });
  }
  const live = [...e.holdEntries()].filter(([, h]) => h.until > T0);
  live.sort((a, b) => b[1].rejected - a[1].rejected || a[1].since - b[1].since || (a[0] < b[0] ? -1 : 1));
  const sorted: number[] = [];
  const sort = Array.prototype.sort;
  Array.prototype.sort = function <T>(this: T[], cmp?: (a: T, b: T) => number): T[] {
    sorted.push(this.length);
    return sort.call(this, cmp) as T[];
  };
  let list: ReturnType<Engine['holdList']>;
  let all: ReturnType<Engine['holdList']>;
  try {
    list = e.holdList(T0, 20);
    all = e.holdList(T0, MAX_HOLDS_TOP);
  } finally {
    Array.prototype.sort = sort;
  }
  t.equal(list.held, live.length, 'every hold in force is counted');
  t.same(list.holds.map((h) => h.caller), live.slice(0, 20).map(([k]) => k), 'the same 20, in the same order, as sorting them all');
  t.same(all.holds.map((h) => h.caller), live.slice(0, MAX_HOLDS_TOP).map(([k]) => k));
  t.ok(Math.max(0, ...sorted) <= MAX_HOLDS_TOP, `no sort of more than the holds listed (sorted ${sorted.join(', ')})`);
  t.same(e.holdList(T0, 0).holds, []);
});

t.test('/holds lists the holds in force as JSON; 400 for a bad top', async (t) => {
  const base = await serve(t, heldEngine());
  const res = await fetch(`${base}/holds`);
  t.equal(res.status, 200);
  const r = (await res.json()) as HoldsReport;
  t.equal(r.at, '2026-11-01T12:00:10.000Z');
  t.equal(r.held, 2);
  t.same(r.holds.map((h) => [h.caller, h.rejected, h.probes, h.since]), [[BUSY, 6, 0, '2026-11-01T12:00:02.000Z'], [QUIET, 3, 0, '2026-11-01T12:00:02.500Z']]);
  t.match(r.holds[0]!.why, /burst/);
  const one = (await (await fetch(`${base}/holds?top=1`)).json()) as HoldsReport;
  t.equal(one.holds.length, 1);
  t.equal(one.held, 2, 'held counts every hold, listed or not');
  for (const q of ['0', '-1', '1.5', 'ten', String(MAX_HOLDS_TOP + 1)]) {
    const bad = await fetch(`${base}/holds?top=${q}`);
    t.equal(bad.status, 400, `top=${q}`);
    t.match(((await bad.json()) as { error: string }).error, /bad 'top'/);
  }
});

t.test('/holds masks numbers when masking is on: nobody asked for these ones', async (t) => {
  const base = await serve(t, heldEngine(), { maskDigits: 4 });
  const r = (await (await fetch(`${base}/holds`)).json()) as HoldsReport;
  t.equal(r.holds[0]!.caller, '+44791112xxxx');
  t.notMatch(JSON.stringify(r), /123456/, 'not in the reasons either');
});

t.test('/holds masks the held number in the reason also as it was presented, without its country code', async (t) => {
  // domestic-cli quotes the caller ID as presented ("138 0013 8000"): neither the E.164 digits nor a 7-digit run.
  const e = new Engine(rules(scope([sig(domesticCli, { weight: 200, mobile_weight: 200 })])));
  const d = e.decide({ callId: 'n1', at: T0, caller: '138 0013 8000', callee: '+8613900139000' });
  t.equal(d.action, 'reject');
  t.match(d.reasons[0]!.detail, /presented without country code as "138 0013 8000"/);
  const base = await serve(t, e, { maskDigits: 4 });
  const r = (await (await fetch(`${base}/holds`)).json()) as HoldsReport;
  t.equal(r.holds[0]!.caller, '+861380013xxxx');
  t.match(r.holds[0]!.why, /as "138 0013 xxxx"/);
  t.notMatch(r.holds[0]!.why, /8000/, 'the last digits are nowhere in the reason');
});

t.test('/holds masks a held number presented in a national form that adds digits (Argentine mobile, 15)', async (t) => {
  // +54 9 11 2345 6789 is dialled at home as 011 15 2345 6789: no form without a country code is in that
  // quote, nor is a run of seven digits; its subscriber digits are.
  const e = new Engine(rules(scope([sig(domesticCli, { weight: 200, mobile_weight: 200 })]), { homeCountry: 'AR' }));
  const d = e.decide({ callId: 'a1', at: T0, caller: '011 15 2345 6789', callee: '+541143211234' });
  t.equal(d.action, 'reject');
  t.match(d.reasons[0]!.detail, /as "011 15 2345 6789"/);
  const base = await serve(t, e, { maskDigits: 4 });
  const r = (await (await fetch(`${base}/holds`)).json()) as HoldsReport;
  t.equal(r.holds[0]!.caller, '+549112345xxxx');
  t.notMatch(r.holds[0]!.why, /6789/, 'the last digits are nowhere in the reason');
  t.match(r.holds[0]!.why, /as "011 15 2345 xxxx"/);
});

t.test('/holds with no engine yet answers 503', async (t) => {
  const a = await startAdmin({ host: '127.0.0.1', port: 0, engine: () => undefined as never, metrics: createMetrics(() => undefined as never, { processMetrics: false }), ready: () => false });
  t.teardown(() => a.close());
  const res = await fetch(`${a.address.url}/holds`);
  t.equal(res.status, 503);
  await res.text();
});

t.test('ringfence holds prints the table, or JSON', async (t) => {
  const base = await serve(t, heldEngine());
  const o = io();
  t.equal(await runHolds({ admin: base }, o), 0);
  t.equal(o.stderr, '');
  const lines = o.stdout.split('\n');
  t.equal(lines[0], '2 callers on hold at 2026-11-01T12:00:10.000Z');
  t.match(lines[2], /^caller\s+rejected\s+probes\s+since\s+until\s+set by$/);
  t.match(lines[3], /^\+447911123456\s+6\s+0\s+2026-11-01T12:00:02Z\s+\S+Z\s+reject at 2026-11-01T12:00:02Z \(burst: /);
  t.match(lines[4], /^\+33612345678\s+3\s+0\s/);
  const j = io();
  t.equal(await runHolds({ admin: base, top: 1, json: true }, j), 0);
  const r = JSON.parse(j.stdout) as HoldsReport;
  t.equal(r.holds.length, 1);
  t.equal(r.held, 2);
  t.match(formatHolds({ ...r, holds: r.holds }), /2 callers on hold at .*, the 1 with the most rejected calls listed/);
  t.equal(formatHolds({ at: r.at, held: 0, holds: [] }), `no caller on hold at ${r.at}\n`);
});

t.test('a hold that is never probed says so in /holds and in the table', async (t) => {
  // burst with probe: false put both callers on hold.
  const e = new Engine(rules(scope([sig(burst, { max: 3, weight: 200 }, { probes: false })])));
  for (let i = 0; i < 4; i++) e.decide({ callId: `n${i}`, at: T0 + i * 1000, caller: BUSY, callee: CN });
  for (let i = 0; i < 4; i++) e.decide({ callId: `q${i}`, at: T0 + 500 + i * 1000, caller: QUIET, callee: CN });
  e.holdOf(QUIET)!.noProbe = undefined;
  const base = await serve(t, e);
  const r = (await (await fetch(`${base}/holds`)).json()) as HoldsReport;
  t.same(r.holds.map((h) => [h.caller, h.probed]), [[BUSY, false], [QUIET, true]]);
  const o = io();
  t.equal(await runHolds({ admin: base }, o), 0);
  const lines = o.stdout.split('\n');
  t.match(lines[3], /^\+447911123456\s+1\s+never\s+2026/, 'never, where the count of probes would be');
  t.match(lines[4], /^\+33612345678\s+1\s+0\s+2026/);
});

t.test('ringfence holds: exit 1 with the reason when the endpoint is not Ringfence or refuses', async (t) => {
  const o = io();
  t.equal(await runHolds({ admin: 'nonsense' }, o), 1);
  t.match(o.stderr, /^ringfence holds: --admin: bad address/);
  // An admin endpoint that refuses: no engine yet (rules or state still loading).
  const other = await startAdmin({ host: '127.0.0.1', port: 0, engine: () => undefined as never, metrics: createMetrics(() => undefined as never, { processMetrics: false }), ready: () => false });
  t.teardown(() => other.close());
  const busy = io();
  t.equal(await runHolds({ admin: other.address.url }, busy), 1);
  t.match(busy.stderr, /answered 503: no engine yet/);
});

t.test('the commander command: help text and option checks', async (t) => {
  const program = new Command('ringfence').exitOverride();
  const cmd = registerHoldsCommand(program);
  const help = cmd.helpInformation();
  t.match(help, /Usage: ringfence holds \[options\]/);
  for (const o of ['--top <n>', '--admin <host:port>', '--json', '--timeout <ms>']) t.match(help, o);
  t.match(help, /allow list/);
  t.throws(() => program.parse(['holds', '--top', '0'], { from: 'user' }), /expected a whole number from 1 to 1000/);
});

t.test('the decision line of a held call masks the number its hold reason quotes as first presented', async (t) => {
  // The hold was set by a call presented as "138 0013 8000"; the held call comes as +86 138 0013 8000, so the
  // call's own presented form does not match the quote in the hold reason.
  const e = new Engine(rules(scope([sig(domesticCli, { weight: 200, mobile_weight: 200 })])));
  e.decide({ callId: 'n1', at: T0, caller: '138 0013 8000', callee: '+8613900139000' });
  const d = e.decide({ callId: 'n2', at: T0 + 1000, caller: '+8613800138000', callee: '+8613900139000' });
  t.equal(d.rejectedBy, 'hold');
  t.match(d.reasons[0]!.detail, /as "138 0013 8000"/, 'the hold reason quotes the first presentation');
  const line = decisionLogFields(d, '192.0.2.1', 4, ['+8613800138000', '+8613900139000']);
  t.notMatch(JSON.stringify(line), /8000/, 'the last four digits are nowhere in the line');
  t.match((line.reasons as string[])[0], /as "138 0013 xxxx"/);
});

t.test('ringfence holds --release lifts one hold through POST /holds/release: the next call is scored again', async (t) => {
  const e = heldEngine();
  const url = await serve(t, e);
  const admin = url.replace('http://', '');
  t.equal((await fetch(`${url}/holds/release?number=%2B447911123456`)).status, 405, 'a GET changes nothing');
  t.equal((await fetch(`${url}/holds/release?number=%2B447911123456`, { method: 'POST' })).status, 403, 'nor a POST a web page could send');
  t.ok(e.holdOf(BUSY), 'still held');
  const o = io();
  t.equal(await runHolds({ admin, release: '+44 7911 123456' }, o), 0, o.stderr);
  t.match(o.stdout, /^released \+447911123456: on hold since 2026-11-01T12:00:02\.000Z, 6 calls rejected on it, after reject at .*burst/);
  t.equal(e.holdOf(BUSY), undefined, 'the hold is gone');
  t.equal(e.counters.adminReleases, 1);
  const next = e.decide({ callId: 'after', at: T0 + 60 * 60_000, caller: BUSY, callee: CN });
  t.not(next.rejectedBy, 'hold', 'its next call is decided on its signals');
  const again = io();
  t.equal(await runHolds({ admin, release: BUSY }, again), 1, 'exit 1: nothing to release');
  t.match(again.stderr, /\+447911123456 is not on hold/);
  const bad = io();
  t.equal(await runHolds({ admin, release: 'anonymous' }, bad), 1);
  t.match(bad.stderr, /answered 400: 'anonymous' is not a number a hold can be on/);
  t.equal(e.holdOf(QUIET)?.rejected, 3, 'the other hold is untouched');
});
