import t from 'tap';
import {
  attemptFromHeaders, callerIdentity, firstIdentity, nameAddrDisplay, nameAddrUri, prefixDisplayName, sourceOf, splitHeaderList, uriUser,
} from '../../lib/sip/headers.js';

t.test('uriUser: sip, sips and tel URIs; junk gives empty strings', async (t) => {
  t.equal(uriUser('sip:+8613800138000@10.0.0.1;user=phone'), '+8613800138000');
  t.equal(uriUser('sips:alice:secret@example.com:5061'), 'alice');
  t.equal(uriUser('sip:+1-212-555-1212;npdi;rn=+12125550000@gw.example;user=phone'), '+1-212-555-1212', 'user parameters dropped');
  t.equal(uriUser('tel:+442079460123;phone-context=+44'), '+442079460123');
  t.equal(uriUser('TEL:+1800'), '+1800');
  t.equal(uriUser('sip:%2B4420@x'), '+4420', 'escapes decoded');
  t.equal(uriUser('sip:%zz@x'), '%zz', 'bad escape kept');
  t.equal(uriUser('sip:example.com'), '', 'no user part');
  t.equal(uriUser('mailto:a@b'), '');
  t.equal(uriUser(''), '');
  t.equal(uriUser(undefined), '');
  t.equal(uriUser(42 as unknown as string), '');
});

t.test('name-addr helpers', async (t) => {
  t.equal(nameAddrUri('"Bob, <the> builder" <sip:bob@x>;tag=1'), 'sip:bob@x', 'quoted display with <, > and comma');
  t.equal(nameAddrUri('Bob <sip:bob@x>'), 'sip:bob@x');
  t.equal(nameAddrUri('sip:bob@x;tag=1'), 'sip:bob@x', 'addr-spec: parameters belong to the header');
  t.equal(nameAddrUri('<sip:bob@x'), 'sip:bob@x', 'unterminated');
  t.equal(nameAddrDisplay('"A \\"quoted\\" name" <sip:a@x>'), 'A "quoted" name');
  t.equal(nameAddrDisplay('Plain Name <sip:a@x>'), 'Plain Name');
  t.equal(nameAddrDisplay('<sip:a@x>'), '');
  t.equal(nameAddrDisplay('sip:a@x'), '');
  t.same(splitHeaderList('"a,b" <sip:1@x>, <tel:+2>,,  <sip:3@y;p=a,b>'), ['"a,b" <sip:1@x>', '<tel:+2>', '<sip:3@y;p=a,b>']);
  t.same(splitHeaderList(undefined), []);
});

t.test('caller: first sip/tel P-Asserted-Identity, else From', async (t) => {
  t.equal(firstIdentity('<mailto:x@y>, "Corp" <tel:+12025550100>'), '"Corp" <tel:+12025550100>');
  t.same(callerIdentity({ pai: '<sip:+8613800138000@ims>, <tel:+8613800138000>', from: '"Spoof" <sip:+12025550100@x>;tag=1' }),
    { caller: '+8613800138000', pai: '+8613800138000', from: '+12025550100', display: 'Spoof' });
  t.equal(callerIdentity({ from: '<sip:anonymous@anonymous.invalid>;tag=1' }).caller, 'anonymous');
  t.equal(callerIdentity({ pai: 'garbage', from: '<sip:+441@x>' }).caller, '+441', 'unusable PAI falls back to From');
  t.same(callerIdentity({}), { caller: '', pai: '', from: '', display: '' });
});

