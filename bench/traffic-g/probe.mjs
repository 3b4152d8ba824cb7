// probe.mjs - dev aid: validity of each numbering pattern in gen.mjs tables, per libphonenumber-js
import fs from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
const src = fs.readFileSync(new URL('./gen.mjs', import.meta.url), 'utf8');
const csrc = src.match(/const COUNTRY_SRC = `([^`]*)`/)[1];
const usrc = src.match(/const US_NPA_SRC = `([^`]*)`/)[1];
let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const ri = (a, b) => a + Math.floor(rnd() * (b - a + 1));
function fill(pat) { let out = ''; for (let i = 0; i < pat.length; i++) { const c = pat[i];
  if (c === 'X') out += ri(0, 9); else if (c === 'N') out += ri(2, 9); else if (c === 'M') out += ri(1, 9);
  else if (c === '[') { const j = pat.indexOf(']', i), body = pat.slice(i + 1, j), set = []; for (let k = 0; k < body.length; k++) { if (body[k + 1] === '-') { for (let d = +body[k]; d <= +body[k + 2]; d++) set.push(String(d)); k += 2; } else set.push(body[k]); } out += set[ri(0, set.length - 1)]; i = j; }
  else out += c; } return out; }
if (!process.argv[2]) for (const line of csrc.split('\n')) {
  const [h, mob, fix] = line.split('|'); const [iso, cc] = h.split(' ');
  for (const [t, pats] of [['m', mob], ['f', fix]]) for (const p of pats.split(' ')) {
    let bad = 0, ex = []; for (let i = 0; i < 300; i++) { const n = '+' + cc + fill(p); const x = parsePhoneNumberFromString(n); if (!(x && x.isValid())) { bad++; if (ex.length < 3) ex.push(n); } }
    if (bad) console.log(`${iso} ${t} ${p} invalid ${(bad / 3).toFixed(0)}% ${ex.join(' ')}`);
  }
}
if (!process.argv[2]) for (const line of usrc.split('\n')) for (const n of line.split(':')[1].trim().split(/\s+/)) {
  const x = parsePhoneNumberFromString('+1' + n + '2345678'); if (!(x && x.isValid() && x.country === 'US')) console.log('US NPA', n, x && x.country);
}
if (process.argv[2]) { // probe prefixes: node probe.mjs +1242 3  -> which next-N-digit prefixes are valid
  const pre = process.argv[2], k = +process.argv[3] || 3, len = +process.argv[4] || 0;
  const ok = [];
  for (let v = 0; v < 10 ** k; v++) { const p = pre + String(v).padStart(k, '0'); let good = 0;
    for (let i = 0; i < 8; i++) { let s = p; while (s.length < (len || 12)) s += ri(0, 9); const x = parsePhoneNumberFromString(s); if (x && x.isValid()) good++; }
    if (good >= 6) ok.push(p.slice(pre.length)); }
  console.log(pre, 'valid next digits:', ok.join(' '));
}
