#!/usr/bin/env node
// Traffic model C: international inbound calls as a Chinese international
// gateway sees them. Written without reading the project's own generator or
// traffic model B. Plain Node ESM, no dependencies, deterministic for --seed.
//
//   node bench/traffic-c/gen.mjs --seed 1 --hours 24 --scale 1 --out calls.csv
//
// Options: --seed S  --hours H  --scale X  --out FILE ('-' = stdout)
//          --start ISO          first instant (default 2026-11-24T16:00:00Z = Wed 00:00 Beijing)
//          --answer-mult X      multiply legitimate answer probabilities (capped at 0.97)
//          --fraud-scale X      multiply every fraud population's volume
//          --mix kind=f,...     multiply one population's volume (kind names as in the kind column)
//          --holiday none|spring   Spring Festival: family x2.4, business x0.25
//          --list-kinds         print the populations and exit
import fs from 'node:fs';

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = { seed: '1', hours: 24, scale: 1, out: '-', start: '2026-11-24T16:00:00Z', answerMult: 1, fraudScale: 1, mix: {}, holiday: 'none' };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = () => argv[++i];
  if (a === '--seed') opt.seed = v();
  else if (a === '--hours') opt.hours = Number(v());
  else if (a === '--scale') opt.scale = Number(v());
  else if (a === '--out') opt.out = v();
  else if (a === '--start') opt.start = v();
  else if (a === '--answer-mult') opt.answerMult = Number(v());
  else if (a === '--fraud-scale') opt.fraudScale = Number(v());
  else if (a === '--holiday') opt.holiday = v();
  else if (a === '--mix') for (const kv of v().split(',')) { const [k, f] = kv.split('='); opt.mix[k.trim()] = Number(f); }
  else if (a === '--list-kinds') opt.list = true;
  else if (a === '--dump-numbers') opt.dumpNumbers = true;
  else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(new URL(import.meta.url)).toString().split('\n').slice(1, 16).join('\n')); process.exit(0); }
  else { console.error(`unknown option ${a}`); process.exit(2); }
}
const START = Date.parse(opt.start);
const H = opt.hours * 3600;
const MIN = Math.ceil(H / 60);

