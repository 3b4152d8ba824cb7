#!/usr/bin/env node
// gen.mjs — synthetic inbound-international CDRs at an Indian ILD gateway, with ground truth.
// Plain Node 20 ESM, no dependencies. Deterministic for (seed, options).
import fs from 'node:fs';

// ------------------------------------------------------------------ options
const HELP = `usage: node gen.mjs [--seed N] [--hours H] [--scale S] [--start YYYY-MM-DD] [--out FILE]
  --seed N     RNG seed (default 1); also changes the campaign mix and structural parameters
  --hours H    simulated hours from 00:00 IST of --start (default 24)
  --scale S    volume multiplier (default 1 = ~120k-200k calls per 24 h)
  --start D    first day, IST calendar date (default 2025-02-12, a Wednesday)
  --out FILE   write CSV to FILE (default stdout)
  --help       this text`;
const opt = { seed: '1', hours: 24, scale: 1, start: '2025-02-12', out: null };
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    const v = () => { if (i + 1 >= a.length) die(`missing value for ${k}`); return a[++i]; };
    if (k === '--help' || k === '-h') { process.stdout.write(HELP + '\n'); process.exit(0); }
    else if (k === '--seed') opt.seed = v();
    else if (k === '--hours') opt.hours = +v();
    else if (k === '--scale') opt.scale = +v();
    else if (k === '--start') opt.start = v();
    else if (k === '--out') opt.out = v();
    else if (k === '--dump-numbers') opt.dump = true; // sample the number tables (for validate.mjs)
    else die(`unknown option ${k}\n${HELP}`);
  }
  if (!(opt.hours > 0) || !(opt.scale > 0)) die('hours and scale must be > 0');
  if (!/^\d{4}-\d\d-\d\d$/.test(opt.start) || isNaN(Date.parse(opt.start + 'T00:00:00Z'))) die('bad --start');
}
function die(m) { process.stderr.write(m + '\n'); process.exit(2); }

// ------------------------------------------------------------------ RNG
function hashStr(s) { let h = 1779033703 ^ s.length; for (let i = 0; i < s.length; i++) { h = Math.imul(h ^ s.charCodeAt(i), 3432918353); h = (h << 13) | (h >>> 19); } return () => { h = Math.imul(h ^ (h >>> 16), 2246822507); h = Math.imul(h ^ (h >>> 13), 3266489909); return (h ^= h >>> 16) >>> 0; }; }
function mkRng(...tags) {
  const g = hashStr(String(opt.seed) + '|' + tags.join('|'));
  let a = g(), b = g(), c = g(), d = g();
  const r = () => { a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0; let t = (a + b) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0; return (t >>> 0) / 4294967296; };
  for (let i = 0; i < 12; i++) r();
  return r;
}
const tools = (R) => {
  const T = {
    R,
    u: (a, b) => a + (b - a) * R(),
    int: (a, b) => a + Math.floor(R() * (b - a + 1)),
    chance: (p) => R() < p,
    pick: (arr) => arr[Math.floor(R() * arr.length)],
    wpick(obj) { // obj: array of [value, weight] or object {k:w}
      const ent = Array.isArray(obj) ? obj : Object.entries(obj);
      let s = 0; for (const e of ent) s += e[1];
      let x = R() * s; for (const e of ent) { x -= e[1]; if (x < 0) return e[0]; }
      return ent[ent.length - 1][0];
    },
    norm() { let u = 0; while (u === 0) u = R(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * R()); },
    logn: (median, sigma) => median * Math.exp(sigma * T.norm()),
    exp: (mean) => -mean * Math.log(1 - R()),
    pois(l) { if (l > 40) return Math.max(0, Math.round(l + Math.sqrt(l) * T.norm())); let L = Math.exp(-l), k = 0, p = 1; do { k++; p *= R(); } while (p > L); return k - 1; },
    digits(n) { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(R() * 10); return s; },
    hex(n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(R() * 16)]; return s; },
    jit: (x, f) => x * (1 + f * (2 * R() - 1)),
  };
  return T;
};
const P = tools(mkRng('plan'));        // structural / plan decisions
const S = tools(mkRng('sim'));         // per-call draws during the simulation

// ------------------------------------------------------------------ time
const T0 = Date.parse(opt.start + 'T00:00:00Z') - 5.5 * 3600e3; // 00:00 IST
const SPAN = opt.hours * 3600e3, T1 = T0 + SPAN;
const localHour = (t, tz) => { const x = (t + tz * 3600e3) / 3600e3; return ((x % 24) + 24) % 24; };
const localDow = (t, tz) => new Date(t + tz * 3600e3).getUTCDay(); // 0=Sun
const istHour = (t) => localHour(t, 5.5);
const curveAt = (c, h) => { const i = Math.floor(h), f = h - i; return c[i % 24] * (1 - f) + c[(i + 1) % 24] * f; };

// hourly curves, caller-local hour
const CURVE = {
  gulf:     [2, 1.2, .6, .35, .3, .5, 1, 1.4, 1.3, 1.1, 1, 1.2, 2.4, 2.8, 1.9, 1.4, 1.5, 2, 3, 4.4, 5.4, 5.6, 4.6, 3.4],
  home:     [1, .5, .3, .2, .2, .5, 1.5, 2.4, 2, 1.2, 1, 1, 1.2, 1.2, 1.2, 1.3, 1.5, 2, 2.8, 3.2, 3.2, 2.8, 2, 1.5],
  student:  [3, 2.4, 1.4, .6, .3, .2, .3, .8, 1.2, 1, 1, 1.2, 1.5, 1.5, 1.5, 1.5, 1.8, 2, 2.5, 3, 3.5, 3.8, 4, 3.6],
  business: [0, 0, 0, 0, 0, 0, .1, .6, 2.2, 4, 4.5, 4, 3, 3.4, 4, 4, 3.5, 2.4, 1, .4, .2, .1, 0, 0],
  centre:   [0, 0, 0, 0, 0, 0, 0, .3, 1.5, 3, 3.5, 3.5, 3, 3.2, 3.5, 3.5, 3.4, 3, 2.5, 2, 1.2, .3, 0, 0],
  flat:     [.7, .6, .5, .5, .5, .6, .8, 1, 1, 1, 1, 1, 1.1, 1.1, 1, 1, 1, 1.1, 1.2, 1.3, 1.3, 1.2, 1, .8],
  day:      [.2, .1, .05, .05, .05, .1, .3, .8, 1.5, 2, 2.2, 2.2, 2, 2, 2.1, 2.1, 2, 1.9, 1.8, 1.6, 1.3, 1, .6, .35],
  shift:    [0, 0, 0, 0, 0, 0, 0, 0, .6, 2.5, 3, 3, 1.2, 2.8, 3, 3, 3, 2.6, 1, 1.6, 1.8, 1, 0, 0], // scam compound
  roam:     [.3, .15, .1, .1, .2, .6, 1.5, 2.2, 2.4, 2.4, 2.2, 2, 2, 2, 2, 2, 2, 2.2, 2.4, 2.4, 2, 1.5, 1, .6],
};
const IST_ACCEPT = [.35, .2, .12, .08, .08, .15, .45, .8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, .95, .8, .55];
const DOW = {
  gulf: [1.05, .95, .95, .95, 1.0, 1.6, 1.2],     // Fri/Sat weekend
  uae:  [1.15, .95, .95, .95, 1.0, 1.3, 1.3],     // Sat/Sun weekend, half Friday
  west: [1.5, .9, .9, .9, .95, 1.05, 1.45],
  biz:  [.06, 1, 1, 1, 1, 1, .1],
  gulfbiz: [1, 1, 1, 1, 1, .08, .35],
  centre: [.3, 1, 1, 1, 1, 1, .6],
  flat: [1, 1, 1, 1, 1, 1, 1],
};
// sample a time in [T0,T1) by rejection on curve(caller local) * dow * IST acceptance^accPow
function sampleTime(X, curve, tz, dow, accPow = 1) {
  const R = typeof X === "function" ? X : X.R;
  const cmax = Math.max(...curve), dmax = Math.max(...dow);
  for (let k = 0; k < 10000; k++) {
    const t = T0 + R() * SPAN;
    const w = curveAt(curve, localHour(t, tz)) * dow[localDow(t, tz)] * Math.pow(curveAt(IST_ACCEPT, istHour(t)), accPow);
    if (R() * cmax * dmax <= w) return t;
  }
  return T0 + R() * SPAN;
}

