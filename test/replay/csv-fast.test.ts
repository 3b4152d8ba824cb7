/**
 * The reader splits plain lines itself and hands every other record to
 * csv-parse. Here it is checked against csv-parse alone, with the row rules
 * the reader had before the fast path (a string per field, each trimmed),
 * on random and hand-picked odd input fed in random chunks: same rows, same
 * bad rows with the same line numbers and reasons, same header errors.
 */
import t, { type Test } from 'tap';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { parse as parseCsv, type CsvError } from 'csv-parse/sync';
import { mapColumns } from '../../lib/replay/columns.js';
import { BadRows, CsvInputError, dispositionStatus, KNOWN_COLUMNS, parseSeconds, recordStart, splitReason, timestampHint, parseTimestamp, readCalls, REQUIRED_COLUMNS, type BadRow, type Row } from '../../lib/replay/csv.js';

interface Result {
  rows: Row[];
  bad: BadRow[];
  kinds: Record<string, number>;
  count: number;
  error?: string;
}

// ---- the oracle: csv-parse over the whole input, then the original row rules --------------------

/**
 * csv-parse from `offset` (with the BOM option at the start only, and the
 * line ending found at the start given after a resume): records with their
 * raw text and end offsets, and the records it skipped.
 */
function parseFrom(input: Buffer, offset: number, delimiter: string | undefined) {
  const skips: { records: number; lines: number; err: CsvError | undefined }[] = [];
  const got = parseCsv(input.subarray(offset), {
    bom: offset === 0,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    info: true,
    raw: true,
    ...(delimiter !== undefined ? { record_delimiter: delimiter } : {}),
    on_skip: (err) => {
      const e = err as (CsvError & { records?: number; lines?: number }) | undefined;
      skips.push({ records: e?.records ?? Infinity, lines: e?.lines ?? 0, err });
      return undefined;
    },
  }) as unknown as { record: string[]; raw: string; info: { bytes: number } }[];
  return { got, skips };
}

