/**
 * Whether the traffic tells a caller's cancel (487, given up while ringing)
 * from the other failures (busy, unavailable, no answer).
 *
 * Live SIP always does: callers hang up on ringing phones all the time. Call
 * records often do not: many exports give every unanswered call one cause
 * ("NO ANSWER"), and rows without a status have none. The signals that count
 * only cancels (`cancelled_only`) would go blind on such records (replayed
 * rotating caller IDs went from 85% to 27% rejected when every 487 read
 * 480). While the traffic carries no cancels, the engine therefore counts as
 * cancelled what a cancel would have been there: a no-answer failure (480,
 * 408) after ringing at least `stats.quick_ring`. Busy lines (486, 600),
 * failures at once (a switched-off phone) and errors never count. The
 * evidence itself comes from the same kind of outcomes (487s, and 480/408
 * after ringing), so an outage answering 503 changes nothing. Wangiri's
 * quick cancels have no stand-in: a 480 within a ring or two is as likely a
 * switched-off phone, so `wangiri` with `cancelled_only` stays blind on such
 * records (the no-conversation tests still see those callers).
 *
 * Decayed counts of recent no-answer outcomes and of the cancels among them, with a
 * half-life of an hour, from event times: pure, no clock.
 */

/** Half-life of the evidence, ms. */
export const CANCEL_HALF_LIFE = 3_600_000;
/** Recent no-answer outcomes needed before the traffic can be judged to carry no cancels. */
export const CANCEL_MIN_FAILURES = 50;
/** Below this share of cancels among recent no-answer outcomes, the traffic is judged to carry none. */
export const CANCEL_MIN_SHARE = 0.01;

export class CancelEvidence {
  private failed = 0;
  private cancelled = 0;
  private at = -Infinity;

  /** A call that went unanswered while ringing (487, or 480/408 after ringing) at t; `cancelled` for a 487. */
  record(t: number, cancelled: boolean): void {
    this.decay(t);
    this.failed += 1;
    if (cancelled) this.cancelled += 1;
  }

  /**
   * True until there is evidence otherwise: fewer than CANCEL_MIN_FAILURES
   * recent no-answer outcomes, or cancels at least CANCEL_MIN_SHARE of them.
   */
  known(t: number): boolean {
    const k = t > this.at ? 2 ** (-(t - this.at) / CANCEL_HALF_LIFE) : 1;
    const failed = this.failed * k;
    return failed < CANCEL_MIN_FAILURES || this.cancelled * k >= CANCEL_MIN_SHARE * failed;
  }

  private decay(t: number): void {
    if (t > this.at) {
      if (this.at !== -Infinity) {
        const k = 2 ** (-(t - this.at) / CANCEL_HALF_LIFE);
        this.failed *= k;
        this.cancelled *= k;
      }
      this.at = t;
    }
  }
}
