#!/usr/bin/env node
// traffic-f: synthetic inbound-international CDRs at a Chinese carrier's
// international gateway (IGW), with ground-truth labels.
// Plain Node 20 ESM, no dependencies. Deterministic for a given seed/options.
// Written without reading the screening product's code, rules or docs.
import { writeFileSync } from 'node:fs';

// ------------------------------------------------------------------ options
const HELP = `usage: node gen.mjs [options]
  --seed N        random seed (default 1); same seed+options -> identical bytes
  --hours H       length of the export window in hours (default 24)
  --scale S       volume multiplier (default 1 = ~110k-190k calls/day)
  --start DATE    YYYY-MM-DD, the China-local (UTC+8) day the window starts
                  at 00:00 CST (default 2025-03-11)
  --out FILE      write CSV there (default: stdout)
  --help          this text
Columns: timestamp,caller,callee,call_id,source,status,ring,duration,label,kind`;

function parseArgs(argv) {
  const o = { seed: 1, hours: 24, scale: 1, start: '2025-03-11', out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    const val = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (key) {
      case '--help': case '-h': process.stdout.write(HELP + '\n'); process.exit(0);
      case '--seed': o.seed = val(); break;
      case '--hours': o.hours = Number(val()); break;
      case '--scale': o.scale = Number(val()); break;
      case '--start': o.start = val(); break;
      case '--out': o.out = val(); break;
      default: process.stderr.write(`unknown option ${a}\n${HELP}\n`); process.exit(2);
    }
  }
  if (!(o.hours > 0) || !(o.scale > 0) || !/^\d{4}-\d{2}-\d{2}$/.test(o.start)) {
    process.stderr.write(`bad option value\n${HELP}\n`); process.exit(2);
  }
  return o;
}
const OPT = parseArgs(process.argv.slice(2));

// ------------------------------------------------------------------ RNG
function xmur3(str) {
  let h = 1779033703 ^ str.length;
  for (let i = 0; i < str.length; i++) { h = Math.imul(h ^ str.charCodeAt(i), 3432918353); h = (h << 13) | (h >>> 19); }
  return () => { h = Math.imul(h ^ (h >>> 16), 2246822507); h = Math.imul(h ^ (h >>> 13), 3266489909); return (h ^= h >>> 16) >>> 0; };
}
function sfc32(a, b, c, d) {
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0; return (t >>> 0) / 4294967296;
  };
}
class Rng {
  constructor(s) { this.s = s; const h = xmur3(s); this.f = sfc32(h(), h(), h(), h()); for (let i = 0; i < 15; i++) this.f(); this._n = null; }
  child(l) { return new Rng(this.s + '/' + l); }
  u() { return this.f(); }
  range(a, b) { return a + (b - a) * this.f(); }
  int(a, b) { return a + Math.floor((b - a + 1) * this.f()); }
  chance(p) { return this.f() < p; }
  pick(a) { return a[Math.floor(this.f() * a.length)]; }
  wpick(pairs) { // [[item, weight], ...]
    let s = 0; for (const p of pairs) s += p[1];
    let r = this.f() * s; for (const p of pairs) { r -= p[1]; if (r < 0) return p[0]; }
    return pairs[pairs.length - 1][0];
  }
  normal() {
    if (this._n !== null) { const n = this._n; this._n = null; return n; }
    let u = 0; while (u === 0) u = this.f(); const v = this.f();
    const r = Math.sqrt(-2 * Math.log(u)); this._n = r * Math.sin(2 * Math.PI * v); return r * Math.cos(2 * Math.PI * v);
  }
  logn(med, sig) { return med * Math.exp(sig * this.normal()); }
  exp(mean) { return -mean * Math.log(1 - this.f()); }
  poisson(l) {
    if (l <= 0) return 0;
    if (l > 40) return Math.max(0, Math.round(l + Math.sqrt(l) * this.normal()));
    const L = Math.exp(-l); let k = 0, p = 1; do { k++; p *= this.f(); } while (p > L); return k - 1;
  }
  digits(n) { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(this.f() * 10); return s; }
  hex(n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.f() * 16)]; return s; }
}
// stable per-number traits (same number -> same trait in every seed)
function h01(str, salt) { return xmur3(salt + ':' + str)() / 4294967296; }
const clamp = (x, a, b) => Math.max(a, Math.min(b, x));

// ------------------------------------------------------------------ time
const HOUR = 3600e3, MIN = 60e3;
const [Y, M, D] = OPT.start.split('-').map(Number);
const T0 = Date.UTC(Y, M - 1, D) - 8 * HOUR; // 00:00 China Standard Time
const T1 = T0 + OPT.hours * HOUR;
const DAYS = OPT.hours / 24;
const cnHour = (t) => (((t / HOUR + 8) % 24) + 24) % 24;
const locHour = (t, tz) => (((t / HOUR + tz) % 24) + 24) % 24;
const dowAt = (t, tz) => new Date(t + tz * HOUR).getUTCDay(); // 0=Sun
const isWeekend = (t, tz) => { const d = dowAt(t, tz); return d === 0 || d === 6; };
function curve(arr) { return (h) => { const i = Math.floor(h) % 24, f = h - Math.floor(h); return arr[i] * (1 - f) + arr[(i + 1) % 24] * f; }; }
// China-side "will take a personal call" curve, hour 0..23 CST
const CN_PERSONAL = curve([.16, .08, .04, .02, .02, .04, .12, .32, .52, .62, .66, .68, .72, .66, .62, .64, .68, .74, .84, .95, 1, .96, .72, .38]);
// caller-side personal awake curve (caller local time)
const LOC_PERSONAL = curve([.12, .06, .03, .02, .02, .05, .2, .45, .6, .6, .58, .6, .65, .6, .55, .58, .65, .75, .88, .98, 1, .92, .7, .35]);
const BIZ = curve([0, 0, 0, 0, 0, 0, .02, .1, .45, .92, 1, .95, .45, .55, .9, .95, .9, .75, .35, .15, .1, .06, .03, 0]);
const CN_BIZ = BIZ;
const CN_SERVICE = curve([0, 0, 0, 0, 0, 0, 0, .05, .35, .85, 1, .95, .6, .7, .95, 1, .95, .9, .75, .6, .5, .35, .1, 0]);
// evening-heavy curve used by student calls (CST)
const CN_EVENING = curve([.1, .04, .02, .01, .01, .02, .05, .15, .25, .3, .35, .4, .45, .4, .35, .35, .4, .5, .7, .9, 1, 1, .8, .4]);
function sampleTime(rng, w, t0 = T0, t1 = T1) {
  for (let i = 0; i < 400; i++) { const t = t0 + rng.u() * (t1 - t0); if (rng.u() < w(t)) return t; }
  return t0 + rng.u() * (t1 - t0);
}

