/**
 * YAML → a small positioned tree. Validation works on this tree instead of
 * on yaml's AST so that aliases and `<<` merge keys are resolved once, every
 * value keeps the line:col where it was written, and the hostile-input limits
 * (alias expansion, depth, total size) are enforced in one place.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node as YNode } from 'yaml';
import { LIMITS } from './defaults.js';
import type { RulesErrorCode } from './errors.js';

export interface Pos {
  line: number;
  col: number;
}

export const NO_POS: Pos = { line: 0, col: 0 };

export interface LEntry {
  key: string;
  keyPos: Pos;
  value: LNode;
}

export type LNode =
  | { t: 'map'; pos: Pos; entries: LEntry[] }
  | { t: 'seq'; pos: Pos; items: LNode[] }
  | { t: 'scalar'; pos: Pos; value: unknown };

export interface TreeIssue {
  pos: Pos;
  message: string;
  code: RulesErrorCode;
}

/** Stops the conversion: past a hard limit the rest of the tree is not worth looking at. */
class Abort extends Error {
  constructor(readonly issue: TreeIssue) {
    super(issue.message);
  }
}

/** yaml's wording where it speaks to programmers rather than to whoever edits the file. */
const YAML_MESSAGES: Partial<Record<string, string>> = {
  MULTIPLE_DOCS: "a rules file is one YAML document: remove the second '---'",
  DUPLICATE_KEY: 'duplicate key: each key may appear once in a mapping',
};

/** `key:value` with no space after the colon, at the start of a line (a URI value such as sip:x has a key before it). */
const KEY_NO_SPACE = /^\s*(?:- )?([A-Za-z_][\w.-]*):([^\s/].*)$/;

/**
 * What to look for, added to yaml's message for the mistakes people make by
 * hand: its words name the parser's state, not the fix. `lines` is the file,
 * `line` the 1-based line the parser stopped at.
 */
function yamlHint(code: string, message: string, lines: readonly string[], line: number): string {
  const near = [line - 1, line, line + 1].filter((n) => n >= 1 && n <= lines.length);
  const glued = near.map((n) => ({ n, m: KEY_NO_SPACE.exec(lines[n - 1] as string) })).find((x) => x.m);
  if (code === 'MULTILINE_IMPLICIT_KEY' && glued?.m) {
    return `: a space is missing after ':' on line ${glued.n} (write '${glued.m[1]}: ${(glued.m[2] as string).trim()}')`;
  }
  if (code === 'TAB_AS_INDENT') return ': indent with spaces; YAML does not allow tabs';
  if (/^Flow (map|sequence)/.test(message) || code === 'MISSING_CHAR') {
    return `: a '{' or '[' opened on an earlier line is not closed; look for a missing '}' or ']' above line ${line}`;
  }
  if (code === 'BAD_INDENT' || code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    return `: check the indentation of lines ${Math.max(1, line - 1)}-${Math.min(lines.length, line + 1)} (spaces only; the keys of one mapping start in the same column)`;
  }
  return '';
}

