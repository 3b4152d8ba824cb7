/**
 * Replay: the real engine over call records, in virtual time.
 *
 * Each row is an attempt at its timestamp. A call the engine lets through
 * then produces its final response at timestamp + ring and, when answered,
 * its hang-up at timestamp + ring + duration; those outcome events wait in a
 * min-heap and are fed to engine.observe() before the first attempt later
 * than (or at the same time as) them. A rejected call never happened, so its
 * outcome is never observed.
 *
 * Input order: rows are expected sorted by timestamp, but CDR exports are
 * often only nearly sorted (sorted by end time, merged from several
 * switches). Rows wait in a reorder buffer until the newest timestamp seen is
 * `reorder` ms past them, then go to the engine in (timestamp, input order).
 * A row older than an attempt already decided cannot be put in its place: it
 * is reported as a bad row ('out of order') and skipped, never processed at
 * a wrong time. Decisions still come out in input order.
 *
 * Memory is bounded by the rules' table limits, the calls in flight (the
 * outcome heap) and the rows within the reorder window, not by file size.
 */
import type { Engine } from '../engine/engine.js';
import type { CallOutcome, Decision } from '../engine/types.js';
import { BadRows, type Row } from './csv.js';
import type { DecisionSink } from './decisions.js';
import { MinHeap } from './heap.js';
import { Tally, type ReplaySummary } from './summary.js';

export const DEFAULT_REORDER_MS = 60_000;

export interface ReplayOptions {
  /** How far a row may lag the newest timestamp seen and still be replayed in place (ms). Default 60 s; 0 for strictly sorted input. */
  reorder?: number;
  /** Receives every decision, in input order (the decision log). */
  sink?: DecisionSink;
  /** Bad rows: pass the reader's so one report covers unreadable and out-of-order rows. */
  bad?: BadRows;
  /** Show the per-label table (the input has a label column); read when the replay ends. */
  labelled?: boolean;
  /** Name of the column carried as Row.group, for a per-group table. */
  by?: string;
  /** Data rows read so far including bad ones (the reader's count); defaults to rows replayed plus late ones. */
  rowsRead?: () => number;
  /** Called about every 8192 rows, for a progress bar. */
  progress?: (rowsSeen: number) => void;
}

interface Queued {
  row: Row;
  seq: number;
}

/**
 * The reorder buffer: kept sorted by (at, seq). Nearly sorted input appends
 * at the tail in O(1); a row that is out of order is inserted by binary
 * search. Cheaper than a heap for what CDR files look like.
 */
class ReorderBuffer {
  private a: Queued[] = [];
  private head = 0;

  get size(): number {
    return this.a.length - this.head;
  }

  peek(): Queued | undefined {
    return this.a[this.head];
  }

  push(q: Queued): void {
    const a = this.a;
    const last = a[a.length - 1];
    if (this.head === a.length || last === undefined || !rowLess(q, last)) {
      a.push(q);
      return;
    }
    let lo = this.head;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rowLess(q, a[mid] as Queued)) hi = mid;
      else lo = mid + 1;
    }
    a.splice(lo, 0, q);
  }

  shift(): Queued | undefined {
    const q = this.a[this.head];
    if (q === undefined) return undefined;
    this.a[this.head++] = undefined as unknown as Queued;
    // Drop the consumed prefix now and then so the array does not grow with the file.
    if (this.head >= 4096 && this.head * 2 >= this.a.length) {
      this.a = this.a.slice(this.head);
      this.head = 0;
    }
    return q;
  }
}

/**
 * An outcome event, itself the CallOutcome handed to the engine (one object
 * per event instead of two). kind 0 = final response, 1 = hang-up: at equal
 * times the response goes first.
 */
interface Pending extends CallOutcome {
  seq: number;
  kind: 0 | 1;
}

const rowLess = (a: Queued, b: Queued): boolean => a.row.at < b.row.at || (a.row.at === b.row.at && a.seq < b.seq);
const eventLess = (a: Pending, b: Pending): boolean =>
  a.at < b.at || (a.at === b.at && (a.seq < b.seq || (a.seq === b.seq && a.kind < b.kind)));

