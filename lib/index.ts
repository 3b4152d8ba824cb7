/**
 * The package's main entry (`import ... from 'ringfence'`): what an operator's
 * own program needs to load rules and screen calls with them, as in
 * docs/deploy-drachtio.md ("Inside your own drachtio application") and
 * docs/rules.md ("Using it from code"). The drachtio middleware is
 * `ringfence/drachtio`; plugin authors use `ringfence/plugin` and
 * `ringfence/fields`.
 */
export { loadRules, compileRulesText, compileRules, type LoadOptions, type CompileTextOptions } from './rules/load.js';
export { RulesError, isRulesError, formatIssue, type RulesIssue, type RulesErrorCode } from './rules/errors.js';
export { RulesWatcher, type RulesWatcherOptions } from './rules/reload.js';
export { Engine, type EngineOptions } from './engine/engine.js';
export type { CompiledRules } from './engine/config.js';
export type { CallAttempt, CallOutcome, Decision, Reason, Action } from './engine/types.js';
export { definePlugin, type SignalPlugin } from './engine/plugin.js';
export { Screener, type ScreenerOptions, type ScreenEvents } from './ops/screener.js';
export { createLogger, type LoggerOptions } from './ops/logger.js';
