import t from 'tap';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import type { Decision } from '../../lib/engine/types.js';
import type { Row } from '../../lib/replay/csv.js';
import { DecisionLog, decisionLine } from '../../lib/replay/decisions.js';

/** The decision line as it was first written: an object through JSON.stringify. decisionLine must give the same bytes. */
function reference(row: Row, d: Decision): string {
  const o: Record<string, unknown> = {
    call_id: row.callId,
    action: d.action,
    score: d.score,
    reasons: d.reasons.map((r) => ({ signal: r.signal, points: r.points, detail: r.detail })),
  };
  if (d.code !== undefined) o.code = d.code;
  if (d.rejectedBy !== undefined) o.rejected_by = d.rejectedBy;
  if (d.monitor) o.would_be = d.wouldBe;
  o.at = new Date(row.at).toISOString();
  o.caller = d.caller;
  o.callee = d.callee;
  if (row.label !== undefined) o.label = row.label;
  o.scope = d.scope;
  o.line = row.line;
  return JSON.stringify(o);
}

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', 'legit', '"quoted" \\ back', 'tab\there', 'nl\nhere', '\u2028', '\ud800', '\udc00x', '😀', '\u007f', 'é'),
);
const num = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 0.1 + 0.2));
/** Mostly what the types say, now and then what a careless plugin might leave. */
const loose = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 8, arbitrary: a }, { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, 7, 'x', [1], { a: 1 }) });
const time = fc.oneof(
  fc.integer({ min: 0, max: 4_102_444_800_000 }),
  fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
  fc.constantFrom(-62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, 8.64e15 + 1, NaN, -1, 0, 1.5, -0.5, 86_399_999, 86_400_000),
);

const pair = fc.record({
  row: fc.record({ row: fc.nat(), line: fc.nat(), callId: text, at: time, caller: text, callee: text, label: fc.option(text, { nil: undefined }) }),
  d: fc.record({
    callId: text,
    action: loose(fc.constantFrom('reject', 'tag', 'forward')),
    score: loose(num),
    reasons: fc.array(fc.record({ signal: loose(text), points: loose(num), detail: loose(text) }), { maxLength: 4 }),
    code: fc.option(loose(fc.constantFrom(603, 607, 608)), { nil: undefined }),
    rejectedBy: fc.option(loose(fc.constantFrom('score', 'hold', 'list:deny', 'domestic-cli')), { nil: undefined }),
    monitor: fc.option(fc.boolean(), { nil: undefined }),
    wouldBe: fc.option(loose(fc.constantFrom('reject', 'tag', 'forward')), { nil: undefined }),
    scope: loose(text),
    caller: loose(text),
    callee: loose(text),
  }),
});

t.test('decisionLine gives the bytes JSON.stringify of the decision object gave', async (t) => {
  fc.assert(
    fc.property(pair, ({ row, d }) => {
      // Loose values stand for what a third-party plugin might return despite the types.
      const r = row as Row;
      const dec = d as unknown as Decision;
      let want: string | Error;
      try {
        want = reference(r, dec);
      } catch (err) {
        want = err as Error;
      }
      if (want instanceof Error) {
        t.throws(() => decisionLine(r, dec), { name: want.name });
        return true;
      }
      return decisionLine(r, dec) === want;
    }),
    { numRuns: 20_000, seed: 5 },
  );
  t.end();
});

t.test('a reject says what rejected it, as the log line and /inspect do (rejected_by)', async (t) => {
  const row: Row = { row: 1, line: 2, callId: 'c1', at: 0, caller: '+23276123456', callee: '+442079460123' };
  const base: Decision = { callId: 'c1', action: 'reject', score: 5, reasons: [], scope: 'default', caller: '+23276123456', callee: '+442079460123', code: 608 };
  t.equal(JSON.parse(decisionLine(row, { ...base, rejectedBy: 'domestic-cli' })).rejected_by, 'domestic-cli');
  const monitor = JSON.parse(decisionLine(row, { ...base, action: 'forward', monitor: true, wouldBe: 'reject', rejectedBy: 'score' }));
  t.equal(monitor.rejected_by, 'score', 'a would-be reject in monitor mode too');
  t.notOk('rejected_by' in JSON.parse(decisionLine(row, { ...base, action: 'forward' })), 'absent when nothing rejected');
});

t.test('times across many days, in order and not, format as toISOString does', async (t) => {
  const d: Decision = { callId: 'x', action: 'forward', score: 0, reasons: [], scope: 'default', caller: '+1', callee: '+2' };
  for (let ms = Date.UTC(1969, 11, 30); ms < Date.UTC(1970, 0, 3); ms += 3_599_999) {
    for (const at of [ms, Date.UTC(2025, 2, 3) + ms, -ms]) {
      const row: Row = { row: 1, line: 2, callId: 'x', at, caller: '+1', callee: '+2' };
      t.equal(decisionLine(row, d), reference(row, d));
    }
  }
  t.end();
});

t.test('the log: one line per decision, in order, flushed on close', async (t) => {
  const chunks: string[] = [];
  const log = new DecisionLog(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }));
  const d: Decision = { callId: 'x', action: 'tag', score: 45, reasons: [{ signal: 'fan-out', points: 45, detail: 'called 12 local numbers in 10m' }], scope: 'default', caller: '+1', callee: '+2' };
  for (let i = 0; i < 5000; i++) log.write({ row: i + 1, line: i + 2, callId: `c${i}`, at: Date.UTC(2025, 2, 3) + i * 997, caller: '+1', callee: '+2' }, d);
  await log.close();
  const lines = chunks.join('').split('\n');
  t.equal(lines.pop(), '', 'ends with a line break');
  t.equal(lines.length, 5000);
  t.same(JSON.parse(lines[4999]!), { call_id: 'c4999', action: 'tag', score: 45, reasons: [{ signal: 'fan-out', points: 45, detail: 'called 12 local numbers in 10m' }], at: new Date(Date.UTC(2025, 2, 3) + 4999 * 997).toISOString(), caller: '+1', callee: '+2', scope: 'default', line: 5001 });
  t.end();
});

t.test('the log writes the reference lines byte for byte; a decision that throws leaves nothing behind', async (t) => {
  const chunks: Buffer[] = [];
  const log = new DecisionLog(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(Buffer.from(c)), cb()) }));
  const want: string[] = [];
  let thrown = 0;
  const long = 'x'.repeat(200_000); // longer than a chunk: the buffer grows
  const samples = fc.sample(pair, { numRuns: 5000, seed: 9 });
  samples.push({ row: { row: 1, line: 2, callId: long, at: 0, caller: 'é'.repeat(50_000), callee: '+2', label: undefined }, d: samples[0]!.d });
  for (const { row, d } of samples) {
    const r = row as Row;
    const dec = d as unknown as Decision;
    let line: string | undefined;
    try {
      line = reference(r, dec);
    } catch {
      line = undefined;
    }
    if (line === undefined) {
      t.throws(() => log.write(r, dec));
      thrown++;
    } else {
      log.write(r, dec);
      want.push(line + '\n');
    }
  }
  await log.close();
  t.ok(thrown > 0, `${thrown} decisions could not be written`);
  t.ok(Buffer.concat(chunks).equals(Buffer.from(want.join(''), 'utf8')), 'same bytes');
  t.equal(log.lines, want.length);
  t.end();
});
