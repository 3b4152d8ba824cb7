#!/usr/bin/env node
// Synthetic inbound INTERNATIONAL call traffic at a UK carrier's international gateway.
// Independent model for back-testing call screening. Plain Node >= 20, ESM, no dependencies.
import { writeFileSync } from 'node:fs';

const HELP = `Usage: node gen.mjs [options]
  --seed N      PRNG seed (integer or string, default 1). Same seed => byte-identical output.
  --hours H     length of the window in hours (default 24), starting at UK local midnight
  --scale S     volume multiplier (default 1 => ~110-130k calls per 24 h)
  --start DATE  UK local start date YYYY-MM-DD (default 2024-10-15, a Tuesday in BST)
  --out FILE    output CSV path (default: stdout)
  --help        this text
CSV columns: timestamp,caller,callee,call_id,source,status,ring,duration,label,kind,entity`;

// ---------------------------------------------------------------- args
function parseArgs(argv) {
  const o = { seed: '1', hours: 24, scale: 1, start: '2024-10-15', out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) die(`missing value for ${a}`); return argv[++i]; };
    if (a === '--help' || a === '-h') { console.log(HELP); process.exit(0); }
    else if (a === '--seed') o.seed = val();
    else if (a === '--hours') o.hours = Number(val());
    else if (a === '--scale') o.scale = Number(val());
    else if (a === '--start') o.start = val();
    else if (a === '--out') o.out = val();
    else die(`unknown option ${a}`);
  }
  if (!(o.hours > 0) || !(o.scale > 0)) die('--hours and --scale must be > 0');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start)) die('--start must be YYYY-MM-DD');
  return o;
}
function die(m) { console.error(m + '\n\n' + HELP); process.exit(2); }

