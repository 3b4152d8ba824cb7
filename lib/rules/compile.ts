/**
 * Positioned tree → CompiledRules. One pass over the file that validates
 * every key (collecting all problems), fills in defaults from defaults.ts,
 * resolves signal plugins, reads list files and builds scope predicates.
 */
import type { CompiledList, CompiledRules, CompiledScope, CompiledSignal, NationalFormat, RejectSpec, TagSpec } from '../engine/config.js';
import type { AnySignalPlugin } from '../engine/plugin.js';
import { LocalClock } from './clock.js';
import {
  DEFAULT_PHRASES, GLOBAL_FIELDS, HOLD_FIELDS, LIMITS, LIST_FIELDS, NATIONAL_FORMAT_FIELDS, PLUGINS_FIELD, REJECT_FIELDS, SCOPE_FIELDS,
  SCOPE_KEYS, SIGNAL_FIELDS, SIGNAL_KEYS, STATS_FIELDS, STATS_MAX_FIELDS, TAG_FIELDS, THRESHOLD_FIELDS, TOP_KEYS,
} from './defaults.js';
import { RulesError, type RulesIssue } from './errors.js';
import type { Field } from './fields.js';
import { rulesFingerprint } from './fingerprint.js';
import { compileList, type ListDraft } from './lists.js';
import { importPluginModule, pluginProblem } from './plugins.js';
import { didYouMean } from './suggest.js';
import { NO_POS, type LEntry, type LNode, type Pos, type TreeIssue } from './tree.js';
import { Checker, index, join } from './validate.js';
import { compileWhen, sourceMatcher, WHEN_FIELDS, type WhenSpec } from './when.js';
import { shadowedScopes } from './shadow.js';

export interface CompileContext {
  /** Name of the rules file in messages. */
  file: string;
  /** Directory list files and plugin modules are resolved against. */
  baseDir: string;
  /** Directory list files are shown relative to in messages (the rules file's, as it was named). */
  displayDir: string;
  plugins: AnySignalPlugin[];
  /** The rules text, for the fingerprint. */
  text: string;
}

/** What `check` and the watcher need besides the compiled rules. */
export interface RulesMeta {
  version: number;
  timezone: string;
  /** Third-party plugin modules as written. */
  plugins: string[];
  /** Absolute paths of list files and plugin modules the rules were built from. */
  sources: string[];
  lists: { name: string; numbers: string[]; files: string[]; badLines: 'fail' | 'skip' }[];
  /** `when` of each scope, aligned with rules.scopes. */
  when: WhenSpec[];
  /** `national_formats` as written (validated), aligned with rules.nationalFormats. */
  nationalFormats: { source: string[]; country: string }[];
  /** Problems the rules loaded in spite of (list lines skipped with bad_lines: skip), in file order. */
  warnings: RulesIssue[];
  /** Short hash of the rules text and its list files' contents (fingerprint.ts): which rules are live. */
  fingerprint: string;
}

type RejectIn = { code?: 603 | 607 | 608; phrase?: string; reason?: string };

/** Partial reject keys over an enclosing answer; a new code brings its own standard phrase unless one is given. */
export function overlayReject(base: RejectSpec, v: RejectIn): RejectSpec {
  const code = v.code ?? base.code;
  let phrase = v.phrase !== undefined ? v.phrase : v.code !== undefined && v.code !== base.code ? '' : base.phrase;
  if (phrase === '') phrase = DEFAULT_PHRASES[code];
  const reason = v.reason !== undefined ? v.reason : (base.reasonHeader ?? '');
  return reason ? { code, phrase, reasonHeader: reason } : { code, phrase };
}

interface Draft {
  id: string;
  path: string;
  keyPos: Pos;
  plugin: AnySignalPlugin | null;
  enabled?: boolean;
  monitor?: boolean;
  action?: 'score' | 'reject';
  hold?: boolean;
  probe?: boolean;
  reject?: RejectIn;
  /** unless_listed, as indexes into the compiled lists. */
  unless?: number[];
  cfg: Record<string, unknown>;
  /** Plugin keys written, parsed or not (a bad value is not also "missing"). */
  written: Set<string>;
  /** Set by the top-level pass: false when scopes must not build on it (errors already reported). */
  usable: boolean;
}

