import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse } from 'yaml';
import { checkRules } from '../../lib/rules/check.js';
import { compileRulesText, loadRules, loadRulesDetailed } from '../../lib/rules/load.js';
import { serve } from '../../lib/serve.js';
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

t.test('lists that cannot be checked for want of a home country say so', async (t) => {
  const issues = await issuesOf(compileRulesText("home_country: XX\nlists:\n  deny: { action: reject, numbers: [junk] }\n", opts));
  t.same(issues.map((i) => [i.line, i.path, i.code]), [
    [1, 'home_country', 'RF_RULES_BAD_VALUE'],
    [2, 'lists', 'RF_RULES_LIST_ENTRY'],
  ]);
  t.match(issues[1]?.message, /not checked: list numbers are read against home_country, which is missing or invalid/);
});

t.test('a garbage list file is summed up after a few lines', async (t) => {
  const dir = t.testdir({ 'r.yaml': 'home_country: CN\nlists: { x: { action: allow, files: [g.txt] } }\n', 'g.txt': 'nope\n'.repeat(100) });
  const issues = await issuesOf(loadRules(join(dir, 'r.yaml'), opts));
  t.equal(issues.length, 21);
  t.match(issues[20]?.message, /^80 more bad lines from here on \(only the first 20 are listed\)/, 'says how many more');
  t.equal(issues[20]?.line, 21, 'from the first one not listed');
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

t.test('bad_lines: skip leaves bad lines of a list file out and loads with one warning per file', async (t) => {
  const bad = ['nope', '+0*', 'x1', '12ab', 'zz', 'qq', 'ww'];
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nlists:\n  feed: { action: score, points: 20, files: [feed.txt, ok.txt], bad_lines: skip }\n',
    'feed.txt': ['# export', '+8613800138000', bad[0], '+44*', bad[1], '', ...bad.slice(2), '+8613900139000'].join('\n') + '\n',
    'ok.txt': '+33*\n',
  });
  const { rules, meta } = await loadRulesDetailed(join(dir, 'rules.yaml'), opts);
  const l = rules.lists[0]!;
  t.equal(l.size, 4, 'the good lines of both files are in the list');
  t.same(l.lookup('+8613900139000'), { match: '+8613900139000', exact: true }, 'lines after the bad ones still count');
  t.same(meta.warnings.map((w) => [w.file, w.line, w.col, w.path, w.code]), [[join(dir, 'feed.txt'), 3, 1, 'lists.feed.files[0]', 'RF_RULES_LIST_SKIPPED']], 'one warning, only for the file with bad lines');
  t.equal(meta.warnings[0]?.message, `7 bad lines of ${join(dir, 'feed.txt')} left out (bad_lines: skip): lines 3, 5, 7, 8, 9 and 2 more; first: cannot read "nope" as a phone number (non-digit)`);

  // check shows the warning: as a comment on top of the YAML (still a loadable rules file), and in --json.
  const c = await checkRules(join(dir, 'rules.yaml'), opts);
  t.equal(c.ok, true);
  t.match(c.text, new RegExp(`^# warning: ${join(dir, 'feed.txt').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:1: lists\\.feed\\.files\\[0\\]: 7 bad lines`, 'm'));
  t.equal((parse(c.text) as { lists: { feed: { bad_lines: string } } }).lists.feed.bad_lines, 'skip', 'the effective configuration keeps the key');
  const j = JSON.parse((await checkRules(join(dir, 'rules.yaml'), { ...opts, json: true })).text);
  t.same(j.warnings.map((w: { code: string; line: number }) => [w.code, w.line]), [['RF_RULES_LIST_SKIPPED', 3]]);
});

