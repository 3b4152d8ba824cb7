#!/usr/bin/env node
// Summarise a generated CSV: per-kind calls, callers, calls/caller, answer rate, status mix; per label; per source.
import { readFileSync } from 'node:fs';
const file = process.argv[2];
if (!file) { console.error('usage: node check.mjs FILE.csv'); process.exit(2); }
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const HDR = 'timestamp,caller,callee,call_id,source,status,ring,duration,label,kind,entity';
if (lines[0] !== HDR) console.log('WARNING: unexpected header: ' + lines[0]);
const by = (m, k) => m.get(k) || m.set(k, { n: 0, ans: 0, st: new Map(), callers: new Set(), dur: 0, ring: 0, label: '', fr: 0 }).get(k);
const kinds = new Map(), labels = new Map(), srcs = new Map(); const ids = new Set();
let prev = '', unsorted = 0, bad = 0, fraud = 0;
for (let i = 1; i < lines.length; i++) {
  const f = lines[i].split(',');
  if (f.length !== 11) { bad++; continue; }
  const [ts, caller, , id, src, st, ring, dur, label, kind] = f;
  if (ts < prev) unsorted++; prev = ts; ids.add(id);
  if (label !== 'legit') fraud++;
  for (const [m, k] of [[kinds, kind], [labels, label], [srcs, src]]) {
    const g = by(m, k); g.n++; g.label = label; if (label !== 'legit') g.fr++; g.callers.add(caller); g.st.set(st, (g.st.get(st) || 0) + 1); g.ring += +ring;
    if (st === '200') { g.ans++; g.dur += +dur; }
  }
}
const N = lines.length - 1;
const pct = (a, b) => (100 * a / b).toFixed(1);
function table(title, m, showFraud) {
  console.log(`\n== ${title}`);
  console.log('name'.padEnd(24) + (showFraud ? 'fraud%' : 'label').padEnd(16) + 'calls'.padStart(7) + ' share' + ' callers'.padStart(8) + ' c/clr' + '  ans%' + ' mRing' + ' mDur' + '  status mix');
  for (const [k, g] of [...m].sort((a, b) => b[1].n - a[1].n)) {
    const mix = [...g.st].sort((a, b) => b[1] - a[1]).slice(0, 7).map(([s, c]) => `${s}:${pct(c, g.n)}`).join(' ');
    console.log(k.padEnd(24) + (showFraud ? pct(g.fr, g.n) : g.label).padEnd(16) + String(g.n).padStart(7) + pct(g.n, N).padStart(6) + String(g.callers.size).padStart(8) + (g.n / g.callers.size).toFixed(1).padStart(6) + pct(g.ans, g.n).padStart(6) + (g.ring / g.n).toFixed(1).padStart(6) + String(g.ans ? Math.round(g.dur / g.ans) : 0).padStart(5) + '  ' + mix);
  }
}
console.log(`${file}: ${N} calls, ${lines[1]?.slice(0, 24)} .. ${lines[N]?.slice(0, 24)}`);
console.log(`fraud/nuisance share ${pct(fraud, N)}%  unique call_ids ${ids.size}  unsorted rows ${unsorted}  malformed rows ${bad}`);
table('per kind', kinds); table('per label', labels); table('per source', srcs, true);