// ------------------------------------------------------------------ numbering
const D = (n) => S.digits(n);
const pk = (a) => a[Math.floor(S.R() * a.length)];
// country: cc, national prefix, tz, mobile / landline NSN generators
const CTRY = {
  AE: { cc: '971', np: '0', tz: 4, dow: 'uae', mob: () => pk(['50', '52', '54', '55', '56', '58']) + D(7), land: () => pk(['4', '4', '2', '6']) + S.int(2, 8) + D(6) },
  SA: { cc: '966', np: '0', tz: 3, dow: 'gulf', mob: () => '5' + pk(['0', '3', '4', '5', '6', '8', '9']) + D(7), land: () => pk(['11', '12']) + pk(['2', '4', '6']) + D(6) },
  QA: { cc: '974', np: '', tz: 3, dow: 'gulf', mob: () => pk(['3', '5', '6', '7']) + D(7), land: () => '44' + D(6) },
  KW: { cc: '965', np: '', tz: 3, dow: 'gulf', mob: () => pk(['50', '55', '65', '66', '69', '94', '96', '97', '99']) + D(6), land: () => '22' + D(6) },
  OM: { cc: '968', np: '', tz: 4, dow: 'gulf', mob: () => (S.chance(.7) ? '9' + D(7) : '7' + pk(['1', '2', '8', '9']) + D(6)), land: () => '24' + D(6) },
  BH: { cc: '973', np: '', tz: 3, dow: 'gulf', mob: () => '3' + pk(['3', '4', '5', '6', '9']) + D(6), land: () => '17' + D(6) },
  US: { cc: '1', np: '1', tz: -5, dow: 'west', mob: () => nanp(['212', '646', '718', '917', '732', '201', '973', '609', '215', '267', '617', '781', '312', '773', '630', '847', '404', '678', '770', '713', '281', '832', '972', '469', '214', '512', '408', '415', '510', '650', '925', '703', '571', '301', '248', '313', '614', '206', '425', '602', '480', '919', '704']), land: () => nanp(['212', '408', '650', '312', '713', '617', '201']) },
  CA: { cc: '1', np: '1', tz: -5, dow: 'west', mob: () => nanp(['416', '647', '437', '905', '289', '604', '778', '403', '587', '780', '514', '613', '519']), land: () => nanp(['416', '905', '604']) },
  GB: { cc: '44', np: '0', tz: 0, dow: 'west', mob: () => '7' + pk(['4', '5', '7', '8', '9']) + D(8), land: () => pk(['207', '208', '203']) + D(7) },
  AU: { cc: '61', np: '0', tz: 11, dow: 'west', mob: () => '4' + pk(['0', '1', '2', '3', '5', '7', '8']) + D(7), land: () => pk(['29', '39', '28', '38']) + D(7) },
  NZ: { cc: '64', np: '0', tz: 13, dow: 'west', mob: () => pk(['21', '22', '27']) + D(7), land: () => '9' + pk(['3', '5', '6']) + D(6) },
  SG: { cc: '65', np: '', tz: 8, dow: 'west', mob: () => pk(['81', '82', '83', '84', '85', '86', '87', '88', '90', '91', '92', '93', '94', '96', '97', '98']) + D(6), land: () => '6' + pk(['2', '3', '5', '6']) + D(6) },
  MY: { cc: '60', np: '0', tz: 8, dow: 'west', mob: () => '1' + pk(['2', '6', '9']) + D(7), land: () => '3' + pk(['2', '7', '8']) + D(7) },
  NP: { cc: '977', np: '0', tz: 5.75, dow: 'west', mob: () => '98' + pk(['0', '1', '4', '5', '6']) + D(7), land: () => '1' + '4' + D(6) },
  BD: { cc: '880', np: '0', tz: 6, dow: 'gulf', mob: () => '1' + pk(['3', '5', '6', '7', '8', '9']) + D(8), land: () => '1' + pk(['3', '7', '8', '9']) + D(8) },
  LK: { cc: '94', np: '0', tz: 5.5, dow: 'west', mob: () => '7' + pk(['0', '1', '2', '5', '6', '7', '8']) + D(7), land: () => '11' + pk(['2', '4', '5']) + D(6) },
  DE: { cc: '49', np: '0', tz: 1, dow: 'west', mob: () => '15' + pk(['1', '2', '7']) + D(8), land: () => pk(['30', '69', '89', '40']) + D(8) },
  IE: { cc: '353', np: '0', tz: 0, dow: 'west', mob: () => '8' + pk(['3', '5', '6', '7', '9']) + D(7), land: () => '1' + D(7) },
  PH: { cc: '63', np: '0', tz: 8, dow: 'west', mob: () => '9' + pk(['05', '06', '15', '16', '17', '18', '19', '20', '21', '26', '27', '28', '29', '35', '39', '45', '55', '56', '66', '75', '77', '95', '96', '97', '98']) + D(7), land: () => '2' + '8' + D(7) },
  KH: { cc: '855', np: '0', tz: 7, dow: 'flat', mob: () => pk(['12', '15', '16', '17', '70', '77', '78', '81', '85', '86', '89', '92', '93', '95', '99']) + D(6), land: () => '23' + D(6) },
  MM: { cc: '95', np: '0', tz: 6.5, dow: 'flat', mob: () => '9' + pk(['25', '26', '40', '42', '44', '45', '69', '75', '76', '77', '78', '79', '96', '97', '98']) + D(7), land: () => '1' + D(6) },
  LA: { cc: '856', np: '0', tz: 7, dow: 'flat', mob: () => '20' + pk(['2', '5', '7', '9']) + D(7), land: () => '21' + D(6) },
  VN: { cc: '84', np: '0', tz: 7, dow: 'flat', mob: () => pk(['90', '91', '93', '94', '96', '97', '98', '32', '33', '34', '35', '36', '37', '38', '39', '86', '88', '70', '76', '77', '78', '79']) + D(7), land: () => '24' + D(8) },
  TH: { cc: '66', np: '0', tz: 7, dow: 'flat', mob: () => pk(['6', '8', '9']) + pk(['1', '2', '3', '4', '5']) + D(7), land: () => '2' + D(7) },
  ID: { cc: '62', np: '0', tz: 7, dow: 'flat', mob: () => '8' + pk(['11', '12', '13', '21', '22', '52', '53', '57', '58', '77', '78', '95', '96', '97']) + D(8), land: () => '21' + D(8) },
  EE: { cc: '372', np: '', tz: 2, dow: 'flat', mob: () => '5' + D(7), land: () => '6' + D(6) },
  SE: { cc: '46', np: '0', tz: 1, dow: 'flat', mob: () => '7' + pk(['0', '2', '3', '6']) + D(7), land: () => '8' + D(7) },
  // revenue-share / wangiri origins
  CI: { cc: '225', np: '', tz: 0, dow: 'flat', mob: () => pk(['07', '05', '01']) + D(8), land: () => '27' + D(8) },
  MR: { cc: '222', np: '', tz: 0, dow: 'flat', mob: () => pk(['2', '3', '4']) + D(7) },
  SL: { cc: '232', np: '0', tz: 0, dow: 'flat', mob: () => pk(['76', '77', '78', '79', '88', '30', '33', '99']) + D(6) },
  TN: { cc: '216', np: '', tz: 1, dow: 'flat', mob: () => pk(['2', '5', '9']) + D(7) },
  MD: { cc: '373', np: '0', tz: 2, dow: 'flat', mob: () => pk(['60', '67', '68', '69', '78', '79']) + D(6) },
  BY: { cc: '375', np: '8', tz: 3, dow: 'flat', mob: () => pk(['29', '33', '44']) + D(7) },
  LV: { cc: '371', np: '', tz: 2, dow: 'flat', mob: () => '2' + D(7) },
  AL: { cc: '355', np: '0', tz: 1, dow: 'flat', mob: () => '6' + pk(['8', '9']) + D(7) },
  CU: { cc: '53', np: '0', tz: -5, dow: 'flat', mob: () => '5' + D(7) },
  GN: { cc: '224', np: '', tz: 0, dow: 'flat', mob: () => '6' + pk(['2', '5', '6']) + D(7) },
  CD: { cc: '243', np: '0', tz: 1, dow: 'flat', mob: () => pk(['81', '82', '84', '85', '89', '97', '99']) + D(7) },
  MG: { cc: '261', np: '0', tz: 3, dow: 'flat', mob: () => '3' + pk(['2', '3', '4']) + D(7) },
  SB: { cc: '677', np: '', tz: 11, dow: 'flat', mob: () => pk(['74', '75', '84', '85']) + D(5) },
  // satellite / non-geographic
  INM: { cc: '870', np: '', tz: 0, dow: 'flat', mob: () => '7' + pk(['6', '7', '7']) + D(7) },
  IRI: { cc: '881', np: '', tz: 0, dow: 'flat', mob: () => '6' + D(8) },
  THU: { cc: '882', np: '', tz: 0, dow: 'flat', mob: () => '16' + D(8) },
  IN: { cc: '91', np: '0', tz: 5.5, dow: 'flat', mob: () => inMobile(S), land: () => inLand(S, pk(Object.keys(REGION))).slice(0) },
};
function nanp(areas) { const ex = String(S.int(2, 9)) + D(2); return pk(areas) + (ex.slice(1) === '11' || ex === '555' ? '4' + ex.slice(1) : ex) + D(4); }
// Indian mobile 3-digit series that are fully allocated (checked with libphonenumber-js, see validate.mjs)
const IN_MOB3 = {
  9: '900 901 902 903 904 905 906 907 908 909 910 911 912 913 914 915 916 917 918 919 920 921 922 923 924 925 926 927 928 929 930 931 932 933 934 935 936 937 938 939 940 941 942 943 944 945 946 947 948 949 950 951 952 953 954 955 956 957 958 959 960 961 962 963 964 965 966 967 968 969 970 971 972 973 974 975 976 977 978 979 980 981 982 983 984 985 986 987 988 989 990 991 992 993 994 995 996 997 998 999',
  8: '800 801 808 809 810 812 814 829 843 860 879 880 887 888 889 890 895 896 897 898 899',
  7: '700 701 702 703 704 705 706 707 708 709 730 735 738 740 750 789 796 797 798 799',
  6: '600 601 602 603 604 605 606 607 608 609 610 614 616 617 619 620 623 626 628 629 630 635 636 637 638 639 640 644 648 649 650 660 666 669 670 677 687 688 689 690 691 692 693 694 695 696 697 698 699',
};
for (const k in IN_MOB3) IN_MOB3[k] = IN_MOB3[k].split(' ');
// partially allocated series: random numbers there are often unallocated
const IN_MOB3_PARTIAL = '611 612 613 615 618 621 622 631 641 651 657 661 663 671 674 680 712 721 724 731 733 734 744 747 751 755 761 771 788 816 820 821 824 831 832 836 861 863 866 870 877 878 883 884 891'.split(' ');
function inMobile(T) { const lead = T.wpick([['9', .5], ['8', .2], ['7', .17], ['6', .13]]); return T.pick(IN_MOB3[lead]) + T.digits(7); }
// STD codes per region (landline NSN is always 10 digits)
const REGION = {
  kerala: [['471', 3], ['484', 4], ['495', 3], ['487', 2], ['483', 2], ['474', 1], ['481', 1], ['497', 2], ['491', 1]],
  tamilnadu: [['44', 5], ['422', 2], ['452', 1], ['431', 1]],
  up: [['522', 3], ['512', 2], ['542', 1], ['532', 1], ['551', 1], ['120', 2]],
  bihar: [['612', 3], ['621', 1], ['631', 1]],
  rajasthan: [['141', 3], ['291', 1], ['294', 1]],
  punjab: [['161', 2], ['183', 2], ['181', 2], ['172', 2]],
  telugu: [['40', 5], ['866', 1], ['891', 1]],
  west: [['22', 5], ['20', 3], ['79', 2], ['261', 1], ['832', 1]],
  south: [['80', 5], ['824', 1], ['40', 1]],
  north: [['11', 6], ['124', 2], ['120', 1]],
  east: [['33', 4], ['674', 1]],
};
function inLand(T, region) { const std = T.wpick(REGION[region]); const loc = T.wpick([['2', 7], ['4', 2], ['6', 1]]) + T.digits(9 - std.length); return std + loc; }
const MIGRANT_REGIONS = [['kerala', 30], ['up', 15], ['bihar', 10], ['tamilnadu', 10], ['rajasthan', 6], ['punjab', 7], ['telugu', 10], ['west', 4], ['south', 4], ['east', 3], ['north', 1]];
const URBAN_REGIONS = [['north', 20], ['west', 25], ['south', 20], ['telugu', 12], ['tamilnadu', 10], ['kerala', 6], ['east', 5], ['punjab', 2]];