// ------------------------------------------------------------------ numbering
// country: cc, tz (hours), tp (national trunk prefix), mob/fix/tf: [prefix, NSN length]
const CTRY = {
  GB: { cc: '44', tz: 0, tp: '0', mob: [['74', 10], ['75', 10], ['77', 10], ['78', 10], ['79', 10]], fix: [['20', 10], ['121', 10], ['161', 10], ['131', 10]], tf: [['800', 10], ['808', 10]] },
  DE: { cc: '49', tz: 1, tp: '0', mob: [['151', 11], ['152', 11], ['160', 10], ['170', 10], ['171', 10], ['172', 10], ['176', 11], ['157', 11], ['159', 11]], fix: [['30', 10], ['40', 10], ['69', 10], ['89', 10], ['211', 10]], tf: [['800', 11]] },
  FR: { cc: '33', tz: 1, tp: '0', mob: [['6', 9], ['7', 9]], fix: [['1', 9], ['4', 9]], tf: [['800', 9]] },
  IT: { cc: '39', tz: 1, tp: '', mob: [['32', 10], ['33', 10], ['34', 10], ['38', 10]], fix: [['06', 10], ['02', 10], ['055', 10]], tf: [['800', 9]] },
  ES: { cc: '34', tz: 1, tp: '', mob: [['6', 9]], fix: [['91', 9], ['93', 9]], tf: [['900', 9]] },
  NL: { cc: '31', tz: 1, tp: '0', mob: [['6', 9]], fix: [['20', 9], ['10', 9]], tf: [['800', 10]] },
  RU: { cc: '7', tz: 3, tp: '8', mob: [['91', 10], ['92', 10], ['95', 10], ['98', 10]], fix: [['495', 10], ['812', 10], ['423', 10]], tf: [['800', 10]] },
  TR: { cc: '90', tz: 3, tp: '0', mob: [['53', 10], ['54', 10], ['55', 10]], fix: [['212', 10]], tf: [['800', 10]] },
  JP: { cc: '81', tz: 9, tp: '0', mob: [['90', 10], ['80', 10], ['70', 10]], fix: [['3', 10], ['6', 10], ['52', 10]], tf: [['120', 9]] },
  KR: { cc: '82', tz: 9, tp: '0', mob: [['10', 10]], fix: [['2', 9], ['51', 10]], tf: [['80', 10]] },
  SG: { cc: '65', tz: 8, tp: '', mob: [['8', 8], ['9', 8]], fix: [['6', 8]], tf: [['800', 10]] },
  MY: { cc: '60', tz: 8, tp: '0', mob: [['12', 9], ['13', 9], ['16', 9], ['17', 9], ['11', 10]], fix: [['3', 9]], tf: [['1800', 10]] },
  TH: { cc: '66', tz: 7, tp: '0', mob: [['8', 9], ['9', 9], ['6', 9]], fix: [['2', 8]], tf: [['1800', 10]] },
  VN: { cc: '84', tz: 7, tp: '0', mob: [['9', 9], ['3', 9], ['8', 9], ['7', 9]], fix: [['24', 10], ['28', 10]], tf: [['1800', 8]] },
  PH: { cc: '63', tz: 8, tp: '0', mob: [['91', 10], ['92', 10], ['93', 10], ['99', 10]], fix: [['2', 9]], tf: [['1800', 11]] },
  ID: { cc: '62', tz: 7, tp: '0', mob: [['81', 11], ['85', 11], ['87', 11]], fix: [['21', 10]], tf: [['800', 10]] },
  KH: { cc: '855', tz: 7, tp: '0', mob: [['1', 8], ['9', 8], ['88', 9], ['97', 9], ['6', 8]], fix: [['23', 8]], tf: [['1800', 10]] },
  MM: { cc: '95', tz: 6.5, tp: '0', mob: [['9', 10]], fix: [['1', 8]], tf: [] },
  LA: { cc: '856', tz: 7, tp: '0', mob: [['20', 10]], fix: [['21', 8]], tf: [] },
  AU: { cc: '61', tz: 10, tp: '0', mob: [['4', 9]], fix: [['2', 9], ['3', 9]], tf: [['1800', 10]] },
  NZ: { cc: '64', tz: 12, tp: '0', mob: [['21', 9], ['22', 9], ['27', 9]], fix: [['9', 8]], tf: [['800', 9]] },
  AE: { cc: '971', tz: 4, tp: '0', mob: [['50', 9], ['52', 9], ['55', 9], ['56', 9]], fix: [['4', 8], ['2', 8]], tf: [['800', 7]] },
  SA: { cc: '966', tz: 3, tp: '0', mob: [['5', 9]], fix: [['11', 9]], tf: [['800', 10]] },
  IN: { cc: '91', tz: 5.5, tp: '0', mob: [['9', 10], ['8', 10], ['7', 10], ['6', 10]], fix: [['11', 10], ['22', 10]], tf: [['1800', 11]] },
  PK: { cc: '92', tz: 5, tp: '0', mob: [['3', 10]], fix: [['21', 10], ['51', 10]], tf: [['800', 8]] },
  NG: { cc: '234', tz: 1, tp: '0', mob: [['803', 10], ['806', 10], ['813', 10], ['703', 10], ['905', 10]], fix: [['1', 8]], tf: [['800', 10]] },
  ZA: { cc: '27', tz: 2, tp: '0', mob: [['6', 9], ['7', 9], ['8', 9]], fix: [['11', 9], ['21', 9]], tf: [['800', 9]] },
  KE: { cc: '254', tz: 3, tp: '0', mob: [['7', 9], ['11', 9]], fix: [['20', 9]], tf: [['800', 9]] },
  EG: { cc: '20', tz: 2, tp: '0', mob: [['10', 10], ['11', 10], ['12', 10]], fix: [['2', 9]], tf: [['800', 10]] },
  BR: { cc: '55', tz: -3, tp: '0', mob: [['119', 11], ['219', 11]], fix: [['11', 10]], tf: [['800', 10]] },
  HK: { cc: '852', tz: 8, tp: '', mob: [['5', 8], ['6', 8], ['9', 8]], fix: [['2', 8], ['3', 8]], tf: [['800', 9]] },
  MO: { cc: '853', tz: 8, tp: '', mob: [['6', 8]], fix: [['28', 8]], tf: [['800', 6]] },
  TW: { cc: '886', tz: 8, tp: '0', mob: [['9', 9]], fix: [['2', 9], ['4', 9], ['7', 9]], tf: [['800', 9]] },
  // premium / revenue-share favourites (used by Wangiri), plus satellite
  TN: { cc: '216', tz: 1, tp: '', mob: [['2', 8], ['5', 8], ['9', 8]], fix: [['71', 8]], tf: [] },
  SL: { cc: '232', tz: 0, tp: '0', mob: [['76', 8], ['77', 8], ['30', 8], ['88', 8]], fix: [['22', 8]], tf: [] },
  GN: { cc: '224', tz: 0, tp: '', mob: [['62', 9], ['66', 9]], fix: [['30', 9]], tf: [] },
  MR: { cc: '222', tz: 0, tp: '', mob: [['2', 8], ['4', 8], ['3', 8]], fix: [['45', 8]], tf: [] },
  CU: { cc: '53', tz: -5, tp: '0', mob: [['5', 8]], fix: [['7', 8]], tf: [] },
  PG: { cc: '675', tz: 10, tp: '', mob: [['7', 8]], fix: [['3', 7]], tf: [] },
  NR: { cc: '674', tz: 12, tp: '', mob: [['55', 7]], fix: [['44', 7]], tf: [] },
  KM: { cc: '269', tz: 3, tp: '', mob: [['3', 7]], fix: [['77', 7]], tf: [] },
  LV: { cc: '371', tz: 2, tp: '', mob: [['2', 8]], fix: [['67', 8], ['90', 8]], tf: [] },
  SO: { cc: '252', tz: 3, tp: '0', mob: [['61', 9], ['90', 9]], fix: [['1', 7]], tf: [] },
  TO: { cc: '676', tz: 13, tp: '', mob: [['7', 7], ['8', 7]], fix: [['2', 5]], tf: [] },
  BI: { cc: '257', tz: 2, tp: '', mob: [['7', 8], ['6', 8]], fix: [['22', 8]], tf: [] },
  ML: { cc: '223', tz: 0, tp: '', mob: [['7', 8], ['6', 8]], fix: [['20', 8]], tf: [] },
  BY: { cc: '375', tz: 3, tp: '8', mob: [['29', 9], ['44', 9], ['33', 9]], fix: [['17', 9]], tf: [] },
  MD: { cc: '373', tz: 2, tp: '0', mob: [['6', 8], ['7', 8]], fix: [['22', 8]], tf: [] },
  AL: { cc: '355', tz: 1, tp: '0', mob: [['6', 9]], fix: [['4', 8]], tf: [] },
  MV: { cc: '960', tz: 5, tp: '', mob: [['7', 7], ['9', 7]], fix: [['3', 7]], tf: [] },
  GQ: { cc: '240', tz: 1, tp: '', mob: [['222', 9], ['551', 9]], fix: [['333', 9]], tf: [] },
  IRIDIUM: { cc: '881', tz: 0, tp: '', mob: [['6', 9]], fix: [['6', 9]], tf: [] },
  INTLNET: { cc: '882', tz: 0, tp: '', mob: [['16', 10], ['34', 10]], fix: [['16', 10]], tf: [] },
  INMARSAT: { cc: '870', tz: 0, tp: '', mob: [['77', 9], ['76', 9]], fix: [['77', 9]], tf: [] },
};
for (const [id, c] of Object.entries(CTRY)) c.id = id;
const NANP = {
  US: { '-5': ['212', '646', '718', '917', '347', '617', '202', '305', '404', '215', '201', '732', '516', '571', '703'], '-6': ['312', '773', '214', '469', '713', '832', '512', '612', '314'], '-7': ['303', '720', '602', '801'], '-8': ['415', '408', '650', '510', '213', '310', '626', '818', '949', '206', '425', '503', '702'] },
  CA: { '-5': ['416', '647', '905', '514', '438', '613'], '-7': ['403', '587'], '-8': ['604', '778'] },
};
CTRY.US = { id: 'US', cc: '1', tz: -6, tp: '1', nanp: NANP.US, tf: [['800', 10], ['888', 10], ['877', 10], ['866', 10], ['855', 10], ['844', 10], ['833', 10]] };
CTRY.CA = { id: 'CA', cc: '1', tz: -5, tp: '1', nanp: NANP.CA, tf: [['800', 10], ['888', 10], ['877', 10]] };
const US_DIASPORA_NPA = ['626', '415', '718', '917', '408', '212', '650', '510', '347'];
const CA_DIASPORA_NPA = ['604', '778', '416', '647', '905', '514'];

function nanpNum(rng, c, preferNpa) {
  let tz, npa;
  const zones = Object.keys(c.nanp);
  if (preferNpa && rng.chance(0.55)) { npa = rng.pick(preferNpa); tz = Number(zones.find((z) => c.nanp[z].includes(npa))); }
  else { const z = rng.wpick(zones.map((z) => [z, c.nanp[z].length])); tz = Number(z); npa = rng.pick(c.nanp[z]); }
  return { nsn: npa + rng.int(2, 9) + rng.digits(2) + rng.digits(4), tz };
}
// a personal/business number of country c; type 'mob' | 'fix' | 'tf'
function foreignNum(rng, cid, type = 'mob', preferNpa) {
  const c = CTRY[cid];
  if (c.nanp && type !== 'tf') { const n = nanpNum(rng, c, preferNpa); return { cc: c.cc, nsn: n.nsn, c: cid, tz: n.tz }; }
  let list = c[type]; if (!list || !list.length) list = c.mob;
  const [p, len] = rng.pick(list);
  return { cc: c.cc, nsn: p + (type === 'tf' && c.nanp ? rng.int(2, 9) + rng.digits(len - p.length - 1) : rng.digits(len - p.length)), c: cid, tz: c.tz };
}
// a contiguous DID block (company PBX, call centre, dialer)
function foreignBlock(rng, cid, type, size) {
  const base = foreignNum(rng, cid, type);
  const width = size <= 10 ? 1 : size <= 100 ? 2 : size <= 1000 ? 3 : 4;
  const stem = base.nsn.slice(0, base.nsn.length - width);
  const start = rng.int(0, Math.max(0, 10 ** width - size));
  const out = [];
  for (let i = 0; i < size; i++) out.push({ ...base, nsn: stem + String(start + i).padStart(width, '0') });
  return out;
}

// China (callee side)
const CN_OP = [
  ['CMCC', [134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 157, 158, 159, 172, 178, 182, 183, 184, 187, 188, 195, 197, 198], 0.57],
  ['CU', [130, 131, 132, 145, 155, 156, 166, 175, 176, 185, 186, 196], 0.2],
  ['CT', [133, 149, 153, 173, 177, 180, 181, 189, 190, 191, 193, 199], 0.21],
  ['CBN', [192], 0.01],
  ['MVNO', [162, 165, 167, 170, 171], 0.01],
];
const CN_UNALLOC = [154, 160, 161, 163, 164, 168, 169, 174, 179, 194];
const PREFIX_OP = {}; for (const [op, ps] of CN_OP) for (const p of ps) PREFIX_OP[p] = op;
const CN_AREA = { // area code -> local number length
  10: 8, 21: 8, 20: 8, 22: 8, 23: 8, 24: 8, 25: 8, 27: 8, 28: 8, 29: 8, 755: 8, 769: 8, 757: 8, 760: 8, 750: 7, 754: 8, 768: 7,
  591: 8, 592: 7, 595: 8, 571: 8, 574: 8, 577: 8, 576: 8, 579: 8, 512: 8, 532: 8, 531: 8, 371: 8, 731: 8, 451: 8, 431: 8, 311: 8, 351: 7, 871: 8, 898: 8,
};
const AREA_DIASPORA = [[591, 10], [595, 6], [592, 4], [20, 8], [755, 6], [757, 3], [750, 4], [754, 4], [768, 2], [760, 2], [577, 6], [576, 2], [571, 3], [21, 6], [10, 6],
  [28, 2], [27, 2], [25, 2], [22, 2], [23, 2], [29, 2], [24, 2], [531, 1], [532, 2], [371, 1], [731, 1], [451, 1], [431, 1], [311, 1], [351, 1], [871, 1], [898, 1]];
const AREA_BIZ = [[755, 12], [769, 8], [21, 12], [20, 8], [574, 5], [579, 5], [512, 6], [592, 3], [571, 5], [10, 8], [757, 4], [760, 3], [22, 3], [532, 3], [28, 2], [27, 2], [23, 2], [591, 2]];
const AREA_ALL = Object.keys(CN_AREA).map((a) => [Number(a), ['10', '21', '20', '755', '22', '23', '28', '27', '25', '29', '24', '571', '512'].includes(a) ? 4 : 1]);
function cnMobile(rng) { const op = rng.wpick(CN_OP.map((o) => [o, o[2]])); return rng.pick(op[1]) + rng.digits(8); }
function cnFixed(rng, areas = AREA_ALL) { const a = rng.wpick(areas); return String(a) + rng.int(2, 8) + rng.digits(CN_AREA[a] - 1); }
function cnNum(rng, mobShare, areas) { return rng.chance(mobShare) ? { num: cnMobile(rng), type: 'mob' } : { num: cnFixed(rng, areas), type: 'fix' }; }
// state of a Chinese number (stable per number)
function cnState(num, type) {
  if (type === 'svc') return 'ok';
  if (type === 'mob') {
    if (num.length !== 11 || CN_UNALLOC.includes(Number(num.slice(0, 3)))) return 'empty';
    const u = h01(num, 'st'); return u < 0.11 ? 'empty' : u < 0.14 ? 'suspended' : 'ok';
  }
  const u = h01(num, 'st'); return u < 0.32 ? 'empty' : u < 0.35 ? 'suspended' : 'ok';
}
const intlBarred = (num) => h01(num, 'bar') < 0.035;     // subscriber opted into international-call interception
const hasVoicemail = (num) => h01(num, 'vm') < 0.012;    // voicemail is rare in China
const usesMarkingApp = (num) => h01(num, 'app') < 0.55;  // handset/app shows crowd-sourced "fraud/harassment" marks
function cnKnown(rng, mobShare, areas) { // a number that is in service and reachable from abroad
  for (;;) { const n = cnNum(rng, mobShare, areas); if (cnState(n.num, n.type) === 'ok' && !intlBarred(n.num)) return n; }
}
function cnListed(rng, mobShare, areas, stale = 0.03) { // from a purchased/leaked list: mostly valid
  for (;;) { const n = cnNum(rng, mobShare, areas); if (cnState(n.num, n.type) === 'ok' || rng.chance(stale)) return n; }
}
const CN_SVC = ['13800138000', '18618610010', '18918910000', '1095588', '1095566', '1095533', '75595555', '1095599', '2195559', '1095508'];

