import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { metricValue } from '../helpers/metric-value.js';
import { Population } from '../../lib/engine/stats.js';
import { isMonitorReason } from '../../lib/engine/score.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import { boom, burst, home, list, rules, scope, sig, spread } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const GB = '+447911123456';
let seq = 0;
const call = (at: number, caller = GB, callee = '+8613800138000', extra: Partial<CallAttempt> = {}): CallAttempt => ({
  callId: `c${++seq}`, at, caller, callee, source: '192.0.2.1', ...extra,
});

t.test('a quiet foreign caller is forwarded with no reasons', async (t) => {
  const e = new Engine(rules(scope([sig(burst)])));
  const d = e.decide(call(T0));
  t.equal(d.action, 'forward');
  t.equal(d.score, 0);
  t.same(d.reasons, []);
  t.equal(d.caller, GB);
  t.equal(d.callee, '+8613800138000');
  t.equal(d.scope, 'default');
});

t.test('points add up: tag, then reject with 608, with readable reasons', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 3, weight: 60 })])));
  const ds = [0, 1, 2, 3, 4, 5].map((i) => e.decide(call(T0 + i * 1000)));
  t.equal(ds[1]!.action, 'forward');
  t.equal(ds[2]!.action, 'forward', 'third call: 3 attempts, half of 60 = 30 < 40');
  t.equal(ds[2]!.score, 30);
  t.equal(ds[3]!.action, 'tag', '4 attempts: 60 * 0.6667 = 40');
  t.equal(ds[3]!.headers?.['X-Ringfence-Score'], String(ds[3]!.score));
  t.match(ds[3]!.headers?.['X-Ringfence-Reasons'], /^burst=\+40/);
  t.equal(ds[5]!.action, 'tag', 'ramp saturates at the full weight (60 < 100)');
  t.match(ds[5]!.reasons[0]!.detail, /6 attempts \(max 3\)/);
});

t.test('reject uses the scope answer, or the top rule’s own, and holds the caller', async (t) => {
  const e = new Engine(rules(scope([
    sig(burst, { max: 2, weight: 200 }, { reject: { code: 603, phrase: 'Decline', reasonHeader: 'SIP;cause=603;text="Robocall"' } }),
  ]), { hold: { duration: 60_000, extend: false, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  e.decide(call(T0));
  const r = e.decide(call(T0 + 1));
  t.equal(r.action, 'reject');
  t.equal(r.rejectedBy, 'score', 'its points reached the reject threshold');
  t.equal(r.code, 603);
  t.equal(r.phrase, 'Decline');
  t.same(r.headers, { Reason: 'SIP;cause=603;text="Robocall"' });
  t.ok(e.holdOf(GB), 'caller held after a behaviour reject');
  // Two minutes later the burst is gone from a 1m window, the hold (1 minute) too.
  const later = e.decide(call(T0 + 30_000));
  t.equal(later.reasons[0]!.signal, 'hold', 'still on hold 30 s later');
  t.equal(later.action, 'reject');
  t.equal(later.rejectedBy, 'hold');
  const free = e.decide(call(T0 + 10 * 60_000));
  t.equal(free.action, 'forward', 'hold expired and the window emptied');
  t.equal(free.rejectedBy, undefined, 'only rejects say what rejected them');
});

t.test('hold is extended while the caller keeps calling', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200, window: 60_000 })]), { hold: { duration: 120_000, extend: true, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1)).action, 'reject');
  // Calls every 100 s keep the caller held although the 1m burst window never sees two calls again.
  for (let i = 1; i <= 5; i++) {
    const d = e.decide(call(T0 + i * 100_000));
    t.equal(d.action, 'reject', `call ${i} still held`);
    t.match(d.reasons.map((r) => r.signal), ['hold']);
  }
  t.equal(e.decide(call(T0 + 5 * 100_000 + 300_000)).action, 'forward', 'released once it stopped calling for longer than the hold');
});

