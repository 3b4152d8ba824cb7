import t from 'tap';
import { Readable } from 'node:stream';
import type { CompiledRules } from '../../lib/engine/config.js';
import { Engine } from '../../lib/engine/engine.js';
import type { CallAttempt, CallOutcome, Decision } from '../../lib/engine/types.js';
import { BadRows, readCalls, type Row } from '../../lib/replay/csv.js';
import type { DecisionSink } from '../../lib/replay/decisions.js';
import { decisionLine } from '../../lib/replay/decisions.js';
import { csvLine, CSV_HEADER, generateCalls } from '../../lib/replay/generate.js';
import { replay } from '../../lib/replay/replay.js';
import { ALL_SIGNALS, LIST_RULES, rules } from '../helpers/replay-rules.js';

type Ev = { what: 'decide'; at: number; callId: string } | { what: 'observe'; at: number; callId: string; outcome: CallOutcome; matched: boolean };

/** The real engine, with a log of what replay fed it and when. */
class Probe extends Engine {
  log: Ev[] = [];
  override decide(a: CallAttempt): Decision {
    this.log.push({ what: 'decide', at: a.at, callId: a.callId });
    return super.decide(a);
  }
  override observe(o: CallOutcome): boolean {
    const matched = super.observe(o);
    this.log.push({ what: 'observe', at: o.at, callId: o.callId, outcome: o, matched });
    return matched;
  }
}

class Collect implements DecisionSink {
  out: string[] = [];
  write(row: Row, d: Decision): void {
    this.out.push(decisionLine(row, d));
  }
  ready(): null {
    return null;
  }
}

const T0 = Date.UTC(2025, 2, 3, 8);
const csv = (lines: string[]): Readable => Readable.from([lines.join('\n') + '\n']);

let listRules: CompiledRules;
t.before(async () => {
  listRules = await rules(LIST_RULES);
});

t.test('outcomes arrive at timestamp + ring and timestamp + ring + duration, in virtual time order', async (t) => {
  const e = new Probe(listRules);
  const rows = [
    'timestamp,call_id,caller,callee,status,ring,duration',
    `${T0 / 1000},a,+14155550100,+8613800138000,200,5,60`, // response at +5 s, hang-up at +65 s
    `${T0 / 1000 + 3},b,+14155550101,+8613800138001,487,2,`, // response at +5 s, no hang-up
    `${T0 / 1000 + 5},c,+14155550102,+8613800138002,200,0.5,10`, // attempt at +5 s
    `${T0 / 1000 + 70},d,+14155550103,+8613800138003,,,`, // no status, no duration: no outcome
    `${T0 / 1000 + 80},e,+14155550104,+8613800138004,,3,20`, // duration but no status: answered
  ];
  const s = await replay(readCalls(csv(rows)), e, { reorder: 0 });
  t.equal(s.calls, 5);
  const log = e.log.map((x) => (x.what === 'decide' ? `decide ${x.callId} @${(x.at - T0) / 1000}` : `observe ${x.callId} @${(x.at - T0) / 1000} ${x.outcome.status ?? 'end'}`));
  // Internal call ids are input positions 0..4 (a..e); ties: outcomes before the attempt, response before hang-up.
  t.same(log, [
    'decide 0 @0',
    'decide 1 @3',
    'observe 0 @5 200',
    'observe 1 @5 487',
    'decide 2 @5',
    'observe 2 @5.5 200',
    'observe 2 @15.5 end',
    'observe 0 @65 end',
    'decide 3 @70',
    'decide 4 @80',
    'observe 4 @83 200',
    'observe 4 @103 end',
  ]);
  const answered = e.log.find((x) => x.what === 'observe' && x.callId === '0' && x.outcome.status === 200) as Extract<Ev, { what: 'observe' }>;
  t.equal(answered.outcome.answeredAt, T0 + 5000);
  const ended = e.log.find((x) => x.what === 'observe' && x.callId === '0' && x.outcome.endedAt !== undefined) as Extract<Ev, { what: 'observe' }>;
  t.equal(ended.outcome.endedAt, T0 + 65000);
  t.ok(e.log.every((x) => x.what === 'decide' || x.matched), 'every outcome found its call');
  t.same(s.outcomes, { observed: 7, unmatched: 0 });
  t.end();
});

