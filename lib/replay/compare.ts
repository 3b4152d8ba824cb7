/**
 * What a rules change would change: the same call records replayed with a
 * baseline rules file and with the candidate, compared call by call. An
 * engineer about to edit live rules sees how many calls move between
 * reject, tag and forward, split by label when the records have one, and the
 * first calls that moved, with the action, score and strongest reasons on
 * both sides.
 */
import { resized } from '../cache/typed.js';
import type { Action, Decision, Reason } from '../engine/types.js';
import { signedPoints } from '../engine/score.js';
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
  /** Score of the baseline decision. */
  from_score: number;
  /** Score of the candidate decision. */
  to_score: number;
  /** Scope of the baseline decision (its thresholds decided the action). */
  from_scope: string;
  /** Scope of the candidate decision. */
  to_scope: string;
  /** Reasons of the baseline decision with points, strongest first, at most three ([REASONS_NOT_KEPT] past the recorder's budget). */
  before: string[];
  /** Reasons of the candidate decision, as `before`. */
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

const reasonText = (r: Reason): string => `${r.signal} ${signedPoints(r.points)}: ${r.detail}`;

/** How many reasons a changed call shows on each side. */
const TOP = 3;
/** Between the reasons of one interned list (no reason detail holds a NUL). */
const SEP = '\0';
/** What `before` says for a row whose reasons came after the recorder's budget ran out. */
export const REASONS_NOT_KEPT = '(reasons not kept: too many distinct ones in this file)';
/** Row's reasons id: none, or not kept. */
const NO_REASONS = 0;
const NOT_KEPT = 0xffffffff;
/**
 * Budget of the interned reason lists: a million, and 200 million characters
 * in all (about what a million single reasons took when one was kept), so
 * three reasons instead of one do not triple the worst case.
 */
const MAX_TEXTS = 1_000_000;
const MAX_CHARS = 200_000_000;

/**
 * Records the baseline run: per data row, the action, the score and the
 * strongest reasons (what the candidate side shows). A byte, a float and an
 * index per row, the reason lists interned under a budget, so a file of tens
 * of millions of rows can be compared.
 */
export class BaselineRecorder implements DecisionSink {
  private actions = new Uint8Array(4096).fill(NO_DECISION);
  // Scores are sums of points to one decimal: a float32 holds them to well within that.
  private scores = new Float32Array(4096);
  private top = new Uint32Array(4096);
  /** Per row, the index of its scope's name in scopeNames (a rules file has a handful). */
  private scopes = new Uint16Array(4096);
  private readonly scopeNames: string[] = [];
  private readonly scopeIds = new Map<string, number>();
  private readonly texts: string[] = [''];
  private readonly ids = new Map<string, number>();
  private chars = 0;

  /** `budget`: how many reason lists, and characters in all, are interned (tests make it small). */
  constructor(private readonly budget = { texts: MAX_TEXTS, chars: MAX_CHARS }) {}

  write(row: Row, d: Decision): void {
    const i = row.row;
    if (i >= this.actions.length) {
      let n = this.actions.length;
      while (n <= i) n *= 2;
      this.actions = resized(this.actions, n, NO_DECISION);
      this.scores = resized(this.scores, n);
      this.top = resized(this.top, n);
      this.scopes = resized(this.scopes, n);
    }
    this.actions[i] = code(d.action);
    this.scores[i] = d.score;
    let sid = this.scopeIds.get(d.scope);
    if (sid === undefined && this.scopeNames.length < 0xffff) {
      sid = this.scopeNames.length;
      this.scopeNames.push(d.scope);
      this.scopeIds.set(d.scope, sid);
    }
    this.scopes[i] = sid ?? 0xffff;
    // The reason list is interned: the same text repeats across calls only when the numbers match.
    const rs = topReasons(d.reasons, TOP);
    if (rs.length === 0) {
      this.top[i] = NO_REASONS;
      return;
    }
    const text = rs.map(reasonText).join(SEP);
    let id = this.ids.get(text);
    if (id === undefined && this.texts.length <= this.budget.texts && this.chars + text.length <= this.budget.chars) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
      this.chars += text.length;
    }
    this.top[i] = id ?? NOT_KEPT;
  }

  ready(): null {
    return null;
  }

  actionOf(row: number): Action | undefined {
    const a = row < this.actions.length ? (this.actions[row] as number) : NO_DECISION;
    return a === NO_DECISION ? undefined : ACTIONS[a];
  }

  /** The baseline's score, to one decimal. */
  scoreOf(row: number): number {
    return Math.round((this.scores[row] as number) * 10) / 10;
  }

  /** The baseline decision's scope ('?' past 65,535 scope names, which no rules file has). */
  scopeOf(row: number): string {
    return this.scopeNames[this.scopes[row] as number] ?? '?';
  }

  /** The baseline's strongest reasons with points, at most three; [REASONS_NOT_KEPT] past the budget. */
  reasonsOf(row: number): string[] {
    const id = this.top[row] as number;
    if (id === NOT_KEPT) return [REASONS_NOT_KEPT];
    const text = this.texts[id] ?? '';
    return text === '' ? [] : text.split(SEP);
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
      from_score: this.base.scoreOf(row.row),
      to_score: d.score,
      from_scope: this.base.scopeOf(row.row),
      to_scope: d.scope,
      before: this.base.reasonsOf(row.row),
      after: topReasons(d.reasons, TOP).map(reasonText),
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

/** One side of a changed call: `tag 80.6 (wangiri +51.7: ...; unanswered +28.9: ...)`. */
const side = (action: Action, score: number, reasons: readonly string[]): string =>
  `${action} ${score} (${reasons.length > 0 ? reasons.join('; ') : 'no reason'})`;

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
      // The scope names whose thresholds turned the score into the action: the same score and reasons
      // can be a tag before and a reject now when the call fell into another scope.
      out.push(`      before: ${side(e.from, e.from_score, e.before)}, scope ${e.from_scope}`);
      out.push(`      now:    ${side(e.to, e.to_score, e.after)}, scope ${e.to_scope}`);
    }
  }
  return out.join('\n') + '\n';
}
