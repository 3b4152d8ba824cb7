/**
 * Prometheus metrics on a registry of their own (embedders keep the global one).
 *
 * The per-call hooks only bump plain numbers: prom-client's inc()/observe()
 * hash a label string and allocate on every call (about 1.5 µs together,
 * as much as a decision). The numbers are copied into the prom-client
 * metrics when /metrics is scraped, which costs per series, not per call.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { Engine } from '../engine/engine.js';
import { TABLES } from '../engine/engine.js';
import type { Action, CallOutcome, Decision } from '../engine/types.js';
import type { ScreenEvents } from './screener.js';
import { registerSipMetrics, type SipSources } from './sip-metrics.js';
import { droppedLogLines } from './logger.js';

export interface MetricsOptions {
  /** Prefix of Ringfence's own metric names; default 'ringfence_'. Process metrics keep their standard names. */
  prefix?: string;
  /** Add prom-client's default process metrics (CPU, memory, event loop, GC); default true. */
  processMetrics?: boolean;
  /** The SIP adapters to export counters of (read on scrape; either may start later than the metrics). */
  sip?: SipSources;
  /** Ringfence's version, for ringfence_build_info. */
  version?: string;
}

export interface Metrics {
  registry: Registry;
  /** Hand to the Screener. */
  events: ScreenEvents;
  /** A rules reload was applied (ok) or refused (failed). */
  ruleReload(ok: boolean): void;
  /** These rules are now live (at start and after every reload applied): when, and which (fingerprint, file). */
  rulesLoaded(live: { fingerprint: string; file: string }, atMs?: number): void;
  /** A state snapshot was written or loaded (ok) or failed. */
  snapshot(ok: boolean): void;
}

/** Decision latency buckets (seconds): 1-2-3-5-7 per decade from 1 µs to 10 ms. */
export const LATENCY_BUCKETS: readonly number[] = (() => {
  const out: number[] = [];
  for (let decade = 1e-6; decade < 1e-2; decade *= 10) for (const m of [1, 2, 3, 5, 7]) out.push(Number((m * decade).toPrecision(2)));
  out.push(1e-2);
  return out;
})();

const ACTIONS: readonly Action[] = ['forward', 'tag', 'reject'];
/** wouldBe index 0 = none (not monitor mode), then ACTIONS + 1. */
const WOULD_BE = 1 + ACTIONS.length;
/** Label sets a misbehaving adapter could invent (bad message kinds) are capped; the rest count as 'other'. */
const MAX_KINDS = 64;

function actionIndex(a: Action | undefined): number {
  // Plain comparisons: the action strings are interned literals, no hashing needed.
  return a === 'forward' ? 0 : a === 'tag' ? 1 : a === 'reject' ? 2 : -1;
}

/**
 * A histogram kept outside prom-client and exported on scrape. It is not a
 * prom-client Histogram subclass: the registry reads a metric through get()
 * (and the name, type and reset() around it), which is all this provides.
 */