t.test('a CDR with talk time but no status, or no ring time, is read as a switch would have it', async (t) => {
  const all = await rules(ALL_SIGNALS);
  const e = new Probe(all);
  const quick = all.stats.quickRing / 1000;
  const rows = [
    'timestamp,call_id,caller,callee,status,ring,duration',
    `${T0 / 1000},a,+14155550100,+8613800138000,,,0`, // zero talk time, no status: not answered
    `${T0 / 1000 + 1},b,+14155550101,+8613800138001,486,,`, // failed, ring unknown
    `${T0 / 1000 + 2},c,+14155550102,+8613800138002,200,,30`, // answered, ring unknown: at once
    `${T0 / 1000 + 3},d,+14155550103,+8613800138003,487,1,`, // ring known: as given
  ];
  await replay(readCalls(csv(rows)), e, { reorder: 0 });
  const seen = (id: string): string[] =>
    e.log.filter((x): x is Extract<Ev, { what: 'observe' }> => x.what === 'observe' && x.callId === id).map((x) => `${(x.at - T0) / 1000} ${x.outcome.status ?? 'end'}`);
  t.same(seen('0'), [`${quick} 480`], 'no status and 0 s of talk: a no-answer (480), placed at the quick-ring limit');
  t.same(seen('1'), [`${1 + quick} 486`], 'a failure with no ring time is not taken for a quick ring');
  t.same(seen('2'), ['2 200', '32 end'], 'an answer with no ring time comes at once');
  t.same(seen('3'), ['4 487']);
  const c = e.tables.caller;
  const w = Math.max(...c.windows);
  t.ok(w >= 60_000, 'the caller table keeps a window to read');
  const quickCount = (n: string): number => c.view(n, T0 + 30_000).count('quick', w);
  const failedCount = (n: string): number => c.view(n, T0 + 30_000).count('failed', w);
  t.equal(failedCount('+14155550100'), 1, 'zero talk time counts as unanswered');
  t.equal(quickCount('+14155550100') + quickCount('+14155550101'), 0, 'no quick rings without ring times');
  t.equal(quickCount('+14155550103'), 1, 'a known 1 s ring is quick');
  t.end();
});

t.test('a rejected call never happened: its outcome is never observed', async (t) => {
  const e = new Probe(listRules);
  const rows = ['timestamp,caller,callee,status,ring,duration'];
  for (let i = 0; i < 10; i++) {
    rows.push(`${T0 / 1000 + i * 60},+44 20 7946 0999,+86138001380${String(i).padStart(2, '0')},200,4,120`); // denied
    rows.push(`${T0 / 1000 + i * 60 + 1},+442079460100,+86138001380${String(i).padStart(2, '0')},200,4,120`); // forwarded
  }
  const s = await replay(readCalls(csv(rows)), e);
  t.same(s.actions, { reject: 10, tag: 0, forward: 10 });
  const rejected = new Set(e.log.filter((x) => x.what === 'decide' && Number(x.callId) % 2 === 0).map((x) => x.callId));
  t.equal(rejected.size, 10);
  t.notOk(e.log.some((x) => x.what === 'observe' && rejected.has(x.callId)), 'no outcome event for a rejected call');
  t.same(s.outcomes, { observed: 20, unmatched: 0 }, 'two events per forwarded call, none for rejected ones');
  // And in the engine's own statistics (the views signals read): the denied caller made attempts, nothing was answered.
  const at = T0 + 10 * 60_000;
  const w = e.tables.caller.windows[0];
  if (w !== undefined) {
    t.equal(e.tables.caller.view('+442079460999', at).count('answered', w), 0);
    t.ok(e.tables.caller.view('+442079460999', at).count('attempts', w) > 0);
    t.ok(e.tables.caller.view('+442079460100', at).count('answered', w) > 0);
  }
  t.equal(e.sizes().pending, 0, 'nothing left waiting');
  t.end();
});

