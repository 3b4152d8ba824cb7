import t from 'tap';
import { Engine, TABLES } from '../../lib/engine/engine.js';
import { METRICS } from '../../lib/engine/plugin.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import { formatInspect, formatWindow, inspectNumber } from '../../lib/ops/inspect.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { boom, burst, home, rules, scope, sig, spread } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const GB = '+447911123456';
const CN = '+8613800138000';
let seq = 0;
const call = (at: number, caller = GB, callee = CN, extra: Partial<CallAttempt> = {}): CallAttempt => ({
  callId: `i${++seq}`, at, caller, callee, source: '192.0.2.1', ...extra,
});

/** Asks for a 1m window with distinct sets on every table, so every table has something to show; never scores. */
const watcher = definePlugin<Record<string, never>>({
  name: 'watcher',
  description: 'test: keeps windows on every table',
  schema: {},
  needs: () => TABLES.map((table) => ({ table, window: 60_000, distinct: true })),
  score: () => null,
});

const engine = () => new Engine(rules(scope([sig(burst, { max: 3, weight: 60, window: 60_000 }), sig(spread, { window: 600_000, distinct: 3 }), sig(watcher)])));

/** Everything decide() can change, read without touching LRU order. */
function state(e: Engine, at: number): unknown {
  const tables: Record<string, unknown> = {};
  for (const name of TABLES) {
    const tb = e.tables[name];
    const rows: unknown[] = [];
    for (const [k, entry] of tb.cache.entries()) {
      const data = tb.exportEntry(entry);
      rows.push([k, data.first, data.c, data.d,
        tb.windows.map((w) => [...METRICS.map((m) => tb.count(entry, m, w, at)), tb.distinct(entry, w, at)])]);
    }
    tables[name] = { order: [...tb.cache.keys()], rows, evictions: tb.evictions };
  }
  const hold = e.holdOf(GB);
  return {
    sizes: e.sizes(),
    counters: { ...e.counters },
    tables,
    hold: hold ? { ...hold } : null,
    population: { now: e.population.now, mean: e.population.mean(60_000), callers: e.population.callers(60_000), q: e.population.quantile(0.9, 60_000) },
  };
}

t.test('counters per window, distinct counts and first seen, per table', async (t) => {
  const e = engine();
  e.decide(call(T0, GB, CN));
  e.decide(call(T0 + 1000, GB, '+8613800138001'));
  e.decide(call(T0 + 2000, GB, '+8613800138002'));
  const a = e.decide(call(T0 + 3000, GB, CN));
  e.observe({ callId: a.callId, at: T0 + 5000, status: 200 });
  e.observe({ callId: a.callId, at: T0 + 15_000, endedAt: T0 + 15_000 });
  e.decide(call(T0 + 4000, '+447911123999', CN));

  const r = inspectNumber(e, '00447911123456', { at: T0 + 20_000, callee: CN });
  t.equal(r.info.e164, GB, 'classified and normalised');
  t.equal(r.callee?.e164, CN);
  t.same(r.tables.map((x) => [x.table, x.key, x.tracked]), [
    ['caller', GB, true],
    ['callee', GB, false],
    ['block', '+44791112', true],
    ['pair', `${GB}>${CN}`, true],
    ['callee', CN, true],
  ]);
  const caller = r.tables[0]!;
  t.equal(caller.first_seen, T0);
  t.equal(caller.distinct_of, 'callees');
  t.same(caller.windows.map((w) => w.window), [60_000, 600_000], 'every registered window, shortest first');
  const m1 = caller.windows[0]!;
  t.equal(m1.counts.attempts, 4);
  t.equal(m1.counts.answered, 1);
  t.equal(m1.counts.short, 1);
  t.equal(m1.counts.talk, 10);
  t.equal(m1.counts.rejected, 0);
  t.equal(m1.distinct, 3, 'three different callees');
  t.same(Object.keys(m1.counts), [...METRICS], 'every metric');
  t.same(Object.keys(r.tables[2]!.windows[0]!.counts), METRICS.filter((m) => m !== 'repeats'), "repeats are the caller table's alone; a block has its callbacks as retries");
  const block = r.tables[2]!;
  t.equal(block.windows[0]!.counts.attempts, 5, 'both numbers of the block');
  t.equal(block.windows[0]!.distinct, 2, 'two callers in the block');
  const pair = r.tables[3]!;
  t.equal(pair.windows[0]!.counts.attempts, 2);
  t.equal(pair.distinct_of, null, 'pairs keep no distinct set');
  t.equal(pair.windows[0]!.distinct, null);
  t.equal(r.tables[4]!.windows[0]!.distinct, 2, 'the callee was called by two callers');
  t.equal(r.hold, null);
  t.equal(r.preview_error, null);
  t.same(r.preview?.reasons.map((x) => x.signal), ['burst', 'spread']);
  t.match(r.preview?.reasons[0]!.detail, /^4 attempts/, 'scored on the counts as they stand: this call is not counted');
  t.equal(r.preview?.score, 90);
  t.equal(r.preview?.action, 'tag');
  t.equal(r.preview?.caller, GB);

  const none = inspectNumber(e, GB, { at: T0 + 20_000 });
  t.equal(none.preview, null, 'no callee, no preview');
  t.same(none.tables.map((x) => x.table), ['caller', 'callee', 'block'], 'no pair without a callee');
});

