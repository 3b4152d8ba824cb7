/**
 * Whether the next hop is answering, as a circuit breaker: it is down once
 * requests sent to it have had no response at all (not even 100 Trying, nor an
 * answer to our OPTIONS pings) for `downAfterMs`, or when a connection to it
 * was refused after the last response; up again with any response. While it
 * is down, new calls are answered 503 at once instead of 408 after Timer B
 * (32 s of dead air each), the edge's health checks see it (/readyz, OPTIONS
 * to us), and one call per `probeMs` still goes through, so a next hop that
 * ignores OPTIONS but answers calls is found alive again. Time comes in with
 * each event; nothing here reads a clock.
 */
export interface HopHealthOptions {
  /** Silence after a request before the hop counts as down (ms). */
  downAfterMs: number;
  /** While down, one call is let through this often to try the hop (ms). */
  probeMs: number;
}

export class HopHealth {
  private lastHeard = -Infinity;
  /** When the oldest request unanswered since lastHeard was sent; 0 when none. */
  private waitingSince = 0;
  private lastFailure = -Infinity;
  private lastProbe = -Infinity;
  /** Up/down as last reported by changed(). */
  private wasUp = true;

  constructor(private readonly o: HopHealthOptions) {}

  /** A request went to the hop at `at`. */
  sent(at: number): void {
    if (this.waitingSince === 0) this.waitingSince = at;
  }

  /** A response came from the hop. */
  heard(at: number): void {
    this.lastHeard = at;
    this.waitingSince = 0;
  }

  /** The transport could not reach the hop (connection refused or reset before any response). */
  failed(at: number): void {
    this.lastFailure = at;
  }

  up(at: number): boolean {
    if (this.lastFailure > this.lastHeard) return false;
    return this.waitingSince === 0 || at - this.waitingSince < this.o.downAfterMs;
  }

  /** While down: whether this call is the one let through to try the hop (at most one per probeMs). */
  probe(at: number): boolean {
    if (at - this.lastProbe < this.o.probeMs) return false;
    this.lastProbe = at;
    return true;
  }

  /** The state if it changed since the last call (for one log line per change), else undefined. */
  changed(at: number): boolean | undefined {
    const now = this.up(at);
    if (now === this.wasUp) return undefined;
    this.wasUp = now;
    return now;
  }

  /** How long the hop has been silent with a request waiting (ms), for the log. */
  silentFor(at: number): number {
    return this.waitingSince === 0 ? 0 : at - this.waitingSince;
  }
}
