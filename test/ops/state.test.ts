import t, { type Test } from 'tap';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Engine, TABLES } from '../../lib/engine/engine.js';
import { METRICS } from '../../lib/engine/plugin.js';
import { loadSnapshot, writeSnapshot } from '../../lib/ops/state.js';
import { burst, keptHold, rules, scope, sig, spread } from '../helpers/engine-rules.js';


const T0 = Date.UTC(2026, 10, 1, 12);
const W = 60_000;
const mk = (): Engine => new Engine(rules(scope([sig(burst, { max: 3, weight: 200 }), sig(spread, { window: 600_000 })])));

function fill(e: Engine): void {
  for (let i = 0; i < 50; i++) {
    const d = e.decide({ callId: `a${i}`, at: T0 + i * 100, caller: `+4479111234${String(i % 10).padStart(2, '0')}`, callee: `+861380013${String(i).padStart(4, '0')}` });
    if (d.action !== 'reject') e.observe({ callId: `a${i}`, at: T0 + i * 100 + 50, status: i % 2 ? 200 : 486 });
  }
}

t.test('a snapshot round-trips counters, distinct sets, holds and LRU order', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  const info = await writeSnapshot(a, file, T0 + 10_000);
  t.equal(info.entries.caller, 10);
  t.ok(info.holds > 0, 'bursting callers were put on hold');
  const b = mk();
  const r = await loadSnapshot(b, file, T0 + 10_000);
  t.ok(r.ok, JSON.stringify(r));
  t.same(b.sizes(), { ...a.sizes(), pending: 0 }, 'same entries in every table (pending calls are not kept)');
  const now = T0 + 10_000;
  for (const [k] of [...a.tables.caller.textEntries()]) {
    const ea = a.tables.caller.get(k);
    const eb = b.tables.caller.get(k);
    for (const m of ['attempts', 'answered', 'failed', 'rejected'] as const) {
      t.equal(b.tables.caller.count(eb, m, W, now), a.tables.caller.count(ea, m, W, now), `${k} ${m}`);
    }
    t.equal(b.tables.caller.distinct(eb, 600_000, now), a.tables.caller.distinct(ea, 600_000, now));
  }
  t.same([...b.tables.callee.cache.keys()], [...a.tables.callee.cache.keys()], 'LRU order kept');
  // All but when the hold was last extended (lastAt), which snapshots do not keep.
  t.same(keptHold(b.holdOf('+447911123400')), keptHold(a.holdOf('+447911123400')));
  t.ok(a.holdOf('+447911123400')!.rejected > 0, 'the hold had rejected calls to keep');
  t.equal(b.population.mean(W), a.population.mean(W));
  // The restored engine goes on deciding from what it learned.
  t.equal(b.decide({ callId: 'x', at: now + 1, caller: '+447911123401', callee: '+8613800130000' }).action, 'reject');
});

t.test('missing, truncated, foreign and incompatible files are refused and change nothing', async (t) => {
  const dir = t.testdir({ 'junk.bin': 'not a snapshot' });
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0);
  const full = await readFile(file);

  const missing = await loadSnapshot(mk(), join(dir, 'nope.bin'), T0);
  t.same(missing, { ok: false, missing: true, reason: `no snapshot at ${join(dir, 'nope.bin')}` });

  await writeFile(join(dir, 'cut.bin'), full.subarray(0, Math.floor(full.length / 2)));
  const b = mk();
  const cut = await loadSnapshot(b, join(dir, 'cut.bin'), T0);
  t.equal(cut.ok, false);
  t.match((cut as { reason: string }).reason, /not a readable snapshot|damaged|truncated/);
  t.equal(b.sizes().caller, 0, 'nothing half-loaded');

  const junk = await loadSnapshot(mk(), join(dir, 'junk.bin'), T0);
  t.match((junk as { reason: string }).reason, /not a readable snapshot/);

  const gb = new Engine(rules(scope([sig(burst)]), { homeCountry: 'GB' }));
  const other = await loadSnapshot(gb, file, T0);
  t.match((other as { reason: string }).reason, /home country CN, the rules say GB/);
});

