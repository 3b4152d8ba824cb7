/**
 * Engine benchmark: decisions per second, per-decision latency and bytes per
 * tracked number with one million distinct callers, on the rules an operator
 * would run (examples/rules/china-ingress.yaml by default).
 *
 *   npm run build && node --expose-gc dist/bench/engine.js [--callers N] [--calls N] [--crowded F] [--rules FILE]
 *
 * Callers are valid mobiles of the countries that call China most. A share F
 * of them (--crowded, default 0.1) comes from 18 narrow ranges of a million
 * numbers each, so their number blocks hold hundreds of callers an hour, as
 * the busiest blocks of a large gateway do; the rest are spread over whole
 * national mobile ranges, as most callers are. --crowded 1 is the traffic of
 * sessions 1-6, where every block was crowded and rotating-cli scored (and
 * spelt out its reason) on nearly every call.
 */
import { Engine } from '../lib/engine/engine.js';
import { loadRules } from '../lib/rules/load.js';
import { benchArgs, wholeNumber } from './cli-args.js';

const USAGE = `Usage: node --expose-gc dist/bench/engine.js [options]

Engine decisions per second, per-decision latency and bytes per tracked
number, with a million distinct callers, on a rules file.

Options:
  --callers N     distinct callers tracked in the populate phase (default 1000000)
  --calls N       calls in the steady phase (default 2000000)
  --crowded F     share of callers from 18 narrow, crowded ranges (0-1, default 0.1)
  --rules FILE    rules file (default examples/rules/china-ingress.yaml)
  --json          print the figures as JSON
  -h, --help      show this help
`;
const { values: a } = benchArgs(USAGE, {
  callers: { type: 'string', default: '1000000' },
  calls: { type: 'string', default: '2000000' },
  rules: { type: 'string', default: 'examples/rules/china-ingress.yaml' },
  crowded: { type: 'string', default: '0.1' },
  json: { type: 'boolean', default: false },
});
const CALLERS = wholeNumber(a.callers, '--callers', USAGE);
const CALLS = wholeNumber(a.calls, '--calls', USAGE);
const CROWDED = Number(a.crowded);
if (!(CROWDED >= 0 && CROWDED <= 1)) {
  process.stderr.write(`error: --crowded must be a share between 0 and 1, not '${a.crowded}'\n`);
  process.exit(2);
}

/** Deterministic PRNG so every run sees the same traffic. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(42);
const digits = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 10);
  return s;
};
// Valid mobile ranges of the countries that call China most: prefix and remaining digits.
const RANGES: Array<[string, number]> = [
  ['+447911', 6], ['+447700', 6], ['+49151', 8], ['+49170', 7], ['+33612', 6], ['+33765', 6],
  ['+919812', 6], ['+917012', 6], ['+2348031', 6], ['+639171', 6], ['+79161', 6], ['+8190', 8],
  ['+8210', 8], ['+61412', 6], ['+1212', 7], ['+1415', 7], ['+6591', 6], ['+85291', 6],
];

// Whole national mobile ranges: prefix, the digits the next one may be, then that many random digits.
const WIDE: Array<[string, string, number]> = [
  ['+447', '45789', 8], ['+4915', '12579', 8], ['+4917', '0123456789', 7], ['+336', '0123456789', 7], ['+337', '5678', 7],
  ['+919', '0123456789', 8], ['+23480', '2356789', 7], ['+639', '012579', 8], ['+79', '01235689', 8], ['+8190', '123456789', 7],
  ['+8210', '23456789', 7], ['+614', '012345678', 7], ['+659', '012345678', 6], ['+8529', '012345678', 6], ['+8526', '012345678', 6],
];

function makeCaller(): string {
  if (rnd() >= CROWDED) {
    const [p, next, n] = WIDE[Math.floor(rnd() * WIDE.length)] as [string, string, number];
    return p + next[Math.floor(rnd() * next.length)] + digits(n);
  }
  const [p, n] = RANGES[Math.floor(rnd() * RANGES.length)] as [string, number];
  if (p.startsWith('+1')) return `${p}${2 + Math.floor(rnd() * 8)}${digits(n - 1)}`;
  return p + digits(n);
}

const rules = await loadRules(a.rules);
// Large enough that a million callers stay tracked: this measures the cost of tracking them.
rules.stats.max = { ...rules.stats.max, caller: Math.max(rules.stats.max.caller, CALLERS + 1000), pair: Math.max(rules.stats.max.pair, CALLERS + 1000) };
const gc = (globalThis as { gc?: () => void }).gc;
/** CPU seconds of this process (all threads, GC included): the code's cost when the machine is shared. */
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
gc?.();
/** JS heap plus typed-array backing stores: the tables keep their counters in typed arrays, outside heapUsed. */
const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const heap0 = used();
const engine = new Engine(rules, { numberCache: 200_000 });

