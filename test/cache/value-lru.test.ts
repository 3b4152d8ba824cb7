import t from 'tap';
import { ValueLru } from '../../lib/cache/value-lru.js';

t.test('stores values, evicts the least recently used, and forgets evicted values', async (t) => {
  const c = new ValueLru<{ n: number }>(2);
  c.set('a', { n: 1 });
  c.set('b', { n: 2 });
  t.same(c.get('a'), { n: 1 });
  c.set('c', { n: 3 });
  t.equal(c.get('b'), undefined, 'b evicted');
  t.same(c.peek('a'), { n: 1 });
  t.same(c.get('c'), { n: 3 });
  c.set('c', { n: 4 });
  t.same(c.get('c'), { n: 4 }, 'set replaces');
  t.equal(c.size, 2);
  t.equal(c.max, 2);
  c.set('d', { n: 5 });
  t.equal(c.get('a'), undefined, 'a was least recently used (peek does not count)');
});