// ---------------------------------------------------------------- PRNG (sfc32 seeded by string hash)
function hash32(s) { let h = 2166136261 >>> 0; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
class Rng {
  constructor(seedStr) {
    let a = hash32(seedStr + '#a'), b = hash32(seedStr + '#b'), c = hash32(seedStr + '#c'), d = hash32(seedStr + '#d');
    this.next = () => { a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0; let t = (a + b) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0; return (t >>> 0) / 4294967296; };
    for (let i = 0; i < 16; i++) this.next();
    this.spare = null;
  }
  u() { return this.next(); }
  int(a, b) { return a + Math.floor(this.next() * (b - a + 1)); }
  chance(p) { return this.next() < p; }
  pick(arr) { return arr[Math.floor(this.next() * arr.length)]; }
  wpick(pairs) { let tot = 0; for (const p of pairs) tot += p[1]; let x = this.next() * tot; for (const p of pairs) { x -= p[1]; if (x < 0) return p[0]; } return pairs[pairs.length - 1][0]; }
  digits(n) { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(this.next() * 10); return s; }
  normal() { if (this.spare !== null) { const s = this.spare; this.spare = null; return s; } let u = 0; while (u === 0) u = this.next(); const v = this.next(); const m = Math.sqrt(-2 * Math.log(u)); this.spare = m * Math.sin(2 * Math.PI * v); return m * Math.cos(2 * Math.PI * v); }
  logn(median, sigma) { return median * Math.exp(sigma * this.normal()); }
  exp(mean) { return -mean * Math.log(1 - this.next()); }
  hex(n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)]; return s; }
  uuid() { return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(0, 3)]}${this.hex(3)}-${this.hex(12)}`; }
}
const clamp = (x, a, b) => Math.min(b, Math.max(a, x));

// ---------------------------------------------------------------- UK time
function lastSunday01UTC(y, m) { const d = new Date(Date.UTC(y, m + 1, 0)); return Date.UTC(y, m, d.getUTCDate() - d.getUTCDay(), 1); }
function ukOffsetMs(t) { const y = new Date(t).getUTCFullYear(); return (t >= lastSunday01UTC(y, 2) && t < lastSunday01UTC(y, 9)) ? 3600000 : 0; }
function ukLocal(t) { const l = new Date(t + ukOffsetMs(t)); return { h: l.getUTCHours() + l.getUTCMinutes() / 60 + l.getUTCSeconds() / 3600, dow: l.getUTCDay() }; }
function ukMidnight(y, m, d) { const g = Date.UTC(y, m, d); return g - ukOffsetMs(g); }

// Diurnal profiles, UK local hour 0..23 (relative weights)
const PR = {
  personal: [0.25, 0.12, 0.06, 0.04, 0.04, 0.08, 0.25, 0.6, 1.0, 1.2, 1.3, 1.35, 1.45, 1.45, 1.35, 1.35, 1.45, 1.7, 2.0, 2.2, 2.1, 1.7, 1.1, 0.55],
  business: [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.25, 1.1, 1.9, 2.1, 2.0, 1.5, 1.7, 1.9, 1.8, 1.6, 1.1, 0.5, 0.25, 0.12, 0.07, 0.04, 0.03],
  contact: [0, 0, 0, 0, 0, 0, 0, 0.05, 0.6, 1.5, 1.7, 1.7, 1.4, 1.5, 1.7, 1.7, 1.8, 1.9, 1.7, 1.3, 0.7, 0.1, 0, 0],
  otp: [0.25, 0.15, 0.08, 0.06, 0.06, 0.12, 0.35, 0.85, 1.3, 1.5, 1.5, 1.6, 1.8, 1.7, 1.5, 1.5, 1.5, 1.6, 1.8, 1.9, 1.8, 1.5, 1.0, 0.5],
  delivery: [0, 0, 0, 0, 0, 0, 0.05, 0.6, 1.5, 1.9, 2.0, 1.9, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.0, 0.8, 0.5, 0.1, 0, 0],
  wangiri: [1.6, 1.9, 1.9, 1.7, 1.3, 1.0, 0.7, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6, 0.6, 0.7, 0.9, 1.2, 1.4, 1.6, 1.6, 1.5, 1.5],
  robo: [0, 0, 0, 0, 0, 0, 0, 0.1, 0.8, 1.6, 1.8, 1.8, 1.4, 1.6, 1.8, 1.7, 1.6, 1.3, 1.0, 0.6, 0.3, 0.05, 0, 0],
  flat: new Array(24).fill(1),
};
const DAYF = { personal: [1.35, 1, 1, 1, 1, 1.05, 1.2], business: [0.06, 1, 1, 1, 1, 0.9, 0.15], contact: [0.08, 1, 1, 1, 1, 0.95, 0.45], otp: [0.8, 1, 1, 1, 1, 1, 0.9], delivery: [0.3, 1, 1, 1, 1, 1, 0.8], robo: [0.2, 1, 1, 1, 1, 0.9, 0.5], wangiri: [1.2, 1, 1, 1, 1, 1.1, 1.2], flat: [1, 1, 1, 1, 1, 1, 1] };
function prof(arr, h) { h = ((h % 24) + 24) % 24; const i = Math.floor(h), f = h - i; return arr[i] * (1 - f) + arr[(i + 1) % 24] * f; }
const simple = (name) => (h, d) => prof(PR[name], h) * DAYF[name][d];

// ---------------------------------------------------------------- numbering
// UK: NSN without leading 0 (10 digits)
const UK_MOB = [['71', 1], ['72', 1], ['73', 1], ['74', 1.2], ['75', 1.3], ['77', 1.5], ['78', 1.5], ['79', 1.6]];
const UK_GEO = [['20', 16], ['121', 4], ['161', 4], ['113', 2.5], ['114', 1.5], ['115', 1.5], ['116', 1.2], ['117', 1.8], ['118', 1], ['131', 1.5], ['141', 2], ['151', 1.8], ['191', 1.5], ['2380', 0.8], ['2392', 0.8], ['247', 0.8], ['2890', 1.2], ['2920', 1.2], ['1223', 0.7], ['1865', 0.6], ['1273', 0.7], ['1603', 0.6], ['1752', 0.5], ['1392', 0.5], ['1224', 0.5], ['1382', 0.4], ['1482', 0.5], ['1332', 0.4], ['1782', 0.5], ['1904', 0.4], ['1452', 0.4], ['1908', 0.5], ['1244', 0.3], ['1792', 0.4], ['1634', 0.5], ['1702', 0.5], ['1293', 0.4], ['1206', 0.3], ['1473', 0.4], ['1772', 0.4]];
const UK_NG = ['300', '303', '330', '333', '343', '344', '345', '370', '371', '372'];
function ukMobile(r) { return r.wpick(UK_MOB) + r.digits(8); }
function ukGeoIn(r, code) { const first = code === '20' ? r.pick(['3', '7', '8', '8']) : String(r.int(2, 8)); return code + first + r.digits(10 - code.length - 1); }
function ukGeo(r) { return ukGeoIn(r, r.wpick(UK_GEO)); }
function ukNonGeo(r) { return r.pick(UK_NG) + r.int(1, 9) + r.digits(6); }
function ukNum(r, m, g, n) { const x = r.u() * (m + g + n); return x < m ? ukMobile(r) : x < m + g ? ukGeo(r) : ukNonGeo(r); }
function ukArea(nsn) { for (const [c] of UK_GEO) if (nsn.startsWith(c) && c.length >= 3) return c; return nsn.startsWith('20') ? '20' : nsn.slice(0, 3); }

// Foreign countries: cc, offset vs UK local time (Oct, BST), national trunk prefix, region, mobile prefixes+length, land [prefix,len]
const CO = {
  IN: { cc: '91', off: 4.5, np: '0', reg: 'sa', mob: ['9', '8', '7', '6'], ml: 10, land: [['22', 10], ['11', 10], ['80', 10], ['44', 10], ['40', 10], ['33', 10], ['20', 10], ['124', 10], ['79', 10]] },
  PK: { cc: '92', off: 4, np: '0', reg: 'sa', mob: ['30', '31', '32', '33', '34'], ml: 10, land: [['21', 10], ['42', 10], ['51', 9], ['61', 9], ['91', 9]] },
  BD: { cc: '880', off: 5, np: '0', reg: 'sa', mob: ['13', '14', '15', '16', '17', '18', '19'], ml: 10, land: [['2', 9]] },
  LK: { cc: '94', off: 4.5, np: '0', reg: 'sa', mob: ['70', '71', '72', '75', '76', '77', '78'], ml: 9, land: [['11', 9]] },
  NG: { cc: '234', off: 0, np: '0', reg: 'wa', mob: ['803', '806', '813', '816', '703', '706', '810', '805', '807', '815', '905', '908', '802', '808', '812', '701', '902', '901', '904', '907', '912', '916'], ml: 10, land: [['1', 8], ['9', 8]] },
  GH: { cc: '233', off: -1, np: '0', reg: 'wa', mob: ['24', '54', '55', '59', '20', '50', '27', '57', '26', '56'], ml: 9, land: [['30', 9]] },
  KE: { cc: '254', off: 2, np: '0', reg: 'ea', mob: ['70', '71', '72', '79', '74', '11'], ml: 9, land: [['20', 9]] },
  ZA: { cc: '27', off: 1, np: '0', reg: 'ea', mob: ['82', '83', '84', '72', '73', '74', '76', '79', '60', '61', '71', '81'], ml: 9, land: [['21', 9], ['11', 9], ['31', 9], ['12', 9]] },
  ZW: { cc: '263', off: 1, np: '0', reg: 'ea', mob: ['71', '73', '77', '78'], ml: 9, land: [['242', 9]] },
  SO: { cc: '252', off: 2, np: '0', reg: 'ea', mob: ['61', '62', '63', '90', '68'], ml: 9, land: [['1', 8]] },
  ET: { cc: '251', off: 2, np: '0', reg: 'ea', mob: ['91', '92', '93', '94'], ml: 9, land: [['11', 9]] },
  EG: { cc: '20', off: 2, np: '0', reg: 'me', mob: ['10', '11', '12', '15'], ml: 10, land: [['2', 9]] },
  PL: { cc: '48', off: 1, np: '', reg: 'ee', mob: ['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'], ml: 9, land: [['22', 9], ['12', 9], ['61', 9], ['71', 9], ['58', 9], ['42', 9]] },
  RO: { cc: '40', off: 2, np: '0', reg: 'ee', mob: ['72', '73', '74', '75', '76', '77', '78'], ml: 9, land: [['21', 9], ['31', 9], ['264', 9], ['256', 9]] },
  LT: { cc: '370', off: 2, np: '8', reg: 'ee', mob: ['6'], ml: 8, land: [['5', 8], ['37', 8]] },
  UA: { cc: '380', off: 2, np: '0', reg: 'ee', mob: ['50', '66', '67', '68', '96', '97', '98', '63', '73', '93'], ml: 9, land: [['44', 9]] },
  CN: { cc: '86', off: 7, np: '0', reg: 'as', mob: ['13', '15', '18', '17', '19'], ml: 11, land: [['10', 10], ['21', 10], ['20', 10], ['755', 11]] },
  PH: { cc: '63', off: 7, np: '0', reg: 'as', mob: ['917', '915', '916', '927', '905', '906', '918', '919', '920', '921', '928', '929', '998', '999', '966', '977', '995', '956'], ml: 10, land: [['28', 9], ['32', 9]] },
  VN: { cc: '84', off: 6, np: '0', reg: 'as', mob: ['9', '3', '8', '7'], ml: 9, land: [['24', 10], ['28', 10]] },
  TH: { cc: '66', off: 6, np: '0', reg: 'as', mob: ['8', '9', '6'], ml: 9, land: [['2', 8]] },
  SG: { cc: '65', off: 7, np: '', reg: 'as', mob: ['8', '9'], ml: 8, land: [['6', 8]] },
  JP: { cc: '81', off: 8, np: '0', reg: 'as', mob: ['90', '80', '70'], ml: 10, land: [['3', 10], ['6', 10]] },
  AU: { cc: '61', off: 10, np: '0', reg: 'as', mob: ['4'], ml: 9, land: [['2', 9], ['3', 9]] },
  US: { cc: '1', off: -5, np: '1', reg: 'am', nanp: ['212', '646', '917', '718', '305', '786', '415', '408', '310', '213', '312', '773', '617', '202', '713', '214', '404', '206', '702', '512', '615', '480', '602', '303'] },
  CA: { cc: '1', off: -5, np: '1', reg: 'am', nanp: ['416', '647', '437', '604', '778', '514', '438', '613', '403', '587'] },
  JM: { cc: '1', off: -6, np: '1', reg: 'am', nanp: ['876'] },
  BR: { cc: '55', off: -4, np: '0', reg: 'am', mob: ['119', '219', '319', '419', '519', '619', '719', '819'], ml: 11, land: [['11', 10], ['21', 10]] },
  IE: { cc: '353', off: 0, np: '0', reg: 'ie', mob: ['83', '85', '86', '87', '89'], ml: 9, land: [['1', 8], ['21', 9], ['91', 9]] },
  DE: { cc: '49', off: 1, np: '0', reg: 'de', mob: ['151', '152', '157', '159', '160', '162', '163', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'], ml: 11, land: [['30', 10], ['40', 10], ['69', 10], ['89', 10], ['221', 10]] },
  FR: { cc: '33', off: 1, np: '0', reg: 'fr', mob: ['6', '7'], ml: 9, land: [['1', 9], ['4', 9], ['9', 9]] },
  ES: { cc: '34', off: 1, np: '', reg: 'es', mob: ['6', '7'], ml: 9, land: [['91', 9], ['93', 9], ['971', 9], ['952', 9], ['928', 9]] },
  PT: { cc: '351', off: 0, np: '', reg: 'es', mob: ['91', '92', '93', '96'], ml: 9, land: [['21', 9], ['289', 9]] },
  IT: { cc: '39', off: 1, np: '', reg: 'de', mob: ['3'], ml: 10, land: [['02', 10], ['06', 10], ['055', 10], ['081', 10]] },
  GR: { cc: '30', off: 2, np: '', reg: 'de', mob: ['69'], ml: 10, land: [['21', 10], ['2841', 10], ['2810', 10]] },
  NL: { cc: '31', off: 1, np: '0', reg: 'de', mob: ['6'], ml: 9, land: [['20', 9], ['10', 9], ['85', 9]] },
  CH: { cc: '41', off: 1, np: '0', reg: 'de', mob: ['76', '77', '78', '79'], ml: 9, land: [['44', 9], ['22', 9]] },
  HR: { cc: '385', off: 1, np: '0', reg: 'de', mob: ['91', '92', '95', '98', '99'], ml: 9, land: [['1', 8], ['21', 8]] },
  CY: { cc: '357', off: 2, np: '', reg: 'me', mob: ['96', '97', '99'], ml: 8, land: [['22', 8], ['26', 8]] },
  TR: { cc: '90', off: 2, np: '0', reg: 'me', mob: ['530', '532', '533', '535', '536', '538', '542', '543', '544', '505', '506', '507', '552', '553', '554', '555'], ml: 10, land: [['212', 10], ['242', 10]] },
  AE: { cc: '971', off: 3, np: '0', reg: 'me', mob: ['50', '52', '54', '55', '56', '58'], ml: 9, land: [['4', 8], ['2', 8]] },
  SA: { cc: '966', off: 2, np: '0', reg: 'me', mob: ['5'], ml: 9, land: [['11', 9]] },
};
// national significant number (no cc, no trunk prefix)
function natNum(r, c, mobile) {
  if (c.nanp) return r.pick(c.nanp) + r.int(2, 9) + r.digits(6);
  if (mobile) { const p = r.pick(c.mob); return p + r.digits(c.ml - p.length); }
  const [p, len] = r.pick(c.land); return p + r.int(2, 9) + r.digits(len - p.length - 1);
}
const foreign = (r, code, mobile) => CO[code].cc + natNum(r, CO[code], mobile);

// Wangiri / premium-ish / exotic ranges: [E.164 prefix, total digits]
const WANGIRI = [['88216', 13], ['88234', 12], ['8835100', 12], ['88213', 12], ['23276', 11], ['23277', 11], ['23230', 11], ['22462', 12], ['22466', 12], ['2222', 11], ['2223', 11], ['22507', 13], ['22505', 13], ['23177', 12], ['23188', 12], ['67455', 10], ['68890', 8], ['6825', 8], ['6777', 10], ['6757', 11], ['25261', 12], ['25290', 12], ['37529', 12], ['2693', 10], ['37360', 11], ['37379', 11], ['2165', 11], ['9607', 10]];
const UNASSIGNED_CC = ['210', '214', '215', '217', '219', '259', '280', '281', '289', '292', '293', '295', '296', '384', '422', '425', '426', '671', '693', '696', '801', '802', '805', '851', '854', '857', '871', '872', '873', '890', '895', '969', '990', '997', '999'];
function invalidCli(r) {
  switch (r.wpick([['badcc', 4], ['ukshort', 2], ['uklong', 1.5], ['cc0', 1], ['zeros', 0.7], ['junk', 1], ['nanp01', 1], ['uk05', 0.8], ['uk04', 0.5], ['uk09', 0.6], ['plus0', 0.3]])) {
    case 'badcc': return '+' + r.pick(UNASSIGNED_CC) + r.digits(r.int(7, 9));
    case 'ukshort': return '+44' + r.pick(['20', '121', '161', '7']) + r.digits(r.int(4, 6));
    case 'uklong': return '+447' + r.digits(r.int(10, 12));
    case 'cc0': return '+440' + r.digits(9);
    case 'zeros': return r.pick(['0000000000', '+440000000000', '00000']);
    case 'junk': return r.digits(r.int(3, 5));
    case 'nanp01': return '+1' + r.pick(['0', '1']) + r.digits(9);
    case 'uk05': return '+445' + r.digits(9);
    case 'uk04': return '+444' + r.digits(9);
    case 'uk09': return '+449' + r.pick(['09', '11', '83']) + r.digits(6);
    default: return '+0' + r.digits(r.int(8, 11));
  }
}

// ---------------------------------------------------------------- ingress trunks and their presentation habits
const TRUNKS = {
  'tata-lhr': { caller: [['plus', 0.85], ['bare', 0.15]], callee: [['+44', 0.9], ['0044', 0.1]], anon: 'anonymous' },
  'bics-bru': { caller: [['plus', 1]], callee: [['0044', 1]], anon: 'anonymous' },
  'orange-ics-par': { caller: [['00', 0.65], ['plus', 0.35]], callee: [['0044', 0.7], ['+44', 0.3]], anon: 'restricted' },
  'telefonica-mad': { caller: [['plus', 1]], callee: [['+44', 1]], anon: 'anonymous' },
  'dtag-fra': { caller: [['bare', 0.7], ['plus', 0.3]], callee: [['44', 1]], anon: '' },
  'pccw-hkg': { caller: [['plus', 0.95], ['bare', 0.05]], callee: [['+44', 1]], anon: 'Anonymous' },
  'lumen-nyc': { caller: [['plus', 1]], callee: [['+44', 1]], anon: 'anonymous' },
  'ibasis-ams': { caller: [['plus', 0.6], ['bare', 0.3], ['00', 0.1]], callee: [['0', 0.6], ['44', 0.4]], anon: 'unavailable' },
  'syniverse-ipx': { caller: [['plus', 1]], callee: [['+44', 0.8], ['0', 0.2]], anon: 'anonymous' },
  '203.0.113.45': { caller: [['bare', 0.5], ['plus', 0.4], ['00', 0.1]], callee: [['44', 0.5], ['0044', 0.3], ['0', 0.2]], anon: 'anonymous' },
};
const GREY = '203.0.113.45';
const ROUTE = {
  sa: [['tata-lhr', 0.66], ['bics-bru', 0.1], ['ibasis-ams', 0.14], [GREY, 0.1]],
  wa: [['bics-bru', 0.4], ['orange-ics-par', 0.3], ['ibasis-ams', 0.2], [GREY, 0.1]],
  ea: [['bics-bru', 0.5], ['orange-ics-par', 0.12], ['tata-lhr', 0.13], ['ibasis-ams', 0.15], [GREY, 0.1]],
  me: [['tata-lhr', 0.35], ['bics-bru', 0.35], ['ibasis-ams', 0.2], [GREY, 0.1]],
  ee: [['dtag-fra', 0.6], ['bics-bru', 0.2], ['ibasis-ams', 0.15], [GREY, 0.05]],
  de: [['dtag-fra', 0.6], ['bics-bru', 0.25], ['ibasis-ams', 0.15]],
  fr: [['orange-ics-par', 0.75], ['bics-bru', 0.15], ['ibasis-ams', 0.1]],
  es: [['telefonica-mad', 0.7], ['bics-bru', 0.2], ['ibasis-ams', 0.1]],
  ie: [['bics-bru', 0.5], ['lumen-nyc', 0.2], ['dtag-fra', 0.2], ['ibasis-ams', 0.1]],
  as: [['pccw-hkg', 0.65], ['tata-lhr', 0.15], ['ibasis-ams', 0.15], [GREY, 0.05]],
  am: [['lumen-nyc', 0.7], ['telefonica-mad', 0.1], ['ibasis-ams', 0.15], [GREY, 0.05]],
};
const FRAUD_TRUNKS = [[GREY, 4], ['ibasis-ams', 3], ['bics-bru', 1], ['tata-lhr', 1], ['orange-ics-par', 0.7], ['lumen-nyc', 0.5], ['dtag-fra', 0.4], ['pccw-hkg', 0.4]];
function pickTrunks(r, pairs, k) { const out = []; for (let i = 0; i < 20 && out.length < k; i++) { const t = r.wpick(pairs); if (!out.includes(t)) out.push(t); } return out; }

function fmtIntl(r, digits, trunk) { const st = r.wpick(TRUNKS[trunk].caller); return st === 'plus' ? '+' + digits : st === '00' ? '00' + digits : digits; }
function fmtCallee(r, nsn, trunk) { const st = r.wpick(TRUNKS[trunk].callee); return st === '0' ? '0' + nsn : st + nsn; }
const anon = (trunk) => TRUNKS[trunk].anon;

// ---------------------------------------------------------------- SIP outcome model
const LEGIT_FAIL = [['noans', 0.55], ['unreach', 0.16], ['486', 0.1], ['603', 0.08], ['404', 0.02], ['503', 0.03], ['403', 0.01], ['408', 0.01], ['484', 0.005], ['500', 0.005]];
// p: ans (human answer prob), nAns (for 03 callees), ringAns (median s), talk(r), nTalk(r), vm(r) duration if voicemail answers (null = never), patience(r), fail [[code,w]]
function outcome(r, nsn, p) {
  const ck = nsn[0] === '7' ? 'm' : nsn[0] === '3' ? 'n' : 'g';
  const ans = ck === 'n' && p.nAns != null ? p.nAns : p.ans;
  if (r.u() < ans) {
    const ring = clamp(r.logn(p.ringAns || 8, 0.5), 0.6, 40);
    const talk = ck === 'n' && p.nTalk ? p.nTalk : p.talk;
    return [200, ring, Math.max(1, Math.round(talk(r)))];
  }
  const f = r.wpick(p.fail || LEGIT_FAIL);
  const vmP = ck === 'm' ? 0.6 : ck === 'g' ? 0.25 : 0.05;
  switch (f) {
    case 'noans': {
      const pat = p.patience ? p.patience(r) : clamp(r.logn(35, 0.35), 8, 120);
      const vmAt = ck === 'm' ? 18 + r.u() * 12 : 15 + r.u() * 12;
      if (p.vm && pat > vmAt && r.u() < vmP) return [200, vmAt, Math.max(1, Math.round(p.vm(r)))];
      const timer = 58 + r.u() * 4; // terminating network no-answer timer
      if (pat >= timer) return [r.u() < 0.88 ? 480 : 408, timer, 0];
      return [487, pat, 0];
    }
    case 'unreach':
      if (ck === 'm' && p.vm && r.u() < 0.55) return [200, 0.8 + r.u() * 3, Math.max(1, Math.round(p.vm(r)))];
      return [480, 0.3 + r.u() * 4, 0];
    case '486': return [486, 0.2 + r.u() * 2.5, 0];
    case '603': return [603, clamp(r.logn(5, 0.6), 0.8, 30), 0];
    case '408': return [408, 32, 0];
    case '503': return [503, 0.05 + r.u() * 3, 0];
    default: return [Number(f), 0.05 + r.u() * 1.2, 0];
  }
}

// ---------------------------------------------------------------- context
function makeCtx(opt) {
  const [y, m, d] = opt.start.split('-').map(Number);
  const start = ukMidnight(y, m - 1, d);
  const end = start + Math.round(opt.hours * 3600000);
  // Populations are generated over whole UK days covering the window (so diurnal volume is right for partial windows);
  // emit() then keeps only calls inside [start, end).
  const days = Math.ceil(opt.hours / 24 - 1e-9); const genEnd = ukMidnight(y, m - 1, d + days);
  const C = { start, end, genEnd, V: opt.scale * days, scale: opt.scale, rows: [], cache: new Map(), y, m: m - 1, d };
  C.sampler = (key, fn) => {
    let s = C.cache.get(key);
    if (!s) {
      const M = Math.ceil((genEnd - start) / 60000); const cum = new Float64Array(M); let acc = 0;
      for (let i = 0; i < M; i++) { const L = ukLocal(start + i * 60000 + 30000); acc += Math.max(0, fn(L.h, L.dow)); cum[i] = acc; }
      s = { cum, total: acc, M }; C.cache.set(key, s);
    }
    return (r) => {
      const x = r.u() * s.total; let lo = 0, hi = s.M - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (s.cum[mid] > x) hi = mid; else lo = mid + 1; }
      return Math.min(start + lo * 60000 + r.u() * 60000, genEnd - 1);
    };
  };
  C.days = () => { // UK local days overlapping window
    const out = [];
    for (let i = 0; i < days; i++) { const mid = ukMidnight(y, m - 1, d + i); out.push({ mid, dow: new Date(Date.UTC(y, m - 1, d + i)).getUTCDay() }); }
    return out;
  };
  return C;
}
function emit(C, r, t, caller, nsn, trunk, o, label, kind, entity) {
  if (t < C.start || t >= C.end) return false;
  C.rows.push({ t: Math.floor(t), caller, callee: fmtCallee(r, nsn, trunk), id: r.uuid(), src: trunk, st: o[0], ring: o[1], dur: o[2], label, kind, entity: (entity || '').replace(/,/g, ';') });
  return true;
}
const cnt = (x) => Math.max(0, Math.round(x));
function campCount(r, mean) { let n = Math.floor(mean) + (r.u() < mean - Math.floor(mean) ? 1 : 0); if (r.u() < 0.3) n += r.u() < 0.5 ? -1 : 1; return Math.max(1, n); } // >=1 campaign per fraud type; volume comes from the split() budget
// split a (slightly noisy) daily budget of calls across k campaigns
function split(r, total, k) { const w = []; let sw = 0; for (let i = 0; i < k; i++) { const x = 0.35 + r.u(); w.push(x); sw += x; } const T = total * Math.exp(0.12 * r.normal()); return w.map((x) => cnt(T * x / sw)); }
const geomCount = (r, p, max) => { let s = 1; while (s < max && r.u() < p) s++; return s; };
function uniqName(set, name) { let n = name, i = 2; while (set.has(n)) n = `${name} #${i++}`; set.add(n); return n; }

