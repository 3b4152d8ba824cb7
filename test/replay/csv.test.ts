import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { BadRows, CsvInputError, parseSeconds, parseTimestamp, timestampHint, readCalls, type Row } from '../../lib/replay/csv.js';

async function read(text: string, opts: { by?: string; timeZone?: string; dateOrder?: 'dmy' | 'mdy' } = {}): Promise<{ rows: Row[]; bad: BadRows; hasLabel: boolean; count: number }> {
  const r = readCalls(Readable.from([text]), opts);
  const rows: Row[] = [];
  for await (const row of r) rows.push(row);
  return { rows, bad: r.bad, hasLabel: r.hasLabel, count: r.rows };
}

t.test('timestamps: ISO 8601 forms and epoch seconds', async (t) => {
  const base = Date.UTC(2025, 2, 3, 8, 0, 0);
  const cases: [string, number][] = [
    ['2025-03-03T08:00:00Z', base],
    ['2025-03-03T08:00:00.250Z', base + 250],
    ['2025-03-03T08:00:00.2506Z', base + 251], // rounded to the millisecond
    ['2025-03-03 08:00:00', base], // no offset: UTC, never the machine's zone
    ['2025-03-03T08:00', base],
    ['2025-03-03T16:00:00+08:00', base],
    ['2025-03-03T16:00:00+0800', base],
    ['2025-03-03T03:00:00-05', base],
    ['2025-03-03T08:00:00,5z', base + 500],
    ['2025-03-03', Date.UTC(2025, 2, 3)],
    ['1740988800', base],
    ['1740988800.25', base + 250],
    ['1740988800.', base],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2025/03/03 08:00:00', base], // year first: no day/month doubt
    ['2025/03/03 16:00:00+08:00', base],
    ['20250303080000', base], // YYYYMMDDhhmmss as switches write it, UTC
  ];
  for (const [s, want] of cases) t.equal(parseTimestamp(s), want, s);
  for (const s of ['', 'yesterday', '2025-02-29T00:00:00Z', '2025-13-01', '2025-03-03T24:00:00Z', '2025-03-03T08:61:00Z', '-5', '1e9', '1740988800000', '2025-03-03T08:00:00+25:00', '03/03/2025 08:00', '2025/13/03 08:00', '20251303080000', '30250303080000']) {
    t.ok(Number.isNaN(parseTimestamp(s)), `${JSON.stringify(s)} is refused`);
  }
  t.equal(timestampHint('03/04/2025 08:00', "'x'"), "'x': day and month could be either way round; say which comes first with --date-order dmy (day first, 03.04.2025 is 3 April) or mdy, or write dates as YYYY-MM-DD");
  t.equal(timestampHint('1740988800000', "'x'"), "'x' looks like epoch milliseconds; expected seconds");
  t.equal(timestampHint('soon', "'soon'"), "'soon'");
  t.end();
});

t.test('columns in any order, unknown ones ignored, case-insensitive header, BOM', async (t) => {
  const text = '\ufeffLabel,Extra,CALLEE,status,timestamp,caller,duration,ring,source,call_id,more\n' +
    'wangiri,x,+8613800138000,487,2025-03-03T08:00:00Z,+21620123456,,2.5,198.51.100.10,abc,y\n' +
    ',x,+8613800138001,200,1740988801.5,+14155550100,63,7.25,,,\n';
  const { rows, bad, hasLabel } = await read(text);
  t.equal(bad.count, 0);
  t.ok(hasLabel);
  t.same(rows, [
    { row: 1, line: 2, callId: 'abc', at: Date.UTC(2025, 2, 3, 8), caller: '+21620123456', callee: '+8613800138000', source: '198.51.100.10', status: 487, ring: 2500, label: 'wangiri' },
    { row: 2, line: 3, callId: '2', at: Date.UTC(2025, 2, 3, 8) + 1500, caller: '+14155550100', callee: '+8613800138001', status: 200, ring: 7250, duration: 63000 },
  ]);
  t.end();
});

