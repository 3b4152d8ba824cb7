import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { int } from '../../lib/rules/fields.js';
import { readsOnly, rules, scope, sig } from '../helpers/engine-rules.js';

/** Reads caller, callee and pair counters, so all three tables are tracked and pairs get number keys. */
const again = definePlugin<{ max: number }>({
  name: 'again',
  description: 'test: attempts of this caller on this callee',
  schema: { max: int({ default: 1000 }) },
  needs: () => [{ table: 'caller', window: 600_000 }, { table: 'callee', window: 600_000 }, { table: 'pair', window: 600_000 }],
  score(ctx, c) {
    const n = ctx.stats.pair.count('attempts', 600_000);
    return n >= c.max ? { points: 100, detail: `${n} attempts on this callee` } : null;
  },
});

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const W = 600_000;
let seq = 0;
const call = (at: number, caller: string, callee: string) => ({ callId: `p${++seq}`, at, caller, callee });

t.test('pairs are counted per caller and callee, and found by their text key', async (t) => {
  const e = new Engine(rules(scope([sig(again, { max: 3 })])));
  e.decide(call(T0, '+447911000001', '+8613800000001'));
  e.decide(call(T0 + 1, '+447911000001', '+8613800000002'));
  e.decide(call(T0 + 2, '+447911000001', '+8613800000001'));
  const d = e.decide(call(T0 + 3, '+447911000001', '+8613800000001'));
  t.equal(d.action, 'reject', 'third call on the same pair');
  t.match(d.reasons[0]!.detail, /^3 attempts on this callee/);
  const pair = e.tables.pair;
  t.equal(pair.count(pair.peek('+447911000001>+8613800000001'), 'attempts', W, T0 + 3), 3);
  t.equal(pair.count(pair.peek('+447911000001>+8613800000002'), 'attempts', W, T0 + 3), 1);
  t.equal(pair.peek('+447911000002>+8613800000001'), undefined, 'a caller never seen has no pair');
  t.equal(pair.peek('no separator'), undefined);
  t.same([...pair.textEntries()].map(([k]) => k).sort(), ['+447911000001>+8613800000001', '+447911000001>+8613800000002']);
  t.equal(typeof [...pair.cache.keys()][0], 'number', 'stored as number keys');
});

t.test('a pair left by the earlier owner of a reused caller slot is not inherited', async (t) => {
  const r = rules(scope([sig(again, { max: 1000 })]));
  r.stats.max = { ...r.stats.max, caller: 1, pair: 100 };
  const e = new Engine(r);
  const V = '+8613800000009';
  for (let i = 0; i < 5; i++) e.decide(call(T0 + i, '+447911000001', V));
  // A second caller takes the only caller slot; the old pair is still in the pair table.
  e.decide(call(T0 + 10, '+447911000002', V));
  e.decide(call(T0 + 11, '+447911000002', V));
  const pair = e.tables.pair;
  // Either the generation bits told the keys apart or the older pair was started afresh.
  t.equal(pair.count(pair.peek(`+447911000002>${V}`), 'attempts', W, T0 + 11), 2, 'only its own two calls');
});

t.test('without a tracked caller or callee table, pairs keep text keys', async (t) => {
  const pairOnly = readsOnly('pair-only', 'pair', W);
  const e = new Engine(rules(scope([sig(pairOnly)])));
  e.decide(call(T0, '+447911000001', '+8613800000001'));
  t.same([...e.tables.pair.cache.keys()], ['+447911000001>+8613800000001']);
  t.equal(e.tables.pair.count(e.tables.pair.peek('+447911000001>+8613800000001'), 'attempts', W, T0), 1);
});

t.test('when the generation bits collide, the older pair is started afresh', async (t) => {
  const r = rules(scope([sig(again, { max: 1000 })]));
  r.stats.max = { ...r.stats.max, caller: 1, pair: 100 };
  const e = new Engine(r);
  const V = '+8613800000009';
  for (let i = 0; i < 5; i++) e.decide(call(T0 + i, '+447911000001', V));
  // Sixteen more callers take the only caller slot in turn (its generation goes to 16,
  // the same low bits as the first owner's), each calling elsewhere.
  for (let i = 0; i < 16; i++) e.decide(call(T0 + 100 + i, `+4479110001${String(i).padStart(2, '0')}`, `+86138000001${String(i).padStart(2, '0')}`));
  const last = '+447911000115';
  const before = e.tables.pair.cache.size;
  e.decide(call(T0 + 200, last, V));
  const pair = e.tables.pair;
  t.equal(pair.cache.size, before, 'the number key of the first owner\'s pair came back');
  t.equal(pair.count(pair.peek(`${last}>${V}`), 'attempts', W, T0 + 200), 1, 'but its five attempts were not inherited');
});

t.test("a pair started afresh for a reused caller slot takes no outcome of the earlier owner's calls", async (t) => {
  // The generation bits of a pair key repeat every 16 owners of a caller slot: the 16th new owner finds
  // the first owner's pair and starts it afresh in place. A call of the first owner still pending wrote
  // its outcome into the new pair's counts; a challenge took its attempt back from them, down to -1.
  const r = rules(scope([sig(again, { max: 1000 })]));
  r.stats.max = { ...r.stats.max, caller: 1, pair: 100 };
  const e = new Engine(r);
  const V = '+8613800000009';
  const first = [call(T0, '+447911000000', V), call(T0 + 1, '+447911000000', V)];
  for (const c of first) e.decide(c);
  for (let i = 1; i <= 16; i++) e.decide(call(T0 + 10 + i, `+4479110000${String(i).padStart(2, '0')}`, V));
  const pair = e.tables.pair;
  const now = `+447911000016>${V}`;
  t.equal(pair.count(pair.peek(now), 'attempts', W, T0 + 30), 1, 'the 16th owner: its own call');
  for (const c of first) e.observe({ callId: c.callId, at: T0 + 40, status: 407 });
  t.equal(pair.count(pair.peek(now), 'attempts', W, T0 + 40), 1, 'still its own call, not -1');
  t.equal(pair.count(pair.peek(now), 'failed', W, T0 + 40), 0);
});
