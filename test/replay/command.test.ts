import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerReplayCommands } from '../../lib/replay/command.js';
import { CSV_HEADER, csvLine, generateCalls } from '../../lib/replay/generate.js';
import { LIST_RULES } from '../helpers/replay-rules.js';

/** Run the commands in-process, capturing stdout, stderr and the exit code. */
async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('ringfence').exitOverride();
  program.configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerReplayCommands(program);
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  const saved = process.exitCode;
  process.exitCode = 0;
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  let code = 0;
  try {
    await program.parseAsync(['node', 'ringfence', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 99;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = saved;
  }
  return { out, err, code };
}

const T0 = Date.UTC(2025, 2, 3, 8) / 1000;
const CALLS = [
  'caller,timestamp,callee,status,ring,duration,label,call_id',
  `+14155550100,${T0},+8613800138000,200,5,60,legit,a1`,
  `+442079460999,${T0 + 1},+8613800138001,200,5,60,wangiri,a2`,
  `+442079460888,${T0 + 2},+8613800138002,487,3,,robocall,a3`,
  `oops,later,+8613800138003,,,,legit,a4`,
].join('\n') + '\n';

t.test('replay --baseline: both passes, the moves between actions by label, changed calls with reasons', async (t) => {
  // The candidate stops blocking +442079460999 outright and rejects the suspect instead.
  const candidate = `
home_country: CN
hold: { duration: 0 }
lists:
  blocked: { action: score, points: 50, numbers: ['+442079460999'] }
  suspect: { action: reject, numbers: ['+442079460888'] }
`;
  const dir = t.testdir({ 'live.yaml': LIST_RULES, 'new.yaml': candidate, 'calls.csv': CALLS });
  const res = await cli(['replay', join(dir, 'calls.csv'), '--rules', join(dir, 'new.yaml'), '--baseline', join(dir, 'live.yaml'), '--decisions', join(dir, 'out.jsonl')]);
  t.equal(res.code, 0, res.err);
  t.match(res.out, /4 rows, 3 calls replayed, 1 bad row\b/, 'the summary is the candidate\'s');
  t.match(res.out, /Against baseline .*live\.yaml: 2 of 3 calls \(66\.67%\) change action/);
  t.match(res.out, /fraud calls: 1 newly rejected, 1 no longer rejected/);
  t.match(res.out, /line 3 call a2: \+442079460999 -> \+8613800138001 \[wangiri\]: reject -> tag/);
  t.match(res.out, /before: reject 100 \(list:blocked \+100: caller on deny list 'blocked'/);
  t.match(res.out, /now:    tag 50 \(list:blocked \+50: caller on list 'blocked'/);
  const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  t.same(lines.map((l) => [l.call_id, l.action]), [['a1', 'forward'], ['a2', 'tag'], ['a3', 'reject']], 'the decision log is the candidate\'s');

  const json = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'new.yaml'), '--baseline', join(dir, 'live.yaml'), '--json']);
  const c = JSON.parse(json.out).comparison;
  t.equal(c.changed, 2);
  t.same(c.fraud.reject, { reject: 0, tag: 1, forward: 0 });
  t.same(c.fraud.tag, { reject: 1, tag: 0, forward: 0 });
  t.same(c.legit.forward, { reject: 0, tag: 0, forward: 1 });

  const stdin = await cli(['replay', '-', '-r', join(dir, 'new.yaml'), '--baseline', join(dir, 'live.yaml')]);
  t.equal(stdin.code, 1);
  t.match(stdin.err, /--baseline reads the records twice: give a file, not stdin/);
  const broken = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'new.yaml'), '--baseline', join(dir, 'calls.csv')]);
  t.equal(broken.code, 1);
  t.match(broken.err, /rules file .*calls\.csv has \d+ problem/, 'a broken baseline is named');
});