type Registry = Map<string, AnySignalPlugin>;

export async function compileTree(root: LNode | null, treeIssues: TreeIssue[], cx: CompileContext): Promise<{ rules: CompiledRules; meta: RulesMeta }> {
  const ck = new Checker(cx.file);
  for (const t of treeIssues) ck.add(t.code, t.pos, '', t.message);
  if (root === null) throw new RulesError(ck.issues);
  if (root.t !== 'map' && !(root.t === 'scalar' && root.value === null)) {
    ck.map(root, '');
    throw new RulesError(ck.issues);
  }
  if (root.t === 'scalar') {
    // An empty file (or comments only) often means a save or a ConfigMap update caught half-way: say so.
    ck.add('RF_RULES_MISSING_KEY', { line: 1, col: 1 }, 'home_country', "the file is empty (nothing but blank lines or comments): missing required key 'home_country'");
    throw new RulesError(ck.issues);
  }

  const top = ck.fields(root, GLOBAL_FIELDS, '', TOP_KEYS.filter((k) => !(k in GLOBAL_FIELDS)));
  const at = root.pos.line > 0 ? root.pos : NO_POS;
  const g = ck.complete(top.values, GLOBAL_FIELDS, '', at, top.entries);
  const node = (k: string): LEntry | undefined => top.entries.get(k);
  if (g.version !== undefined && g.version !== 1) {
    ck.add('RF_RULES_VERSION', node('version')?.value.pos ?? at, 'version', `unsupported version ${g.version}; this Ringfence reads version 1`);
  }

  // Top-level sections.
  const section = <S extends Record<string, Field<unknown>>>(key: string, schema: S, nested: readonly string[] = []) => {
    const e = node(key);
    const f = ck.fields(e?.value, schema, key, nested);
    return { ...f, at: e?.keyPos ?? at };
  };
  const thr = section('thresholds', THRESHOLD_FIELDS);
  const thresholds = ck.complete(thr.values, THRESHOLD_FIELDS, 'thresholds', thr.at, thr.entries);
  checkThresholds(ck, thresholds, 'thresholds', thr.at);
  const reject = overlayReject({ code: 608, phrase: DEFAULT_PHRASES[608] }, section('reject', REJECT_FIELDS).values);
  const tg = section('tag', TAG_FIELDS);
  const tagIn = ck.complete(tg.values, TAG_FIELDS, 'tag', tg.at, tg.entries);
  const tag: TagSpec = { scoreHeader: tagIn.score_header, reasonsHeader: tagIn.reasons_header, displayPrefix: tagIn.display_prefix };
  const hd = section('hold', HOLD_FIELDS, ['reject']);
  const hold = ck.complete(hd.values, HOLD_FIELDS, 'hold', hd.at, hd.entries);
  // hold.reject: how a call rejected on its caller's hold is answered, over each scope's reject.
  const holdRejectIn = hd.entries.has('reject') ? ck.fields(hd.entries.get('reject')?.value, REJECT_FIELDS, 'hold.reject').values : undefined;
  const holdRejectOf = (r: RejectSpec): RejectSpec | undefined => (holdRejectIn === undefined ? undefined : overlayReject(r, holdRejectIn));
  const st = section('stats', STATS_FIELDS, ['max']);
  const stats = ck.complete(st.values, STATS_FIELDS, 'stats', st.at, st.entries);
  const mx = st.entries.get('max');
  const maxF = ck.fields(mx?.value, STATS_MAX_FIELDS, 'stats.max');
  const max = ck.complete(maxF.values, STATS_MAX_FIELDS, 'stats.max', mx?.keyPos ?? st.at, maxF.entries);

  // Plugins: built-ins, then third-party modules named in the file.
  const meta: RulesMeta = { version: g.version ?? 1, timezone: g.timezone ?? 'UTC', plugins: [], sources: [], lists: [], when: [], nationalFormats: [], warnings: [], fingerprint: '' };
  const registry = await buildRegistry(ck, cx, node('plugins'), meta);

  // Lists.
  const listsOut: CompiledList[] = [];
  const listDigests: string[] = [];
  /** List name → index in listsOut, for signals' unless_listed. */
  const listIndex = new Map<string, number>();
  const lists = node('lists');
  const listEntries = ck.map(lists?.value, 'lists') ?? [];
  // -1 until compiled: a list with errors of its own is still a list a signal may name (no second, misleading error).
  for (const e of listEntries) listIndex.set(e.key, -1);
  if (listEntries.length > LIMITS.lists) {
    ck.add('RF_RULES_TOO_MANY', (lists as LEntry).keyPos, 'lists', `${listEntries.length} lists; at most ${LIMITS.lists} are allowed`);
  } else {
    const drafts: ListDraft[] = [];
    for (const e of listEntries) {
      const d = listDraft(ck, e, reject);
      if (d) drafts.push(d);
    }
    if (g.home_country !== undefined) {
      const built = await Promise.all(drafts.map((d) => compileList(ck, d, { home: g.home_country as string, baseDir: cx.baseDir, displayDir: cx.displayDir })));
      for (const [i, b] of built.entries()) {
        const d = drafts[i] as ListDraft;
        listIndex.set(d.name, listsOut.length);
        listsOut.push(b.list);
        meta.sources.push(...b.files);
        listDigests.push(...b.digests);
        meta.lists.push({ name: d.name, numbers: d.source.numbers.map((n) => n.value), files: d.source.files.map((f) => f.spec), badLines: d.badLines });
      }
    } else if (drafts.length > 0) {
      // Numbers are read against the home country: without a valid one the lists cannot be checked, which
      // `check` would otherwise pass over in silence while listing every other problem.
      ck.add('RF_RULES_LIST_ENTRY', (lists as LEntry).keyPos, 'lists', 'not checked: list numbers are read against home_country, which is missing or invalid; fix it to have them checked');
    }
  }

  // Signals at the top level make the base scope; scopes override them by id.
  const sig = node('signals');
  const topDrafts = signalBlock(ck, sig, 'signals', registry, undefined, listIndex);
  const baseSignals: CompiledSignal[] = [];
  for (const d of topDrafts.values()) {
    if (d.plugin === null) {
      d.usable = false;
      continue;
    }
    const before = ck.issues.length;
    const s = finalize(ck, undefined, d, reject, stats.distinct_cap);
    d.usable = ck.issues.length === before;
    if (s) baseSignals.push(s);
  }
  const monitor = g.monitor ?? false;
  const base: CompiledScope = { name: 'default', thresholds, reject, tag, monitor, signals: baseSignals };
  const baseHold = holdRejectOf(reject);
  if (baseHold) base.holdReject = baseHold;

  // Scopes.
  const clock = new LocalClock(meta.timezone);
  const scopes: CompiledScope[] = [];
  /** Where each compiled scope was written, for warnings about it. */
  const scopeAt: { pos: Pos; path: string }[] = [];
  const sc = node('scopes');
  const items = ck.seq(sc?.value, 'scopes') ?? [];
  if (items.length > LIMITS.scopes) {
    ck.add('RF_RULES_TOO_MANY', (sc as LEntry).keyPos, 'scopes', `${items.length} scopes; at most ${LIMITS.scopes} are allowed`);
  } else {
    const names = new Map<string, number>();
    for (const [i, item] of items.entries()) {
      const path = index('scopes', i);
      const f = ck.fields(item, SCOPE_FIELDS, path, SCOPE_KEYS.filter((k) => !(k in SCOPE_FIELDS)));
      const name = f.values.name;
      const nameEntry = f.entries.get('name');
      if (name === undefined) {
        if (!nameEntry && item.t === 'map') ck.add('RF_RULES_MISSING_KEY', item.pos, join(path, 'name'), "missing required key 'name'");
      } else if (name === 'default') {
        ck.add('RF_RULES_BAD_VALUE', (nameEntry as LEntry).value.pos, join(path, 'name'), "'default' names the top-level rules; give this scope another name");
      } else if (names.has(name)) {
        ck.add('RF_RULES_DUPLICATE', (nameEntry as LEntry).value.pos, join(path, 'name'), `scope name '${name}' is already used by scopes[${names.get(name)}]`);
      } else {
        names.set(name, i);
      }
      const sub = (k: string) => f.entries.get(k);
      const when = ck.fields(sub('when')?.value, WHEN_FIELDS, join(path, 'when')).values as WhenSpec;
      const thrE = sub('thresholds');
      const sThresholds = { ...thresholds, ...ck.fields(thrE?.value, THRESHOLD_FIELDS, join(path, 'thresholds')).values };
      if (thrE) checkThresholds(ck, sThresholds, join(path, 'thresholds'), thrE.keyPos);
      const sReject = overlayReject(reject, ck.fields(sub('reject')?.value, REJECT_FIELDS, join(path, 'reject')).values);
      const tv = ck.fields(sub('tag')?.value, TAG_FIELDS, join(path, 'tag')).values;
      const sTag: TagSpec = {
        scoreHeader: tv.score_header ?? tag.scoreHeader,
        reasonsHeader: tv.reasons_header ?? tag.reasonsHeader,
        displayPrefix: tv.display_prefix ?? tag.displayPrefix,
      };
      const overrides = signalBlock(ck, sub('signals'), join(path, 'signals'), registry, topDrafts, listIndex);
      const signals: CompiledSignal[] = [];
      for (const d of topDrafts.values()) {
        if (!d.usable) continue;
        const s = finalize(ck, d, overrides.get(d.id), sReject, stats.distinct_cap);
        if (s) signals.push(s);
      }
      for (const o of overrides.values()) {
        if (topDrafts.has(o.id) || o.plugin === null) continue;
        const s = finalize(ck, undefined, o, sReject, stats.distinct_cap);
        if (s) signals.push(s);
      }
      meta.when.push(when);
      scopeAt.push({ pos: item.pos, path });
      const scope: CompiledScope = {
        name: name ?? `scopes[${i}]`,
        match: compileWhen(when, clock),
        bySource: (when.source?.length ?? 0) > 0,
        thresholds: sThresholds,
        reject: sReject,
        tag: sTag,
        monitor: f.values.monitor ?? monitor,
        signals,
      };
      const sHold = holdRejectOf(sReject);
      if (sHold) scope.holdReject = sHold;
      scopes.push(scope);
    }
  }

  if (ck.issues.length === 0) {
    for (const s of shadowedScopes(meta.when)) {
      const later = scopes[s.index] as CompiledScope;
      const earlier = scopes[s.by] as CompiledScope;
      const at = scopeAt[s.index] as { pos: Pos; path: string };
      ck.warn('RF_RULES_SCOPE_SHADOWED', at.pos, at.path, s.full
        ? `scope '${later.name}' never applies: every call it matches, scope '${earlier.name}' before it matches too, and the first scope that matches decides (move it up, or narrow '${earlier.name}')`
        : `scope '${later.name}' does not apply ${s.when}: scope '${earlier.name}' before it takes those calls, as the first scope that matches decides (move it up if it should win there)`);
    }
  }

  const nationalFormats = compileNationalFormats(ck, node('national_formats'), meta);

  // Valid, and screening nothing: every call forwarded unscored. Legal (a file being built up, an
  // emergency off switch), but not something to load without a word.
  // Allow lists and empty lists alone never tag or reject anyone.
  if (ck.issues.length === 0 && baseSignals.length === 0 && listsOut.every((l) => l.action === 'allow' || l.size === 0) && scopes.every((sc) => sc.signals.length === 0)) {
    ck.warn('RF_RULES_SCREENS_NOTHING', { line: 1, col: 1 }, '', 'no signal and no list that can tag or reject is in force: every call is forwarded unscreened');
  }
  if (ck.issues.length > 0) throw new RulesError(sortIssues(ck.issues, cx.file));
  meta.warnings = sortIssues(ck.warnings, cx.file);
  meta.fingerprint = rulesFingerprint(cx.text, listDigests);

  const rules: CompiledRules = {
    homeCountry: g.home_country as string,
    hold: { duration: hold.duration, extend: hold.extend, max: hold.max, probe: hold.probe, probeBackoff: hold.probe_backoff, releaseTalk: hold.release_talk },
    failMode: g.fail_mode ?? 'open',
    monitor,
    stats: {
      shortCall: stats.short_call,
      quickRing: stats.quick_ring,
      blockDigits: stats.block_digits,
      distinctCap: stats.distinct_cap,
      pendingTtl: stats.pending_ttl,
      retryWindow: stats.retry_window,
      max: { ...max },
    },
    lists: listsOut,
    nationalFormats,
    scopes,
    base,
  };
  return { rules, meta };
}

