#!/usr/bin/env node
// gen.mjs - synthetic inbound-international -> US gateway CDR day, with ground-truth labels.
// Plain Node 20 ESM, no dependencies. Deterministic for (seed, options).
// Written from general knowledge of US/international telecoms and public fraud write-ups.
import fs from 'node:fs';

// ------------------------------------------------------------------ options
const USAGE = `usage: node gen.mjs [--seed N] [--hours H] [--scale S] [--start YYYY-MM-DD] [--out FILE]
  --seed N      RNG seed; also drives the campaign mix and structural parameters (default 1)
  --hours H     length of the simulated window in hours (default 24)
  --scale S     volume multiplier; about 120k-200k calls per 24 h at 1 (default 1)
  --start D     first day of the window, 00:00 UTC (default 2026-03-10, a Tuesday)
  --out FILE    write CSV to FILE instead of stdout
  --help        this text
Output CSV: timestamp,caller,callee,call_id,source,status,ring,duration,label,kind`;
function die(m) { process.stderr.write(`gen.mjs: ${m}\n${USAGE}\n`); process.exit(2); }
function parseArgs(argv) {
  const o = { seed: 1, hours: 24, scale: 1, start: '2026-03-10', out: null };
  for (let i = 0; i < argv.length; i++) {
    let k = argv[i], v;
    const eq = k.indexOf('=');
    if (k.startsWith('--') && eq > 0) { v = k.slice(eq + 1); k = k.slice(0, eq); }
    const val = () => { if (v !== undefined) return v; if (i + 1 >= argv.length) die(`missing value for ${k}`); return argv[++i]; };
    switch (k) {
      case '--seed': o.seed = Number(val()); break;
      case '--hours': o.hours = Number(val()); break;
      case '--scale': o.scale = Number(val()); break;
      case '--start': o.start = val(); break;
      case '--out': o.out = val(); break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0);
      default: die(`unknown option ${k}`);
    }
  }
  if (!Number.isInteger(o.seed)) die('--seed must be an integer');
  if (!(o.hours > 0 && o.hours <= 24 * 14)) die('--hours must be in (0, 336]');
  if (!(o.scale > 0 && o.scale <= 50)) die('--scale must be in (0, 50]');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start) || isNaN(Date.parse(o.start + 'T00:00:00Z'))) die('--start must be YYYY-MM-DD');
  return o;
}
const OPT = parseArgs(process.argv.slice(2));
const SEED = OPT.seed;
const T0 = Date.parse(OPT.start + 'T00:00:00Z');
const WMS = Math.round(OPT.hours * 3600e3);
const T1 = T0 + WMS;
const SCALE = OPT.scale;

// ------------------------------------------------------------------ RNG (sfc32 seeded by string hash)
function hash2(s) {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); h1 = Math.imul(h1 ^ c, 2654435761); h2 = Math.imul(h2 ^ c, 1597334677); }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}
class Rng {
  constructor(key) {
    this.key = key; const [a, b] = hash2(key), [c, d] = hash2('~' + key);
    this.a = a | 0; this.b = b | 0; this.c = c | 0; this.d = d | 0;
    for (let i = 0; i < 15; i++) this.u();
  }
  u() {
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  fork(name) { return new Rng(this.key + '/' + name); }
  int(lo, hi) { return lo + Math.floor(this.u() * (hi - lo + 1)); }
  float(lo, hi) { return lo + this.u() * (hi - lo); }
  chance(p) { return this.u() < p; }
  pick(a) { return a[Math.floor(this.u() * a.length)]; }
  wpick(pairs) { // [[item, weight], ...]
    let s = 0; for (const p of pairs) s += p[1];
    let x = this.u() * s;
    for (const p of pairs) { x -= p[1]; if (x < 0) return p[0]; }
    return pairs[pairs.length - 1][0];
  }
  normal() { let u = 0; while (u === 0) u = this.u(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.u()); }
  logn(median, sigma) { return median * Math.exp(sigma * this.normal()); }
  exp(mean) { return -mean * Math.log(1 - this.u()); }
  poisson(l) {
    if (l <= 0) return 0;
    if (l > 40) return Math.max(0, Math.round(l + Math.sqrt(l) * this.normal()));
    const L = Math.exp(-l); let k = 0, p = 1;
    do { k++; p *= this.u(); } while (p > L);
    return k - 1;
  }
  shuffle(a) { for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(this.u() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a; }
  sample(a, k) { return this.shuffle(a.slice()).slice(0, Math.min(k, a.length)); }
}
const R = (name) => new Rng(`g${SEED}:${name}`);
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
const round = (x) => Math.round(x);

// ------------------------------------------------------------------ time zones and diurnal curves
function nthSunday(y, m, n) { // n>=1, or -1 for last
  if (n > 0) { const d = new Date(Date.UTC(y, m, 1)); const first = (7 - d.getUTCDay()) % 7 + 1; return Date.UTC(y, m, first + 7 * (n - 1)); }
  const d = new Date(Date.UTC(y, m + 1, 0)); return Date.UTC(y, m, d.getUTCDate() - d.getUTCDay());
}
function dstOn(rule, ms) {
  const y = new Date(ms).getUTCFullYear();
  if (rule === 'us') return ms >= nthSunday(y, 2, 2) + 7 * 3600e3 && ms < nthSunday(y, 10, 1) + 6 * 3600e3;
  if (rule === 'eu') return ms >= nthSunday(y, 2, -1) + 3600e3 && ms < nthSunday(y, 9, -1) + 3600e3;
  if (rule === 'au') return !(ms >= nthSunday(y, 3, 1) && ms < nthSunday(y, 9, 1));
  return false;
}
// offsets evaluated at the window midpoint (a DST switch inside the window is ignored)
const TMID = T0 + WMS / 2;
const offH = (std, rule) => std + (dstOn(rule, TMID) ? 1 : 0);
const localHour = (ms, off) => { let h = (ms / 3600e3 + off) % 24; return h < 0 ? h + 24 : h; };
const localDow = (ms, off) => new Date(ms + off * 3600e3).getUTCDay();

const PROF = {
  social:   [.12,.06,.03,.02,.02,.04,.12,.30,.46,.56,.60,.63,.68,.66,.63,.66,.74,.86,1,1,.96,.84,.60,.30],
  business: [0,0,0,0,0,.01,.04,.18,.66,1,1,.86,.6,.84,.96,.92,.72,.36,.13,.06,.03,.02,.01,0],
  tcpa:     [0,0,0,0,0,0,0,0,.5,.85,1,1,.86,.9,.96,.96,.95,.9,.86,.72,.5,0,0,0],
  always:   [.25,.18,.14,.12,.13,.2,.4,.7,.9,1,1,1,1,1,1,1,1,.95,.9,.85,.75,.6,.45,.33],
  scamday:  [0,0,0,0,0,0,0,.05,.45,.9,1,1,.9,.95,1,1,.95,.8,.55,.3,.12,.04,0,0],
  night:    [.9,1,1,.95,.8,.5,.25,.12,.08,.06,.06,.06,.06,.06,.06,.06,.08,.1,.14,.2,.3,.45,.6,.8],
  evening:  [.3,.15,.06,.03,.02,.02,.04,.08,.15,.2,.25,.3,.35,.35,.35,.4,.5,.65,.85,1,1,.95,.8,.55],
};
const WEEKEND = { social: [1.35, 1, 1, 1, 1, 1.05, 1.3], business: [.06, 1, 1, 1, 1, .95, .12], tcpa: [.15, 1, 1, 1, 1, 1, .55],
  always: [.8, 1, 1, 1, 1, 1, .85], scamday: [.2, 1, 1, 1, 1, 1, .4], night: [1, 1, 1, 1, 1, 1, 1], evening: [1.2, 1, 1, 1, 1, 1.1, 1.2] };
function pv(name, ms, off) {
  const h = localHour(ms, off), i = Math.floor(h), f = h - i, a = PROF[name];
  return (a[i] * (1 - f) + a[(i + 1) % 24] * f) * WEEKEND[name][localDow(ms, off)];
}
// time sampler: per-minute piecewise-constant density over the window
const samplers = new Map();
function sampler(key, fn) {
  let s = samplers.get(key); if (s) return s;
  const n = Math.ceil(WMS / 60000), cdf = new Float64Array(n); let acc = 0;
  for (let i = 0; i < n; i++) { acc += Math.max(0, fn(T0 + i * 60000 + 30000)); cdf[i] = acc; }
  let ref = 0; for (let i = 0; i < 1440; i++) ref += Math.max(0, fn(T0 + i * 60000 + 30000));
  s = { mass: acc, ratio: ref > 0 ? acc / ref : 0,
    sample(r) {
      const x = r.u() * acc; let lo = 0, hi = n - 1;
      while (lo < hi) { const m = (lo + hi) >> 1; if (cdf[m] > x) hi = m; else lo = m + 1; }
      return T0 + lo * 60000 + Math.floor(r.u() * 60000);
    } };
  samplers.set(key, s); return s;
}

// ------------------------------------------------------------------ numbering
// pattern language: digit literal, X any digit, N 2-9, M 1-9, [..] class (ranges allowed)
function fill(r, pat) {
  let out = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === 'X') out += r.int(0, 9);
    else if (c === 'N') out += r.int(2, 9);
    else if (c === 'M') out += r.int(1, 9);
    else if (c === '[') {
      const j = pat.indexOf(']', i), body = pat.slice(i + 1, j), set = [];
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-') { for (let d = +body[k]; d <= +body[k + 2]; d++) set.push(String(d)); k += 2; } else set.push(body[k]);
      }
      out += r.pick(set); i = j;
    } else out += c;
  }
  return out;
}
// US area codes by state (tz: E,C,M,A(=Arizona),P,K(Alaska),H)
const US_NPA_SRC = `E|NY:212 315 332 347 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934
E|NJ:201 551 609 640 732 848 856 862 908 973
E|PA:215 267 445 412 878 484 610 570 717 223 724 814 272
E|MA:617 857 508 774 781 339 978 351 413
E|CT:203 475 860 959
E|RI:401
E|NH:603
E|VT:802
E|ME:207
E|DE:302
E|MD:301 240 410 443 667
E|DC:202 771
E|VA:703 571 804 757 540 434 276
E|WV:304 681
E|NC:704 980 919 984 336 743 252 910 828
E|SC:803 843 854 864 839
E|GA:404 470 678 770 943 706 762 912 229 478
E|FL:305 786 954 754 561 407 689 321 904 813 656 727 941 239 863 352 386 772
E|OH:216 440 330 234 419 567 614 380 513 937 740 220
E|MI:313 248 947 586 734 810 616 517 269 989 231
E|IN:317 463 260 765 812 930 574
E|KY:502 859 606
E|TN:423 865
C|TN:615 629 731 901 931
C|KY:270 364
C|FL:850
C|IL:312 872 773 708 847 224 630 331 815 779 618 217 309 447
C|TX:214 469 972 945 817 682 713 281 832 346 512 737 210 726 361 956 409 903 430 254 940 979 325 806 830 936
C|MN:612 651 763 952 507 218 320
C|WI:414 262 608 920 715 534
C|MO:314 636 816 975 417 573 660
C|IA:515 319 563 641 712
C|LA:504 225 318 337 985
C|AL:205 659 251 256 938 334
C|MS:601 769 662 228
C|AR:501 479 870
C|OK:405 572 918 539 580
C|KS:316 913 620 785
C|NE:402 531 308
C|ND:701
C|SD:605
M|CO:303 720 719 970
A|AZ:602 480 623 520 928
M|UT:801 385 435
M|NM:505 575
M|ID:208 986
M|MT:406
M|WY:307
M|TX:915
P|CA:213 323 310 424 818 747 626 562 714 657 949 909 951 760 442 619 858 415 628 510 341 408 669 650 925 916 279 209 559 661 805 820 831 707 530
P|WA:206 253 425 360 564 509
P|OR:503 971 541 458
P|NV:702 725 775
K|AK:907
H|HI:808`;
const STATE_POP = { CA: 39, TX: 30, FL: 22, NY: 19.6, PA: 13, IL: 12.5, OH: 11.8, GA: 11, NC: 10.8, MI: 10, NJ: 9.3, VA: 8.7, WA: 7.8, AZ: 7.4, TN: 7, MA: 7,
  IN: 6.8, MO: 6.2, MD: 6.2, WI: 5.9, CO: 5.8, MN: 5.7, SC: 5.3, AL: 5.1, LA: 4.6, KY: 4.5, OR: 4.2, OK: 4, CT: 3.6, UT: 3.4, IA: 3.2, NV: 3.2, AR: 3,
  MS: 2.9, KS: 2.9, NM: 2.1, NE: 2, ID: 1.9, WV: 1.8, HI: 1.4, NH: 1.4, ME: 1.4, MT: 1.1, RI: 1.1, DE: 1, SD: .9, ND: .8, AK: .7, DC: .7, VT: .65, WY: .58 };
const TZ_STD = { E: [-5, 'us'], C: [-6, 'us'], M: [-7, 'us'], A: [-7, 'none'], P: [-8, 'us'], K: [-9, 'us'], H: [-10, 'none'] };
const NPA = new Map(); const STATE_NPAS = {};
for (const line of US_NPA_SRC.split('\n')) {
  const [head, list] = line.split(':'); const [tz, st] = head.split('|');
  for (const n of list.trim().split(/\s+/)) { NPA.set(n, { npa: n, st, tz, off: offH(...TZ_STD[tz]) }); (STATE_NPAS[st] ||= []).push(n); }
}
const STATES = Object.keys(STATE_NPAS);
const GENERAL_GEO = STATES.map(s => [s, STATE_POP[s] || 1]);
function pickState(r, geo) { // geo: [[state|'*', w], ...]
  const s = r.wpick(geo); return s === '*' ? r.wpick(GENERAL_GEO) : s;
}
const pickNpa = (r, geo = GENERAL_GEO) => r.pick(STATE_NPAS[pickState(r, geo)]);
function usNsn(r, npa) {
  let nxx; do { nxx = `${r.int(2, 9)}${r.int(0, 9)}${r.int(0, 9)}`; } while (nxx[1] === '1' && nxx[2] === '1' || nxx === '555' || nxx === '950' || nxx === '958' || nxx === '959' || nxx === '976');
  return npa + nxx + String(r.int(0, 9999)).padStart(4, '0');
}
const US = (nsn) => ({ cc: '1', nsn, iso: 'US' });
const TOLLFREE = ['800', '888', '877', '866', '855', '844', '833'];
const tollFree = (r, pfx) => US((pfx || r.wpick([['800', 4], ['888', 3], ['877', 2.5], ['866', 2.5], ['855', 2], ['844', 1.5], ['833', 1.5]])) + fill(r, 'NXXXXXX'));