t.test('only the required columns: optional fields absent, call_id is the data row number', async (t) => {
  const { rows, hasLabel } = await read('caller,callee,timestamp\n+14155550100,+8613800138000,1740988800\n\n+14155550101,+8613800138000,1740988801\n');
  t.notOk(hasLabel);
  t.same(rows.map((r) => [r.callId, r.row, r.line]), [['1', 1, 2], ['2', 2, 4]], 'blank lines are neither rows nor bad');
  t.equal(rows[0]!.status, undefined);
  t.equal(rows[0]!.ring, undefined);
  t.equal(rows[0]!.duration, undefined);
  t.equal(rows[0]!.source, undefined);
  t.end();
});

t.test('quoted fields: commas, doubled quotes, newlines (line numbers stay right)', async (t) => {
  const text = 'timestamp,caller,callee,source,note\n' +
    '1740988800,"""Anna"" <sip:+4479111222@198.51.100.10>",+8613800138000,"trunk, east",\n' +
    '1740988801,+447911122233,+8613800138000,a,"called back\nno answer"\n' +
    '1740988802,,+8613800138000,b,\n' +
    '1740988803,abc"def,+8613800138000,c,\n';
  const { rows, bad } = await read(text);
  t.equal(rows[0]!.caller, '"Anna" <sip:+4479111222@198.51.100.10>');
  t.equal(rows[0]!.source, 'trunk, east');
  t.equal(rows[1]!.caller, '+447911122233', 'a line break inside quotes in a column replay does not read is data');
  t.equal(rows[1]!.line, 3);
  t.same(bad.samples(), [], 'no bad row');
  t.same([rows[2]!.caller, rows[2]!.line], ['', 5], 'an empty caller is a call without a caller ID; the row after a two-line record is on line 5');
  t.equal(rows[3]!.caller, 'abc"def', 'a stray quote in an unquoted field is kept as text');
  t.equal(rows[3]!.line, 6);
  t.end();
});

t.test('a quote left open does not swallow the calls after it: a bad row, and reading resumes on the next line', async (t) => {
  const text = 'call_id,timestamp,caller,callee,status,duration,display\n' + // 1
    'a1,1740988800,+447911123450,+8613800138001,200,30,\n' + // 2
    'a2,1740988801,"+447911123451,+8613800138002,200,30,\n' + // 3: the caller's quote is never closed
    'a3,1740988802,+447911123452,+8613800138003,200,30,"""Anna"" <sip:+447911123452@example.net>"\n' + // 4
    'a4,1740988803,+447911123453,+8613800138004,486,0,\n'; // 5
  const { rows, bad } = await read(text);
  t.same(rows.map((r) => [r.callId, r.line, r.caller, r.callee]), [
    ['a1', 2, '+447911123450', '+8613800138001'],
    ['a3', 4, '+447911123452', '+8613800138003'],
    ['a4', 5, '+447911123453', '+8613800138004'],
  ], 'a3 is read as written, not merged into a2');
  t.same(bad.samples(), [{ line: 3, reason: "malformed CSV: quote left open: field 'caller' runs onto the next line, taking the lines after it in (fix the quoting)" }]);
  t.end();
});

t.test('bad rows are counted with line numbers and never stop the run', async (t) => {
  const text = 'timestamp,caller,callee,status,ring,duration\n' + // 1
    '1740988800,+14155550100,+8613800138000,200,5,60\n' + // 2 ok
    'soon,+14155550100,+8613800138000,,,\n' + // 3
    '1740988801,,+8613800138000,,,\n' + // 4 ok: no caller ID
    '1740988802,+14155550100,,,,\n' + // 5
    ',+14155550100,+8613800138000,,,\n' + // 6
    '1740988803000,+14155550100,+8613800138000,,,\n' + // 7 milliseconds
    '1740988804,+14155550100,+8613800138000,OK,,\n' + // 8
    '1740988805,+14155550100,+8613800138000,200,-1,\n' + // 9
    '1740988806,+14155550100,+8613800138000,200,1,long\n' + // 10
    '1740988807,+14155550100,+8613800138000,999,,\n' + // 11
    '1740988808,+14155550100,+8613800138000,486,0.4,0\n' + // 12 ok
    '1740988809,+14155550100,"+86138\n'; // 13: quote never closed
  const { rows, bad, count } = await read(text);
  t.same(rows.map((r) => r.line), [2, 4, 12]);
  t.same(rows.map((r) => r.callId), ['1', '3', '11'], 'bad rows still take their row number');
  t.equal(rows[1]!.caller, '', 'an empty caller is a call without a caller ID');
  t.equal(count, 12);
  t.equal(bad.count, 9);
  t.same(bad.samples().map((b) => b.line), [3, 5, 6, 7, 8, 9, 10, 11, 13]);
  const reasons = Object.fromEntries(bad.samples().map((b) => [b.line, b.reason]));
  t.match(reasons[3], /^unparseable timestamp: 'soon'/);
  t.equal(reasons[5], 'missing callee');
  t.equal(reasons[6], 'missing timestamp');
  t.match(reasons[7], /looks like epoch milliseconds/);
  t.match(reasons[8], /^bad status: 'OK'/);
  t.match(reasons[9], /^bad ring/);
  t.match(reasons[10], /^bad duration/);
  t.match(reasons[11], /^bad status: '999'/);
  t.match(reasons[13], /^malformed CSV: quote not closed/);
  t.same(Object.fromEntries(bad.kinds), {
    'unparseable timestamp': 2, 'missing callee': 1, 'missing timestamp': 1,
    'bad status': 2, 'bad ring': 1, 'bad duration': 1, 'malformed CSV': 1,
  });
  t.end();
});