if (opt.dump) {
  const o = [];
  for (const [iso, c] of Object.entries(CTRY)) for (const ty of ['mob', 'land']) if (c[ty]) for (let i = 0; i < 300; i++) o.push(`${iso},${ty},+${c.cc}${c[ty]()}`);
  for (const r of Object.keys(REGION)) for (let i = 0; i < 300; i++) o.push(`IN-${r},land,+91${inLand(S, r)}`);
  fs.writeSync(1, o.join('\n') + '\n'); process.exit(0);
}
// ------------------------------------------------------------------ trunks (per seed)
const CARRIER_WORDS = ['gulfline', 'desertnet', 'falconvoice', 'oasistel', 'arabix', 'atlasvoice', 'britvoice', 'crowncomm', 'libertytel', 'mapleconnect', 'kiwilink', 'lionvoice', 'merlion-ix', 'straitscom', 'himalink', 'bengalnet', 'serendib', 'skybridge', 'bluewave', 'oceanix', 'polaris', 'meridian', 'transglobe', 'orbitvoice', 'zenith', 'apex-wholesale', 'cheapvoip', 'routeplus', 'voxhub', 'primecarrier'];
function ipAddr(T) { return `${T.pick([5, 31, 37, 45, 46, 62, 77, 80, 85, 91, 103, 109, 141, 146, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217])}.${T.int(1, 254)}.${T.int(0, 255)}.${T.int(1, 254)}`; }
const TRUNKS = [];
function mkTrunk(name, tier, origins) {
  const fmt = P.wpick([['plus', 4], ['00', 2], ['bare', 3], ['mixed', 2]]);
  const cliMix = fmt === 'mixed' ? { plus: P.u(0, 3), '00': P.u(0, 2), bare: P.u(0, 3), natl: P.u(0, 1.5) } : { [fmt]: 10, natl: P.u(0, tier === 'direct' ? 1.5 : .3) };
  if (origins.includes('US') && P.chance(.4)) cliMix['011'] = P.u(1, 4);
  const ceeFmt = P.wpick([['+91', 4], ['0091', 2], ['91', 4], ['nat', 1], ['mixed', 2]]);
  const ceeMix = ceeFmt === 'mixed' ? { '+91': P.u(0, 3), '0091': P.u(0, 2), '91': P.u(0, 3), nat: P.u(0, 2), '+910': P.u(0, .05) } : { [ceeFmt]: 10 };
  const tr = {
    name, tier, origins, cliMix, ceeMix,
    idStyle: P.pick(['uuid', 'hexat', 'numhost', 'b2b', 'uuidU']), host: ipAddr(P),
    fail: tier === 'direct' ? P.u(.003, .012) : tier === 'hub' ? P.u(.006, .02) : P.u(.015, .05),
    mangle: tier === 'direct' ? P.u(0, .004) : tier === 'hub' ? P.u(.002, .015) : P.u(.01, .08),
    anonStr: P.pick(['anonymous', 'Anonymous', 'anonymous', '', 'Restricted', 'unavailable']),
    noAnsCode: P.chance(.7) ? 480 : 408,
  };
  TRUNKS.push(tr); return tr;
}
const usedNames = new Set();
function carrierName(tag, T = P) { let n; const words = tag === 'ws' ? CARRIER_WORDS.slice(20) : CARRIER_WORDS.slice(0, 25); do { n = `${tag}-${T.pick(words)}-${T.int(1, 9)}`; } while (usedNames.has(n)); usedNames.add(n); return n; }
const DIRECT = {};
for (const cc of ['AE', 'AE', 'SA', 'SA', 'QA', 'KW', 'OM', 'BH', 'US', 'GB', 'GB', 'SG', 'CA', 'AU', 'MY', 'NP', 'BD', 'LK', 'DE']) {
  if (P.chance(cc.length && ['AE', 'SA', 'US', 'GB'].includes(cc) ? .95 : .6)) (DIRECT[cc] ||= []).push(mkTrunk(carrierName(cc.toLowerCase()), 'direct', [cc]));
}
const HUBS = [];
for (const loc of ['lon', 'fra', 'mrs', 'sin', 'dxb', 'nyc', 'hkg', 'ams']) if (P.chance(.7) || HUBS.length < 3) HUBS.push(mkTrunk(`hub-${loc}-${P.int(1, 4)}`, 'hub', []));
const WHOLESALE = [];
for (let i = 0, n = P.int(5, 12); i < n; i++) WHOLESALE.push(mkTrunk(P.chance(.55) ? ipAddr(P) : carrierName('ws'), 'wholesale', []));
const HUB_BIAS = { AE: 'dxb', SA: 'dxb', QA: 'dxb', KW: 'dxb', OM: 'dxb', BH: 'dxb', US: 'nyc', CA: 'nyc', GB: 'lon', DE: 'fra', SG: 'sin', MY: 'sin', AU: 'sin', NZ: 'sin', KH: 'hkg', MM: 'sin', LA: 'hkg', VN: 'hkg', TH: 'sin', PH: 'hkg', ID: 'sin' };
function legitRoute(T, iso, mix = [.62, .3, .08]) {
  const x = T.R();
  if (x < mix[0] && DIRECT[iso]) return T.pick(DIRECT[iso]);
  if (x < mix[0] + mix[1] || !WHOLESALE.length) { const pref = HUBS.filter((h) => h.name.includes(HUB_BIAS[iso] || '~')); return pref.length && T.chance(.7) ? T.pick(pref) : T.pick(HUBS); }
  return T.pick(WHOLESALE);
}

// ------------------------------------------------------------------ formatting
function fmtCli(cli, tr) {
  if (cli.raw !== undefined) return cli.raw;
  if (cli.anon) return tr.anonStr;
  if (S.chance(tr.mangle)) {
    const m = S.wpick([['anon', 3], ['trunc', 2], ['dupcc', 1], ['tech', 1.5], ['zero', 1], ['nsn', 2]]);
    if (m === 'anon') return tr.anonStr;
    if (m === 'trunc') return (cli.cc + cli.nsn).slice(0, S.int(4, cli.cc.length + cli.nsn.length - 2));
    if (m === 'dupcc') return cli.cc + cli.cc + cli.nsn;
    if (m === 'tech') return S.pick(['9001', '1010', '#31#', '0101', '77']) + cli.cc + cli.nsn;
    if (m === 'zero') return '0';
    return cli.nsn;
  }
  const f = cli.fmt || S.wpick(tr.cliMix);
  switch (f) {
    case 'plus': return '+' + cli.cc + cli.nsn;
    case '00': return '00' + cli.cc + cli.nsn;
    case '011': return '011' + cli.cc + cli.nsn;
    case 'natl': return (cli.np ?? '') + cli.nsn;
    case 'ten': return cli.nsn;
    default: return cli.cc + cli.nsn;
  }
}
function fmtCallee(c, tr) {
  const f = S.wpick(tr.ceeMix);
  if (f === '+91') return '+91' + c.num;
  if (f === '0091') return '0091' + c.num;
  if (f === '91') return '91' + c.num;
  if (f === '+910') return '+910' + c.num;
  return c.land ? '0' + c.num : c.num;
}
let callSeq = 0;
function callId(tr) {
  callSeq++;
  switch (tr.idStyle) {
    case 'uuid': return `${S.hex(8)}-${S.hex(4)}-4${S.hex(3)}-${S.pick(['8', '9', 'a', 'b'])}${S.hex(3)}-${S.hex(12)}`;
    case 'uuidU': return `${S.hex(8)}-${S.hex(4)}-${S.hex(4)}-${S.hex(4)}-${S.hex(12)}`.toUpperCase();
    case 'hexat': return `${S.hex(32)}@${tr.host}`;
    case 'numhost': return `${S.int(100000, 999999)}-${callSeq}${S.digits(3)}@${tr.host}`;
    default: return `B2B.${S.int(100, 999)}.${S.digits(7)}.${callSeq}`;
  }
}
const cli = (iso, nsn, extra) => ({ cc: CTRY[iso].cc, np: CTRY[iso].np, nsn, iso, ...extra });

// ------------------------------------------------------------------ callees (Indian subscribers)
const CALLEES = new Map();
const LEAKED = []; // numbers of households with relatives abroad: fraud target lists partly come from leaks of exactly these
function calleeParams(num, kind) {
  const T = tools(mkRng('callee', num));
  const land = kind === 'land' || kind === 'biz';
  return {
    num, land, biz: kind === 'biz', lines: kind === 'biz' ? T.int(2, 12) : 1, ends: [],
    alloc: true,
    ans: land ? T.u(.45, .8) : T.u(.5, .9),          // propensity to answer a ringing call
    unkAns: T.u(.12, .55),                            // ... when the caller is an unknown foreign number
    rej: T.u(.05, .4),                                // propensity to reject unknown callers
    off: land ? T.u(0, .02) : T.wpick([[T.u(0, .04), 6], [T.u(.05, .2), 3], [T.u(.25, .6), 1]]), // switched-off / out of coverage
    nightOff: T.u(1, 4),
    pick: T.u(3, 14), noAns: T.u(28, 58), rejCode: T.chance(.6) ? 603 : 486,
    seen: 0, burned: null,
  };
}
function callee(num, kind = 'mob', allocP = null) {
  let c = CALLEES.get(num);
  if (!c) {
    c = calleeParams(num, kind);
    if (allocP !== null) c.alloc = tools(mkRng('alloc', num)).R() < allocP;
    CALLEES.set(num, c);
  }
  return c;
}
function newHousehold(T, region) {
  const h = { mobs: [], land: null, region };
  const nm = T.wpick([[1, 4], [2, 4], [3, 2]]);
  for (let i = 0; i < nm; i++) { const c = callee(inMobile(T)); h.mobs.push(c); LEAKED.push(c); }
  if (T.chance(region === 'kerala' ? .3 : .15)) h.land = callee(inLand(T, region), 'land');
  return h;
}
function randomIndianTarget(T, mode = 'mob', leakP = .2) {
  if (mode === 'mob') {
    if (LEAKED.length && T.chance(leakP)) return LEAKED[Math.floor(T.R() * LEAKED.length)];
    if (T.chance(.07)) return callee(T.pick(IN_MOB3_PARTIAL) + T.digits(7), 'mob', .35);
    return callee(inMobile(T), 'mob', .93);
  }
  return callee(inLand(T, T.wpick(URBAN_REGIONS)), 'land', .85);
}

// ------------------------------------------------------------------ event engine
const heap = [];
let evSeq = 0;
function push(t, fn) { const e = { t, s: evSeq++, fn }; heap.push(e); let i = heap.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (lt(heap[p], e)) break; heap[i] = heap[p]; i = p; } heap[i] = e; }
function lt(a, b) { return a.t < b.t || (a.t === b.t && a.s < b.s); }
function pop() { const top = heap[0], last = heap.pop(); if (heap.length) { let i = 0; const n = heap.length; for (;;) { let l = 2 * i + 1, r = l + 1, m = i; if (l < n && lt(heap[l], m === i ? last : heap[m])) m = l; if (r < n && lt(heap[r], m === i ? last : heap[m])) m = r; if (m === i) break; heap[i] = heap[m]; i = m; } heap[i] = last; } return top; }

