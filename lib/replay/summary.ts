/**
 * What a replay did: calls by action, and with labelled input how each kind
 * of traffic fared. The summary object is also the `--json` output, so its
 * keys are snake_case like the decision log's, and it holds no wall-clock
 * figures: same input and rules, same summary, byte for byte.
 */
import { isMonitorReason } from '../engine/score.js';
import type { Action, Decision } from '../engine/types.js';
import type { BadRow, BadRows } from './csv.js';
import { padColumns } from '../text-table.js';
import { TopRejected, type RecordedOutcome, type RejectedCaller } from './top-rejected.js';

/** Distinct labels, groups and signals tracked before the rest fold into one line (a column of ids must not grow memory). */
const MAX_KEYS = 500;
/** Callers listed by rejected calls unless --top says otherwise. */
export const DEFAULT_TOP = 10;
/** The most --top lists: with 2,000 counters kept (DEFAULT_TOP_CAPACITY) a list this long is exact in practice (count_error says where not); their own tail is not. */
export const MAX_TOP = 1000;
const OTHER = '(other)';

export interface ActionCounts {
  reject: number;
  tag: number;
  forward: number;
}

export interface ClassRow {
  /** Label or group value. */
  name: string;
  /** Whether the calls are fraud (label not empty/legit); for groups, whether most of them are. */
  fraud: boolean;
  calls: number;
  rejected: number;
  tagged: number;
  forwarded: number;
  rejected_pct: number;
  tagged_pct: number;
  forwarded_pct: number;
}

export interface Share {
  calls: number;
  rejected: number;
  tagged: number;
  rejected_pct: number;
  tagged_pct: number;
}

export interface SignalRow {
  signal: string;
  /** Calls on which it scored (points other than 0). */
  calls: number;
  /** Of those, legitimate / fraud (labelled input only). */
  legit?: number;
  fraud?: number;
  /** Of those, calls rejected with its points counted: monitor-only points never count as a reject's cause. */
  rejected: number;
  /**
   * Of `calls`, those on which its points were monitor-only: the rule or list
   * has `monitor: true`, or the call was decided in monitor mode (global or
   * scope). Present on every row when any row has some.
   */
  monitor?: number;
  /**
   * Of the calls decided in monitor mode, those enforcement would have
   * rejected with its points counted. Present on every row when the replay
   * had monitor-mode decisions.
   */
  would_reject?: number;
}

/** Rejects (or monitor-mode would-be rejects) by what decided them: Decision.rejectedBy. */
export interface RejectCauseRow {
  /** `score`, `hold`, `error` (fail_mode: closed), or the rule that rejects outright (`list:deny`, `domestic-cli`). */
  by: string;
  calls: number;
  /** Of those, legitimate / fraud (labelled input only). */
  legit?: number;
  fraud?: number;
}

export interface ReplaySummary {
  /** Data rows read, bad ones included. */
  rows: number;
  /** Rows decided. */
  calls: number;
  bad_rows: { count: number; kinds: Record<string, number>; first: BadRow[] };
  time: { first: string | null; last: string | null };
  actions: ActionCounts;
  /** Monitor-mode decisions (forwarded unchanged) by what they would have been. */
  monitor?: ActionCounts;
  outcomes: { observed: number; unmatched: number };
  engine_errors: number;
  labels?: ClassRow[];
  fraud?: Share;
  legit?: Share;
  groups?: { column: string; rows: ClassRow[] };
  signals: SignalRow[];
  /** Rejects by what decided them, most first; monitor-mode decisions count what would have rejected them. */
  rejected_by: RejectCauseRow[];
  /** Tracked keys per table at the end: what the rules' limits held. */
  tracked: Record<string, number>;
  /** The callers with the most rejected calls (monitor mode: would-be rejects), most first; absent with --top 0. */
  top_rejected?: RejectedCaller[];
  /** The same among legitimately labelled calls: the wrongly rejected callers to allow-list (labelled input only). */
  top_rejected_legit?: RejectedCaller[];
}

/** Legitimate unless the label names something else. */
export function isFraudLabel(label: string | undefined): boolean {
  return label !== undefined && !LEGIT_LABELS.has(label.trim().toLowerCase());
}

