/**
 * What a rules change would change: the same call records replayed with a
 * baseline rules file and with the candidate, compared call by call. An
 * engineer about to edit live rules sees how many calls move between
 * reject, tag and forward, split by label when the records have one, and the
 * first calls that moved, with the reasons on both sides.
 */
import { resized } from '../cache/typed.js';
import type { Action, Decision, Reason } from '../engine/types.js';
import type { Row } from './csv.js';
import type { DecisionSink } from './decisions.js';
import { int, isFraudLabel } from './summary.js';

export const ACTIONS: readonly Action[] = ['reject', 'tag', 'forward'];
const NO_DECISION = 255;
const code = (a: Action): number => (a === 'reject' ? 0 : a === 'tag' ? 1 : 2);

/** Counts from (baseline action) → to (candidate action). */
export type Matrix = Record<Action, Record<Action, number>>;

const newMatrix = (): Matrix => ({
  reject: { reject: 0, tag: 0, forward: 0 },
  tag: { reject: 0, tag: 0, forward: 0 },
  forward: { reject: 0, tag: 0, forward: 0 },
});

export interface ChangedCall {
  line: number;
  call_id: string;
  caller: string;
  callee: string;
  label?: string;
  from: Action;
  to: Action;
  /** Top reason of the baseline decision (`signal: detail`), '' when it had none. */
  before: string;
  /** Reasons of the candidate decision with points, strongest first, at most three. */
  after: string[];
}

export interface Comparison {
  baseline: string;
  /** Calls both runs decided. */
  calls: number;
  changed: number;
  matrix: Matrix;
  /** Labelled input only: the same split for legitimate and for fraud calls. */
  legit?: Matrix;
  fraud?: Matrix;
  /** The first changed calls of each kind of move (at most `examplesPerMove` each), in input order. */
  examples: ChangedCall[];
}

/** Strongest reason first: what decided the call. */
function topReasons(reasons: readonly Reason[], n: number): Reason[] {
  return reasons.filter((r) => r.points !== 0).sort((a, b) => b.points - a.points).slice(0, n);
}

const reasonText = (r: Reason): string => `${r.signal} ${r.points > 0 ? '+' : ''}${r.points}: ${r.detail}`;

/**
 * Records the baseline run: per data row, the action and the top reason.
 * A byte and a small index per row, so a file of tens of millions of rows
 * can be compared.
 */
export class BaselineRecorder implements DecisionSink {
  private actions = new Uint8Array(4096).fill(NO_DECISION);
  private top = new Uint32Array(4096);
  private readonly texts: string[] = [''];
  private readonly ids = new Map<string, number>();

  write(row: Row, d: Decision): void {
    const i = row.row;
    if (i >= this.actions.length) {
      let n = this.actions.length;
      while (n <= i) n *= 2;
      this.actions = resized(this.actions, n, NO_DECISION);
      this.top = resized(this.top, n);
    }
    this.actions[i] = code(d.action);
    // The signal and its detail are interned: the same reason text repeats across calls only when the numbers match.
    const r = topReasons(d.reasons, 1)[0];
    if (r === undefined) return;
    const text = reasonText(r);
    let id = this.ids.get(text);
    if (id === undefined && this.ids.size < 1_000_000) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    this.top[i] = id ?? 0;
  }

  ready(): null {
    return null;
  }

  actionOf(row: number): Action | undefined {
    const a = row < this.actions.length ? (this.actions[row] as number) : NO_DECISION;
    return a === NO_DECISION ? undefined : ACTIONS[a];
  }

  reasonOf(row: number): string {
    return this.texts[this.top[row] as number] ?? '';
  }
}

/** Compares the candidate run with a recorded baseline as its decisions come. */
export class Comparer implements DecisionSink {
  private readonly c: Comparison;
  private readonly perMove = new Map<string, number>();

  constructor(
    private readonly base: BaselineRecorder,
    baselineName: string,
    private readonly labelled: () => boolean,
    private readonly examplesPerMove = 5,
  ) {
    this.c = { baseline: baselineName, calls: 0, changed: 0, matrix: newMatrix(), examples: [] };
  }