/** `national_formats`: a list of {source, country}, both required. */
function compileNationalFormats(ck: Checker, e: LEntry | undefined, meta: RulesMeta): NationalFormat[] {
  const out: NationalFormat[] = [];
  const items = ck.seq(e?.value, 'national_formats') ?? [];
  if (items.length > LIMITS.nationalFormats) {
    ck.add('RF_RULES_TOO_MANY', (e as LEntry).keyPos, 'national_formats', `${items.length} entries; at most ${LIMITS.nationalFormats} are allowed`);
    return out;
  }
  for (const [i, item] of items.entries()) {
    const path = index('national_formats', i);
    const f = ck.fields(item, NATIONAL_FORMAT_FIELDS, path);
    const v = ck.complete(f.values, NATIONAL_FORMAT_FIELDS, path, item.pos, f.entries);
    if (v.source === undefined || v.country === undefined) continue;
    if (v.source.length === 0) {
      ck.add('RF_RULES_BAD_VALUE', f.entries.get('source')?.value.pos ?? item.pos, join(path, 'source'), 'an empty list matches no call; name at least one trunk or network');
      continue;
    }
    out.push({ matches: sourceMatcher(v.source), country: v.country });
    meta.nationalFormats.push({ source: v.source, country: v.country });
  }
  return out;
}

