/**
 * Allow / deny / score lists: inline `numbers` plus list files, compiled into
 * one PrefixSet per list. All sources of a list go through one
 * PrefixSet.fromText call so exact numbers and prefixes from different files
 * follow one lookup rule (exact first, then longest prefix).
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { CompiledList, RejectSpec } from '../engine/config.js';
import { PrefixSet } from '../numbers/index.js';
import { LIMITS } from './defaults.js';
import { digestTextAsync } from './fingerprint.js';
import { readRegularFile } from './read.js';
import { index, join as joinPath, type Checker } from './validate.js';
import type { LNode } from './tree.js';

export interface ListSource {
  /** Inline entries with where each was written. */
  numbers: { value: string; node: LNode }[];
  /** List files as written, with the position of each in the rules file. */
  files: { spec: string; node: LNode }[];
}

export interface ListDraft {
  name: string;
  path: string;
  action: 'allow' | 'reject' | 'score';
  points: number;
  reject?: RejectSpec;
  monitor: boolean;
  /** What a bad line of a list file does: fail the load, or be left out with a warning. */
  badLines: 'fail' | 'skip';
  source: ListSource;
}

/** A file as shown in messages: relative paths stay relative to where the rules file was named from. */
export function displayPath(spec: string, displayDir: string): string {
  return isAbsolute(spec) ? spec : join(displayDir, spec);
}

/**
 * Read every source of a list and build its PrefixSet. Problems are added
 * to `ck`; returns the list, the absolute paths it read (for the watcher)
 * and the digest of each file read (for the rules fingerprint).
 */
export async function compileList(
  ck: Checker,
  d: ListDraft,
  ctx: { home: string; baseDir: string; displayDir: string },
): Promise<{ list: CompiledList; files: string[]; digests: string[] }> {
  // Part boundaries within the joined text, to map a bad line back to its source.
  const parts: { text: string; lines: number; report(line: number, text: string, msg: string): void }[] = [];
  const files: string[] = [];
  const digests: string[] = [];
  // bad_lines: skip: per file, the lines left out (reported as one warning once the list is built).
  const skipped: { shown: string; path: string; lines: number[]; count: number; first: string }[] = [];
  /** Per file read with bad_lines: fail, its bad lines beyond those listed: counted, and summed up once the file is read. */
  const overflow: { count: number; from: number; path: string; shown: string }[] = [];

  for (const [i, n] of d.source.numbers.entries()) {
    const path = index(joinPath(d.path, 'numbers'), i);
    // One inline entry must stay one line of the joined text.
    if (/[\r\n#]/.test(n.value)) {
      ck.add('RF_RULES_LIST_ENTRY', n.node.pos, path, `not a number or prefix: ${JSON.stringify(n.value)}`);
      continue;
    }
    parts.push({ text: n.value, lines: 1, report: (_l, _t, msg) => ck.add('RF_RULES_LIST_ENTRY', n.node.pos, path, msg) });
  }

  for (const [i, f] of d.source.files.entries()) {
    const abs = isAbsolute(f.spec) ? f.spec : resolve(ctx.baseDir, f.spec);
    const shown = displayPath(f.spec, ctx.displayDir);
    const p = index(joinPath(d.path, 'files'), i);
    files.push(abs);
    let text: string;
    try {
      text = await readRegularFile(abs, LIMITS.listFileBytes);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'TOO_LARGE' ? `list file too large: ${e.message}` : e.code === 'ENOENT' ? `list file not found: ${shown}` : e.code === 'NOT_REGULAR' ? `list file ${shown}: ${e.message}` : `cannot read list file ${shown}: ${e.code ?? e.message}`;
      ck.add(e.code === 'TOO_LARGE' ? 'RF_RULES_TOO_LARGE' : 'RF_RULES_LIST_FILE', f.node.pos, p, why);
      continue;
    }
    digests.push(await digestTextAsync(text));
    if (d.badLines === 'skip') {
      const s = { shown, path: p, lines: [] as number[], count: 0, first: '' };
      skipped.push(s);
      parts.push({
        text,
        lines: countLines(text),
        report: (line, _t, msg) => {
          if (s.count === 0) s.first = msg;
          // A count and the first few: a feed of millions of bad lines must not cost memory per line.
          if (s.count < LIMITS.skippedLinesShown) s.lines.push(line);
          s.count++;
        },
      });
      continue;
    }
    const over = { count: 0, from: 0, path: p, shown };
    overflow.push(over);
    let bad = 0;
    parts.push({
      text,
      lines: countLines(text),
      report: (line, lineText, msg) => {
        bad++;
        if (bad <= LIMITS.listErrorsPerFile) {
          const col = lineText.length - lineText.trimStart().length + 1;
          ck.add('RF_RULES_LIST_ENTRY', { line, col }, p, msg, shown);
        } else {
          // One summary, once the file is read, instead of a flood when someone points a list at the wrong file.
          if (over.count === 0) over.from = line;
          over.count++;
        }
      },
    });
  }

  const starts: number[] = [];
  let line = 1;
  for (const part of parts) {
    starts.push(line);
    line += part.lines;
  }
  // In turns: a reload must not stop the calls for as long as a list of millions takes to read.
  const set = await PrefixSet.fromTextAsync(parts.map((p) => p.text).join('\n'), { home: ctx.home }, (lineNo, lineText, msg) => {
    // Last part that starts at or before lineNo.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= lineNo) lo = mid;
      else hi = mid - 1;
    }
    (parts[lo] as (typeof parts)[number]).report(lineNo - (starts[lo] as number) + 1, lineText, msg);
  });

  for (const o of overflow) {
    if (o.count === 0) continue;
    ck.add('RF_RULES_LIST_ENTRY', { line: o.from, col: 1 }, o.path,
      `${o.count} more bad ${o.count === 1 ? 'line' : 'lines'} from here on (only the first ${LIMITS.listErrorsPerFile} are listed)`, o.shown);
  }
  for (const s of skipped) {
    const n = s.count;
    if (n === 0) continue;
    const shownLines = s.lines.join(', ') + (n > s.lines.length ? ` and ${n - s.lines.length} more` : '');
    ck.warn('RF_RULES_LIST_SKIPPED', { line: s.lines[0] as number, col: 1 }, s.path,
      `${n} bad ${n === 1 ? 'line' : 'lines'} of ${s.shown} left out (bad_lines: skip): ${n === 1 ? 'line' : 'lines'} ${shownLines}; first: ${s.first}`, s.shown);
  }

  const list: CompiledList = {
    name: d.name,
    action: d.action,
    lookup: (e164) => set.has(e164),
    size: set.size,
    points: d.points,
    monitor: d.monitor,
  };
  if (d.reject) list.reject = d.reject;
  return { list, files, digests };
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