t.test('ring and duration: seconds with decimals, or h:mm:ss and m:ss', async (t) => {
  const cases: [string, number][] = [['75', 75_000], ['7.5', 7_500], ['.5', 500], ['1:15', 75_000], ['0:01:15', 75_000], ['1:02:03.5', 3_723_500], ['00:00', 0]];
  for (const [s, ms] of cases) t.equal(parseSeconds(s), ms, s);
  for (const s of ['', '-1', '1:60', '1:75:00', '1:2', 'long', '1::00', '1e3']) t.ok(Number.isNaN(parseSeconds(s)), `${JSON.stringify(s)} is refused`);
  const { rows } = await read('timestamp,caller,callee,status,ring,duration\n1740988800,+14155550100,+8613800138000,200,0:08,00:02:05\n');
  t.equal(rows[0]?.ring, 8_000);
  t.equal(rows[0]?.duration, 125_000);
});

t.test('status as a call-record disposition word reads as its SIP status', async (t) => {
  const words = ['ANSWERED', 'no answer', 'No_Answer', 'BUSY', 'Cancelled', 'CANCEL', 'FAILED', 'congestion', 'NORMAL_CLEARING', 'ORIGINATOR_CANCEL'];
  const text = 'timestamp,caller,callee,status\n' + words.map((w, i) => `${1740988800 + i},+14155550100,+8613800138000,"${w}"\n`).join('') + '1740988900,+14155550100,+8613800138000,MAYBE\n';
  const { rows, bad } = await read(text);
  t.same(rows.map((r) => r.status), [200, 480, 480, 486, 487, 487, 503, 503, 200, 487]);
  t.match(bad.samples()[0]?.reason, /^bad status: 'MAYBE' is not a SIP status code or a disposition \(ANSWERED, NO ANSWER, BUSY/);
});

t.test('a field that does not parse in a row with more fields than the header says why the columns moved', async (t) => {
  const text = 'timestamp;caller;callee;status;ring;duration\n' +
    '1740988800;tel:+44-20-7946-0123;phone-context=+44;+8613800138000;200;3;60\n' + // unquoted ';' in the URI
    '1740988801;"tel:+44-20-7946-0123;phone-context=+44";+8613800138000;200;3;60\n' + // quoted: fine
    '1740988802;+442079460123;+8613800138000;MAYBE;3;60\n'; // a bad status in a row of the right shape
  const { rows, bad } = await read(text);
  t.equal(rows.length, 1);
  const [shifted, plain] = bad.samples();
  t.match(shifted?.reason, /^bad status: '\+8613800138000' is not a SIP status code .* \(this row has 7 fields, the header 6: a separator inside an unquoted field, such as ';' in a tel: or sip: URI, shifts the columns after it; quote such fields\)$/);
  t.notMatch(plain?.reason, /fields/, 'no hint when the row has the header\'s shape');
});

t.test('line numbers with CR-only and CRLF line ends, and line breaks inside quotes', async (t) => {
  const cr = await read('timestamp,caller,callee,note\r1740988800,+1,+2,\r\r1740988801,+1,,\r1740988802,+1,+2,"a\rb"\r1740988803,+1,,\r');
  t.same(cr.bad.samples().map((b) => b.line), [4, 7]);
  const crlf = await read('timestamp,caller,callee,note\r\n1740988800,+1,+2,"x\r\ny"\r\n1740988801,+1,,\r\n');
  t.same(crlf.bad.samples().map((b) => b.line), [4]);
  t.end();
});

t.test('bad-row samples keep the first N by line, counts keep going', async (t) => {
  const b = new BadRows(3);
  for (let l = 10; l < 100; l++) b.add(l, 'x');
  b.add(5, 'late');
  t.equal(b.count, 91);
  t.same(b.samples().map((s) => s.line), [5, 10, 11]);
  t.end();
});

t.test('header problems refuse the file', async (t) => {
  await t.rejects(read('moment,caller,callee\n1,2,3\n'), CsvInputError);
  await t.rejects(read('timestamp,caller\n1,2\n'), /lacks required column 'callee'/);
  await t.rejects(read('timestamp,caller,callee,caller\n1,2,3,4\n'), /names column 'caller' twice/);
  await t.rejects(read(''), /empty input/);
  await t.rejects(read('\n\n'), /empty input/);
  await t.rejects(read('timestamp,caller,callee\n', { by: 'kind' }), /--by column 'kind'/);
  t.same((await read('timestamp,caller,callee\n')).rows, [], 'a header alone is an empty replay');
  t.end();
});

t.test('no header row within 1 MiB refuses the file at once, whatever follows', async (t) => {
  const chunks = (piece: string, total: number): string[] => Array.from({ length: Math.ceil(total / 262_144) }, () => piece.repeat(Math.ceil(262_144 / piece.length)));
  for (const [what, piece] of [['no line end at all', 'x'], ['two million columns', 'c,']] as const) {
    const r = readCalls(Readable.from(chunks(piece, 4 << 20)));
    let rows = 0;
    await t.rejects((async () => {
      for await (const _ of r) rows++;
    })(), /no header row within the first 1 MiB: not a call-record CSV/, what);
    t.equal(rows, 0);
  }
  t.end();
});

t.test("Excel's 'sep=' first line names the separator; the header follows it", async (t) => {
  for (const [sep, c] of [[';', ';'], [',', ','], ['\t', '\t'], ['|', '|']] as const) {
    const text = `sep=${sep}\r\ntimestamp${c}caller${c}callee\r\n1740988800${c}+447911123456${c}+8613800138000\r\n`;
    const { rows, bad } = await read(text);
    t.equal(rows.length, 1, JSON.stringify(sep));
    t.equal(rows[0]?.caller, '+447911123456');
    t.equal(rows[0]?.line, 3, 'line numbers count the sep line');
    t.equal(bad.count, 0);
  }
  await t.rejects(read('sep=;\r\n'), /empty input/, 'a sep line alone is no header');
  t.end();
});

t.test('--by carries another column as the row group', async (t) => {
  const { rows } = await read('timestamp,caller,callee,Kind\n1740988800,+1,+2,business\n1740988801,+1,+2,\n', { by: 'kind' });
  t.same(rows.map((r) => r.group), ['business', '']);
  t.end();
});

t.test('reads a file from disk, streaming', async (t) => {
  const lines = ['timestamp,caller,callee'];
  for (let i = 0; i < 20_000; i++) lines.push(`${1740988800 + i},+1415555${String(i % 10000).padStart(4, '0')},+8613800138000`);
  const dir = t.testdir({ 'calls.csv': lines.join('\r\n') + '\r\n' });
  const r = readCalls(join(dir, 'calls.csv'));
  let n = 0;
  let last: Row | undefined;
  for await (const row of r) {
    n++;
    last = row;
  }
  t.equal(n, 20_000);
  t.equal(last!.line, 20_001, 'CRLF line endings count once');
  t.equal(r.bad.count, 0);
  t.ok(r.bytes > 0);
  await t.rejects(async () => {
    for await (const _ of readCalls(join(dir, 'missing.csv'))) void _;
  }, { code: 'ENOENT' });
  t.end();
});

t.test('gzipped call records are read as they are, from a file or a stream', async (t) => {
  const lines = ['timestamp,caller,callee,status'];
  for (let i = 0; i < 5_000; i++) lines.push(`${1740988800 + i},+1415555${String(i % 10000).padStart(4, '0')},+8613800138000,${i % 2 ? 200 : 486}`);
  const text = lines.join('\n') + '\n';
  const gz = gzipSync(text);
  const dir = t.testdir({ 'calls.csv': text });
  writeFileSync(join(dir, 'calls.csv.gz'), gz);
  const rowsOf = async (r: ReturnType<typeof readCalls>): Promise<Row[]> => {
    const out: Row[] = [];
    for await (const row of r) out.push(row);
    return out;
  };
  const plain = await rowsOf(readCalls(join(dir, 'calls.csv')));
  const fromFile = readCalls(join(dir, 'calls.csv.gz'));
  t.same(await rowsOf(fromFile), plain, 'the same rows as the plain file');
  t.equal(fromFile.sourceBytes, gz.length, 'progress counts the compressed bytes read');
  t.same(await rowsOf(readCalls(Readable.from([gz.subarray(0, 1), gz.subarray(1, 100), gz.subarray(100)]))), plain, 'from a stream, the magic split across chunks');
  const broken = Buffer.concat([gz.subarray(0, 200), Buffer.from('not gzip at all')]);
  await t.rejects(rowsOf(readCalls(Readable.from([broken]))), /not a readable gzip file/);
  t.end();
});

t.test('stopping early releases the file', async (t) => {
  const dir = t.testdir({ 'calls.csv': 'timestamp,caller,callee\n1,+1,+2\n2,+1,+2\n3,+1,+2\n' });
  const r = readCalls(join(dir, 'calls.csv'));
  for await (const row of r) {
    t.equal(row.row, 1);
    break;
  }
  await t.rejects(r[Symbol.asyncIterator]().next(), /only once/, 'not twice');
  t.end();
});

t.test('a quote left open does not hold the rest of the file: the record is refused at 1 MiB and reading goes on from its next line', async (t) => {
  // One stray quote near the top of a 200 MB export made the reader buffer all the rest (681 MB RSS; 1.9 GB for
  // 600 MB) and report the 3.6 million rows after it as one bad row at the end.
  const row = (i: number): string => `${1740988800 + i},+14155550100,+8613800138000,486\n`;
  const N = 40_000; // ~1.8 MB after the open quote
  let text = 'timestamp,caller,callee,status\n' + row(0) + row(1) + '1740988802,"+2162,+8613800138000,486\n';
  for (let i = 0; i < N; i++) text += row(3 + i);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 65_536) chunks.push(text.slice(i, i + 65_536));
  const r = readCalls(Readable.from(chunks));
  const lines: number[] = [];
  for await (const batch of r.batches()) for (const x of batch) lines.push(x.line);
  t.equal(lines.length, 2 + N, 'every row after the open quote is read');
  t.same(lines.slice(0, 3), [2, 3, 5], 'line numbers stay right');
  t.equal(lines[lines.length - 1], 4 + N);
  t.equal(r.bad.count, 1);
  t.match(r.bad.samples()[0], { line: 4, reason: /^malformed CSV: quote not closed within 1 MiB/ });
  t.equal(r.rows, 3 + N, 'the bad row keeps its row number');

  // A line with no end in sight (3 MB, no quote) is refused the same way, without being held whole.
  const long = 'timestamp,caller,callee,status\n' + row(0) + `1740988801,+${'9'.repeat(3_000_000)},+8613800138000,486\n` + row(2) + row(3);
  const parts: string[] = [];
  for (let i = 0; i < long.length; i += 65_536) parts.push(long.slice(i, i + 65_536));
  const l = readCalls(Readable.from(parts));
  const got: number[] = [];
  for await (const x of l) got.push(x.line);
  t.same(got, [2, 4, 5]);
  t.match(l.bad.samples(), [{ line: 3, reason: /^malformed CSV: record longer than 1 MiB/ }]);
});