const callers: string[] = new Array(CALLERS);
for (let i = 0; i < CALLERS; i++) callers[i] = makeCaller();
const CALLEES = 200_000;
const callees: string[] = new Array(CALLEES);
for (let i = 0; i < CALLEES; i++) callees[i] = `+86${['138', '139', '150', '186', '177'][i % 5]}${digits(8)}`;
gc?.();
const heapNumbers = used();

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
// One million callers over one hour: each is tracked in the caller, pair, callee and block tables.
const spanMs = 3_600_000;
let t0 = process.hrtime.bigint();
let c0 = cpu();
for (let i = 0; i < CALLERS; i++) {
  const at = T0 + Math.floor((i / CALLERS) * spanMs);
  const d = engine.decide({ callId: `p${i}`, at, caller: callers[i] as string, callee: callees[i % CALLEES] as string, source: '203.0.113.7' });
  if (d.action !== 'reject') engine.observe({ callId: `p${i}`, at: at + 8000, status: i % 3 ? 200 : 486 });
}
let ns = Number(process.hrtime.bigint() - t0);
let cs = cpu() - c0;
const populate = { calls: CALLERS, seconds: ns / 1e9, perSecond: CALLERS / (ns / 1e9), cpuSeconds: cs, perCpuSecond: CALLERS / cs };
const pending = engine.sizes().pending;
gc?.();
const heapTracked = used();
const sizes = engine.sizes();