const rows = [];
const stat = {};
// spec: {t, from:cli, to:callee, tr:trunk, label, kind, patience, known, ansMult, rejMult, talk:fn, after:fn, failMult, silent}
function call(spec) { if (spec.t >= T0 && spec.t < T1) push(spec.t, () => exec(spec)); }
function exec(sp) {
  const r = resolve(sp);
  const caller = fmtCli(sp.from, sp.tr);
  const c = sp.to;
  rows.push([sp.t, caller, fmtCallee(c, sp.tr), callId(sp.tr), sp.tr.name, r.status, r.ring, r.dur, sp.label, sp.kind]);
  const k = sp.label + '/' + sp.kind; stat[k] = (stat[k] || 0) + 1;
  if (sp.after) sp.after(r, sp);
}
function resolve(sp) {
  const c = sp.to, t = sp.t, h = istHour(t);
  const ring = (x) => Math.max(0, Math.round(x * 10) / 10);
  if (S.chance(sp.tr.fail * (sp.failMult || 1))) return { status: S.wpick([[503, 5], [500, 1], [502, 1], [488, 1], [403, .5]]), ring: ring(S.u(.05, 3)), dur: 0 };
  if (!c.alloc) return { status: S.wpick([[404, 8], [484, 1], [410, 1]]), ring: ring(S.u(.2, 2.5)), dur: 0 };
  let active = 0; for (const e of c.ends) if (e > t) active++;
  if (c.ends.length > 8) c.ends = c.ends.filter((e) => e > t);
  let waiting = false;
  if (active >= c.lines) {
    if (c.lines === 1 && !c.land && S.chance(.35)) waiting = true;
    else return { status: c.lines > 1 && S.chance(.3) ? 503 : 486, ring: ring(S.u(.2, 2.5)), dur: 0 };
  }
  const night = h < 6 || h >= 23;
  if (S.chance(Math.min(.9, c.off * (night ? c.nightOff : 1)))) return S.chance(.78) ? { status: 480, ring: ring(S.u(.8, 7)), dur: 0 } : { status: 408, ring: ring(S.u(18, 34)), dur: 0 };
  const acc = curveAt(IST_ACCEPT, h);
  let pA;
  if (sp.known) pA = c.ans * (0.55 + 0.45 * Math.sqrt(acc)) * (sp.ansMult || 1);
  else if (c.biz) pA = c.ans * (acc > .5 ? 1 : .25) * Math.min(1.3, sp.ansMult || 1); // a business line answers whoever calls in office hours
  else {
    pA = c.unkAns * acc * (sp.ansMult || 1) / (1 + 0.25 * c.seen);
    c.seen++;
    if (c.burned && sp.burnKey && c.burned.has(sp.burnKey)) pA *= 0.15;
  }
  if (waiting) pA *= 0.3;
  pA = Math.min(.97, pA);
  const patience = sp.patience ?? 45;
  if (S.chance(pA)) {
    const pickup = S.logn(c.pick * (sp.known ? .8 : 1.2), .45);
    if (pickup > c.noAns) return { status: sp.tr.noAnsCode, ring: ring(c.noAns + S.u(0, 2)), dur: 0 };
    if (pickup > patience) return { status: 487, ring: ring(patience), dur: 0 };
    const dur = Math.max(1, Math.round(sp.talk ? sp.talk() : S.logn(120, 1)));
    c.ends.push(t + (pickup + dur) * 1000);
    if (sp.burnKey) (c.burned ||= new Set()).add(sp.burnKey);
    return { status: 200, ring: ring(pickup), dur };
  }
  const rejP = (sp.known ? c.rej * .25 : c.rej) * (sp.rejMult || 1);
  if (S.chance(rejP)) { const rt = S.u(2, 14); if (rt < patience) return { status: c.rejCode, ring: ring(rt), dur: 0 }; }
  if (patience < c.noAns) return { status: 487, ring: ring(patience * S.u(.97, 1)), dur: 0 };
  return { status: S.chance(.85) ? sp.tr.noAnsCode : (sp.tr.noAnsCode === 480 ? 408 : 480), ring: ring(c.noAns + S.u(0, 1.5)), dur: 0 };
}
const sec = (s) => s * 1000;
const FAILED = (st) => st !== 200;

// ------------------------------------------------------------------ plan: volumes
const TOTAL = Math.round(P.u(115000, 190000) * opt.scale * opt.hours / 24);
const FRAUD_SHARE = P.u(.04, .15);
const LEGIT_N = TOTAL * (1 - FRAUD_SHARE), FRAUD_N = TOTAL * FRAUD_SHARE;
const jitterW = (base, sd) => { const o = {}; let s = 0; for (const k in base) { o[k] = base[k] * Math.exp(sd * P.norm()); s += o[k]; } for (const k in o) o[k] /= s; return o; };
const LEGIT_W = jitterW({ gulf: .40, diaspora: .13, neighbour: .045, student: .04, roamer: .065, business: .05, centre: .05, otp: .04, conference: .012, maritime: .01, app: .06, grey: .035, popular: .025, event: .008, flash: .02 }, .3);
// per-seed behaviour knobs
const K = {
  gulfRedial: P.u(.5, .9), gulfMaxRetry: P.int(2, 5), gulfTalk: P.u(240, 600), gulfShared: P.u(.03, .12),
  diaspTalk: P.u(420, 1200), roamTalk: P.u(60, 200), bizTalk: P.u(150, 420), otpAns: P.u(1.5, 2.4),
  cliR: P.u(.003, .02), gulfFriday: P.u(1.2, 1.6),
};
DOW.gulf[5] = K.gulfFriday; DOW.uae[5] = 1 + (K.gulfFriday - 1) * .6;
const plan = [];

// helper: generic "person calls a small set of known numbers" session with redial logic
function personSession(T, o) {
  // o: {t, from, targets:[callee], tr:fn()->trunk, kind, talk, maxRetry, redialP, gap:fn(status)->s, alsoNext}
  let idx = 0, tries = 0;
  const go = (t) => {
    let to = o.targets[idx];
    if (T.chance(.004)) { const n = to.num, i = T.int(2, 9); to = callee(n.slice(0, i) + T.int(0, 9) + n.slice(i + 1), to.land ? 'land' : 'mob', .5); } // misdial
    call({ t, from: o.from, to, tr: o.tr(), label: 'legit', kind: o.kind, patience: o.patience ? o.patience() : T.u(30, 65), known: true, talk: o.talk,
      after: (r, sp) => {
        const tEnd = sp.t + sec(r.ring + r.dur);
        if (r.status === 200) {
          if (r.dur < 25 && T.chance(.22)) return go(tEnd + sec(T.u(3, 40))); // dropped line, redial
          if (idx + 1 < o.targets.length && T.chance(o.alsoNext ?? .3)) { idx++; tries = 0; return go(tEnd + sec(T.u(20, 1500))); }
          return;
        }
        if (r.status >= 500) { if (tries++ < 3) return go(tEnd + sec(T.u(2, 30))); return; }
        if (tries < o.maxRetry && T.chance(o.redialP)) { tries++; return go(tEnd + sec(o.gap ? o.gap(r.status) : T.logn(r.status === 486 ? 90 : 45, .8))); }
        if (idx + 1 < o.targets.length && T.chance(.55)) { idx++; tries = 0; return go(tEnd + sec(T.u(10, 240))); }
        if (T.chance(.2)) { tries = 0; return go(tEnd + sec(T.u(900, 5400))); } // try again much later
      } });
  };
  go(o.t);
}

// ------------------------------------------------------------------ legit populations
const L = {};
// day-of-week volume factor of the simulated window relative to a Mon-Thu day (Friday in the Gulf, weekends in the West)
function dowFactor(dow, tz) { let s = 0, n = 0; for (let t = T0; t < T1; t += 600e3, n++) s += dow[localDow(t, tz)]; return (s / n) / ((dow[1] + dow[2] + dow[3] + dow[4]) / 4); }
function sessionsFor(key, perSession, dow = DOW.flat, tz = 5.5) { return Math.max(0, Math.round(LEGIT_N * LEGIT_W[key] / perSession * dowFactor(dow, tz))); }

// 1. Gulf migrant workers -> families
{
  const T = tools(mkRng('gulf'));
  const GC = jitterW({ AE: .34, SA: .3, QA: .1, KW: .1, OM: .1, BH: .06 }, .25);
  const nSess = sessionsFor('gulf', 1.75, DOW.gulf, 3.5);
  const nWorkers = Math.round(nSess / T.u(.55, .8));
  const workers = [];
  for (let i = 0; i < nWorkers; i++) {
    const iso = T.wpick(GC), region = T.wpick(MIGRANT_REGIONS), hh = newHousehold(T, region);
    const targets = [...hh.mobs]; if (hh.land) targets.splice(T.int(0, targets.length), 0, hh.land);
    workers.push({ iso, from: cli(iso, CTRY[iso].mob(), { anon: T.chance(K.cliR) }), targets, rate: T.logn(.7, .6), route: [T.R() < .25 ? null : legitRoute(T, iso), T.chance(.3) ? legitRoute(T, iso) : null], routine: T.chance(.15) ? T.u(0, 1) : null });
  }
  // labour-camp shared phones: one CLI for several workers' families
  const shared = [];
  for (let i = 0; i < nWorkers * K.gulfShared / 4; i++) { const w = T.pick(workers); shared.push(w.from); }
  for (const w of workers) if (shared.length && T.chance(K.gulfShared)) w.from = T.pick(shared);
  let made = 0;
  const wsum = workers.reduce((a, w) => a + w.rate, 0);
  for (const w of workers) {
    const n = T.pois(w.rate / wsum * nSess);
    let tRoutine = null;
    for (let k = 0; k < n; k++) {
      let t;
      if (w.routine !== null && k === 0) { t = sampleTime(T, CURVE.gulf, CTRY[w.iso].tz, DOW[CTRY[w.iso].dow]); tRoutine = t; }
      else t = sampleTime(T, CURVE.gulf, CTRY[w.iso].tz, DOW[CTRY[w.iso].dow], .5);
      const tr = () => (w.route[1] && S.chance(.35)) ? w.route[1] : (w.route[0] || legitRoute(S, w.iso));
      personSession(T, { t, from: w.from, targets: T.chance(.15) ? [...w.targets].reverse() : w.targets, tr, kind: 'gulf_migrant', talk: () => Math.min(7200, S.logn(K.gulfTalk, .9)), maxRetry: K.gulfMaxRetry, redialP: K.gulfRedial, alsoNext: .35 });
      made++;
    }
  }
  L.gulf = { workers: nWorkers, sessions: made };
}