function oracle(input: Buffer, by?: string): Result {
  const bad = new BadRows(1000);
  const rows: Row[] = [];
  let nextLine = 1;
  let headerSeen = false;
  let count = 0;
  const idx = new Map<string, number>();
  let byIdx = -1;
  let cols: string[] = [];
  let headerFields = 0;
  const field = (rec: string[], i: number | undefined): string => (i === undefined || i < 0 || i >= rec.length ? '' : (rec[i] as string).trim());
  const quote = (s: string): string => `'${s.length > 40 ? s.slice(0, 40) + '...' : s}'`;
  const seconds = parseSeconds;
  const newlines = (rec: string[]): number => {
    let n = 0;
    for (const f of rec) for (let j = 0; j < f.length; j++) if (f.charCodeAt(j) === 10 || (f.charCodeAt(j) === 13 && f.charCodeAt(j + 1) !== 10)) n++;
    return n;
  };
  const onSkip = (sk: { lines: number; err: CsvError | undefined }): void => {
    const line = nextLine;
    nextLine = Math.max(nextLine + 1, sk.lines + 1);
    if (!headerSeen) return;
    count++;
    const code = sk.err?.code;
    bad.add(line, 'malformed CSV', code === 'CSV_QUOTE_NOT_CLOSED' ? 'quote not closed before end of file' : code === 'CSV_INVALID_CLOSING_QUOTE' ? 'text after a closing quote' : (sk.err?.message ?? 'unreadable record').split('\n')[0] as string);
  };
  try {
    let offset = 0;
    let delimiter: string | undefined;
    let { got, skips } = parseFrom(input, 0, undefined);
    let consumed = 0;
    for (;;) {
    for (let k = 0; k < got.length; k++) {
      const { record: rec, raw, info } = got[k]!;
      while (skips.length > 0 && (skips[0] as { records: number }).records <= consumed) onSkip(skips.shift()!);
      consumed++;
      const line = nextLine;
      if (delimiter === undefined) {
        // The reader's line ending is the first record's (as csv-parse found it), fixed from then on.
        const end = offset + info.bytes;
        delimiter = input[end - 1] === 13 ? '\r' : end >= 2 && input[end - 2] === 13 && input[end - 1] === 10 ? '\r\n' : '\n';
      }
      // The file's line ending inside a column replay reads: a bad row, and csv-parse starts again after its first line.
      const readCols = [idx.get('timestamp'), idx.get('caller'), idx.get('callee'), idx.get('call_id'), idx.get('source'), idx.get('status'), idx.get('ring'), idx.get('duration'), idx.get('label'), byIdx];
      const broken = headerSeen ? readCols.find((i) => i !== undefined && i >= 0 && i < rec.length && rec[i]!.includes(delimiter!)) : undefined;
      if (broken !== undefined) {
        count++;
        bad.add(line, 'malformed CSV', splitReason(cols[broken]));
        nextLine = line + 1;
        const start = offset + recordStart(input.subarray(offset), info.bytes, raw, k > 0 ? got[k - 1]!.info.bytes : 0);
        const e = input.indexOf(delimiter, start);
        offset = e < 0 ? input.length : e + delimiter.length;
        ({ got, skips } = parseFrom(input, offset, delimiter));
        k = -1;
        consumed = 0;
        continue;
      }
      nextLine = line + 1 + newlines(rec);
      if (rec.every((f) => f.trim() === '')) continue;
      if (!headerSeen) {
        headerSeen = true;
        cols = rec.map((h) => h.trim().toLowerCase());
        headerFields = rec.length;
        // The header → field mapping is one function for both readers (tested in columns.test.ts).
        for (const [c, i] of mapColumns(rec).index) idx.set(c, i);
        byIdx = by === undefined ? -1 : cols.indexOf(by);
        if (by !== undefined && byIdx < 0) throw new CsvInputError(`--by column '${by}' is not in the header`);
        continue;
      }
      const rowNo = ++count;
      const shape = rec.length === headerFields ? '' : rec.length < headerFields ? ` (this row has ${rec.length} fields, the header ${headerFields})` : ` (this row has ${rec.length} fields, the header ${headerFields}: a separator inside an unquoted field, such as ';' in a tel: or sip: URI, shifts the columns after it; quote such fields)`;
      const ts = field(rec, idx.get('timestamp'));
      if (ts === '') {
        bad.add(line, 'missing timestamp');
        continue;
      }
      const at = parseTimestamp(ts);
      if (Number.isNaN(at)) {
        bad.add(line, 'unparseable timestamp', timestampHint(ts, quote(ts)));
        continue;
      }
      const caller = field(rec, idx.get('caller'));
      const callee = field(rec, idx.get('callee'));
      if (callee === '') {
        bad.add(line, 'missing callee');
        continue;
      }
      const id = field(rec, idx.get('call_id'));
      const row: Row = { row: rowNo, line, callId: id === '' ? String(rowNo) : id, at, caller, callee };
      const source = field(rec, idx.get('source'));
      if (source !== '') row.source = source;
      const status = field(rec, idx.get('status'));
      if (status !== '') {
        const n = Number(status);
        const s = Number.isNaN(n) ? (dispositionStatus(status) ?? NaN) : n;
        if (!(Number.isInteger(s) && s >= 100 && s <= 699)) {
          bad.add(line, 'bad status', `${quote(status)} is not a SIP status code or a disposition (ANSWERED, NO ANSWER, BUSY, CANCEL, FAILED)${shape}`);
          continue;
        }
        row.status = s;
      }
      const ring = field(rec, idx.get('ring'));
      if (ring !== '') {
        const v = seconds(ring);
        if (Number.isNaN(v)) {
          bad.add(line, 'bad ring', `${quote(ring)} is not a number of seconds${shape}`);
          continue;
        }
        row.ring = v;
      }
      const duration = field(rec, idx.get('duration'));
      if (duration !== '') {
        const v = seconds(duration);
        if (Number.isNaN(v)) {
          bad.add(line, 'bad duration', `${quote(duration)} is not a number of seconds${shape}`);
          continue;
        }
        row.duration = v;
      }
      const label = field(rec, idx.get('label'));
      if (label !== '') row.label = label;
      if (byIdx >= 0) row.group = field(rec, byIdx);
      rows.push(row);
    }
    // A quote still open at the end of the input: a bad row on its first line, and csv-parse starts again after that line.
    const open = headerSeen ? skips.find((sk) => sk.err?.code === 'CSV_QUOTE_NOT_CLOSED') : undefined;
    if (open === undefined) break;
    while (skips[0] !== open) onSkip(skips.shift()!);
    count++;
    bad.add(nextLine, 'malformed CSV', 'quote not closed before end of file (the lines after it are read)');
    nextLine++;
    const start = offset + (got.length > 0 ? got[got.length - 1]!.info.bytes : 0);
    const e = input.indexOf(delimiter!, start);
    offset = e < 0 ? input.length : e + delimiter!.length;
    ({ got, skips } = parseFrom(input, offset, delimiter));
    consumed = 0;
    }
    for (const sk of skips) onSkip(sk);
    if (!headerSeen) throw new CsvInputError('empty input');
  } catch (err) {
    if (!(err instanceof CsvInputError)) throw err;
    return { rows: [], bad: [], kinds: {}, count: 0, error: 'CsvInputError' };
  }
  return { rows, bad: bad.samples(), kinds: Object.fromEntries(bad.kinds), count };
}

