/**
 * Validation over the positioned tree: collects issues instead of throwing,
 * so one load reports everything wrong with a file.
 */
import type { RulesErrorCode, RulesIssue } from './errors.js';
import type { Field } from './fields.js';
import { didYouMean } from './suggest.js';
import { toPlain, type LEntry, type LNode, type Pos } from './tree.js';

export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
export const index = (path: string, i: number): string => `${path}[${i}]`;

/** Longest value quoted in a message: a whole CSV file named as the rules file is not one line of error. */
const MAX_QUOTED = 80;

export function describe(n: LNode): string {
  if (n.t === 'map') return 'a mapping';
  if (n.t === 'seq') return 'a list';
  if (n.value === null) return 'nothing';
  const text = JSON.stringify(n.value);
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED - 4)}..." (${String(n.value).length} characters)`;
}

export class Checker {
  readonly issues: RulesIssue[] = [];
  /** Problems the rules load in spite of (bad_lines: skip); shown by check and logged by serve. */
  readonly warnings: RulesIssue[] = [];

  constructor(readonly file: string) {}

  add(code: RulesErrorCode, pos: Pos, path: string, message: string, file = this.file): void {
    this.issues.push({ file, line: pos.line, col: pos.col, path, message, code });
  }

  warn(code: RulesErrorCode, pos: Pos, path: string, message: string, file = this.file): void {
    this.warnings.push({ file, line: pos.line, col: pos.col, path, message, code });
  }

  /** Entries of a mapping; an empty value (`key:`) is an empty mapping. Null (reported) for anything else. */
  map(node: LNode | undefined, path: string): LEntry[] | null {
    if (node === undefined) return [];
    if (node.t === 'map') return node.entries;
    if (node.t === 'scalar' && node.value === null) return [];
    // '- wangiri: {...}' under signals or lists: a list of one-key mappings where the names should be keys.
    const dashed = node.t === 'seq' && node.items.length > 0 && node.items.every((i) => i.t === 'map' && i.entries.length === 1);
    this.add('RF_RULES_TYPE', node.pos, path, `expected a mapping (key: value), got ${describe(node)}${dashed ? ": remove the '- ' before each name" : ''}`);
    return null;
  }

  /** Items of a list; an empty value is an empty list. */
  seq(node: LNode | undefined, path: string): LNode[] | null {
    if (node === undefined) return [];
    if (node.t === 'seq') return node.items;
    if (node.t === 'scalar' && node.value === null) return [];
    this.add('RF_RULES_TYPE', node.pos, path, `expected a list, got ${describe(node)}`);
    return null;
  }

  /** Known entries by key; every other key is reported with the nearest valid one. */
  keys(entries: LEntry[], allowed: readonly string[], path: string): Map<string, LEntry> {
    const out = new Map<string, LEntry>();
    for (const e of entries) {
      if (allowed.includes(e.key)) out.set(e.key, e);
      else this.unknownKey(e, allowed, path);
    }
    return out;
  }

  unknownKey(e: LEntry, allowed: readonly string[], path: string): void {
    // 'window:10m' is one plain scalar to YAML: the colon needs a space after it to start a value.
    const colon = /^([^:\s]+):(\S.*)$/.exec(e.key);
    if (colon && allowed.includes(colon[1] as string)) {
      this.add('RF_RULES_UNKNOWN_KEY', e.keyPos, join(path, e.key), `unknown key '${e.key}': put a space after the colon ('${colon[1]}: ${colon[2]}')`);
      return;
    }
    const hint = didYouMean(e.key, allowed);
    const rest = hint || (allowed.length > 0 && allowed.length <= 12 ? ` (expected one of: ${allowed.join(', ')})` : '');
    this.add('RF_RULES_UNKNOWN_KEY', e.keyPos, join(path, e.key), `unknown key '${e.key}'${rest}`);
  }

  /** Parse one value with its field; undefined (reported) when it fails. */
  value<T>(node: LNode, field: Field<T>, path: string): T | undefined {
    const r = field.parse(toPlain(node));
    if (r.ok) return r.value;
    this.add('RF_RULES_BAD_VALUE', node.pos, path, r.error);
    return undefined;
  }

  /**
   * A mapping of leaf fields. Returns the values written (partial) and whether
   * all of them parsed; defaults are the caller's business because overrides
   * (scopes) must not fill them in. Keys in `nested` are allowed but left to
   * the caller.
   */
  fields<S extends Record<string, Field<unknown>>>(
    node: LNode | undefined,
    schema: S,
    path: string,
    nested: readonly string[] = [],
  ): { values: { [K in keyof S]?: S[K] extends Field<infer T> ? T : never }; ok: boolean; entries: Map<string, LEntry> } {
    const values: Record<string, unknown> = {};
    const entries = this.map(node, path);
    if (entries === null) return { values: values as never, ok: false, entries: new Map() };
    const before = this.issues.length;
    const known = this.keys(entries, [...Object.keys(schema), ...nested], path);
    for (const [k, e] of known) {
      const f = schema[k];
      if (!f) continue;
      const v = this.value(e.value, f, join(path, k));
      if (v !== undefined) values[k] = v;
    }
    return { values: values as never, ok: this.issues.length === before, entries: known };
  }

  /**
   * Written values over defaults. A required key (no default) that is absent
   * is reported at `at`; one that is in `written` already had its bad value
   * reported, so it is not reported twice.
   */
  complete<S extends Record<string, Field<unknown>>>(
    values: Record<string, unknown>,
    schema: S,
    path: string,
    at: Pos,
    written: { has(key: string): boolean } = new Set(),
  ): { [K in keyof S]: S[K] extends Field<infer T> ? T : never } {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(schema)) {
      if (values[k] !== undefined) out[k] = values[k];
      else if (f.default !== undefined) out[k] = f.default;
      else if (!written.has(k)) this.add('RF_RULES_MISSING_KEY', at, join(path, k), `missing required key '${k}'`);
    }
    return out as never;
  }
}