// foreign countries: iso cc stdTZ dstRule trunkPrefix region | mobile patterns | fixed patterns
const COUNTRY_SRC = `MX 52 -6 none - MX|55[1-9]XXXXXXX 33[1-9]XXXXXXX 81[1-9]XXXXXXX 222[2-9]XXXXXX 442[1-9]XXXXXX 477[1-9]XXXXXX 664[1-9]XXXXXX 656[1-9]XXXXXX 998[1-9]XXXXXX 443[1-9]XXXXXX 492[1-9]XXXXXX 614[1-9]XXXXXX 667[1-9]XXXXXX 951[1-9]XXXXXX 961[1-9]XXXXXX 462[1-9]XXXXXX 744[1-9]XXXXXX|55[2-5]XXXXXXX 33[3-6]XXXXXXX 81[8]XXXXXXX 222[2-4]XXXXXX
IN 91 5.5 none 0 IN|9[0-9]XXXXXXXX 8[0-9]XXXXXXXX 7[0-9]XXXXXXXX 63XXXXXXXX|11[2-6]XXXXXXX 22[2-6]XXXXXXX 80[2-6]XXXXXXX 40[2-6]XXXXXXX 44[2-6]XXXXXXX 33[2-6]XXXXXXX 20[2-6]XXXXXXX 124[4]XXXXXX
PH 63 8 none 0 PH|917XXXXXXX 918XXXXXXX 919XXXXXXX 920XXXXXXX 921XXXXXXX 927XXXXXXX 928XXXXXXX 939XXXXXXX 945XXXXXXX 947XXXXXXX 955XXXXXXX 956XXXXXXX 961XXXXXXX 966XXXXXXX 977XXXXXXX 995XXXXXXX 998XXXXXXX|28[2-9]XXXXXX 32[2-5]XXXXXX
CN 86 8 none 0 CN|13[0-9]XXXXXXXX 15[0-35-9]XXXXXXXX 18[0-9]XXXXXXXX 17[3678]XXXXXXXX 199XXXXXXXX|10[5-8]XXXXXXX 21[5-6]XXXXXXX 20[38]XXXXXXX 755[2-8]XXXXXXX
VN 84 7 none 0 SEA|9[0-46-8]XXXXXXX 3[2-9]XXXXXXX 7[06-9]XXXXXXX 8[1-8]XXXXXXX|24[2-8]XXXXXXX 28[3-8]XXXXXXX
DO 1 -4 none - CAR|809[2-9]XXXXXX 829[2-9]XXXXXX 849[2-9]XXXXXX|809[2-9]XXXXXX
JM 1 -5 none - CAR|876[2-5]XXXXXX 876[7-9]XXXXXX|876[2-5]XXXXXX 876[7-9]XXXXXX
HT 509 -5 us - CAR|3[1-9]XXXXXX 4[0-9]XXXXXX|22XXXXXX
SV 503 -6 none - CAM|7XXXXXXX|2[1-9]XXXXXX
GT 502 -6 none - CAM|[345]XXXXXXX|2XXXXXXX
HN 504 -6 none - CAM|[389]XXXXXXX|22XXXXXX
CR 506 -6 none - CAM|6[0-4]XXXXXX 7[0-3]XXXXXX 8[3-9]XXXXXX|2[1245-7]XXXXXX
CO 57 -5 none - SAM|30[0-5]XXXXXXX 31[0-9]XXXXXXX 32[0-4]XXXXXXX 350XXXXXXX|601[2-8]XXXXXX 604[2-8]XXXXXX
NG 234 1 none 0 AFR|80[2-9]XXXXXXX 81[0-8]XXXXXXX 70[2-9]XXXXXXX 90[2-9]XXXXXXX|80[2-9]XXXXXXX
GH 233 0 none 0 AFR|2[0346-7]XXXXXXX 5[045]XXXXXXX|302XXXXXX
PK 92 5 none 0 SAS|3[0-4]XXXXXXXX|21[2-9]XXXXXXX 42[2-9]XXXXXXX
BD 880 6 none 0 SAS|1[3-9]XXXXXXXX|2[23]XXXXXXXX
CU 53 -5 us 0 CAR|5[0-9]XXXXXX|7[2-8]XXXXXX
BR 55 -3 none 0 SAM|119[6-9]XXXXXXX 219[6-9]XXXXXXX 319[6-9]XXXXXXX 419[6-9]XXXXXXX 619[6-9]XXXXXXX 719[6-9]XXXXXXX 819[6-9]XXXXXXX 279[6-9]XXXXXXX|11[2-5]XXXXXXX 21[2-5]XXXXXXX
EC 593 -5 none 0 SAM|9[689]XXXXXXX|2[2-7]XXXXXX
PE 51 -5 none 0 SAM|9XXXXXXXX|1[2-7]XXXXXX
PL 48 1 eu - EU|5[0137-9]XXXXXXX 6[069]XXXXXXX 7[2389]XXXXXXX|22[1-9]XXXXXX
UA 380 2 eu 0 EU|50XXXXXXX 63XXXXXXX 66XXXXXXX 67XXXXXXX 68XXXXXXX 73XXXXXXX 93XXXXXXX 95XXXXXXX 96XXXXXXX 97XXXXXXX 98XXXXXXX 99XXXXXXX|44[2-5]XXXXXX
KR 82 9 none 0 APAC|10[2-9]XXXXXXX|2[2-9]XXXXXXX
JP 81 9 none 0 APAC|[789]0[1-9]XXXXXXX|3[5-6]XXXXXXX
EG 20 2 none 0 ME|1[0125]XXXXXXXX|2[2-3]XXXXXXX
ET 251 3 none 0 AFR|9[1-9]XXXXXXX|11[1-6]XXXXXX
KE 254 3 none 0 AFR|7[0-29]XXXXXXX|20[2-7]XXXXXX
GB 44 0 eu 0 EU|7[4-57-9]XXXXXXXX|20[378]XXXXXXX 161[2-9]XXXXXX
DE 49 1 eu 0 EU|15[12579]XXXXXXXX 16[023]XXXXXXX 17[0-9]XXXXXXX|30[1-9]XXXXXXX 89[1-9]XXXXXXX 69[1-9]XXXXXXX
FR 33 1 eu 0 EU|6[0-8]XXXXXXX 7[5-8]XXXXXXX|1[4-5]XXXXXXX
IT 39 1 eu - EU|3[2-9]XXXXXXXX|06[2-9]XXXXXXX 02[2-9]XXXXXXX
ES 34 1 eu - EU|6XXXXXXXX|91[2-7]XXXXXX 93[2-7]XXXXXX
IL 972 2 none 0 ME|50[2-9]XXXXXX 52[2-9]XXXXXX 53XXXXXXX 54[2-9]XXXXXX|3[5-7]XXXXXX
IE 353 0 eu 0 EU|8[35-9]XXXXXXX|1[2-9]XXXXXX
NL 31 1 eu 0 EU|6[1-5]XXXXXXX|20[2-7]XXXXXX
SE 46 1 eu 0 EU|7[02369]XXXXXXX|8[1-9]XXXXXX
CH 41 1 eu 0 EU|7[5-9]XXXXXXX|44[2-9]XXXXXX
EE 372 2 eu - EU|5[0-9]XXXXXX|6[0-9]XXXXX
RU 7 3 none 8 EU|9[0-9]XXXXXXXX|495[1-9]XXXXXX
CA 1 -5 us - CA|416NXXXXXX 647NXXXXXX 437NXXXXXX 905NXXXXXX 289NXXXXXX 613NXXXXXX 519NXXXXXX 514NXXXXXX 438NXXXXXX 450NXXXXXX 418NXXXXXX 604NXXXXXX 778NXXXXXX 250NXXXXXX 403NXXXXXX 587NXXXXXX 780NXXXXXX 306NXXXXXX 204NXXXXXX 902NXXXXXX 506NXXXXXX 709NXXXXXX|416NXXXXXX 514NXXXXXX 604NXXXXXX 403NXXXXXX 613NXXXXXX
AU 61 10 au 0 APAC|4[0-9]XXXXXXX|2[89]XXXXXXX
TW 886 8 none 0 CN|9[0-8]XXXXXXX|2[2-8]XXXXXXX
HK 852 8 none - CN|5[1-69]XXXXXX 6[0-9]XXXXXX 9[0-8]XXXXXX|2[1-9]XXXXXX 3[14-79]XXXXXX
SG 65 8 none - SEA|[89][1-8]XXXXXX|6[1-9]XXXXXX
AE 971 4 none 0 ME|5[024568]XXXXXXX|4[2-8]XXXXXX
SA 966 3 none 0 ME|5[0-9]XXXXXXX|11[2-4]XXXXXX
TR 90 3 none 0 ME|5[03-5]XXXXXXXX|212[2-9]XXXXXX
TH 66 7 none 0 SEA|8[1-9]XXXXXXX 9[0-9]XXXXXXX 6[1-5]XXXXXXX|2[1-9]XXXXXX
KH 855 7 none 0 SEA|1[0-2]XXXXXX 9[67]XXXXXXX|23[2-9]XXXXX
LA 856 7 none 0 SEA|20[23579]XXXXXXX|21[2-9]XXXXX
MM 95 6.5 none 0 SEA|93XXXXXXX|1[2-9]XXXXX
BH 973 3 none - ME|3[3-9]XXXXXX|17XXXXXX
BS 1 -5 us - CAR|2423[2-7]XXXXX 2424[2347]XXXXX 24255XXXXX 2428[0-2]XXXXX|2423[2-7]XXXXX 2424[2347]XXXXX 24255XXXXX 2428[0-2]XXXXX
BB 1 -4 none - CAR|2462[3-68]XXXXX 2463[156]XXXXX 2464[1235]XXXXX 2465[34]XXXXX 2468[2-5]XXXXX|2462[3-68]XXXXX 2463[156]XXXXX 2464[1235]XXXXX 2465[34]XXXXX 2468[2-5]XXXXX
AG 1 -4 none - CAR|2687[1-378]XXXXX|2687[1-378]XXXXX
VG 1 -4 none - CAR|284[345]4XXXXX|284[345]4XXXXX
KY 1 -5 none - CAR|34532XXXXX 3459[24]XXXXX|34532XXXXX 3459[24]XXXXX
GD 1 -4 none - CAR|4734[01]XXXXX|4734[01]XXXXX
TC 1 -5 us - CAR|6493[0-9]XXXXX 64994XXXXX|6493[0-9]XXXXX 64994XXXXX
MS 1 -4 none - CAR|66439XXXXX|66439XXXXX
LC 1 -4 none - CAR|7584[568]XXXXX 7587[12]XXXXX|7584[568]XXXXX 7587[12]XXXXX
DM 1 -4 none - CAR|76744XXXXX 76750XXXXX 76761XXXXX|76744XXXXX 76750XXXXX 76761XXXXX
VC 1 -4 none - CAR|78437XXXXX 7844[89]XXXXX|78437XXXXX 7844[89]XXXXX
KN 1 -4 none - CAR|86946XXXXX 86966XXXXX|86946XXXXX 86966XXXXX
TT 1 -4 none - CAR|8682[2-35-9]XXXXX 8683XXXXXX 8684[6-9]XXXXX 8686[1-9]XXXXX 8687XXXXXX|8686[1-9]XXXXX
TN 216 1 none - AFR|[259]XXXXXXX|7[0-9]XXXXXX
SL 232 0 none 0 AFR|7[5-9]XXXXXX 88XXXXXX 30XXXXXX|225XXXXX
GN 224 0 none - AFR|6[0-35-6]XXXXXXX|6[0-35-6]XXXXXXX
LV 371 2 eu - EU|2XXXXXXX|6[1-9]XXXXXX
LT 370 2 eu 8 EU|6XXXXXXX|6XXXXXXX
SO 252 3 none 0 AFR|6[1-9]XXXXXXX|1[2-9]XXXXX
MV 960 5 none - SAS|7[2-9]XXXXX|7[2-9]XXXXX
ST 239 0 none - AFR|9[89]XXXXX|22XXXXX
CK 682 -10 none - APAC|[57]XXXX|2XXXX
PG 675 10 none - APAC|7[0-9]XXXXXX|7[0-9]XXXXXX
MR 222 0 none - AFR|[2-4]XXXXXXX|[2-4]XXXXXXX
BY 375 3 none 8 EU|29[1-9]XXXXXX 33XXXXXXX 44XXXXXXX|17[2-3]XXXXXX
LR 231 0 none 0 AFR|77XXXXXXX 88XXXXXXX|77XXXXXXX 88XXXXXXX
KM 269 3 none - AFR|3XXXXXX|3XXXXXX
NR 674 12 none - APAC|55[0-9]XXXX|444XXXX
XI 881 0 none - SAT|6[0-9]XXXXXXX|6[0-9]XXXXXXX
XN 870 0 none - SAT|7[67]XXXXXXX|7[67]XXXXXXX
XT 882 4 none - SAT|16XXXXXXXX|16XXXXXXXX
XU 800 0 none - SAT|XXXXXXXX|XXXXXXXX`;
const CTRY = {};
for (const line of COUNTRY_SRC.split('\n')) {
  const [h, mob, fix] = line.split('|'); const [iso, cc, tz, dst, tp, region] = h.split(' ');
  CTRY[iso] = { iso, cc, off: offH(+tz, dst), trunk: tp === '-' ? '' : tp, region, mob: mob.split(' '), fix: fix.split(' ') };
}
const fnum = (r, iso, mobile = true) => { const c = CTRY[iso]; return { cc: c.cc, nsn: fill(r, r.pick(mobile ? c.mob : c.fix)), iso, mobile }; };
const isNanp = (n) => n.cc === '1';
const npaOf = (nsn) => nsn.slice(0, 3);
const offOfUs = (nsn) => (NPA.get(npaOf(nsn)) || { off: -5 }).off;

