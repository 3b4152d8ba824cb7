import t from 'tap';
import fc from 'fast-check';
import { NumberClassifier, normalise, blockOf } from '../../lib/numbers/index.js';
import type { NumberInfo } from '../../lib/numbers/index.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const homes = ['CN', 'GB', 'US', 'IN', 'DE', 'JP', 'AU', 'RU', 'BR'];
const classifiers = new Map(homes.map((h) => [h, new NumberClassifier({ home: h, cacheSize: 1000 })]));

const digitish = fc.string({
  unit: fc.constantFrom(...'0123456789', '0', '1', '8', '6', '+', ' ', '-', '.', '(', ')', '/', '%', '2', 'B', ';', '@', '<', '>', ':', '\t'),
  maxLength: 30,
});

// Realistic leading digits so a good share of generated numbers are valid.
const lead = fc.constantFrom('86138', '861065', '13', '010', '4420', '447400', '1212', '1800', '91987', '800', '4915', '7912', '', '0', '1');
const body = fc
  .array(fc.tuple(fc.constantFrom(...'0123456789'), fc.constantFrom('', '', '', ' ', '-', '.')), { minLength: 0, maxLength: 12 })
  .map((xs) => xs.map(([d, sep]) => d + sep).join(''));
const uriLike = fc
  .tuple(
    fc.constantFrom('', '', '+', '+', '00', '011', 'sip:', 'sip:+', 'sips:00', 'tel:', 'tel:+', '<sip:+', '"x" <sip:', 'sip:%2B'),
    lead,
    body,
    fc.constantFrom('', '', '@host', '@10.0.0.1:5060;user=phone', ';phone-context=+1212@h', ';npdi;rn=+861390000@h', '>', ';isub=12', ';phone-context=example.com'),
  )
  .map(([a, b, c, d]) => a + b + c + d);

const anyInput = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  digitish,
  uriLike,
);

function checkInfo(info: NumberInfo, raw: string): void {
  if (info.raw !== raw) throw new Error('raw not preserved');
  if (info.e164 !== null) {
    if (!E164.test(info.e164)) throw new Error(`bad e164 ${info.e164}`);
    if (info.key !== info.e164) throw new Error('key must be the e164');
    if (info.callingCode === null || !info.e164.startsWith('+' + info.callingCode)) throw new Error('callingCode mismatch');
  } else {
    if (info.problem === undefined) throw new Error('null e164 needs a problem');
    if (info.valid || info.home || info.uifn) throw new Error('flags set without a number');
  }
  if (info.valid && info.problem !== undefined) throw new Error('valid numbers carry no problem');
  if (!info.valid && info.problem === undefined) throw new Error('invalid numbers carry a problem');
  if (typeof info.key !== 'string') throw new Error('key must be a string');
}

t.test('classify never throws and returns a well-formed NumberInfo', async (t) => {
  fc.assert(
    fc.property(anyInput, fc.constantFrom(...homes), (raw, home) => {
      const info = classifiers.get(home)!.classify(raw);
      checkInfo(info, raw);
      // normalise() and classify() must agree.
      const n = normalise(raw, { home });
      if (n.e164 !== info.e164) throw new Error(`normalise ${n.e164} != classify ${info.e164}`);
    }),
    { numRuns: 5000 },
  );
  t.pass('5000 runs');
});

t.test('classifyAs (national_formats) never throws; it agrees with a classifier at home in that country except for the home flag', async (t) => {
  fc.assert(
    fc.property(anyInput, fc.constantFrom(...homes), fc.constantFrom(...homes), (raw, home, country) => {
      const info = classifiers.get(home)!.classifyAs(raw, country);
      checkInfo(info, raw);
      const there = classifiers.get(country)!.classify(raw);
      if (info.e164 !== there.e164 || info.valid !== there.valid || info.type !== there.type) throw new Error(`${raw} read in ${country}: ${info.e164} != ${there.e164}`);
      if (info.home !== (info.country === home)) throw new Error(`home flag of ${raw} must be about ${home}`);
      if (!Object.isFrozen(info)) throw new Error('not frozen');
    }),
    { numRuns: 3000 },
  );
  t.pass('3000 runs');
});

t.test('valid numbers are fixed points', async (t) => {
  fc.assert(
    fc.property(uriLike, fc.constantFrom(...homes), (raw, home) => {
      const c = classifiers.get(home)!;
      const info = c.classify(raw);
      if (!info.valid || info.e164 === null) return;
      const again = c.classify(info.e164);
      if (again.e164 !== info.e164 || !again.valid) throw new Error(`${raw} -> ${info.e164} -> ${again.e164}`);
    }),
    { numRuns: 5000 },
  );
  t.pass('5000 runs');
});

t.test('blockOf keeps country code + 1 digit and is a prefix', async (t) => {
  fc.assert(
    fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), fc.integer({ min: -2, max: 20 }), (e164, n) => {
      const b = blockOf(e164, n);
      if (!e164.startsWith(b)) throw new Error('not a prefix');
      if (b.length < Math.min(e164.length, 3)) throw new Error('too short');
      if (n <= 0 && b !== e164) throw new Error('non-positive digits must keep the number');
    }),
  );
  t.pass('blockOf ok');
});
