import t from 'tap';
import type { Decision } from '../../lib/engine/types.js';
import { TopRejected } from '../../lib/replay/top-rejected.js';
import { MONITOR_MARK } from '../../lib/engine/score.js';

const rejected = (caller: string, by = 'score', reasons: Decision['reasons'] = []): Decision => ({
  callId: '1', action: 'reject', score: 100, reasons, scope: 'default', caller, callee: '+8613800138000', rejectedBy: by,
});

t.test('counts each caller exactly while they fit, most first, ties by caller', async (t) => {
  const top = new TopRejected(10);
  for (let i = 0; i < 5; i++) top.add(1000 + i, rejected('+441'), false);
  for (let i = 0; i < 3; i++) top.add(2000 + i, rejected('+443'), true);
  for (let i = 0; i < 3; i++) top.add(3000 + i, rejected('+442', 'hold'), false);
  const list = top.top(10, true);
  t.same(list.map((r) => [r.caller, r.rejected, r.count_error, r.on_hold, r.legit]), [
    ['+441', 5, 0, 0, 0],
    ['+442', 3, 0, 3, 0],
    ['+443', 3, 0, 0, 3],
  ]);
  t.equal(top.top(1, false).length, 1);
  t.equal(top.top(1, false)[0]!.legit, undefined, 'no legit count for unlabelled input');
  t.same(top.top(0, false), []);
});

t.test('the first reject is kept with its strongest reason', async (t) => {
  const top = new TopRejected(4);
  top.add(Date.UTC(2026, 0, 1, 6), rejected('+60312345678', 'score', [
    { signal: 'reputation', points: -40, detail: 'good' },
    { signal: 'unanswered', points: 30, detail: 'unanswered 9 of 9 calls' },
    { signal: 'unanswered-3h', points: 70, detail: 'unanswered 12 of 12 calls in 3h' },
  ]), true);
  top.add(Date.UTC(2026, 0, 1, 7), rejected('+60312345678', 'hold', [{ signal: 'hold', points: 100, detail: 'caller on hold' }]), true);
  const [r] = top.top(1, true);
  t.same(r!.first, { at: '2026-01-01T06:00:00.000Z', by: 'score', signal: 'unanswered-3h', detail: 'unanswered 12 of 12 calls in 3h' });
  t.equal(r!.rejected, 2);
  t.equal(r!.on_hold, 1);
  top.add(0, rejected('+1', 'list:deny', []), false);
  t.same(top.top(2, false)[1]!.first, { at: '1970-01-01T00:00:00.000Z', by: 'list:deny', signal: null, detail: null }, 'a reject with no reason still says what decided it');
});

t.test('a monitor-only reason is not the first reject\'s cause: its points were not counted', async (t) => {
  // A rule on trial (monitor: true) reports its points without counting them; the reject came from the others.
  const top = new TopRejected(4);
  top.add(Date.UTC(2026, 0, 1, 6), rejected('+60312345678', 'score', [
    { signal: 'fan-out', points: 90, detail: `${MONITOR_MARK}40 distinct callees in 10m (threshold 10)` },
    { signal: 'unanswered', points: 60, detail: 'unanswered 12 of 12 calls' },
    { signal: 'wangiri', points: 50, detail: 'quick hang-ups' },
  ]), false);
  t.same(top.top(1, false)[0]!.first, { at: '2026-01-01T06:00:00.000Z', by: 'score', signal: 'unanswered', detail: 'unanswered 12 of 12 calls' });
});

t.test('a flood of one-off callers neither grows memory nor hides the heavy ones', async (t) => {
  const top = new TopRejected(50);
  const heavy = ['+447700900001', '+447700900002', '+447700900003'];
  const truth = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < 20_000; i++) {
    // Every tenth reject is one of three heavy callers; the rest are invented caller IDs seen once.
    const caller = i % 10 === 0 ? heavy[(i / 10) % 3]! : `+1555${String(i).padStart(7, '0')}`;
    truth.set(caller, (truth.get(caller) ?? 0) + 1);
    top.add(i, rejected(caller), false);
    n++;
  }
  t.equal(top.size, 50, 'bounded by its capacity');
  const list = top.top(3, false);
  t.same(list.map((r) => r.caller).sort(), [...heavy].sort(), 'the heavy callers are the top three');
  for (const r of list) {
    const real = truth.get(r.caller)!;
    t.ok(r.rejected >= real, `${r.caller}: never an undercount (${r.rejected} >= ${real})`);
    t.ok(r.rejected - r.count_error <= real, `${r.caller}: count minus its error is a lower bound`);
    t.ok(r.count_error <= n / 50, 'error at most calls / capacity');
  }
});

t.test('capacity must be positive', async (t) => {
  t.throws(() => new TopRejected(0), RangeError);
});

t.test('what the call records say the rejected calls did: answered share and talk time, or nothing when unknown', async (t) => {
  const top = new TopRejected(4);
  top.add(1, rejected('+442079460001'), true, { status: 200, duration: 90_000 });
  top.add(2, rejected('+442079460001'), true, { status: 200, duration: 30_000 });
  top.add(3, rejected('+442079460001'), true, { status: 487 });
  top.add(4, rejected('+442079460001'), true, { duration: 60_000 }); // no status: answered because it talked
  top.add(5, rejected('+442079460001'), true, { duration: 0 });
  top.add(6, rejected('+442079460001'), true, {}); // nothing recorded: not counted as known
  top.add(7, rejected('+442079460001'), true);
  const [r] = top.top(1, true);
  t.equal(r!.rejected, 7);
  t.same(r!.recorded, { calls: 5, answered: 3, timed: 3, talk_s: 180 });
  top.add(8, rejected('+442079460001'), true, { status: 200 }); // answered, talk time unknown: not 0 s of talk
  t.same(top.top(1, true)[0]!.recorded, { calls: 6, answered: 4, timed: 3, talk_s: 180 });
  top.add(9, rejected('+442079460002'), false);
  t.equal(top.top(2, false)[1]!.recorded, undefined, 'no outcome recorded for any of its rejected calls');
});

t.test('a caller that takes over a counter starts its records afresh', async (t) => {
  const top = new TopRejected(1);
  top.add(1, rejected('+1'), false, { status: 200, duration: 10_000 });
  top.add(2, rejected('+2'), false, { status: 486 });
  const [r] = top.top(1, false);
  t.equal(r!.caller, '+2');
  t.equal(r!.count_error, 1);
  t.same(r!.recorded, { calls: 1, answered: 0, timed: 0, talk_s: 0 }, 'only its own rejected call');
});
