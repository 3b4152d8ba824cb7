/**
 * `ringfence check`: load a rules file and show what the engine would run,
 * defaults filled in, or every problem. Pure (returns text) so tests and the
 * CLI share it.
 */
import { Document, isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import type { CompiledList, CompiledRules, CompiledSignal, RejectSpec } from '../engine/config.js';
import type { AnySignalPlugin } from '../engine/plugin.js';
import type { RulesMeta } from './compile.js';
import { formatIssue, RulesError, type RulesIssue } from './errors.js';
import { formatDuration } from './fields.js';
import { loadRulesDetailed } from './load.js';

export interface CheckResult {
  ok: boolean;
  /** Effective configuration (YAML, or JSON with `json`), or the problems one per line. */
  text: string;
  issues: RulesIssue[];
  /** Problems the rules load in spite of (list lines left out with bad_lines: skip); also in `text`. */
  warnings: RulesIssue[];
}

const rejectOut = (r: RejectSpec): Record<string, unknown> => ({ code: r.code, phrase: r.phrase, reason: r.reasonHeader ?? '' });

function signalOut(s: CompiledSignal, lists: readonly CompiledList[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (s.id !== s.plugin.name) o.use = s.plugin.name;
  o.monitor = s.monitor;
  o.action = s.action;
  o.hold = s.holds !== false;
  o.probe = s.probes !== false;
  // Always written, [] included: a scope's [] must survive the round trip, or it would inherit the top level's lists.
  o.unless_listed = (s.unless ?? []).map((i) => lists[i]?.name);
  if (s.reject) o.reject = rejectOut(s.reject);
  const schema = s.plugin.schema as Record<string, { kind: string }>;
  for (const [k, v] of Object.entries(s.cfg)) o[k] = schema[k]?.kind === 'duration' && typeof v === 'number' ? formatDuration(v) : v;
  return o;
}

const signalsOut = (list: CompiledSignal[], lists: readonly CompiledList[]): Record<string, unknown> =>
  Object.fromEntries(list.map((s) => [s.id, signalOut(s, lists)]));

/**
 * The rules as a plain object in the file's own shape (snake_case, durations
 * as 10m), every default written out: loading it again gives the same rules.
 * A scope lists every signal that runs in it, not just its overrides.
 */
export function effectiveConfig(rules: CompiledRules, meta: RulesMeta): Record<string, unknown> {
  const b = rules.base;
  const s = rules.stats;
  return {
    version: meta.version,
    home_country: rules.homeCountry,
    timezone: meta.timezone,
    monitor: rules.monitor,
    fail_mode: rules.failMode,
    thresholds: { ...b.thresholds },
    reject: rejectOut(b.reject),
    tag: { score_header: b.tag.scoreHeader, reasons_header: b.tag.reasonsHeader, display_prefix: b.tag.displayPrefix },
    hold: {
      duration: formatDuration(rules.hold.duration),
      extend: rules.hold.extend,
      max: formatDuration(rules.hold.max),
      probe: formatDuration(rules.hold.probe),
      probe_backoff: rules.hold.probeBackoff,
      release_talk: formatDuration(rules.hold.releaseTalk),
      ...(b.holdReject ? { reject: rejectOut(b.holdReject) } : {}),
    },
    stats: {
      short_call: formatDuration(s.shortCall),
      quick_ring: formatDuration(s.quickRing),
      block_digits: s.blockDigits,
      distinct_cap: s.distinctCap,
      pending_ttl: formatDuration(s.pendingTtl),
      retry_window: formatDuration(s.retryWindow),
      max: { ...s.max },
    },
    lists: Object.fromEntries(rules.lists.map((l, i) => {
      const src = meta.lists[i];
      const o: Record<string, unknown> = { action: l.action, numbers: src?.numbers ?? [], files: src?.files ?? [] };
      if (l.action === 'score') o.points = l.points;
      if (l.reject) Object.assign(o, rejectOut(l.reject));
      o.monitor = l.monitor;
      o.bad_lines = src?.badLines ?? 'fail';
      return [l.name, o];
    })),
    plugins: [...meta.plugins],
    signals: signalsOut(b.signals, rules.lists),
    national_formats: meta.nationalFormats.map((n) => ({ source: [...n.source], country: n.country })),
    scopes: rules.scopes.map((sc, i) => ({
      name: sc.name,
      when: meta.when[i] ?? {},
      thresholds: { ...sc.thresholds },
      reject: rejectOut(sc.reject),
      tag: { score_header: sc.tag.scoreHeader, reasons_header: sc.tag.reasonsHeader, display_prefix: sc.tag.displayPrefix },
      monitor: sc.monitor,
      signals: signalsOut(sc.signals, rules.lists),
    })),
  };
}

/** Effective configuration as YAML, list sizes as comments so the output still loads as a rules file. */
export function renderEffective(rules: CompiledRules, meta: RulesMeta): string {
  const doc = new Document(effectiveConfig(rules, meta), { aliasDuplicateObjects: false });
  // Warnings as comments: seen by whoever reads the output, and the output still loads as a rules file.
  const warned = meta.warnings.map((w) => `\n warning: ${formatIssue(w)}`).join('');
  doc.commentBefore = ` Effective rules${rules.file ? ` from ${rules.file}` : ''}: every default filled in.${warned}`;
  const lists = doc.get('lists', true);
  if (isMap(lists)) {
    for (const pair of (lists as YAMLMap).items) {
      const l = rules.lists.find((x) => isScalar(pair.key) && x.name === (pair.key as Scalar).value);
      if (l && isScalar(pair.key)) (pair.key as Scalar).comment = ` ${l.size} ${l.size === 1 ? 'entry' : 'entries'}`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

export async function checkRules(file: string, opts: { json?: boolean; plugins?: AnySignalPlugin[] } = {}): Promise<CheckResult> {
  try {
    const { rules, meta } = await loadRulesDetailed(file, opts.plugins ? { plugins: opts.plugins } : {});
    const text = opts.json
      ? JSON.stringify({ ok: true, file, config: effectiveConfig(rules, meta), list_sizes: Object.fromEntries(rules.lists.map((l) => [l.name, l.size])), warnings: meta.warnings }, null, 2) + '\n'
      : renderEffective(rules, meta);
    return { ok: true, text, issues: [], warnings: meta.warnings };
  } catch (err) {
    if (!(err instanceof RulesError)) throw err;
    const text = opts.json ? JSON.stringify({ ok: false, file, issues: err.issues }, null, 2) + '\n' : err.message + '\n';
    return { ok: false, text, issues: err.issues, warnings: [] };
  }
}