// 2. diaspora (West / East Asia / Oceania) and 3. neighbours (NP/BD/LK), 4. students
function diasporaLike(key, kind, countries, curve, perSess, talkMed, accPow, maxRetry) {
  const T = tools(mkRng(key));
  const nSess = sessionsFor(key, perSess, DOW[key === 'neighbour' ? 'flat' : 'west'], countries.GB ? 0 : 5.5);
  const nCallers = Math.round(nSess / T.u(.35, .7));
  const people = [];
  for (let i = 0; i < nCallers; i++) {
    const iso = T.wpick(countries), hh = newHousehold(T, T.wpick(T.chance(.5) ? URBAN_REGIONS : MIGRANT_REGIONS));
    const targets = [...hh.mobs]; if (hh.land && T.chance(.6)) targets.unshift(hh.land);
    const useLand = T.chance(iso === 'US' || iso === 'CA' ? .15 : .05);
    people.push({ iso, from: cli(iso, useLand ? CTRY[iso].land() : CTRY[iso].mob(), { anon: T.chance(K.cliR) }), targets, rate: T.logn(1, .7), tr: T.chance(.2) ? null : legitRoute(T, iso) });
  }
  const wsum = people.reduce((a, w) => a + w.rate, 0);
  let made = 0;
  for (const p of people) {
    const n = T.pois(p.rate / wsum * nSess);
    for (let k = 0; k < n; k++) {
      const c = CTRY[p.iso];
      personSession(T, { t: sampleTime(T, curve, c.tz, DOW[c.dow], accPow), from: p.from, targets: p.targets, tr: () => p.tr || legitRoute(S, p.iso), kind, talk: () => Math.min(10800, S.logn(talkMed, .95)), maxRetry, redialP: .6, alsoNext: .3 });
      made++;
    }
  }
  L[key] = { callers: nCallers, sessions: made };
}
diasporaLike('diaspora', 'diaspora', jitterW({ US: .3, GB: .2, CA: .14, AU: .1, SG: .07, MY: .05, DE: .05, NZ: .03, IE: .02, SE: .02 }, .3), CURVE.home, 1.5, K.diaspTalk, 1, 3);
diasporaLike('neighbour', 'neighbour_family', jitterW({ NP: .5, BD: .3, LK: .2 }, .3), CURVE.home, 1.6, 240, 1, 4);
diasporaLike('student', 'student', jitterW({ US: .25, GB: .2, CA: .22, AU: .18, DE: .08, IE: .04, NZ: .03 }, .3), CURVE.student, 1.45, 600, .3, 2);

// 5. Indian roamers presenting their own +91 mobile from foreign networks
{
  const T = tools(mkRng('roamer'));
  const nSess = sessionsFor('roamer', 1.6);
  const n = Math.round(nSess / T.u(1.2, 2.5));
  const visited = jitterW({ AE: .3, SA: .12, SG: .1, GB: .1, US: .1, TH: .08, MY: .05, QA: .05, DE: .04, AU: .03, NP: .03 }, .3);
  let made = 0;
  for (let i = 0; i < n; i++) {
    const iso = T.wpick(visited), own = inMobile(T);
    const from = { cc: '91', np: '0', nsn: own, iso: 'IN', fmt: T.chance(.8) ? undefined : T.pick(['natl', 'ten', 'plus']) };
    const hh = newHousehold(T, T.wpick(URBAN_REGIONS));
    const office = Array.from({ length: T.int(0, 4) }, () => T.chance(.4) ? callee(inLand(T, T.wpick(URBAN_REGIONS)), 'biz') : callee(inMobile(T)));
    const tr = DIRECT[iso] ? T.pick(DIRECT[iso]) : legitRoute(T, iso, [0, .7, .3]);
    const k = 1 + T.pois(T.logn(1.3, .6));
    for (let j = 0; j < k; j++) {
      const targets = T.chance(.55) || !office.length ? [T.pick(hh.mobs)] : [T.pick(office)];
      personSession(T, { t: sampleTime(T, CURVE.roam, CTRY[iso].tz, DOW.flat, .7), from, targets, tr: () => tr, kind: iso === 'SA' && T.chance(.5) ? 'roamer_pilgrim' : 'roamer', talk: () => S.logn(K.roamTalk, 1), maxRetry: 2, redialP: .55 });
      made++;
    }
  }
  L.roamer = { roamers: n, sessions: made };
}

// 6. business PBXs (main number or DID block) -> Indian partners/offices
{
  const T = tools(mkRng('business'));
  const nSess = sessionsFor('business', 1.35, DOW.biz, 1);
  const nCo = Math.max(5, Math.round(nSess / T.u(8, 25)));
  const cos = [];
  for (let i = 0; i < nCo; i++) {
    const iso = T.wpick({ US: 5, GB: 4, AE: 4, DE: 2, SG: 2, SA: 1, AU: 1, CA: 1, QA: 1, IE: .5, SE: .5 });
    const main = CTRY[iso].land();
    const didBlock = T.chance(.4) ? main.slice(0, -2) : null;
    const partners = Array.from({ length: T.int(2, 40) }, () => T.chance(.55) ? callee(inLand(T, T.wpick(URBAN_REGIONS)), 'biz') : callee(inMobile(T)));
    cos.push({ iso, main, didBlock, partners, rate: T.logn(1, 1), tr: T.chance(.8) ? legitRoute(T, iso, [.5, .45, .05]) : null });
  }
  const wsum = cos.reduce((a, c) => a + c.rate, 0);
  let made = 0;
  for (const co of cos) {
    const n = T.pois(co.rate / wsum * nSess), c = CTRY[co.iso];
    for (let k = 0; k < n; k++) {
      const nsn = co.didBlock && T.chance(.7) ? co.didBlock + T.digits(2) : co.main;
      personSession(T, { t: sampleTime(T, CURVE.business, c.tz, DOW[c.dow === 'gulf' || co.iso === 'AE' ? 'gulfbiz' : 'biz'], .5), from: cli(co.iso, nsn), targets: [T.pick(co.partners)], tr: () => co.tr || legitRoute(S, co.iso), kind: co.didBlock ? 'business_did' : 'business_pbx', talk: () => S.logn(K.bizTalk, .9), maxRetry: 2, redialP: .5 });
      made++;
    }
  }
  L.business = { companies: nCo, sessions: made };
}

// generic dialer (agents working through a list); used by call centres, telemarketing, scams...
// o: {label, kind, agents, windows:[[t0,t1]], nextTarget(T)->callee, from(T, agent)->cli, tr(T, agent), patience, ansMult, rejMult, talk,
//     wrap(T)->s, retry: {p, gapS:[a,b], max}, burnKey, failMult}
function dialer(T, o) {
  let made = 0;
  if (o.label !== 'legit' && o.budget) o.maxCalls = Math.ceil(o.budget * 1.1);
  for (let a = 0; a < o.agents; a++) {
    const ag = { id: a, cli: null, n: 0 };
    let w = 0;
    const startIn = (ti) => { const [s, e] = o.windows[ti]; return s + T.u(0, Math.min(sec(900), (e - s) * .3)); };
    const next = (t) => {
      while (w < o.windows.length && t >= o.windows[w][1]) { w++; if (w < o.windows.length) t = Math.max(t, startIn(w)); }
      if (w >= o.windows.length || t >= T1) return;
      if (o.maxCalls && made >= o.maxCalls) return;
      if (o.breakP && T.chance(o.breakP)) t += sec(T.u(300, 2400));
      const to = o.nextTarget(T, ag); if (!to) return;
      place(t, to, 0);
    };
    const place = (t, to, attempt) => {
      made++; ag.n++;
      const from = o.from(T, ag, to);
      call({ t, from, to, tr: o.tr(T, ag), label: o.label, kind: o.kind, patience: typeof o.patience === 'function' ? o.patience(T) : o.patience, known: false, ansMult: o.ansMult, rejMult: o.rejMult, talk: o.talk, burnKey: o.burnKey, failMult: o.failMult,
        after: (r, sp) => {
          const tEnd = sp.t + sec(r.ring + r.dur);
          if (o.retry && r.status !== 200 && r.status !== 404 && attempt < o.retry.max && T.chance(o.retry.p)) {
            const tr2 = tEnd + sec(T.u(...o.retry.gapS));
            if (tr2 < T1) push(tr2, () => place(tr2, to, attempt + 1));
          }
          if (o.onResult) o.onResult(r, sp, ag);
          if (attempt === 0) next(tEnd + sec(o.wrap(T, r)));
        } });
    };
    if (o.windows.length) next(o.agentStart ? o.agentStart(T, a) : startIn(0));
  }
  return made;
}
// windows helper: business-hour window(s) in a given tz for each simulated day
function dayWindows(tz, fromH, toH, dow = null, T = P) {
  const out = [];
  for (let d = -1; d <= Math.ceil(opt.hours / 24) + 1; d++) {
    const base = Date.UTC(+opt.start.slice(0, 4), +opt.start.slice(5, 7) - 1, +opt.start.slice(8, 10) + d) - tz * 3600e3;
    const s = base + (fromH + T.u(-.25, .25)) * 3600e3, e = base + (toH + T.u(-.25, .25)) * 3600e3;
    if (dow && T.R() > dow[new Date(base + tz * 3600e3 + 3600e3).getUTCDay()]) continue;
    const s2 = Math.max(s, T0), e2 = Math.min(e, T1);
    if (e2 > s2) out.push([s2, e2]);
  }
  return out;
}
const winHours = (ws) => ws.reduce((a, [s, e]) => a + (e - s) / 3600e3, 0);

// 7. foreign call centres: banks, airlines, recruiters, universities, US toll-free CLIs
{
  const T = tools(mkRng('centre'));
  const target = LEGIT_N * LEGIT_W.centre;
  const types = [
    ['gulf_bank', 'AE', () => T.chance(.5) ? '600' + T.digits(6) : '4' + T.digits(7)],
    ['airline', T.pick(['AE', 'QA', 'SG', 'GB']), () => CTRY.AE.land()],
    ['recruiter', T.pick(['AE', 'SA', 'QA']), null],
    ['university', T.pick(['GB', 'AU', 'CA', 'US']), null],
    ['us_tollfree_centre', 'US', () => T.pick(['800', '888', '877', '866']) + String(T.int(200, 999)) + T.digits(4)],
    ['uk_bank', 'GB', () => T.pick(['345', '330', '300']) + T.digits(7)],
  ];
  let made = 0, nC = 0;
  const per = target / types.length;
  for (const [kind, iso0, nsnF] of types) {
    if (!T.chance(.85)) continue;
    nC++;
    const iso = kind === 'airline' ? iso0 : iso0;
    const c = CTRY[iso];
    const main = nsnF && kind !== 'airline' ? nsnF() : kind === 'recruiter' && T.chance(.5) ? c.mob() : c.land();
    const block = T.chance(.35) ? main.slice(0, -2) : null;
    const ws = dayWindows(c.tz, T.u(8, 10), T.u(17, 21), DOW.centre, T);
    const cycle = 30 + .35 * 200 + 60;
    const agents = Math.max(1, Math.round(per * T.u(.6, 1.4) / Math.max(1, winHours(ws) * 3600 / cycle)));
    const list = []; for (let i = 0, n = Math.round(per * 1.5); i < n; i++) list.push(T.chance(.92) ? callee(inMobile(T)) : callee(inLand(T, T.wpick(URBAN_REGIONS)), 'land'));
    let li = 0;
    made += dialer(T, { label: 'legit', kind: 'callcentre_' + kind, agents, windows: ws, nextTarget: () => list[li++ % list.length],
      from: () => cli(iso, block && T.chance(.8) ? block + T.digits(2) : main), tr: () => legitRoute(S, iso, [.7, .3, 0]),
      patience: (T) => T.u(25, 45), ansMult: kind === 'airline' || kind === 'recruiter' ? 1.6 : 1.1, talk: () => S.logn(150, .9), wrap: (T) => T.u(20, 120),
      retry: { p: .45, gapS: [1800, 10800], max: 2 }, breakP: .01 });
  }
  L.centre = { centres: nC, approx: made };
}

