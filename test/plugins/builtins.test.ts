import t from 'tap';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinPlugins } from '../../plugins/index.js';
import { defaults, fakeContext } from '../helpers/fake-context.js';

const dir = fileURLToPath(new URL('../../plugins/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));

t.test('every plugin file is registered, named after its file, once', async (t) => {
  const names = builtinPlugins.map((p) => p.name);
  t.same([...names].sort(), [...files].sort());
  t.equal(new Set(names).size, names.length, 'names are unique');
  for (const f of files) {
    const mod = (await import(`../../plugins/${f}.js`)) as { default: { name: string } };
    t.equal(mod.default.name, f, `${f}.ts exports the plugin named ${f}`);
  }
});

for (const p of builtinPlugins) {
  t.test(p.name, async (t) => {
    t.match(p.description, /\S/, 'has a description');
    t.notMatch(p.description, /\n/, 'one line');
    t.ok(typeof p.needs === 'function', 'declares needs');
    const fields = Object.entries(p.schema) as [string, { default: unknown; description: string; parse(v: unknown): { ok: boolean } }][];
    t.ok(fields.length > 0, 'has config');
    for (const [key, f] of fields) {
      t.match(key, /^[a-z][a-z0-9_]*$/, `${key}: snake_case key`);
      t.not(f.default, undefined, `${key} has a default`);
      t.match(f.description, /\S/, `${key} has a description`);
    }
    // Every need names a real table and a positive window when it has one.
    for (const n of p.needs!(defaults(p))) {
      t.ok(['caller', 'callee', 'pair', 'block', 'source'].includes(n.table), `${n.table} is a table`);
      if (n.window !== undefined) t.ok(n.window > 0, 'window is positive');
    }
    t.equal(p.score(fakeContext(), defaults(p)), null, 'an ordinary call with no history says nothing');
  });
}
