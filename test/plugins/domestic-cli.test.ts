import t from 'tap';
import plugin from '../../plugins/domestic-cli.js';
import { ASCII, defaults, fakeContext, homeNumber, numberInfo } from '../helpers/fake-context.js';

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
