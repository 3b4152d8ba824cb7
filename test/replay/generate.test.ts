import t from 'tap';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { readCalls, type Row } from '../../lib/replay/csv.js';
import {
  checkOptions, CSV_HEADER, csvLine, FRAUD_KINDS, generateCalls, LEGIT_KINDS, roamingSubscribers, writeTraffic, type GeneratedCall, type GenerateOptions,
} from '../../lib/replay/generate.js';
import { homeNumber, invalidNumber, PLANS, validNumber } from '../../lib/replay/numbering.js';
import { Rng } from '../../lib/replay/rng.js';

function csv(opts: GenerateOptions): string {
  let s = CSV_HEADER + '\n';
  for (const c of generateCalls(opts)) s += csvLine(c) + '\n';
  return s;
}

/**
 * E.164 from a presented number, by hand (not through lib/numbers, so this
 * checks the generator on its own): strip URI syntax, separators, IDD 00,
 * and read national forms against China.
 */
function toE164(raw: string): string {
  let s = raw;
  const lt = s.indexOf('<');
  if (lt >= 0) s = s.slice(lt + 1, s.indexOf('>'));
  s = s.replace(/^(sips?|tel):/, '');
  s = s.split(/[@;]/)[0] as string;
  s = s.replace(/[\s-]/g, '');
  if (s.startsWith('+')) return s;
  if (s.startsWith('00')) return '+' + s.slice(2);
  if (s.startsWith('0')) return '+86' + s.slice(1);
  if (s.length === 11 && s.startsWith('1')) return '+86' + s;
  return '+' + s;
}

// Six hours of Beijing daytime.
const small: GenerateOptions = { seed: 5, hours: 6, scale: 0.4, start: '2025-03-03T00:00:00Z' };
let calls: GeneratedCall[];
t.before(() => {
  calls = [...generateCalls(small)];
});

t.test('PRNG: reproducible, forks independent of draws, roughly uniform', async (t) => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 5 }, () => a.next());
  t.same(xs, Array.from({ length: 5 }, () => b.next()));
  t.not(new Rng(43).next(), xs[0]);
  const f1 = new Rng(7).fork('x').next();
  const r = new Rng(7);
  r.next();
  r.next();
  t.equal(r.fork('x').next(), f1, 'a fork does not depend on what the parent drew');
  t.not(new Rng(7).fork('y').next(), f1);
  let sum = 0;
  const u = new Rng(1);
  for (let i = 0; i < 100_000; i++) sum += u.next();
  t.ok(Math.abs(sum / 100_000 - 0.5) < 0.01);
  let med = 0;
  for (let i = 0; i < 10_001; i++) med += u.logNormal(90, 1) < 90 ? 1 : 0;
  t.ok(Math.abs(med / 10_001 - 0.5) < 0.03, 'log-normal median');
  t.end();
});

t.test('deterministic for a seed, different for another', async (t) => {
  const a = csv(small);
  t.equal(csv(small), a, 'same seed, same bytes');
  const b = csv({ ...small, seed: 6 });
  t.not(b, a);
  t.not(b.split('\n').length, a.split('\n').length, 'population sizes vary with the seed');
  t.end();
});

t.test('sorted by time, inside the requested span, labelled', async (t) => {
  t.equal(checkOptions({}).start, Date.UTC(2025, 2, 2, 16), 'default start: Monday 00:00 in Beijing');
  const o = checkOptions(small);
  let prev = -Infinity;
  for (const c of calls) {
    if (c.at < prev) t.fail(`out of order at ${c.callId}`);
    prev = c.at;
  }
  t.ok(calls[0]!.at >= o.start);
  t.ok(prev < o.start + 6 * 3_600_000);
  t.equal(new Set(calls.map((c) => c.callId)).size, calls.length, 'call ids unique');
  const labels = new Set(calls.map((c) => c.label));
  t.same([...labels].sort(), ['legit', ...FRAUD_KINDS].sort(), 'every fraud kind present, plus legit');
  const kinds = new Set(calls.filter((c) => c.label === 'legit').map((c) => c.kind));
  t.same([...kinds].sort(), [...LEGIT_KINDS].sort(), 'every legitimate population present');
  for (const c of calls) if (c.label !== 'legit' && c.kind !== c.label) t.fail(`fraud kind ${c.kind} != label ${c.label}`);
  const fraud = calls.filter((c) => c.label !== 'legit').length / calls.length;
  t.ok(fraud > 0.02 && fraud < 0.3, `fraud is a minority (${(fraud * 100).toFixed(1)}%)`);
  t.end();
});

