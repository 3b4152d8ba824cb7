import t from 'tap';
import plugin from '../../plugins/invalid-cli.js';
import type { NumberProblem } from '../../lib/numbers/types.js';
import { ASCII, defaults, fakeContext, numberInfo } from '../helpers/fake-context.js';
import { classifyReference } from '../../lib/numbers/classify.js';

const cfg = defaults(plugin);
const score = (o: Parameters<typeof numberInfo>[0], c = cfg) => plugin.score(fakeContext({ caller: numberInfo(o) }), c);

t.test('a valid caller says nothing', async (t) => {
  t.equal(score({}), null);
});

t.test('each problem has its weight and its own words', async (t) => {
  const cases: [NumberProblem, Parameters<typeof numberInfo>[0], number, string][] = [
    ['empty', { raw: '', e164: null, country: null, callingCode: null }, 40, 'no caller ID presented'],
    ['anonymous', { raw: 'anonymous', e164: null, country: null, callingCode: null }, 10, 'caller ID withheld ("anonymous")'],
    ['non-digit', { raw: 'BANK', e164: null, country: null, callingCode: null }, 40, 'caller ID "BANK" is not a telephone number'],
    ['too-short', { raw: '+4420', e164: null, country: 'GB' }, 40, 'caller ID "+4420" is too short for GB'],
    ['too-long', { raw: '+2348031234567890', e164: null }, 40, 'caller ID "+2348031234567890" is too long for NG'],
    ['unknown-country', { raw: '+99912345', e164: null, country: null, callingCode: null }, 50, 'caller ID "+99912345" has no assigned country code'],
    ['invalid', { e164: '+2340001234567', valid: false }, 50, 'caller ID +2340001234567 is in an unallocated range for NG'],
  ];
  for (const [problem, o, points, detail] of cases) {
    const s = score({ ...o, problem })!;
    t.equal(s.points, points, problem);
    t.equal(s.detail, detail, problem);
    t.match(s.detail, ASCII);
  }
});

t.test('a length its country never uses is told apart from an unallocated range', async (t) => {
  // An Italian main number with three extension digits appended: libphonenumber calls it
  // invalid, but it is a broken PBX's caller ID, not a range nobody was given.
  const it = classifyReference('+390260718992156', 'CN');
  t.equal(it.problem, 'invalid');
  t.equal(it.possible, false);
  const c = defaults(plugin, { invalid: 100, wrong_length: 60 });
  const s = plugin.score(fakeContext({ caller: it }), c)!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller ID +390260718992156 has a length no +39 number has (digits added or missing)');
  // A possible length in an unallocated range keeps the invalid weight.
  const us = classifyReference('+11867568705', 'CN');
  t.equal(us.possible, true);
  t.equal(plugin.score(fakeContext({ caller: us }), c)!.points, 100);
  t.equal(cfg.wrong_length, 40, 'weighs like too short / too long by default');
  t.equal(plugin.score(fakeContext({ caller: it }), defaults(plugin, { wrong_length: 0 })), null, '0 turns it off');
});

t.test('a truncated number is told apart from an unallocated range', async (t) => {
  // A Dutch pilot that lost its last digits: the Netherlands has 7-digit 0800 numbers, so the
  // length is possible, and only appending digits shows it is the start of an Amsterdam number.
  const nl = classifyReference('+31200798', 'CN');
  t.equal(nl.problem, 'invalid');
  t.equal(nl.possible, true);
  const c = defaults(plugin, { invalid: 100, wrong_length: 60 });
  const s = plugin.score(fakeContext({ caller: nl }), c)!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller ID +31200798 is the start of a valid +31 number (digits missing)');
  t.match(s.detail, ASCII);
  // A mobile with its last two digits lost.
  t.equal(plugin.score(fakeContext({ caller: classifyReference('+4479111234', 'CN') }), c)!.points, 60);
  // A full-length number in a range nobody was given stays invalid: no longer number is valid either.
  for (const raw of ['+8663883525', '+8612345678901', '+4400012345', '+33012345678']) {
    const u = classifyReference(raw, 'CN');
    t.equal(u.problem, 'invalid', raw);
    t.equal(plugin.score(fakeContext({ caller: u }), c)!.points, 100, raw);
  }
  t.equal(plugin.score(fakeContext({ caller: nl }), defaults(plugin, { invalid: 100, wrong_length: 0 })), null, 'wrong_length 0 turns it off');
});

t.test('a valid number with an extension appended, at a length its country calls possible, is a wrong length', async (t) => {
  const ru = classifyReference('+749952463027691', 'CN');
  t.equal(ru.problem, 'invalid');
  t.equal(ru.possible, true, "libphonenumber calls the length possible for +7");
  const c = defaults(plugin, { invalid: 100, wrong_length: 60 });
  const s = plugin.score(fakeContext({ caller: ru }), c)!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller ID +749952463027691 is a valid +7 number with digits added (an extension)');
  t.match(s.detail, ASCII);
});

t.test('bare digits that begin with a country code but are no valid number that way may be a national number', async (t) => {
  const c = defaults(plugin, { invalid: 100, national_cap: 30 });
  const cnScore = (raw: string) => plugin.score(fakeContext({ caller: classifyReference(raw, 'CN'), homeCountry: 'CN' }), c);
  // A US toll-free 866 388 3525 sent without its 1 reads as +86 63883525.
  const us = cnScore('8663883525')!;
  t.equal(us.points, 30);
  t.equal(us.detail, "caller ID +8663883525 is in an unallocated range for CN (presented without '+': may be another country's national number)");
  t.match(us.detail, ASCII);
  t.equal(cnScore('+8663883525')!.points, 100, "with its '+' the range is checked for real");
  t.equal(cnScore('008663883525')!.points, 100, 'with the international prefix too');
  t.equal(cnScore('8613812345678'), null, 'a valid bare number is read with its country code');
  // Another country code is read against the home plan when it makes no valid number: no country code shown.
  const uk = cnScore('4400012345')!;
  t.equal(uk.points, 30);
  t.equal(uk.detail, 'caller ID +864400012345 is in an unallocated range for CN (presented without country code)');
});

