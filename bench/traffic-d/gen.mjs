#!/usr/bin/env node
// Synthetic inbound-international voice traffic at a Chinese carrier's international
// ingress (traffic-d). Independent model: see README.md. Node 20, built-ins only.
import { writeFileSync } from 'node:fs';

// ---------------------------------------------------------------- options
const HELP = `usage: node gen.mjs [--seed N] [--hours H] [--scale S] [--start ISO] [--out FILE]
  --seed N     random seed (default 1); same seed and options give the same file
  --hours H    length of the window in hours (default 24)
  --scale S    volume multiplier (default 1: ~110k-130k calls per 24 h, ~10% fraud)
  --start ISO  start of the window (default 2026-11-25T16:00:00Z = 00:00 Beijing time)
  --out FILE   output CSV (default: stdout)
  --debug-e164 append caller_e164,callee_e164 columns: the number each population intended,
               before the trunk's presentation (empty for junk callers); for validate.mjs
  --dump-numbers N  print N numbers per range of every country table (iso,type,prefix,e164) and exit
  --help       this text`;
const opt = { seed: 1, hours: 24, scale: 1, start: '2026-11-25T16:00:00Z', out: '', debugE164: false, dump: 0 };
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === '--help' || k === '-h') { console.log(HELP); process.exit(0); }
    if (k === '--debug-e164') { opt.debugE164 = true; continue; }
    const v = a[++i];
    if (v === undefined) { console.error(`missing value for ${k}\n${HELP}`); process.exit(2); }
    if (k === '--seed') opt.seed = Number(v);
    else if (k === '--hours') opt.hours = Number(v);
    else if (k === '--scale') opt.scale = Number(v);
    else if (k === '--start') opt.start = v;
    else if (k === '--out') opt.out = v;
    else if (k === '--dump-numbers') opt.dump = Number(v);
    else { console.error(`unknown option ${k}\n${HELP}`); process.exit(2); }
  }
  if (!Number.isFinite(opt.seed) || !(opt.hours > 0) || !(opt.scale > 0) || Number.isNaN(Date.parse(opt.start))) {
    console.error(`bad option value\n${HELP}`); process.exit(2);
  }
}
const T0 = Date.parse(opt.start);
const T1 = T0 + opt.hours * 3600e3;
const VOL = opt.scale * opt.hours / 24; // multiplier for daily volumes