t.test('rejected calls leave no trace in answer statistics (all signals)', async (t) => {
  // Reputation counts answered talk; a rejected caller must not earn it from calls that never happened.
  const r = await rules(ALL_SIGNALS + 'lists:\n  blocked: { action: reject, numbers: ["+442079460999"] }\n');
  const e = new Engine(r);
  const rows = ['timestamp,caller,callee,status,ring,duration'];
  for (let i = 0; i < 30; i++) rows.push(`${T0 / 1000 + i * 30},+442079460999,+8613800138${String(i).padStart(3, '0')},200,5,600`);
  await replay(readCalls(csv(rows)), e);
  const caller = e.tables.caller;
  t.ok(caller.windows.length > 0);
  const at = T0 + 15 * 60_000;
  const v = caller.view('+442079460999', at);
  t.ok(v.count('attempts', caller.windows[0]!) > 0, 'the caller is tracked');
  for (const w of caller.windows) {
    t.equal(v.count('answered', w), 0, `no answers in the ${w / 60000}m window`);
    t.equal(v.count('talk', w), 0);
    // Windows of an hour or more hold all 30 attempts exactly; shorter ones are sliding estimates.
    if (w >= 3_600_000) t.equal(v.count('rejected', w), 30);
    else t.ok(v.count('rejected', w) > 0);
  }
  t.end();
});

t.test('decisions come out in input order even when rows are reordered; late rows are bad rows', async (t) => {
  const e = new Probe(listRules);
  const sink = new Collect();
  const bad = new BadRows();
  const rows = [
    'timestamp,call_id,caller,callee',
    `${T0 / 1000 + 10},r1,+14155550100,+8613800138000`,
    `${T0 / 1000 + 5},r2,+14155550101,+8613800138000`, // 5 s early: within the window
    `${T0 / 1000 + 100},r3,+14155550102,+8613800138000`,
    `${T0 / 1000 + 20},r4,+14155550103,+8613800138000`, // 80 s early: within 90 s
    `${T0 / 1000 + 200},r5,+14155550104,+8613800138000`,
    `${T0 / 1000 + 50},r6,+14155550105,+8613800138000`, // earlier than r3, already decided: late
  ];
  const reader = readCalls(csv(rows), { bad });
  const s = await replay(reader, e, { reorder: 90_000, sink, bad, rowsRead: () => reader.rows });
  t.same(sink.out.map((l) => JSON.parse(l).call_id), ['r1', 'r2', 'r3', 'r4', 'r5']);
  t.same(e.log.filter((x) => x.what === 'decide').map((x) => (x.at - T0) / 1000), [5, 10, 20, 100, 200], 'the engine saw time order');
  t.equal(s.rows, 6);
  t.equal(s.calls, 5);
  t.equal(s.bad_rows.count, 1);
  t.equal(s.bad_rows.first[0]!.line, 7);
  t.match(s.bad_rows.first[0]!.reason, /^out of order: 50\.000s before a call already replayed/);
  t.end();
});

t.test('strictly sorted mode (--reorder 0) reports any step back in time', async (t) => {
  const e = new Engine(listRules);
  const bad = new BadRows();
  const rows = ['timestamp,caller,callee', `${T0 / 1000 + 1},+14155550100,+8613800138000`, `${T0 / 1000},+14155550100,+8613800138000`, `${T0 / 1000 + 1},+14155550100,+8613800138000`];
  const s = await replay(readCalls(csv(rows), { bad }), e, { reorder: 0, bad });
  t.equal(s.calls, 2, 'equal timestamps are in order');
  t.same(s.bad_rows.first.map((b) => b.line), [3]);
  t.end();
});

t.test('duplicate call ids in the file still pair each outcome with its own attempt', async (t) => {
  const e = new Probe(listRules);
  const rows = ['timestamp,call_id,caller,callee,status,ring,duration', `${T0 / 1000},same,+14155550100,+8613800138000,200,5,100`, `${T0 / 1000 + 1},same,+14155550101,+8613800138001,486,1,`];
  const s = await replay(readCalls(csv(rows)), e);
  t.same(s.outcomes, { observed: 3, unmatched: 0 });
  t.end();
});

