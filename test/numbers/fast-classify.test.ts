/**
 * The compiled-metadata fast path must classify exactly like libphonenumber-js.
 * Numbers are generated from the max metadata itself (every calling code,
 * every country sharing one, every number type's pattern, national-prefix
 * forms, wrong lengths, random digits), then classified both ways.
 */
import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import metadataJson from 'libphonenumber-js/max/metadata';
import { NumberClassifier } from '../../lib/numbers/index.js';
import { classifyReference } from '../../lib/numbers/classify.js';
import { DECLINED, readInternational } from '../../lib/numbers/compiled.js';
import type { NumberInfo } from '../../lib/numbers/index.js';
import { table } from './real-world.js';
import { samples } from '../helpers/number-samples.js';

type Tuple = readonly unknown[];
const META = metadataJson as unknown as {
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, Tuple>;
  nonGeographic: Record<string, Tuple>;
};

const HOMES = ['CN', 'GB', 'US', 'IN', 'DE', 'RU', 'AR', 'BR', 'JP', 'FR', 'IT', 'AU', 'MX', 'SM'];
const fast = new Map(HOMES.map((h) => [h, new NumberClassifier({ home: h, cacheSize: 0 })]));

const { rnd, pick, randomDigits, matching } = samples(0x9e3779b9, 1);

interface Sample {
  cc: string;
  nn: string;
}

/** National numbers per calling code, from each plan's patterns plus deliberate damage. */
function generate(): Sample[] {
  const out: Sample[] = [];
  const plans: [cc: string, tuple: Tuple][] = [];
  for (const [cc, countries] of Object.entries(META.country_calling_codes)) {
    for (const id of countries) {
      const tuple = META.countries[id];
      if (tuple) plans.push([cc, tuple]);
    }
  }
  for (const [cc, tuple] of Object.entries(META.nonGeographic)) plans.push([cc, tuple]);

  for (const [cc, tuple] of plans) {
    const lengths = (tuple[3] as number[] | undefined) ?? [];
    const types = (tuple[11] as (Tuple | 0)[] | undefined) ?? [];
    const valid: string[] = [...matching(tuple[2], 12)];
    for (const type of types) if (type) valid.push(...matching(type[0], 14));
    for (const nn of valid) {
      out.push({ cc, nn });
      // Wrong lengths around real ranges.
      out.push({ cc, nn: nn.slice(0, -1) });
      out.push({ cc, nn: nn + String(rnd(10)) });
      // Same range, other digits at the end: mostly still valid.
      if (nn.length > 3) out.push({ cc, nn: nn.slice(0, -3) + randomDigits(3) });
    }
    // National prefix written after the calling code ('+44 0 20 ...'), and
    // whatever the prefix-for-parsing pattern accepts (carrier codes, NANP
    // area-code rules, Argentina's '15').
    const np = tuple[5];
    const npfp = tuple[7];
    for (let i = 0; i < 12 && valid.length > 0; i++) {
      const nn = pick(valid);
      if (typeof np === 'string' && np !== '') out.push({ cc, nn: np + nn });
      for (const p of matching(npfp, 1)) out.push({ cc, nn: p + (rnd(2) === 0 ? nn : nn.slice(rnd(4))) });
    }
    // Leading digits of shared calling codes, followed by anything.
    for (const lead of matching(tuple[10], 6)) {
      out.push({ cc, nn: lead + randomDigits(Math.max(0, pick(lengths.length > 0 ? lengths : [8]) - lead.length)) });
    }
    // Noise at every plausible length.
    for (let i = 0; i < 40; i++) out.push({ cc, nn: randomDigits(1 + rnd(16)) });
  }
  return out;
}

/** Raw spellings of one number; the first is the canonical '+digits'. */
function spellings(cc: string, nn: string, home: string): string[] {
  const digits = cc + nn;
  const idd = home === 'US' ? '011' : home === 'JP' ? '010' : home === 'AU' ? '0011' : '00';
  const forms = [
    '+' + digits,
    idd + digits,
    digits, // '+' dropped
    nn, // national reading against home
    '0' + nn,
    `sip:+${digits}@gw;user=phone`,
    `tel:+${cc}-${nn}`,
  ];
  return [forms[0]!, pick(forms.slice(1))];
}

interface Mismatch {
  raw: string;
  home: string;
  fast: NumberInfo;
  reference: NumberInfo;
}

function compare(raw: string, home: string, mismatches: Mismatch[]): NumberInfo {
  const got = fast.get(home)!.classify(raw);
  const want = classifyReference(raw, home);
  if (!isDeepStrictEqual(got, want) && mismatches.length < 25) mismatches.push({ raw, home, fast: got, reference: want });
  return got;
}

