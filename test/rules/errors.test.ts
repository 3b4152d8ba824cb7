import t from 'tap';
import { join } from 'node:path';
import { compileRulesText, loadRules } from '../../lib/rules/load.js';
import { formatIssue, RULES_ERRORS, RulesError } from '../../lib/rules/errors.js';
import { issuesOf, opts } from './fixtures/helpers.js';

/** 'line:col path code' for compact, exact assertions. */
const brief = (i: { line: number; col: number; path: string; code: string }): string => `${i.line}:${i.col} ${i.path} ${i.code}`;

t.test('every problem in a file is collected, in file order, with line:col', async (t) => {
  const text = [
    'version: 2', //                                                  1
    'home_country: CN', //                                            2
    'timezon: Asia/Shanghai', //                                      3
    'timezone: Mars/Olympus', //                                      4
    'thresholds: { tag: 140, reject: 100 }', //                       5
    'reject: { code: 600 }', //                                       6
    'stats:', //                                                      7
    '  short_call: abc', //                                           8
    '  max: { callr: 5 }', //                                         9
    'signals:', //                                                   10
    '  fan-out: { windw: 10m, distinct: 0 }', //                     11
    '  fan-ot: {}', //                                               12
    '  burst: { use: rat }', //                                      13
    '  rate: { max_calls: 3 }', //                                   14
    '  unanswered: [1, 2]', //                                       15
    'scopes:', //                                                    16
    '  - name: a', //                                                17
    '    when: { hours: 25:00-01:00 }', //                           18
    '  - name: a', //                                                19
    '    signals: { fan-out: { use: rate } }', //                    20
    '  - when: {}', //                                               21
    '', //
  ].join('\n');
  const issues = await issuesOf(compileRulesText(text, { ...opts, file: 'r.yaml' }));
  t.same(issues.map(brief), [
    '1:10 version RF_RULES_VERSION',
    '3:1 timezon RF_RULES_UNKNOWN_KEY',
    '4:11 timezone RF_RULES_BAD_VALUE',
    '5:1 thresholds RF_RULES_CONFLICT',
    '6:17 reject.code RF_RULES_BAD_VALUE',
    '8:15 stats.short_call RF_RULES_BAD_VALUE',
    '9:10 stats.max.callr RF_RULES_UNKNOWN_KEY',
    '11:14 signals.fan-out.windw RF_RULES_UNKNOWN_KEY',
    '11:36 signals.fan-out.distinct RF_RULES_BAD_VALUE',
    '12:3 signals.fan-ot RF_RULES_UNKNOWN_PLUGIN',
    '13:17 signals.burst.use RF_RULES_UNKNOWN_PLUGIN',
    '14:3 signals.rate.window RF_RULES_MISSING_KEY',
    '15:15 signals.unanswered RF_RULES_TYPE',
    '18:20 scopes[0].when.hours RF_RULES_BAD_VALUE',
    '19:11 scopes[1].name RF_RULES_DUPLICATE',
    '20:32 scopes[1].signals.fan-out.use RF_RULES_CONFLICT',
    '21:5 scopes[2].name RF_RULES_MISSING_KEY',
  ]);
  const msg = (path: string): string | undefined => issues.find((i) => i.path === path)?.message;
  t.equal(msg('timezon'), "unknown key 'timezon', did you mean 'timezone'?");
  t.equal(msg('signals.fan-out.windw'), "unknown key 'windw', did you mean 'window'?");
  t.equal(msg('stats.max.callr'), "unknown key 'callr', did you mean 'caller'?");
  t.equal(msg('signals.fan-ot'), "unknown plugin 'fan-ot', did you mean 'fan-out'?");
  t.equal(msg('signals.burst.use'), "unknown plugin 'rat', did you mean 'rate'?");
  t.equal(msg('signals.fan-out.distinct'), 'must be at least 1, got 0');
  t.equal(msg('signals.rate.window'), "missing required key 'window'");
  t.equal(msg('version'), 'unsupported version 2; this Ringfence reads version 1');
  t.equal(msg('reject.code'), 'expected one of 603, 607, 608, got 600');
  t.match(msg('timezone'), /unknown time zone 'Mars\/Olympus'/);
  t.match(msg('scopes[1].name'), "scope name 'a' is already used by scopes[0]");
  t.ok(issues.every((i) => i.file === 'r.yaml'));
});