/** The rules file's own issues first, in file order; then other files (list files) in order. */
function sortIssues(issues: RulesIssue[], file: string): RulesIssue[] {
  return issues
    .map((i, n) => ({ i, n }))
    .sort((a, b) =>
      Number(a.i.file !== file) - Number(b.i.file !== file) ||
      (a.i.file < b.i.file ? -1 : a.i.file > b.i.file ? 1 : 0) ||
      a.i.line - b.i.line || a.i.col - b.i.col || a.n - b.n)
    .map((x) => x.i);
}

function checkThresholds(ck: Checker, t: { tag?: number; reject?: number }, path: string, at: Pos): void {
  if (t.tag !== undefined && t.reject !== undefined && t.tag > t.reject) {
    ck.add('RF_RULES_CONFLICT', at, path, `tag threshold ${t.tag} is above reject threshold ${t.reject}, so no call would ever be tagged (to turn tagging off, set tag equal to reject)`);
  }
}

async function buildRegistry(ck: Checker, cx: CompileContext, e: LEntry | undefined, meta: RulesMeta): Promise<Registry> {
  const registry: Registry = new Map();
  const origin = new Map<string, string>();
  const add = (p: AnySignalPlugin, from: string, pos: Pos, path: string): void => {
    const why = pluginProblem(p);
    if (why) {
      ck.add('RF_RULES_PLUGIN_INVALID', pos, path, `${from}: ${why}`);
      return;
    }
    const prev = origin.get(p.name);
    if (prev !== undefined) {
      ck.add('RF_RULES_DUPLICATE_PLUGIN', pos, path, `plugin name '${p.name}' from ${from} is already taken by ${prev}`);
      return;
    }
    registry.set(p.name, p);
    origin.set(p.name, from);
  };
  for (const p of cx.plugins) add(p, 'the built-in plugins', NO_POS, 'plugins');

  if (!e) return registry;
  const items = ck.seq(e.value, 'plugins');
  if (items === null) return registry;
  if (items.length > LIMITS.plugins) {
    ck.add('RF_RULES_TOO_MANY', e.keyPos, 'plugins', `${items.length} plugin modules; at most ${LIMITS.plugins} are allowed`);
    return registry;
  }
  const specs: { spec: string; node: LNode; path: string }[] = [];
  for (const [i, it] of items.entries()) {
    const path = index('plugins', i);
    const r = ck.value(it, PLUGINS_FIELD, path);
    const spec = r?.[0];
    if (spec === undefined || r?.length !== 1) {
      if (r) ck.add('RF_RULES_BAD_VALUE', it.pos, path, 'expected a module path');
      continue;
    }
    specs.push({ spec, node: it, path });
  }
  const loaded = await Promise.all(specs.map((s) => importPluginModule(s.spec, cx.baseDir)));
  for (const [i, m] of loaded.entries()) {
    const s = specs[i] as (typeof specs)[number];
    meta.plugins.push(s.spec);
    meta.sources.push(m.file);
    if (m.error) {
      ck.add(m.error.code, s.node.pos, s.path, m.error.message);
      continue;
    }
    for (const p of m.plugins ?? []) add(p, s.spec, s.node.pos, s.path);
  }
  return registry;
}