t.test('semicolon, tab and bar exports: the separator is taken from a header line without commas', async (t) => {
  const semi = await read('timestamp;caller;callee;status;duration;note\n' +
    '1740988800;+447911123450;+8613800138001;200;"12,5";"a; b"\n' +
    '1740988801;+447911123451;+8613800138002;486;0;\n');
  t.same(semi.rows.map((r) => [r.caller, r.callee, r.status, r.duration]), [
    ['+447911123450', '+8613800138001', 200, 12_500],
    ['+447911123451', '+8613800138002', 486, 0],
  ], "fields split on ';', a decimal comma read as a decimal point");
  const blankFirst = await read('\n\n  \ntimestamp;caller;callee\n1740988800;+447911123450;+8613800138001\n');
  t.same(blankFirst.rows.map((r) => [r.line, r.caller]), [[5, '+447911123450']], 'blank lines before the header do not decide the separator');
  const tab = await read('timestamp\tcaller\tcallee\n1740988800\t+447911123450\t+8613800138001\n');
  t.same(tab.rows.map((r) => [r.caller, r.callee]), [['+447911123450', '+8613800138001']]);
  const bar = await read('timestamp|caller|callee\n1740988800|+447911123450|+8613800138001\n');
  t.same(bar.rows.map((r) => r.caller), ['+447911123450']);
  const comma = await read('timestamp,caller,callee,note\n1740988800,+447911123450,+8613800138001,a;b\n1740988801,+447911123451,+8613800138002,"12,5"\n');
  t.same(comma.rows.map((r) => r.caller), ['+447911123450', '+447911123451'], 'a comma header keeps commas, whatever the fields hold');
  const badDuration = await read('timestamp,caller,callee,duration\n1740988800,+1,+2,"12,5"\n');
  t.same(badDuration.bad.samples(), [{ line: 2, reason: "bad duration: '12,5' is not a number of seconds" }], 'a decimal comma is not read where commas separate fields');
  t.end();
});