t.test('bad_lines: fail (the default) still refuses; skip does not cover inline numbers; other values are refused', async (t) => {
  const dir = t.testdir({
    'fail.yaml': 'home_country: CN\nlists: { x: { action: allow, files: [f.txt], bad_lines: fail } }\n',
    'inline.yaml': "home_country: CN\nlists: { x: { action: allow, numbers: [junk], files: [f.txt], bad_lines: skip } }\n",
    'typo.yaml': 'home_country: CN\nlists: { x: { action: allow, files: [f.txt], bad_lines: ignore } }\n',
    'f.txt': '+8613800138000\nnope\n',
  });
  t.same((await issuesOf(loadRules(join(dir, 'fail.yaml'), opts))).map((i) => [i.line, i.code]), [[2, 'RF_RULES_LIST_ENTRY']]);
  t.same((await issuesOf(loadRules(join(dir, 'inline.yaml'), opts))).map((i) => [i.path, i.code]), [['lists.x.numbers[0]', 'RF_RULES_LIST_ENTRY']], 'an inline entry is written by hand: always an error');
  const typo = await issuesOf(loadRules(join(dir, 'typo.yaml'), opts));
  t.same(typo.map((i) => [i.path, i.code]), [['lists.x.bad_lines', 'RF_RULES_BAD_VALUE'], ['lists.x.files[0]', 'RF_RULES_LIST_ENTRY']], 'a misspelt value is refused, and the bad line reported as under the default');
  t.match(typo[0]?.message, /fail, skip/);
});

t.test('serve logs bad_lines: skip warnings at start and on reload', async (t) => {
  const dir = t.testdir({
    'rules.yaml': 'home_country: CN\nlists:\n  roaming: { action: score, points: 0, files: [hlr.txt], bad_lines: skip }\n',
    'hlr.txt': '+8613800138000\ngarbage\n',
  });
  const out: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void out.push(s) });
  const lines = (): { level: number; msg: string; warning?: { line: number; code: string } }[] => out.map((l) => JSON.parse(l));
  const server = await serve({ rules: join(dir, 'rules.yaml'), listen: ['udp:127.0.0.1:0'], admin: false, signals: false, logger, drainMs: 0 });
  t.teardown(() => server.close());
  const start = lines().filter((l) => /^rules loaded with a warning/.test(l.msg));
  t.equal(start.length, 1, 'one warning at start');
  t.equal(start[0]?.level, 40, 'at warn level');
  t.match(start[0]?.msg, `${join(dir, 'hlr.txt')}:2:1: lists.roaming.files[0]: 1 bad line of ${join(dir, 'hlr.txt')} left out (bad_lines: skip): line 2`);
  t.same([start[0]?.warning?.code, start[0]?.warning?.line], ['RF_RULES_LIST_SKIPPED', 2]);

  await writeFile(join(dir, 'hlr.txt'), '+8613800138000\n+8613800138001\nbad\nworse\n');
  const deadline = Date.now() + 10_000;
  while (!lines().some((l) => /^rules reloaded with a warning/.test(l.msg)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const reload = lines().filter((l) => /^rules reloaded with a warning/.test(l.msg));
  t.equal(reload.length, 1, 'one warning on reload');
  t.match(reload[0]?.msg, /2 bad lines of .*hlr\.txt left out \(bad_lines: skip\): lines 3, 4;/);
  t.equal(server.engine().rules.lists[0]?.size, 2, 'the reload went through with the good lines');
});

t.test('a list of hundreds of thousands of numbers is read without stopping the event loop', async (t) => {
  // A reload read a list file in one go on the thread that proxies the calls: 3 million numbers stopped every
  // SIP message for 5 s. Now the event loop turns every 20,000 lines, and the lines still all count.
  const N = 400_000;
  let text = '';
  for (let i = 0; i < N; i++) text += `+4479${10_000_000 + i * 7}\n`;
  text += 'junk\n';
  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nlists:\n  big: { action: score, points: 10, bad_lines: skip, files: [big.txt] }\n', 'big.txt': text });
  // The longest the event loop waited for its next turn, against the whole load (relative: machines differ).
  let last = performance.now();
  let longest = 0;
  let ticking = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const t0 = performance.now();
  const { rules: r, meta } = await loadRulesDetailed(join(dir, 'rules.yaml'), opts);
  const took = performance.now() - t0;
  // One more turn: the wait that ended the load is only measured when the next tick runs.
  await new Promise((resolve) => setImmediate(resolve));
  ticking = false;
  t.ok(longest < took / 4, `longest wait for the event loop ${longest.toFixed(0)} ms of a ${took.toFixed(0)} ms load`);
  t.equal(r.lists[0]!.size, N, 'every number read');
  t.same(r.lists[0]!.lookup(`+4479${10_000_000 + (N - 1) * 7}`), { match: `+4479${10_000_000 + (N - 1) * 7}`, exact: true }, 'the last one too');
  t.match(meta.warnings[0]?.message, /1 bad line .* line 400001/, 'a bad line is still found by its number');
});