t.test('extensions stop at hold.max from the reject that started the hold', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200, window: 60_000 })]), { hold: { duration: 120_000, extend: true, max: 300_000, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1)).action, 'reject', 'held from T0 + 1');
  // Calls every 100 s would extend a hold for ever; the cap ends it 300 s after it started.
  for (let i = 1; i <= 2; i++) t.equal(e.decide(call(T0 + i * 100_000)).action, 'reject', `call ${i} at +${i * 100} s still held`);
  t.equal(e.holdOf(GB)?.until, T0 + 1 + 300_000, 'the extension stopped at the cap');
  const after = e.decide(call(T0 + 1 + 300_000 + 1));
  t.not(after.reasons[0]?.signal, 'hold', 'judged afresh once the cap is reached');
  t.equal(after.action, 'forward', 'and its behaviour (one call in the last minute) passes');
});

t.test('a hard rule rejects outright, and does not put the caller on hold', async (t) => {
  const e = new Engine(rules(scope([sig(home, { weight: 5 }, { action: 'reject' })])));
  const d = e.decide(call(T0, '+8613912345678'));
  t.equal(d.action, 'reject');
  t.equal(d.code, 608);
  t.equal(d.score, 5);
  t.equal(d.rejectedBy, 'home', 'a score of 5 rejected: the decision names the rule that rejects outright');
  t.notOk(e.holdOf('+8613912345678'));
});

t.test('monitor mode decides and reports, but forwards', async (t) => {
  const e = new Engine(rules(scope([sig(home)]), { monitor: true }));
  const d = e.decide(call(T0, '+8613912345678'));
  t.equal(d.action, 'forward');
  t.equal(d.wouldBe, 'reject');
  t.equal(d.rejectedBy, 'score', 'monitor mode says what would have rejected it');
  t.equal(d.monitor, true);
  t.equal(d.code, undefined);
  const e2 = new Engine(rules(scope([sig(home, {}, { monitor: true })])));
  const d2 = e2.decide(call(T0, '+8613912345678'));
  t.equal(d2.action, 'forward', 'a monitored rule reports points but does not count them');
  t.equal(d2.score, 0);
  t.match(d2.reasons[0]!.detail, /^\(monitor\)/);
  // A monitored list is marked the same way: its points are reported, not counted.
  const e3 = new Engine(rules(scope([]), { lists: [list('watch', 'reject', [GB], { monitor: true })] }));
  const d3 = e3.decide(call(T0, GB));
  t.equal(d3.action, 'forward', 'a monitored deny list does not reject');
  t.equal(d3.reasons[0]?.detail, "(monitor) caller on deny list 'watch' (number)");
  t.ok(isMonitorReason(d3.reasons[0]!));
  t.notOk(isMonitorReason(e.decide(call(T0 + 1000, '+8613912345678')).reasons[0]!), 'global monitor mode marks the decision, not each reason');
});

t.test('lists: allow bypasses scoring, deny rejects with its own answer, score lists add points', async (t) => {
  const e = new Engine(rules(scope([sig(home)]), {
    lists: [
      list('vip', 'allow', ['+8613912345678']),
      list('deny', 'reject', ['+4479*'], { reject: { code: 607, phrase: 'Unwanted' } }),
      list('reported', 'score', ['+33612345678'], { points: 45 }),
    ],
  }));
  const a = e.decide(call(T0, '+8613912345678'));
  t.equal(a.action, 'forward', 'allow-listed home number is not rejected');
  t.equal(a.reasons[0]!.signal, 'list:vip');
  const d = e.decide(call(T0, GB));
  t.equal(d.action, 'reject');
  t.equal(d.code, 607);
  t.equal(d.rejectedBy, 'list:deny');
  t.match(d.reasons[0]!.detail, /deny list 'deny' \(prefix \+4479\*\)/);
  const r = e.decide(call(T0, '+33612345678'));
  t.equal(r.action, 'tag');
  t.equal(r.score, 45);

t.test('lists: a repeat caller keeps its hits, and a reload with other lists takes effect at once', async (t) => {
  const lookups: string[] = [];
  const counting = list('reported', 'score', ['+33612345678'], { points: 45 });
  const inner = counting.lookup;
  counting.lookup = (e164) => {
    lookups.push(e164);
    return inner(e164);
  };
  const e = new Engine(rules(scope([]), { lists: [counting] }));
  for (let i = 0; i < 3; i++) {
    const d = e.decide(call(T0 + i * 1000, '+33612345678'));
    t.equal(d.score, 45, `call ${i + 1} scores on the list`);
    t.equal(d.reasons[0]?.detail, "caller on list 'reported' (number)");
  }
  t.same(lookups, ['+33612345678'], 'the list is searched once per number, not once per call');
  t.equal(e.decide(call(T0 + 4000, GB)).score, 0, 'a number on no list scores nothing');
  e.reload(rules(scope([]), { lists: [list('deny', 'reject', ['+33612345678'])] }));
  const after = e.decide(call(T0 + 5000, '+33612345678'));
  t.equal(after.action, 'reject', 'the reloaded lists apply to a number seen before the reload');
  t.equal(after.reasons[0]?.signal, 'list:deny');
  e.reload(rules(scope([]), { lists: [] }));
  t.equal(e.decide(call(T0 + 6000, '+33612345678')).action, 'forward', 'a number taken off every list is no longer listed');
});
});