t.test('generated numbers: fast path equals libphonenumber-js', async (t) => {
  const samples = generate();
  const mismatches: Mismatch[] = [];
  let compared = 0;
  let declined = 0;
  let fastReadings = 0;
  let valid = 0;
  const types = new Set<string>();
  const countries = new Set<string>();
  const callingCodes = new Set<string>();
  const codesSeenValid = new Set<string>();

  for (const { cc, nn } of samples) {
    const home = pick(HOMES);
    for (const raw of spellings(cc, nn, home)) {
      const info = compare(raw, home, mismatches);
      compared++;
      if (info.valid) {
        valid++;
        types.add(info.type);
        if (info.callingCode !== null) codesSeenValid.add(info.callingCode);
      }
      if (info.country !== null) countries.add(info.country);
    }
    callingCodes.add(cc);
    const digits = cc + nn;
    if (/^\d{3,}$/.test(digits)) {
      const r = readInternational(digits);
      if (r === DECLINED) declined++;
      else if (r !== undefined) fastReadings++;
    }
  }

  t.same(mismatches, [], 'no differences');
  t.ok(compared >= 50_000, `${compared} inputs compared`);
  t.equal(declined, 0, 'the fast path answered for every digit string');
  t.ok(fastReadings > samples.length / 2, `${fastReadings} readings from compiled metadata`);
  t.ok(valid > compared / 4, `${valid} valid`);

  const allCodes = [...Object.keys(META.country_calling_codes), ...Object.keys(META.nonGeographic)];
  t.same(allCodes.filter((cc) => !callingCodes.has(cc)), [], 'every calling code sampled');
  t.same(allCodes.filter((cc) => !codesSeenValid.has(cc)), [], 'a valid number for every calling code');
  // Every country of a shared calling code was told apart at least once. EH
  // never is: MA comes first under +212 and its leading digits [5-8] cover
  // every EH number.
  const shared = Object.values(META.country_calling_codes)
    .filter((ids) => ids.length > 1)
    .flat()
    .filter((id) => id !== 'EH');
  t.same(shared.filter((id) => !countries.has(id)), [], 'every country of a shared code resolved');
  for (const type of ['mobile', 'fixed-line', 'fixed-line-or-mobile', 'toll-free', 'premium-rate', 'shared-cost', 'voip', 'personal', 'pager', 'uan', 'voicemail']) {
    t.ok(types.has(type), `type ${type} seen`);
  }
});

t.test('non-geographic and shared codes, explicitly', async (t) => {
  const mismatches: Mismatch[] = [];
  const rows = [
    '+80012345678', '+80001234567', '+8001234567', '+800123456789',
    '+80812345678', '+8081234567', '+979123456789', '+97912345678', '+979512345678',
    '+88212345678', '+882123456789', '+8823451234567', '+88312345678', '+883510012345', '+8835100123456',
    '+870773111632', '+881612345678', '+878101234567890', '+88812345678901',
    '+12425551234', '+12425591234', '+18765551234', '+16585551234', '+13405551234', '+17875551234',
    '+78005553535', '+77011234567', '+76123456789', '+79123456789', '+7812345678',
    '+447624123456', '+441481123456', '+441534123456', '+447781123456', '+442079460000',
    '+262262123456', '+262269612345', '+262639123456', '+590590123456', '+590690123456',
    '+599912345678', '+59971234567', '+599318123', '+3581812345', '+358401234567',
    '+4779123456', '+4741234567', '+61891621234', '+61891012345', '+61412345678',
    '+390669812345', '+390612345678', '+212612345678', '+212528123456', '+2906123', '+29081234',
    '+541115123456', '+5491112345678', '+5501112345678', '+552112345678', '+3788123456', '+378812345',
    '+440201234567', '+4402079460000', '+1112125550100', '+12125550100', '+112125550100',
  ];
  for (const raw of rows) {
    for (const home of HOMES) {
      compare(raw, home, mismatches);
      compare(raw.slice(1), home, mismatches);
      compare('00' + raw.slice(1), home, mismatches);
    }
  }
  t.same(mismatches, []);
});

t.test('real-world table: fast path equals libphonenumber-js', async (t) => {
  const mismatches: Mismatch[] = [];
  let n = 0;
  for (const [home, rows] of Object.entries(table)) {
    for (const [raw] of rows) {
      for (const h of new Set([home, ...HOMES])) {
        compare(raw, h, mismatches);
        n++;
      }
    }
  }
  t.same(mismatches, []);
  t.ok(n > 500, `${n} comparisons`);
});

t.test('arbitrary input: fast path equals libphonenumber-js', async (t) => {
  const mismatches: Mismatch[] = [];
  const digitish = fc.stringMatching(/^(\+|00|0|011|tel:\+|sip:)?[0-9 \-.()]{0,24}(@h|;phone-context=\+1)?$/);
  fc.assert(
    fc.property(fc.oneof(digitish, digitish, fc.string({ maxLength: 30 })), fc.constantFrom(...HOMES), (raw, home) => {
      compare(raw, home, mismatches);
    }),
    { numRuns: 20_000, seed: 20261129 },
  );
  t.same(mismatches, []);
});

t.test('odd values are classified the same way', async (t) => {
  const mismatches: Mismatch[] = [];
  const odd: unknown[] = [undefined, null, 42, '', ' ', '+', '00', '+0', '+01234567', '0', '000000000', '+999123456', '1'.repeat(23), '+' + '1'.repeat(22), '+' + '1'.repeat(23)];
  for (const raw of odd) {
    for (const home of HOMES) {
      const r = raw as string;
      const got = fast.get(home)!.classify(r);
      const want = classifyReference(r, home);
      if (!isDeepStrictEqual(got, want)) mismatches.push({ raw: String(raw), home, fast: got, reference: want });
    }
  }
  t.same(mismatches, []);
});