// ------------------------------------------------------------------ trunks
const TRUNKS = {
  PCCW: { name: 'PCCW-HK-IGW01', pdd: 2.0, cf: [['+', 0.93], ['', 0.07]], ce: '+86', anon: ['anonymous', 0.9], cid: 'uuid' },
  CHT: { name: 'CHT-TW-IGW2', pdd: 2.3, cf: [['00', 0.96], ['+', 0.04]], ce: '0086', anon: ['', 0.8], cid: 'hexhost', ip: '10.31.7.2' },
  SINGTEL: { name: 'SINGTEL-SG-ICS', pdd: 2.4, cf: [['+', 1]], ce: '86', anon: ['anonymous', 1], cid: 'uuid' },
  KDDI: { name: 'KDDI-JP-GW3', pdd: 2.2, cf: [['', 0.97], ['+', 0.03]], ce: '86', anon: ['Anonymous', 1], cid: 'num', host: 'sbc3.kddi-gw.example' },
  ATT: { name: 'ATT-US-IGW', pdd: 2.7, cf: [['+', 1]], ce: '+86', anon: ['anonymous', 0.85], cid: 'hexhost', ip: '10.31.9.14' },
  DTAG: { name: 'DTAG-DE-ICSS', pdd: 2.5, cf: [['+', 0.9], ['00', 0.1]], ce: '+86', anon: ['anonymous', 1], cid: 'upper' },
  BT: { name: 'BT-UK-IGW', pdd: 2.6, cf: [['+', 0.95], ['', 0.05]], ce: '0086', anon: ['anonymous', 0.9], cid: 'uuid' },
  BICS: { name: 'BICS-BE-HUB', pdd: 3.2, cf: [['00', 0.97], ['+', 0.03]], ce: '0086', anon: ['', 0.7], cid: 'hexhost', ip: '10.31.2.40' },
  TATA: { name: 'TATA-IN-HUB', pdd: 3.4, cf: [['', 0.9], ['+', 0.1]], ce: '86', anon: ['anonymous', 0.6], cid: 'num', host: 'tgw.tata.example' },
  IBASIS: { name: 'IBASIS-NL-HUB', pdd: 3.0, cf: [['+', 1]], ce: '+86', anon: ['anonymous', 1], cid: 'uuid' },
  WHS: { name: '198.51.100.23', pdd: 3.8, cf: [['', 0.7], ['+', 0.3]], ce: '86', anon: ['', 0.9], cid: 'hexhost', ip: '198.51.100.23', natCN: 0.15 },
  GREY: { name: '203.0.113.47', pdd: 4.6, cf: [['', 0.6], ['+', 0.25], ['00', 0.15]], ce: '86', anon: ['', 0.85], cid: 'num', host: '203.0.113.47', natCN: 0.5 },
};
const HUBS = ['BICS', 'IBASIS', 'TATA'];
const DIRECT = { HK: 'PCCW', MO: 'PCCW', TW: 'CHT', SG: 'SINGTEL', MY: 'SINGTEL', ID: 'SINGTEL', TH: 'SINGTEL', VN: 'SINGTEL', PH: 'SINGTEL', KH: 'SINGTEL', MM: 'SINGTEL', LA: 'SINGTEL', AU: 'SINGTEL', NZ: 'SINGTEL',
  JP: 'KDDI', KR: 'KDDI', US: 'ATT', CA: 'ATT', BR: 'ATT', DE: 'DTAG', FR: 'DTAG', IT: 'DTAG', ES: 'DTAG', NL: 'DTAG', RU: 'DTAG', TR: 'DTAG', GB: 'BT',
  IN: 'TATA', PK: 'TATA', AE: 'TATA', SA: 'TATA', KE: 'TATA', EG: 'TATA', NG: 'TATA' };
const GREYISH = new Set(['VN', 'PH', 'KH', 'MM', 'LA', 'ID', 'NG', 'PK', 'BR', 'EG', 'KE']);
function legitRoute(rng, cid) {
  const d = DIRECT[cid];
  const g = GREYISH.has(cid) ? 0.07 : 0.015;
  return rng.wpick([[d || 'BICS', d ? 0.74 : 0.4], ['BICS', 0.08], ['IBASIS', 0.09], ['TATA', 0.03], ['WHS', 0.035], ['GREY', g]]);
}

// ------------------------------------------------------------------ plan (seed-driven structure)
const master = new Rng('traffic-f/' + OPT.seed);
const P = master.child('plan');
const plan = {
  legitPerDay: clamp(P.logn(128000, 0.13), 100000, 165000) * OPT.scale,
  fraudShare: P.range(0.05, 0.15),
  holiday: P.chance(0.2),                 // festival-like: more family calls
  outage: P.chance(0.55) ? { trunk: P.pick(['SINGTEL', 'BICS', 'IBASIS', 'KDDI', 'DTAG', 'TATA', 'WHS']), t0: T0 + P.range(0.05, 0.9) * (T1 - T0), mins: P.range(8, 45), frac: P.range(0.5, 1) } : null,
  misconf: [],
  mix: {},
};
// (trunk, origin country) pairs where the far end sends national / broken CLIs
{
  const cands = [['BICS', 'NG'], ['TATA', 'PK'], ['GREY', 'VN'], ['BICS', 'EG'], ['IBASIS', 'IT'], ['WHS', 'PH'], ['TATA', 'KE'], ['SINGTEL', 'ID'], ['DTAG', 'RU'], ['BICS', 'ZA'], ['IBASIS', 'BR'], ['WHS', 'MY']];
  const n = P.int(1, 4);
  for (let i = 0; i < n; i++) { const c = P.pick(cands); if (!plan.misconf.find((m) => m[0] === c[0] && m[1] === c[1])) plan.misconf.push([c[0], c[1], P.pick(['national', 'national', 'zero_kept', 'no_cc', 'truncated'])]); }
}
const jit = () => P.logn(1, 0.22);
plan.mix = { // legit shares (normalised later)
  family: 0.34 * jit() * (plan.holiday ? 1.35 : 1), student: 0.06 * jit(), business: 0.14 * jit(), service_callcentre: 0.09 * jit(), roaming_home: 0.085 * jit(),
  otp_voice: 0.05 * jit(), hotel_pbx: 0.015 * jit(), ott_breakout: 0.05 * jit(), withheld: 0.03 * jit(), conference: 0.012 * jit(), maritime_sat: 0.0015 * jit(), cn_corp_abroad: 0.012 * jit(),
  hk_mo_tw_cross: 0.16 * jit(),
};
{ let s = 0; for (const k in plan.mix) s += plan.mix[k]; for (const k in plan.mix) plan.mix[k] /= s; }
const LEGIT_TOTAL = plan.legitPerDay * DAYS;
const FRAUD_TOTAL = LEGIT_TOTAL * plan.fraudShare / (1 - plan.fraudShare);
const vol = (k) => LEGIT_TOTAL * plan.mix[k];

// ------------------------------------------------------------------ outcome model
const NIGHT = curve([.7, .85, .95, 1, 1, .9, .5, .2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .05, .2, .45]);
const AVAIL = curve([.4, .28, .18, .14, .14, .22, .5, .78, .88, .86, .88, .88, .9, .86, .84, .88, .88, .9, .92, .93, .93, .9, .82, .6]);
function calleeOp(c) { if (c.type !== 'mob') return 'FIX'; return PREFIX_OP[Number(c.num.slice(0, 3))] || 'CMCC'; }
const cliUse = new Map(); // CLI -> attempts so far (crowd-sourced marking grows with use)
const cliKey = (cli) => (cli.raw !== undefined ? 'raw:' + cli.raw : cli.anon ? 'anon' : cli.cc + cli.nsn);
const r1 = (x) => Math.round(x * 10) / 10;
function outageHit(rng, trunk, t) {
  const o = plan.outage; if (!o || TRUNKS[o.trunk] !== trunk) return false;
  return t >= o.t0 && t < o.t0 + o.mins * MIN && rng.chance(o.frac);
}
// a: attempt {t, P (population), cli, callee {num,type}, trunk, patience, n}
function outcome(rng, a) {
  const p = a.P, c = a.callee, tr = a.trunk, h = cnHour(a.t);
  const pdd = tr.pdd * rng.logn(1, 0.28) * (c.type === 'fix' ? 1.1 : 1);
  if (outageHit(rng, tr, a.t)) return { status: 503, ring: r1(rng.range(0.05, 0.6)), dur: 0 };
  const fr = rng.u();
  if (fr < 0.0025) return { status: 503, ring: r1(pdd * rng.range(0.2, 1)), dur: 0 };
  if (fr < 0.0035) return { status: rng.pick([500, 502, 504]), ring: r1(pdd * rng.range(0.5, 3)), dur: 0 };
  if (c.type === 'svc') {
    if (rng.chance(0.015)) return { status: 486, ring: r1(pdd), dur: 0 };
    return { status: 200, ring: r1(pdd + rng.logn(1.2, 0.4)), dur: Math.round(p.svcDur ? p.svcDur(rng) : rng.logn(140, 0.8)) };
  }
  if ((c.type === 'mob' && c.num.length < 11) || (c.type === 'fix' && c.num.length < 9)) return { status: 484, ring: r1(pdd * rng.range(0.2, 0.9)), dur: 0 };
  const st = cnState(c.num, c.type);
  if (st === 'empty') return { status: 404, ring: r1(rng.chance(0.65) ? pdd * rng.range(0.3, 1) : pdd + rng.range(5, 11)), dur: 0 };
  if (st === 'suspended') return { status: 480, ring: r1(pdd + rng.range(2, 8)), dur: 0 };
  if (intlBarred(c.num)) return { status: rng.chance(0.55) ? 603 : 403, ring: r1(pdd * rng.range(0.5, 1)), dur: 0 };
  const op = calleeOp(c);
  if (c.type === 'mob' && rng.chance(0.035 + 0.07 * NIGHT(h))) return { status: 480, ring: r1(pdd + rng.range(1, 6)), dur: 0 }; // switched off / no coverage
  if (rng.chance(a.busyP ?? 0.045)) return { status: 486, ring: r1(pdd + rng.range(0.3, 2.5)), dur: 0 };
  // crowd-sourced marking: handset apps/network mark numbers that many people reported
  let trust = p.trust;
  if (p.mark) {
    const k = cliKey(a.cli); const u = cliUse.get(k) || 0; cliUse.set(k, u + 1);
    const flag = clamp((p.preflag || 0) + p.mark * (1 - Math.exp(-u / (p.markScale || 300))), 0, 0.9);
    if (usesMarkingApp(c.num)) {
      if (rng.chance(flag * 0.6)) return { status: rng.chance(0.7) ? 486 : 603, ring: r1(pdd + rng.range(0.2, 1.5)), dur: 0 };
      trust *= 1 - flag * 0.8;
    }
  }
  const pick = trust * AVAIL(h) * (c.type === 'fix' ? (p.bizHours ? 1.05 : 0.75) : 1);
  const decl = (p.decline ?? 0.1) * (1 - pick);
  const r = rng.u();
  let ev, evT;
  if (r < pick) { ev = 'ans'; evT = clamp(rng.logn(p.ansMed || 7, 0.55), 0.6, 50); }
  else if (r < pick + decl) { ev = 'decl'; evT = clamp(rng.logn(6, 0.6), 0.8, 40); }
  else {
    ev = 'na';
    evT = op === 'CMCC' ? rng.range(44, 58) : op === 'CU' ? rng.range(55, 63) : op === 'CT' ? rng.range(40, 52) : op === 'FIX' ? rng.range(58, 62) : rng.range(45, 60);
    if (hasVoicemail(c.num)) { ev = 'vm'; evT = rng.range(20, 28); }
  }
  const pat = a.patience;
  if (a.cancelFromInvite !== undefined) { // dialer with a fixed timer from the INVITE
    const tc = a.cancelFromInvite;
    if (tc < pdd + (ev === 'ans' ? evT : Math.min(evT, 99))) return { status: 487, ring: r1(tc), dur: 0 };
  } else if (pat < evT) return { status: 487, ring: r1(pdd + pat), dur: 0 };
  const ring = r1(pdd + evT);
  if (ev === 'ans') return { status: 200, ring, dur: Math.max(0, Math.round(p.dur(rng, a))) };
  if (ev === 'vm') return { status: 200, ring, dur: Math.round(p.vmDur ? p.vmDur(rng) : rng.chance(0.5) ? rng.range(2, 6) : rng.range(8, 45)) };
  if (ev === 'decl') return { status: op === 'CU' || (op === 'CT' && rng.chance(0.5)) ? 603 : 486, ring, dur: 0 };
  return { status: op === 'CU' || op === 'FIX' ? 408 : 480, ring, dur: 0 };
}
// caller patience models
const humanPatience = (rng) => (rng.chance(0.035) ? rng.logn(2.5, 0.5) : clamp(rng.logn(56, 0.3), 10, 120));
const agentPatience = (rng) => clamp(rng.logn(33, 0.2), 15, 60);

