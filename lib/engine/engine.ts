/**
 * The screening engine: decide(attempt) and observe(outcome), synchronous,
 * pure with respect to time (every event carries `at`) and bounded in memory.
 */
import { LRUCache } from 'lru-cache';
import { MAX_CACHED_RAW, NumberClassifier } from '../numbers/classify.js';
import { ValueLru } from '../cache/value-lru.js';
import { blockOf } from '../numbers/block.js';
import type { NumberInfo } from '../numbers/types.js';
import type { CompiledList, CompiledRules, CompiledScope, CompiledSignal, ListHit, NationalFormat, RejectSpec, ScopeInput } from './config.js';
import type { SignalContext, TableName } from './plugin.js';
import { PendingCalls } from './pending.js';
import { CancelEvidence } from './cancel-evidence.js';
import { actionFor, MONITOR_MARK, rejectHeaders, tagHeaders, total } from './score.js';
import { NUMBER_CODEC, numberKey } from './number-key.js';
import { EntryView, hash32, metricIndex, Population, Table, type KeyCodec, type Slot, type TableKey } from './stats.js';
import type { Action, CallAttempt, CallOutcome, Decision, Reason } from './types.js';

const ATTEMPTS = metricIndex('attempts');
const REJECTED = metricIndex('rejected');
const ANSWERED = metricIndex('answered');
const FAILED = metricIndex('failed');
const CANCELLED = metricIndex('cancelled');
const QUICK = metricIndex('quick');
const SHORT = metricIndex('short');
const TALK = metricIndex('talk');
const RETRIES = metricIndex('retries');
const REPEATS = metricIndex('repeats');
/** A block slot and a few bits of its generation, as the callee table keeps its last calling block (Table.from). */
const blockFromKey = (slot: number, gen: number): number => (slot * 16 + (gen & 15)) | 0;

export const TABLES: readonly TableName[] = ['caller', 'callee', 'pair', 'block', 'source'];

/**
 * A presented number as the engine last resolved it: its classification and
 * the table slots its keys had, so a number seen again needs no key lookups
 * in the caller, callee and block tables. A slot is trusted only while its
 * generation is unchanged (the key was not evicted since).
 */
interface NumberRef {
  info: NumberInfo;
  /** hash32 of the statistics key (E.164, else the classifier's key), for distinct sets. */
  hash: number;
  /**
   * Remembered slots (-1: none yet) and their generations: [0] in the caller
   * table (caller refs) or callee table (callee refs), [1] in the block table
   * (caller refs). Fields, not objects, so a new number costs one object.
   */
  slot0: number;
  gen0: number;
  slot1: number;
  gen1: number;
  /**
   * Each list's hit for this number as a caller (rules.lists order), NO_HITS
   * when none matches, undefined until first needed. Lists change only with
   * the rules, and refs are rebuilt on reload: a repeat caller costs no
   * list lookups (each was a Set probe plus a slice and a Map probe per
   * prefix length).
   */
  hits: readonly (ListHit | null)[] | undefined;
}

const NO_HITS: readonly (ListHit | null)[] = [];

interface Hold {
  until: number;
  why: string;
  /** When the reject that started it happened (extensions are capped from here). */
  since: number;
  /**
   * The call that last started or extended it: a reload with a shorter
   * hold ends it at this plus the new duration. Not in snapshots (a
   * restored hold is taken to be at its full length from there).
   */
  lastAt?: number;
  /** When the last probe call went through, else `since`: the next is due probeWait() after this. */
  probeAt: number;
  /** Probes taken so far: each one multiplies the wait for the next by hold.probe_backoff. */
  probes: number;
  /** Calls rejected on this hold (monitor mode: would have been), the reject that set it not included. */
  rejected: number;
  /**
   * The probe (its number, `probes` once taken) whose turn a challenge gave
   * back, else 0: that probe's retry, challenged again, gives nothing back.
   * Not in snapshots (pending calls are not either).
   */
  givenBack?: number;
  /** Set when signals with `probe: false` helped place it: never probed. */
  noProbe?: boolean;
}

/** A hold as `/holds` and `ringfence holds` show it. */
export interface HoldView {
  caller: string;
  since: number;
  until: number;
  rejected: number;
  probes: number;
  /** false: never probed (a signal with probe: false placed it or scored one of its probes). */
  probed: boolean;
  why: string;
}

/** What a probe's (or waived call's) pending row remembers: whose hold it may lift, and which hold (a newer one is not lifted by an older call). */
interface ProbeLink {
  caller: string;
  hold: Hold;
  /** A probe's (its challenge gives the probe's turn back), or a waived call's (nothing to give back). */
  probe: boolean;
}

export interface EngineOptions {
  /** Share a classifier (and its cache) between engines; built from the rules when absent. */
  classifier?: NumberClassifier;
  /** Cache size for the default classifier. */
  numberCache?: number;
}

export interface EngineCounters {
  decisions: number;
  outcomes: number;
  outcomesUnmatched: number;
  errors: number;
  /** Calls of held callers let through to be scored on their signals (hold.probe), rejected ones included. */
  probes: number;
  /** Holds lifted by a probe's or waived call's conversation (hold.release_talk). */
  releases: number;
  /** Holds dropped because the caller is now on an allow list. */
  allowReleases: number;
  /** Calls let through that the network never got to answer (Engine#withdraw): their attempts taken back. */
  withdrawn: number;
  /** Holds lifted by an operator (the admin endpoint's /holds/release, `ringfence holds --release`). */
  adminReleases: number;
  /** Calls of held callers scored on their signals because a signal waived the hold (SignalPlugin.waivesHold), rejected ones included. */
  waived: number;
}