const SURN = ['Hansen', 'Meyer', 'Dubois', 'Rossi', 'Novak', 'Kowalski', 'Sharma', 'Chen', 'Tanaka', 'Okafor', 'Silva', 'Garcia', 'Murphy', 'OBrien', 'Jansen', 'Schmidt', 'Laurent', 'Patel', 'Wong', 'Kim', 'Costa', 'Weber', 'Bianchi', 'Moreau', 'Fischer', 'Lindqvist', 'Petrov', 'Haddad', 'Nguyen', 'Mendes', 'Varga', 'Ito'];
const IND = ['Freight', 'Logistics', 'Components', 'Textiles', 'Software', 'Pharma', 'Trading', 'Engineering', 'Foods', 'Consulting', 'Shipping', 'Metals', 'Legal', 'Travel', 'Medical', 'Marine', 'Analytics'];
const SUFFIX = { US: 'Inc', DE: 'GmbH', FR: 'SAS', NL: 'BV', IE: 'Ltd', CH: 'AG', CN: 'Co Ltd', IN: 'Pvt Ltd', AE: 'LLC', JP: 'KK', AU: 'Pty Ltd', SG: 'Pte Ltd', ES: 'SL', IT: 'SpA', PL: 'Sp zoo', ZA: 'Pty Ltd', TR: 'AS', CA: 'Inc' };

