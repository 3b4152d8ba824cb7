#!/usr/bin/env node
// check.mjs - per-label / per-kind summary of a gen.mjs CSV
// usage: node check.mjs FILE.csv   (or stdin)
import fs from 'node:fs';
import readline from 'node:readline';
const file = process.argv[2];
if (file === '--help' || file === '-h') { console.log('usage: node check.mjs [FILE.csv]  (reads stdin without FILE)'); process.exit(0); }
const input = file ? fs.createReadStream(file) : process.stdin;
const rl = readline.createInterface({ input, crlfDelay: Infinity });
function split(line) { // minimal CSV (handles quoted fields)
  const out = []; let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) { if (c === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else q = false; } else cur += c; }
    else if (c === '"') q = true; else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur); return out;
}
const mk = () => ({ n: 0, ans: 0, talk: 0, callers: new Set(), callees: new Set(), st: {}, ring: 0 });
const byLabel = new Map(), byKind = new Map(), all = mk();
const callIds = new Set(); let dupId = 0, unsorted = 0, prevTs = '', header = null, bad = 0, first = '', last = '';
const add = (m, f) => { m.n++; const s = f[5]; m.st[s] = (m.st[s] || 0) + 1; if (s === '200') { m.ans++; m.talk += +f[7]; } m.ring += +f[6]; m.callers.add(f[1]); m.callees.add(f[2].replace(/\D/g, '').slice(-10)); };
rl.on('line', (line) => {
  if (!header) { header = line; return; }
  const f = split(line);
  if (f.length !== 10) { bad++; return; }
  if (f[0] < prevTs) unsorted++; prevTs = f[0]; if (!first) first = f[0]; last = f[0];
  if (callIds.has(f[3])) dupId++; else callIds.add(f[3]);
  add(all, f);
  const L = f[8], K = `${f[8]}/${f[9]}`;
  if (!byLabel.has(L)) byLabel.set(L, mk()); add(byLabel.get(L), f);
  if (!byKind.has(K)) byKind.set(K, mk()); add(byKind.get(K), f);
});
rl.on('close', () => {
  const pct = (a, b) => (100 * a / Math.max(1, b)).toFixed(1);
  const row = (name, m) => `${name.padEnd(44)} ${String(m.n).padStart(7)} ${pct(m.n, all.n).padStart(5)}% ans ${pct(m.ans, m.n).padStart(5)}% talk ${(m.ans ? m.talk / m.ans : 0).toFixed(0).padStart(5)}s ring ${(m.ring / m.n).toFixed(1).padStart(5)}s callers ${String(m.callers.size).padStart(6)} callees ${String(m.callees.size).padStart(6)}`;
  console.log(`header: ${header}`);
  console.log(`rows ${all.n}  span ${first} .. ${last}  unsorted ${unsorted}  dup call_id ${dupId}  bad rows ${bad}`);
  const fraud = [...byLabel].filter(([k]) => k !== 'legit').reduce((a, [, m]) => a + m.n, 0);
  console.log(`fraud share ${pct(fraud, all.n)}%`);
  console.log('status mix: ' + Object.entries(all.st).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}:${pct(v, all.n)}%`).join(' '));
  console.log('\n== by label');
  for (const [k, m] of [...byLabel].sort((a, b) => b[1].n - a[1].n)) console.log(row(k, m));
  console.log('\n== by label/kind');
  for (const [k, m] of [...byKind].sort((a, b) => a[0].localeCompare(b[0]))) console.log(row(k, m));
  console.log(row('ALL', all));
});