/** The reader, fed `input` cut at the given byte offsets. */
async function reader(input: Buffer, cuts: number[], by?: string): Promise<Result & { slow: number }> {
  const chunks: Buffer[] = [];
  let last = 0;
  for (const c of [...new Set(cuts.map((x) => x % (input.length + 1)))].sort((a, b) => a - b)) {
    if (c > last) chunks.push(input.subarray(last, c));
    last = Math.max(last, c);
  }
  if (last < input.length || chunks.length === 0) chunks.push(input.subarray(last));
  const r = readCalls(Readable.from(chunks), { bad: new BadRows(1000), ...(by !== undefined ? { by } : {}) });
  const rows: Row[] = [];
  try {
    for await (const row of r) rows.push(row);
  } catch (err) {
    if (!(err instanceof CsvInputError)) throw err;
    return { rows: [], bad: [], kinds: {}, count: 0, error: 'CsvInputError', slow: r.slowRecords };
  }
  return { rows, bad: r.bad.samples(), kinds: Object.fromEntries(r.bad.kinds), count: r.rows, slow: r.slowRecords };
}

/** Rows without their undefined properties, for a strict comparison. */
const plain = (rows: Row[]): object[] => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));

async function agree(t: Test, input: Buffer, cuts: number[] = [], by?: string): Promise<Result & { slow: number }> {
  const want = oracle(input, by);
  const got = await reader(input, cuts, by);
  t.strictSame(plain(got.rows), plain(want.rows), 'rows');
  t.strictSame(got.bad, want.bad, 'bad rows');
  t.strictSame(got.kinds, want.kinds, 'bad row kinds');
  t.equal(got.count, want.count, 'row count');
  t.equal(got.error, want.error, 'header error');
  return got;
}

// ---- generators -------------------------------------------------------------------------------

const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 4102444800000 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: 0, max: 4102444800000 }).map((ms) => new Date(ms).toISOString().replace('T', ' ').replace('.000Z', '')),
  fc.tuple(fc.integer({ min: 0, max: 99999999999 }), fc.string({ unit: pick('0', '1', '5', '9'), maxLength: 5 }), fc.boolean()).map(([s, f, dot]) => `${s}${dot ? '.' + f : ''}`),
  pick('2024-02-29T00:00:00Z', '2025-02-29T00:00:00Z', '2025-03-03T08:00:00.2506Z', '2025-03-03T16:00:00+08:00', '2025-03-03T08:00:60Z', '0099-01-01T00:00:00Z',
    '2025-03-03T08:00:00.Z', '2025-03-03t08:00:00,5z', '2025-03-03T08:00:00 Z', '2025-13-01T00:00:00Z', '2025-00-10T00:00:00Z', '2025-03-03', '2025-03-03T08:00',
    '1740988800000', '１７４０９８８８００', '', ' ', 'soon', '-5', '1e9', '2025-03-03T24:00:00Z', '2000-02-29T23:59:59.999z', '1900-02-29T00:00:00Z'),
);
const number = fc.oneof(
  fc.integer({ min: 0, max: 99999 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 9999999999 }), fc.string({ unit: pick('0', '3', '5', '7'), maxLength: 5 })).map(([a, b]) => `${a}.${b}`),
  pick('', '.5', '5.', '.', '-1', '2e2', '0x1F4', '200.0', ' 486 ', '１２', '1_000', 'Infinity', '0.0005', '1234567890.5', '000200'),
);
const status = fc.oneof(pick('200', '486', '487', '603', '100', '699', '700', '99', '', ' 200', '200.0', '2e2', '0x0C8', 'OK', '4860', '00200', '٢٠٠'), number);
const text = fc.oneof(
  pick('+14155550100', 'sip:+8613800138000@sbc.example.net;user=phone', '"Anna" <sip:+4479111222@198.51.100.10>', '', ' ', 'legit', 'wangiri', 'LEGIT', 'a,b', 'x"y', '"', '""',
    'line\nbreak', 'cr\rhere', 'crlf\r\nthere', '\u00a0+1 415\u00a0', '\ufeff+44', 'Ünïcödé', '😀', ' padded ', '\t+33\t', 'trunk, east'),
  fc.string({ unit: pick('a', '1', '+', ' ', ',', '"', '\n', '\r', 'é', '\u00a0', '\t'), maxLength: 8 }),
);

