/**
 * Number classification cost: cache misses (a million distinct valid mobiles
 * across 20 countries, each seen once) and cache hits, for the compiled
 * metadata path and the libphonenumber-js reference path.
 *
 *   npm run build && node dist/bench/numbers.js [count] [repetitions]
 *
 * Each figure is the best of several repetitions, with the median after it:
 * the best is the code's cost, the median shows how noisy the machine was.
 */
import examples from 'libphonenumber-js/mobile/examples';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { NumberClassifier } from '../lib/numbers/index.js';
import { classifyReference } from '../lib/numbers/classify.js';
import { benchArgs, wholeNumber } from './cli-args.js';

const COUNTRIES: CountryCode[] = [
  'CN', 'IN', 'US', 'GB', 'DE', 'FR', 'BR', 'RU', 'JP', 'MX',
  'ID', 'NG', 'PK', 'BD', 'IT', 'ES', 'AU', 'TR', 'PH', 'CA',
];

const USAGE = `Usage: node dist/bench/numbers.js [count] [repetitions]

Number classification cost per number, cache misses and hits, for the
compiled metadata path and the libphonenumber-js reference path.

Arguments:
  count         distinct valid mobiles across 20 countries (default 1000000)
  repetitions   runs of each measurement; the best and the median are shown (default 5)

Options:
  -h, --help    show this help
`;
const { positionals } = benchArgs(USAGE, {}, 2);
const N = wholeNumber(positionals[0] ?? '1000000', 'count', USAGE);
const REPS = wholeNumber(positionals[1] ?? '5', 'repetitions', USAGE);
const HOME = 'GB';

/**
 * Vary the last five digits of each country's example mobile: stays inside the
 * mobile range for these countries, and distinct by construction. Countries
 * are interleaved so consecutive calls differ the way real traffic does.
 */
function mobiles(n: number, salt: number): string[] {
  const out: string[] = [];
  const per = Math.ceil(n / COUNTRIES.length);
  for (let k = 0; k < per && out.length < n; k++) {
    for (const country of COUNTRIES) {
      const example = examples[country]!;
      // 7919 is coprime with 10^5: k -> suffix is one-to-one.
      const suffix = (k * 7919 + salt) % 100_000;
      out.push('+' + getCountryCallingCode(country) + example.slice(0, -5) + String(suffix).padStart(5, '0'));
      if (out.length === n) break;
    }
  }
  return out;
}

let sink = 0;

/** Best and median ns/op over `reps` runs of `run`, which returns the op count. */
function measure(label: string, reps: number, run: () => number): number {
  const ns: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    const ops = run();
    ns.push(Number(process.hrtime.bigint() - t0) / ops);
  }
  ns.sort((a, b) => a - b);
  const fmt = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} µs` : `${v.toFixed(0)} ns`);
  console.log(`${label.padEnd(52)} ${fmt(ns[0]!).padStart(10)}/op   (median ${fmt(ns[Math.floor(ns.length / 2)]!)})`);
  return ns[0]!;
}

function classifyAll(c: NumberClassifier, raws: readonly string[]): number {
  for (const raw of raws) sink += c.classify(raw).valid ? 1 : 0;
  return raws.length;
}

const numbers = mobiles(N, 0);
console.log(`${numbers.length} distinct numbers from ${COUNTRIES.length} countries, home ${HOME}, best of ${REPS}\n`);

// Warm up the JIT and the compiled metadata on numbers not measured below.
{
  const warm = new NumberClassifier({ home: HOME, cacheSize: 0 });
  const w = mobiles(50_000, 1);
  classifyAll(warm, w);
  for (const raw of w.slice(0, 5_000)) classifyReference(raw, HOME);
}

{
  const probe = new NumberClassifier({ home: HOME, cacheSize: 0 });
  let valid = 0;
  let mobile = 0;
  for (const raw of numbers) {
    const info = probe.classify(raw);
    if (info.valid) valid++;
    if (info.type === 'mobile' || info.type === 'fixed-line-or-mobile') mobile++;
  }
  console.log(`sample: ${((valid / numbers.length) * 100).toFixed(1)}% valid, ${((mobile / numbers.length) * 100).toFixed(1)}% mobile or fixed-line-or-mobile\n`);
}

const refCount = Math.min(numbers.length, 100_000);
measure(`miss, reference libphonenumber path, no cache (${refCount / 1000}k)`, Math.min(REPS, 3), () => {
  for (let i = 0; i < refCount; i++) sink += classifyReference(numbers[i]!, HOME).valid ? 1 : 0;
  return refCount;
});
measure('miss, compiled path, no cache', REPS, () => classifyAll(new NumberClassifier({ home: HOME, cacheSize: 0 }), numbers));
measure('miss, compiled path, 200k LRU (engine default)', REPS, () =>
  classifyAll(new NumberClassifier({ home: HOME, cacheSize: 200_000 }), numbers),
);
measure('miss, compiled path, 1M-entry LRU', REPS, () =>
  classifyAll(new NumberClassifier({ home: HOME, cacheSize: numbers.length + 1 }), numbers),
);

{
  // Digits without '+', as carriers send them: national forms of home numbers
  // ('07…'), IDD forms ('00…') and international numbers that lost their '+'.
  // These used to be parsed by libphonenumber-js against the home country.
  const home = getCountryCallingCode(HOME);
  const bare = numbers.map((e164, i) => {
    const digits = e164.slice(1);
    if (digits.startsWith(home) && i % 2 === 0) return '0' + digits.slice(home.length);
    return i % 3 === 0 ? '00' + digits : digits;
  });
  const n = Math.min(bare.length, 100_000);
  measure(`miss, digits without '+', reference path (${n / 1000}k)`, Math.min(REPS, 3), () => {
    for (let i = 0; i < n; i++) sink += classifyReference(bare[i]!, HOME).valid ? 1 : 0;
    return n;
  });
  measure("miss, digits without '+', compiled path, no cache", REPS, () => classifyAll(new NumberClassifier({ home: HOME, cacheSize: 0 }), bare));
}

{
  const c = new NumberClassifier({ home: HOME, cacheSize: 200_000 });
  const warm = numbers.slice(0, 200_000);
  classifyAll(c, warm);
  measure('hit, 200k entries', REPS, () => classifyAll(c, warm));
}
{
  const c = new NumberClassifier({ home: HOME, cacheSize: 200_000 });
  const hot = numbers.slice(0, 10_000);
  classifyAll(c, hot);
  measure('hit, 10k hot set', REPS, () => {
    for (let r = 0; r < 50; r++) classifyAll(c, hot);
    return hot.length * 50;
  });
}

if (sink === -1) console.log('');
