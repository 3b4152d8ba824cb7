#!/usr/bin/env node
// validate.mjs — optional: checks number tables of a generated CSV against libphonenumber-js metadata.
// Not needed by gen.mjs. Usage: node validate.mjs FILE.csv [LIBDIR]   (LIBDIR default: this repository's node_modules)
import fs from 'node:fs';
import readline from 'node:readline';
import { createRequire } from 'node:module';
const [file, libdir = new URL('../../node_modules/', import.meta.url).pathname] = process.argv.slice(2);
if (file === '--tables') { // node gen.mjs --dump-numbers | node validate.mjs --tables
  const L = createRequire(libdir)('libphonenumber-js/max');
  const agg = {};
  for (const line of fs.readFileSync(0, 'utf8').trim().split('\n')) {
    const [iso, ty, num] = line.split(','); const k = iso + ' ' + ty; const a = (agg[k] ||= { n: 0, ok: 0, types: {}, bad: [] }); a.n++;
    let p = null; try { p = L.parsePhoneNumber(num); } catch {}
    if (p && p.isValid()) { a.ok++; const t = p.getType() || '?'; a.types[t] = (a.types[t] || 0) + 1; } else if (a.bad.length < 4) a.bad.push(num);
  }
  for (const [k, a] of Object.entries(agg)) console.log(k.padEnd(16), (100 * a.ok / a.n).toFixed(1).padStart(6) + '%', JSON.stringify(a.types), a.bad.join(' '));
  process.exit(0);
}
if (!file) { console.log('usage: node validate.mjs FILE.csv [node_modules dir holding libphonenumber-js]'); process.exit(2); }
const L = createRequire(libdir)('libphonenumber-js/max');
// best-effort normalisation of the presented CLI. Natl formats are ambiguous without the trunk's origin, so
// rows whose CLI has no recognisable international form are counted as "unparsed" rather than invalid.
function parseCli(s) {
  if (!s || /[a-z]/i.test(s)) return null;
  let d = s;
  if (d.startsWith('+')) d = d.slice(1); else if (d.startsWith('00')) d = d.slice(2); else if (d.startsWith('011')) d = d.slice(3);
  if (!/^\d{7,15}$/.test(d)) return 'bad';
  try { const n = L.parsePhoneNumber('+' + d); return n; } catch { return 'bad'; }
}
const calleeNorm = (s) => s.replace(/^(\+910|\+91|0091|91(?=\d{10}$)|0(?=\d{10}$))/, '');
const agg = new Map();
const rl = readline.createInterface({ input: fs.createReadStream(file) });
let hdr = null;
for await (const line of rl) {
  if (!hdr) { hdr = 1; continue; }
  const f = line.split(',');
  const caller = f[1].replace(/"/g, ''), callee = f[2], k = f[8] + '/' + f[9];
  const a = agg.get(k) || { intl: 0, intlOk: 0, n: 0, valid: 0, invalid: 0, unparsed: 0, cty: {}, cee: 0, ceeType: {} };
  a.n++;
  const p = parseCli(caller);
  if (/^(\+|00)/.test(caller)) { a.intl++; if (p && p !== 'bad' && p.isValid()) a.intlOk++; else if ((a.bad ||= []).length < 3) a.bad.push(caller); }
  if (p === null) a.unparsed++; else if (p === 'bad' || !p.isValid()) a.invalid++; else { a.valid++; const c = p.country || '+' + p.countryCallingCode; a.cty[c] = (a.cty[c] || 0) + 1; }
  const cn = L.parsePhoneNumber('+91' + calleeNorm(callee));
  if (cn.isValid()) { a.cee++; const t = cn.getType() || '?'; a.ceeType[t] = (a.ceeType[t] || 0) + 1; }
  agg.set(k, a);
}
console.log('kind'.padEnd(44), 'rows'.padStart(7), 'cliValid', 'cliInvalid', 'cliOdd', 'intlFmtValid', ' calleeValid  top CLI countries / callee types');
for (const [k, a] of [...agg].sort()) {
  const pc = (x) => (100 * x / a.n).toFixed(1).padStart(7) + '%';
  const top = Object.entries(a.cty).sort((x, y) => y[1] - x[1]).slice(0, 5).map(([c, v]) => c + ':' + Math.round(100 * v / a.n)).join(' ');
  const ct = Object.entries(a.ceeType).map(([c, v]) => c + ':' + Math.round(100 * v / a.n)).join(' ');
  if (a.bad && process.env.SHOWBAD) console.log('   bad intl examples:', a.bad.join(' '));
  console.log(k.padEnd(44), String(a.n).padStart(7), pc(a.valid), pc(a.invalid), pc(a.unparsed), ((a.intl ? (100 * a.intlOk / a.intl).toFixed(1) : '-') + '%').padStart(11), pc(a.cee), ' ', top, '|', ct);
}