t.test('windows the new rules do not use are dropped; new windows start empty', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0 + 5000);
  const b = new Engine(rules(scope([sig(burst, { window: 3_600_000 }), sig(spread, { window: 600_000 })])));
  const r = await loadSnapshot(b, file, T0 + 5000);
  t.ok(r.ok);
  const e = b.tables.caller.get('+447911123400');
  t.equal(b.tables.caller.count(e, 'attempts', 3_600_000, T0 + 5000), 0, 'the 1h window was not in the snapshot');
  t.ok(b.tables.caller.distinct(e, 600_000, T0 + 5000) > 0, 'distinct sets kept');
});

t.test('a failed write leaves the previous snapshot in place', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0);
  const before = await readFile(file);
  await t.rejects(writeSnapshot(a, join(dir, 'no-such-dir', 'state.bin'), T0));
  t.same(await readFile(file), before);
});

t.test('the snapshot file is 0600: it holds subscribers\' numbers', { skip: process.platform === 'win32' && 'no POSIX modes' }, async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  // A umask of 0 would leave a default-mode file 0666: the mode must come from the writer.
  const umask = process.umask(0);
  t.teardown(() => void process.umask(umask));
  await writeSnapshot(a, file, T0);
  t.equal((await stat(file)).mode & 0o777, 0o600, 'a new file');

  // An older, readable snapshot and a temp file a crash left (same pid) with a wide mode.
  const tmp = `${file}.tmp-${process.pid}`;
  await chmod(file, 0o644);
  await writeFile(tmp, 'left by a crash');
  await chmod(tmp, 0o666);
  await writeSnapshot(a, file, T0 + 1000);
  t.equal((await stat(file)).mode & 0o777, 0o600, 'replacing a 0644 file, over a stale 0666 temp file');
  await t.rejects(stat(tmp), { code: 'ENOENT' }, 'no temp file left');
  t.ok((await loadSnapshot(mk(), file, T0 + 1000)).ok, 'and it reads back');
});

/** A snapshot rewritten as an older version wrote it: that version in the header, and each hold's last `cut` bytes gone. */
async function downgrade(t: Test, file: string, a: Engine, version: number, cut: number): Promise<void> {
  let raw = gunzipSync(await readFile(file));
  const v5 = Buffer.from('"version":5');
  const at = raw.indexOf(v5);
  t.ok(at > 0, 'the header names version 5');
  raw.write(`"version":${version}`, at);
  const holds = [...a.holdEntries()];
  t.ok(holds.length > 0);
  // Holds are written in this order, and two of them can give the same reason (a reject in the same second): search on from the last one.
  let from = 0;
  for (const [, h] of holds) {
    const why = Buffer.from(h.why);
    const i = raw.indexOf(why, from);
    t.ok(i > 0, 'each hold reason is in the file');
    // After the reason: start (8 bytes), last probe (8), probe count (4), calls rejected (4) and flags (1).
    raw = Buffer.concat([raw.subarray(0, i + why.length + 25 - cut), raw.subarray(i + why.length + 25)]);
    from = i + why.length + 25 - cut;
  }
  await writeFile(file, gzipSync(raw));
}

t.test('a version 1 snapshot (holds without their start) is still read', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0 + 10_000);
  await downgrade(t, file, a, 1, 25);
  const holds = [...a.holdEntries()];
  const b = mk();
  const r = await loadSnapshot(b, file, T0 + 10_000);
  t.ok(r.ok, JSON.stringify(r));
  const [key, h] = holds[0]!;
  const restored = b.holdOf(key);
  t.equal(restored?.until, h.until);
  t.equal(restored?.why, h.why);
  t.equal(restored?.since, h.until - b.rules.hold.duration, 'taken to have started one hold duration before its end');
  t.equal(restored?.probeAt, restored?.since, 'and to have had no probe since');
});

