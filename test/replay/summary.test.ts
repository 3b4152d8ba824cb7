import t from 'tap';
import { Readable } from 'node:stream';
import { Engine } from '../../lib/engine/engine.js';
import type { Decision } from '../../lib/engine/types.js';
import { BadRows, readCalls } from '../../lib/replay/csv.js';
import { replay } from '../../lib/replay/replay.js';
import { formatSummary, isFraudLabel, Tally } from '../../lib/replay/summary.js';
import { LIST_RULES, rules } from '../helpers/replay-rules.js';

const T0 = Date.UTC(2025, 2, 3, 8) / 1000;
const DENY = '+442079460999';
const SUSPECT = '+442079460888';

/** 18 calls: legit 12 (1 rejected, 1 tagged), fraud 6 (3 rejected, 1 tagged). */
function labelled(): string {
  const lines = ['timestamp,caller,callee,label,kind'];
  let t = T0;
  const add = (caller: string, label: string, kind: string): void => {
    lines.push(`${t++},${caller},+8613800138000,${label},${kind}`);
  };
  for (let i = 0; i < 8; i++) add(`+1415555010${i}`, 'legit', 'person');
  add(DENY, 'legit', 'business');
  add(SUSPECT, 'Legit', 'business');
  add('+14155550200', '', 'person');
  add('+14155550201', '', 'person');
  for (let i = 0; i < 3; i++) add(DENY, 'wangiri', 'wangiri');
  add('+14155550300', 'wangiri', 'wangiri');
  add(SUSPECT, 'robocall', 'robocall');
  add('+14155550301', 'robocall', 'robocall');
  return lines.join('\n') + '\n';
}

async function run(text: string, by?: string) {
  const bad = new BadRows();
  const reader = readCalls(Readable.from([text]), { bad, ...(by ? { by } : {}) });
  return replay(reader, new Engine(await rules(LIST_RULES)), {
    bad,
    get labelled() {
      return reader.hasLabel;
    },
    rowsRead: () => reader.rows,
    ...(by ? { by } : {}),
  });
}

t.test('labels: empty and legit (any case) are legitimate, anything else is fraud', async (t) => {
  t.notOk(isFraudLabel(undefined));
  t.notOk(isFraudLabel(''));
  t.notOk(isFraudLabel('LEGIT'));
  t.ok(isFraudLabel('wangiri'));
  // Labelled data sets of other origins: 0/1, true/false, normal/benign.
  for (const l of ['0', 'false', 'Normal', ' benign ', 'legitimate', 'no']) t.notOk(isFraudLabel(l), `${l} is legitimate`);
  for (const l of ['1', 'true', 'fraud', 'spam', 'yes']) t.ok(isFraudLabel(l), `${l} is fraud`);
  t.end();
});

t.test('a file labelled 0/1 gets a legit row and a fraud row, not two fraud kinds', async (t) => {
  // The same calls as labelled(), with 0 for every legitimate label and 1 for every fraud one.
  const zeroOne = labelled().replace(/,(legit|Legit|),(person|business)$/gm, ',0,$2').replace(/,(wangiri|robocall),(\w+)$/gm, ',1,$2');
  const s = await run(zeroOne);
  const ref = await run(labelled());
  t.same(s.labels?.map((l) => [l.name, l.fraud, l.calls]), [['legit', false, 12], ['1', true, 6]]);
  t.same(s.fraud, ref.fraud);
  t.same(s.legit, ref.legit);
});