// 8. voice OTP / notification platforms (rotating pools of CLIs), bursty by IST activity
{
  const T = tools(mkRng('otp'));
  const nPlat = T.int(2, 5);
  const nCalls = LEGIT_N * LEGIT_W.otp;
  let made = 0;
  for (let p = 0; p < nPlat; p++) {
    const iso = T.pick(['GB', 'US', 'EE', 'SE', 'SG', 'DE', 'AE']);
    const poolN = T.pick([1, 3, 10, 40, 150]);
    const base = CTRY[iso].mob().slice(0, -3);
    const pool = Array.from({ length: poolN }, () => (T.chance(.7) ? base + T.digits(3) : CTRY[iso].mob()));
    const tr = legitRoute(T, iso, [.2, .6, .2]);
    const n = Math.round(nCalls / nPlat * T.u(.5, 1.5) / 1.25);
    for (let i = 0; i < n; i++) {
      const t = sampleTime(T, CURVE.day, 5.5, DOW.flat, 0);
      const to = callee(inMobile(T));
      const one = (t, k) => call({ t, from: cli(iso, T.pick(pool)), to, tr, label: 'legit', kind: 'voice_otp', patience: T.u(25, 40), known: true, ansMult: K.otpAns / 2, rejMult: .3, talk: () => S.u(12, 45),
        after: (r, sp) => { if (r.status !== 200 && k < 2 && T.chance(.5)) one(sp.t + sec(r.ring + T.u(30, 120)), k + 1); } });
      one(t, 0); made++;
    }
  }
  L.otp = { platforms: nPlat, requests: made };
}

// 9. conference bridges dialling out participants at :00 / :30
{
  const T = tools(mkRng('conf'));
  const nMeet = Math.round(LEGIT_N * LEGIT_W.conference / 6);
  const bridges = Array.from({ length: T.int(2, 6) }, () => { const iso = T.pick(['US', 'GB', 'SG', 'DE']); return { iso, nsn: CTRY[iso].land() }; });
  const teams = Array.from({ length: Math.max(3, Math.round(nMeet / 3)) }, () => Array.from({ length: T.int(2, 14) }, () => callee(inMobile(T))));
  for (let m = 0; m < nMeet; m++) {
    const b = T.pick(bridges), team = T.pick(teams);
    let t = sampleTime(T, CURVE.business, 5.5, DOW.biz, 0);
    t = Math.floor(t / 1800e3) * 1800e3 + sec(T.u(-60, 90));
    const len = T.pick([900, 1800, 1800, 2700, 3600]) * T.u(.8, 1.2);
    const tr = legitRoute(T, b.iso, [.4, .6, 0]);
    team.forEach((to, i) => call({ t: t + sec(i * T.u(.3, 3)), from: cli(b.iso, b.nsn), to, tr, label: 'legit', kind: 'conference_dialout', patience: 40, known: false, ansMult: 2.2, rejMult: .3, talk: () => Math.max(30, len * S.u(.5, 1.02)) }));
  }
  L.conference = { meetings: nMeet };
}

// 10. seafarers via satellite / crew-calling CLIs
{
  const T = tools(mkRng('maritime'));
  const nSess = sessionsFor('maritime', 1.7);
  const ships = Array.from({ length: Math.max(3, Math.round(nSess / 6)) }, () => { const s = T.pick(['INM', 'INM', 'IRI', 'THU', 'GB', 'SG']); return { from: cli(s, CTRY[s].mob()), crewSvc: ['GB', 'SG'].includes(s), tr: T.pick(HUBS) }; });
  for (let i = 0; i < nSess; i++) {
    const sh = T.pick(ships), hh = newHousehold(T, T.wpick(MIGRANT_REGIONS));
    personSession(T, { t: sampleTime(T, CURVE.flat, 5.5, DOW.flat, .6), from: sh.from, targets: hh.mobs, tr: () => sh.tr, kind: sh.crewSvc ? 'seafarer_crewcall' : 'seafarer_satphone', talk: () => S.logn(240, .8), maxRetry: 3, redialP: .7 });
  }
  L.maritime = { ships: ships.length, sessions: nSess };
}

// 11. OTT app-to-phone / calling-card breakout (platform CLIs, shared pools, odd formats) and 12. grey route
{
  const T = tools(mkRng('app'));
  const nSess = sessionsFor('app', 1.6, DOW.gulf, 3.5);
  const apps = Array.from({ length: T.int(3, 7) }, () => {
    const iso = T.pick(['AE', 'SA', 'GB', 'US', 'SG', 'EE', 'QA']);
    const style = T.pick(['platform', 'pool', 'userNoCC', 'userNum', 'random']);
    const pool = Array.from({ length: T.pick([1, 5, 30, 200]) }, () => CTRY[iso].mob());
    return { iso, style, pool, tr: T.chance(.5) ? T.pick(WHOLESALE.length ? WHOLESALE : HUBS) : T.pick(HUBS) };
  });
  for (let i = 0; i < nSess; i++) {
    const a = T.pick(apps), uIso = T.wpick({ AE: 3, SA: 3, QA: 1, KW: 1, OM: 1, US: 1, GB: 1 });
    const user = CTRY[uIso].mob(), hh = newHousehold(T, T.wpick(MIGRANT_REGIONS));
    const fromF = () => a.style === 'platform' ? cli(a.iso, a.pool[0]) : a.style === 'pool' ? cli(a.iso, T.pick(a.pool)) : a.style === 'userNoCC' ? { raw: user } :
      a.style === 'userNum' ? cli(uIso, user) : { raw: T.pick(['', '0', '1' + T.digits(9), T.digits(T.int(5, 9)), 'unknown']) };
    const f = fromF();
    personSession(T, { t: sampleTime(T, CURVE.gulf, 4, DOW.gulf, .5), from: a.style === 'pool' ? cli(a.iso, T.pick(a.pool)) : f, targets: hh.mobs, tr: () => a.tr, kind: a.style === 'platform' || a.style === 'pool' ? 'calling_card' : 'app_breakout', talk: () => S.logn(300, 1), maxRetry: 3, redialP: .7 });
  }
  const g = tools(mkRng('grey'));
  const nG = sessionsFor('grey', 1.6, DOW.gulf, 3.5);
  for (let i = 0; i < nG; i++) {
    const iso = g.wpick({ AE: 3, SA: 3, US: 1, GB: 1, BD: 1, NP: 1, MY: 1 }), hh = newHousehold(g, g.wpick(MIGRANT_REGIONS));
    const nsn = CTRY[iso].mob();
    const from = g.wpick([[{ raw: '' }, 2], [{ raw: nsn }, 3], [{ raw: '0' + nsn.slice(0, g.int(5, 8)) }, 1], [{ raw: CTRY[iso].cc + nsn + g.digits(2) }, 1], [cli(iso, nsn, { fmt: 'natl' }), 2], [{ raw: g.pick(['0000000000', '1234567890', '+0000', '123']) }, .7]]);
    personSession(g, { t: sampleTime(g, CURVE.gulf, 4, DOW.gulf, .5), from, targets: hh.mobs, tr: () => g.pick(WHOLESALE.length ? WHOLESALE : HUBS), kind: 'grey_route', talk: () => S.logn(280, 1), maxRetry: 3, redialP: .65 });
  }
  L.app = { apps: apps.length, sessions: nSess, grey: nG };
}

// 13. popular Indian lines (hotels, hospitals, tour operators, temples) called by many foreigners
{
  const T = tools(mkRng('popular'));
  const nSess = sessionsFor('popular', 1.3);
  const lines = Array.from({ length: T.int(4, 25) }, () => ({ c: callee(T.chance(.7) ? inLand(T, T.pick(['kerala', 'west', 'tamilnadu', 'north', 'south'])) : inMobile(T), T.chance(.7) ? 'biz' : 'mob'), w: T.logn(1, 1.1) }));
  for (const l of lines) { if (l.c.lines === 1 && !l.c.land) l.c.ans = .95; else l.c.lines = Math.max(l.c.lines, T.int(4, 30)); }
  for (let i = 0; i < nSess; i++) {
    const l = T.wpick(lines.map((x) => [x, x.w]));
    const iso = T.wpick({ US: 3, GB: 3, DE: 2, AE: 3, AU: 1, SA: 1, SG: 1, CA: 1, SE: .5, IE: .5 });
    personSession(T, { t: sampleTime(T, CURVE.day, 5.5, DOW.flat, 0), from: cli(iso, T.chance(.7) ? CTRY[iso].mob() : CTRY[iso].land()), targets: [l.c], tr: () => legitRoute(S, iso), kind: 'popular_line', talk: () => S.logn(200, .8), maxRetry: 2, redialP: .6 });
  }
  L.popular = { lines: lines.length, sessions: nSess };
}

// 14. family events: news (illness, death, wedding) -> many relatives abroad call one home in a burst
{
  const T = tools(mkRng('event'));
  const nEv = Math.max(1, Math.round(LEGIT_N * LEGIT_W.event / 40));
  for (let e = 0; e < nEv; e++) {
    const hh = newHousehold(T, T.wpick(MIGRANT_REGIONS)), t0 = T0 + T.u(0, SPAN * .9), spread = T.u(1800, 14400);
    const home = [...hh.mobs, ...(hh.land ? [hh.land] : [])];
    for (let r = 0, n = T.int(8, 40); r < n; r++) {
      const iso = T.wpick({ AE: 4, SA: 3, QA: 1, KW: 1, OM: 1, US: 1, GB: 1, CA: .5 });
      personSession(T, { t: t0 + sec(T.exp(spread / 3)), from: cli(iso, CTRY[iso].mob()), targets: [T.pick(home)], tr: () => legitRoute(S, iso), kind: 'family_event', talk: () => S.logn(180, .8), maxRetry: 5, redialP: .85, gap: () => T.u(20, 200) });
    }
  }
  L.event = { events: nEv };
}