t.test('a version 2 snapshot (holds without their last probe) is still read', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0 + 10_000);
  await downgrade(t, file, a, 2, 17);
  const holds = [...a.holdEntries()];
  const b = mk();
  const r = await loadSnapshot(b, file, T0 + 10_000);
  t.ok(r.ok, JSON.stringify(r));
  for (const [key, h] of holds) {
    const restored = b.holdOf(key);
    t.equal(restored?.since, h.since, `${key}: start kept`);
    t.equal(restored?.probeAt, h.since, `${key}: no probe since the start`);
    t.equal(restored?.probes, 0);
  }
});

t.test('a version 3 snapshot (holds without their count of rejected calls) is still read', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0 + 10_000);
  await downgrade(t, file, a, 3, 5);
  const b = mk();
  const r = await loadSnapshot(b, file, T0 + 10_000);
  t.ok(r.ok, JSON.stringify(r));
  for (const [key, h] of a.holdEntries()) {
    const restored = b.holdOf(key);
    t.equal(restored?.probes, h.probes, `${key}: probes kept`);
    t.equal(restored?.rejected, 0, `${key}: no count of rejected calls, so none`);
  }
});

t.test('a snapshot of a version this build does not know is refused, and changes nothing', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0 + 10_000);
  const raw = await readFile(file);
  for (const version of ['6', '0']) {
    await writeFile(file, raw);
    await downgrade(t, file, a, Number(version), 0);
    const b = mk();
    const r = await loadSnapshot(b, file, T0 + 10_000);
    t.same(r, { ok: false, reason: `${file} has snapshot version ${version}, this build reads versions 1 to 5` });
    t.equal([...b.holdEntries()].length, 0, `version ${version}: no hold restored`);
  }
});

t.test('a version 4 snapshot (holds without their flags) is still read', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0 + 10_000);
  await downgrade(t, file, a, 4, 1);
  const b = mk();
  const r = await loadSnapshot(b, file, T0 + 10_000);
  t.ok(r.ok, JSON.stringify(r));
  for (const [key, h] of a.holdEntries()) {
    const restored = b.holdOf(key);
    t.equal(restored?.rejected, h.rejected, `${key}: count of rejected calls kept`);
    t.equal(restored?.noProbe, undefined, `${key}: probed as any hold`);
  }
});

/** An engine whose caller and pair tables hold n entries. */
function roomFor(n: number): Engine {
  const r = rules(scope([sig(burst, { max: 3, weight: 200 }), sig(spread, { window: 600_000 })]));
  return new Engine({ ...r, stats: { ...r.stats, max: { ...r.stats.max, caller: n, pair: n } } });
}

/** `e` after one call from each of n new callers, a millisecond apart. */
function withCallers(e: Engine, n: number): Engine {
  for (let i = 0; i < n; i++) e.decide({ callId: `m${i}`, at: T0 + i, caller: `+44791${String(1_000_000 + i)}`, callee: '+8613800138000' });
  return e;
}

t.test('a snapshot of many entries keeps the event loop turning while calls go on', async (t) => {
  // Every entry of a table used to be exported in one pass before any was written: at 300,000 entries a
  // table the calls waited 1.7 s every snapshot interval. Now the event loop turns every 20,000 entries.
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const N = 100_000;
  const a = withCallers(roomFor(N), N);
  let last = performance.now();
  let longest = 0;
  let ticking = true;
  let turns = 0;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    // While the snapshot runs, live calls go on: new callers evict the coldest entries of the caller table.
    if (++turns % 3 === 0) for (let i = 0; i < 50; i++) a.decide({ callId: `n${turns}-${i}`, at: T0 + N + turns, caller: `+44792${String(1_000_000 + turns * 50 + i)}`, callee: '+8613800138000' });
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const t0 = performance.now();
  const turns0 = turns;
  const info = await writeSnapshot(a, file, T0 + N + 1000);
  const took = performance.now() - t0;
  const during = turns - turns0;
  await new Promise((resolve) => setImmediate(resolve));
  ticking = false;
  // In one pass the calls waited for nearly the whole snapshot. Half of it leaves room for a loaded machine,
  // which stretches every wait (a quarter failed under a load average of 4.6 on two cores).
  t.ok(longest < took / 2, `longest wait for the event loop ${longest.toFixed(0)} ms of a ${took.toFixed(0)} ms snapshot (${during} turns)`);
  t.ok(info.entries.caller! > N * 0.9 && info.entries.caller! <= N, `${info.entries.caller} callers written, none twice`);
  const b = roomFor(N);
  const r = await loadSnapshot(b, file, T0 + N + 1000);
  t.ok(r.ok, JSON.stringify(r));
  t.equal(b.tables.caller.cache.size, info.entries.caller, 'every entry written is read back');
});

