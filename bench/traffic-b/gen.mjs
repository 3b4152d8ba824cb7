#!/usr/bin/env node
// Independent traffic model: international calls INTO China (home CN), 24 h.
// Plain Node, no deps, deterministic (sfc32 seeded by --seed).
// Usage: node gen.mjs --seed 1 --out a.csv [--scale 1] [--fraud-scale 1] [--answer-mult 1]
//        [--mix wangiri=1,robocall=1,...] [--ts iso|epoch|cst] [--date 2026-03-10] [--validate PATH|false]
// Written for Ringfence without reading lib/replay/generate.ts: see README.md here.
import fs from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, x, i, arr) => {
  if (x.startsWith('--')) a.push([x.slice(2), arr[i + 1] && !arr[i + 1].startsWith('--') ? arr[i + 1] : 'true']);
  return a; }, []));
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 6).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const KNOWN = ['seed', 'scale', 'fraud-scale', 'answer-mult', 'ts', 'date', 'out', 'mix', 'validate', 'check'];
for (const k of Object.keys(args)) if (!KNOWN.includes(k)) { console.error(`unknown option --${k} (try --help)`); process.exit(2); }
const SEED = Number(args.seed ?? 1);
const SCALE = Number(args.scale ?? 1);
const FSCALE = Number(args['fraud-scale'] ?? 1);
const AMULT = Number(args['answer-mult'] ?? 1);
const TS = args.ts ?? 'iso';
const DATE = args.date ?? '2026-03-10';
const OUT = args.out ?? 'calls.csv';
const MIX = Object.fromEntries((args.mix ?? '').split(',').filter(Boolean).map(s => { const [k, v] = s.split('='); return [k, Number(v)]; }));
const mixw = k => (MIX[k] ?? 1) * FSCALE;
const DAY0 = Date.parse(DATE + 'T00:00:00Z') / 1000;

// ---------- PRNG ----------
function sfc32(a, b, c, d) { return () => { a |= 0; b |= 0; c |= 0; d |= 0; const t = (((a + b) | 0) + d) | 0; d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + t) | 0; return (t >>> 0) / 4294967296; }; }
const R = sfc32(0x9e3779b9, 0x243f6a88 ^ SEED, 0xb7e15162, SEED * 7919 + 1);
for (let i = 0; i < 20; i++) R();
const U = (a, b) => a + (b - a) * R();
const I = (a, b) => Math.floor(U(a, b + 1));
const pick = a => a[Math.floor(R() * a.length)];
const chance = p => R() < p;
const norm = () => { let u = 0, v = 0; while (u === 0) u = R(); v = R(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); };
const logn = (median, sigma) => median * Math.exp(sigma * norm());
const poisson = l => { let L = Math.exp(-l), k = 0, p = 1; do { k++; p *= R(); } while (p > L); return k - 1; };
const wpick = obj => { const e = Object.entries(obj); let s = e.reduce((a, [, w]) => a + w, 0), r = R() * s; for (const [k, w] of e) { if ((r -= w) < 0) return k; } return e[e.length - 1][0]; };
const d = n => { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(R() * 10); return s; };
const nz = () => String(1 + Math.floor(R() * 9));