t.test('bare digits with the country code are judged on their length too', async (t) => {
  const uncapped = defaults(plugin, { invalid: 100, wrong_length: 60 });
  const gb = (raw: string) => plugin.score(fakeContext({ caller: classifyReference(raw, 'GB'), homeCountry: 'GB' }), uncapped)!;
  // A UK mobile with digits added, sent as bare digits with the 44.
  t.equal(gb('44791112345678').points, 60);
  t.match(gb('44791112345678').detail, /has a length no \+44 number has/);
  t.equal(gb('44791112345678').points, gb('+44791112345678').points, "as with the '+'");
  // A Chinese mobile cut short, sent as bare digits with the 86.
  const cn = plugin.score(fakeContext({ caller: classifyReference('8613800138', 'CN'), homeCountry: 'CN' }), uncapped)!;
  t.equal(cn.points, 60);
  t.match(cn.detail, /is the start of a valid \+86 number/);
  const capped = plugin.score(fakeContext({ caller: classifyReference('8613800138', 'CN'), homeCountry: 'CN' }), defaults(plugin, { invalid: 100, wrong_length: 60, national_cap: 30 }))!;
  t.equal(capped.points, 30, 'national_cap still caps a bare number');
  t.match(capped.detail, /start of a valid \+86 number .*presented without '\+'/);
});

t.test('the truncation check is cached by number, also for caller IDs too long for the engine to cache', async (t) => {
  const c = defaults(plugin, { invalid: 100, wrong_length: 60 });
  const raw = `<sip:+31200798@${'h'.repeat(300)}.example>`;
  const a = classifyReference(raw, 'CN');
  const b = classifyReference(raw, 'CN');
  t.not(a, b, 'a fresh classification each time');
  t.equal(plugin.score(fakeContext({ caller: a }), c)!.points, 60);
  t.equal(plugin.score(fakeContext({ caller: b }), c)!.points, 60);
});

t.test('withheld weighs less than invalid by default', async (t) => {
  t.ok(cfg.anonymous < cfg.invalid);
});

t.test('a zero weight turns a problem off', async (t) => {
  t.equal(score({ raw: 'anonymous', e164: null, problem: 'anonymous' }, defaults(plugin, { anonymous: 0 })), null);
});

t.test('a hostile caller ID cannot break the header the reason lands in', async (t) => {
  const s = score({ raw: 'x\r\nX-Evil: 1\u00e9' + 'y'.repeat(100), e164: null, problem: 'non-digit' })!;
  t.match(s.detail, ASCII);
  t.ok(s.detail.length < 120, 'bounded');
  t.notMatch(s.detail, /[\r\n]/);
});

t.test('needs no statistics', async (t) => {
  t.same(plugin.needs!(cfg), []);
});

// ---- national_cap -----------------------------------------------------------------

t.test('national_cap: a national-format number read against the home plan may be foreign', async (t) => {
  const c = defaults(plugin, { invalid: 100, national_cap: 60 });
  const cnScore = (raw: string, x = c) => plugin.score(fakeContext({ caller: classifyReference(raw, 'CN'), homeCountry: 'CN' }), x);
  // A national number with a trunk 0, read as a Chinese one, lands in an unallocated range.
  const s = cnScore('0663478892')!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller ID +86663478892 is in an unallocated range for CN (presented without country code)');
  t.equal(cnScore('0663478892', defaults(plugin, { invalid: 100 }))!.points, 100, 'no cap by default');
  t.equal(cnScore('+8612345678901')!.points, 100, 'with its country code the range is checked for real');
  t.equal(cnScore('+86663478892')!.points, 40, 'with its country code, the start of a valid Jieyang number: wrong_length');
  // A Hong Kong number sent in its national format (8 digits, no trunk prefix) reads as an unallocated Chinese range.
  const hk = cnScore('87846671')!;
  t.equal(hk.points, 60, 'digits without a trunk prefix may be a foreign national number too');
  t.equal(hk.detail, 'caller ID +8687846671 is in an unallocated range for CN (presented without country code)');
  t.equal(cnScore('422268386')!.points, 60, '9 digits without a country code: capped');
  t.equal(cnScore('604801')!.points, 100, 'fewer than 7 digits are no national number anywhere: junk stays junk');
  t.equal(cnScore('+8687846671')!.points, 40, 'the same digits with the country code: the start of a valid number, wrong_length');
  t.equal(cfg.national_cap, 1000);
  t.equal(cnScore('0663478892', defaults(plugin, { invalid: 100, national_cap: 0 })), null, 'a cap of 0 leaves them alone');
});

t.test("digits starting '00' read as a national number are capped like any national reading", async (t) => {
  // In the NANP the IDD is 011, so '0000000000' (a carrier's placeholder) is read as +1 000 000 0000,
  // no country code having been presented: national_cap applies, as for any national reading.
  const us = (raw: string) => plugin.score(fakeContext({ caller: classifyReference(raw, 'US'), homeCountry: 'US' }), defaults(plugin, { invalid: 60, national_cap: 30 }));
  const z = us('0000000000')!;
  t.equal(z.points, 30);
  t.match(z.detail, /presented without country code/);
  t.equal(us('+10000000000')!.points, 60, 'with the country code the range is judged for real');
  t.equal(us('00999123456')!.detail, 'caller ID "00999123456" has no assigned country code', "an IDD '00' before an unassigned code is still judged as international");
});