// ---------------------------------------------------------------- random streams
function hashStr(s) { // xmur3
  let h = 1779033703 ^ s.length;
  for (let i = 0; i < s.length; i++) { h = Math.imul(h ^ s.charCodeAt(i), 3432918353); h = (h << 13) | (h >>> 19); }
  return () => { h = Math.imul(h ^ (h >>> 16), 2246822507); h = Math.imul(h ^ (h >>> 13), 3266489909); return (h ^= h >>> 16) >>> 0; };
}
class Rng {
  constructor(name) {
    const h = hashStr(`${opt.seed}|${name}`);
    this.a = h(); this.b = h(); this.c = h(); this.d = h();
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32() { // sfc32
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return t >>> 0;
  }
  f() { return this.u32() / 4294967296; }
  int(a, b) { return a + Math.floor(this.f() * (b - a + 1)); }
  uni(a, b) { return a + this.f() * (b - a); }
  chance(p) { return this.f() < p; }
  pick(arr) { return arr[Math.floor(this.f() * arr.length)]; }
  wpick(pairs) { // [[value, weight], ...]
    let s = 0; for (const p of pairs) s += p[1];
    let x = this.f() * s;
    for (const p of pairs) { x -= p[1]; if (x < 0) return p[0]; }
    return pairs[pairs.length - 1][0];
  }
  normal() { let u = 0; while (u === 0) u = this.f(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.f()); }
  logn(median, sigma) { return median * Math.exp(sigma * this.normal()); }
  exp(mean) { return -mean * Math.log(1 - this.f()); }
  poisson(m) {
    if (m <= 0) return 0;
    if (m > 40) return Math.max(0, Math.round(m + Math.sqrt(m) * this.normal()));
    const L = Math.exp(-m); let k = 0, p = 1;
    do { k++; p *= this.f(); } while (p > L);
    return k - 1;
  }
  digits(n) { let s = ''; for (let i = 0; i < n; i++) s += String.fromCharCode(48 + this.int(0, 9)); return s; }
  child(name) { return new Rng(`${this.a}|${this.b}|${name}`); }
}
const clamp = (x, a, b) => Math.min(b, Math.max(a, x));

// ---------------------------------------------------------------- numbering
// Country plans: cc, UTC offset in late November, national trunk prefix, region for routing,
// mobile / fixed ranges as [prefix, total national significant number length].
const NANP = (tz, npas) => ({ cc: '1', tz, nat: '', region: 'am', nanp: npas });
const C = {
  'US-E': NANP(-5, ['212', '646', '917', '718', '347', '617', '857', '202', '305', '404', '678', '201', '732']),
  'US-C': NANP(-6, ['312', '773', '713', '281', '214', '469', '512', '612']),
  'US-W': NANP(-8, ['415', '628', '650', '408', '669', '213', '310', '626', '949', '206', '425', '503', '510']),
  'CA-E': NANP(-5, ['416', '647', '437', '905', '514', '613']),
  'CA-W': NANP(-8, ['604', '778', '236', '403']),
  GB: { cc: '44', tz: 0, nat: '0', region: 'eu', mob: [['73', 10], ['74', 10], ['75', 10], ['77', 10], ['78', 10], ['792', 10], ['794', 10], ['796', 10]], fix: [['207', 10], ['203', 10], ['208', 10], ['161', 10], ['1212', 10], ['1214', 10], ['1312', 10], ['1316', 10], ['1132', 10], ['1134', 10]] },
  DE: { cc: '49', tz: 1, nat: '0', region: 'eu', mob: [['151', 11], ['152', 11], ['157', 11], ['160', 10], ['162', 11], ['170', 10], ['171', 10], ['172', 11], ['176', 11], ['177', 11], ['179', 11]], fix: [['30', 10], ['89', 10], ['69', 10], ['40', 10], ['211', 10], ['711', 10]] },
  FR: { cc: '33', tz: 1, nat: '0', region: 'eu', mob: [['60', 9], ['61', 9], ['62', 9], ['64', 9], ['65', 9], ['66', 9], ['67', 9], ['68', 9], ['73', 9], ['75', 9], ['76', 9], ['77', 9], ['78', 9]], fix: [['1', 9], ['4', 9], ['3', 9]] },
  IT: { cc: '39', tz: 1, nat: '', region: 'eu', mob: [['32', 10], ['33', 10], ['34', 10], ['35', 10], ['36', 10], ['38', 10], ['39', 10]], fix: [['02', 10], ['06', 10], ['055', 10]] },
  ES: { cc: '34', tz: 1, nat: '', region: 'eu', mob: [['6', 9], ['71', 9], ['72', 9]], fix: [['91', 9], ['93', 9], ['96', 9]] },
  NL: { cc: '31', tz: 1, nat: '0', region: 'eu', mob: [['61', 9], ['62', 9], ['63', 9], ['64', 9], ['65', 9]], fix: [['20', 9], ['10', 9], ['70', 9]] },
  RU: { cc: '7', tz: 3, nat: '8', region: 'eu', mob: [['91', 10], ['92', 10], ['96', 10], ['98', 10], ['90', 10]], fix: [['495', 10], ['499', 10], ['812', 10]] },
  AE: { cc: '971', tz: 4, nat: '0', region: 'mea', mob: [['50', 9], ['52', 9], ['54', 9], ['55', 9], ['56', 9], ['58', 9]], fix: [['42', 8], ['43', 8], ['44', 8], ['45', 8], ['26', 8], ['27', 8]] },
  JP: { cc: '81', tz: 9, nat: '0', region: 'na', mob: [['702', 10], ['705', 10], ['708', 10], ['80', 10], ['901', 10], ['903', 10], ['905', 10], ['907', 10], ['909', 10]], fix: [['3', 9], ['6', 9], ['45', 9], ['52', 9]] },
  KR: { cc: '82', tz: 9, nat: '0', region: 'na', mob: [['101', 10], ['102', 10], ['103', 10], ['104', 10], ['106', 10], ['107', 10], ['108', 10], ['109', 10]], fix: [['2', 9], ['31', 10], ['51', 10]] },
  TW: { cc: '886', tz: 8, nat: '0', region: 'na', mob: [['9', 9]], fix: [['22', 9], ['23', 9], ['25', 9], ['27', 9], ['28', 9], ['42', 9], ['43', 9], ['7', 8]] },
  HK: { cc: '852', tz: 8, nat: '', region: 'hk', mob: [['510', 8], ['512', 8], ['530', 8], ['540', 8], ['590', 8], ['601', 8], ['61', 8], ['63', 8], ['64', 8], ['65', 8], ['69', 8], ['92', 8], ['94', 8], ['96', 8], ['97', 8]], fix: [['21', 8], ['23', 8], ['25', 8], ['26', 8], ['27', 8], ['28', 8], ['310', 8], ['312', 8], ['315', 8], ['318', 8], ['350', 8], ['360', 8], ['370', 8], ['390', 8]] },
  MO: { cc: '853', tz: 8, nat: '', region: 'hk', mob: [['62', 8], ['63', 8], ['65', 8], ['668', 8], ['688', 8]], fix: [['28', 8]] },
  SG: { cc: '65', tz: 8, nat: '', region: 'sea', mob: [['81', 8], ['83', 8], ['85', 8], ['87', 8], ['88', 8], ['90', 8], ['91', 8], ['93', 8], ['96', 8], ['97', 8], ['98', 8]], fix: [['61', 8], ['62', 8], ['63', 8], ['64', 8], ['65', 8], ['67', 8], ['68', 8]] },
  MY: { cc: '60', tz: 8, nat: '0', region: 'sea', mob: [['12', 9], ['133', 9], ['137', 9], ['142', 9], ['143', 9], ['146', 9], ['148', 9], ['16', 9], ['172', 9], ['173', 9], ['176', 9], ['178', 9], ['19', 9], ['111', 10], ['112', 10], ['113', 10], ['114', 10], ['115', 10]], fix: [['321', 9], ['322', 9], ['327', 9], ['38', 9], ['43', 8], ['44', 8], ['45', 8], ['72', 8], ['75', 8], ['77', 8]] },
  TH: { cc: '66', tz: 7, nat: '0', region: 'sea', mob: [['61', 9], ['62', 9], ['63', 9], ['64', 9], ['65', 9], ['66', 9], ['8', 9], ['9', 9]], fix: [['2', 8]] },
  VN: { cc: '84', tz: 7, nat: '0', region: 'sea', mob: [['32', 9], ['33', 9], ['35', 9], ['36', 9], ['37', 9], ['38', 9], ['70', 9], ['77', 9], ['78', 9], ['81', 9], ['83', 9], ['86', 9], ['90', 9], ['91', 9], ['93', 9], ['94', 9], ['96', 9], ['97', 9], ['98', 9]], fix: [['243', 10], ['246', 10], ['247', 10], ['28', 10]] },
  PH: { cc: '63', tz: 8, nat: '0', region: 'sea', mob: [['905', 10], ['906', 10], ['915', 10], ['917', 10], ['918', 10], ['919', 10], ['927', 10], ['939', 10], ['995', 10], ['998', 10]], fix: [['28', 9], ['27', 9], ['32', 9]] },
  ID: { cc: '62', tz: 7, nat: '0', region: 'sea', mob: [['811', 11], ['812', 11], ['813', 11], ['821', 11], ['822', 11], ['852', 11], ['853', 11], ['857', 11], ['878', 11], ['895', 11]], fix: [['21', 10], ['31', 10]] },
  KH: { cc: '855', tz: 7, nat: '0', region: 'sea', mob: [['12', 8], ['11', 8], ['17', 8], ['77', 8], ['78', 8], ['99', 8], ['92', 8], ['95', 8], ['10', 8], ['15', 8], ['96', 9], ['97', 9], ['88', 9], ['71', 9], ['31', 9], ['38', 9]], fix: [['232', 8], ['236', 8], ['238', 8]] },
  MM: { cc: '95', tz: 6.5, nat: '0', region: 'sea', mob: [['944', 10], ['945', 10], ['976', 10], ['978', 10], ['979', 10], ['988', 10], ['989', 10], ['995', 10], ['996', 10], ['997', 10]], fix: [['12', 8], ['18', 8]] },
  LA: { cc: '856', tz: 7, nat: '0', region: 'sea', mob: [['202', 10], ['205', 10], ['207', 10], ['209', 10], ['2077', 10], ['2099', 10]], fix: [['21', 8]] },
  IN: { cc: '91', tz: 5.5, nat: '0', region: 'mea', mob: [['6', 10], ['7', 10], ['8', 10], ['9', 10]], fix: [['114', 10], ['116', 10], ['222', 10], ['224', 10], ['226', 10], ['80', 10]] },
  AU: { cc: '61', tz: 11, nat: '0', region: 'oc', mob: [['40', 9], ['41', 9], ['42', 9], ['43', 9], ['46', 9]], fix: [['29', 9], ['28', 9], ['39', 9], ['38', 9]] },
  NZ: { cc: '64', tz: 13, nat: '0', region: 'oc', mob: [['21', 9], ['22', 9], ['27', 9]], fix: [['9', 8], ['4', 8], ['33', 8], ['34', 8], ['35', 8]] },
  NG: { cc: '234', tz: 1, nat: '0', region: 'mea', mob: [['803', 10], ['806', 10], ['813', 10], ['703', 10], ['805', 10], ['807', 10], ['903', 10], ['906', 10]], fix: [['201', 10]] },
  AO: { cc: '244', tz: 1, nat: '', region: 'mea', mob: [['92', 9], ['93', 9], ['94', 9], ['99', 9]], fix: [['222', 9]] },
  ZM: { cc: '260', tz: 2, nat: '0', region: 'mea', mob: [['95', 9], ['96', 9], ['97', 9], ['76', 9], ['77', 9]], fix: [['211', 9]] },
  KE: { cc: '254', tz: 3, nat: '0', region: 'mea', mob: [['70', 9], ['71', 9], ['72', 9], ['79', 9], ['11', 9]], fix: [['20', 9]] },
  ET: { cc: '251', tz: 3, nat: '0', region: 'mea', mob: [['91', 9], ['92', 9], ['93', 9], ['94', 9]], fix: [['111', 9], ['112', 9], ['114', 9], ['115', 9]] },
  // exotic / premium-rate destinations seen in wangiri (national formats per plan)
  TN: { cc: '216', tz: 1, nat: '', region: 'mea', mob: [['2', 8], ['5', 8], ['9', 8]], fix: [['71', 8]] },
  MR: { cc: '222', tz: 0, nat: '', region: 'mea', mob: [['22', 8], ['23', 8], ['24', 8], ['26', 8], ['3', 8], ['44', 8], ['46', 8], ['47', 8]], fix: [['452', 8], ['453', 8], ['454', 8], ['455', 8]] },
  GN: { cc: '224', tz: 0, nat: '', region: 'mea', mob: [['62', 9], ['66', 9], ['65', 9]], fix: [['31', 8]] },
  SL: { cc: '232', tz: 0, nat: '0', region: 'mea', mob: [['76', 8], ['77', 8], ['78', 8], ['30', 8], ['33', 8]], fix: [['2222', 8], ['2223', 8], ['2232', 8]] },
  LV: { cc: '371', tz: 2, nat: '', region: 'eu', mob: [['20', 8], ['22', 8], ['26', 8], ['27', 8], ['29', 8]], fix: [['67', 8]], prem: [['90', 8]] },
  MD: { cc: '373', tz: 2, nat: '0', region: 'eu', mob: [['68', 8], ['69', 8], ['78', 8], ['79', 8]], fix: [['22', 8]] },
  BY: { cc: '375', tz: 3, nat: '80', region: 'eu', mob: [['291', 9], ['293', 9], ['295', 9], ['296', 9], ['297', 9], ['299', 9], ['33', 9], ['44', 9], ['255', 9], ['256', 9], ['257', 9], ['259', 9]], fix: [['17', 9]] },
  MV: { cc: '960', tz: 5, nat: '', region: 'mea', mob: [['7', 7], ['9', 7]], fix: [['330', 7], ['331', 7], ['332', 7], ['333', 7], ['334', 7], ['335', 7]] },
  SB: { cc: '677', tz: 11, nat: '', region: 'oc', mob: [['74', 7], ['75', 7], ['84', 7]], fix: [['2', 5]] },
  CK: { cc: '682', tz: -10, nat: '', region: 'oc', mob: [['5', 5], ['7', 5]], fix: [['2', 5]] },
  KM: { cc: '269', tz: 3, nat: '', region: 'mea', mob: [['32', 7], ['33', 7], ['34', 7]], fix: [['77', 7]] },
  SO: { cc: '252', tz: 3, nat: '0', region: 'mea', mob: [['61', 9], ['62', 9], ['90', 9]], fix: [['1', 7]] },
  CU: { cc: '53', tz: -5, nat: '0', region: 'am', mob: [['5', 8]], fix: [['7', 8]] },
  PG: { cc: '675', tz: 10, nat: '', region: 'oc', mob: [['7', 8]], fix: [['30', 7], ['31', 7], ['32', 7]] },
  BA: { cc: '387', tz: 1, nat: '0', region: 'eu', mob: [['61', 8], ['62', 8], ['65', 8]], fix: [['332', 8], ['334', 8], ['336', 8], ['338', 8]] },
  // global services: satellite (Iridium +881 6/7, Thuraya +882 16, Inmarsat +870)
  IRIDIUM: { cc: '881', tz: 0, nat: '', region: 'sat', mob: [['6', 9], ['7', 9]], fix: [] },
  THURAYA: { cc: '882', tz: 4, nat: '', region: 'sat', mob: [['16', 10]], fix: [] },
  INMARSAT: { cc: '870', tz: 0, nat: '', region: 'sat', mob: [['76', 9], ['77', 9]], fix: [] },
};
function nanpNsn(r, npa) {
  let nxx;
  do { nxx = String(r.int(2, 9)) + r.digits(2); } while (nxx[1] === '1' && nxx[2] === '1' || nxx === '555' || nxx === '958' || nxx === '959');
  return npa + nxx + r.digits(4);
}
function fill(r, prefix, len) { return prefix + r.digits(len - prefix.length); }
function nsnOf(r, iso, type = 'mob') {
  const c = C[iso];
  if (c.nanp) return nanpNsn(r, r.pick(c.nanp));
  let list = c[type];
  if (!list || list.length === 0) list = c.mob;
  const [p, len] = r.pick(list);
  // fixed lines: first subscriber digit is not 0/1 in most plans
  let s = fill(r, p, len);
  if (type === 'fix' && len - p.length >= 6 && /[01]/.test(s[p.length])) s = s.slice(0, p.length) + r.int(2, 9) + s.slice(p.length + 1);
  return s;
}
const num = (iso, nsn) => ({ cc: C[iso] ? C[iso].cc : iso, nsn, nat: C[iso] ? C[iso].nat : '' });
// A deliberately mangled presentation (truncated CLI, extension or room number appended) of a
// valid number: e164 keeps the number the caller really has (--debug-e164 / validate.mjs).
const withE164 = (n, iso, nsn) => ({ ...n, e164: '+' + C[iso].cc + nsn });

// China (callee side and +86 callers)
const CN_MOB = {
  cm: ['134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '172', '178', '182', '183', '184', '187', '188', '195', '197', '198'],
  cu: ['130', '131', '132', '145', '155', '156', '166', '175', '176', '185', '186', '196'],
  ct: ['133', '153', '173', '177', '180', '181', '189', '190', '191', '193', '199'],
  cb: ['192'],
};
const CN_MOB_W = [['cm', 55], ['cu', 22], ['ct', 21], ['cb', 2]];
// area code, subscriber length, weight (rough population / trade weight)
const CN_AREAS = [['10', 8, 9], ['21', 8, 9], ['20', 8, 6], ['755', 8, 7], ['22', 8, 3], ['23', 8, 3], ['24', 8, 2], ['25', 8, 3], ['27', 8, 3], ['28', 8, 4],
  ['29', 8, 2], ['571', 8, 4], ['574', 8, 2], ['577', 8, 2], ['591', 8, 2], ['592', 7, 2], ['595', 8, 2], ['769', 8, 3], ['757', 8, 2], ['760', 8, 1],
  ['731', 8, 2], ['371', 8, 2], ['531', 8, 1], ['532', 8, 2], ['512', 8, 3], ['510', 8, 1], ['871', 8, 1], ['851', 8, 1], ['771', 7, 1], ['898', 8, 1],
  ['991', 7, 1], ['451', 8, 1], ['431', 8, 1], ['311', 8, 1], ['551', 8, 1], ['791', 8, 1], ['351', 7, 1], ['471', 7, 1], ['931', 7, 1], ['754', 7, 1]];
const CN_AREA_W = CN_AREAS.map((a) => [a, a[2]]);
function cnMobile(r, op) { return r.pick(CN_MOB[op || r.wpick(CN_MOB_W)]) + r.digits(8); }
function cnFixed(r, area) {
  const a = area || r.wpick(CN_AREA_W);
  return { area: a[0], sub: String(r.int(2, 8)) + r.digits(a[1] - 1) };
}
// a callee: {t:'m', n:'138...'} or {t:'f', area, sub}
const calleeMob = (r) => ({ t: 'm', n: cnMobile(r) });
const calleeFix = (r, area) => { const f = cnFixed(r, area); return { t: 'f', area: f.area, sub: f.sub }; };
const calleeKey = (c) => (c.t === 'm' ? c.n : c.area + c.sub);
// Deterministic per-number properties: a number is vacant or not, and how willing its owner
// is to pick up, whatever population dials it (hash of the number, not of the stream).
function h01(s, salt) { const h = hashStr(salt + s); return h() / 4294967296; }
const isVacant = (c) => h01(calleeKey(c), 'vac') < (c.t === 'm' ? 0.11 : 0.16);
const pickupProp = (c) => h01(calleeKey(c), 'pick');
function knownCallee(r, mobShare = 0.75) { // a real, in-service number someone knows
  for (;;) { const c = r.chance(mobShare) ? calleeMob(r) : calleeFix(r); if (!isVacant(c)) return c; }
}
function listCallee(r, mobShare = 0.9) { return r.chance(mobShare) ? calleeMob(r) : calleeFix(r); } // from a bought / generated list

// ---------------------------------------------------------------- trunks and formats
const TRUNKS = {
  'cmi-hkg-gw1': { caller: [['plus', 97], ['bare', 2], ['junk', 1]], callee: 'plus' },
  'ctg-lax-tr2': { caller: [['bare', 96], ['plus', 2], ['junk', 2]], callee: '0086' },
  'cu-fra-b3': { caller: [['plus', 90], ['dzero', 8], ['junk', 2]], callee: 'nat' },
  'tata-sin-4': { caller: [['dzero', 95], ['plus', 4], ['junk', 1]], callee: '0086' },
  'telstra-syd': { caller: [['tel', 97], ['junk', 3]], callee: 'plus' },
  '202.97.33.14': { caller: [['sipplus', 70], ['sipbare', 28], ['junk', 2]], callee: 'nat', host: '202.97.33.14' },
  'ntt-tyo-1': { caller: [['plus', 90], ['fnat', 8], ['junk', 2]], callee: 'plus' },
  'orange-par-2': { caller: [['dzero', 97], ['junk', 3]], callee: '0086' },
  'wsx-az-7': { caller: [['bare', 60], ['plus', 25], ['fnat', 8], ['junk', 7]], callee: '0086' },
  '103.77.12.9': { caller: [['bare', 85], ['fnat', 10], ['junk', 5]], callee: 'plus' },
};
const ROUTES = {
  am: [['ctg-lax-tr2', 55], ['cmi-hkg-gw1', 20], ['202.97.33.14', 12], ['wsx-az-7', 8], ['cu-fra-b3', 5]],
  eu: [['cu-fra-b3', 40], ['orange-par-2', 30], ['cmi-hkg-gw1', 12], ['wsx-az-7', 10], ['202.97.33.14', 8]],
  na: [['ntt-tyo-1', 55], ['cmi-hkg-gw1', 30], ['202.97.33.14', 15]],
  hk: [['cmi-hkg-gw1', 85], ['202.97.33.14', 15]],
  sea: [['tata-sin-4', 40], ['cmi-hkg-gw1', 30], ['103.77.12.9', 25], ['wsx-az-7', 5]],
  oc: [['telstra-syd', 70], ['cmi-hkg-gw1', 20], ['wsx-az-7', 10]],
  mea: [['cu-fra-b3', 30], ['wsx-az-7', 35], ['tata-sin-4', 25], ['orange-par-2', 10]],
  sat: [['wsx-az-7', 50], ['cu-fra-b3', 50]],
};
const CHEAP = [['wsx-az-7', 55], ['103.77.12.9', 45]];
const routeFor = (r, region) => r.wpick(ROUTES[region] || ROUTES.mea);
const JUNK = [['anonymous', 30], ['Anonymous', 15], ['unknown', 10], ['restricted', 5], ['UNAVAILABLE', 5], ['0', 8], ['+', 4], ['00', 6], ['sip:anonymous@anonymous.invalid', 10], ['Private', 7]];
const JUNK_SET = new Set(JUNK.map((j) => j[0]));
// A caller: {cc, nsn, nat} or {raw} (already a string, e.g. a number presented nationally by a PBX)
function fmtCaller(r, trunk, c) {
  const T = TRUNKS[trunk];
  const style = r.wpick(T.caller);
  if (style === 'junk') return r.wpick(JUNK);
  if (c.raw !== undefined) return c.raw;
  const e = c.cc + c.nsn;
  switch (style) {
    case 'plus': return '+' + e;
    case 'bare': return e;
    case 'dzero': return '00' + e;
    case 'tel': return 'tel:+' + e;
    case 'sipplus': return `sip:+${e}@${T.host};user=phone`;
    case 'sipbare': return `sip:${e}@${T.host}`;
    case 'fnat': return c.cc === '86' ? c.nsn : (c.nat || '') + c.nsn;
  }
  return '+' + e;
}
function fmtCallee(trunk, c) {
  const s = TRUNKS[trunk].callee;
  const nsn = c.t === 'm' ? c.n : c.area + c.sub;
  if (s === 'plus') return '+86' + nsn;
  if (s === '0086') return '0086' + nsn;
  return c.t === 'm' ? nsn : '0' + nsn;
}

// ---------------------------------------------------------------- time
const BJT = 8;
const H = 3600e3;
const localHour = (t, tz) => { const x = ((t / H + tz) % 24 + 24) % 24; return x; };
const localDate = (t, tz) => new Date(t + tz * H).toISOString().slice(0, 10);
const localDow = (t, tz) => new Date(t + tz * H).getUTCDay();
function interp(prof, h) { const i = Math.floor(h), f = h - i; return prof[i % 24] * (1 - f) + prof[(i + 1) % 24] * f; }
const P_HOME = [0.16, 0.08, 0.04, 0.03, 0.03, 0.05, 0.14, 0.32, 0.45, 0.45, 0.45, 0.5, 0.6, 0.55, 0.5, 0.5, 0.55, 0.7, 0.88, 1, 1, 0.95, 0.7, 0.35];
const P_BIZ = [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.6, 0.9, 1, 0.95, 0.6, 0.75, 0.95, 0.95, 0.85, 0.55, 0.3, 0.18, 0.12, 0.08, 0.05, 0.03];
const P_CN_AWAKE = [0.1, 0.05, 0.02, 0.02, 0.03, 0.06, 0.25, 0.6, 0.85, 1, 1, 1, 0.85, 0.85, 1, 1, 1, 1, 1, 1, 0.95, 0.8, 0.5, 0.22];
const P_COMPOUND = [0.04, 0.02, 0.01, 0.01, 0.01, 0.02, 0.04, 0.12, 0.55, 0.95, 1, 1, 0.6, 0.75, 1, 1, 0.95, 0.9, 0.85, 0.85, 0.8, 0.55, 0.3, 0.1];
const P_DAY = [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.1, 0.4, 0.8, 1, 1, 1, 0.9, 0.9, 1, 1, 1, 0.95, 0.8, 0.6, 0.45, 0.3, 0.12, 0.05];
function isHoliday(iso, t) { // US Thanksgiving 2026-11-26 (4th Thursday); weekends
  const tz = C[iso] ? C[iso].tz : 0;
  const dow = localDow(t, tz);
  if (dow === 0 || dow === 6) return true;
  const d = localDate(t, tz);
  if ((iso === 'US-E' || iso === 'US-C' || iso === 'US-W') && (d === '2026-11-26' || d === '2026-11-27')) return true;
  return false;
}
// Sample a time in [T0,T1) with density proportional to w(t) (w <= 1): rejection.
function sampleTime(r, w) {
  for (let k = 0; k < 400; k++) { const t = T0 + r.f() * (T1 - T0); if (r.f() < w(t)) return t; }
  return T0 + r.f() * (T1 - T0);
}

// ---------------------------------------------------------------- call outcome
// p: ans (base pick-up prob.), giveUp (fn r -> s the caller lets it ring), dur (fn r -> s),
//    busy, off, rej, fail, ansMed (median answer delay once alerting), vacantOk (dial list numbers)
function callOutcome(r, p, t, callee) {
  const pdd = clamp(r.logn(p.pddMed || 2.2, 0.45), 0.4, 12);
  const hb = localHour(t, BJT);
  const night = hb < 7 ? 1 : hb >= 23 ? 0.5 : 0;
  if (r.chance(p.fail ?? 0.012)) {
    const s = r.wpick([[503, 55], [408, 12], [500, 8], [502, 10], [484, 5], [403, 10]]);
    return { status: s, ring: s === 408 ? r.uni(31.8, 32.3) : clamp(r.logn(0.6, 0.8), 0.05, 6), dur: 0 };
  }
  if (p.vacantOk && isVacant(callee)) return { status: 404, ring: clamp(r.logn(1.2, 0.5), 0.2, 6), dur: 0 };
  if (p.vacantRate && r.chance(p.vacantRate)) return { status: 404, ring: clamp(r.logn(1.2, 0.5), 0.2, 6), dur: 0 };
  const off = (p.off ?? 0.06) * (1 + 1.5 * night);
  if (r.chance(off)) { // switched off / no coverage: network announcement then 480
    return r.chance(0.6) ? { status: 480, ring: clamp(r.logn(4, 0.5), 1, 20), dur: 0 } : { status: 503, ring: clamp(r.logn(3, 0.5), 0.5, 15), dur: 0 };
  }
  if (r.chance(p.busy ?? 0.05)) return { status: 486, ring: clamp(pdd + r.uni(0, 1.5), 0.3, 12), dur: 0 };
  const prop = pickupProp(callee);
  let pa = (p.ans ?? 0.6) * (0.55 + 0.9 * prop) * (night ? 0.55 : 1);
  pa = clamp(pa, 0, 0.97);
  const giveUp = p.giveUp ? p.giveUp(r) : clamp(r.logn(32, 0.3), 8, 90);
  const netTimeout = p.netTimeout ?? (callee.t === 'm' ? r.uni(45, 62) : r.uni(55, 75));
  const ansAt = pdd + clamp(r.logn(p.ansMed ?? 7, 0.55), 0.8, 60);
  if (r.chance(pa) && ansAt < giveUp && ansAt < netTimeout) return { status: 200, ring: ansAt, dur: Math.max(0, Math.round(p.dur(r))) };
  if (r.chance(p.rej ?? 0.07 * (0.5 + prop))) {
    const at = pdd + clamp(r.logn(5, 0.6), 0.8, 40);
    if (at < giveUp) return { status: r.chance(0.65) ? 603 : 486, ring: at, dur: 0 };
  }
  if (giveUp < netTimeout) return { status: 487, ring: giveUp, dur: 0 };
  return { status: r.chance(0.85) ? 480 : 408, ring: netTimeout, dur: 0 };
}

// ---------------------------------------------------------------- output
const rows = [];
let counter = 0;
function emit(t, caller, callee, trunk, o, label, kind, entity, r) {
  if (t < T0 || t >= T1) return;
  const shown = fmtCaller(r, trunk, caller);
  const row = { t: Math.floor(t), caller: shown, callee: fmtCallee(trunk, callee), source: trunk, status: o.status, ring: o.ring, dur: o.dur, label, kind, entity: entity || '', seq: counter++ };
  if (opt.debugE164) { // the number intended, before presentation (a raw caller may carry its e164)
    row.ce = JUNK_SET.has(shown) ? '' : caller.e164 || (caller.raw !== undefined ? '' : '+' + caller.cc + caller.nsn);
    row.de = '+86' + (callee.t === 'm' ? callee.n : callee.area + callee.sub);
  }
  rows.push(row);
}
// An attempt sequence (one intention to reach someone), with redials.
// pol: max attempts, redial probability per outcome, delay fn, alt callee fn
function session(r, t, mk, p, pol) {
  let callee = mk.callee;
  for (let i = 0; i < (pol.max || 1); i++) {
    const trunk = mk.trunk(r);
    const caller = mk.caller(r, i);
    const o = callOutcome(r, p, t, callee);
    emit(t, caller, callee, trunk, o, mk.label, mk.kind, mk.entity, r);
    if (o.status === 200) {
      if (pol.dropRedial && o.dur < 15 && r.chance(pol.dropRedial)) { t += (o.ring + o.dur) * 1000 + r.uni(5, 40) * 1000; continue; }
      return;
    }
    if (o.status === 404 && !pol.retryVacant) return;
    if (!r.chance(o.status === 486 ? (pol.pBusy ?? pol.p ?? 0) : (pol.p ?? 0))) return;
    t += (o.ring * 1000) + pol.delay(r) * 1000;
    if (pol.alt && r.chance(pol.altP ?? 0)) callee = pol.alt(r);
  }
}
const durMix = (parts) => (r) => { const [f] = [r.wpick(parts.map((x, i) => [i, x[0]]))]; return parts[f][1](r); };

// ---------------------------------------------------------------- populations (legitimate)
const POPS = {};

POPS.family = (r) => { // overseas Chinese families, students, workers abroad calling home
  const W = [['US-E', 10], ['US-W', 9], ['US-C', 3], ['CA-E', 5], ['CA-W', 4], ['GB', 7], ['AU', 8], ['NZ', 2], ['JP', 6], ['KR', 4], ['SG', 4], ['MY', 3], ['DE', 4], ['FR', 3], ['IT', 2.5], ['ES', 2], ['NL', 1.5],
    ['RU', 2], ['AE', 2], ['TH', 1.5], ['PH', 1], ['NG', 1], ['AO', 1], ['ZM', 0.6], ['KE', 0.6], ['ET', 0.5], ['IN', 0.4], ['ID', 1], ['VN', 1], ['KH', 0.6], ['MM', 0.3], ['LA', 0.6], ['TW', 1], ['HK', 2], ['MO', 0.5]];
  const P = Math.max(50, Math.round(15000 * opt.scale));
  const people = [];
  for (let i = 0; i < P; i++) {
    const iso = r.wpick(W);
    const n = num(iso, nsnOf(r, iso, r.chance(0.9) ? 'mob' : 'fix'));
    const k = r.wpick([[1, 45], [2, 40], [3, 15]]);
    const callees = []; for (let j = 0; j < k; j++) callees.push(knownCallee(r, j === 0 ? 0.8 : 0.55));
    people.push({ iso, n, callees, student: r.chance(0.35), talk: r.logn(420, 0.5) });
  }
  const S = r.poisson(28500 * VOL);
  for (let s = 0; s < S; s++) {
    const pe = people[Math.floor(P * Math.pow(r.f(), 1.5))];
    const tz = C[pe.iso].tz;
    const t = sampleTime(r, (t) => {
      let w = interp(P_HOME, localHour(t + (pe.student ? 1.5 * H : 0), tz)) * interp(P_CN_AWAKE, localHour(t, BJT));
      if (pe.iso.startsWith('US') && localDate(t, tz) === '2026-11-26') w *= 1.3; // Thanksgiving
      return Math.min(1, w);
    });
    const callee = r.pick(pe.callees);
    session(r, t, {
      callee, trunk: (r) => routeFor(r, C[pe.iso].region), caller: () => pe.n, label: 'legit', kind: 'family', entity: '',
    }, {
      ans: 0.8, busy: 0.05, off: 0.05, rej: 0.03, giveUp: (r) => clamp(r.logn(38, 0.3), 10, 90), ansMed: 6,
      dur: durMix([[0.1, (r) => r.uni(8, 45)], [0.9, (r) => clamp(r.logn(pe.talk, 0.9), 20, 3 * 3600)]]),
    }, { max: 5, p: 0.62, pBusy: 0.85, delay: (r) => r.chance(0.7) ? r.uni(15, 180) : r.uni(180, 1800), alt: () => r.pick(pe.callees), altP: 0.35, dropRedial: 0.4 });
  }
};

POPS.roaming_cn = (r) => { // Chinese mobile subscribers roaming abroad, calling home (CLI is +86 mobile)
  const W = [['TH', 8], ['JP', 9], ['KR', 6], ['SG', 5], ['MY', 5], ['US-W', 4], ['US-E', 3], ['GB', 3], ['FR', 3], ['DE', 3], ['IT', 2], ['AU', 3], ['AE', 2], ['VN', 3], ['ID', 2], ['RU', 2], ['HK', 6], ['MO', 4], ['NZ', 1], ['ES', 1]];
  const P = Math.max(20, Math.round(3500 * opt.scale));
  const people = [];
  for (let i = 0; i < P; i++) {
    const iso = r.wpick(W);
    const k = r.int(1, 6);
    const callees = []; for (let j = 0; j < k; j++) callees.push(knownCallee(r, 0.8));
    people.push({ iso, n: num('86', cnMobile(r)), callees, trunks: [routeFor(r, C[iso].region), routeFor(r, C[iso].region)] });
  }
  const S = r.poisson(5200 * VOL);
  for (let s = 0; s < S; s++) {
    const pe = people[Math.floor(P * Math.pow(r.f(), 1.3))];
    const tz = C[pe.iso].tz;
    const t = sampleTime(r, (t) => interp(P_DAY, localHour(t, tz)) * interp(P_CN_AWAKE, localHour(t, BJT)));
    session(r, t, { callee: r.pick(pe.callees), trunk: (r) => r.pick(pe.trunks), caller: () => pe.n, label: 'legit', kind: 'roaming_cn', entity: '' },
      { ans: 0.75, busy: 0.06, off: 0.04, giveUp: (r) => clamp(r.logn(30, 0.35), 8, 80), dur: durMix([[0.15, (r) => r.uni(5, 30)], [0.85, (r) => clamp(r.logn(110, 1.0), 10, 5400)]]) },
      { max: 3, p: 0.5, pBusy: 0.7, delay: (r) => r.uni(20, 600), alt: () => r.pick(pe.callees), altP: 0.3 });
  }
};

POPS.business_pbx = (r) => { // foreign companies' PBXs and SIP trunks
  const W = [['US-E', 6], ['US-W', 6], ['US-C', 3], ['DE', 7], ['JP', 7], ['KR', 6], ['GB', 5], ['SG', 5], ['FR', 3], ['IT', 4], ['NL', 3], ['AU', 4], ['HK', 8], ['TW', 6], ['MY', 3], ['TH', 3], ['VN', 4], ['IN', 3], ['AE', 3], ['CA-E', 2], ['ES', 2], ['RU', 2]];
  const N = 75;
  for (let e = 0; e < N; e++) {
    const er = r.child('biz' + e);
    const iso = er.wpick(W);
    const cc = C[iso];
    const main = nsnOf(er, iso, 'fix');
    const mode = er.wpick([['main', 35], ['did', 30], ['trunc', 8], ['ext', 10], ['national', 7], ['mixed', 10]]);
    const didBase = main.slice(0, main.length - 2);
    const ext = Array.from({ length: 40 }, () => er.digits(er.chance(0.6) ? 4 : 3));
    const mobiles = Array.from({ length: er.int(2, 12) }, () => nsnOf(er, iso, 'mob'));
    const callerOf = (r) => {
      switch (mode) {
        case 'main': return num(iso, main);
        case 'did': return num(iso, didBase + r.digits(2));
        case 'trunc': return withE164(num(iso, main.slice(0, main.length - er.int(2, 4))), iso, main);
        case 'ext': return r.chance(0.7) ? withE164(num(iso, main + r.pick(ext)), iso, main) : num(iso, main);
        case 'national': return { raw: (cc.nat || '') + main, e164: '+' + cc.cc + main };
        default: return r.chance(0.6) ? num(iso, main) : num(iso, r.pick(mobiles));
      }
    };
    const truncLen = mode === 'trunc' ? er.int(2, 4) : 0;
    const callerFixed = mode === 'trunc' ? withE164(num(iso, main.slice(0, main.length - truncLen)), iso, main) : null;
    const ncallee = Math.round(clamp(er.logn(30, 1), 3, 400));
    const areas = [er.wpick(CN_AREA_W), er.wpick(CN_AREA_W)];
    const callees = Array.from({ length: ncallee }, () => { for (;;) { const c = er.chance(0.6) ? calleeFix(er, er.pick(areas)) : calleeMob(er); if (!isVacant(c)) return c; } });
    const trunks = [routeFor(er, cc.region), routeFor(er, cc.region)];
    const vol = er.logn(120, 0.9) * VOL;
    const ent = `biz-${iso.toLowerCase().replace('-', '')}-${String(e).padStart(3, '0')}`;
    const p = { ans: er.uni(0.5, 0.78), busy: 0.08, off: 0.03, rej: 0.04, giveUp: (r) => clamp(r.logn(er.uni(25, 40), 0.3), 8, 80), dur: durMix([[0.12, (r) => r.uni(4, 30)], [0.88, (r) => clamp(r.logn(180, 0.9), 15, 4 * 3600)]]) };
    const late = er.uni(0.1, 0.35); // people working across time zones from home in the evening
    const S = er.poisson(vol);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => {
        let w = Math.max(interp(P_BIZ, localHour(t, cc.tz)) * (isHoliday(iso, t) ? 0.15 : 1), late * interp(P_HOME, localHour(t, cc.tz)));
        return w * (0.15 + 0.85 * interp(P_BIZ, localHour(t, BJT)));
      });
      session(er, t, { callee: er.pick(callees), trunk: (r) => r.pick(trunks), caller: (r) => callerFixed || callerOf(r), label: 'legit', kind: 'business_pbx', entity: ent },
        p, { max: 3, p: 0.4, pBusy: 0.6, delay: (r) => r.uni(40, 900) });
    }
  }
};