// 15. legit "missed call" signalling: migrant rings briefly so family calls back on WhatsApp
{
  const T = tools(mkRng('flash'));
  const n = Math.round(LEGIT_N * LEGIT_W.flash / 1.3);
  for (let i = 0; i < n; i++) {
    const iso = T.wpick({ AE: 3, SA: 3, QA: 1, KW: 1, OM: 1, BH: .5 }), hh = newHousehold(T, T.wpick(MIGRANT_REGIONS));
    const from = cli(iso, CTRY[iso].mob()), to = T.pick(hh.mobs);
    const t = sampleTime(T, CURVE.gulf, CTRY[iso].tz, DOW[CTRY[iso].dow], .3);
    const k = T.chance(.3) ? 2 : 1;
    for (let j = 0; j < k; j++) call({ t: t + sec(j * T.u(20, 300)), from, to, tr: legitRoute(T, iso), label: 'legit', kind: 'flash_missed_call', patience: T.u(2, 8), known: true, talk: () => S.u(2, 20) });
  }
}

// ------------------------------------------------------------------ fraud campaigns
const F = [];
const FRAUD_BASE = { wangiri: [.8, 3], spoofing: [.9, 3], scam: [.7, 2.5], robocall: [.55, 2], cli_rotation: [.45, 1.2], tdos: [.35, .5], toll_free_cli: [.45, .8], invalid_cli: [.5, .8], telemarketing: [.7, 1.5] };
const classes = Object.keys(FRAUD_BASE).filter((k) => P.chance(FRAUD_BASE[k][0]));
if (classes.length < 3) for (const k of ['spoofing', 'wangiri', 'scam']) if (!classes.includes(k)) classes.push(k);
const classW = {}; for (const k of classes) classW[k] = FRAUD_BASE[k][1] * Math.exp(.5 * P.norm());
const cwSum = Object.values(classW).reduce((a, b) => a + b, 0);
const fraudRoute = (T, mix = { ws: .6, hub: .35, dir: .05 }, iso) => { const k = T.wpick(mix); if (k === 'dir' && iso && DIRECT[iso]) return T.pick(DIRECT[iso]); if (k === 'ws' && WHOLESALE.length) return T.pick(WHOLESALE); return T.pick(HUBS); };
function routeSet(T, n, iso) { return Array.from({ length: n }, () => fraudRoute(T, undefined, iso)); }
// active windows: n bursts of given length range, optionally inside an IST hour band
function bursts(T, n, minMin, maxMin, fromH = 0, toH = 24) {
  const ws = [];
  for (let i = 0; i < n; i++) {
    let s; let k = 0;
    do { s = T0 + T.u(0, SPAN); k++; } while (k < 200 && !(istHour(s) >= fromH && istHour(s) < toH));
    ws.push([s, Math.min(T1, s + T.u(minMin, maxMin) * 60e3)]);
  }
  return ws.sort((a, b) => a[0] - b[0]);
}
const expRate = (T, budget, ws, cycleS) => Math.max(1, Math.round(budget / Math.max(.01, winHours(ws) * 3600 / cycleS)));
const fdialer = (T, B, o) => dialer(T, { ...o, budget: B });
const inPlusCli = (nsn, fmt) => ({ cc: '91', np: '0', nsn, iso: 'IN', fmt });

