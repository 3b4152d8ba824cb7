/**
 * Header → field mapping: the documented names win; common CDR names stand
 * in where one is missing, and say so; two candidates for one field, or a
 * missing required field, stop the run with a message naming the columns.
 */
import t from 'tap';
import { CsvInputError } from '../../lib/replay/csv-error.js';
import { KNOWN_COLUMNS, mapColumns, normaliseColumn } from '../../lib/replay/columns.js';

const fields = (names: string[]): Record<string, number> => Object.fromEntries(mapColumns(names).index);

t.test('documented names, any case, any order; separators normalised', async (t) => {
  t.same(fields(['Callee', 'TIMESTAMP', 'caller', 'Call-ID', 'status']), { callee: 0, timestamp: 1, caller: 2, call_id: 3, status: 4 });
  t.same(mapColumns(['timestamp', 'caller', 'callee']).aliased, []);
  t.equal(normaliseColumn('  Start  Time '), 'start_time');
});

t.test('a typical SBC export is read as it is, and the aliases are reported', async (t) => {
  const names = ['Start Time', 'Call-ID', 'A-Number', 'B-Number', 'Trunk', 'SIP Status', 'Ring Time', 'Talk Time'];
  const m = mapColumns(names);
  t.same(Object.fromEntries(m.index), { timestamp: 0, call_id: 1, caller: 2, callee: 3, source: 4, status: 5, ring: 6, duration: 7 });
  t.same(m.aliased, [['timestamp', 'Start Time'], ['caller', 'A-Number'], ['callee', 'B-Number'], ['source', 'Trunk'], ['status', 'SIP Status'], ['ring', 'Ring Time'], ['duration', 'Talk Time']]);
  t.same(Object.fromEntries(mapColumns(['timestamp', 'caller', 'callee', 'duration', 'talk_time']).index).duration, 3, "a 'duration' column wins over other talk aliases");
});

t.test('Asterisk CDR columns', async (t) => {
  const m = mapColumns(['calldate', 'clid', 'src', 'dst', 'dcontext', 'channel', 'duration', 'billsec', 'disposition', 'uniqueid']);
  t.same(Object.fromEntries(m.index), { duration: 7, timestamp: 0, call_id: 9, caller: 2, callee: 3, status: 8 }, "billsec, not Asterisk's duration (which includes the ringing)");
  t.same(m.aliased[0], ['duration', 'billsec']);
});

t.test('a documented name beats an alias; two aliases for one field are refused', async (t) => {
  t.same(fields(['timestamp', 'caller', 'callee', 'cli', 'to']), { timestamp: 0, caller: 1, callee: 2 });
  t.throws(() => mapColumns(['timestamp', 'src', 'cli', 'callee']), new CsvInputError("columns 'src' and 'cli' could each be the caller: rename the one to use to 'caller'"));
  t.throws(() => mapColumns(['timestamp', 'caller', 'caller', 'callee']), /names column 'caller' twice/);
});

t.test('missing required columns are named, with what was found', async (t) => {
  t.throws(() => mapColumns(['when', 'caller', 'number']), /header lacks required columns 'timestamp', 'callee'; found: 'when', 'caller', 'number'/);
  let msg = '';
  try {
    mapColumns(['when', 'caller', 'number']);
  } catch (e) {
    msg = (e as Error).message;
  }
  t.notMatch(msg, /separated by commas/, 'no separator hint on a comma header');
  t.throws(() => mapColumns(['Start Time;A-Number;B-Number, note']), /\. The header is one column holding ';': the header line has a comma as well/);
  t.throws(() => mapColumns(['start\tcaller\tcallee']), /one column holding '\\t'/);
});

t.test('no alias is a documented name or stands for two fields', async (t) => {
  const { COLUMN_ALIASES } = await import('../../lib/replay/columns.js');
  const seen = new Map<string, string>();
  for (const [field, aliases] of Object.entries(COLUMN_ALIASES)) {
    for (const a of aliases) {
      t.notOk((KNOWN_COLUMNS as readonly string[]).includes(a), `${a} is not a documented name`);
      t.notOk(seen.has(a), `${a} stands for ${field} only (also ${seen.get(a)})`);
      t.equal(normaliseColumn(a), a, `${a} is written normalised`);
      seen.set(a, field);
    }
  }
});

t.test('a verdict column (Fraud, is_spam ...) is read as the label: 0, false and no are legitimate', async (t) => {
  const m = mapColumns(['timestamp', 'caller', 'callee', 'Fraud']);
  t.equal(m.index.get('label'), 3);
  t.same(m.aliased, [['label', 'Fraud']]);
  t.equal(mapColumns(['timestamp', 'caller', 'callee', 'label', 'is_spam']).index.get('label'), 3, "a 'label' column wins");
  t.throws(() => mapColumns(['timestamp', 'caller', 'callee', 'fraud', 'is_spam']), /label/, 'two candidates are refused, not guessed between');
});