t.test('replay: text summary, decision log in input order, exit 0 with bad rows', async (t) => {
  const dir = t.testdir({ 'rules.yaml': LIST_RULES, 'calls.csv': CALLS });
  const res = await cli(['replay', join(dir, 'calls.csv'), '--rules', join(dir, 'rules.yaml'), '--decisions', join(dir, 'out.jsonl')]);
  t.equal(res.code, 0, res.err);
  t.match(res.out, /4 rows, 3 calls replayed, 1 bad row\b/);
  t.match(res.out, /By label/);
  t.match(res.out, /line 5: unparseable timestamp: 'later'/);
  const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  t.same(lines.map((l) => [l.call_id, l.action]), [['a1', 'forward'], ['a2', 'reject'], ['a3', 'tag']]);
  t.same(Object.keys(lines[1]).slice(0, 4), ['call_id', 'action', 'score', 'reasons'], 'documented keys first');
  t.match(lines[1].reasons, [{ signal: 'list:blocked', points: 100, detail: /blocked/ }]);
  t.equal(lines[1].code, 608);
  t.equal(lines[1].caller, '+442079460999');
  t.equal(lines[1].label, 'wangiri');
  t.equal(lines[1].line, 3);
  t.equal(lines[1].at, '2025-03-03T08:00:01.000Z');
  t.end();
});

t.test('replay --json prints the same summary as JSON', async (t) => {
  const dir = t.testdir({ 'rules.yaml': LIST_RULES, 'calls.csv': CALLS });
  const res = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  t.equal(res.code, 0);
  const s = JSON.parse(res.out);
  t.same(s.actions, { reject: 1, tag: 1, forward: 1 });
  t.same(s.fraud, { calls: 2, rejected: 1, tagged: 1, rejected_pct: 50, tagged_pct: 50 });
  t.same(s.legit, { calls: 1, rejected: 0, tagged: 0, rejected_pct: 0, tagged_pct: 0 });
  t.same(s.bad_rows, { count: 1, kinds: { 'unparseable timestamp': 1 }, first: [{ line: 5, reason: "unparseable timestamp: 'later'" }] });
  t.same(s.labels.map((l: { name: string }) => l.name), ['legit', 'robocall', 'wangiri']);
  t.equal(res.err, '', 'nothing on stderr: not a terminal, no progress bar');
  const again = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  t.equal(again.out, res.out, 'byte for byte');
  t.end();
});