// ================================================================ LEGIT POPULATIONS
function popFamily(r, C) {
  const mix = [['IN', 22], ['PK', 13], ['NG', 9], ['PL', 10], ['RO', 7], ['BD', 5], ['CN', 5], ['PH', 6], ['GH', 3], ['KE', 2], ['JM', 2], ['LT', 3], ['IE', 3], ['TR', 2.5], ['ZW', 1.5], ['LK', 1.5], ['SO', 1.5], ['US', 3], ['ZA', 2], ['AU', 1.5], ['VN', 1], ['BR', 1], ['UA', 2], ['EG', 1], ['ET', 1]];
  const P = { ans: 0.52, talk: (r) => clamp(r.logn(290, 0.95), 4, 7200), vm: (r) => r.u() < 0.6 ? 2 + r.u() * 5 : 12 + r.u() * 35, patience: (r) => clamp(r.logn(38, 0.35), 8, 120) };
  const n = cnt(15500 * C.V); const households = [];
  for (let i = 0; i < n; i++) {
    const code = r.wpick(mix), c = CO[code];
    const cli = c.cc + natNum(r, c, r.u() < 0.82);
    let callees;
    if (households.length > 50 && r.u() < 0.2) callees = r.pick(households);
    else { callees = []; const k = r.wpick([[1, 0.5], [2, 0.35], [3, 0.15]]); for (let j = 0; j < k; j++) callees.push(ukNum(r, 0.74, 0.26, 0)); households.push(callees); }
    const home = r.wpick(ROUTE[c.reg]);
    const samp = C.sampler('fam' + c.off, (h, d) => prof(PR.personal, h) * Math.pow(prof(PR.personal, h + c.off), 0.8) * DAYF.personal[d]);
    const s = geomCount(r, 0.45, 14);
    for (let j = 0; j < s; j++) {
      let t = samp(r), callee = r.pick(callees);
      for (let a = 0; a < 4; a++) {
        const tr = r.u() < 0.85 ? home : r.wpick(ROUTE[c.reg]);
        const o = outcome(r, callee, P);
        emit(C, r, t, fmtIntl(r, cli, tr), callee, tr, o, 'legit', 'diaspora_family', '');
        if (o[0] === 200) {
          if (o[2] >= 20 && r.u() < 0.05) { // dropped international leg -> immediate redial
            const t2 = t + (o[1] + o[2]) * 1000 + 5000 + r.u() * 40000;
            emit(C, r, t2, fmtIntl(r, cli, tr), callee, tr, outcome(r, callee, { ...P, ans: 0.85 }), 'legit', 'diaspora_family', '');
          }
          break;
        }
        if (r.u() > 0.5) break;
        t += o[1] * 1000 + 20000 + r.exp(200000);
        if (callees.length > 1 && r.u() < 0.3) callee = r.pick(callees);
      }
    }
  }
}

function popContactCentre(r, C) {
  const ENT = [
    { name: 'BrightGrid Energy (Pune CC)', co: 'IN', land: '20', ncli: 12, calls: 5200, trunks: [['tata-lhr', 0.9], ['bics-bru', 0.1]] },
    { name: 'Albion Broadband (Manila CC)', co: 'PH', land: '28', ncli: 10, calls: 4200, trunks: [['pccw-hkg', 0.85], ['tata-lhr', 0.15]] },
    { name: 'Northway Insurance (Cape Town CC)', co: 'ZA', land: '21', ncli: 8, calls: 3000, trunks: [['bics-bru', 0.7], ['orange-ics-par', 0.3]] },
    { name: 'Sterling Collections (Gurugram CC)', co: 'IN', land: '124', ncli: 6, calls: 2400, trunks: [['tata-lhr', 1]] },
    { name: 'Harbour Mobile retention (Cebu CC)', co: 'PH', land: '32', ncli: 6, calls: 1800, trunks: [['pccw-hkg', 1]] },
    { name: 'Kingsley Utilities (Mumbai CC presenting UK 03 CLI)', co: 'IN', uk03: true, ncli: 4, calls: 900, trunks: [['tata-lhr', 1]] },
  ];
  const P = { ans: 0.32, ringAns: 9, talk: (r) => clamp(r.logn(170, 0.9), 8, 3600), vm: (r) => 2 + r.u() * 4, patience: (r) => 20 + r.u() * 10,
    fail: [['noans', 0.62], ['unreach', 0.12], ['486', 0.07], ['603', 0.08], ['404', 0.04], ['410', 0.01], ['503', 0.02], ['484', 0.01]] };
  const samp = C.sampler('contact', simple('contact'));
  for (const e of ENT) {
    const c = CO[e.co];
    const clis = [];
    for (let i = 0; i < e.ncli; i++) {
      if (e.uk03) clis.push('44' + r.pick(['330', '333', '345']) + r.int(1, 9) + r.digits(6));
      else { const [, len] = c.land.find(([p]) => p === e.land) || [e.land, 9]; clis.push(c.cc + e.land + r.int(2, 7) + r.digits(len - e.land.length - 1)); }
    }
    const N = cnt(e.calls * C.V); let made = 0;
    while (made < N) {
      const callee = ukNum(r, 0.72, 0.28, 0);
      let t = samp(r);
      for (let a = 0; a < 3 && made < N; a++) {
        const tr = r.wpick(e.trunks); const o = outcome(r, callee, P); made++;
        emit(C, r, t, fmtIntl(r, r.pick(clis), tr), callee, tr, o, 'legit', 'offshore_contact_centre', e.name);
        if (o[0] === 200 && (o[2] > 8 || r.u() < 0.5)) break;
        if ([404, 410, 484].includes(o[0])) break;
        t += (2 + r.u() * 3) * 3600000; // re-attempt later in the campaign
        const L = ukLocal(t); if (L.h > 20.5) break;
      }
    }
  }
}

function popBusiness(r, C) {
  const mix = [['US', 20], ['DE', 12], ['FR', 9], ['NL', 6], ['IE', 8], ['CH', 3], ['CN', 6], ['IN', 8], ['AE', 4], ['JP', 2], ['AU', 2], ['SG', 3], ['ES', 4], ['IT', 4], ['PL', 3], ['ZA', 2], ['TR', 2], ['CA', 4]];
  const P = { ans: 0.66, nAns: 0.9, ringAns: 7, talk: (r) => clamp(r.logn(200, 1.0), 5, 5400), nTalk: (r) => clamp(r.logn(330, 0.8), 20, 3600), vm: (r) => 5 + r.u() * 40 };
  const names = new Set(); const n = cnt(170 * C.V);
  for (let i = 0; i < n; i++) {
    const code = r.wpick(mix), c = CO[code];
    const name = uniqName(names, `${r.pick(SURN)} ${r.pick(IND)} ${SUFFIX[code]} (${code})`);
    const base = c.cc + natNum(r, c, false); const clis = [base];
    const k = r.int(0, 2); for (let j = 0; j < k; j++) clis.push(base.slice(0, -2) + r.digits(2));
    const contacts = []; const nc = r.int(3, 25); for (let j = 0; j < nc; j++) contacts.push(ukNum(r, 0.15, 0.65, 0.2));
    const withheld = r.u() < 0.05; const home = r.wpick(ROUTE[c.reg]);
    const samp = C.sampler('biz' + c.off, (h, d) => prof(PR.business, h) * (0.15 + prof(PR.business, h + c.off)) * DAYF.business[d]);
    const calls = cnt(clamp(r.logn(25, 0.9), 1, 400));
    for (let j = 0; j < calls; j++) {
      let t = samp(r); const callee = r.pick(contacts);
      for (let a = 0; a < 3; a++) {
        const tr = r.u() < 0.9 ? home : r.wpick(ROUTE[c.reg]); const o = outcome(r, callee, P);
        emit(C, r, t, withheld ? anon(tr) : fmtIntl(r, r.pick(clis), tr), callee, tr, o, 'legit', 'business_direct', name);
        if (o[0] === 200 || r.u() > 0.4) break;
        t += o[1] * 1000 + 300000 + r.u() * 1500000;
      }
    }
  }
}

