/**
 * The signal plugin contract. A plugin is a name, a config schema and a pure
 * `score` function; it owns no state: the engine hands it views on the
 * rolling statistics it declared in `needs`.
 */
import type { Schema } from '../rules/fields.js';
import type { NumberInfo } from '../numbers/types.js';
import type { CallAttempt } from './types.js';

export type TableName = 'caller' | 'callee' | 'pair' | 'block' | 'source';

/**
 * Counters kept per key and window.
 * - attempts: initial INVITEs seen (rejected ones included)
 * - rejected: attempts this engine rejected
 * - answered / failed: final responses 2xx / non-2xx (calls let through only)
 * - cancelled: failed with 487, the caller gave up while ringing
 * - quick: failed after ringing less than `stats.quick_ring` (one-ring bait)
 * - short: answered calls that lasted less than `stats.short_call`
 * - talk: total talk time, seconds
 * - retries: calls to a callee this caller called once in the
 *   `stats.retry_window` before (a dialler working through its list again);
 *   counted on the caller table when a signal asks for them (Need.retries).
 *   On the block table (Need.retries with table: block), calls to a callee
 *   whose last call came from the same block (any of its numbers) within the
 *   retry window: the block's callbacks
 * - repeats: calls to a callee this caller called twice or more in the
 *   retry window before (calling the same people over and over); caller
 *   table only
 */
export const METRICS = ['attempts', 'rejected', 'answered', 'failed', 'cancelled', 'quick', 'short', 'talk', 'retries', 'repeats'] as const;
export type Metric = (typeof METRICS)[number];

/** A read-only view on one key of one table. */
export interface StatsView {
  /** Sliding-window estimate of a counter over the last `window` ms. */
  count(metric: Metric, window: number): number;
  /** Distinct counterparties within `window` ms: exact up to the cap, then the cap. */
  distinct(window: number): number;
  /** The distinct-set cap, so a signal can say "at least N". */
  readonly distinctCap: number;
  /** When this key was first seen (ms), or NaN if it was not tracked before this call. */
  readonly firstSeen: number;
}

/** Calls per active caller across the whole population, for "far above average". */
export interface PopulationView {
  /** Mean attempts per active caller in the window. */
  mean(window: number): number;
  /** Approximate p-quantile (0..1) of attempts per active caller in the window. */
  quantile(p: number, window: number): number;
  /** Active callers in the window. */
  callers(window: number): number;
}

/** What a signal scores. The engine re-points one context (and its views) for every call: use it within score() only. */
export interface SignalContext {
  now: number;
  attempt: CallAttempt;
  caller: NumberInfo;
  callee: NumberInfo;
  /** Other presented caller identities, classified (P-Asserted-Identity vs From). */
  callerVariants: readonly NumberInfo[];
  homeCountry: string;
  /** Global stats settings (short-call and quick-ring thresholds) for readable reasons. */
  settings: { shortCall: number; quickRing: number; blockDigits: number; retryWindow: number };
  /**
   * Views on this call's keys. The current attempt is already counted
   * (attempts, distinct sets) when score() runs, so "at threshold" includes it.
   */
  stats: Record<TableName, StatsView>;
  /** Kept for every window a signal declares on the caller table. */
  population: PopulationView;
  /**
   * Whether this traffic tells a caller's cancel (487) from other failures:
   * true for live SIP and until recent outcomes say otherwise; false for call
   * records that give every failure one cause, where the `cancelled` counter
   * holds no-answer failures after ringing instead (lib/engine/cancel-evidence.ts).
   */
  cancels: boolean;
}

export interface Need {
  table: TableName;
  /** Window in ms this signal reads; the engine keeps counters for it. */
  window?: number;
  /** Whether it reads distinct counterparties. */
  distinct?: boolean;
  /** Whether it reads `retries` and `repeats` (table caller) or the block's callbacks as `retries` (table block): the engine counts them only then. */
  retries?: boolean;
}

export interface Score {
  points: number;
  detail: string;
}

export interface SignalPlugin<C = Record<string, unknown>> {
  name: string;
  description: string;
  schema: Schema<C>;
  /** Which statistics and windows it reads. */
  needs?(cfg: C): Need[];
  /** Pure and O(1): no I/O, no clock, no state. Null when it has nothing to say. */
  score(ctx: SignalContext, cfg: C): Score | null;
  /**
   * Whether this signal, when it gives a held caller negative points, has
   * that call scored on its signals instead of rejected on the hold (good
   * behaviour the caller shows while held: a hold's rejects leave no
   * outcomes, so only what the caller does can speak for it).
   */
  waivesHold?(cfg: C): boolean;
}

/**
 * A plugin of any configuration type, as the registry and compiled rules hold
 * them. The engine hands each plugin only the cfg its own schema parsed, so
 * the methods' cfg parameters are compared bivariantly (method syntax above).
 */
export type AnySignalPlugin = SignalPlugin<object>;

export function definePlugin<C>(p: SignalPlugin<C>): SignalPlugin<C> {
  return p;
}

/**
 * Share of a weight earned by a value past its threshold: half at the
 * threshold, all of it at `full` (default twice the threshold) and beyond.
 */
export function ramp(value: number, threshold: number, full = threshold * 2): number {
  if (!(value >= threshold)) return 0;
  if (full <= threshold) return 1;
  return Math.min(1, 0.5 + (0.5 * (value - threshold)) / (full - threshold));
}

/** Round to one decimal place for reasons and scores. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;
