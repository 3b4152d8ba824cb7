/** `ringfence replay` and `ringfence generate`, registered on the main CLI program. */
import { createWriteStream, openSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CompiledRules } from '../engine/config.js';
import { ZoneClock } from './zone.js';
import { loadRulesDetailed } from '../rules/load.js';
import { RulesError } from '../rules/errors.js';
import { BadRows, CsvInputError, DATE_ORDERS, KNOWN_COLUMNS, readCalls, type DateOrder } from './csv.js';
import { BaselineRecorder, Comparer, formatComparison, TeeSink, type Comparison } from './compare.js';
import { DecisionLog, type DecisionSink } from './decisions.js';
import { FRAUD_KINDS, roamingSubscribers, writeTraffic } from './generate.js';
import { Engine } from '../engine/engine.js';
import { DEFAULT_REORDER_MS, replay } from './replay.js';
import { DEFAULT_TOP, formatSummary, MAX_TOP, type ReplaySummary } from './summary.js';

/** Files at least this big get a progress bar (when stderr is a terminal). */
const PROGRESS_BYTES = 16 * 1024 * 1024;

function number(name: string, { min = -Infinity, max = Infinity, integer = false } = {}) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : max < Infinity ? ` of at most ${max}` : '';
      throw new InvalidArgumentError(`${name} must be ${integer ? 'an integer' : 'a number'}${range}`);
    }
    return n;
  };
}