t.test('--timezone: calendar times without an offset are read as that zone\'s wall time; epochs and offsets as written', async (t) => {
  const text = 'timestamp,caller,callee\n' +
    '2025-03-03 08:00:00,+1,+2\n' + // fast path, local
    '2025-03-03T08:00:00Z,+1,+2\n' + // explicit UTC
    '2025-03-03T08:00:00+01:00,+1,+2\n' + // explicit offset (slow path)
    '1740988800,+1,+2\n' + // epoch seconds
    '20250303080000,+1,+2\n' + // switch form, local
    '2025/03/03 08:00:00,+1,+2\n' + // year-first slashes, local
    '" 2025-03-03 08:00:00",+1,+2\n'; // padded: the slow path
  const utc = Date.UTC(2025, 2, 3, 8, 0, 0);
  const sh = await read(text, { timeZone: 'Asia/Shanghai' });
  t.same(sh.rows.map((r) => (r.at - utc) / 3_600_000), [-8, 0, -1, 0, -8, -8, -8], 'Shanghai is 8 h ahead of UTC');
  const plain = await read(text);
  t.same(plain.rows.map((r) => (r.at - utc) / 3_600_000), [0, 0, -1, 0, 0, 0, 0], 'without --timezone, UTC');
  const london = await read('timestamp,caller,callee\n2025-01-15 12:00:00,+1,+2\n2025-07-15 12:00:00,+1,+2\n', { timeZone: 'Europe/London' });
  t.same(london.rows.map((r) => new Date(r.at).toISOString()), ['2025-01-15T12:00:00.000Z', '2025-07-15T11:00:00.000Z'], 'summer time applies in summer only');
  t.throws(() => readCalls(Readable.from(['x']), { timeZone: 'Mars/Olympus' }), /unknown time zone 'Mars\/Olympus'/);
  t.end();
});

