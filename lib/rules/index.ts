/** Rules files: load, validate, compile, describe, watch. */
export { loadRules, compileRulesText, compileRules, type LoadOptions, type CompileTextOptions } from './load.js';
export { RulesError, RULES_ERRORS, formatIssue, isRulesError, type RulesIssue, type RulesErrorCode } from './errors.js';
export { rulesJsonSchema } from './schema.js';
export { checkRules, effectiveConfig, type CheckResult } from './check.js';
export { registerRulesCommands } from './command.js';
export { RulesWatcher, type RulesWatcherOptions } from './reload.js';
export { LIMITS, DEFAULT_PHRASES } from './defaults.js';