POPS.automated = (r) => { // bank alerts, airline / delivery notifications, voice OTP
  const specs = [
    ['otp-cpaas-us1', 3200, 'US-W', 'pool', 40, 'otp'], ['otp-cpaas-gb2', 2000, 'GB', 'pool', 25, 'otp'], ['otp-cpaas-mix3', 1600, 'multi', 'pool', 300, 'otp'],
    ['bankalert-hk1', 1200, 'HK', 'main', 2, 'alert'], ['bankalert-sg2', 600, 'SG', 'main', 1, 'alert'], ['cardalert-us3', 500, 'US-E', 'tollfree', 1, 'alert'],
    ['airline-hk4', 800, 'HK', 'main', 3, 'notify'], ['airline-uifn5', 350, 'UIFN', 'uifn', 1, 'notify'], ['courier-de6', 900, 'DE', 'pool', 6, 'notify'], ['ecom-sg7', 1300, 'SG', 'pool', 12, 'notify'],
  ];
  for (const [id, daily, iso, pres, npool, type] of specs) {
    const er = r.child(id);
    const pool = [];
    for (let i = 0; i < npool; i++) {
      if (pres === 'tollfree') pool.push(num('US-E', er.pick(['800', '888', '877', '866']) + String(er.int(2, 9)) + er.digits(6)));
      else if (pres === 'uifn') pool.push({ cc: '800', nsn: String(er.int(1, 9)) + er.digits(7), nat: '' }); // UIFN: 8 digits, not 0xxx
      else if (iso === 'multi') { const c = er.pick(['US-E', 'GB', 'SG', 'DE', 'NL', 'AU']); pool.push(num(c, nsnOf(er, c, er.chance(0.5) ? 'mob' : 'fix'))); }
      else pool.push(num(iso, nsnOf(er, iso, type === 'otp' && iso === 'GB' ? 'mob' : 'fix')));
    }
    const region = iso === 'multi' || iso === 'UIFN' ? 'hk' : C[iso].region;
    const trunks = [routeFor(er, region), routeFor(er, region), er.wpick(CHEAP)];
    const dur = type === 'otp' ? durMix([[0.2, (r) => r.uni(2, 8)], [0.8, (r) => clamp(r.logn(24, 0.3), 9, 75)]])
      : type === 'alert' ? durMix([[0.3, (r) => r.uni(2, 9)], [0.7, (r) => clamp(r.logn(50, 0.45), 12, 240)]])
        : durMix([[0.35, (r) => r.uni(2, 8)], [0.65, (r) => clamp(r.logn(30, 0.4), 10, 150)]]);
    const p = { ans: type === 'otp' ? 0.82 : er.uni(0.5, 0.7), busy: 0.05, off: 0.05, rej: type === 'otp' ? 0.02 : 0.08, vacantRate: type === 'otp' ? 0.015 : 0.004, giveUp: (r) => er.uni(28, 45) + r.uni(-0.5, 0.5), dur };
    const S = er.poisson(daily * VOL);
    const prof = type === 'otp' ? P_CN_AWAKE : P_DAY;
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(prof, localHour(t, BJT)));
      const callee = knownCallee(er, type === 'otp' ? 1 : 0.93);
      session(er, t, { callee, trunk: (r) => r.pick(trunks), caller: (r) => r.pick(pool), label: 'legit', kind: 'automated', entity: 'auto-' + id },
        p, type === 'otp' ? { max: 3, p: 0.35, delay: (r) => r.uni(45, 150) } : { max: 3, p: 0.55, delay: (r) => r.uni(300, 1500) });
    }
  }
};

