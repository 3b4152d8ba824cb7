import t from 'tap';
import { normalise } from '../../lib/numbers/index.js';
import { table } from './real-world.js';

for (const [home, rows] of Object.entries(table)) {
  t.test(`home ${home}`, async (t) => {
    for (const [raw, e164, problem] of rows) {
      const got = normalise(raw, { home });
      t.same(got, problem === undefined ? { e164 } : { e164, problem }, JSON.stringify(raw));
    }
  });
}

t.test('home is case-insensitive; unknown home is a config error', async (t) => {
  t.same(normalise('13800138000', { home: 'cn' }), { e164: '+8613800138000' });
  t.throws(() => normalise('13800138000', { home: 'XX' }), TypeError);
});

t.test('non-string input does not throw', async (t) => {
  t.same(normalise(undefined as unknown as string, { home: 'CN' }), { e164: null, problem: 'empty' });
  t.same(normalise(12 as unknown as string, { home: 'CN' }), { e164: null, problem: 'empty' });
});

t.test('huge junk is handled without throwing', async (t) => {
  const big = '+86' + '1'.repeat(100_000);
  t.same(normalise(big, { home: 'CN' }), { e164: null, problem: 'too-long' });
  t.same(normalise('x'.repeat(100_000), { home: 'CN' }), { e164: null, problem: 'non-digit' });
});
