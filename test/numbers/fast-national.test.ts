/**
 * readNational() must read digits without '+' exactly as
 * parsePhoneNumberFromString(digits, home) does, for every country as home:
 * IDD-prefixed forms, national forms with and without the trunk prefix,
 * the home calling code without its '+', wrong lengths and random digits.
 * Also pins the allocation-free callingCodeLength() to the library's codes,
 * and the user-part shortcut in analyse() ('sip:+86...@h') to the slow path.
 */
import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import metadataJson from 'libphonenumber-js/max/metadata';
import { getCountries, Metadata, parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { DECLINED, readNational, type Reading } from '../../lib/numbers/compiled.js';
import { callingCodeLength, homePlan } from '../../lib/numbers/metadata.js';
import { analyse } from '../../lib/numbers/normalise.js';
import { classifyReference, NumberClassifier, readingOf } from '../../lib/numbers/classify.js';
import { samples } from '../helpers/number-samples.js';

type Tuple = readonly unknown[];
const META = metadataJson as unknown as {
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, Tuple>;
};

const { rnd, pick, randomDigits, matching } = samples(0x2545f491, 7);

/** The library's answer in Reading form (what classify() reads off a PhoneNumber). */
function reference(digits: string, home: string): Reading | undefined {
  const p: PhoneNumber | undefined = parsePhoneNumberFromString(digits, home as never);
  return p === undefined ? undefined : readingOf(p, p.isValid());
}

interface Mismatch {
  digits: string;
  home: string;
  fast: Reading | undefined;
  reference: Reading | undefined;
}

/** Compare one input; returns whether the fast path answered (did not decline). */
function compare(digits: string, home: string, mismatches: Mismatch[]): boolean {
  const got = readNational(digits, home);
  if (got === DECLINED) return false;
  // classify() reads the type of valid numbers only.
  const fast = got === undefined ? undefined : { ...got, type: got.valid ? got.type : undefined };
  const want = reference(digits, home);
  if (!isDeepStrictEqual(fast, want) && mismatches.length < 25) mismatches.push({ digits, home, fast, reference: want });
  return true;
}

const HOMES = getCountries();

/** Inputs for one home: its own numbers in every national spelling, foreign numbers after its IDD, noise. */
function inputsFor(home: string): string[] {
  const tuple = META.countries[home]!;
  const cc = tuple[0] as string;
  const idd = typeof tuple[1] === 'string' ? matching(tuple[1], 2) : [];
  const np = typeof tuple[5] === 'string' ? (tuple[5] as string) : '';
  const own: string[] = [...matching(tuple[2], 6)];
  const types = (tuple[11] as (Tuple | 0)[] | undefined) ?? [];
  for (const type of types) if (type) own.push(...matching(type[0], 4));
  const out: string[] = [];
  for (const nn of own) {
    out.push(nn, np + nn, cc + nn, cc + np + nn, nn.slice(0, -1), nn + String(rnd(10)));
    if (nn.length > 3) out.push(nn.slice(0, -3) + randomDigits(3));
  }
  // Whatever the national-prefix-for-parsing pattern accepts (carrier codes, area-code rules).
  for (const p of matching(tuple[7], 4)) if (own.length > 0) out.push(p + pick(own));
  // Foreign numbers after the home IDD, and the IDD followed by junk ('0', nothing, a short tail).
  const foreign = Object.keys(META.country_calling_codes);
  for (const prefix of idd.length > 0 ? idd : ['00']) {
    for (let i = 0; i < 6; i++) out.push(prefix + pick(foreign) + randomDigits(4 + rnd(9)));
    out.push(prefix, prefix + '0' + randomDigits(9), prefix + randomDigits(1));
  }
  for (let i = 0; i < 25; i++) out.push(randomDigits(3 + rnd(20)));
  return out.filter((d) => /^\d{3,22}$/.test(d));
}

t.test('readNational equals parsePhoneNumberFromString(digits, home) for every home country', async (t) => {
  const mismatches: Mismatch[] = [];
  let compared = 0;
  let declined = 0;
  let valid = 0;
  for (const home of HOMES) {
    for (const digits of inputsFor(home)) {
      if (compare(digits, home, mismatches)) {
        compared++;
        const r = readNational(digits, home);
        if (r !== DECLINED && r?.valid) valid++;
      } else {
        declined++;
      }
    }
  }
  t.same(mismatches, [], 'no differences');
  t.ok(compared >= 30_000, `${compared} inputs compared`);
  t.ok(valid > compared / 5, `${valid} valid`);
  // Only IDD + a tail too short for readInternational() goes to the library.
  t.ok(declined < compared / 100, `${declined} declined`);
});

t.test('readNational on arbitrary digit strings', async (t) => {
  const mismatches: Mismatch[] = [];
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9]{3,22}$/), fc.constantFrom(...HOMES), (digits, home) => {
      compare(digits, home, mismatches);
    }),
    { numRuns: 20_000, seed: 20261129 },
  );
  t.same(mismatches, []);
});