t.test('replay reads a CDR export with its own column names and says which it took', async (t) => {
  // The same calls as CALLS, under an SBC's names and with dispositions for statuses.
  const rows = CALLS.split('\n').slice(1).map((l) => l.split(','));
  const sbc = ['A-Number,Start Time,B-Number,Disposition,Ring Time,Billsec,label,CallID', ...rows.map((r) => [...r.slice(0, 3), r[3] === '200' ? 'ANSWERED' : r[3], ...r.slice(4)].join(','))].join('\n');
  const dir = t.testdir({ 'rules.yaml': LIST_RULES, 'calls.csv': CALLS, 'sbc.csv': sbc });
  const want = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  const got = await cli(['replay', join(dir, 'sbc.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  t.equal(got.code, 0);
  const { columns, ...rest } = JSON.parse(got.out);
  t.same(rest, JSON.parse(want.out), 'same replay as with the documented names');
  t.same(columns, { timestamp: 'Start Time', call_id: 'CallID', caller: 'A-Number', callee: 'B-Number', status: 'Disposition', ring: 'Ring Time', duration: 'Billsec' });
  const text = await cli(['replay', join(dir, 'sbc.csv'), '-r', join(dir, 'rules.yaml')]);
  t.match(text.out, /Columns read under other names: timestamp from 'Start Time', call_id from 'CallID', caller from 'A-Number', callee from 'B-Number', status from 'Disposition'/);
  t.notMatch(text.out, /Columns not read/, 'every column was read');
  t.end();
});

t.test('replay names the columns it did not read, and the label column when there is none', async (t) => {
  const rows = CALLS.split('\n').slice(1).filter(Boolean);
  const header = (verdict: string): string => `caller,timestamp,callee,status,ring,duration,${verdict},call_id,Trunk Group`;
  const withVerdict = [header('Verdict'), ...rows.map((r) => `${r},INTL-A`)].join('\n');
  const withFraud = [header('Fraud'), ...rows.map((r) => `${r},INTL-A`)].join('\n');
  const dir = t.testdir({ 'rules.yaml': LIST_RULES, 'calls.csv': CALLS, 'verdict.csv': withVerdict, 'fraud.csv': withFraud });
  const r = await cli(['replay', join(dir, 'verdict.csv'), '-r', join(dir, 'rules.yaml')]);
  t.equal(r.code, 0);
  t.match(r.out, /\nColumns not read: 'Verdict', 'Trunk Group' \(name a column 'label' to see how legitimate and fraud calls fared\)\n/);
  const kind = await cli(['replay', join(dir, 'verdict.csv'), '-r', join(dir, 'rules.yaml'), '--by', 'trunk group']);
  t.match(kind.out, /Columns not read: 'Verdict' \(/, 'the --by column is read');
  const fraud = await cli(['replay', join(dir, 'fraud.csv'), '-r', join(dir, 'rules.yaml')]);
  t.match(fraud.out, /Columns read under other names: label from 'Fraud'/, 'a Fraud column is the label');
  t.match(fraud.out, /By label/);
  t.match(fraud.out, /Columns not read: 'Trunk Group'\n/, 'and no hint to add one');
  const plain = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml')]);
  t.notMatch(plain.out, /Columns not read/);
  t.end();
});

t.test('replay: unusable rules or input exit 1 with a clear message', async (t) => {
  const dir = t.testdir({ 'rules.yaml': LIST_RULES, 'bad.yaml': 'home_country: CN\nsignals:\n  fan-outt: {}\n', 'calls.csv': CALLS, 'nohdr.csv': 'a,b\n1,2\n' });
  let r = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'bad.yaml')]);
  t.equal(r.code, 1);
  t.match(r.err, /rules file .*bad\.yaml has 1 problem:\n.*fan-outt/);
  r = await cli(['replay', join(dir, 'missing.csv'), '-r', join(dir, 'rules.yaml')]);
  t.equal(r.code, 1);
  t.match(r.err, /cannot read .*missing\.csv: no such file \(ENOENT\)/);
  r = await cli(['replay', join(dir, 'nohdr.csv'), '-r', join(dir, 'rules.yaml')]);
  t.equal(r.code, 1);
  t.match(r.err, /header lacks required columns 'timestamp', 'caller', 'callee'/);
  writeFileSync(join(dir, 'split.csv'), 'date,time,caller,callee\n2025-03-03,08:00:00,+447911123456,+8613800138000\n');
  r = await cli(['replay', join(dir, 'split.csv'), '-r', join(dir, 'rules.yaml')]);
  t.equal(r.code, 1);
  t.match(r.err, /the date and the time are in separate columns \('date' and 'time'\): join them into one 'timestamp' column/);
  // Asterisk's Master.csv has no header row: said, with the header line to add.
  writeFileSync(join(dir, 'master.csv'), '"","80012345678","013800138000","from-intl","Caller <80012345678>","SIP/intl-0","SIP/core-0","Dial","SIP/core/8613800138000,60","2025-03-03 02:00:00","","2025-03-03 02:00:00",0,0,"NO ANSWER","DOCUMENTATION","1.0",""\n');
  r = await cli(['replay', join(dir, 'master.csv'), '-r', join(dir, 'rules.yaml')]);
  t.equal(r.code, 1);
  t.match(r.err, /the first line is a call record, not a header row \(field 2, '80012345678', is a number\): add a header line .*For Asterisk's Master\.csv: accountcode,caller,callee,.*,timestamp,/);
  writeFileSync(join(dir, 'master2.csv'), 'accountcode,caller,callee,dcontext,clid,channel,dstchannel,lastapp,lastdata,timestamp,answer,end,duration,billsec,status,amaflags,uniqueid,userfield\n' + readFileSync(join(dir, 'master.csv'), 'utf8'));
  r = await cli(['replay', join(dir, 'master2.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  t.equal((JSON.parse(r.out) as { calls: number }).calls, 1, 'read once the suggested header is added');
  writeFileSync(join(dir, 'semi.csv'), '"Start Time";"A-Number";"B-Number";Billsec\n"2025-03-03 08:00:00";"+447911123456";"+8613800138000";"12,5"\n');
  r = await cli(['replay', join(dir, 'semi.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  t.equal(r.code, 0, 'a semicolon export is read as it is');
  t.equal((JSON.parse(r.out) as { calls: number }).calls, 1);
  r = await cli(['replay', join(dir, 'semi.csv'), '-r', join(dir, 'rules.yaml'), '--timezone', 'Mars/Olympus']);
  t.equal(r.code, 1);
  t.match(r.err, /^ringfence replay: --timezone: unknown time zone 'Mars\/Olympus': use an IANA name/, 'a zone Intl does not know is refused before replaying');
  r = await cli(['replay', join(dir, 'semi.csv'), '-r', join(dir, 'rules.yaml'), '--timezone', 'Asia/Shanghai', '--decisions', join(dir, 'tz.jsonl')]);
  t.equal(r.code, 0);
  t.equal((JSON.parse(readFileSync(join(dir, 'tz.jsonl'), 'utf8').split('\n')[0]!) as { at: string }).at, '2025-03-03T00:00:00.000Z', '08:00 in Shanghai is 00:00 UTC');
  t.notMatch(r.err, /note: timestamps without a UTC offset/, 'no note once --timezone is given');
  // Local time without --timezone, rules that keep Shanghai time: said, since the figures cannot show it.
  writeFileSync(join(dir, 'sh.yaml'), `timezone: Asia/Shanghai\n${LIST_RULES}`);
  r = await cli(['replay', join(dir, 'semi.csv'), '-r', join(dir, 'sh.yaml')]);
  t.equal(r.code, 0);
  t.match(r.err, /note: timestamps without a UTC offset \(the first: '2025-03-03 08:00:00'\) were read as UTC, while the rules keep time in Asia\/Shanghai; if the file is in local time, replay with --timezone Asia\/Shanghai/);
  r = await cli(['replay', join(dir, 'semi.csv'), '-r', join(dir, 'rules.yaml')]);
  t.notMatch(r.err, /note:/, 'rules in UTC: nothing to say');
  r = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--decisions', join(dir, 'nodir', 'out.jsonl')]);
  t.equal(r.code, 1);
  t.match(r.err, /^ringfence replay: --decisions .*out\.jsonl: directory .*nodir does not exist\n$/);
  t.equal(r.out, '', 'refused before replaying');
  r = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--decisions', dir]);
  t.equal(r.code, 1);
  t.match(r.err, /--decisions: cannot write .*: EISDIR/);
  r = await cli(['replay', join(dir, 'calls.csv')]);
  t.not(r.code, 0);
  t.match(r.err, /--rules/);
  r = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--reorder', 'soon']);
  t.not(r.code, 0);
  t.match(r.err, /--reorder must be a number/);
  for (const bad of ['-1', '1001', '2.5']) {
    r = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--top', bad]);
    t.not(r.code, 0);
    t.match(r.err, /--top must be an integer from 0 to 1000/, `--top ${bad}`);
  }
  r = await cli(['replay', join(dir, 'calls.csv'), '-r', join(dir, 'rules.yaml'), '--top', '0', '--json']);
  t.equal(r.code, 0);
  t.notOk('top_rejected' in (JSON.parse(r.out) as object), '--top 0: no caller list');
  t.end();
});

t.test('replay --by kind on generated traffic', async (t) => {
  let text = CSV_HEADER + '\n';
  for (const c of generateCalls({ seed: 3, hours: 2, scale: 0.2, start: '2025-03-03T01:00:00Z' })) text += csvLine(c) + '\n';
  const dir = t.testdir({ 'rules.yaml': LIST_RULES });
  writeFileSync(join(dir, 'gen.csv'), text);
  const r = await cli(['replay', join(dir, 'gen.csv'), '-r', join(dir, 'rules.yaml'), '--by', 'kind', '--json']);
  t.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  t.equal(s.bad_rows.count, 0);
  t.equal(s.groups.column, 'kind');
  const names = s.groups.rows.map((g: { name: string }) => g.name);
  t.ok(names.includes('person') && names.includes('business') && names.includes('wangiri'), names.join(' '));
  t.end();
});

t.test('generate: CSV to a file or stdout, same bytes for a seed', async (t) => {
  const dir = t.testdir({});
  const a = await cli(['generate', '--hours', '1', '--seed', '4', '--scale', '0.1']);
  t.equal(a.code, 0, a.err);
  t.match(a.out, /^timestamp,call_id,caller,callee,source,status,ring,duration,label,kind\n/);
  const b = await cli(['generate', '--hours', '1', '--seed', '4', '--scale', '0.1', '-o', join(dir, 'g.csv')]);
  t.equal(b.code, 0);
  t.equal(readFileSync(join(dir, 'g.csv'), 'utf8'), a.out);
  const c = await cli(['generate', '--hours', '1', '--seed', '5', '--scale', '0.1']);
  t.not(c.out, a.out);
  const nodir = await cli(['generate', '--hours', '0.01', '-o', join(dir, 'nodir', 'g.csv')]);
  t.equal(nodir.code, 1, 'a missing directory is an error, not a crash after the last write');
  t.match(nodir.err, /^ringfence generate: cannot write .*g\.csv: ENOENT\n$/);
  const bad = await cli(['generate', '--home', 'ZZ']);
  t.equal(bad.code, 1);
  t.match(bad.err, /--home ZZ: no numbering plan/);
  const neg = await cli(['generate', '--hours', '-1']);
  t.not(neg.code, 0);
  t.match(neg.err, /--hours must be a number of at least/);
  t.end();
});

t.test('--help documents the formats, columns and populations', async (t) => {
  const r = await cli(['replay', '--help']);
  t.match(r.out, /--decisions <file>/);
  t.match(r.out, /epoch seconds with decimals/);
  t.match(r.out, /reorder buffer/);
  t.match(r.out, /call_id.*data row number/);
  t.match(r.out, /"code"\?,"rejected_by"\?,"would_be"\?/, 'the decision log format lists every key the log writes');
  const g = await cli(['generate', '--help']);
  t.match(g.out, /--seed <n>/);
  t.match(g.out, /conference/);
  t.match(g.out, /wangiri, robocall, rotating-cli/);
  t.end();
});

t.test('replay: switch exports under their own column names, and what a file cannot show', async (t) => {
  const rows = (n: number, result: string): string[] =>
    Array.from({ length: n }, (_, i) => `${i + 1};2025-03-03 10:${String(i).padStart(2, '0')}:00;002348031234567;0139001380${String(i).padStart(2, '0')};${result};0:00:03;0:00:00;TG_INTL_01`);
  const dir = t.testdir({
    'rules.yaml': LIST_RULES,
    // A Huawei/ZTE-style export: semicolons, a BOM, local time, dispositions and h:mm:ss.
    'hw.csv': '\ufeffSerial No;Start Time;A-Number;B-Number;Call Result;Ring Duration;Conversation Duration;Trunk Group In\r\n' + rows(55, 'NO ANSWER').join('\r\n') + '\r\n',
    'bare.csv': 'start_time,src_user,dst_user\n2025-03-03 10:00:00,+447911123456,+8613800138000\n',
  });
  let r = await cli(['replay', join(dir, 'hw.csv'), '-r', join(dir, 'rules.yaml'), '--json']);
  t.equal(r.code, 0);
  const j = JSON.parse(r.out) as { calls: number; outcomes: { observed: number } };
  t.equal(j.calls, 55);
  t.equal(j.outcomes.observed, 55, 'every outcome read');
  r = await cli(['replay', join(dir, 'hw.csv'), '-r', join(dir, 'rules.yaml')]);
  t.match(r.out, /Columns read under other names: .*status from 'Call Result'/);
  t.match(r.out, /'Ring Duration'/);
  t.match(r.out, /'Conversation Duration'/);
  t.match(r.out, /'Trunk Group In'/);
  t.match(r.err, /note: no call in this file was cancelled while it rang \(487\), and 55 went unanswered .*wangiri cannot fire/);
  t.notMatch(r.err, /no status or duration column/);
  r = await cli(['replay', join(dir, 'bare.csv'), '-r', join(dir, 'rules.yaml')]);
  t.equal(r.code, 0);
  t.match(r.err, /note: no status or duration column, so no call's outcome is known: the behaviour signals .* cannot fire/);
  t.notMatch(r.err, /cancelled while it rang/, 'no statuses: nothing to say about cancels');
  // A ZTE-style export writes the day first.
  writeFileSync(join(dir, 'zte.csv'), 'CALLING_NUMBER;CALLED_NUMBER;START_TIME;RING_TIME;TALK_TIME;RESULT\n0080012345678;013800138000;03.04.2025 10:00:00;0,5;0;NO ANSWER\n');
  r = await cli(['replay', join(dir, 'zte.csv'), '-r', join(dir, 'rules.yaml'), '--json', '--date-order', 'dmy', '--decisions', join(dir, 'zte.jsonl')]);
  t.equal(r.code, 0);
  t.equal((JSON.parse(readFileSync(join(dir, 'zte.jsonl'), 'utf8').split('\n')[0]!) as { at: string }).at, '2025-04-03T10:00:00.000Z', 'day first');
  r = await cli(['replay', join(dir, 'zte.csv'), '-r', join(dir, 'rules.yaml'), '--date-order', 'ymd']);
  t.not(r.code, 0, 'an order it does not know is refused');
  t.match(r.err, /--date-order.*ymd.*(dmy|choices)/s);
});
