/**
 * Streaming reader of call records (CSV with a header row) for replay.
 *
 * Columns may come in any order and unknown ones are ignored, so a CDR export
 * can be fed as it is. A bad row (unparseable time, missing callee, a status
 * that is not a SIP code, malformed quoting) is counted and reported with its
 * line number and skipped; it never stops the run. Only a file whose header
 * lacks a required column is refused outright, since no row of it could be read.
 *
 * Two parsers, one result. Most lines of a call-record file are plain: no
 * line break inside a field, quotes (if any) only around whole fields. Those
 * are split here, on the bytes, without building a string per field (csv-parse
 * alone took 4 of the 6 seconds a million rows cost). Any other record (a
 * line break or a stray CR inside a field, text after a closing quote, a quote
 * left open at the end of the line, and the first record of the file, whose
 * line ending csv-parse detects) goes to csv-parse, with as many lines after
 * it as it takes to end on a record boundary (see slow()); plain lines resume
 * after them. Both paths give the same rows: test/replay/csv-fast.test.ts
 * checks the reader against csv-parse alone on random odd input.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv, type CsvError, type InfoRecord, type Options as CsvOptions } from 'csv-parse/sync';
import { CsvInputError } from './csv-error.js';
import { mapColumns, type Column } from './columns.js';
import { isNaiveCalendar, ZoneClock } from './zone.js';

/** One call record, as replay needs it. Times in epoch ms, spans in ms. */
export interface Row {
  /** Data row number from 1 (header and blank lines excluded, bad rows included). */
  row: number;
  /** Line of the file where the record starts (the header is line 1). */
  line: number;
  /** `call_id`, or the data row number when the column is absent or empty. */
  callId: string;
  /** The INVITE time, epoch ms. */
  at: number;
  caller: string;
  callee: string;
  /** The optional fields below are undefined when empty (the reader sets them all, undefined or not: one object shape). */
  source?: string;
  /** Final SIP status. */
  status?: number;
  /** INVITE to final response, ms. */
  ring?: number;
  /** Talk time, ms. */
  duration?: number;
  /** '', 'legit' and the like (summary.ts LEGIT_LABELS) mean legitimate; anything else names a kind of fraud. Undefined when empty. */
  label?: string;
  /** Value of the `--by` column, when one was asked for. */
  group?: string;
}

/**
 * Call-record dispositions (Asterisk, FreeSWITCH and most switch exports)
 * read as the SIP status they stand for. NO ANSWER cannot tell a caller who
 * gave up from a phone that rang out; the engine copes with records that
 * carry no cancels (lib/engine/cancel-evidence.ts).
 */
const DISPOSITIONS: ReadonlyMap<string, number> = new Map([
  ['ANSWERED', 200], ['ANSWER', 200], ['NORMAL CLEARING', 200],
  ['NO ANSWER', 480], ['NOANSWER', 480], ['NO USER RESPONSE', 480],
  ['BUSY', 486], ['USER BUSY', 486],
  ['CANCEL', 487], ['CANCELED', 487], ['CANCELLED', 487], ['ORIGINATOR CANCEL', 487],
  ['FAILED', 503], ['CONGESTION', 503], ['CHANUNAVAIL', 503],
]);

/** The SIP status a disposition word stands for (case, spaces, '_' and '-' ignored), or undefined. */
export function dispositionStatus(text: string): number | undefined {
  return DISPOSITIONS.get(text.toUpperCase().replace(/[\s_-]+/g, ' '));
}

export { KNOWN_COLUMNS, REQUIRED_COLUMNS } from './columns.js';

/** The file cannot be replayed at all (no header, a required column missing). */
export { CsvInputError } from './csv-error.js';

export interface BadRow {
  line: number;
  reason: string;
}

/**
 * Bad rows: a count per kind of problem and the first `keep` of them by line,
 * so a file that is wrong on every line still reports in constant memory.
 */
export class BadRows {
  count = 0;
  readonly kinds = new Map<string, number>();
  private list: BadRow[] = [];
  private sorted = true;

  constructor(readonly keep = 20) {}

  add(line: number, kind: string, detail = ''): void {
    this.count++;
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    if (this.keep <= 0) return;
    const l = this.list;
    // Rows arrive in line order from the reader but late rows come from replay afterwards: keep the lowest lines.
    if (l.length >= this.keep && this.sorted && line > (l[l.length - 1] as BadRow).line) return;
    l.push({ line, reason: detail ? `${kind}: ${detail}` : kind });
    if (l.length > 1 && (l[l.length - 2] as BadRow).line > line) this.sorted = false;
    if (l.length > this.keep * 2) this.trim();
  }

  private trim(): void {
    if (!this.sorted) this.list.sort((a, b) => a.line - b.line);
    this.sorted = true;
    if (this.list.length > this.keep) this.list.length = this.keep;
  }

  /** The first `keep` bad rows by line. */
  samples(): BadRow[] {
    this.trim();
    return this.list.slice();
  }
}

export interface ReadOptions {
  /** Also carry this column's value as `group` (e.g. a population column of generated traffic). */
  by?: string;
  /** Where bad rows go; a fresh BadRows when absent. */
  bad?: BadRows;
  /** IANA zone of calendar timestamps written without an offset (default UTC); epoch seconds and explicit offsets are read as written. */
  timeZone?: string;
  /** How dates written with the year last read: day first (03.04.2025 is 3 April) or month first; refused when absent. */
  dateOrder?: DateOrder;
}

export type DateOrder = 'dmy' | 'mdy';
export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy'];

const YEAR_LAST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?=$|[ T])/;

/** A date written with the year last (03.04.2025 10:00), in the given order, rewritten year first; anything else unchanged. */
export function yearFirst(ts: string, order: DateOrder): string {
  const m = YEAR_LAST.exec(ts);
  if (m === null) return ts;
  const [a, b] = [(m[1] as string).padStart(2, '0'), (m[2] as string).padStart(2, '0')];
  const [day, month] = order === 'dmy' ? [a, b] : [b, a];
  return `${m[3] as string}-${month}-${day}${ts.slice(m[0].length)}`;
}

/** Field flags: non-ASCII bytes (decode as UTF-8, trim as JavaScript does); doubled quotes to undo. */
const HIGH = 1;
const ESC = 2;