t.test('attemptFromHeaders builds a CallAttempt and never throws', async (t) => {
  const h: Record<string, string> = {
    from: '"Acme" <sip:+12025550100@edge>;tag=a',
    to: '<sip:+8613800138000@core>',
    'p-asserted-identity': '<tel:+12025550101>',
    privacy: 'id',
    'user-agent': 'X/1',
    diversion: '<sip:+8610@x>;reason=unconditional',
  };
  const a = attemptFromHeaders({ callId: 'c1', at: 5, requestUri: 'sip:+8613800138000@10.0.0.1:5060', get: (n) => h[n], source: sourceOf('192.0.2.1', 5060) });
  t.same(a, {
    callId: 'c1', at: 5, caller: '+12025550101', callee: '+8613800138000', source: '192.0.2.1:5060',
    headers: { privacy: 'id', diversion: h.diversion, 'user-agent': 'X/1', 'p-asserted-identity': '<tel:+12025550101>', from: h.from, to: h.to },
    callerVariants: { pai: '+12025550101', from: '+12025550100', display: 'Acme' },
  });
  const b = attemptFromHeaders({ callId: 'c2', at: 1, requestUri: 'sip:core.example', get: (n) => (n === 'to' ? '<tel:+86105555>' : undefined) });
  t.equal(b.callee, '+86105555', 'Request-URI without a user: callee from To');
  const c = attemptFromHeaders({ callId: 'c3', at: 1, requestUri: 'junk', get: () => { throw new Error('x'); } });
  t.same([c.caller, c.callee, c.headers], ['', '', {}], 'a throwing getter gives empty strings');
  const long = attemptFromHeaders({ callId: 'c4', at: 1, requestUri: 'sip:1@x', get: (n) => (n === 'user-agent' ? 'x'.repeat(5000) : undefined) });
  t.equal(long.headers?.['user-agent']?.length, 1024, 'long values cut');
  t.equal(sourceOf('2001:db8::1', 5060), '[2001:db8::1]:5060');
  t.equal(sourceOf('192.0.2.1', 5060, { '192.0.2.1': 'trunk-a' }), 'trunk-a');
  const stamp = (v: string | undefined): string | undefined =>
    attemptFromHeaders({ callId: 'c5', at: 1, requestUri: 'sip:1@x', get: (n) => (n === 'x-ringfence-source' ? v : undefined), source: 'edge', sourceHeader: 'X-Ringfence-Source' }).source;
  t.same([stamp(' trunk-grey '), stamp(undefined), stamp('  '), stamp('t'.repeat(5000))?.length], ['trunk-grey', 'edge', 'edge', 1024], 'the edge\'s stamp, trimmed and cut, else the packet source');
});

t.test('prefixDisplayName', async (t) => {
  t.equal(prefixDisplayName('"Acme" <sip:1@x>;tag=a', '[SPAM?] '), '"[SPAM?] Acme" <sip:1@x>;tag=a');
  t.equal(prefixDisplayName('<sip:1@x>;tag=a', '[SPAM?] ', '+1'), '"[SPAM?] +1" <sip:1@x>;tag=a');
  t.equal(prefixDisplayName('sip:1@x;tag=a', '[SPAM?] ', '+1'), '"[SPAM?] +1" <sip:1@x>;tag=a', 'addr-spec wrapped, params stay outside');
  t.equal(prefixDisplayName('"[SPAM?] Acme" <sip:1@x>', '[SPAM?] '), '"[SPAM?] Acme" <sip:1@x>', 'not twice');
  t.equal(prefixDisplayName('"Evil\\"" <sip:1@x>', '!'), '"!Evil\\"" <sip:1@x>', 'quotes escaped');
  t.equal(prefixDisplayName('', 'x'), '');
});

t.test('a local tel: number keeps its global phone-context, so it is not read as a home number', async (t) => {
  const { uriUser } = await import('../../lib/sip/headers.js');
  const { normalise } = await import('../../lib/numbers/normalise.js');
  t.equal(uriUser('tel:2125551234;phone-context=+1'), '2125551234;phone-context=+1');
  t.equal(normalise(uriUser('tel:2125551234;phone-context=+1'), { home: 'CN' }).e164, '+12125551234');
  t.equal(normalise(uriUser('sip:5550100;phone-context=+1-212@gw;user=phone'), { home: 'CN' }).e164, '+12125550100');
  t.equal(uriUser('tel:+12125551234;phone-context=+1'), '+12125551234', 'a global number needs no context');
  t.equal(uriUser('tel:1234;phone-context=example.com'), '1234', 'a domain context says nothing about the country');
  t.equal(uriUser('sip:+8613800138000;npdi;rn=+8613900000000@gw'), '+8613800138000', 'number-portability parameters are dropped');
});