function listDraft(ck: Checker, e: LEntry, topReject: RejectSpec): ListDraft | null {
  const path = join('lists', e.key);
  if (!/^[A-Za-z0-9][\w.-]*$/.test(e.key)) {
    ck.add('RF_RULES_BAD_VALUE', e.keyPos, path, `list name '${e.key}' must be letters, digits, '-', '_' or '.'`);
  }
  const f = ck.fields(e.value, LIST_FIELDS, path);
  // `points` is required only for action: score, checked below.
  const v = ck.complete(f.values, LIST_FIELDS, path, e.keyPos, { has: (k: string) => k === 'points' || f.entries.has(k) });
  const action = f.values.action;
  if (action === undefined) return null;
  if (action === 'score' && f.values.points === undefined && !f.entries.has('points')) {
    ck.add('RF_RULES_MISSING_KEY', e.keyPos, join(path, 'points'), "missing required key 'points' (action: score adds them)");
  }
  if (action !== 'score' && f.entries.has('points')) {
    ck.add('RF_RULES_CONFLICT', (f.entries.get('points') as LEntry).keyPos, join(path, 'points'), `points only apply to action: score (this list is action: ${action})`);
  }
  const rejectKeys = (['code', 'phrase', 'reason'] as const).filter((k) => f.entries.has(k));
  if (action !== 'reject') {
    for (const k of rejectKeys) ck.add('RF_RULES_CONFLICT', (f.entries.get(k) as LEntry).keyPos, join(path, k), `${k} only applies to action: reject (this list is action: ${action})`);
  }
  const items = (k: 'numbers' | 'files'): { value: string; node: LNode }[] => {
    const n = f.entries.get(k)?.value;
    if (!n || f.values[k] === undefined) return [];
    const nodes = n.t === 'seq' ? n.items : [n];
    return nodes.map((node, i) => ({ value: (f.values[k] as string[])[i] as string, node }));
  };
  const d: ListDraft = {
    name: e.key,
    path,
    action,
    points: action === 'score' ? (v.points ?? 0) : 0,
    monitor: v.monitor,
    badLines: v.bad_lines,
    source: { numbers: items('numbers'), files: items('files').map((x) => ({ spec: x.value, node: x.node })) },
  };
  if (action === 'reject' && rejectKeys.length > 0) d.reject = overlayReject(topReject, { code: f.values.code, phrase: f.values.phrase, reason: f.values.reason });
  return d;
}

