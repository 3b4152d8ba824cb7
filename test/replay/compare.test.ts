import t from 'tap';
import { BaselineRecorder, Comparer, formatComparison, REASONS_NOT_KEPT, TeeSink } from '../../lib/replay/compare.js';
import type { Action, Decision, Reason } from '../../lib/engine/types.js';
import type { Row } from '../../lib/replay/csv.js';
import type { DecisionSink } from '../../lib/replay/decisions.js';

const row = (n: number, label?: string): Row => ({ row: n, line: n + 1, callId: `c${n}`, at: n * 1000, caller: `+4420794609${String(n).padStart(2, '0')}`, callee: '+8613800138000', ...(label !== undefined ? { label } : {}) });
const decision = (action: Action, reasons: Reason[] = []): Decision => ({ callId: '', action, score: reasons.reduce((s, r) => s + r.points, 0), reasons, scope: 'default', caller: '', callee: '' });
const r = (signal: string, points: number, detail = `${signal} detail`): Reason => ({ signal, points, detail });

t.test('counts moves between actions, split by label, with the reasons on both sides', async (t) => {
  const base = new BaselineRecorder();
  const before: Array<[Row, Decision]> = [
    [row(1), decision('forward')],
    [row(2, 'wangiri'), decision('tag', [r('wangiri', 45), r('unanswered', 10)])],
    [row(3, 'legit'), decision('forward', [r('reputation', -20)])],
    [row(4, 'robocall'), decision('reject', [r('fan-out', 60), r('rate', 50)])],
    [row(5), decision('forward')],
  ];
  for (const [rw, d] of before) base.write(rw, d);
  const cmp = new Comparer(base, 'old.yaml', () => true);
  cmp.write(row(1), decision('forward'));
  cmp.write(row(2, 'wangiri'), decision('reject', [r('wangiri', 70), r('unanswered', 40), r('rate', 5), r('fan-out', 1)]));
  cmp.write(row(3, 'legit'), decision('reject', [r('short-calls', 100)]));
  cmp.write(row(4, 'robocall'), decision('reject', [r('fan-out', 60)]));
  cmp.write(row(5), decision('tag', [r('rate', 40)]));
  cmp.write(row(6), decision('reject'));
  const c = cmp.result();
  t.equal(c.calls, 5, 'a row the baseline never decided (a bad row there) is not compared');
  t.equal(c.changed, 3);
  t.same(c.matrix, { reject: { reject: 1, tag: 0, forward: 0 }, tag: { reject: 1, tag: 0, forward: 0 }, forward: { reject: 1, tag: 1, forward: 1 } });
  t.same(c.fraud, { reject: { reject: 1, tag: 0, forward: 0 }, tag: { reject: 1, tag: 0, forward: 0 }, forward: { reject: 0, tag: 0, forward: 0 } });
  t.same(c.legit?.forward, { reject: 1, tag: 1, forward: 1 }, 'empty and "legit" labels are legitimate');
  t.same(c.examples.map((e) => [e.line, e.from, e.to]), [[3, 'tag', 'reject'], [4, 'forward', 'reject'], [6, 'forward', 'tag']]);
  const w = c.examples[0]!;
  t.same(w.before, ['wangiri +45: wangiri detail', 'unanswered +10: unanswered detail'], 'the baseline side names its reasons, not only the strongest');
  t.same(w.after, ['wangiri +70: wangiri detail', 'unanswered +40: unanswered detail', 'rate +5: rate detail'], 'at most three, strongest first');
  t.same([w.from_score, w.to_score], [55, 116], 'both scores');
  t.same(c.examples[1]!.before, ['reputation -20: reputation detail']);
  t.same(c.examples[2]!.before, [], 'a baseline decision without reasons');

  const text = formatComparison(c);
  t.match(text, /Against baseline old\.yaml: 3 of 5 calls \(60\.00%\) change action/);
  t.match(text, /legitimate calls: 1 newly rejected, 0 no longer rejected, 1 newly tagged \(of 3; rejected 33\.33% now, 0\.00% before\)/);
  t.match(text, /fraud calls: 1 newly rejected, 0 no longer rejected/);
  t.match(text, /line 3 call c2: \+442079460902 -> \+8613800138000 \[wangiri\]: tag -> reject/);
  t.match(text, /\n {6}before: tag 55 \(wangiri \+45: wangiri detail; unanswered \+10: unanswered detail\), scope default\n {6}now: {4}reject 116 \(wangiri \+70: wangiri detail; unanswered \+40: unanswered detail; rate \+5: rate detail\), scope default\n/);
  t.match(text, /before: forward -20 \(reputation -20: reputation detail\), scope default\n {6}now: {4}reject 100 \(short-calls \+100: short-calls detail\)/);
  t.match(text, /before: forward 0 \(no reason\), scope default\n {6}now: {4}tag 40 \(rate \+40: rate detail\)/);
});