/** How a field is written out: as it is, quoted properly, or quoted badly. */
const writeField = (v: string, how: number): string => {
  switch (how) {
    case 0:
    case 1:
    case 2:
      return v;
    case 3:
    case 4:
      return `"${v.replaceAll('"', '""')}"`;
    case 5:
      return `"${v}"`; // inner quotes left single
    case 6:
      return ` "${v}"`; // white space before the quote: literal text
    case 7:
      return `"${v}" `; // after the closing quote
    default:
      return `"${v}`; // never closed
  }
};

const header = fc.tuple(
  fc.shuffledSubarray(['timestamp', 'caller', 'callee', 'call_id', 'source', 'status', 'ring', 'duration', 'label', 'kind', 'extra'], { minLength: 0 }),
  fc.boolean(),
  fc.boolean(),
).map(([cols, upper, quoted]) => {
  // Mostly a usable header: the required columns, then what the shuffle gave.
  const names = [...new Set([...cols.filter((c) => REQUIRED_COLUMNS.includes(c as 'timestamp')), ...cols])];
  return names.map((c) => (upper ? c.toUpperCase() : c)).map((c) => (quoted ? `"${c}"` : c));
});

const fieldFor = (name: string): fc.Arbitrary<string> => {
  switch (name.replaceAll('"', '').toLowerCase()) {
    case 'timestamp':
      return timestamp;
    case 'status':
      return status;
    case 'ring':
    case 'duration':
      return number;
    default:
      return text;
  }
};

const csvFile = header.chain((cols) =>
  fc.record({
    cols: fc.constant(cols),
    rows: fc.array(
      fc.oneof(
        { weight: 8, arbitrary: fc.tuple(...cols.map((c) => fc.tuple(fieldFor(c), fc.nat({ max: 9 }))), fc.nat({ max: 3 })).map((fs) => fs) },
        { weight: 1, arbitrary: pick('', '   ', ',,,', '"",""', '\t') },
      ),
      { maxLength: 25, size: 'max' },
    ),
    eol: pick('\n', '\r\n', '\r'),
    otherEol: pick('\n', '\r\n', '\r'),
    mixed: fc.nat({ max: 9 }),
    bom: fc.nat({ max: 9 }),
    lastEol: fc.boolean(),
    cuts: fc.array(fc.nat({ max: 4000 }), { maxLength: 8 }),
  }),
);

function render(f: { cols: string[]; rows: (string | unknown[])[]; eol: string; otherEol: string; mixed: number; bom: number; lastEol: boolean }): Buffer {
  const lines = [f.cols.join(',')];
  for (const r of f.rows) {
    if (typeof r === 'string') {
      lines.push(r);
      continue;
    }
    const fields = r.slice(0, -1) as [string, number][];
    const drop = r[r.length - 1] as number;
    // Sometimes fewer or more fields than the header.
    const cells = fields.map(([v, how]) => writeField(v, how));
    if (drop === 1) cells.pop();
    if (drop === 2) cells.push('more');
    lines.push(cells.join(','));
  }
  let body = '';
  lines.forEach((l, i) => {
    // Now and then another line ending than the file's.
    const eol = f.mixed === 0 && i % 3 === 1 ? f.otherEol : f.eol;
    body += l + (i < lines.length - 1 || f.lastEol ? eol : '');
  });
  const bom = f.bom === 0 ? '\ufeff' : '';
  return Buffer.from(bom + body, 'utf8');
}