t.test('numbers are valid for their country, except invalid caller IDs', async (t) => {
  let checked = 0;
  for (const c of calls) {
    const callee = toE164(c.callee);
    if (!isValidPhoneNumber(callee) || parsePhoneNumberFromString(callee)?.country !== 'CN') t.fail(`callee ${c.callee} (${c.kind})`);
    if (c.caller === 'anonymous' || c.caller.startsWith('sip:anonymous')) continue;
    const caller = toE164(c.caller);
    const valid = isValidPhoneNumber(caller);
    if (c.label === 'invalid-cli') {
      if (valid) t.fail(`invalid-cli caller ${c.caller} is valid`);
    } else if (!valid) t.fail(`caller ${c.caller} (${c.kind}) is not valid`);
    if (c.label === 'spoofed-home' && parsePhoneNumberFromString(caller)?.country !== 'CN') t.fail(`spoofed-home caller ${c.caller} is not Chinese`);
    const chinese = parsePhoneNumberFromString(caller)?.countryCallingCode === '86';
    if (c.kind === 'roaming' && !chinese) t.fail(`roaming caller ${c.caller} is not a home number`);
    if (c.label !== 'spoofed-home' && c.label !== 'invalid-cli' && c.kind !== 'roaming' && chinese) t.fail(`${c.kind} caller ${c.caller} is Chinese`);
    checked++;
  }
  t.ok(checked > 1000, `${checked} callers checked`);
  const tf = calls.filter((c) => c.label === 'toll-free-cli').map((c) => parsePhoneNumberFromString(toE164(c.caller))!);
  t.ok(tf.every((p) => p.getType() === 'TOLL_FREE' || p.countryCallingCode === '800' || p.countryCallingCode === '808'), 'toll-free caller IDs are toll-free or UIFN');
  t.end();
});

t.test('roaming subscribers: home mobiles that the HLR export lists, calling like people', async (t) => {
  const { calling, all } = roamingSubscribers(small);
  t.same(roamingSubscribers(small), { calling, all }, 'deterministic');
  t.equal(new Set(all).size, all.length);
  t.ok(all.length >= calling.length * 3, 'most subscribers abroad stay silent');
  for (const n of all) {
    const p = parsePhoneNumberFromString(n);
    if (p?.country !== 'CN' || p.getType() !== 'MOBILE') t.fail(`${n} is not a Chinese mobile`);
  }
  const roam = calls.filter((c) => c.kind === 'roaming');
  t.ok(roam.length > 0);
  const listed = new Set(all);
  t.ok(roam.every((c) => c.label === 'legit' && listed.has(toE164(c.caller))), 'every roaming caller is in the export');
  const spoofed = calls.filter((c) => c.label === 'spoofed-home').map((c) => toE164(c.caller));
  t.notOk(spoofed.some((n) => listed.has(n)), 'no spoofed number is a listed roamer');
  const answered = roam.filter((c) => c.status === 200).length / roam.length;
  t.ok(answered > 0.3 && answered < 0.85, `answer rate ${answered.toFixed(2)}`);
  // Added on streams of their own: every other row of a seed is as it was without them.
  const others = calls.filter((c) => c.kind !== 'roaming');
  t.same(others.map((c) => c.callId), others.map((_, i) => `r5-${i + 1}`), 'the other rows keep their numbering');
});