t.test('a rules reload that adds a window while a snapshot is in its turns does not damage the snapshot', async (t) => {
  // The table header (its windows) is written before the entries are exported in turns: a reload in a turn that
  // added a window gave later entries one window more than the header, and the next start refused the whole
  // file as damaged ("has 51 counters, expected 34"), so every caller's history and every hold was lost.
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const N = 50_000;
  const a = withCallers(roomFor(N), N);
  const before = a.tables.caller.windows.length;
  // The reload lands at the first turn of the export (as engine.reload registers a new signal's window).
  const table = a.tables.caller;
  const exportEntry = table.exportEntry.bind(table);
  let armed = true;
  table.exportEntry = (slot) => {
    if (armed) setImmediate(() => table.addWindow(7_200_000));
    armed = false;
    return exportEntry(slot);
  };
  const info = await writeSnapshot(a, file, T0 + N + 1000);
  t.equal(a.tables.caller.windows.length, before + 1, 'the window was added while the snapshot ran');
  const b = roomFor(N);
  const r = await loadSnapshot(b, file, T0 + N + 1000);
  t.ok(r.ok, JSON.stringify(r));
  t.equal(b.tables.caller.cache.size, info.entries.caller, 'every entry written is read back');
});

/**
 * The unzipped snapshot `raw` (as writeSnapshot wrote it, with this build's METRICS) rewritten as a build whose
 * counters are `metrics` would have written it: that list in the header and, unless `counters` is false, every
 * entry's counters re-laid per window as [epoch, cur × metrics, prev × metrics]. A counter this build does not
 * know is written as `unknown` (cur) and `unknown + 1` (prev). Walks the format of lib/ops/state.ts.
 */
function relayout(raw: Buffer, header: (h: Record<string, unknown>) => unknown, metrics: readonly string[], counters = true, unknown = 999): Buffer {
  const parts: Buffer[] = [];
  let p = 0;
  const take = (n: number): Buffer => { const b = raw.subarray(p, p + n); p += n; return b; };
  const str = (): Buffer => { const n = raw.readUInt32LE(p); return take(4 + n); };
  const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const h = JSON.parse(raw.toString('utf8', 4, 4 + raw.readUInt32LE(0))) as Record<string, unknown>;
  p = 4 + raw.readUInt32LE(0);
  const hb = Buffer.from(JSON.stringify({ ...h, metrics: header(h) }), 'utf8');
  parts.push(u32(hb.length), hb);
  const M = METRICS.length;
  const stride = 1 + 2 * M;
  for (let ti = 0; ti < TABLES.length; ti++) {
    parts.push(str());
    const nw = raw.readUInt8(p);
    parts.push(take(1 + nw * 8 + 8));
    const n = raw.readUInt32LE(p);
    parts.push(take(4));
    for (let i = 0; i < n; i++) {
      parts.push(str(), take(8));
      const cl = raw.readUInt16LE(p);
      if (cl !== nw * stride) throw new Error(`unexpected counter count ${cl}`);
      const c: number[] = [];
      const cb = take(2 + cl * 8);
      for (let j = 0; j < cl; j++) c.push(cb.readDoubleLE(2 + j * 8));
      if (!counters) parts.push(cb);
      else {
        const out: number[] = [];
        for (let w = 0; w < nw; w++) {
          out.push(c[w * stride] as number);
          for (const half of [0, 1]) {
            for (const m of metrics) {
              const k = (METRICS as readonly string[]).indexOf(m);
              out.push(k < 0 ? unknown + half : (c[w * stride + 1 + half * M + k] as number));
            }
          }
        }
        const ob = Buffer.alloc(2 + out.length * 8);
        ob.writeUInt16LE(out.length);
        out.forEach((v, j) => ob.writeDoubleLE(v, 2 + j * 8));
        parts.push(ob);
      }
      const dl = raw.readUInt16LE(p);
      parts.push(take(2 + dl * 12));
    }
  }
  parts.push(raw.subarray(p)); // holds and population, as they were
  return Buffer.concat(parts);
}