// ---------------------------------------------------------------- random
function hashStr(s) { let h = 2166136261 >>> 0; for (const c of s) { h ^= c.charCodeAt(0); h = Math.imul(h, 16777619) >>> 0; } return h; }
function sfc(a, b, c, d) {
  return function () {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
// one stream per population, so changing one knob does not reshuffle the others
function stream(name) { const h = hashStr(opt.seed + '/' + name); const r = sfc(h, h ^ 0x9e3779b9, hashStr(name), 0xdeadbeef); for (let i = 0; i < 20; i++) r(); return r; }
const U = (r, a, b) => a + (b - a) * r();
const I = (r, a, b) => Math.floor(U(r, a, b + 1));
const pick = (r, arr) => arr[Math.floor(r() * arr.length)];
function wpick(r, obj) { let t = 0; for (const k in obj) t += obj[k]; let x = r() * t; for (const k in obj) { x -= obj[k]; if (x <= 0) return k; } return Object.keys(obj)[0]; }
function normal(r) { let u = 0; while (u === 0) u = r(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r()); }
const lognorm = (r, median, sigma) => median * Math.exp(sigma * normal(r));
function poisson(r, lam) { if (lam > 30) return Math.max(0, Math.round(lam + Math.sqrt(lam) * normal(r))); let L = Math.exp(-lam), k = 0, p = 1; do { k++; p *= r(); } while (p > L); return k - 1; }
const pareto = (r, xm, alpha) => xm / Math.pow(1 - r() * 0.999999, 1 / alpha);
const digits = (r, n) => { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(r() * 10); return s; };
const d1 = (r, set) => set[Math.floor(r() * set.length)]; // one char of a string

// ---------------------------------------------------------------- numbering (real allocations)
// The ranges below are written by hand from national numbering plans. They are coarse (a
// country's mobile block has holes), so when libphonenumber-js is installed (it is, in this
// repository) a drawn number that it does not know as allocated is drawn again. Invalid
// caller IDs appear only where invalidity is the point (the invalid-cli population, two PBXs).
let isValid = null;
try { const m = await import('libphonenumber-js/max'); isValid = n => { try { return m.parsePhoneNumber('+' + n).isValid(); } catch { return false; } }; }
catch { process.stderr.write('traffic-c: libphonenumber-js not found, numbers are not checked against allocations\n'); }
const V = g => (r, ...a) => { if (!isValid) return g(r, ...a); for (let i = 0; i < 200; i++) { const n = g(r, ...a); if (isValid(n)) return n; } return g(r, ...a); };
const member = (r, base, tail) => { for (let i = 0; i < 20; i++) { const n = base + digits(r, tail); if (!isValid || isValid(n)) return n; } return base + digits(r, tail); };
// tz: UTC offset in late November (no DST in the south-east Asian ones; AU/NZ on summer time).
// nat: national trunk prefix for the national format ('' = none, e.g. Italy keeps the 0 in the number).
const NANP = {
  'US-E': ['212', '646', '718', '917', '347', '617', '202', '301', '571', '267', '201', '973', '732'],
  'US-W': ['415', '628', '626', '213', '323', '408', '650', '510', '206', '702', '949', '909'],
  'CA-E': ['416', '647', '437', '905', '514', '438'],
  'CA-W': ['604', '778', '236', '403'],
};
function nanp(r, areas) { let ex; do { ex = d1(r, '23456789') + digits(r, 2); } while (ex[1] === '1' && ex[2] === '1' || ex === '555'); return '1' + pick(r, areas) + ex + digits(r, 4); }
const C0 = {
  'US-E': { cc: '1', tz: -5, nat: '', mob: r => nanp(r, NANP['US-E']), fix: r => nanp(r, NANP['US-E']) },
  'US-W': { cc: '1', tz: -8, nat: '', mob: r => nanp(r, NANP['US-W']), fix: r => nanp(r, NANP['US-W']) },
  'CA-E': { cc: '1', tz: -5, nat: '', mob: r => nanp(r, NANP['CA-E']), fix: r => nanp(r, NANP['CA-E']) },
  'CA-W': { cc: '1', tz: -8, nat: '', mob: r => nanp(r, NANP['CA-W']), fix: r => nanp(r, NANP['CA-W']) },
  GB: { cc: '44', tz: 0, nat: '0', mob: r => '447' + pick(r, ['4', '5', '7', '8', '9']) + d1(r, '0123456789'.replace('6', '')) + digits(r, 7), fix: r => '44' + pick(r, ['207', '208', '203']) + d1(r, '2345678') + digits(r, 6) },
  AU: { cc: '61', tz: 11, nat: '0', mob: r => '614' + d1(r, '0123456789') + d1(r, '0123456789') + digits(r, 6), fix: r => '61' + pick(r, ['29', '28', '39', '38', '73']) + digits(r, 7) },
  NZ: { cc: '64', tz: 13, nat: '0', mob: r => '642' + d1(r, '017') + digits(r, 7), fix: r => '649' + d1(r, '2345') + digits(r, 6) },
  JP: { cc: '81', tz: 9, nat: '0', mob: r => '81' + d1(r, '789') + '0' + d1(r, '123456789') + digits(r, 7), fix: r => '81' + pick(r, ['3', '6']) + d1(r, '3456') + digits(r, 7) },
  KR: { cc: '82', tz: 9, nat: '0', mob: r => '8210' + d1(r, '23456789') + digits(r, 7), fix: r => '822' + d1(r, '2345689') + digits(r, 6 + (r() < 0.7 ? 1 : 0)) },
  SG: { cc: '65', tz: 8, nat: '', mob: r => '65' + d1(r, '89') + digits(r, 7), fix: r => '656' + digits(r, 7) },
  MY: { cc: '60', tz: 8, nat: '0', mob: r => r() < 0.8 ? '601' + d1(r, '2346789') + digits(r, 7) : '6011' + digits(r, 8), fix: r => '603' + d1(r, '2456789') + digits(r, 7) },
  HK: { cc: '852', tz: 8, nat: '', mob: r => { let n; do { n = '852' + d1(r, '569') + digits(r, 7); } while (n.startsWith('852900')); return n; }, fix: r => '852' + d1(r, '23') + digits(r, 7) },
  MO: { cc: '853', tz: 8, nat: '', mob: r => '8536' + d1(r, '2345678') + digits(r, 6), fix: r => '85328' + digits(r, 6) },
  TW: { cc: '886', tz: 8, nat: '0', mob: r => '8869' + digits(r, 8), fix: r => '8862' + d1(r, '2345678') + digits(r, 7) },
  TH: { cc: '66', tz: 7, nat: '0', mob: r => '66' + d1(r, '689') + digits(r, 8), fix: r => '662' + digits(r, 7) },
  VN: { cc: '84', tz: 7, nat: '0', mob: r => '84' + pick(r, ['32', '33', '34', '35', '36', '37', '38', '39', '90', '91', '93', '94', '96', '97', '98', '70', '76', '77', '78', '79', '81', '82', '83', '84', '85']) + digits(r, 7), fix: r => '8424' + d1(r, '3679') + digits(r, 7) },
  PH: { cc: '63', tz: 8, nat: '0', mob: r => '639' + pick(r, ['15', '16', '17', '18', '19', '20', '21', '26', '27', '28', '29', '05', '06', '35', '45', '55', '56', '95', '96', '97']) + digits(r, 7), fix: r => '632' + d1(r, '2345789') + digits(r, 7) },
  ID: { cc: '62', tz: 7, nat: '0', mob: r => '628' + pick(r, ['11', '12', '13', '21', '22', '52', '53', '57', '58', '77', '78', '95', '96', '97', '98', '99']) + digits(r, 7 + (r() < 0.6 ? 1 : 0)), fix: r => '6221' + d1(r, '2345789') + digits(r, 7) },
  DE: { cc: '49', tz: 1, nat: '0', mob: r => '491' + pick(r, ['51', '52', '57', '59', '60', '62', '63', '70', '71', '72', '73', '74', '75', '76', '77', '78', '79']) + digits(r, 7 + (r() < 0.5 ? 1 : 0)), fix: r => '49' + pick(r, ['30', '69', '89', '40', '211']) + d1(r, '2345678') + digits(r, 6) },
  FR: { cc: '33', tz: 1, nat: '0', mob: r => '33' + d1(r, '67') + digits(r, 8), fix: r => '331' + d1(r, '4545') + digits(r, 7) },
  IT: { cc: '39', tz: 1, nat: '', mob: r => '393' + d1(r, '234589') + digits(r, 8), fix: r => '39' + pick(r, ['02', '06']) + digits(r, 8) },
  ES: { cc: '34', tz: 1, nat: '', mob: r => '34' + d1(r, '67') + digits(r, 8), fix: r => '349' + d1(r, '13') + digits(r, 7) },
  NL: { cc: '31', tz: 1, nat: '0', mob: r => '316' + d1(r, '12345') + digits(r, 7), fix: r => '3120' + d1(r, '2345678') + digits(r, 6) },
  RU: { cc: '7', tz: 3, nat: '8', mob: r => '79' + d1(r, '0123456789') + digits(r, 8), fix: r => '7495' + d1(r, '2345679') + digits(r, 6) },
  AE: { cc: '971', tz: 4, nat: '0', mob: r => '9715' + d1(r, '024568') + digits(r, 7), fix: r => '9714' + d1(r, '2345') + digits(r, 6) },
  IN: { cc: '91', tz: 5.5, nat: '0', mob: r => '91' + d1(r, '6789') + digits(r, 9), fix: r => '9122' + d1(r, '2346') + digits(r, 7) },
  PK: { cc: '92', tz: 5, nat: '0', mob: r => '923' + d1(r, '01234') + digits(r, 8), fix: r => '9221' + d1(r, '3') + digits(r, 7) },
  NG: { cc: '234', tz: 1, nat: '0', mob: r => '234' + pick(r, ['703', '706', '803', '806', '810', '813', '814', '816', '903', '906', '802', '808', '812', '701', '902', '907', '805', '807', '815']) + digits(r, 7), fix: r => '234' + pick(r, ['803', '805', '806', '809']) + digits(r, 7) }, // business lines are mobiles now
  BR: { cc: '55', tz: -3, nat: '0', mob: r => '55119' + d1(r, '56789') + digits(r, 7), fix: r => '5511' + d1(r, '2345') + digits(r, 7) },
  KH: { cc: '855', tz: 7, nat: '0', mob: r => '855' + pick(r, ['10', '11', '12', '15', '16', '17', '61', '69', '70', '76', '77', '78', '81', '85', '86', '87', '88', '89', '92', '93', '95', '96', '97', '98', '99']) + digits(r, 6 + (r() < 0.4 ? 1 : 0)), fix: r => '85523' + d1(r, '2789') + digits(r, 5) },
  MM: { cc: '95', tz: 6.5, nat: '0', mob: r => '959' + pick(r, ['25', '26', '40', '42', '44', '45', '68', '69', '75', '76', '77', '78', '79', '96', '97']) + digits(r, 7), fix: r => '951' + digits(r, 6) },
  LA: { cc: '856', tz: 7, nat: '0', mob: r => '85620' + d1(r, '2579') + digits(r, 7), fix: r => '85621' + digits(r, 6) },
  // Wangiri / premium-bait origins (high termination rates, short-stopping targets)
  TN: { cc: '216', tz: 1, nat: '', mob: r => '216' + d1(r, '259') + digits(r, 7), fix: r => '21671' + digits(r, 6) },
  LV: { cc: '371', tz: 2, nat: '', mob: r => '3712' + digits(r, 7), fix: r => '37167' + digits(r, 6), prem: r => '37190' + digits(r, 6) },
  EE: { cc: '372', tz: 2, nat: '', mob: r => '3725' + digits(r, 6 + (r() < 0.5 ? 1 : 0)), fix: r => '3726' + digits(r, 6) },
  RS: { cc: '381', tz: 1, nat: '0', mob: r => '3816' + d1(r, '0123456') + digits(r, 7), fix: r => '38111' + digits(r, 7) },
  AL: { cc: '355', tz: 1, nat: '0', mob: r => '3556' + d1(r, '789') + digits(r, 7), fix: r => '3554' + digits(r, 7) },
  KM: { cc: '269', tz: 3, nat: '', mob: r => '269' + d1(r, '34') + digits(r, 6), fix: r => '2697' + digits(r, 6) },
  SL: { cc: '232', tz: 0, nat: '0', mob: r => '232' + pick(r, ['76', '77', '78', '79', '30', '33', '34', '88', '99']) + digits(r, 6), fix: r => '23222' + digits(r, 6) },
  CI: { cc: '225', tz: 0, nat: '', mob: r => '225' + pick(r, ['07', '05', '01']) + digits(r, 8), fix: r => '225272' + d1(r, '124') + digits(r, 6) },
  PG: { cc: '675', tz: 10, nat: '', mob: r => '6757' + d1(r, '0123456789') + digits(r, 6), fix: r => '6753' + digits(r, 6) },
  BY: { cc: '375', tz: 3, nat: '8', mob: r => '375' + pick(r, ['29', '33', '44', '25']) + digits(r, 7), fix: r => '37517' + digits(r, 7) },
  MD: { cc: '373', tz: 2, nat: '0', mob: r => '373' + pick(r, ['60', '68', '69', '78', '79']) + digits(r, 6), fix: r => '37322' + digits(r, 6) },
};
const C = Object.fromEntries(Object.entries(C0).map(([k, c]) => [k, { ...c, mob: V(c.mob), fix: V(c.fix), ...(c.prem ? { prem: V(c.prem) } : {}) }]));
// Premium / callback-bait ranges (not ordinary subscribers): international networks,
// satellite, UK personal numbering (070) and premium (09), Latvian 90x.
const PREMIUM0 = [
  ['GB-070', r => '4470' + d1(r, '0123456789') + digits(r, 7)],
  ['GB-09', r => '449' + d1(r, '0178') + digits(r, 8)],
  ['INTL-882', r => '882' + pick(r, ['16', '34', '39', '13']) + digits(r, 7)],
  ['INTL-883', r => '883' + pick(r, ['130', '140', '510']) + digits(r, 6)],
  ['SAT-8816', r => '8816' + d1(r, '23') + digits(r, 7)],
  ['LV-90', r => C.LV.prem(r)],
];
const TOLLFREE0 = [
  r => '800' + digits(r, 8),                                        // UIFN
  r => '1' + pick(r, ['800', '833', '844', '855', '866', '877', '888']) + d1(r, '23456789') + digits(r, 6),
  r => '44800' + digits(r, 7), r => '611800' + digits(r, 6),
];
const PREMIUM = PREMIUM0.map(([n, g]) => [n, V(g)]);
const TOLLFREE = TOLLFREE0.map(V);
// China (home): mobile prefixes of the three MNOs and China Broadnet (192), fixed-line areas.
const CN_MOB = ['134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '172', '178', '182', '183', '184', '187', '188', '195', '197', '198',
  '130', '131', '132', '145', '155', '156', '166', '175', '176', '185', '186', '196', '133', '149', '153', '173', '177', '180', '181', '189', '190', '191', '193', '199', '192'];
const CN_FIX = { '10': 8, '21': 8, '20': 8, '755': 8, '571': 8, '28': 8, '591': 8, '592': 7, '750': 7, '23': 8, '27': 8, '25': 8, '24': 8, '532': 8, '577': 8 };
const cnMobile0 = r => '86' + pick(r, CN_MOB) + digits(r, 8);
const cnMobile = V(cnMobile0);
const cnFixed = V(cnFixed0);
function cnFixed0(r, area) { area = area ?? wpick(r, { '10': 4, '21': 4, '20': 3, '755': 3, '571': 2, '28': 2, '591': 1.5, '592': 1, '750': 1, '23': 1, '27': 1, '25': 1, '24': 1, '532': 1, '577': 1 }); return '86' + area + d1(r, '2345678') + digits(r, CN_FIX[area] - 1); }
const CN_SERVICE = ['95555', '95588', '95533', '95599', '95566', '95559', '95508', '10086', '10010', '10000', '110', '12345', '12306', '95516', '95511', '95518'];

// ---------------------------------------------------------------- trunks and their number formats
// fmt: plus '+CC..', zz '00CC..', bare 'CC..', tel 'tel:+CC..', sip 'sip:+CC..@host;user=phone',
// natHome: national format for callers of one origin country, '+' for the rest.
const TRUNKS = {
  'CTG-HK-01': { fmt: 'plus', callee: 'plus' },
  'CMI-SG-02': { fmt: 'zz', callee: 'zz' },
  'CUG-LON-01': { fmt: 'bare', callee: 'bare' },
  'PCCW-GW-03': { fmt: 'tel', callee: 'tel' },
  'BICS-BRU': { fmt: 'sip', callee: 'sip', host: 'bics.example.net' },
  'TELSTRA-INTL': { fmt: 'plus', natHome: 'AU', callee: 'plus' },
  'KDDI-TYO': { fmt: 'bare', natHome: 'JP', callee: 'bare' },
  'IDT-NJ': { fmt: 'plus', natHome: 'NANP', callee: 'zz' },
  '203.0.113.45': { fmt: 'mixed', callee: 'natcn' },
  '198.51.100.17': { fmt: 'zz', callee: 'zz' },
  '192.0.2.88': { fmt: 'sipbare', callee: 'sipbare', host: '192.0.2.88' },
};
const LEGIT_TRUNKS = { 'CTG-HK-01': 26, 'CMI-SG-02': 20, 'CUG-LON-01': 12, 'PCCW-GW-03': 12, 'BICS-BRU': 10, '203.0.113.45': 2, '198.51.100.17': 2, '192.0.2.88': 1 };
const FRAUD_TRUNKS = { 'CTG-HK-01': 8, 'CMI-SG-02': 6, 'CUG-LON-01': 8, 'PCCW-GW-03': 8, 'BICS-BRU': 14, '203.0.113.45': 22, '198.51.100.17': 20, '192.0.2.88': 14 };
function trunkFor(r, region, fraud) {
  if (!fraud) {
    if ((region === 'AU' || region === 'NZ') && r() < 0.55) return 'TELSTRA-INTL';
    if ((region === 'JP' || region === 'KR') && r() < 0.45) return 'KDDI-TYO';
    if (region.startsWith('US') || region.startsWith('CA')) { if (r() < 0.45) return 'IDT-NJ'; }
  }
  return wpick(r, fraud ? FRAUD_TRUNKS : LEGIT_TRUNKS);
}
function natOf(e164, region) {
  if (region.startsWith('US') || region.startsWith('CA')) return e164.slice(1);            // 10 digits
  const c = C[region]; return c.nat + e164.slice(c.cc.length);
}
function fmtCaller(num, region, trunk, r) {
  if (num.startsWith('anon:')) {
    const t = TRUNKS[trunk];
    if (t.fmt === 'sip' || t.fmt === 'sipbare') return 'sip:anonymous@anonymous.invalid';
    return pick(r, ['anonymous', 'Anonymous', 'Restricted', 'unavailable']);
  }
  if (num.startsWith('raw:')) return num.slice(4);                                        // already as presented
  const t = TRUNKS[trunk];
  if (t.natHome && region && (t.natHome === region || (t.natHome === 'NANP' && /^(US|CA)/.test(region))) && !num.startsWith('86')) return natOf(num, region);
  let f = t.fmt; if (f === 'mixed') f = pick(r, ['plus', 'bare', 'zz']);
  return fmtNum(num, f, t.host);
}
function fmtNum(num, f, host) {
  switch (f) {
    case 'plus': return '+' + num;
    case 'zz': return '00' + num;
    case 'bare': return num;
    case 'tel': return 'tel:+' + num;
    case 'sip': return `sip:+${num}@${host};user=phone`;
    case 'sipbare': return `sip:${num}@${host}`;
    case 'natcn': return num.startsWith('86') ? (/^861/.test(num) ? num.slice(2) : '0' + num.slice(2)) : num;
  }
  return '+' + num;
}

// ---------------------------------------------------------------- time
// 24 hourly weights, local time; interpolated per minute.
const CURVE = {
  family: [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.4, 0.8, 1.0, 0.9, 0.8, 0.8, 0.9, 0.8, 0.7, 0.7, 0.8, 1.0, 1.3, 1.6, 1.7, 1.5, 1.0, 0.6],
  awake: [0.15, 0.05, 0.02, 0.02, 0.02, 0.05, 0.3, 0.7, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8, 0.4],
  office: [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.2, 0.7, 1, 1, 1, 0.7, 0.9, 1, 1, 0.9, 0.6, 0.3, 0.15, 0.1, 0.08, 0.05, 0.03],
  cnoffice: [0.05, 0.02, 0.01, 0.01, 0.01, 0.02, 0.1, 0.4, 0.8, 1, 1, 1, 0.8, 1, 1, 1, 1, 0.9, 0.7, 0.5, 0.4, 0.3, 0.15, 0.08],
  flat: Array(24).fill(1),
  activity: [0.35, 0.2, 0.1, 0.07, 0.06, 0.1, 0.3, 0.6, 0.85, 0.95, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.05, 1.1, 1.05, 0.9, 0.6],
  scam: [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.1, 0.3, 0.8, 1, 1, 1, 0.7, 0.9, 1, 1, 1, 0.9, 0.7, 0.6, 0.6, 0.5, 0.3, 0.2],
};
function curveAt(c, hf) { const h = ((hf % 24) + 24) % 24; const i = Math.floor(h), f = h - i; return c[i] * (1 - f) + c[(i + 1) % 24] * f; }
function localDay(tSec, tz) { return new Date(START + (tSec + tz * 3600) * 1000).getUTCDay(); } // 0 = Sunday
const isWeekend = (t, tz) => { const d = localDay(t, tz); return d === 0 || d === 6; };
// callerCurve in caller local time x calleeCurve in Beijing time x weekend factor (caller side)
const cdfCache = new Map();
function cdf(callerCurve, calleeCurve, tz, weekendF) {
  const key = `${callerCurve}|${calleeCurve}|${tz}|${weekendF}`;
  let c = cdfCache.get(key); if (c) return c;
  c = new Float64Array(MIN); let acc = 0;
  for (let m = 0; m < MIN; m++) {
    const t = m * 60 + 30; const utcH = (START / 1000 + t) / 3600;
    let w = curveAt(CURVE[callerCurve], utcH + tz) * curveAt(CURVE[calleeCurve], utcH + 8);
    if (isWeekend(t, tz)) w *= weekendF;
    acc += w; c[m] = acc;
  }
  cdfCache.set(key, c); return c;
}
function sampleTime(r, c) { const x = r() * c[c.length - 1]; let lo = 0, hi = c.length - 1; while (lo < hi) { const mid = (lo + hi) >> 1; if (c[mid] < x) lo = mid + 1; else hi = mid; } return lo * 60 + r() * 60; }

// ---------------------------------------------------------------- outcomes
const calls = [];
const blockedIntl = num => (hashStr('blk' + num) % 1000) < 35;   // ~3.5% of subscribers bar international calls
const vacant = num => (hashStr('vac' + num) % 1000) < 12;        // never-allocated or disconnected
function emit(rec) { if (rec.t >= 0 && rec.t < H) calls.push(rec); }
// p: answer probability; o: { ringMed, giveUp (caller gives up after ~s), dur: [median, sigma], maxDur }
function outcome(r, p, callee, o = {}) {
  if (vacant(callee) && !o.noVacant) return { status: 404, ring: U(r, 0.2, 1.5), duration: 0 };
  if (blockedIntl(callee)) return { status: 603, ring: U(r, 0.1, 0.8), duration: 0 };
  const giveUp = o.giveUp ?? lognorm(r, 28, 0.3);
  if (r() < p) {
    const ring = Math.min(lognorm(r, o.ringMed ?? 7, 0.55), 45);
    if (ring <= giveUp) { const [m, s] = o.dur ?? [120, 1]; return { status: 200, ring, duration: Math.max(1, Math.min(o.maxDur ?? 7200, Math.round(lognorm(r, m, s)))) }; }
  }
  const k = wpick(r, o.failMix ?? { cancel: 46, off: 14, busy: 11, decline: 14, noans: 15 });
  switch (k) {
    case 'cancel': return { status: 487, ring: Math.min(giveUp, 60), duration: 0 };
    case 'off': return { status: 480, ring: U(r, 0.3, 3), duration: 0 };
    case 'busy': return { status: 486, ring: U(r, 0.2, 2.5), duration: 0 };
    case 'decline': return { status: 603, ring: Math.min(U(r, 2, 14), giveUp), duration: 0 };
    default: return giveUp < 45 ? { status: 487, ring: giveUp, duration: 0 } : { status: 408, ring: U(r, 45, 60), duration: 0 };
  }
}
const ans = p => Math.min(0.97, p * opt.answerMult);

// ---------------------------------------------------------------- populations
const FRAUD = new Set();
const POP = [];
function pop(kind, fraud, daily, fn) { POP.push({ kind, fraud, daily, fn }); if (fraud) FRAUD.add(kind); }
const HOL = opt.holiday === 'spring';
const vol = (kind, daily, fraud) => daily * opt.scale * (opt.mix[kind] ?? 1) * (fraud ? opt.fraudScale : 1);
function call(kind, label, entity, t, callerNum, region, callee, trunk, res, r) {
  emit({ t, caller: callerNum, region, callee, trunk, ...res, label, kind, entity });
}

// Overseas Chinese and students calling family. Heavy-tailed per-caller volume,
// retries after unanswered calls, 1-3 callees per caller, mostly mobiles.
pop('family', false, 52000, (kind, n) => {
  const r = stream(kind);
  const regions = { 'US-W': 12, 'US-E': 10, 'CA-W': 6, 'CA-E': 5, AU: 10, NZ: 2, GB: 8, JP: 8, KR: 5, SG: 6, MY: 5, DE: 4, FR: 3, IT: 3, ES: 2, NL: 1.5, RU: 2, AE: 2, HK: 6, MO: 1.5, TW: 2, TH: 1.5, PH: 1, ID: 1, VN: 1, NG: 0.5, BR: 0.8 };
  // sessions per caller per day: Pareto(0.45, 1.4) -> most 0-1, a few dozen
  let made = 0, idx = 0;
  const target = n * (HOL ? 2.4 : 1);
  while (made < target) {
    const region = wpick(r, regions); const reg = C[region];
    const caller = r() < 0.82 ? reg.mob(r) : reg.fix(r);
    const rate = Math.min(pareto(r, 0.45, 1.4), 40) * opt.hours / 24;
    const k = poisson(r, rate); if (k === 0) { made += 0.2; continue; }
    const callees = Array.from({ length: I(r, 1, 3) }, () => r() < 0.85 ? cnMobile(r) : cnFixed(r));
    const trunk = trunkFor(r, region, false); // one carrier route per caller, mostly
    const c = cdf('family', 'awake', reg.tz, 1.5);
    const ent = `fam-${++idx}`;
    for (let s = 0; s < k; s++) {
      let t = sampleTime(r, c); let callee = pick(r, callees);
      const pA = ans(0.68);
      for (let a = 0; a < 6; a++) {
        const res = outcome(r, pA * (a ? 0.9 : 1), callee, { dur: [300, 1.1], giveUp: lognorm(r, 32, 0.25) });
        call(kind, 'legit', '', t, caller, region, callee, r() < 0.9 ? trunk : trunkFor(r, region, false), res, r);
        made++;
        if (res.status === 200 || res.status === 404) break;
        if (res.status === 603 && blockedIntl(callee)) { if (r() < 0.5) break; }
        // retry the same number, or the other family member; sometimes give up (callee calls back on WeChat)
        if (r() < (a < 2 ? 0.6 : 0.3)) { t += res.ring + lognorm(r, 90, 0.8); if (r() < 0.25 && callees.length > 1) callee = pick(r, callees); }
        else break;
      }
    }
  }
});

// Chinese subscribers roaming abroad calling home: +86 caller ID arriving on international ingress.
pop('roamer', false, 3500, (kind, n) => {
  const r = stream(kind); let made = 0;
  const regions = { JP: 4, KR: 2, TH: 3, SG: 2, MY: 1, 'US-W': 2, GB: 1, FR: 1, AU: 1, AE: 1, HK: 3, MO: 1.5, VN: 1 };
  while (made < n) {
    const region = wpick(r, regions); const reg = C[region]; const caller = cnMobile(r);
    const k = 1 + poisson(r, 2.2 * opt.hours / 24); const callees = Array.from({ length: I(r, 1, 4) }, () => r() < 0.8 ? cnMobile(r) : cnFixed(r));
    const trunk = trunkFor(r, region, false); const c = cdf('activity', 'awake', reg.tz, 1);
    for (let s = 0; s < k; s++) {
      let t = sampleTime(r, c); const callee = pick(r, callees);
      for (let a = 0; a < 3; a++) {
        const res = outcome(r, ans(0.78), callee, { dur: [150, 1.0] });
        call(kind, 'legit', '', t, caller, region, callee, trunk, res, r); made++;
        if (res.status === 200 || r() < 0.5) break; t += res.ring + lognorm(r, 60, 0.7);
      }
    }
  }
});

// Foreign friends, colleagues, visitors, expats' partners: ordinary persons, light callers.
pop('personal', false, 11000, (kind, n) => {
  const r = stream(kind); let made = 0;
  const regions = { 'US-E': 4, 'US-W': 3, GB: 4, DE: 3, FR: 2, JP: 4, KR: 4, SG: 3, AU: 3, IN: 2, RU: 2, IT: 1, ES: 1, NL: 1, AE: 1, HK: 3, TW: 2, MY: 2, TH: 1, VN: 1, PK: 1, BR: 0.5 };
  while (made < n) {
    const region = wpick(r, regions); const reg = C[region]; const caller = r() < 0.75 ? reg.mob(r) : reg.fix(r);
    const k = 1 + poisson(r, Math.min(pareto(r, 0.3, 1.6), 15) * opt.hours / 24); const callee = r() < 0.8 ? cnMobile(r) : cnFixed(r);
    const trunk = trunkFor(r, region, false); const c = cdf('family', 'awake', reg.tz, 1.3);
    for (let s = 0; s < k; s++) {
      let t = sampleTime(r, c);
      for (let a = 0; a < 3; a++) {
        const res = outcome(r, ans(0.55), callee, { dur: [180, 1.1] }); call(kind, 'legit', '', t, caller, region, callee, trunk, res, r); made++;
        if (res.status === 200 || r() < 0.45) break; t += res.ring + lognorm(r, 120, 0.8);
      }
    }
  }
});

// Traders abroad calling suppliers (Yiwu, Guangzhou, Shenzhen, Foshan) - Africa, Middle East, South Asia,
// LatAm, Russia. Several suppliers each, fixed lines and sales mobiles; repeat calls.
pop('trade', false, 9000, (kind, n) => {
  const r = stream(kind); let made = 0, idx = 0;
  const regions = { NG: 4, AE: 4, IN: 3, PK: 2, RU: 3, BR: 2, 'US-E': 2, 'US-W': 1, GB: 1, DE: 1, ID: 1, VN: 1, TH: 1, MY: 1, TN: 0.5, AL: 0.3, KM: 0.1, CI: 0.4, SL: 0.2 };
  while (made < n) {
    const region = wpick(r, regions); const reg = C[region]; const caller = r() < 0.7 ? reg.mob(r) : reg.fix(r);
    const sup = Array.from({ length: I(r, 2, 12) }, () => r() < 0.6 ? cnMobile(r) : cnFixed(r, pick(r, ['20', '755', '571', '592'])));
    const k = 1 + poisson(r, Math.min(pareto(r, 1, 1.3), 60) * opt.hours / 24); const trunk = trunkFor(r, region, false);
    const c = cdf('flat', 'cnoffice', reg.tz, 0.7); const ent = `trader-${region}-${++idx}`;
    for (let s = 0; s < k; s++) {
      let t = sampleTime(r, c); const callee = pick(r, sup);
      for (let a = 0; a < 3; a++) {
        const res = outcome(r, ans(0.62), callee, { dur: [200, 1.0] }); call(kind, 'legit', ent, t, caller, region, callee, trunk, res, r); made++;
        if (res.status === 200 || r() < 0.5) break; t += res.ring + lognorm(r, 100, 0.6);
      }
    }
  }
});

// Business entities: one or a few CLIs (PBX main numbers or a pool), calling many callees.
// spec: region, clis (count), share of traffic, answer p, duration, curve, burst options.
function entityPop(kind, daily, ents, o) {
  pop(kind, false, daily, (kind, n) => {
    const r = stream(kind);
    const totalW = ents.reduce((s, e) => s + e.w, 0);
    for (const e of ents) {
      const reg = C[e.region];
      const clis = Array.from({ length: e.clis ?? 1 }, () => e.cliGen ? e.cliGen(r) : (e.mobile ? reg.mob(r) : reg.fix(r)));
      const m = n * e.w / totalW;
      const c = cdf(o.curve ?? 'office', o.calleeCurve ?? 'cnoffice', reg.tz, o.weekend ?? 0.15);
      const trunks = Array.from({ length: e.trunks ?? 1 }, () => trunkFor(r, e.region, false));
      const known = []; // repeat customers
      let made = 0;
      // bursts (flight disruption, campaign launches): part of the volume in a short window
      const bursts = (e.burst && H >= 3600) ? Array.from({ length: poisson(r, e.burst.n * opt.hours / 24) }, () => sampleTime(r, c)) : [];
      while (made < m) {
        let t;
        if (bursts.length && r() < e.burst.share) t = pick(r, bursts) + r() * e.burst.len; else t = sampleTime(r, c);
        let callee;
        if (known.length && r() < (o.repeat ?? 0.2)) callee = pick(r, known);
        else { callee = r() < (o.mobile ?? 0.9) ? cnMobile(r) : cnFixed(r); if (known.length < 500) known.push(callee); }
        const cli = pick(r, clis); const trunk = pick(r, trunks);
        for (let a = 0; a < (o.retries ?? 1) + 1; a++) {
          const res = outcome(r, ans(e.ans ?? o.ans), callee, { dur: o.dur, ringMed: o.ringMed, giveUp: o.giveUp ? lognorm(r, o.giveUp, 0.15) : undefined });
          call(kind, 'legit', e.name, t, cli, e.region, callee, trunk, res, r); made++;
          if (res.status === 200 || res.status === 404 || r() > (o.retryP ?? 0.5)) break;
          t += res.ring + lognorm(r, o.retryGap ?? 300, 0.5);
        }
      }
    }
  });
}
entityPop('airline', 2200, [
  { name: 'airline-hk-ops', region: 'HK', w: 4, clis: 2, trunks: 2, burst: { n: 1.2, share: 0.35, len: 3600 } },
  { name: 'airline-sg-ops', region: 'SG', w: 2, burst: { n: 0.8, share: 0.3, len: 2700 } },
  { name: 'airline-jp-res', region: 'JP', w: 1.5 },
  { name: 'airline-de-res', region: 'DE', w: 1, burst: { n: 0.5, share: 0.4, len: 5400 } },
  { name: 'airline-us-res', region: 'US-W', w: 1.5 },
  { name: 'airline-ae-ops', region: 'AE', w: 1.5, clis: 3 },
], { ans: 0.5, dur: [75, 0.7], curve: 'flat', calleeCurve: 'awake', weekend: 1, retries: 2, retryP: 0.6, retryGap: 240, giveUp: 30 });
entityPop('hotel', 1500, [
  ...['JP', 'JP', 'TH', 'SG', 'MY', 'KR', 'FR', 'IT', 'GB', 'AU', 'US-W', 'AE', 'HK', 'MO', 'VN', 'ID'].map((region, i) => ({ name: `hotel-${region.toLowerCase()}-${i}`, region, w: 1 + (i % 3) })),
], { ans: 0.55, dur: [90, 0.8], curve: 'office', weekend: 0.8, retries: 1, retryP: 0.4 });
entityPop('logistics', 2200, [
  { name: 'courier-hk-customs', region: 'HK', w: 3, clis: 4 },
  { name: 'forwarder-de', region: 'DE', w: 1 },
  { name: 'courier-us-brokerage', region: 'US-E', w: 1.5, clis: 2 },
  { name: 'forwarder-sg', region: 'SG', w: 1 },
  { name: 'forwarder-ae', region: 'AE', w: 1 },
  { name: 'courier-jp', region: 'JP', w: 1 },
  { name: 'shipping-agent-nl', region: 'NL', w: 0.7 },
], { ans: 0.45, dur: [100, 0.8], weekend: 0.2, retries: 2, retryP: 0.5, retryGap: 900, repeat: 0.15 });
entityPop('university', 1400, [
  { name: 'uni-au-admissions', region: 'AU', w: 3, clis: 2, burst: { n: 0.6, share: 0.5, len: 7200 } },
  { name: 'uni-gb-intl-office', region: 'GB', w: 2 },
  { name: 'uni-us-intl', region: 'US-E', w: 1 },
  { name: 'uni-ca-intl', region: 'CA-W', w: 1 },
  { name: 'uni-nz', region: 'NZ', w: 0.5 },
  { name: 'uni-my-campus', region: 'MY', w: 1 },
], { ans: 0.4, dur: [240, 0.9], curve: 'flat', weekend: 0.15, retries: 1, retryP: 0.5, retryGap: 1800 });
entityPop('recruitment', 1500, [
  { name: 'recruit-sg-agency', region: 'SG', w: 2, clis: 1, mobile: false },
  { name: 'recruit-hk-headhunter', region: 'HK', w: 2, clis: 3, mobile: true },
  { name: 'recruit-my-bpo', region: 'MY', w: 1.5 },
  { name: 'recruit-jp-agency', region: 'JP', w: 1 },
  { name: 'recruit-ae-crew', region: 'AE', w: 1, mobile: true },
], { ans: 0.32, dur: [150, 0.9], weekend: 0.1, retries: 1, retryP: 0.35, repeat: 0.05 });
entityPop('bank', 2000, [
  { name: 'bank-hk-cards', region: 'HK', w: 3, clis: 2 },
  { name: 'bank-hk-private', region: 'HK', w: 1 },
  { name: 'bank-mo-retail', region: 'MO', w: 1 },
  { name: 'bank-sg-wealth', region: 'SG', w: 1 },
  { name: 'broker-hk-ivr', region: 'HK', w: 1.5, ans: 0.7 },
], { ans: 0.55, dur: [110, 0.9], weekend: 0.3, retries: 1, retryP: 0.5, repeat: 0.3 });
// Outsourced customer service and outbound centres (games, e-commerce, telecom resellers, surveys).
entityPop('callcentre', 4000, [
  { name: 'cc-ph-ecommerce', region: 'PH', w: 3, clis: 6, trunks: 2 },
  { name: 'cc-my-gaming-support', region: 'MY', w: 2, clis: 2 },
  { name: 'cc-hk-insurance-renewals', region: 'HK', w: 2, clis: 1 },
  { name: 'cc-sg-survey', region: 'SG', w: 1, clis: 1 },
  { name: 'cc-us-edtech', region: 'US-W', w: 1.5, clis: 4 },
], { ans: 0.27, dur: [70, 1.0], curve: 'flat', weekend: 0.4, retries: 1, retryP: 0.3, repeat: 0.08, giveUp: 25 });
// Voice one-time passwords from A2P aggregators: pools of numbers, many callees, answered quickly,
// the code is read twice (20-40 s). The poster child of a legitimate robocall.
entityPop('otp', 5000, [
  { name: 'a2p-us-pool', region: 'US-E', w: 3, clis: 25, trunks: 3 },
  { name: 'a2p-gb-pool', region: 'GB', w: 2, clis: 12, trunks: 2, mobile: true },
  { name: 'a2p-tollfree', region: 'US-W', w: 1.5, clis: 6, cliGen: r => pick(r, TOLLFREE.slice(1, 2))(r) },
  { name: 'a2p-sg', region: 'SG', w: 1.5, clis: 8 },
  { name: 'a2p-ee-verify', region: 'EE', w: 1, clis: 10, mobile: true },
], { ans: 0.8, dur: [26, 0.3], ringMed: 5, curve: 'flat', calleeCurve: 'activity', weekend: 1, retries: 1, retryP: 0.5, retryGap: 60, repeat: 0.1, giveUp: 35 });
// Company PBXs: foreign subsidiaries/HQ calling Chinese offices and staff. One presented main
// number for the whole site, so one CLI carries many simultaneous calls. Some PBXs present a
// short pilot or a number without its last digits (legitimately odd).
entityPop('pbx', 6000, [
  { name: 'pbx-de-automotive', region: 'DE', w: 3, trunks: 2 },
  { name: 'pbx-us-semiconductor', region: 'US-W', w: 3, trunks: 2 },
  { name: 'pbx-jp-electronics', region: 'JP', w: 3 },
  { name: 'pbx-kr-chemicals', region: 'KR', w: 2 },
  { name: 'pbx-gb-bank-ops', region: 'GB', w: 1.5 },
  { name: 'pbx-fr-luxury', region: 'FR', w: 1 },
  { name: 'pbx-sg-regional-hq', region: 'SG', w: 2, clis: 2 },
  { name: 'pbx-nl-shortpilot', region: 'NL', w: 0.8, cliGen: r => '3120' + digits(r, 4) },   // truncated pilot
  { name: 'pbx-it-extension', region: 'IT', w: 0.6, cliGen: r => '3902' + digits(r, 8) + digits(r, 3) }, // main number + extension digits
], { ans: 0.75, dur: [420, 1.0], mobile: 0.45, weekend: 0.1, retries: 1, retryP: 0.5, repeat: 0.6, retryGap: 120 });
// Calling-card / VoIP-app gateways: one platform CLI for many users (or the user's number
// rewritten to the platform's), long answered calls to family.
entityPop('callingcard', 2800, [
  { name: 'voip-app-us', region: 'US-W', w: 2, clis: 3 },
  { name: 'cardco-gb', region: 'GB', w: 1, clis: 1 },
  { name: 'voip-app-au', region: 'AU', w: 1, clis: 2 },
], { ans: 0.7, dur: [420, 0.9], curve: 'family', calleeCurve: 'awake', weekend: 1.4, retries: 2, retryP: 0.6, retryGap: 60, repeat: 0.05 });

// Legitimate callers who withhold their number: some hospitals, law firms, police abroad, private persons.
pop('anonymous', false, 1400, (kind, n) => {
  const r = stream(kind);
  const regions = { GB: 3, DE: 3, FR: 2, 'US-E': 2, AU: 2, JP: 1, NL: 1, HK: 1 };
  for (let i = 0; i < n;) {
    const region = wpick(r, regions); const t0 = sampleTime(r, cdf('office', 'awake', C[region].tz, 0.6));
    const callee = r() < 0.85 ? cnMobile(r) : cnFixed(r); const trunk = trunkFor(r, region, false);
    let t = t0;
    for (let a = 0; a < 3; a++) { const res = outcome(r, ans(0.45), callee, { dur: [180, 1] }); call(kind, 'legit', '', t, 'anon:', region, callee, trunk, res, r); i++; if (res.status === 200 || r() < 0.5) break; t += lognorm(r, 200, 0.5); }
  }
});

// Call-backs: a Chinese subscriber rang a foreign number (outbound, not seen here), missed,
// and the foreign party returns the call: a first-time caller, once or twice, usually answered.
pop('callback', false, 1500, (kind, n) => {
  const r = stream(kind);
  const regions = { 'US-E': 2, 'US-W': 2, GB: 2, DE: 1, JP: 2, KR: 1, SG: 2, AU: 2, HK: 2, AE: 1, IN: 1, TH: 1 };
  for (let i = 0; i < n;) {
    const region = wpick(r, regions); const reg = C[region]; const caller = r() < 0.7 ? reg.mob(r) : reg.fix(r);
    const callee = r() < 0.9 ? cnMobile(r) : cnFixed(r); const trunk = trunkFor(r, region, false);
    let t = sampleTime(r, cdf('office', 'awake', reg.tz, 0.6));
    for (let a = 0; a < 2; a++) { const res = outcome(r, ans(0.82), callee, { dur: [140, 1] }); call(kind, 'legit', '', t, caller, region, callee, trunk, res, r); i++; if (res.status === 200) break; t += lognorm(r, 300, 0.6); }
  }
});

// ================================================================ fraud
// Wangiri: a block of numbers in a high-termination range, single ring (1-3 s) then cancel,
// sweeping numbering ranges in bursts (many unallocated numbers -> 404).
const WANGIRI_ORIGINS = ['TN', 'LV', 'EE', 'RS', 'AL', 'KM', 'SL', 'CI', 'PG', 'BY', 'MD', 'NG', 'MM'];
function sweep(r) { const base = pick(r, CN_MOB) + digits(r, 3); let i = I(r, 0, 9000); const step = pick(r, [1, 1, 3, 7, 11]); return () => { i = (i + step) % 100000; return '86' + base + String(i).padStart(5, '0'); }; }
pop('wangiri', true, 2600, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const region = pick(r, WANGIRI_ORIGINS); const reg = C[region];
    const blockBase = reg.mob(r).slice(0, -3); const clis = Array.from({ length: I(r, 1, 12) }, () => member(r, blockBase, 3));
    const trunk = trunkFor(r, region, true); const next = sweep(r);
    let t = sampleTime(r, cdf('flat', 'cnoffice', 8, 1)); const rate = U(r, 2, 14); const len = I(r, 80, 600);
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate;
      const callee = next(); const ring = U(r, 0.8, 3.2);
      let res;
      if (vacant(callee) || r() < 0.12) res = { status: 404, ring: U(r, 0.1, 0.8), duration: 0 };
      else if (r() < 0.03) res = { status: 200, ring: ring * 0.8, duration: I(r, 1, 4) };
      else res = { status: r() < 0.9 ? 487 : 486, ring, duration: 0 };
      call(kind, 'wangiri', `wangiri-${region}-${camp}`, t, pick(r, clis), region, callee, trunk, res, r);
    }
  }
});
// Evasive Wangiri: slower, random callees, ring times 4-12 s (long enough to look like a
// caller giving up), a big rotating block so no CLI is used more than a few times.
pop('wangiri-evasive', true, 1000, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const region = pick(r, WANGIRI_ORIGINS); const reg = C[region]; const blockBase = reg.mob(r).slice(0, -4);
    const trunks = [trunkFor(r, region, true), trunkFor(r, region, true)];
    let t = sampleTime(r, cdf('flat', 'cnoffice', 8, 1)) * 0.5; const rate = U(r, 0.3, 1.2); const len = I(r, 150, 450);
    let cli = member(r, blockBase, 4), uses = 0;
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate;
      if (++uses > I(r, 2, 5)) { cli = member(r, blockBase, 4); uses = 1; }
      const callee = cnMobile(r); const ring = U(r, 4, 12);
      let res = vacant(callee) ? { status: 404, ring: 0.5, duration: 0 } : blockedIntl(callee) ? { status: 603, ring: 0.4, duration: 0 } : r() < 0.1 ? { status: 200, ring: U(r, 3, ring), duration: I(r, 1, 5) } : r() < 0.15 ? { status: 603, ring: U(r, 2, ring), duration: 0 } : { status: 487, ring, duration: 0 };
      call(kind, 'wangiri', `wangiri-ev-${region}-${camp}`, t, cli, region, callee, pick(r, trunks), res, r);
    }
  }
});
// Premium-rate callback bait: 2-6 s rings from premium/international-network ranges.
pop('premium-bait', true, 700, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const [rn, gen] = pick(r, PREMIUM); const clis = Array.from({ length: I(r, 1, 6) }, () => gen(r));
    const trunk = trunkFor(r, 'GB', true); let t = sampleTime(r, cdf('flat', 'cnoffice', 8, 1)); const rate = U(r, 0.5, 6); const len = I(r, 40, 250);
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate; const callee = cnMobile(r); const ring = U(r, 2, 6);
      const res = vacant(callee) ? { status: 404, ring: 0.4, duration: 0 } : r() < 0.06 ? { status: 200, ring, duration: I(r, 1, 8) } : { status: 487, ring, duration: 0 };
      call(kind, 'premium-bait', `bait-${rn}-${camp}`, t, 'raw:' + fmtNum(pick(r, clis), TRUNKS[trunk].fmt === 'mixed' ? 'plus' : TRUNKS[trunk].fmt, TRUNKS[trunk].host), null, callee, trunk, res, r);
    }
  }
});
// Robocall / IVR campaigns ("your parcel is held at customs, press 1", fake e-commerce refunds):
// a handful of CLIs, fast dialling, answered calls mostly under 20 s, a few press-1 conversations.
pop('robocall', true, 2000, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const region = pick(r, ['US-E', 'US-W', 'CA-E', 'GB', 'PH', 'MY', 'TH', 'HK', 'AU']); const reg = C[region];
    const clis = Array.from({ length: I(r, 1, 8) }, () => reg.mob(r)); const trunk = trunkFor(r, region, true);
    let t = sampleTime(r, cdf('flat', 'scam', 8, 1)); const rate = U(r, 3, 20); const len = I(r, 100, 500);
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate; const callee = cnMobile(r);
      const press1 = r() < 0.12;
      const res = outcome(r, 0.3, callee, { dur: press1 ? [140, 0.7] : [9, 0.6], giveUp: U(r, 18, 30), ringMed: 6 });
      call(kind, 'robocall', `robo-${region}-${camp}`, t, pick(r, clis), region, callee, trunk, res, r);
    }
  }
});
// Spoofed Chinese caller IDs (police/bank/courier impersonation, "公检法" scams) from scam
// compounds abroad: mobile, fixed and service numbers; each CLI used a few times; answered
// calls are either short (recognised) or long (the scam).
pop('spoof-cn', true, 1600, (kind, n) => {
  const r = stream(kind);
  for (let i = 0; i < n;) {
    const sub = wpick(r, { mobile: 5, fixed: 3, service: 2 });
    const cli = sub === 'mobile' ? cnMobile(r) : sub === 'fixed' ? cnFixed(r) : '86' + (r() < 0.3 ? '400' + d1(r, '16789') + digits(r, 6) : pick(r, CN_SERVICE));
    const trunk = trunkFor(r, 'KH', true); const uses = I(r, 1, sub === 'service' ? 25 : 8);
    let t = sampleTime(r, cdf('flat', 'scam', 8, 1));
    for (let j = 0; j < uses && i < n; j++, i++) {
      t += lognorm(r, 240, 1); const callee = r() < 0.9 ? cnMobile(r) : cnFixed(r);
      const long = r() < 0.35;
      const res = outcome(r, 0.42, callee, { dur: long ? [900, 0.8] : [20, 0.7], maxDur: 5400 });
      let shown;
      const tf = TRUNKS[trunk].fmt; if (tf === 'mixed' && r() < 0.4) shown = 'raw:' + (/^861/.test(cli) ? cli.slice(2) : '0' + cli.slice(2)); // domestic format via grey route
      call(kind, 'spoof-cn', `spoof-${sub}`, t, shown ?? cli, 'CN', callee, trunk, res, r);
    }
  }
});
// Rotating CLIs from one block: each call a new number with the same leading digits.
pop('rotating-cli', true, 900, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const region = pick(r, ['US-W', 'GB', 'MY', 'PH', 'TH', 'VN', 'HK', 'AU', 'ID']); const base = C[region].mob(r).slice(0, -pick(r, [3, 4]));
    const tail = C[region].mob(r).length - base.length; const trunk = trunkFor(r, region, true);
    let t = sampleTime(r, cdf('flat', 'scam', 8, 1)); const rate = U(r, 0.5, 4); const len = I(r, 60, 300);
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate; const callee = cnMobile(r);
      const res = outcome(r, 0.2, callee, { dur: r() < 0.2 ? [400, 0.8] : [15, 0.7] });
      call(kind, 'rotating-cli', `rotate-${region}-${camp}`, t, member(r, base, tail), region, callee, trunk, res, r);
    }
  }
});
// Toll-free / UIFN caller IDs ("Apple support", "Amazon refunds"): a few CLIs, moderate rate.
pop('tollfree-cli', true, 350, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const clis = Array.from({ length: I(r, 1, 4) }, () => pick(r, TOLLFREE)(r)); const trunk = trunkFor(r, 'US-E', true);
    let t = sampleTime(r, cdf('flat', 'scam', 8, 1)); const len = I(r, 30, 150);
    for (let j = 0; j < len && i < n; j++, i++) {
      t += lognorm(r, 60, 0.8); const callee = cnMobile(r);
      const res = outcome(r, 0.25, callee, { dur: r() < 0.3 ? [300, 0.8] : [25, 0.6] });
      call(kind, 'tollfree-cli', `tollfree-${camp}`, t, pick(r, clis), 'US-E', callee, trunk, res, r);
    }
  }
});
// TDoS / fan-in: a flood on one victim (a company hotline, a debtor, a witness) from many CLIs.
pop('tdos', true, 700, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, ev = 0; i < n; ev++) {
    const victim = r() < 0.5 ? cnFixed(r) : cnMobile(r); const len = I(r, 120, 450); const rate = U(r, 4, 15);
    let t = sampleTime(r, cdf('flat', 'scam', 8, 1));
    const pool = Array.from({ length: I(r, 20, 200) }, () => { const reg = pick(r, ['US-E', 'GB', 'PH', 'MY', 'ID', 'VN', 'TH', 'IN', 'NG', 'BR']); return [C[reg].mob(r), reg]; });
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate; const [cli, region] = pick(r, pool); const trunk = trunkFor(r, region, true);
      const res = r() < 0.25 ? { status: 200, ring: U(r, 1, 6), duration: I(r, 1, 12) } : r() < 0.5 ? { status: 486, ring: U(r, 0.1, 1), duration: 0 } : { status: 487, ring: U(r, 1, 20), duration: 0 };
      call(kind, 'tdos', `tdos-${ev}`, t, cli, region, victim, trunk, res, r);
    }
  }
});
// Low-and-slow nuisance: debt-collection harassment and persistent scammers who keep each
// CLI under a few calls an hour to a handful of victims, all day.
pop('low-slow', true, 350, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, c = 0; i < n; c++) {
    const region = pick(r, ['PH', 'MY', 'KH', 'VN', 'ID', 'TH', 'HK', 'US-W']); const cli = C[region].mob(r);
    const victims = Array.from({ length: I(r, 1, 6) }, () => cnMobile(r)); const trunk = trunkFor(r, region, true);
    const k = I(r, 6, 24); const c0 = cdf('flat', 'scam', 8, 1);
    const ts = Array.from({ length: k }, () => sampleTime(r, c0)).sort((a, b) => a - b);
    for (const t of ts) { if (i >= n) break; const v = pick(r, victims); const res = outcome(r, 0.3, v, { dur: [20, 0.9] }); call(kind, 'low-slow', `lowslow-${region}-${c}`, t, cli, region, v, trunk, res, r); i++; }
  }
});
// Invalid / unallocated caller IDs: unassigned country codes, impossible NANP area codes,
// wrong lengths, test-looking strings.
const INVALID = [
  r => '28' + digits(r, 9), r => '42' + d1(r, '5679') + digits(r, 8), r => '969' + digits(r, 8), r => '990' + digits(r, 8),
  r => '1' + d1(r, '01') + digits(r, 9), r => '1' + pick(r, NANP['US-E']) + '555' + '01' + digits(r, 2),
  r => '44' + digits(r, 5), r => '86' + '1' + d1(r, '012') + digits(r, 9), r => '8613' + digits(r, 12), r => '0000' + digits(r, 6), r => '123456789',
];
pop('invalid-cli', true, 600, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, camp = 0; i < n; camp++) {
    const g = I(r, 0, INVALID.length - 1); const clis = Array.from({ length: I(r, 1, 15) }, () => INVALID[g](r)); const trunk = trunkFor(r, 'KH', true);
    let t = sampleTime(r, cdf('flat', 'scam', 8, 1)); const len = I(r, 20, 120); const rate = U(r, 0.5, 5);
    for (let j = 0; j < len && i < n; j++, i++) {
      t += -Math.log(1 - r()) * 60 / rate; const callee = cnMobile(r);
      const res = outcome(r, 0.3, callee, { dur: r() < 0.3 ? [600, 0.9] : [18, 0.7] });
      call(kind, 'invalid-cli', `invalid-${g}-${camp}`, t, 'raw:' + (TRUNKS[trunk].fmt === 'zz' ? '00' : TRUNKS[trunk].fmt === 'bare' ? '' : '+') + pick(r, clis), null, callee, trunk, res, r);
    }
  }
});
// Scam compounds (Cambodia, Myanmar, Laos, Philippines) on local SIMs: human callers, each SIM
// 30-150 calls across Beijing working hours, then discarded. Answered mostly short, some long.
pop('scam-centre', true, 1200, (kind, n) => {
  const r = stream(kind);
  for (let i = 0, s = 0; i < n; s++) {
    const region = wpick(r, { KH: 4, MM: 3, LA: 1, PH: 2, MY: 1, TH: 1, VN: 1 }); const cli = C[region].mob(r); const trunk = trunkFor(r, region, true);
    const k = I(r, 30, 150); const c0 = cdf('flat', 'scam', 8, 1); let t = sampleTime(r, c0);
    for (let j = 0; j < k && i < n; j++, i++) {
      t += lognorm(r, 240, 0.7); const callee = r() < 0.92 ? cnMobile(r) : cnFixed(r);
      const res = outcome(r, 0.22, callee, { dur: r() < 0.15 ? [800, 0.8] : [25, 0.8] });
      call(kind, 'scam-centre', `compound-${region}-${s}`, t, cli, region, callee, trunk, res, r);
    }
  }
});