POPS.call_centre = (r) => { // customer-service call-backs, market research, education / insurance agents
  const specs = [['cs-bpo-ph1', 'PH', 1300, 'did', 0.32, false], ['cs-bpo-my2', 'MY', 900, 'main', 0.35, false], ['mr-survey-sg3', 'SG', 1400, 'did', 0.18, true], ['mr-survey-hk4', 'HK', 1100, 'pool', 0.2, true],
    ['edu-admit-au5', 'AU', 500, 'main', 0.3, false], ['edu-admit-gb6', 'GB', 450, 'did', 0.28, false], ['ins-agent-hk7', 'HK', 800, 'pool', 0.22, false], ['cs-travel-th8', 'TH', 600, 'main', 0.33, false],
    ['mr-poll-us9', 'US-E', 900, 'pool', 0.15, true], ['cs-telco-tw10', 'TW', 700, 'did', 0.3, false], ['cs-bank-mo11', 'MO', 400, 'main', 0.35, false], ['mr-panel-de12', 'DE', 500, 'did', 0.2, true]];
  for (const [id, iso, daily, pres, ans, rdd] of specs) {
    const er = r.child(id);
    const cc = C[iso];
    const main = nsnOf(er, iso, 'fix');
    const base = main.slice(0, main.length - 2);
    const pool = Array.from({ length: er.int(5, 60) }, () => nsnOf(er, iso, er.chance(0.7) ? 'fix' : 'mob'));
    const callerOf = (r) => pres === 'main' ? num(iso, main) : pres === 'did' ? num(iso, base + r.digits(2)) : num(iso, r.pick(pool));
    const trunks = [routeFor(er, cc.region), routeFor(er, cc.region)];
    const giveUpBase = er.uni(22, 35);
    const p = { ans, busy: 0.07, off: 0.08, rej: 0.12, vacantOk: rdd, giveUp: (r) => giveUpBase + r.uni(-1, 1), ansMed: 8,
      dur: durMix([[0.28, (r) => r.uni(2, 20)], [0.72, (r) => clamp(r.logn(er.uni(180, 420), 0.7), 25, 3600)]]) };
    const S = er.poisson(daily * VOL);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_BIZ, localHour(t, cc.tz)) * (isHoliday(iso, t) ? 0.1 : 1) * interp(P_CN_AWAKE, localHour(t, BJT)) + 0.02);
      const callee = rdd ? listCallee(er, 0.85) : knownCallee(er, 0.9);
      session(er, t, { callee, trunk: (r) => r.pick(trunks), caller: callerOf, label: 'legit', kind: 'call_centre', entity: 'cc-' + id },
        p, { max: 3, p: 0.6, delay: (r) => r.uni(3600, 4 * 3600) });
    }
  }
};

