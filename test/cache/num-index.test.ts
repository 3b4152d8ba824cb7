import t from 'tap';
import { NumIndex } from '../../lib/cache/num-index.js';
import { SlotLru } from '../../lib/cache/slot-lru.js';
import { Rng } from '../../lib/replay/rng.js';

t.test('get, set, delete and size', async (t) => {
  const ix = new NumIndex();
  t.equal(ix.get(8613800000001), -1, 'absent');
  ix.set(8613800000001, 7);
  ix.set(0, 1);
  ix.set(2 ** 53 - 1, 2);
  t.equal(ix.get(8613800000001), 7);
  t.equal(ix.get(0), 1, 'zero is a key like any other');
  t.equal(ix.get(2 ** 53 - 1), 2, 'largest safe integer');
  ix.set(8613800000001, 9);
  t.equal(ix.get(8613800000001), 9, 'set replaces');
  t.equal(ix.size, 3);
  t.ok(ix.delete(0));
  t.notOk(ix.delete(0), 'already gone');
  t.equal(ix.get(0), -1);
  t.equal(ix.size, 2);
  ix.clear();
  t.equal(ix.size, 0);
  t.equal(ix.get(2 ** 53 - 1), -1);
});

t.test('fits only whole numbers in [0, 2^53)', async (t) => {
  t.ok(NumIndex.fits(0));
  t.ok(NumIndex.fits(447911123456));
  t.notOk(NumIndex.fits(-1));
  t.notOk(NumIndex.fits(1.5));
  t.notOk(NumIndex.fits(2 ** 53));
  t.notOk(NumIndex.fits(NaN));
});

// Keys that collide a lot: a narrow range and multiples of 2^32 (the hash mixes both halves).
for (const [name, keyOf] of [
  ['E.164-like keys', (r: Rng) => 440000000000 + Math.floor(r.next() * 5000)],
  ['keys differing only above 2^32', (r: Rng) => Math.floor(r.next() * 3000) * 4294967296],
  ['small keys', (r: Rng) => Math.floor(r.next() * 200)],
] as const) {
  t.test(`agrees with a Map over random operations: ${name}`, async (t) => {
    const r = new Rng(name.length);
    const ix = new NumIndex();
    const ref = new Map<number, number>();
    let mismatches = 0;
    for (let i = 0; i < 60_000; i++) {
      const k = keyOf(r);
      const op = r.next();
      if (op < 0.45) {
        ix.set(k, i);
        ref.set(k, i);
      } else if (op < 0.75) {
        if (ix.delete(k) !== ref.delete(k)) mismatches++;
      } else if (ix.get(k) !== (ref.get(k) ?? -1)) mismatches++;
      if (ix.size !== ref.size) mismatches++;
    }
    for (const [k, v] of ref) if (ix.get(k) !== v) mismatches++;
    t.equal(mismatches, 0);
    t.ok(ref.size > 0, 'the run ends with keys held');
  });
}

t.test('SlotLru keeps number keys and text keys apart', async (t) => {
  const lru = new SlotLru<string | number>(3, 1);
  const evicted: Array<string | number> = [];
  lru.onEvict = (_s, k) => evicted.push(k);
  const a = lru.insert(447911000001);
  const b = lru.insert('447911000001');
  t.not(a, b, 'the number and its digits as text are different keys');
  t.equal(lru.peek(447911000001), a);
  t.equal(lru.peek('447911000001'), b);
  t.equal(lru.insert(0.5), 2, 'a number the index cannot hold still works');
  t.equal(lru.peek(0.5), 2);
  t.equal(lru.size, 3);
  lru.insert(7);
  t.same(evicted, [447911000001], 'least recently used number evicted');
  t.equal(lru.peek(447911000001), -1);
  t.ok(lru.delete(7));
  t.equal(lru.peek(7), -1);
  t.equal(lru.size, 2);
});

t.test('SlotLru text keys: a weak hash (every key colliding) gives the same answers as the real one', async (t) => {
  const r = new Rng(7);
  const strong = new SlotLru<string>(300, 16);
  const weak = new SlotLru<string>(300, 16, (s) => s.length % 3);
  const evS: string[] = [];
  const evW: string[] = [];
  const live = new Set<string>();
  strong.onEvict = (_s, k) => {
    evS.push(k);
    live.delete(k);
  };
  weak.onEvict = (_s, k) => evW.push(k);
  let mismatches = 0;
  for (let i = 0; i < 50_000; i++) {
    const key = `call-${Math.floor(r.next() * 600)}@${Math.floor(r.next() * 3)}`;
    const op = r.next();
    if (op < 0.4) {
      const a = strong.get(key);
      if (a !== weak.get(key)) mismatches++;
      if (a < 0) {
        if (strong.insert(key) !== weak.insert(key)) mismatches++;
        live.add(key);
      }
    } else if (op < 0.6) {
      if (strong.delete(key) !== weak.delete(key)) mismatches++;
      live.delete(key);
    } else {
      const a = strong.peek(key);
      if (a !== weak.peek(key)) mismatches++;
      if (a >= 0 && strong.keyOf(a) !== key) mismatches++;
    }
    if (strong.size !== weak.size) mismatches++;
  }
  t.equal(mismatches, 0);
  t.same(evW, evS, 'same evictions in the same order');
  t.ok(evS.length > 1000, 'the run evicts');
  t.equal(strong.size, live.size, 'size counts every live key once');
  for (const k of live) if (weak.keyOf(weak.peek(k)) !== k) mismatches++;
  t.equal(mismatches, 0, 'every live key found under the weak hash');
  t.same([...weak.keys()], [...strong.keys()], 'same recency order');
});