t.test("a held caller's call rejected by a deny list is the list's reject, not counted on the hold", async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  e.decide(call(T0));
  e.decide(call(T0 + 1000));
  t.equal(e.decide(call(T0 + 2000)).rejectedBy, 'hold');
  t.equal(e.holdOf(GB)?.rejected, 1);
  e.reload(rules(scope([sig(burst, { max: 2, weight: 200 })]), { lists: [list('deny', 'reject', [GB])] }));
  t.equal(e.decide(call(T0 + 3000)).rejectedBy, 'list:deny');
  t.equal(e.holdOf(GB)?.rejected, 1, 'still one');
});

t.test('a held caller added to an allow list and reloaded gets through at once', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1000)).rejectedBy, 'score');
  t.equal(e.decide(call(T0 + 2000)).rejectedBy, 'hold', 'held');
  e.reload(rules(scope([sig(burst, { max: 2, weight: 200 })]), { lists: [list('partners', 'allow', [GB])] }));
  const d = e.decide(call(T0 + 3000));
  t.equal(d.action, 'forward', 'allow lists are checked before the hold');
  t.same(d.reasons.map((r) => r.signal), ['list:partners']);
  t.equal(e.holdOf(GB), undefined, 'and the hold is gone: the caller is no longer listed as held');
  t.equal(e.counters.allowReleases, 1);
  // Taken off the list again (an allow entry for a day, say), it is judged afresh, not on the old hold.
  e.reload(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  const after = e.decide(call(T0 + 10 * 60_000));
  t.equal(after.action, 'forward', 'not rejected on the hold set before it was allow-listed');
  t.notOk(after.reasons.some((r) => r.signal === 'hold'));
});

t.test('an allow list in monitor mode reports the hit, and neither forwards the call nor releases its hold', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1000)).rejectedBy, 'score');
  e.reload(rules(scope([sig(burst, { max: 2, weight: 200 })]), { lists: [list('trial', 'allow', [GB], { monitor: true })] }));
  const d = e.decide(call(T0 + 2000));
  t.equal(d.action, 'reject', 'still rejected: the list only reports');
  t.equal(d.rejectedBy, 'hold');
  t.ok(d.reasons.some((r) => r.signal === 'list:trial' && isMonitorReason(r)), 'the hit is reported as a monitor reason');
  t.ok(e.holdOf(GB), 'the hold stands');
  t.equal(e.counters.allowReleases, 0);
});

t.test('a preview of an allow-listed held caller (inspect) does not release its hold', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  e.decide(call(T0));
  e.decide(call(T0 + 1000));
  e.reload(rules(scope([sig(burst, { max: 2, weight: 200 })]), { lists: [list('partners', 'allow', [GB])] }));
  t.equal(e.preview(call(T0 + 2000)).action, 'forward');
  t.ok(e.holdOf(GB), 'still held: a preview changes nothing');
});