/** The order of holdList: most rejected calls first, then the oldest hold, then by caller (a total order: callers are unique). */
function holdOrder(a: [string, Hold], b: [string, Hold]): number {
  return b[1].rejected - a[1].rejected || a[1].since - b[1].since || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

export class Engine {
  private r: CompiledRules;
  private classifier: NumberClassifier;
  readonly tables: Record<TableName, Table>;
  readonly population = new Population();
  /** Whether recent outcomes carry caller cancels; while they do not, no-answers after ringing count as cancelled. */
  private readonly cancelEvidence = new CancelEvidence();
  /** Let-through calls awaiting outcomes; each row keeps its table slots in TABLES order, so outcomes need no lookups. */
  private readonly pending: PendingCalls<ProbeLink>;
  private readonly holds: LRUCache<string, Hold>;
  /** Windows of the caller table that feed the population baseline, as table indexes. */
  private popWindows: number[] = [];
  readonly counters: EngineCounters = { decisions: 0, outcomes: 0, outcomesUnmatched: 0, errors: 0, probes: 0, releases: 0, withdrawn: 0, allowReleases: 0, adminReleases: 0, waived: 0 };
  private readonly opts: EngineOptions;
  /** Raw caller and callee strings → NumberRef; rebuilt on reload (home country or block size may change). */
  private callerRefs: ValueLru<NumberRef, TableKey>;
  private calleeRefs: ValueLru<NumberRef, TableKey>;
  /** Caller refs of raw numbers read in another country's format (national_formats), keyed "CC raw": one bounded cache whatever the number of countries. */
  private foreignRefs: ValueLru<NumberRef, TableKey>;
  /** The tables in TABLES order: indexing this beats a keyed lookup by table name in the per-call loops. */
  private readonly tableList: Table[];
  /** Reused per call (see EntryView); TABLES order. */
  private readonly views: EntryView[];
  private readonly entries: (Slot | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  /** One signal context, re-pointed for every call (plugins must not keep it beyond score()). */
  private readonly ctx: SignalContext;

  constructor(rules: CompiledRules, opts: EngineOptions = {}) {
    this.opts = opts;
    this.r = rules;
    this.classifier = opts.classifier ?? new NumberClassifier({ home: rules.homeCountry, cacheSize: OWN_CLASSIFIER_CACHE });
    this.callerRefs = new ValueLru(this.refCacheSize());
    this.calleeRefs = new ValueLru(this.refCacheSize());
    this.foreignRefs = new ValueLru(this.foreignCacheSize());
    const s = rules.stats;
    this.tables = {
      caller: new Table('caller', s.max.caller, s.distinctCap),
      callee: new Table('callee', s.max.callee, s.distinctCap),
      pair: new Table('pair', s.max.pair, s.distinctCap),
      block: new Table('block', s.max.block, s.distinctCap),
      source: new Table('source', s.max.source, s.distinctCap),
    };
    for (const n of ['caller', 'callee', 'block'] as const) this.tables[n].codec = NUMBER_CODEC;
    this.tableList = TABLES.map((n) => this.tables[n]);
    this.views = TABLES.map((n) => new EntryView(this.tables[n]));
    this.pending = new PendingCalls<ProbeLink>(s.max.pending, TABLES.length);
    this.holds = new LRUCache<string, Hold>({ max: s.max.hold });
    const v = this.views;
    this.ctx = {
      now: 0,
      attempt: { callId: '', at: 0, caller: '', callee: '' },
      caller: this.classifier.classify(''),
      callee: this.classifier.classify(''),
      callerVariants: NO_VARIANTS,
      homeCountry: rules.homeCountry,
      settings: { shortCall: s.shortCall, quickRing: s.quickRing, blockDigits: s.blockDigits, retryWindow: s.retryWindow },
      stats: { caller: v[0] as EntryView, callee: v[1] as EntryView, pair: v[2] as EntryView, block: v[3] as EntryView, source: v[4] as EntryView },
      population: this.population,
      cancels: true,
    };
    this.register(rules);
  }

  get rules(): CompiledRules {
    return this.r;
  }

  /**
   * Swap rules between two calls. Statistics are kept: new windows are added
   * (empty until traffic fills them), table limits stay as first configured.
   */
  /**
   * Take new rules. Holds in force follow a shorter hold: each ends as the
   * new rules would have it, its last start or extension plus the new
   * duration, within the new max from its start; hold.duration 0 lifts them
   * all. A longer hold applies to holds placed or extended from now on.
   * `at` (the wall clock of the reload) leaves holds already over out of
   * the counts returned.
   */
  reload(rules: CompiledRules, at = -Infinity): { holdsShortened: number; holdsLifted: number } {
    const held = this.adjustHolds(this.r.hold, rules.hold, at);
    this.apply(rules);
    return held;
  }

  private adjustHolds(was: CompiledRules['hold'], now: CompiledRules['hold'], at: number): { holdsShortened: number; holdsLifted: number } {
    let holdsShortened = 0;
    let holdsLifted = 0;
    if (this.holds.size === 0) return { holdsShortened, holdsLifted };
    if (now.duration === 0) {
      for (const h of this.holds.values()) if (h.until > at) holdsLifted++;
      // The callers' HELD marks stay: a mark only sends the check to the (now empty) hold table.
      this.holds.clear();
      return { holdsShortened, holdsLifted };
    }
    if (now.duration >= was.duration && !(now.max > 0 && (was.max === 0 || now.max < was.max))) return { holdsShortened, holdsLifted };
    for (const h of this.holds.values()) {
      // A restored hold has no lastAt: its end less the old duration is its last start or extension unless a max capped it.
      const last = h.lastAt ?? h.until - was.duration;
      let until = Math.min(h.until, last + now.duration);
      if (now.max > 0 && Number.isFinite(h.since)) until = Math.min(until, h.since + now.max);
      if (until < h.until) {
        if (h.until > at) holdsShortened++;
        h.until = until;
      }
    }
    return { holdsShortened, holdsLifted };
  }

  private apply(rules: CompiledRules): void {
    if (rules.homeCountry !== this.r.homeCountry && !this.opts.classifier) {
      this.classifier = new NumberClassifier({ home: rules.homeCountry, cacheSize: OWN_CLASSIFIER_CACHE });
    }
    this.register(rules);
    this.r = rules;
    this.callerRefs = new ValueLru(this.refCacheSize());
    this.calleeRefs = new ValueLru(this.refCacheSize());
    this.foreignRefs = new ValueLru(this.foreignCacheSize());
    const s = rules.stats;
    this.ctx.homeCountry = rules.homeCountry;
    this.ctx.settings = { shortCall: s.shortCall, quickRing: s.quickRing, blockDigits: s.blockDigits, retryWindow: s.retryWindow };
  }

  private register(rules: CompiledRules): void {
    let retries = false;
    let blockRetries = false;
    this.waivers = new Map();
    for (const scope of [rules.base, ...rules.scopes]) {
      for (const s of scope.signals) {
        for (const need of s.plugin.needs?.(s.cfg) ?? []) {
          const t = this.tables[need.table];
          if (need.window) t.addWindow(need.window);
          if (need.distinct && need.window) t.distinctRetention = Math.max(t.distinctRetention, need.window);
          if (need.table === 'caller' && need.window) this.population.addWindow(need.window);
          if (need.retries) {
            if (need.table === 'block') blockRetries = true;
            else retries = true;
          }
        }
      }
      const waivers = scope.signals.filter((s) => !s.monitor && s.plugin.waivesHold?.(s.cfg) === true);
      if (waivers.length > 0) this.waivers.set(scope, waivers);
    }
    // Whether a call is a retry is read off the pair's last two call times (Table.keepLast). Rules that
    // read no retries drop them, so the pair table costs nothing when nothing else reads it either, and
    // rules that read them again start afresh, as after a restart, not from times gone stale meanwhile.
    this.retryWindow = retries || blockRetries ? rules.stats.retryWindow : 0;
    this.pairRetries = retries;
    if (retries) this.tables.pair.keepLast();
    else this.tables.pair.dropLast();
    // A block's callbacks are read off each callee's last calling block (Table.keepFrom), likewise only when
    // read. Turned off, what is kept stays (not read, not updated): a table never goes back to untracked, as
    // the pair table's number keys need the callee table tracked. Turned on again, it starts afresh.
    if (blockRetries && !this.blockRetries) this.tables.callee.keepFrom();
    this.blockRetries = blockRetries;
    const caller = this.tables.caller;
    this.popWindows = this.population.windowList.map((w) => caller.windowIndex(w));
    const callee = this.tables.callee;
    // Pairs are keyed by the caller's and callee's slots when both are tracked: a number
    // key is several times cheaper to find in a million-entry map than "caller>callee" text.
    this.numericPairs = tracked(caller) && tracked(callee) && caller.cache.max <= PAIR_SLOTS && callee.cache.max <= PAIR_SLOTS;
    this.tables.pair.codec = this.numericPairs ? this.pairCodec : null;
  }

  private numericPairs = false;
  /** The caller counter (RETRIES or REPEATS) record() added for the call it just counted, -1 for none. */
  private retryKind = -1;
  /** The pair's call time before the last that record() pushed out for the call it just counted (NaN for none). */
  private pairPrev = NaN;
  /** How soon after a call to the same callee a call is a retry, ms (0: no signal reads retries, none are counted). */
  private retryWindow = 0;
  /** Whether callers' retries and repeats are counted (from the pair table's call times). */
  private pairRetries = false;
  /** Whether number blocks' callbacks are counted (from the callee table's last calling block). */
  private blockRetries = false;
  /** Whether record() counted the call it just counted as a callback of its block. */
  private blockRetry = 0;
  /** The callee's last calling block and its time before record() overwrote them for the call it just counted. */
  private fromPrev = -1;
  private fromPrevAt = NaN;
  /** Per scope, the signals that may waive a hold (SignalPlugin.waivesHold); scopes without any are absent. */
  private waivers = new Map<CompiledScope, CompiledSignal[]>();

  /** A pair's number key: both slots, and a few bits of their generations so most keys of earlier owners differ. */
  private pairKey(cs: Slot, es: Slot): number {
    const g = ((this.tables.caller.gen(cs) * 5 + this.tables.callee.gen(es)) & 15) >>> 0;
    return (cs * PAIR_SLOTS + es) * 16 + g;
  }

  /** "caller>callee" text ↔ number keys, for snapshots and inspection. */
  private readonly pairCodec: KeyCodec = {
    stored: (text) => {
      const i = text.indexOf('>');
      if (i < 0) return undefined;
      const cs = this.tables.caller.peek(text.slice(0, i));
      const es = this.tables.callee.peek(text.slice(i + 1));
      return cs === undefined || es === undefined ? undefined : this.pairKey(cs, es);
    },
    text: (k) => {
      if (typeof k === 'string') return k;
      const g = k % 16;
      const rest = (k - g) / 16;
      const es = rest % PAIR_SLOTS;
      const cs = (rest - es) / PAIR_SLOTS;
      if (this.pairKey(cs, es) !== k) return undefined;
      const ck = this.tables.caller.keyText(cs);
      const ek = this.tables.callee.keyText(es);
      return ck !== undefined && ek !== undefined ? `${ck}>${ek}` : undefined;
    },
  };

  classify(raw: string): NumberInfo {
    return this.classifier.classify(raw);
  }

  private refCacheSize(): number {
    return Math.max(1, Math.floor(this.opts.numberCache ?? 200_000));
  }

  /** Foreign-format caller IDs are the exception: a quarter of the number cache. */
  private foreignCacheSize(): number {
    return Math.max(1, Math.floor(this.refCacheSize() / 4));
  }

  /**
   * The NumberRef of a presented number; junk too long to cache gets a fresh
   * one. Looked up without touching recency, so the oldest ref goes first
   * when full: a ref is only a shortcut (its slots are checked by
   * generation), and keeping recency cost a linked-list update per lookup.
   */
  private refOf(cache: ValueLru<NumberRef, TableKey>, raw: string, country: string | null = null): NumberRef {
    const cacheable = typeof raw === 'string' && raw.length <= MAX_CACHED_RAW;
    const key = !cacheable ? raw : country === null ? numberKey(raw) : `${country} ${raw}`;
    let ref = cacheable ? cache.peek(key) : undefined;
    if (ref === undefined) {
      const info = this.classifyCaller(raw, country);
      ref = { info, hash: hash32(info.e164 ?? info.key ?? ''), slot0: -1, gen0: 0, slot1: -1, gen1: 0, hits: undefined };
      if (cacheable) cache.add(key, ref);
    }
    return ref;
  }

  /** Each list's hit for an E.164 caller (rules.lists order), or NO_HITS when none matches. */
  private listHits(e164: string): readonly (ListHit | null)[] {
    const lists = this.r.lists;
    let hits: (ListHit | null)[] | undefined;
    for (let i = 0; i < lists.length; i++) {
      const hit = (lists[i] as (typeof lists)[number]).lookup(e164);
      if (hit === null) continue;
      hits ??= new Array<ListHit | null>(lists.length).fill(null);
      hits[i] = hit;
    }
    return hits ?? NO_HITS;
  }

  /**
   * The country whose format a call's caller IDs are written in when its
   * source is in `national_formats` (null: the home country's, as usual).
   */
  private nationalFormatOf(source: string | undefined): string | null {
    const nf = this.r.nationalFormats;
    for (let i = 0; i < nf.length; i++) {
      const f = nf[i] as NationalFormat;
      if (f.matches(source)) return f.country === this.r.homeCountry ? null : f.country;
    }
    return null;
  }

  /** The ref of a caller ID as presented on a call whose caller IDs are written in `country`'s format (null: home). */
  private callerRefOf(raw: string, country: string | null): NumberRef {
    // "+" and digits read the same whatever the country: those share the usual cache.
    if (country === null || typeof numberKey(raw) === 'number') return this.refOf(this.callerRefs, raw);
    return this.refOf(this.foreignRefs, raw, country);
  }

  /** A number classified as presented in `country`'s format (null: home), touching no ref cache (refOf, previews). */
  private classifyCaller(raw: string, country: string | null): NumberInfo {
    return country === null ? this.classifier.classify(raw) : this.classifier.classifyAs(raw, country);
  }

  private scopeFor(input: ScopeInput): CompiledScope {
    const scopes = this.r.scopes;
    for (let i = 0; i < scopes.length; i++) {
      const s = scopes[i] as CompiledScope;
      if (s.match?.(input)) return s;
    }
    return this.r.base;
  }

  decide(attempt: CallAttempt): Decision {
    this.counters.decisions++;
    const t = attempt.at;
    const rules = this.r;
    const national = rules.nationalFormats.length === 0 ? null : this.nationalFormatOf(attempt.source);
    const cref = this.callerRefOf(attempt.caller, national);
    const eref = this.refOf(this.calleeRefs, attempt.callee);
    const caller = cref.info;
    const callee = eref.info;
    const scope = rules.scopes.length === 0 ? rules.base : this.scopeFor({ at: t, source: attempt.source, caller, callee });
    // Count first: signals score a call with itself included (the first call of a burst is attempt 1, not 0).
    const ck = this.record(attempt, cref, eref, t);
    const hits = caller.e164 === null ? NO_HITS : (cref.hits ??= this.listHits(caller.e164));
    const { decision, counted, own, byBehaviour, probe, lift, noProbe } = this.evaluate(attempt, caller, callee, scope, t, ck, this.entries, false, national, hits);

    if (decision.monitor !== true && decision.action === 'reject') {
      // A new hold also replaces an expired one still in the table.
      if (byBehaviour && rules.hold.duration > 0 && ck !== undefined && !((this.holds.peek(ck)?.until ?? -Infinity) > t)) {
        const top = topReason(decision.reasons, own ?? counted);
        // normalize() returns the text flat: as built it is a tree of a dozen string pieces, which a
        // table of 100,000 holds kept for the garbage collector to trace on every full collection.
        const why = `reject at ${isoSeconds(t)} (${top ? `${top.signal}: ${top.detail}` : `score ${decision.score}`})`.normalize();
        const hold: Hold = { until: t + rules.hold.duration, since: t, lastAt: t, probeAt: t, probes: 0, rejected: 0, why };
        // Worked out whether probes are on or not: a reload may turn them on for the holds in force.
        if (noProbe) hold.noProbe = true;
        this.holds.set(ck, hold);
        const slot = this.entries[0];
        if (slot !== undefined) this.tables.caller.setMark(slot, HELD);
      }
      this.bumpNow(REJECTED, t);
    }
    // A probe that shows such evidence ends the probing of its hold, rejected or not.
    if (probe !== undefined && noProbe) probe.noProbe = true;
    if (decision.action !== 'reject') {
      const row = this.addPending(attempt.callId, t);
      // Only a probe's own outcome may lift its hold: the link lives on this call's pending row.
      // In monitor mode a probe that enforcement would have rejected lifts nothing either.
      if (probe !== undefined && ck !== undefined && decision.wouldBe !== 'reject') this.pending.attach(row, { caller: ck, hold: probe, probe: true });
      else if (lift !== undefined && ck !== undefined && decision.wouldBe !== 'reject') this.pending.attach(row, { caller: ck, hold: lift, probe: false });
    }
    return decision;
  }

  /**
   * The decision a call would get now, changing nothing: no statistics,
   * pending call, hold or counter is recorded, holds are not extended and LRU
   * recency is not touched. Signals read the counts as they stand, so this
   * call itself is not counted: a caller with 3 attempts is scored on 3,
   * where decide() would score it on 4. Meant for inspection, not serving.
   */
  preview(attempt: CallAttempt): Decision {
    const t = attempt.at;
    const rules = this.r;
    const national = rules.nationalFormats.length === 0 ? null : this.nationalFormatOf(attempt.source);
    const caller = this.classifyCaller(attempt.caller, national);
    const callee = this.classifier.classify(attempt.callee);
    const scope = rules.scopes.length === 0 ? rules.base : this.scopeFor({ at: t, source: attempt.source, caller, callee });
    const keys = this.keysFor(caller, callee, attempt.source);
    const entries = keys.map((k, i) => (k === undefined ? undefined : (this.tableList[i] as Table).peek(k)));
    // context() moves the population clock; put it back so a preview at another time leaves no trace.
    const now = this.population.now;
    try {
      const hits = caller.e164 === null ? NO_HITS : this.listHits(caller.e164);
      return this.evaluate(attempt, caller, callee, scope, t, keys[0], entries, true, national, hits).decision;
    } finally {
      this.population.now = now;
    }
  }

  /**
   * Lists, hold and signals → decision, shared by decide() and preview().
   * Reads state only, except (when not `dry`) the hold's LRU recency and its
   * extension while the caller keeps calling.
   */
  private evaluate(
    attempt: CallAttempt,
    caller: NumberInfo,
    callee: NumberInfo,
    scope: CompiledScope,
    t: number,
    callerKey: string | undefined,
    entries: readonly (Slot | undefined)[],
    dry: boolean,
    national: string | null,
    hits: readonly (ListHit | null)[],
  ): { decision: Decision; counted: boolean[]; own: boolean[] | undefined; byBehaviour: boolean; probe: Hold | undefined; lift: Hold | undefined; noProbe: boolean } {
    const rules = this.r;
    const reasons: Reason[] = [];
    const counted: boolean[] = [];
    let hard: RejectSpec | undefined;
    /** The rule that rejects this call outright (a deny list, a signal with action: reject), if any. */
    let hardBy: string | undefined;
    /** Whether the caller's hold alone decides (a held caller's signals are not scored). */
    let held = false;
    let allowed = false;

    if (hits !== NO_HITS) {
      // Indexed loops on the per-call path: for-of allocated an iterator and a result object per step here.
      for (let li = 0; li < rules.lists.length; li++) {
        const list = rules.lists[li] as (typeof rules.lists)[number];
        const hit = hits[li];
        if (hit === null || hit === undefined) continue;
        const what = hit.exact ? 'number' : `prefix ${hit.match}`;
        if (list.action === 'allow') {
          const detail = `caller on allow list '${list.name}' (${what})`;
          reasons.push({ signal: `list:${list.name}`, points: 0, detail: list.monitor ? MONITOR_MARK + detail : detail });
          counted.push(false);
          // A monitored allow list reports the hit and lets the call be scored as usual (and its hold stand).
          if (list.monitor) continue;
          allowed = true;
          break;
        }
        const points = list.action === 'reject' ? scope.thresholds.reject : list.points;
        const detail = `caller on ${list.action === 'reject' ? 'deny ' : ''}list '${list.name}' (${what})`;
        reasons.push({ signal: `list:${list.name}`, points, detail: list.monitor ? MONITOR_MARK + detail : detail });
        counted.push(!list.monitor);
        if (list.action === 'reject' && !list.monitor && hard === undefined) {
          hard = list.reject ?? scope.reject;
          hardBy = `list:${list.name}`;
        }
      }
    }

    let action: Action;
    let score = 0;
    let byBehaviour = false;
    /** Whether a signal with probe: false scored this call on the caller's own evidence: a hold it places, or probes, is never probed. */
    let noProbe = false;
    /** `counted` without the reasons that cannot put the caller on hold (hold: false), when any scored. */
    let own: boolean[] | undefined;
    /** The hold this call probes (a held caller's call let through to its signals). */
    let probe: Hold | undefined;
    /** The hold a waived call's conversation may lift. */
    let lift: Hold | undefined;
    if (allowed) {
      action = 'forward';
      // An allow list vouches for the caller: its hold goes, so that taking it off the list
      // later does not bring back a hold set before it was put there.
      if (!dry && callerKey !== undefined && this.holds.size > 0 && this.holds.delete(callerKey)) {
        this.counters.allowReleases++;
        const slot = entries[0];
        if (slot !== undefined) this.tables.caller.setMark(slot, 0);
      }
    } else {
      // The caller table's mark says whether a tracked caller may be held, so most calls skip the hold lookup.
      const slot = entries[0];
      let hold: Hold | undefined;
      if (callerKey !== undefined && this.holds.size > 0 && (slot === undefined || this.tables.caller.mark(slot) === HELD)) {
        hold = dry ? this.holds.peek(callerKey) : this.holds.get(callerKey);
        if (hold === undefined && slot !== undefined && !dry) this.tables.caller.setMark(slot, 0);
        // A preview of a moment before the hold was placed (inspect --at in the past) is not under it.
        if (dry && hold !== undefined && hold.since > t) hold = undefined;
      }
      /** The waiver signal that has this held caller's call scored after all (good behaviour shown while held), if any. */
      let waivedBy: string | null = null;
      let ctx: SignalContext | undefined;
      if (hold !== undefined && hold.until > t) {
        const probing = rules.hold.probe > 0 && t - hold.probeAt >= this.probeWait(hold);
        const waivers = probing || hard !== undefined ? undefined : this.waivers.get(scope);
        if (waivers !== undefined) {
          ctx = this.context(attempt, caller, callee, t, entries, dry, national);
          waivedBy = waiverFor(waivers, ctx, hits, rules.lists);
        }
        // Extend first, so the reason names the end that now applies. A waived call does not extend
        // it: the hold runs out once the caller stops showing the behaviour that waived it.
        // Capped, so a caller that keeps calling is judged afresh on its behaviour at some point.
        if (!dry && rules.hold.extend && waivedBy === null) {
          const cap = rules.hold.max > 0 ? hold.since + rules.hold.max : Infinity;
          hold.until = Math.max(hold.until, Math.min(t + rules.hold.duration, cap));
          hold.lastAt = t;
        }
        if (probing) {
          // A probe: this call is judged on its signals alone, and if it goes through its
          // outcome can lift the hold (observe). A preview shows it but does not use it up.
          probe = hold;
          if (!dry) {
            hold.probeAt = t;
            hold.probes++;
            this.counters.probes++;
          }
          reasons.push({ signal: 'hold', points: 0, detail: `probe call of a caller on hold until ${isoSeconds(hold.until)} after ${hold.why}` });
          counted.push(false);
        } else if (waivedBy !== null) {
          // Scored like a probe, and like a probe its conversation can lift the hold (observe).
          lift = hold;
          if (!dry) this.counters.waived++;
          reasons.push({ signal: 'hold', points: 0, detail: `hold waived for this call by ${waivedBy}: caller on hold until ${isoSeconds(hold.until)} after ${hold.why}` });
          counted.push(false);
        } else {
          reasons.push({ signal: 'hold', points: scope.thresholds.reject, detail: `caller on hold until ${isoSeconds(hold.until)} after ${hold.why}` });
          counted.push(true);
        }
      }
      // A held caller is rejected on the hold alone, which names the evidence it was
      // held for: scoring its signals again would change nothing and, in a flood
      // from held callers, would be most of the work. A probe is scored.
      held = hold !== undefined && hold.until > t && probe === undefined && waivedBy === null;
      if (!held) ctx ??= this.context(attempt, caller, callee, t, entries, dry, national);
      const signals = scope.signals;
      /** Indexes of the counted reasons whose evidence is about other numbers (hold: false). */
      let foreignAt: number[] | undefined;
      // Flagged by signal, not looked up by reason id afterwards: ids are the file's keys, and one may read like a list's reason.
      if (!held && ctx !== undefined) for (let si = 0; si < signals.length; si++) {
        const s = signals[si] as (typeof signals)[number];
        if (s.unless !== undefined && hits !== NO_HITS && listedIn(hits, s.unless, rules.lists)) continue;
        const r = s.plugin.score(ctx, s.cfg);
        if (r === null || !(Number.isFinite(r.points))) continue;
        const points = Math.round(r.points * 10) / 10;
        reasons.push({ signal: s.id, points, detail: s.monitor ? MONITOR_MARK + r.detail : r.detail });
        counted.push(!s.monitor);
        if (s.holds === false && !s.monitor) (foreignAt ??= []).push(reasons.length - 1);
        else if (s.probes === false && !s.monitor && points > 0) noProbe = true;
        if (s.action === 'reject' && !s.monitor && hard === undefined) {
          hard = s.reject ?? scope.reject;
          hardBy = s.id;
        }
      }
      score = total(reasons, counted);
      action = hard ? 'reject' : actionFor(score, scope.thresholds);
      // The caller's own evidence must reach the reject threshold to hold it: points about its
      // number block or its callee reject this call, and the next is judged on them afresh.
      byBehaviour = action === 'reject' && !hard;
      if (byBehaviour && foreignAt !== undefined) {
        // The hold counts and quotes the caller's own evidence, never its neighbours'.
        own = counted.slice();
        for (const i of foreignAt) own[i] = false;
        byBehaviour = total(reasons, own) >= scope.thresholds.reject;
      }
      // Counted once the action is known: a score list with negative points can bring a held caller under
      // the reject threshold, and that call goes through. (In monitor mode `action` is the would-be one.)
      // A list that rejects outright decides the call itself (rejected_by names the list), not the hold.
      if (held && !dry && action === 'reject' && !hard) (hold as Hold).rejected++;
    }

    const decision: Decision = {
      callId: attempt.callId,
      action,
      score,
      reasons,
      scope: scope.name,
      caller: caller.e164 ?? caller.key,
      callee: callee.e164 ?? callee.key,
    };
    if (action === 'reject') {
      decision.rejectedBy = hardBy ?? (held ? 'hold' : 'score');
      const spec = hard ?? (held && scope.holdReject !== undefined ? scope.holdReject : this.rejectSpecFor(scope, reasons, counted));
      decision.code = spec.code;
      decision.phrase = spec.phrase;
      const h = rejectHeaders(spec);
      if (h) decision.headers = h;
    } else if (action === 'tag') {
      decision.headers = tagHeaders(scope, score, reasons);
      if (scope.tag.displayPrefix) decision.displayPrefix = scope.tag.displayPrefix;
    }

    if (rules.monitor || scope.monitor) {
      decision.monitor = true;
      decision.wouldBe = action;
      decision.action = 'forward';
      delete decision.code;
      delete decision.phrase;
      delete decision.headers;
      delete decision.displayPrefix;
    }
    return { decision, counted, own, byBehaviour, probe, lift, noProbe };
  }

  /** The reject answer of the rule that contributed most, else the scope's. */
  private rejectSpecFor(scope: CompiledScope, reasons: Reason[], counted: boolean[]): RejectSpec {
    let best: RejectSpec | undefined;
    let bestPoints = -Infinity;
    for (let i = 0; i < reasons.length; i++) {
      const r = reasons[i] as Reason;
      if (!counted[i] || r.points <= bestPoints) continue;
      const sig = scope.signals.find((s) => s.id === r.signal);
      if (sig?.reject) {
        best = sig.reject;
        bestPoints = r.points;
      }
    }
    return best ?? scope.reject;
  }

  /**
   * decide() that never throws: a failure forwards the call (fail-open, the
   * default) or rejects it (fail-closed), with an 'error' reason, and is counted.
   */
  decideSafe(attempt: CallAttempt): Decision & { error?: unknown } {
    try {
      return this.decide(attempt);
    } catch (error) {
      this.counters.errors++;
      const closed = this.r.failMode === 'closed';
      const d: Decision & { error?: unknown } = {
        callId: String(attempt?.callId ?? ''),
        action: closed ? 'reject' : 'forward',
        score: 0,
        reasons: [{ signal: 'error', points: 0, detail: `engine error, failing ${closed ? 'closed' : 'open'}: ${(error as Error)?.message ?? error}` }],
        scope: 'error',
        caller: String(attempt?.caller ?? ''),
        callee: String(attempt?.callee ?? ''),
        error,
      };
      if (closed) {
        d.rejectedBy = 'error';
        const spec = this.r.base.reject;
        d.code = spec.code;
        d.phrase = spec.phrase;
        // A rules file answering 603 with a Reason sends it on a fail-closed reject too.
        const h = rejectHeaders(spec);
        if (h) d.headers = h;
      }
      return d;
    }
  }

  /**
   * The statistics keys of a call, in TABLES order (caller, callee, pair,
   * block, source); undefined where the call has no key in that table.
   */
  keysFor(caller: NumberInfo, callee: NumberInfo, source?: string): (string | undefined)[] {
    // Withheld or unparseable caller IDs share no identity: counting them under one key would make every anonymous caller look like one flooder.
    const ck = caller.e164 ?? undefined;
    const ek = callee.e164 ?? (callee.key || undefined);
    return [
      ck,
      ek,
      ck !== undefined && ek !== undefined ? `${ck}>${ek}` : undefined,
      ck !== undefined ? blockOf(ck, this.r.stats.blockDigits) : undefined,
      source || undefined,
    ];
  }

  /**
   * Count the attempt in every table a signal reads (the same keys as
   * keysFor()); returns the caller key. Slots remembered in the refs save
   * the caller, callee and block lookups for numbers seen before.
   */
  private record(attempt: CallAttempt, cref: NumberRef, eref: NumberRef, t: number): string | undefined {
    const tb = this.tables;
    const entries = this.entries;
    // Withheld or unparseable caller IDs share no identity: counting them under one key would make every anonymous caller look like one flooder.
    const ck = cref.info.e164 ?? undefined;
    const ek = eref.info.e164 ?? (eref.info.key || undefined);
    for (let i = 0; i < 5; i++) entries[i] = undefined;
    this.retryKind = -1;
    this.pairPrev = NaN;
    this.blockRetry = 0;
    this.fromPrev = -1;
    this.fromPrevAt = NaN;

    let table = tb.caller;
    if (ck !== undefined && tracked(table)) {
      const e = ownSlot(table, cref, ck, t);
      entries[0] = e;
      table.add(e, ATTEMPTS, t, 1);
      if (table.distinctRetention > 0 && ek !== undefined) table.addDistinct(e, eref.hash, t);
      // A caller new to the table (or back after eviction) may still be on hold.
      if (table.created && this.holds.size > 0 && this.holds.has(ck)) table.setMark(e, HELD);
      this.recordPopulation(table, e, t);
    }
    table = tb.callee;
    if (ek !== undefined && tracked(table)) {
      const e = ownSlot(table, eref, ek, t);
      entries[1] = e;
      table.add(e, ATTEMPTS, t, 1);
      if (table.distinctRetention > 0 && ck !== undefined) table.addDistinct(e, cref.hash, t);
    }
    table = tb.pair;
    if (ck !== undefined && ek !== undefined && tracked(table)) {
      const cs = entries[0];
      const es = entries[1];
      let e: Slot;
      if (this.numericPairs && cs !== undefined && es !== undefined) {
        e = table.touch(this.pairKey(cs, es), t);
        // A pair left by an earlier owner of a reused caller or callee slot predates
        // the number that owns the slot now: it is not this pair's history, nor are the outcomes of its calls.
        if (!table.created && table.first(e) < Math.max(tb.caller.first(cs), tb.callee.first(es))) table.renew(e, t);
      } else {
        e = table.touch(`${ck}>${ek}`, t);
      }
      entries[2] = e;
      table.add(e, ATTEMPTS, t, 1);
      if (this.pairRetries) {
        // Exact, from the pair's last two call times: a sliding-window estimate of its attempts
        // missed calls back that crossed a bucket boundary and counted some from before the window.
        const w = this.retryWindow;
        if (t - table.last(e) < w && cs !== undefined) {
          this.retryKind = t - table.prev(e) < w ? REPEATS : RETRIES;
          tb.caller.add(cs, this.retryKind, t, 1);
        }
        this.pairPrev = table.prev(e);
        table.pushLast(e, t);
      }
    }
    table = tb.block;
    if (ck !== undefined && tracked(table)) {
      const e = blockSlot(table, cref, ck, t, this.r.stats.blockDigits);
      entries[3] = e;
      table.add(e, ATTEMPTS, t, 1);
      if (table.distinctRetention > 0) table.addDistinct(e, cref.hash, t);
      const es = entries[1];
      if (this.blockRetries && es !== undefined) {
        // A callback of the block: the callee's last call came from this block (any of its numbers),
        // less than the retry window ago. A business calls back the customers it missed from whichever
        // of its lines is free; a campaign rotating through a block moves on to fresh numbers.
        const callee = tb.callee;
        const key = blockFromKey(e, table.gen(e));
        this.fromPrev = callee.from(es);
        this.fromPrevAt = callee.fromTime(es);
        if (this.fromPrev === key && t - this.fromPrevAt < this.retryWindow) {
          table.add(e, RETRIES, t, 1);
          this.blockRetry = 1;
        }
        callee.setFrom(es, key, t);
      }
    }
    table = tb.source;
    const source = attempt.source;
    if (source && tracked(table)) {
      const e = table.touch(source, t);
      entries[4] = e;
      table.add(e, ATTEMPTS, t, 1);
      if (table.distinctRetention > 0 && ck !== undefined) table.addDistinct(e, cref.hash, t);
    }
    return ck;
  }

  private recordPopulation(table: Table, e: Slot, t: number): void {
    const ws = this.popWindows;
    for (let i = 0; i < ws.length; i++) {
      const k = ws[i] as number;
      if (k < 0) continue;
      this.population.record(table.windows[k] as number, t, table.current(e, k, ATTEMPTS));
    }
  }

  /**
   * Take a pending call's attempt at t back from the population baseline,
   * before its caller count is taken back: the caller moves back one bin from
   * the one its count in t's bucket put it in. Skipped when its caller entry
   * was evicted since (that count is another number's).
   */
  private unrecordPopulation(row: number, t: number): void {
    const p = this.pending;
    const slot = p.slot[row * p.width] as number;
    const table = this.tables.caller;
    if (slot < 0 || table.gen(slot) !== p.gen[row * p.width]) return;
    const ws = this.popWindows;
    for (let i = 0; i < ws.length; i++) {
      const k = ws[i] as number;
      if (k < 0) continue;
      this.population.unrecord(table.windows[k] as number, t, table.bucketCount(slot, k, ATTEMPTS, t));
    }
  }

  /** The signal context for this call, re-pointed in place; views read `en` (the entries record() just touched, or peeked ones for a preview). */
  private context(attempt: CallAttempt, caller: NumberInfo, callee: NumberInfo, t: number, en: readonly (Slot | undefined)[], dry: boolean, national: string | null): SignalContext {
    const v0 = this.views;
    this.population.now = t;
    const v = attempt.callerVariants;
    let variants = NO_VARIANTS;
    if (v?.pai || v?.from) {
      const list: NumberInfo[] = [];
      // A preview leaves even the number caches as they were.
      if (v.pai) list.push(dry ? this.classifyCaller(v.pai, national) : this.callerRefOf(v.pai, national).info);
      if (v.from) list.push(dry ? this.classifyCaller(v.from, national) : this.callerRefOf(v.from, national).info);
      variants = list;
    }
    for (let i = 0; i < 5; i++) (v0[i] as EntryView).at(en[i], t);
    const ctx = this.ctx;
    ctx.now = t;
    ctx.cancels = this.cancelEvidence.known(t);
    ctx.attempt = attempt;
    ctx.caller = caller;
    ctx.callee = callee;
    ctx.callerVariants = variants;
    return ctx;
  }

  /** Count m for the call record() just counted. */
  private bumpNow(m: number, t: number): void {
    for (let i = 0; i < 5; i++) {
      const slot = this.entries[i];
      if (slot !== undefined) (this.tableList[i] as Table).add(slot, m, t, 1);
    }
  }

  private addPending(callId: string, t: number): number {
    const p = this.pending;
    const row = p.add(callId, t);
    p.retry[row] = this.retryKind;
    p.pairPrev[row] = this.pairPrev;
    p.blockRetry[row] = this.blockRetry;
    p.fromPrev[row] = this.fromPrev;
    p.fromPrevAt[row] = this.fromPrevAt;
    const base = row * p.width;
    for (let i = 0; i < 5; i++) {
      const slot = this.entries[i];
      if (slot === undefined) continue;
      p.slot[base + i] = slot;
      p.gen[base + i] = (this.tableList[i] as Table).gen(slot);
    }
    return row;
  }

  /** Count m for a pending call; keys evicted since the call started (their slot reused) are skipped. */
  private bump(row: number, m: number, t: number, v: number): void {
    const p = this.pending;
    const base = row * p.width;
    for (let i = 0; i < 5; i++) {
      const slot = p.slot[base + i] as number;
      if (slot < 0) continue;
      const table = this.tableList[i] as Table;
      if (table.gen(slot) === p.gen[base + i]) table.add(slot, m, t, v);
    }
  }

  /**
   * Feed back what happened to a call this engine let through. Returns false
   * (and changes nothing) for unknown, rejected, expired or finished calls.
   */
  observe(outcome: CallOutcome): boolean {
    const pending = this.pending;
    const p = pending.find(outcome.callId);
    if (p < 0 || outcome.at - (pending.at[p] as number) > this.r.stats.pendingTtl) {
      if (p >= 0) pending.delete(outcome.callId);
      this.counters.outcomesUnmatched++;
      return false;
    }
    this.counters.outcomes++;
    const st = this.r.stats;
    const status = outcome.status;
    let answeredAt = pending.answeredAt[p] as number;
    if (status !== undefined && Number.isNaN(answeredAt)) {
      if (status >= 200 && status < 300) {
        answeredAt = outcome.answeredAt ?? outcome.at;
        pending.answeredAt[p] = answeredAt;
        this.bump(p, ANSWERED, answeredAt, 1);
      } else if (status === 401 || status === 407) {
        // An authentication challenge is not an outcome: the caller sends the INVITE again with credentials,
        // screened as an attempt of its own. Counting the challenge as a failed call made every challenged
        // caller look like one nobody answers, and leaving its attempt counted, like one that calls twice.
        this.takeBack(p, outcome.at);
        this.pending.delete(outcome.callId);
        return true;
      } else if (status >= 300) {
        const t = outcome.at;
        const quick = t - (pending.at[p] as number) < st.quickRing;
        this.bump(p, FAILED, t, 1);
        // Unanswered while ringing: a cancel, or a ring-out. Only these are evidence of whether the traffic
        // carries cancels (an outage of 503s or dead numbers says nothing about them), and a ring-out
        // stands in for a cancel while it does not.
        const noAnswer = status === 487 || (!quick && (status === 480 || status === 408));
        if (status === 487 || (noAnswer && !this.cancelEvidence.known(t))) this.bump(p, CANCELLED, t, 1);
        if (noAnswer) this.cancelEvidence.record(t, status === 487);
        if (quick) this.bump(p, QUICK, t, 1);
        this.pending.delete(outcome.callId);
        return true;
      }
    }
    if (outcome.endedAt !== undefined && !Number.isNaN(answeredAt)) {
      const ms = Math.max(0, outcome.endedAt - answeredAt);
      this.bump(p, TALK, outcome.endedAt, ms / 1000);
      if (ms < st.shortCall) this.bump(p, SHORT, outcome.endedAt, 1);
      const link = pending.attached(p);
      if (link !== undefined) this.probeTalked(link, ms);
      this.pending.delete(outcome.callId);
    }
    return true;
  }

  /**
   * A call let through that the network never got to answer, through no doing of its caller's: our
   * next hop was down or unreachable, or proxying failed. Its attempt is taken back (as for an
   * authentication challenge) and no outcome will be counted: a next-hop outage must not make every
   * caller in flight look like one nobody answers. Returns whether the call was waiting for an outcome.
   */
  withdraw(callId: string, at: number): boolean {
    const p = this.pending.find(callId);
    // An answered call reached the network: its hang-up is still to come.
    if (p < 0 || !Number.isNaN(this.pending.answeredAt[p] as number)) return false;
    this.counters.withdrawn++;
    this.takeBack(p, at);
    this.pending.delete(callId);
    return true;
  }

  /** Undo what record() counted for pending row p (a challenged or withdrawn call); `at`: when it was taken back. */
  private takeBack(p: number, at: number): void {
    const pending = this.pending;
    // The population baseline counted it too (and put the caller in the bin of its count with it).
    this.unrecordPopulation(p, pending.at[p] as number);
    this.bump(p, ATTEMPTS, pending.at[p] as number, -1);
    // Its retry (or repeat) too, and its place in the pair's call times: the INVITE sent again (with
    // credentials, or by the edge through us once the hop is back) is counted as one again. Not when another
    // call to the same callee came in between (forked or parallel INVITEs): the resent one is then judged
    // against that call, and keeps its count.
    const kind = pending.retry[p] as number;
    const base = p * pending.width;
    const cslot = pending.slot[base] as number;
    const pslot = pending.slot[base + 2] as number;
    const pairs = this.tables.pair;
    const pairLive = pslot >= 0 && pairs.gen(pslot) === pending.gen[base + 2];
    const pairIsOurs = pairLive && pairs.last(pslot) === pending.at[p];
    if (pairIsOurs) pairs.popLast(pslot, pending.pairPrev[p] as number);
    if (kind >= 0 && (pairIsOurs || !pairLive) && cslot >= 0 && this.tables.caller.gen(cslot) === pending.gen[base]) this.tables.caller.add(cslot, kind, pending.at[p] as number, -1);
    // Likewise the block's callback and the callee's last calling block, unless another call reached the callee since.
    const eslot = pending.slot[base + 1] as number;
    const callees = this.tables.callee;
    if (eslot >= 0 && callees.keepsFrom && callees.gen(eslot) === pending.gen[base + 1] && callees.fromTime(eslot) === pending.at[p]) {
      callees.setFrom(eslot, pending.fromPrev[p] as number, pending.fromPrevAt[p] as number);
      const bslot = pending.slot[base + 3] as number;
      if (pending.blockRetry[p] === 1 && bslot >= 0 && this.tables.block.gen(bslot) === pending.gen[base + 3]) this.tables.block.add(bslot, RETRIES, pending.at[p] as number, -1);
    }
    // A probe that was challenged (or withdrawn) probed nothing: its retry is the probe, not a call rejected on the hold.
    // Once per probe turn: a caller that is challenged on every call (in a replay any row can carry a
    // 407) would otherwise turn each of its calls into a probe, and the hold would reject none of them.
    const link = pending.attached(p);
    if (link !== undefined && link.probe && this.holds.peek(link.caller) === link.hold && link.hold.givenBack !== link.hold.probes) {
      const h = link.hold;
      h.givenBack = h.probes;
      h.probes = Math.max(0, h.probes - 1);
      h.probeAt = Math.min(h.probeAt, at - this.probeWait(h));
    }
  }

  /**
   * A probe call ended after `ms` of conversation: long enough lifts the
   * hold it probed, if that hold is still the caller's. Anything shorter, or
   * a probe that failed, leaves the hold as it is.
   */
  private probeTalked(link: ProbeLink, ms: number): void {
    if (ms < this.r.hold.releaseTalk || this.holds.peek(link.caller) !== link.hold) return;
    this.holds.delete(link.caller);
    this.counters.releases++;
    const slot = this.tables.caller.peek(link.caller);
    if (slot !== undefined) this.tables.caller.setMark(slot, 0);
  }

  /** Entries per table, pending calls and holds: for metrics and tests. */
  sizes(): Record<TableName | 'pending' | 'hold', number> {
    return {
      caller: this.tables.caller.cache.size,
      callee: this.tables.callee.cache.size,
      pair: this.tables.pair.cache.size,
      block: this.tables.block.cache.size,
      source: this.tables.source.cache.size,
      pending: this.pending.size,
      hold: this.holds.size,
    };
  }

  /** How long after its last probe (or its start) a hold's next probe is due, ms; Infinity without probes. */
  probeWait(hold: { probes: number; noProbe?: boolean }): number {
    const h = this.r.hold;
    if (h.probe <= 0 || hold.noProbe === true) return Infinity;
    return h.probe * h.probeBackoff ** hold.probes;
  }

  /** Holds, least recently used first (for snapshots). */
  *holdEntries(): IterableIterator<[string, Hold]> {
    yield* this.holds.rentries() as IterableIterator<[string, Hold]>;
  }

  /**
   * A hold from a snapshot; one without a start (older snapshots) is taken to
   * have started one hold duration before its end, one without a last probe
   * (older snapshots) to have had none since it started.
   */
  restoreHold(e164: string, hold: { until: number; why: string; since?: number; probeAt?: number; probes?: number; rejected?: number; noProbe?: boolean }): void {
    const since = Number.isFinite(hold.since) ? (hold.since as number) : hold.until - this.r.hold.duration;
    const probed = Number.isFinite(hold.probeAt) && Number.isFinite(hold.probes);
    const rejected = Number.isFinite(hold.rejected) ? (hold.rejected as number) : 0;
    const h: Hold = { until: hold.until, why: hold.why, since, probeAt: probed ? (hold.probeAt as number) : since, probes: probed ? (hold.probes as number) : 0, rejected };
    if (hold.noProbe === true) h.noProbe = true;
    this.holds.set(e164, h);
    const slot = this.tables.caller.peek(e164);
    if (slot !== undefined) this.tables.caller.setMark(slot, HELD);
  }

  /**
   * The holds in force at `now` with the most rejected calls, most first
   * (then the oldest first): who is being kept out, and why. O(holds log
   * top): the `top` first are kept in a heap as the holds go by, since
   * sorting all 100,000 holds for a page of 20 took three to four times as
   * long as reading them, with the event loop (and the calls waiting on it)
   * blocked per request. For the admin endpoint, not the call path. Touches
   * no LRU order.
   */
  holdList(now: number, top: number): { held: number; holds: HoldView[] } {
    const k = Math.max(0, Math.floor(top));
    /** The best k so far, the last of them in order at the root. */
    const best: Array<[string, Hold]> = [];
    let held = 0;
    for (const [key, h] of this.holds.rentries() as IterableIterator<[string, Hold]>) {
      if (!(h.until > now)) continue;
      held++;
      if (k === 0) continue;
      if (best.length < k) {
        best.push([key, h]);
        let i = best.length - 1;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (holdOrder(best[p] as [string, Hold], best[i] as [string, Hold]) >= 0) break;
          [best[p], best[i]] = [best[i] as [string, Hold], best[p] as [string, Hold]];
          i = p;
        }
      } else if (holdOrder([key, h], best[0] as [string, Hold]) < 0) {
        best[0] = [key, h];
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          if (l >= k) break;
          const r = l + 1;
          const c = r < k && holdOrder(best[r] as [string, Hold], best[l] as [string, Hold]) > 0 ? r : l;
          if (holdOrder(best[c] as [string, Hold], best[i] as [string, Hold]) <= 0) break;
          [best[c], best[i]] = [best[i] as [string, Hold], best[c] as [string, Hold]];
          i = c;
        }
      }
    }
    best.sort(holdOrder);
    const holds = best.map(([caller, h]): HoldView => ({ caller, since: h.since, until: h.until, rejected: h.rejected, probes: h.probes, probed: h.noProbe !== true, why: h.why }));
    return { held, holds };
  }

  /** The hold on a caller, if any (for inspect). */
  holdOf(e164: string): Hold | undefined {
    return this.holds.peek(e164);
  }

  /**
   * An operator lifts the hold on an E.164 caller: its next call is scored on its signals
   * again (and held again if they still reject it). The hold set at `at` or later is
   * lifted too. Returns the hold that was in force at `at`, if any.
   */
  releaseHold(e164: string, at: number): Hold | undefined {
    const h = this.holds.peek(e164);
    if (h === undefined) return undefined;
    this.holds.delete(e164);
    if (!(h.until > at)) return undefined;
    this.counters.adminReleases++;
    return h;
  }
}