// ------------------------------------------------------------------ formatting on the wire
function nationalForm(cli) {
  const c = CTRY[cli.c];
  if (cli.cc === '86') return /^1\d{10}$/.test(cli.nsn) ? cli.nsn : '0' + cli.nsn;
  if (!c) return cli.nsn;
  if (cli.cc === '1') return cli.nsn;
  return (c.tp || '') + cli.nsn;
}
function fmtCaller(rng, a) {
  const cli = a.cli, tr = a.trunk;
  if (cli.raw !== undefined) return cli.raw;
  if (cli.anon) return rng.chance(tr.anon[1]) ? tr.anon[0] : rng.pick(['anonymous', '', 'Anonymous']);
  if (cli.national) return nationalForm(cli);
  const mc = plan.misconf.find((m) => TRUNKS[m[0]] === tr && m[1] === cli.c);
  if (mc && cli.cc !== '86') {
    switch (mc[2]) {
      case 'national': return nationalForm(cli);
      case 'zero_kept': return '+' + cli.cc + (CTRY[cli.c].tp || '0') + cli.nsn;
      case 'no_cc': return cli.nsn;
      case 'truncated': return '+' + cli.cc + cli.nsn.slice(0, cli.nsn.length - 1 - (h01(cli.nsn, 'tr') < 0.3 ? 1 : 0));
    }
  }
  if (cli.cc === '86' && tr.natCN && h01(cli.nsn + tr.name, 'nat') < tr.natCN) return nationalForm(cli);
  const style = rng.chance(0.004) ? rng.pick(['+', '00', '']) : rng.wpick(tr.cf);
  return style + cli.cc + cli.nsn;
}
function fmtCallee(a) {
  const c = a.callee, ce = a.trunk.ce;
  if (ce === 'nat') return c.type === 'fix' ? '0' + c.num : c.num;
  return ce + c.num;
}
function callId(rng, tr) {
  switch (tr.cid) {
    case 'uuid': return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${'89ab'[rng.int(0, 3)]}${rng.hex(3)}-${rng.hex(12)}`;
    case 'hexhost': return `${rng.hex(32)}@${tr.ip}`;
    case 'num': return `${rng.int(1e9, 9.99e9)}-${rng.digits(6)}@${tr.host}`;
    default: return rng.hex(24).toUpperCase() + '@' + tr.name.toLowerCase();
  }
}

// ------------------------------------------------------------------ simulation core
const rows = [];
let seq = 0;
function emit(a, o, label, kind) {
  if (!(a.t >= T0 && a.t < T1)) return;
  rows.push({ t: Math.floor(a.t), a, o, label, kind, seq: seq++ });
}
class Heap {
  constructor() { this.h = []; }
  push(x) { const h = this.h; h.push(x); let i = h.length - 1; while (i > 0) { const j = (i - 1) >> 1; if (h[j].t <= h[i].t) break; [h[i], h[j]] = [h[j], h[i]]; i = j; } }
  pop() {
    const h = this.h, top = h[0], last = h.pop();
    if (h.length) { h[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < h.length && h[l].t < h[m].t) m = l; if (r < h.length && h[r].t < h[m].t) m = r; if (m === i) break; [h[i], h[m]] = [h[m], h[i]]; i = m; } }
    return top;
  }
  get size() { return this.h.length; }
}
// run attempts of one population in time order (so marking/retries are causal)
function run(rng, attempts) {
  const heap = new Heap(); for (const a of attempts) heap.push(a);
  while (heap.size) {
    let a = heap.pop();
    if (a.t < T0 || a.t >= T1) continue;
    if (a.patience === undefined) a.patience = (a.P.patience || humanPatience)(rng);
    if (a.P.misdial && !a.n && a.callee.type !== 'svc' && rng.chance(a.P.misdial)) a = { ...a, callee: misdial(rng, a.callee), trueCallee: a.callee };
    const o = outcome(rng, a);
    emit(a, o, a.P.label, a.P.kind);
    const rt = a.P.retry;
    if (a.trueCallee && o.status !== 200 && rng.chance(0.75)) { // notices the typo and dials again
      heap.push({ ...a, callee: a.trueCallee, trueCallee: undefined, t: a.t + o.ring * 1000 + rng.logn(20, 0.5) * 1000, n: 1, patience: undefined });
    } else if (rt && o.status !== 200 && o.status !== 404 && o.status !== 484 && (a.n || 0) < rt.max && rng.chance(rt.p * (o.status === 403 || o.status === 603 ? 0.4 : 1))) {
      const delay = (o.status === 486 ? rng.logn(rt.busyMed || rt.med, 0.6) : rng.logn(rt.med, 0.7)) * 1000;
      heap.push({ ...a, t: a.t + o.ring * 1000 + o.dur * 1000 + delay, n: (a.n || 0) + 1, patience: undefined });
    }
  }
}
// a human dialling error: dropped/extra digit or a wrong digit (the retry usually fixes it)
function misdial(rng, c) {
  const i = rng.int(3, c.num.length - 1), u = rng.u();
  const num = u < 0.4 ? c.num.slice(0, i) + c.num.slice(i + 1) : u < 0.55 ? c.num.slice(0, i) + rng.int(0, 9) + c.num.slice(i) : c.num.slice(0, i) + ((Number(c.num[i]) + rng.int(1, 9)) % 10) + c.num.slice(i + 1);
  return { num, type: c.type };
}
const att = (P, t, cli, callee, trunkKey, extra) => ({ P, t, cli, callee, trunk: TRUNKS[trunkKey], ...extra });

// ------------------------------------------------------------------ durations
const durFamily = (rng) => clamp(rng.chance(0.08) ? rng.logn(25, 0.6) : rng.logn(430, 0.95), 3, 4 * 3600);
const durBiz = (rng) => clamp(rng.chance(0.1) ? rng.logn(20, 0.5) : rng.logn(190, 0.95), 3, 2 * 3600);
const durService = (rng) => clamp(rng.chance(0.15) ? rng.logn(14, 0.5) : rng.logn(100, 0.75), 3, 1800);
const durScam = (rng) => { const u = rng.u(); return u < 0.62 ? rng.logn(12, 0.6) : u < 0.9 ? rng.logn(75, 0.6) : clamp(rng.logn(1100, 0.8), 240, 3 * 3600); };
const durRobo = (rng) => { const u = rng.u(); return u < 0.68 ? rng.range(1, 12) : u < 0.95 ? rng.range(12, 48) : rng.logn(150, 0.7); };
const durMarketing = (rng) => { const u = rng.u(); return u < 0.42 ? rng.logn(8, 0.5) : u < 0.92 ? rng.logn(55, 0.6) : rng.logn(260, 0.5); };

// ------------------------------------------------------------------ legit populations
const W = { // weights of origin countries
  family: [['US', 14], ['CA', 6], ['JP', 6], ['KR', 4], ['SG', 5], ['MY', 5], ['AU', 6], ['NZ', 1], ['GB', 5], ['DE', 3], ['FR', 2.5], ['IT', 2.5], ['ES', 2], ['NL', 1], ['RU', 2], ['TH', 2], ['VN', 2], ['PH', 1.5], ['ID', 2], ['AE', 2], ['SA', 1], ['NG', 1.2], ['ZA', 1], ['BR', 1], ['KH', 1], ['MM', 1], ['LA', 1], ['IN', 0.4], ['PK', 0.6], ['EG', 0.3], ['KE', 0.6], ['TR', 0.4]],
  student: [['US', 30], ['GB', 15], ['AU', 15], ['CA', 10], ['JP', 8], ['KR', 5], ['DE', 4], ['FR', 3], ['SG', 3], ['NZ', 2], ['MY', 2], ['HK', 3], ['IT', 1], ['NL', 1], ['RU', 1]],
  business: [['US', 20], ['DE', 8], ['JP', 10], ['KR', 8], ['HK', 12], ['TW', 6], ['SG', 5], ['GB', 5], ['IN', 4], ['AE', 3], ['RU', 3], ['BR', 2], ['IT', 3], ['FR', 2], ['NL', 2], ['AU', 3], ['MY', 3], ['TH', 2], ['VN', 3], ['NG', 1], ['ZA', 1], ['TR', 2], ['SA', 1], ['ES', 1], ['PK', 1], ['KE', 0.5], ['EG', 0.5], ['ID', 1.5], ['PH', 1]],
  roam: [['TH', 10], ['JP', 12], ['KR', 8], ['SG', 6], ['MY', 6], ['HK', 15], ['MO', 5], ['US', 8], ['GB', 4], ['FR', 4], ['DE', 4], ['IT', 3], ['AU', 5], ['AE', 3], ['VN', 4], ['ID', 3], ['RU', 3], ['ES', 2], ['NZ', 1], ['TR', 1.5], ['EG', 1], ['KH', 1.5], ['LA', 1]],
  cross: [['HK', 60], ['MO', 12], ['TW', 28]],
};
const dowPersonal = (t) => (isWeekend(t, 8) ? 1.15 : 0.95);
const dowBiz = (t) => (isWeekend(t, 8) ? 0.12 : 1);

function personCli(rng, cid, mobShare) {
  const pref = cid === 'US' ? US_DIASPORA_NPA : cid === 'CA' ? CA_DIASPORA_NPA : null;
  return foreignNum(rng, cid, rng.chance(mobShare) ? 'mob' : 'fix', pref);
}
function genRelations(rng, P, volume, countries, o) {
  // persistent caller entities with 1-3 contacts in China and heavy-tailed call frequency
  const out = []; let expected = 0; const inflate = 1.35;
  while (expected < volume) {
    const cid = rng.wpick(countries);
    const cli = o.cli ? o.cli(rng, cid) : personCli(rng, cid, o.mobShare ?? 0.85);
    const tz = cli.tz ?? CTRY[cid].tz;
    const nC = rng.wpick([[1, 0.55], [2, 0.3], [3, 0.15]]);
    const contacts = []; for (let i = 0; i < nC; i++) contacts.push(o.contact(rng));
    const rate = clamp(rng.logn(o.rateMed, 1.0), 0.02, o.rateMax || 6);
    const trunk = o.route ? o.route(rng, cid) : legitRoute(rng, cid);
    const alt = legitRoute(rng, cid);
    const n = rng.poisson(rate * DAYS);
    expected += rate * DAYS * inflate;
    for (let i = 0; i < n; i++) {
      const t = sampleTime(rng, (t) => o.when(t, tz));
      const callee = contacts[rng.chance(0.7) ? 0 : rng.int(0, contacts.length - 1)];
      out.push(att(P, t, cli, callee, rng.chance(0.88) ? trunk : alt));
    }
  }
  return out;
}
const RETRY_HUMAN = { p: 0.5, med: 75, busyMed: 240, max: 3 };
const MISDIAL = 0.012;

function legitPopulations(R) {
  const L = 'legit';
  // overseas Chinese calling family
  {
    const P = { label: L, kind: 'family_overseas', trust: 0.86, decline: 0.06, ansMed: 7, dur: durFamily, retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('family');
    run(r, genRelations(r, P, vol('family'), W.family, {
      rateMed: 0.28, contact: (rng) => cnKnown(rng, 0.82, AREA_DIASPORA),
      when: (t, tz) => LOC_PERSONAL(locHour(t, tz)) * CN_PERSONAL(cnHour(t)) * dowPersonal(t) * 0.85,
    }));
  }
  // HK / Macau / Taiwan residents calling the mainland (family + small business, very high volume)
  {
    const P = { label: L, kind: 'hk_mo_tw_cross', trust: 0.78, decline: 0.07, ansMed: 7, dur: (rng) => (rng.chance(0.6) ? durFamily(rng) * 0.6 : durBiz(rng)), retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('cross');
    run(r, genRelations(r, P, vol('hk_mo_tw_cross'), W.cross, {
      rateMed: 0.45, mobShare: 0.8, contact: (rng) => cnKnown(rng, 0.8, [[20, 10], [755, 14], [769, 6], [757, 4], [760, 3], [592, 4], [591, 3], [21, 5], [10, 3], [571, 2]]),
      when: (t) => Math.max(CN_PERSONAL(cnHour(t)) * dowPersonal(t), CN_BIZ(cnHour(t)) * dowBiz(t)) * 0.9,
    }));
  }
  // students abroad (evening-heavy in China, weekend-heavy)
  {
    const P = { label: L, kind: 'student_abroad', trust: 0.85, decline: 0.05, ansMed: 6, dur: (rng) => clamp(rng.logn(560, 0.9), 5, 3 * 3600), retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('student');
    run(r, genRelations(r, P, vol('student'), W.student, {
      rateMed: 0.45, mobShare: 0.97, contact: (rng) => cnKnown(rng, 0.92, AREA_ALL),
      when: (t, tz) => LOC_PERSONAL(locHour(t, tz)) * CN_EVENING(cnHour(t)) * (isWeekend(t, tz) ? 1.3 : 0.75),
    }));
  }
  // foreign businesses calling Chinese partners (office PBX DID blocks)
  {
    const P = { label: L, kind: 'business_partner', trust: 0.72, decline: 0.08, ansMed: 8, bizHours: true, dur: durBiz, retry: { p: 0.45, med: 300, busyMed: 600, max: 2 }, misdial: 0.008 };
    const r = R.child('business');
    const out = []; let expected = 0;
    while (expected < vol('business')) {
      const cid = r.wpick(W.business);
      const dids = foreignBlock(r, cid, 'fix', r.wpick([[1, 0.3], [10, 0.4], [100, 0.3]]));
      const staff = dids.slice(0, Math.max(1, Math.min(dids.length, r.int(1, 8))));
      const presentsMain = r.chance(0.35);
      const partners = []; const np = r.int(2, 25); for (let i = 0; i < np; i++) partners.push(cnKnown(r, 0.35, AREA_BIZ));
      const rate = clamp(r.logn(2.5, 1.0), 0.1, 60);
      const trunk = legitRoute(r, cid);
      const tz = staff[0].tz;
      const n = r.poisson(rate * DAYS); expected += rate * DAYS * 1.25;
      for (let i = 0; i < n; i++) {
        const t = sampleTime(r, (t) => CN_BIZ(cnHour(t)) * Math.max(0.3, BIZ(locHour(t, tz))) * dowBiz(t));
        out.push(att(P, t, presentsMain ? dids[0] : r.pick(staff), r.pick(partners), r.chance(0.9) ? trunk : legitRoute(r, cid)));
      }
    }
    run(r, out);
  }
  // Chinese subscribers roaming abroad calling home (+86 CLI arriving from abroad: legitimate)
  {
    const P = { label: L, kind: 'cn_roamer_home', trust: 0.8, decline: 0.06, ansMed: 6, dur: (rng) => clamp(rng.logn(95, 1.1), 2, 7200), retry: RETRY_HUMAN, misdial: MISDIAL, svcDur: (rng) => rng.logn(170, 0.7) };
    const r = R.child('roam');
    run(r, genRelations(r, P, vol('roaming_home'), W.roam, {
      rateMed: 1.1, rateMax: 12,
      cli: (rng, cid) => { const n = cnKnown(rng, 1, AREA_ALL); return { cc: '86', nsn: n.num, c: 'CN', tz: CTRY[cid].tz }; },
      contact: (rng) => (rng.chance(0.07) ? { num: rng.pick(CN_SVC), type: 'svc' } : cnKnown(rng, 0.85, AREA_ALL)),
      when: (t, tz) => LOC_PERSONAL(locHour(t, tz)) * (0.4 + 0.6 * CN_PERSONAL(cnHour(t))),
    }));
  }
  // pbx / hotel guests with odd CLIs
  {
    const P = { label: L, kind: 'hotel_pbx', trust: 0.6, decline: 0.1, ansMed: 8, dur: (rng) => clamp(rng.logn(240, 1.0), 3, 5400), retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('pbx');
    const hotels = [];
    for (let i = 0; i < r.int(15, 40); i++) {
      const cid = r.pick(['TH', 'JP', 'SG', 'AE', 'FR', 'GB', 'US', 'KR', 'MY', 'IT', 'DE', 'VN']);
      const main = foreignNum(r, cid, 'fix');
      const style = r.wpick([['main', 3], ['main_ext', 2], ['ext_only', 1.5], ['national', 1.5], ['pilot', 1]]);
      hotels.push({ cid, main, style, pilot: foreignNum(r, cid, 'fix') });
    }
    const out = [];
    for (let i = 0; i < r.poisson(vol('hotel_pbx')); i++) {
      const h = r.pick(hotels);
      let cli;
      if (h.style === 'main') cli = h.main;
      else if (h.style === 'main_ext') cli = { raw: r.pick(['+', '00', '']) + h.main.cc + h.main.nsn + r.int(100, 4999) };
      else if (h.style === 'ext_only') cli = { raw: String(r.int(100, 8999)) };
      else if (h.style === 'national') cli = { ...h.main, national: true };
      else cli = h.pilot;
      const t = sampleTime(r, (t) => LOC_PERSONAL(locHour(t, h.main.tz)) * CN_PERSONAL(cnHour(t)));
      out.push(att(P, t, cli, cnKnown(r, 0.8, AREA_ALL), legitRoute(r, h.cid)));
    }
    run(r, out);
  }
  // OTT app-to-PSTN breakout: generic or randomised CLIs, real conversations
  {
    const P = { label: L, kind: 'ott_breakout', trust: 0.5, decline: 0.18, ansMed: 9, dur: (rng) => clamp(rng.logn(260, 1.1), 2, 5400), retry: { p: 0.55, med: 60, max: 3 } };
    const r = R.child('ott');
    const generic = [{ raw: '+10000000000' }, { raw: '0000000000' }, { raw: '123456789' }, { raw: '+8888888888' }, { raw: '1' }, { raw: 'unknown' }];
    const pilots = []; for (let i = 0; i < r.int(2, 6); i++) pilots.push(foreignNum(r, r.pick(['US', 'GB', 'NL', 'SG', 'HK']), 'fix'));
    const gsel = generic.filter(() => r.chance(0.5)); if (!gsel.length) gsel.push(generic[0]);
    const randomCC = r.pick(['US', 'GB', 'MY', 'VN']);
    const out = []; const users = [];
    const n = r.poisson(vol('ott_breakout'));
    for (let i = 0; i < n; i++) {
      if (users.length < 20 || r.chance(0.3)) users.push({ callee: cnKnown(r, 0.9, AREA_DIASPORA), tz: r.pick([-8, -5, 0, 1, 8, 9, 10]) });
      const u = r.pick(users);
      const mode = r.wpick([['generic', 0.4], ['pilot', 0.35], ['random', 0.25]]);
      const cli = mode === 'generic' ? r.pick(gsel) : mode === 'pilot' ? r.pick(pilots) : foreignNum(r, randomCC, 'mob');
      const t = sampleTime(r, (t) => LOC_PERSONAL(locHour(t, u.tz)) * CN_PERSONAL(cnHour(t)));
      out.push(att(P, t, cli, u.callee, r.wpick([['GREY', 0.45], ['WHS', 0.25], ['IBASIS', 0.15], ['BICS', 0.15]])));
    }
    run(r, out);
  }
  // withheld / anonymous callers (all sorts of people)
  {
    const P = { label: L, kind: 'withheld_caller', trust: 0.38, decline: 0.22, ansMed: 9, dur: (rng) => clamp(rng.logn(170, 1.2), 2, 5400), retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('anon');
    run(r, genRelations(r, P, vol('withheld'), W.family.concat(W.business), {
      rateMed: 0.6, cli: () => ({ anon: true }), contact: (rng) => cnKnown(rng, 0.75, AREA_ALL),
      when: (t) => CN_PERSONAL(cnHour(t)) * 0.9,
    }));
  }
  // foreign service call centres calling Chinese customers (banks, airlines, logistics, universities)
  {
    const r = R.child('svc');
    const types = [
      ['airline', ['HK', 'SG', 'AE', 'US', 'DE', 'JP', 'KR', 'TH', 'GB', 'FR', 'AU'], 0.55],
      ['bank_cards', ['HK', 'SG', 'US', 'GB', 'MO'], 0.45],
      ['logistics', ['HK', 'SG', 'US', 'DE', 'NL', 'JP'], 0.5],
      ['university', ['US', 'GB', 'AU', 'CA', 'HK', 'SG'], 0.6],
      ['ecommerce', ['US', 'SG', 'HK', 'KR', 'JP'], 0.4],
      ['hotel_booking', ['SG', 'TH', 'JP', 'HK', 'NL'], 0.5],
    ];
    const nC = r.int(8, 16); const centres = []; let tw = 0;
    for (let i = 0; i < nC; i++) {
      const [type, cs, trust] = r.pick(types); const cid = r.pick(cs);
      const cliMode = r.wpick([['single', 3], ['few', 3], ['block_rotate', 2], ['tollfree', (CTRY[cid].tf || []).length ? 1.5 : 0]]);
      const clis = cliMode === 'single' ? [foreignNum(r, cid, 'fix')] : cliMode === 'few' ? Array.from({ length: r.int(2, 5) }, () => foreignNum(r, cid, 'fix'))
        : cliMode === 'block_rotate' ? foreignBlock(r, cid, 'fix', r.pick([20, 50, 100, 200])) : [foreignNum(r, cid, 'tf')];
      const w = r.logn(1, 0.8); tw += w;
      centres.push({ type, cid, clis, trust, w, burst: type === 'airline' && r.chance(0.5), trunk: legitRoute(r, cid) });
    }
    for (const c of centres) {
      const P = { label: L, kind: 'svc_callcentre_' + c.type, trust: c.trust, decline: 0.15, ansMed: 8, dur: durService, patience: agentPatience, mark: 0.12, markScale: 800, retry: { p: 0.35, med: 2400, max: 2 } };
      const n = Math.round(r.poisson(vol('service_callcentre') * c.w / tw) / 1.2);
      const out = [];
      const tz = c.clis[0].tz;
      for (let i = 0; i < n; i++) {
        const t = sampleTime(r, (t) => CN_SERVICE(cnHour(t)) * (c.type === 'airline' ? 1 : dowBiz(t) * 0.9 + 0.1));
        out.push(att(P, t, r.pick(c.clis), cnListed(r, 0.97, AREA_ALL, 0.06), r.chance(0.9) ? c.trunk : legitRoute(r, c.cid)));
      }
      if (c.burst) { // irregular operations: a flight cancelled, everyone on it gets called within ~1h
        const tb = T0 + r.range(0.1, 0.9) * (T1 - T0); const pax = r.int(150, 450);
        for (let i = 0; i < pax; i++) out.push(att({ ...P, kind: 'svc_callcentre_airline_irop', trust: 0.7 }, tb + r.exp(18 * MIN), r.pick(c.clis), cnKnown(r, 0.98, AREA_ALL), c.trunk));
      }
      run(r, out);
    }
  }
  // voice OTP / notification calls
  {
    const r = R.child('otp');
    const nP = r.int(2, 5); const provs = []; let tw = 0;
    for (let i = 0; i < nP; i++) {
      const cid = r.pick(['US', 'SG', 'HK', 'GB', 'DE', 'NL', 'JP']);
      const mode = r.wpick([['pool', 3], ['block', 2], ['tollfree', CTRY[cid].tf?.length ? 1 : 0], ['generic', 0.7]]);
      const clis = mode === 'pool' ? Array.from({ length: r.int(3, 30) }, () => foreignNum(r, cid, r.chance(0.5) ? 'fix' : 'mob'))
        : mode === 'block' ? foreignBlock(r, cid, 'fix', r.pick([10, 50, 100, 500]))
          : mode === 'tollfree' ? [foreignNum(r, cid, 'tf'), foreignNum(r, cid, 'tf')] : [{ raw: r.pick(['10000', '+1000', 'VERIFY', '0']) }];
      const w = r.logn(1, 0.9); tw += w; provs.push({ cid, clis, w, trunk: legitRoute(r, cid) });
    }
    for (const pv of provs) {
      const P = { label: L, kind: 'otp_voice', trust: 0.72, decline: 0.05, ansMed: 4.5, patience: (rng) => rng.range(30, 45), dur: (rng) => (rng.chance(0.3) ? rng.range(4, 12) : rng.range(16, 42)), retry: { p: 0.3, med: 70, max: 2 }, vmDur: () => 25 };
      const out = []; const n = Math.round(r.poisson(vol('otp_voice') * pv.w / tw) / 1.1);
      for (let i = 0; i < n; i++) out.push(att(P, sampleTime(r, (t) => CN_PERSONAL(cnHour(t))), r.pick(pv.clis), cnKnown(r, 0.995, AREA_ALL), r.chance(0.85) ? pv.trunk : legitRoute(r, pv.cid)));
      run(r, out);
    }
  }
  // conference bridge dial-outs (bursts at :00/:30, many callees, long similar durations)
  {
    const r = R.child('conf');
    const provs = Array.from({ length: r.int(1, 3) }, () => { const cid = r.pick(['US', 'SG', 'HK', 'GB', 'DE']); return { cid, clis: Array.from({ length: r.int(1, 3) }, () => foreignNum(r, cid, 'fix')), trunk: legitRoute(r, cid), regulars: Array.from({ length: r.int(100, 400) }, () => cnKnown(r, 0.7, AREA_BIZ)) }; });
    const out = [];
    let remaining = vol('conference');
    while (remaining > 0) {
      const pv = r.pick(provs);
      const slot = sampleTime(r, (t) => Math.max(CN_BIZ(cnHour(t)), 0.3 * CN_PERSONAL(cnHour(t))) * dowBiz(t));
      const start = Math.floor(slot / (30 * MIN)) * 30 * MIN + r.range(-60e3, 120e3);
      const k = r.int(2, 9), len = clamp(r.logn(2400, 0.5), 300, 3 * 3600);
      const P = { label: L, kind: 'conference_dialout', trust: 0.88, decline: 0.03, ansMed: 5, patience: () => 60, dur: (rng) => len * rng.range(0.75, 1.0) };
      const cli = r.pick(pv.clis);
      for (let i = 0; i < k; i++) out.push(att(P, start + r.range(0, 25e3), cli, r.pick(pv.regulars), pv.trunk));
      remaining -= k;
    }
    run(r, out);
  }
  // ships and remote sites on satellite (Inmarsat/Iridium CLIs, legitimate)
  {
    const P = { label: L, kind: 'maritime_satellite', trust: 0.65, decline: 0.1, ansMed: 7, dur: (rng) => clamp(rng.logn(190, 0.8), 5, 2400), retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('sat');
    run(r, genRelations(r, P, Math.max(10, vol('maritime_sat')), [['INMARSAT', 3], ['IRIDIUM', 1]], {
      rateMed: 0.5, cli: (rng, cid) => foreignNum(rng, cid, 'mob'), contact: (rng) => cnKnown(rng, 0.85, AREA_DIASPORA),
      route: (rng) => rng.pick(['BICS', 'IBASIS']), when: (t) => CN_PERSONAL(cnHour(t)),
    }));
  }
  // Chinese companies' overseas offices presenting their Chinese HQ number (legit +86 fixed CLI from abroad)
  {
    const P = { label: L, kind: 'cn_corp_overseas_pbx', trust: 0.75, decline: 0.06, ansMed: 7, bizHours: true, dur: durBiz, retry: RETRY_HUMAN, misdial: MISDIAL };
    const r = R.child('cncorp');
    const out = [];
    const corps = Array.from({ length: r.int(8, 25) }, () => { const hq = cnFixed(r, AREA_BIZ); const cid = r.pick(['DE', 'AE', 'NG', 'KE', 'PK', 'US', 'GB', 'SA', 'ID', 'MY', 'BR', 'ZA', 'EG']); return { hq: { cc: '86', nsn: hq, c: 'CN', tz: CTRY[cid].tz }, cid, contacts: Array.from({ length: r.int(5, 40) }, () => cnKnown(r, 0.6, AREA_BIZ)) }; });
    const n = r.poisson(vol('cn_corp_abroad'));
    for (let i = 0; i < n; i++) { const c = r.pick(corps); out.push(att(P, sampleTime(r, (t) => CN_BIZ(cnHour(t)) * dowBiz(t) + 0.05), c.hq, r.pick(c.contacts), legitRoute(r, c.cid))); }
    run(r, out);
  }
}

// ------------------------------------------------------------------ fraud populations
const WANGIRI_CC = ['TN', 'SL', 'GN', 'MR', 'CU', 'PG', 'NR', 'KM', 'LV', 'SO', 'TO', 'BI', 'ML', 'BY', 'MD', 'AL', 'MV', 'GQ', 'IRIDIUM', 'INTLNET', 'PK', 'NG'];
const FRAUD_ROUTES = [['GREY', 3], ['WHS', 2], ['BICS', 2], ['IBASIS', 2], ['TATA', 1.5], ['SINGTEL', 0.5], ['PCCW', 0.5], ['DTAG', 0.3], ['ATT', 0.3]];
function campaignRoutes(rng, k) { const s = new Set(); while (s.size < k) s.add(rng.wpick(FRAUD_ROUTES)); return [...s]; }
// target generators
function targetGen(rng, mode) {
  if (mode === 'sequential') { // scanning a number range
    let base = Number(String(rng.pick(rng.wpick(CN_OP.map((o) => [o[1], o[2]])))) + rng.digits(4)) * 1e4 + rng.int(0, 5000);
    const step = rng.pick([1, 1, 1, 3, 7, 11]);
    return () => { base += step; return { num: String(base), type: 'mob' }; };
  }
  if (mode === 'random') return () => (rng.chance(0.05) ? { num: rng.pick(CN_UNALLOC) + rng.digits(8), type: 'mob' } : cnNum(rng, 0.93, AREA_ALL));
  return () => cnListed(rng, 0.95, AREA_ALL, 0.03); // leaked / purchased list
}
function paced(rng, n, pacing) {
  // returns n sorted INVITE times following the campaign pacing
  const ts = [];
  if (pacing.mode === 'burst') { for (let i = 0; i < n; i++) ts.push(pacing.t0 + rng.u() * pacing.len); }
  else if (pacing.mode === 'waves') { for (let i = 0; i < n; i++) { const w = rng.pick(pacing.waves); ts.push(w + rng.u() * pacing.len); } }
  else { for (let i = 0; i < n; i++) ts.push(sampleTime(rng, pacing.w)); }
  return ts.sort((a, b) => a - b);
}
function pacingFor(rng, style, hoursW) {
  if (style === 'burst') { const len = rng.range(20, 180) * MIN; return { mode: 'burst', t0: T0 + rng.u() * Math.max(0, T1 - T0 - len), len }; }
  if (style === 'waves') { const len = rng.range(10, 40) * MIN; return { mode: 'waves', len, waves: Array.from({ length: rng.int(3, 8) }, () => T0 + rng.u() * Math.max(0, T1 - T0 - len)) }; }
  return { mode: 'spread', w: hoursW };
}

function fraudPopulations(R) {
  const C = R.child('campaigns');
  const types = {
    wangiri: C.child('wangiri').wpick([[0, 0.08], [1, 0.3], [2, 0.32], [3, 0.2], [4, 0.1]]),
    robocall: C.child('robocall').wpick([[0, 0.1], [1, 0.4], [2, 0.35], [3, 0.15]]),
    scam: C.child('scam').wpick([[1, 0.5], [2, 0.35], [3, 0.15]]),
    cli_spoofing: C.child('cli_spoofing').wpick([[0, 0.15], [1, 0.45], [2, 0.3], [3, 0.1]]),
    invalid_cli: C.child('invalid_cli').wpick([[0, 0.3], [1, 0.5], [2, 0.2]]),
    uifn_cli: C.child('uifn_cli').wpick([[0, 0.35], [1, 0.45], [2, 0.2]]),
    tdos: C.child('tdos').wpick([[0, 0.35], [1, 0.45], [2, 0.2]]),
    marketing: C.child('marketing').wpick([[0, 0.15], [1, 0.45], [2, 0.3], [3, 0.1]]),
  };
  const base = { wangiri: 1.1, robocall: 1.5, scam: 0.55, cli_spoofing: 0.45, invalid_cli: 0.3, uifn_cli: 0.25, tdos: 0.35, marketing: 0.5 };
  const camps = [];
  for (const [type, n] of Object.entries(types)) for (let i = 0; i < n; i++) camps.push({ type, i, w: base[type] * C.logn(1, 0.6) });
  // TDoS size is set by the attack itself (a flood is a flood), the rest share what is left of the budget
  let budget = FRAUD_TOTAL;
  for (const c of camps) if (c.type === 'tdos') { c.n = Math.round(C.range(300, 5000) * OPT.scale); budget -= c.n; }
  budget = Math.max(budget, FRAUD_TOTAL * 0.5);
  const tw = camps.reduce((s, c) => s + (c.type === 'tdos' ? 0 : c.w), 0);
  const floor = Math.max(5, Math.round(60 * OPT.scale * Math.min(1, DAYS)));
  for (const c of camps) if (c.type !== 'tdos') c.n = Math.max(floor, Math.round(budget * c.w / tw));
  plan.campaigns = camps.map((c) => `${c.type}#${c.i}:${c.n}`);
  for (const c of camps) FRAUD_GEN[c.type](R.child(c.type + c.i), c.n, c.i);
  // stealthy extras independent of the share budget
  if (C.chance(0.65)) pigButchering(R.child('pig'));
}

const FRAUD_GEN = {
  wangiri(r, n) {
    const nc = r.chance(0.25) ? r.int(2, 4) : 1;
    const ccs = Array.from({ length: nc }, () => r.pick(WANGIRI_CC));
    const cliMode = r.wpick([['single', 1], ['block', 3], ['spread', 2], ['per_call', 1]]);
    let pool;
    if (cliMode === 'single') pool = [foreignNum(r, ccs[0], 'mob')];
    else if (cliMode === 'block') pool = ccs.flatMap((c) => foreignBlock(r, c, r.chance(0.6) ? 'fix' : 'mob', r.pick([10, 30, 100, 300])));
    else if (cliMode === 'spread') pool = Array.from({ length: Math.max(5, Math.round(n / r.range(3, 20))) }, () => foreignNum(r, r.pick(ccs), 'mob'));
    else pool = null;
    const style = r.wpick([['burst', 3], ['waves', 2], ['spread', 2]]);
    const night = r.chance(0.45);
    const pacing = pacingFor(r, style, (t) => (night ? 0.2 + NIGHT(cnHour(t)) * 0.8 : 0.15 + CN_PERSONAL(cnHour(t))) / 1.15);
    if (style === 'burst' && night) { const nightStart = T0 + Math.floor(r.range(0, DAYS)) * 24 * HOUR + r.range(-2, 3) * HOUR; pacing.t0 = clamp(nightStart, T0, Math.max(T0, T1 - pacing.len)); }
    const tg = targetGen(r, r.wpick([['sequential', 2], ['random', 2], ['list', 1.5]]));
    const fromInvite = r.chance(0.5); const c1 = r.range(0.3, 2.5), c2 = c1 + r.range(0.5, 3.5);
    const redial = r.chance(0.3) ? r.range(0.1, 0.4) : 0;
    const routes = campaignRoutes(r, r.int(1, 3));
    const kind = 'wangiri_' + (nc > 1 && cliMode !== 'single' ? 'multi_cc_' : '') + cliMode + '_' + style;
    const P = { label: 'wangiri', kind, trust: 0.35, decline: 0.2, ansMed: 6, dur: (rng) => rng.range(0, 3), mark: 0.5, markScale: 120, preflag: r.range(0, 0.2) };
    const out = [];
    for (const t of paced(r, n, pacing)) {
      const cli = pool ? r.pick(pool) : foreignNum(r, r.pick(ccs), 'mob');
      const callee = tg();
      const tr = r.pick(routes);
      const extra = fromInvite ? { cancelFromInvite: r.range(c1 + 2, c2 + 3.5) } : { patience: r.range(c1, c2) };
      out.push(att(P, t, cli, callee, tr, extra));
      if (redial && r.chance(redial)) out.push(att(P, t + r.range(1, 40) * MIN, cli, callee, tr, fromInvite ? { cancelFromInvite: r.range(c1 + 2, c2 + 3.5) } : { patience: r.range(c1, c2) }));
    }
    run(r, out);
  },
  robocall(r, n) {
    const cid = r.pick(['US', 'GB', 'HK', 'MY', 'PH', 'ID', 'TH', 'VN', 'KH', 'CA', 'AU', 'SG', 'TW', 'JP']);
    const cliMode = r.wpick([['block_rotation', 3], ['random_cli', 2], ['single', 1], ['switch_every_n', 2]]);
    const block = cliMode === 'block_rotation' ? foreignBlock(r, cid, r.chance(0.5) ? 'fix' : 'mob', r.pick([50, 100, 200, 500, 1000])) : null;
    const single = foreignNum(r, cid, 'fix');
    const every = r.int(150, 900); let cur = foreignNum(r, cid, 'mob'), used = 0;
    const theme = r.pick(['parcel_customs', 'medical_insurance', 'ecommerce_refund', 'credit_card', 'embassy_notice', 'loan_offer']);
    const routes = campaignRoutes(r, r.int(1, 3));
    const tg = targetGen(r, r.wpick([['random', 3], ['list', 2], ['sequential', 1]]));
    const style = r.wpick([['spread', 3], ['burst', 1.5], ['waves', 1.5]]);
    const weekends = r.chance(0.5);
    const pacing = pacingFor(r, style, (t) => CN_SERVICE(cnHour(t)) * (weekends ? 1 : dowBiz(t) * 0.8 + 0.2));
    const pat1 = r.range(14, 22), pat2 = pat1 + r.range(3, 12);
    const P = { label: 'robocall', kind: 'robocall_' + cliMode + '_' + theme, trust: r.range(0.12, 0.26), decline: 0.35, ansMed: 8, dur: durRobo, mark: r.range(0.3, 0.7), markScale: r.range(80, 400), preflag: r.range(0, 0.3) };
    const out = [];
    for (const t of paced(r, n, pacing)) {
      let cli;
      if (cliMode === 'block_rotation') cli = r.pick(block);
      else if (cliMode === 'random_cli') cli = foreignNum(r, cid, r.chance(0.7) ? 'mob' : 'fix');
      else if (cliMode === 'single') cli = single;
      else { if (++used > every) { cur = foreignNum(r, cid, 'mob'); used = 0; } cli = cur; }
      out.push(att(P, t, cli, tg(), r.pick(routes), { patience: r.range(pat1, pat2) }));
    }
    run(r, out);
  },
  scam(r, n) {
    const base = r.pick(['KH', 'MM', 'PH', 'LA', 'TH', 'MY', 'AE', 'TR', 'VN', 'ID']);
    const theme = r.pick(['police_impersonation', 'ecommerce_refund', 'loan_credit', 'customs_parcel', 'investment', 'insurance_cancel', 'game_account']);
    const cliMode = r.wpick([['simfarm_rotation', 3], ['voip_did_foreign', 2], ['agent_fixed', 1.5]]);
    const agents = r.int(6, 60);
    const didCc = r.pick(['US', 'GB', 'CA', 'AU', 'HK', 'SG']);
    const agentCli = Array.from({ length: agents }, () => (cliMode === 'voip_did_foreign' ? foreignNum(r, didCc, 'fix') : foreignNum(r, base, 'mob')));
    const perSim = r.int(8, 80); const simUse = new Array(agents).fill(0);
    const routes = campaignRoutes(r, r.int(1, 3));
    const tg = targetGen(r, 'list');
    const P = { label: 'scam', kind: 'scam_' + theme + '_' + cliMode, trust: r.range(0.22, 0.38), decline: 0.2, ansMed: 8, dur: durScam, patience: humanPatience, mark: 0.25, markScale: 150, retry: { p: 0.2, med: 600, max: 1 } };
    const out = []; const victims = [];
    const t0 = CN_SERVICE;
    for (let i = 0; i < n; i++) {
      const ag = r.int(0, agents - 1);
      if (cliMode === 'simfarm_rotation' && ++simUse[ag] > perSim) { agentCli[ag] = foreignNum(r, base, 'mob'); simUse[ag] = 0; }
      let callee;
      if (victims.length && r.chance(0.06)) callee = r.pick(victims); else { callee = tg(); if (r.chance(0.08)) victims.push(callee); }
      out.push(att(P, sampleTime(r, (t) => t0(cnHour(t)) * (dowBiz(t) * 0.6 + 0.4)), agentCli[ag], callee, r.pick(routes)));
    }
    run(r, out);
  },
  cli_spoofing(r, n) {
    const mode = r.wpick([['spoof_gov_fixed', 2], ['spoof_bank_service', 1.5], ['spoof_cn_mobile_random', 2], ['spoof_cn_mobile_pool', 1], ['spoof_local_fixed', 1.5]]);
    const routes = campaignRoutes(r, r.int(1, 3));
    const tg = targetGen(r, r.chance(0.8) ? 'list' : 'random');
    let pool = null;
    if (mode === 'spoof_gov_fixed') {
      const areas = [10, 21, 20, 755, 22, 23, 28, 571, 27].filter(() => r.chance(0.5)).concat([10]);
      pool = Array.from({ length: r.int(4, 30) }, () => { const a = r.pick(areas); const suf = r.wpick([['110', 2], ['12309', 1], ['12345', 1], ['local', 3]]); return { cc: '86', nsn: a + (suf === 'local' ? r.pick(['6', '8', '5']) + r.digits(CN_AREA[a] - 1) : suf), c: 'CN', tz: 8 }; });
    } else if (mode === 'spoof_bank_service') {
      pool = ['95588', '95533', '95566', '95599', '95555', '95559', '10086', '10010', '10000', '95511', '95522', '4008' + r.digits(6)].filter(() => r.chance(0.5)).map((s) => ({ cc: '86', nsn: r.chance(0.5) && s.startsWith('95') ? '10' + s : s, c: 'CN', tz: 8 }));
      if (!pool.length) pool = [{ cc: '86', nsn: '95588', c: 'CN', tz: 8 }];
    } else if (mode === 'spoof_cn_mobile_pool') pool = Array.from({ length: r.int(20, 200) }, () => ({ cc: '86', nsn: cnMobile(r), c: 'CN', tz: 8 }));
    const wire = r.wpick([['e164', 3], ['national', 1]]);
    const P = { label: 'cli_spoofing', kind: mode, trust: r.range(0.35, 0.55), decline: 0.12, ansMed: 7, dur: (rng) => durScam(rng) * (rng.chance(0.3) ? 2 : 1), patience: humanPatience, mark: mode === 'spoof_cn_mobile_random' || mode === 'spoof_local_fixed' ? 0 : 0.25, markScale: 200 };
    const out = [];
    const stealth = n < 400 || r.chance(0.3);
    for (let i = 0; i < n; i++) {
      const callee = tg();
      let cli;
      if (pool) cli = r.pick(pool);
      else if (mode === 'spoof_local_fixed') { const a = callee.type === 'fix' ? Object.keys(CN_AREA).find((x) => callee.num.startsWith(x)) : r.pick(Object.keys(CN_AREA)); cli = { cc: '86', nsn: a + r.int(2, 8) + r.digits(CN_AREA[a] - 1), c: 'CN', tz: 8 }; }
      else cli = { cc: '86', nsn: cnMobile(r), c: 'CN', tz: 8 };
      if (wire === 'national') cli = { ...cli, national: true };
      out.push(att(P, sampleTime(r, (t) => CN_SERVICE(cnHour(t)) * (stealth ? 0.5 + 0.5 * dowBiz(t) : 1)), cli, callee, r.pick(routes)));
    }
    run(r, out);
  },
  invalid_cli(r, n) {
    const mode = r.wpick([['unassigned_cc', 2], ['bad_length', 2], ['garbage', 1], ['unalloc_range', 1.5]]);
    const routes = campaignRoutes(r, r.int(1, 2));
    const tg = targetGen(r, r.chance(0.6) ? 'random' : 'list');
    const badCC = ['999', '801', '969', '292', '284', '289', '693', '697', '835', '854', '889', '871', '872', '210', '259', '422', '990', '997'].filter(() => r.chance(0.35)).concat(['999']);
    const realCid = r.pick(['US', 'GB', 'HK', 'MY', 'IN', 'PH', 'AU']);
    const genCli = () => {
      switch (mode) {
        case 'unassigned_cc': return { cc: r.pick(badCC), nsn: r.digits(r.int(7, 11)), c: 'XX', tz: 0 };
        case 'bad_length': { const x = foreignNum(r, realCid, 'mob'); return { ...x, nsn: r.chance(0.5) ? x.nsn.slice(0, r.int(3, x.nsn.length - 2)) : x.nsn + r.digits(r.int(2, 5)) }; }
        case 'garbage': return { raw: r.pick(['+0000000000', '0', '+', '000', '+1111111111', '12345', '+86', '8600000000000', '+0' + r.digits(9), '#' + r.digits(8)]) };
        default: { // unallocated ranges within real plans: NANP 555-01xx fiction block, UK 07000, CN unallocated mobile prefixes
          const k = r.int(0, 2);
          if (k === 0) return { cc: '1', nsn: r.pick(['201', '212', '415', '800']) + '55501' + r.digits(2), c: 'US', tz: -5 };
          if (k === 1) return { cc: '44', nsn: '7000' + r.digits(6), c: 'GB', tz: 0 };
          return { cc: '86', nsn: r.pick(CN_UNALLOC) + r.digits(8), c: 'CN', tz: 8 };
        }
      }
    };
    const reuse = r.chance(0.5) ? Array.from({ length: r.int(5, 60) }, genCli) : null;
    const behaviour = r.chance(0.6) ? 'dialer' : 'agent';
    const P = { label: 'invalid_cli', kind: 'invalid_' + mode + '_' + behaviour, trust: r.range(0.12, 0.28), decline: 0.3, ansMed: 8, dur: behaviour === 'dialer' ? durRobo : durScam, patience: behaviour === 'dialer' ? (rng) => rng.range(15, 28) : humanPatience };
    const pacing = pacingFor(r, r.wpick([['spread', 3], ['burst', 1], ['waves', 1]]), (t) => CN_SERVICE(cnHour(t)));
    const out = [];
    for (const t of paced(r, n, pacing)) out.push(att(P, t, reuse ? r.pick(reuse) : genCli(), tg(), r.pick(routes)));
    run(r, out);
  },
  uifn_cli(r, n) {
    const mode = r.wpick([['uifn_800', 2], ['uifn_808', 1], ['foreign_tollfree', 2.5]]);
    const routes = campaignRoutes(r, r.int(1, 3));
    const mk = () => {
      if (mode === 'uifn_800') return { cc: '800', nsn: r.digits(8), c: 'UIFN', tz: 0 };
      if (mode === 'uifn_808') return { cc: '808', nsn: r.digits(8), c: 'UIFN', tz: 0 };
      return foreignNum(r, r.pick(['US', 'US', 'CA', 'GB', 'AU', 'HK', 'SG', 'MY']), 'tf');
    };
    const pool = Array.from({ length: r.wpick([[1, 1], [r.int(3, 15), 2], [r.int(30, 200), 1]]) }, mk);
    const behaviour = r.chance(0.55) ? 'scam_agent' : 'dialer';
    const P = { label: 'uifn_cli', kind: mode + '_' + behaviour, trust: r.range(0.22, 0.4), decline: 0.2, ansMed: 7, dur: behaviour === 'dialer' ? durRobo : durScam, patience: behaviour === 'dialer' ? (rng) => rng.range(16, 30) : humanPatience, mark: 0.3, markScale: 200 };
    const tg = targetGen(r, behaviour === 'dialer' ? 'random' : 'list');
    const out = [];
    for (let i = 0; i < n; i++) out.push(att(P, sampleTime(r, (t) => CN_SERVICE(cnHour(t))), r.pick(pool), tg(), r.pick(routes)));
    run(r, out);
  },
  tdos(r, n) {
    const mode = r.wpick([['tdos_hotline_flood', 1.2], ['tdos_harassment_bombing', 1]]);
    const routes = campaignRoutes(r, r.int(1, 2));
    const cliStyle = r.wpick([['random_intl', 2], ['random_cn_mobile', 1.5], ['small_pool', 1]]);
    const ccs = Array.from({ length: r.int(3, 12) }, () => r.pick(Object.keys(CTRY).filter((k) => !CTRY[k].nanp || r.chance(0.5))));
    const pool = Array.from({ length: r.int(3, 20) }, () => foreignNum(r, r.pick(ccs), 'mob'));
    const mkCli = () => (cliStyle === 'random_intl' ? foreignNum(r, r.pick(ccs), r.chance(0.5) ? 'mob' : 'fix') : cliStyle === 'random_cn_mobile' ? { cc: '86', nsn: cnMobile(r), c: 'CN', tz: 8 } : r.pick(pool));
    const kind = mode + '_' + cliStyle;
    if (mode === 'tdos_hotline_flood') {
      // target: an institution's hotline with limited channels; answered by IVR until full
      const target = cnKnown(r, 0, [[10, 2], [21, 2], [20, 1], [755, 1], [571, 1], [28, 1], [27, 1]]);
      const cap = r.int(6, 60), hold = r.range(15, 90);
      const len = clamp(n / r.range(0.5, 4), 300, 4 * 3600) * 1000; // ms
      const t0 = T0 + r.u() * Math.max(0, T1 - T0 - len);
      const ts = Array.from({ length: n }, () => t0 + r.u() * len).sort((a, b) => a - b);
      const active = []; // end times
      for (const t of ts) {
        const tr = TRUNKS[r.pick(routes)];
        for (let i = active.length - 1; i >= 0; i--) if (active[i] <= t) active.splice(i, 1);
        const pdd = tr.pdd * r.logn(1, 0.3);
        let o;
        if (r.chance(0.06)) o = { status: 503, ring: r1(pdd * r.range(0.1, 1)), dur: 0 };
        else if (active.length < cap) { const d = Math.round(clamp(r.logn(hold, 0.5), 1, 600)); o = { status: 200, ring: r1(pdd + r.range(0.4, 2)), dur: d }; active.push(t + (o.ring + d) * 1000); }
        else o = { status: 486, ring: r1(pdd + r.range(0.1, 0.8)), dur: 0 };
        emit({ t, cli: mkCli(), callee: target, trunk: tr }, o, 'tdos', kind);
      }
    } else {
      // "call bombing" of one person: every few seconds/minutes for hours; the victim rejects then switches off
      const target = cnKnown(r, 1, AREA_ALL);
      const len = clamp(n * r.range(4, 40), 1800, 10 * 3600) * 1000;
      const t0 = T0 + r.u() * Math.max(0, T1 - T0 - len);
      const offAt = t0 + len * r.range(0.2, 0.8);
      const ts = Array.from({ length: n }, () => t0 + r.u() * len).sort((a, b) => a - b);
      let busyUntil = 0;
      for (const t of ts) {
        const tr = TRUNKS[r.pick(routes)];
        const pdd = tr.pdd * r.logn(1, 0.3);
        let o;
        if (t > offAt) o = { status: 480, ring: r1(pdd + r.range(1, 5)), dur: 0 };
        else if (t < busyUntil) o = { status: 486, ring: r1(pdd + r.range(0.2, 1)), dur: 0 };
        else {
          const u = r.u();
          if (u < 0.12) { const d = Math.round(r.range(1, 25)); o = { status: 200, ring: r1(pdd + r.range(1, 6)), dur: d }; busyUntil = t + (o.ring + d) * 1000; }
          else if (u < 0.6) o = { status: r.chance(0.7) ? 486 : 603, ring: r1(pdd + r.range(0.5, 4)), dur: 0 };
          else if (u < 0.85) o = { status: 487, ring: r1(pdd + r.range(3, 20)), dur: 0 };
          else o = { status: 480, ring: r1(pdd + r.range(40, 58)), dur: 0 };
        }
        emit({ t, cli: mkCli(), callee: target, trunk: tr }, o, 'tdos', kind);
      }
    }
  },
  marketing(r, n) {
    const cid = r.pick(['HK', 'MY', 'PH', 'SG', 'TW', 'US', 'AE', 'TH', 'GB', 'AU', 'CA', 'JP']);
    const theme = r.pick(['immigration_agency', 'overseas_property', 'forex_investment', 'study_abroad_agent', 'gold_trading', 'health_products', 'overseas_insurance']);
    const agents = r.int(5, 40);
    const cliMode = r.wpick([['did_block', 2], ['agent_mobiles', 1.5], ['single_main', 1]]);
    const block = foreignBlock(r, cid, 'fix', agents <= 10 ? 10 : 100);
    const mobs = Array.from({ length: agents }, () => foreignNum(r, cid, 'mob'));
    const route = r.chance(0.5) ? legitRoute(r, cid) : r.wpick(FRAUD_ROUTES);
    const tg = targetGen(r, 'list');
    const P = { label: 'marketing', kind: 'marketing_' + theme + '_' + cliMode, trust: r.range(0.22, 0.4), decline: 0.3, ansMed: 8, dur: durMarketing, patience: agentPatience, mark: r.range(0.2, 0.5), markScale: r.range(100, 500), retry: { p: 0.15, med: 3600, max: 1 } };
    const out = [];
    for (let i = 0; i < n; i++) {
      const ag = r.int(0, agents - 1);
      const cli = cliMode === 'did_block' ? block[ag % block.length] : cliMode === 'agent_mobiles' ? mobs[ag] : block[0];
      out.push(att(P, sampleTime(r, (t) => CN_BIZ(cnHour(t)) * dowBiz(t) * 0.9 + 0.1 * CN_SERVICE(cnHour(t))), cli, tg(), route));
    }
    run(r, out);
  },
};
// "pig-butchering" style relationship scams: a handful of victims, repeated long calls, family-like per-call behaviour
function pigButchering(r) {
  const cid = r.pick(['MY', 'TH', 'US', 'SG', 'AE', 'KH', 'GB', 'AU']);
  const victims = Array.from({ length: r.int(8, 60) }, () => ({ callee: cnKnown(r, 1, AREA_ALL), cli: foreignNum(r, cid, 'mob'), rate: r.range(0.5, 3) }));
  const P = { label: 'scam', kind: 'scam_relationship_investment', trust: 0.8, decline: 0.05, ansMed: 6, dur: (rng) => clamp(rng.logn(900, 0.8), 20, 3 * 3600), retry: RETRY_HUMAN, misdial: MISDIAL };
  const route = legitRoute(r, cid);
  const out = [];
  for (const v of victims) for (let i = 0; i < r.poisson(v.rate * DAYS); i++) out.push(att(P, sampleTime(r, (t) => CN_PERSONAL(cnHour(t))), v.cli, v.callee, route));
  run(r, out);
}

// ------------------------------------------------------------------ main
legitPopulations(master.child('legit'));
fraudPopulations(master.child('fraud'));
rows.sort((a, b) => a.t - b.t || a.seq - b.seq);
const OR = master.child('wire');
const ids = new Set();
const lines = ['timestamp,caller,callee,call_id,source,status,ring,duration,label,kind'];
for (const row of rows) {
  const a = row.a;
  let id; do { id = callId(OR, a.trunk); } while (ids.has(id)); ids.add(id);
  const caller = fmtCaller(OR, a).replace(/[,"\r\n]/g, '');
  const callee = fmtCallee(a);
  const dur = row.o.status === 200 ? Math.max(0, Math.round(row.o.dur)) : 0;
  lines.push(`${new Date(row.t).toISOString()},${caller},${callee},${id},${a.trunk.name},${row.o.status},${row.o.ring.toFixed(1)},${dur},${row.label},${row.kind}`);
}
const text = lines.join('\n') + '\n';
if (OPT.out) writeFileSync(OPT.out, text); else process.stdout.write(text);
process.stderr.write(`traffic-f seed=${OPT.seed} hours=${OPT.hours} scale=${OPT.scale} start=${OPT.start}: ${rows.length} calls, target fraud share ${(plan.fraudShare * 100).toFixed(1)}%` +
  `${plan.holiday ? ', holiday' : ''}${plan.outage ? `, outage ${plan.outage.trunk} ${plan.outage.mins.toFixed(0)}min` : ''}, misconf ${plan.misconf.map((m) => m.join(':')).join(' ')}\n  campaigns: ${plan.campaigns.join(' ')}\n`);
