/**
 * The data that crosses the engine boundary. Adapters (SIP, replay) build
 * CallAttempts and CallOutcomes; the engine returns Decisions. Time is always
 * carried in the event (`at`, epoch milliseconds): the engine never reads a clock.
 */

export type Millis = number;

/** One initial INVITE, as an adapter saw it. */
export interface CallAttempt {
  /** SIP Call-ID, or a row id in replay. */
  callId: string;
  /** When the INVITE arrived, epoch ms. */
  at: Millis;
  /** Caller as presented: P-Asserted-Identity user part when present, else From. Raw, any format. */
  caller: string;
  /** Other caller identities when known (for masking checks). */
  callerVariants?: { pai?: string; from?: string; display?: string };
  /** Callee as presented (Request-URI user part), raw. */
  callee: string;
  /** Ingress peer: IP address or trunk name. */
  source?: string;
  /** Selected headers the signals may read, lower-case names. */
  headers?: Record<string, string>;
}

/**
 * What happened to a call the engine let through. Adapters may send one event
 * carrying everything, or several (final response first, hang-up later).
 */
export interface CallOutcome {
  callId: string;
  /** When this event happened, epoch ms. */
  at: Millis;
  /** Final SIP status of the INVITE (200 answered; 487 the caller gave up; others failed). */
  status?: number;
  /** When the call was answered, if known and different from `at`. */
  answeredAt?: Millis;
  /** When the answered call ended (BYE / CDR stop). */
  endedAt?: Millis;
}

export type Action = 'reject' | 'tag' | 'forward';

export interface Reason {
  /** Signal (plugin) name, or 'allow-list', 'deny-list', 'hold', 'error'. */
  signal: string;
  points: number;
  /**
   * Human words: which statistic crossed which threshold, by how much.
   * Starts with '(monitor) ' when the signal or list is in monitor mode (its
   * points reported, not counted); isMonitorReason() in score.ts tests it.
   */
  detail: string;
}

export interface Decision {
  callId: string;
  action: Action;
  /** Sum of points. */
  score: number;
  reasons: Reason[];
  /** For reject: SIP status (608 default, 603, 607) and reason phrase. */
  code?: number;
  phrase?: string;
  /** Headers to add to the reject response (e.g. Reason) or to the forwarded INVITE (tags). */
  headers?: Record<string, string>;
  /** For tag: optional display-name prefix, e.g. '[SPAM?] '. */
  displayPrefix?: string;
  /**
   * For a reject (or a would-be reject in monitor mode), what decided it: the
   * rule that rejects outright (`list:deny`, or a signal id with `action:
   * reject`), `hold` (a caller held after an earlier reject), `score` (the
   * points reached the scope's reject threshold), or `error` (fail_mode:
   * closed after an engine or adapter error).
   */
  rejectedBy?: string;
  /** The action that would have been taken if not in monitor mode. */
  wouldBe?: Action;
  monitor?: boolean;
  /** Name of the rule scope that applied ('default' when none). */
  scope: string;
  /** Normalised identities, for logs. */
  caller: string;
  callee: string;
}
