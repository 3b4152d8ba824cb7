/**
 * Rules and a Screener for the drachtio adapter tests, compiled from YAML by
 * the real loader with the built-in signal plugins. The action is picked by
 * the caller prefix, through lists:
 *
 *   +232...  reject 608 (top-level answer)   +225...  reject 603 with a Reason header
 *   +49...   tag, +50 (display prefix '[SPAM?] ')   anything else  forward
 *
 * The real `short-calls` signal (1h caller window, judging from 2 answered
 * calls) makes the engine keep the caller counters the outcome tests read,
 * and shows CDR durations reaching a signal.
 */
import type { CompiledRules } from '../../lib/engine/config.js';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import type { CallOutcome, Decision } from '../../lib/engine/types.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { builtinPlugins } from '../../plugins/index.js';
import { Screener, type ScreenEvents } from '../../lib/ops/screener.js';

export const HOUR = 3_600_000;

export const CALLERS = {
  reject608: '+23276123456',
  reject603: '+22507123456',
  tag: '+4915112345678',
  forward: '+33612345678',
} as const;

export const REASON_603 = 'SIP;cause=603;text="Spam suspected"';

/** Throws on every call, to exercise decideSafe. */
export const boom = definePlugin<Record<string, never>>({
  name: 'boom',
  description: 'test: always throws',
  schema: {},
  score() {
    throw new Error('boom');
  },
});

/** `reject603`: the top-level answer is 603 with the REASON_603 Reason header instead of 608. */
export function rulesText(o: { failMode?: 'open' | 'closed'; monitor?: boolean; boom?: boolean; reject603?: boolean } = {}): string {
  return `
version: 1
home_country: GB
monitor: ${o.monitor ?? false}
fail_mode: ${o.failMode ?? 'open'}
thresholds: { tag: 40, reject: 100 }
reject: ${o.reject603 ? `{ code: 603, reason: '${REASON_603}' }` : '{ code: 608 }'}
tag: { display_prefix: '[SPAM?] ' }
hold: { duration: 0 }
lists:
  deny:     { action: reject, numbers: ['+232*'] }
  deny-603: { action: reject, numbers: ['+225*'], code: 603, reason: '${REASON_603}' }
  suspect:  { action: score, points: 50, numbers: ['+49*'] }
signals:
  short-calls: { window: 1h, ratio: 0.5, min_answered: 2, weight: 60 }
${o.boom ? '  boom: {}\n' : ''}`;
}

const compiled = new Map<string, Promise<CompiledRules>>();

/** Compiled once per variant: the engine only reads CompiledRules, so engines can share them. */
export function testRules(o: Parameters<typeof rulesText>[0] = {}): Promise<CompiledRules> {
  const text = rulesText(o);
  let r = compiled.get(text);
  if (r === undefined) {
    r = compileRulesText(text, { file: 'drachtio-test.yaml', plugins: [...builtinPlugins, boom] });
    compiled.set(text, r);
  }
  return r;
}

export interface ScreenerProbe {
  screener: Screener;
  decisions: Decision[];
  outcomes: { o: CallOutcome; matched: boolean }[];
  responses: number[];
  readonly engineErrors: number;
}

export async function testScreener(rules?: CompiledRules | Promise<CompiledRules>, events: ScreenEvents = {}): Promise<ScreenerProbe> {
  const decisions: Decision[] = [];
  const outcomes: { o: CallOutcome; matched: boolean }[] = [];
  const responses: number[] = [];
  let engineErrors = 0;
  const screener = new Screener(new Engine(await (rules ?? testRules())), {
    events: {
      decision: (d) => decisions.push(d),
      outcome: (o, matched) => outcomes.push({ o, matched }),
      responseSent: (s) => responses.push(s),
      engineError: () => engineErrors++,
      ...events,
    },
  });
  return {
    screener,
    decisions,
    outcomes,
    responses,
    get engineErrors() {
      return engineErrors;
    },
  };
}

/** A caller counter over the last hour, as the signals would read it at time t. */
export function callerCount(screener: Screener, caller: string, metric: 'attempts' | 'answered' | 'failed' | 'cancelled' | 'short' | 'talk', t: number): number {
  return screener.engine.tables.caller.view(caller, t).count(metric, HOUR);
}