// ------------------------------------------------------------------ foreign carrier trunks (structure drawn per seed)
const TR = R('trunks');
const POPS = ['AMS', 'FRA', 'LON', 'PAR', 'MAD', 'MRS', 'MIA', 'NYC', 'ASH', 'DAL', 'LAX', 'SJC', 'SIN', 'HKG', 'TYO', 'MUM', 'JNB'];
const REGIONS = { MX: ['DAL', 'LAX', 'MIA'], CAM: ['MIA', 'DAL'], CAR: ['MIA', 'NYC'], SAM: ['MIA', 'MAD'], IN: ['MUM', 'LON', 'SIN', 'NYC'], SAS: ['LON', 'SIN', 'MUM'],
  PH: ['LAX', 'HKG', 'SIN'], CN: ['LAX', 'HKG', 'SJC'], SEA: ['SIN', 'HKG', 'LAX'], AFR: ['LON', 'PAR', 'JNB'], EU: ['FRA', 'AMS', 'LON', 'PAR', 'MAD'],
  ME: ['LON', 'FRA', 'MRS'], APAC: ['TYO', 'LAX', 'SIN'], CA: ['NYC', 'SJC', 'ASH'], SAT: ['LON', 'AMS'] };
const ANON_STYLES = ['anonymous', 'Anonymous', '', 'restricted', 'unavailable', 'Restricted', 'private', 'unknown'];
function trunkProfile(r, type) {
  const dom = r.wpick([['e164', 45], ['plain', 28], ['00', 12], ['011', 8], ['natl', 4], ['plus00', 1]]);
  const fmt = [[dom, r.float(0.75, 0.99)], ['e164', 0.02], ['plain', 0.02], ['00', 0.01], ['natl', 0.01]];
  const nanpDom = r.wpick([['e164', 45], ['1N', 30], ['N', 18], ['011', 5], ['0111', 2]]);
  const nanpFmt = [[nanpDom, r.float(0.8, 0.99)], ['e164', 0.02], ['1N', 0.02], ['N', 0.01]];
  const cdDom = r.wpick([['+1N', 45], ['1N', 35], ['N', 15], ['0111N', 3], ['011+1N', 2]]);
  return {
    type, fmt, nanpFmt,
    calleeFmt: [[cdDom, r.float(0.85, 0.995)], ['+1N', 0.01], ['1N', 0.01], ['N', 0.005]],
    calleeTech: type === 'ip' && r.chance(0.25) ? r.pick(['9901#', '1234', '#77', '00']) : '',
    anon: r.sample(ANON_STYLES, r.int(1, 2)),
    drop: type === 'ip' ? r.float(0.002, 0.04) : r.float(0, 0.01),      // CLI lost in interconnect
    garble: type === 'ip' ? r.float(0.001, 0.015) : r.float(0, 0.004),  // CLI mangled
    fail: type === 'hub' ? r.float(0.002, 0.01) : type === 'ip' ? r.float(0.01, 0.045) : r.float(0.004, 0.02),
    pdd: r.float(0.3, type === 'ip' ? 1.2 : 2.5),
    mx1: r.chance(0.3) ? r.float(0.1, 0.9) : 0,   // legacy "+52 1" mobile prefix
    cid: r.wpick([['uuid', 4], ['hexat', 3], ['numat', 2], ['b2bua', 2], ['ciscoish', 1]]),
  };
}
const TRUNKS = [];
function mkTrunk(name, type, region) { const t = { name, region, ...trunkProfile(TR.fork(name), type), n: TRUNKS.length }; TRUNKS.push(t); return t; }
const HUBS = []; const REG_TRUNKS = {}; const IP_TRUNKS = [];
{
  const nh = TR.int(4, 7), used = new Set();
  for (let i = 0; i < nh; i++) { let p; do { p = TR.pick(POPS); } while (used.has(p)); used.add(p); HUBS.push(mkTrunk(`HUB-WS${i + 1}-${p}`, 'hub', '*')); }
  for (const reg of Object.keys(REGIONS)) {
    const k = reg === 'SAT' ? 2 : TR.int(1, 3); REG_TRUNKS[reg] = [];
    for (let i = 0; i < k; i++) REG_TRUNKS[reg].push(mkTrunk(`${reg}-${TR.pick(['ILD', 'INTL', 'GW', 'MOB', 'VOX'])}${i + 1}-${TR.pick(REGIONS[reg])}`, reg === 'SAT' ? 'sat' : 'reg', reg));
  }
  const nets = ['192.0.2.', '198.51.100.', '203.0.113.'];
  const nip = TR.int(7, 14);
  for (let i = 0; i < nip; i++) IP_TRUNKS.push(mkTrunk(`${TR.pick(nets)}${TR.int(2, 254)}${TR.chance(0.4) ? ':5060' : ''}`, 'ip', 'ip'));
  REG_TRUNKS.MAR = [mkTrunk(`MARITIME-${TR.pick(['WMS', 'CAS', 'MCP'])}1-MIA`, 'sat', 'SAT')];
}
// per-seed trunk incidents: a foreign carrier's route degrades for a while (503/500 spikes -> legit failures and redials)
const INCIDENTS = [];
for (let i = 0, k = TR.int(0, 2); i < k; i++) {
  const t = TR.pick([...HUBS, ...Object.values(REG_TRUNKS).flat()]), len = TR.float(20, 120) * 60000, s0 = T0 + TR.u() * Math.max(0, WMS - len);
  INCIDENTS.push({ n: t.n, name: t.name, s0, s1: s0 + len, p: TR.float(0.3, 0.85) });
}
const incidentFail = (t, ms) => { for (const x of INCIDENTS) if (x.n === t.n && ms >= x.s0 && ms < x.s1) return x.p; return 0; };
const routeCache = new Map();
function routesFor(iso) { // per-seed least-cost routing preference for an origin country
  let rt = routeCache.get(iso); if (rt) return rt;
  const r = R('route:' + iso), reg = (CTRY[iso] || { region: 'EU' }).region;
  rt = [];
  for (const t of REG_TRUNKS[reg] || []) rt.push([t, r.float(1, 6)]);
  for (const t of r.sample(HUBS, r.int(2, HUBS.length))) rt.push([t, r.float(0.3, reg === 'SAT' ? 0.3 : 3)]);
  if (r.chance(0.5)) rt.push([r.pick(IP_TRUNKS), r.float(0.05, 0.6)]);
  routeCache.set(iso, rt); return rt;
}
const route = (r, iso) => r.wpick(routesFor(iso));

// ------------------------------------------------------------------ presentation formats
function renderNum(r, n, t) {
  if (n.raw !== undefined) return n.raw;
  if (r.chance(t.drop)) return r.pick(t.anon);
  let s;
  if (isNanp(n)) {
    const f = r.wpick(t.nanpFmt);
    s = f === 'e164' ? '+1' + n.nsn : f === '1N' ? '1' + n.nsn : f === 'N' ? n.nsn : f === '011' ? '0111' + n.nsn : '0111' + n.nsn;
  } else {
    let nsn = n.nsn;
    if (n.iso === 'MX' && n.mobile && t.mx1 && r.chance(t.mx1)) nsn = '1' + nsn;
    const f = r.wpick(t.fmt);
    const ct = CTRY[n.iso];
    s = f === 'e164' ? `+${n.cc}${nsn}` : f === 'plain' ? n.cc + nsn : f === '00' ? `00${n.cc}${nsn}` : f === '011' ? `011${n.cc}${nsn}`
      : f === 'natl' ? (ct ? ct.trunk : '') + nsn : `+00${n.cc}${nsn}`;
  }
  if (r.chance(t.garble)) s = garble(r, s);
  return s;
}
function garble(r, s) {
  const d = s.replace(/\D/g, '');
  switch (r.int(0, 6)) {
    case 0: return d.slice(0, Math.max(3, d.length - r.int(2, 5)));
    case 1: return '+' + d.slice(0, 2) + d;
    case 2: return r.pick(['0', '00', '+', '1', '123', '0000000000']);
    case 3: return d + String(r.int(0, 99));
    case 4: return r.pick(['9999', '1000', '100', '7000']);
    case 5: return '*' + d;
    default: return 'sip:' + d;
  }
}
function renderCallee(r, nsn, t) {
  const f = r.wpick(t.calleeFmt);
  const s = f === '+1N' ? '+1' + nsn : f === '1N' ? '1' + nsn : f === 'N' ? nsn : f === '0111N' ? '0111' + nsn : '011+1' + nsn;
  return t.calleeTech && r.chance(0.7) ? t.calleeTech + s.replace('+', '') : s;
}

// ------------------------------------------------------------------ callee personas and the outcome model
const personas = new Map();
function persona(nsn) {
  let p = personas.get(nsn); if (p) return p;
  const r = new Rng(`p${SEED}:${nsn}`);
  const mobile = r.chance(0.8);
  p = { mobile, vm: r.chance(mobile ? 0.7 : 0.45), ans: clamp(r.logn(0.58, 0.3), 0.15, 0.92), screen: clamp(r.float(0, 1) ** 0.7, 0, 0.97),
    silence: mobile && r.chance(0.09), reject: r.chance(0.6) ? 603 : 486, uInv: r.u(), off: offOfUs(nsn), elder: r.chance(0.2) };
  personas.set(nsn, p); return p;
}
const TALK = {
  family: (r) => clamp(r.logn(r.chance(0.15) ? 45 : 430, 0.85), 3, 7200),
  business: (r) => clamp(r.logn(230, 0.9), 5, 5400),
  robot: (r) => { const x = r.u(); return x < 0.65 ? clamp(r.logn(5, 0.5), 1, 20) : x < 0.93 ? clamp(r.logn(28, 0.4), 8, 90) : clamp(r.logn(240, 0.8), 40, 2400); },
  scam: (r) => r.chance(0.45) ? clamp(r.logn(12, 0.6), 1, 60) : clamp(r.logn(320, 1), 30, 5400),
  otp: (r) => clamp(r.logn(24, 0.25), 8, 70),
  tm: (r) => { const x = r.u(); return x < 0.5 ? clamp(r.logn(9, 0.5), 1, 30) : x < 0.9 ? clamp(r.logn(75, 0.6), 20, 400) : clamp(r.logn(420, 0.5), 150, 1800); },
};
function vmAnswer(r, o, ring) {
  if (ring >= o.patience) return { s: 487, ring: o.patience };
  let d;
  switch (o.vm) {
    case 'family': d = r.chance(0.42) ? clamp(r.logn(17, 0.5), 3, 120) : r.float(1, 7); break;
    case 'robot': d = clamp(r.logn(27, 0.3), 6, 75); break;
    case 'amd': d = r.chance(o.amdLeave ?? 0.3) ? clamp(r.logn(22, 0.3), 8, 60) : r.float(1.2, 4.5); break;
    case 'otp': d = clamp(r.logn(24, 0.25), 8, 60); break;
    case 'biz': d = clamp(r.logn(28, 0.5), 4, 120); break;
    default: d = r.float(0.3, 3);
  }
  return { s: 200, ring, dur: d };
}
// o: {t, nsn, known(0..1), patience, vm, talk, fail, inv, ansMul, block, biz, pdd}
function outcome(r, o) {
  const p = persona(o.nsn);
  if (r.chance(o.fail)) return r.wpick([[{ s: 503, ring: r.float(0.05, 2) }, 70], [{ s: 500, ring: r.float(0.05, 0.8) }, 10], [{ s: 502, ring: r.float(0.1, 1) }, 8], [{ s: 408, ring: r.float(30, 32.5) }, 12]]);
  if (p.uInv < (o.inv ?? 0.006)) return r.chance(0.88) ? { s: 404, ring: r.float(0.08, 1.4) } : { s: r.chance(0.5) ? 410 : 484, ring: r.float(0.1, 1) };
  if (o.block && r.chance(o.block)) return { s: r.wpick([[603, 2], [607, 1], [608, 3]]), ring: r.float(0.1, 1.6) };
  const pdd = o.pdd ?? 1;
  const h = localHour(o.t, p.off);
  if (o.biz) {
    const open = h >= 8 && h < 18 && localDow(o.t, p.off) % 6 !== 0;
    if (r.chance(0.02)) return { s: 486, ring: r.float(0.1, 1.2) + pdd };
    const ring = r.float(2, 12) + pdd;
    if (ring >= o.patience) return { s: 487, ring: o.patience };
    if (open ? r.chance(0.93) : r.chance(0.75)) return { s: 200, ring, dur: open || o.flood ? o.talk(r) : clamp(r.logn(25, 0.6), 3, 180) };
    return { s: r.chance(0.5) ? 480 : 408, ring: r.float(30, 45) };
  }
  const night = h < 6.5 || h >= 23;
  if (p.mobile && r.chance(night ? 0.09 : 0.035)) {
    if (p.vm && r.chance(0.7)) return vmAnswer(r, o, r.float(0.6, 4) + pdd);
    return { s: 480, ring: r.float(0.2, 4) + pdd };
  }
  if (r.chance(0.025)) {
    if (p.vm && r.chance(0.6)) return vmAnswer(r, o, r.float(0.5, 3) + pdd);
    return { s: 486, ring: r.float(0.1, 1.5) + pdd };
  }
  const trust = o.known ?? 0;
  if (p.silence && trust < 0.5) return p.vm ? vmAnswer(r, o, r.float(0.8, 3) + pdd) : { s: 480, ring: r.float(0.3, 2) + pdd };
  const hf = h < 7 ? 0.3 : h < 8.5 ? 0.7 : h < 22 ? 1 : 0.6;
  const pa = Math.min(0.97, p.ans * hf * (trust + (1 - trust) * (1 - p.screen) * 0.55 * (p.elder ? 1.4 : 1)) * (o.ansMul ?? 1));
  const ringA = clamp(r.logn(trust > 0.5 ? 7 : 9.5, 0.45), 1.2, 45) + pdd;
  if (r.chance(pa)) return ringA < o.patience ? { s: 200, ring: ringA, dur: o.talk(r) } : { s: 487, ring: o.patience };
  const pd = trust > 0.5 ? 0.05 : 0.1 + 0.25 * p.screen;
  if (r.chance(pd)) {
    const rd = r.float(2, 14) + pdd;
    if (rd >= o.patience) return { s: 487, ring: o.patience };
    if (p.vm && r.chance(0.75)) return vmAnswer(r, o, rd + r.float(0.3, 1.5));
    return { s: p.reject, ring: rd };
  }
  const vmDelay = (p.mobile ? r.float(18, 30) : r.float(22, 38)) + pdd;
  if (p.vm && vmDelay < o.patience) return vmAnswer(r, o, vmDelay);
  const noAns = p.mobile ? r.float(28, 45) : r.float(45, 95);
  if (o.patience < noAns) return { s: 487, ring: o.patience };
  return { s: r.chance(0.7) ? 408 : 480, ring: noAns };
}