// ---------------------------------------------------------------- run
if (opt.dumpNumbers) { // development aid: samples of every number generator, to check against a numbering database
  const r = stream('dump'); const o = {};
  for (const [k, c] of Object.entries(C)) for (const t of ['mob', 'fix', 'prem']) if (c[t]) o[`${k}.${t}`] = Array.from({ length: 400 }, () => c[t](r));
  o['CN.mob'] = Array.from({ length: 400 }, () => cnMobile(r)); o['CN.fix'] = Array.from({ length: 400 }, () => cnFixed(r));
  PREMIUM.forEach(([n, g]) => { o['PREM.' + n] = Array.from({ length: 100 }, () => g(r)); });
  TOLLFREE.forEach((g, i) => { o['TF.' + i] = Array.from({ length: 100 }, () => g(r)); });
  fs.writeFileSync(opt.out === '-' ? '/dev/stdout' : opt.out, JSON.stringify(o)); process.exit(0);
}
if (opt.list) { for (const p of POP) console.log(`${p.kind}\t${p.fraud ? 'fraud' : 'legit'}\t${p.daily}/day`); process.exit(0); }
for (const p of POP) p.fn(p.kind, Math.round(vol(p.kind, p.daily * (p.fraud || !HOL || ['family', 'roamer', 'personal', 'callingcard', 'anonymous', 'callback'].includes(p.kind) ? 1 : 0.25), p.fraud) * opt.hours / 24));
calls.sort((a, b) => a.t - b.t);
const fr = stream('format');
const out = opt.out === '-' ? process.stdout : fs.createWriteStream(opt.out);
const lines = ['timestamp,caller,callee,call_id,source,status,ring,duration,label,kind,entity'];
let seq = 0;
for (const c of calls) {
  const caller = fmtCaller(c.caller, c.region === 'CN' ? null : c.region, c.trunk, fr);
  const t = TRUNKS[c.trunk];
  const callee = fmtNum(c.callee, t.callee === 'mixed' ? 'plus' : t.callee, t.host);
  const id = `${(++seq).toString(36)}-${hashStr(opt.seed + seq).toString(16)}@${c.trunk}`;
  const ts = new Date(START + Math.round(c.t * 1000)).toISOString();
  const q = s => /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  lines.push([ts, q(caller), q(callee), id, c.trunk, c.status, c.ring.toFixed(1), c.duration, c.label, c.kind, c.entity].join(','));
  if (lines.length >= 5000) { out.write(lines.join('\n') + '\n'); lines.length = 0; }
}
out.write(lines.join('\n') + '\n');
if (out !== process.stdout) out.end();
const n = calls.length, f = calls.filter(c => c.label !== 'legit').length;
process.stderr.write(`traffic-c: ${n} calls, ${f} fraud (${(100 * f / n).toFixed(1)}%), seed ${opt.seed}, ${opt.hours} h, scale ${opt.scale}\n`);
