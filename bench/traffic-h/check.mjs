#!/usr/bin/env node
// check.mjs — per-label / per-kind summary of a traffic CSV produced by gen.mjs
import fs from 'node:fs';
import readline from 'node:readline';
const file = process.argv[2];
if (!file || file === '--help') { console.log('usage: node check.mjs FILE.csv'); process.exit(file ? 0 : 2); }
const splitCsv = (l) => { const o = []; let cur = '', q = false; for (let i = 0; i < l.length; i++) { const ch = l[i]; if (q) { if (ch === '"') { if (l[i + 1] === '"') { cur += '"'; i++; } else q = false; } else cur += ch; } else if (ch === '"') q = true; else if (ch === ',') { o.push(cur); cur = ''; } else cur += ch; } o.push(cur); return o; };
const mk = () => ({ n: 0, ans: 0, talk: 0, ring: 0, callers: new Set(), callees: new Set(), status: {} });
const byLabel = new Map(), byKind = new Map(), tot = mk();
const hours = new Array(24).fill(0), hoursF = new Array(24).fill(0);
let prev = '', unsorted = 0, header = null, first = null, last = null;
const norm = (c) => c.replace(/^(\+91|0091|\+910|91(?=\d{10}$)|0(?=\d{10}$))/, '');
const add = (s, r) => { s.n++; if (r.status === '200') { s.ans++; s.talk += +r.duration; } s.ring += +r.ring; s.callers.add(r.caller); s.callees.add(norm(r.callee)); s.status[r.status] = (s.status[r.status] || 0) + 1; };
const rl = readline.createInterface({ input: fs.createReadStream(file) });
for await (const line of rl) {
  if (!header) { header = line.split(','); continue; }
  const f = splitCsv(line); const r = Object.fromEntries(header.map((h, i) => [h, f[i]]));
  if (r.timestamp < prev) unsorted++; prev = r.timestamp; first ??= r.timestamp; last = r.timestamp;
  add(tot, r);
  if (!byLabel.has(r.label)) byLabel.set(r.label, mk()); add(byLabel.get(r.label), r);
  const k = r.label + '/' + r.kind; if (!byKind.has(k)) byKind.set(k, mk()); add(byKind.get(k), r);
  const h = Math.floor(((new Date(r.timestamp).getTime() / 3600e3 + 5.5) % 24 + 24) % 24); (r.label === 'legit' ? hours : hoursF)[h]++;
}
const fmt = (name, s) => `${name.padEnd(46)} ${String(s.n).padStart(7)} ${(100 * s.n / tot.n).toFixed(2).padStart(6)}% ${(100 * s.ans / s.n).toFixed(1).padStart(5)}% ${(s.ans ? s.talk / s.ans : 0).toFixed(0).padStart(6)}s ${(s.ring / s.n).toFixed(1).padStart(5)}s ${String(s.callers.size).padStart(7)} ${String(s.callees.size).padStart(7)}  ${Object.entries(s.status).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => k + ':' + Math.round(100 * v / s.n)).join(' ')}`;
const hdr = `${'group'.padEnd(46)} ${'calls'.padStart(7)} ${'share'.padStart(7)} ${'ans'.padStart(6)} ${'talk'.padStart(7)} ${'ring'.padStart(6)} ${'callers'.padStart(7)} ${'callees'.padStart(7)}  top statuses (%)`;
console.log(`${file}: ${tot.n} rows, ${first} .. ${last}, unsorted rows: ${unsorted}`);
console.log(hdr); console.log(fmt('ALL', tot));
for (const [k, s] of [...byLabel].sort((a, b) => b[1].n - a[1].n)) console.log(fmt('label ' + k, s));
console.log('-- by kind');
for (const [k, s] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) console.log(fmt(k, s));
console.log('-- calls per IST hour (legit | fraud)');
console.log(hours.map((v, i) => `${String(i).padStart(2)}h ${String(v).padStart(6)} | ${String(hoursF[i]).padStart(5)}`).join('\n'));
