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
import type { Decision } from '../engine/types.js';
import { BadRows, type Row } from './csv.js';
import type { DecisionSink } from './decisions.js';
import { EventHeap } from './heap.js';
import { Tally, type ReplaySummary } from './summary.js';

export const DEFAULT_REORDER_MS = 60_000;

/** The status a row with no status and zero talk time is replayed with: a plain no-answer (not a cancel). */
export const NOT_ANSWERED = 480;

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
  /** Callers listed by rejected calls in the summary (default 10; 0: none). */
  top?: number;
  /** Data rows read so far including bad ones (the reader's count); defaults to rows replayed plus late ones. */
  rowsRead?: () => number;
  /** Called about every 8192 rows, for a progress bar. */
  progress?: (rowsSeen: number) => void;
}

/**
 * The reorder buffer: rows kept sorted by (at, input order), with their
 * input positions alongside. Nearly sorted input appends at the tail in
 * O(1); a row that is out of order is inserted by binary search after the
 * rows of its time. Cheaper than a heap for what CDR files look like.
 */
class ReorderBuffer {
  private rows: Row[] = [];
  private seqs: number[] = [];
  private head = 0;
  /** The input position of the row shift() returned. */
  seq = 0;

  get size(): number {
    return this.rows.length - this.head;
  }

  /** Time of the first row (the buffer must not be empty). */
  firstAt(): number {
    return (this.rows[this.head] as Row).at;
  }

  /** `seq` is larger than any before it, so among rows of one time the new one goes last. */
  push(row: Row, seq: number): void {
    const a = this.rows;
    const n = a.length;
    if (this.head === n || row.at >= (a[n - 1] as Row).at) {
      a.push(row);
      this.seqs.push(seq);
      return;
    }
    let lo = this.head;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (row.at < (a[mid] as Row).at) hi = mid;
      else lo = mid + 1;
    }
    a.splice(lo, 0, row);
    this.seqs.splice(lo, 0, seq);
  }

  /** The first row (the buffer must not be empty); its input position in `seq`. */
  shift(): Row {
    const i = this.head++;
    const row = this.rows[i] as Row;
    this.seq = this.seqs[i] as number;
    this.rows[i] = undefined as unknown as Row;
    // Drop the consumed prefix now and then so the arrays do not grow with the file.
    if (this.head >= 4096 && this.head * 2 >= this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
    return row;
  }
}

/** A row source that also gives its rows in arrays (CallReader): no await per row. */
interface Batched {
  batches(): AsyncIterable<Row[]>;
}

function isBatched(rows: object): rows is Batched {
  return typeof (rows as Partial<Batched>).batches === 'function';
}

/** Run `rows` through `engine`; resolves with the summary once every row and outcome is processed. */
export async function replay(rows: AsyncIterable<Row> | Iterable<Row>, engine: Engine, opts: ReplayOptions = {}): Promise<ReplaySummary> {
  const reorder = Math.max(0, opts.reorder ?? DEFAULT_REORDER_MS);
  const bad = opts.bad ?? new BadRows();
  const sink = opts.sink;
  const tally = new Tally({ ...(opts.by !== undefined ? { by: opts.by } : {}), ...(opts.top !== undefined ? { top: opts.top } : {}) });
  const queue = new ReorderBuffer();
  // Outcome events: key = input position * 2 + kind (0 final response, 1 hang-up: at equal times the response goes first), value = status.
  const events = new EventHeap();
  /** Decisions waiting for an earlier input row still in the reorder buffer. */
  const held = new Map<number, { row: Row; d: Decision }>();
  let nextOut = 0;
  let seq = 0;
  let late = 0;
  let clock = -Infinity;
  let newest = -Infinity;
  const c0 = { ...engine.counters };

  const emit = (row: Row, d: Decision): void => sink?.write(row, d);

  /** The earliest outcome event to the engine, as a CallOutcome made now (a short-lived object). */
  const fire = (): void => {
    events.pop();
    const at = events.topAt;
    const key = events.topKey;
    const kind = key % 2;
    const callId = String((key - kind) / 2);
    if (kind === 1) {
      engine.observe({ callId, at, endedAt: at });
      return;
    }
    const status = events.topVal;
    engine.observe(status >= 200 && status < 300 ? { callId, at, status, answeredAt: at } : { callId, at, status });
  };

  const release = (row: Row, s: number): void => {
    const t = row.at;
    while (events.size > 0 && events.peekAt() <= t) fire();
    clock = t;
    // The internal id is the input position: CDRs may repeat a Call-ID (forked or retried calls) and outcomes must find their own attempt.
    const d = engine.decideSafe({ callId: String(s), at: t, caller: row.caller, callee: row.callee, source: row.source });
    if (d.error !== undefined) delete d.error;
    tally.add(t, row.label, row.group, d, row);
    if (d.action !== 'reject') schedule(row, s);
    if (s === nextOut) {
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
      held.set(s, { row, d });
    }
  };

  const schedule = (row: Row, s: number): void => {
    let status = row.status;
    // A CDR without a status says what happened through its talk time: some, answered; none, not answered.
    if (status === undefined && row.duration !== undefined) status = row.duration > 0 ? 200 : NOT_ANSWERED;
    if (status === undefined) return; // nothing known: the engine's pending entry expires on its own
    // A failed call with no ring time is placed at the quick-ring limit: how long it rang is
    // unknown, so it must not count as a quick ring (the Wangiri signal's evidence).
    const tf = row.at + (row.ring ?? (status >= 300 ? engine.rules.stats.quickRing : 0));
    events.push(tf, s * 2, status);
    if (status >= 200 && status < 300 && row.duration !== undefined) events.push(tf + row.duration, s * 2 + 1, 0);
  };

  let seen = 0;
  const take = (row: Row): void => {
    seen++;
    if (opts.progress && (seen & 8191) === 0) opts.progress(seen);
    if (row.at < clock) {
      late++;
      bad.add(row.line, 'out of order', `${((clock - row.at) / 1000).toFixed(3)}s before a call already replayed (reorder window ${reorder / 1000}s; sort the file by timestamp or raise --reorder)`);
      return;
    }
    queue.push(row, seq++);
    if (row.at > newest) newest = row.at;
    const horizon = newest - reorder;
    while (queue.size > 0 && queue.firstAt() <= horizon) {
      const r = queue.shift();
      release(r, queue.seq);
    }
  };

  if (isBatched(rows)) {
    for await (const batch of rows.batches()) {
      for (let i = 0; i < batch.length; i++) {
        take(batch[i] as Row);
        if (sink) {
          const wait = sink.ready();
          if (wait) await wait;
        }
      }
    }
  } else {
    for await (const row of rows as AsyncIterable<Row>) {
      take(row);
      if (sink) {
        const wait = sink.ready();
        if (wait) await wait;
      }
    }
  }
  while (queue.size > 0) {
    const r = queue.shift();
    release(r, queue.seq);
  }
  // Outcomes after the last attempt still count: the statistics (and tests) see every call through.
  while (events.size > 0) fire();
  if (sink) {
    const wait = sink.ready();
    if (wait) await wait;
  }

  // Deltas, so an engine that already served traffic reports only this replay.
  const c = engine.counters;
  const outcomes = { observed: c.outcomes - c0.outcomes, unmatched: c.outcomesUnmatched - c0.outcomesUnmatched };
  return tally.summary(opts.rowsRead ? opts.rowsRead() : seq + late, bad, outcomes, c.errors - c0.errors, engine.sizes(), opts.labelled ?? false);
}