for (const cls of classes) {
  const budget = FRAUD_N * classW[cls] / cwSum;
  const nCamp = cls === 'tdos' ? P.int(1, 2) : P.int(1, 3);
  const split = jitterW(Object.fromEntries(Array.from({ length: nCamp }, (_, i) => [i, 1])), .6);
  for (let ci = 0; ci < nCamp; ci++) {
    const T = tools(mkRng('fraud', cls, ci));
    const B = budget * split[ci];
    const desc = { cls, B: Math.round(B) };
    if (cls === 'wangiri') {
      const iso = T.pick(['CI', 'MR', 'SL', 'TN', 'MD', 'BY', 'LV', 'AL', 'CU', 'GN', 'CD', 'MG', 'SB', 'IRI']);
      const tactic = T.wpick({ scan: 3, list: 3, slow: 1.5 });
      const poolN = T.pick([1, 4, 12, 50, 300]);
      const base = CTRY[iso].mob();
      const pool = Array.from({ length: poolN }, () => (T.chance(.8) ? base.slice(0, -3) + T.digits(3) : CTRY[iso].mob()));
      const routes = routeSet(T, T.int(1, 3));
      const ws = tactic === 'slow' ? [[T0, T1]] : bursts(T, T.int(1, 5), 15, 150, T.chance(.6) ? 0 : 6, T.chance(.6) ? 8 : 24);
      let scanBase = T.pick(IN_MOB3[T.pick(['9', '8', '7', '6'])]) + T.digits(2), scanI = T.int(0, 90000);
      let ri = 0; const slowA = T.int(1, 3);
      desc.kind = 'wangiri_' + tactic; desc.iso = iso; desc.pool = poolN;
      fdialer(T, B, { label: 'wangiri', kind: desc.kind, agents: tactic === 'slow' ? slowA : expRate(T, B, ws, 4),
        windows: ws, agentStart: (T) => ws[0][0] + T.u(0, 30e3),
        nextTarget: (T) => {
          if (tactic === 'scan') { if (scanI >= 99999) { scanBase = T.pick(IN_MOB3[T.pick(['9', '8', '7'])]) + T.digits(2); scanI = T.int(0, 50000); } scanI += T.chance(.8) ? 1 : T.int(2, 9); return callee(scanBase + String(scanI).padStart(5, '0'), 'mob', .8); }
          return randomIndianTarget(T, 'mob', tactic === 'list' ? .6 : .1);
        },
        from: (T) => cli(iso, poolN > 40 ? pool[ri++ % poolN] : T.pick(pool)), tr: (T) => { if (T.chance(.002)) routes.push(routes.shift()); return routes[0]; },
        patience: (T) => T.u(.6, 4.5), ansMult: 1, talk: () => S.u(1, 4), wrap: (T) => tactic === 'slow' ? T.exp(slowA * winHours(ws) * 3600 / Math.max(1, B)) : T.u(.05, 3),
        failMult: 2 });
    } else if (cls === 'spoofing') {
      const kind = T.wpick({ digital_arrest: 3, courier_customs: 2, trai_disconnect: 2, police_impersonation: 1.5, kyc_bank: 1.5 });
      const cliStyle = T.wpick({ fresh_mobile: 3, neighbour: 1, reused: 1.5, gov_landline: kind === 'trai_disconnect' || kind === 'police_impersonation' ? 3 : 1, mixed: 1.5 });
      const reused = Array.from({ length: T.int(2, 30) }, () => T.chance(.7) ? inMobile(T) : inLand(T, T.pick(['north', 'west'])));
      const gov = () => T.chance(.6) ? '11' + T.pick(['2309', '2301', '2338', '2372', '2436', '2610']) + T.digits(4) : T.pick(['22', '33', '80']) + '22' + T.digits(6);
      const fmt = T.pick([undefined, undefined, 'plus', 'natl', 'ten']);
      const origin = T.pick(['KH', 'MM', 'LA', 'AE', 'VN', 'PH', 'ID', 'TH', 'GB']);
      const routes = routeSet(T, T.int(1, 4), origin);
      const ivr = kind === 'trai_disconnect' || kind === 'courier_customs' || kind === 'kyc_bank';
      const ws = dayWindows(5.5, T.u(8.5, 10.5), T.u(17, 21), null, T);
      const cycle = ivr ? 75 : kind === 'digital_arrest' ? 330 : 95;
      desc.kind = 'spoof_' + kind + '_' + cliStyle; desc.origin = origin;
      fdialer(T, B, { label: 'spoofing', kind: 'spoof_' + kind, agents: expRate(T, B, ws, cycle), windows: ws,
        nextTarget: (T) => randomIndianTarget(T, T.chance(.93) ? 'mob' : 'land'),
        from: (T, ag, to) => {
          let st = cliStyle === 'mixed' ? T.pick(['fresh_mobile', 'neighbour', 'reused', 'gov_landline']) : cliStyle;
          if (st === 'fresh_mobile') return inPlusCli(inMobile(T), fmt);
          if (st === 'neighbour') { const k = to.land ? 6 : T.int(4, 6); return inPlusCli(to.num.slice(0, k) + T.digits(10 - k), fmt); }
          if (st === 'reused') return inPlusCli(T.pick(reused), fmt);
          return inPlusCli(gov(), fmt);
        },
        tr: (T) => T.pick(routes), patience: (T) => T.u(25, 45), ansMult: 1.6, rejMult: 1,
        talk: ivr ? () => (S.chance(.15) ? S.logn(420, 1) : S.u(6, 40)) : () => (S.chance(kind === 'digital_arrest' ? .18 : .1) ? Math.min(4 * 3600, S.logn(kind === 'digital_arrest' ? 2400 : 600, 1)) : S.logn(25, .7)),
        wrap: (T) => T.u(2, ivr ? 10 : 40), burnKey: 'spoof' + ci, retry: { p: .1, gapS: [300, 3600], max: 1 } });
    } else if (cls === 'scam') {
      const kind = T.wpick({ investment_scam: 3, task_job_scam: 3, loan_app_scam: 1.5, crypto_recovery: .7 });
      const iso = T.wpick({ KH: 3, MM: 2.5, LA: 1.5, PH: 1.5, VN: 1, TH: 1, MY: 1, ID: .7 });
      const simLife = T.int(8, 80);
      const routes = routeSet(T, T.int(1, 3), iso);
      const ws = dayWindows(CTRY[iso].tz, 9, 21, null, T);
      desc.kind = kind; desc.iso = iso; desc.simLife = simLife;
      fdialer(T, B, { label: 'scam', kind, agents: expRate(T, B, ws, 115), windows: ws, breakP: .02,
        nextTarget: (T) => randomIndianTarget(T),
        from: (T, ag) => { if (!ag.cli || ag.n % simLife === 0 || T.chance(.01)) ag.cli = cli(iso, CTRY[iso].mob()); return ag.cli; },
        tr: (T) => T.pick(routes), patience: (T) => T.u(20, 40), ansMult: 1.2, rejMult: 1.2,
        talk: () => (S.chance(.2) ? S.logn(420, .9) : S.logn(20, .8)), wrap: (T) => T.u(10, 80), burnKey: 'scam' + ci });
    } else if (cls === 'robocall') {
      const kind = T.wpick({ ivr_press1: 3, fake_loan_offer: 1.5, aadhaar_sim_block: 2, prize_lottery: 1 });
      const iso = T.pick(['US', 'GB', 'CA', 'AE', 'PH', 'ID']);
      const cliMode = T.wpick({ single: 2, small: 2, random: 1.5, in91: 1 });
      const small = Array.from({ length: T.int(3, 12) }, () => CTRY[iso].mob());
      const seq = T.chance(.5);
      let sBase = inMobile(T).slice(0, 5), sI = T.int(0, 90000);
      const ws = bursts(T, T.int(1, 4), 30, 240, 8, 21);
      const routes = routeSet(T, T.int(1, 2), iso);
      desc.kind = kind + '/' + cliMode; desc.iso = iso;
      fdialer(T, B, { label: 'robocall', kind: 'robo_' + kind, agents: expRate(T, B, ws, 32), windows: ws,
        nextTarget: (T) => { if (!seq) return randomIndianTarget(T); if (++sI > 99999) { sBase = inMobile(T).slice(0, 5); sI = 0; } return callee(sBase + String(sI).padStart(5, '0'), 'mob', .85); },
        from: (T) => cliMode === 'single' ? cli(iso, small[0]) : cliMode === 'small' ? cli(iso, T.pick(small)) : cliMode === 'random' ? cli(iso, CTRY[iso].mob()) : inPlusCli(inMobile(T)),
        tr: (T) => T.pick(routes), patience: (T) => T.u(18, 30), ansMult: 1.1, talk: () => (S.chance(.08) ? S.logn(240, .8) : S.u(4, 38)), wrap: (T) => T.u(.5, 6) });
    } else if (cls === 'cli_rotation') {
      const iso = T.pick(['GB', 'US', 'AE', 'MY', 'PH', 'ID', 'SG']);
      const blockDigits = T.pick([2, 3, 4]);
      const blocks = Array.from({ length: T.chance(.6) ? 1 : T.int(2, 5) }, () => CTRY[iso].mob().slice(0, -blockDigits));
      const seqCli = T.chance(.4); let k = T.int(0, 10 ** blockDigits - 1);
      const ws = dayWindows(5.5, T.u(9, 11), T.u(17, 21), null, T);
      desc.kind = 'block_rotation'; desc.iso = iso; desc.blocks = blocks.length + 'x10^' + blockDigits;
      fdialer(T, B, { label: 'cli_rotation', kind: blocks.length > 1 ? 'multi_block_rotation' : 'block_rotation', agents: expRate(T, B, ws, 70), windows: ws,
        nextTarget: (T) => randomIndianTarget(T),
        from: (T) => cli(iso, T.pick(blocks) + String(seqCli ? (k = (k + 1) % 10 ** blockDigits) : T.int(0, 10 ** blockDigits - 1)).padStart(blockDigits, '0')),
        tr: (T) => fraudRoute(T, { ws: .5, hub: .5 }), patience: (T) => T.u(20, 40), ansMult: 1.3, talk: () => (S.chance(.15) ? S.logn(300, .8) : S.logn(15, .7)), wrap: (T) => T.u(3, 40), burnKey: 'rot' + ci });
    } else if (cls === 'tdos') {
      const tgt = T.chance(.7) ? callee(inLand(T, T.wpick(URBAN_REGIONS)), 'biz') : callee(inMobile(T));
      const kind = tgt.lines > 1 ? 'tdos_flood' : 'tdos_harass';
      const ws = bursts(T, T.int(1, 3), 10, kind === 'tdos_flood' ? 60 : 240);
      const cliMode = T.pick(['random_intl', 'anon', 'in91', 'few']);
      const few = Array.from({ length: T.int(2, 6) }, () => CTRY.GB.mob());
      desc.kind = kind + '/' + cliMode;
      const routes = routeSet(T, T.int(1, 4));
      fdialer(T, B, { label: 'tdos', kind, agents: expRate(T, Math.min(B, kind === 'tdos_harass' ? 1500 : B), ws, kind === 'tdos_flood' ? 6 : 40), windows: ws,
        nextTarget: () => tgt,
        from: (T) => cliMode === 'anon' ? (T.chance(.7) ? { raw: T.pick(['anonymous', '', 'Anonymous']) } : cli('US', CTRY.US.mob())) : cliMode === 'in91' ? inPlusCli(inMobile(T)) : cliMode === 'few' ? cli('GB', T.pick(few)) : ((i) => cli(i, CTRY[i].mob()))(T.pick(['US', 'GB', 'DE', 'ID', 'VN'])),
        tr: (T) => T.pick(routes), patience: (T) => T.u(3, 30), ansMult: .6, talk: () => S.u(1, 60), wrap: (T) => T.u(.2, kind === 'tdos_flood' ? 4 : 30), failMult: 3 });
    } else if (cls === 'toll_free_cli') {
      const kind = T.wpick({ uifn_cli: 2, in_tollfree_cli: 2, us_tollfree_cli: 1.5 });
      const pool = Array.from({ length: T.int(1, 20) }, () => kind === 'uifn_cli' ? { cc: '800', nsn: T.digits(8) } : kind === 'in_tollfree_cli' ? { cc: '91', nsn: '1800' + T.int(100, 599) + T.digits(4), np: '' } : { cc: '1', np: '1', nsn: T.pick(['800', '888', '877', '866', '855']) + T.int(200, 999) + T.digits(4) });
      const ws = dayWindows(5.5, T.u(9, 11), T.u(17, 20), null, T);
      const routes = routeSet(T, T.int(1, 3));
      desc.kind = kind; desc.pool = pool.length;
      fdialer(T, B, { label: 'toll_free_cli', kind, agents: expRate(T, B, ws, 85), windows: ws, nextTarget: (T) => randomIndianTarget(T),
        from: (T) => { const p = T.pick(pool); return { ...p, fmt: kind === 'in_tollfree_cli' ? T.pick(['natl', 'ten', undefined]) : undefined }; },
        tr: (T) => T.pick(routes), patience: (T) => T.u(20, 40), ansMult: 1.7, talk: () => (S.chance(.15) ? S.logn(400, .9) : S.logn(20, .8)), wrap: (T) => T.u(5, 50), burnKey: 'tf' + ci });
    } else if (cls === 'invalid_cli') {
      const kind = T.wpick({ unallocated_cc: 2, bad_length: 2, placeholder: 1.5, self_cli: 1 });
      const gen = (T, to) => {
        if (kind === 'unallocated_cc') return { raw: '+' + T.pick(['999', '424', '289', '80', '42', '0', '388', '969']) + T.digits(T.int(7, 10)) };
        if (kind === 'bad_length') { const c = T.pick(['971', '44', '1', '91', '966']); return { raw: T.pick(['+', '00', '']) + c + T.digits(T.chance(.5) ? T.int(3, 6) : T.int(12, 15)) }; }
        if (kind === 'placeholder') return { raw: T.pick(['0000000000', '1111111111', '1234567890', '+1234567890', '9999999999', '000000', '+00000000000', '12345']) };
        return { raw: T.pick(['+91', '91', '']) + to.num };
      };
      const ws = bursts(T, T.int(1, 4), 40, 300, 7, 22);
      const routes = routeSet(T, T.int(1, 3));
      desc.kind = kind;
      fdialer(T, B, { label: kind === 'self_cli' ? 'spoofing' : 'invalid_cli', kind: kind === 'self_cli' ? 'spoof_self_cli' : 'invalid_' + kind, agents: expRate(T, B, ws, 40), windows: ws, nextTarget: (T) => randomIndianTarget(T),
        from: (T, ag, to) => gen(T, to), tr: (T) => T.pick(routes), patience: (T) => T.u(18, 35), ansMult: kind === 'self_cli' ? 1.3 : .8, talk: () => (S.chance(.1) ? S.logn(200, .9) : S.u(3, 30)), wrap: (T) => T.u(1, 15) });
    } else if (cls === 'telemarketing') {
      const kind = T.wpick({ slow_dialer: 2, multi_cli_slow: 2, visa_immigration: 1.5, offshore_realestate: 1, forex_tips: 1 });
      const iso = T.pick(['AE', 'GB', 'US', 'PH', 'SG', 'CA', 'AU']);
      const nCli = kind === 'multi_cli_slow' ? T.int(4, 25) : T.int(1, 3);
      const clis = Array.from({ length: nCli }, () => T.chance(.5) ? CTRY[iso].land() : CTRY[iso].mob());
      const ws = dayWindows(5.5, T.u(9.5, 11), T.u(18, 20.5), null, T);
      const per = T.u(90, 420); // seconds between calls for one CLI: stays under per-minute limits
      const routes = routeSet(T, 1, iso);
      desc.kind = kind; desc.clis = nCli; desc.pace = Math.round(per) + 's';
      fdialer(T, B, { label: 'telemarketing', kind: 'tm_' + kind, agents: Math.max(1, Math.min(nCli * T.int(1, 4), expRate(T, B, ws, per))), windows: ws, nextTarget: (T) => randomIndianTarget(T, T.chance(.9) ? 'mob' : 'land'),
        from: (T, ag) => cli(iso, clis[ag.id % nCli]), tr: () => routes[0], patience: (T) => T.u(25, 40), ansMult: 1.2, rejMult: 1.3,
        talk: () => (S.chance(.3) ? S.logn(180, .8) : S.logn(25, .7)), wrap: (T, r) => Math.max(5, per * T.u(.7, 1.3) - r.ring - r.dur), retry: { p: .15, gapS: [3600, 14400], max: 1 } });
    }
    F.push(desc);
  }
}

// ------------------------------------------------------------------ run
while (heap.length) { const e = pop(); e.fn(); }
const pad = (n, w = 2) => String(n).padStart(w, '0');
const iso8601 = (t) => { const d = new Date(Math.round(t)); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`; };
const csvq = (s) => (/[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
const out = ['timestamp,caller,callee,call_id,source,status,ring,duration,label,kind'];
let nf = 0;
for (const r of rows) {
  if (r[8] !== 'legit') nf++;
  out.push([iso8601(r[0]), csvq(r[1]), r[2], r[3], r[4], r[5], r[6].toFixed(1), r[7], r[8], r[9]].join(','));
}
const text = out.join('\n') + '\n';
process.stdout.on('error', (e) => { if (e.code !== 'EPIPE') throw e; });
if (opt.out) fs.writeFileSync(opt.out, text); else process.stdout.write(text);
const fc = {}; for (const d of F) fc[d.cls] = (fc[d.cls] || 0) + 1;
process.stderr.write(`plan seed=${opt.seed} start=${opt.start} hours=${opt.hours} scale=${opt.scale}: ${rows.length} calls, fraud ${(100 * nf / rows.length).toFixed(1)}% (target ${(100 * FRAUD_SHARE).toFixed(1)}%), trunks ${TRUNKS.length}, campaigns ${F.length} [${F.map((d) => d.cls + ':' + d.kind).join(' ')}]\n`);