// ---- tests ------------------------------------------------------------------------------------

t.test('random odd CSV in random chunks: the reader agrees with csv-parse alone', async (t) => {
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(csvFile, async (f) => {
      const input = render(f);
      const want = oracle(input);
      const got = await reader(input, f.cuts);
      const same = JSON.stringify([plain(got.rows), got.bad, got.kinds, got.count, got.error]) === JSON.stringify([plain(want.rows), want.bad, want.kinds, want.count, want.error]);
      if (!same) failures.push(JSON.stringify(input.toString('utf8')));
      return same;
    }),
    { numRuns: 1500, seed: 20261129 },
  ).catch((err: unknown) => {
    t.fail(`${(err as Error).message.split('\n').slice(0, 6).join('\n')}\nfirst failing input: ${failures[0]}`);
  });
  t.end();
});

t.test('hand-picked odd records around plain lines, whole and byte by byte', async (t) => {
  const head = 'timestamp,call_id,caller,callee,status,ring,duration,label\n';
  const ok = (i: number): string => `174098880${i},c${i},+1415555010${i},+861380013800${i},200,5.5,60,legit\n`;
  const cases: [string, string][] = [
    ['quoted fields with doubled quotes (fast path)', `${ok(1)}1740988802,c2,"""Anna"" <sip:+4479111222@198.51.100.10>","+86 138",486,"1.5",,"wangiri"\n${ok(3)}`],
    ['a line break inside quotes', `${ok(1)}1740988802,c2,"+44 7911\n122 233",+8613800138000,200,,,\n${ok(3)}`],
    ['CRLF inside quotes in an LF file', `${ok(1)}1740988802,c2,"a\r\nb",+8613800138000,,,,\n${ok(3)}`],
    ['a stray CR in an LF file', `${ok(1)}1740988802,c2,+1415\r5550100,+8613800138000,,,,\n${ok(3)}`],
    ['a CRLF line in an LF file', `${ok(1)}1740988802,c2,+14155550100,+8613800138000,,,,legit\r\n${ok(3)}`],
    ['text after a closing quote', `${ok(1)}1740988802,c2,"+1"415,+8613800138000,,,,\n${ok(3)}`],
    ['white space after a closing quote', `${ok(1)}1740988802,c2,"+1415" ,+8613800138000,,,,\n${ok(3)}`],
    ['a quote inside an unquoted field', `${ok(1)}1740988802,c2,abc"def,+8613800138000,,,,\n${ok(3)}`],
    ['doubled quotes then a line break', `${ok(1)}1740988802,c2,"a""\nb""",+8613800138000,,,,\n${ok(3)}`],
    ['an empty quoted field then text', `${ok(1)}1740988802,c2,""x,+8613800138000,,,,\n${ok(3)}`],
    ['a quote never closed', `${ok(1)}1740988802,c2,"+1415,+8613800138000,,,,\n${ok(3)}${ok(4)}`],
    ['a quote never closed, file without a final line break', `${ok(1)}1740988802,c2,+1,"+86`],
    ['blank and white-space lines', `\n${ok(1)}\n   \n,,,\n"",""\n\u00a0\n${ok(3)}`],
    ['non-ASCII white space around fields', `${ok(1)}\u00a01740988802\u00a0,\ufeffc2, +1 ,\u3000+86\u3000,\u00a0200,5,\u00a060,\u2028legit\n`],
    ['fewer and more fields than the header', `${ok(1)}1740988802,c2,+1,+86\n1740988803,c3,+1,+86,200,1,2,legit,extra,more\n`],
    ['last line without a line break', ok(1) + ok(2).trimEnd()],
    ['a timestamp the fast path leaves to parseTimestamp', `${ok(1)}2025-03-03T16:00:00+08:00,c2,+1,+86,,,,\n0025-03-03T16:00:00Z,c3,+1,+86,,,,\n2025-03-03T08:00:00.2506Z,c4,+1,+86,,,,\n`],
    ['numbers the fast path leaves to Number()', `${ok(1)}1740988802,c2,+1,+86,2e2,0.0005,1234567890.5,\n1740988803,c3,+1,+86,0x0C8,,,\n1740988804,c4,+1,+86,00200,.5,5.,\n`],
  ];
  for (const [name, body] of cases) {
    for (const eol of ['\n', '\r\n']) {
      // The same records with CRLF endings (a CRLF file's lone LF is then field text, its own odd case).
      const text = eol === '\n' ? head + body : (head + body).replace(/(?<!\r)\n/g, '\r\n');
      const input = Buffer.from(text, 'utf8');
      await t.test(`${name} (${eol === '\n' ? 'LF' : 'CRLF'})`, async (t) => {
        await agree(t, input);
        await agree(t, input, Array.from({ length: input.length }, (_, i) => i)); // one byte per chunk
      });
    }
  }
  // A CR-only file, and a header that is itself odd.
  await t.test('CR line endings', async (t) => {
    await agree(t, Buffer.from(head.replace('\n', '\r') + ok(1).replace('\n', '\r') + '1740988802,c2,"a\rb",+86,,,,\r' + ok(3).replace('\n', '\r')));
  });
  await t.test('a quoted header with a line break in a name', async (t) => {
    await agree(t, Buffer.from('"time\nstamp",timestamp,caller,callee\nx,1740988800,+1,+2\n'));
  });
  t.end();
});

