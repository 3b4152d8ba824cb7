/**
 * Entry points: a rules file (or text, or a plain object) → CompiledRules,
 * or a RulesError listing every problem with file:line:col.
 */
import { dirname, resolve } from 'node:path';
import type { CompiledRules } from '../engine/config.js';
import type { AnySignalPlugin } from '../engine/plugin.js';
import { compileTree, type RulesMeta } from './compile.js';
import { LIMITS } from './defaults.js';
import { RulesError } from './errors.js';
import { builtinPlugins } from './plugins.js';
import { fromPlain, parseTree, toPlain } from './tree.js';
import { readRegularFile } from './read.js';

export interface LoadOptions {
  /** Signal plugins to resolve names against; default: the built-ins (plugins/index.ts). */
  plugins?: AnySignalPlugin[];
}

export interface CompileTextOptions extends LoadOptions {
  /** Name of the file in messages; default '<rules>'. */
  file?: string;
  /** Where relative list files and plugin modules are found; default: the file's directory, else the working directory. */
  baseDir?: string;
}

export interface Loaded {
  rules: CompiledRules;
  meta: RulesMeta;
}

const fail = (file: string, code: 'RF_RULES_READ' | 'RF_RULES_TOO_LARGE' | 'RF_RULES_INTERNAL', message: string): RulesError =>
  new RulesError([{ file, line: 0, col: 0, path: '', message, code }]);

/** Read at most the size limit; a bigger file, or one that is not a regular file, is refused before it is parsed. */
async function readRulesFile(file: string): Promise<string> {
  try {
    return await readRegularFile(file, LIMITS.fileBytes);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { size?: number };
    if (e.code === 'ENOENT') throw fail(file, 'RF_RULES_READ', 'rules file not found');
    if (e.code === 'NOT_REGULAR') throw fail(file, 'RF_RULES_READ', e.message);
    if (e.code === 'TOO_LARGE') throw fail(file, 'RF_RULES_TOO_LARGE', `rules file is ${e.size} bytes; the limit is ${LIMITS.fileBytes}`);
    throw fail(file, 'RF_RULES_READ', `cannot read rules file: ${e.code ?? e.message}`);
  }
}

async function compileText(text: string, file: string, baseDir: string, displayDir: string, plugins?: AnySignalPlugin[]): Promise<Loaded> {
  if (Buffer.byteLength(text, 'utf8') > LIMITS.fileBytes) throw fail(file, 'RF_RULES_TOO_LARGE', `rules text is over the ${LIMITS.fileBytes}-byte limit`);
  const { root, issues } = parseTree(text);
  return guard(file, async () => compileTree(root, issues, { file, baseDir, displayDir, plugins: plugins ?? (await builtinPlugins()), text }));
}

/** Anything but a RulesError escaping the loader is a bug; still report it the same way so callers have one error type. */
async function guard<T>(file: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof RulesError) throw err;
    throw fail(file, 'RF_RULES_INTERNAL', `internal error while loading rules: ${(err as Error)?.stack ?? String(err)}`);
  }
}

/** Load with what `check` and the watcher need besides the rules. */
export async function loadRulesDetailed(file: string, opts: LoadOptions = {}): Promise<Loaded> {
  const text = await readRulesFile(file);
  const loaded = await compileText(text, file, dirname(resolve(file)), dirname(file), opts.plugins);
  loaded.rules.file = file;
  loaded.meta.sources.unshift(resolve(file));
  return loaded;
}

export async function loadRules(file: string, opts: LoadOptions = {}): Promise<CompiledRules> {
  return (await loadRulesDetailed(file, opts)).rules;
}

export async function compileRulesTextDetailed(text: string, opts: CompileTextOptions = {}): Promise<Loaded> {
  const file = opts.file ?? '<rules>';
  const dir = opts.baseDir ?? (opts.file ? dirname(opts.file) : '.');
  const loaded = await compileText(text, file, resolve(dir), dir, opts.plugins);
  if (opts.file) loaded.rules.file = opts.file;
  return loaded;
}

export async function compileRulesText(text: string, opts: CompileTextOptions = {}): Promise<CompiledRules> {
  return (await compileRulesTextDetailed(text, opts)).rules;
}

/**
 * Rules from a plain object shaped like the YAML file (for embedders and
 * engine tests). Problems carry paths but no line:col.
 */
export async function compileRules(config: Record<string, unknown>, opts: CompileTextOptions = {}): Promise<CompiledRules> {
  const file = opts.file ?? '<rules>';
  const baseDir = resolve(opts.baseDir ?? '.');
  const { root, issues } = fromPlain(config);
  const { rules } = await guard(file, async () =>
    compileTree(root, issues, { file, baseDir, displayDir: opts.baseDir ?? '.', plugins: opts.plugins ?? (await builtinPlugins()),
      // Fingerprinted from the depth-checked tree: the object itself may be cyclic (refused as too deep, not thrown on here).
      text: root === null ? '' : JSON.stringify(toPlain(root)) ?? '' }));
  if (opts.file) rules.file = opts.file;
  return rules;
}