t.test('per-label table and fraud / legit shares', async (t) => {
  const s = await run(labelled());
  t.same(s.actions, { reject: 4, tag: 2, forward: 12 });
  t.same(s.labels, [
    { name: 'legit', fraud: false, calls: 12, rejected: 1, tagged: 1, forwarded: 10, rejected_pct: 8.3333, tagged_pct: 8.3333, forwarded_pct: 83.3333 },
    { name: 'robocall', fraud: true, calls: 2, rejected: 0, tagged: 1, forwarded: 1, rejected_pct: 0, tagged_pct: 50, forwarded_pct: 50 },
    { name: 'wangiri', fraud: true, calls: 4, rejected: 3, tagged: 0, forwarded: 1, rejected_pct: 75, tagged_pct: 0, forwarded_pct: 25 },
  ]);
  t.same(s.fraud, { calls: 6, rejected: 3, tagged: 1, rejected_pct: 50, tagged_pct: 16.6667 });
  t.same(s.legit, { calls: 12, rejected: 1, tagged: 1, rejected_pct: 8.3333, tagged_pct: 8.3333 });
  t.same(s.signals.map((x) => [x.signal, x.calls, x.legit, x.fraud, x.rejected]), [
    ['list:blocked', 4, 1, 3, 4],
    ['list:suspect', 2, 1, 1, 0],
  ]);
  t.same(s.rejected_by, [{ by: 'list:blocked', calls: 4, legit: 1, fraud: 3 }], 'every reject was the deny list');

  const text = formatSummary(s, 'Replay of x.csv');
  t.match(text, /\nRejects by what decided them\n {2}rejected by\s+calls\s+legit\s+fraud\n {2}list:blocked\s+4\s+1\s+3\n/);
  t.match(text, /^Replay of x\.csv\n/);
  t.match(text, /18 rows, 18 calls replayed, 0 bad rows/);
  t.match(text, /\n {2}reject\s+4\s+22\.22%\n/);
  t.match(text, /\n {2}label\s+calls\s+rejected\s+tagged\s+forwarded\n/);
  t.match(text, /\n {2}legit\s+12\s+8\.33%\s+8\.33%\s+83\.33%\n/);
  t.match(text, /\n {2}wangiri\s+4\s+75\.00%\s+0\.00%\s+25\.00%\n/);
  t.match(text, /fraud rejected: +50\.00% \(3 of 6\), tagged 16\.67% \(1\)/);
  t.match(text, /legit rejected: +8\.33% \(1 of 12\), tagged 8\.33% \(1\)/);
  t.notMatch(text, /Bad rows/);
  t.end();
});

t.test('no label column: no label table, no fraud/legit lines', async (t) => {
  const s = await run('timestamp,caller,callee\n1740988800,+442079460999,+8613800138000\n1740988801,+14155550100,+8613800138000\n');
  t.equal(s.labels, undefined);
  t.equal(s.fraud, undefined);
  const text = formatSummary(s);
  t.notMatch(text, /By label|fraud rejected/);
  t.match(text, /reject\s+1\s+50\.00%/);
  t.same(s.signals[0], { signal: 'list:blocked', calls: 1, rejected: 1 }, 'no legit/fraud split without labels');
  t.end();
});

t.test('--by adds a table per value of another column', async (t) => {
  const s = await run(labelled(), 'kind');
  t.same(s.groups?.column, 'kind');
  t.same(s.groups?.rows.map((r) => [r.name, r.fraud, r.calls, r.rejected, r.tagged]), [
    ['business', false, 2, 1, 1],
    ['person', false, 10, 0, 0],
    ['robocall', true, 2, 0, 1],
    ['wangiri', true, 4, 3, 0],
  ]);
  t.match(formatSummary(s), /\nBy kind\n {2}kind\s+calls/);
  t.end();
});

t.test('bad rows and small shares in the text summary', async (t) => {
  const lines = ['timestamp,caller,callee,label'];
  for (let i = 0; i < 2000; i++) lines.push(`${T0 + i},+1415555${String(i).padStart(4, '0')},+8613800138000,legit`);
  lines.push(`${T0 + 3000},${DENY},+8613800138000,legit`);
  lines.push('later,+14155550100,+8613800138000,legit');
  lines.push(`${T0 + 3001},+14155550100,,legit`);
  const s = await run(lines.join('\n'));
  const text = formatSummary(s);
  t.match(text, /legit rejected: +0\.050% \(1 of 2,001\)/, 'a share under 1% keeps three decimals');
  t.match(text, /Bad rows: 2 skipped \(missing callee 1, unparseable timestamp 1\)/);
  t.match(text, /\n {2}line 2003: unparseable timestamp: 'later'\n {2}line 2004: missing callee\n/);
  t.equal(s.rows, 2003);
  t.end();
});