/**
 * Whether the caller is on any of the lists a signal's unless_listed names
 * (indexes into rules.lists). A list in monitor mode exempts nobody: it
 * reports its hits and does not act on them.
 */
function listedIn(hits: readonly (ListHit | null)[], which: readonly number[], lists: readonly CompiledList[]): boolean {
  for (let i = 0; i < which.length; i++) {
    const k = which[i] as number;
    const h = hits[k];
    if (h !== null && h !== undefined && !(lists[k] as CompiledList).monitor) return true;
  }
  return false;
}

/**
 * The slot of a number's key in its own table (caller or callee): the
 * remembered one while its generation holds (no key lookup), else looked up
 * and remembered.
 */
function ownSlot(table: Table, ref: NumberRef, e164: string, t: number): Slot {
  const s = ref.slot0;
  if (s >= 0 && table.gen(s) === ref.gen0) {
    table.hit(s);
    return s;
  }
  const e = table.touch(numberKey(e164), t);
  ref.slot0 = e;
  ref.gen0 = table.gen(e);
  return e;
}

/** As ownSlot(), for the caller's number block; the block key is built only on a miss. */
function blockSlot(table: Table, ref: NumberRef, e164: string, t: number, blockDigits: number): Slot {
  const s = ref.slot1;
  if (s >= 0 && table.gen(s) === ref.gen1) {
    table.hit(s);
    return s;
  }
  const e = table.touch(numberKey(blockOf(e164, blockDigits)), t);
  ref.slot1 = e;
  ref.gen1 = table.gen(e);
  return e;
}