/** Parse YAML text; returns the tree (null when the file is unusable) and every syntax problem. */
export function parseTree(text: string): { root: LNode | null; issues: TreeIssue[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): Pos => (offset === undefined ? { line: 1, col: 1 } : lc.linePos(offset));
  const issues: TreeIssue[] = [];
  const dups = doc.errors.some((e) => e.code === 'DUPLICATE_KEY') ? duplicateKeys(doc) : undefined;
  let lines: string[] | undefined;
  for (const e of [...doc.errors, ...doc.warnings]) {
    const dup = e.code === 'DUPLICATE_KEY' ? dups?.get(e.pos[0]) : undefined;
    const pos = at(e.pos[0]);
    let message: string;
    if (dup) message = `duplicate key '${dup.key}' (first written on line ${at(dup.first).line}): each key may appear once in a mapping`;
    else if (YAML_MESSAGES[e.code]) message = YAML_MESSAGES[e.code] as string;
    else {
      const said = e.message.replace(/\s+at line \d+, column \d+.*$/s, '');
      lines ??= text.split(/\r?\n/);
      message = said + yamlHint(e.code, said, lines, pos.line);
    }
    issues.push({ pos, message, code: 'RF_RULES_YAML' });
  }
  if (doc.errors.length > 0) return { root: null, issues };

  // yaml's own alias-bomb guard first; the node budget below is the backstop.
  try {
    doc.toJS({ maxAliasCount: LIMITS.aliasCount });
  } catch (err) {
    if (/Excessive alias count/.test((err as Error).message)) {
      issues.push({ pos: at(firstAliasOffset(doc)), message: `too many alias expansions (more than ${LIMITS.aliasCount}): refusing a possible alias bomb`, code: 'RF_RULES_ALIASES' });
      return { root: null, issues };
    }
    // Unresolved aliases and the like are reported with their position by the walk below.
  }

  const targets = aliasTargets(doc);
  let budget = LIMITS.nodes;
  const posOf = (n: YNode | null | undefined, fallback: Pos): Pos => (n?.range ? at(n.range[0]) : fallback);

  const conv = (node: unknown, depth: number, fallback: Pos, seen: Set<YNode>): LNode => {
    if (--budget < 0) throw new Abort({ pos: fallback, message: `the document expands to more than ${LIMITS.nodes} values`, code: 'RF_RULES_ALIASES' });
    if (depth > LIMITS.depth) throw new Abort({ pos: fallback, message: `nested deeper than ${LIMITS.depth} levels`, code: 'RF_RULES_TOO_DEEP' });
    if (node === null || node === undefined) return { t: 'scalar', pos: fallback, value: null };
    if (isAlias(node)) {
      const pos = posOf(node, fallback);
      const target = targets.get(node);
      if (!target) throw new Abort({ pos, message: `unknown alias *${node.source} (the anchor must come first)`, code: 'RF_RULES_YAML' });
      if (seen.has(target)) throw new Abort({ pos, message: `alias *${node.source} refers to itself`, code: 'RF_RULES_YAML' });
      // The alias's own position for the value as a whole; inner keys keep the anchor's.
      return { ...conv(target, depth, pos, new Set(seen).add(target)), pos };
    }
    const pos = posOf(node as YNode, fallback);
    if (isScalar(node)) return { t: 'scalar', pos, value: node.value };
    if (isSeq(node)) return { t: 'seq', pos, items: node.items.map((it) => conv(it, depth + 1, pos, seen)) };
    if (isMap(node)) {
      const entries: LEntry[] = [];
      const merges: LNode[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as YNode | null;
        const keyPos = posOf(k, pos);
        if (isScalar(k) && typeof k.value === 'symbol') {
          merges.push(conv(pair.value, depth, keyPos, seen));
          continue;
        }
        let key: string;
        if (isScalar(k) && k.value !== null && typeof k.value !== 'object') key = String(k.value);
        else throw new Abort({ pos: keyPos, message: 'keys must be plain text', code: 'RF_RULES_TYPE' });
        entries.push({ key, keyPos, value: conv(pair.value, depth + 1, keyPos, seen) });
      }
      // `<<: *base` fills in keys not written explicitly, earlier merges first (YAML 1.1 merge semantics).
      const have = new Set(entries.map((e) => e.key));
      for (const m of merges) {
        const sources = m.t === 'seq' ? m.items : [m];
        for (const src of sources) {
          if (src.t !== 'map') throw new Abort({ pos: src.pos, message: '`<<` merges a mapping or a list of mappings', code: 'RF_RULES_TYPE' });
          for (const e of src.entries) {
            if (have.has(e.key)) continue;
            have.add(e.key);
            entries.push(e);
          }
        }
      }
      return { t: 'map', pos, entries };
    }
    throw new Abort({ pos, message: 'unsupported YAML node', code: 'RF_RULES_YAML' });
  };

  try {
    const root = conv(doc.contents, 0, { line: 1, col: 1 }, new Set());
    return { root, issues };
  } catch (err) {
    if (err instanceof Abort) return { root: null, issues: [...issues, err.issue] };
    throw err;
  }
}

/**
 * Every repeated scalar key of a mapping, by the offset where it repeats
 * (where yaml reports DUPLICATE_KEY): its text and the offset of its first use,
 * so the message can say which key and where the other one is.
 */
function duplicateKeys(doc: Document): Map<number, { key: string; first: number }> {
  const out = new Map<number, { key: string; first: number }>();
  visit(doc, {
    Map(_k, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const k = pair.key;
        if (!isScalar(k) || !k.range || typeof k.value === 'symbol') continue;
        const key = String(k.value);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, k.range[0]);
        else out.set(k.range[0], { key, first });
      }
    },
  });
  return out;
}

/** Each alias → the node of the last anchor with its name before it in document order (YAML's rule). */
function aliasTargets(doc: Document): Map<Alias, YNode> {
  const anchors = new Map<string, YNode>();
  const out = new Map<Alias, YNode>();
  visit(doc, {
    Node(_k, node) {
      if (isAlias(node)) {
        const t = anchors.get(node.source);
        if (t) out.set(node, t);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  return out;
}

function firstAliasOffset(doc: Document): number | undefined {
  let off: number | undefined;
  visit(doc, {
    Alias(_k, node) {
      off = node.range?.[0];
      return visit.BREAK;
    },
  });
  return off;
}

/** A plain JS value as a tree without positions, for rules built in code (the depth limit also stops cycles). */
export function fromPlain(value: unknown): { root: LNode | null; issues: TreeIssue[] } {
  const conv = (v: unknown, depth: number): LNode => {
    if (depth > LIMITS.depth) throw new Abort({ pos: NO_POS, message: `nested deeper than ${LIMITS.depth} levels`, code: 'RF_RULES_TOO_DEEP' });
    if (Array.isArray(v)) return { t: 'seq', pos: NO_POS, items: v.map((x) => conv(x, depth + 1)) };
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      return { t: 'map', pos: NO_POS, entries: Object.entries(v).map(([key, x]) => ({ key, keyPos: NO_POS, value: conv(x, depth + 1) })) };
    }
    return { t: 'scalar', pos: NO_POS, value: v };
  };
  try {
    return { root: conv(value, 0), issues: [] };
  } catch (err) {
    if (err instanceof Abort) return { root: null, issues: [err.issue] };
    throw err;
  }
}

/** Back to a plain value for Field.parse (lists of strings and the like). */
export function toPlain(n: LNode): unknown {
  if (n.t === 'scalar') return n.value;
  if (n.t === 'seq') return n.items.map(toPlain);
  const o: Record<string, unknown> = {};
  for (const e of n.entries) o[e.key] = toPlain(e.value);
  return o;
}
