/**
 * The replay loop (reorder buffer, outcome heap, decisions in input order)
 * checked against a naive model of the same rules built on sorted arrays, on
 * random nearly-sorted rows with ties, late rows and every kind of outcome:
 * the engine must see the same calls in the same order at the same times.
 */
import t from 'tap';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import type { CompiledRules } from '../../lib/engine/config.js';
import { Engine } from '../../lib/engine/engine.js';
import type { CallAttempt, CallOutcome, Decision } from '../../lib/engine/types.js';
import { BadRows, readCalls, type Row } from '../../lib/replay/csv.js';
import type { DecisionSink } from '../../lib/replay/decisions.js';
import { EventHeap } from '../../lib/replay/heap.js';
import { replay } from '../../lib/replay/replay.js';
import { LIST_RULES, rules } from '../helpers/replay-rules.js';

/** Rejects every fifth call (by internal id) and logs what replay feeds it. */
class Fake extends Engine {
  log: string[] = [];
  override decideSafe(a: CallAttempt): Decision {
    this.log.push(`decide ${a.callId} @${a.at} ${a.caller}`);
    const reject = Number(a.callId) % 5 === 3;
    return { callId: a.callId, action: reject ? 'reject' : 'forward', score: reject ? 100 : 0, reasons: [], scope: 'default', caller: a.caller, callee: a.callee };
  }
  override observe(o: CallOutcome): boolean {
    this.log.push(o.endedAt !== undefined ? `end ${o.callId} @${o.at} ${o.endedAt}` : `final ${o.callId} @${o.at} ${o.status} ${o.answeredAt ?? '-'}`);
    return true;
  }
}

class Sink implements DecisionSink {
  ids: string[] = [];
  write(row: Row): void {
    this.ids.push(row.callId);
  }
  ready(): null {
    return null;
  }
}

/** The same rules, naively: re-sort everything at every step. */
function model(rows: Row[], reorder: number, quickRing: number): { log: string[]; out: string[]; late: number[] } {
  const log: string[] = [];
  const out: string[] = [];
  const late: number[] = [];
  let clock = -Infinity;
  let newest = -Infinity;
  let seq = 0;
  let buf: { row: Row; seq: number }[] = [];
  let ev: { at: number; seq: number; kind: number; status: number }[] = [];
  const fireUpTo = (t: number): void => {
    ev.sort((a, b) => a.at - b.at || a.seq - b.seq || a.kind - b.kind);
    while (ev.length > 0 && ev[0]!.at <= t) {
      const e = ev.shift()!;
      const ok = e.status >= 200 && e.status < 300;
      log.push(e.kind === 1 ? `end ${e.seq} @${e.at} ${e.at}` : `final ${e.seq} @${e.at} ${e.status} ${ok ? e.at : '-'}`);
    }
  };
  const release = (q: { row: Row; seq: number }): void => {
    const r = q.row;
    fireUpTo(r.at);
    clock = r.at;
    log.push(`decide ${q.seq} @${r.at} ${r.caller}`);
    if (q.seq % 5 === 3) return;
    const status = r.status ?? (r.duration === undefined ? undefined : r.duration > 0 ? 200 : 480);
    if (status === undefined) return;
    const tf = r.at + (r.ring ?? (status >= 300 ? quickRing : 0));
    ev.push({ at: tf, seq: q.seq, kind: 0, status });
    if (status >= 200 && status < 300 && r.duration !== undefined) ev.push({ at: tf + r.duration, seq: q.seq, kind: 1, status: 0 });
  };
  for (const r of rows) {
    if (r.at < clock) {
      late.push(r.line);
      continue;
    }
    out.push(r.callId);
    buf.push({ row: r, seq: seq++ });
    newest = Math.max(newest, r.at);
    buf = buf.sort((a, b) => a.row.at - b.row.at || a.seq - b.seq);
    while (buf.length > 0 && buf[0]!.row.at <= newest - reorder) release(buf.shift()!);
  }
  while (buf.length > 0) release(buf.shift()!);
  fireUpTo(Infinity);
  return { log, out, late };
}

const T0 = Date.UTC(2025, 2, 3, 8);