POPS.calling_card_ott = (r) => { // calling cards, callback services, OTT-to-PSTN breakout: one gateway number, many users
  const specs = [['ott-us1', 'US-W', 1500, 1], ['ott-ca2', 'CA-E', 700, 1], ['card-gb3', 'GB', 900, 2], ['ott-au4', 'AU', 800, 1], ['cb-sg5', 'SG', 600, 3], ['ott-my6', 'MY', 700, 1], ['card-de7', 'DE', 400, 1]];
  for (const [id, iso, daily, nnum] of specs) {
    const er = r.child(id);
    const cc = C[iso];
    const nums = Array.from({ length: nnum }, () => num(iso, nsnOf(er, iso, 'fix')));
    const users = Array.from({ length: Math.round(daily * 0.6) + 5 }, () => ({ callees: [knownCallee(er, 0.8), knownCallee(er, 0.6)] }));
    const trunks = [er.wpick(CHEAP), routeFor(er, cc.region)];
    const p = { ans: 0.76, busy: 0.06, off: 0.05, giveUp: (r) => clamp(r.logn(35, 0.3), 10, 80), dur: durMix([[0.12, (r) => r.uni(3, 40)], [0.88, (r) => clamp(r.logn(540, 0.9), 20, 3 * 3600)]]) };
    const S = er.poisson(daily * VOL);
    for (let s = 0; s < S; s++) {
      const u = r.pick(users);
      const t = sampleTime(er, (t) => interp(P_HOME, localHour(t, cc.tz)) * interp(P_CN_AWAKE, localHour(t, BJT)));
      session(er, t, { callee: er.pick(u.callees), trunk: (r) => r.pick(trunks), caller: () => er.pick(nums), label: 'legit', kind: 'calling_card_ott', entity: id },
        p, { max: 4, p: 0.6, pBusy: 0.8, delay: (r) => r.uni(15, 300), dropRedial: 0.5 });
    }
  }
};

