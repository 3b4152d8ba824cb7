import t from 'tap';
import plugin from '../../plugins/toll-free.js';
import { ASCII, defaults, fakeContext, numberInfo } from '../helpers/fake-context.js';
import { classifyReference } from '../../lib/numbers/classify.js';

const cfg = defaults(plugin); // toll-free, premium-rate, shared-cost, uifn (+800 +808 +979); 60 / 30
const score = (o: Parameters<typeof numberInfo>[0], c = cfg) => plugin.score(fakeContext({ caller: numberInfo(o) }), c);

t.test('ordinary numbers say nothing', async (t) => {
  t.equal(score({}), null);
  t.equal(score({ type: 'fixed-line', country: 'FR', callingCode: '33', e164: '+33142685300' }), null);
});

t.test('toll-free and premium-rate callers earn the weight', async (t) => {
  const s = score({ e164: '+18005550100', country: 'US', callingCode: '1', type: 'toll-free' })!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller +18005550100 is a toll-free number (US), which cannot originate calls');
  t.match(s.detail, ASCII);
  t.equal(score({ e164: '+447700900900', country: 'GB', type: 'premium-rate' })!.points, 60);
});

t.test('shared-cost callers earn the lower weight', async (t) => {
  const s = score({ e164: '+448450000000', country: 'GB', type: 'shared-cost' })!;
  t.equal(s.points, 30);
  t.match(s.detail, /shared-cost number \(GB\)/);
});

t.test('international freephone codes count; satellite and network codes do not', async (t) => {
  const s = score({ e164: '+80012345678', country: '001', callingCode: '800', type: 'unknown', uifn: true })!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller +80012345678 is an international non-geographic number (+800), which cannot originate calls');
  t.equal(score({ e164: '+881612345678', country: '001', callingCode: '881', type: 'mobile', uifn: true }), null, 'Iridium places calls');
  t.equal(score({ e164: '+882161234567', country: '001', callingCode: '882', type: 'unknown', uifn: true }), null);
});

t.test('a UIFN code is judged as uifn or not at all, whatever libphonenumber types it', async (t) => {
  // libphonenumber types +800 toll-free and +808 shared-cost: an instance for freephone ranges
  // (types: [toll-free], the examples' foreign-toll-free) must not score them beside the one that rejects UIFN.
  const cn = (raw: string, c = cfg) => plugin.score(fakeContext({ caller: classifyReference(raw, 'CN'), homeCountry: 'CN' }), c);
  t.equal(classifyReference('+80012345678', 'CN').type, 'toll-free', 'the numbering module types +800 toll-free');
  const freephone = defaults(plugin, { types: ['toll-free'] });
  t.equal(cn('+80012345678', freephone), null, '+800 is not a freephone range of a country');
  t.equal(cn('+80850982822', defaults(plugin, { types: ['shared-cost'] })), null, '+808 is not a shared-cost range of a country');
  t.equal(cn('+18005550100', freephone)!.points, 60, 'a US 1-800 number is');
  t.match(cn('+80012345678', defaults(plugin, { types: ['uifn'] }))?.detail, /international non-geographic number \(\+800\)/);
  t.equal(cn('+80012345678', defaults(plugin, { types: ['toll-free'], uifn_codes: ['808'] }))!.points, 60, 'a code left out of uifn_codes is judged by its type');
});

t.test('+979 (international premium rate) counts as one of uifn_codes, valid or not', async (t) => {
  const cn = (raw: string, c = cfg) => plugin.score(fakeContext({ caller: classifyReference(raw, 'CN'), homeCountry: 'CN' }), c);
  const uifnOnly = defaults(plugin, { types: ['uifn'] });
  t.match(cn('+979123456789', uifnOnly)?.detail, /international non-geographic number \(\+979\)/, 'the default uifn_codes list it');
  t.match(cn('+97912345678', uifnOnly)?.detail, /\(\+979\)/, 'a +979 number of a length the plan does not use');
  t.equal(cn('+979123456789', defaults(plugin, { types: ['premium-rate'] })), null, 'judged as uifn, not beside it as a premium-rate range');
  t.equal(cn('+979123456789', defaults(plugin, { types: ['premium-rate'], uifn_codes: ['800'] }))!.points, 60, 'left out of uifn_codes: by its type');
});

t.test('which types count is configurable, and a zero weight turns a group off', async (t) => {
  const tf = { e164: '+18005550100', country: 'US', callingCode: '1', type: 'toll-free' as const };
  t.equal(score(tf, defaults(plugin, { types: ['premium-rate'] })), null);
  t.equal(score({ e164: '+448450000000', type: 'shared-cost' }, defaults(plugin, { shared_cost_weight: 0 })), null);
  t.equal(score({ type: 'uan' }), null, 'uan is off by default');
  t.equal(score({ type: 'uan' }, defaults(plugin, { types: ['uan'] }))!.points, 30);
});

t.test('types are validated at load time', async (t) => {
  t.notOk(plugin.schema.types.parse(['tollfree']).ok);
  t.same(plugin.schema.types.parse(['toll-free', 'uifn']), { ok: true, value: ['toll-free', 'uifn'] });
  t.same(plugin.schema.uifn_codes.parse(['+800', 979]), { ok: true, value: ['800', '979'] });
});

t.test('needs no statistics', async (t) => {
  t.same(plugin.needs!(cfg), []);
});

t.test('digits without a country code that read as a home mobile and as a foreign toll-free number count as toll-free', async (t) => {
  const cn = (raw: string) => plugin.score(fakeContext({ caller: classifyReference(raw, 'CN'), homeCountry: 'CN' }), cfg);
  // A carrier that drops the '+' sends US 1-800 555 0100 as 18005550100, which also reads as a Chinese 180 mobile.
  t.equal(classifyReference('18005550100', 'CN').type, 'mobile', 'the numbering module reads it as home');
  const s = cn('18005550100')!;
  t.equal(s.points, 60);
  t.equal(s.detail, 'caller +18005550100 (digits presented without a country code, "18005550100", read as an international number) is a toll-free number (US), which cannot originate calls');
  t.match(s.detail, ASCII);
  t.equal(cn('18885550100')!.points, 60, '1-888 too');
  t.equal(cn('13125551234'), null, 'a foreign reading that is no toll-free number (Chicago) says nothing');
  t.equal(cn('18612345678'), null, 'nor does a home mobile with no toll-free reading');
  t.equal(cn('+8618005550100'), null, 'presented with its country code it is a home mobile, not a toll-free number');
});

t.test("include_home: false leaves the home country's own numbers to domestic-cli, and still judges foreign ones", async (t) => {
  const us = (raw: string, c = cfg) => plugin.score(fakeContext({ caller: classifyReference(raw, 'US'), homeCountry: 'US' }), c);
  const off = defaults(plugin, { include_home: false });
  t.equal(us('+18005550100')!.points, 60, 'judged by default');
  t.equal(us('+18005550100', off), null, 'a US 1-800 caller ID on a US gateway');
  t.equal(us('+19005550100')!.points, 60, 'US premium rate judged by default');
  t.equal(us('+19005550100', off), null, 'and left out with it');
  t.equal(us('+448001234567', off)!.points, 60, 'UK freephone is still judged');
  t.equal(us('+80012345678', off)!.points, 60, 'UIFN is still judged');
  t.equal(us('+18762345678', off), null, 'an ordinary Jamaican number (+1, foreign) is no toll-free number either way');
  t.equal(us('+18762345678'), null);
});
