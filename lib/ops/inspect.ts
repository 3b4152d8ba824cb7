/**
 * What the engine holds for one number right now, and what a call from it
 * would get: the first thing an engineer asks when a customer says calls are
 * blocked. Read-only: nothing here touches statistics, holds or LRU recency.
 *
 * The report is what /inspect and `inspect --json` send, so its keys are
 * snake_case like every JSON an operator reads: the decision preview through
 * decisionJson (the names of `replay --decisions`), the number through
 * numberInfoJson. The engine's own types keep their camelCase properties.
 */
import type { Engine } from '../engine/engine.js';
import { METRICS, type Metric, type TableName } from '../engine/plugin.js';
import { decisionJson, type DecisionJson } from '../engine/decision-json.js';
import { signedPoints } from '../engine/score.js';
import type { NumberInfo } from '../numbers/types.js';
import { padColumns } from '../text-table.js';

/** NumberInfo with snake_case keys, as /inspect shows it: its two camelCase fields renamed, the rest as they are. */
export type NumberInfoJson = Omit<NumberInfo, 'callingCode' | 'nonGeographic'> & {
  calling_code: NumberInfo['callingCode'];
  non_geographic?: NumberInfo['nonGeographic'];
};

/** The number's classification with JSON key names; undefined fields left out. */
export function numberInfoJson(n: NumberInfo): NumberInfoJson {
  return {
    raw: n.raw,
    e164: n.e164,
    key: n.key,
    valid: n.valid,
    possible: n.possible,
    country: n.country,
    calling_code: n.callingCode,
    type: n.type,
    home: n.home,
    uifn: n.uifn,
    ...(n.nonGeographic !== undefined ? { non_geographic: n.nonGeographic } : {}),
    ...(n.problem !== undefined ? { problem: n.problem } : {}),
  };
}

export interface WindowCounts {
  /** Window length, ms. */
  window: number;
  /** Sliding-window estimates (fractional: the previous bucket is weighted); retries and repeats on the caller table, retries (callbacks) on the block table. */
  counts: Partial<Record<Metric, number>>;
  /** Distinct counterparties in the window; null where the table keeps none. */
  distinct: number | null;
}

export interface TableReport {
  table: TableName;
  /** What this row is about, e.g. 'as caller', 'pair with callee'. */
  role: string;
  key: string;
  /** False when the engine holds nothing for the key (never seen, or evicted). */
  tracked: boolean;
  /** First seen, epoch ms, when tracked. */
  first_seen: number | null;
  /** What the distinct count counts in this table ('callees', 'callers'), or null. */
  distinct_of: string | null;
  windows: WindowCounts[];
}

export interface InspectReport {
  number: string;
  /** The time the counts are read at, epoch ms. */
  at: number;
  info: NumberInfoJson;
  callee: NumberInfoJson | null;
  tables: TableReport[];
  /**
   * next_probe: from when a call from the number goes through as a probe (hold.probe), null without probes;
   * probed: false for a hold a signal with `probe: false` placed or scored on a probe (never probed).
   */
  hold: { until: number; why: string; active: boolean; next_probe: number | null; probed: boolean; since: number; rejected: number } | null;
  /** The decision a call from the number to the callee would get now (engine.preview); null without a callee. */
  preview: DecisionJson | null;
  /** Set when the preview threw (a plugin error): the decision would fail open or closed. */
  preview_error: string | null;
  /** True when the asker chose `at` (inspect --at): the text then says "a call at", not "a call now". */
  at_given?: boolean;
  /** Scopes that match on the call's source, left out of the preview because no source was given. */
  source_scopes_skipped?: string[];
}

export interface InspectOptions {
  /** Epoch ms to read the windows at (the admin endpoint passes the wall clock). */
  at: number;
  callee?: string;
  /** Ingress peer, for scopes that match on source. */
  source?: string;
}

/** Distinct sets: the caller table keeps callees; callee and block keep callers; pairs none (see Engine.record). */
const DISTINCT_OF: Record<TableName, string | null> = { caller: 'callees', callee: 'callers', pair: null, block: 'callers', source: 'callers' };