t.test('RulesError.message is one `file:line:col: path: message` per issue', async (t) => {
  const dir = t.testdir({ 'rules.yaml': 'home_country: CN\nsignals:\n  fan-out: { windw: 10m }\n  nope: {}\n' });
  const file = join(dir, 'rules.yaml');
  const err = (await loadRules(file, opts).catch((e: unknown) => e)) as RulesError;
  t.type(err, RulesError);
  t.equal(err.name, 'RulesError');
  t.equal(err.code, 'RF_RULES_UNKNOWN_KEY', 'code of the first issue');
  t.equal(err.message, [
    `${file}:3:14: signals.fan-out.windw: unknown key 'windw', did you mean 'window'?`,
    `${file}:4:3: signals.nope: unknown plugin 'nope' (to give a signal its own id, add use: <plugin>)`,
  ].join('\n'));
  t.equal(err.message.split('\n').length, err.issues.length);
});

t.test('YAML syntax errors carry their position', async (t) => {
  const issues = await issuesOf(compileRulesText('home_country: CN\nsignals: { fan-out: { window: 10m }\nscopes: []\n', opts));
  t.ok(issues.length >= 1);
  t.equal(issues[0]?.code, 'RF_RULES_YAML');
  t.equal(issues[0]?.line, 3);
  const dup = await issuesOf(compileRulesText('home_country: CN\nhome_country: GB\n', opts));
  t.same(dup.map(brief), ['2:1  RF_RULES_YAML']);
  t.equal(dup[0]?.message, "duplicate key 'home_country' (first written on line 1): each key may appear once in a mapping");
  // Nested, in flow style, and twice in one file: each names its key and its first line.
  const nested = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  fan-out: { window: 10m, window: 20m }\n  wangiri: {}\n  fan-out: {}\n', opts));
  t.same(nested.map((i) => `${i.line}:${i.col} ${i.message.replace(/: each key.*/, '')}`), [
    "3:27 duplicate key 'window' (first written on line 3)",
    "5:3 duplicate key 'fan-out' (first written on line 3)",
  ]);
  const tab = await issuesOf(compileRulesText('home_country: CN\nsignals:\n\tfan-out: {}\n', opts));
  t.equal(tab[0]?.code, 'RF_RULES_YAML');
  t.equal(tab[0]?.line, 3);
});

