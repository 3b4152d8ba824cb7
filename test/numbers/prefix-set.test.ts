import t from 'tap';
import { PrefixSet } from '../../lib/numbers/index.js';

t.test('exact beats prefix, longest prefix wins', async (t) => {
  const s = new PrefixSet();
  s.add('+86*');
  s.add('+86138*');
  s.add('+861380013*');
  s.add('+8613800138000');
  s.add('+800*');
  t.equal(s.size, 5);
  t.same(s.has('+8613800138000'), { match: '+8613800138000', exact: true });
  t.same(s.has('+8613800138001'), { match: '+861380013*', exact: false });
  t.same(s.has('+8613900000000'), { match: '+86*', exact: false });
  t.same(s.has('+8613812345678'), { match: '+86138*', exact: false });
  t.same(s.has('+80012345678'), { match: '+800*', exact: false });
  t.same(s.has('+86138'), { match: '+86138*', exact: false }, 'prefix as long as the number');
  t.equal(s.has('+442079460000'), null);
  t.equal(s.has('+8'), null);
  t.equal(s.has(''), null);
});

t.test('add accepts separators, rejects non-international entries', async (t) => {
  const s = new PrefixSet();
  s.add(' +86 138-0013-8000 ');
  s.add('+1 (800)*');
  t.same(s.has('+8613800138000'), { match: '+8613800138000', exact: true });
  t.same(s.has('+18005550199'), { match: '+1800*', exact: false });
  s.add('+1800*');
  t.equal(s.size, 2, 'duplicates collapse');
  for (const bad of ['13800138000', '+86abc', '*', '+*', '+0*', '86*', '+123', '+12345678901234567', '+' + '1'.repeat(16) + '*']) {
    t.throws(() => s.add(bad), bad);
  }
  t.equal(s.size, 2);
});

t.test('an empty set matches nothing', async (t) => {
  const s = new PrefixSet();
  t.equal(s.size, 0);
  t.equal(s.has('+8613800138000'), null);
});

t.test('fromText', async (t) => {
  const text = [
    '# deny list',
    '',
    '+8613800138000',
    '  0086 139 0000 0000   # inline comment',
    '13700137000', // national, read against home CN
    'sip:+442079460000@gw;user=phone',
    '+86 170*',
    '00882*', // IDD prefix form
    '+800*\r',
    'not a number',
    '+999 123 4567',
    '12*', // national prefix is ambiguous
    '+86 1x*',
    '   ',
  ].join('\n');
  const errors: [number, string, string][] = [];
  const s = PrefixSet.fromText(text, { home: 'CN' }, (n, line, msg) => errors.push([n, line, msg]));
  t.equal(s.size, 7);
  t.same(s.has('+8613800138000'), { match: '+8613800138000', exact: true });
  t.same(s.has('+8613900000000'), { match: '+8613900000000', exact: true });
  t.same(s.has('+8613700137000'), { match: '+8613700137000', exact: true });
  t.same(s.has('+442079460000'), { match: '+442079460000', exact: true });
  t.same(s.has('+8617012345678'), { match: '+86170*', exact: false });
  t.same(s.has('+88212345678'), { match: '+882*', exact: false });
  t.same(s.has('+80012345678'), { match: '+800*', exact: false });
  t.same(errors.map((e) => e[0]), [10, 11, 12, 13]);
  t.equal(errors[0]![1], 'not a number');
  t.match(errors[1]![2], /unknown-country/);
  t.match(errors[2]![2], /international/);
});

t.test('fromText without onError skips bad lines silently', async (t) => {
  const s = PrefixSet.fromText('junk\n+8613800138000\n', { home: 'CN' });
  t.equal(s.size, 1);
});

t.test('loads one million entries', async (t) => {
  // 900k exact numbers + 100k prefixes, one per line, as an operator's export would look.
  const lines: string[] = ['# generated'];
  for (let i = 0; i < 900_000; i++) lines.push('+86138' + String(i).padStart(8, '0'));
  for (let i = 0; i < 100_000; i++) lines.push('+4479' + String(i).padStart(5, '0') + '*');
  const text = lines.join('\n');

  let errors = 0;
  const started = Date.now();
  const s = PrefixSet.fromText(text, { home: 'CN' }, () => errors++);
  t.comment(`loaded 1,000,000 entries in ${Date.now() - started} ms`);

  t.equal(errors, 0);
  t.equal(s.size, 1_000_000);
  t.same(s.has('+8613800000000'), { match: '+8613800000000', exact: true });
  t.same(s.has('+8613800899999'), { match: '+8613800899999', exact: true });
  t.equal(s.has('+8613800900000'), null);
  t.same(s.has('+447900042123'), { match: '+447900042*', exact: false });
  t.same(s.has('+447999999000'), { match: '+447999999*', exact: false });
  t.equal(s.has('+447812345678'), null);
});
