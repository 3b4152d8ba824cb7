/**
 * What package.json promises to someone who installs Ringfence: every entry
 * point (main, types, exports, bin) is built from a source file that exists,
 * and the main entry has what the docs import from `ringfence` to embed it
 * (docs/deploy-drachtio.md, "Inside your own drachtio application";
 * docs/rules.md, "Using it from code").
 */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/** The TypeScript source tsc builds a dist/ path from (tsconfig.build.json: rootDir is the package). */
const sourceOf = (p: string): string => p.replace(/^\.\//, '').replace(/^dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');

t.test('every entry point is built from a source file that exists', async (t) => {
  const entries: Record<string, string> = { main: pkg.main, types: pkg.types, ...pkg.bin };
  for (const [k, v] of Object.entries(pkg.exports as Record<string, string>)) if (v.startsWith('./dist/')) entries[`exports ${k}`] = v;
  for (const [name, p] of Object.entries(entries)) t.ok(existsSync(`${root}${sourceOf(p)}`), `${name}: ${p} from ${sourceOf(p)}`);
});

t.test("the main entry has what the docs import from 'ringfence'", async (t) => {
  const main = `${root}${sourceOf(pkg.main)}`;
  if (!existsSync(main)) return t.fail(`${pkg.main} has no source`);
  const m = (await import(main)) as Record<string, unknown>;
  for (const name of ['loadRules', 'compileRulesText', 'compileRules', 'RulesError', 'isRulesError', 'RulesWatcher', 'Engine', 'Screener', 'createLogger', 'definePlugin']) {
    t.type(m[name], 'function', name);
  }
});
