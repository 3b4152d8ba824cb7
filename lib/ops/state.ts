/**
 * State snapshots: the rolling statistics, holds and population baseline
 * written to one file so a restart forgets nothing. The file is a gzip of a
 * small binary format (entries are mostly zeros and numbers). It is written
 * to a temporary file and renamed, so a crash mid-write never leaves a
 * half file under the real name; a truncated, foreign or incompatible file
 * is refused with a reason and the engine starts empty. It holds subscribers'
 * numbers, so only its owner may read it (0600).
 */
import { createWriteStream } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createGzip, gunzipSync } from 'node:zlib';
import type { Engine } from '../engine/engine.js';
import { TABLES } from '../engine/engine.js';
import { METRICS } from '../engine/plugin.js';
import { STRIDE, type EntryData } from '../engine/stats.js';

const MAGIC = 'RINGFENCE-STATE';
/** 2 added each hold's start, 3 its last probe and probe count, 4 the calls it rejected, 5 its flags (never probed); versions 1-4 are still read. */
const VERSION = 5;
/** A hold's flag bits (version 5). */
const HOLD_NO_PROBE = 1;

export interface SnapshotInfo {
  file: string;
  bytes: number;
  entries: Record<string, number>;
  holds: number;
  ms: number;
}

/** Accumulates binary records and hands full chunks to a sink. */
class Out {
  private buf = Buffer.allocUnsafe(1 << 16);
  private n = 0;
  constructor(private readonly sink: (b: Buffer) => void) {}
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    this.flush();
    if (k > this.buf.length) this.buf = Buffer.allocUnsafe(k);
  }
  flush(): void {
    if (this.n === 0) return;
    this.sink(Buffer.from(this.buf.subarray(0, this.n)));
    this.n = 0;
  }
  u8(v: number): void { this.room(1); this.buf.writeUInt8(v, this.n); this.n += 1; }
  u16(v: number): void { this.room(2); this.buf.writeUInt16LE(v, this.n); this.n += 2; }
  u32(v: number): void { this.room(4); this.buf.writeUInt32LE(v, this.n); this.n += 4; }
  i32(v: number): void { this.room(4); this.buf.writeInt32LE(v, this.n); this.n += 4; }
  f64(v: number): void { this.room(8); this.buf.writeDoubleLE(v, this.n); this.n += 8; }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u32(b.length);
    this.room(b.length);
    b.copy(this.buf, this.n);
    this.n += b.length;
  }
}

class In {
  private p = 0;
  constructor(private readonly b: Buffer) {}
  private need(k: number): void {
    if (this.p + k > this.b.length) throw new Error('snapshot is truncated');
  }
  u8(): number { this.need(1); return this.b.readUInt8((this.p += 1) - 1); }
  u16(): number { this.need(2); return this.b.readUInt16LE((this.p += 2) - 2); }
  u32(): number { this.need(4); return this.b.readUInt32LE((this.p += 4) - 4); }
  i32(): number { this.need(4); return this.b.readInt32LE((this.p += 4) - 4); }
  f64(): number { this.need(8); return this.b.readDoubleLE((this.p += 8) - 8); }
  str(): string {
    const n = this.u32();
    this.need(n);
    const s = this.b.toString('utf8', this.p, this.p + n);
    this.p += n;
    return s;
  }
  get done(): boolean { return this.p === this.b.length; }
}

/** Yield to the event loop every this many entries so live calls are not stalled by a periodic snapshot. */
const YIELD_EVERY = 20_000;
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Write the engine's state to `file` (via `file.tmp` + rename). Entries are
 * read in least-recently-used order so a reload restores the LRU order.
 */
