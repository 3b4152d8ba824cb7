import t from 'tap';
import { join } from 'node:path';
import { compileRulesText, loadRules } from '../../lib/rules/load.js';
import { issuesOf, opts } from './fixtures/helpers.js';

t.test('inline numbers and list files make one list', async (t) => {
  const dir = t.testdir({
    'rules.yaml': `
home_country: CN
lists:
  allow:
    action: allow
    numbers: ['+86 138 0013 8000', '13900139000', '+1800*', '0044 20 7946 0000']
    files: [a.txt, sub/b.txt]
`,
    'a.txt': '# trusted partners\n+442079460001   # London office\n\n+49 30 1234567\n',
    sub: { 'b.txt': '+33*\r\n+8610*\r\n' },
  });
  const r = await loadRules(join(dir, 'rules.yaml'), opts);
  const l = r.lists[0]!;
  t.equal(l.size, 8);
  t.same(l.lookup('+8613800138000'), { match: '+8613800138000', exact: true }, 'inline number in a spaced format');
  t.same(l.lookup('+8613900139000'), { match: '+8613900139000', exact: true }, 'national number read against home_country');
  t.same(l.lookup('+442079460000'), { match: '+442079460000', exact: true }, '00 international prefix');
  t.same(l.lookup('+442079460001'), { match: '+442079460001', exact: true }, 'file entry with a trailing comment');
  t.same(l.lookup('+49301234567'), { match: '+49301234567', exact: true });
  t.same(l.lookup('+18005550100'), { match: '+1800*', exact: false });
  t.same(l.lookup('+33612345678'), { match: '+33*', exact: false }, 'CRLF list file');
  t.same(l.lookup('+861012345678'), { match: '+8610*', exact: false });
  t.equal(l.lookup('+447700900123'), null);
});

t.test('a bad line in a list file is reported as file:line', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nlists:\n  rep: { action: score, points: 20, files: [one.txt, two.txt] }\n',
    'one.txt': '+8613800138000\n  hello\n',
    'two.txt': '# header\n+44*\n\n+0*\n+8613900139000\n',
  });
  const file = join(dir, 'rules.yaml');
  const issues = await issuesOf(loadRules(file, opts));
  t.same(issues.map((i) => [i.file, i.line, i.col, i.path, i.code]), [
    [join(dir, 'one.txt'), 2, 3, 'lists.rep.files[0]', 'RF_RULES_LIST_ENTRY'],
    [join(dir, 'two.txt'), 4, 1, 'lists.rep.files[1]', 'RF_RULES_LIST_ENTRY'],
  ]);
  t.match(issues[0]?.message, /hello/);
  t.match(issues[1]?.message, /country codes do not start with 0/);
});

t.test('bad inline entries point at the entry', async (t) => {
  const issues = await issuesOf(compileRulesText("home_country: CN\nlists:\n  deny: { action: reject, numbers: ['+8613800138000', junk, '+1*', '12#3'] }\n", opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.code]), [
    [3, 55, 'lists.deny.numbers[1]', 'RF_RULES_LIST_ENTRY'],
    [3, 68, 'lists.deny.numbers[3]', 'RF_RULES_LIST_ENTRY'],
  ]);
});

t.test('a garbage list file is summed up after a few lines', async (t) => {
  const dir = t.testdir({ 'r.yaml': 'home_country: CN\nlists: { x: { action: allow, files: [g.txt] } }\n', 'g.txt': 'nope\n'.repeat(100) });
  const issues = await issuesOf(loadRules(join(dir, 'r.yaml'), opts));
  t.equal(issues.length, 21);
  t.match(issues[20]?.message, /only the first 20/);
});

t.test('list file problems', async (t) => {
  const dir = t.testdir({ 'r.yaml': 'home_country: CN\nlists:\n  x: { action: allow, files: [missing.txt] }\n  y: { action: allow, files: [sub] }\n', sub: {} });
  const issues = await issuesOf(loadRules(join(dir, 'r.yaml'), opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.code]), [
    [3, 31, 'lists.x.files[0]', 'RF_RULES_LIST_FILE'],
    [4, 31, 'lists.y.files[0]', 'RF_RULES_LIST_FILE'],
  ]);
  t.match(issues[0]?.message, `list file not found: ${join(dir, 'missing.txt')}`);
});

t.test('list actions and their keys', async (t) => {
  const r = await compileRulesText(`
home_country: CN
reject: { code: 603 }
lists:
  a: { action: allow }
  b: { action: reject }
  c: { action: reject, reason: 'SIP;cause=607', code: 607 }
  d: { action: score, points: -20 }
`, opts);
  t.same(r.lists.map((l) => [l.name, l.action, l.points, l.reject, l.monitor, l.size]), [
    ['a', 'allow', 0, undefined, false, 0],
    ['b', 'reject', 0, undefined, false, 0],
    ['c', 'reject', 0, { code: 607, phrase: 'Unwanted', reasonHeader: 'SIP;cause=607' }, false, 0],
    ['d', 'score', -20, undefined, false, 0],
  ]);
  const issues = await issuesOf(compileRulesText('home_country: CN\nlists:\n  a: { action: score }\n  b: { points: 3 }\n  c: { action: allow, points: 3 }\n', opts));
  t.same(issues.map((i) => [i.line, i.col, i.path, i.code]), [
    [3, 3, 'lists.a.points', 'RF_RULES_MISSING_KEY'],
    [4, 3, 'lists.b.action', 'RF_RULES_MISSING_KEY'],
    [5, 23, 'lists.c.points', 'RF_RULES_CONFLICT'],
  ]);
});
