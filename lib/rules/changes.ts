/**
 * What a reload changed, in the few settings an operator checks first: so
 * the "rules reloaded" log line says whether the edit did what was meant.
 */
import type { CompiledRules } from '../engine/config.js';

export type Change = { from: string | number | boolean; to: string | number | boolean };

/** Log keys (snake_case) → how the setting is named in the rules file, for the message. */
const WATCHED: readonly [key: string, shown: string, read: (r: CompiledRules) => string | number | boolean][] = [
  ['home_country', 'home_country', (r) => r.homeCountry],
  ['monitor', 'monitor', (r) => r.monitor],
  ['threshold_tag', 'thresholds.tag', (r) => r.base.thresholds.tag],
  ['threshold_reject', 'thresholds.reject', (r) => r.base.thresholds.reject],
  ['signals', 'signals', (r) => r.base.signals.length],
  ['lists', 'lists', (r) => r.lists.length],
];

/**
 * Only the settings that differ; signals and lists are counts (top-level
 * signals that run). Scopes: their number, and the thresholds of each scope
 * in both, keyed as the file names them (`scopes.night.thresholds.reject`).
 */
export function rulesChanges(prev: CompiledRules, next: CompiledRules): Record<string, Change> {
  const out: Record<string, Change> = {};
  for (const [key, , read] of WATCHED) {
    const from = read(prev);
    const to = read(next);
    if (from !== to) out[key] = { from, to };
  }
  if (prev.scopes.length !== next.scopes.length) out.scopes = { from: prev.scopes.length, to: next.scopes.length };
  for (const s of next.scopes) {
    const was = prev.scopes.find((p) => p.name === s.name);
    if (was === undefined) continue;
    for (const k of ['tag', 'reject'] as const) {
      if (was.thresholds[k] !== s.thresholds[k]) out[`scopes.${s.name}.thresholds.${k}`] = { from: was.thresholds[k], to: s.thresholds[k] };
    }
  }
  return out;
}

/** `thresholds.reject 100 → 80, signals 3 → 4`, or a note that none of them changed. */
export function describeChanges(changes: Record<string, Change>): string {
  const watched = new Set(WATCHED.map(([k]) => k));
  const parts = [
    ...WATCHED.filter(([k]) => k in changes).map(([k, shown]) => `${shown} ${String(changes[k]?.from)} → ${String(changes[k]?.to)}`),
    ...Object.entries(changes).filter(([k]) => !watched.has(k)).map(([k, c]) => `${k} ${String(c.from)} → ${String(c.to)}`),
  ];
  return parts.length > 0
    ? parts.join(', ')
    : "home_country, monitor, the thresholds (top level and each scope's), the number of scopes, signals and lists unchanged; any other edit (signal settings, list entries, hold) is in force";
}

/**
 * Settings a reload cannot apply to a running engine, which keeps its tables
 * as sized at start (stats.max, stats.distinct_cap: compared with `started`,
 * the rules the engine was built with), and settings that start evidence
 * afresh (stats.block_digits re-keys every number block: compared with
 * `prev`, the rules in force until now): one text each, empty when none.
 */
export function restartChanges(started: CompiledRules, prev: CompiledRules, next: CompiledRules): string[] {
  const out: string[] = [];
  const a = started.stats;
  const b = next.stats;
  for (const k of Object.keys(b.max) as (keyof typeof b.max)[]) {
    if (a.max[k] !== b.max[k]) out.push(`stats.max.${k} ${b.max[k]} takes effect at the next restart (${a.max[k]} until then)`);
  }
  if (a.distinctCap !== b.distinctCap) out.push(`stats.distinct_cap ${b.distinctCap} takes effect at the next restart (${a.distinctCap} until then)`);
  if (prev.stats.blockDigits !== b.blockDigits) out.push(`stats.block_digits ${prev.stats.blockDigits} → ${b.blockDigits}: number blocks are keyed afresh, their evidence starts empty`);
  return out;
}
