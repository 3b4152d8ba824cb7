/**
 * Replay throughput: one million generated rows through the CSV reader and
 * the real engine as `ringfence replay` builds it, on one core. Reports rows/s for the reader alone and for
 * the full replay (wall and CPU time: CPU is the code's cost when the machine
 * is shared; GC threads count in it), and the process's peak RSS.
 *
 *   npx tsx bench/replay.ts [rows] [--rules FILE] [--decisions] [--stub] [--no-read]
 *   (or after a build: node dist/bench/replay.js ...)
 *
 * --stub replaces engine.decide/observe with a near-free stand-in, so the
 * replay figure is the reader and the replay loop alone (the part outside the
 * engine); --no-read skips the reader-alone pass.
 *
 * The traffic file is generated once (seed 1, 24 h, scaled to the row count)
 * into the temp directory by a child process, so generation never counts
 * toward this process's time or memory; later runs reuse it while the
 * generator's source is unchanged.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { Engine } from '../lib/engine/engine.js';
import type { CallAttempt, CallOutcome, Decision } from '../lib/engine/types.js';
import { compileRulesText, loadRules } from '../lib/rules/load.js';
import { readCalls } from '../lib/replay/csv.js';
import { DecisionLog } from '../lib/replay/decisions.js';
import { NumberClassifier } from '../lib/numbers/classify.js';
import { CSV_HEADER, csvLine, generateCalls } from '../lib/replay/generate.js';
import { replay } from '../lib/replay/replay.js';
import { builtinPlugins } from '../plugins/index.js';
import { benchArgs, wholeNumber } from './cli-args.js';

const USAGE = `Usage: node dist/bench/replay.js [rows] [options]

Replay throughput: generated rows (seed 1, 24 h, scaled to the row count;
written once to the temp directory) through the CSV reader and the engine,
as \`ringfence replay\` runs them, on one core.

Arguments:
  rows             rows to replay (default 1000000)

Options:
  --rules FILE     rules file (default examples/rules/china-ingress.yaml)
  --decisions      also serialise a decision line per call (to nowhere)
  --stub           stub the engine: the reader and the replay loop alone
  --no-read        skip the reader-alone pass
  -h, --help       show this help
`;
const { values: opt, positionals } = benchArgs(
  USAGE,
  {
    rules: { type: 'string' },
    decisions: { type: 'boolean', default: false },
    stub: { type: 'boolean', default: false },
    'no-read': { type: 'boolean', default: false },
    // Internal: the child process that writes the traffic file.
    'generate-only': { type: 'boolean', default: false },
  },
  1,
);
const rows = wholeNumber(positionals[0] ?? '1000000', 'rows', USAGE);
const here = fileURLToPath(new URL('.', import.meta.url));
// bench/ under tsx, dist/bench/ after a build: the example is two levels up from the latter.
const exampleRules = [join(here, '..', 'examples', 'rules', 'china-ingress.yaml'), join(here, '..', '..', 'examples', 'rules', 'china-ingress.yaml')].find((f) => existsSync(f));

/** Every built-in signal at its defaults: the bench's rules when the example file is absent. */
const DEFAULT_RULES = `home_country: CN\nsignals:\n${builtinPlugins.map((p) => `  ${p.name}: {}\n`).join('')}`;

