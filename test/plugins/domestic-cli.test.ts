import t from 'tap';
import plugin from '../../plugins/domestic-cli.js';
import { ASCII, defaults, fakeContext, homeNumber, numberInfo } from '../helpers/fake-context.js';
import { classifyReference } from '../../lib/numbers/classify.js';

const cfg = defaults(plugin); // weight 60, mobile_weight 40, no allowed prefixes
const score = (caller = homeNumber(), c = cfg) => plugin.score(fakeContext({ caller }), c);

t.test('a foreign caller says nothing', async (t) => {
  t.equal(score(numberInfo()), null);
});

t.test('a home fixed-line number from abroad earns the weight', async (t) => {
  const s = score()!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller +442079460123 is a home-country (GB) number arriving on international ingress');
  t.match(s.detail, ASCII);
});

t.test('a home mobile may be roaming: its own, lower weight', async (t) => {
  const mobile = homeNumber({ e164: '+447700900123', type: 'mobile' });
  const s = score(mobile)!;
  t.equal(s.points, 40);
  t.match(s.detail, /home-country \(GB\) mobile number/);
  t.equal(score(mobile, defaults(plugin, { mobile_weight: 0 })), null, 'mobile_weight 0 ignores home mobiles');
});

t.test('allow_prefixes exempt ranges, written with or without +', async (t) => {
  const mobile = homeNumber({ e164: '+447700900123', type: 'mobile' });
  t.equal(score(mobile, defaults(plugin, { allow_prefixes: ['+4477'] })), null);
  t.equal(score(mobile, defaults(plugin, { allow_prefixes: ['4477'] })), null);
  t.ok(score(homeNumber(), defaults(plugin, { allow_prefixes: ['+4477'] })), 'other home ranges still count');
  t.same(plugin.schema.allow_prefixes.parse(['+4477', 4478]), { ok: true, value: ['4477', '4478'] });
  t.notOk(plugin.schema.allow_prefixes.parse(['44-77']).ok);
});

t.test('a home caller with no E.164 form is left to invalid-cli', async (t) => {
  t.equal(score(homeNumber({ e164: null, raw: '0207', problem: 'too-short' })), null);
});

t.test('needs no statistics', async (t) => {
  t.same(plugin.needs!(cfg), []);
});

// ---- how the number was presented ------------------------------------------------

const cn = (raw: string) => classifyReference(raw, 'CN');
const cnScore = (raw: string, c = cfg) => plugin.score(fakeContext({ caller: cn(raw), homeCountry: 'CN' }), c);

t.test('a home number with its country code counts however it is written', async (t) => {
  for (const raw of ['+862079460123', '00862079460123', '862079460123', 'sip:+862079460123@gw.example;user=phone']) {
    const s = cnScore(raw)!;
    t.equal(s.points, 60, raw);
    t.equal(s.detail, 'caller +862079460123 is a home-country (CN) number arriving on international ingress', raw);
  }
});

t.test('digits that are also a valid foreign number without its + are no home number', async (t) => {
  // US +1 312 555 1234 sent without the '+' reads as a Chinese mobile (131...).
  t.equal(cn('13125551234').home, true, 'the numbering module reads it as home');
  t.equal(cnScore('13125551234', defaults(plugin, { mobile_weight: 40 })), null);
  // The same Chinese mobile in national format has no foreign reading: it counts.
  t.equal(cnScore('13812345678')!.points, 40);
});

t.test('a national-format number that is no valid home number is left to invalid-cli', async (t) => {
  t.equal(cn('0663478892').problem, 'invalid');
  t.equal(cnScore('0663478892'), null);
  t.ok(cnScore('+86663478892'), 'with its country code it still counts');
});

t.test('bare digits that begin with 86 but are no valid Chinese number are no home caller ID', async (t) => {
  // A US carrier's 862 (New Jersey) or 866 (toll-free) number sent without its 1.
  for (const raw of ['8663883525', '8629735551']) {
    t.equal(cn(raw).home, true, `${raw} reads as +86`);
    t.equal(cn(raw).valid, false, raw);
    t.equal(cnScore(raw, defaults(plugin, { presented: 'international' })), null, raw);
    t.equal(cnScore(raw), null, `${raw}, presented: any`);
  }
  t.equal(cnScore('+8663883525', defaults(plugin, { presented: 'international' }))!.points, 60, "with the '+' it counts");
  t.equal(cnScore('862079460123', defaults(plugin, { presented: 'international' }))!.points, 60, 'a valid bare +86 number counts');
});

t.test('presented: international rejects what carried the country code, national tags the rest', async (t) => {
  const intl = defaults(plugin, { presented: 'international' });
  const national = defaults(plugin, { presented: 'national' });
  // London 020 7946 0123 in its national format reads as a Guangzhou fixed line.
  t.equal(cnScore('02079460123', intl), null);
  const s = cnScore('02079460123', national)!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller +862079460123 is a home-country (CN) number arriving on international ingress (presented without country code as "02079460123")');
  t.match(s.detail, ASCII);
  t.equal(cnScore('+862079460123', national), null);
  t.equal(cnScore('+862079460123', intl)!.points, 60);
  t.equal(cfg.presented, 'any', 'both count by default');
  t.notOk(plugin.schema.presented.parse('e164').ok);
});

t.test("digits starting '00' that read only as an invalid national number are no home caller ID", async (t) => {
  const us = (raw: string) => plugin.score(fakeContext({ caller: classifyReference(raw, 'US'), homeCountry: 'US' }), defaults(plugin, { presented: 'international' }));
  t.equal(us('0000000000'), null, "'0000000000' carried no country code and is no valid US number");
  t.equal(us('+0012125550147')!.points, 40, "an IDD typed after the '+' still presents the country code");
});