/** One `signals:` mapping into drafts by id; `inherit` holds the top-level drafts when this is a scope's block. */
function signalBlock(
  ck: Checker,
  e: LEntry | undefined,
  path: string,
  registry: Registry,
  inherit: Map<string, Draft> | undefined,
  lists: ReadonlyMap<string, number>,
): Map<string, Draft> {
  const out = new Map<string, Draft>();
  const entries = ck.map(e?.value, path);
  if (entries === null) return out;
  if (entries.length > LIMITS.signals) {
    ck.add('RF_RULES_TOO_MANY', (e as LEntry).keyPos, path, `${entries.length} signals; at most ${LIMITS.signals} are allowed in one block`);
    return out;
  }
  for (const s of entries) out.set(s.key, signalDraft(ck, s, join(path, s.key), registry, inherit?.get(s.key), lists));
  return out;
}

function signalDraft(ck: Checker, e: LEntry, path: string, registry: Registry, base: Draft | undefined, lists: ReadonlyMap<string, number>): Draft {
  const d: Draft = { id: e.key, path, keyPos: e.keyPos, plugin: base?.plugin ?? null, cfg: {}, written: new Set(), usable: true };
  let entries: LEntry[] | null;
  // `id: false` / `id: true` / `id:` are shorthands for enabled false / true / all defaults.
  if (e.value.t === 'scalar' && typeof e.value.value === 'boolean') {
    d.enabled = e.value.value;
    entries = [];
  } else {
    entries = ck.map(e.value, path);
    if (entries === null) return d;
  }
  const useE = entries.find((x) => x.key === 'use');
  const use = useE ? ck.value(useE.value, SIGNAL_FIELDS.use, join(path, 'use')) : undefined;
  if (base) {
    if (use !== undefined && base.plugin && use !== base.plugin.name) {
      ck.add('RF_RULES_CONFLICT', (useE as LEntry).value.pos, join(path, 'use'),
        `signal '${e.key}' runs plugin '${base.plugin.name}' at the top level; a scope cannot switch it to '${use}' (add it under a new id)`);
    }
  } else if (!(useE && use === undefined)) {
    const name = use ?? e.key;
    d.plugin = registry.get(name) ?? null;
    if (d.plugin === null) {
      const hint = didYouMean(name, registry.keys());
      if (useE) ck.add('RF_RULES_UNKNOWN_PLUGIN', useE.value.pos, join(path, 'use'), `unknown plugin '${name}'${hint}`);
      // A top-level key under signals: (reject:, stats:, ...) is almost always one indented a level too deep.
      else if ((TOP_KEYS as readonly string[]).includes(name)) ck.add('RF_RULES_UNKNOWN_PLUGIN', e.keyPos, path, `unknown plugin '${name}': '${name}' is a top-level key of the rules file, indented here under signals: (check its indentation)`);
      else ck.add('RF_RULES_UNKNOWN_PLUGIN', e.keyPos, path, `unknown plugin '${name}'${hint}${hint ? '' : ' (to give a signal its own id, add use: <plugin>)'}`);
    }
  }
  const plugin = d.plugin;
  if (plugin === null) return d;

  const known = ck.keys(entries, [...SIGNAL_KEYS, ...Object.keys(plugin.schema)], path);
  for (const [k, x] of known) {
    const p = join(path, k);
    if (k === 'use') continue;
    if (k === 'reject') d.reject = ck.fields(x.value, REJECT_FIELDS, p).values;
    else if (k === 'enabled') d.enabled = ck.value(x.value, SIGNAL_FIELDS.enabled, p);
    else if (k === 'monitor') d.monitor = ck.value(x.value, SIGNAL_FIELDS.monitor, p);
    else if (k === 'action') d.action = ck.value(x.value, SIGNAL_FIELDS.action, p);
    else if (k === 'hold') d.hold = ck.value(x.value, SIGNAL_FIELDS.hold, p);
    else if (k === 'probe') d.probe = ck.value(x.value, SIGNAL_FIELDS.probe, p);
    else if (k === 'unless_listed') d.unless = listRefs(ck, x.value, p, lists);
    else {
      d.written.add(k);
      const v = ck.value(x.value, (plugin.schema as Record<string, Field<unknown>>)[k] as Field<unknown>, p);
      if (v !== undefined) d.cfg[k] = v;
    }
  }
  return d;
}