// ------------------------------------------------------------------ emission
const ROWS = [];
let SEQ = 0;
const STATS = new Map(); // kind -> count (for plan line)
// c: {t, caller(num obj), nsn (callee), trunk, label, kind, o (outcome opts)} ; returns result
function call(r, c) {
  if (c.t < T0 || c.t >= T1) return null;
  const t = c.trunk;
  const o = Object.assign({ t: c.t, nsn: c.nsn, fail: t.fail, pdd: t.pdd }, c.o);
  const inc = incidentFail(t, c.t); if (inc) o.fail = Math.min(0.95, (o.fail || 0) + inc);
  const res = c.res || outcome(r, o);
  const row = { t: c.t, caller: c.cli !== undefined ? c.cli : renderNum(r, c.caller, t), callee: renderCallee(r, c.nsn, t), nsn: c.nsn, trunk: t,
    s: res.s, ring: Math.max(0.1, res.ring), dur: res.s === 200 ? Math.max(0, Math.round(res.dur)) : 0, label: c.label, kind: c.kind, seq: SEQ++ };
  ROWS.push(row);
  return row;
}

// ------------------------------------------------------------------ legitimate populations
const WIN = OPT.hours / 24;
const G = (s) => s.split(',').map(x => { const [k, v] = x.split(':'); return [k, +v]; });
const GEO = {
  MX: G('CA:35,TX:25,IL:6,AZ:6,FL:3,GA:3,NC:3,CO:3,WA:3,NV:2,NY:2,*:9'),
  CAM: G('CA:25,TX:15,NY:8,FL:8,MD:6,VA:6,NJ:5,MA:3,GA:3,NC:3,*:18'),
  IN: G('CA:18,NJ:12,TX:14,NY:9,IL:8,WA:5,GA:4,MA:4,PA:4,VA:4,*:18'),
  PH: G('CA:40,HI:8,NV:6,TX:6,WA:5,NJ:4,IL:4,NY:4,FL:3,*:20'),
  CN: G('CA:35,NY:20,NJ:5,MA:5,TX:6,WA:4,IL:3,*:22'),
  VN: G('CA:38,TX:15,WA:5,FL:3,VA:3,GA:3,*:33'),
  DO: G('NY:40,NJ:15,MA:10,FL:12,PA:6,RI:3,*:14'),
  CAR: G('NY:35,FL:30,NJ:6,GA:5,CT:4,MA:3,MD:3,*:14'),
  HT: G('FL:45,NY:25,MA:10,NJ:6,*:14'),
  CU: G('FL:75,NJ:4,TX:3,NV:3,*:15'),
  SAM: G('FL:25,NY:20,NJ:15,CA:8,TX:6,*:26'),
  BR: G('MA:20,FL:25,NJ:10,NY:10,CA:8,*:27'),
  WAF: G('TX:20,MD:12,GA:12,NY:12,NJ:5,CA:6,IL:4,*:29'),
  EAF: G('VA:12,MD:12,DC:4,MN:10,WA:8,TX:10,GA:6,CA:6,*:32'),
  SAS: G('NY:25,NJ:10,TX:14,CA:8,IL:6,VA:5,MI:4,*:28'),
  ME: G('NJ:12,NY:12,CA:15,MI:8,TX:6,*:47'),
  KR: G('CA:30,NY:10,NJ:8,TX:6,WA:6,VA:5,GA:5,*:30'),
  JP: G('CA:30,HI:20,NY:10,WA:6,*:34'),
  EEU: G('IL:20,NY:15,NJ:10,WA:5,CA:10,PA:5,*:35'),
  WEU: G('NY:15,CA:12,FL:10,MA:5,TX:5,*:53'),
  CAN: G('NY:14,MI:10,WA:10,FL:14,VT:3,ME:3,MA:6,CA:10,TX:5,*:25'),
  UNI: G('MA:14,NY:12,CA:20,IL:6,PA:6,TX:6,MI:4,NC:4,GA:3,IN:3,OH:3,*:19'),
  MIL: G('NC:14,TX:14,VA:14,WA:8,GA:8,KY:5,CO:6,CA:10,FL:8,HI:5,*:8'),
  DCA: G('DC:40,VA:30,MD:20,NY:10'),
  GEN: [['*', 1]],
  SENIOR: G('FL:30,AZ:12,CA:10,TX:8,PA:6,OH:5,NY:6,NC:5,*:18'),
};
const FAMILY_ORIGINS = [ // iso, weight, geo, median talk s
  ['MX', 30, 'MX', 480], ['IN', 12, 'IN', 540], ['PH', 9, 'PH', 600], ['CN', 7, 'CN', 420], ['VN', 4, 'VN', 420], ['DO', 5, 'DO', 360],
  ['JM', 3, 'CAR', 300], ['HT', 2.5, 'HT', 300], ['SV', 4, 'CAM', 420], ['GT', 4, 'CAM', 420], ['HN', 3, 'CAM', 420], ['CO', 3, 'SAM', 420],
  ['NG', 2, 'WAF', 360], ['GH', 1, 'WAF', 360], ['PK', 2, 'SAS', 480], ['BD', 1.2, 'SAS', 480], ['CU', 3, 'CU', 300], ['BR', 2, 'BR', 420],
  ['EC', 1.5, 'SAM', 400], ['PE', 1.2, 'SAM', 400], ['PL', 0.8, 'EEU', 500], ['UA', 1, 'EEU', 540], ['KR', 1.5, 'KR', 360], ['EG', 0.7, 'ME', 420],
  ['ET', 0.8, 'EAF', 420], ['KE', 0.6, 'EAF', 400], ['GB', 2, 'WEU', 360], ['DE', 1, 'WEU', 360], ['IT', 0.6, 'WEU', 360], ['IL', 0.8, 'ME', 360],
  ['TT', 0.5, 'CAR', 300], ['JP', 0.5, 'JP', 300], ['TW', 0.5, 'CN', 420], ['TR', 0.3, 'ME', 400], ['AE', 0.4, 'IN', 300], ['CR', 0.5, 'CAM', 360],
  ['RU', 0.4, 'EEU', 420], ['FR', 0.6, 'WEU', 330], ['ES', 0.5, 'WEU', 330], ['TH', 0.3, 'CA', 360], ['HK', 0.3, 'CN', 360], ['LR', 0.2, 'WAF', 300],
];
const platformCache = new Map();
function platformNums(iso) { // calling-card / cheap-route platforms that overwrite the CLI with their own number
  let p = platformCache.get(iso); if (p) return p;
  const r = R('platform:' + iso); p = [];
  const k = r.int(1, 4);
  for (let i = 0; i < k; i++) p.push(r.chance(0.6) ? fnum(r, iso, false) : US(usNsn(r, pickNpa(r))));
  platformCache.set(iso, p); return p;
}
const callsMix = (r) => r.wpick([[1, 62], [2, 20], [3, 8], [r.int(4, 8), 8], [r.int(9, 22), 2]]);
const MEANCALLS = 2.0;

// generic "people calling people" generator (families, students, roamers, military, Canada ...)
function genPersonal(r, P) {
  const origins = P.origins.map(o => [o, o[1] * (P.noise ? r.logn(1, P.noise) : 1)]);
  const sumW = origins.reduce((a, b) => a + b[1], 0);
  const surge = P.surge || null;
  for (const [o, w] of origins) {
    const [iso, , geoName, talkMed] = o;
    const rc = r.fork(iso);
    const geo = GEO[geoName] || GEO.WEU;
    const budget = P.budget * w / sumW * WIN;
    const nCallers = Math.max(1, Math.round(budget / MEANCALLS));
    const talkM = (talkMed || 400) * rc.logn(1, 0.2);
    const talk = P.talk || ((x) => clamp(x.logn(x.chance(0.15) ? 45 : talkM, 0.85), 3, 7200));
    const pool = [];
    const oOff = CTRY[iso].off;
    for (let i = 0; i < nCallers; i++) {
      const caller = P.callerFn ? P.callerFn(rc, iso) : fnum(rc, iso, rc.chance(P.mobileShare ?? 0.85));
      const mode = rc.wpick([['n', 1 - (P.platform ?? 0.04) - (P.anon ?? 0.025)], ['p', P.platform ?? 0.04], ['a', P.anon ?? 0.025]]);
      const plat = mode === 'p' ? rc.pick(platformNums(iso)) : null;
      const nrel = 1 + (rc.chance(0.45) ? 1 : 0) + (rc.chance(0.15) ? 1 : 0) + (rc.chance(0.05) ? 2 : 0);
      const rels = [];
      for (let k = 0; k < nrel; k++) {
        if (pool.length > 5 && rc.chance(P.shared ?? 0.06)) rels.push(rc.pick(pool));
        else if (P.near && isNanp(caller) && rc.chance(0.6)) rels.push(usNsn(rc, npaOf(caller.nsn)));
        else { const n = usNsn(rc, pickNpa(rc, geo)); rels.push(n); if (rc.chance(0.3)) pool.push(n); }
      }
      let nc = callsMix(rc);
      if (surge && surge.iso === iso) nc += rc.poisson(surge.extra);
      for (let c = 0; c < nc; c++) {
        let callee = rc.chance(0.6) ? rels[0] : rc.pick(rels);
        const uOff = offOfUs(callee);
        let kind = P.kind(iso);
        let t;
        if (surge && surge.iso === iso && c > 0 && rc.chance(0.6)) { t = surge.t0 + rc.u() * surge.len; kind += '_surge'; }
        else t = sampler(`${P.key}:${oOff}:${uOff}`, (ms) => (pv(P.curveO || 'social', ms, oOff) ** 0.6) * pv(P.curveU || 'social', ms, uOff)).sample(rc);
        if (P.selfVm && isNanp(caller) && caller.iso === 'US' && rc.chance(P.selfVm)) {
          const tr = P.trunkFn ? P.trunkFn(rc, iso) : route(rc, iso);
          call(rc, { t, caller, nsn: caller.nsn, trunk: tr, label: 'legit', kind: kind + '_voicemail', res: { s: 200, ring: rc.float(0.5, 2.5), dur: clamp(rc.logn(45, 0.6), 6, 400) } });
          continue;
        }
        for (let a = 0; a < 7; a++) {
          const tr = P.trunkFn ? P.trunkFn(rc, iso) : route(rc, iso);
          const cli = P.cliFn ? P.cliFn(rc, caller, tr) : mode === 'a' ? rc.pick(tr.anon) : undefined;
          const callerN = plat || caller;
          const failx = surge && kind.endsWith('_surge') ? 0.25 : 0;
          const row = call(rc, { t, caller: callerN, cli, nsn: callee, trunk: tr, label: 'legit', kind,
            o: { known: P.known ?? 1, patience: clamp(rc.logn(26, 0.35), 9, 75), vm: 'family', talk, fail: tr.fail + failx + (P.failx || 0) } });
          if (!row) break;
          const ok = row.s === 200 && row.dur > 20;
          if (ok || row.s === 404) {
            if (row.s === 200 && row.dur < 60 && rc.chance(0.08)) { // line dropped, call straight back
              t = row.t + (row.ring + row.dur + rc.float(4, 40)) * 1000; continue;
            }
            break;
          }
          if (!rc.chance((P.redial ?? 0.55) * 0.78 ** a)) break;
          t = row.t + (row.ring + row.dur) * 1000 + clamp(rc.logn(100, 0.9), 8, 1800) * 1000;
          if (rels.length > 1 && rc.chance(0.25)) callee = rc.pick(rels);
        }
      }
    }
  }
}

// business PBXs abroad calling US partners (DID blocks; main-number or per-extension CLI)
function genBusiness(r, budget) {
  const origins = [['GB', 18], ['DE', 12], ['IN', 12], ['CN', 8], ['JP', 7], ['MX', 8], ['IL', 5], ['IE', 5], ['FR', 6], ['NL', 4], ['KR', 4], ['SG', 3], ['BR', 3], ['CA', 10], ['TW', 3], ['HK', 3], ['AE', 2], ['CH', 3], ['SE', 2], ['ES', 2], ['IT', 3]];
  const n = Math.max(3, Math.round(budget * WIN / 14));
  for (let i = 0; i < n; i++) {
    const rc = r.fork('co' + i);
    const iso = rc.wpick(origins);
    const base = fnum(rc, iso, false);
    const blk = base.nsn.slice(0, -2);
    const policy = rc.wpick([['main', 35], ['ext', 50], ['mixed', 15]]);
    const outbound = rc.chance(0.1); // sales office calling many prospects
    const nPartners = outbound ? rc.int(30, 150) : rc.int(2, 20);
    const blocks = []; for (let b = 0; b < rc.int(1, 3); b++) blocks.push(usNsn(rc, pickNpa(rc)).slice(0, 8));
    const partners = []; for (let k = 0; k < nPartners; k++) partners.push(outbound ? usNsn(rc, pickNpa(rc)) : rc.pick(blocks) + String(rc.int(0, 99)).padStart(2, '0'));
    const oOff = CTRY[iso].off;
    const nc = Math.max(1, Math.round(rc.logn(outbound ? 60 : 9, 0.7)));
    const trs = [route(rc, iso), route(rc, iso)];
    for (let c = 0; c < nc; c++) {
      const callee = outbound ? partners[c % partners.length] : rc.pick(partners);
      const uOff = offOfUs(callee);
      const t = sampler(`biz:${oOff}:${uOff}`, (ms) => pv('business', ms, uOff) * (0.15 + pv('business', ms, oOff) ** 0.5)).sample(rc);
      const ext = policy === 'main' || (policy === 'mixed' && rc.chance(0.5)) ? base : { ...base, nsn: blk + String(rc.int(0, 99)).padStart(2, '0') };
      const tr = rc.chance(0.85) ? trs[0] : trs[1];
      const row = call(rc, { t, caller: ext, nsn: callee, trunk: tr, label: 'legit', kind: outbound ? 'business_outbound' : 'business_pbx',
        o: outbound ? { known: 0.2, patience: rc.float(20, 40), vm: 'amd', amdLeave: 0.5, talk: TALK.business } : { biz: true, known: 1, patience: 45, talk: TALK.business } });
      if (row && row.s !== 200 && !outbound && rc.chance(0.4)) call(rc, { t: row.t + rc.float(60, 900) * 1000, caller: ext, nsn: callee, trunk: tr, label: 'legit', kind: 'business_pbx', o: { biz: true, known: 1, patience: 45, talk: TALK.business } });
    }
  }
}