// Steady state: known callers (skewed: a few call a lot) and fresh ones, timed per decision.
const lat = new Float64Array(CALLS);
const T1 = T0 + spanMs;
let rejects = 0;
let tags = 0;
t0 = process.hrtime.bigint();
c0 = cpu();
for (let i = 0; i < CALLS; i++) {
  const r = rnd();
  const c = r < 0.9 ? callers[Math.floor(rnd() * rnd() * CALLERS)] as string : makeCaller();
  const at = T1 + Math.floor((i / CALLS) * spanMs);
  const s = process.hrtime.bigint();
  const d = engine.decide({ callId: `s${i}`, at, caller: c, callee: callees[Math.floor(rnd() * CALLEES)] as string, source: '203.0.113.7' });
  lat[i] = Number(process.hrtime.bigint() - s);
  if (d.action === 'reject') rejects++;
  else {
    if (d.action === 'tag') tags++;
    engine.observe({ callId: `s${i}`, at: at + 5000, status: 200 });
    engine.observe({ callId: `s${i}`, at: at + 65_000, endedAt: at + 65_000 });
  }
}
ns = Number(process.hrtime.bigint() - t0);
cs = cpu() - c0;
lat.sort();
const q = (p: number): number => (lat[Math.min(CALLS - 1, Math.floor(p * CALLS))] as number) / 1000;
const steady = {
  calls: CALLS,
  seconds: ns / 1e9,
  // Throughput includes outcome processing (two observe() per forwarded call) and the timer reads.
  perSecond: CALLS / (ns / 1e9),
  cpuSeconds: cs,
  perCpuSecond: CALLS / cs,
  latencyMicros: { p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: (lat[CALLS - 1] as number) / 1000 },
  rejects,
  tags,
};
// Hot set: the same million numbers tracked, but the calls of this phase come
// from 10,000 busy callers to 10,000 callees, so the tables' working set fits
// the CPU caches. Real traffic sits between this and the steady phase above.
const HOT = 10_000;
const HOT_CALLS = Math.min(CALLS, 1_000_000);
const hotLat = new Float64Array(HOT_CALLS);
const T2 = T1 + spanMs;
t0 = process.hrtime.bigint();
c0 = cpu();
for (let i = 0; i < HOT_CALLS; i++) {
  const at = T2 + Math.floor((i / HOT_CALLS) * spanMs);
  const s = process.hrtime.bigint();
  const d = engine.decide({ callId: `h${i}`, at, caller: callers[(i * 7919) % HOT] as string, callee: callees[(i * 104729) % HOT] as string, source: '203.0.113.7' });
  hotLat[i] = Number(process.hrtime.bigint() - s);
  if (d.action !== 'reject') {
    engine.observe({ callId: `h${i}`, at: at + 5000, status: 200 });
    engine.observe({ callId: `h${i}`, at: at + 65_000, endedAt: at + 65_000 });
  }
}
ns = Number(process.hrtime.bigint() - t0);
cs = cpu() - c0;
hotLat.sort();
const hq = (p: number): number => (hotLat[Math.min(HOT_CALLS - 1, Math.floor(p * HOT_CALLS))] as number) / 1000;
const hot = { calls: HOT_CALLS, seconds: ns / 1e9, perSecond: HOT_CALLS / (ns / 1e9), cpuSeconds: cs, perCpuSecond: HOT_CALLS / cs, latencyMicros: { p50: hq(0.5), p90: hq(0.9), p99: hq(0.99), p999: hq(0.999) } };

const tracked = sizes.caller;
const result = {
  rules: a.rules,
  crowded: CROWDED,
  node: process.version,
  gcExposed: !!gc,
  populate,
  steady,
  hot,
  sizes,
  pendingAfterPopulate: pending,
  memory: {
    trackedCallers: tracked,
    engineHeapBytes: heapTracked - heapNumbers,
    bytesPerTrackedNumber: Math.round((heapTracked - heapNumbers) / tracked),
    inputArraysBytes: heapNumbers - heap0,
  },
};
if (a.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`rules ${a.rules}, crowded callers ${CROWDED}, node ${process.version}${gc ? '' : ' (run with --expose-gc for exact memory)'}`);
  console.log(`populate: ${CALLERS} distinct callers, ${populate.perSecond.toFixed(0)} decisions/s, ${populate.perCpuSecond.toFixed(0)} per CPU second (cold numbers: every caller is new)`);
  console.log(`steady:   ${CALLS} calls, ${steady.perSecond.toFixed(0)} decisions/s, ${steady.perCpuSecond.toFixed(0)} per CPU second, incl. outcomes; latency µs p50 ${q(0.5).toFixed(2)} p99 ${q(0.99).toFixed(2)} p99.9 ${q(0.999).toFixed(2)}; ${rejects} rejected, ${tags} tagged`);
  console.log(`hot set:  ${HOT_CALLS} calls among ${HOT} callers, ${hot.perSecond.toFixed(0)} decisions/s, ${hot.perCpuSecond.toFixed(0)} per CPU second, incl. outcomes; latency µs p50 ${hq(0.5).toFixed(2)} p99 ${hq(0.99).toFixed(2)} p99.9 ${hq(0.999).toFixed(2)}`);
  console.log(`memory:   ${tracked} tracked callers, ${result.memory.bytesPerTrackedNumber} bytes per tracked number (all tables), tables ${JSON.stringify(sizes)}`);
}
