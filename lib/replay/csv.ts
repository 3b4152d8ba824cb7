/**
 * Streaming reader of call records (CSV with a header row) for replay.
 *
 * Columns may come in any order and unknown ones are ignored, so a CDR export
 * can be fed as it is. A bad row (unparseable time, missing caller, a status
 * that is not a SIP code, malformed quoting) is counted and reported with its
 * line number and skipped; it never stops the run. Only a file whose header
 * lacks a required column is refused outright, since no row of it could be read.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

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
  source?: string;
  /** Final SIP status. */
  status?: number;
  /** INVITE to final response, ms. */
  ring?: number;
  /** Talk time, ms. */
  duration?: number;
  /** '' and 'legit' mean legitimate; anything else names a kind of fraud. Undefined when empty. */
  label?: string;
  /** Value of the `--by` column, when one was asked for. */
  group?: string;
}

export const REQUIRED_COLUMNS = ['timestamp', 'caller', 'callee'] as const;
export const KNOWN_COLUMNS = ['timestamp', 'call_id', 'caller', 'callee', 'source', 'status', 'ring', 'duration', 'label'] as const;

/** The file cannot be replayed at all (no header, a required column missing). */
export class CsvInputError extends Error {
  override name = 'CsvInputError';
}

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
}

type Col = (typeof KNOWN_COLUMNS)[number];

/**
 * Call records from a CSV file or stream. Iterate it once; `bad`, `columns`,
 * `hasLabel` and `bytes` fill in as it is read.
 */
export class CallReader implements AsyncIterable<Row> {
  readonly bad: BadRows;
  /** Header names, lower-cased, as found. */
  columns: string[] = [];
  /** Whether the header has a `label` column. */
  hasLabel = false;
  /** Bytes parsed so far (for progress). */
  bytes = 0;
  /** Data rows seen so far, bad ones included. */
  rows = 0;
  private readonly input: string | Readable;
  private readonly by: string | undefined;
  private idx: Record<Col, number> = Object.fromEntries(KNOWN_COLUMNS.map((c) => [c, -1])) as Record<Col, number>;
  private byIdx = -1;
  /** Line on which the next record starts. */
  private nextLine = 1;
  private headerSeen = false;
  private used = false;