// offshore call centres (BPO) working for US clients, presenting the clients' US numbers
const BPO_TF = [];      // toll-free numbers used by legit BPO programs (fraud may spoof the same ones)
const PROGRAMS = [];
function genBpo(r, budget) {
  const nSites = r.int(2, 6);
  const sites = [];
  for (let i = 0; i < nSites; i++) sites.push([r.wpick([['IN', 40], ['PH', 30], ['CO', 8], ['MX', 8], ['JM', 5], ['DO', 5], ['GT', 3], ['SV', 3]]), r.logn(1, 0.6)]);
  const sw = sites.reduce((a, b) => a + b[1], 0);
  const TYPES = { collections: { w: 30, known: 0.04, leave: 0.5, tries: [1, 3], gap: [90, 240], talk: (x) => clamp(x.logn(150, 1), 5, 2400), block: 0.03 },
    customer_service: { w: 25, known: 0.55, leave: 0.4, tries: [1, 2], gap: [10, 60], talk: (x) => clamp(x.logn(330, 0.7), 10, 3600), block: 0.005 },
    appointment_reminder: { w: 15, known: 0.35, leave: 0.85, tries: [1, 2], gap: [120, 240], talk: (x) => clamp(x.logn(35, 0.4), 8, 200), block: 0.01 },
    sales_followup: { w: 15, known: 0.22, leave: 0.3, tries: [1, 2], gap: [60, 180], talk: TALK.tm, block: 0.02 },
    survey: { w: 5, known: 0.05, leave: 0, tries: [1, 1], gap: [60, 60], talk: (x) => clamp(x.logn(140, 0.7), 5, 1200), block: 0.02 },
    verification: { w: 10, known: 0.5, leave: 0.6, tries: [1, 2], gap: [5, 15], talk: (x) => clamp(x.logn(120, 0.6), 10, 900), block: 0.01 } };
  sites.forEach(([iso, w], si) => {
    const rs = r.fork('site' + si);
    const nProg = rs.int(1, 3);
    for (let pi = 0; pi < nProg; pi++) {
      const rp = rs.fork('p' + pi);
      const type = rp.wpick(Object.entries(TYPES).map(([k, v]) => [k, v.w]));
      const T = TYPES[type];
      const strat = rp.wpick([['toll_free', 35], ['local_presence', 30], ['main', 25], ['branch', 10]]);
      let clis = [], lp = new Map();
      if (strat === 'toll_free') { for (let k = 0; k < rp.int(1, 5); k++) { const n = tollFree(rp); clis.push(n); BPO_TF.push(n); } }
      else if (strat === 'local_presence') { for (let k = 0; k < rp.int(20, 300); k++) { const n = US(usNsn(rp, pickNpa(rp))); clis.push(n); if (!lp.has(npaOf(n.nsn))) lp.set(npaOf(n.nsn), n); } }
      else if (strat === 'main') { const npa = pickNpa(rp); for (let k = 0; k < rp.int(1, 2); k++) clis.push(US(usNsn(rp, npa))); }
      else { for (let k = 0; k < rp.int(5, 40); k++) clis.push(US(usNsn(rp, pickNpa(rp)))); }
      const trs = [rp.chance(0.6) ? route(rp, iso) : rp.pick(IP_TRUNKS)]; if (rp.chance(0.5)) trs.push(rp.chance(0.5) ? rp.pick(HUBS) : rp.pick(IP_TRUNKS));
      const vol = budget * WIN * (w / sw) / nProg * rp.logn(1, 0.3);
      const meanTries = (T.tries[0] + T.tries[1]) / 2 * 0.8;
      const nCallees = Math.max(5, Math.round(vol / meanTries));
      const abandon = rp.float(0.005, 0.04), block = T.block * rp.float(0.3, 3) * (strat === 'local_presence' || strat === 'toll_free' ? 1.5 : 1);
      const geo = iso === 'MX' || iso === 'CO' || iso === 'GT' || iso === 'SV' || iso === 'DO' ? (rp.chance(0.5) ? GEO.CAM : GENERAL_GEO) : GENERAL_GEO;
      const kind = 'bpo_' + type;
      PROGRAMS.push(`${kind}@${iso}/${strat}`);
      for (let c = 0; c < nCallees; c++) {
        const callee = usNsn(rp, pickNpa(rp, geo));
        const uOff = offOfUs(callee);
        let t = sampler(`tcpa:${uOff}`, (ms) => pv('tcpa', ms, uOff)).sample(rp);
        const tries = rp.int(T.tries[0], T.tries[1]);
        for (let a = 0; a < tries; a++) {
          const lh = localHour(t, uOff);
          if (lh >= 21 || lh < 8) break;
          const cli = strat === 'local_presence' ? (lp.get(npaOf(callee)) || rp.pick(clis)) : rp.pick(clis);
          const tr = rp.pick(trs);
          const row = call(rp, { t, caller: cli, nsn: callee, trunk: tr, label: 'legit', kind,
            o: { known: T.known, patience: rp.float(17, 32), vm: 'amd', amdLeave: T.leave, talk: T.talk, block, inv: 0.02 } });
          if (!row) break;
          if (row.s === 200 && row.dur > 3 && rp.chance(abandon)) { row.dur = rp.int(0, 2); }
          if (row.s === 200 && (row.dur > 6 || type === 'appointment_reminder')) break;
          if (row.s === 404 || row.s === 608 || row.s === 607) break;
          t = row.t + rp.float(T.gap[0], T.gap[1]) * 60000;
        }
      }
    }
  });
}

// voice OTP / notification platforms (CPaaS)
function genOtp(r, budget) {
  const n = r.int(2, 5), ws = []; for (let i = 0; i < n; i++) ws.push(r.logn(1, 0.7));
  const sw = ws.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    const rp = r.fork('otp' + i);
    const notif = rp.chance(0.35);
    const home = rp.pick(['IE', 'EE', 'GB', 'SG', 'DE', 'IN', 'NL', 'SE']);
    const mode = rp.wpick([['us_pool', 45], ['tollfree', 20], ['foreign', 25], ['odd', 10]]);
    let clis = [];
    if (mode === 'us_pool') for (let k = 0; k < rp.int(3, 40); k++) clis.push(US(usNsn(rp, pickNpa(rp))));
    else if (mode === 'tollfree') for (let k = 0; k < rp.int(1, 3); k++) clis.push(tollFree(rp));
    else if (mode === 'foreign') for (let k = 0; k < rp.int(1, 4); k++) clis.push(fnum(rp, home, rp.chance(0.5)));
    else clis = [{ raw: rp.pick(['+10000000000', '0000', '12345', 'VERIFY', '+18000000000', '1111111111']) }];
    const trs = [rp.chance(0.6) ? rp.pick(IP_TRUNKS) : route(rp, home), rp.pick(HUBS)];
    const nc = Math.round(budget * WIN * ws[i] / sw / 1.2);
    const kind = notif ? 'notification' : 'voice_otp';
    PROGRAMS.push(`${kind}@${home}/${mode}`);
    for (let c = 0; c < nc; c++) {
      const callee = usNsn(rp, pickNpa(rp));
      const uOff = offOfUs(callee);
      let t = sampler(`${notif ? 'business' : 'always'}:${uOff}`, (ms) => pv(notif ? 'business' : 'always', ms, uOff) + 0.05).sample(rp);
      const tries = notif ? 2 : rp.int(1, 3);
      for (let a = 0; a < tries; a++) {
        const row = call(rp, { t, caller: rp.pick(clis), nsn: callee, trunk: rp.chance(0.8) ? trs[0] : trs[1], label: 'legit', kind,
          o: { known: notif ? 0.35 : 0.75, patience: rp.float(25, 45), vm: 'otp', talk: TALK.otp, inv: 0.01 } });
        if (!row || (row.s === 200 && row.dur > 10) || row.s === 404) break;
        t = row.t + (notif ? rp.float(30, 120) * 60 : rp.float(30, 150)) * 1000;
      }
    }
  }
}

// airlines, banks, hotels, cruise ships
function genTravelFinance(r, budget) {
  const B = budget * WIN;
  // airline disruption notifications: bursts from one CLI to many passengers
  const nAir = r.int(1, 4);
  for (let i = 0; i < nAir; i++) {
    const rp = r.fork('air' + i);
    const iso = rp.pick(['GB', 'DE', 'FR', 'NL', 'AE', 'MX', 'JP', 'KR', 'IE', 'ES', 'TR', 'CO']);
    const cli = rp.chance(0.5) ? fnum(rp, iso, false) : tollFree(rp);
    const tr = rp.chance(0.5) ? route(rp, iso) : rp.pick(HUBS);
    const events = rp.int(1, 3);
    for (let e = 0; e < events; e++) {
      const start = T0 + rp.u() * WMS, span = rp.float(10, 70) * 60000, pax = Math.round(B * 0.25 / nAir / events / 1.3 * rp.logn(1, 0.4));
      for (let k = 0; k < pax; k++) {
        const callee = usNsn(rp, pickNpa(rp)); let t = start + rp.u() * span;
        for (let a = 0; a < 2; a++) {
          const row = call(rp, { t, caller: cli, nsn: callee, trunk: tr, label: 'legit', kind: 'airline_notice', o: { known: 0.45, patience: 30, vm: 'robot', talk: (x) => clamp(x.logn(70, 0.6), 10, 900) } });
          if (!row || row.s === 200) break; t += rp.float(15, 45) * 60000;
        }
      }
    }
  }
  // foreign banks serving US-resident customers, fraud-alert / service calls
  const nBank = r.int(1, 3);
  for (let i = 0; i < nBank; i++) {
    const rp = r.fork('bank' + i);
    const iso = rp.pick(['MX', 'IN', 'CO', 'PH', 'GB', 'DO', 'SV', 'BR']);
    const clis = rp.chance(0.4) ? [tollFree(rp)] : [fnum(rp, iso, false), fnum(rp, iso, false)];
    const tr = route(rp, iso), n = Math.round(B * 0.25 / nBank * rp.logn(1, 0.3));
    const geo = GEO[{ MX: 'MX', IN: 'IN', CO: 'SAM', PH: 'PH', DO: 'DO', SV: 'CAM', BR: 'BR' }[iso]] || GENERAL_GEO;
    for (let k = 0; k < n; k++) {
      const callee = usNsn(rp, pickNpa(rp, geo)), uOff = offOfUs(callee);
      const t = sampler(`tcpa:${uOff}`, (ms) => pv('tcpa', ms, uOff)).sample(rp);
      call(rp, { t, caller: rp.pick(clis), nsn: callee, trunk: tr, label: 'legit', kind: 'bank_alert', o: { known: 0.4, patience: 30, vm: 'amd', amdLeave: 0.7, talk: (x) => clamp(x.logn(95, 0.6), 10, 1200) } });
    }
  }
  // hotel PBX: many guests, one main number, many distinct US callees
  const nHotel = r.int(5, 30), hb = B * 0.3 / nHotel;
  for (let i = 0; i < nHotel; i++) {
    const rp = r.fork('hotel' + i);
    const iso = rp.pick(['MX', 'MX', 'DO', 'JM', 'BS', 'CR', 'IT', 'FR', 'ES', 'GB', 'KY', 'TC', 'BB', 'JP']);
    const main = fnum(rp, iso, false), tr = route(rp, iso), oOff = CTRY[iso].off;
    const guests = Math.max(2, Math.round(hb / 1.6 * rp.logn(1, 0.5)));
    for (let g = 0; g < guests; g++) {
      const home = usNsn(rp, pickNpa(rp));
      const uOff = offOfUs(home);
      for (let c = 0; c < rp.int(1, 2); c++) {
        const t = sampler(`hotel:${oOff}:${uOff}`, (ms) => pv('evening', ms, oOff) * pv('social', ms, uOff)).sample(rp);
        call(rp, { t, caller: main, nsn: home, trunk: tr, label: 'legit', kind: 'hotel_pbx', o: { known: 0.25, patience: rp.float(25, 50), vm: 'family', talk: (x) => clamp(x.logn(240, 0.9), 5, 3600) } });
      }
    }
  }
  // cruise ships: ship satellite number, or passengers' own US numbers via maritime roaming
  const nShip = r.int(2, 6), sb = B * 0.2 / nShip;
  for (let i = 0; i < nShip; i++) {
    const rp = r.fork('ship' + i);
    const shipNum = fnum(rp, 'XN'), tr = REG_TRUNKS.MAR[0], viaSat = rp.chance(0.5);
    for (let k = 0; k < Math.round(sb * rp.logn(1, 0.4)); k++) {
      const pax = US(usNsn(rp, pickNpa(rp))), home = rp.chance(0.5) ? usNsn(rp, npaOf(pax.nsn)) : usNsn(rp, pickNpa(rp));
      const uOff = offOfUs(home);
      const t = sampler(`social:${uOff}`, (ms) => pv('social', ms, uOff)).sample(rp);
      call(rp, { t, caller: viaSat && rp.chance(0.8) ? shipNum : pax, nsn: home, trunk: viaSat ? REG_TRUNKS.SAT[0] : tr, label: 'legit', kind: 'cruise_ship',
        o: { known: 0.8, patience: rp.float(25, 50), vm: 'family', talk: (x) => clamp(x.logn(200, 0.8), 5, 2400) } });
    }
  }
}

