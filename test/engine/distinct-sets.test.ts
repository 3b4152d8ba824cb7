import t from 'tap';
import { DistinctSets } from '../../lib/engine/distinct-sets.js';
import { Rng } from '../../lib/replay/rng.js';

/** The plain-array set these pools replaced, kept here as the reference behaviour. */
class ArraySet {
  d: number[] | null = null;
  constructor(readonly cap: number) {}
  add(h: number, t: number): void {
    const d = this.d;
    if (d === null) {
      this.d = [h, t];
      return;
    }
    let oldest = 0;
    let oldestT = Infinity;
    for (let i = 0; i < d.length; i += 2) {
      if (d[i] === h) {
        if ((d[i + 1] as number) < t) d[i + 1] = t;
        return;
      }
      if ((d[i + 1] as number) < oldestT) {
        oldestT = d[i + 1] as number;
        oldest = i;
      }
    }
    if (d.length < this.cap * 2) d.push(h, t);
    else if (oldestT <= t) {
      d[oldest] = h;
      d[oldest + 1] = t;
    }
  }
  countSince(from: number): number {
    let n = 0;
    for (let i = 1; i < (this.d?.length ?? 0); i += 2) if ((this.d as number[])[i] as number > from) n++;
    return n;
  }
}

t.test('same members, times and counts as the plain-array set, through growth, saturation, clears and reuse', async (t) => {
  for (const cap of [1, 3, 8, 64]) {
    const g = new Rng(cap);
    const r = (): number => g.next();
    const SLOTS = 40;
    const sets = new DistinctSets(cap);
    sets.grow(SLOTS);
    const ref = Array.from({ length: SLOTS }, () => new ArraySet(cap));
    let now = 1000;
    for (let i = 0; i < 20_000; i++) {
      const s = Math.floor(r() * SLOTS);
      const op = r();
      if (op < 0.02) {
        sets.clear(s);
        (ref[s] as ArraySet).d = null;
      } else {
        // Mostly forward in time, sometimes late; a small hash space so members repeat.
        now += Math.floor(r() * 50);
        const at = r() < 0.1 ? now - Math.floor(r() * 500) : now;
        const h = (Math.floor(r() * (cap * 3)) * 2654435761) | 0;
        sets.add(s, h, at);
        (ref[s] as ArraySet).add(h, at);
      }
      if (i % 97 === 0) {
        for (let k = 0; k < SLOTS; k++) {
          const want = (ref[k] as ArraySet).d;
          const got = sets.export(k);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            t.same(got, want, `cap ${cap}, slot ${k}, step ${i}`);
            return;
          }
          const from = now - 700;
          if (sets.countSince(k, from) !== (ref[k] as ArraySet).countSince(from)) {
            t.fail(`count differs: cap ${cap}, slot ${k}, step ${i}`);
            return;
          }
        }
      }
    }
    t.pass(`cap ${cap}: 20,000 random operations agree`);
  }
});

t.test('a full set replaces its least recently seen member, never with an older one', async (t) => {
  const s = new DistinctSets(2);
  s.grow(1);
  s.add(0, 1, 100);
  s.add(0, 2, 200);
  s.add(0, 3, 300);
  t.same(s.export(0), [3, 300, 2, 200], 'member 1 (seen at 100) made room');
  s.add(0, 4, 50);
  t.same(s.export(0), [3, 300, 2, 200], 'an arrival older than every member is not kept');
  t.equal(s.countSince(0, 250), 1);
  t.equal(s.countSince(0, 0), 2);
  t.equal(s.countSince(0, 0, 250), 1, 'members seen after the moment read are left out (a preview of the past)');
  t.equal(s.countSince(0, 0, 199), 0);
});

t.test('blocks freed by clear and by growth are reused; growing slots keeps sets', async (t) => {
  const s = new DistinctSets(64);
  s.grow(4);
  for (let i = 0; i < 64; i++) s.add(0, i, i);
  for (let round = 0; round < 50; round++) {
    s.clear(1);
    for (let i = 0; i < 64; i++) s.add(1, i, round * 100 + i);
  }
  const after = s.bytes;
  for (let round = 0; round < 50; round++) {
    s.clear(1);
    for (let i = 0; i < 64; i++) s.add(1, i, round * 100 + i);
  }
  t.equal(s.bytes, after, 'refilling a cleared slot 50 more times allocates nothing new');
  s.grow(1000);
  t.equal(s.countSince(0, -1), 64, 'sets survive a slot-space growth');
  t.equal(s.export(999), null, 'new slots start empty');
});

t.test('import keeps at most cap members and replaces what was there', async (t) => {
  const s = new DistinctSets(3);
  s.grow(2);
  s.add(0, 9, 9);
  s.import(0, [1, 10, 2, 20, 3, 30, 4, 40]);
  t.same(s.export(0), [1, 10, 2, 20, 3, 30]);
  s.import(0, null);
  t.equal(s.export(0), null);
  s.import(1, []);
  t.equal(s.export(1), null, 'an empty list is no set');
});