function popPbx(r, C) {
  const mix = [['US', 3], ['DE', 3], ['FR', 2], ['IN', 2], ['ES', 1], ['IT', 1], ['NL', 1], ['PL', 1], ['CN', 1], ['ZA', 1], ['LT', 1], ['AE', 1]];
  const QUIRKS = ['ext_semicolon', 'ext_appended', 'national_origin', 'double_cc', 'ext_only', 'dashes', 'outside_line_9'];
  const P = { ans: 0.65, nAns: 0.88, talk: (r) => clamp(r.logn(190, 1.0), 5, 4000), vm: (r) => 5 + r.u() * 30 };
  const names = new Set(); const n = cnt(13 * C.scale);
  for (let i = 0; i < n; i++) {
    const code = r.wpick(mix), c = CO[code]; const q = QUIRKS[i % QUIRKS.length];
    const name = uniqName(names, `${r.pick(SURN)} ${r.pick(IND)} ${SUFFIX[code]} (${code}) PBX ${q}`);
    const nsn = natNum(r, c, false); const e164 = c.cc + nsn;
    const exts = []; for (let j = 0; j < r.int(3, 12); j++) exts.push(String(r.int(100, 4999)));
    const home = r.wpick(ROUTE[c.reg]); const contacts = []; for (let j = 0; j < r.int(5, 40); j++) contacts.push(ukNum(r, 0.25, 0.6, 0.15));
    const samp = C.sampler('biz' + c.off, (h, d) => prof(PR.business, h) * (0.15 + prof(PR.business, h + c.off)) * DAYF.business[d]);
    const calls = cnt(clamp(r.logn(95, 0.6), 10, 600) * C.V / C.scale);
    for (let j = 0; j < calls; j++) {
      const t = samp(r); const callee = r.pick(contacts); const tr = home; const ext = r.pick(exts);
      let cli;
      if (r.u() < 0.15) cli = fmtIntl(r, e164, tr); // some calls go out a correctly configured route
      else switch (q) {
        case 'ext_semicolon': cli = '+' + e164 + ';ext=' + ext; break;
        case 'ext_appended': cli = '+' + e164 + ext; break;
        case 'national_origin': cli = (c.np === '1' ? '' : c.np) + nsn; break;
        case 'double_cc': cli = '+' + c.cc + e164; break;
        case 'ext_only': cli = ext; break;
        case 'dashes': cli = '+' + c.cc + '-' + nsn.slice(0, 3) + '-' + nsn.slice(3, 6) + '-' + nsn.slice(6); break;
        default: cli = '9' + (c.np === '1' ? '1' : c.np) + nsn;
      }
      emit(C, r, t, cli, callee, tr, outcome(r, callee, P), 'legit', 'pbx_misconfig', name);
    }
  }
}

function popNotify(r, C) {
  const ENT = [
    { name: 'Meridian Bank OTP voice (IE CPaaS)', co: 'IE', ncli: 3, calls: 4200, prof: 'otp', otp: true, trunks: [['bics-bru', 0.6], ['lumen-nyc', 0.4]] },
    { name: 'Castle Building Society alerts (US CPaaS)', co: 'US', ncli: 2, calls: 1500, prof: 'otp', otp: true, trunks: [['lumen-nyc', 0.8], ['syniverse-ipx', 0.2]] },
    { name: 'ParcelJet delivery IVR (NL)', co: 'NL', ncli: 4, calls: 3000, prof: 'delivery', trunks: [['dtag-fra', 0.5], ['bics-bru', 0.5]] },
    { name: 'QuickDrop courier (DE)', co: 'DE', ncli: 2, calls: 2000, prof: 'delivery', trunks: [['dtag-fra', 1]] },
    { name: 'Fortis Card fraud alerts (IN)', co: 'IN', ncli: 3, calls: 1500, prof: 'otp', otp: true, trunks: [['tata-lhr', 1]] },
    { name: 'Nimbus CPaaS (UK mobile CLIs via DE)', ukmob: true, ncli: 40, calls: 900, prof: 'otp', otp: true, trunks: [['syniverse-ipx', 0.5], ['dtag-fra', 0.5]] },
  ];
  const FAIL = [['noans', 0.55], ['unreach', 0.25], ['486', 0.1], ['603', 0.05], ['404', 0.02], ['503', 0.02], ['403', 0.01]];
  for (const e of ENT) {
    const clis = []; for (let i = 0; i < e.ncli; i++) clis.push(e.ukmob ? '44' + ukMobile(r) : foreign(r, e.co, false));
    const P = e.otp
      ? { ans: 0.6, ringAns: 5, talk: (r) => clamp(r.logn(28, 0.3), 10, 120), vm: (r) => 2 + r.u() * 3, patience: (r) => 30 + r.u() * 10, fail: FAIL }
      : { ans: 0.45, ringAns: 8, talk: (r) => clamp(r.logn(45, 0.5), 10, 300), vm: (r) => 15 + r.u() * 10, patience: (r) => 25 + r.u() * 10, fail: FAIL };
    const samp = C.sampler(e.prof, simple(e.prof)); const N = cnt(e.calls * C.V); let made = 0; const recent = [];
    while (made < N) {
      const callee = recent.length > 20 && r.u() < 0.05 ? r.pick(recent) : ukNum(r, 0.93, 0.07, 0); recent.push(callee); if (recent.length > 500) recent.shift();
      let t = samp(r);
      for (let a = 0; a < 3 && made < N; a++) {
        const tr = r.wpick(e.trunks); const o = outcome(r, callee, P); made++;
        emit(C, r, t, fmtIntl(r, r.pick(clis), tr), callee, tr, o, 'legit', 'notification_otp', e.name);
        if (o[0] === 200 && o[2] > 8) break;
        if (r.u() > (a === 0 ? 0.6 : 0.3)) break;
        t += o[1] * 1000 + (e.otp ? 45000 + r.u() * 75000 : 1800000 + r.u() * 5400000);
      }
    }
  }
}

function popRoamer(r, C) {
  const visited = [['ES', 24], ['FR', 11], ['PT', 8], ['GR', 7], ['IT', 8], ['US', 8], ['TR', 6], ['AE', 5], ['DE', 4], ['NL', 3], ['CY', 3], ['HR', 3], ['TH', 2], ['IE', 2], ['AU', 1.5], ['CA', 1.5], ['PL', 1.5], ['JP', 0.5], ['SG', 1]];
  const RR = { es: [['telefonica-mad', 0.55], ['syniverse-ipx', 0.25], ['bics-bru', 0.2]], fr: [['orange-ics-par', 0.7], ['syniverse-ipx', 0.3]], am: [['lumen-nyc', 0.5], ['syniverse-ipx', 0.5]], de: [['dtag-fra', 0.45], ['bics-bru', 0.3], ['syniverse-ipx', 0.25]], ee: [['dtag-fra', 0.45], ['bics-bru', 0.3], ['syniverse-ipx', 0.25]], me: [['bics-bru', 0.5], ['syniverse-ipx', 0.5]], as: [['pccw-hkg', 0.5], ['syniverse-ipx', 0.5]], ie: [['bics-bru', 0.6], ['syniverse-ipx', 0.4]] };
  const P = { ans: 0.62, nAns: 0.9, talk: (r) => clamp(r.logn(140, 1.0), 3, 5400), nTalk: (r) => clamp(r.logn(420, 0.8), 20, 4000), vm: (r) => r.u() < 0.5 ? 2 + r.u() * 5 : 10 + r.u() * 30 };
  const n = cnt(4200 * C.V);
  for (let i = 0; i < n; i++) {
    const code = r.wpick(visited), c = CO[code]; const cli = '44' + ukMobile(r);
    const callees = []; const k = r.wpick([[1, 0.35], [2, 0.35], [3, 0.2], [4, 0.1]]); for (let j = 0; j < k; j++) callees.push(ukNum(r, 0.6, 0.35, 0.05));
    const routes = RR[c.reg]; const home = r.wpick(routes);
    const samp = C.sampler('roam' + c.off, (h, d) => prof(PR.personal, h) * Math.pow(prof(PR.personal, h + c.off), 0.8) * DAYF.personal[d]);
    const s = geomCount(r, 0.45, 10);
    for (let j = 0; j < s; j++) {
      let t = samp(r); const callee = r.pick(callees);
      for (let a = 0; a < 3; a++) {
        const tr = r.u() < 0.9 ? home : r.wpick(routes); const o = outcome(r, callee, P);
        emit(C, r, t, fmtIntl(r, cli, tr), callee, tr, o, 'legit', 'uk_roamer', '');
        if (o[0] === 200 || r.u() > 0.5) break;
        t += o[1] * 1000 + 30000 + r.exp(180000);
      }
    }
  }
}

function popConference(r, C) {
  const ENT = [{ name: 'MeetWave bridge dial-out (US)', co: 'US', w: 0.5, tr: [['lumen-nyc', 1]] }, { name: 'ConfHub EU dial-out (DE)', co: 'DE', w: 0.35, tr: [['dtag-fra', 0.8], ['bics-bru', 0.2]] }, { name: 'AsiaBridge dial-out (SG)', co: 'SG', w: 0.15, tr: [['pccw-hkg', 1]] }];
  for (const e of ENT) e.clis = [foreign(r, e.co, false), foreign(r, e.co, false)];
  const P = { ans: 0.82, ringAns: 6, talk: () => 0, vm: (r) => 2 + r.u() * 3, patience: (r) => 30 + r.u() * 15, fail: [['noans', 0.5], ['unreach', 0.2], ['486', 0.15], ['603', 0.1], ['503', 0.05]] };
  const samp = C.sampler('business', simple('business')); const n = cnt(185 * C.V);
  for (let i = 0; i < n; i++) {
    const e = r.wpick(ENT.map((x) => [x, x.w]));
    let t0 = samp(r); t0 = Math.round(t0 / 1800000) * 1800000 + r.u() * 60000; // meetings start on :00 / :30
    const len = r.pick([30, 45, 60, 60, 90]) * 60 + r.normal() * 120;
    const k = r.int(2, 10);
    for (let j = 0; j < k; j++) {
      const callee = ukNum(r, 0.6, 0.4, 0); let t = t0 + r.u() * 90000; const tr = r.wpick(e.tr); const cli = r.pick(e.clis);
      for (let a = 0; a < 2; a++) {
        const o = outcome(r, callee, P);
        if (o[0] === 200 && o[2] <= 1) o[2] = Math.max(10, Math.round(r.u() < 0.2 ? len * r.u() : len - (t - t0) / 1000 + r.normal() * 60));
        emit(C, r, t, fmtIntl(r, cli, tr), callee, tr, o, 'legit', 'conference_bridge', e.name);
        if (o[0] === 200 || r.u() > 0.5) break;
        t += o[1] * 1000 + 30000 + r.u() * 30000;
      }
    }
  }
}

