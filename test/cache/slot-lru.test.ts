import t from 'tap';
import { SlotLru } from '../../lib/cache/slot-lru.js';

t.test('hands out slots 0..max-1, then reuses the least recently used one', async (t) => {
  const lru = new SlotLru(3, 1);
  const evicted: Array<[number, string]> = [];
  lru.onEvict = (slot, key) => evicted.push([slot, key]);
  t.equal(lru.insert('a'), 0);
  t.equal(lru.insert('b'), 1);
  t.equal(lru.insert('c'), 2);
  t.equal(lru.size, 3);
  t.equal(lru.get('a'), 0, 'a is now most recently used');
  t.equal(lru.insert('d'), 1, 'b was least recently used: its slot goes to d');
  t.same(evicted, [[1, 'b']]);
  t.equal(lru.get('b'), -1);
  t.equal(lru.keyOf(1), 'd');
  t.same([...lru.keys()], ['d', 'a', 'c'], 'most recent first');
  t.same([...lru.rkeys()], ['c', 'a', 'd'], 'least recent first');
  t.same([...lru.entries()], [['d', 1], ['a', 0], ['c', 2]]);
  t.equal(lru.size, 3, 'never above max');
});

t.test('peek does not touch recency; touchSlot does', async (t) => {
  const lru = new SlotLru(2);
  lru.insert('a');
  lru.insert('b');
  t.equal(lru.peek('a'), 0);
  t.equal(lru.insert('c'), 0, 'a stayed least recently used after peek');
  t.equal(lru.peek('a'), -1);
  lru.touchSlot(1);
  t.same([...lru.keys()], ['b', 'c']);
  t.equal(lru.insert('d'), 0, 'c was evicted, b kept by touchSlot');
});

t.test('the slot space grows by doubling up to max and reports it', async (t) => {
  const lru = new SlotLru(10, 2);
  const grown: number[] = [];
  lru.onGrow = (c) => grown.push(c);
  for (let i = 0; i < 25; i++) lru.insert(`k${i}`);
  t.same(grown, [4, 8, 10]);
  t.equal(lru.slots, 10);
  t.equal(lru.size, 10);
  t.same([...lru.keys()].slice(0, 3), ['k24', 'k23', 'k22']);
  for (let i = 15; i < 25; i++) t.ok(lru.peek(`k${i}`) >= 0, `k${i} kept`);
  for (let i = 0; i < 15; i++) t.equal(lru.peek(`k${i}`), -1, `k${i} evicted`);
});

t.test('a one-entry index and a bad max', async (t) => {
  const lru = new SlotLru(1);
  t.equal(lru.insert('a'), 0);
  t.equal(lru.get('a'), 0);
  t.equal(lru.insert('b'), 0);
  t.same([...lru.keys()], ['b']);
  t.throws(() => new SlotLru(0), RangeError);
  t.throws(() => new SlotLru(Number.NaN), RangeError);
});

t.test('agrees with a reference LRU over a random workload', async (t) => {
  const max = 50;
  const lru = new SlotLru(max, 4);
  const ref = new Map<string, number>();
  let seed = 1;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let mismatches = 0;
  for (let i = 0; i < 20_000; i++) {
    const k = `n${Math.floor(rnd() * rnd() * 200)}`;
    const got = lru.get(k);
    const want = ref.get(k);
    if ((got >= 0) !== (want !== undefined) || (want !== undefined && got !== want)) mismatches++;
    if (want !== undefined) {
      ref.delete(k);
      ref.set(k, want);
    } else {
      let slot: number;
      if (ref.size >= max) {
        const [oldest, s] = ref.entries().next().value as [string, number];
        ref.delete(oldest);
        slot = s;
      } else slot = ref.size;
      const s = lru.insert(k);
      if (s !== slot) mismatches++;
      ref.set(k, s);
    }
  }
  t.equal(mismatches, 0);
  t.same([...lru.rkeys()], [...ref.keys()], 'same recency order');
});

t.test('delete frees a slot for the next insert, without onEvict', async (t) => {
  const lru = new SlotLru(3);
  let evicted = 0;
  lru.onEvict = () => evicted++;
  lru.insert('a');
  lru.insert('b');
  lru.insert('c');
  t.equal(lru.delete('b'), true);
  t.equal(lru.delete('b'), false, 'already gone');
  t.equal(lru.size, 2);
  t.same([...lru.keys()], ['c', 'a']);
  t.equal(lru.insert('d'), 1, "b's slot");
  t.equal(evicted, 0, 'nothing evicted while a freed slot was there');
  t.equal(lru.insert('e'), 0, 'full again: a, least recently used, goes');
  t.equal(evicted, 1);
  lru.delete('c');
  lru.delete('d');
  lru.delete('e');
  t.equal(lru.size, 0);
  t.same([...lru.keys()], []);
  t.equal(lru.insert('f'), 0);
  t.same([...lru.rkeys()], ['f']);
});

t.test('mixed keys on reused slots: big numbers, numbers NumIndex cannot hold, NaN and text', async (t) => {
  // Kinds change on every reuse of a slot, so a key left behind by the previous owner would show.
  const keys: Array<string | number> = [8613800138000, 'n1', 2 ** 53 + 2, Number.NaN, 0.5, -7, 'n2', 4503599627370495, '8613800138000', 3];
  const lru = new SlotLru<string | number>(3, 1);
  const ref = new Map<string | number, number>();
  const evicted: Array<string | number> = [];
  lru.onEvict = (_s, k) => void evicted.push(k);
  for (let round = 0; round < 4; round++) {
    for (const k of keys) {
      t.equal(lru.get(k), ref.get(k) ?? -1, `round ${round}: ${String(k)} found where it was put`);
      if (!ref.has(k)) {
        if (ref.size === 3) ref.delete(ref.keys().next().value as string | number);
        ref.set(k, lru.insert(k));
      } else {
        const s = ref.get(k) as number;
        ref.delete(k);
        ref.set(k, s);
      }
      for (const [rk, rs] of ref) t.ok(Object.is(lru.keyOf(rs), rk), `keyOf(${rs}) is ${String(rk)}`);
    }
  }
  t.same([...lru.rkeys()], [...ref.keys()], 'same keys in recency order, each of its own type');
  t.ok(evicted.some((k) => Number.isNaN(k)) && evicted.includes('8613800138000') && evicted.includes(8613800138000), 'evicted keys are handed back as they were given');
  t.ok(lru.delete('n2') || lru.delete(3), 'delete a live key');
});