// conference bridges dialling out to participants at meeting start
function genConference(r, budget) {
  const n = r.int(2, 5);
  for (let i = 0; i < n; i++) {
    const rp = r.fork('conf' + i);
    const home = rp.pick(['GB', 'IE', 'SG', 'IN', 'NL', 'DE']);
    const cli = rp.wpick([[tollFree(rp), 3], [fnum(rp, home, false), 3], [US(usNsn(rp, pickNpa(rp))), 2]]);
    const tr = rp.chance(0.5) ? route(rp, home) : rp.pick(IP_TRUNKS);
    let left = budget * WIN / n * rp.logn(1, 0.3);
    while (left > 0) {
      const ptz = rp.pick([-5, -6, -8].map(x => x + (dstOn('us', TMID) ? 1 : 0)));
      let st = sampler(`business:${ptz}`, (ms) => pv('business', ms, ptz)).sample(rp);
      st = Math.floor(st / 1800000) * 1800000 + rp.float(-60, 120) * 1000;
      const len = clamp(rp.logn(2400, 0.4), 600, 7200), np = rp.int(2, 20);
      left -= np;
      for (let k = 0; k < np; k++) {
        const callee = usNsn(rp, pickNpa(rp)); let t = st + rp.float(0, 90) * 1000;
        for (let a = 0; a < 2; a++) {
          const row = call(rp, { t, caller: cli, nsn: callee, trunk: tr, label: 'legit', kind: 'conference_dialout', o: { known: 0.9, patience: 40, vm: 'hangup', talk: (x) => clamp(len - x.float(0, 300) - (t - st) / 1000, 20, 7200) } });
          if (!row || row.s === 200) break; t = row.t + rp.float(40, 120) * 1000;
        }
      }
    }
  }
}

// popular US lines called by many foreigners (law firm, remittance, university, church, call-in show)
const CAP = new Map(); const POPULAR = [];
function genPopular(r, budget) {
  const n = r.int(2, 6), tb = budget * WIN / n;
  for (let i = 0; i < n; i++) {
    const rp = r.fork('pop' + i);
    const nsn = usNsn(rp, pickNpa(rp)); POPULAR.push(nsn);
    CAP.set(nsn, { cap: rp.int(4, 30), code: rp.chance(0.5) ? 486 : 503 });
    const uOff = offOfUs(nsn);
    const callers = Math.round(tb * rp.logn(1, 0.3) / 1.3);
    for (let k = 0; k < callers; k++) {
      const iso = rp.wpick(FAMILY_ORIGINS.map(o => [o[0], o[1]]));
      const caller = fnum(rp, iso, rp.chance(0.8)), tr = route(rp, iso);
      let t = sampler(`business:${uOff}`, (ms) => pv('business', ms, uOff) + 0.03).sample(rp);
      for (let a = 0; a < 4; a++) {
        const row = call(rp, { t, caller, nsn, trunk: tr, label: 'legit', kind: 'popular_line', o: { biz: true, patience: 60, talk: (x) => clamp(x.logn(260, 0.8), 10, 3600) } });
        if (!row || (row.s === 200 && !rp.chance(0.12))) break;
        t = row.t + (row.ring + row.dur + rp.float(30, 900)) * 1000;
      }
    }
  }
}

// ------------------------------------------------------------------ fraud building blocks
const CAMPAIGNS = []; // for the plan line
function fraudTrunks(r, k, iso) {
  const out = [];
  for (let i = 0; i < k; i++) {
    const x = r.u();
    out.push([x < 0.6 ? r.pick(IP_TRUNKS) : x < 0.88 || !iso ? r.pick(HUBS) : route(r, iso), r.logn(1, 0.8)]);
  }
  return out;
}
function onOff(r, dutyMed) { // dialer on/off periods
  const per = []; let t = T0 - r.float(0, 3600e3);
  while (t < T1) { const on = r.logn(dutyMed, 0.6) * 60000; per.push([t, t + on]); t += on + r.logn(25, 0.8) * 60000; }
  return (ms) => { for (const p of per) if (ms >= p[0] && ms < p[1]) return 1; return 0.04; };
}
const ET_OFF = offH(-5, 'us');
function timeFn(r, id, curve, tzMode, duty) {
  const oo = duty ? onOff(r, duty) : () => 1;
  if (tzMode === 'callee') return (nsn) => { const u = nsn ? offOfUs(nsn) : ET_OFF; return sampler(`${id}:${u}`, (ms) => pv(curve, ms, u) * oo(ms)).sample(r); };
  const s = sampler(`${id}:et`, (ms) => pv(curve, ms, ET_OFF) * oo(ms));
  return () => s.sample(r);
}
function targetGen(r, mode, geo) {
  if (mode === 'list') { const L = []; const n = r.int(2000, 40000); return { inv: 0.04, next: () => { if (L.length < n && (L.length < 50 || r.chance(0.8))) { const x = usNsn(r, pickNpa(r, geo || GENERAL_GEO)); L.push(x); return x; } return r.pick(L); } }; }
  if (mode === 'sweep') {
    const pref = []; for (let i = 0; i < r.int(3, 60); i++) pref.push(usNsn(r, pickNpa(r, geo || GENERAL_GEO)).slice(0, 6));
    let pi = 0, line = r.int(0, 9000), step = r.pick([1, 1, 1, 2, 3, 7, 11]);
    return { inv: 0.3, seq: true, next: () => { line += step; if (line > 9999 || r.chance(0.002)) { pi = (pi + 1) % pref.length; line = r.int(0, 500); } return pref[pi] + String(line).padStart(4, '0'); } };
  }
  if (mode === 'npas') { const npas = []; for (let i = 0; i < r.int(2, 15); i++) npas.push(pickNpa(r, geo || GENERAL_GEO)); return { inv: 0.22, next: () => usNsn(r, r.pick(npas)) }; }
  return { inv: 0.2, next: () => usNsn(r, pickNpa(r, geo || GENERAL_GEO)) };
}
const AGENCY = ['8007721213', '8008291040', '8006334227']; // agency help-line style numbers that spoofers imitate
function cliGen(r, tactic, o = {}) {
  switch (tactic) {
    case 'neighbor': return (nsn) => US(r.chance(0.65) ? nsn.slice(0, 6) + fill(r, 'XXXX') : usNsn(r, npaOf(nsn)));
    case 'random_us': return () => US(usNsn(r, pickNpa(r)));
    case 'pool': { const P = []; for (let i = 0; i < (o.size || r.int(10, 500)); i++) P.push(US(usNsn(r, pickNpa(r, o.geo)))); return () => r.pick(P); }
    case 'block': { const base = usNsn(r, pickNpa(r)).slice(0, 7); let k = r.int(0, 999); return () => US(base + String((k = (k + (r.chance(0.7) ? 1 : r.int(2, 50))) % 1000)).padStart(3, '0')); }
    case 'agency': { const P = AGENCY.map(US); for (let i = 0; i < 6; i++) P.push(US(usNsn(r, '202'))); return (nsn) => r.chance(0.3) ? US(npaOf(nsn) + fill(r, 'NXX') + r.pick(['0100', '1000', '2000', '5000', '0911'])) : r.pick(P); }
    case 'own': return (nsn) => US(nsn);
    case 'tollfree': { const P = []; for (let i = 0; i < (o.size || r.int(3, 60)); i++) P.push(tollFree(r)); return () => r.pick(P); }
    case 'uifn': { const P = []; for (let i = 0; i < r.int(2, 20); i++) P.push(fnum(r, 'XU')); return () => r.pick(P); }
    case 'foreign': { const P = []; for (let i = 0; i < (o.size || r.int(3, 80)); i++) P.push(fnum(r, r.pick(o.isos), r.chance(o.mob ?? 0.8))); return () => r.pick(P); }
    case 'anon': return () => ({ raw: r.pick(['anonymous', '', 'Anonymous', 'restricted']) });
    default: throw new Error('cli ' + tactic);
  }
}
function invalidCli(r, how) {
  const d = (n) => { let s = ''; for (let i = 0; i < n; i++) s += r.int(0, 9); return s; };
  const pre = r.wpick([['+1', 4], ['1', 3], ['', 3]]);
  switch (how) {
    case 'n11': return pre + (r.chance(0.5) ? `${r.int(2, 9)}11` + fill(r, 'NXXXXXX') : pickNpa(r) + `${r.int(2, 9)}11` + d(4));
    case '555': return pre + pickNpa(r) + '55501' + d(2);
    case 'unassigned_npa': return pre + r.pick(['37' + r.int(0, 9), '96' + r.int(0, 9), '0' + d(2), '1' + d(2), r.pick(['999', '988', '950', '976'])]) + fill(r, 'NXXXXXX');
    case 'malformed': return r.chance(0.5) ? pre + d(r.int(4, 9)) : '+' + d(r.int(13, 16));
    default: return r.pick(['0000000000', '1111111111', '1234567890', '9999999999', '+10000000000', '2222222222', '+11234567890', '0']);
  }
}
// generic fraud campaign runner
function runCampaign(r, C) {
  const n = Math.max(1, Math.round(C.n));
  CAMPAIGNS.push(`${C.kind}:${n}`);
  const times = [];
  const tg = C.target;
  for (let i = 0; i < n; i++) {
    if (tg.seq) times.push([C.when(null), null]);
    else { const nsn = tg.next(); times.push([C.when(nsn), nsn]); }
  }
  if (tg.seq) { times.sort((a, b) => a[0] - b[0]); for (const x of times) x[1] = tg.next(); }
  for (const [t0, nsn] of times) {
    let t = t0;
    for (let a = 0; a < 1 + (C.maxRepeat || 0); a++) {
      const tr = r.wpick(C.trunks);
      const cli = C.cli(nsn, t);
      const row = call(r, { t, caller: cli.raw !== undefined ? undefined : cli, cli: cli.raw, nsn, trunk: tr, label: C.label, kind: C.kindFn ? C.kindFn(cli) : C.kind,
        o: Object.assign({ inv: tg.inv, known: 0, patience: C.patience ? C.patience() : r.float(15, 32), vm: C.vm || 'robot', talk: C.talk || TALK.robot, block: C.block || 0, ansMul: C.ansMul || 1 }, C.o || {}) });
      if (!row || !C.repeatP || !r.chance(C.repeatP(row))) break;
      t = row.t + (C.gap ? C.gap() : r.float(20, 240) * 60000);
    }
  }
}

// ------------------------------------------------------------------ fraud classes
const fx = (n) => Math.max(1, Math.round(n * SCALE * WIN)); // fixed-size campaigns scale with volume and window
const WANGIRI_CAR = ['JM', 'GD', 'DO', 'AG', 'VG', 'TC', 'MS', 'DM', 'KN', 'LC', 'VC', 'BB', 'KY'];
const WANGIRI_IRSF = ['TN', 'SL', 'GN', 'LV', 'LT', 'SO', 'MV', 'ST', 'CK', 'PG', 'MR', 'BY', 'LR', 'KM', 'NR', 'CU'];
function fWangiri(r, n) {
  const flavour = r.wpick([['caribbean', 5], ['irsf', 4], ['satellite', 1]]);
  const isos = flavour === 'caribbean' ? r.sample(WANGIRI_CAR, r.int(1, 3)) : flavour === 'irsf' ? r.sample(WANGIRI_IRSF, r.int(1, 3)) : ['XI', 'XT'];
  const rot = r.wpick([['pool', 4], ['per_burst', 3], ['sequential', 2]]);
  const poolSize = r.int(1, 300);
  const base = fnum(r, isos[0], true);
  let pool = []; for (let i = 0; i < poolSize; i++) pool.push(fnum(r, r.pick(isos), r.chance(0.8)));
  const bursts = [], nb = r.int(3, 25), when = r.wpick([['night', 4], ['evening', 3], ['uniform', 2]]);
  const bs = sampler(`wb:${when}`, when === 'uniform' ? () => 1 : (ms) => pv(when, ms, ET_OFF));
  for (let i = 0; i < nb; i++) { const s0 = bs.sample(r); bursts.push([s0, r.float(5, 60) * 60000, r.logn(1, 0.6)]); }
  const bw = bursts.map((b, i) => [i, b[2]]);
  let burstCli = new Map(), seqK = 0;
  const tmode = r.wpick([['npas', 4], ['sweep', 3], ['nationwide', 2], ['list', 1]]);
  const geo = r.chance(0.4) ? GEO[r.pick(['CAR', 'DO', 'HT', 'IN', 'MX'])] : null;
  runCampaign(r, { label: 'wangiri', kind: `wangiri_${flavour}`, n, target: targetGen(r, tmode, geo),
    when: () => { const b = bursts[r.wpick(bw)]; return b[0] + r.u() * b[1]; },
    cli: (nsn, t) => {
      if (rot === 'sequential') { seqK++; return { ...base, nsn: base.nsn.slice(0, -3) + String((seqK * 7) % 1000).padStart(3, '0') }; }
      if (rot === 'per_burst') { const k = Math.floor(t / 1800e3); if (!burstCli.has(k)) burstCli.set(k, r.sample(pool, r.int(1, 3))); return r.pick(burstCli.get(k)); }
      return r.pick(pool);
    },
    trunks: fraudTrunks(r, r.int(1, 3), isos[0]), patience: () => clamp(r.logn(2.2, 0.45), 0.3, 6), vm: 'hangup', talk: (x) => x.float(0, 3),
    maxRepeat: 2, repeatP: () => 0.12, gap: () => r.float(30, 300) * 60000, o: { known: 0 } });
}
const ROBO_THEMES = { irs: 'eastern', ssa: 'eastern', medicare: 'callee', car_warranty: 'callee', amazon_order: 'eastern', utility_disconnect: 'callee',
  student_loan: 'callee', health_insurance: 'callee', credit_card_rate: 'eastern', chinese_consulate: 'eastern', immigration: 'eastern' };