  constructor(input: string | Readable, opts: ReadOptions = {}) {
    this.input = input;
    this.by = opts.by?.trim().toLowerCase() || undefined;
    this.bad = opts.bad ?? new BadRows();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Row> {
    if (this.used) throw new Error('a CallReader can be iterated only once');
    this.used = true;
    const source = typeof this.input === 'string' ? createReadStream(this.input, { highWaterMark: 1 << 20 }) : this.input;
    let failure: Error | undefined;
    /** Malformed records csv-parse skipped, with how many records it had emitted before each. */
    const skips: { records: number; lines: number; err: CsvError | undefined }[] = [];
    // Rows are built here, not in csv-parse's on_record: that hook makes the parser build an info object per record,
    // a third of its cost. Line numbers are counted instead (see onRecord).
    const parser = parse({
      bom: true,
      relax_column_count: true,
      // A stray quote (`"abc"x`, `a"b`) stays literal text: without this csv-parse loses its place and swallows the rows after it.
      relax_quotes: true,
      // Blank lines are kept (and dropped in onRecord) so that line counting sees every line.
      skip_empty_lines: false,
      skip_records_with_error: true,
      on_skip: (err) => {
        const e = err as (CsvError & { records?: number; lines?: number }) | undefined;
        skips.push({ records: e?.records ?? Infinity, lines: e?.lines ?? 0, err });
        return undefined;
      },
    });
    source.on('error', (err: Error) => parser.destroy(err));
    parser.on('error', (err: Error) => {
      failure ??= err;
      source.destroy();
    });
    source.pipe(parser);
    let ended = false;
    parser.once('end', () => {
      ended = true;
    });
    let consumed = 0;
    try {
      // Pull with read() and wait only when the parser is empty: far cheaper per row than the stream's own async iterator.
      for (;;) {
        let rec: string[] | null;
        while ((rec = parser.read() as string[] | null) !== null) {
          // A skipped record sits between the records emitted before and after it.
          while (skips.length > 0 && (skips[0] as { records: number }).records <= consumed) this.onSkip(skips.shift()!);
          consumed++;
          const row = this.onRecord(rec);
          if (row !== null) yield row;
        }
        if (failure) throw failure;
        if (ended || parser.readableEnded) break;
        this.bytes = parser.info.bytes;
        await new Promise<void>((resolve) => {
          const done = (): void => {
            parser.off('readable', done);
            parser.off('end', done);
            parser.off('error', done);
            parser.off('close', done);
            resolve();
          };
          parser.on('readable', done);
          parser.on('end', done);
          parser.on('error', done);
          parser.on('close', done);
        });
      }
      if (failure) throw failure;
      for (const sk of skips) this.onSkip(sk);
      this.bytes = parser.info.bytes;
    } finally {
      // Also on an early break by the consumer: release the file.
      source.destroy();
      parser.destroy();
    }
    if (!this.headerSeen) throw new CsvInputError('empty input: expected a header row naming at least timestamp, caller, callee');
  }

  private onSkip(sk: { lines: number; err: CsvError | undefined }): void {
    const line = this.nextLine;
    // The record ended on the line where the parser gave up on it.
    this.nextLine = Math.max(this.nextLine + 1, sk.lines + 1);
    if (!this.headerSeen) return; // a broken header is reported by the missing-column check
    this.rows++;
    const code = sk.err?.code;
    const what = code === 'CSV_QUOTE_NOT_CLOSED' ? 'quote not closed before end of file'
      : code === 'CSV_INVALID_CLOSING_QUOTE' ? 'text after a closing quote'
      : (sk.err?.message ?? 'unreadable record').split('\n')[0] as string;
    this.bad.add(line, 'malformed CSV', what);
  }

  private onRecord(rec: string[]): Row | null {
    const line = this.nextLine;
    this.nextLine = line + 1 + newlines(rec);
    if (isBlank(rec)) return null;
    if (!this.headerSeen) {
      this.header(rec);
      return null;
    }
    const rowNo = ++this.rows;
    const ix = this.idx;

    const ts = field(rec, ix.timestamp);
    if (ts === '') {
      this.bad.add(line, 'missing timestamp');
      return null;
    }
    const at = parseTimestamp(ts);
    if (Number.isNaN(at)) {
      this.bad.add(line, 'unparseable timestamp', /^\d{12,}(\.\d*)?$/.test(ts) ? `${quote(ts)} looks like epoch milliseconds; expected seconds` : quote(ts));
      return null;
    }
    const caller = field(rec, ix.caller);
    if (caller === '') {
      this.bad.add(line, 'missing caller');
      return null;
    }
    const callee = field(rec, ix.callee);
    if (callee === '') {
      this.bad.add(line, 'missing callee');
      return null;
    }
    const id = field(rec, ix.call_id);
    const row: Row = { row: rowNo, line, callId: id === '' ? String(rowNo) : id, at, caller, callee };

    const source = field(rec, ix.source);
    if (source !== '') row.source = source;
    const status = field(rec, ix.status);
    if (status !== '') {
      const s = Number(status);
      if (!(Number.isInteger(s) && s >= 100 && s <= 699)) {
        this.bad.add(line, 'bad status', `${quote(status)} is not a SIP status code`);
        return null;
      }
      row.status = s;
    }
    const ring = field(rec, ix.ring);
    if (ring !== '') {
      const v = seconds(ring);
      if (Number.isNaN(v)) {
        this.bad.add(line, 'bad ring', `${quote(ring)} is not a number of seconds`);
        return null;
      }
      row.ring = v;
    }
    const duration = field(rec, ix.duration);
    if (duration !== '') {
      const v = seconds(duration);
      if (Number.isNaN(v)) {
        this.bad.add(line, 'bad duration', `${quote(duration)} is not a number of seconds`);
        return null;
      }
      row.duration = v;
    }
    const label = field(rec, ix.label);
    if (label !== '') row.label = label;
    if (this.byIdx >= 0) row.group = field(rec, this.byIdx);
    return row;
  }

  private header(rec: string[]): void {
    this.headerSeen = true;
    this.columns = rec.map((h) => h.trim().toLowerCase());
    const seen = new Set<string>();
    for (let i = 0; i < this.columns.length; i++) {
      const name = this.columns[i] as string;
      if ((KNOWN_COLUMNS as readonly string[]).includes(name)) {
        if (seen.has(name)) throw new CsvInputError(`header names column '${name}' twice`);
        seen.add(name);
        this.idx[name as Col] = i;
      }
      if (this.by !== undefined && name === this.by && this.byIdx < 0) this.byIdx = i;
    }
    const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
    if (missing.length > 0) {
      throw new CsvInputError(
        `header lacks required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}; ` +
          `found: ${this.columns.map((c) => `'${c}'`).join(', ')} (columns: ${KNOWN_COLUMNS.join(', ')}; any order, others ignored)`,
      );
    }
    if (this.by !== undefined && this.byIdx < 0) throw new CsvInputError(`--by column '${this.by}' is not in the header (found: ${this.columns.join(', ')})`);
    this.hasLabel = seen.has('label');
  }
}

/** Read call records from a file path or a stream. */
export function readCalls(input: string | Readable, opts: ReadOptions = {}): CallReader {
  return new CallReader(input, opts);
}

/** Line breaks inside (quoted) fields: a record spans one line more for each. */
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

function isBlank(rec: string[]): boolean {
  for (let i = 0; i < rec.length; i++) if ((rec[i] as string).trim() !== '') return false;
  return true;
}

function field(rec: string[], i: number): string {
  if (i < 0 || i >= rec.length) return '';
  return (rec[i] as string).trim();
}

function quote(s: string): string {
  return `'${s.length > 40 ? s.slice(0, 40) + '...' : s}'`;
}

/** Non-negative seconds with decimals → ms; NaN when not that. */
function seconds(s: string): number {
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(s)) return NaN;
  return Math.round(Number(s) * 1000);
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
export function parseTimestamp(s: string): number {
  const c = s.charCodeAt(4);
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