  write(row: Row, d: Decision): void {
    const from = this.base.actionOf(row.row);
    if (from === undefined) return;
    const to = d.action;
    const c = this.c;
    c.calls++;
    c.matrix[from][to]++;
    if (this.labelled()) {
      const m = isFraudLabel(row.label) ? (c.fraud ??= newMatrix()) : (c.legit ??= newMatrix());
      m[from][to]++;
    }
    if (from === to) return;
    c.changed++;
    const move = `${from}>${to}`;
    const seen = this.perMove.get(move) ?? 0;
    if (seen >= this.examplesPerMove) return;
    this.perMove.set(move, seen + 1);
    c.examples.push({
      line: row.line,
      call_id: row.callId,
      caller: row.caller,
      callee: row.callee,
      ...(row.label !== undefined ? { label: row.label } : {}),
      from,
      to,
      before: this.base.reasonOf(row.row),
      after: topReasons(d.reasons, 3).map(reasonText),
    });
  }

  ready(): null {
    return null;
  }

  result(): Comparison {
    const c = this.c;
    if (this.labelled()) {
      c.legit ??= newMatrix();
      c.fraud ??= newMatrix();
    }
    c.examples.sort((a, b) => a.line - b.line);
    return c;
  }
}

/** Several sinks fed the same decisions (the decision log and the comparer). */
export class TeeSink implements DecisionSink {
  constructor(private readonly sinks: readonly DecisionSink[]) {}
  write(row: Row, d: Decision): void {
    for (const s of this.sinks) s.write(row, d);
  }
  ready(): Promise<void> | null {
    const waits = this.sinks.map((s) => s.ready()).filter((w): w is Promise<void> => w !== null);
    return waits.length === 0 ? null : Promise.all(waits).then(() => undefined);
  }
}

const pct = (n: number, of: number): string => (of === 0 ? '0%' : `${((100 * n) / of).toFixed(of >= 10_000 ? 3 : 2)}%`);

function matrixLines(m: Matrix, indent: string): string[] {
  const w = 10;
  const out = [`${indent}${'baseline \\ now'.padEnd(16)}${ACTIONS.map((a) => a.padStart(w)).join('')}`];
  for (const from of ACTIONS) out.push(`${indent}${from.padEnd(16)}${ACTIONS.map((to) => int(m[from][to]).padStart(w)).join('')}`);
  return out;
}

const moved = (m: Matrix, to: Action, notFrom = to): number => ACTIONS.reduce((n, from) => (from === notFrom ? n : n + m[from][to]), 0);
const total = (m: Matrix): number => ACTIONS.reduce((n, from) => n + ACTIONS.reduce((k, to) => k + m[from][to], 0), 0);

/** The comparison as text, after the candidate's own summary. */
export function formatComparison(c: Comparison): string {
  const out: string[] = [];
  out.push(`Against baseline ${c.baseline}: ${int(c.changed)} of ${int(c.calls)} calls (${pct(c.changed, c.calls)}) change action`);
  out.push(...matrixLines(c.matrix, '  '));
  for (const [name, m] of [['legitimate', c.legit], ['fraud', c.fraud]] as const) {
    if (!m) continue;
    const n = total(m);
    out.push(
      `  ${name} calls: ${int(moved(m, 'reject'))} newly rejected, ${int(m.reject.tag + m.reject.forward)} no longer rejected, ` +
        `${int(moved(m, 'tag'))} newly tagged (of ${int(n)}; rejected ${pct(ACTIONS.reduce((k, f) => k + m[f].reject, 0), n)} now, ` +
        `${pct(m.reject.reject + m.reject.tag + m.reject.forward, n)} before)`,
    );
  }
  if (c.examples.length > 0) {
    out.push('', 'First changed calls of each kind:');
    for (const e of c.examples) {
      out.push(`  line ${e.line} call ${e.call_id}: ${e.caller} -> ${e.callee}${e.label !== undefined ? ` [${e.label}]` : ''}: ${e.from} -> ${e.to}`);
      out.push(`      before: ${e.before || '(no reason)'}`);
      out.push(`      now:    ${e.after.length > 0 ? e.after.join('; ') : '(no reason)'}`);
    }
  }
  return out.join('\n') + '\n';
}