t.test('mixed real-world formats, on every kind of traffic', async (t) => {
  const shape = (s: string): string =>
    s.startsWith('"') ? 'name-addr' : s.startsWith('sip:') ? 'sip' : s.startsWith('tel:') ? 'tel' : s.startsWith('00') ? 'idd' : s.startsWith('+') ? (/[ -]/.test(s) ? 'spaced' : 'e164') : 'plain';
  const callerShapes = new Set(calls.map((c) => shape(c.caller)));
  t.same([...callerShapes].sort(), ['e164', 'idd', 'name-addr', 'plain', 'sip', 'spaced', 'tel']);
  const calleeShapes = new Set(calls.map((c) => shape(c.callee)));
  t.ok(calleeShapes.size >= 4, `callee formats: ${[...calleeShapes].join(' ')}`);
  // Fraud is not given away by format or route alone.
  const fraud = calls.filter((c) => c.label !== 'legit' && c.label !== 'invalid-cli');
  t.ok(new Set(fraud.map((c) => shape(c.caller))).size >= 5, 'fraud arrives in many formats');
  const sources = (label: string): Set<string> => new Set(calls.filter((c) => c.label === label).map((c) => c.source));
  t.ok(sources('legit').size >= 5 && sources('robocall').size >= 2, 'legitimate and fraud traffic share routes');
  t.end();
});

t.test('realistic shapes: answer rates, ring times, one-ring bait', async (t) => {
  const share = (xs: GeneratedCall[], f: (c: GeneratedCall) => boolean): number => xs.filter(f).length / xs.length;
  const person = calls.filter((c) => c.kind === 'person');
  const answered = share(person, (c) => c.status === 200);
  t.ok(answered > 0.4 && answered < 0.75, `person-to-person answer rate ${answered.toFixed(2)}`);
  const talk = person.filter((c) => c.status === 200).map((c) => c.duration).sort((a, b) => a - b);
  const median = talk[talk.length >> 1]!;
  t.ok(median > 40 && median < 250, `median talk ${median}s`);
  t.ok(talk[talk.length - 1]! > 10 * median, 'long tail');
  const wangiri = calls.filter((c) => c.label === 'wangiri');
  t.ok(share(wangiri, (c) => c.status !== 200 && c.ring < 5) > 0.7, 'wangiri: mostly dropped within a few seconds');
  t.ok(new Set(wangiri.map((c) => c.callee)).size > wangiri.length * 0.8, 'wangiri: many callees');
  const business = calls.filter((c) => c.kind === 'business');
  t.ok(share(business, (c) => c.status === 200) > 0.45, 'business calls are mostly answered');
  const conf = calls.filter((c) => c.kind === 'conference');
  t.ok(share(conf, (c) => c.status === 200) > 0.9, 'bridges answer');
  const robo = calls.filter((c) => c.label === 'robocall' && c.status === 200).map((c) => c.duration).sort((a, b) => a - b);
  t.ok(robo[robo.length >> 1]! < 40, 'robocalls: short answered calls');
  t.end();
});

t.test('numbering helpers', async (t) => {
  const rng = new Rng(9);
  for (const iso of Object.keys(PLANS)) {
    const m = validNumber(iso, 'mobile', rng);
    t.ok(isValidPhoneNumber(m), `${iso} mobile ${m}`);
    t.ok(isValidPhoneNumber(validNumber(iso, 'fixed', rng)), `${iso} fixed`);
  }
  for (let i = 0; i < 500; i++) {
    const n = invalidNumber(rng);
    if (isValidPhoneNumber(n)) t.fail(`invalid number ${n} is valid`);
  }
  t.throws(() => validNumber('XX', 'mobile', rng), /no numbering plan/);
  t.end();
});

