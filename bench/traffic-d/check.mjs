#!/usr/bin/env node
// Summary of a traffic-d CSV: rows, fraud share, per-kind calls / answer rate / statuses, sort and id checks.
import { readFileSync } from 'node:fs';
if (!process.argv[2] || process.argv[2] === '--help' || process.argv[2] === '-h') {
  console.log('usage: node check.mjs FILE.csv\n  summary of a traffic-d CSV: rows, fraud share, per-kind calls / answer rate / statuses, sort and id checks');
  process.exit(process.argv[2] ? 0 : 2);
}
const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const hdr = lines.shift();
const k = {}; let fraud = 0, prev = '', unsorted = 0; const ids = new Set(); let dup = 0;
for (const l of lines) {
  const [ts, caller, callee, id, src, st, ring, dur, label, kind, ent] = l.split(',');
  if (ts < prev) unsorted++; prev = ts;
  if (ids.has(id)) dup++; ids.add(id);
  if (label !== 'legit') fraud++;
  const o = k[kind] ??= { n: 0, ans: 0, label, st: {}, callers: new Set(), callees: new Set(), ring: 0, dur: 0, ents: new Set() };
  o.n++; if (st === '200') { o.ans++; o.dur += +dur; } o.st[st] = (o.st[st] || 0) + 1; o.callers.add(caller); o.callees.add(callee); o.ring += +ring; o.ents.add(ent);
}
console.log(`${hdr}\nrows ${lines.length}  fraud ${fraud} (${(100 * fraud / lines.length).toFixed(1)}%)  unsorted ${unsorted}  duplicate ids ${dup}`);
console.log('kind'.padEnd(20), 'label'.padEnd(18), 'calls'.padStart(7), 'ans%'.padStart(6), 'ring'.padStart(5), 'mdur'.padStart(5), 'callers'.padStart(8), 'callees'.padStart(8), ' ents  top statuses');
for (const [n, o] of Object.entries(k).sort((a, b) => b[1].n - a[1].n)) {
  const st = Object.entries(o.st).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([s, c]) => `${s}:${(100 * c / o.n).toFixed(0)}`).join(' ');
  console.log(n.padEnd(20), o.label.padEnd(18), String(o.n).padStart(7), (100 * o.ans / o.n).toFixed(1).padStart(6), (o.ring / o.n).toFixed(1).padStart(5), (o.ans ? o.dur / o.ans : 0).toFixed(0).padStart(5), String(o.callers.size).padStart(8), String(o.callees.size).padStart(8), String(o.ents.size).padStart(5), ' ', st);
}
