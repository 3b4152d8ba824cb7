import t from 'tap';
import { execFileSync } from 'node:child_process';
import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { compileRulesText, loadRules } from '../../lib/rules/load.js';
import { LIMITS } from '../../lib/rules/defaults.js';
import { issuesOf, opts } from './fixtures/helpers.js';

t.test('alias bomb (billion laughs) is refused', async (t) => {
  let text = 'home_country: CN\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  const started = Date.now();
  const issues = await issuesOf(compileRulesText(text, opts));
  t.ok(Date.now() - started < 2000, 'refused quickly');
  t.equal(issues.length, 1);
  t.equal(issues[0]?.code, 'RF_RULES_ALIASES');
  t.equal(issues[0]?.line, 3, 'points at the first alias');
  t.match(issues[0]?.message, /alias bomb/);
});

t.test('aliases below the limit are fine; broken ones are errors', async (t) => {
  const r = await compileRulesText('home_country: CN\nthresholds: &t { tag: 10, reject: 20 }\nscopes: [{ name: a, thresholds: *t }]\n', opts);
  t.same(r.scopes[0]?.thresholds, { tag: 10, reject: 20 });
  const unknown = await issuesOf(compileRulesText('home_country: CN\nthresholds: *nope\n', opts));
  t.same(unknown.map((i) => [i.line, i.col, i.code]), [[2, 13, 'RF_RULES_YAML']]);
  t.match(unknown[0]?.message, /unknown alias \*nope/);
});

t.test('a rules file over the size limit is refused before parsing', async (t) => {
  const big = 'home_country: CN\n' + `# ${'x'.repeat(1022)}\n`.repeat(LIMITS.fileBytes / 1024 + 1);
  const dir = t.testdir({ 'big.yaml': big });
  const issues = await issuesOf(loadRules(join(dir, 'big.yaml'), opts));
  t.same(issues.map((i) => i.code), ['RF_RULES_TOO_LARGE']);
  t.match(issues[0]?.message, `limit is ${LIMITS.fileBytes}`);
  const text = await issuesOf(compileRulesText(big, opts));
  t.same(text.map((i) => i.code), ['RF_RULES_TOO_LARGE']);
});

t.test('deep nesting is refused', async (t) => {
  const deep = `home_country: CN\nsignals: { fan-out: { window: ${'['.repeat(40)}1${']'.repeat(40)} } }\n`;
  const issues = await issuesOf(compileRulesText(deep, opts));
  t.same(issues.map((i) => i.code), ['RF_RULES_TOO_DEEP']);
  t.match(issues[0]?.message, `deeper than ${LIMITS.depth}`);
});

t.test('too many signals, scopes, lists', async (t) => {
  const n = LIMITS.signals + 1;
  const signals = Array.from({ length: n }, (_, i) => `  s${i}: { use: fan-out }`).join('\n');
  const a = await issuesOf(compileRulesText(`home_country: CN\nsignals:\n${signals}\n`, opts));
  t.same(a.map((i) => [i.line, i.col, i.path, i.code]), [[2, 1, 'signals', 'RF_RULES_TOO_MANY']]);
  t.match(a[0]?.message, `${n} signals; at most ${LIMITS.signals}`);

  const scopes = Array.from({ length: LIMITS.scopes + 1 }, (_, i) => `  - name: s${i}`).join('\n');
  const b = await issuesOf(compileRulesText(`home_country: CN\nscopes:\n${scopes}\n`, opts));
  t.same(b.map((i) => [i.path, i.code]), [['scopes', 'RF_RULES_TOO_MANY']]);

  const lists = Array.from({ length: LIMITS.lists + 1 }, (_, i) => `  l${i}: { action: allow }`).join('\n');
  const c = await issuesOf(compileRulesText(`home_country: CN\nlists:\n${lists}\n`, opts));
  t.same(c.map((i) => [i.path, i.code]), [['lists', 'RF_RULES_TOO_MANY']]);

  const scopeSignals = Array.from({ length: n }, (_, i) => `s${i}: { use: fan-out }`).join(', ');
  const d = await issuesOf(compileRulesText(`home_country: CN\nscopes: [{ name: a, signals: { ${scopeSignals} } }]\n`, opts));
  t.same(d.map((i) => [i.path, i.code]), [['scopes[0].signals', 'RF_RULES_TOO_MANY']]);
});

t.test('non-text keys and odd documents', async (t) => {
  const a = await issuesOf(compileRulesText('home_country: CN\n? [a, b]\n: 1\n', opts));
  t.same(a.map((i) => i.code), ['RF_RULES_TYPE']);
  const b = await issuesOf(compileRulesText('home_country: CN\n---\nhome_country: GB\n', opts));
  t.equal(b[0]?.code, 'RF_RULES_YAML', 'several documents in one file');
  const c = await issuesOf(compileRulesText('just text\n', opts));
  t.same(c.map((i) => [i.line, i.col, i.code]), [[1, 1, 'RF_RULES_TYPE']]);
});

t.test('a cyclic object given to compileRules is refused, not looped on', async (t) => {
  const { compileRules } = await import('../../lib/rules/load.js');
  const cfg: Record<string, unknown> = { home_country: 'CN' };
  cfg.signals = { 'fan-out': cfg };
  const issues = await issuesOf(compileRules(cfg, opts));
  t.same(issues.map((i) => i.code), ['RF_RULES_TOO_DEEP']);
});

/** Settles with p, or rejects after ms: a load that blocks must fail the test, not hang it. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still loading after ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

t.test('a FIFO or a device as rules or list file is refused, not waited on or read for ever', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nlists: { deny: { action: reject, files: [deny.txt] } }\n' });
  // Opening a FIFO for reading blocks until a writer comes; /dev/zero never ends (stat says 0 bytes).
  execFileSync('mkfifo', [join(dir, 'fifo.yaml'), join(dir, 'deny.txt')]);
  const rules = await within(issuesOf(loadRules(join(dir, 'fifo.yaml'), opts)), 3000);
  t.same(rules.map((i) => [i.code, i.message]), [['RF_RULES_READ', 'not a regular file']]);
  const list = await within(issuesOf(loadRules(join(dir, 'rules.yaml'), opts)), 3000);
  t.same(list.map((i) => [i.path, i.code]), [['lists.deny.files[0]', 'RF_RULES_LIST_FILE']]);
  t.match(list[0]?.message, /deny\.txt: not a regular file/);
  await rm(join(dir, 'deny.txt'));
  await symlink('/dev/zero', join(dir, 'deny.txt'));
  const started = Date.now();
  const zero = await within(issuesOf(loadRules(join(dir, 'rules.yaml'), opts)), 3000);
  t.match(zero[0]?.message, /deny\.txt: not a regular file/);
  t.ok(Date.now() - started < 1000, 'refused without reading it');
});
