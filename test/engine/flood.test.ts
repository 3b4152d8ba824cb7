/**
 * A flood of a million invented caller IDs must not grow memory past the
 * configured table limits: cold keys are evicted, the process keeps deciding.
 */
import t from 'tap';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Engine } from '../../lib/engine/engine.js';
import { loadRules } from '../../lib/rules/load.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

t.test('one million random caller IDs stay within the entry limits and a stated memory bound', async (t) => {
  const rules = await loadRules('examples/rules/china-ingress.yaml');
  const LIMIT = 50_000;
  rules.stats.max = { caller: LIMIT, callee: LIMIT, pair: LIMIT, block: LIMIT, source: 1000, pending: LIMIT, hold: 10_000 };
  const engine = new Engine(rules, { numberCache: 20_000 });
  const T0 = Date.UTC(2026, 10, 1);
  let x = 0x12345678;
  const next = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
  const base = heap();
  let afterFill = 0;
  const N = 1_000_000;
  for (let i = 0; i < N; i++) {
    // Mixed garbage and plausible numbers, as a flood of spoofed IDs would be.
    const r = next();
    const caller = r % 10 === 0 ? `+${r}${r % 97}` : r % 10 === 1 ? `junk${r}` : `+4479${String(r % 100_000_000).padStart(8, '0')}`;
    const at = T0 + i * 5;
    const d = engine.decide({ callId: `f${i}`, at, caller, callee: `+86138${String(next() % 100_000_000).padStart(8, '0')}`, source: `198.51.100.${r % 250}` });
    if (d.action !== 'reject' && i % 3 === 0) engine.observe({ callId: `f${i}`, at: at + 2000, status: 487 });
    if (i === 200_000) afterFill = heap();
  }
  const end = heap();
  const s = engine.sizes();
  for (const [k, v] of Object.entries(s)) t.ok(v <= (rules.stats.max as Record<string, number>)[k]!, `${k}: ${v} entries within its limit`);
  t.ok(engine.tables.caller.evictions > N / 2, `caller evictions: ${engine.tables.caller.evictions}`);
  // Once the tables are full, more callers must not mean more memory. The
  // statistics tables are full by 200k calls; the hold table (10k entries,
  // each with its reason text) and distinct sets keep filling a little longer.
  const growth = end - afterFill;
  t.ok(growth < 32 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MiB between 200k and 1M calls (bound 32 MiB)`);
  // Stated bound: 50k entries per table plus a 20k number cache fit in 120 MiB.
  t.ok(end - base < 120 * 1024 * 1024, `engine heap ${((end - base) / 1048576).toFixed(1)} MiB (bound 120 MiB)`);
  t.equal(engine.decide({ callId: 'after', at: T0 + N * 5 + 1, caller: '+33612345678', callee: '+8613912345678' }).action, 'forward', 'still deciding: a clean caller from outside the flooded ranges is forwarded');
});