async function syncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeSnapshot(engine: Engine, file: string, at: number): Promise<SnapshotInfo> {
  const t0 = Date.now();
  const tmp = `${file}.tmp-${process.pid}`;
  // The mode only applies to a file the open creates: a temp file left by a
  // crash (same pid, as in a container) would keep its own, so it goes first
  // and 'wx' makes sure the file written is one made here, 0600. The rename
  // keeps that mode, whatever the file it replaces had.
  await unlink(tmp).catch(() => undefined);
  const gz = createGzip({ level: 1 });
  const ws = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  gz.pipe(ws);
  let bytes = 0;
  // Listen from the start: an open error (no such directory) can fire before the data is written.
  let failed: Error | undefined;
  const closed = new Promise<void>((resolve) => {
    ws.on('error', (err) => { failed = err; });
    ws.on('close', () => resolve());
  });
  const out = new Out((b) => { gz.write(b); });
  const entries: Record<string, number> = {};
  try {
    out.str(JSON.stringify({ magic: MAGIC, version: VERSION, at, metrics: METRICS, home: engine.rules.homeCountry }));
    for (const name of TABLES) {
      const table = engine.tables[name];
      out.str(name);
      // The windows as of now: a rules reload during a turn below may add one, and the entries exported after it
      // would carry its counters too, which the loader refuses as damage (and the whole state is then lost at
      // the next start). Windows are only ever appended, so the first `windows` of every entry are these.
      const windows = table.windows.length;
      const counters = windows * STRIDE;
      out.u8(windows);
      for (const w of table.windows) out.f64(w);
      out.f64(table.distinctRetention);
      let written = 0;
      const counted: EntryData[] = [];
      const names: string[] = [];
      // textEntries() copies the keys before the first one (iterating the LRU itself while live calls touch it
      // is not safe across yields) and looks each slot up as it is reached, so an entry evicted meanwhile is
      // left out, never read from a slot given to another number. Exported in turns: all of them in one pass
      // kept the event loop, and every call, waiting 1.7 s at 300,000 entries a table (5-6 s at the default
      // table sizes) every snapshot interval.
      for (const [k, slot] of table.textEntries()) {
        const e = table.exportEntry(slot);
        if (e.c.length > counters) e.c.length = counters;
        counted.push(e);
        names.push(k);
        if (counted.length % YIELD_EVERY === 0) await tick();
      }
      out.u32(counted.length);
      for (let i = 0; i < counted.length; i++) {
        const e = counted[i] as EntryData;
        out.str(names[i] as string);
        out.f64(e.first);
        out.u16(e.c.length);
        for (const v of e.c) out.f64(v);
        const d = e.d ?? [];
        out.u16(d.length / 2);
        for (let j = 0; j < d.length; j += 2) {
          out.i32(d[j] as number);
          out.f64(d[j + 1] as number);
        }
        if (++written % YIELD_EVERY === 0) {
          out.flush();
          await tick();
        }
      }
      entries[name] = written;
    }
    const holds = [...engine.holdEntries()];
    out.u32(holds.length);
    for (const [k, h] of holds) {
      out.str(k);
      out.f64(h.until);
      out.str(h.why);
      out.f64(h.since);
      out.f64(h.probeAt);
      out.u32(h.probes);
      out.u32(Math.min(h.rejected, 0xffffffff));
      out.u8(h.noProbe === true ? HOLD_NO_PROBE : 0);
    }
    out.str(JSON.stringify(engine.population.toJSON()));
    out.flush();
    gz.end();
    await closed;
    if (failed) throw failed;
    bytes = ws.bytesWritten;
    // On disk before the rename: after a power cut a renamed file whose data
    // never reached the disk can be empty (XFS, ext4 without auto_da_alloc).
    await syncPath(tmp, 'r+');
    await rename(tmp, file);
    await syncPath(dirname(file), 'r').catch(() => undefined); // the rename itself; best effort
    return { file, bytes, entries, holds: holds.length, ms: Date.now() - t0 };
  } catch (err) {
    gz.destroy();
    ws.destroy();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export type LoadResult =
  /** `dropped`: counters the file kept that this build does not know (present only when there were any); they are not loaded. */
  | { ok: true; entries: Record<string, number>; holds: number; age: number; dropped?: string[] }
  | { ok: false; reason: string; missing?: boolean };

/**
 * Load a snapshot into a fresh engine. Never throws: a missing, truncated or
 * incompatible file leaves the engine as it was and says why.
 */
export async function loadSnapshot(engine: Engine, file: string, now: number): Promise<LoadResult> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT', reason: code === 'ENOENT' ? `no snapshot at ${file}` : `cannot read ${file}: ${(err as Error).message}` };
  }
  let buf: Buffer;
  try {
    buf = gunzipSync(raw);
  } catch (err) {
    return { ok: false, reason: `${file} is not a readable snapshot (${(err as Error).message})` };
  }
  // Parse everything before touching the engine, so a bad file changes nothing.
  type TableData = { name: string; windows: number[]; retention: number; rows: Array<[string, EntryData]> };
  const tables: TableData[] = [];
  const holds: Array<[string, { until: number; why: string; since: number; probeAt: number; probes: number; rejected: number; noProbe: boolean }]> = [];
  let header: { magic?: string; version?: number; at?: number; metrics?: string[]; home?: string };
  let population: unknown;
  let dropped: string[] = [];
  try {
    const r = new In(buf);
    header = JSON.parse(r.str()) as typeof header;
    if (header.magic !== MAGIC) return { ok: false, reason: `${file} is not a Ringfence snapshot` };
    const version = header.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > VERSION) return { ok: false, reason: `${file} has snapshot version ${header.version}, this build reads versions 1 to ${VERSION}` };
    // Counters are matched by name, so a build that adds (or reorders) counters still reads an older file: those
    // the file lacks start at 0, those it has and this build does not know are dropped (and named in the result).
    const fileMetrics: unknown = header.metrics;
    if (!Array.isArray(fileMetrics) || !fileMetrics.every((m): m is string => typeof m === 'string')) {
      return { ok: false, reason: `${file} has no list of counter names in its header (metrics: ${JSON.stringify(fileMetrics) ?? 'missing'})` };
    }
    if (new Set(fileMetrics).size !== fileMetrics.length) return { ok: false, reason: `${file} names a counter twice in its header (${fileMetrics.join(',')})` };
    const same = fileMetrics.length === METRICS.length && fileMetrics.every((m, i) => m === METRICS[i]);
    const fileM = fileMetrics.length;
    const fileStride = 1 + 2 * fileM;
    /** For each of our counters, its index in the file's, or -1. */
    const from = METRICS.map((m) => fileMetrics.indexOf(m));
    dropped = fileMetrics.filter((m) => !(METRICS as readonly string[]).includes(m));
    if (header.home !== engine.rules.homeCountry) return { ok: false, reason: `${file} was written for home country ${header.home}, the rules say ${engine.rules.homeCountry}` };
    for (let ti = 0; ti < TABLES.length; ti++) {
      const name = r.str();
      const nw = r.u8();
      const windows: number[] = [];
      for (let i = 0; i < nw; i++) windows.push(r.f64());
      const retention = r.f64();
      const n = r.u32();
      const rows: Array<[string, EntryData]> = [];
      for (let i = 0; i < n; i++) {
        const key = r.str();
        const e: EntryData = { first: r.f64(), c: [], d: null };
        const cl = r.u16();
        if (cl !== nw * fileStride) throw new Error(`entry ${key} of ${name} has ${cl} counters, expected ${nw * fileStride} (${nw} windows of ${fileM} counters)`);
        if (same) {
          for (let j = 0; j < cl; j++) e.c.push(r.f64());
        } else {
          // Re-laid from the file's [epoch, cur × fileM, prev × fileM] per window into ours.
          const fc: number[] = [];
          for (let j = 0; j < cl; j++) fc.push(r.f64());
          e.c = new Array<number>(nw * STRIDE).fill(0);
          for (let w = 0; w < nw; w++) {
            const src = w * fileStride;
            const dst = w * STRIDE;
            e.c[dst] = fc[src] as number;
            for (let j = 0; j < METRICS.length; j++) {
              const k = from[j] as number;
              if (k < 0) continue;
              e.c[dst + 1 + j] = fc[src + 1 + k] as number;
              e.c[dst + 1 + METRICS.length + j] = fc[src + 1 + fileM + k] as number;
            }
          }
        }
        const dl = r.u16();
        if (dl > 0) {
          e.d = [];
          for (let j = 0; j < dl; j++) e.d.push(r.i32(), r.f64());
        }
        rows.push([key, e]);
      }
      tables.push({ name, windows, retention, rows });
    }
    const nh = r.u32();
    for (let i = 0; i < nh; i++) {
      const k = r.str();
      const until = r.f64();
      const why = r.str();
      const since = header.version === 1 ? NaN : r.f64();
      const v = header.version as number;
      const probeAt = v >= 3 ? r.f64() : NaN;
      const probes = v >= 3 ? r.u32() : NaN;
      const rejected = v >= 4 ? r.u32() : NaN;
      const flags = v >= 5 ? r.u8() : 0;
      holds.push([k, { until, why, since, probeAt, probes, rejected, noProbe: (flags & HOLD_NO_PROBE) !== 0 }]);
    }
    population = JSON.parse(r.str());
    if (!r.done) throw new Error('trailing data after the snapshot');
  } catch (err) {
    return { ok: false, reason: `${file} is damaged: ${(err as Error).message}` };
  }

  const entries: Record<string, number> = {};
  for (const td of tables) {
    const table = engine.tables[td.name as (typeof TABLES)[number]];
    if (!table) continue;
    // Windows the rules no longer use are dropped, new ones start empty.
    for (const [key, src] of td.rows) table.importEntry(key, src, td.windows);
    entries[td.name] = td.rows.length;
  }
  for (const [k, h] of holds) if (h.until > now) engine.restoreHold(k, h);
  engine.population.fromJSON(population);
  return { ok: true, entries, holds: holds.length, age: now - (header.at ?? now), ...(dropped.length ? { dropped } : {}) };
}