t.test('a preview of a moment before the calls counts none of their callees', async (t) => {
  const e = new Engine(rules(scope([sig(spread, { window: 3_600_000, distinct: 2, weight: 30 })])));
  for (let i = 0; i < 3; i++) e.decide(call(T0 + i * 60_000, GB, `+861380013800${i}`));
  t.match(e.preview(call(T0 + 10 * 60_000, GB, '+8613800138009')).reasons, [{ signal: 'spread', detail: '3 distinct callees' }], 'now: all three');
  t.same(e.preview(call(T0 - 60_000, GB, '+8613800138009')).reasons, [], 'a minute before the first: none');
  t.match(e.preview(call(T0 + 90_000, GB, '+8613800138009')).reasons, [{ signal: 'spread', detail: '2 distinct callees' }], 'between the second and the third: two');
});

t.test('scopes: the first matching scope applies', async (t) => {
  const strict = scope([sig(burst, { max: 1, weight: 200 })], { name: 'night', match: (i) => i.source === 'grey' });
  const e = new Engine(rules(scope([sig(burst, { max: 5 })]), { scopes: [strict] }));
  t.equal(e.decide(call(T0, GB, '+8613800138000', { source: 'grey' })).scope, 'night');
  t.equal(e.decide(call(T0, '+33612345678', '+8613800138000', { source: 'grey' })).action, 'reject');
  t.equal(e.decide(call(T0, '+33612345679', '+8613800138000', { source: 'clean' })).action, 'forward');
});

t.test('observe: outcomes feed the statistics; rejected and unknown calls are ignored', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { window: 3_600_000, max: 1000 }), sig(home, {}, { action: 'reject' })])));
  const W = 3_600_000;
  const caller = e.tables.caller;
  const a = call(T0);
  e.decide(a);
  t.ok(e.observe({ callId: a.callId, at: T0 + 3000, status: 200 }));
  t.ok(e.observe({ callId: a.callId, at: T0 + 33_000, endedAt: T0 + 33_000 }));
  const b = call(T0 + 1000);
  e.decide(b);
  t.ok(e.observe({ callId: b.callId, at: T0 + 2000, status: 487 }), 'cancel after 1 s');
  const c = call(T0 + 2000);
  e.decide(c);
  t.ok(e.observe({ callId: c.callId, at: T0 + 30_000, status: 486 }));
  const now = T0 + 40_000;
  const entry = caller.get(GB);
  t.equal(caller.count(entry, 'attempts', W, now), 3);
  t.equal(caller.count(entry, 'answered', W, now), 1);
  t.equal(caller.count(entry, 'failed', W, now), 2);
  t.equal(caller.count(entry, 'cancelled', W, now), 1);
  t.equal(caller.count(entry, 'quick', W, now), 1, 'only the 1 s cancel rang under 5 s');
  t.equal(caller.count(entry, 'short', W, now), 1, '30 s of talk is short');
  t.equal(caller.count(entry, 'talk', W, now), 30);
  t.notOk(e.observe({ callId: a.callId, at: now, status: 200 }), 'a finished call is forgotten');
  t.notOk(e.observe({ callId: 'nope', at: now, status: 200 }), 'unknown call id');
  const r = call(now, '+8613912345678');
  t.equal(e.decide(r).action, 'reject');
  t.notOk(e.observe({ callId: r.callId, at: now + 1000, status: 200 }), 'a rejected call has no outcome');
  t.equal(caller.count(caller.get('+8613912345678'), 'answered', W, now + 1000), 0);
  t.equal(caller.count(caller.get('+8613912345678'), 'rejected', W, now + 1000), 1);
  t.equal(e.sizes().pending, 0, 'finished calls leave nothing pending');
});