t.test('YAML syntax errors say what to look for', async (t) => {
  const msg = async (text: string) => (await issuesOf(compileRulesText(text, opts))).map((i) => `${i.line}: ${i.message}`);
  t.match((await msg('home_country: CN\nthresholds:\n  tag:40\n  reject: 100\n'))[0], /^3: .*a space is missing after ':' on line 3 \(write 'tag: 40'\)/);
  t.match((await msg('home_country: CN\nthresholds:\n  tag: 40\n   reject: 100\n'))[0], /check the indentation of lines 2-4 \(spaces only/);
  t.match((await msg('home_country: CN\nsignals:\n  fan-out: { window: 10m, distinct: 10\n  rate: { window: 1m }\nscopes: []\n'))[0], /a '\{' or '\[' opened on an earlier line is not closed; look for a missing '\}' or '\]' above line \d/);
  t.match((await msg('home_country: CN\nthresholds:\n\ttag: 40\n'))[0], /indent with spaces; YAML does not allow tabs/);
  t.notMatch((await msg("home_country: CN\nnext: 'sip:a@b'\nthresholds:\n  tag: 40\n   reject: 100\n")).join(), /space is missing/, 'a quoted sip: value is no glued key');
});

t.test("signals written as a YAML list ('- name: {...}') say to drop the dashes", async (t) => {
  const issues = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  - fan-out: { window: 10m }\n  - unanswered: {}\n', opts));
  t.same(issues.map(brief), ['3:3 signals RF_RULES_TYPE']);
  t.equal(issues[0]?.message, "expected a mapping (key: value), got a list: remove the '- ' before each name");
  const plain = await issuesOf(compileRulesText('home_country: CN\nsignals: [fan-out]\n', opts));
  t.equal(plain[0]?.message, 'expected a mapping (key: value), got a list', 'a list of names gets no such hint');
});

t.test('a file that is no YAML mapping (a CSV named as the rules) quotes the start of it, not all of it', async (t) => {
  const csv = `timestamp,caller,callee\n${'2026-11-01T00:00:00Z,+447911123456,+8613800138000\n'.repeat(2000)}`;
  const issues = await issuesOf(compileRulesText(csv, opts));
  const m = issues[0]?.message ?? '';
  t.match(m, /^expected a mapping \(key: value\), got "timestamp,caller,callee .*\.\.\." \(\d+ characters\)$/);
  t.ok(m.length < 160, `short: ${m.length} characters`);
  t.equal((await issuesOf(compileRulesText('just a line\n', opts)))[0]?.message, 'expected a mapping (key: value), got "just a line"', 'short values are quoted whole');
});

t.test("'key:value' without a space says where the space goes", async (t) => {
  const issues = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  fan-out: {window:10m, distinct: 5}\n', opts));
  t.same(issues.map(brief), ['3:13 signals.fan-out.window:10m RF_RULES_UNKNOWN_KEY']);
  t.equal(issues[0]?.message, "unknown key 'window:10m': put a space after the colon ('window: 10m')");
  // A colon in a key that is not a valid key before it gets the usual suggestion.
  const other = await issuesOf(compileRulesText('home_country: CN\nsignals:\n  fan-out: {windw:10m}\n', opts));
  t.notMatch(other[0]?.message, /space after the colon/);
});

t.test('unknown keys everywhere suggest the closest valid one', async (t) => {
  const cases: [string, string, string][] = [
    ['home_country: CN\nthresolds: {}\n', 'thresolds', "'thresholds'"],
    ['home_country: CN\nhomeCountry: CN\n', 'homeCountry', "'home_country'"],
    ['home_country: CN\nhold: { duraton: 1h }\n', 'hold.duraton', "'duration'"],
    ['home_country: CN\ntag: { score_heder: X }\n', 'tag.score_heder', "'score_header'"],
    ['home_country: CN\nlists: { a: { action: allow, number: [] } }\n', 'lists.a.number', "'numbers'"],
    ['home_country: CN\nsignals: { fan-out: { enabeld: false } }\n', 'signals.fan-out.enabeld', "'enabled'"],
    ['home_country: CN\nscopes: [{ name: a, wehn: {} }]\n', 'scopes[0].wehn', "'when'"],
    ['home_country: CN\nscopes: [{ name: a, when: { caller_contry: [GB] } }]\n', 'scopes[0].when.caller_contry', "'caller_country'"],
  ];
  for (const [text, path, want] of cases) {
    const issues = await issuesOf(compileRulesText(text, opts));
    t.equal(issues.length, 1, path);
    t.equal(issues[0]?.path, path);
    t.equal(issues[0]?.code, 'RF_RULES_UNKNOWN_KEY');
    t.match(issues[0]?.message, `did you mean ${want}?`, path);
  }
  const far = await issuesOf(compileRulesText('home_country: CN\nhold: { zzzzzz: 1 }\n', opts));
  t.equal(far[0]?.message, "unknown key 'zzzzzz' (expected one of: duration, extend, max, probe, probe_backoff, release_talk, reject)", 'no far-fetched suggestion');
});

t.test('value and type errors', async (t) => {
  const cases: [string, string, string, RegExp][] = [
    ['home_country: CN\nmonitor: yes\n', '2:10', 'monitor', /expected true or false/],
    ['home_country: CN\nfail_mode: shut\n', '2:12', 'fail_mode', /expected one of open, closed/],
    ['home_country: CN\ntag: { score_header: "X Score" }\n', '2:22', 'tag.score_header', /'X Score' is not a header name of letters, digits, '-' and '_'/],
    // drachtio-server drops headers named with other token characters, and parses Reason strictly.
    ['home_country: CN\ntag: { reasons_header: "X.Reasons" }\n', '2:24', 'tag.reasons_header', /is not a header name/],
    ['home_country: CN\nreject: { reason: "Spam suspected" }\n', '2:19', 'reject.reason', /'Spam suspected' is not a Reason header value \(RFC 3326\)/],
    ['home_country: CN\nreject: { reason: "SIP;cause=six" }\n', '2:19', 'reject.reason', /is not a Reason header value/],
    // Line breaks would end our header (and the header block) early.
    ['home_country: CN\nreject: { reason: "SIP,\\r\\n\\r\\nQ.850;cause=1" }\n', '2:19', 'reject.reason', /is not a Reason header value/],
    ['home_country: CN\nstats: { block_digits: 11 }\n', '2:24', 'stats.block_digits', /at most 10/],
    ['home_country: CN\nsignals: []\n', '2:10', 'signals', /expected a mapping/],
    ['home_country: CN\nscopes: { a: 1 }\n', '2:9', 'scopes', /expected a list/],
    ['home_country: CN\nlists: { a: { action: block } }\n', '2:23', 'lists.a.action', /expected one of allow, reject, score/],
    ['home_country: CN\nlists: { a: { action: allow, code: 603 } }\n', '2:30', 'lists.a.code', /only applies to action: reject/],
    ['home_country: CN\nlists: { "a b": { action: allow } }\n', '2:10', 'lists.a b', /list name/],
    ['home_country: CN\nscopes: [{ name: default }]\n', '2:18', 'scopes[0].name', /top-level/],
    ['- home_country: CN\n', '1:1', '', /expected a mapping/],
  ];
  for (const [text, pos, path, re] of cases) {
    const issues = await issuesOf(compileRulesText(text, opts));
    t.equal(issues.length, 1, `${path}: one issue`);
    t.equal(`${issues[0]?.line}:${issues[0]?.col}`, pos, `${path}: position`);
    t.equal(issues[0]?.path, path);
    t.match(issues[0]?.message, re);
  }
});

t.test('every code is catalogued and rendered', async (t) => {
  for (const [code, what] of Object.entries(RULES_ERRORS)) {
    t.match(code, /^RF_RULES_[A-Z_]+$/);
    t.ok(what.length > 10, code);
  }
  t.equal(formatIssue({ file: 'f.yaml', line: 3, col: 7, path: 'a.b', message: 'bad', code: 'RF_RULES_BAD_VALUE' }), 'f.yaml:3:7: a.b: bad');
  t.equal(formatIssue({ file: 'f.yaml', line: 0, col: 0, path: '', message: 'gone', code: 'RF_RULES_READ' }), 'f.yaml: gone');
});

t.test('a reject phrase or display prefix that is not one line of text is refused, and shown escaped', async (t) => {
  const text = [
    'home_country: CN', //                                     1
    'reject:', //                                              2
    '  phrase: >', //                                          3
    '    Rejected as spam', //                                 4
    'tag: { display_prefix: "[SPAM]\\r\\nX-Injected: 1 " }', //  5
    'scopes:', //                                              6
    '  - name: night', //                                      7
    '    when: { hours: 00:00-06:00 }', //                     8
    '    reject: { phrase: "ok\\u0000" }', //                   9
    '', //
  ].join('\n');
  const issues = await issuesOf(compileRulesText(text, { ...opts, file: 'r.yaml' }));
  t.same(issues.map(brief), ['3:11 reject.phrase RF_RULES_BAD_VALUE', '5:24 tag.display_prefix RF_RULES_BAD_VALUE', '9:23 scopes[0].reject.phrase RF_RULES_BAD_VALUE']);
  const shown = issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  t.match(shown, /reject\.phrase: "Rejected as spam\\n" is not one line of text/);
  t.notMatch(shown, /Rejected as spam\n/, 'no raw line break inside an error line');
  const ok = await compileRulesText('home_country: CN\nreject: { phrase: "Rejected: spam\tcall" }\ntag: { display_prefix: "[SPAM?] " }\n', { ...opts, file: 'r.yaml' });
  t.equal(ok.base.reject.phrase, 'Rejected: spam\tcall', 'a tab and punctuation are fine');
});
