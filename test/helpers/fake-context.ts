/**
 * Builds a SignalContext from plain numbers so a signal can be tested without
 * the engine or the stats module: set counts per metric and window, distinct
 * per window, a population baseline, and NumberInfo objects by hand.
 *
 * Every read is recorded, so a test can check that a plugin only reads the
 * tables and windows it declared in `needs`.
 */
import type { Metric, Need, PopulationView, SignalContext, SignalPlugin, StatsView, TableName } from '../../lib/engine/plugin.js';
import type { NumberInfo } from '../../lib/numbers/types.js';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export interface FakeStats {
  /** counts[metric][windowMs] = value; anything unset reads as 0. */
  counts?: Partial<Record<Metric, Record<number, number>>>;
  /** distinct[windowMs] = value; unset reads as 0. */
  distinct?: Record<number, number>;
  distinctCap?: number;
  /** Defaults to a day before NOW: a caller with history. Use NaN for a caller new with this call. */
  firstSeen?: number;
}

export interface FakePopulation {
  mean?: number;
  /** quantile[p] = attempts at that quantile; unset quantiles read as 0. */
  quantile?: Record<number, number>;
  callers?: number;
}

export interface Read {
  table: TableName | 'population';
  what: Metric | 'distinct' | 'mean' | 'quantile' | 'callers';
  window: number;
}

export interface FakeInit {
  caller?: NumberInfo;
  callee?: NumberInfo;
  callerVariants?: NumberInfo[];
  /** Raw identities the adapter saw (so a plugin can tell PAI from From). */
  attemptVariants?: { pai?: string; from?: string; display?: string };
  homeCountry?: string;
  settings?: Partial<SignalContext['settings']>;
  stats?: Partial<Record<TableName, FakeStats>>;
  population?: FakePopulation;
  now?: number;
  /** Whether the traffic carries caller cancels (default true, as live SIP does). */
  cancels?: boolean;
}

export type FakeContext = SignalContext & { reads: Read[] };

const TABLES: TableName[] = ['caller', 'callee', 'pair', 'block', 'source'];

function fakeStats(table: TableName, f: FakeStats, reads: Read[], now: number): StatsView {
  return {
    count(metric, window) {
      reads.push({ table, what: metric, window });
      return f.counts?.[metric]?.[window] ?? 0;
    },
    distinct(window) {
      reads.push({ table, what: 'distinct', window });
      return f.distinct?.[window] ?? 0;
    },
    distinctCap: f.distinctCap ?? 64,
    firstSeen: f.firstSeen ?? now - 24 * HOUR,
  };
}

function fakePopulation(p: FakePopulation, reads: Read[]): PopulationView {
  return {
    mean(window) {
      reads.push({ table: 'population', what: 'mean', window });
      return p.mean ?? 0;
    },
    quantile(q, window) {
      reads.push({ table: 'population', what: 'quantile', window });
      return p.quantile?.[q] ?? 0;
    },
    callers(window) {
      reads.push({ table: 'population', what: 'callers', window });
      return p.callers ?? 0;
    },
  };
}

/** A valid foreign mobile number unless overridden. */
export function numberInfo(o: Partial<NumberInfo> = {}): NumberInfo {
  const e164 = o.e164 === undefined ? '+2348031234567' : o.e164;
  return {
    raw: e164 ?? '',
    e164,
    key: e164 ?? o.raw ?? '',
    valid: true,
    possible: true,
    country: 'NG',
    callingCode: '234',
    type: 'mobile',
    home: false,
    uifn: false,
    ...o,
  };
}

/** A number of the home country (GB in these tests). */
export const homeNumber = (o: Partial<NumberInfo> = {}): NumberInfo =>
  numberInfo({ e164: '+442079460123', country: 'GB', callingCode: '44', type: 'fixed-line', home: true, ...o });

export function fakeContext(init: FakeInit = {}): FakeContext {
  const now = init.now ?? NOW;
  const reads: Read[] = [];
  const caller = init.caller ?? numberInfo();
  const callee = init.callee ?? homeNumber({ e164: '+447700900123', type: 'mobile' });
  const stats = Object.fromEntries(TABLES.map((t) => [t, fakeStats(t, init.stats?.[t] ?? {}, reads, now)])) as Record<TableName, StatsView>;
  return {
    now,
    attempt: {
      callId: 'test-call',
      at: now,
      caller: caller.raw,
      callee: callee.raw,
      ...(init.attemptVariants ? { callerVariants: init.attemptVariants } : {}),
    },
    caller,
    callee,
    callerVariants: init.callerVariants ?? [],
    homeCountry: init.homeCountry ?? 'GB',
    settings: { shortCall: 6 * SEC, quickRing: 5 * SEC, blockDigits: 2, retryWindow: 3 * 3600 * SEC, ...init.settings },
    stats,
    population: fakePopulation(init.population ?? {}, reads),
    cancels: init.cancels ?? true,
    reads,
  };
}

/** A plugin's config from its schema defaults, with overrides. */
export function defaults<C>(plugin: SignalPlugin<C>, over: Partial<C> = {}): C {
  const cfg: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(plugin.schema) as [string, { default: unknown }][]) cfg[k] = f.default;
  return { ...cfg, ...over } as C;
}

/**
 * Reads the plugin made that its `needs` did not declare (population reads
 * are keyed by the caller windows it declared). Empty means needs is honest.
 */
export function undeclaredReads<C>(plugin: SignalPlugin<C>, cfg: C, ctx: FakeContext): Read[] {
  const needs: Need[] = plugin.needs?.(cfg) ?? [];
  return ctx.reads.filter((r) => {
    const table = r.table === 'population' ? 'caller' : r.table;
    return !needs.some((nd) => nd.table === table && nd.window === r.window && (r.what !== 'distinct' || nd.distinct === true));
  });
}

/** Reasons go into SIP headers: printable ASCII only. */
export const ASCII = /^[\x20-\x7e]+$/;