t.test('a snapshot written with other counters is read by name: known ones kept, missing ones 0, unknown ones dropped', async (t) => {
  // A build that adds counters (at the end of METRICS) must still read the state an older build left.
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const now = T0 + 10_000;
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, now);
  // Another order, 'answered' missing, and an 'abandoned' counter this build does not know.
  const theirs: string[] = [...METRICS].reverse().filter((m) => m !== 'answered');
  theirs.splice(3, 0, 'abandoned');
  await writeFile(file, gzipSync(relayout(gunzipSync(await readFile(file)), () => theirs, theirs)));
  const b = mk();
  const r = await loadSnapshot(b, file, now);
  t.ok(r.ok, JSON.stringify(r));
  t.same((r as { dropped?: string[] }).dropped, ['abandoned'], 'the unknown counter is named once in the result');
  t.same(b.sizes(), { ...a.sizes(), pending: 0 }, 'every entry read');
  let answered = 0;
  for (const [k] of [...a.tables.caller.textEntries()]) {
    const ea = a.tables.caller.peek(k);
    const eb = b.tables.caller.peek(k);
    for (const m of METRICS) {
      const want = m === 'answered' ? 0 : a.tables.caller.count(ea, m, W, now);
      t.equal(b.tables.caller.count(eb, m, W, now), want, `${k} ${m}`);
    }
    answered += a.tables.caller.count(ea, 'answered', W, now);
  }
  t.ok(answered > 0, 'the snapshot had answered calls, which the file without that counter lost');
  // Every table, every window, current and previous halves: the same as the original but for 'answered'.
  const ai = METRICS.indexOf('answered');
  for (const name of TABLES) {
    for (const [k, slot] of [...a.tables[name].textEntries()]) {
      const want = a.tables[name].exportEntry(slot).c.map((v, i) => {
        const j = (i % (1 + 2 * METRICS.length)) - 1;
        return j === ai || j === ai + METRICS.length ? 0 : v;
      });
      t.same(b.tables[name].exportEntry(b.tables[name].peek(k)!).c, want, `${name} ${k}`);
    }
  }
  t.same(keptHold(b.holdOf('+447911123400')), keptHold(a.holdOf('+447911123400')), 'holds kept');
});

t.test('a snapshot whose header has no list of counter names is refused, naming the file', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0);
  const raw = gunzipSync(await readFile(file));
  for (const [what, metrics] of [['a string', 'attempts'], ['numbers', [1, 2]], ['no list', undefined]] as const) {
    await writeFile(file, gzipSync(relayout(raw, () => metrics, METRICS, false)));
    const b = mk();
    const r = await loadSnapshot(b, file, T0);
    t.equal(r.ok, false, what);
    t.match((r as { reason: string }).reason, `${file} has no list of counter names in its header`, what);
    t.equal(b.sizes().caller, 0, `${what}: nothing loaded`);
  }
});

t.test('a snapshot whose entries do not have the counters its header lists is refused as damaged', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'state.bin');
  const a = mk();
  fill(a);
  await writeSnapshot(a, file, T0);
  // The header names one counter more than the entries carry.
  const more = [...METRICS, 'abandoned'];
  await writeFile(file, gzipSync(relayout(gunzipSync(await readFile(file)), () => more, METRICS, false)));
  const b = mk();
  const r = await loadSnapshot(b, file, T0);
  t.equal(r.ok, false);
  const reason = (r as { reason: string }).reason;
  t.ok(reason.startsWith(`${file} is damaged: `), reason);
  t.match(reason, new RegExp(`has \\d+ counters, expected \\d+ \\(\\d+ windows of ${more.length} counters\\)`));
  t.equal(b.sizes().caller, 0, 'nothing loaded');
});
