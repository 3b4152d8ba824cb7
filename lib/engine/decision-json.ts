/**
 * The names a Decision's fields have in JSON an operator reads: snake_case,
 * as in replay's decision log (`replay --decisions`, whose names the spec
 * fixes). The decision log line, `/inspect` and `inspect --json` take their
 * names from here too, so one query works on all of them. TypeScript code
 * keeps the camelCase properties; this is the one mapping at the boundary.
 */
import type { Decision } from './types.js';

/** Decision property -> JSON key, in the order JSON output lists them (`call_id`, `action`, `score`, `reasons` first). */
export const DECISION_KEYS = {
  callId: 'call_id',
  action: 'action',
  score: 'score',
  reasons: 'reasons',
  code: 'code',
  phrase: 'phrase',
  headers: 'headers',
  displayPrefix: 'display_prefix',
  rejectedBy: 'rejected_by',
  wouldBe: 'would_be',
  monitor: 'monitor',
  scope: 'scope',
  caller: 'caller',
  callee: 'callee',
} as const satisfies { [K in keyof Required<Decision>]: string };

type Keys = typeof DECISION_KEYS;
type Optional<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** A Decision with its JSON key names. */
export type DecisionJson = { [K in Exclude<keyof Decision, Optional<Decision>> as Keys[K]]: Decision[K] } & {
  [K in Optional<Decision> as Keys[K]]?: Exclude<Decision[K], undefined>;
};

const ENTRIES = Object.entries(DECISION_KEYS) as [keyof Decision, string][];

/**
 * The decision as a JSON-ready object with snake_case keys; undefined fields
 * left out. Only Decision's own fields: anything else on the object (an
 * engine error) is not copied. Values are shared, not copied.
 */
export function decisionJson(d: Decision): DecisionJson {
  const out: Record<string, unknown> = {};
  for (const [k, j] of ENTRIES) if (d[k] !== undefined) out[j] = d[k];
  return out as DecisionJson;
}