/**
 * unless_listed: list names as indexes into the compiled lists. A name with
 * no list is an error at its own entry (a misspelt list would otherwise
 * exempt nobody, silently).
 */
function listRefs(ck: Checker, node: LNode, path: string, lists: ReadonlyMap<string, number>): number[] | undefined {
  const names = ck.value(node, SIGNAL_FIELDS.unless_listed, path);
  if (names === undefined) return undefined;
  const out: number[] = [];
  for (const [i, name] of names.entries()) {
    const at = lists.get(name);
    if (at !== undefined) {
      if (at >= 0 && !out.includes(at)) out.push(at);
      continue;
    }
    const item = node.t === 'seq' ? node.items[i] : undefined;
    const hint = didYouMean(name, lists.keys());
    const known = lists.size > 0 ? ` (lists: ${[...lists.keys()].join(', ')})` : ' (this file defines no lists)';
    ck.add('RF_RULES_UNKNOWN_LIST', item?.pos ?? node.pos, node.t === 'seq' ? index(path, i) : path, `no list named '${name}' in lists${hint}${hint ? '' : known}`);
  }
  return out;
}

/** A signal as it runs in one scope: the override over the top-level draft, defaults filled in; null when disabled. */
/** Signal fields that are thresholds on a distinct count (fan-in, fan-out, rotating-cli; min_distinct of the outcome tests). */
const DISTINCT_FIELDS = ['distinct', 'min_distinct'] as const;

