import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../lib/engine/engine.js';
import { loadRules } from '../../lib/rules/load.js';
import { readCalls } from '../../lib/replay/csv.js';
import { CSV_HEADER, csvLine, FRAUD_KINDS, generateCalls } from '../../lib/replay/generate.js';
import { replay } from '../../lib/replay/replay.js';
import { NumberClassifier } from '../../lib/numbers/classify.js';
import { DecisionLog } from '../../lib/replay/decisions.js';
import { formatSummary } from '../../lib/replay/summary.js';
import { ALL_SIGNALS, rules } from '../helpers/replay-rules.js';

const example = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'examples', 'rules', 'china-ingress.yaml');

t.test('generated traffic replays cleanly through the real engine and rules', async (t) => {
  // The shipped example when it is there (what users will run), else every built-in signal at its defaults.
  const compiled = existsSync(example) ? await loadRules(example) : await rules(ALL_SIGNALS);
  let text = CSV_HEADER + '\n';
  let n = 0;
  for (const c of generateCalls({ seed: 2, hours: 8, scale: 0.5, start: '2025-03-03T00:00:00Z' })) {
    text += csvLine(c) + '\n';
    n++;
  }
  const reader = readCalls(Readable.from([text]), { by: 'kind' });
  const engine = new Engine(compiled);
  const s = await replay(reader, engine, { labelled: true, by: 'kind', rowsRead: () => reader.rows });
  t.comment(formatSummary(s, `generated seed 2, 8 h, scale 0.5, rules ${existsSync(example) ? 'examples/rules/china-ingress.yaml' : 'all signals at defaults'}`));
  t.equal(s.bad_rows.count, 0, 'no bad rows');
  t.equal(s.calls, n);
  t.equal(s.rows, n);
  t.equal(s.engine_errors, 0);
  t.equal(s.outcomes.unmatched, 0, 'every outcome found its call');
  t.same(s.labels!.map((l) => l.name).sort(), ['legit', ...FRAUD_KINDS].sort());
  t.ok(s.fraud!.rejected_pct + s.fraud!.tagged_pct > 30, 'the rules catch a good part of the fraud');
  t.ok(s.fraud!.rejected_pct > 10 * s.legit!.rejected_pct, 'fraud is rejected far more often than legitimate calls');
  t.ok(s.legit!.rejected_pct < 2, `legitimate calls mostly go through (${s.legit!.rejected_pct}% rejected)`);
  const sizes = engine.sizes();
  t.ok(sizes.caller <= compiled.stats.max.caller && sizes.pending <= compiled.stats.max.pending, 'within the rules limits');
  t.end();
});

t.test('a classifier cache changes no decision: engines with and without one agree byte for byte', async (t) => {
  const compiled = existsSync(example) ? await loadRules(example) : await rules(ALL_SIGNALS);
  let text = CSV_HEADER + '\n';
  for (const c of generateCalls({ seed: 5, hours: 6, scale: 1, start: '2025-03-03T00:00:00Z' })) text += csvLine(c) + '\n';
  const run = async (engine: Engine): Promise<string> => {
    const chunks: Buffer[] = [];
    const log = new DecisionLog(
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          chunks.push(Buffer.from(chunk));
          cb();
        },
      }),
    );
    const reader = readCalls(Readable.from([text]));
    const s = await replay(reader, engine, { labelled: true, sink: log, rowsRead: () => reader.rows });
    await log.close();
    return JSON.stringify(s) + '\n' + Buffer.concat(chunks).toString('utf8');
  };
  const want = await run(new Engine(compiled));
  const got = await run(new Engine(compiled, { classifier: new NumberClassifier({ home: compiled.homeCountry, cacheSize: 50_000 }) }));
  t.ok(want.length > 100_000, `${want.length} bytes of decisions`);
  t.ok(got === want, 'identical summary and decision log');
});
