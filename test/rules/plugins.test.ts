import t from 'tap';
import { join } from 'node:path';
import { utimes, writeFile } from 'node:fs/promises';
import { loadRules, compileRulesText } from '../../lib/rules/load.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { int } from '../../lib/rules/fields.js';
import { issuesOf, opts, testPlugins } from './fixtures/helpers.js';

/** A plugin module as a third party would ship it: plain JS, fields built by hand. */
const PLUGIN_JS = (name: string, def = 5): string => `
const limit = {
  kind: 'int', description: 'calls', default: ${def},
  parse: (v) => (Number.isInteger(v) ? { ok: true, value: v } : { ok: false, error: 'expected a whole number' }),
  jsonSchema: () => ({ type: 'integer' }),
};
export default {
  name: '${name}',
  description: 'test third-party plugin',
  schema: { limit },
  score: (ctx, cfg) => ({ points: cfg.limit, detail: 'always' }),
};
`;

t.test('a third-party plugin loads from a path relative to the rules file', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nplugins: [./plugins/mine.js]\nsignals:\n  my-signal: { limit: 7 }\n  other: { use: my-signal }\n',
    plugins: { 'mine.js': PLUGIN_JS('my-signal') },
  });
  const r = await loadRules(join(dir, 'rules.yaml'), opts);
  t.same(r.base.signals.map((s) => [s.id, s.plugin.name, s.cfg]), [['my-signal', 'my-signal', { limit: 7 }], ['other', 'my-signal', { limit: 5 }]]);
  t.same(r.base.signals[0]?.plugin.score({} as never, { limit: 7 }), { points: 7, detail: 'always' });

  const bad = await issuesOf(compileRulesText('home_country: CN\nplugins: [./plugins/mine.js]\nsignals:\n  my-signal: { limit: x, limt: 1 }\n', { ...opts, baseDir: dir }));
  t.same(bad.map((i) => [i.line, i.col, i.path, i.message]), [
    [4, 23, 'signals.my-signal.limit', 'expected a whole number'],
    [4, 26, 'signals.my-signal.limt', "unknown key 'limt', did you mean 'limit'?"],
  ], 'its schema validates like a built-in one');
});

t.test('a module may export an array of plugins', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nplugins: [pair.js]\nsignals: { one: {}, two: {} }\n',
    'pair.js': 'const f = { kind: "int", description: "", default: 1, parse: (v) => ({ ok: true, value: v }), jsonSchema: () => ({}) };\n' +
      'export default [{ name: "one", description: "", schema: { n: f }, score: () => null }, { name: "two", description: "", schema: {}, score: () => null }];\n',
  });
  const r = await loadRules(join(dir, 'rules.yaml'), opts);
  t.same(r.base.signals.map((s) => s.id), ['one', 'two']);
});

t.test('plugin module problems', async (t) => {
  const dir = t.testdir({
    'rules.yaml': [
      'home_country: CN',
      'plugins:',
      '  - ./missing.js',
      '  - ./broken.js',
      '  - ./empty.js',
      '  - ./noscore.js',
      '  - ./clash.js',
      '  - ./reserved.js',
      '',
    ].join('\n'),
    'broken.js': 'export default {\n',
    'empty.js': 'export const x = 1;\n',
    'noscore.js': 'export default { name: "noscore", description: "", schema: {} };\n',
    'clash.js': PLUGIN_JS('fan-out'),
    'reserved.js': 'export default { name: "res", description: "", schema: { monitor: { kind: "bool", description: "", default: true, parse: (v) => ({ ok: true, value: v }), jsonSchema: () => ({}) } }, score: () => null };\n',
  });
  const issues = await issuesOf(loadRules(join(dir, 'rules.yaml'), opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.code]), [
    [3, 5, 'plugins[0]', 'RF_RULES_PLUGIN_LOAD'],
    [4, 5, 'plugins[1]', 'RF_RULES_PLUGIN_LOAD'],
    [5, 5, 'plugins[2]', 'RF_RULES_PLUGIN_INVALID'],
    [6, 5, 'plugins[3]', 'RF_RULES_PLUGIN_INVALID'],
    [7, 5, 'plugins[4]', 'RF_RULES_DUPLICATE_PLUGIN'],
    [8, 5, 'plugins[5]', 'RF_RULES_PLUGIN_INVALID'],
  ]);
  t.match(issues[2]?.message, /no default export/);
  t.match(issues[3]?.message, /missing `score` function/);
  t.match(issues[4]?.message, "plugin name 'fan-out' from ./clash.js is already taken by the built-in plugins");
  t.match(issues[5]?.message, /schema key 'monitor' is reserved/);
});