/** Line endings, as csv-parse detects them from the first record. */
const EOL_UNKNOWN = 0;
const EOL_LF = 1;
const EOL_CRLF = 2;
const EOL_CR = 3;

/** Records csv-parse reads in one call at most: it doubles while odd records follow each other, so a file of them costs about what csv-parse alone costs. */
const SLOW_RUN_MAX = 1024;

/**
 * A record still open after this many bytes is a quote left open, not a
 * call record: it is refused and reading goes on from its next line. Without
 * a bound, one stray quote made the reader hold the rest of the file (3 times
 * its size in memory) and report every row after it as one bad row.
 */
const MAX_RECORD_BYTES = 1 << 20;

const EMPTY = Buffer.alloc(0);

/** A record csv-parse skipped (quoting it could not make sense of), with how many records it had emitted before it. */
type Skipped = { records: number; lines: number; err: CsvError | undefined };

/**
 * Call records from a CSV file or stream. Iterate it once (rows, or
 * batches()); `bad`, `columns`, `hasLabel` and `bytes` fill in as it is read.
 */
export class CallReader implements AsyncIterable<Row> {
  readonly bad: BadRows;
  /** Header names, lower-cased, as found. */
  columns: string[] = [];
  /** Bytes read from the input as it is (compressed, for a .gz): what a progress bar measures against the file size. */
  sourceBytes = 0;
  /** Fields read from a column of another name (a_number as caller ...): [field, name as written]. */
  aliased: Array<[Column, string]> = [];
  /** Header columns replay does not read (neither a field nor the --by column), as written. */
  ignored: string[] = [];
  /** Rows whose status says the caller cancelled while it rang (487), and no answer (480, 408). */
  cancelledRows = 0;
  noAnswerRows = 0;
  /** Whether the header has a column the calls' outcomes come from (status or duration). */
  get hasOutcomes(): boolean {
    return this.iStatus >= 0 || this.iDuration >= 0;
  }
  /** Whether the header has a `label` column. */
  hasLabel = false;
  /** Bytes parsed so far (for progress). */
  bytes = 0;
  /** Data rows seen so far, bad ones included. */
  rows = 0;
  /** Records (header and blank lines included) that went through csv-parse rather than the fast path. */
  slowRecords = 0;
  /** The first data row's timestamp when it has no UTC offset (read in the timeZone option's zone), else undefined. */
  naiveFirst: string | undefined;
  /** The last timestamp read, for a local time the zone repeats (ZoneClock.toUtc). */
  private lastAt = NaN;
  private firstSeen = false;
  private readonly input: string | Readable;
  private readonly by: string | undefined;
  /** Reads local calendar timestamps (no offset) as that zone's wall time; null: as UTC. */
  private readonly zone: ZoneClock | null;
  private readonly dateOrder: DateOrder | undefined;
  /** Local times read in an hour the zone repeats or skips (clock changes), with the first of each as written; null without --timezone. */
  get clockChanges(): { repeated: number; skipped: number; firstRepeated: string; firstSkipped: string } | null {
    const c = this.zone?.counts;
    if (c === undefined) return null;
    const wall = (ms: number): string => (Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
    return { repeated: c.repeated, skipped: c.skipped, firstRepeated: wall(c.firstRepeated), firstSkipped: wall(c.firstSkipped) };
  }
  // Column indexes (-1 when absent), as fields rather than a record: they are read on every row.
  private iTs = -1;
  private iId = -1;
  private iCaller = -1;
  private iCallee = -1;
  private iSource = -1;
  private iStatus = -1;
  private iRing = -1;
  private iDuration = -1;
  private iLabel = -1;
  private iBy = -1;
  /** Indexes of the columns replay reads (the fields and the --by column), set with the header. */
  private readCols: number[] = [];
  /** Line on which the next record starts. */
  private nextLine = 1;
  private headerSeen = false;
  private used = false;

  // The current record: field i is bytes [fs[i], fe[i]) of the buffer being parsed, with flags ff[i].
  private fs = new Int32Array(32);
  private fe = new Int32Array(32);
  private ff = new Uint8Array(32);
  private nf = 0;
  /** Fields in the header row. */
  private headerFields = 0;
  /** Trimmed range of the last field asked by trimmed(). */
  private ts = 0;
  private te = 0;

  /** The first bytes, until the byte-order mark is settled (null after). */
  private head: Buffer | null = EMPTY;
  /** UTF-16LE input (a FF FE mark), converted to UTF-8 on the way in: csv-parse reads such files too. */
  private u16: StringDecoder | null = null;
  /** Unparsed bytes: an incomplete last line, or a record csv-parse could not finish yet. */
  private pend: Buffer[] = [];
  private pendLen = 0;
  /** Dropping the rest of a line over MAX_RECORD_BYTES, up to its line ending. */
  private discarding = false;
  /** Parse the pending bytes again only once there are this many: waiting for a long record stays linear. */
  private retryAt = 0;
  private bytesIn = 0;
  private eol = EOL_UNKNOWN;
  /** The byte that ends a line, and the one that may not appear inside a plain line (CR in LF/CRLF files, LF in CR files). */
  private eolByte = 10;
  private stray = 13;
  /**
   * The field separator: a comma, unless the header line has none and has
   * semicolons, tabs or bars (exports from European locales and many
   * switches). Decided on the header line, before it is parsed.
   */
  private sepChar: string | undefined = undefined;
  private sep = 44;
  private slowRun = 1;

  constructor(input: string | Readable, opts: ReadOptions = {}) {
    this.input = input;
    this.by = opts.by?.trim().toLowerCase() || undefined;
    // UTC is what a timestamp without offset already reads as: no conversion per row.
    this.dateOrder = opts.dateOrder;
    this.zone = opts.timeZone === undefined || /^(etc\/)?utc$/i.test(opts.timeZone) ? null : new ZoneClock(opts.timeZone);
    this.bad = opts.bad ?? new BadRows();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Row> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * The rows in arrays, one per chunk of input read: replay takes them this
   * way, since an await per row costs more than reading the row.
   */
  async *batches(): AsyncGenerator<Row[], void, undefined> {
    if (this.used) throw new Error('a CallReader can be iterated only once');
    this.used = true;
    // 256 KiB reads: measured a little faster than 1 MiB (smaller batches of rows live shorter) and far faster than 4 MiB.
    const source = typeof this.input === 'string' ? createReadStream(this.input, { highWaterMark: 1 << 18 }) : this.input;
    try {
      for await (const chunk of this.decompressed(source as AsyncIterable<unknown>)) {
        const out: Row[] = [];
        this.take(toBuffer(chunk), false, out);
        if (out.length > 0) yield out;
      }
      const out: Row[] = [];
      this.take(EMPTY, true, out);
      if (out.length > 0) yield out;
    } finally {
      // Also on an early break by the consumer: release the file.
      source.destroy();
    }
    if (!this.headerSeen) throw new CsvInputError('empty input: expected a header row naming at least timestamp, caller, callee');
  }

  /**
   * The input's bytes, gunzipped when they start with the gzip magic (CDR
   * archives are kept compressed: `replay cdrs.csv.gz`, or one on stdin).
   * `sourceBytes` counts what was read from the input, for the progress bar.
   */
  private async *decompressed(source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
    const it = source[Symbol.asyncIterator]();
    // Two bytes decide, and a stream may hand them over one at a time.
    let head: Buffer = EMPTY;
    while (head.length < 2) {
      const r = await it.next();
      if (r.done === true) break;
      const b = toBuffer(r.value);
      this.sourceBytes += b.length;
      head = head.length === 0 ? b : Buffer.concat([head, b]);
    }
    if (head.length === 0) return;
    const rest = async function* (self: CallReader): AsyncGenerator<Buffer> {
      yield head;
      for (let r = await it.next(); r.done !== true; r = await it.next()) {
        const b = toBuffer(r.value);
        self.sourceBytes += b.length;
        yield b;
      }
    };
    if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
      yield* rest(this);
      return;
    }
    const gz = createGunzip();
    // pipeline destroys gz with the error of either side, which ends the loop below with it.
    pipeline(Readable.from(rest(this)), gz).catch(() => undefined);
    try {
      for await (const c of gz) yield c as Buffer;
    } catch (err) {
      throw new CsvInputError(`not a readable gzip file: ${(err as Error).message}`);
    }
  }

  /** Bytes as they arrive: byte-order mark, then UTF-16 conversion if needed, then parsing. */
  private take(chunk: Buffer, eof: boolean, out: Row[]): void {
    this.bytesIn += chunk.length;
    if (this.head !== null) {
      const h = this.head.length > 0 ? Buffer.concat([this.head, chunk]) : chunk;
      // As csv-parse: the mark is looked for once three bytes are in (or at the end, where a shorter input keeps its bytes).
      if (h.length < 3 && !eof) {
        this.head = h;
        return;
      }
      this.head = null;
      chunk = h;
      if (h.length >= 3) {
        if (h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf) chunk = h.subarray(3);
        else if (h[0] === 0xff && h[1] === 0xfe) {
          this.u16 = new StringDecoder('utf16le');
          chunk = h.subarray(2);
        }
      }
    }
    if (this.u16 !== null) chunk = Buffer.from(this.u16.write(chunk) + (eof ? this.u16.end() : ''), 'utf8');
    this.feed(chunk, eof, out);
    this.bytes = this.bytesIn - this.pendLen;
  }

  private feed(chunk: Buffer, eof: boolean, out: Row[]): void {
    if (this.discarding) {
      const e = chunk.indexOf(this.eolByte);
      if (e < 0) return;
      this.discarding = false;
      chunk = chunk.subarray(e + 1);
    }
    let d = chunk;
    if (this.pendLen > 0) {
      this.pend.push(chunk);
      this.pendLen += chunk.length;
      if (!eof && this.pendLen < this.retryAt) return;
      d = Buffer.concat(this.pend, this.pendLen);
      this.pend = [];
      this.pendLen = 0;
    }
    const n = d.length;
    let p = 0;
    while (p < n) {
      if (this.eol === EOL_UNKNOWN) {
        const q = this.slow(d, p, eof, out);
        if (q < 0) break;
        p = q;
        continue;
      }
      let e = d.indexOf(this.eolByte, p);
      let next = e + 1;
      if (e < 0) {
        if (!eof) break;
        e = next = n;
      }
      // In a CRLF file a lone LF is field text: only csv-parse knows where that record ends.
      let le = e;
      if (this.eol === EOL_CRLF && e < n) le = e > p && d[e - 1] === 13 ? e - 1 : -1;
      if (le >= 0 && this.split(d, p, le)) {
        this.slowRun = 1;
        this.record(d, 0, out);
        p = next;
      } else {
        const q = this.slow(d, p, eof, out);
        if (q < 0) break;
        p = q;
      }
    }
    if (p < n && !eof && n - p > MAX_RECORD_BYTES && !this.headerSeen) {
      // No header row ends within 1 MiB: no call-record file (a binary, a file with no line ends). Reading
      // on would hold and rescan all of it (a 100 MB file without a newline took minutes) to say the same.
      throw new CsvInputError(`no header row within the first ${MAX_RECORD_BYTES >> 20} MiB: not a call-record CSV (expected a first line naming at least timestamp, caller, callee)`);
    }
    if (p < n && !eof && n - p > MAX_RECORD_BYTES && this.headerSeen && this.eol !== EOL_UNKNOWN) {
      // Nothing from p ended within MAX_RECORD_BYTES (a line without end, a quote left open before one): a bad row; on from its first line ending.
      this.rows++;
      this.bad.add(this.nextLine++, 'malformed CSV', `record longer than ${MAX_RECORD_BYTES >> 20} MiB`);
      const e = d.indexOf(this.eolByte, p);
      if (e < 0) {
        this.discarding = true;
        return;
      }
      this.feed(d.subarray(e + 1), eof, out);
      return;
    }
    if (p < n) {
      this.pend.push(p === 0 ? d : d.subarray(p));
      this.pendLen = n - p;
      this.retryAt = 2 * (n - p);
    }
  }

  /**
   * Splits one line, bytes [s, e) without its line ending, into fields: plain
   * ones and whole-field quoted ones with doubled quotes. False when the line
   * needs csv-parse (see the file comment), which then reads the record anew.
   */
  private split(d: Buffer, s: number, e: number): boolean {
    const stray = this.stray;
    let nf = 0;
    let i = s;
    for (;;) {
      if (nf === this.fs.length) this.grow();
      let f = 0;
      let j = i;
      let c = 0;
      if (i < e && d[i] === 34) {
        j = i + 1;
        for (;;) {
          while (j < e && (c = d[j] as number) !== 34) {
            if (c === stray) return false;
            if (c > 127) f |= HIGH;
            j++;
          }
          if (j >= e) return false; // still quoting at the end of the line: a line break inside the field
          if (j + 1 < e && d[j + 1] === 34) {
            f |= ESC;
            j += 2;
            continue;
          }
          break;
        }
        this.fs[nf] = i + 1;
        this.fe[nf] = j;
        this.ff[nf] = f;
        nf++;
        j++;
        if (j >= e) break;
        if (d[j] !== this.sep) return false; // text after the closing quote: csv-parse's relaxed reading
        i = j + 1;
        continue;
      }
      // Unquoted: a quote inside is text (relax_quotes).
      const sep = this.sep;
      while (j < e && (c = d[j] as number) !== sep) {
        if (c === stray) return false;
        if (c > 127) f |= HIGH;
        j++;
      }
      this.fs[nf] = i;
      this.fe[nf] = j;
      this.ff[nf] = f;
      nf++;
      if (j >= e) break;
      i = j + 1;
    }
    this.nf = nf;
    return true;
  }

  private grow(): void {
    const n = this.fs.length * 2;
    const fs = new Int32Array(n);
    const fe = new Int32Array(n);
    const ff = new Uint8Array(n);
    fs.set(this.fs);
    fe.set(this.fe);
    ff.set(this.ff);
    this.fs = fs;
    this.fe = fe;
    this.ff = ff;
  }

  /**
   * Records from `p` through csv-parse. Returns the offset after the last
   * record taken, or -1 when more input is needed to finish the first one.
   *
   * csv-parse gets a window that ends just after a line ending. Either it is
   * not inside quotes there, and then that line ending closed a record: the
   * window holds whole records, read exactly as in one pass over the file.
   * Or it is, and says so (quote not closed at the end of its data): the
   * window is widened. The first record, whose line ending is still unknown,
   * goes by first() instead.
   */
  private slow(d: Buffer, p: number, eof: boolean, out: Row[]): number {
    if (this.eol === EOL_UNKNOWN) return this.first(d, p, eof, out);
    const n = d.length;
    for (let want = this.slowRun; ; want *= 2) {
      // b: just after the want-th line ending from p (or the last one there is).
      let found = 0;
      let b = p;
      for (let q = p; found < want; ) {
        const e = d.indexOf(this.eolByte, q);
        if (e < 0) break;
        q = e + 1;
        // A lone LF in a CRLF file ends nothing.
        if (this.eol === EOL_CRLF && !(e > p && d[e - 1] === 13)) continue;
        b = q;
        found++;
      }
      if (found < want) {
        // Fewer line endings than asked for: at the end of input take everything, else up to the last one.
        if (eof) b = n;
        else if (found === 0) return -1;
      }
      const { records, skips } = this.parse(b === n && p === 0 ? d : d.subarray(p, b), { record_delimiter: this.delimiter() });
      const final = eof && b === n;
      if (skips.length > 0 && !final) {
        if (b - p > MAX_RECORD_BYTES && this.headerSeen) {
          return this.cut(d, p, b, out, (skips[0] as Skipped).records, `quote not closed within ${MAX_RECORD_BYTES >> 20} MiB`, false);
        }
        // Inside quotes at the end of the window: a wider one, if the data has more line endings.
        if (found < want) return -1;
        continue;
      }
      // A line break inside a column replay reads is a quote left open, not data: no caller ID,
      // time or status holds one. Taken as written, the record would swallow the lines after it
      // (each a call of its own) up to the next quote, and lend one call another's numbers.
      const split = this.headerSeen ? this.splitRecord(records) : -1;
      if (split >= 0) {
        return this.cut(d, p, b, out, split & 0xffff, splitReason(this.columns[split >> 16]), true);
      }
      // A quote left open near the end of the file: only its own line is lost, not every line after it.
      const open = final && this.headerSeen ? skips.find((sk) => sk.err?.code === 'CSV_QUOTE_NOT_CLOSED') : undefined;
      if (open !== undefined) return this.cut(d, p, b, out, open.records, 'quote not closed before end of file (the lines after it are read)', false);
      this.slowRun = Math.min(SLOW_RUN_MAX, want * 2);
      this.emit(records, skips, out);
      return b;
    }
  }

  /** The file's line ending, as csv-parse takes it. */
  private delimiter(): string {
    return this.eol === EOL_LF ? '\n' : this.eol === EOL_CRLF ? '\r\n' : '\r';
  }

  /**
   * The first record of `records` with the file's line ending inside a
   * column replay reads, as (column << 16) | record index; -1 when none has.
   */
  private splitRecord(records: string[][]): number {
    const read = this.readCols;
    // Only the file's own line ending can end a record, so only it can be swallowed (a lone LF in a CRLF file is text).
    const eol = this.delimiter();
    for (let r = 0; r < records.length && r < 0xffff; r++) {
      const rec = records[r] as string[];
      for (const i of read) {
        const f = rec[i];
        if (f !== undefined && f.indexOf(eol) >= 0) return (i << 16) | r;
      }
    }
    return -1;
  }

  /**
   * A record in the window [p, b) cannot be taken: the `good` records (and
   * skipped ones) before it are taken, it is a bad row, and reading resumes
   * after its first line. Either it is still open past MAX_RECORD_BYTES
   * (csv-parse skipped it: `good` is its place among the skips), or it is
   * record `good` and `split` (a quote left open, see splitRecord()).
   */
  private cut(d: Buffer, p: number, b: number, out: Row[], good: number, why: string, split: boolean): number {
    const { records, skips, infos, raws } = this.parse(d.subarray(p, b), { info: true, raw: split, record_delimiter: this.delimiter() });
    good = Math.min(records.length, good);
    this.emit(records.slice(0, good), skips.filter((sk) => sk.records < good || (split && sk.records === good)), out);
    // Where the record starts: after the record before it, or (split: it is in `records`) found from its end and raw text.
    const start = split && good < records.length
      ? p + recordStart(d.subarray(p, b), (infos[good] as InfoRecord).bytes, raws[good] as string, good > 0 ? (infos[good - 1] as InfoRecord).bytes : 0)
      : good > 0 ? p + (infos[good - 1] as InfoRecord).bytes : p;
    // The open record's first line ends at the first line ending after its start (a CRLF file: LF after CR).
    let e = d.indexOf(this.eolByte, start);
    // (A LF at `start` itself ends nothing: its CR would be before the record.)
    while (this.eol === EOL_CRLF && e >= 0 && !(e > start && d[e - 1] === 13)) e = d.indexOf(this.eolByte, e + 1);
    this.rows++;
    this.bad.add(this.nextLine++, 'malformed CSV', why);
    this.slowRun = 1;
    return e < 0 ? b : e + 1;
  }

  /** The first record, with csv-parse finding the line ending: `info` says where the record ends. */
  private first(d: Buffer, p: number, eof: boolean, out: Row[]): number {
    const seg = p === 0 ? d : d.subarray(p);
    if (this.sepChar === undefined) {
      // The header is the first line with something on it: blank lines before it are allowed.
      let ls = 0;
      while (ls < seg.length && (seg[ls] === 10 || seg[ls] === 13 || seg[ls] === 32 || seg[ls] === 9)) ls++;
      let le = seg.indexOf(10, ls);
      const cr = seg.indexOf(13, ls);
      if (cr >= 0 && (le < 0 || cr < le)) le = cr;
      if (le < 0 && !eof) return -1;
      this.sepChar = separatorOf(seg.subarray(ls, le < 0 ? seg.length : le).toString('utf8'));
      this.sep = this.sepChar.charCodeAt(0);
    }
    const { records, skips, infos } = this.parse(seg, { info: true, to: 1 });
    const end = infos[0]?.bytes;
    if (end === undefined) {
      if (!eof) return -1;
      this.emit(records, skips, out); // only a record csv-parse skipped, up to the end of the input
      return d.length;
    }
    // The data's end looks like the input's end to csv-parse: only a record that ended before it is certain.
    if (!eof && end >= seg.length) return -1;
    this.detectEol(seg, end);
    this.emit(records, skips, out);
    return p + end;
  }

  /** csv-parse over `seg` with the reader's options (and `extra`): records, the records it skipped, and with `info` where each record ended. */
  private parse(seg: Buffer, extra: CsvOptions): { records: string[][]; skips: Skipped[]; infos: InfoRecord[]; raws: string[] } {
    const skips: Skipped[] = [];
    const opts: CsvOptions = {
      bom: false, // taken off the start of the input already
      relax_column_count: true,
      // A stray quote (`"abc"x`, `a"b`) stays literal text: without this csv-parse loses its place and swallows the rows after it.
      relax_quotes: true,
      // Blank lines are kept (and dropped in record()) so that line counting sees every line.
      skip_empty_lines: false,
      skip_records_with_error: true,
      delimiter: this.sepChar ?? ',',
      on_skip: (err) => {
        const e = err as (CsvError & { records?: number; lines?: number }) | undefined;
        skips.push({ records: e?.records ?? Infinity, lines: e?.lines ?? 0, err });
        return undefined;
      },
      ...extra,
    };
    const got = parseCsv(seg, opts);
    if (extra.info !== true) return { records: got, skips, infos: [], raws: [] };
    // With `info` (and `raw`) the records come as {record, info, raw}, where csv-parse's types say string[].
    const withInfo = got as unknown as { record: string[]; info: InfoRecord; raw?: string }[];
    return { records: withInfo.map((r) => r.record), skips, infos: withInfo.map((r) => r.info), raws: withInfo.map((r) => r.raw ?? '') };
  }

  /** Records and skipped records from one csv-parse call, in order, as rows. */
  private emit(records: string[][], skips: Skipped[], out: Row[]): void {
    const base = this.nextLine;
    let sk = 0;
    for (let r = 0; r < records.length; r++) {
      // A skipped record sits between the records emitted before and after it.
      while (sk < skips.length && (skips[sk] as Skipped).records <= r) this.onSkip(skips[sk++] as Skipped, base);
      const record = records[r] as string[];
      const b = this.load(record);
      this.slowRecords++;
      this.record(b, newlines(record), out);
    }
    while (sk < skips.length) this.onSkip(skips[sk++] as Skipped, base);
  }

  /** The first record ended with the line ending csv-parse detected: its last bytes. */
  private detectEol(seg: Buffer, end: number): void {
    const last = seg[end - 1];
    if (last === 10) {
      this.eol = end >= 2 && seg[end - 2] === 13 ? EOL_CRLF : EOL_LF;
    } else if (last === 13) {
      this.eol = EOL_CR;
      this.eolByte = 13;
      this.stray = 10;
    }
    // Anything else: the first record ran to the end of the input, and there is nothing after it.
  }

  /** A record from csv-parse as the current record: its fields written out as UTF-8, already unquoted. */
  private load(rec: string[]): Buffer {
    let size = 0;
    for (let i = 0; i < rec.length; i++) size += Buffer.byteLength(rec[i] as string);
    const b = Buffer.allocUnsafe(size);
    let o = 0;
    while (this.fs.length < rec.length) this.grow();
    for (let i = 0; i < rec.length; i++) {
      const f = rec[i] as string;
      const len = b.write(f, o);
      this.fs[i] = o;
      this.fe[i] = o + len;
      this.ff[i] = len === f.length ? 0 : HIGH;
      o += len;
    }
    this.nf = rec.length;
    return b;
  }

  private onSkip(sk: Skipped, base: number): void {
    const line = this.nextLine;
    // The record ended on the line where the parser gave up on it.
    this.nextLine = Math.max(this.nextLine + 1, base + sk.lines);
    if (!this.headerSeen) return; // a broken header is reported by the missing-column check
    this.rows++;
    const code = sk.err?.code;
    const what = code === 'CSV_QUOTE_NOT_CLOSED' ? 'quote not closed before end of file'
      : code === 'CSV_INVALID_CLOSING_QUOTE' ? 'text after a closing quote'
      : (sk.err?.message ?? 'unreadable record').split('\n')[0] as string;
    this.bad.add(line, 'malformed CSV', what);
  }

  /** The current record (fields in `d`, spanning 1 + `extraLines` lines) as a row, a bad row, a blank line or the header. */
  private record(d: Buffer, extraLines: number, out: Row[]): void {
    const line = this.nextLine;
    this.nextLine = line + 1 + extraLines;
    if (!this.headerSeen) {
      if (this.blank(d)) return;
      const names: string[] = [];
      for (let i = 0; i < this.nf; i++) names.push(this.text(d, i));
      this.header(names);
      return;
    }
    let at = this.trimmed(d, this.iTs) ? fastTime(d, this.ts, this.te) : NaN;
    // fastTime takes ISO date-times with an optional Z, and epoch seconds: a '-' at [4] without a Z is local time.
    if (this.zone !== null && !Number.isNaN(at) && d[this.ts + 4] === 45 && d[this.te - 1] !== 90 && d[this.te - 1] !== 122) at = this.zone.toUtc(at, this.lastAt);
    if (Number.isNaN(at)) {
      const ts = this.text(d, this.iTs);
      if (ts === '') {
        // Only a record without a timestamp can be blank: the test runs on those alone.
        if (this.blank(d)) return;
        this.rows++;
        this.bad.add(line, 'missing timestamp');
        return;
      }
      const iso = this.dateOrder === undefined ? ts : yearFirst(ts, this.dateOrder);
      at = parseTimestamp(iso);
      if (this.zone !== null && !Number.isNaN(at) && isNaiveCalendar(iso)) at = this.zone.toUtc(at, this.lastAt);
      if (Number.isNaN(at)) {
        this.rows++;
        this.bad.add(line, 'unparseable timestamp', timestampHint(ts, quote(ts)));
        return;
      }
    }
    this.lastAt = at;
    if (!this.firstSeen) {
      this.firstSeen = true;
      const ts = this.text(d, this.iTs);
      if (isNaiveCalendar(ts)) this.naiveFirst = ts;
    }
    const rowNo = ++this.rows;
    // An empty caller is a call without a caller ID (many exports write withheld calls so): screened as one.
    const caller = this.text(d, this.iCaller);
    const callee = this.text(d, this.iCallee);
    if (callee === '') {
      this.bad.add(line, 'missing callee');
      return;
    }
    const id = this.text(d, this.iId);
    const source = this.text(d, this.iSource);
    const status = this.status(d, this.iStatus);
    if (Number.isNaN(status)) {
      this.bad.add(line, 'bad status', `${quote(this.text(d, this.iStatus))} is not a SIP status code or a disposition (ANSWERED, NO ANSWER, BUSY, CANCEL, FAILED)${this.shape()}`);
      return;
    }
    const ring = this.seconds(d, this.iRing);
    if (Number.isNaN(ring)) {
      this.bad.add(line, 'bad ring', `${quote(this.text(d, this.iRing))} is not a number of seconds${this.shape()}`);
      return;
    }
    const duration = this.seconds(d, this.iDuration);
    if (Number.isNaN(duration)) {
      this.bad.add(line, 'bad duration', `${quote(this.text(d, this.iDuration))} is not a number of seconds${this.shape()}`);
      return;
    }
    if (status === 487) this.cancelledRows++;
    else if (status === 480 || status === 408) this.noAnswerRows++;
    const label = this.text(d, this.iLabel);
    // Every property set, in one order: one object shape for all rows keeps replay's property reads fast.
    out.push({
      row: rowNo,
      line,
      callId: id === '' ? String(rowNo) : id,
      at,
      caller,
      callee,
      source: source === '' ? undefined : source,
      status,
      ring,
      duration,
      label: label === '' ? undefined : label,
      group: this.iBy >= 0 ? this.text(d, this.iBy) : undefined,
    });
  }

  /**
   * For a field that does not parse: when the row has another number of
   * fields than the header, the likely cause (a separator inside an unquoted
   * field shifts every column after it); '' otherwise.
   */
  private shape(): string {
    if (this.nf === this.headerFields) return '';
    if (this.nf < this.headerFields) return ` (this row has ${this.nf} fields, the header ${this.headerFields})`;
    return ` (this row has ${this.nf} fields, the header ${this.headerFields}: a separator inside an unquoted field, such as ';' in a tel: or sip: URI, shifts the columns after it; quote such fields)`;
  }

  /**
   * Whether field i is plain ASCII, and then its range without surrounding
   * white space in ts/te. A missing field is plain and empty.
   */
  private trimmed(d: Buffer, i: number): boolean {
    if (i < 0 || i >= this.nf) {
      this.ts = this.te = 0;
      return true;
    }
    if (this.ff[i] !== 0) return false;
    let s = this.fs[i] as number;
    let e = this.fe[i] as number;
    while (s < e && isSpace(d[s] as number)) s++;
    while (e > s && isSpace(d[e - 1] as number)) e--;
    this.ts = s;
    this.te = e;
    return true;
  }

  /** Field i as text, trimmed; '' when the record has no such field. */
  private text(d: Buffer, i: number): string {
    if (this.trimmed(d, i)) return this.ts === this.te ? '' : latin1(d, this.ts, this.te);
    const f = this.ff[i] as number;
    let t = d.toString('utf8', this.fs[i], this.fe[i]);
    if ((f & ESC) !== 0) t = t.replaceAll('""', '"');
    return t.trim();
  }

  /** Status field: undefined when empty, NaN when neither a SIP status code nor a disposition word. */
  private status(d: Buffer, i: number): number | undefined {
    let s = this.trimmed(d, i) ? (this.ts === this.te ? -1 : fastInt(d, this.ts, this.te)) : NaN;
    if (s === -1) return undefined;
    if (Number.isNaN(s)) {
      const t = this.text(d, i);
      if (t === '') return undefined;
      s = Number(t);
      if (Number.isNaN(s)) s = dispositionStatus(t) ?? NaN;
    }
    return Number.isInteger(s) && s >= 100 && s <= 699 ? s : NaN;
  }

  /** Seconds field → ms; undefined when empty, NaN when not a number of seconds. */
  private seconds(d: Buffer, i: number): number | undefined {
    if (this.trimmed(d, i)) {
      if (this.ts === this.te) return undefined;
      const v = fastSeconds(d, this.ts, this.te);
      if (!Number.isNaN(v)) return v;
    }
    const t = this.text(d, i);
    // '12,5' is twelve and a half seconds where commas do not separate fields.
    return t === '' ? undefined : parseSeconds(this.sep === 44 ? t : t.replace(/^(\d+),(\d+)$/, '$1.$2'));
  }

  private blank(d: Buffer): boolean {
    for (let i = 0; i < this.nf; i++) if (this.text(d, i) !== '') return false;
    return true;
  }

  private header(names: string[]): void {
    // Excel's 'sep=;' first line names the separator (the first line was read with it): the header follows.
    if ((names[0] ?? '').trim().toLowerCase() === 'sep=' && names.slice(1).every((n) => n.trim() === '')) return;
    this.headerFields = names.length;
    this.headerSeen = true;
    this.columns = names.map((h) => h.toLowerCase());
    const { index, aliased } = mapColumns(names);
    this.aliased = aliased;
    if (this.by !== undefined) this.iBy = this.columns.indexOf(this.by);
    if (this.by !== undefined && this.iBy < 0) throw new CsvInputError(`--by column '${this.by}' is not in the header (found: ${this.columns.join(', ')})`);
    const ix = (c: Column): number => index.get(c) ?? -1;
    this.iTs = ix('timestamp');
    this.iId = ix('call_id');
    this.iCaller = ix('caller');
    this.iCallee = ix('callee');
    this.iSource = ix('source');
    this.iStatus = ix('status');
    this.iRing = ix('ring');
    this.iDuration = ix('duration');
    this.iLabel = ix('label');
    this.hasLabel = index.has('label');
    this.readCols = [this.iTs, this.iCaller, this.iCallee, this.iId, this.iSource, this.iStatus, this.iRing, this.iDuration, this.iLabel, this.iBy].filter((i) => i >= 0);
    this.ignored = names.flatMap((n, i) => (this.readCols.includes(i) || n.trim() === '' ? [] : [n.trim()]));
  }
}

/** Read call records from a file path or a stream. */
export function readCalls(input: string | Readable, opts: ReadOptions = {}): CallReader {
  return new CallReader(input, opts);
}

type Latin1 = Buffer & { latin1Slice(start: number, end: number): string };
const hasLatin1Slice = typeof (Buffer.prototype as Partial<Latin1>).latin1Slice === 'function';

/** ASCII bytes as a string. Buffer's own latin1Slice when there is one: toString() adds argument handling to every field. */
function latin1(b: Buffer, s: number, e: number): string {
  return hasLatin1Slice ? (b as Latin1).latin1Slice(s, e) : b.toString('latin1', s, e);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`call records: expected bytes or text from the input stream, got ${typeof chunk}`);
}