function fRobocall(r, n, used) {
  let theme; do { theme = r.pick(Object.keys(ROBO_THEMES)); } while (used.has(theme) && used.size < 8); used.add(theme);
  const tactic = r.wpick([['neighbor', 30], ['random_us', 20], ['pool', 20], ['block', 15], ...(theme === 'irs' || theme === 'ssa' || theme === 'medicare' ? [['agency', 25]] : [])]);
  const geo = theme === 'medicare' ? GEO.SENIOR : theme === 'chinese_consulate' ? GEO.CN : theme === 'immigration' ? GEO[r.pick(['IN', 'CN', 'MX', 'CAM'])] : r.chance(0.25) ? G(r.sample(STATES, r.int(2, 8)).map(s => s + ':1').join(',')) : null;
  const tmode = r.wpick([['nationwide', 40], ['list', 20], ['sweep', 20], ['npas', 20]]);
  const ansMul = tactic === 'neighbor' ? 1.3 : tactic === 'agency' ? 1.1 : 1;
  const vm = r.chance(0.6) ? 'robot' : 'hangup';
  const dur = r.logn(45, 0.5);
  runCampaign(r, { label: 'robocall', kind: `robocall_${theme}`, n, target: targetGen(r, tmode, geo), when: timeFn(r, 'robo_' + theme, theme === 'chinese_consulate' ? 'scamday' : 'scamday', ROBO_THEMES[theme] === 'callee' ? 'callee' : 'eastern', dur),
    cli: cliGen(r, tactic), trunks: fraudTrunks(r, r.int(1, 5), 'IN'), block: r.float(0.02, 0.2), ansMul, vm,
    maxRepeat: tmode === 'list' ? 2 : 0, repeatP: () => r.float(0.05, 0.3), gap: () => r.float(60, 360) * 60000 });
  return `${theme}/${tactic}/${tmode}`;
}
function fScamLive(r, n) {
  const theme = r.pick(['tech_support', 'irs_live', 'immigration_threat', 'utility_shutoff', 'chinese_authority', 'refund_scam']);
  const tactic = r.wpick([['pool', 35], ['neighbor', 20], ['random_us', 15], ['foreign', 15], ['agency', theme === 'irs_live' ? 30 : 0]]);
  const geo = theme === 'immigration_threat' ? GEO[r.pick(['IN', 'CN', 'MX'])] : theme === 'chinese_authority' ? GEO.CN : null;
  runCampaign(r, { label: 'scam', kind: `scam_${theme}`, n, target: targetGen(r, r.pick(['nationwide', 'list', 'npas']), geo),
    when: timeFn(r, 'scam_' + theme, 'scamday', 'eastern', r.logn(90, 0.5)), cli: cliGen(r, tactic, { isos: ['IN', 'PK', 'PH', 'GB'], size: r.int(5, 120) }),
    trunks: fraudTrunks(r, r.int(1, 3), 'IN'), block: r.float(0.01, 0.1), vm: 'hangup', talk: TALK.scam, patience: () => r.float(20, 40),
    maxRepeat: 4, repeatP: (row) => row.s === 200 && row.dur > 120 ? 0.45 : row.s !== 200 ? 0.08 : 0, gap: () => r.float(5, 120) * 60000 });
}
function fPigButchering(r) {
  const victims = fx(r.int(5, 40)); let calls = 0;
  const mode = r.chance(0.6) ? 'us_voip' : 'foreign';
  const trs = fraudTrunks(r, r.int(1, 2), 'KH');
  for (let v = 0; v < victims; v++) {
    const rv = r.fork('v' + v);
    const callee = usNsn(rv, pickNpa(rv)), uOff = offOfUs(callee);
    const scammer = mode === 'us_voip' ? US(usNsn(rv, pickNpa(rv))) : fnum(rv, rv.pick(['KH', 'MM', 'LA', 'TH', 'PH', 'HK']), true);
    for (let c = 0; c < rv.int(1, 5); c++) {
      const t = sampler(`evening:${uOff}`, (ms) => pv('evening', ms, uOff)).sample(rv);
      calls++;
      call(rv, { t, caller: scammer, nsn: callee, trunk: rv.wpick(trs), label: 'scam', kind: 'scam_pig_butchering',
        o: { known: 0.92, patience: rv.float(30, 60), vm: 'hangup', talk: (x) => clamp(x.logn(1500, 0.6), 60, 7200), inv: 0 } });
    }
  }
  CAMPAIGNS.push(`scam_pig_butchering:${calls}`);
}
function fGrandparent(r) {
  const victims = fx(r.int(60, 400)); let calls = 0;
  const trs = fraudTrunks(r, 2, 'CA');
  for (let v = 0; v < victims; v++) {
    const callee = usNsn(r, pickNpa(r, GEO.SENIOR)), uOff = offOfUs(callee);
    let t = sampler(`scamday:${uOff}`, (ms) => pv('scamday', ms, uOff)).sample(r);
    const cli = r.wpick([[fnum(r, 'CA'), 4], [US(usNsn(r, npaOf(callee))), 3], [{ raw: 'anonymous' }, 2], [fnum(r, 'DO'), 1]]);
    for (let c = 0; c < r.int(1, 5); c++) {
      calls++;
      const row = call(r, { t, caller: cli.raw !== undefined ? undefined : cli, cli: cli.raw, nsn: callee, trunk: r.wpick(trs), label: 'scam', kind: 'scam_grandparent',
        o: { known: 0.1, ansMul: 1.4, patience: r.float(25, 45), vm: 'hangup', talk: TALK.scam, inv: 0.03 } });
      if (!row) break; t = row.t + r.float(3, 60) * 60000;
    }
  }
  CAMPAIGNS.push(`scam_grandparent:${calls}`);
}
function fLottery(r) {
  const clis = []; for (let i = 0; i < r.int(3, 15); i++) clis.push(fnum(r, 'JM'));
  const trs = fraudTrunks(r, 2, 'JM'); let calls = 0;
  const hooked = fx(r.int(5, 30));
  for (let v = 0; v < hooked; v++) {
    const callee = usNsn(r, pickNpa(r, GEO.SENIOR)), uOff = offOfUs(callee);
    for (let c = 0; c < r.int(5, 40); c++) {
      calls++;
      call(r, { t: sampler(`scamday:${uOff}`, (ms) => pv('scamday', ms, uOff)).sample(r), caller: r.pick(clis), nsn: callee, trunk: r.wpick(trs), label: 'scam', kind: 'scam_lottery_hooked',
        o: { known: 0.5, patience: r.float(25, 45), vm: 'hangup', talk: TALK.scam, inv: 0 } });
    }
  }
  const cold = fx(r.int(200, 1500));
  for (let i = 0; i < cold; i++) {
    const callee = usNsn(r, pickNpa(r, GEO.SENIOR)), uOff = offOfUs(callee); calls++;
    call(r, { t: sampler(`scamday:${uOff}`, (ms) => pv('scamday', ms, uOff)).sample(r), caller: r.pick(clis), nsn: callee, trunk: r.wpick(trs), label: 'scam', kind: 'scam_lottery_cold',
      o: { known: 0, patience: r.float(25, 45), vm: 'hangup', talk: TALK.scam, inv: 0.1 } });
  }
  CAMPAIGNS.push(`scam_lottery:${calls}`);
}
function fKidnap(r) {
  const clis = []; for (let i = 0; i < r.int(2, 10); i++) clis.push(fnum(r, 'MX', true));
  const trs = fraudTrunks(r, 2, 'MX'); let calls = 0;
  const start = T0 + r.u() * WMS * 0.7, span = r.float(2, 8) * 3600e3;
  for (let v = 0, nv = fx(r.int(30, 300)); v < nv; v++) {
    const callee = usNsn(r, pickNpa(r, GEO.MX)); let t = start + r.u() * span;
    for (let c = 0; c < r.int(1, 4); c++) {
      calls++;
      const row = call(r, { t, caller: r.pick(clis), nsn: callee, trunk: r.wpick(trs), label: 'scam', kind: 'scam_virtual_kidnapping',
        o: { known: 0.15, patience: r.float(25, 50), vm: 'hangup', talk: (x) => x.chance(0.4) ? x.float(2, 30) : clamp(x.logn(600, 0.7), 60, 3600), inv: 0.05 } });
      if (!row) break; t = row.t + r.float(1, 20) * 60000;
    }
  }
  CAMPAIGNS.push(`scam_virtual_kidnapping:${calls}`);
}
function fSpoofing(r, n, used) {
  let k; do { k = r.pick(['own_number', 'bank_number', 'agency_number']); } while (used.has(k) && used.size < 3); used.add(k);
  let cli;
  if (k === 'own_number') cli = cliGen(r, 'own');
  else if (k === 'agency_number') cli = cliGen(r, 'agency');
  else {
    const P = []; for (let i = 0; i < r.int(1, 6); i++) P.push(BPO_TF.length && r.chance(0.5) ? r.pick(BPO_TF) : r.chance(0.6) ? tollFree(r) : US(usNsn(r, pickNpa(r))));
    cli = () => r.pick(P);
  }
  runCampaign(r, { label: 'spoofing', kind: `spoof_${k}`, n, target: targetGen(r, r.pick(['nationwide', 'list', 'npas'])),
    when: timeFn(r, 'spoof_' + k, 'scamday', r.chance(0.5) ? 'callee' : 'eastern', r.logn(60, 0.5)), cli, trunks: fraudTrunks(r, r.int(1, 3), 'IN'),
    block: r.float(0.02, 0.15), ansMul: k === 'own_number' ? 1.2 : 1.15, vm: r.chance(0.5) ? 'robot' : 'hangup', talk: k === 'own_number' ? TALK.robot : TALK.scam });
}
function fTdos(r, n) {
  const target = POPULAR.length && r.chance(0.5) ? r.pick(POPULAR) : usNsn(r, pickNpa(r));
  if (!CAP.has(target)) CAP.set(target, { cap: r.int(4, 24), code: r.chance(0.5) ? 486 : 503 });
  const tactic = r.wpick([['random_us', 4], ['few', 2], ['anon', 2], ['sequential', 2]]);
  const rate = r.logn(70, 0.6); // calls per minute at the flood peak
  const span = clamp(n / rate, 4, 180) * 60000, tOff = offOfUs(target);
  const start = Math.min(sampler(`business:${tOff}`, (ms) => pv('business', ms, tOff) + 0.02).sample(r), T1 - span);
  let cli;
  if (tactic === 'random_us') cli = cliGen(r, 'random_us');
  else if (tactic === 'few') cli = cliGen(r, 'pool', { size: r.int(1, 8) });
  else if (tactic === 'anon') cli = cliGen(r, 'anon');
  else { const b = US(usNsn(r, pickNpa(r))); let k = 0; cli = () => US(b.nsn.slice(0, 6) + String((k++) % 10000).padStart(4, '0')); }
  const waves = r.int(1, 4);
  runCampaign(r, { label: 'tdos', kind: `tdos_${tactic}`, n, target: { inv: 0, next: () => target },
    when: () => { const w = r.int(0, waves - 1); return start + span * (w + r.u() ** 1.5) / waves; }, cli, trunks: fraudTrunks(r, r.int(1, 3)),
    o: { biz: true, flood: true }, patience: () => r.float(10, 40), talk: (x) => x.chance(0.7) ? clamp(x.logn(12, 0.7), 1, 60) : clamp(x.logn(150, 0.5), 30, 900) });
}
function fTollFree(r, n) {
  const uifn = r.chance(0.3);
  runCampaign(r, { label: 'toll_free_cli', kind: uifn ? 'uifn_cli' : 'tollfree_cli_' + r.pick(['refund', 'account_locked', 'prize', 'delivery']), n,
    target: targetGen(r, r.pick(['nationwide', 'list', 'sweep'])), when: timeFn(r, 'tf', 'scamday', r.chance(0.5) ? 'callee' : 'eastern', r.logn(50, 0.5)),
    cli: cliGen(r, uifn ? 'uifn' : 'tollfree'), trunks: fraudTrunks(r, r.int(1, 3), 'PH'), block: r.float(0.02, 0.12), vm: r.chance(0.5) ? 'robot' : 'hangup', talk: r.chance(0.5) ? TALK.robot : TALK.scam });
}
function fInvalid(r, n) {
  const hows = r.sample(['n11', '555', 'unassigned_npa', 'malformed', 'repeated'], r.int(1, 3)).map(h => [h, r.logn(1, 0.6)]);
  runCampaign(r, { label: 'invalid_cli', kind: 'invalid', n, target: targetGen(r, r.pick(['nationwide', 'sweep', 'npas'])),
    when: timeFn(r, 'inv', 'scamday', r.chance(0.5) ? 'callee' : 'eastern', r.logn(40, 0.5)),
    cli: () => { const h = r.wpick(hows); return { raw: invalidCli(r, h), how: h }; }, kindFn: (c) => 'invalid_' + c.how,
    trunks: fraudTrunks(r, r.int(1, 3)), block: r.float(0.05, 0.3), ansMul: 0.6, vm: r.chance(0.5) ? 'robot' : 'hangup' });
}
function fTelemarketing(r, n, used) {
  let theme; do { theme = r.pick(['solar', 'home_warranty', 'final_expense', 'debt_relief', 'travel_timeshare', 'medicare_advantage']); } while (used.has(theme) && used.size < 5); used.add(theme);
  const strat = r.wpick([['snowshoe', 4], ['single', 2], ['local_presence', 3]]);
  let cli;
  if (strat === 'single') { const c = US(usNsn(r, pickNpa(r))); cli = () => c; n = Math.min(n, OPT.hours * 60 * r.float(0.3, 1.1)); }
  else if (strat === 'local_presence') { const m = new Map(); cli = (nsn) => { const k = npaOf(nsn); if (!m.has(k)) m.set(k, Array.from({ length: r.int(1, 3) }, () => US(usNsn(r, k)))); return r.pick(m.get(k)); }; }
  else {
    const P = []; const size = r.int(50, 400), cap = r.int(15, 60); for (let i = 0; i < size; i++) P.push({ n: US(usNsn(r, pickNpa(r))), used: 0 });
    let i0 = 0; cli = () => { let p = P[i0 % P.length]; if (p.used >= cap) { i0++; p = P[i0 % P.length]; } p.used++; if (r.chance(0.3)) i0++; return p.n; };
  }
  runCampaign(r, { label: 'telemarketing', kind: `tm_${theme}`, n, target: targetGen(r, r.pick(['nationwide', 'list', 'npas']), theme === 'medicare_advantage' || theme === 'final_expense' ? GEO.SENIOR : null),
    when: timeFn(r, 'tm_' + theme, 'tcpa', 'callee', r.chance(0.5) ? r.logn(120, 0.4) : 0), cli, trunks: fraudTrunks(r, r.int(1, 2), r.pick(['IN', 'PH', 'PK'])),
    block: r.float(0.0, 0.06), vm: 'amd', o: { amdLeave: r.float(0, 0.5) }, talk: TALK.tm, patience: () => r.float(18, 30), inv: 0.05 });
}