t.test('--timezone: a local-time file through a clock change stays in time order', async (t) => {
  // London's clocks went back at 02:00 BST on 26 October 2025: 01:00-01:59 came twice, first BST then GMT.
  const wall: string[] = [];
  for (const h of ['00', '01', '01', '02']) for (const m of ['00', '20', '40']) wall.push(`2025-10-26 ${h}:${m}:00`);
  const r = readCalls(Readable.from(['timestamp,caller,callee\n' + wall.map((w) => `${w},+1,+2\n`).join('')]), { timeZone: 'Europe/London' });
  const at: number[] = [];
  for await (const row of r) at.push(row.at);
  const start = Date.UTC(2025, 9, 25, 23, 0, 0); // 00:00 BST
  t.same(at.map((x) => (x - start) / 60_000), [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220], 'every 20 minutes, the repeated hour once each');
  t.same(r.clockChanges, { repeated: 6, skipped: 0, firstRepeated: '2025-10-26 01:00:00', firstSkipped: '' });
  // The same through the slow path (year-first slashes).
  const slow = readCalls(Readable.from(['timestamp,caller,callee\n' + wall.map((w) => `${w.replace(/-/g, '/')},+1,+2\n`).join('')]), { timeZone: 'Europe/London' });
  const slowAt: number[] = [];
  for await (const row of slow) slowAt.push(row.at);
  t.same(slowAt, at, 'slashes read the same');
  // 30 March 2025: 01:00-01:59 GMT never happened in London; read with the offset from before.
  const spring = readCalls(Readable.from(['timestamp,caller,callee\n2025-03-30 00:30:00,+1,+2\n2025-03-30 01:30:00,+1,+2\n2025-03-30 02:30:00,+1,+2\n']), { timeZone: 'Europe/London' });
  const sp: string[] = [];
  for await (const row of spring) sp.push(new Date(row.at).toISOString().slice(11, 16));
  t.same(sp, ['00:30', '01:30', '01:30'], '01:30 local read as GMT, 02:30 local is BST');
  t.equal(spring.clockChanges?.skipped, 1);
  t.equal(spring.clockChanges?.firstSkipped, '2025-03-30 01:30:00');
  t.equal((await read('timestamp,caller,callee\n2025-10-26 01:30:00,+1,+2\n')).rows.length, 1);
  t.equal(readCalls(Readable.from(['x'])).clockChanges, null, 'without --timezone: nothing to report');
});