export function inspectNumber(engine: Engine, number: string, opts: InspectOptions): InspectReport {
  const at = opts.at;
  const info = engine.classify(number);
  const calleeInfo = opts.callee !== undefined && opts.callee !== '' ? engine.classify(opts.callee) : null;

  // The number's own keys: as a caller (caller, block, and the pair with the callee) and as a callee.
  const asCaller = engine.keysFor(info, calleeInfo ?? info, opts.source);
  const asCallee = engine.keysFor(info, info);
  const rows: { table: TableName; role: string; key: string | undefined }[] = [
    { table: 'caller', role: 'as caller', key: asCaller[0] },
    { table: 'callee', role: 'as callee', key: asCallee[1] },
    { table: 'block', role: 'its number block', key: asCaller[3] },
  ];
  if (calleeInfo !== null) {
    rows.push({ table: 'pair', role: 'pair with callee', key: asCaller[2] });
    const target = engine.keysFor(info, calleeInfo)[1];
    if (target !== undefined && target !== asCallee[1]) rows.push({ table: 'callee', role: 'the callee', key: target });
  }
  if (asCaller[4] !== undefined) rows.push({ table: 'source', role: 'the ingress source', key: asCaller[4] });

  const tables: TableReport[] = [];
  for (const row of rows) {
    if (row.key === undefined) continue;
    tables.push(tableReport(engine, row.table, row.role, row.key, at));
  }

  const h = info.e164 === null ? undefined : engine.holdOf(info.e164);
  const wait = h === undefined ? Infinity : engine.probeWait(h);
  const hold = h === undefined ? null : { until: h.until, why: h.why, active: h.until > at && !(h.since > at), next_probe: Number.isFinite(wait) ? h.probeAt + wait : null, probed: h.noProbe !== true, since: h.since, rejected: h.rejected };

  let preview: DecisionJson | null = null;
  let previewError: string | null = null;
  if (calleeInfo !== null) {
    try {
      preview = decisionJson(engine.preview({ callId: 'inspect', at, caller: number, callee: opts.callee as string, ...(opts.source ? { source: opts.source } : {}) }));
    } catch (err) {
      previewError = err instanceof Error ? err.message : String(err);
    }
  }

  // Without a source, a scope that matches on it never applies to the preview: say which, or a live call
  // from such a trunk gets another scope than the one shown.
  const bySource = opts.source ? [] : engine.rules.scopes.filter((s) => s.bySource).map((s) => s.name);
  return {
    number, at, info: numberInfoJson(info), callee: calleeInfo === null ? null : numberInfoJson(calleeInfo), tables, hold, preview, preview_error: previewError,
    ...(preview !== null && bySource.length > 0 ? { source_scopes_skipped: bySource } : {}),
  };
}

/** Counters kept on a table: retries and repeats are the caller's own, a block has its callbacks as retries (a call's callee and pair have none). */
const metricsOf = (name: TableName): readonly Metric[] =>
  name === 'caller' ? METRICS : name === 'block' ? METRICS.filter((m) => m !== 'repeats') : METRICS.filter((m) => m !== 'retries' && m !== 'repeats');

function tableReport(engine: Engine, name: TableName, role: string, key: string, at: number): TableReport {
  const table = engine.tables[name];
  // peek: looking must not make a key hot and save it from eviction.
  const e = table.peek(key);
  const distinctOf = table.distinctRetention > 0 ? DISTINCT_OF[name] : null;
  const windows: WindowCounts[] = [...table.windows].sort((a, b) => a - b).map((w) => {
    const counts: Partial<Record<Metric, number>> = {};
    for (const m of metricsOf(name)) counts[m] = round2(table.count(e, m, w, at));
    return { window: w, counts, distinct: distinctOf === null ? null : table.distinct(e, w, at) };
  });
  return { table: name, role, key, tracked: e !== undefined, first_seen: e === undefined ? null : table.first(e), distinct_of: distinctOf, windows };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** '90s', '10m', '1h', '1d' — the units rules files use. */
export function formatWindow(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's']];
  for (const [n, u] of units) if (ms >= n && ms % n === 0) return `${ms / n}${u}`;
  return `${ms}ms`;
}