function popHotel(r, C) {
  const mix = [['ES', 20], ['PT', 8], ['GR', 10], ['IT', 8], ['FR', 6], ['TR', 8], ['CY', 5], ['HR', 4], ['AE', 8], ['US', 6], ['TH', 4], ['EG', 5]];
  const P = { ans: 0.6, talk: (r) => clamp(r.logn(200, 0.9), 5, 3600), vm: (r) => r.u() < 0.5 ? 3 : 15 + r.u() * 25 };
  const names = new Set(); const n = cnt(70 * C.V);
  for (let i = 0; i < n; i++) {
    const code = r.wpick(mix), c = CO[code];
    const name = uniqName(names, `${r.pick(['Hotel', 'Resort', 'Aparthotel', 'Suites'])} ${r.pick(['Mar', 'Sol', 'Palm', 'Olive', 'Azure', 'Coral', 'Bay', 'Marina', 'Sunset', 'Harbour', 'Aegean', 'Vista', 'Paradise'])} ${r.pick(['Beach', 'Park', 'Plaza', 'Palace', 'Gardens', 'View', 'Sands'])} (${code})`);
    const nsn = natNum(r, c, false); const e164 = c.cc + nsn; const q = r.wpick([['plain', 0.55], ['room_appended', 0.2], ['ext_semicolon', 0.1], ['national', 0.15]]);
    const home = r.wpick(ROUTE[c.reg]); const samp = C.sampler('roam' + c.off, (h, d) => prof(PR.personal, h) * Math.pow(prof(PR.personal, h + c.off), 0.8) * DAYF.personal[d]);
    const guests = []; const calls = cnt(clamp(r.logn(12, 0.6), 1, 80));
    for (let j = 0; j < calls; j++) {
      let g; if (guests.length && r.u() < 0.3) g = r.pick(guests); else { g = { room: String(r.int(1, 6)) + String(r.int(1, 40)).padStart(2, '0'), callee: ukNum(r, 0.55, 0.45, 0) }; guests.push(g); }
      const t = samp(r); const tr = home;
      const cli = q === 'plain' ? fmtIntl(r, e164, tr) : q === 'room_appended' ? '+' + e164 + g.room : q === 'ext_semicolon' ? '+' + e164 + ';ext=' + g.room : (c.np === '1' ? '' : c.np) + nsn;
      emit(C, r, t, cli, g.callee, tr, outcome(r, g.callee, P), 'legit', 'hotel', name);
    }
  }
}

function popOtt(r, C) {
  const mix = [['NG', 12], ['GH', 5], ['PK', 12], ['IN', 12], ['BD', 7], ['AE', 8], ['SA', 5], ['EG', 4], ['SO', 4], ['ET', 3], ['KE', 3], ['ZW', 3], ['PH', 4], ['LK', 2], ['US', 3], ['TR', 3], ['UA', 3], ['RO', 3], ['PL', 3]];
  const PLAT = [
    { name: 'RingOut app', w: 0.35, generic: [] }, { name: 'VoxSaver app', w: 0.25, generic: [] },
    { name: 'CallHome calling card', w: 0.2, generic: [], card: true }, { name: 'DialPak calling card', w: 0.2, generic: [], card: true },
  ];
  for (const p of PLAT) { const k = r.int(2, 5); for (let i = 0; i < k; i++) p.generic.push(r.u() < 0.5 ? '372' + '5' + r.digits(7) : foreign(r, 'US', false)); p.access = {}; }
  const TR = [['ibasis-ams', 0.45], [GREY, 0.35], ['bics-bru', 0.1], ['tata-lhr', 0.1]];
  const P = { ans: 0.48, talk: (r) => clamp(r.logn(210, 1.0), 2, 5400), vm: (r) => r.u() < 0.6 ? 2 + r.u() * 4 : 10 + r.u() * 30,
    fail: [['noans', 0.45], ['unreach', 0.15], ['486', 0.08], ['603', 0.05], ['503', 0.12], ['500', 0.03], ['488', 0.04], ['404', 0.03], ['408', 0.05]] };
  const n = cnt(4000 * C.V);
  for (let i = 0; i < n; i++) {
    const code = r.wpick(mix), c = CO[code]; const plat = r.wpick(PLAT.map((p) => [p, p.w]));
    const own = c.cc + natNum(r, c, true);
    const mode = r.wpick([['own', 0.75], ['generic', 0.15], [plat.card ? 'access' : 'own', 0.1]]);
    if (!plat.access[code]) plat.access[code] = c.cc + natNum(r, c, false);
    const cli = mode === 'own' ? own : mode === 'generic' ? r.pick(plat.generic) : plat.access[code];
    const callees = []; for (let j = 0; j < r.int(1, 3); j++) callees.push(ukNum(r, 0.8, 0.2, 0));
    const samp = C.sampler('fam' + c.off, (h, d) => prof(PR.personal, h) * Math.pow(prof(PR.personal, h + c.off), 0.8) * DAYF.personal[d]);
    const s = geomCount(r, 0.6, 20);
    for (let j = 0; j < s; j++) {
      let t = samp(r); const callee = r.pick(callees);
      for (let a = 0; a < 4; a++) {
        const tr = r.wpick(TR); const o = outcome(r, callee, P);
        if (o[0] === 200 && r.u() < 0.08) o[2] = r.int(1, 10); // poor route quality: call drops early
        emit(C, r, t, fmtIntl(r, cli, tr), callee, tr, o, 'legit', 'ott_breakout', plat.name);
        if (o[0] === 200 && o[2] > 10) break;
        if (o[0] !== 200 && r.u() > 0.55) break;
        t += (o[1] + o[2]) * 1000 + 5000 + r.exp(90000);
      }
    }
  }
}

function popWithheld(r, C) {
  const mix = [['IN', 10], ['PK', 6], ['NG', 6], ['US', 10], ['DE', 5], ['FR', 5], ['IE', 5], ['ES', 5], ['AE', 4], ['PL', 4], ['CN', 3], ['PH', 3], ['ZA', 3], ['AU', 2], ['CH', 2], ['NL', 3]];
  const P = { ans: 0.42, talk: (r) => clamp(r.logn(150, 1.0), 3, 3600), vm: (r) => r.u() < 0.5 ? 3 : 10 + r.u() * 30,
    fail: [['noans', 0.48], ['603', 0.18], ['433', 0.1], ['486', 0.07], ['unreach', 0.12], ['503', 0.03], ['404', 0.02]] };
  const n = cnt(2300 * C.V);
  for (let i = 0; i < n; i++) {
    const code = r.wpick(mix), c = CO[code]; const callee = ukNum(r, 0.6, 0.35, 0.05); const home = r.wpick(ROUTE[c.reg]);
    const samp = C.sampler('wh' + c.off, (h, d) => prof(PR.personal, h) * (0.2 + prof(PR.personal, h + c.off)) * DAYF.personal[d]);
    const s = geomCount(r, 0.3, 6);
    for (let j = 0; j < s; j++) {
      let t = samp(r);
      for (let a = 0; a < 3; a++) {
        const o = outcome(r, callee, P); emit(C, r, t, anon(home), callee, home, o, 'legit', 'withheld', '');
        if (o[0] === 200 || o[0] === 433 || r.u() > 0.3) break;
        t += o[1] * 1000 + 60000 + r.exp(300000);
      }
    }
  }
}

// ================================================================ FRAUD / NUISANCE POPULATIONS
function popWangiri(r, C) {
  const nc = campCount(r, 3.5 * C.V); const samp = C.sampler('wangiri', simple('wangiri')); const sizes = split(r, 2800 * C.V, nc);
  for (let k = 0; k < nc; k++) {
    const [pre, len] = r.pick(WANGIRI);
    const bsize = r.pick([10, 20, 50, 100, 200, 300]); const fixed = pre + r.digits(Math.max(0, len - pre.length - 3)); const st = r.int(0, 999 - Math.min(bsize, 999));
    const clis = []; for (let i = 0; i < bsize; i++) clis.push((fixed + String(st + i).padStart(3, '0')).slice(0, len));
    const entity = `wangiri-${k + 1} +${pre}`; const trs = pickTrunks(r, FRAUD_TRUNKS, r.int(1, 2));
    const N = sizes[k]; const waves = r.int(1, 4); const seq = r.u() < 0.5;
    const sweep = r.u() < 0.6; let sweepBase = '', sweepPos = 0;
    const hit = [];
    for (let w = 0; w < waves; w++) {
      const t0 = samp(r); const D = (5 + r.u() * 35) * 60000; const nw = Math.round(N / waves);
      const times = []; for (let i = 0; i < nw; i++) times.push(t0 + r.u() * D); times.sort((a, b) => a - b);
      for (let i = 0; i < nw; i++) {
        let callee, unalloc;
        if (hit.length > 50 && r.u() < 0.1) { callee = r.pick(hit); unalloc = false; }
        else if (sweep) {
          if (!sweepBase || sweepPos > 999) { sweepBase = r.wpick(UK_MOB) + r.digits(5); sweepPos = r.int(0, 300); }
          callee = sweepBase + String(sweepPos).padStart(3, '0'); sweepPos += r.int(1, 3); unalloc = r.u() < 0.15;
        } else { callee = ukMobile(r); unalloc = r.u() < 0.03; }
        hit.push(callee);
        const cli = seq ? clis[(w * nw + i) % bsize] : r.pick(clis); const tr = r.pick(trs);
        let o; const x = r.u();
        if (unalloc) o = [r.u() < 0.85 ? 404 : 410, 0.1 + r.u() * 0.9, 0];
        else if (x < 0.03) o = [486, 0.2 + r.u() * 1.5, 0];
        else if (x < 0.09) o = r.u() < 0.4 ? [200, 0.8 + r.u() * 1.5, r.int(1, 3)] : [480, 0.3 + r.u() * 2.5, 0]; // phone off -> VM or 480
        else if (x < 0.115) o = [200, 0.8 + r.u() * 1.7, r.int(1, 6)]; // picked up in time: silence, bot hangs up
        else if (x < 0.13) o = [503, 0.05 + r.u(), 0];
        else o = [487, clamp(r.logn(2.3, 0.4), 0.4, 7), 0];
        emit(C, r, times[i], fmtIntl(r, cli, tr), callee, tr, o, 'wangiri', 'wangiri', entity);
      }
    }
  }
}