POPS.grey_route = (r) => { // transit carrier replaces caller ID with numbers from a pool (bypass / grey route)
  const specs = [['greytransit-1', 'ID', 3000, '8521', 4], ['greytransit-2', 'VN', 2400, '3691', 5], ['greytransit-3', 'US-E', 1600, '3474', 0]];
  const ORIG = [['US-E', 5], ['US-W', 5], ['CA-E', 2], ['GB', 3], ['AU', 3], ['DE', 2], ['FR', 2], ['IT', 2], ['JP', 2], ['AE', 1], ['NG', 1]];
  for (const [id, poolIso, daily, prefix, free] of specs) {
    const er = r.child(id);
    let pool;
    if (poolIso === 'US-E') { const npanxx = '347' + String(er.int(2, 9)) + er.digits(2); pool = Array.from({ length: 180 }, () => num('US-E', npanxx + er.digits(4))); }
    else { const len = C[poolIso].mob.find((m) => prefix.startsWith(m[0]))[1]; const blk = prefix + er.digits(len - prefix.length - free); pool = Array.from({ length: er.int(80, 400) }, () => num(poolIso, blk + er.digits(free))); }
    const trunks = [er.wpick(CHEAP), er.wpick(CHEAP), 'cu-fra-b3'];
    const people = Array.from({ length: Math.round(daily * 0.5) }, () => ({ iso: er.wpick(ORIG), callees: [knownCallee(er, 0.75)], biz: er.chance(0.25) }));
    const S = er.poisson(daily / 1.45 * VOL);
    for (let s = 0; s < S; s++) {
      const pe = er.pick(people);
      const tz = C[pe.iso].tz;
      const t = sampleTime(er, (t) => interp(pe.biz ? P_BIZ : P_HOME, localHour(t, tz)) * interp(P_CN_AWAKE, localHour(t, BJT)));
      session(er, t, { callee: pe.callees[0], trunk: (r) => r.pick(trunks), caller: (r) => r.pick(pool), label: 'legit', kind: 'grey_route', entity: id },
        { ans: 0.62, busy: 0.06, off: 0.05, rej: 0.1, fail: 0.04, giveUp: (r) => clamp(r.logn(35, 0.3), 10, 80),
          dur: durMix([[0.18, (r) => r.uni(1, 15)], [0.82, (r) => clamp(r.logn(pe.biz ? 150 : 300, 0.9), 15, 2 * 3600)]]) },
        { max: 5, p: 0.65, pBusy: 0.8, delay: (r) => r.uni(10, 240), dropRedial: 0.7 });
    }
  }
};

POPS.hotel_pbx = (r) => { // hotels abroad: guests (Chinese tourists / business travellers) call home via the hotel PBX
  const W = [['TH', 5], ['JP', 4], ['KR', 3], ['SG', 3], ['AE', 3], ['FR', 2], ['IT', 2], ['GB', 2], ['US-W', 2], ['US-E', 1], ['AU', 2], ['MY', 2], ['VN', 2], ['MV', 1], ['ID', 1]];
  for (let e = 0; e < 28; e++) {
    const er = r.child('hotel' + e);
    const iso = er.wpick(W);
    const cc = C[iso];
    const main = nsnOf(er, iso, 'fix');
    const appendRoom = er.chance(0.15);
    const trunks = [routeFor(er, cc.region)];
    const S = er.poisson(er.logn(45, 0.6) * VOL);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_HOME, localHour(t, cc.tz)) * interp(P_CN_AWAKE, localHour(t, BJT)));
      const room = String(er.int(2, 28)) + String(er.int(1, 40)).padStart(2, '0');
      session(er, t, { callee: knownCallee(er, 0.7), trunk: () => trunks[0], caller: () => (appendRoom ? withE164(num(iso, main + room), iso, main) : num(iso, main)), label: 'legit', kind: 'hotel_pbx', entity: 'hotel-' + iso.toLowerCase() + '-' + e },
        { ans: 0.72, busy: 0.06, giveUp: (r) => clamp(r.logn(35, 0.3), 10, 80), dur: durMix([[0.15, (r) => r.uni(5, 40)], [0.85, (r) => clamp(r.logn(200, 0.9), 15, 3600)]]) },
        { max: 3, p: 0.5, delay: (r) => r.uni(30, 600) });
    }
  }
};

POPS.conference_bridge = (r) => { // conference services dialling participants out at meeting start
  const specs = [['confbridge-us1', 'US-W', 90], ['confbridge-gb2', 'GB', 70], ['confbridge-sg3', 'SG', 110], ['confbridge-hk4', 'HK', 90]];
  for (const [id, iso, meetings] of specs) {
    const er = r.child(id);
    const cc = C[iso];
    const nums = [num(iso, nsnOf(er, iso, 'fix')), num(iso, nsnOf(er, iso, 'fix'))];
    const trunks = [routeFor(er, cc.region), routeFor(er, cc.region)];
    const M = er.poisson(meetings * VOL);
    for (let m = 0; m < M; m++) {
      let t = sampleTime(er, (t) => Math.max(interp(P_BIZ, localHour(t, cc.tz)) * (isHoliday(iso, t) ? 0.2 : 1), 0.3) * interp(P_BIZ, localHour(t, BJT)));
      t = Math.round(t / (30 * 60e3)) * 30 * 60e3 + er.uni(-60, 120) * 1000; // meetings start on the hour / half hour
      const k = Math.round(clamp(er.logn(4, 0.6), 1, 30));
      const len = er.pick([1800, 2700, 3600, 3600, 5400]) * er.uni(0.85, 1.15);
      const caller = er.pick(nums);
      for (let j = 0; j < k; j++) {
        const tj = t + j * er.uni(0.2, 3) * 1000;
        session(er, tj, { callee: knownCallee(er, 0.7), trunk: (r) => r.pick(trunks), caller: () => caller, label: 'legit', kind: 'conference_bridge', entity: id },
          { ans: 0.85, busy: 0.08, giveUp: () => 45, dur: (r) => r.chance(0.2) ? r.uni(60, len) : len * r.uni(0.9, 1.0) },
          { max: 2, p: 0.5, delay: (r) => r.uni(60, 120) });
      }
    }
  }
};

POPS.maritime_satellite = (r) => { // seafarers / expedition staff on satellite phones calling home
  for (let v = 0; v < 35; v++) {
    const er = r.child('vessel' + v);
    const sys = er.wpick([['INMARSAT', 5], ['IRIDIUM', 3], ['THURAYA', 2]]);
    const n = num(sys, nsnOf(er, sys));
    const tz = er.int(-10, 12);
    const callees = [knownCallee(er, 0.8), knownCallee(er, 0.8)];
    const S = er.poisson(er.logn(8, 0.6) * VOL);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_HOME, localHour(t, tz)) * interp(P_CN_AWAKE, localHour(t, BJT)));
      session(er, t, { callee: er.pick(callees), trunk: (r) => routeFor(r, 'sat'), caller: () => n, label: 'legit', kind: 'maritime_satellite', entity: '' },
        { ans: 0.75, fail: 0.05, pddMed: 5, giveUp: (r) => r.uni(25, 50), dur: durMix([[0.2, (r) => r.uni(3, 30)], [0.8, (r) => clamp(r.logn(220, 0.6), 30, 1800)]]) },
        { max: 4, p: 0.6, delay: (r) => r.uni(30, 300), dropRedial: 0.6 });
    }
  }
};