/**
 * Labels that mean "legitimate": ours ('legit', '') and the usual others of
 * labelled data sets (0/1 and true/false columns, 'normal', 'benign' ...),
 * so that a file labelled 0/1 is not read as one fraud kind named '0'.
 */
export const LEGIT_LABELS: ReadonlySet<string> = new Set(['', 'legit', 'legitimate', 'genuine', 'normal', 'clean', 'benign', 'good', 'ok', 'ham', 'none', '0', 'false', 'no', 'n']);

class Counts {
  calls = 0;
  reject = 0;
  tag = 0;
  forward = 0;
  fraud = 0;
  add(a: Action, fraud: boolean): void {
    this.calls++;
    this[a]++;
    if (fraud) this.fraud++;
  }
}

interface CauseCounts {
  calls: number;
  legit: number;
  fraud: number;
}

interface SignalCounts {
  calls: number;
  legit: number;
  fraud: number;
  rejected: number;
  monitor: number;
  wouldReject: number;
}

function slot<V>(m: Map<string, V>, key: string, make: () => V): V {
  let v = m.get(key);
  if (v === undefined) {
    if (m.size >= MAX_KEYS && !m.has(OTHER)) m.set(OTHER, make());
    if (m.size > MAX_KEYS) return m.get(OTHER) as V;
    v = make();
    m.set(key, v);
  }
  return v;
}

// Made once: an arrow written at the call site is a new closure for every decision tallied.
const newCounts = (): Counts => new Counts();
const newSignalCounts = (): SignalCounts => ({ calls: 0, legit: 0, fraud: 0, rejected: 0, monitor: 0, wouldReject: 0 });
const newCauseCounts = (): CauseCounts => ({ calls: 0, legit: 0, fraud: 0 });

/** Accumulates decisions; order-independent, so replay may feed it in time order. */
export class Tally {
  readonly actions: ActionCounts = { reject: 0, tag: 0, forward: 0 };
  readonly wouldBe: ActionCounts = { reject: 0, tag: 0, forward: 0 };
  monitored = 0;
  calls = 0;
  first = Infinity;
  last = -Infinity;
  readonly labels = new Map<string, Counts>();
  readonly groups = new Map<string, Counts>();
  readonly signals = new Map<string, SignalCounts>();
  readonly causes = new Map<string, CauseCounts>();
  private readonly topAll: TopRejected | null;
  private readonly topLegit: TopRejected | null;

  /** `by`: the group column's name, when Row.group is filled; `top`: callers listed by rejects (default 10, 0 none). */
  constructor(readonly opts: { by?: string; top?: number } = {}) {
    const top = opts.top ?? DEFAULT_TOP;
    this.topAll = top > 0 ? new TopRejected() : null;
    this.topLegit = top > 0 ? new TopRejected() : null;
  }

