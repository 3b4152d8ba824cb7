#!/usr/bin/env node
// Summarise a traffic-f CSV: per-label and per-kind counts, answer rate,
// mean ring, mean duration (answered calls), distinct callers/callees,
// plus status and source breakdowns.  usage: node check.mjs FILE.csv [--kinds=0]
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const file = process.argv[2];
if (!file || file === '--help') { console.log('usage: node check.mjs FILE.csv [--no-kinds]'); process.exit(file ? 0 : 2); }
const showKinds = !process.argv.includes('--no-kinds');

const EXPECT = 'timestamp,caller,callee,call_id,source,status,ring,duration,label,kind';
const mk = () => ({ n: 0, ans: 0, ring: 0, dur: 0, callers: new Set(), callees: new Set() });
const byLabel = new Map(), byKind = new Map(), bySource = new Map(), byStatus = new Map();
const all = mk();
let header = null, prevT = '', unsorted = 0, bad = 0, first = null, last = null;
const ids = new Set(); let dupIds = 0;

function add(m, k, r) {
  let s = m.get(k); if (!s) m.set(k, (s = mk()));
  for (const x of [s, all]) {
    if (x === all && m !== byLabel) continue;
    x.n++; x.ring += r.ring; x.callers.add(r.caller); x.callees.add(r.callee);
    if (r.status === 200) { x.ans++; x.dur += r.duration; }
  }
}

const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
for await (const line of rl) {
  if (header === null) { header = line; if (line !== EXPECT) console.log('WARNING: unexpected header: ' + line); continue; }
  if (!line) continue;
  const f = line.split(',');
  if (f.length !== 10) { bad++; continue; }
  const [ts, caller, callee, id, source, status, ring, duration, label, kind] = f;
  if (ts < prevT) unsorted++; prevT = ts; first ??= ts; last = ts;
  if (ids.has(id)) dupIds++; ids.add(id);
  const r = { caller, callee, status: Number(status), ring: Number(ring), duration: Number(duration) };
  if (r.status !== 200 && r.duration !== 0) bad++;
  add(byLabel, label, r);
  add(byKind, label + '/' + kind, r);
  const src = bySource.get(source) || { n: 0, fraud: 0 }; src.n++; if (label !== 'legit') src.fraud++; bySource.set(source, src);
  const st = byStatus.get(status) || { n: 0, legit: 0 }; st.n++; if (label === 'legit') st.legit++; byStatus.set(status, st);
}

const pct = (a, b) => (b ? (100 * a / b).toFixed(1) + '%' : '-');
const row = (name, s, w = 34) => `${name.padEnd(w)} ${String(s.n).padStart(7)} ${pct(s.n, all.n).padStart(6)}  ans ${pct(s.ans, s.n).padStart(6)}  ring ${(s.ring / s.n).toFixed(1).padStart(5)}s  dur ${(s.ans ? s.dur / s.ans : 0).toFixed(0).padStart(5)}s  callers ${String(s.callers.size).padStart(6)}  callees ${String(s.callees.size).padStart(6)}`;

console.log(`file ${file}`);
console.log(`calls ${all.n}  window ${first} .. ${last}  unsorted ${unsorted}  bad rows ${bad}  duplicate call_ids ${dupIds}`);
const fraudN = all.n - (byLabel.get('legit')?.n || 0);
console.log(`fraud share ${pct(fraudN, all.n)}`);
console.log('\n== per label (dur = mean talk seconds of answered calls)');
console.log(row('ALL', all));
for (const [k, s] of [...byLabel].sort((a, b) => b[1].n - a[1].n)) console.log(row(k, s));
if (showKinds) {
  console.log('\n== per kind');
  for (const [k, s] of [...byKind].sort((a, b) => (a[0] < b[0] ? -1 : 1))) console.log(row(k, s, 58));
}
console.log('\n== status');
for (const [k, s] of [...byStatus].sort((a, b) => b[1].n - a[1].n)) console.log(`${k.padEnd(5)} ${String(s.n).padStart(7)} ${pct(s.n, all.n).padStart(6)}  legit ${pct(s.legit, s.n)}`);
console.log('\n== source');
for (const [k, s] of [...bySource].sort((a, b) => b[1].n - a[1].n)) console.log(`${k.padEnd(16)} ${String(s.n).padStart(7)} ${pct(s.n, all.n).padStart(6)}  fraud ${pct(s.fraud, s.n)}`);
