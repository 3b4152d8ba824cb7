/**
 * Scopes are tried in order and the first that matches a call decides it.
 * A later scope whose calls an earlier one takes, always or at some hours,
 * is a rule an engineer believes in force that never (or not always)
 * applies: found here, to be said by `check` and in the load log.
 *
 * Conservative: a later scope is shadowed only when the earlier one
 * constrains no field the later one leaves open, and each of its lists
 * holds the later one's (sources and countries as written, prefixes by
 * their starts; a CIDR network holding an address is not worked out).
 * Hours and days are compared minute by minute over a week.
 */
import type { NumberInfo } from '../numbers/types.js';
import { LocalClock } from './clock.js';
import { compileWhen, hhmm, type WhenSpec } from './when.js';

export interface Shadow {
  /** Index of the later scope and of the earlier scope that takes its calls. */
  index: number;
  by: number;
  /** Every call of the later scope is taken; else only at `when` (local time). */
  full: boolean;
  when: string;
}

const SETS = ['source', 'caller_country', 'caller_type'] as const;
const PREFIXES = ['caller_prefix', 'callee_prefix'] as const;
const WEEK = 7 * 1440;
/** A week of minutes as bits: pairs of scopes compare 315 words, not 10,080 minutes (rules may hold 1,000 scopes). */
const WORDS = WEEK / 32;
/** 1970-01-05 00:00 UTC, a Monday: minute 0 of the sampled week. */
const MONDAY = 4 * 1440;

/** Whether every call `later` matches on the fields other than time, `earlier` matches too. */
function coversCalls(earlier: WhenSpec, later: WhenSpec): boolean {
  for (const f of SETS) {
    const e = earlier[f];
    if (!e?.length) continue;
    const l = later[f];
    if (!l?.length || !l.every((v) => e.includes(v))) return false;
  }
  for (const f of PREFIXES) {
    const e = earlier[f];
    if (!e?.length) continue;
    const l = later[f];
    if (!l?.length || !l.every((p) => e.some((q) => p.startsWith(q)))) return false;
  }
  return true;
}

/** The minutes of a week (from Monday 00:00 local) at which a scope's hours and days hold, as bits. */
function weekMinutes(when: WhenSpec): Uint32Array {
  const out = new Uint32Array(WORDS);
  if (!when.hours?.length && !when.days?.length) return out.fill(0xffffffff);
  // The pattern in local minutes and days is the same in every zone: read it in UTC.
  const test = compileWhen({ ...(when.hours ? { hours: when.hours } : {}), ...(when.days ? { days: when.days } : {}) }, new LocalClock('UTC'));
  const none = {} as NumberInfo;
  for (let m = 0; m < WEEK; m++) {
    if (test({ at: (MONDAY + m) * 60_000, source: undefined, caller: none, callee: none })) out[m >>> 5] = ((out[m >>> 5] as number) | (1 << (m & 31))) >>> 0;
  }
  return out;
}

function bits(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The minutes set in a bitset, one byte each. */
function minutesOf(b: Uint32Array): Uint8Array {
  const out = new Uint8Array(WEEK);
  for (let m = 0; m < WEEK; m++) out[m] = ((b[m >>> 5] as number) >>> (m & 31)) & 1;
  return out;
}

/** Minutes of a week as daily ranges ('00:00-02:00') when every day is alike, else a note that it varies by day. */
function describe(minutes: Uint8Array): string {
  for (let d = 1; d < 7; d++) {
    for (let m = 0; m < 1440; m++) if (minutes[d * 1440 + m] !== minutes[m]) return 'at some hours of some days';
  }
  const ranges: string[] = [];
  for (let m = 0; m < 1440; ) {
    if (!minutes[m]) {
      m++;
      continue;
    }
    const start = m;
    while (m < 1440 && minutes[m]) m++;
    ranges.push(`${hhmm(start)}-${m === 1440 ? '24:00' : hhmm(m)}`);
  }
  return ranges.join(', ');
}

/** For each later scope another takes calls from, the first such (a full shadow before a partial one). */
export function shadowedScopes(whens: readonly WhenSpec[]): Shadow[] {
  const out: Shadow[] = [];
  const minutes = whens.map(weekMinutes);
  for (let j = 1; j < whens.length; j++) {
    let partial: Shadow | undefined;
    for (let i = 0; i < j; i++) {
      if (!coversCalls(whens[i] as WhenSpec, whens[j] as WhenSpec)) continue;
      const lm = minutes[j] as Uint32Array;
      const em = minutes[i] as Uint32Array;
      let inL = 0;
      let inBoth = 0;
      for (let w = 0; w < WORDS; w++) {
        inL += bits(lm[w] as number);
        inBoth += bits(((lm[w] as number) & (em[w] as number)) >>> 0);
      }
      if (inL > 0 && inBoth === inL) {
        partial = undefined;
        out.push({ index: j, by: i, full: true, when: '' });
        break;
      }
      if (inBoth > 0 && partial === undefined) {
        const both = new Uint32Array(WORDS);
        for (let w = 0; w < WORDS; w++) both[w] = ((lm[w] as number) & (em[w] as number)) >>> 0;
        partial = { index: j, by: i, full: false, when: describe(minutesOf(both)) };
      }
    }
    if (partial) out.push(partial);
  }
  return out;
}