  /** `recorded`: the call record's own outcome (replay input), read for the rejected callers' list. */
  add(at: number, label: string | undefined, group: string | undefined, d: Decision, recorded?: RecordedOutcome): void {
    this.calls++;
    if (at < this.first) this.first = at;
    if (at > this.last) this.last = at;
    const a = d.action;
    this.actions[a]++;
    if (d.monitor) {
      this.monitored++;
      this.wouldBe[d.wouldBe ?? a]++;
    }
    const fraud = isFraudLabel(label);
    // Counted always; whether the table is shown is decided at the end, once the header is known.
    slot(this.labels, fraud ? (label as string) : 'legit', newCounts).add(a, fraud);
    if (this.opts.by !== undefined) slot(this.groups, group ?? '', newCounts).add(a, fraud);
    if (d.rejectedBy !== undefined) {
      const c = slot(this.causes, d.rejectedBy, newCauseCounts);
      c.calls++;
      if (fraud) c.fraud++;
      else c.legit++;
      if (this.topAll !== null) {
        this.topAll.add(at, d, !fraud, recorded);
        if (!fraud) this.topLegit?.add(at, d, true, recorded);
      }
    }
    const rs = d.reasons;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (r.points === 0) continue;
      const s = slot(this.signals, r.signal, newSignalCounts);
      s.calls++;
      if (fraud) s.fraud++;
      else s.legit++;
      // A monitor-only rule's points were not counted: it did not cause the action, whatever the others did.
      if (isMonitorReason(r)) s.monitor++;
      else if (d.monitor) {
        s.monitor++;
        if (d.wouldBe === 'reject') s.wouldReject++;
      } else if (a === 'reject') s.rejected++;
    }
  }

  summary(rows: number, bad: BadRows, outcomes: { observed: number; unmatched: number }, errors: number, tracked: Record<string, number>, labelled: boolean): ReplaySummary {
    const s: ReplaySummary = {
      rows,
      calls: this.calls,
      bad_rows: { count: bad.count, kinds: Object.fromEntries([...bad.kinds].sort((x, y) => cmp(x[0], y[0]))), first: bad.samples() },
      time: { first: this.calls ? new Date(this.first).toISOString() : null, last: this.calls ? new Date(this.last).toISOString() : null },
      actions: { ...this.actions },
      outcomes,
      engine_errors: errors,
      signals: [],
      rejected_by: [...this.causes]
        .map(([by, c]): RejectCauseRow => (labelled ? { by, calls: c.calls, legit: c.legit, fraud: c.fraud } : { by, calls: c.calls }))
        .sort((x, y) => y.calls - x.calls || cmp(x.by, y.by)),
      tracked,
    };
    if (this.monitored > 0) s.monitor = { ...this.wouldBe };
    const top = this.opts.top ?? DEFAULT_TOP;
    if (this.topAll !== null) s.top_rejected = this.topAll.top(top, labelled);
    if (this.topLegit !== null && labelled) s.top_rejected_legit = this.topLegit.top(top, true);
    if (labelled) {
      const rowsOut = [...this.labels].map(([name, c]) => classRow(name, c, name !== 'legit'));
      // Legitimate first, then fraud kinds by name: a stable order for diffs between runs.
      rowsOut.sort((x, y) => Number(x.fraud) - Number(y.fraud) || cmp(x.name, y.name));
      s.labels = rowsOut;
      const fraud = new Counts();
      const legit = new Counts();
      for (const [name, c] of this.labels) {
        const into = name === 'legit' ? legit : fraud;
        into.calls += c.calls;
        into.reject += c.reject;
        into.tag += c.tag;
      }
      s.fraud = share(fraud);
      s.legit = share(legit);
    }
    if (this.opts.by !== undefined) {
      const rowsOut = [...this.groups].map(([name, c]) => classRow(name, c, c.fraud * 2 > c.calls));
      rowsOut.sort((x, y) => Number(x.fraud) - Number(y.fraud) || cmp(x.name, y.name));
      s.groups = { column: this.opts.by, rows: rowsOut };
    }
    let anyMonitor = false;
    for (const c of this.signals.values()) if (c.monitor > 0) anyMonitor = true;
    const monitored = this.monitored > 0;
    s.signals = [...this.signals]
      .map(([signal, c]): SignalRow => {
        const row: SignalRow = labelled ? { signal, calls: c.calls, legit: c.legit, fraud: c.fraud, rejected: c.rejected } : { signal, calls: c.calls, rejected: c.rejected };
        if (anyMonitor) row.monitor = c.monitor;
        if (monitored) row.would_reject = c.wouldReject;
        return row;
      })
      .sort((x, y) => y.calls - x.calls || cmp(x.signal, y.signal));
    return s;
  }
}