t.test('classify: national fast path equals the reference for every home country', async (t) => {
  const mismatches: { raw: string; home: string }[] = [];
  for (const home of HOMES) {
    const c = new NumberClassifier({ home, cacheSize: 0 });
    for (const digits of inputsFor(home).slice(0, 60)) {
      for (const raw of [digits, `sip:${digits}@gw`, `<tel:${digits}>`]) {
        if (!isDeepStrictEqual(c.classify(raw), classifyReference(raw, home)) && mismatches.length < 25) mismatches.push({ raw, home });
      }
    }
  }
  t.same(mismatches, []);
});

t.test('callingCodeLength agrees with the library on every prefix', async (t) => {
  const meta = new Metadata() as unknown as { hasCallingCode(cc: string): boolean };
  /** The old definition: the first of 1..3 leading characters that is an assigned code. */
  const slow = (s: string, offset = 0): number => {
    for (let len = 1; len <= 3 && offset + len <= s.length; len++) {
      const cc = s.slice(offset, offset + len);
      if (/^[1-9]\d*$/.test(cc) && meta.hasCallingCode(cc)) return len;
    }
    return 0;
  };
  const bad: string[] = [];
  for (let n = 0; n < 10_000; n++) {
    for (const s of [String(n), String(n).padStart(4, '0'), `+${n}`, `${n}x`, `${n % 100}-${n}`]) {
      for (const offset of [0, 1]) if (callingCodeLength(s, offset) !== slow(s, offset)) bad.push(`${s}@${offset}`);
    }
  }
  fc.assert(
    fc.property(fc.string({ maxLength: 6 }), fc.nat(3), (s, offset) => {
      if (callingCodeLength(s, offset) !== slow(s, offset)) bad.push(JSON.stringify(s) + '@' + offset);
    }),
    { numRuns: 20_000, seed: 7 },
  );
  t.same(bad.slice(0, 20), []);
});

t.test('user parts that are already digits take the shortcut with the same answer', async (t) => {
  const plan = homePlan('CN');
  const rows = [
    'sip:+8613800138000@198.51.100.10;user=phone', '<sip:+8613800138000@h>', '"x" <sip:008613800138000@h>',
    'tel:+8613800138000', 'tel:13800138000', 'tel:5550100;phone-context=+1-212', 'tel:5550100;phone-context=+1212',
    'sip:5550100;phone-context=+1212@h', 'sip:+5550100;phone-context=+1212@h', 'sip:123@h', 'sip:12@h',
    'sip:' + '1'.repeat(22) + '@h', 'sip:' + '1'.repeat(23) + '@h', 'sip:+' + '1'.repeat(22) + '@h', 'tel: +86138 ',
  ];
  const gen = fc.tuple(
    fc.constantFrom('sip:', 'sips:', 'tel:', '<sip:', '"a" <sip:', ''),
    fc.constantFrom('', '+', '00', '0', '++'),
    fc.stringMatching(/^[0-9]{0,24}$/),
    fc.constantFrom('', '@h', '@h;user=phone', ';phone-context=+1212@h', ';phone-context=x@h', '>', '@h>'),
  ).map(([a, b, c, d]) => a + b + c + d);
  const raws = [...rows, ...fc.sample(gen, { numRuns: 5_000, seed: 11 })];
  const bad = raws.filter((raw) => !isDeepStrictEqual(analyse(raw, plan, true).e164, analyse(raw, plan, false).e164) || !isDeepStrictEqual(new NumberClassifier({ home: 'CN', cacheSize: 0 }).classify(raw), classifyReference(raw, 'CN')));
  t.same(bad.slice(0, 20), []);
});