function fmtNum(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function iso(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString();
}

function describe(n: NumberInfoJson): string {
  const bits: string[] = [];
  if (n.country) bits.push(n.country);
  if (n.type !== 'unknown') bits.push(n.type);
  bits.push(n.valid ? 'valid' : n.possible ? 'possible, not allocated' : 'invalid');
  if (n.home) bits.push('home country');
  if (n.non_geographic || n.uifn) bits.push('non-geographic');
  if (n.problem) bits.push(`problem: ${n.problem}`);
  return `${n.e164 ?? n.key ?? n.raw}  (${bits.join(', ')})`;
}

/** A readable text report for a terminal. */
export function formatInspect(r: InspectReport): string {
  const out: string[] = [];
  out.push(`Number   ${describe(r.info)}`);
  if (r.info.raw !== (r.info.e164 ?? r.info.key)) out.push(`         presented as '${r.info.raw}'`);
  if (r.callee) out.push(`Callee   ${describe(r.callee)}`);
  out.push(`At       ${iso(r.at)}`);
  out.push(`Hold     ${r.hold === null ? 'none' : `${r.hold.active ? 'until' : r.hold.since > r.at ? 'not yet placed at this time; placed later, until' : 'expired'} ${iso(r.hold.until)} after ${r.hold.why}`}`);
  if (r.hold !== null && r.hold.rejected !== undefined) out.push(`         since ${iso(r.hold.since)}, ${r.hold.rejected} call${r.hold.rejected === 1 ? '' : 's'} rejected on it`);
  if (r.hold?.active && r.hold.next_probe !== null) {
    out.push(`         ${r.hold.next_probe <= r.at ? 'its next call goes through as a probe' : `next probe call from ${iso(r.hold.next_probe)}`}`);
  } else if (r.hold?.active && r.hold.probed === false) {
    out.push('         never probed: a rule with probe: false scored the caller');
  }

  if (r.tables.length === 0) out.push('', 'No statistics keys: a withheld or unparseable caller ID is not tracked.');
  for (const t of r.tables) {
    out.push('');
    const head = `${t.table} ${t.key}  ${t.role}`;
    if (!t.tracked) {
      out.push(`${head}: nothing held (never seen, or evicted)`);
      continue;
    }
    out.push(`${head}, first seen ${iso(t.first_seen)}`);
    if (t.windows.length === 0) {
      out.push('  (no rule reads this table, so it keeps no windows)');
      continue;
    }
    const ms = metricsOf(t.table);
    const rows: string[][] = [['  window', ...ms.map((m) => (m === 'talk' ? 'talk(s)' : m)), ...(t.distinct_of ? [`distinct ${t.distinct_of}`] : [])]];
    for (const w of t.windows) {
      rows.push([`  ${formatWindow(w.window)}`, ...ms.map((m) => fmtNum(w.counts[m] ?? 0)), ...(t.distinct_of ? [String(w.distinct ?? '-')] : [])]);
    }
    out.push(...padColumns(rows));
  }

  if (r.callee) {
    out.push('');
    const when = r.at_given ? `at ${iso(r.at)}` : 'now';
    if (r.preview_error !== null) {
      out.push(`A call ${when}: the engine fails on it (${r.preview_error}); it would be failed open or closed per the rules`);
    } else if (r.preview) {
      const d = r.preview;
      const shown = d.monitor ? `${d.action.toUpperCase()} (monitor mode; would be ${String(d.would_be).toUpperCase()})` : d.action.toUpperCase();
      const code = d.code ? `, ${d.code} ${d.phrase ?? ''}`.trimEnd() : '';
      const by = d.rejected_by === undefined ? '' : d.rejected_by === 'score' || d.rejected_by === 'hold' || d.rejected_by === 'error' ? ` (rejected by ${d.rejected_by})` : ` (rejected by rule ${d.rejected_by})`;
      out.push(`A call ${when} ${d.caller} -> ${d.callee}: ${shown}${code}, score ${d.score}${by}, scope ${d.scope}`);
      if (d.reasons.length === 0) out.push('  no signal fired');
      else {
        const sw = Math.max(...d.reasons.map((x) => x.signal.length));
        const pts = d.reasons.map((x) => signedPoints(x.points));
        const pw = Math.max(...pts.map((x) => x.length));
        d.reasons.forEach((x, i) => out.push(`  ${x.signal.padEnd(sw)}  ${(pts[i] as string).padStart(pw)}  ${x.detail}`));
      }
      out.push('  (scored on the counts above: the call itself is not counted, and nothing was changed)');
      if (r.source_scopes_skipped?.length) out.push(`  (no source given: scope${r.source_scopes_skipped.length > 1 ? 's' : ''} ${r.source_scopes_skipped.join(', ')}, which match${r.source_scopes_skipped.length > 1 ? '' : 'es'} on the ingress trunk, could not apply; pass --source for a call from a trunk)`);
    }
  }
  return out.join('\n') + '\n';
}