t.test('an authentication challenge (401, 407) is not a failed call, nor an attempt', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { window: 3_600_000, max: 1000 })])));
  const W = 3_600_000;
  const caller = e.tables.caller;
  for (const [i, status] of [401, 407].entries()) {
    const a = call(T0 + i * 1000);
    e.decide(a);
    t.equal(caller.count(caller.get(GB), 'attempts', W, T0 + i * 1000), 1, 'counted when screened');
    t.ok(e.observe({ callId: a.callId, at: T0 + i * 1000 + 50, status }), `${status} matched`);
    t.notOk(e.observe({ callId: a.callId, at: T0 + i * 1000 + 60, status: 200 }), 'and the attempt is finished');
  }
  const entry = caller.get(GB);
  for (const m of ['attempts', 'failed', 'cancelled', 'quick', 'answered'] as const) t.equal(caller.count(entry, m, W, T0 + 5000), 0, `${m}: none`);
  t.equal(e.sizes().pending, 0);
  // The INVITE sent again with credentials is the call.
  e.decide(call(T0 + 2000));
  t.equal(caller.count(entry, 'attempts', W, T0 + 5000), 1, 'one call, one attempt');
});

t.test('a withdrawn call (the network never got it) is taken back: no attempt, no failure', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { window: 3_600_000, max: 1000 })])));
  const W = 3_600_000;
  const caller = e.tables.caller;
  const a = call(T0);
  e.decide(a);
  t.equal(caller.count(caller.get(GB), 'attempts', W, T0 + 10), 1, 'counted when screened');
  t.ok(e.withdraw(a.callId, T0 + 100), 'withdrawn');
  t.notOk(e.withdraw(a.callId, T0 + 200), 'once');
  t.notOk(e.observe({ callId: a.callId, at: T0 + 300, status: 503 }), 'no outcome is counted after it');
  for (const m of ['attempts', 'failed', 'cancelled', 'quick'] as const) t.equal(caller.count(caller.get(GB), m, W, T0 + 1000), 0, `${m}: none`);
  t.equal(e.counters.withdrawn, 1);
  const { createMetrics } = await import('../../lib/ops/metrics.js');
  t.equal(await metricValue(createMetrics(() => e).registry, 'calls_withdrawn_total'), 1, 'exported as ringfence_calls_withdrawn_total');
  t.equal(e.sizes().pending, 0, 'its pending row is freed');
  t.notOk(e.withdraw('no-such-call', T0), 'an unknown call');
  // An answered call reached the network: it is not withdrawn, and its hang-up still counts.
  const b = call(T0 + 2000);
  e.decide(b);
  e.observe({ callId: b.callId, at: T0 + 3000, status: 200 });
  t.notOk(e.withdraw(b.callId, T0 + 4000));
  t.ok(e.observe({ callId: b.callId, at: T0 + 63_000, endedAt: T0 + 63_000 }));
  t.equal(caller.count(caller.get(GB), 'talk', W, T0 + 70_000), 60);
  t.equal(caller.count(caller.get(GB), 'attempts', W, T0 + 70_000), 1);
});

t.test('pending calls expire: a late outcome is ignored', async (t) => {
  const r = rules(scope([sig(burst)]));
  r.stats.pendingTtl = 60_000;
  const e = new Engine(r);
  const a = call(T0);
  e.decide(a);
  t.notOk(e.observe({ callId: a.callId, at: T0 + 61_000, status: 200 }));
  t.equal(e.sizes().pending, 0);
});

t.test('distinct callees are counted per window and saturate at the cap', async (t) => {
  const r = rules(scope([sig(spread, { distinct: 3, window: 600_000 })]));
  r.stats.distinctCap = 8;
  const e = new Engine(r);
  const ds = [];
  for (let i = 0; i < 20; i++) ds.push(e.decide(call(T0 + i * 1000, GB, `+86138001380${String(i).padStart(2, '0')}`)));
  t.equal(ds[1]!.action, 'forward');
  t.equal(ds[2]!.reasons[0]!.detail, '3 distinct callees');
  t.equal(ds[19]!.reasons[0]!.detail, '8 distinct callees', 'saturated at the cap');
  // The same callee again does not add.
  const again = e.decide(call(T0 + 30_000, '+33612345678', '+8613800138000'));
  t.same(again.reasons, []);
});

t.test('anonymous callers do not share one statistics entry', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 3 })])));
  for (let i = 0; i < 10; i++) t.equal(e.decide(call(T0 + i, 'anonymous')).action, 'forward');
  t.equal(e.sizes().caller, 0);
});

