import t from 'tap';
import { NumberClassifier } from '../../lib/numbers/index.js';
import type { NumberType } from '../../lib/numbers/index.js';

t.test('home country numbers', async (t) => {
  const c = new NumberClassifier({ home: 'CN' });
  t.equal(c.home, 'CN');
  const m = c.classify('13800138000');
  t.match(m, {
    raw: '13800138000',
    e164: '+8613800138000',
    key: '+8613800138000',
    valid: true,
    possible: true,
    country: 'CN',
    callingCode: '86',
    type: 'mobile',
    home: true,
    uifn: false,
    nonGeographic: false,
  });
  t.equal(m.problem, undefined);
  t.match(c.classify('010 6552 9988'), { e164: '+861065529988', type: 'fixed-line', home: true });
  t.match(c.classify('+442079460000'), { country: 'GB', home: false, type: 'fixed-line' });
});

t.test('types map to NumberType', async (t) => {
  const c = new NumberClassifier({ home: 'GB' });
  const rows: [string, NumberType][] = [
    ['+447400123456', 'mobile'],
    ['+442079460000', 'fixed-line'],
    ['+12125550100', 'fixed-line-or-mobile'],
    ['+449098765432', 'premium-rate'],
    ['+19005550199', 'premium-rate'],
    ['+445612345678', 'voip'],
    ['+447012345678', 'personal'],
    ['+447640123456', 'pager'],
    ['+445512345678', 'uan'],
    ['+864001234567', 'shared-cost'],
    ['+8610000000000', 'unknown'], // invalid → no type
  ];
  for (const [raw, type] of rows) t.equal(c.classify(raw).type, type, raw);
});

t.test('foreign and universal toll-free', async (t) => {
  const c = new NumberClassifier({ home: 'CN' });
  for (const area of ['800', '888', '877', '866', '855', '844', '833']) {
    t.match(c.classify(`+1 ${area} 555 0123`), { type: 'toll-free', country: 'US', uifn: false }, `US ${area}`);
  }
  t.match(c.classify('+44 800 123 4567'), { type: 'toll-free', country: 'GB' });
  t.match(c.classify('+44 808 123 4567'), { type: 'toll-free', country: 'GB' });
  t.match(c.classify('+33 800 123 456'), { type: 'toll-free', country: 'FR' });
  t.match(c.classify('+61 1800 123 456'), { type: 'toll-free', country: 'AU' });
  t.match(c.classify('+86 800 123 4567'), { type: 'toll-free', country: 'CN', home: true });

  t.match(c.classify('+800 1234 5678'), {
    e164: '+80012345678', valid: true, country: '001', callingCode: '800',
    type: 'toll-free', uifn: true, nonGeographic: true, home: false,
  });
  t.match(c.classify('+808 1234 5678'), { country: '001', type: 'shared-cost', uifn: true, nonGeographic: true });
});

t.test('other non-geographic codes', async (t) => {
  const c = new NumberClassifier({ home: 'CN' });
  const rows: [string, NumberType][] = [
    ['+979123456789', 'premium-rate'],
    ['+870773111632', 'mobile'], // Inmarsat
    ['+881612345678', 'mobile'], // Iridium-style satellite
    ['+878101234567890', 'voip'],
    ['+88812345678901', 'uan'],
  ];
  for (const [raw, type] of rows) {
    t.match(c.classify(raw), { country: '001', type, uifn: false, nonGeographic: true }, raw);
  }
  // Unallocated block in a non-geographic code: still flagged non-geographic.
  t.match(c.classify('+882 12 345 678'), { country: '001', valid: false, problem: 'invalid', nonGeographic: true });
});

t.test('invalid and unallocated', async (t) => {
  const c = new NumberClassifier({ home: 'CN' });
  t.match(c.classify('+86 100 0000 0000'), {
    e164: '+8610000000000', key: '+8610000000000', valid: false, country: 'CN',
    callingCode: '86', type: 'unknown', home: true, problem: 'invalid',
  });
  // Too long for NANP but within E.164: keeps e164, not possible, no single country.
  t.match(c.classify('+12125550100123'), { e164: '+12125550100123', valid: false, possible: false, country: null, callingCode: '1', problem: 'invalid' });
  t.match(c.classify('+999 123 4567'), { e164: null, key: '?+9991234567', country: null, callingCode: null, problem: 'unknown-country' });
});

t.test('unusable caller IDs', async (t) => {
  const c = new NumberClassifier({ home: 'CN' });
  const base = { e164: null, valid: false, possible: false, country: null, callingCode: null, type: 'unknown', home: false, uifn: false };
  t.match(c.classify(''), { ...base, key: '', problem: 'empty' });
  t.match(c.classify('Anonymous'), { ...base, key: 'anonymous', problem: 'anonymous' });
  t.match(c.classify('sip:anonymous@anonymous.invalid'), { ...base, key: 'anonymous', problem: 'anonymous' });
  t.match(c.classify('ABC'), { ...base, key: '?abc', problem: 'non-digit' });
  t.match(c.classify('12'), { ...base, key: '?12', problem: 'too-short' });
  t.match(c.classify('9'.repeat(40)), { ...base, problem: 'too-long' });
  t.ok(c.classify('x'.repeat(10_000)).key.length <= 65, 'key stays bounded');
});

t.test('cache', async (t) => {
  const c = new NumberClassifier({ home: 'CN', cacheSize: 2 });
  const a = c.classify('+8613800138000');
  t.equal(c.classify('+8613800138000'), a, 'same object on a hit');
  t.ok(Object.isFrozen(a), 'shared result is frozen');
  // Keyed by raw string: another spelling is a different entry with the same key.
  const b = c.classify('13800138000');
  t.not(b, a);
  t.equal(b.key, a.key);
  c.classify('+442079460000');
  c.classify('+12125550100');
  t.not(c.classify('+8613800138000'), a, 'evicted past cacheSize');

  const none = new NumberClassifier({ home: 'CN', cacheSize: 0 });
  t.same(none.classify('+8613800138000'), a, 'cacheSize 0 disables caching');
});

t.test('home flag follows configured home', async (t) => {
  const us = new NumberClassifier({ home: 'us' });
  t.equal(us.home, 'US');
  t.match(us.classify('(212) 555-0100'), { e164: '+12125550100', home: true });
  t.match(us.classify('+1 242 359 1234'), { country: 'BS', home: false }); // Bahamas shares +1
  t.match(us.classify('011 86 138 0013 8000'), { e164: '+8613800138000', home: false });
  t.throws(() => new NumberClassifier({ home: 'ZZ' }));
});

t.test('never throws on odd input', async (t) => {
  const c = new NumberClassifier({ home: 'CN' });
  for (const raw of [undefined, null, 42, {}, '\ud800', '<<<>>>', 'sip:@', 'tel:', 'tel:;phone-context=+86', '%%%', '"<sip:+86138>"']) {
    t.doesNotThrow(() => c.classify(raw as unknown as string), String(raw));
  }
});