// ---------------------------------------------------------------- populations (fraud / nuisance)
POPS.wangiri = (r) => {
  const SRC = [['TN', 3], ['MR', 2], ['GN', 2], ['SL', 2], ['LV', 2], ['MD', 2], ['BY', 2], ['MV', 1], ['SB', 2], ['CK', 1], ['KM', 1], ['SO', 2], ['CU', 1], ['PG', 1], ['BA', 1], ['IRIDIUM', 1], ['THURAYA', 1]];
  for (let c = 0; c < 9; c++) {
    const er = r.child('wg' + c);
    const iso = er.wpick(SRC);
    const careful = er.chance(0.35);
    const n = careful ? er.int(20, 120) : er.int(2, 25);
    const usePrem = C[iso].prem && er.chance(0.6);
    const blk = (() => { const [p, len] = er.pick(usePrem ? C[iso].prem : C[iso].mob); return { p: fill(er, p, len - Math.min(3, len - p.length)), len }; })();
    const nums = Array.from({ length: n }, () => num(iso, blk.p + er.digits(blk.len - blk.p.length)));
    const trunks = er.chance(0.75) ? [er.wpick(CHEAP), er.wpick(CHEAP)] : [routeFor(er, C[iso].region || 'mea')];
    const total = er.logn(careful ? 240 : 380, 0.6) * VOL;
    const seqScan = er.chance(0.45);
    const cancel = careful ? er.uni(4.5, 8) : er.uni(0.8, 2.8);
    const p = { ans: 0.6, busy: 0.06, off: 0.07, vacantOk: true, ansMed: 5, giveUp: (r) => 0 + cancel + r.uni(-0.4, 0.6), netTimeout: 60, rej: 0.02, dur: (r) => r.uni(0, 4) };
    // bursts: fast campaigns dial in a few dense bursts, careful ones trickle through the day
    const bursts = careful ? 1 : er.int(1, 5);
    for (let b = 0; b < bursts; b++) {
      const start = sampleTime(er, (t) => er.chance(0.25) ? 1 : interp(P_CN_AWAKE, localHour(t, BJT)));
      const span = careful ? er.uni(6, 16) * H : er.uni(6, 60) * 60e3;
      const cnt = Math.round(total / bursts);
      let seq = seqScan ? BigInt(cnMobile(er).slice(0, 7) + '0000') : 0n;
      for (let i = 0; i < cnt; i++) {
        const t = careful ? start + er.f() * span : start + (i / cnt) * span + er.uni(0, 2) * 1000;
        let callee;
        if (seqScan) { seq += BigInt(er.int(1, careful ? 40 : 3)); callee = { t: 'm', n: String(seq) }; }
        else callee = listCallee(er, 0.97);
        session(er, t, { callee, trunk: (r) => r.pick(trunks), caller: (r) => r.pick(nums), label: 'wangiri', kind: 'wangiri', entity: 'wg-camp-' + c }, p, { max: 2, p: careful ? 0 : 0.1, delay: (r) => r.uni(60, 900) });
      }
    }
  }
};

POPS.scam_compound = (r) => { // robocall / live-agent scam from SE-Asian compounds
  const specs = [['KH', 'block'], ['KH', 'simfarm'], ['MM', 'stolen'], ['LA', 'block'], ['PH', 'simfarm'], ['MY', 'stolen'], ['TH', 'block'], ['VN', 'simfarm'], ['ID', 'stolen'], ['KH', 'foreign']];
  specs.forEach(([iso, mode], c) => {
    const er = r.child('scam' + c);
    const cc = C[iso];
    let callerOf;
    if (mode === 'block') {
      const [p, len] = er.pick(cc.mob); const free = er.int(3, 4); const blk = fill(er, p, len - free);
      let k = er.int(0, 10 ** free - 1); const seq = er.chance(0.5);
      callerOf = (r) => { k = seq ? (k + 1) % 10 ** free : r.int(0, 10 ** free - 1); return num(iso, blk + String(k).padStart(free, '0')); };
    } else if (mode === 'simfarm') {
      const sims = Array.from({ length: er.int(30, 150) }, () => num(iso, nsnOf(er, iso, 'mob')));
      callerOf = (r) => r.pick(sims);
    } else if (mode === 'stolen') {
      let cur = null, left = 0;
      callerOf = (r) => { if (left <= 0) { cur = num(iso, nsnOf(r, iso, 'mob')); left = r.int(1, 12); } left--; return cur; };
    } else {
      const FOR = ['US-E', 'US-W', 'GB', 'HK', 'SG', 'AU', 'JP', 'CA-W'];
      callerOf = (r) => { const f = r.pick(FOR); return num(f, nsnOf(r, f, r.chance(0.7) ? 'mob' : 'fix')); };
    }
    const trunks = [er.wpick(CHEAP), er.wpick(CHEAP), routeFor(er, 'sea')];
    const cut = er.uni(18, 35);
    const p = { ans: er.uni(0.16, 0.3), busy: 0.06, off: 0.08, rej: 0.14, vacantOk: true, giveUp: (r) => cut + r.uni(-1.5, 1.5),
      dur: durMix([[0.62, (r) => r.uni(1, 20)], [0.26, (r) => clamp(r.logn(70, 0.6), 20, 400)], [0.12, (r) => clamp(r.logn(900, 0.8), 240, 3 * 3600)]]) };
    const S = er.poisson(er.logn(380, 0.45) * VOL);
    const tz = cc.tz;
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_COMPOUND, localHour(t, tz)) * (0.3 + 0.7 * interp(P_CN_AWAKE, localHour(t, BJT))));
      session(er, t, { callee: listCallee(er, 0.95), trunk: (r) => r.pick(trunks), caller: callerOf, label: 'scam', kind: 'scam_compound', entity: 'scam-' + iso.toLowerCase() + '-' + c },
        p, { max: 2, p: 0.15, delay: (r) => r.uni(8, 60) });
    }
  });
};

POPS.spoof_cn = (r) => { // spoofed Chinese caller IDs arriving from abroad (police / government / bank look-alikes, mobiles)
  const specs = ['gov', 'bank', 'mobrand', 'mobset'];
  specs.forEach((mode, c) => {
    const er = r.child('spoof' + c);
    const areas = Array.from({ length: 4 }, () => er.wpick(CN_AREA_W));
    const set = Array.from({ length: 50 }, () => cnMobile(er));
    const callerOf = (r) => {
      if (mode === 'gov') {
        const a = r.pick(areas);
        return r.wpick([[{ cc: '86', nsn: a[0] + '110', nat: '0' }, 2], [{ cc: '86', nsn: a[0] + '12345', nat: '0' }, 1],
          [{ cc: '86', nsn: a[0] + r.pick(['6', '8']) + r.digits(a[1] - 1), nat: '0' }, 5]]);
      }
      if (mode === 'bank') return r.wpick([[{ cc: '86', nsn: r.pick(['95588', '95533', '95599', '95566', '95555', '95559', '95568']), nat: '' }, 3], [{ cc: '86', nsn: '400' + String(r.int(1, 9)) + r.digits(6), nat: '' }, 2]]);
      if (mode === 'mobrand') return { cc: '86', nsn: cnMobile(r), nat: '' };
      return { cc: '86', nsn: r.pick(set), nat: '' };
    };
    const trunks = [er.wpick(CHEAP), er.wpick(CHEAP), routeFor(er, 'sea'), routeFor(er, 'hk')];
    const p = { ans: er.uni(0.4, 0.55), busy: 0.06, off: 0.07, rej: 0.08, vacantOk: true, giveUp: (r) => clamp(r.logn(30, 0.25), 10, 60),
      dur: durMix([[0.5, (r) => r.uni(2, 25)], [0.35, (r) => clamp(r.logn(120, 0.6), 25, 600)], [0.15, (r) => clamp(r.logn(1200, 0.7), 300, 3 * 3600)]]) };
    const S = er.poisson([450, 300, 500, 350][c] * VOL);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_COMPOUND, localHour(t, 7)) * interp(P_CN_AWAKE, localHour(t, BJT)));
      session(er, t, { callee: listCallee(er, 0.93), trunk: (r) => r.pick(trunks), caller: callerOf, label: 'cn_cli_spoof', kind: 'spoof_cn', entity: 'spoof-' + mode },
        p, { max: 2, p: 0.3, delay: (r) => r.uni(30, 200) });
    }
  });
};

POPS.tollfree_uifn = (r) => { // toll-free and UIFN (+800) caller IDs on inbound international calls
  [['tf-mix1', 380], ['tf-uifn2', 260]].forEach(([id, daily]) => {
    const er = r.child(id);
    const callerOf = (r) => r.wpick([
      [{ cc: '800', nsn: String(r.int(1, 9)) + r.digits(7), nat: '' }, id === 'tf-uifn2' ? 8 : 2],
      [num('US-E', r.pick(['800', '888', '877', '866', '855', '844', '833']) + String(r.int(2, 9)) + r.digits(6)), 3],
      [num('GB', r.pick(['800', '808']) + r.digits(7)), 1],
      [num('AU', '1800' + r.digits(6)), 1],
      [num('HK', '800' + r.digits(6)), 1]]);
    const trunks = [er.wpick(CHEAP), routeFor(er, 'am'), routeFor(er, 'sea')];
    const cut = er.uni(20, 32);
    const p = { ans: 0.35, busy: 0.06, off: 0.07, rej: 0.1, vacantOk: true, giveUp: (r) => cut + r.uni(-1, 1), dur: durMix([[0.6, (r) => r.uni(1, 20)], [0.3, (r) => clamp(r.logn(90, 0.6), 20, 600)], [0.1, (r) => clamp(r.logn(800, 0.7), 200, 7200)]]) };
    const S = er.poisson(daily * VOL);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_COMPOUND, localHour(t, 8)));
      session(er, t, { callee: listCallee(er, 0.95), trunk: (r) => r.pick(trunks), caller: callerOf, label: 'tollfree_uifn_cli', kind: 'tollfree_uifn', entity: id }, p, { max: 1 });
    }
  });
};