t.test('a quote left open near the end of the file costs its own line, not the lines after it', async (t) => {
  const ok = (i: number): string => `2025-03-03 10:00:${String(i).padStart(2, '0')},+447911123456,+8613800138${String(i).padStart(3, '0')},200,10\n`;
  let text = 'timestamp,caller,callee,status,duration\n';
  for (let i = 0; i < 30; i++) text += i === 20 ? '2025-03-03 10:00:20,"+447911123456,+8613800138020,200,10\n' : ok(i);
  const { rows, bad, count } = await read(text);
  t.equal(count, 30, 'every row counted');
  t.equal(rows.length, 29, 'the 9 rows after it are read');
  t.same(bad.samples(), [{ line: 22, reason: 'malformed CSV: quote not closed before end of file (the lines after it are read)' }]);
  t.same(rows.slice(-2).map((r) => r.line), [30, 31]);
});

t.test('--date-order reads dates written with the year last; without it they are refused, with the way out named', async (t) => {
  const text = 'timestamp,caller,callee\n03.04.2025 10:00:00,+1,+2\n3/4/2025 10:00,+1,+2\n03-04-2025,+1,+2\n2025-04-05 10:00:00,+1,+2\n';
  const dmy = await read(text, { dateOrder: 'dmy' });
  t.same(dmy.rows.map((r) => new Date(r.at).toISOString()), ['2025-04-03T10:00:00.000Z', '2025-04-03T10:00:00.000Z', '2025-04-03T00:00:00.000Z', '2025-04-05T10:00:00.000Z'], 'day first; ISO dates as always');
  const mdy = await read(text, { dateOrder: 'mdy' });
  t.same(mdy.rows.map((r) => new Date(r.at).toISOString().slice(0, 10)), ['2025-03-04', '2025-03-04', '2025-03-04', '2025-04-05'], 'month first');
  const none = await read(text);
  t.equal(none.rows.length, 1, 'refused without it');
  t.match(none.bad.samples()[0]?.reason, /day and month could be either way round; say which comes first with --date-order dmy/);
  t.equal((await read('timestamp,caller,callee\n31.02.2025 10:00,+1,+2\n', { dateOrder: 'dmy' })).rows.length, 0, 'no 31 February');
  const sh = await read('timestamp,caller,callee\n03.04.2025 10:00:00,+1,+2\n', { dateOrder: 'dmy', timeZone: 'Asia/Shanghai' });
  t.equal(new Date(sh.rows[0]!.at).toISOString(), '2025-04-03T02:00:00.000Z', 'local time in --timezone');
});