t.test('monitor mode: forwarded, counted by what it would have done', async (t) => {
  const tally = new Tally();
  const d = (action: Decision['action'], wouldBe?: Decision['action']): Decision => ({
    callId: '1', action, score: 0, reasons: [], scope: 'default', caller: '', callee: '',
    ...(wouldBe ? { monitor: true, wouldBe } : {}),
  });
  tally.add(1, 'x', undefined, d('forward', 'reject'));
  tally.add(2, 'x', undefined, d('forward', 'tag'));
  tally.add(3, undefined, undefined, d('reject'));
  tally.add(4, 'x', undefined, { ...d('forward', 'reject'), rejectedBy: 'hold' });
  tally.add(5, undefined, undefined, { ...d('reject'), rejectedBy: 'score' });
  tally.add(6, 'x', undefined, { ...d('reject'), rejectedBy: 'score' });
  const s = tally.summary(6, new BadRows(), { observed: 0, unmatched: 0 }, 0, {}, true);
  t.same(s.rejected_by, [
    { by: 'score', calls: 2, legit: 1, fraud: 1 },
    { by: 'hold', calls: 1, legit: 0, fraud: 1 },
  ], 'most first; a would-be reject counts what would have rejected it');
  t.match(formatSummary(s), /Rejects by what decided them \(rejects, and would-be rejects of the calls decided in monitor mode\)/, 'some calls monitored');
  const all = new Tally();
  all.add(1, 'x', undefined, { ...d('forward', 'reject'), rejectedBy: 'score' });
  t.match(formatSummary(all.summary(1, new BadRows(), { observed: 0, unmatched: 0 }, 0, {}, true)), /Rejects by what decided them \(monitor mode: would-be rejects\)/, 'every call monitored');
  t.same(s.actions, { reject: 3, tag: 0, forward: 3 });
  t.same(s.monitor, { reject: 2, tag: 1, forward: 0 });
  t.match(formatSummary(s), /monitor mode: 3 calls forwarded unchanged; would have rejected 2, tagged 1/);
  t.end();
});

t.test('thousands of distinct labels fold into (other)', async (t) => {
  const tally = new Tally();
  const d: Decision = { callId: '1', action: 'forward', score: 0, reasons: [], scope: 'default', caller: '', callee: '' };
  for (let i = 0; i < 2000; i++) tally.add(i, `kind-${i}`, undefined, d);
  const s = tally.summary(2000, new BadRows(), { observed: 0, unmatched: 0 }, 0, {}, true);
  t.ok(s.labels!.length <= 502);
  t.equal(s.labels!.reduce((a, r) => a + r.calls, 0), 2000, 'every call still counted');
  t.ok(s.labels!.some((r) => r.name === '(other)'));
  t.end();
});

t.test('signals table: a monitor-only list or signal is never counted as the cause of a reject', async (t) => {
  // 'watch' is a monitored deny list holding the denied caller and the suspect: on the
  // denied caller's calls it scores the reject threshold, but 'blocked' is what rejects them.
  const text = `${LIST_RULES}  watch: { action: reject, monitor: true, numbers: ['${DENY}', '${SUSPECT}'] }\n`;
  const bad = new BadRows();
  const reader = readCalls(Readable.from([labelled()]), { bad });
  const s = await replay(reader, new Engine(await rules(text)), { bad, labelled: true, rowsRead: () => reader.rows });
  t.same(s.actions, { reject: 4, tag: 2, forward: 12 }, 'the monitored list changes no action');
  t.same(s.signals.map((x) => [x.signal, x.calls, x.rejected, x.monitor]), [
    ['list:watch', 6, 0, 6],
    ['list:blocked', 4, 4, 0],
    ['list:suspect', 2, 0, 0],
  ]);
  t.equal(s.signals[0]!.would_reject, undefined, 'no monitor-mode decisions, no would-reject column');
  const out = formatSummary(s);
  t.match(out, /\n {2}signal\s+calls\s+legit\s+fraud\s+rejected\s+monitor\n/);
  t.match(out, /\n {2}list:watch\s+6\s+2\s+4\s+0\s+6\n/);
  t.match(out, /\n {2}list:blocked\s+4\s+1\s+3\s+4\s+0\n/);

  // A signal in monitor mode, as the engine marks it in its reason.
  const tally = new Tally();
  const reason = (signal: string, detail: string) => ({ signal, points: 60, detail });
  const d: Decision = {
    callId: '1', action: 'reject', score: 60, scope: 'default', caller: '', callee: '',
    reasons: [reason('burst', '40 calls in 90s'), reason('fan-out', '(monitor) 12 distinct callees in 10m')],
  };
  tally.add(1, undefined, undefined, d);
  const t2 = tally.summary(1, new BadRows(), { observed: 0, unmatched: 0 }, 0, {}, false);
  t.same(t2.signals, [
    { signal: 'burst', calls: 1, rejected: 1, monitor: 0 },
    { signal: 'fan-out', calls: 1, rejected: 0, monitor: 1 },
  ]);
  t.end();
});

