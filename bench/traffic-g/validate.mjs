#!/usr/bin/env node
// validate.mjs - checks the numbering plan tables of a generated CSV against libphonenumber-js (dev aid only;
// gen.mjs itself has no dependencies). usage: node validate.mjs FILE.csv
import fs from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').slice(1).filter(Boolean);
const byCc = new Map(), callee = { n: 0, bad: 0, ex: [] };
const norm = (s) => s.startsWith('+') && !s.startsWith('+00') ? s : s.startsWith('011') ? '+' + s.slice(3) : s.startsWith('00') ? '+' + s.slice(2) : null;
for (const l of lines) {
  const f = l.split(',');
  const label = f[8], kind = f[9];
  if (label === 'legit' || label === 'wangiri' || label === 'scam') {
    const e = norm(f[1]);
    if (e) {
      const p = parsePhoneNumberFromString(e);
      const cc = p ? p.countryCallingCode + (p.countryCallingCode === '1' ? ':' + e.slice(2, 5) : '') : '?';
      const ok = p && p.isValid();
      const k = (p && p.country ? p.country : cc) + '';
      let m = byCc.get(k); if (!m) byCc.set(k, m = { n: 0, bad: 0, ex: [] });
      m.n++; if (!ok) { m.bad++; if (m.ex.length < 4) m.ex.push(`${e}(${kind})`); }
    }
  }
  if (f[9] !== 'x') {
    const d = f[2].replace(/\D/g, '').slice(-10);
    const p = parsePhoneNumberFromString('+1' + d);
    callee.n++; if (!(p && p.isValid() && p.country === 'US')) { callee.bad++; if (callee.ex.length < 8) callee.ex.push(`${d}/${p && p.country}(${kind})`); }
  }
}
const rows = [...byCc].sort((a, b) => b[1].bad / b[1].n - a[1].bad / a[1].n);
let tn = 0, tb = 0;
for (const [k, m] of rows) { tn += m.n; tb += m.bad; if (m.bad) console.log(`${k.padEnd(8)} n=${m.n} invalid=${(100 * m.bad / m.n).toFixed(1)}% e.g. ${m.ex.join(' ')}`); }
console.log(`callers (E.164-normalisable, legit/wangiri/scam): ${tn}, invalid ${(100 * tb / tn).toFixed(2)}%`);
console.log(`callees: ${callee.n}, not valid US ${(100 * callee.bad / callee.n).toFixed(2)}% e.g. ${callee.ex.join(' ')}`);