const ROBO_SCRIPTS = ['Amazon Prime renewal IVR', 'HMRC tax warrant IVR', 'NI number suspended IVR', 'Broadband disconnection IVR', 'Energy rebate claim IVR', 'Parcel customs fee IVR'];
function popRobocall(r, C) {
  const nc = campCount(r, 2.4 * C.V); const samp = C.sampler('robo', simple('robo')); const sizes = split(r, 2300 * C.V, nc);
  const P = { ans: 0.12, ringAns: 7, talk: (r) => r.u() < 0.9 ? clamp(r.logn(14, 0.5), 2, 60) : clamp(r.logn(200, 0.8), 30, 2400), vm: (r) => clamp(r.logn(25, 0.2), 10, 45), patience: (r) => 25 + r.u() * 5,
    fail: [['noans', 0.58], ['unreach', 0.12], ['486', 0.08], ['603', 0.08], ['503', 0.05], ['480', 0.03]] };
  for (let k = 0; k < nc; k++) {
    const script = r.pick(ROBO_SCRIPTS); const co = r.pick(['US', 'CA', 'IN', 'PH', 'ES', 'FR', 'PL']);
    const block = r.u() < 0.6; const clis = []; if (block) for (let i = 0; i < r.int(20, 60); i++) clis.push(foreign(r, co, false));
    const entity = `robocall-${k + 1} ${script}`; const trs = pickTrunks(r, FRAUD_TRUNKS, r.int(1, 2));
    const N = sizes[k]; const bursts = r.int(1, 3); const done = [];
    for (let b = 0; b < bursts; b++) {
      const t0 = samp(r); const D = (30 + r.u() * 120) * 60000;
      for (let i = 0; i < Math.round(N / bursts); i++) {
        const t = t0 + r.u() * D; const tr = r.pick(trs); const cli = block ? r.pick(clis) : foreign(r, co, r.u() < 0.3);
        const callee = ukNum(r, 0.55, 0.45, 0); const x = r.u();
        const o = x < 0.12 ? [404, 0.1 + r.u() * 1, 0] : x < 0.14 ? [484, 0.1 + r.u() * 0.5, 0] : outcome(r, callee, P);
        emit(C, r, t, fmtIntl(r, cli, tr), callee, tr, o, 'robocall', 'robocall', entity);
        if (o[0] !== 404 && o[0] !== 484) done.push([callee, t]);
      }
    }
    for (const [callee, t] of done) if (r.u() < 0.08) { const tr = r.pick(trs); const t2 = t + (1 + r.u() * 2) * 3600000; emit(C, r, t2, fmtIntl(r, block ? r.pick(clis) : foreign(r, co, false), tr), callee, tr, outcome(r, callee, P), 'robocall', 'robocall', entity); }
  }
}

function popSpoof(r, C) {
  const samp = C.sampler('contact', simple('contact'));
  const TR = [[GREY, 3], ['ibasis-ams', 2], ['tata-lhr', 1.5], ['bics-bru', 1], ['pccw-hkg', 0.5]];
  const fmtUk = (r, nsn, tr) => r.u() < 0.1 ? '0' + nsn : fmtIntl(r, '44' + nsn, tr);
  // neighbour spoofing: same area code as the (geographic) callee
  const Pn = { ans: 0.22, patience: (r) => 15 + r.u() * 15, talk: (r) => r.u() < 0.7 ? clamp(r.logn(25, 0.8), 2, 300) : clamp(r.logn(240, 1.0), 30, 3600), vm: (r) => r.u() < 0.7 ? 2 + r.u() * 3 : 20 };
  for (let k = 0, nc = campCount(r, 1.4 * C.V), sizes = split(r, 800 * C.V, nc); k < nc; k++) {
    const trs = pickTrunks(r, TR, r.int(1, 2)); const N = sizes[k]; const ent = `spoof-neighbour-${k + 1}`;
    for (let i = 0; i < N; i++) {
      const callee = r.u() < 0.8 ? ukGeo(r) : ukMobile(r); const cliN = callee[0] === '7' ? ukGeo(r) : ukGeoIn(r, ukArea(callee)); const tr = r.pick(trs);
      emit(C, r, samp(r), fmtUk(r, cliN, tr), callee, tr, outcome(r, callee, Pn), 'cli_spoofing', 'spoof_neighbour', ent);
    }
  }
  // bank impersonation with spoofed UK 03/0800 numbers, callbacks to engaged victims
  const Pb = { ans: 0.28, patience: (r) => 18 + r.u() * 15, talk: (r) => r.u() < 0.6 ? clamp(r.logn(40, 0.8), 3, 400) : clamp(r.logn(420, 0.9), 60, 5400), vm: (r) => 2 + r.u() * 4 };
  for (let k = 0, nc = campCount(r, 1 * C.V), sizes = split(r, 520 * C.V, nc); k < nc; k++) {
    const clis = []; for (let i = 0; i < r.int(3, 6); i++) clis.push(r.u() < 0.7 ? r.pick(['345', '344', '300', '330']) + r.int(1, 9) + r.digits(6) : '800' + r.digits(7));
    const trs = pickTrunks(r, TR, r.int(1, 2)); const N = sizes[k]; const ent = `spoof-bank-${k + 1} (spoofed 03/0800)`;
    for (let i = 0; i < N; i++) {
      const callee = ukNum(r, 0.85, 0.15, 0); let t = samp(r); const tr = r.pick(trs); let o = outcome(r, callee, Pb);
      emit(C, r, t, fmtUk(r, r.pick(clis), tr), callee, tr, o, 'cli_spoofing', 'spoof_bank', ent);
      for (let c = 0; c < 2 && o[0] === 200 && o[2] > 120 && r.u() < 0.45; c++) { t += (o[1] + o[2]) * 1000 + (30 + r.u() * 90) * 60000; o = outcome(r, callee, { ...Pb, ans: 0.75 }); emit(C, r, t, fmtUk(r, r.pick(clis), tr), callee, tr, o, 'cli_spoofing', 'spoof_bank', ent); }
    }
  }
  // random / look-alike UK mobile CLIs from abroad (not roamers)
  const Pm = { ans: 0.2, patience: (r) => 15 + r.u() * 15, talk: (r) => r.u() < 0.7 ? clamp(r.logn(20, 0.8), 2, 300) : clamp(r.logn(200, 1.0), 20, 3600), vm: (r) => 2 + r.u() * 3 };
  for (let k = 0, nc = campCount(r, 1.4 * C.V), sizes = split(r, 750 * C.V, nc); k < nc; k++) {
    const trs = pickTrunks(r, [...TR, ['syniverse-ipx', 0.6]], r.int(1, 3)); const N = sizes[k]; const ent = `spoof-mobile-${k + 1}`;
    for (let i = 0; i < N; i++) {
      const callee = ukNum(r, 0.8, 0.2, 0); const cliN = callee[0] === '7' && r.u() < 0.4 ? callee.slice(0, 5) + r.digits(5) : ukMobile(r); const tr = r.pick(trs);
      emit(C, r, samp(r), fmtUk(r, cliN, tr), callee, tr, outcome(r, callee, Pm), 'cli_spoofing', 'spoof_mobile', ent);
    }
  }
}

function popInvalid(r, C) {
  const samp = C.sampler('robo', simple('robo'));
  const P = { ans: 0.15, patience: (r) => 15 + r.u() * 15, talk: (r) => clamp(r.logn(20, 0.8), 1, 600), vm: (r) => 2 + r.u() * 20 };
  for (let k = 0, nc = campCount(r, 2 * C.V), sizes = split(r, 600 * C.V, nc); k < nc; k++) {
    const trs = pickTrunks(r, FRAUD_TRUNKS, r.int(1, 2)); const N = sizes[k];
    for (let i = 0; i < N; i++) { const callee = ukNum(r, 0.6, 0.4, 0); const tr = r.pick(trs); emit(C, r, samp(r), invalidCli(r), callee, tr, outcome(r, callee, P), 'invalid_cli', 'invalid_cli', `invalid-cli-batch-${k + 1}`); }
  }
}