async function generate(file: string, n: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  let buf = CSV_HEADER + '\n';
  let k = 0;
  // About 60k calls a day at scale 1: over-ask and stop at n.
  for (const c of generateCalls({ seed: 1, hours: 24, scale: (n / 50_000) * 1.1 })) {
    buf += csvLine(c) + '\n';
    if (++k === n) break;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  await new Promise<void>((r) => out.end(buf, () => r()));
  renameSync(tmp, file);
}

/**
 * The engine with decide/observe stubbed: every 20th call rejected (so both
 * the rejected and the scheduled-outcome paths of the loop run), one shared
 * decision object per action so the stub allocates nothing.
 */
class StubEngine extends Engine {
  private n = 0;
  private readonly fwd: Decision = { callId: '', action: 'forward', score: 0, reasons: [], scope: 'default', caller: '', callee: '' };
  private readonly rej: Decision = { callId: '', action: 'reject', score: 100, reasons: [{ signal: 'stub', points: 100, detail: 'stub' }], code: 608, scope: 'default', caller: '', callee: '' };
  override decideSafe(_a: CallAttempt): Decision {
    return ++this.n % 20 === 0 ? this.rej : this.fwd;
  }
  override observe(_o: CallOutcome): boolean {
    return true;
  }
}

async function main(): Promise<void> {
  // Keyed by the generator's source, so a changed generator never benches against a stale file.
  const h = createHash('sha256');
  for (const f of ['generate', 'numbering', 'rng']) h.update(readFileSync(join(here, '..', 'lib', 'replay', `${f}.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`)));
  const file = join(tmpdir(), `ringfence-replay-bench-${rows}-${h.digest('hex').slice(0, 10)}.csv`);
  if (opt['generate-only']) return generate(file, rows);
  if (!existsSync(file)) {
    console.log(`generating ${rows} rows into ${file} (once) ...`);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(rows), '--generate-only'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('generation failed');
  }
  const bytes = statSync(file).size;

  const rulesFile = opt.rules ?? exampleRules;
  const rules = rulesFile ? await loadRules(rulesFile) : await compileRulesText(DEFAULT_RULES, { file: '<all signals at defaults>' });

  // CPU seconds next to wall seconds: on a shared machine the CPU figure is the code's cost.
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  // Reader alone: the CSV parsing share of the total, read in batches as replay reads it (an await per row would cost more than the row).
  const stub = opt.stub;
  let t0 = process.hrtime.bigint();
  let c0 = cpu();
  let n = 0;
  if (!opt['no-read']) for await (const batch of readCalls(file).batches()) n += batch.length;
  const readS = Number(process.hrtime.bigint() - t0) / 1e9;
  const readCpu = cpu() - c0;

  // The engine `ringfence replay` builds; the stub keeps the same classifier (no cache, as the engine's own).
  const engine = stub ? new StubEngine(rules, { classifier: new NumberClassifier({ home: rules.homeCountry, cacheSize: 0 }) }) : new Engine(rules);
  const reader = readCalls(file);
  const log = opt.decisions
    ? new DecisionLog(new Writable({ write: (_c, _e, cb) => cb() })) // serialising counts, the disk does not
    : undefined;
  t0 = process.hrtime.bigint();
  c0 = cpu();
  const s = await replay(reader, engine, { labelled: true, rowsRead: () => reader.rows, ...(log ? { sink: log } : {}) });
  if (log) await log.close();
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  const totalCpu = cpu() - c0;
  const rss = process.resourceUsage().maxRSS / 1024;

  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`file      ${file} (${(bytes / 1e6).toFixed(0)} MB, ${f(n > 0 ? n : s.rows)} rows)`);
  console.log(`rules     ${rulesFile ?? 'every built-in signal at its defaults'}`);
  console.log(`node      ${process.version}, ${process.arch}`);
  if (n > 0) console.log(`read      ${readS.toFixed(2)} s wall, ${readCpu.toFixed(2)} s CPU   ${f(n / readS)} rows/s wall, ${f(n / readCpu)} rows/CPU-s   (CSV reader only)`);
  console.log(`replay    ${totalS.toFixed(2)} s wall, ${totalCpu.toFixed(2)} s CPU   ${f(s.calls / totalS)} rows/s wall, ${f(s.calls / totalCpu)} rows/CPU-s   (reader + ${stub ? 'loop, engine stubbed' : 'engine'}${log ? ' + decision log' : ''})`);
  console.log(`peak RSS  ${rss.toFixed(0)} MB   tracked ${JSON.stringify(s.tracked)}`);
  console.log(`result    reject ${f(s.actions.reject)}, tag ${f(s.actions.tag)}, forward ${f(s.actions.forward)}; fraud rejected ${s.fraud?.rejected_pct}%, legit rejected ${s.legit?.rejected_pct}%`);
}

await main();
