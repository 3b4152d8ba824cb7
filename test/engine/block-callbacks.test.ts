/**
 * A number block's callbacks (Need.retries on the block table): calls to a
 * callee whose last call came from the same block, any of its numbers,
 * within stats.retry_window. Real Engine, injected time.
 */
import t from 'tap';
import { Engine } from '../../lib/engine/engine.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { readsOnly, rules, scope, sig } from '../helpers/engine-rules.js';
import { inspectNumber } from '../../lib/ops/inspect.js';
import { writeSnapshot } from '../../lib/ops/state.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const W = 3 * HOUR;
// Two numbers of one block (+44791112xxxx with the default 4 block digits) and one of another.
const A1 = '+447911120001';
const A2 = '+447911120002';
const B1 = '+447922220001';
const callee = (i: number): string => `+86138001${String(38000 + i).padStart(5, '0')}`;

const blockCallbacks = definePlugin<Record<string, never>>({
  name: 'block-callbacks',
  description: 'test: reads the block table with its callbacks',
  schema: {},
  needs: () => [{ table: 'block', window: W, retries: true }],
  score: () => null,
});

let seq = 0;
const call = (at: number, caller: string, to: number): CallAttempt => ({ callId: `c${++seq}`, at, caller, callee: callee(to), source: '192.0.2.1' });
const engine = (): Engine => new Engine(rules(scope([sig(blockCallbacks)])));
const callbacks = (e: Engine, caller: string, at: number): number => {
  const slot = e.tables.block.peek(caller.slice(0, -4));
  return slot === undefined ? 0 : e.tables.block.count(slot, 'retries', W, at);
};

t.test('a call back to a callee from another number of the same block counts for the block', async (t) => {
  // The caller and pair tables are tracked, so the caller's own retries could be counted: they must not be, nothing reads them.
  const e = new Engine(rules(scope([sig(blockCallbacks), sig(readsOnly('c', 'caller', W)), sig(readsOnly('p', 'pair', W))])));
  e.decide(call(T0, A1, 0));
  e.decide(call(T0 + MIN, A2, 0));
  e.decide(call(T0 + 2 * MIN, A1, 1));
  e.decide(call(T0 + 3 * MIN, A1, 1));
  t.equal(callbacks(e, A1, T0 + 4 * MIN), 2);
  const slot = e.tables.caller.peek(A1);
  t.not(slot, undefined, 'the caller is tracked');
  t.equal(e.tables.caller.count(slot!, 'retries', W, T0 + 4 * MIN), 0, "the caller's own retry is not counted");
  t.notOk(e.tables.pair.keepsLast, 'nor are pair call times kept');
  // inspect shows the block's callbacks.
  const report = inspectNumber(e, A1, { at: T0 + 4 * MIN });
  const block = report.tables.find((x) => x.table === 'block');
  t.equal(block?.windows[0]?.counts.retries, 2);
});

t.test('another block calling in between, or the window passing, makes it no callback', async (t) => {
  const e = engine();
  e.decide(call(T0, A1, 0));
  e.decide(call(T0 + MIN, B1, 0));
  e.decide(call(T0 + 2 * MIN, A2, 0));
  t.equal(callbacks(e, A1, T0 + 3 * MIN), 0, 'the callee was last called by another block');
  t.equal(callbacks(e, B1, T0 + 3 * MIN), 0);
  e.decide(call(T0 + 3 * MIN + W, A1, 0));
  t.equal(callbacks(e, A1, T0 + 3 * MIN + W), 0, 'past the retry window');
});

t.test('a challenged (407) callback is taken back, and the INVITE with credentials counts once', async (t) => {
  const e = engine();
  e.decide(call(T0, A1, 0));
  const c = call(T0 + MIN, A2, 0);
  e.decide(c);
  t.equal(callbacks(e, A1, T0 + MIN), 1);
  t.ok(e.observe({ callId: c.callId, at: c.at + 40, status: 407 }));
  t.equal(callbacks(e, A1, T0 + MIN), 0, 'the challenge takes the callback back');
  e.decide({ ...c, callId: `${c.callId}b`, at: c.at + 80 });
  t.equal(callbacks(e, A1, T0 + 2 * MIN), 1, 'the resent INVITE is the callback');
  // A first call challenged: its resent INVITE is no callback of itself.
  const f = call(T0 + 10 * MIN, A1, 5);
  e.decide(f);
  e.observe({ callId: f.callId, at: f.at + 40, status: 407 });
  e.decide({ ...f, callId: `${f.callId}b`, at: f.at + 80 });
  t.equal(callbacks(e, A1, T0 + 11 * MIN), 1);
});

t.test('nothing is kept or counted when no signal reads block callbacks', async (t) => {
  const e = new Engine(rules(scope([sig(definePlugin<Record<string, never>>({ name: 'b', description: 'test', schema: {}, needs: () => [{ table: 'block', window: W }], score: () => null }))])));
  e.decide(call(T0, A1, 0));
  e.decide(call(T0 + MIN, A2, 0));
  t.equal(callbacks(e, A1, T0 + MIN), 0);
  t.notOk(e.tables.callee.keepsFrom, 'the callee table keeps no caller blocks');
});

t.test('a callee evicted and reused starts with no calling block', async (t) => {
  const r = rules(scope([sig(blockCallbacks)]));
  const e = new Engine({ ...r, stats: { ...r.stats, max: { ...r.stats.max, callee: 2 } } });
  e.decide(call(T0, A1, 0));
  e.decide(call(T0 + MIN, A1, 1));
  e.decide(call(T0 + 2 * MIN, A1, 2)); // evicts callee 0
  e.decide(call(T0 + 3 * MIN, A2, 0)); // callee 0 is new again: no callback
  t.equal(callbacks(e, A1, T0 + 4 * MIN), 0);
});

t.test('a reload that stops reading block callbacks keeps pairs and snapshots working; reading them again starts afresh', async (t) => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const base = [sig(readsOnly('c', 'caller', W)), sig(readsOnly('p', 'pair', W))];
  const e = new Engine(rules(scope([...base, sig(blockCallbacks)])));
  e.decide(call(T0, A1, 0));
  e.reload(rules(scope([...base, sig(readsOnly('b', 'block', W))])));
  e.decide(call(T0 + MIN, A1, 1));
  e.decide(call(T0 + 2 * MIN, A1, 1));
  t.equal(e.tables.pair.cache.size, 2, 'pairs keep one kind of key');
  const file = join(mkdtempSync(join(tmpdir(), 'rf-cb-')), 'state.json');
  await t.resolves(writeSnapshot(e, file, T0 + 3 * MIN));
  e.reload(rules(scope([...base, sig(blockCallbacks)])));
  e.decide(call(T0 + 4 * MIN, A2, 1));
  t.equal(callbacks(e, A1, T0 + 4 * MIN), 0, 'the calling blocks kept while off are forgotten');
  e.decide(call(T0 + 5 * MIN, A1, 1));
  t.equal(callbacks(e, A1, T0 + 5 * MIN), 1);
});