function popRotating(r, C) {
  const samp = C.sampler('contact', simple('contact'));
  const BLOCKS = [['FR', () => '33' + '97' + r.int(1, 9) + r.digits(2)], ['US', () => '1' + r.pick(CO.US.nanp) + r.int(2, 9) + r.digits(2)], ['ES', () => '34' + '91' + r.digits(3)], ['PL', () => '48' + '22' + r.digits(3)], ['NL', () => '31' + '85' + r.digits(3)], ['DE', () => '49' + '30' + r.digits(4)]];
  const P = { ans: 0.15, talk: (r) => r.u() < 0.6 ? clamp(r.logn(15, 0.6), 2, 120) : clamp(r.logn(90, 0.8), 10, 1800), vm: (r) => 2 + r.u() * 3, patience: (r) => 20 + r.u() * 15 };
  for (let k = 0, nc = campCount(r, 1.5 * C.V), sizes = split(r, 800 * C.V, nc); k < nc; k++) {
    const [co, mk] = r.pick(BLOCKS); const base = mk(); const trs = pickTrunks(r, FRAUD_TRUNKS, r.int(1, 2)); const N = sizes[k];
    const ent = `rotating-block-${k + 1} +${base}xxxx`;
    for (let i = 0; i < N; i++) { const callee = ukNum(r, 0.6, 0.4, 0); const tr = r.pick(trs); emit(C, r, samp(r), fmtIntl(r, base + r.digits(4), tr), callee, tr, outcome(r, callee, P), 'cli_rotation', 'rotating_cli', ent); }
  }
}

function popUifn(r, C) {
  const samp = C.sampler('contact', simple('contact'));
  const P = { ans: 0.18, patience: (r) => 15 + r.u() * 15, talk: (r) => clamp(r.logn(30, 1.0), 2, 1800), vm: (r) => 2 + r.u() * 3 };
  for (let k = 0, nc = campCount(r, 1 * C.V), sizes = split(r, 350 * C.V, nc); k < nc; k++) {
    const clis = []; for (let i = 0; i < r.int(3, 8); i++) clis.push('800' + r.digits(8));
    const trs = pickTrunks(r, FRAUD_TRUNKS, r.int(1, 2)); const N = sizes[k];
    for (let i = 0; i < N; i++) { const callee = ukNum(r, 0.7, 0.3, 0); const tr = r.pick(trs); emit(C, r, samp(r), fmtIntl(r, r.pick(clis), tr), callee, tr, outcome(r, callee, P), 'uifn_cli', 'uifn_cli', `uifn-${k + 1}`); }
  }
}

function popTdos(r, C) {
  const samp = C.sampler('business', simple('business')); const codes = Object.keys(CO);
  for (let k = 0, nc = campCount(r, 1.2 * C.V), sizes = split(r, 900 * C.V, nc); k < nc; k++) {
    const target = r.u() < 0.5 ? ukGeo(r) : ukNonGeo(r); const cap = r.int(4, 30); const D = (8 + r.u() * 37) * 60000;
    const N = sizes[k]; const t0 = samp(r);
    const mode = r.wpick([['intl', 0.5], ['few', 0.3], ['ukspoof', 0.2]]); const few = []; for (let i = 0; i < r.int(2, 5); i++) few.push(foreign(r, r.pick(codes), r.u() < 0.5));
    const trs = pickTrunks(r, FRAUD_TRUNKS, r.int(1, 3)); const ent = `tdos-${k + 1} 0${target}`;
    const times = []; for (let i = 0; i < N; i++) times.push(t0 + D * Math.pow(r.u(), 0.7)); times.sort((a, b) => a - b);
    const lines = new Float64Array(cap);
    for (const t of times) {
      let free = -1; for (let i = 0; i < cap; i++) if (lines[i] <= t) { free = i; break; }
      let o;
      if (free >= 0) { const ring = 0.3 + r.u() * 1.5; const dur = Math.round(clamp(r.logn(40, 0.7), 2, 900)); lines[free] = t + (ring + dur) * 1000; o = [200, ring, dur]; }
      else { const late = (t - t0) / D; o = r.u() < 0.15 + 0.4 * late ? [503, 0.05 + r.u() * 0.5, 0] : [486, 0.1 + r.u() * 0.6, 0]; }
      const tr = r.pick(trs);
      const cli = mode === 'intl' ? fmtIntl(r, foreign(r, r.pick(codes), r.u() < 0.6), tr) : mode === 'few' ? fmtIntl(r, r.pick(few), tr) : fmtIntl(r, '44' + ukGeo(r), tr);
      emit(C, r, t, cli, target, tr, o, 'tdos', 'tdos', ent);
    }
  }
}

function popNuisance(r, C) {
  const P = { ans: 0.18, talk: (r) => r.u() < 0.8 ? clamp(r.logn(12, 0.6), 2, 90) : clamp(r.logn(90, 0.7), 20, 900), vm: (r) => 2 + r.u() * 3, patience: (r) => 25 + r.u() * 15,
    fail: [['noans', 0.5], ['603', 0.18], ['486', 0.08], ['unreach', 0.14], ['404', 0.04], ['503', 0.03]] };
  const days = C.days();
  const pace = 1 / Math.min(1, C.scale);
  for (let k = 0, nc = campCount(r, 3 * C.scale); k < nc; k++) {
    const co = r.pick(['IN', 'PK', 'PH', 'US', 'ZA', 'TR']); const clis = []; for (let i = 0; i < r.int(1, 3); i++) clis.push(foreign(r, co, false));
    const targets = []; for (let i = 0; i < cnt(clamp(r.logn(120, 0.4), 30, 400)); i++) targets.push({ n: ukNum(r, 0.5, 0.5, 0), a: 0 });
    const tr = r.wpick(ROUTE[CO[co].reg]); const ent = `nuisance-${k + 1} (${co})`;
    for (const day of days) {
      if (day.dow === 0) continue;
      for (const cli of clis) {
        let t = day.mid + (9 + r.u() * 2) * 3600000; const endT = day.mid + (19 + r.u() * 1.5) * 3600000;
        while (t < endT) {
          const tg = r.pick(targets); if (tg.a >= 5) { t += 30000; continue; } tg.a++;
          const o = outcome(r, tg.n, P); emit(C, r, t, fmtIntl(r, cli, tr), tg.n, tr, o, 'nuisance', 'nuisance_telemarketing', ent);
          t += (o[1] + o[2]) * 1000 + (60000 + r.exp(200000)) * pace;
        }
      }
    }
  }
}

function popScam(r, C) {
  const TYPES = ['tech-support scam', 'investment scam', 'safe-account bank scam', 'HMRC arrest scam'];
  const samp = C.sampler('contact', simple('contact'));
  const P = { ans: 0.28, patience: (r) => 20 + r.u() * 20, talk: (r) => clamp(r.logn(150, 1.2), 3, 5400), vm: (r) => 2 + r.u() * 4, fail: [['noans', 0.55], ['603', 0.12], ['486', 0.08], ['unreach', 0.15], ['404', 0.05], ['503', 0.05]] };
  for (let k = 0, nc = campCount(r, 1.5 * C.V), sizes = split(r, 650 * C.V, nc); k < nc; k++) {
    const co = r.wpick([['IN', 0.6], ['PK', 0.1], ['NG', 0.1], ['US', 0.2]]); const type = r.pick(TYPES);
    const agents = []; for (let i = 0; i < r.int(8, 25); i++) agents.push(foreign(r, co, co !== 'US' && r.u() < 0.6));
    const trs = pickTrunks(r, [...FRAUD_TRUNKS, ...ROUTE[CO[co].reg]], r.int(1, 3)); const N = sizes[k];
    const leads = []; for (let i = 0; i < Math.ceil(N * 0.7); i++) leads.push(ukNum(r, 0.45, 0.55, 0));
    const ent = `scamcc-${k + 1} ${type} (${co})`; const hidden = r.u() < 0.3; let made = 0;
    const cliOf = (tr) => hidden && r.u() < 0.3 ? anon(tr) : fmtIntl(r, r.pick(agents), tr);
    while (made < N) {
      const callee = r.pick(leads); let t = samp(r); let hooked = false;
      for (let a = 0; a < 4 && made < N; a++) {
        const tr = r.pick(trs); const o = outcome(r, callee, hooked ? { ...P, ans: 0.7 } : P); made++;
        emit(C, r, t, cliOf(tr), callee, tr, o, 'scam_callcentre', 'scam_callcentre', ent);
        if (o[0] === 200 && o[2] > 300 && r.u() < 0.5) { hooked = true; t += (o[1] + o[2]) * 1000 + (30 + r.u() * 210) * 60000; continue; } // follow-up on a hooked victim
        if (o[0] !== 200 && r.u() < 0.35) { t += (o[1]) * 1000 + (1 + r.u() * 2) * 3600000; continue; }
        break;
      }
    }
  }
}

// ---------------------------------------------------------------- main
const POPS = [['family', popFamily], ['contact', popContactCentre], ['business', popBusiness], ['pbx', popPbx], ['notify', popNotify], ['roamer', popRoamer], ['conference', popConference], ['hotel', popHotel], ['ott', popOtt], ['withheld', popWithheld],
  ['wangiri', popWangiri], ['robocall', popRobocall], ['spoof', popSpoof], ['invalid', popInvalid], ['rotating', popRotating], ['uifn', popUifn], ['tdos', popTdos], ['nuisance', popNuisance], ['scam', popScam]];

function main() {
  const opt = parseArgs(process.argv.slice(2));
  const C = makeCtx(opt);
  for (const [name, fn] of POPS) fn(new Rng(`${opt.seed}|${name}`), C); // independent stream per population
  C.rows.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = ['timestamp,caller,callee,call_id,source,status,ring,duration,label,kind,entity'];
  for (const x of C.rows) out.push(`${new Date(x.t).toISOString()},${x.caller},${x.callee},${x.id},${x.src},${x.st},${x.ring.toFixed(1)},${x.dur},${x.label},${x.kind},${x.entity}`);
  const text = out.join('\n') + '\n';
  if (opt.out) { writeFileSync(opt.out, text); console.error(`wrote ${C.rows.length} calls to ${opt.out}`); } else process.stdout.write(text);
}
main();
