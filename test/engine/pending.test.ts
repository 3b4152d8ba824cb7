import t from 'tap';
import { PendingCalls } from '../../lib/engine/pending.js';

t.test('rows hold a call until deleted; ids are found by call id', async (t) => {
  const p = new PendingCalls(10, 3);
  const r = p.add('c1', 1000);
  t.equal(p.find('c1'), r);
  t.equal(p.at[r], 1000);
  t.ok(Number.isNaN(p.answeredAt[r]), 'not answered yet');
  t.same([...p.slot.subarray(r * 3, r * 3 + 3)], [-1, -1, -1], 'no table entries yet');
  p.slot[r * 3 + 1] = 7;
  p.answeredAt[r] = 1500;
  t.equal(p.find('nope'), -1);
  p.delete('c1');
  t.equal(p.find('c1'), -1);
  t.equal(p.size, 0);
  const r2 = p.add('c2', 2000);
  t.equal(r2, r, 'a freed row is reused');
  t.same([...p.slot.subarray(r2 * 3, r2 * 3 + 3)], [-1, -1, -1], 'and starts clean');
  t.ok(Number.isNaN(p.answeredAt[r2]));
});

t.test('the oldest call is forgotten first when full; re-adding a call keeps its place', async (t) => {
  const p = new PendingCalls(3, 1);
  p.add('a', 1);
  p.add('b', 2);
  p.add('c', 3);
  p.add('a', 4);
  t.equal(p.at[p.find('a')], 4, 'a retransmitted INVITE restarts the call in its row');
  p.add('d', 5);
  t.equal(p.find('a'), -1, 'a was still the oldest');
  t.equal(p.evictions, 1);
  t.equal(p.size, 3);
  for (const k of ['b', 'c', 'd']) t.ok(p.find(k) >= 0, `${k} kept`);
});

t.test('grows past its start capacity up to max', async (t) => {
  const p = new PendingCalls(5000, 5);
  for (let i = 0; i < 6000; i++) p.add(`c${i}`, i);
  t.equal(p.size, 5000);
  t.equal(p.evictions, 1000);
  t.equal(p.at[p.find('c5999')], 5999);
  t.equal(p.find('c999'), -1);
  t.equal(p.at[p.find('c1000')], 1000);
});

t.test('eviction order survives deletes in the middle and at both ends', async (t) => {
  const p = new PendingCalls(4, 1);
  for (const k of ['a', 'b', 'c', 'd']) p.add(k, 0);
  p.delete('b');
  p.delete('a');
  p.delete('d');
  p.add('e', 0);
  p.add('f', 0);
  p.add('g', 0);
  t.equal(p.size, 4, 'c, e, f, g');
  p.add('h', 0);
  t.equal(p.find('c'), -1, 'c, the oldest left, goes first');
  p.add('i', 0);
  t.equal(p.find('e'), -1, 'then e');
  t.same(['f', 'g', 'h', 'i'].map((k) => p.find(k) >= 0), [true, true, true, true]);
  t.equal(p.evictions, 2);
});

t.test('evicting stays cheap after many calls finished out of order', async (t) => {
  // A Map's first key costs a walk over every entry deleted since its last rehash; the list does not.
  const p = new PendingCalls(100_000, 1);
  for (let i = 0; i < 100_000; i++) p.add(`c${i}`, i);
  for (let i = 0; i < 99_000; i++) p.delete(`c${i}`);
  for (let i = 100_000; i < 400_000; i++) {
    p.add(`c${i}`, i);
    if (i % 2 === 0) p.delete(`c${i}`);
  }
  t.equal(p.size, 100_000);
  t.ok(p.find('c399999') >= 0);
  t.ok(p.evictions > 0);
});