t.test('counts age out of the windows as time passes', async (t) => {
  const e = engine();
  for (let i = 0; i < 3; i++) e.decide(call(T0 + i));
  const later = inspectNumber(e, GB, { at: T0 + 5 * 60_000 });
  const [m1, m10] = later.tables[0]!.windows;
  t.equal(m1!.counts.attempts, 0, 'gone from the 1m window');
  t.equal(m10!.counts.attempts, 3, 'still in the 10m window');
});

t.test('a hold is shown, and the preview says the call would be rejected', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })]), { hold: { duration: 3_600_000, extend: true, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1)).action, 'reject');
  t.equal(e.decide(call(T0 + 2)).rejectedBy, 'hold');
  const r = inspectNumber(e, GB, { at: T0 + 10 * 60_000, callee: CN });
  t.equal(r.hold?.since, T0 + 1);
  t.equal(r.hold?.rejected, 1, 'the call after the one that set the hold');
  t.equal(r.hold?.active, true);
  t.equal(r.hold?.until, T0 + 2 + 3_600_000, 'extended by the held call');
  t.match(r.hold?.why, /burst: 2 attempts/);
  t.equal(r.tables[0]!.windows[0]!.counts.rejected, 0, '1m window emptied');
  t.equal(r.preview?.action, 'reject');
  t.equal(r.preview?.code, 608);
  t.equal(r.preview?.rejected_by, 'hold');
  t.same(r.preview?.reasons.map((x) => x.signal), ['hold']);
  t.equal(e.holdOf(GB)?.until, T0 + 2 + 3_600_000, 'the preview did not extend the hold');
  t.equal(e.holdOf(GB)?.rejected, 1, 'nor count a rejected call');
  const text = formatInspect(r);
  t.match(text, /Hold {5}until 2026-11-01T13:00:00\.002Z after reject at .*\n {9}since 2026-11-01T12:00:00\.001Z, 1 call rejected on it\n/);
  t.match(text, /A call now \+447911123456 -> \+8613800138000: REJECT, 608 Rejected, score 100 \(rejected by hold\)/);
  t.match(text, /hold +\+100 +caller on hold until/);
  const expired = inspectNumber(e, GB, { at: T0 + 2 * 3_600_000 });
  t.equal(expired.hold?.active, false, 'an expired hold is shown as such');
});

