/**
 * Rules-file errors. Loading collects every problem it finds into one
 * RulesError, so an engineer fixes a file in one pass instead of one
 * error per run. Each issue has a stable code (catalogue below) that logs,
 * `check --json` and tests can key on.
 */

/** Every code a rules problem can carry, with what it means. */
export const RULES_ERRORS = {
  RF_RULES_READ: 'the rules file cannot be read',
  RF_RULES_TOO_LARGE: 'a rules or list file is larger than the limit',
  RF_RULES_YAML: 'YAML syntax error',
  RF_RULES_ALIASES: 'too many YAML alias expansions (alias bomb)',
  RF_RULES_TOO_DEEP: 'the YAML nests deeper than the limit',
  RF_RULES_TOO_MANY: 'more signals, scopes, lists or plugins than the limit',
  RF_RULES_TYPE: 'a mapping, list or value was expected and something else was found',
  RF_RULES_UNKNOWN_KEY: 'a key that this place does not accept (the message suggests the closest valid one)',
  RF_RULES_MISSING_KEY: 'a required key is absent',
  RF_RULES_BAD_VALUE: 'a value fails its field check (range, format, choices)',
  RF_RULES_VERSION: 'unsupported `version`',
  RF_RULES_DUPLICATE: 'two scopes with one name',
  RF_RULES_CONFLICT: 'values that contradict each other (tag threshold above reject, `use` changed in a scope)',
  RF_RULES_UNKNOWN_PLUGIN: 'a signal names a plugin that is not registered',
  RF_RULES_UNKNOWN_LIST: 'a signal names a list (unless_listed) that is not defined under lists:',
  RF_RULES_PLUGIN_LOAD: 'a third-party plugin module cannot be imported',
  RF_RULES_PLUGIN_INVALID: 'a plugin module does not export a valid SignalPlugin',
  RF_RULES_DUPLICATE_PLUGIN: 'two plugins share one name',
  RF_RULES_LIST_FILE: 'a list file cannot be read',
  RF_RULES_LIST_ENTRY: 'a list entry (inline or a line of a list file) is not a number or prefix',
  RF_RULES_LIST_SKIPPED: 'a warning, not an error: bad lines of a list file with bad_lines: skip were left out and the rules loaded',
  RF_RULES_SCOPE_SHADOWED: 'a warning, not an error: an earlier scope matches every call of a later one, always or at some hours, and the first scope that matches decides',
  RF_RULES_NEVER_REACHED: 'a warning, not an error: a signal threshold on distinct counterparties is above stats.distinct_cap, where counts stop, so it never fires',
  RF_RULES_SCREENS_NOTHING: 'a warning, not an error: no signal and no list that can tag or reject is in force, so every call is forwarded unscreened',
  RF_RULES_INTERNAL: 'an unexpected failure while loading (a bug: please report it)',
} as const;

export type RulesErrorCode = keyof typeof RULES_ERRORS;

export interface RulesIssue {
  /** File the problem is in: the rules file, or a list file. */
  file: string;
  /** 1-based; 0 when unknown (rules built from a JS object). */
  line: number;
  col: number;
  /** Dotted key path, indexes in brackets: `signals.fan-out.window`, `scopes[0].when.hours`; '' for the whole file. */
  path: string;
  message: string;
  code: RulesErrorCode;
}

/** `file:line:col: path: message`; position and path are left out when unknown. */
export function formatIssue(i: RulesIssue): string {
  let s = i.file;
  if (i.line > 0) s += `:${i.line}:${i.col}`;
  s += ': ';
  if (i.path) s += `${i.path}: `;
  return s + i.message;
}

export class RulesError extends Error {
  readonly issues: RulesIssue[];
  /** Code of the first issue, so `err.code` works like other Node errors. */
  readonly code: RulesErrorCode;

  constructor(issues: RulesIssue[]) {
    const list = issues.length > 0 ? issues : [{ file: '<rules>', line: 0, col: 0, path: '', message: 'invalid rules', code: 'RF_RULES_INTERNAL' as const }];
    super(list.map(formatIssue).join('\n'));
    this.name = 'RulesError';
    this.issues = list;
    this.code = (list[0] as RulesIssue).code;
  }
}

export const isRulesError = (e: unknown): e is RulesError => e instanceof RulesError;