// ---------- numbering (own knowledge) ----------
const US_NPA = ['212', '646', '917', '718', '347', '415', '628', '510', '408', '650', '626', '213', '323', '310', '949', '206', '425', '312', '617', '202', '713', '832', '305', '404', '702', '503', '215', '773', '929', '201'];
const CA_NPA = ['604', '778', '236', '416', '647', '437', '905', '514', '438', '403', '587', '613'];
const nanp = npas => pick(npas) + String(I(2, 9)) + d(2) + d(4);
const C = {
  US: { cc: '1', tz: -5, mob: () => nanp(US_NPA), fix: () => nanp(US_NPA) },
  CA: { cc: '1', tz: -6, mob: () => nanp(CA_NPA), fix: () => nanp(CA_NPA) },
  GB: { cc: '44', tz: 0, mob: () => '7' + pick('1234579') + d(8), fix: () => '20' + pick('378') + d(7) },
  DE: { cc: '49', tz: 1, mob: () => pick(['151', '152', '157', '159', '160', '162', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179']) + d(pick([7, 8])), fix: () => pick(['30', '89', '40', '69']) + d(7) },
  FR: { cc: '33', tz: 1, mob: () => pick('67') + d(8), fix: () => '1' + d(8) },
  IT: { cc: '39', tz: 1, mob: () => '3' + pick(['20', '28', '33', '35', '39', '40', '47', '49', '66', '80', '88', '92']) + d(7), fix: () => '06' + d(8) },
  ES: { cc: '34', tz: 1, mob: () => '6' + d(8), fix: () => '91' + d(7) },
  NL: { cc: '31', tz: 1, mob: () => '6' + nz() + d(7), fix: () => '20' + d(7) },
  JP: { cc: '81', tz: 9, mob: () => pick(['70', '80', '90']) + nz() + d(7), fix: () => '3' + d(8) },
  KR: { cc: '82', tz: 9, mob: () => '10' + nz() + d(7), fix: () => '2' + nz() + d(7) },
  SG: { cc: '65', tz: 8, mob: () => pick('89') + d(7), fix: () => '6' + d(7) },
  MY: { cc: '60', tz: 8, mob: () => '1' + pick('02346789') + d(7), fix: () => '3' + d(8) },
  TH: { cc: '66', tz: 7, mob: () => pick('689') + d(8), fix: () => '2' + d(7) },
  VN: { cc: '84', tz: 7, mob: () => pick('35789') + d(8), fix: () => '24' + d(8) },
  PH: { cc: '63', tz: 8, mob: () => '9' + pick(['05', '06', '15', '16', '17', '18', '19', '20', '21', '26', '27', '28', '29', '35', '39', '47', '77', '78', '95', '96', '97', '98', '99']) + d(7), fix: () => '2' + d(8) },
  ID: { cc: '62', tz: 7, mob: () => '8' + pick(['11', '12', '13', '21', '22', '52', '53', '55', '56', '57', '58', '77', '78', '81', '82', '83', '95', '96', '97', '98', '99']) + d(pick([7, 8])), fix: () => '21' + d(8) },
  IN: { cc: '91', tz: 5.5, mob: () => pick('6789') + d(9), fix: () => '11' + d(8) },
  PK: { cc: '92', tz: 5, mob: () => '3' + d(9), fix: () => '51' + d(7) },
  AU: { cc: '61', tz: 11, mob: () => '4' + d(8), fix: () => pick('23') + d(8) },
  NZ: { cc: '64', tz: 13, mob: () => '2' + pick('127') + d(7), fix: () => '9' + d(7) },
  RU: { cc: '7', tz: 3, mob: () => '9' + d(9), fix: () => '495' + d(7) },
  NG: { cc: '234', tz: 1, mob: () => pick(['803', '806', '813', '816', '703', '706', '810', '814', '903', '906', '805', '807', '815', '705', '905', '802', '808', '812', '701', '902', '809', '817', '818', '909', '908']) + d(7), fix: () => '1' + d(7) },
  AE: { cc: '971', tz: 4, mob: () => '5' + pick('024568') + d(7), fix: () => '4' + d(7) },
  SA: { cc: '966', tz: 3, mob: () => '5' + d(8), fix: () => '11' + d(7) },
  HK: { cc: '852', tz: 8, mob: () => pick('5679') + d(7), fix: () => pick('23') + d(7) },
  MO: { cc: '853', tz: 8, mob: () => '6' + pick('2368') + d(6), fix: () => '28' + d(6) },
  TW: { cc: '886', tz: 8, mob: () => '9' + d(8), fix: () => '2' + d(8) },
  AO: { cc: '244', tz: 1, mob: () => '9' + pick('123459') + d(7), fix: () => '222' + d(6) },
  DZ: { cc: '213', tz: 1, mob: () => pick('567') + d(8), fix: () => '21' + d(6) },
  ZM: { cc: '260', tz: 2, mob: () => '9' + pick('567') + d(7), fix: () => '211' + d(6) },
  KE: { cc: '254', tz: 3, mob: () => '7' + d(8), fix: () => '20' + d(7) },
  BR: { cc: '55', tz: -3, mob: () => pick(['11', '21', '31', '41', '51']) + '9' + d(8), fix: () => '11' + pick('2345') + d(7) },
  KH: { cc: '855', tz: 7, mob: () => pick(['10', '12', '15', '16', '17', '69', '70', '77', '78', '85', '89', '92', '96', '97', '98', '99']) + d(pick([6, 7])), fix: () => '23' + d(6) },
  MM: { cc: '95', tz: 6.5, mob: () => '9' + pick(['25', '26', '40', '42', '44', '45', '67', '69', '75', '76', '77', '78', '79', '97']) + d(7), fix: () => '1' + d(6) },
  LA: { cc: '856', tz: 7, mob: () => '20' + pick('2579') + d(7), fix: () => '21' + d(6) },
};
C.NG.fix = C.NG.mob; // Lagos fixed lines are rare here; NG callers are mobiles
const tzOf = k => C[k].tz;
// Numbers are resampled until libphonenumber (the project's own copy; --validate PATH for another,
// --validate false for none) calls them valid mobile/fixed; this only stands in for a real
// numbering-plan table, the traffic model is unchanged.
let LIB = null;
const validate = args.validate ?? 'libphonenumber-js/max';
if (validate !== 'false') {
  LIB = await import(validate);
  for (const [k, c] of Object.entries(C)) for (const ty of ['mob', 'fix']) {
    const raw = c[ty];
    c[ty] = () => { let x; for (let i = 0; i < 60; i++) { x = raw(); const p = LIB.parsePhoneNumberFromString('+' + c.cc + x); if (p && p.isValid() && (ty === 'fix' ? p.getType() !== 'PREMIUM_RATE' && p.getType() !== 'TOLL_FREE' : ['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(p.getType()))) return x; } return x; };
  }
}
const validAny = e164 => !LIB || !!LIB.parsePhoneNumberFromString('+' + e164)?.isValid();
if (args.check) { // optional self-check of the numbering model against libphonenumber (not needed to generate)
  const lib = await import(args.check);
  for (const [k, c] of Object.entries(C)) for (const ty of ['mob', 'fix']) {
    let bad = 0, ex = []; const N = 2000;
    for (let i = 0; i < N; i++) { const e = '+' + c.cc + c[ty](); const p = lib.parsePhoneNumberFromString(e); const ok = p && p.isValid() && p.country === (k === 'CA' || k === 'US' ? p.country : k);
      const t = p?.getType(); const okType = ty === 'fix' || ['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(t);
      if (!ok || !okType) { bad++; if (ex.length < 4) ex.push(e + ':' + (p?.isValid() ? t : 'invalid')); } }
    if (bad) console.log(k, ty, (100 * bad / N).toFixed(1) + '%', ex.join(' '));
  }
  process.exit(0);
}

// China: mobile 11 digits, fixed area+subscriber
const CN_MOB_PFX = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '145', '147', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '170', '171', '173', '175', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189', '191', '193', '195', '196', '197', '198', '199'];
const CN_AREAS = { '10': 8, '21': 8, '20': 8, '22': 8, '23': 8, '24': 8, '25': 8, '27': 8, '28': 8, '29': 8, '755': 8, '571': 8, '591': 8, '592': 7, '595': 8, '577': 8, '750': 7, '752': 7, '760': 8, '769': 8, '532': 8, '531': 8, '731': 8, '871': 8, '898': 8, '371': 8, '311': 8, '451': 8 };
const CN_AREA_W = { '10': 10, '21': 10, '20': 7, '755': 7, '571': 5, '591': 4, '595': 4, '577': 4, '592': 3, '750': 3, '752': 2, '760': 2, '769': 3, '22': 3, '23': 3, '24': 2, '25': 3, '27': 3, '28': 3, '29': 2, '532': 2, '531': 1, '731': 2, '871': 1, '898': 1, '371': 2, '311': 1, '451': 1 };
const cnMob = () => pick(CN_MOB_PFX) + d(8);
const cnFix = (area = wpick(CN_AREA_W)) => area + nz() + d(CN_AREAS[area] - 1);
// national significant number -> {kind:'mob'|'fix', nsn}
const cnNum = (pMob = 0.75) => chance(pMob) ? { t: 'mob', n: cnMob() } : { t: 'fix', n: cnFix() };

// ---------- trunks and presentation ----------
// each trunk has its own caller and callee presentation convention (as real interconnects do)
const TRUNKS = {
  'pccw-hk': { cf: 'plus', ef: 'plus' },
  'hkt-hk': { cf: 'plus', ef: '00' },
  'singtel-sg': { cf: '00', ef: '00' },
  'att-us': { cf: 'plain', ef: 'plain' },
  'verizon-us': { cf: 'plus', ef: 'plus' },
  'bt-uk': { cf: 'sip', ef: 'plus' },
  'dtag-de': { cf: 'tel', ef: '00' },
  'orange-fr': { cf: 'plus', ef: 'plain' },
  'ntt-jp': { cf: 'plus', ef: 'national' },
  'kt-kr': { cf: '00', ef: '00' },
  'tata-in': { cf: 'plain', ef: 'plus' },
  'telstra-au': { cf: 'plus', ef: 'plus' },
  'rostelecom-ru': { cf: 'plus', ef: '00' },
  'mtn-za': { cf: '00', ef: 'plus' },
  'etisalat-ae': { cf: 'plus', ef: 'plus' },
  'cht-tw': { cf: 'plus', ef: 'plus' },
  '198.51.100.23': { cf: 'plus', ef: 'plus' },   // wholesale / grey A
  '203.0.113.77': { cf: 'plain', ef: 'plain' },  // wholesale B
  '192.0.2.141': { cf: 'mixed', ef: 'mixed' },   // cheap transit
};
const HOME_TRUNK = { US: 'att-us|verizon-us', CA: 'verizon-us', GB: 'bt-uk', DE: 'dtag-de', FR: 'orange-fr', IT: 'dtag-de|orange-fr', ES: 'orange-fr', NL: 'dtag-de|bt-uk', JP: 'ntt-jp', KR: 'kt-kr', SG: 'singtel-sg', MY: 'singtel-sg', TH: 'singtel-sg|pccw-hk', VN: 'pccw-hk|singtel-sg', PH: 'pccw-hk|singtel-sg', ID: 'singtel-sg', IN: 'tata-in', PK: 'tata-in|etisalat-ae', AU: 'telstra-au', NZ: 'telstra-au', RU: 'rostelecom-ru', NG: 'mtn-za', AO: 'mtn-za', DZ: 'orange-fr', ZM: 'mtn-za', KE: 'mtn-za|etisalat-ae', AE: 'etisalat-ae', SA: 'etisalat-ae', HK: 'pccw-hk|hkt-hk', MO: 'pccw-hk', TW: 'cht-tw', BR: 'att-us|verizon-us', KH: 'pccw-hk|singtel-sg', MM: 'singtel-sg', LA: 'pccw-hk' };
const WHOLESALE = ['198.51.100.23', '203.0.113.77', '192.0.2.141'];
const trunkFor = (ctry, pWholesale = 0.25) => chance(pWholesale) ? pick(WHOLESALE) : pick((HOME_TRUNK[ctry] ?? 'pccw-hk').split('|'));

function fmtCaller(e164, trunk) { // e164 without '+'
  let f = TRUNKS[trunk]?.cf ?? 'plus';
  if (f === 'mixed') f = pick(['plus', '00', 'plain', 'sip']);
  switch (f) {
    case 'plus': return '+' + e164;
    case '00': return '00' + e164;
    case 'plain': return e164;
    case 'sip': return `sip:+${e164}@${trunk}.ipx.example;user=phone`;
    case 'tel': return 'tel:+' + e164;
  }
}
function fmtCallee(cn, trunk) { // cn = {t,n}
  let f = TRUNKS[trunk]?.ef ?? 'plus';
  if (f === 'mixed') f = pick(['plus', '00', 'plain', 'national']);
  switch (f) {
    case 'plus': return '+86' + cn.n;
    case '00': return '0086' + cn.n;
    case 'plain': return '86' + cn.n;
    case 'national': return cn.t === 'mob' ? cn.n : '0' + cn.n;
  }
}

// ---------- time-of-day profiles (weights by local hour 0..23, max 1) ----------
const P = {
  personal: [.05, .03, .02, .02, .02, .05, .15, .35, .5, .55, .55, .55, .6, .55, .55, .6, .65, .75, .9, 1, 1, .9, .6, .25],
  cnAwake: [.08, .03, .02, .02, .02, .05, .3, .7, .9, 1, 1, 1, .9, .9, 1, 1, 1, 1, 1, 1, 1, .9, .6, .25],
  bizCN: [.01, .01, .01, .01, .01, .01, .02, .1, .6, 1, 1, 1, .5, .7, 1, 1, 1, .9, .5, .25, .15, .08, .04, .02],
  ccCN: [0, 0, 0, 0, 0, 0, 0, .05, .6, 1, 1, 1, .8, .9, 1, 1, 1, 1, .9, .8, .6, .3, 0, 0],
  flat: Array(24).fill(1),
  bizLocal: [.01, .01, .01, .01, .01, .02, .05, .3, .8, 1, 1, 1, .7, .9, 1, 1, 1, .8, .4, .2, .1, .05, .03, .02],
};
const hourAt = (t, tz) => Math.floor((((t / 3600 + tz) % 24) + 24) % 24);
function sampleTime(profCaller, tzCaller, profCN = P.flat) {
  for (let k = 0; k < 10000; k++) {
    const t = U(0, 86400);
    if (R() < profCaller[hourAt(t, tzCaller)] * profCN[hourAt(t, 8)]) return t;
  }
  return U(0, 86400);
}

// ---------- outcome model ----------
// legit unanswered split; ring in seconds INVITE->final
function outcome(pAns, med = 150, sig = 1.0, opt = {}) {
  if (chance(Math.min(0.97, pAns * AMULT))) {
    const ring = Math.min(58, Math.max(1.2, logn(opt.ringMed ?? 8, 0.45)));
    return { status: 200, ring, dur: Math.max(1, Math.round(logn(med, sig))) };
  }
  const r = wpick(opt.fail ?? { n480: 30, n480s: 12, n487: 28, n486: 11, n603: 8, n404: 2, n503: 4, n408: 5 });
  switch (r) {
    case 'n480': return { status: 480, ring: U(30, 62), dur: 0 };
    case 'n480s': return { status: 480, ring: U(1, 6), dur: 0 };          // powered off / unreachable announcement
    case 'n487': return { status: 487, ring: Math.max(3, logn(opt.cancelMed ?? 20, 0.5)), dur: 0 };
    case 'n486': return { status: 486, ring: U(0.3, 4), dur: 0 };
    case 'n603': return { status: 603, ring: U(3, 20), dur: 0 };
    case 'n404': return { status: 404, ring: U(0.2, 1.5), dur: 0 };
    case 'n503': return { status: 503, ring: U(0.1, 3), dur: 0 };
    case 'n408': return { status: 408, ring: U(31, 33), dur: 0 };
  }
}

const rows = [];
function emit(t, callerE164, ctry, cn, trunk, o, kind, label = 'legit', rawCaller, entity = '') {
  if (t < 0 || t >= 86400) return;
  rows.push({ t, caller: rawCaller ?? fmtCaller(callerE164, trunk), callee: fmtCallee(cn, trunk), source: trunk, status: o.status, ring: o.ring, dur: o.dur, label, kind, entity });
}
// a person calling with redial on failure
function personCalls(t, callerE164, ctry, cn, trunk, kind, pAns, med, sig, pRetry = 0.45) {
  let tries = 0;
  while (true) {
    const o = outcome(pAns, med, sig);
    emit(t, callerE164, ctry, cn, trunk, o, kind);
    if (o.status === 200 || o.status === 404 || tries >= 3 || !chance(pRetry)) break;
    tries++; t += o.ring + Math.max(8, logn(70, 0.9));
  }
}
const n = x => Math.max(0, Math.round(x * SCALE));

// ---------- legitimate populations ----------
// 1. diaspora families: several relatives abroad, shared home numbers in China
const DIASPORA = { US: 16, CA: 8, GB: 7, AU: 7, NZ: 2, DE: 4, FR: 4, IT: 4, ES: 3, NL: 2, JP: 8, KR: 5, SG: 5, MY: 5, TH: 2, ID: 2, PH: 2, BR: 1, RU: 2 };
for (let f = 0; f < n(11000); f++) {
  const home = [cnNum(0.45)]; if (chance(0.7)) home.push(cnNum(1)); if (chance(0.3)) home.push(cnNum(1));
  const members = I(1, chance(0.3) ? 4 : 1);
  for (let m = 0; m < members; m++) {
    const ctry = wpick(DIASPORA), tr = trunkFor(ctry, 0.2);
    const me = C[ctry].cc + (chance(0.85) ? C[ctry].mob() : C[ctry].fix());
    const k = 1 + poisson(0.35);
    for (let c = 0; c < k; c++) personCalls(sampleTime(P.personal, tzOf(ctry), P.cnAwake), me, ctry, pick(home), tr, 'family', 0.62, 360, 1.0);
  }
}
// 2. migrant workers (Chinese labour abroad) calling spouse/parents, evening local
const MIGRANT = { AO: 5, DZ: 4, NG: 4, ZM: 2, KE: 2, AE: 5, SA: 4, SG: 5, MY: 3, JP: 6, KR: 4, RU: 3, IT: 2, ES: 1, KH: 2, LA: 1, PK: 1 };
for (let w = 0; w < n(9000); w++) {
  const ctry = wpick(MIGRANT), tr = trunkFor(ctry, 0.35);
  const me = C[ctry].cc + C[ctry].mob();
  const fam = [cnNum(0.85)]; if (chance(0.5)) fam.push(cnNum(0.9));
  const prof = P.personal.map((x, h) => (h >= 19 && h <= 23) ? 1 : x * 0.5);
  const k = 1 + poisson(0.5);
  for (let c = 0; c < k; c++) personCalls(sampleTime(prof, tzOf(ctry), P.cnAwake), me, ctry, pick(fam), tr, 'migrant', 0.6, 420, 0.9);
}
// 3. students abroad calling parents (evening China time, weekend-ish)
const STUD = { US: 10, GB: 8, AU: 6, CA: 5, JP: 3, KR: 2, DE: 2, FR: 1, NZ: 1, SG: 1, MY: 1 };
for (let s = 0; s < n(5000); s++) {
  const ctry = wpick(STUD), tr = trunkFor(ctry, 0.15);
  const me = C[ctry].cc + C[ctry].mob();
  const par = [cnNum(0.8)]; if (chance(0.6)) par.push(cnNum(1));
  personCalls(sampleTime(P.personal, tzOf(ctry), P.cnAwake), me, ctry, pick(par), tr, 'student', 0.65, 480, 0.9);
}
// 4. cross-border HK/MO/TW personal and small business (heavy, short-ish)
const XB = { HK: 10, MO: 2, TW: 5 };
for (let s = 0; s < n(12000); s++) {
  const ctry = wpick(XB), tr = trunkFor(ctry, 0.1);
  const me = C[ctry].cc + (chance(0.8) ? C[ctry].mob() : C[ctry].fix());
  const peers = Array.from({ length: I(1, 3) }, () => cnNum(0.8));
  const k = 1 + poisson(0.7);
  for (let c = 0; c < k; c++) personCalls(sampleTime(P.personal, 8, P.flat), me, ctry, pick(peers), tr, 'crossborder', 0.6, 150, 1.1);
}
// 5. business: importers/exporters calling suppliers, China office hours
const BIZ = { US: 10, DE: 6, GB: 4, FR: 2, IT: 4, ES: 2, NL: 2, JP: 6, KR: 6, IN: 6, PK: 2, AE: 4, SA: 2, NG: 3, RU: 4, BR: 3, AU: 3, SG: 3, MY: 3, TH: 2, VN: 3, ID: 2, HK: 6, TW: 4 };
for (let b = 0; b < n(5000); b++) {
  const ctry = wpick(BIZ), tr = trunkFor(ctry, 0.2);
  const me = C[ctry].cc + (chance(0.5) ? C[ctry].mob() : C[ctry].fix());
  const contacts = Array.from({ length: I(1, 5) }, () => cnNum(0.45));
  const k = I(1, 6);
  for (let c = 0; c < k; c++) personCalls(sampleTime(P.flat, tzOf(ctry), P.bizCN), me, ctry, pick(contacts), tr, 'business', 0.55, 170, 1.0, 0.3);
}
// 6. corporate PBX main numbers: every extension presents the switchboard number -> one CLI, many callees
for (let b = 0; b < n(150); b++) {
  const ctry = wpick(BIZ), tr = trunkFor(ctry, 0.1);
  const me = C[ctry].cc + C[ctry].fix();
  const contacts = Array.from({ length: I(8, 60) }, () => cnNum(0.4));
  const k = I(10, 90);
  for (let c = 0; c < k; c++) personCalls(sampleTime(P.flat, tzOf(ctry), P.bizCN), me, ctry, pick(contacts), tr, 'pbx', 0.55, 200, 1.0, 0.3);
}
// 6b. corporate PBX with a DID range: each extension presents its own direct number -> many CLIs in one block
for (let b = 0; b < n(20); b++) {
  const ctry = pick(['US', 'DE', 'GB', 'JP', 'KR', 'SG', 'HK', 'TW', 'AU', 'FR']), tr = trunkFor(ctry, 0.05);
  let main = C[ctry].fix(); const stem = main.slice(0, -3);   // a 1000-number DID block
  const exts = Array.from({ length: I(15, 120) }, () => C[ctry].cc + stem + d(3)).filter(e => validAny(e));
  const contacts = Array.from({ length: I(20, 150) }, () => cnNum(0.4));
  for (const e of exts) for (let c = 0, k = I(1, 8); c < k; c++)
    personCalls(sampleTime(P.flat, tzOf(ctry), P.bizCN), e, ctry, pick(contacts), tr, 'pbx_did', 0.55, 200, 1.0, 0.3);
}
// 7. call centres: airlines, banks, logistics, universities, market research — one or a few CLIs, hundreds of callees
const CC = [
  { name: 'airline-hk', ctry: 'HK', cli: 3, calls: 900, pAns: 0.45, med: 110 },
  { name: 'bank-hk', ctry: 'HK', cli: 2, calls: 700, pAns: 0.40, med: 150 },
  { name: 'airline-sg', ctry: 'SG', cli: 2, calls: 500, pAns: 0.45, med: 100 },
  { name: 'logistics-us', ctry: 'US', cli: 4, calls: 600, pAns: 0.35, med: 70 },
  { name: 'univ-gb', ctry: 'GB', cli: 1, calls: 250, pAns: 0.5, med: 300 },
  { name: 'univ-au', ctry: 'AU', cli: 1, calls: 200, pAns: 0.5, med: 280 },
  { name: 'travel-jp', ctry: 'JP', cli: 2, calls: 300, pAns: 0.5, med: 140 },
  { name: 'insurer-tw', ctry: 'TW', cli: 3, calls: 500, pAns: 0.35, med: 160 },
  { name: 'survey-us', ctry: 'US', cli: 6, calls: 1200, pAns: 0.18, med: 45 },   // market research: low answer, short
  { name: 'hotel-booking-sg', ctry: 'SG', cli: 2, calls: 400, pAns: 0.5, med: 90 },
  { name: 'immigration-ca', ctry: 'CA', cli: 1, calls: 150, pAns: 0.55, med: 400 },
  { name: 'debt-collect-hk', ctry: 'HK', cli: 4, calls: 800, pAns: 0.25, med: 60 },
];
for (const cc of CC) {
  const clis = Array.from({ length: cc.cli }, () => C[cc.ctry].cc + C[cc.ctry].fix());
  const tr = trunkFor(cc.ctry, 0);
  const calls = n(cc.calls);
  for (let i = 0; i < calls; i++) {
    const cust = cnNum(0.92), cli = pick(clis);
    let t = sampleTime(P.flat, 0, P.ccCN);
    for (let a = 0; a < 3; a++) { // dialler retries unanswered customers after 1-3 h
      let o = outcome(cc.pAns, cc.med, 0.9, { fail: { n480: 40, n480s: 15, n487: 25, n486: 10, n603: 5, n404: 3, n503: 2 }, cancelMed: 27 });
      if (o.status === 200 && chance(0.03)) o = { ...o, dur: I(0, 2) }; // predictive-dialler abandon
      emit(t, cli, cc.ctry, cust, tr, o, 'callcentre', 'legit', undefined, cc.name);
      if (o.status === 200 || o.status === 404) break;
      t += U(3600, 3 * 3600);
      if (hourAt(t, 8) >= 21) break;
    }
  }
}
// 8. hotels / consulates / visa centres / Canton Fair hotline in China: many foreigners call one number (legit fan-in)
const HUBS = Array.from({ length: 40 }, () => ({ cn: { t: 'fix', n: cnFix(pick(['10', '21', '20', '755', '571', '898'])) }, calls: Math.round(logn(120, 0.8)) }));
HUBS[0].calls = 900; HUBS[1].calls = 600;
const FOREIGN = { US: 10, GB: 5, DE: 5, FR: 4, JP: 6, KR: 6, AU: 3, SG: 3, MY: 3, IN: 5, RU: 4, AE: 2, NG: 2, TH: 2, VN: 2, ID: 2, PH: 2, HK: 6, TW: 4, BR: 2, IT: 2, ES: 2 };
for (const h of HUBS) for (let i = 0; i < n(h.calls); i++) {
  const ctry = wpick(FOREIGN), tr = trunkFor(ctry, 0.2);
  const me = C[ctry].cc + (chance(0.8) ? C[ctry].mob() : C[ctry].fix());
  personCalls(sampleTime(P.flat, tzOf(ctry), P.cnAwake), me, ctry, h.cn, tr, 'hub_inbound', 0.85, 130, 0.8, 0.5);
}
// 9. conference bridge dial-out: bursts of simultaneous calls from one CLI at meeting start, long holds
for (let b = 0; b < 12; b++) {
  const ctry = pick(['US', 'GB', 'SG', 'DE', 'HK']), tr = trunkFor(ctry, 0);
  const cli = C[ctry].cc + C[ctry].fix();
  for (let m = 0; m < n(I(5, 25)); m++) {
    const start = Math.round(sampleTime(P.flat, 0, P.bizCN) / 1800) * 1800;
    const len = pick([1800, 2700, 3600, 5400]);
    for (let p = 0, np = I(3, 18); p < np; p++) {
      const o = outcome(0.85, 1, 0, { fail: { n480: 40, n487: 40, n486: 20 }, cancelMed: 40 });
      if (o.status === 200) o.dur = Math.max(30, Math.round(len - U(0, 600)));
      emit(start + U(0, 25), cli, ctry, cnNum(0.7), tr, o, 'conference');
    }
  }
}
// 10. voice OTP / verification: A2P pools of CLIs, short answered calls, many callees
for (let p = 0; p < 3; p++) {
  const ctry = pick(['US', 'GB', 'SG']), tr = trunkFor(ctry, 0.5);
  const pool = Array.from({ length: I(10, 40) }, () => C[ctry].cc + (chance(0.5) ? C[ctry].mob() : C[ctry].fix()));
  for (let i = 0; i < n(I(600, 1400)); i++) {
    const o = outcome(0.72, 22, 0.3, { fail: { n480: 30, n487: 40, n486: 10, n480s: 15, n404: 5 }, cancelMed: 28, ringMed: 6 });
    emit(sampleTime(P.flat, 0, P.cnAwake), pick(pool), ctry, cnNum(1), tr, o, 'voice_otp');
  }
}
// 11. Chinese subscribers roaming abroad: +86 CLIs on international ingress (legit)
for (let r = 0; r < n(2500); r++) {
  const roamIn = pick(['HK', 'JP', 'KR', 'TH', 'SG', 'US', 'GB', 'DE', 'FR', 'AU', 'MY', 'AE']);
  const tr = trunkFor(roamIn, 0.15);
  const me = '86' + cnMob();
  const peers = [cnNum(0.7)]; if (chance(0.5)) peers.push(cnNum(0.6));
  const k = 1 + poisson(0.8);
  for (let c = 0; c < k; c++) personCalls(sampleTime(P.personal, tzOf(roamIn), P.cnAwake), me, roamIn, pick(peers), tr, 'roaming_cn', 0.65, 200, 1.0);
}
// 12. shared phones: labour-camp / call-shop lines in Africa & Middle East: one CLI, 15-80 different families each evening
for (let s = 0; s < n(60); s++) {
  const ctry = pick(['AO', 'NG', 'DZ', 'ZM', 'AE', 'SA', 'KE']), tr = trunkFor(ctry, 0.5);
  const cli = C[ctry].cc + (chance(0.5) ? C[ctry].mob() : C[ctry].fix());
  const prof = P.personal.map((x, h) => (h >= 18 && h <= 23) ? 1 : x * 0.2);
  for (let i = 0, k = I(15, 80); i < k; i++) personCalls(sampleTime(prof, tzOf(ctry), P.cnAwake), cli, ctry, cnNum(0.85), tr, 'shared_phone', 0.6, 300, 0.8, 0.5);
}
// 13. withheld-number legit callers (privacy) — small
for (let i = 0; i < n(400); i++) {
  const ctry = wpick(FOREIGN), tr = trunkFor(ctry, 0.1);
  const o = outcome(0.5, 180, 1.0);
  emit(sampleTime(P.personal, tzOf(ctry), P.cnAwake), '', ctry, cnNum(0.7), tr, o, 'withheld', 'legit', pick(['anonymous', 'sip:anonymous@anonymous.invalid', 'Restricted']));
}

// ---------- fraud populations ----------
const fmix = k => Math.max(0, Math.round(mixw(k)));
// F1 Wangiri: number block in African/Pacific/premium ranges, bursts, 1-4 s rings then caller cancels
const WANG_RANGES = [['222', () => pick('234') + d(7)], ['232', () => '7' + pick('6789') + d(6)], ['225', () => '07' + d(8)], ['675', () => '7' + d(7)], ['677', () => '7' + pick('45') + d(5)], ['882', () => '16' + d(7)], ['881', () => '6' + d(8)], ['373', () => '6' + d(7)], ['216', () => pick('259') + d(7)], ['252', () => '6' + d(7)], ['44', () => '70' + d(8)], ['371', () => '2' + d(7)]];
for (let c = 0; c < Math.round(3 * mixw('wangiri')); c++) {
  const [cc, gen] = pick(WANG_RANGES); let base = gen(); for (let i = 0; i < 60 && !validAny(cc + base); i++) base = gen();
  // 'block': CLIs cycle through one 1000-number block; 'scattered': a few dozen CLIs anywhere in the range, each reused
  const scattered = chance(0.5);
  const block = scattered ? Array.from({ length: I(3, 30) }, () => { let b = gen(); for (let i = 0; i < 60 && !validAny(cc + b); i++) b = gen(); return cc + b; })
    : Array.from({ length: I(5, 120) }, () => cc + base.slice(0, -3) + d(3));
  const pdd = () => Math.min(9, logn(3, 0.35)); // post-dial delay on a long international route, counted in ring
  const tr = pick(WHOLESALE.concat(['mtn-za', 'pccw-hk']));
  for (let b = 0, nb = I(2, 8); b < nb; b++) {
    const t0 = U(0, 86400), len = U(600, 3600), rate = U(0.03, 0.2); // calls/s
    let sweep = cnMob();
    for (let t = t0; t < t0 + len; t += -Math.log(R()) / rate) {
      let o;
      const r = R();
      if (r < 0.03) o = { status: 200, ring: pdd() + U(1, 3), dur: I(1, 4) };
      else if (r < 0.06) o = { status: 486, ring: pdd(), dur: 0 };
      else if (r < 0.10) o = { status: 480, ring: pdd() + U(0, 2), dur: 0 };
      else if (r < 0.13) o = { status: 404, ring: U(0.5, 2), dur: 0 };
      else o = { status: 487, ring: pdd() + U(1, 4.5), dur: 0 };  // one or two rings, then the bait hangs up
      const callee = chance(0.4) ? { t: 'mob', n: (sweep = String(Number(sweep) + I(1, 30))) } : { t: 'mob', n: cnMob() };
      emit(t, pick(block), '', callee, tr, o, 'wangiri', 'wangiri');
    }
  }
}
// F2 robocall / nuisance: real-looking foreign CLIs, each 50-300 calls, sequential sweeps, low answer, seconds-long talk
for (let c = 0; c < Math.round(2 * mixw('robocall')); c++) {
  const ctry = pick(['US', 'HK', 'MY', 'PH', 'ID', 'TH', 'GB']);
  const tr = trunkFor(ctry, 0.7);
  for (let k = 0, nc = I(5, 25); k < nc; k++) {
    const cli = C[ctry].cc + C[ctry].mob();
    let sweep = cnMob();
    for (let i = 0, m = I(40, 250); i < m; i++) {
      const cn = chance(0.6) ? { t: 'mob', n: (sweep = String(Number(sweep) + I(1, 5))) } : cnNum(0.95);
      const o = chance(0.12) ? { status: 404, ring: U(0.2, 1), dur: 0 } : outcome(0.2, 9, 0.7, { cancelMed: 18 });
      emit(sampleTime(P.flat, 0, P.ccCN), cli, ctry, cn, tr, o, 'robocall', 'robocall');
    }
  }
}
// F3 scam-compound CLI rotation (KH/MM/LA/PH ranges), each CLI used 1-3 times, hooked victims talk long
for (let c = 0; c < Math.round(2 * mixw('cli_rotation')); c++) {
  const ctry = pick(['KH', 'MM', 'LA', 'PH']); const tr = trunkFor(ctry, 0.6);
  const base = C[ctry].mob(); const keep = base.slice(0, base.length - 4);
  for (let i = 0, m = I(500, 1200); i < m; i++) {
    const cli = C[ctry].cc + keep + d(4);
    const o = outcome(0.22, 80, 1.4, { cancelMed: 20 });
    emit(sampleTime(P.flat, 0, P.ccCN), cli, ctry, cnNum(0.95), tr, o, 'cli_rotation', 'cli_rotation');
  }
}
// F4 spoofed Chinese CLIs from abroad (impersonation scams: police, banks, couriers)
for (let i = 0, m = Math.round(900 * mixw('spoof_cn')); i < m; i++) {
  const tr = pick(WHOLESALE.concat(['pccw-hk', 'singtel-sg']));
  const r = R();
  const cli = r < 0.55 ? '86' + cnMob() : r < 0.85 ? '86' + cnFix() : r < 0.93 ? '86' + pick(['95588', '95533', '95555', '95599', '95566', '10086', '10010']) : '86400' + d(7);
  const o = outcome(0.35, 120, 1.3);
  emit(sampleTime(P.flat, 0, P.ccCN), cli, '', cnNum(0.9), tr, o, 'spoof_cn', 'spoof_cn');
}
// F5 TDoS: hundreds of random CLIs flooding one victim for 20-50 min
for (let v = 0; v < Math.round(1 * mixw('tdos')); v++) {
  const victim = chance(0.5) ? { t: 'fix', n: cnFix() } : { t: 'mob', n: cnMob() };
  const t0 = U(3600, 80000), len = U(1200, 3000), callers = Array.from({ length: I(150, 400) }, () => { const ct = pick(Object.keys(C)); return C[ct].cc + C[ct].mob(); });
  for (let t = t0; t < t0 + len; t += -Math.log(R()) / 0.3) {
    const o = chance(0.15) ? { status: 200, ring: U(1, 5), dur: I(1, 20) } : chance(0.7) ? { status: 486, ring: U(0.2, 2), dur: 0 } : { status: 487, ring: U(2, 10), dur: 0 };
    emit(t, pick(callers), '', victim, pick(WHOLESALE), o, 'tdos', 'tdos');
  }
}
// F6 toll-free / UIFN caller IDs
for (let i = 0, m = Math.round(400 * mixw('tollfree_cli')); i < m; i++) {
  const r = R();
  const cli = r < 0.35 ? '800' + d(8) : r < 0.7 ? '1' + pick(['800', '833', '844', '855', '866', '877', '888']) + I(2, 9) + d(6) : r < 0.8 ? '44800' + d(6) : r < 0.9 ? '611800' + d(6) : '852800' + d(6);
  const o = outcome(0.25, 20, 1.0);
  emit(sampleTime(P.flat, 0, P.ccCN), cli, '', cnNum(0.9), pick(WHOLESALE), o, 'tollfree_cli', 'tollfree_cli');
}
// F7 invalid / unallocated caller IDs
for (let i = 0, m = Math.round(400 * mixw('invalid_cli')); i < m; i++) {
  const r = R(); let raw;
  if (r < 0.2) raw = '+' + d(I(3, 6));                     // too short
  else if (r < 0.35) raw = '+' + nz() + d(I(16, 18));      // too long
  else if (r < 0.5) raw = '+999' + d(8);                   // unassigned CC
  else if (r < 0.65) raw = '+1' + pick(['0', '1']) + d(2) + d(7); // NANP NPA starting 0/1
  else if (r < 0.75) raw = '+1' + pick(US_NPA) + '55501' + d(2); // fictional 555-01xx
  else if (r < 0.85) raw = '+4407' + d(9);                 // trunk 0 kept after CC
  else raw = '+' + pick(['0', '00']) + d(9);
  const o = outcome(0.2, 30, 1.0);
  emit(sampleTime(P.flat, 0, P.ccCN), '', '', cnNum(0.9), pick(WHOLESALE), o, 'invalid_cli', 'invalid_cli', raw);
}
// F8 slow nuisance: one CLI each, 6-20 victims spread over the day
for (let c = 0, m = Math.round(120 * mixw('slow_nuisance')); c < m; c++) {
  const ctry = pick(['US', 'GB', 'HK', 'MY', 'PH', 'TH', 'VN', 'ID', 'IN', 'NG']); const tr = trunkFor(ctry, 0.5);
  const cli = C[ctry].cc + C[ctry].mob();
  for (let i = 0, k = I(6, 20); i < k; i++) {
    const o = outcome(0.22, 15, 0.8);
    emit(sampleTime(P.flat, 0, P.ccCN), cli, ctry, cnNum(0.95), tr, o, 'slow_nuisance', 'slow_nuisance');
  }
}

// ---------- write ----------
rows.sort((a, b) => a.t - b.t);
const ts = t => {
  const abs = DAY0 + t;
  if (TS === 'epoch') return abs.toFixed(3);
  if (TS === 'cst') { const s = new Date((abs + 8 * 3600) * 1000).toISOString().replace('Z', '+08:00'); return s; }
  return new Date(abs * 1000).toISOString();
};
const q = s => /[",]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
const out = fs.createWriteStream(OUT);
out.write('timestamp,caller,callee,call_id,source,status,ring,duration,label,kind,entity\n');
let i = 0; const counts = {};
for (const r of rows) {
  counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  out.write(`${ts(r.t)},${q(r.caller)},${q(r.callee)},c${SEED}-${++i},${r.source},${r.status},${r.ring.toFixed(1)},${r.dur},${r.label},${r.kind},${r.entity}\n`);
}
out.end();
const fraud = rows.filter(r => r.label !== 'legit').length;
console.error(`${OUT}: ${rows.length} calls, fraud ${fraud} (${(100 * fraud / rows.length).toFixed(1)}%)`, JSON.stringify(counts));
