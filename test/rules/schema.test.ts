import t from 'tap';
import { rulesJsonSchema } from '../../lib/rules/schema.js';
import { testPlugins } from './fixtures/helpers.js';

t.test('JSON Schema covers the file and every plugin', async (t) => {
  const s = rulesJsonSchema(testPlugins) as Record<string, any>;
  t.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
  t.equal(s.type, 'object');
  t.equal(s.additionalProperties, false);
  t.same(s.required, ['home_country']);
  t.same(Object.keys(s.properties), ['version', 'home_country', 'timezone', 'monitor', 'fail_mode', 'thresholds', 'reject', 'tag', 'hold', 'stats', 'lists', 'plugins', 'signals', 'scopes', 'national_formats']);
  t.same(s.properties.national_formats.items.required, ['source', 'country']);
  t.same(Object.keys(s.properties.national_formats.items.properties), ['source', 'country']);
  t.same(s.properties.version, { const: 1, default: 1, description: 'Format version; only 1 exists.' });
  t.equal(s.properties.thresholds.properties.tag.default, 40);
  t.same(s.properties.stats.properties.max.properties.caller, { type: 'integer', minimum: 1, maximum: 100_000_000, default: 1_000_000, description: 'Most caller entries kept in memory; the coldest are evicted.' });
  t.same(s.$defs.reject.properties.code.enum, [603, 607, 608]);
  t.same(Object.keys(s.$defs.list.properties), ['action', 'numbers', 'files', 'points', 'code', 'phrase', 'reason', 'monitor', 'bad_lines']);
  t.same([s.$defs.list.properties.bad_lines.enum, s.$defs.list.properties.bad_lines.default], [['fail', 'skip'], 'fail']);

  const rate = s.$defs['plugin.rate'];
  t.same(Object.keys(rate.properties), ['window', 'max_calls', 'weight', 'use', 'enabled', 'monitor', 'action', 'hold', 'probe', 'unless_listed', 'reject']);
  t.same(rate.required, ['window'], 'fields without a default are required');
  t.same(rate.properties.use, { const: 'rate', description: rate.properties.use.description });
  t.equal(rate.additionalProperties, false);
  t.equal(s.$defs['plugin.rate.partial'].required, undefined, 'scope overrides are partial');
  t.same(s.$defs.signals.properties['fan-out'].anyOf[0], { $ref: '#/$defs/plugin.fan-out' });
  t.same(s.$defs.signals.additionalProperties.anyOf.length, testPlugins.length, 'an aliased id must say which plugin it uses');
  t.same(s.$defs.scope.required, ['name']);
  t.same(Object.keys(s.$defs.scope.properties.when.properties), ['source', 'caller_country', 'caller_type', 'caller_prefix', 'callee_prefix', 'hours', 'days']);

  // Every $ref resolves.
  const refs = JSON.stringify(s).match(/"\$ref":"#\/\$defs\/[^"]+"/g) ?? [];
  for (const r of new Set(refs)) t.ok(s.$defs[r.slice('"$ref":"#/$defs/'.length, -1)], r);
});

t.test('no plugins still gives a usable schema', async (t) => {
  const s = rulesJsonSchema([]) as Record<string, any>;
  t.same(s.$defs.signals.properties, {});
  t.same(s.$defs.signals.additionalProperties, { type: 'object' });
});

t.test('docs/rules.schema.json is what `ringfence schema` prints now', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { builtinPlugins } = await import('../../lib/rules/plugins.js');
  const published = readFileSync(new URL('../../docs/rules.schema.json', import.meta.url), 'utf8');
  t.equal(published, JSON.stringify(rulesJsonSchema(await builtinPlugins()), null, 2) + '\n', 'regenerate it with: ringfence schema -o docs/rules.schema.json');
});