t.test('a schema written as plain data names where Fields come from', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nplugins: [./plain.js]\n',
    'plain.js': 'export default { name: "plain", description: "", schema: { digits: { type: "integer", default: 3 } }, score: () => null };\n',
  });
  const issues = await issuesOf(loadRules(join(dir, 'rules.yaml'), opts));
  t.same(issues.map((i) => [i.path, i.code]), [['plugins[0]', 'RF_RULES_PLUGIN_INVALID']]);
  // A plugin author has the package, not its source tree: the import they can write.
  t.match(issues[0]?.message, "schema key 'digits' is not a Field (build it with the helpers of 'ringfence/fields': int, num, duration, points ...)");
});

t.test('unknown plugins', async (t) => {
  const issues = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  fanout: {}\n  wangiri-ish: {}\n  x: { use: unansered, window: 1m }\n', opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.code, i.message]), [
    [3, 3, 'signals.fanout', 'RF_RULES_UNKNOWN_PLUGIN', "unknown plugin 'fanout', did you mean 'fan-out'?"],
    [4, 3, 'signals.wangiri-ish', 'RF_RULES_UNKNOWN_PLUGIN', "unknown plugin 'wangiri-ish' (to give a signal its own id, add use: <plugin>)"],
    [5, 13, 'signals.x.use', 'RF_RULES_UNKNOWN_PLUGIN', "unknown plugin 'unansered', did you mean 'unanswered'?"],
  ]);
  // The last signal followed by a top-level section indented one level too deep.
  const deep = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  fan-out: {}\n  reject: { code: 603 }\n', opts));
  t.same(deep.map((i) => [i.line, i.path, i.message]), [
    [4, 'signals.reject', "unknown plugin 'reject': 'reject' is a top-level key of the rules file, indented here under signals: (check its indentation)"],
  ]);
  const scoped = await issuesOf(compileRulesText('home_country: CN\nscopes: [{ name: a, signals: { nope: {} } }]\n', opts));
  t.same(scoped.map((i) => [i.path, i.code]), [['scopes[0].signals.nope', 'RF_RULES_UNKNOWN_PLUGIN']]);
});

t.test('duplicate names among the given plugins', async (t) => {
  const twin = definePlugin({ name: 'fan-out', description: 'twin', schema: { n: int({ default: 1 }) }, score: () => null });
  const issues = await issuesOf(compileRulesText('home_country: CN\n', { plugins: [...testPlugins, twin] }));
  t.same(issues.map((i) => [i.path, i.code]), [['plugins', 'RF_RULES_DUPLICATE_PLUGIN']]);
});

t.test('an edited plugin module is picked up on the next load', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nplugins: [p.js]\nsignals: { p: {} }\n', 'p.js': PLUGIN_JS('p', 1) });
  const first = await loadRules(join(dir, 'rules.yaml'), opts);
  t.equal(first.base.signals[0]?.cfg.limit, 1);
  await writeFile(join(dir, 'p.js'), PLUGIN_JS('p', 2));
  const later = new Date(Date.now() + 5000);
  await utimes(join(dir, 'p.js'), later, later);
  const second = await loadRules(join(dir, 'rules.yaml'), opts);
  t.equal(second.base.signals[0]?.cfg.limit, 2);
});
