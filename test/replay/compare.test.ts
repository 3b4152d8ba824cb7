import t from 'tap';
import { BaselineRecorder, Comparer, formatComparison, TeeSink } from '../../lib/replay/compare.js';
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
  t.equal(w.before, 'wangiri +45: wangiri detail', 'the baseline side names its strongest reason');
  t.same(w.after, ['wangiri +70: wangiri detail', 'unanswered +40: unanswered detail', 'rate +5: rate detail'], 'at most three, strongest first');
  t.equal(c.examples[1]!.before, 'reputation -20: reputation detail');

  const text = formatComparison(c);
  t.match(text, /Against baseline old\.yaml: 3 of 5 calls \(60\.00%\) change action/);
  t.match(text, /legitimate calls: 1 newly rejected, 0 no longer rejected, 1 newly tagged \(of 3; rejected 33\.33% now, 0\.00% before\)/);
  t.match(text, /fraud calls: 1 newly rejected, 0 no longer rejected/);
  t.match(text, /line 3 call c2: \+442079460902 -> \+8613800138000 \[wangiri\]: tag -> reject/);
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
  t.equal(base.reasonOf(100_000), 'hold +100: hold detail');
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