t.test('preview changes nothing: sizes, counts, LRU order, holds, counters, population', async (t) => {
  const e = engine();
  e.reload(rules(scope([sig(burst, { max: 3, weight: 200, window: 60_000 }), sig(spread, { window: 600_000, distinct: 3 })])));
  for (let i = 0; i < 6; i++) e.decide(call(T0 + i * 1000, GB, `+86138001380${i}0`));
  e.decide(call(T0 + 7000, '+33612345678', CN));
  t.ok(e.holdOf(GB), 'the caller is held');
  const at = T0 + 30_000;
  const before = state(e, at);
  const seen: string[] = [];
  for (const [caller, callee, when] of [
    [GB, CN, at], [GB, '+8613800138050', at], ['+33612345678', CN, at], ['+12025550143', '+8613900000000', at],
    ['anonymous', CN, at], [GB, CN, T0 + 4 * 3_600_000], ['', '', at],
  ] as const) {
    const d = e.preview(call(when, caller, callee));
    seen.push(d.action);
    inspectNumber(e, caller, { at: when, callee });
  }
  t.same(state(e, at), before, 'state identical after previews and inspections');
  t.same(seen.slice(0, 2), ['reject', 'reject'], 'held caller');
  t.equal(e.counters.decisions, 7, 'previews are not counted as decisions');
  // And decide() still behaves as before: the preview left nothing for it to trip on.
  const next = e.decide(call(at + 1, '+33612345678', CN));
  t.match(next.reasons.find((x) => x.signal === 'burst')?.detail ?? 'none', 'none', 'two attempts are below the burst');
});

t.test('preview scores like decide on the same counts', async (t) => {
  // Two engines with identical history: preview on one vs decide on the other, one call apart.
  const a = engine();
  const b = engine();
  for (let i = 0; i < 4; i++) {
    a.decide(call(T0 + i * 1000, GB, `+86138001380${i}0`));
    b.decide(call(T0 + i * 1000, GB, `+86138001380${i}0`));
  }
  // After 4 attempts, decide scores attempt 5; preview scores the 4 that exist.
  const p = a.preview(call(T0 + 10_000, GB, '+8613800138030'));
  const d = b.decide(call(T0 + 10_000, GB, '+8613800138030'));
  t.match(p.reasons[0]!.detail, /^4 attempts/);
  t.match(d.reasons[0]!.detail, /^5 attempts/);
  t.equal(p.action, 'tag');
  t.equal(d.action, 'reject', 'one more attempt tips it over');
  t.same(p.reasons.map((x) => x.signal), d.reasons.map((x) => x.signal));
  t.equal(p.scope, d.scope);
});

t.test('monitor mode and scopes show in the preview', async (t) => {
  const night = scope([sig(home, { weight: 200 })], { name: 'night', match: (i) => i.source === 'grey' });
  const e = new Engine(rules(scope([]), { scopes: [night], monitor: true }));
  const r = inspectNumber(e, '+8613912345678', { at: T0, callee: CN, source: 'grey' });
  t.equal(r.preview?.scope, 'night');
  t.equal(r.preview?.action, 'forward');
  t.equal(r.preview?.would_be, 'reject');
  t.match(formatInspect(r), /FORWARD \(monitor mode; would be REJECT\)/);
  t.same(r.tables.map((x) => x.table), ['caller', 'callee', 'block', 'pair', 'callee', 'source']);
  t.equal(r.tables[5]!.key, 'grey');
});

t.test('without --source the preview says which scopes by trunk it left out', async (t) => {
  const grey = scope([sig(home, { weight: 200 })], { name: 'grey-route', match: (i) => i.source === 'grey', bySource: true });
  const e = new Engine(rules(scope([]), { scopes: [grey] }));
  const none = inspectNumber(e, '+8613912345678', { at: T0, callee: CN });
  t.equal(none.preview?.scope, 'default');
  t.same(none.source_scopes_skipped, ['grey-route']);
  t.match(formatInspect(none), /no source given: scope grey-route, which matches on the ingress trunk, could not apply; pass --source/);
  const given = inspectNumber(e, '+8613912345678', { at: T0, callee: CN, source: 'grey' });
  t.equal(given.preview?.scope, 'grey-route');
  t.equal(given.source_scopes_skipped, undefined, 'nothing left out');
  t.notMatch(formatInspect(given), /no source given/);
});

