/**
 * Rules and a running proxy for SIP tests.
 *
 * `handRules()` builds CompiledRules in code with a tiny inline plugin, so
 * the proxy's regression tests do not depend on the rules loader;
 * `yamlRules()` goes through the real loader and built-in plugins, as
 * `ringfence serve` does, for the end-to-end tests.
 */
import type { CompiledRules } from '../../lib/engine/config.js';
import { rules, scope, sig } from './engine-rules.js';
import { Engine } from '../../lib/engine/engine.js';
import { definePlugin } from '../../lib/engine/plugin.js';
import { Screener, type ScreenEvents } from '../../lib/ops/screener.js';
import { compileRulesText } from '../../lib/rules/load.js';
import { builtinPlugins } from '../../plugins/index.js';
import { startStandalone, type Standalone, type StandaloneOptions } from '../../lib/sip/standalone.js';
import { UdpPeer } from './sip-peer.js';

/** Window (ms) the test plugin asks the caller table to keep, so answered/talk counters exist. */
export const WINDOW = 3_600_000;

/** Test signal: +86 caller IDs are domestic (home country CN) → reject; +4420 (London) → tag. */
export const testCli = definePlugin<Record<string, never>>({
  name: 'test-cli',
  description: 'test: +86 is domestic, +4420 is suspect',
  schema: {},
  needs: () => [{ table: 'caller', window: WINDOW }],
  score(ctx) {
    const e = ctx.caller.e164 ?? '';
    if (e.startsWith('+86')) return { points: 100, detail: 'home-country caller ID on international ingress' };
    if (e.startsWith('+4420')) return { points: 50, detail: 'suspect London range' };
    return null;
  },
});

export function handRules(): CompiledRules {
  const base = scope([sig(testCli)], {
    reject: { code: 608, phrase: 'Rejected', reasonHeader: 'SIP;cause=608;text="Home-country caller ID"' },
    tag: { scoreHeader: 'X-Ringfence-Score', reasonsHeader: 'X-Ringfence-Reasons', displayPrefix: '[SPAM?] ' },
  });
  return rules(base, { hold: { duration: 0, extend: false, max: 0, probe: 0, probeBackoff: 2, releaseTalk: 60_000 } });
}

/**
 * Real rules for end-to-end tests: domestic-cli rejects home (CN) caller IDs
 * with 608 and a Reason; a score list tags the +44 20 7946 (Ofcom drama) range; the
 * unanswered signal keeps the caller table's 1 h window.
 */
export const E2E_RULES = `
version: 1
home_country: CN
reject: { code: 608, reason: 'SIP;cause=608;text="Home-country caller ID"' }
tag: { display_prefix: '[SPAM?] ' }
hold: { duration: 0 }
lists:
  suspect: { action: score, points: 50, numbers: ['+44207946*'] }
signals:
  domestic-cli: { weight: 100, mobile_weight: 100 }
  unanswered: { window: 1h }
`;

export async function yamlRules(text = E2E_RULES): Promise<CompiledRules> {
  return compileRulesText(text, { file: 'test-rules.yaml', plugins: builtinPlugins });
}

export interface Harness {
  engine: Engine;
  screener: Screener;
  proxy: Standalone;
  port: number;
  events: { responses: number[]; bad: string[] };
}

/** Start engine + screener + standalone proxy on 127.0.0.1 (random port) towards `nextHopPort`. */
export async function startHarness(nextHopPort: number, rules: CompiledRules, extra: Partial<StandaloneOptions> = {}): Promise<Harness> {
  const engine = new Engine(rules);
  const events = { responses: [] as number[], bad: [] as string[] };
  const hooks: ScreenEvents = {
    responseSent: (s) => events.responses.push(s),
    badMessage: (k) => events.bad.push(k),
  };
  const screener = new Screener(engine, { events: hooks });
  const proxy = await startStandalone({
    listen: [{ transport: 'udp', host: '127.0.0.1', port: 0 }],
    nextHop: `sip:127.0.0.1:${nextHopPort}`,
    screener,
    ...extra,
  });
  const port = proxy.addresses()[0]!.port;
  return { engine, screener, proxy, port, events };
}

/** Fast timers for tests: T1 = 50 ms, so Timer B/F/H = 3.2 s; completed-state retention short. */
export const FAST = { t1: 50, t2: 400, t4: 200, timerD: 300, timerJ: 300, timerL: 300 } as const;

/** A caller and a callee on 127.0.0.1 and a proxy (hand rules, fast timers unless `extra` says) towards the callee; all closed when the test ends. */
export async function harnessWithPeers(t: { teardown(fn: () => unknown): void }, extra: Partial<StandaloneOptions> = {}): Promise<{ uac: UdpPeer; uas: UdpPeer; h: Harness }> {
  const uac = await UdpPeer.open('caller');
  const uas = await UdpPeer.open('callee');
  const h = await startHarness(uas.port, handRules(), { timers: FAST, ...extra });
  t.teardown(async () => {
    await h.proxy.close();
    await uac.close();
    await uas.close();
  });
  return { uac, uas, h };
}