t.test('plain lines take the fast path; only odd records go to csv-parse, and plain lines resume after them', async (t) => {
  const lines = ['timestamp,caller,callee,label,note'];
  for (let i = 0; i < 1000; i++) {
    // A line break inside quotes in a column replay does not read (a note) is data, and the record spans two lines.
    if (i === 500) lines.push('1740988800,+1,+2,x,"multi\nline"');
    else lines.push(`${1740988800 + i},${i % 7 === 0 ? '"""Q"" <sip:+1@h>"' : '+1'},+2,legit,`);
  }
  const got = await agree(t, Buffer.from(lines.join('\n') + '\n'), [777, 5000, 20000]);
  t.equal(got.rows.length, 1000);
  // The header (its line ending is csv-parse's to find) and the multi-line record; nothing else.
  t.equal(got.slow, 2);
  t.end();
});

t.test('UTF-8 and UTF-16LE byte-order marks, as csv-parse reads them', async (t) => {
  const text = 'timestamp,caller,callee\n1740988800,+1,"Ünï ""x"""\n1740988801,,+2\n';
  await agree(t, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), [1, 2]);
  const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const got = await agree(t, u16, [1, 3, 10, 11]);
  t.equal(got.rows[0]?.callee, 'Ünï "x"');
  await agree(t, Buffer.from([0xff, 0xfe]), [], undefined);
  t.end();
});

t.test('--by column, on both paths', async (t) => {
  await agree(t, Buffer.from('timestamp,caller,callee,Kind\n1740988800,+1,+2,business\n1740988801,+1,+2,\n1740988802,+1,+2,"multi\nline"\n'), [], 'kind');
  t.end();
});

t.test('timestamps and seconds: the byte-level forms agree with parseTimestamp and Number', async (t) => {
  // Many values in one file: one read covers them all.
  const stamps = fc.sample(timestamp, { numRuns: 20_000, seed: 7 });
  const nums = fc.sample(number, { numRuns: 20_000, seed: 8 });
  const lines = ['timestamp,caller,callee,ring,status'];
  for (let i = 0; i < stamps.length; i++) lines.push(`${writeField(stamps[i] as string, 3)},+1,+2,${writeField(nums[i] as string, i % 2 === 0 ? 0 : 3)},${writeField(nums[(i * 7) % nums.length] as string, 0)}`);
  const input = Buffer.from(lines.join('\n') + '\n');
  const got = await agree(t, input);
  t.ok(got.rows.length > 1000, `${got.rows.length} rows read`);
  t.end();
});