t.test('home numbers of other home countries are that country\'s own, of the kind asked for', async (t) => {
  // GB's mobile template covers 076 pagers and the Crown Dependencies' +44 mobiles (JE, GG, IM); IN's
  // 7x and 8x cover landlines. A roaming "mobile" that is a pager is a home non-mobile number, which
  // domestic-cli rejects: legitimate traffic rejected by the generator's mistake, not the rules'.
  const rng = new Rng(11);
  const ok = { mobile: ['MOBILE', 'FIXED_LINE_OR_MOBILE'], fixed: ['FIXED_LINE', 'FIXED_LINE_OR_MOBILE'] } as const;
  for (const iso of ['GB', 'IN', 'CN', 'US']) {
    for (const kind of ['mobile', 'fixed'] as const) {
      for (let i = 0; i < 300; i++) {
        const n = homeNumber(iso, kind, rng);
        const p = parsePhoneNumberFromString(n);
        if (p?.country !== iso || !(ok[kind] as readonly string[]).includes(p.getType() ?? '')) t.fail(`${iso} ${kind} ${n}: ${p?.country} ${p?.getType()}`);
      }
    }
  }
  for (const home of ['GB', 'IN']) {
    const cc = PLANS[home]!.cc;
    // National forms here carry the home trunk 0 (present() 'national'); everything else as in toE164().
    const e164 = (raw: string): string => toE164(raw.replace(/^0(?!0)/, `+${cc}`));
    const o: GenerateOptions = { seed: 3, hours: 6, scale: 0.5, home, start: '2025-03-03T08:00:00Z' };
    const gen = [...generateCalls(o)];
    const { all } = roamingSubscribers(o);
    for (const n of all) {
      const p = parsePhoneNumberFromString(n);
      if (p?.country !== home || !['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(p.getType() ?? '')) t.fail(`${home} roamer ${n} is ${p?.country} ${p?.getType()}`);
    }
    let seen = 0;
    for (const c of gen) {
      const callee = parsePhoneNumberFromString(e164(c.callee));
      if (c.label !== 'wangiri' && callee?.country !== home) t.fail(`${home} callee ${c.callee} (${c.kind}) is ${callee?.country}`);
      if (c.kind === 'roaming' || c.label === 'spoofed-home') {
        const p = parsePhoneNumberFromString(e164(c.caller));
        if (p?.country !== home) t.fail(`${home} ${c.kind} caller ${c.caller} is ${p?.country}`);
        if (c.kind === 'roaming' && p?.getType() !== 'MOBILE' && p?.getType() !== 'FIXED_LINE_OR_MOBILE') t.fail(`${home} roaming caller ${c.caller} is ${p?.getType()}`);
        seen++;
      }
    }
    t.ok(seen > 20, `${home}: ${seen} roaming and spoofed-home callers checked`);
  }
  t.end();
});

t.test('options: other home countries, start times, bad values', async (t) => {
  const gb = [...generateCalls({ seed: 2, hours: 1, scale: 0.2, home: 'gb', start: '2025-06-01T09:00:00Z' })];
  t.ok(gb.length > 50);
  t.equal(new Date(gb[0]!.at).toISOString().slice(0, 13), '2025-06-01T09');
  t.ok(gb.every((c) => parsePhoneNumberFromString(toE164(c.callee).replace(/^\+86/, '+44'))?.countryCallingCode === '44' || c.callee.includes('+44') || c.callee.startsWith('0044') || c.callee.startsWith('44')), 'callees are British');
  t.equal(checkOptions({ start: '2025-06-01T09:00' }).start, Date.UTC(2025, 5, 1, 9), 'a start without offset is UTC');
  t.throws(() => checkOptions({ hours: 0 }), /--hours/);
  t.throws(() => checkOptions({ seed: 1.5 }), /--seed/);
  t.throws(() => checkOptions({ scale: -1 }), /--scale/);
  t.throws(() => checkOptions({ home: 'ZZ' }), /--home ZZ/);
  t.throws(() => checkOptions({ start: 'yesterday' }), /--start/);
  t.end();
});

t.test('writes CSV that the replay reader takes without a bad row', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'traffic.csv');
  const out = createWriteStream(file);
  const n = await writeTraffic(small, out);
  await new Promise<void>((r) => out.end(r));
  t.equal(n, calls.length);
  const text = readFileSync(file, 'utf8');
  t.equal(text, csv(small), 'the writer produces the same bytes');
  const reader = readCalls(file, { by: 'kind' });
  const rows: Row[] = [];
  for await (const r of reader) rows.push(r);
  t.equal(reader.bad.count, 0);
  t.equal(rows.length, calls.length);
  t.same(rows.map((r) => r.caller), calls.map((c) => c.caller), 'quoted name-addr callers survive the round trip');
  t.same(rows.map((r) => r.at), calls.map((c) => c.at));
  t.ok(reader.hasLabel);
  await t.rejects(writeTraffic(small, new Writable({ write: (_c, _e, cb) => cb(new Error('disk full')) })), /disk full/);
  t.end();
});