t.test('the baseline side shows what the now side shows: action, score, three strongest reasons', async (t) => {
  // The call of the review: the baseline tagged it on wangiri and unanswered together, not on wangiri alone.
  const base = new BaselineRecorder();
  base.write(row(1), decision('tag', [r('unanswered', 28.9, 'unanswered d'), r('wangiri', 51.7, 'wangiri d')]));
  base.write(row(2), decision('reject', [r('a', 10), r('b', 40), r('c', 30), r('d', 20), r('e', 5)]));
  const cmp = new Comparer(base, 'old.yaml', () => false);
  cmp.write(row(1), decision('reject', [r('wangiri', 71.7, 'wangiri d'), r('unanswered', 28.9, 'unanswered d')]));
  cmp.write(row(2), decision('forward'));
  const c = cmp.result();
  const [a, b] = c.examples;
  t.same(a, { line: 2, call_id: 'c1', caller: '+442079460901', callee: '+8613800138000', from: 'tag', to: 'reject', from_score: 80.6, to_score: 100.6, from_scope: 'default', to_scope: 'default', before: ['wangiri +51.7: wangiri d', 'unanswered +28.9: unanswered d'], after: ['wangiri +71.7: wangiri d', 'unanswered +28.9: unanswered d'] });
  t.same(b?.before, ['b +40: b detail', 'c +30: c detail', 'd +20: d detail'], 'at most three on the baseline side too, strongest first');
  t.equal(b?.from_score, 105);
  const text = formatComparison(c);
  t.match(text, /before: tag 80\.6 \(wangiri \+51\.7: wangiri d; unanswered \+28\.9: unanswered d\), scope default\n {6}now: {4}reject 100\.6 \(wangiri \+71\.7: wangiri d; unanswered \+28\.9: unanswered d\), scope default/);
  t.match(text, /before: reject 105 \(b \+40: b detail; c \+30: c detail; d \+20: d detail\), scope default\n {6}now: {4}forward 0 \(no reason\)/);
});

t.test('a call that changed scope says so: the same score and reasons, other thresholds', async (t) => {
  const base = new BaselineRecorder();
  base.write(row(1), { ...decision('tag', [r('unanswered', 74.5)]), scope: 'default' });
  const cmp = new Comparer(base, 'old.yaml', () => false);
  cmp.write(row(1), { ...decision('reject', [r('unanswered', 74.5)]), scope: 'grey-cidr' });
  const [e] = cmp.result().examples;
  t.same([e?.from_scope, e?.to_scope], ['default', 'grey-cidr']);
  t.match(formatComparison(cmp.result()), /before: tag 74\.5 \(unanswered \+74\.5: unanswered detail\), scope default\n {6}now: {4}reject 74\.5 \(unanswered \+74\.5: unanswered detail\), scope grey-cidr/);
});

t.test('past its budget the recorder keeps action and score, and says the reasons were not kept', async (t) => {
  const base = new BaselineRecorder({ texts: 2, chars: 1000 });
  for (let i = 1; i <= 4; i++) base.write(row(i), decision('tag', [r('rate', 40 + i)]));
  base.write(row(5), decision('tag', [r('rate', 41)]));
  t.same([1, 2, 3, 5].map((i) => base.reasonsOf(i)), [['rate +41: rate detail'], ['rate +42: rate detail'], [REASONS_NOT_KEPT], ['rate +41: rate detail']], 'a list already kept is still found');
  t.same([base.actionOf(3), base.scoreOf(3)], ['tag', 43]);
  const small = new BaselineRecorder({ texts: 10, chars: 30 });
  small.write(row(1), decision('tag', [r('rate', 40, 'x'.repeat(40))]));
  t.same(small.reasonsOf(1), [REASONS_NOT_KEPT], 'the character budget counts too');
});

t.test('unlabelled input has no label split; examples are capped per kind of move', async (t) => {
  const base = new BaselineRecorder();
  const cmp = new Comparer(base, 'b.yaml', () => false, 2);
  for (let i = 1; i <= 10; i++) base.write(row(i), decision('forward'));
  for (let i = 1; i <= 10; i++) cmp.write(row(i), decision(i % 2 ? 'reject' : 'tag'));
  const c = cmp.result();
  t.equal(c.legit, undefined);
  t.equal(c.fraud, undefined);
  t.equal(c.changed, 10);
  t.same(c.examples.map((e) => `${e.line}:${e.to}`), ['2:reject', '3:tag', '4:reject', '5:tag']);
  t.notMatch(formatComparison(c), /legitimate calls/);
});

t.test('the baseline recorder grows with the row numbers it is given', async (t) => {
  const base = new BaselineRecorder();
  base.write(row(100_000), decision('reject', [r('hold', 100)]));
  t.equal(base.actionOf(100_000), 'reject');
  t.same(base.reasonsOf(100_000), ['hold +100: hold detail']);
  t.equal(base.scoreOf(100_000), 100);
  t.equal(base.actionOf(99_999), undefined);
  t.equal(base.actionOf(5_000_000), undefined);
});

t.test('a tee feeds every sink and waits for the ones that are full', async (t) => {
  const seen: string[] = [];
  let release: () => void = () => {};
  const slow: DecisionSink = { write: (rw) => void seen.push(`slow ${rw.row}`), ready: () => new Promise<void>((res) => (release = res)) };
  const fast: DecisionSink = { write: (rw) => void seen.push(`fast ${rw.row}`), ready: () => null };
  const tee = new TeeSink([slow, fast]);
  tee.write(row(1), decision('forward'));
  t.same(seen, ['slow 1', 'fast 1']);
  const wait = tee.ready();
  t.ok(wait, 'a full sink makes the tee wait');
  let done = false;
  void wait!.then(() => (done = true));
  await new Promise((res) => setImmediate(res));
  t.notOk(done);
  release();
  await wait;
  t.ok(done);
  t.equal(new TeeSink([fast]).ready(), null);
});
