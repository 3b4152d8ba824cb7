#!/usr/bin/env node
// Validates traffic-d numbering against libphonenumber-js (max metadata), used only as a checker
// of the generator's tables (gen.mjs itself has no dependencies).
//   node validate.mjs FILE.csv      a CSV made with `gen.mjs --debug-e164`: per label/kind, the share
//                                   of intended caller / callee E.164 numbers that are invalid, and the
//                                   share of presented callers that read as invalid (presentation hazards)
//   node validate.mjs --tables      runs `gen.mjs --dump-numbers 200` and lists table ranges with invalid numbers
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
// libphonenumber-js is a dependency of the repository this sits in: a validator of the tables only, never used by gen.mjs.
const require = createRequire(new URL('../../package.json', import.meta.url));
const { parsePhoneNumberFromString } = require('libphonenumber-js/max');

const valid = (e) => { const p = parsePhoneNumberFromString(e); return !!p && p.isValid(); };
const pct = (a, b) => (b ? (100 * a / b).toFixed(2) : '-');

if (!process.argv[2] || process.argv[2] === '--help' || process.argv[2] === '-h') {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 7).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(process.argv[2] ? 0 : 2);
}
if (process.argv[2] === '--tables') {
  const gen = new URL('./gen.mjs', import.meta.url).pathname;
  const txt = execFileSync(process.execPath, [gen, '--dump-numbers', process.argv[3] || '200'], { maxBuffer: 1 << 28 }).toString();
  const agg = new Map();
  for (const l of txt.trim().split('\n').slice(1)) {
    const [iso, type, prefix, e] = l.split(',');
    const k = `${iso} ${type} ${prefix}`;
    const a = agg.get(k) || { n: 0, bad: 0, ex: '' }; a.n++;
    if (!valid(e)) { a.bad++; a.ex ||= e; }
    agg.set(k, a);
  }
  let bad = 0;
  for (const [k, a] of agg) if (a.bad) { bad++; console.log(`${k.padEnd(28)} invalid ${pct(a.bad, a.n).padStart(6)}%  e.g. ${a.ex}`); }
  console.log(`${agg.size} ranges, ${bad} with invalid numbers`);
  process.exit(0);
}

// A screening system's reading of a presented caller: strip sip:/tel:, 00 -> +, bare digits that
// are valid with a leading + are international, anything else is national Chinese.
function readPresented(s) {
  let u = s.replace(/^(sip|tel):/, '').split(/[@;]/)[0];
  if (!/^\+?\d+$/.test(u)) return null;
  if (u.startsWith('+')) return u;
  if (u.startsWith('00')) return '+' + u.slice(2);
  if (valid('+' + u)) return '+' + u;
  return '+86' + (u.startsWith('0') ? u.slice(1) : u);
}
const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const hdr = lines.shift().split(',');
const iC = hdr.indexOf('caller_e164'), iD = hdr.indexOf('callee_e164');
if (iC < 0) { console.error('no caller_e164 column: generate with gen.mjs --debug-e164'); process.exit(2); }
const K = new Map();
const HZ = {};
const cache = new Map();
const v = (e) => { let x = cache.get(e); if (x === undefined) { x = valid(e); cache.set(e, x); } return x; };
for (const l of lines) {
  const f = l.split(',');
  const key = `${f[8]}/${f[9]}`;
  const o = K.get(key) || { n: 0, num: 0, bad: 0, badP: {}, dn: 0, dbad: 0, pres: 0, presBad: 0, hazard: 0, hazP: {} };
  o.n++;
  const ce = f[iC], de = f[iD];
  if (ce) {
    o.num++;
    if (!v(ce)) { o.bad++; const p = ce.slice(0, 5); o.badP[p] = (o.badP[p] || 0) + 1; }
    else {
      const pr = readPresented(f[1]);
      if (pr && pr !== ce && !v(pr)) {
        o.hazard++; const p = `${f[4]}:${pr.slice(0, 5)}`; o.hazP[p] = (o.hazP[p] || 0) + 1;
        // mechanism: the trunk or PBX sent the number in national format (no country code), or
        // the PBX sent a mangled number (truncated, extension / room number appended)
        const u = f[1].replace(/^(sip|tel):/, '').split(/[@;]/)[0].replace(/^\+|^00/, '');
        const e = ce.slice(1);
        const m = u.startsWith(e) || (e.startsWith(u) && u.length > 6) ? 'mangled' : 'national';
        o[m] = (o[m] || 0) + 1; HZ[m] = (HZ[m] || 0) + 1;
      }
    }
  }
  o.dn++; if (!v(de)) o.dbad++;
  K.set(key, o);
}
const top = (m) => Object.entries(m).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([p, c]) => `${p}(${c})`).join(' ');
console.log('label/kind'.padEnd(32), 'calls'.padStart(7), 'numbered'.padStart(8), 'inv%'.padStart(7), 'callee inv%'.padStart(11), 'hazard%'.padStart(8), 'nat%'.padStart(6), 'mangl%'.padStart(6), ' top invalid intended prefixes | presentation hazards (trunk:read-as)');
for (const [k, o] of [...K].sort((a, b) => (a[0].startsWith('legit') ? 0 : 1) - (b[0].startsWith('legit') ? 0 : 1) || b[1].n - a[1].n)) {
  console.log(k.padEnd(32), String(o.n).padStart(7), String(o.num).padStart(8), pct(o.bad, o.num).padStart(7), pct(o.dbad, o.dn).padStart(11), pct(o.hazard, o.n).padStart(8), pct(o.national || 0, o.n).padStart(6), pct(o.mangled || 0, o.n).padStart(6), ' ', top(o.badP), '|', top(o.hazP));
}
let legit = 0, legitN = 0, legitBad = 0;
for (const [k, o] of K) if (k.startsWith('legit/')) { legit += o.n; legitN += o.num; legitBad += o.bad; }
console.log(`legit: ${legitBad} of ${legitN} intended callers invalid (${pct(legitBad, legitN)}%); presentation hazards over all calls: national format ${HZ.national || 0}, mangled ${HZ.mangled || 0} (${pct((HZ.national || 0) + (HZ.mangled || 0), lines.length)}% of ${lines.length})`);