t.test('same input and rules: byte-identical decisions and summary', async (t) => {
  const r = await rules(ALL_SIGNALS);
  let text = CSV_HEADER + '\n';
  for (const c of generateCalls({ seed: 11, hours: 3, scale: 0.3 })) text += csvLine(c) + '\n';
  const run = async (): Promise<[string, string]> => {
    const sink = new Collect();
    const reader = readCalls(Readable.from([text]));
    const s = await replay(reader, new Engine(r), { sink, labelled: true, rowsRead: () => reader.rows });
    return [sink.out.join('\n'), JSON.stringify(s)];
  };
  const [d1, s1] = await run();
  const [d2, s2] = await run();
  t.ok(d1.length > 1000);
  t.equal(d1, d2, 'decision logs identical');
  t.equal(s1, s2, 'summaries identical');
  // Chunk boundaries of the input stream do not matter either.
  const sink = new Collect();
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 777) chunks.push(text.slice(i, i + 777));
  const s3 = await replay(readCalls(Readable.from(chunks)), new Engine(r), { sink, labelled: true });
  t.equal(sink.out.join('\n'), d1, 'same decisions with the file read in odd-sized chunks');
  t.equal(s3.calls, JSON.parse(s1).calls);
  t.end();
});

t.test('memory: the outcome heap holds only calls in flight', async (t) => {
  // 20k calls, each finished within a minute: pending entries never pile up.
  async function* rows(): AsyncGenerator<Row> {
    for (let i = 0; i < 20_000; i++) {
      yield { row: i + 1, line: i + 2, callId: String(i), at: T0 + i * 1000, caller: `+1415555${String(i % 5000).padStart(4, '0')}`, callee: '+8613800138000', status: 200, ring: 5000, duration: 30_000 };
    }
  }
  const e = new Engine(listRules);
  let maxPending = 0;
  const s = await replay(rows(), e, {
    reorder: 0,
    progress: () => {
      maxPending = Math.max(maxPending, e.sizes().pending);
    },
  });
  t.equal(s.calls, 20_000);
  t.ok(maxPending <= 40, `at most ~35 calls in flight at 1 call/s lasting 35 s (saw ${maxPending})`);
  t.end();
});

t.test('plain iterables work too, and an empty input gives an empty summary', async (t) => {
  const s = await replay([], new Engine(listRules));
  t.equal(s.calls, 0);
  t.same(s.time, { first: null, last: null });
  t.end();
});

t.test('a held caller whose rows all carry a 407 does not get every call through as a probe', async (t) => {
  // Any replay row can carry status 407. A challenged probe gives its turn to the retry, once: were that
  // without limit, every call of the held caller would be a probe and the hold would reject none.
  const r = await rules(`
home_country: CN
hold: { duration: 2h, probe: 10m, probe_backoff: 1 }
signals:
  rate: { window: 1m, max_calls: 3, max_weight: 200, history_factor: 0, population_factor: 0 }
`);
  const rows = ['timestamp,call_id,caller,callee,status,ring,duration'];
  // Six answered calls in ten seconds set the hold; then one call a minute for an hour, each challenged.
  for (let i = 0; i < 6; i++) rows.push(`${T0 / 1000 + i * 2},b${i},+14155550100,+8613800138000,200,1,5`);
  for (let m = 1; m <= 60; m++) rows.push(`${T0 / 1000 + m * 60},m${m},+14155550100,+8613800138000,407,,`);
  const e = new Probe(r);
  await replay(readCalls(csv(rows)), e, { reorder: 0 });
  const probes = e.counters.probes;
  const observed = e.log.filter((x) => x.what === 'observe' && x.outcome.status === 407 && x.matched).length;
  t.ok(e.holdOf('+14155550100'), 'held');
  t.ok(probes >= 6 && probes <= 12, `a probe and its retry per 10 minutes (${probes} probes)`);
  t.equal(observed, probes, 'only the probes went through');
});