/** Run `rows` through `engine`; resolves with the summary once every row and outcome is processed. */
export async function replay(rows: AsyncIterable<Row> | Iterable<Row>, engine: Engine, opts: ReplayOptions = {}): Promise<ReplaySummary> {
  const reorder = Math.max(0, opts.reorder ?? DEFAULT_REORDER_MS);
  const bad = opts.bad ?? new BadRows();
  const sink = opts.sink;
  const tally = new Tally(opts.by !== undefined ? { by: opts.by } : {});
  const queue = new ReorderBuffer();
  const events = new MinHeap<Pending>(eventLess);
  /** Decisions waiting for an earlier input row still in the reorder buffer. */
  const held = new Map<number, { row: Row; d: Decision }>();
  let nextOut = 0;
  let seq = 0;
  let late = 0;
  let clock = -Infinity;
  let newest = -Infinity;
  const c0 = { ...engine.counters };

  const emit = (row: Row, d: Decision): void => sink?.write(row, d);

  const release = (q: Queued): void => {
    const row = q.row;
    const t = row.at;
    while (events.size > 0 && (events.peek() as Pending).at <= t) engine.observe(events.pop() as Pending);
    clock = t;
    // The internal id is the input position: CDRs may repeat a Call-ID (forked or retried calls) and outcomes must find their own attempt.
    const id = String(q.seq);
    const d = engine.decideSafe({ callId: id, at: t, caller: row.caller, callee: row.callee, source: row.source });
    if (d.error !== undefined) delete d.error;
    tally.add(t, row.label, row.group, d);
    if (d.action !== 'reject') schedule(row, id, q.seq);
    if (q.seq === nextOut) {
      emit(row, d);
      nextOut++;
      while (held.size > 0) {
        const h = held.get(nextOut);
        if (h === undefined) break;
        held.delete(nextOut);
        emit(h.row, h.d);
        nextOut++;
      }
    } else {
      held.set(q.seq, { row, d });
    }
  };

  const schedule = (row: Row, callId: string, s: number): void => {
    let status = row.status;
    // A CDR without a status but with talk time was answered.
    if (status === undefined && row.duration !== undefined && row.duration > 0) status = 200;
    if (status === undefined) return; // nothing known: the engine's pending entry expires on its own
    const tf = row.at + (row.ring ?? 0);
    const answered = status >= 200 && status < 300;
    events.push(answered ? { callId, at: tf, status, answeredAt: tf, seq: s, kind: 0 } : { callId, at: tf, status, seq: s, kind: 0 });
    if (answered && row.duration !== undefined) {
      const te = tf + row.duration;
      events.push({ callId, at: te, endedAt: te, seq: s, kind: 1 });
    }
  };

  let seen = 0;
  for await (const row of rows as AsyncIterable<Row>) {
    seen++;
    if (opts.progress && (seen & 8191) === 0) opts.progress(seen);
    if (row.at < clock) {
      late++;
      bad.add(row.line, 'out of order', `${((clock - row.at) / 1000).toFixed(3)}s before a call already replayed (reorder window ${reorder / 1000}s; sort the file by timestamp or raise --reorder)`);
      continue;
    }
    queue.push({ row, seq: seq++ });
    if (row.at > newest) newest = row.at;
    const horizon = newest - reorder;
    while (queue.size > 0 && (queue.peek() as Queued).row.at <= horizon) release(queue.shift() as Queued);
    if (sink) {
      const wait = sink.ready();
      if (wait) await wait;
    }
  }
  while (queue.size > 0) release(queue.shift() as Queued);
  // Outcomes after the last attempt still count: the statistics (and tests) see every call through.
  while (events.size > 0) engine.observe(events.pop() as Pending);
  if (sink) {
    const wait = sink.ready();
    if (wait) await wait;
  }

  // Deltas, so an engine that already served traffic reports only this replay.
  const c = engine.counters;
  const outcomes = { observed: c.outcomes - c0.outcomes, unmatched: c.outcomesUnmatched - c0.outcomesUnmatched };
  return tally.summary(opts.rowsRead ? opts.rowsRead() : seq + late, bad, outcomes, c.errors - c0.errors, engine.sizes(), opts.labelled ?? false);
}