function finalize(ck: Checker, base: Draft | undefined, over: Draft | undefined, scopeReject: RejectSpec, distinctCap: number): CompiledSignal | null {
  const last = (over ?? base) as Draft;
  const plugin = last.plugin as AnySignalPlugin;
  if (!(over?.enabled ?? base?.enabled ?? true)) return null;
  const written = new Set([...(base?.written ?? []), ...(over?.written ?? [])]);
  const cfg = ck.complete({ ...base?.cfg, ...over?.cfg }, plugin.schema as Record<string, Field<unknown>>, last.path, last.keyPos, written);
  // Distinct counts stop at stats.distinct_cap: a threshold above it is never reached.
  for (const field of DISTINCT_FIELDS) {
    const v: unknown = Reflect.get(cfg, field);
    const path = `${last.path}.${field}`;
    // Each scope finalizes the top-level signals again: one warning per place in the file.
    if (typeof v === 'number' && v > distinctCap && !ck.warnings.some((w) => w.path === path && w.line === last.keyPos.line)) {
      ck.warn('RF_RULES_NEVER_REACHED', last.keyPos, path, `${field} ${v} is above stats.distinct_cap (${distinctCap}): distinct counts stop there, so this threshold is never reached (raise distinct_cap or lower ${field})`);
    }
  }
  const s: CompiledSignal = {
    id: last.id,
    plugin,
    cfg,
    monitor: over?.monitor ?? base?.monitor ?? false,
    action: over?.action ?? base?.action ?? 'score',
  };
  if ((over?.hold ?? base?.hold) === false) s.holds = false;
  if ((over?.probe ?? base?.probe) === false) s.probes = false;
  if (base?.reject || over?.reject) s.reject = overlayReject(scopeReject, { ...base?.reject, ...over?.reject });
  const unless = over?.unless ?? base?.unless;
  if (unless !== undefined && unless.length > 0) s.unless = unless;
  return s;
}