t.test('inspect --at before the hold was placed: the preview is not under it', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })]), { hold: { duration: 3_600_000, extend: true, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } }));
  e.decide(call(T0));
  t.equal(e.decide(call(T0 + 1)).action, 'reject');
  const before = inspectNumber(e, GB, { at: T0 - 60_000, callee: CN });
  t.equal(before.hold?.active, false);
  t.not(before.preview?.rejected_by, 'hold', 'not rejected by a hold placed a minute later');
  t.match(formatInspect(before), /Hold {5}not yet placed at this time; placed later, until/);
});

t.test('a plugin that throws is reported, not thrown', async (t) => {
  const e = new Engine(rules(scope([sig(boom)])));
  const r = inspectNumber(e, GB, { at: T0, callee: CN });
  t.equal(r.preview, null);
  t.equal(r.preview_error, 'boom');
  t.match(formatInspect(r), /the engine fails on it \(boom\)/);
});

t.test('unknown, anonymous and junk numbers', async (t) => {
  const e = engine();
  const fresh = inspectNumber(e, GB, { at: T0 });
  t.ok(fresh.tables.every((x) => !x.tracked));
  t.match(formatInspect(fresh), /caller \+447911123456 {2}as caller: nothing held/);
  const anon = inspectNumber(e, 'anonymous', { at: T0, callee: CN });
  t.equal(anon.info.e164, null);
  t.notOk(anon.tables.some((x) => x.table === 'caller'), 'withheld callers are not tracked as callers');
  t.equal(anon.preview?.caller, anon.info.key);
  for (const junk of ['', '\u0000\uffff', 'x'.repeat(10_000), '++++', '%2B44']) {
    const r = inspectNumber(e, junk, { at: T0, callee: junk });
    t.type(formatInspect(r), 'string', `junk ${JSON.stringify(junk.slice(0, 10))}`);
  }
});

t.test('the text report is a readable table', async (t) => {
  const e = engine();
  for (let i = 0; i < 3; i++) e.decide(call(T0 + i * 1000, GB, `+86138001380${i}0`));
  const text = formatInspect(inspectNumber(e, GB, { at: T0 + 10_000, callee: CN }));
  t.match(text, /^Number {3}\+447911123456 {2}\(GG, mobile, valid\)/, 'Guernsey, by its number range');
  t.match(text, /Callee {3}\+8613800138000 {2}\(CN/);
  t.match(text, /At {7}2026-11-01T12:00:10\.000Z/);
  t.match(text, /Hold {5}none/);
  t.match(text, /caller \+447911123456 {2}as caller, first seen 2026-11-01T12:00:00\.000Z/);
  t.match(text, /window +attempts +rejected +answered +failed +cancelled +quick +short +talk\(s\) +retries +repeats +distinct callees/);
  t.match(text, /window +attempts +rejected +answered +failed +cancelled +quick +short +talk\(s\) +distinct callers/, 'the block table: no retries');
  t.match(text, /\n {2}1m +3 +0 +0 +0 +0 +0 +0 +0 +0 +0 +3\n/);
  t.match(text, /\n {2}10m +3 /);
  t.match(text, /pair \+447911123456>\+8613800138000 {2}pair with callee, first seen/);
  t.match(text, /callee \+447911123456 {2}as callee: nothing held/);
  t.match(text, /A call now .*: TAG, score 80/);
  t.match(text, /burst +\+30 +3 attempts \(max 3\)/);
  t.match(text, /the call itself is not counted/);
  t.equal(formatWindow(60_000), '1m');
  t.equal(formatWindow(90_000), '90s');
  t.equal(formatWindow(86_400_000), '1d');
  t.equal(formatWindow(1500), '1500ms');
});