/** A one-line bar on stderr, redrawn at most ten times a second. */
class Progress {
  private last = 0;
  private readonly t0 = Date.now();
  constructor(private readonly total: number) {}
  update(bytes: number, rows: number): void {
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const f = Math.min(1, bytes / this.total);
    const width = 30;
    const done = Math.round(f * width);
    const rate = rows / Math.max(0.001, (now - this.t0) / 1000);
    process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(f * 100).toFixed(0).padStart(3)}%  ${rows} rows  ${Math.round(rate)} rows/s `);
  }
  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}

export function registerReplayCommands(program: Command): void {
  program
    .command('replay')
    .argument('<calls>', "call records with a header row: comma-, semicolon-, tab- or bar-separated (the header line decides), plain or gzip-compressed ('-' for stdin)")
    .requiredOption('-r, --rules <file>', 'rules file (YAML) to back-test')
    .option('-d, --decisions <file>', 'write one JSON line per call, in input order, to this file')
    .option('--json', 'print the summary as JSON instead of text')
    .option('--reorder <seconds>', 'how long rows wait to be put in time order: a row is replayed in place as long as no later call has been replayed yet, which holds for rows up to this much earlier than the newest before them (near the start of a file, for any)', number('--reorder', { min: 0 }), DEFAULT_REORDER_MS / 1000)
    .option('--by <column>', "also tabulate by this column (e.g. 'kind' in generated traffic)")
    .option('--timezone <zone>', 'IANA time zone of timestamps written without an offset, as many switch exports write local time (e.g. Asia/Shanghai)', 'UTC')
    .addOption(new Option('--date-order <order>', "how to read dates written with the year last, which are refused otherwise: 'dmy' day first (03.04.2025 is 3 April, as most of Europe and Asia write them), 'mdy' month first (US)").choices(DATE_ORDERS))
    .option('--bad-rows <n>', 'list at most this many bad rows in the summary', number('--bad-rows', { min: 0, integer: true }), 20)
    .option('--top <n>', 'list this many callers with the most rejected calls, with their first reject (the legitimate ones when the file is labelled; 0: none)', number('--top', { min: 0, max: MAX_TOP, integer: true }), DEFAULT_TOP)
    .option('--baseline <file>', 'also replay with this rules file (the one in service) and show which calls change action')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .summary('back-test a rules file against call records in virtual time')
    // Paragraphs without hard line breaks: commander wraps them to the terminal width.
    .description(
      'Run the real engine over call records as if they were live: every row is an INVITE at its timestamp; ' +
      'a call the rules let through then gets its final response at timestamp + ring and, if answered, its ' +
      'hang-up at timestamp + ring + duration, fed back to the statistics in time order. A rejected call never ' +
      "happened, so its outcome is never seen. Same file and rules, same output, byte for byte. The file is " +
      "streamed: memory follows the rules' table limits, not the file size.\n\n" +
      'Prints calls by action and, when there is a label column, how each label fared and the share of fraud ' +
      'and of legitimate calls rejected and tagged. Bad rows (unreadable time, missing callee, a status that is ' +
      'not a SIP code, broken quoting, rows out of time order beyond --reorder) are counted, listed by line ' +
      'number and skipped; they never stop the run.',
    )
    .addHelpText('after', `
Input columns (header row; any order; names are case-insensitive; other columns are ignored;
common CDR names are read where the name below is absent, and the summary says which:
a_number/calling_number/caller_id_number/src_user/cli/src/from as caller,
b_number/called_number/destination_number/dst_user/dnis/dst/to as callee,
start_time/calldate/setup_time/time as timestamp, callid/uniqueid as call_id,
trunk/trunk_group_in/source_ip as source, disposition/call_result/sip_code/sip_status as status,
ring_time/ring_duration as ring, billsec/talk_time/conversation_duration as duration,
fraud/is_fraud/is_spam/ground_truth as label; spaces, '-' and '.' in a name read as '_'):
  timestamp  required  INVITE time: ISO 8601 (2025-03-03T08:00:00.250Z; no offset means --timezone; also
                       2025/03/03 08:00:00 and 20250303080000) or epoch seconds with decimals
                       (1740988800.25); year-last dates (03.04.2025 10:00) only with --date-order, as they read both ways
  caller     required  caller as presented: +44..., 0044..., sip:+44...@host, tel:+44-..., ...; empty: no caller ID
  callee     required  callee as presented
  call_id              defaults to the data row number (1 = first row after the header)
  source               ingress peer IP or trunk name
  status               final SIP status: 2xx answered, 3xx-6xx not; or a disposition word:
                       ANSWERED 200, NO ANSWER 480, BUSY 486, CANCEL(LED) 487, FAILED/CONGESTION 503
  ring                 seconds (or m:ss) from INVITE to the final response; when absent, 0 for an answered
                       call and stats.quick_ring for a failed one (never counted as a quick ring)
  duration             talk seconds (or h:mm:ss); a row with no status counts as answered when duration > 0
                       and as not answered (480) when it is 0
  label                '', legit (also 0, false, normal, benign, ...) = legitimate; anything else
                       (1, fraud, wangiri ...) names a kind of fraud
  A row with no status and no duration has no known outcome: the engine never hears back.

Input order: sorted by timestamp, or nearly. Rows wait in a reorder buffer of --reorder seconds;
a row older than a call already replayed is reported as a bad row ('out of order'), never
replayed at a wrong time. Sort the file (or raise --reorder) if many rows are reported.

Decision log (--decisions), one JSON object per line, in input order:
  {"call_id","action","score","reasons":[{"signal","points","detail"}],"code"?,"rejected_by"?,"would_be"?,
   "at","caller","callee","label"?,"scope","line"}

Comparing with the rules in service (--baseline OLD.yaml): the records are replayed twice, with
OLD.yaml and with --rules, and the summary gains a table of calls by action before and after
(split into legitimate and fraud with a label column) and the first calls of each kind of change,
with the action, score and strongest reasons on both sides. Read this before putting a rules change live.

Exit status: 0 when the replay ran (even with bad rows), 1 when the rules or the file cannot be used.

Examples:
  $ ringfence generate --seed 7 > traffic.csv
  $ ringfence replay traffic.csv --rules examples/rules/china-ingress.yaml
  $ ringfence replay cdrs.csv -r rules.yaml --decisions out.jsonl --json | jq .labels
  $ ringfence replay traffic.csv -r rules.yaml --by kind       # per population of generated traffic
  $ ringfence replay cdrs.csv -r new.yaml --baseline live.yaml   # what the change would change
`)
    .action(async (file: string, o: { rules: string; decisions?: string; json?: boolean; reorder: number; by?: string; timezone: string; dateOrder?: DateOrder; badRows: number; top: number; progress: boolean; baseline?: string }, cmd: Command) => {
      const fail = (msg: string): void => {
        process.stderr.write(`ringfence replay: ${msg}\n`);
        process.exitCode = 1;
      };
      let rulesZone = 'UTC';
      const load = async (path: string): Promise<CompiledRules | undefined> => {
        try {
          const loaded = await loadRulesDetailed(path);
          if (path === o.rules) rulesZone = loaded.meta.timezone;
          return loaded.rules;
        } catch (err) {
          if (err instanceof RulesError) return void fail(`rules file ${path} has ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}:\n${err.message}`);
          throw err;
        }
      };
      try {
        new ZoneClock(o.timezone);
      } catch (err) {
        return fail(`--timezone: ${(err as Error).message}`);
      }
      if (o.decisions !== undefined) {
        // Before any replay pass: a wrong --decisions path should not cost a whole (baseline) replay first.
        const dir = dirname(o.decisions);
        let isDir = false;
        try {
          isDir = statSync(dir).isDirectory();
        } catch {
          // reported below
        }
        if (!isDir) return fail(`--decisions ${o.decisions}: directory ${dir} does not exist`);
      }
      const rules = await load(o.rules);
      if (!rules) return;
      if (o.baseline !== undefined && file === '-') return fail('--baseline reads the records twice: give a file, not stdin');
      const baseRules = o.baseline === undefined ? undefined : await load(o.baseline);
      if (o.baseline !== undefined && !baseRules) return;
      let size = 0;
      if (file !== '-') {
        try {
          size = statSync(file).size;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'ENOENT' ? 'no such file (ENOENT)' : code === 'EACCES' ? 'permission denied (EACCES)' : (code ?? (err as Error).message);
          return fail(`cannot read ${file}: ${why}`);
        }
      }
      const showBar = o.progress && process.stderr.isTTY && size >= PROGRESS_BYTES;
      const bar = showBar ? new Progress(size) : undefined;
      let bad = new BadRows(o.badRows);
      // How both passes read the file: the baseline's reading must be the one it is compared with.
      const reading = { timeZone: o.timezone, ...(o.dateOrder ? { dateOrder: o.dateOrder } : {}) };
      try {
        // The baseline pass first: its decisions are recorded (action, score and interned reasons per row) for the comparer.
        let comparer: Comparer | undefined;
        if (baseRules !== undefined) {
          const baseReader = readCalls(file, { bad, ...reading });
          const recorder = new BaselineRecorder();
          const baseBar = showBar ? new Progress(size) : undefined;
          await replay(baseReader, new Engine(baseRules), {
            reorder: o.reorder * 1000,
            bad,
            sink: recorder,
            // Only its decisions are used (the comparer's): no caller list to keep.
            top: 0,
            rowsRead: () => baseReader.rows,
            ...(baseBar ? { progress: (n: number) => baseBar.update(baseReader.sourceBytes, n) } : {}),
          });
          baseBar?.clear();
          bad = new BadRows(o.badRows);
          comparer = new Comparer(recorder, o.baseline as string, () => reader.hasLabel);
        }
        const reader = readCalls(file === '-' ? process.stdin : file, { bad, ...reading, ...(o.by ? { by: o.by } : {}) });
        const log = o.decisions ? DecisionLog.toFile(o.decisions) : undefined;
        const sinks: DecisionSink[] = [...(log ? [log] : []), ...(comparer ? [comparer] : [])];
        const sink = sinks.length === 0 ? undefined : sinks.length === 1 ? sinks[0] : new TeeSink(sinks);
        // The label column is known once the header is read, which happens before the first row reaches replay.
        const summary: ReplaySummary & { comparison?: Comparison } = await replay(reader, new Engine(rules), {
          reorder: o.reorder * 1000,
          bad,
          get labelled() {
            return reader.hasLabel;
          },
          ...(o.by ? { by: o.by.trim().toLowerCase() } : {}),
          top: o.top,
          ...(sink ? { sink } : {}),
          rowsRead: () => reader.rows,
          ...(bar ? { progress: (n: number) => bar.update(reader.sourceBytes, n) } : {}),
        });
        if (comparer) summary.comparison = comparer.result();
        bar?.clear();
        if (log) await log.close();
        // Say which columns were read under other names (a_number as caller ...): the reader guessed nothing else.
        const aliased = reader.aliased.map(([field, name]) => `${field} from '${name}'`).join(', ');
        const out: typeof summary & { columns?: Record<string, string> } = reader.aliased.length ? { ...summary, columns: Object.fromEntries(reader.aliased) } : summary;
        const text = (): string =>
          formatSummary(summary, `Replay of ${file} with rules ${o.rules}`) +
          (aliased ? `\nColumns read under other names: ${aliased}\n` : '') +
          // An operator's own verdict column ('Fraud', 'is_spam') is not guessed at: say it was not read.
          (reader.ignored.length
            ? `${aliased ? '' : '\n'}Columns not read: ${reader.ignored.map((n) => `'${n}'`).join(', ')}` +
              `${reader.hasLabel ? '' : " (name a column 'label' to see how legitimate and fraud calls fared)"}\n`
            : '') +
          (summary.comparison ? '\n' + formatComparison(summary.comparison) : '');
        process.stdout.write(o.json ? JSON.stringify(out, null, 2) + '\n' : text());
        // Switch exports often write local time without an offset: read as UTC, a night scope of the rules'
        // zone would fall eight hours off for a Chinese file, and nothing in the figures would show it.
        if (reader.naiveFirst !== undefined && cmd.getOptionValueSource('timezone') === 'default' && !/^(etc\/)?utc$/i.test(rulesZone)) {
          process.stderr.write(`ringfence replay: note: timestamps without a UTC offset (the first: '${reader.naiveFirst}') were read as UTC, while the rules keep time in ${rulesZone}; if the file is in local time, replay with --timezone ${rulesZone}\n`);
        }
        // Without outcomes every behaviour signal is blind, and a clean-looking summary would hide it.
        if (!reader.hasOutcomes && summary.calls > 0) {
          process.stderr.write(`ringfence replay: note: no status or duration column, so no call's outcome is known: the behaviour signals (unanswered, short calls, wangiri, ...) cannot fire, and only caller-ID rules and call counts reject; name the final SIP status (or disposition) column 'status' and the talk time 'duration'\n`);
        }
        // Exports that give every unanswered call one cause ('NO ANSWER') carry no cancels: the engine counts
        // ring-outs as cancels then (cancel-evidence.ts), but quick ones never, so wangiri stays blind.
        if (reader.cancelledRows === 0 && reader.noAnswerRows >= 50) {
          process.stderr.write(`ringfence replay: note: no call in this file was cancelled while it rang (487), and ${reader.noAnswerRows.toLocaleString('en-US')} went unanswered (480 or 408, 'NO ANSWER'): the export gives every unanswered call one cause, so signals that count only cancels cannot tell one-ring bait from a switched-off phone, and wangiri cannot fire (the no-conversation tests still see those callers; docs/tuning.md, "Call records without cancels")\n`);
        }
        // Local times around a clock change name two instants or none: said, with what was made of them.
        const changes = reader.clockChanges;
        if (changes !== null && changes.repeated > 0) {
          process.stderr.write(`ringfence replay: note: ${changes.repeated.toLocaleString('en-US')} timestamps (the first: '${changes.firstRepeated}') fell in an hour ${o.timezone} repeats when its clocks go back; each was read as the occurrence nearer the row before it, so a file in time order stays in order\n`);
        }
        if (changes !== null && changes.skipped > 0) {
          process.stderr.write(`ringfence replay: note: ${changes.skipped.toLocaleString('en-US')} timestamps (the first: '${changes.firstSkipped}') name a time ${o.timezone} skips when its clocks go forward; they were read with the offset from before the change\n`);
        }
      } catch (err) {
        bar?.clear();
        if (err instanceof CsvInputError) return fail(`${file}: ${err.message}`);
        const e = err as NodeJS.ErrnoException;
        // --decisions /dev/stdout | head: the reader closing the pipe is it saying it has enough.
        if (e.code === 'EPIPE') return;
        if (e.code && e.syscall && o.decisions !== undefined && e.path === o.decisions) return fail(`--decisions: cannot write ${o.decisions}: ${e.code}`);
        if (e.code && e.syscall) return fail(`${e.message}`);
        throw err;
      }
    });

  program
    .command('generate')
    .option('--hours <h>', 'length of the traffic in hours', number('--hours', { min: 0.001 }), 24)
    .option('--seed <n>', 'seed: the same seed gives the same file, byte for byte', number('--seed', { min: 0, integer: true }), 1)
    .option('--scale <x>', 'volume multiplier (1 is about 50-80k calls a day)', number('--scale', { min: 0.001 }), 1)
    .option('--home <CC>', 'home country (ISO 3166 alpha-2) receiving the calls', 'CN')
    .option('--start <iso>', 'start time, ISO 8601 (default Monday 2025-03-03 00:00 home time)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--roaming-out <file>', 'also write the home subscribers registered abroad during the run (an HLR/HSS export: the roamers that call and many that do not), one E.164 number a line')
    .summary('write realistic, labelled international-ingress traffic as CSV')
    .description(
      'Simulate inbound international calls into a home country and print them as CSV call records, sorted by ' +
      'time, ready for `ringfence replay`. Every row carries a label (legit or the kind of fraud) and a kind ' +
      '(the population that made it).\n\n' +
      'Deterministic for a seed. Population sizes, rates, burst sizes and answer rates vary with the seed, so ' +
      'rules tuned on one seed can be checked on others. Numbers are valid for their country (libphonenumber, ' +
      'max metadata) except invalid caller IDs, and arrive in mixed real-world formats (+CC, 00CC, spaces and ' +
      'dashes, sip: and tel: URIs, name-addr) that depend on the ingress route, not on the label.',
    )
    .addHelpText('after', `
Columns: ${['timestamp', 'call_id', 'caller', 'callee', 'source', 'status', 'ring', 'duration', 'label', 'kind'].join(', ')}
  (replay reads ${KNOWN_COLUMNS.join(', ')}; use --by kind to tabulate populations)

Legitimate populations (label legit, kind ...):
  person        people abroad calling family and friends: diurnal, 50-70% answered, log-normal talk
  redial        the same people redialling a line that does not answer (switched off, busy)
  business      airlines, banks, couriers calling many customers: high volume, long answered calls,
                a few caller IDs from one block
  popular-line  hotels, consulates, airline desks called by many different foreigners
  conference    conference bridges dialled by a dozen countries within minutes of each meeting
  roaming       home subscribers abroad calling family and work with their home mobile
                (listed with --roaming-out, as the HLR would list them)
Fraud (label = kind):
  ${FRAUD_KINDS.join(', ')}
  wangiri: one-ring bursts across many callees; robocall: many callees, short answered calls;
  rotating-cli: every call from another number of one block; spoofed-home: home-country caller IDs
  from abroad; fan-in: a flood of foreign numbers on one local number; toll-free-cli: +800 UIFN and
  national toll-free caller IDs; nuisance: one call every few minutes for hours; invalid-cli:
  unassigned codes, impossible area codes, wrong lengths.

Examples:
  $ ringfence generate > traffic.csv                          # 24 h, seed 1
  $ ringfence generate --hours 168 --seed 3 --scale 0.5 -o week.csv
  $ for s in 1 2 3 4 5; do ringfence generate --seed $s > s$s.csv; done
  $ ringfence generate --seed 2 --roaming-out roaming-now.txt > s2.csv
`)
    .action(async (o: { hours: number; seed: number; scale: number; home: string; start?: string; out?: string; roamingOut?: string }) => {
      const opts = { hours: o.hours, seed: o.seed, scale: o.scale, home: o.home, ...(o.start ? { start: o.start } : {}) };
      if (o.roamingOut) {
        try {
          const { all } = roamingSubscribers(opts);
          writeFileSync(o.roamingOut, `# home subscribers registered abroad: ringfence generate --seed ${o.seed} --hours ${o.hours} --scale ${o.scale}\n${all.join('\n')}\n`);
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          process.stderr.write(`ringfence generate: ${e.syscall ? `cannot write ${o.roamingOut}: ${e.code ?? e.message}` : e.message}\n`);
          process.exitCode = 1;
          return;
        }
      }
      let out: Writable = process.stdout;
      if (o.out) {
        // Opened here, not by the stream: an open error would otherwise surface as an unhandled 'error' event after the last write.
        try {
          out = createWriteStream('', { fd: openSync(o.out, 'w') });
        } catch (err) {
          process.stderr.write(`ringfence generate: cannot write ${o.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
          process.exitCode = 1;
          return;
        }
      }
      try {
        await writeTraffic(opts, out);
      } catch (err) {
        // A closed pipe (`| head`) is the reader saying it has enough.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        if (err instanceof RangeError || (err as NodeJS.ErrnoException).syscall) {
          process.stderr.write(`ringfence generate: ${(err as Error).message}\n`);
          process.exitCode = 1;
          return;
        }
        throw err;
      } finally {
        if (o.out && !out.destroyed) await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
      }
    });
}