// ------------------------------------------------------------------ the plan for this seed
const PLAN = R('plan');
const TOTAL = PLAN.float(125e3, 190e3) * SCALE;
const FRAUD_SHARE = PLAN.float(0.04, 0.15);
const LEGIT_W = { family: 0.38, student: 0.03, study_abroad: 0.008, roamer: 0.06, canada: 0.03, military: 0.006, diplomatic: 0.004, satellite: 0.003,
  business: 0.09, bpo: 0.19, otp: 0.055, travel: 0.035, conference: 0.02, ott: 0.05, popular: 0.015 };
for (const k of Object.keys(LEGIT_W)) LEGIT_W[k] *= PLAN.logn(1, 0.25);
{ const s = Object.values(LEGIT_W).reduce((a, b) => a + b, 0); for (const k of Object.keys(LEGIT_W)) LEGIT_W[k] /= s; }
const LB = (k) => TOTAL * (1 - FRAUD_SHARE) * LEGIT_W[k] * 0.87; // 0.87 ~ compensates redials/retries
const SURGE = PLAN.chance(0.4) ? { iso: PLAN.pick(['JM', 'HT', 'DO', 'PH', 'MX', 'CU', 'GT', 'HN', 'UA', 'IN']), t0: T0 + PLAN.u() * WMS * 0.7, len: PLAN.float(2, 8) * 3600e3, extra: PLAN.float(0.8, 2.5) } : null;

// legitimate
genPersonal(R('family'), { key: 'fam', budget: LB('family'), origins: FAMILY_ORIGINS, noise: 0.35, kind: (iso) => 'family_' + iso.toLowerCase(), surge: SURGE,
  platform: PLAN.float(0.02, 0.07), anon: PLAN.float(0.01, 0.04) });
genPersonal(R('student'), { key: 'stu', budget: LB('student'), noise: 0.3, kind: () => 'intl_student_family',
  origins: [['CN', 30, 'UNI', 600], ['IN', 28, 'UNI', 500], ['KR', 8, 'UNI', 400], ['SA', 3, 'UNI', 400], ['VN', 5, 'UNI', 400], ['TW', 4, 'UNI', 400], ['JP', 3, 'UNI', 400], ['BR', 3, 'UNI', 400], ['NG', 4, 'UNI', 400], ['MX', 3, 'UNI', 400], ['GB', 2, 'UNI', 300], ['DE', 2, 'UNI', 300], ['TR', 2, 'UNI', 400], ['PK', 2, 'UNI', 500]] });
genPersonal(R('abroad'), { key: 'abr', budget: LB('study_abroad'), kind: () => 'us_student_abroad', curveO: 'evening',
  origins: [['GB', 5, 'GEN', 500], ['ES', 4, 'GEN', 500], ['IT', 4, 'GEN', 500], ['FR', 3, 'GEN', 500], ['DE', 2, 'GEN', 500], ['JP', 2, 'GEN', 500], ['CR', 2, 'GEN', 500], ['AU', 2, 'GEN', 500], ['IE', 2, 'GEN', 500]] });
genPersonal(R('roamer'), { key: 'roam', budget: LB('roamer'), noise: 0.3, kind: () => 'us_roamer', near: true, selfVm: 0.06, known: 0.9,
  callerFn: (r) => US(usNsn(r, pickNpa(r))), origins: [['MX', 20, 'GEN', 240], ['GB', 8, 'GEN', 240], ['FR', 6, 'GEN', 240], ['IT', 6, 'GEN', 240], ['ES', 5, 'GEN', 240], ['DE', 4, 'GEN', 240],
    ['DO', 4, 'GEN', 200], ['JM', 3, 'GEN', 200], ['BS', 2, 'GEN', 200], ['CR', 3, 'GEN', 200], ['JP', 3, 'GEN', 240], ['IN', 3, 'GEN', 300], ['PH', 2, 'GEN', 300], ['CN', 2, 'GEN', 240],
    ['IL', 2, 'GEN', 240], ['AE', 2, 'GEN', 240], ['NL', 2, 'GEN', 240], ['IE', 2, 'GEN', 240], ['BR', 2, 'GEN', 240], ['CO', 2, 'GEN', 240], ['CA', 10, 'GEN', 240], ['TC', 1, 'GEN', 200], ['KY', 1, 'GEN', 200]] });
genPersonal(R('canada'), { key: 'can', budget: LB('canada'), kind: () => 'canada_personal', origins: [['CA', 1, 'CAN', 300]], shared: 0.03 });
genPersonal(R('military'), { key: 'mil', budget: LB('military'), kind: () => 'military_family', origins: [['DE', 5, 'MIL', 900], ['JP', 4, 'MIL', 900], ['KR', 4, 'MIL', 900], ['IT', 2, 'MIL', 900], ['BH', 1, 'MIL', 900], ['ES', 1, 'MIL', 900], ['GB', 1, 'MIL', 900]] });
genPersonal(R('diplo'), { key: 'dip', budget: LB('diplomatic'), kind: () => 'diplomatic', mobileShare: 0.3, curveO: 'business', curveU: 'business', talk: TALK.business,
  origins: [['GB', 1, 'DCA'], ['FR', 1, 'DCA'], ['DE', 1, 'DCA'], ['JP', 1, 'DCA'], ['IN', 1, 'DCA'], ['MX', 1, 'DCA'], ['IL', 1, 'DCA'], ['KR', 1, 'DCA'], ['BR', 1, 'DCA'], ['SA', 1, 'DCA'], ['NG', 1, 'DCA'], ['AE', 1, 'DCA']] });
genPersonal(R('sat'), { key: 'sat', budget: LB('satellite'), kind: () => 'satphone', failx: 0.06, talk: (x) => clamp(x.logn(150, 0.8), 5, 1800), trunkFn: (r) => r.pick(REG_TRUNKS.SAT),
  origins: [['XI', 5, 'GEN', 150], ['XN', 3, 'GEN', 150], ['XT', 2, 'GEN', 150]] });
genBusiness(R('business'), LB('business'));
genBpo(R('bpo'), LB('bpo'));
genOtp(R('otp'), LB('otp'));
genTravelFinance(R('travel'), LB('travel'));
genConference(R('conf'), LB('conference'));
{ // OTT / app breakout
  const r = R('ott'), n = r.int(3, 6);
  for (let i = 0; i < n; i++) {
    const ra = r.fork('app' + i);
    const mode = ra.wpick([['verified', 40], ['app_pool', 20], ['anon', 15], ['odd', 10], ['random_us', 15]]);
    const trs = ra.sample(IP_TRUNKS, ra.int(1, 2));
    const pool = []; for (let k = 0; k < ra.int(3, 30); k++) pool.push(ra.chance(0.6) ? US(usNsn(ra, pickNpa(ra))) : fnum(ra, ra.pick(['GB', 'EE', 'IL', 'LT', 'SG']), true));
    PROGRAMS.push(`ott_app#${i}/${mode}`);
    genPersonal(ra, { key: 'ott' + i, budget: LB('ott') / n, kind: () => 'ott_app', origins: FAMILY_ORIGINS.slice(0, 30), noise: 0.6, trunkFn: (x) => x.pick(trs), platform: 0, anon: 0,
      cliFn: (x, caller, tr) => mode === 'verified' ? (x.chance(0.9) ? undefined : renderNum(x, { ...caller, cc: '', iso: 'ZZ' }, tr))
        : mode === 'app_pool' ? renderNum(x, x.pick(pool), tr) : mode === 'anon' ? x.pick(tr.anon)
        : mode === 'odd' ? x.pick(['0', '+1000000000' + x.int(0, 9), caller.nsn, '+' + caller.nsn, '123456789', 'unknown', x.pick(tr.anon)])
        : renderNum(x, US(usNsn(x, pickNpa(x))), tr) });
  }
}
genPopular(R('popular'), LB('popular'));

// fraud
const FR = R('fraud');
const FRAUD_TOTAL = TOTAL * FRAUD_SHARE;
let fixed = 0;
const before = () => ROWS.length;
{
  const b0 = before();
  if (FR.chance(0.7)) fPigButchering(FR.fork('pig'));
  if (FR.chance(0.5)) fGrandparent(FR.fork('gp'));
  if (FR.chance(0.5)) fLottery(FR.fork('lot'));
  if (FR.chance(0.35)) fKidnap(FR.fork('kid'));
  fixed = before() - b0;
}
const SC = []; // scalable campaigns [fn, weight]
{
  if (FR.chance(0.8)) for (let i = 0; i < FR.int(1, 3); i++) SC.push(['wangiri', FR.logn(2, 0.6)]);
  if (FR.chance(0.92)) for (let i = 0; i < FR.int(1, 4); i++) SC.push(['robocall', FR.logn(2.5, 0.6)]);
  if (FR.chance(0.75)) for (let i = 0; i < FR.int(1, 2); i++) SC.push(['scam', FR.logn(0.8, 0.5)]);
  if (FR.chance(0.6)) for (let i = 0; i < FR.int(1, 2); i++) SC.push(['spoofing', FR.logn(1, 0.5)]);
  if (FR.chance(0.35)) for (let i = 0; i < FR.int(1, 2); i++) SC.push(['tdos', FR.logn(1.2, 0.5)]);
  if (FR.chance(0.6)) SC.push(['toll_free_cli', FR.logn(1, 0.5)]);
  if (FR.chance(0.7)) SC.push(['invalid_cli', FR.logn(0.8, 0.5)]);
  if (FR.chance(0.85)) for (let i = 0; i < FR.int(1, 3); i++) SC.push(['telemarketing', FR.logn(1.4, 0.5)]);
  while (SC.length < 3) SC.push([FR.pick(['robocall', 'wangiri', 'telemarketing']), FR.logn(1.5, 0.5)]);
}
{
  const sw = SC.reduce((a, b) => a + b[1], 0);
  const avail = Math.max(FRAUD_TOTAL * WIN - fixed, FRAUD_TOTAL * WIN * 0.3);
  const usedR = new Set(), usedS = new Set(), usedT = new Set();
  SC.forEach(([cls, w], i) => {
    const r = FR.fork(cls + i), n = avail * w / sw;
    const rf = { wangiri: () => fWangiri(r, n / 1.1), robocall: () => fRobocall(r, n / 1.05, usedR), scam: () => fScamLive(r, n / 1.15), spoofing: () => fSpoofing(r, n, usedS),
      tdos: () => fTdos(r, n), toll_free_cli: () => fTollFree(r, n), invalid_cli: () => fInvalid(r, n), telemarketing: () => fTelemarketing(r, n, usedT) }[cls];
    rf();
  });
}

// ------------------------------------------------------------------ capacity post-pass (TDoS targets, popular lines), sort, call ids, output
ROWS.sort((a, b) => a.t - b.t || a.seq - b.seq);
{
  const rc = R('capacity'); const active = new Map();
  for (const row of ROWS) {
    const cp = CAP.get(row.nsn); if (!cp) continue;
    let list = active.get(row.nsn); if (!list) active.set(row.nsn, list = []);
    const now = row.t;
    for (let i = list.length - 1; i >= 0; i--) if (list[i] <= now) list.splice(i, 1);
    if (list.length >= cp.cap) { row.s = rc.chance(0.8) ? cp.code : 503; row.ring = rc.float(0.1, 1.2); row.dur = 0; continue; }
    if (row.s === 200) list.push(now + (row.ring + row.dur) * 1000);
  }
}
const hostOf = new Map();
function host(t) {
  let h = hostOf.get(t.n); if (h) return h;
  const r = R('host:' + t.name); h = t.type === 'ip' ? t.name.split(':')[0] : `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  hostOf.set(t.n, h); return h;
}
const CID = R('callid');
const hex = (n, up) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[CID.int(0, 15)]; return up ? s.toUpperCase() : s; };
function callId(row) {
  const t = row.trunk;
  switch (t.cid) {
    case 'uuid': return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[CID.int(0, 3)]}${hex(3)}-${hex(12)}`;
    case 'hexat': return `${hex(32)}@${host(t)}`;
    case 'numat': return `${Math.floor(row.t / 1000)}-${CID.int(100000, 999999)}-${row.seq}@${host(t)}`;
    case 'b2bua': return `BW${String(CID.int(1e8, 999999999))}${String(row.seq).padStart(7, '0')}@${host(t)}`;
    default: return `${hex(8, 1)}-${hex(8, 1)}-${hex(8, 1)}-${hex(8, 1)}@${host(t)}`;
  }
}
const esc = (s) => /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
const out = ['timestamp,caller,callee,call_id,source,status,ring,duration,label,kind'];
let nf = 0; const byLabel = {};
for (const row of ROWS) {
  if (row.label !== 'legit') nf++;
  byLabel[row.label] = (byLabel[row.label] || 0) + 1;
  out.push([new Date(row.t).toISOString(), esc(row.caller), esc(row.callee), callId(row), row.trunk.name, row.s, row.ring.toFixed(1), row.dur, row.label, row.kind].join(','));
}
const text = out.join('\n') + '\n';
if (OPT.out) fs.writeFileSync(OPT.out, text); else process.stdout.write(text);
process.stderr.write(`plan seed=${SEED} start=${OPT.start} hours=${OPT.hours} scale=${SCALE} rows=${ROWS.length} fraud=${(100 * nf / ROWS.length).toFixed(1)}% trunks=${TRUNKS.length}` +
  ` surge=${SURGE ? SURGE.iso : 'none'} incidents=${INCIDENTS.map(x => x.name).join('+') || 'none'} labels=${Object.entries(byLabel).map(([k, v]) => k + ':' + v).join(',')} campaigns=${CAMPAIGNS.join(',')}\n`);