/** A table no signal reads costs nothing: no key, no lookup. */
/** The first waiver signal that gives this call negative points (its id), or null. */
function waiverFor(waivers: readonly CompiledSignal[], ctx: SignalContext, hits: readonly (ListHit | null)[], lists: CompiledRules['lists']): string | null {
  for (let i = 0; i < waivers.length; i++) {
    const s = waivers[i] as CompiledSignal;
    if (s.unless !== undefined && hits !== NO_HITS && listedIn(hits, s.unless, lists)) continue;
    const r = s.plugin.score(ctx, s.cfg);
    if (r !== null && r.points < 0) return s.id;
  }
  return null;
}

const tracked = (table: Table): boolean => table.windows.length > 0 || table.distinctRetention > 0 || table.keepsLast || table.keepsFrom;

/** Slots per table that numeric pair keys can address: two of them and 4 generation bits fit a double exactly. */
const PAIR_SLOTS = 2 ** 24;

/**
 * Cache of a classifier the engine makes itself: none. The NumberRef caches
 * in front of it answer every number seen recently, so a classifier cache
 * only ever saw new numbers (1 hit in 1.16 million lookups on a 1M-row
 * replay) and each miss cost an LRU insert and eviction.
 */
const OWN_CLASSIFIER_CACHE = 0;

/** Caller-table mark of a caller that has a hold. */
const HELD = 1;

/**
 * An instant as ISO 8601 to the second, for hold reasons. Every call from a
 * held caller names its hold's end, and extended holds end at the same
 * second for a whole second of calls: one cached string serves them all.
 */
let isoSecond = NaN;
let isoText = '';
function isoSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const s = Math.floor(ms / 1000);
  if (s !== isoSecond) {
    isoSecond = s;
    isoText = `${new Date(s * 1000).toISOString().slice(0, 19)}Z`;
  }
  return isoText;
}

const NO_VARIANTS: readonly NumberInfo[] = Object.freeze([]);

function topReason(reasons: Reason[], counted: boolean[]): Reason | undefined {
  let best: Reason | undefined;
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i] as Reason;
    if (counted[i] && r.points > 0 && (!best || r.points > best.points)) best = r;
  }
  return best;
}