class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Non-cumulative counts per bucket; the last one is +Inf. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(readonly name: string, readonly help: string, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  record(seconds: number): void {
    if (!(seconds >= 0) || seconds === Infinity) return;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && seconds > (b[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += seconds;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[] }> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    let acc = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      acc += this.counts[i] as number;
      values.push({ labels: { le: this.bounds[i] as number }, value: acc, metricName: `${this.name}_bucket` });
    }
    values.push({ labels: { le: '+Inf' }, value: this.count, metricName: `${this.name}_bucket` });
    values.push({ labels: {}, value: this.sum, metricName: `${this.name}_sum` });
    values.push({ labels: {}, value: this.count, metricName: `${this.name}_count` });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/** Most rejected_by series kept; past it, new names count as 'other'. */
const MAX_REJECT_SERIES = 500;

export function createMetrics(engine: () => Engine, opts: MetricsOptions = {}): Metrics {
  const p = opts.prefix ?? 'ringfence_';
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });

  // Hot-path accumulators, copied into prom-client on scrape.
  const decisions = new Float64Array(ACTIONS.length * WOULD_BE);
  const signals = new Map<string, { hits: number; points: number; credit: number }>();
  /** Rejects by what decided them (Decision.rejectedBy); key '1' + name for monitor-mode would-be rejects. */
  const rejectsBy = new Map<string, number>();
  const responses = new Float64Array(600); // status 100..699
  let responsesOther = 0;
  const lost = { final: 0, hangup: 0 };
  let sourceHeaderMissing = 0;
  const outcomes = [0, 0]; // unmatched, matched
  const badKinds = new Map<string, number>();
  let engineErrors = 0;
  let logErrors = 0;

  const latency = new LatencyHistogram(`${p}decision_seconds`, 'Time to decide one call in the engine, seconds', LATENCY_BUCKETS);
  registry.registerMetric(latency as unknown as Metric);

  new Counter({
    name: `${p}decisions_total`,
    help: 'Decisions by action; would_be is the action a monitor-mode decision would have taken',
    labelNames: ['action', 'would_be'],
    registers: [registry],
    collect() {
      this.reset();
      for (let a = 0; a < ACTIONS.length; a++) {
        for (let w = 0; w < WOULD_BE; w++) {
          const n = decisions[a * WOULD_BE + w] as number;
          // Plain per-action series always exist (alerting on absent series is awkward); monitor ones once seen.
          if (w === 0) this.inc({ action: ACTIONS[a] as string }, n);
          else if (n > 0) this.inc({ action: ACTIONS[a] as string, would_be: ACTIONS[w - 1] as string }, n);
        }
      }
    },
  });

  new Counter({
    name: `${p}signal_hits_total`,
    help: 'Reasons given in decisions, by signal (rule id, list:NAME, hold, error); monitored rules included',
    labelNames: ['signal'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [signal, s] of signals) this.inc({ signal }, s.hits);
    },
  });

  new Counter({
    name: `${p}rejects_total`,
    help: "Rejects by what decided them: 'score' (the points), 'hold' (an earlier reject), a rule that rejects outright (list:NAME, a signal id), 'error' (fail_mode closed); monitor=\"true\" for would-be rejects of monitor mode",
    labelNames: ['rejected_by', 'monitor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const by of ['score', 'hold']) if (!rejectsBy.has(`0${by}`)) this.inc({ rejected_by: by }, 0);
      for (const [k, n] of rejectsBy) {
        if (k[0] === '1') this.inc({ rejected_by: k.slice(1), monitor: 'true' }, n);
        else this.inc({ rejected_by: k.slice(1) }, n);
      }
    },
  });

  new Counter({
    name: `${p}signal_points_total`,
    help: 'Positive points given in decisions, by signal',
    labelNames: ['signal'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [signal, s] of signals) this.inc({ signal }, s.points);
    },
  });

  new Counter({
    name: `${p}signal_negative_points_total`,
    help: 'Negative points given in decisions (e.g. reputation), as a positive sum, by signal',
    labelNames: ['signal'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [signal, s] of signals) if (s.credit > 0) this.inc({ signal }, s.credit);
    },
  });

  new Gauge({
    name: `${p}tracked_keys`,
    help: 'Keys held per statistics table, plus pending calls and holds',
    labelNames: ['table'],
    registers: [registry],
    collect() {
      this.reset();
      const e = current(engine);
      if (!e) return;
      for (const [table, n] of Object.entries(e.sizes())) this.set({ table }, n);
    },
  });

  // Evictions live on the engine's tables; if the engine is replaced (snapshot
  // load), what the old one evicted is kept so the counter never goes back.
  let seen: Engine | undefined;
  const evictBase: Record<string, number> = {};
  const evictLast: Record<string, number> = {};
  new Counter({
    name: `${p}evictions_total`,
    help: 'Coldest keys dropped per statistics table to stay within its entry limit',
    labelNames: ['table'],
    registers: [registry],
    collect() {
      this.reset();
      const e = current(engine);
      if (e && e !== seen) {
        for (const table of TABLES) evictBase[table] = (evictBase[table] ?? 0) + (evictLast[table] ?? 0);
        seen = e;
      }
      for (const table of TABLES) {
        if (e) evictLast[table] = e.tables[table].evictions;
        this.inc({ table }, (evictBase[table] ?? 0) + (evictLast[table] ?? 0));
      }
    },
  });

  // Hold probes live on the engine's counters: kept monotonic across an engine replaced by a snapshot load, as evictions are.
  const engineCounter = (name: string, help: string, read: (e: Engine) => number): void => {
    let owner: Engine | undefined;
    let base = 0;
    let last = 0;
    new Counter({
      name: `${p}${name}`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        const e = current(engine);
        if (e && e !== owner) {
          base += last;
          last = 0;
          owner = e;
        }
        if (e) last = read(e);
        this.inc(base + last);
      },
    });
  };
  engineCounter('hold_probes_total', "Calls of held callers let through to be scored on their signals (hold.probe), rejected ones included", (e) => e.counters.probes);
  engineCounter('hold_releases_total', 'Holds lifted by a probe call (or a waived call) that talked hold.release_talk', (e) => e.counters.releases);
  engineCounter('hold_admin_releases_total', 'Holds lifted by an operator (ringfence holds --release, POST /holds/release)', (e) => e.counters.adminReleases);
  engineCounter('hold_allow_releases_total', 'Holds dropped when the held caller called again from an allow list', (e) => e.counters.allowReleases);
  engineCounter('calls_withdrawn_total', 'Calls let through that the network never got to answer (next hop down or silent, no route): their attempts taken back, no outcome counted', (e) => e.counters.withdrawn);
  engineCounter('hold_waived_total', "Calls of held callers scored on their signals because a signal (retries) waived the hold, rejected ones included", (e) => e.counters.waived);

  new Counter({
    name: `${p}log_lines_dropped_total`,
    help: 'Log lines dropped because the log reader (journald, a log driver) fell 16 MiB behind; the call path never waits for it',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(droppedLogLines());
    },
  });
  const reloads = new Counter({ name: `${p}rule_reloads_total`, help: 'Rules reloads by result (failed: refused, old rules kept)', labelNames: ['result'], registers: [registry] });
  const loadedAt = new Gauge({ name: `${p}rules_loaded_timestamp_seconds`, help: 'When the running rules were loaded (start or last reload applied), unix seconds', registers: [registry] });
  // Info-style: one series, value 1, its labels say which rules run (as *_build_info does for builds).
  new Gauge({
    name: `${p}build_info`,
    help: 'The running Ringfence: version; always 1',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: opts.version ?? 'unknown' }, 1);
  const rulesInfo = new Gauge({
    name: `${p}rules_info`,
    help: 'The running rules: fingerprint (first 12 hex of sha256 over the rules file and its list files) and rules file; always 1',
    labelNames: ['fingerprint', 'file'],
    registers: [registry],
  });
  const snapshots = new Counter({ name: `${p}snapshots_total`, help: 'State snapshots written or loaded, by result', labelNames: ['result'], registers: [registry] });
  for (const result of ['ok', 'failed']) {
    reloads.inc({ result }, 0);
    snapshots.inc({ result }, 0);
  }

  new Counter({
    name: `${p}sip_responses_total`,
    help: 'SIP responses sent by Ringfence itself, by status code',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      this.reset();
      for (let i = 0; i < responses.length; i++) if ((responses[i] as number) > 0) this.inc({ code: String(i + 100) }, responses[i] as number);
      if (responsesOther > 0) this.inc({ code: 'other' }, responsesOther);
    },
  });

  new Counter({
    name: `${p}outcomes_total`,
    help: 'Call outcome events received; matched=false for unknown, rejected, expired or finished calls',
    labelNames: ['matched'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ matched: 'true' }, outcomes[1] as number);
      this.inc({ matched: 'false' }, outcomes[0] as number);
    },
  });

  new Counter({
    name: `${p}outcomes_lost_total`,
    help: 'Calls let through whose outcome never came before they left the pending table (drachtio mode), by what was still awaited: final_status or hangup',
    labelNames: ['waiting_for'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ waiting_for: 'final_status' }, lost.final);
      this.inc({ waiting_for: 'hangup' }, lost.hangup);
    },
  });

  new Counter({
    name: `${p}source_header_missing_total`,
    help: 'INVITEs without the --source-header the edge should stamp: screened with the packet source, so scopes and national_formats by trunk did not apply',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sourceHeaderMissing);
    },
  });

  new Counter({
    name: `${p}bad_messages_total`,
    help: `Malformed or hostile messages dropped or refused, by kind (at most ${MAX_KINDS} kinds, then 'other')`,
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, n] of badKinds) this.inc({ kind }, n);
    },
  });

  new Counter({
    name: `${p}engine_errors_total`,
    help: 'Engine exceptions (the call was failed open or closed and serving went on)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(engineErrors);
    },
  });

  new Counter({
    name: `${p}decision_log_errors_total`,
    help: 'Decision log lines that could not be built or written (the call was decided and answered as usual)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(logErrors);
    },
  });

  if (opts.sip) registerSipMetrics(registry, p, opts.sip);

  const events: ScreenEvents = {
    decision(d: Decision, seconds: number): void {
      const a = actionIndex(d.action);
      if (a >= 0) {
        const w = d.wouldBe === undefined ? 0 : actionIndex(d.wouldBe) + 1;
        const i = a * WOULD_BE + (w < 0 ? 0 : w);
        decisions[i] = (decisions[i] as number) + 1;
      }
      if (d.rejectedBy !== undefined && (d.action === 'reject' || d.wouldBe === 'reject')) {
        // The names come from the rules, but reloads can bring new ones: bounded all the same.
        let k = (d.action === 'reject' ? '0' : '1') + d.rejectedBy;
        if (!rejectsBy.has(k) && rejectsBy.size >= MAX_REJECT_SERIES) k = k[0] + 'other';
        rejectsBy.set(k, (rejectsBy.get(k) ?? 0) + 1);
      }
      const rs = d.reasons;
      for (let i = 0; i < rs.length; i++) {
        const r = rs[i];
        if (r === undefined) continue;
        let s = signals.get(r.signal);
        if (s === undefined) {
          s = { hits: 0, points: 0, credit: 0 };
          signals.set(r.signal, s);
        }
        s.hits++;
        // Counters only go up, so credits (negative points) get a counter of their own.
        const pts = r.points;
        if (pts > 0 && pts !== Infinity) s.points += pts;
        else if (pts < 0 && pts !== -Infinity) s.credit -= pts;
      }
      latency.record(seconds);
    },
    outcome(_o: CallOutcome, matched: boolean): void {
      outcomes[matched ? 1 : 0] = (outcomes[matched ? 1 : 0] as number) + 1;
    },
    responseSent(status: number): void {
      const i = status - 100;
      if (Number.isInteger(i) && i >= 0 && i < responses.length) responses[i] = (responses[i] as number) + 1;
      else responsesOther++;
    },
    outcomeLost(waitingFor: 'final' | 'hangup'): void {
      lost[waitingFor === 'hangup' ? 'hangup' : 'final']++;
    },
    sourceHeaderMissing(): void {
      sourceHeaderMissing++;
    },
    badMessage(kind: string): void {
      const n = badKinds.get(kind);
      if (n !== undefined) badKinds.set(kind, n + 1);
      else if (badKinds.size < MAX_KINDS) badKinds.set(String(kind), 1);
      else badKinds.set('other', (badKinds.get('other') ?? 0) + 1);
    },
    engineError(): void {
      engineErrors++;
    },
    logError(): void {
      logErrors++;
    },
  };

  return {
    registry,
    events,
    ruleReload: (ok) => reloads.inc({ result: ok ? 'ok' : 'failed' }),
    rulesLoaded: (live, atMs = Date.now()) => {
      loadedAt.set(atMs / 1000);
      // The old fingerprint's series goes: only the live rules are shown.
      rulesInfo.reset();
      rulesInfo.set({ fingerprint: live.fingerprint, file: live.file }, 1);
    },
    snapshot: (ok) => snapshots.inc({ result: ok ? 'ok' : 'failed' }),
  };
}

/** The engine, or undefined while none is built yet: a scrape must not fail for that. */
function current(engine: () => Engine): Engine | undefined {
  try {
    return engine() ?? undefined;
  } catch {
    return undefined;
  }
}