t.test('an engine error fails open by default, closed when configured', async (t) => {
  const open = new Engine(rules(scope([sig(boom)])));
  const d = open.decideSafe(call(T0));
  t.equal(d.action, 'forward');
  t.equal(d.reasons[0]!.signal, 'error');
  t.match(d.reasons[0]!.detail, /boom/);
  t.equal(open.counters.errors, 1);
  const closed = new Engine(rules(scope([sig(boom)]), { failMode: 'closed' }));
  const c = closed.decideSafe(call(T0));
  t.equal(c.action, 'reject');
  t.equal(c.rejectedBy, 'error', 'a fail-closed reject says what rejected it too');
  t.equal(d.rejectedBy, undefined);
  t.equal(c.code, 608);
  t.equal(c.headers, undefined, 'no Reason configured, none sent');
  const with603 = new Engine(rules(scope([sig(boom)], { reject: { code: 603, phrase: 'Decline', reasonHeader: 'SIP;cause=603;text="Spam"' } }), { failMode: 'closed' }));
  const r = with603.decideSafe(call(T0));
  t.equal(r.code, 603);
  t.same(r.headers, { Reason: 'SIP;cause=603;text="Spam"' }, 'the configured Reason goes with a fail-closed reject too');
});

t.test('reload keeps statistics and adds new windows', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 3, window: 60_000 })])));
  for (let i = 0; i < 3; i++) e.decide(call(T0 + i));
  e.reload(rules(scope([sig(burst, { max: 3, window: 60_000 }), sig(spread, { window: 600_000, distinct: 50 })])));
  const d = e.decide(call(T0 + 10));
  t.equal(d.reasons[0]!.signal, 'burst', 'the 1m counter survived the reload');
  t.match(d.reasons[0]!.detail, /^4 attempts/);
  t.same(e.tables.caller.windows, [60_000, 600_000]);
});

t.test('memory stays bounded under a flood of invented caller IDs', async (t) => {
  const r = rules(scope([sig(burst), sig(spread)]));
  r.stats.max = { caller: 5000, callee: 5000, pair: 5000, block: 1000, source: 10, pending: 2000, hold: 100 };
  const e = new Engine(r);
  let x = 12345;
  for (let i = 0; i < 200_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    e.decide(call(T0 + i, `+44791${String(x % 10_000_000).padStart(7, '0')}`, `+86138${String(x % 100_000_000).padStart(8, '0')}`));
  }
  const s = e.sizes();
  t.ok(s.caller <= 5000 && s.callee <= 5000 && s.pair <= 5000 && s.block <= 1000 && s.pending <= 2000, JSON.stringify(s));
  t.ok(e.tables.caller.evictions > 0, 'cold entries were evicted');
  t.equal(e.decide(call(T0 + 300_000)).action, 'forward', 'still deciding');
});

t.test('a caller held again after its hold expired is held afresh', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200, window: 60_000 })]), { hold: { duration: 60_000, extend: false, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1)).action, 'reject');
  const first = e.holdOf(GB)!.until;
  // Long after: the first hold has expired but is still in the hold table.
  const T1 = T0 + 3_600_000;
  e.decide(call(T1));
  t.equal(e.decide(call(T1 + 1)).action, 'reject', 'a new burst is rejected');
  t.ok(e.holdOf(GB)!.until > first, 'and puts the caller on a new hold');
  t.equal(e.decide(call(T1 + 30_000)).reasons[0]!.signal, 'hold', 'which holds 30 s later');
});

t.test('a held caller evicted from the caller table is still held when it returns', async (t) => {
  const r = rules(scope([sig(burst, { max: 2, weight: 200, window: 60_000 })]), { hold: { duration: 3_600_000, extend: false, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } });
  r.stats.max = { ...r.stats.max, caller: 10 };
  const e = new Engine(r);
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1)).action, 'reject');
  // Twenty other callers push the held one out of a ten-entry caller table.
  for (let i = 0; i < 20; i++) e.decide(call(T0 + 10 + i, `+4479111234${String(10 + i)}`));
  t.equal(e.tables.caller.peek(GB), undefined, 'evicted from the caller table');
  const d = e.decide(call(T0 + 120_000));
  t.equal(d.action, 'reject');
  t.equal(d.reasons[0]!.signal, 'hold', 'the hold survives the eviction');
});

