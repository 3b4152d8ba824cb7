/** Hand-built CompiledRules for engine tests: no YAML, so engine tests do not depend on the rules loader. */
import type { CompiledList, CompiledRules, CompiledScope, CompiledSignal } from '../../lib/engine/config.js';
import { definePlugin, ramp, type AnySignalPlugin, type SignalPlugin, type TableName } from '../../lib/engine/plugin.js';
import { duration, int, points } from '../../lib/rules/fields.js';

/** Points when the caller made at least `max` attempts in `window`. */
export const burst = definePlugin<{ window: number; max: number; weight: number }>({
  name: 'burst',
  description: 'test: caller attempts in a window',
  schema: { window: duration({ default: '1m' }), max: int({ default: 5 }), weight: points({ default: 60 }) },
  needs: (c) => [{ table: 'caller', window: c.window }],
  score(ctx, c) {
    const n = ctx.stats.caller.count('attempts', c.window);
    return n >= c.max ? { points: c.weight * ramp(n, c.max), detail: `${Math.round(n)} attempts (max ${c.max})` } : null;
  },
});

/** Points for distinct callees of the caller. */
export const spread = definePlugin<{ window: number; distinct: number; weight: number }>({
  name: 'spread',
  description: 'test: distinct callees',
  schema: { window: duration({ default: '10m' }), distinct: int({ default: 3 }), weight: points({ default: 50 }) },
  needs: (c) => [{ table: 'caller', window: c.window, distinct: true }],
  score(ctx, c) {
    const n = ctx.stats.caller.distinct(c.window);
    return n >= c.distinct ? { points: c.weight, detail: `${n} distinct callees` } : null;
  },
});

/** Flags home-country caller IDs. */
export const home = definePlugin<{ weight: number }>({
  name: 'home',
  description: 'test: home-country caller',
  schema: { weight: points({ default: 100 }) },
  score: (ctx, c) => (ctx.caller.home ? { points: c.weight, detail: 'home-country caller ID' } : null),
});

/** A plugin that reads one table over one window and never scores: it makes the engine keep that table. */
export function readsOnly(name: string, table: TableName, window: number): SignalPlugin<Record<string, never>> {
  return definePlugin<Record<string, never>>({
    name,
    description: `test: reads the ${table} table only`,
    schema: {},
    needs: () => [{ table, window }],
    score: () => null,
  });
}

/** Callers a test has declared abusive: `verdict`'s judgement is the test's to set, so each step is exact. Clear it after each test. */
export const badCallers = new Set<string>();

/** 200 points for callers in badCallers. */
export const verdict = definePlugin<Record<string, never>>({
  name: 'verdict',
  description: 'test: 200 points for callers in the bad set',
  schema: {},
  needs: () => [{ table: 'caller', window: 60_000 }],
  score: (ctx) => (ctx.caller.e164 !== null && badCallers.has(ctx.caller.e164) ? { points: 200, detail: 'declared bad by the test' } : null),
});

export const boom = definePlugin<Record<string, never>>({
  name: 'boom',
  description: 'test: always throws',
  schema: {},
  score() {
    throw new Error('boom');
  },
});

export function sig(plugin: AnySignalPlugin, cfg: Record<string, unknown> = {}, extra: Partial<CompiledSignal> = {}): CompiledSignal {
  const full: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(plugin.schema as Record<string, { default: unknown }>)) full[k] = f.default;
  return { id: plugin.name, plugin, cfg: { ...full, ...cfg }, monitor: false, action: 'score', ...extra };
}

export function scope(signals: CompiledSignal[], extra: Partial<CompiledScope> = {}): CompiledScope {
  return {
    name: 'default',
    thresholds: { tag: 40, reject: 100 },
    reject: { code: 608, phrase: 'Rejected' },
    tag: { scoreHeader: 'X-Ringfence-Score', reasonsHeader: 'X-Ringfence-Reasons', displayPrefix: '' },
    monitor: false,
    signals,
    ...extra,
  };
}

export function list(name: string, action: CompiledList['action'], entries: string[], extra: Partial<CompiledList> = {}): CompiledList {
  return {
    name,
    action,
    size: entries.length,
    points: 50,
    monitor: false,
    lookup(e164) {
      for (const e of entries) {
        if (e.endsWith('*') ? e164.startsWith(e.slice(0, -1)) : e === e164) return { match: e, exact: !e.endsWith('*') };
      }
      return null;
    },
    ...extra,
  };
}

export function rules(base: CompiledScope, extra: Partial<CompiledRules> = {}): CompiledRules {
  return {
    homeCountry: 'CN',
    hold: { duration: 3_600_000, extend: true, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 },
    failMode: 'open',
    monitor: false,
    stats: {
      shortCall: 60_000,
      quickRing: 5_000,
      blockDigits: 4,
      distinctCap: 64,
      max: { caller: 10_000, callee: 10_000, pair: 10_000, block: 10_000, source: 100, pending: 10_000, hold: 1_000 },
      pendingTtl: 7_200_000,
      retryWindow: 10_800_000,
    },
    lists: [],
    nationalFormats: [],
    scopes: [],
    base,
    ...extra,
  };
}

/** A hold as a snapshot keeps it: all but lastAt (when it was last extended), which snapshots do not keep. */
export const keptHold = <H extends { lastAt?: number }>(h: H | undefined): Omit<H, 'lastAt'> | undefined => {
  if (h === undefined) return undefined;
  const { lastAt: _, ...rest } = h;
  return rest;
};