POPS.invalid_cli = (r) => { // unallocated / malformed caller IDs
  const UNASSIGNED_CC = ['280', '289', '292', '295', '384', '422', '425', '671', '693', '801', '805', '809', '830', '835', '890', '896', '969', '978', '990', '997', '999', '210', '214', '219'];
  const gens = [
    (r) => ({ cc: r.pick(UNASSIGNED_CC), nsn: r.digits(r.int(7, 10)), nat: '' }), // country code not assigned
    (r) => ({ cc: '1', nsn: String(r.int(0, 1)) + r.digits(9), nat: '' }), // NANP area code starting 0/1
    (r) => ({ cc: '1', nsn: r.pick(C['US-E'].nanp) + '555' + '01' + r.digits(2), nat: '' }), // 555-01xx fictitious
    (r) => ({ cc: '44', nsn: '7' + r.digits(r.int(6, 8)), nat: '0' }), // UK mobile too short
    (r) => ({ cc: '86', nsn: cnMobile(r).slice(0, r.int(8, 10)), nat: '' }), // CN mobile too short
    (r) => ({ cc: '86', nsn: '1' + r.pick(['0', '1', '2', '4']) + r.digits(9), nat: '' }), // unallocated CN mobile prefixes (10x,11x,12x,14x)
    (r) => { const d = String(r.int(1, 9)); return { cc: d, nsn: d.repeat(r.int(8, 11)), nat: '' }; }, // repeated digit
    (r) => ({ cc: '65', nsn: r.pick(['1', '2', '4', '5', '7']) + r.digits(7), nat: '' }), // SG range not in use
    (r) => ({ cc: '61', nsn: '4' + r.digits(r.int(9, 11)), nat: '0' }), // AU mobile too long
    (r) => ({ raw: r.digits(r.int(3, 6)) }), // few digits
  ];
  for (let c = 0; c < 3; c++) {
    const er = r.child('inv' + c);
    const mix = gens.map((g, i) => [g, er.uni(0, 1) < 0.6 ? er.uni(0.5, 3) : 0.05]);
    const trunks = [er.wpick(CHEAP), er.wpick(CHEAP), routeFor(er, 'mea')];
    const cut = er.uni(20, 40);
    const p = { ans: 0.3, busy: 0.06, off: 0.07, rej: 0.1, vacantOk: true, giveUp: (r) => cut + r.uni(-1, 1), dur: durMix([[0.65, (r) => r.uni(1, 25)], [0.28, (r) => clamp(r.logn(90, 0.6), 20, 600)], [0.07, (r) => clamp(r.logn(700, 0.7), 200, 7200)]]) };
    const S = er.poisson(er.logn(300, 0.4) * VOL);
    for (let s = 0; s < S; s++) {
      const t = sampleTime(er, (t) => interp(P_COMPOUND, localHour(t, 7)));
      const g = er.wpick(mix);
      const caller = g(er);
      session(er, t, { callee: listCallee(er, 0.9), trunk: (r) => r.pick(trunks), caller: () => caller, label: 'invalid_cli', kind: 'invalid_cli', entity: 'inv-camp-' + c }, p, { max: 2, p: 0.1, delay: (r) => r.uni(20, 120) });
    }
  }
};

POPS.tdos = (r) => { // telephony denial of service on a few victims: many callers, one callee, limited channels
  const attacks = [{ rate: 0.6, mins: 25, channels: 8, fixed: true }, { rate: 0.35, mins: 5, waves: 3, channels: 1, fixed: false }, { rate: 0.03, mins: 120, channels: 4, fixed: true }];
  const SRC = [['US-E', 3], ['GB', 2], ['DE', 2], ['FR', 2], ['RU', 2], ['IN', 2], ['ID', 2], ['PH', 2], ['BY', 1], ['NG', 1], ['TN', 1], ['VN', 2], ['BA', 1], ['MD', 1]];
  attacks.forEach((a, i) => {
    const er = r.child('tdos' + i);
    const victim = a.fixed ? (() => { for (;;) { const c = calleeFix(er, CN_AREAS[3]); if (!isVacant(c)) return c; } })() : knownCallee(er, 1);
    const trunks = [er.wpick(CHEAP), er.wpick(CHEAP), 'cu-fra-b3', 'tata-sin-4'];
    const waves = a.waves || 1;
    const active = [];
    const starts = Array.from({ length: waves }, () => sampleTime(er, (t) => interp(P_DAY, localHour(t, BJT))));
    const calls = [];
    for (const st of starts) { const n = er.poisson(a.rate * a.mins * 60 * opt.scale); for (let k = 0; k < n; k++) calls.push(st + er.f() * a.mins * 60e3); }
    calls.sort((x, y) => x - y);
    for (const t of calls) {
      while (active.length && active[0] <= t) active.shift();
      const iso = er.wpick(SRC);
      const caller = er.chance(0.06) ? { raw: er.wpick(JUNK) } : num(iso, nsnOf(er, iso, er.chance(0.7) ? 'mob' : 'fix'));
      const trunk = er.pick(trunks);
      let o;
      if (active.length >= a.channels) o = { status: 486, ring: er.uni(0.3, 2), dur: 0 };
      else if (er.chance(0.03)) o = { status: 503, ring: er.uni(0.05, 1), dur: 0 };
      else if (a.fixed) o = { status: 200, ring: er.uni(0.8, 3.5), dur: Math.round(er.uni(3, 45)) }; // IVR / switchboard picks up
      else o = er.chance(0.45) ? { status: 603, ring: er.uni(2, 6), dur: 0 } : er.chance(0.4) ? { status: 200, ring: er.uni(2, 8), dur: Math.round(er.uni(1, 6)) } : { status: 487, ring: er.uni(5, 20), dur: 0 };
      if (o.status === 200) { active.push(t + (o.ring + o.dur) * 1000); active.sort((x, y) => x - y); }
      else if (o.status === 487) { active.push(t + o.ring * 1000); active.sort((x, y) => x - y); }
      emit(t, caller, victim, trunk, o, 'tdos', 'tdos', 'tdos-attack-' + i, er);
    }
  });
};

POPS.nuisance_tm = (r) => { // slow nuisance telemarketing: one number, tens of calls spread over the day
  const W = [['HK', 4], ['MY', 3], ['SG', 2], ['GB', 2], ['US-W', 2], ['AU', 1], ['TW', 2], ['TH', 1], ['KR', 1]];
  for (let e = 0; e < 16; e++) {
    const er = r.child('tm' + e);
    const iso = er.wpick(W);
    const cc = C[iso];
    const n = num(iso, nsnOf(er, iso, er.chance(0.7) ? 'fix' : 'mob'));
    const trunk = routeFor(er, cc.region);
    const cnt = Math.round(er.uni(18, 85) * VOL);
    const startH = er.uni(8.5, 10.5), endH = er.uni(17, 21);
    const p = { ans: 0.32, busy: 0.07, off: 0.07, rej: 0.15, vacantOk: true, giveUp: (r) => clamp(r.logn(28, 0.2), 12, 45), dur: durMix([[0.5, (r) => r.uni(3, 20)], [0.4, (r) => r.uni(20, 120)], [0.1, (r) => r.uni(120, 480)]]) };
    const prev = [];
    for (let k = 0; k < cnt; k++) {
      const t = sampleTime(er, (t) => { const h = localHour(t, cc.tz); return h >= startH && h <= endH && !(h >= 12 && h < 13) ? 1 : 0.01; });
      const callee = prev.length && er.chance(0.12) ? er.pick(prev) : listCallee(er, 0.92);
      prev.push(callee);
      session(er, t, { callee, trunk: () => trunk, caller: () => n, label: 'nuisance', kind: 'nuisance_tm', entity: 'tm-' + iso.toLowerCase() + '-' + e }, p, { max: 1 });
    }
  }
};

// ---------------------------------------------------------------- number dump (validation of the tables)
if (opt.dump > 0) {
  const r = new Rng('dump');
  const lines = ['iso,type,prefix,e164,cc,len'];
  for (const [iso, c] of Object.entries(C)) {
    for (const type of c.nanp ? ['nanp'] : ['mob', 'fix', 'prem']) {
      const list = c.nanp ? c.nanp.map((n) => [n, 10]) : c[type] || [];
      for (const [p, len] of list) {
        for (let i = 0; i < opt.dump; i++) {
          let s;
          if (c.nanp) s = nanpNsn(r, p);
          else { s = fill(r, p, len); if (type === 'fix' && len - p.length >= 6 && /[01]/.test(s[p.length])) s = s.slice(0, p.length) + r.int(2, 9) + s.slice(p.length + 1); }
          lines.push(`${iso},${type},${p},+${c.cc}${s},${c.cc},${len}`);
        }
      }
    }
  }
  for (const op of Object.keys(CN_MOB)) for (const p of CN_MOB[op]) for (let i = 0; i < opt.dump; i++) lines.push(`CN,mob-${op},${p},+86${p}${r.digits(8)}`);
  for (const a of CN_AREAS) for (let i = 0; i < opt.dump; i++) lines.push(`CN,fix,${a[0]},+86${cnFixed(r, a).area}${cnFixed(r, a).sub}`);
  writeFileSync(1, lines.join('\n') + '\n');
  process.exit(0);
}

// ---------------------------------------------------------------- run
const started = Date.now();
for (const name of Object.keys(POPS)) POPS[name](new Rng('pop:' + name));
rows.sort((a, b) => a.t - b.t || a.seq - b.seq);
const idr = new Rng('call-id');
const HOSTS = ['10.20.31.7', '10.20.31.8', 'sbc1.intl.example.cn', 'sbc2.intl.example.cn'];
const used = new Set();
const out = ['timestamp,caller,callee,call_id,source,status,ring,duration,label,kind,entity' + (opt.debugE164 ? ',caller_e164,callee_e164' : '')];
for (const x of rows) {
  let id;
  do { id = idr.u32().toString(16).padStart(8, '0') + idr.u32().toString(16).padStart(8, '0') + '@' + idr.pick(HOSTS); } while (used.has(id));
  used.add(id);
  const ring = Math.round(x.ring * 10) / 10;
  out.push(`${new Date(x.t).toISOString()},${x.caller},${x.callee},${id},${x.source},${x.status},${ring.toFixed(1)},${x.status === 200 ? x.dur : 0},${x.label},${x.kind},${x.entity}` + (opt.debugE164 ? `,${x.ce},${x.de}` : ''));
}
const text = out.join('\n') + '\n';
if (opt.out) writeFileSync(opt.out, text); else process.stdout.write(text);
if (opt.out) process.stderr.write(`traffic-d: ${rows.length} calls -> ${opt.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
