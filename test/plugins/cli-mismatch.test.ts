import t from 'tap';
import plugin from '../../plugins/cli-mismatch.js';
import { ASCII, defaults, fakeContext, homeNumber, numberInfo } from '../helpers/fake-context.js';

const cfg = defaults(plugin); // country 30, home 50
const ng = numberInfo(); // +2348031234567, PAI in these tests
const gb = homeNumber(); // +442079460123
const fr = numberInfo({ e164: '+33142685300', country: 'FR', callingCode: '33', type: 'fixed-line' });
const ctx = (caller: typeof ng, variants: (typeof ng)[]) =>
  fakeContext({ caller, callerVariants: variants, attemptVariants: { pai: caller.raw, from: variants[0]?.raw ?? caller.raw } });

t.test('no variants, or agreeing ones, say nothing', async (t) => {
  t.equal(plugin.score(ctx(ng, []), cfg), null);
  t.equal(plugin.score(ctx(ng, [ng]), cfg), null);
  t.equal(plugin.score(ctx(ng, [numberInfo({ e164: '+2348039999999' })]), cfg), null, 'same country, other number: a PBX main number');
});

t.test('a withheld From beside a real PAI is privacy, not a mismatch', async (t) => {
  const anon = numberInfo({ raw: 'anonymous', e164: null, key: 'anonymous', country: null, callingCode: null, problem: 'anonymous' });
  t.equal(plugin.score(ctx(ng, [anon]), cfg), null);
});

t.test('home From with a foreign PAI is masking', async (t) => {
  const s = plugin.score(ctx(ng, [gb]), cfg)!;
  t.equal(s.points, 50);
  t.equal(s.detail, 'From +442079460123 (GB, home) disagrees with P-Asserted-Identity +2348031234567 (NG)');
  t.match(s.detail, ASCII);
});

t.test('two foreign countries earn the country weight', async (t) => {
  const s = plugin.score(ctx(ng, [fr]), cfg)!;
  t.equal(s.points, 30);
  t.equal(s.detail, 'From +33142685300 (FR) disagrees with P-Asserted-Identity +2348031234567 (NG)');
});

t.test('the strongest disagreement wins', async (t) => {
  t.equal(plugin.score(ctx(ng, [fr, gb]), cfg)!.points, 50);
  t.equal(plugin.score(ctx(ng, [gb]), defaults(plugin, { home_weight: 0 })), null);
});

t.test('identities not tied to a header are still compared', async (t) => {
  const s = plugin.score(fakeContext({ caller: ng, callerVariants: [fr] }), cfg)!;
  t.equal(s.detail, 'other identity +33142685300 (FR) disagrees with caller +2348031234567 (NG)');
});

t.test('needs no statistics', async (t) => {
  t.same(plugin.needs!(cfg), []);
});
