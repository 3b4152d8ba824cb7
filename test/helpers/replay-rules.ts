/**
 * Rules for replay tests, compiled by the real loader with the built-in plugins:
 * replay's job is to drive the engine exactly as production would.
 */
import type { CompiledRules } from '../../lib/engine/config.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { builtinPlugins } from '../../plugins/index.js';

/** Deny list: calls from +44 20 7946 0999 are rejected; a score list tags +44 20 7946 0888. Nothing else scores. */
export const LIST_RULES = `
home_country: CN
hold: { duration: 0 }
lists:
  blocked: { action: reject, numbers: ['+442079460999'] }
  suspect: { action: score, points: 50, numbers: ['+442079460888'] }
`;

/** Every built-in signal at its defaults. */
export const ALL_SIGNALS = `home_country: CN\nsignals:\n${builtinPlugins.map((p) => `  ${p.name}: {}\n`).join('')}`;

export function rules(text: string): Promise<CompiledRules> {
  return compileRulesText(text, { file: 'replay-test.yaml', plugins: builtinPlugins });
}
