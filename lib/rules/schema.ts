/**
 * JSON Schema (draft 2020-12) of a rules file, for editors (yaml-language-server
 * `# yaml-language-server: $schema=...`) and CI linters. Built from the same
 * Field objects the loader validates with, so the two cannot drift apart.
 */
import type { AnySignalPlugin } from '../engine/plugin.js';
import {
  GLOBAL_FIELDS, HOLD_FIELDS, LIMITS, LIST_FIELDS, NATIONAL_FORMAT_FIELDS, PLUGINS_FIELD, REJECT_FIELDS, SCOPE_FIELDS, SIGNAL_FIELDS,
  STATS_FIELDS, STATS_MAX_FIELDS, TAG_FIELDS, THRESHOLD_FIELDS,
} from './defaults.js';
import type { Field } from './fields.js';
import { WHEN_FIELDS } from './when.js';

type JSONObject = Record<string, unknown>;

function props(fields: Record<string, Field<unknown>>): JSONObject {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.jsonSchema()]));
}

/**
 * A mapping of fields. `required`: 'auto' = the fields without a default
 * (plugin configs), 'none' for partial overrides, or an explicit list where
 * the loader's rule is not "no default" (e.g. a scope's `monitor` inherits).
 */
function object(fields: Record<string, Field<unknown>>, extra: JSONObject = {}, required: 'auto' | 'none' | string[] = 'auto', description?: string): JSONObject {
  const o: JSONObject = { type: 'object' };
  if (description) o.description = description;
  o.properties = { ...props(fields), ...extra };
  o.additionalProperties = false;
  const req = required === 'none' ? [] : required === 'auto' ? Object.entries(fields).filter(([, f]) => f.default === undefined).map(([k]) => k) : required;
  if (req.length > 0) o.required = req;
  return o;
}

const defName = (p: AnySignalPlugin, partial: boolean): string => `plugin.${p.name}${partial ? '.partial' : ''}`;
const ref = (name: string): JSONObject => ({ $ref: `#/$defs/${name}` });

export function rulesJsonSchema(plugins: readonly AnySignalPlugin[]): JSONObject {
  const common = { ...props(SIGNAL_FIELDS), reject: ref('reject') };
  const defs: JSONObject = {
    reject: object(REJECT_FIELDS, {}, 'none', 'Reject answer; keys left out come from the enclosing level.'),
    list: {
      ...object(LIST_FIELDS, {}, ['action'], 'A list of caller numbers and prefixes.'),
      // points belong to score lists only; code/phrase/reason to reject lists only.
      allOf: [
        { if: { properties: { action: { const: 'score' } } }, then: { required: ['points'] }, else: { not: { required: ['points'] } } },
        { if: { properties: { action: { const: 'reject' } } }, else: { not: { anyOf: [{ required: ['code'] }, { required: ['phrase'] }, { required: ['reason'] }] } } },
      ],
    },
  };
  for (const p of plugins) {
    for (const partial of [false, true]) {
      const d = object(p.schema as Record<string, Field<unknown>>, { ...common, use: { const: p.name, description: SIGNAL_FIELDS.use.description } }, partial ? 'none' : 'auto', p.description);
      defs[defName(p, partial)] = d;
    }
  }
  // A signal is a plugin name with its config, or any id with `use:`; true/false/empty are shorthands.
  const shorthand = [{ type: 'boolean' }, { type: 'null' }];
  const signals = (partial: boolean): JSONObject => ({
    type: 'object',
    maxProperties: LIMITS.signals,
    properties: Object.fromEntries(plugins.map((p) => [p.name, { anyOf: [ref(defName(p, partial)), ...shorthand] }])),
    additionalProperties: plugins.length > 0
      ? { anyOf: [...plugins.map((p) => ({ allOf: [ref(defName(p, partial)), { required: ['use'] }] })), ...(partial ? shorthand : [])] }
      : { type: 'object' },
  });
  defs.signals = { ...signals(false), description: 'Signals by id: a plugin name, or any id with `use: <plugin>`.' };
  defs['scope-signals'] = { ...signals(true), description: 'Per-scope signals, merged over the top-level ones by id.' };
  defs.scope = object(SCOPE_FIELDS, {
    when: object(WHEN_FIELDS, {}, 'none', 'Conditions, all of which must hold; absent keys match anything.'),
    thresholds: object(THRESHOLD_FIELDS, {}, 'none'),
    reject: ref('reject'),
    tag: object(TAG_FIELDS, {}, 'none'),
    signals: ref('scope-signals'),
  }, ['name'], 'A scope: the first whose `when` matches applies, else the top level.');

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Ringfence rules',
    description: 'Call-screening rules for Ringfence (version 1).',
    ...object(GLOBAL_FIELDS, {
      version: { const: 1, default: 1, description: GLOBAL_FIELDS.version.description },
      thresholds: object(THRESHOLD_FIELDS),
      reject: ref('reject'),
      tag: object(TAG_FIELDS),
      hold: object(HOLD_FIELDS, { reject: ref('reject') }),
      stats: object(STATS_FIELDS, { max: object(STATS_MAX_FIELDS) }),
      lists: { type: 'object', maxProperties: LIMITS.lists, propertyNames: { pattern: '^[A-Za-z0-9][\\w.-]*$' }, additionalProperties: ref('list') },
      plugins: PLUGINS_FIELD.jsonSchema(),
      signals: ref('signals'),
      scopes: { type: 'array', maxItems: LIMITS.scopes, items: ref('scope') },
      national_formats: {
        type: 'array',
        maxItems: LIMITS.nationalFormats,
        items: object(NATIONAL_FORMAT_FIELDS, {}, ['source', 'country'], 'Sources whose caller IDs are written in another country\'s national format; the first entry that matches a call applies.'),
      },
    }),
    $defs: defs,
  };
}