t.test('a number whose remembered slot was given to another key is counted under its own key', async (t) => {
  const r = rules(scope([sig(burst, { max: 100, weight: 10, window: 600_000 })]));
  r.stats.max = { ...r.stats.max, caller: 2 };
  const e = new Engine(r);
  const A = '+447911000001';
  const B = '+447911000002';
  const C = '+447911000003';
  e.decide(call(T0, A));
  e.decide(call(T0 + 1, A));
  e.decide(call(T0 + 2, B));
  // C evicts A; A's slot now belongs to C, with C's one attempt.
  e.decide(call(T0 + 3, C));
  t.equal(e.tables.caller.peek(A), undefined);
  e.decide(call(T0 + 4, A));
  const tb = e.tables.caller;
  t.equal(tb.count(tb.peek(A), 'attempts', 600_000, T0 + 4), 1, "A starts again from its own first attempt, not from C's counts");
  t.equal(tb.count(tb.peek(C), 'attempts', 600_000, T0 + 4), 1, 'C keeps only its own attempt');
  t.equal(tb.peek(B), undefined, 'B, least recently used, made room for A');
});

t.test('a challenged attempt is taken back from the population baseline too', async (t) => {
  // The baseline moves a caller one bin up per attempt; the challenged attempt taken back from the
  // caller's count but left in the baseline counted the retry as a second attempt (or a second caller),
  // and a caller whose count went back moved out of a bin it was not in (a negative bin).
  const W = 60_000;
  const B = '+33612345678';
  const make = () => new Engine(rules(scope([sig(burst, { window: W, max: 1000 })])));
  const pop = (e: Engine) => JSON.stringify(e.population.toJSON());
  const bins = (e: Engine) => (e.population.toJSON()[0] as { cur: number[]; prev: number[] });

  // In one bucket: GB's third call is challenged and sent again.
  const e = make();
  const ref = make();
  for (const x of [e, ref]) {
    x.decide(call(T0 + 1000, B));
    x.decide(call(T0 + 2000));
    x.decide(call(T0 + 3000));
  }
  const c = call(T0 + 4000);
  e.decide(c);
  e.observe({ callId: c.callId, at: T0 + 4050, status: 407 });
  e.decide(call(T0 + 5000));
  ref.decide(call(T0 + 5000));
  t.equal(pop(e), pop(ref), 'as if the challenged INVITE had not been sent');
  t.ok(bins(e).cur.every((v) => v >= 0), 'no negative bin');
  t.equal(e.population.callers(W), 2);

  // A first call challenged, the baseline's bucket rolled before the challenge came back.
  const f = make();
  const fref = make();
  const d = call(T0 + 59_500);
  f.decide(d);
  for (const x of [f, fref]) x.decide(call(T0 + 60_500, B));
  f.observe({ callId: d.callId, at: T0 + 60_600, status: 401 });
  for (const x of [f, fref]) x.decide(call(T0 + 61_000));
  t.equal(pop(f), pop(fref), 'taken back from the previous bucket');
  t.equal(f.population.callers(W), fref.population.callers(W));
});

t.test('the population baseline survives a wall clock that steps back into an earlier bucket', async (t) => {
  const W = 600_000;
  const p = new Population();
  p.addWindow(W);
  const base = Math.floor(T0 / W) * W + W / 2;
  for (let i = 1; i <= 10; i++) p.record(W, base, 1);
  p.now = base;
  t.equal(p.callers(W), 10);
  // NTP steps the clock back across the bucket boundary: the next call records at an earlier time.
  p.record(W, base - W, 1);
  p.now = base - W;
  t.equal(p.callers(W), 11, 'still counted, not started afresh');
  t.ok(p.mean(W) > 0);
  p.now = base;
  t.equal(p.callers(W), 11, 'and read back once the clock is past it again');
});
