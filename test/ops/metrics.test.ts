import t from 'tap';
import { register as globalRegistry } from 'prom-client';
import pino from 'pino';
import { Engine } from '../../lib/engine/engine.js';
import { createMetrics, LATENCY_BUCKETS } from '../../lib/ops/metrics.js';
import { Screener } from '../../lib/ops/screener.js';
import type { CallAttempt } from '../../lib/engine/types.js';
import { boom, burst, home, rules, scope, sig } from '../helpers/engine-rules.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const GB = '+447911123456';
let seq = 0;
const call = (at: number, caller = GB, callee = '+8613800138000'): CallAttempt => ({ callId: `m${++seq}`, at, caller, callee, source: '192.0.2.1' });

/** The value of one exposition line, e.g. `ringfence_decisions_total{action="reject"}`; undefined when absent. */
function value(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

t.test('decisions, signals, latency and tracked keys after calls through a Screener', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  const m = createMetrics(() => e);
  const s = new Screener(e, { events: m.events });
  for (let i = 0; i < 5; i++) s.decide(call(T0 + i));
  s.decide(call(T0 + 10, '+33612345678'));
  const text = await m.registry.metrics();

  t.equal(value(text, 'ringfence_decisions_total{action="forward"}'), 2, 'first call of each caller forwarded');
  t.equal(value(text, 'ringfence_decisions_total{action="reject"}'), 4);
  t.equal(value(text, 'ringfence_decisions_total{action="tag"}'), 0, 'every action has a series from the start');
  t.equal(value(text, 'ringfence_signal_hits_total{signal="burst"}'), 1, 'the burst put the caller on hold; held calls are not scored again');
  t.equal(value(text, 'ringfence_signal_hits_total{signal="hold"}'), 3, 'the held caller kept calling');
  t.equal(value(text, 'ringfence_signal_points_total{signal="hold"}'), 300);
  t.equal(value(text, 'ringfence_rejects_total{rejected_by="score"}'), 1, 'the burst reached the reject threshold');
  t.equal(value(text, 'ringfence_rejects_total{rejected_by="hold"}'), 3, 'then the hold decided');
  t.equal(value(text, 'ringfence_decision_seconds_count'), 6);
  t.equal(value(text, 'ringfence_decision_seconds_bucket{le="+Inf"}'), 6);
  t.ok((value(text, 'ringfence_decision_seconds_sum') ?? 0) > 0);
  t.equal(value(text, 'ringfence_tracked_keys{table="caller"}'), 2);
  t.equal(value(text, 'ringfence_tracked_keys{table="pair"}'), 0, 'no signal reads pairs: none tracked');
  t.equal(value(text, 'ringfence_tracked_keys{table="source"}'), 0, 'no signal reads sources: none tracked');
  t.equal(value(text, 'ringfence_tracked_keys{table="hold"}'), 1);
  t.equal(value(text, 'ringfence_tracked_keys{table="pending"}'), 2, 'two forwarded calls wait for outcomes');
  t.match(text, /# TYPE ringfence_decision_seconds histogram/);
  t.match(text, /# TYPE ringfence_decisions_total counter/);
  t.match(text, /# TYPE ringfence_tracked_keys gauge/);
  t.ok(value(text, 'process_cpu_user_seconds_total') !== undefined, 'default process metrics on the same registry');
  t.equal(globalRegistry.getSingleMetric('ringfence_decisions_total'), undefined, 'nothing on the global registry');
});

t.test('latency buckets are cumulative and span 1 µs to 10 ms', async (t) => {
  t.equal(LATENCY_BUCKETS[0], 1e-6);
  t.equal(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1], 1e-2);
  t.ok(LATENCY_BUCKETS.length >= 15, 'fine-grained');
  const m = createMetrics(() => undefined as never, { processMetrics: false });
  const d = { callId: 'x', action: 'forward' as const, score: 0, reasons: [], scope: 'default', caller: '', callee: '' };
  for (const s of [0.0000005, 0.000004, 0.000004, 0.0008, 0.5]) m.events.decision!(d, s);
  m.events.decision!(d, NaN);
  const text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_decision_seconds_bucket{le="0.000001"}'), 1);
  t.equal(value(text, 'ringfence_decision_seconds_bucket{le="0.000005"}'), 3);
  t.equal(value(text, 'ringfence_decision_seconds_bucket{le="0.001"}'), 4);
  t.equal(value(text, 'ringfence_decision_seconds_bucket{le="0.01"}'), 4, 'the half-second one is only in +Inf');
  t.equal(value(text, 'ringfence_decision_seconds_bucket{le="+Inf"}'), 5, 'NaN is dropped');
  t.equal(value(text, 'ringfence_tracked_keys{table="caller"}'), undefined, 'no engine yet: no series, no failure');
});

t.test('monitor-mode decisions carry would_be', async (t) => {
  const e = new Engine(rules(scope([sig(home)]), { monitor: true }));
  const m = createMetrics(() => e, { processMetrics: false });
  const s = new Screener(e, { events: m.events });
  s.decide(call(T0, '+8613912345678'));
  s.decide(call(T0, GB));
  const text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_decisions_total{action="forward",would_be="reject"}'), 1);
  t.equal(value(text, 'ringfence_decisions_total{action="forward",would_be="forward"}'), 1);
  t.equal(value(text, 'ringfence_decisions_total{action="forward"}'), 0, 'plain forwards are not mixed with monitored ones');
  t.equal(value(text, 'ringfence_rejects_total{rejected_by="score",monitor="true"}'), 1, 'a would-be reject, by what decided it');
  t.equal(value(text, 'ringfence_rejects_total{rejected_by="score"}'), 0, 'the usual series exist from the start');
});

t.test('outcomes, SIP responses, bad messages, engine errors, reloads and snapshots', async (t) => {
  const e = new Engine(rules(scope([sig(boom)])));
  const m = createMetrics(() => e, { processMetrics: false });
  const s = new Screener(e, { events: m.events });
  t.equal(s.decide(call(T0)).action, 'forward', 'engine error fails open');
  // Outcomes from a healthy engine (a failed decision leaves no pending call to match).
  const ok = new Screener(new Engine(rules(scope([]))), { events: m.events });
  const d = ok.decide(call(T0));
  t.ok(ok.observe({ callId: d.callId, at: T0 + 1000, status: 200 }));
  t.notOk(ok.observe({ callId: 'unknown', at: T0 + 1000, status: 200 }));
  m.events.responseSent!(608);
  m.events.responseSent!(608);
  m.events.responseSent!(100);
  m.events.responseSent!(9999);
  m.events.outcomeLost!('hangup');
  m.events.outcomeLost!('hangup');
  m.events.outcomeLost!('final');
  m.events.sourceHeaderMissing!();
  m.events.badMessage!('truncated');
  m.events.badMessage!('truncated');
  m.events.badMessage!('content-length');
  for (let i = 0; i < 100; i++) m.events.badMessage!(`junk-${i}`);
  m.ruleReload(true);
  m.ruleReload(false);
  m.ruleReload(false);
  m.snapshot(true);
  const text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_outcomes_total{matched="true"}'), 1);
  t.equal(value(text, 'ringfence_outcomes_total{matched="false"}'), 1);
  t.equal(value(text, 'ringfence_sip_responses_total{code="608"}'), 2);
  t.equal(value(text, 'ringfence_sip_responses_total{code="100"}'), 1);
  t.equal(value(text, 'ringfence_sip_responses_total{code="other"}'), 1);
  t.equal(value(text, 'ringfence_outcomes_lost_total{waiting_for="hangup"}'), 2);
  t.equal(value(text, 'ringfence_outcomes_lost_total{waiting_for="final_status"}'), 1);
  t.equal(value(text, 'ringfence_source_header_missing_total'), 1);
  t.equal(value(text, 'ringfence_bad_messages_total{kind="truncated"}'), 2);
  t.equal(value(text, 'ringfence_bad_messages_total{kind="content-length"}'), 1);
  t.ok((value(text, 'ringfence_bad_messages_total{kind="other"}') ?? 0) > 0, 'invented kinds are capped');
  t.ok(text.split('\n').filter((l) => l.startsWith('ringfence_bad_messages_total{')).length <= 65);
  t.equal(value(text, 'ringfence_engine_errors_total'), 1);
  t.equal(value(text, 'ringfence_signal_hits_total{signal="error"}'), 1);
  t.equal(value(text, 'ringfence_rule_reloads_total{result="ok"}'), 1);
  t.equal(value(text, 'ringfence_rule_reloads_total{result="failed"}'), 2);
  t.equal(value(text, 'ringfence_snapshots_total{result="ok"}'), 1);
  t.equal(value(text, 'ringfence_snapshots_total{result="failed"}'), 0, 'zero series exist before the first failure');
});

t.test('evictions per table, monotonic when the engine is replaced', async (t) => {
  const small = () => {
    const r = rules(scope([sig(burst)]));
    r.stats.max = { ...r.stats.max, caller: 2, pair: 2 };
    return new Engine(r);
  };
  let e = small();
  const m = createMetrics(() => e, { processMetrics: false });
  for (let i = 0; i < 5; i++) e.decide(call(T0 + i, `+4479111234${String(i).padStart(2, '0')}`));
  let text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_evictions_total{table="caller"}'), 3);
  t.equal(value(text, 'ringfence_evictions_total{table="pair"}'), 0, 'pairs are not tracked: no signal reads them');
  t.equal(value(text, 'ringfence_evictions_total{table="callee"}'), 0);
  t.equal(value(text, 'ringfence_tracked_keys{table="caller"}'), 2, 'bounded by the table limit');
  e = small();
  for (let i = 0; i < 3; i++) e.decide(call(T0 + i, `+4479111235${String(i).padStart(2, '0')}`));
  text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_evictions_total{table="caller"}'), 4, '3 from the old engine + 1 from the new one');
});

t.test('negative points (credits) are counted apart from positive ones', async (t) => {
  const m = createMetrics(() => undefined as never, { processMetrics: false });
  const d = (points: number) => ({ callId: 'x', action: 'forward' as const, score: points, reasons: [{ signal: 'reputation', points, detail: '' }], scope: 'default', caller: '', callee: '' });
  m.events.decision!(d(-30), 0.00001);
  m.events.decision!(d(-15), 0.00001);
  m.events.decision!(d(10), 0.00001);
  const text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_signal_hits_total{signal="reputation"}'), 3);
  t.equal(value(text, 'ringfence_signal_points_total{signal="reputation"}'), 10);
  t.equal(value(text, 'ringfence_signal_negative_points_total{signal="reputation"}'), 45);
});

t.test('a custom prefix, and two metric sets side by side', async (t) => {
  const e = new Engine(rules(scope([])));
  const a = createMetrics(() => e, { prefix: 'rf_', processMetrics: false });
  const b = createMetrics(() => e, { processMetrics: false });
  a.events.decision!(e.decide(call(T0)), 0.00001);
  t.equal(value(await a.registry.metrics(), 'rf_decisions_total{action="forward"}'), 1);
  t.equal(value(await b.registry.metrics(), 'ringfence_decisions_total{action="forward"}'), 0);
});

t.test('the running rules: load time and fingerprint, one series at a time', async (t) => {
  const m = createMetrics(() => undefined as never, { processMetrics: false });
  let text = await m.registry.metrics();
  t.match(text, /# TYPE ringfence_rules_info gauge/);
  t.match(text, /# TYPE ringfence_rules_loaded_timestamp_seconds gauge/);
  m.rulesLoaded({ fingerprint: '0123456789ab', file: '/etc/ringfence/rules.yaml' }, Date.UTC(2026, 10, 1, 12, 0, 0));
  text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_rules_loaded_timestamp_seconds'), Date.UTC(2026, 10, 1, 12, 0, 0) / 1000, 'unix seconds');
  t.equal(value(text, 'ringfence_rules_info{fingerprint="0123456789ab",file="/etc/ringfence/rules.yaml"}'), 1);
  m.rulesLoaded({ fingerprint: 'ba9876543210', file: '/etc/ringfence/rules.yaml' }, Date.UTC(2026, 10, 1, 12, 5, 0));
  text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_rules_loaded_timestamp_seconds'), Date.UTC(2026, 10, 1, 12, 5, 0) / 1000, 'updated on reload');
  t.equal(value(text, 'ringfence_rules_info{fingerprint="ba9876543210",file="/etc/ringfence/rules.yaml"}'), 1);
  t.equal(text.split('\n').filter((l) => l.startsWith('ringfence_rules_info{')).length, 1, 'the old fingerprint is gone');
});

t.test('a decision log line that fails is counted as a log error, not an engine error, and the decision stands', async (t) => {
  const e = new Engine(rules(scope([sig(burst, { max: 2, weight: 200 })])));
  const m = createMetrics(() => e);
  const errors: string[] = [];
  const logger = pino({ level: 'info' }, { write: () => undefined });
  logger.info = (() => {
    throw new Error('log sink gone');
  }) as typeof logger.info;
  logger.error = ((_o: unknown, msg: string) => {
    errors.push(msg);
  }) as typeof logger.error;
  const s = new Screener(e, { events: m.events, logger });
  const d = s.decide(call(T0));
  t.equal(d.action, 'forward');
  const text = await m.registry.metrics();
  t.equal(value(text, 'ringfence_decision_log_errors_total'), 1);
  t.equal(value(text, 'ringfence_engine_errors_total'), 0);
  t.equal(value(text, 'ringfence_decisions_total{action="forward"}'), 1);
  t.same(errors, ['decision log line failed']);
});