/** ASCII white space as String.prototype.trim sees it (tab, LF, VT, FF, CR, space). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Unsigned integer of up to 15 digits, NaN when the bytes are anything else (Number() then decides). */
function fastInt(d: Buffer, s: number, e: number): number {
  if (e - s > 15) return NaN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = (d[i] as number) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * seconds() of the common forms, on bytes: up to 9 integer digits and 3
 * decimals, where integer arithmetic gives exactly Math.round(x * 1000).
 * NaN for anything else, which seconds() then decides.
 */
function fastSeconds(d: Buffer, s: number, e: number): number {
  let i = s;
  let v = 0;
  while (i < e) {
    const c = (d[i] as number) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    i++;
  }
  const whole = i - s;
  if (whole > 9) return NaN;
  if (i === e) return whole === 0 ? NaN : v * 1000;
  if (d[i] !== 46) return NaN;
  i++;
  let f = 0;
  const f0 = i;
  while (i < e) {
    const c = (d[i] as number) - 48;
    if (c < 0 || c > 9) return NaN;
    f = f * 10 + c;
    i++;
  }
  const decimals = i - f0;
  if (decimals > 3 || (whole === 0 && decimals === 0)) return NaN;
  return v * 1000 + (decimals === 0 ? 0 : decimals === 1 ? f * 100 : decimals === 2 ? f * 10 : f);
}

const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Two ASCII digits at i as a number, -1 when not digits. */
function two(d: Buffer, i: number): number {
  const a = (d[i] as number) - 48;
  const b = (d[i + 1] as number) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/**
 * parseTimestamp() of the common forms, on bytes: `YYYY-MM-DD[T ]HH:MM:SS`
 * with up to 3 decimals and an optional Z, and epoch seconds with up to 3
 * decimals. NaN for anything else (an offset, a year before 100, which
 * Date.UTC reads as 19xx, more decimals), which parseTimestamp() then decides.
 */
function fastTime(d: Buffer, s: number, e: number): number {
  if (d[s + 4] === 45) {
    if (e - s < 19) return NaN;
    const sep = d[s + 10];
    if (d[s + 7] !== 45 || d[s + 13] !== 58 || d[s + 16] !== 58 || (sep !== 84 && sep !== 116 && sep !== 32)) return NaN;
    const yh = two(d, s);
    const yl = two(d, s + 2);
    const mo = two(d, s + 5);
    const day = two(d, s + 8);
    const h = two(d, s + 11);
    const mi = two(d, s + 14);
    const sec = two(d, s + 17);
    if (yh < 1 || yl < 0 || mo < 1 || mo > 12 || day < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return NaN;
    const y = yh * 100 + yl;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (day > (DAYS[mo - 1] as number) + (leap && mo === 2 ? 1 : 0)) return NaN;
    let i = s + 19;
    let frac = 0;
    if (i < e && (d[i] === 46 || d[i] === 44)) {
      i++;
      const f0 = i;
      while (i < e && i - f0 < 4) {
        const c = (d[i] as number) - 48;
        if (c < 0 || c > 9) break;
        frac = frac * 10 + c;
        i++;
      }
      const k = i - f0;
      if (k === 0 || k > 3) return NaN;
      if (k === 1) frac *= 100;
      else if (k === 2) frac *= 10;
    }
    if (i < e && (d[i] === 90 || d[i] === 122)) i++;
    if (i !== e) return NaN;
    const y1 = y - 1;
    // Days since 1970-01-01: 477 leap days fall before 1970.
    const days = (y - 1970) * 365 + Math.floor(y1 / 4) - Math.floor(y1 / 100) + Math.floor(y1 / 400) - 477 + (CUM_DAYS[mo - 1] as number) + (leap && mo > 2 ? 1 : 0) + day - 1;
    return days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + frac;
  }
  let i = s;
  let v = 0;
  while (i < e) {
    const c = (d[i] as number) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    i++;
  }
  if (i === s || i - s > 11) return NaN;
  if (i === e) return v * 1000;
  if (d[i] !== 46) return NaN;
  i++;
  const f0 = i;
  let f = 0;
  while (i < e) {
    const c = (d[i] as number) - 48;
    if (c < 0 || c > 9) return NaN;
    f = f * 10 + c;
    i++;
  }
  const k = i - f0;
  if (k > 3) return NaN;
  return v * 1000 + (k === 0 ? 0 : k === 1 ? f * 100 : k === 2 ? f * 10 : f);
}

/** Line breaks inside (quoted) fields: a record spans one line more for each. */
/**
 * Where a record that csv-parse returned (with `info` and `raw`) starts in
 * `seg`: its raw text ends at its `end` offset, or one byte before (with a
 * CRLF record delimiter csv-parse leaves the LF out of `raw`). `fallback`
 * (the end of the record before it) when neither matches.
 */
export function recordStart(seg: Buffer, end: number, raw: string, fallback: number): number {
  const bytes = Buffer.from(raw, 'utf8');
  for (const at of [end - bytes.length, end - 1 - bytes.length]) {
    if (at >= 0 && seg.subarray(at, at + bytes.length).equals(bytes)) return at;
  }
  return fallback;
}

/** A header line's field separator: ',' when it has one, else ';', a tab or '|' when it has that. */
export function separatorOf(header: string): string {
  if (header.includes(',')) return ',';
  for (const c of [';', '\t', '|']) if (header.includes(c)) return c;
  return ',';
}

/** The bad-row reason of a record with a line break inside a column replay reads. */
export function splitReason(column: string | undefined): string {
  return `quote left open: field '${(column ?? '').trim()}' runs onto the next line, taking the lines after it in (fix the quoting)`;
}

function newlines(rec: string[]): number {
  let n = 0;
  for (let i = 0; i < rec.length; i++) {
    const f = rec[i] as string;
    if (f.indexOf('\n') < 0 && f.indexOf('\r') < 0) continue;
    for (let j = 0; j < f.length; j++) {
      const c = f.charCodeAt(j);
      // \r\n is one break; a lone \r (old Mac files) is one too.
      if (c === 10 || (c === 13 && f.charCodeAt(j + 1) !== 10)) n++;
    }
  }
  return n;
}

function quote(s: string): string {
  return `'${s.length > 40 ? s.slice(0, 40) + '...' : s}'`;
}

/** Non-negative seconds with decimals → ms; NaN when not that. */
/** A number of seconds, or h:mm:ss / m:ss, to ms; NaN for anything else. */
export function parseSeconds(s: string): number {
  if (/^\d+(\.\d*)?$|^\.\d+$/.test(s)) return Math.round(Number(s) * 1000);
  // h:mm:ss or m:ss (with decimals), as many CDR exports write durations.
  const m = /^(?:(\d+):)?(\d+):([0-5]\d(?:\.\d*)?)$/.exec(s);
  if (m === null || (m[1] !== undefined && Number(m[2]) > 59)) return NaN;
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const EPOCH = /^(\d{1,11})(?:\.(\d*))?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * ISO 8601 date-time (a missing offset means UTC: CDRs are kept in UTC, and
 * reading it as local time would make replay depend on the machine's zone)
 * or epoch seconds with decimals, to epoch ms rounded to the millisecond.
 * NaN when it is neither. Epoch values of more than 11 integer digits are
 * refused: they are milliseconds, and reading them as seconds would silently
 * land in the year 50000.
 */
/** Why a timestamp could not be read, where a likely cause can be named. */
export function timestampHint(ts: string, quoted: string): string {
  if (/^\d{12,13}(\.\d*)?$/.test(ts)) return `${quoted} looks like epoch milliseconds; expected seconds`;
  if (/^\d{1,2}[/.]\d{1,2}[/.]\d{4}/.test(ts)) return `${quoted}: day and month could be either way round; say which comes first with --date-order dmy (day first, 03.04.2025 is 3 April) or mdy, or write dates as YYYY-MM-DD`;
  return quoted;
}

export function parseTimestamp(s: string): number {
  const c = s.charCodeAt(4);
  // 2025/03/03 08:00:00: year first, so day and month cannot be confused; read as ISO.
  if (c === 47 /* '/' */ && s.charCodeAt(7) === 47 && /^\d{4}$/.test(s.slice(0, 4))) return parseTimestamp(`${s.slice(0, 4)}-${s.slice(5, 7)}-${s.slice(8)}`);
  // 20250303080000: YYYYMMDDhhmmss as switches write it (14 digits; epoch seconds have 10).
  if (s.length === 14 && /^(19|20)\d{12}$/.test(s)) return parseTimestamp(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12)}Z`);
  if (c === 45 /* '-' */) {
    const m = ISO.exec(s);
    if (m === null) return NaN;
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1) return NaN;
    const leap = mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
    if (d > (DAYS[mo - 1] as number) + (leap ? 1 : 0)) return NaN;
    const h = m[4] === undefined ? 0 : Number(m[4]);
    const mi = m[5] === undefined ? 0 : Number(m[5]);
    const sec = m[6] === undefined ? 0 : Number(m[6]);
    if (h > 23 || mi > 59 || sec > 60) return NaN; // 60: a leap second, which Date.UTC rolls into the next minute
    const frac = m[7] === undefined ? 0 : Math.round(Number('0.' + m[7]) * 1000);
    let t = Date.UTC(y, mo - 1, d, h, mi, sec) + frac;
    if (m[9] !== undefined) {
      const oh = Number(m[10]);
      const om = m[11] === undefined ? 0 : Number(m[11]);
      if (oh > 23 || om > 59) return NaN;
      const off = (oh * 60 + om) * 60_000;
      t += m[9] === '-' ? off : -off;
    }
    return t;
  }
  const m = EPOCH.exec(s);
  if (m === null) return NaN;
  const whole = Number(m[1]) * 1000;
  return m[2] ? whole + Math.round(Number('0.' + m[2]) * 1000) : whole;
}
