/**
 * The compiled, validated form of a rules file: what the engine runs on.
 * lib/rules builds it from YAML; tests and embedders may build it in code
 * through `compileRules` (lib/rules) or by hand.
 */
import type { NumberInfo } from '../numbers/types.js';
import type { AnySignalPlugin } from './plugin.js';

export type RejectCode = 603 | 607 | 608;

export interface RejectSpec {
  code: RejectCode;
  /** Reason phrase on the status line. */
  phrase: string;
  /** Value of a `Reason` header (RFC 3326), e.g. 'SIP;cause=603;text="Spam"'; omitted when empty. */
  reasonHeader?: string;
}

export interface TagSpec {
  scoreHeader: string;
  reasonsHeader: string;
  /** Prefix for the caller display name, e.g. '[SPAM?] '; empty for none. */
  displayPrefix: string;
}

export interface StatsSettings {
  /** Answered calls shorter than this count as short (ms). */
  shortCall: number;
  /** Failed/cancelled calls that rang less than this count as quick (ms). */
  quickRing: number;
  /** Caller number block = E.164 minus this many trailing digits. */
  blockDigits: number;
  /** Distinct sets are exact up to this many members. */
  distinctCap: number;
  /** A call to a callee the caller called less than this long (ms) before is a retry; one called twice in that time before it, a repeat. */
  retryWindow: number;
  /** Hard entry limits per table (lru-cache max). */
  max: { caller: number; callee: number; pair: number; block: number; source: number; pending: number; hold: number };
  /** How long a let-through call waits for its outcome before it is forgotten (ms). */
  pendingTtl: number;
}

export interface CompiledSignal {
  /** Key in the rules file (an alias when `use:` names the plugin). */
  id: string;
  plugin: AnySignalPlugin;
  cfg: Record<string, unknown>;
  /** Report points but do not count them. */
  monitor: boolean;
  /** 'score' adds points; 'reject' rejects outright whenever it fires. */
  action: 'score' | 'reject';
  /** false: its points do not count towards putting the caller on hold (evidence about other numbers); absent means true. */
  holds?: boolean;
  /** false: a hold its counted points helped place is never probed (hold.probe); absent means true. */
  probes?: boolean;
  /** Per-rule reject answer; falls back to the scope's. */
  reject?: RejectSpec;
  /** Indexes into CompiledRules.lists: a caller on any of these lists is not scored by this signal (unless_listed). */
  unless?: readonly number[];
}

export interface ScopeInput {
  at: number;
  source: string | undefined;
  caller: NumberInfo;
  callee: NumberInfo;
}

export interface CompiledScope {
  name: string;
  /** Absent on the base scope, which matches everything. */
  match?: (input: ScopeInput) => boolean;
  /** Whether `match` reads the call's source (when.source): inspect says so when no source was given. */
  bySource?: boolean;
  thresholds: { tag: number; reject: number };
  reject: RejectSpec;
  /** The answer to a call rejected on its caller's hold (hold.reject over this scope's reject); absent: the usual one. */
  holdReject?: RejectSpec;
  tag: TagSpec;
  monitor: boolean;
  signals: CompiledSignal[];
}

/** A list entry that matched a caller: an E.164 number, or a prefix written with its trailing '*'. */
export type ListHit = { match: string; exact: boolean };

export interface CompiledList {
  name: string;
  action: 'allow' | 'reject' | 'score';
  /** O(digits) lookup on the E.164 caller: the matched entry or null. */
  lookup(e164: string): ListHit | null;
  size: number;
  points: number;
  reject?: RejectSpec;
  monitor: boolean;
}

export interface CompiledRules {
  /** File it came from, for logs. */
  file?: string;
  homeCountry: string;
  /**
   * Hold: a caller rejected for its behaviour is rejected for `duration` (ms), 0 for off.
   * max: longest a hold lasts from its start, extensions included (ms); 0 for no limit.
   * probe: wait (ms) from a hold's start to its first probe, a call let through to be
   * scored on its signals alone; 0 for none. probeBackoff: each probe multiplies the
   * wait for the next by this (1: a probe every `probe`). releaseTalk: a probe
   * answered and talking at least this long (ms) lifts the hold.
   */
  hold: { duration: number; extend: boolean; max: number; probe: number; probeBackoff: number; releaseTalk: number };
  failMode: 'open' | 'closed';
  monitor: boolean;
  stats: StatsSettings;
  lists: CompiledList[];
  /**
   * Sources whose caller IDs are written in another country's national format,
   * in file order (the first that matches applies); empty for none.
   */
  nationalFormats: NationalFormat[];
  /** User scopes in file order; the first that matches applies, else `base`. */
  scopes: CompiledScope[];
  base: CompiledScope;
}

/** Caller IDs from `matches` sources are read as national numbers of `country` (ISO alpha-2). */
export interface NationalFormat {
  matches: (source: string | undefined) => boolean;
  country: string;
}