/** Code-point order: localeCompare would make the output depend on the machine's locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pctOf(n: number, d: number): number {
  return d > 0 ? Math.round((n / d) * 1e6) / 1e4 : 0;
}

function classRow(name: string, c: Counts, fraud: boolean): ClassRow {
  return {
    name,
    fraud,
    calls: c.calls,
    rejected: c.reject,
    tagged: c.tag,
    forwarded: c.forward,
    rejected_pct: pctOf(c.reject, c.calls),
    tagged_pct: pctOf(c.tag, c.calls),
    forwarded_pct: pctOf(c.forward, c.calls),
  };
}

function share(c: Counts): Share {
  return { calls: c.calls, rejected: c.reject, tagged: c.tag, rejected_pct: pctOf(c.reject, c.calls), tagged_pct: pctOf(c.tag, c.calls) };
}

// ---- text rendering ---------------------------------------------------------

/** A count with thousands grouped: 12,345. */
export const int = (n: number): string => {
  // Fixed grouping, not toLocaleString: output must not depend on the locale.
  const s = String(Math.abs(Math.round(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return (n < 0 ? '-' : '') + out;
};

/** Percent with two decimals; three under 1% so a 0.05% legitimate reject rate is not shown as 0.1%. */
function pct(p: number, d: number): string {
  if (d === 0) return '-';
  return (p > 0 && p < 1 ? p.toFixed(3) : p.toFixed(2)) + '%';
}

/** A table of the summary, indented by two spaces (see padColumns). */
function table(head: string[], rows: string[][], left: readonly number[] = [0]): string {
  return padColumns([head, ...rows], left).map((line) => `  ${line}`).join('\n');
}

function classTable(title: string, rows: ClassRow[]): string {
  return table(
    [title, 'calls', 'rejected', 'tagged', 'forwarded'],
    rows.map((r) => [r.name === '' ? '(empty)' : r.name, int(r.calls), pct(r.rejected_pct, r.calls), pct(r.tagged_pct, r.calls), pct(r.forwarded_pct, r.calls)]),
  );
}

/** What a table of rejects counts when some or all calls were decided in monitor mode. */
function monitorNote(s: ReplaySummary): string {
  if (!s.monitor) return '';
  const monitored = s.monitor.reject + s.monitor.tag + s.monitor.forward;
  return monitored >= s.calls ? ' (monitor mode: would-be rejects)' : ' (rejects, and would-be rejects of the calls decided in monitor mode)';
}

/** Longest reason text shown per caller in the text summary; --json has it whole. */
const DETAIL_CHARS = 110;

function rejectedCallers(rows: RejectedCaller[]): string {
  const recorded = rows.some((r) => r.recorded !== undefined);
  const head = ['caller', 'rejected', 'on hold'];
  if (recorded) head.push('in the records');
  head.push('first reject');
  return table(
    head,
    rows.map((r) => {
      const f = r.first;
      const why = f.signal === null ? f.by : f.by === f.signal || f.by === 'hold' ? `${f.signal}: ${f.detail ?? ''}` : `${f.by}, ${f.signal}: ${f.detail ?? ''}`;
      const clipped = why.length > DETAIL_CHARS ? `${why.slice(0, DETAIL_CHARS - 3)}...` : why;
      const cells = [r.caller, (r.count_error > 0 ? '≤' : '') + int(r.rejected), int(r.on_hold)];
      if (recorded) cells.push(recordedCell(r.recorded));
      cells.push(`${f.at.replace(/\.\d{3}Z$/, 'Z')} ${clipped}`);
      return cells;
    }),
    recorded ? [0, 3, 4] : [0, 3],
  );
}

/** "38% answered, 1m12s": the share of the rejected calls answered in their records, and those calls' mean talk. */
function recordedCell(r: RejectedCaller['recorded']): string {
  if (r === undefined || r.calls === 0) return '-';
  const share = `${Math.round((100 * r.answered) / r.calls)}% answered`;
  if (r.timed === 0) return share;
  const mean = Math.round(r.talk_s / r.timed);
  return `${share}, ${mean >= 60 ? `${Math.floor(mean / 60)}m${String(mean % 60).padStart(2, '0')}s` : `${mean}s`}`;
}

/** The summary as text for a terminal. */
export function formatSummary(s: ReplaySummary, title?: string): string {
  const out: string[] = [];
  if (title) out.push(title, '');
  const of = (n: number, one: string, many: string): string => `${int(n)} ${n === 1 ? one : many}`;
  out.push(`${of(s.rows, 'row', 'rows')}, ${of(s.calls, 'call', 'calls')} replayed, ${of(s.bad_rows.count, 'bad row', 'bad rows')}`);
  if (s.time.first) out.push(`virtual time ${s.time.first} .. ${s.time.last}`);
  out.push('');
  out.push('Calls by action');
  out.push(table(['action', 'calls', 'share'], (['reject', 'tag', 'forward'] as const).map((a) => [a, int(s.actions[a]), pct(pctOf(s.actions[a], s.calls), s.calls)])));
  if (s.monitor) {
    const m = s.monitor;
    out.push(`  monitor mode: ${int(m.reject + m.tag + m.forward)} calls forwarded unchanged; would have rejected ${int(m.reject)}, tagged ${int(m.tag)}`);
  }
  if (s.rejected_by.length > 0) {
    const labelled = s.labels !== undefined;
    out.push('', `Rejects by what decided them${monitorNote(s)}`);
    const head = ['rejected by', 'calls'];
    if (labelled) head.push('legit', 'fraud');
    out.push(table(head, s.rejected_by.map((r) => {
      const cells = [r.by, int(r.calls)];
      if (labelled) cells.push(int(r.legit ?? 0), int(r.fraud ?? 0));
      return cells;
    })));
    out.push('  score: the points reached the reject threshold; hold: a caller held after an earlier reject; error: the engine failed and fail_mode is closed; any other: the rule that rejects outright');
  }
  if (s.labels) {
    out.push('', 'By label');
    out.push(classTable('label', s.labels));
    const f = s.fraud!;
    const l = s.legit!;
    out.push('');
    out.push(`fraud rejected:  ${pct(f.rejected_pct, f.calls)} (${int(f.rejected)} of ${int(f.calls)}), tagged ${pct(f.tagged_pct, f.calls)} (${int(f.tagged)})`);
    out.push(`legit rejected:  ${pct(l.rejected_pct, l.calls)} (${int(l.rejected)} of ${int(l.calls)}), tagged ${pct(l.tagged_pct, l.calls)} (${int(l.tagged)})`);
  }
  if (s.groups) {
    out.push('', `By ${s.groups.column}`);
    out.push(classTable(s.groups.column, s.groups.rows));
  }
  // Labelled: the legitimate callers rejected most are what to fix; otherwise every caller rejected most is what to read.
  const top = s.top_rejected_legit ?? s.top_rejected;
  if (top !== undefined && top.length > 0) {
    const what = s.top_rejected_legit ? 'Legitimate callers with the most rejected calls' : 'Callers with the most rejected calls';
    out.push('', `${what}${monitorNote(s)}`);
    out.push(rejectedCallers(top));
    out.push('  on hold: of those, rejected by the hold an earlier reject set; first reject: when, what decided it, its strongest reason.');
    if (top.some((r) => r.recorded !== undefined)) {
      out.push("  in the records: what the input's status and duration say these rejected calls did when they went through, and their mean talk.");
    }
    out.push('  A business here that should get through: add it to an allow list, or exempt it from one rule with unless_listed (docs/rules.md).');
  }
  if (s.signals.length > 0) {
    out.push('', 'Signals (calls on which each scored)');
    const labelled = s.labels !== undefined;
    const monitor = s.signals[0]!.monitor !== undefined;
    const wouldReject = s.signals[0]!.would_reject !== undefined;
    const head = ['signal', 'calls'];
    if (labelled) head.push('legit', 'fraud');
    head.push('rejected');
    if (monitor) head.push('monitor');
    if (wouldReject) head.push('would reject');
    out.push(table(
      head,
      s.signals.map((r) => {
        const cells = [r.signal, int(r.calls)];
        if (labelled) cells.push(int(r.legit ?? 0), int(r.fraud ?? 0));
        cells.push(int(r.rejected));
        if (monitor) cells.push(int(r.monitor ?? 0));
        if (wouldReject) cells.push(int(r.would_reject ?? 0));
        return cells;
      }),
    ));
    if (monitor) out.push('  rejected: with its points counted; monitor: its points monitor-only (reported, never the cause of a reject)');
    if (wouldReject) out.push('  would reject: monitor-mode calls enforcement would have rejected with its points counted');
  }
  out.push('');
  out.push(`outcomes observed ${int(s.outcomes.observed)}, unmatched ${int(s.outcomes.unmatched)}${s.engine_errors ? `, engine errors ${int(s.engine_errors)} (failed open/closed per rules)` : ''}`);
  if (s.bad_rows.count > 0) {
    out.push('');
    const kinds = Object.entries(s.bad_rows.kinds).map(([k, n]) => `${k} ${int(n)}`).join(', ');
    out.push(`Bad rows: ${int(s.bad_rows.count)} skipped (${kinds})`);
    for (const b of s.bad_rows.first) out.push(`  line ${b.line}: ${b.reason}`);
    if (s.bad_rows.count > s.bad_rows.first.length) out.push(`  ... and ${int(s.bad_rows.count - s.bad_rows.first.length)} more`);
  }
  return out.join('\n') + '\n';
}
