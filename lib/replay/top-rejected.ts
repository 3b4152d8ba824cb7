/**
 * The callers a replay rejected most, in bounded memory: a back-test of a
 * week of calls may reject millions of distinct invented caller IDs, and the
 * summary must not grow with them. The Space-Saving algorithm (Metwally,
 * Agrawal, El Abbadi 2005) keeps `capacity` counters; a caller not tracked
 * takes over the smallest one and inherits its count as a possible
 * overestimate (`error`). Any caller rejected more than calls/capacity times
 * is guaranteed to be tracked, so the head of the list is exact in practice
 * (error 0) and says so when it is not.
 */
import { isMonitorReason } from '../engine/score.js';
import type { Decision } from '../engine/types.js';

/** One caller's rejects: what an engineer reads to decide whether to allow-list it. */
export interface RejectedCaller {
  /** The caller as the engine normalised it (E.164, or the raw key of a number it could not read). */
  caller: string;
  /** Rejected calls (counted since tracked; an upper bound when `count_error` > 0). */
  rejected: number;
  /** How much of `rejected` may belong to callers this one displaced: 0 means exact. */
  count_error: number;
  /** Of the rejects counted, those decided by the caller's hold. */
  on_hold: number;
  /** Of the rejects counted, those of legitimately labelled calls (labelled input only). */
  legit?: number;
  /** The first reject counted: when, what decided it, and its strongest reason. */
  first: { at: string; by: string; signal: string | null; detail: string | null };
  /**
   * What the call records say the rejected calls (those counted) did when they went through:
   * how many have an outcome recorded, how many of those were answered, how many of the answered
   * ones have a talk time (`timed`), and that talk time in all.
   * Absent when no rejected call had one. Calls answered and talked are the mark of a business
   * an allow list should let through; robocalls and bait are rarely answered for long.
   */
  recorded?: { calls: number; answered: number; timed: number; talk_s: number };
}

/** A rejected call's outcome as its call record has it (replay input): final status, talk time in ms. */
export interface RecordedOutcome {
  status?: number | undefined;
  duration?: number | undefined;
}

interface Entry {
  caller: string;
  count: number;
  error: number;
  hold: number;
  legit: number;
  firstAt: number;
  firstBy: string;
  firstSignal: string | null;
  firstDetail: string | null;
  /** Rejected calls with an outcome in their record, of them answered, of those with a talk time, and that time (ms). */
  known: number;
  answered: number;
  timed: number;
  talkMs: number;
  /** Position in the heap. */
  pos: number;
}

export const DEFAULT_TOP_CAPACITY = 2000;

export class TopRejected {
  private readonly byCaller = new Map<string, Entry>();
  /** Min-heap on count: the root is the counter a new caller takes over. */
  private readonly heap: Entry[] = [];

  constructor(readonly capacity = DEFAULT_TOP_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, not ${capacity}`);
  }

  /** Count a rejected (or monitor-mode would-be rejected) call. */
  add(at: number, d: Decision, legit: boolean, recorded?: RecordedOutcome): void {
    let e = this.byCaller.get(d.caller);
    if (e !== undefined) {
      count(e, d, legit, recorded);
      this.down(e.pos);
      return;
    }
    if (this.heap.length < this.capacity) {
      e = blank(d.caller, 0, this.heap.length);
      this.heap.push(e);
      this.byCaller.set(d.caller, e);
      first(e, at, d);
      count(e, d, legit, recorded);
      this.up(e.pos);
      return;
    }
    // Take over the least counted caller: its count stays as this one's possible overestimate.
    e = this.heap[0] as Entry;
    this.byCaller.delete(e.caller);
    Object.assign(e, blank(d.caller, e.count, 0));
    this.byCaller.set(d.caller, e);
    first(e, at, d);
    count(e, d, legit, recorded);
    this.down(0);
  }

  /** The `n` callers with the most rejected calls, most first (ties by caller, so output is stable). */
  top(n: number, labelled: boolean): RejectedCaller[] {
    return [...this.heap]
      .sort((x, y) => y.count - x.count || (x.caller < y.caller ? -1 : x.caller > y.caller ? 1 : 0))
      .slice(0, Math.max(0, n))
      .map((e) => {
        const r: RejectedCaller = {
          caller: e.caller,
          rejected: e.count,
          count_error: e.error,
          on_hold: e.hold,
          first: { at: new Date(e.firstAt).toISOString(), by: e.firstBy, signal: e.firstSignal, detail: e.firstDetail },
        };
        if (labelled) r.legit = e.legit;
        if (e.known > 0) r.recorded = { calls: e.known, answered: e.answered, timed: e.timed, talk_s: Math.round(e.talkMs / 1000) };
        return r;
      });
  }

  get size(): number {
    return this.heap.length;
  }

  /** Restore heap order after a new entry i was appended. */
  private up(i: number): void {
    const h = this.heap;
    const e = h[i] as Entry;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Entry;
      if (parent.count <= e.count) break;
      h[i] = parent;
      parent.pos = i;
      i = p;
    }
    h[i] = e;
    e.pos = i;
  }

  /** Restore heap order after entry i's count grew. */
  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const e = h[i] as Entry;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (h[r] as Entry).count < (h[l] as Entry).count ? r : l;
      const child = h[c] as Entry;
      if (child.count >= e.count) break;
      h[i] = child;
      child.pos = i;
      i = c;
    }
    h[i] = e;
    e.pos = i;
  }
}

function count(e: Entry, d: Decision, legit: boolean, recorded: RecordedOutcome | undefined): void {
  e.count++;
  if (d.rejectedBy === 'hold') e.hold++;
  if (legit) e.legit++;
  if (recorded === undefined) return;
  const { status, duration } = recorded;
  if (status === undefined && duration === undefined) return;
  e.known++;
  // A record with a talk time but no status was answered if it talked, as replay reads it.
  if (status !== undefined ? status >= 200 && status < 300 : (duration ?? 0) > 0) {
    e.answered++;
    // An answered record without a duration says nothing of its talk: not counted as 0 s.
    if (duration !== undefined) {
      e.timed++;
      e.talkMs += duration;
    }
  }
}

function blank(caller: string, count: number, pos: number): Entry {
  return { caller, count, error: count, hold: 0, legit: 0, firstAt: 0, firstBy: '', firstSignal: null, firstDetail: null, known: 0, answered: 0, timed: 0, talkMs: 0, pos };
}

/**
 * The reject's strongest reason: the one with the most counted points (a hold's own reason when the hold
 * decided it). A monitor-only rule's points are reported but were not counted: it did not cause the reject.
 */
function first(e: Entry, at: number, d: Decision): void {
  e.firstAt = at;
  e.firstBy = d.rejectedBy ?? 'score';
  let best: Decision['reasons'][number] | undefined;
  for (const r of d.reasons) if (r.points > 0 && !isMonitorReason(r) && (best === undefined || r.points > best.points)) best = r;
  e.firstSignal = best?.signal ?? null;
  e.firstDetail = best?.detail ?? null;
}