const rowsOf = (minLength: number): fc.Arbitrary<Row[]> => fc.array(
  fc.record({
    step: fc.nat({ max: 4000 }),
    jitter: fc.integer({ min: -90_000, max: 5000 }),
    late: fc.nat({ max: 9 }),
    status: fc.option(fc.constantFrom(200, 204, 180, 486, 487, 603, 250.5), { nil: undefined }), // 250.5: plain rows may carry any number; it reaches the engine as it is
    ring: fc.option(fc.nat({ max: 40_000 }), { nil: undefined }),
    duration: fc.option(fc.nat({ max: 300_000 }), { nil: undefined }),
  }),
  { minLength, maxLength: 120, size: 'max' },
).map((specs) => {
  let t0 = T0;
  return specs.map((s, i): Row => {
    t0 += s.step;
    // Mostly small steps back in time (ties and reordering); now and then a long one (a late row).
    const at = t0 + (s.late === 0 ? s.jitter : s.late === 1 ? Math.trunc(s.jitter / 30) * 1000 : 0);
    return { row: i + 1, line: i + 2, callId: `r${i}`, at, caller: `+1415555${String(i).padStart(4, '0')}`, callee: '+8613800138000', status: s.status, ring: s.ring, duration: s.duration };
  });
});
const rowsArb = rowsOf(0);

let compiled: CompiledRules;
t.before(async () => {
  compiled = await rules(LIST_RULES);
});

t.test('random nearly-sorted rows: replay drives the engine exactly as the naive model', async (t) => {
  let shown = false;
  await fc.assert(
    fc.asyncProperty(rowsArb, fc.constantFrom(0, 1000, 60_000), async (rows, reorder) => {
      const want = model(rows, reorder, compiled.stats.quickRing);
      const e = new Fake(compiled);
      const sink = new Sink();
      const bad = new BadRows(1000);
      await replay(rows, e, { reorder, sink, bad });
      const late = bad.samples().map((b) => b.line);
      const ok = JSON.stringify(e.log) === JSON.stringify(want.log) && JSON.stringify(sink.ids) === JSON.stringify(want.out) && JSON.stringify(late) === JSON.stringify(want.late);
      if (!ok && !shown) {
        shown = true;
        t.same({ log: e.log, out: sink.ids, late }, want, 'first difference');
      }
      return ok;
    }),
    { numRuns: 400, seed: 42, endOnFailure: true },
  );
  t.end();
});

t.test('the same through the reader (rows in batches) and through a plain iterable', async (t) => {
  const [sample] = fc.sample(rowsOf(80), { numRuns: 1, seed: 3 }) as [Row[]];
  // Statuses a CSV row can carry (the reader refuses 250.5 as a SIP code).
  const rows = sample.map((r) => (r.status === 250.5 ? { ...r, status: 250 } : r));
  const text = ['timestamp,call_id,caller,callee,status,ring,duration']
    .concat(rows.map((r) => [r.at / 1000, r.callId, r.caller, r.callee, r.status ?? '', r.ring === undefined ? '' : r.ring / 1000, r.duration === undefined ? '' : r.duration / 1000].join(',')))
    .join('\n');
  const want = model(rows, 60_000, compiled.stats.quickRing);
  for (const [name, input] of [['reader', readCalls(Readable.from([text]))], ['iterable', rows]] as const) {
    const e = new Fake(compiled);
    const sink = new Sink();
    const bad = new BadRows(1000);
    await replay(input, e, { sink, bad });
    t.same(e.log, want.log, `${name}: engine calls`);
    t.same(sink.ids, want.out, `${name}: decisions in input order`);
    t.same(bad.samples().map((b) => b.line), want.late, `${name}: late rows`);
  }
  t.end();
});

t.test('EventHeap pops by (time, key) with its value, as a sorted list would', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.double({ noNaN: true })), fc.constant(null)), { maxLength: 3000, size: 'max' }), (ops) => {
      const h = new EventHeap(4); // small, to grow
      const list: [number, number, number][] = [];
      let key = 0;
      for (const op of ops) {
        if (op === null) {
          const want = list.sort((a, b) => a[0] - b[0] || a[1] - b[1]).shift();
          const got = h.pop();
          if (want === undefined) {
            if (got) return false;
            continue;
          }
          if (!got || h.topAt !== want[0] || h.topKey !== want[1] || !Object.is(h.topVal, want[2])) return false;
        } else {
          h.push(op[0], key, op[1]);
          list.push([op[0], key++, op[1]]);
        }
        if (h.size !== list.length || h.peekAt() !== (list.length ? Math.min(...list.map((e) => e[0])) : Infinity)) return false;
      }
      return true;
    }),
    { numRuns: 200, seed: 11 },
  );
  t.end();
});
