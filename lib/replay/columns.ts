/**
 * Which header column is which field of a call record.
 *
 * The documented names (timestamp, caller, callee ...) always win. Where one
 * is missing, the names switch and CDR exports commonly use for the same
 * thing are taken instead (a_number, calling_number, cli; b_number, dnis;
 * start_time; billsec ...), and the reader says which it took, so a file
 * exported from an SBC can be replayed as it is. Two candidates for one field
 * are refused rather than guessed between.
 */
import { CsvInputError } from './csv-error.js';

export const KNOWN_COLUMNS = ['timestamp', 'call_id', 'caller', 'callee', 'source', 'status', 'ring', 'duration', 'label'] as const;
export type Column = (typeof KNOWN_COLUMNS)[number];
export const REQUIRED_COLUMNS = ['timestamp', 'caller', 'callee'] as const;

/**
 * Other names per field, as they appear after normalising (lower case, runs
 * of spaces, '-' and '.' as '_'). Only names whose meaning is not in doubt:
 * no 'duration' alias (Asterisk's duration includes the ringing; billsec is
 * the talk, and wins over a 'duration' column next to it), no 'cause'
 * (Q.850, not SIP), no 'kind'.
 */
export const COLUMN_ALIASES: Readonly<Record<Column, readonly string[]>> = {
  // 'time': Kamailio's acc table (the request's time).
  timestamp: ['start_time', 'starttime', 'start_stamp', 'setup_time', 'invite_time', 'calldate', 'call_date', 'datetime', 'date_time', 'time'],
  call_id: ['callid', 'sip_call_id', 'uniqueid'],
  // caller_id_number and destination_number: FreeSWITCH; src_user and dst_user: Kamailio acc.
  caller: ['calling_number', 'calling', 'calling_party', 'a_number', 'anumber', 'ani', 'cli', 'caller_id', 'callerid', 'caller_id_number', 'caller_number', 'src_user', 'src', 'from'],
  callee: ['called_number', 'called', 'called_party', 'b_number', 'bnumber', 'dnis', 'dst', 'destination', 'destination_number', 'callee_number', 'dst_user', 'to'],
  source: ['trunk', 'ingress_trunk', 'trunk_group_in', 'incoming_trunk', 'inbound_trunk', 'trunk_in', 'in_trunk', 'source_ip', 'src_ip'],
  status: ['sip_status', 'sip_code', 'final_status', 'response_code', 'disposition', 'call_result', 'call_status'],
  ring: ['ring_time', 'ringtime', 'ring_seconds', 'ring_duration', 'ringing_time', 'ringing_duration'],
  duration: ['billsec', 'talk_time', 'talktime', 'talk_seconds', 'talk_duration', 'conversation_time', 'conversation_duration'],
  // A verdict column of 0/1, true/false or yes/no: LEGIT_LABELS reads 0, false and no as legitimate.
  label: ['fraud', 'is_fraud', 'is_spam', 'ground_truth'],
};

/** A field no header names: a date-time, or a number of seven digits or more. */
const LOOKS_LIKE_DATA = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d|$)|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\+?\d{7,})/;

/** Header lines for the headerless exports replay is most often given, in their default field order. */
const ASTERISK_MASTER = 'accountcode,caller,callee,dcontext,clid,channel,dstchannel,lastapp,lastdata,timestamp,answer,end,duration,billsec,status,amaflags,uniqueid,userfield';
const FREESWITCH_DEFAULT = 'caller_id_name,caller,callee,context,timestamp,answer_stamp,end_stamp,duration,billsec,hangup_cause,uuid,bleg_uuid,accountcode,read_codec,write_codec';

/** A header name as compared: lower case, separators as '_'. */
export function normaliseColumn(name: string): string {
  return name.trim().toLowerCase().replace(/[\s.-]+/g, '_');
}

export interface ColumnMap {
  /** Field → column index; absent fields are not in the map. */
  index: Map<Column, number>;
  /** Fields read from a column under another name: [field, name as written]. */
  aliased: Array<[Column, string]>;
}

/** Map a header row to fields; throws CsvInputError naming what is wrong. */
export function mapColumns(names: readonly string[]): ColumnMap {
  const norm = names.map(normaliseColumn);
  const index = new Map<Column, number>();
  for (let i = 0; i < norm.length; i++) {
    const n = norm[i] as string;
    if (!(KNOWN_COLUMNS as readonly string[]).includes(n)) continue;
    if (index.has(n as Column)) throw new CsvInputError(`header names column '${n}' twice`);
    index.set(n as Column, i);
  }
  const aliased: Array<[Column, string]> = [];
  // Asterisk and FreeSWITCH export both: their `duration` includes the ringing, `billsec` is the talk.
  const billsec = norm.indexOf('billsec');
  if (billsec >= 0 && index.has('duration')) {
    index.set('duration', billsec);
    aliased.push(['duration', (names[billsec] as string).trim()]);
  }
  for (const field of KNOWN_COLUMNS) {
    if (index.has(field)) continue;
    const found: number[] = [];
    for (let i = 0; i < norm.length; i++) if (COLUMN_ALIASES[field].includes(norm[i] as string)) found.push(i);
    if (found.length > 1) {
      const which = found.map((i) => `'${(names[i] as string).trim()}'`).join(' and ');
      throw new CsvInputError(`columns ${which} could each be the ${field}: rename the one to use to '${field}'`);
    }
    if (found.length === 1) {
      index.set(field, found[0] as number);
      aliased.push([field, (names[found[0] as number] as string).trim()]);
    }
  }
  // Kamailio's acc 'time' is a date-time; a 'time' beside a 'date' column is only half of one.
  const ts = index.get('timestamp');
  if (ts !== undefined && norm[ts] === 'time' && norm.includes('date')) {
    throw new CsvInputError(`the date and the time are in separate columns ('${(names[norm.indexOf('date')] as string).trim()}' and '${(names[ts] as string).trim()}'): join them into one 'timestamp' column (2025-03-03 08:00:00)`);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) {
    // Asterisk's Master.csv and FreeSWITCH's default cdr-csv have no header row: say so, not which names are missing.
    const data = names.findIndex((n) => LOOKS_LIKE_DATA.test(n.trim()));
    if (data >= 0) {
      const field = (names[data] as string).trim();
      throw new CsvInputError(
        `the first line is a call record, not a header row (field ${data + 1}, '${field.slice(0, 40)}', is a ` +
          `${/^\d{4}/.test(field) && !/^\+?\d+$/.test(field) ? 'time' : 'number'}): add a header line naming the columns ` +
          `(columns: ${KNOWN_COLUMNS.join(', ')}; others are ignored). ` +
          `For Asterisk's Master.csv: ${ASTERISK_MASTER}. For FreeSWITCH's default cdr-csv template: ${FREESWITCH_DEFAULT}`,
      );
    }
    // The reader splits on ';', tabs or '|' only when the header line has no comma: a header mixing them is one column here.
    const sep = names.length === 1 ? [';', '\t', '|'].find((c) => (names[0] as string).includes(c)) : undefined;
    throw new CsvInputError(
      `header lacks required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}; ` +
        `found: ${names.map((c) => `'${c.trim()}'`).join(', ')} (columns: ${KNOWN_COLUMNS.join(', ')}; any order, others ignored)` +
        (sep === undefined
          ? ''
          : `. The header is one column holding '${sep === '\t' ? '\\t' : sep}': the header line has a comma as well, so commas ` +
            `separate the fields; use one separator throughout (commas, or semicolons, tabs or '|' with no comma in the header)`),
    );
  }
  return { index, aliased };
}