t.test('signals table in global monitor mode: nothing rejected, what would have been is its own column', async (t) => {
  const bad = new BadRows();
  const reader = readCalls(Readable.from([labelled()]), { bad });
  const s = await replay(reader, new Engine(await rules(`monitor: true\n${LIST_RULES}`)), { bad, labelled: true, rowsRead: () => reader.rows });
  t.same(s.actions, { reject: 0, tag: 0, forward: 18 });
  t.same(s.signals.map((x) => [x.signal, x.calls, x.rejected, x.monitor, x.would_reject]), [
    ['list:blocked', 4, 0, 4, 4],
    ['list:suspect', 2, 0, 2, 0],
  ]);
  const out = formatSummary(s);
  t.match(out, /\n {2}signal\s+calls\s+legit\s+fraud\s+rejected\s+monitor\s+would reject\n/);
  t.match(out, /\n {2}list:blocked\s+4\s+1\s+3\s+0\s+4\s+4\n/);
  t.end();
});

t.test('callers with the most rejected calls: all of them, and the legitimate ones when labelled', async (t) => {
  const s = await run(labelled());
  t.same(s.top_rejected!.map((r) => [r.caller, r.rejected, r.legit]), [[DENY, 4, 1]], 'the deny-listed caller, one of its rejects labelled legit');
  t.same(s.top_rejected_legit!.map((r) => [r.caller, r.rejected, r.first.by]), [[DENY, 1, 'list:blocked']]);
  const text = formatSummary(s);
  t.match(text, /Legitimate callers with the most rejected calls\n\s+caller\s+rejected\s+on hold\s+first reject\n\s+\+442079460999\s+1\s+0\s+2025-03-03T08:00:08Z list:blocked/);
  t.notMatch(text, /^Callers with the most rejected calls/m, 'labelled: the legitimate table is the one shown');

  const plain = await run(labelled().replace(',label,kind', ',x,kind'));
  t.equal(plain.top_rejected_legit, undefined);
  t.match(formatSummary(plain), /\nCallers with the most rejected calls\n.*\n\s+\+442079460999\s+4\s+0\s/);
});

t.test('--top: how many callers are listed, 0 for none', async (t) => {
  const d = (caller: string): Decision => ({ callId: '1', action: 'reject', score: 100, reasons: [], scope: 'default', caller, callee: '', rejectedBy: 'score' });
  const one = new Tally({ top: 1 });
  for (const c of ['+1', '+2', '+2']) one.add(0, undefined, undefined, d(c));
  t.same(one.summary(3, new BadRows(), { observed: 0, unmatched: 0 }, 0, {}, false).top_rejected!.map((r) => r.caller), ['+2']);
  const none = new Tally({ top: 0 });
  none.add(0, undefined, undefined, d('+1'));
  const s = none.summary(1, new BadRows(), { observed: 0, unmatched: 0 }, 0, {}, false);
  t.equal(s.top_rejected, undefined);
  t.notMatch(formatSummary(s), /most rejected calls/);
});

t.test("callers with the most rejected calls show what their rejected calls did in the records", async (t) => {
  // The deny-listed caller's rejected calls were answered twice in three, talking 2 min each, in the input:
  // the mark of a business an allow list should let through.
  const lines = ['timestamp,caller,callee,status,duration,label'];
  lines.push(`${T0},${DENY},+8613800138000,200,120,legit`, `${T0 + 1},${DENY},+8613800138001,200,120,legit`, `${T0 + 2},${DENY},+8613800138002,486,0,legit`);
  const s = await run(lines.join('\n') + '\n');
  t.same(s.top_rejected_legit![0]!.recorded, { calls: 3, answered: 2, timed: 2, talk_s: 240 });
  const text = formatSummary(s);
  t.match(text, /\n\s+caller\s+rejected\s+on hold\s+in the records\s+first reject\n\s+\+442079460999\s+3\s+0\s+67% answered, 2m00s\s+2025-03-03T08:00:0\dZ list:blocked/);
  t.match(text, /in the records: what the input's status and duration say these rejected calls did/);
  // A status column without durations: the share answered, and no talk time made up.
  const untimed = await run(lines.map((l) => l.split(',').filter((_, i) => i !== 4).join(',')).join('\n') + '\n');
  t.same(untimed.top_rejected_legit![0]!.recorded, { calls: 3, answered: 2, timed: 0, talk_s: 0 });
  t.match(formatSummary(untimed), /\+442079460999\s+3\s+0\s+67% answered\s+2025-/);
  const none = await run(labelled());
  t.notMatch(formatSummary(none), /in the records/, 'no status or duration column: no such column in the table');
});
