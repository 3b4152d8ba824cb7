/**
 * Unanswered ratio: a caller whose calls mostly go unanswered is dialling
 * people who do not know it (robocall lists, Wangiri sweeps).
 *
 * `of: block` judges every caller ID of the caller's number block together,
 * which sees through caller IDs rotated through one range; `of: callee`
 * judges every call to this callee, which sees a flood of different callers
 * on one victim. `min_distinct` makes the signal wait until the record spans
 * that many counterparties, so that one person redialling one line, or one
 * caller's own calls seen again through its block, is not judged as a campaign.
 *
 * A low answer rate is not abuse by itself: outbound call centres reach a
 * third of the people they call. `min_conversations` leaves alone a subject
 * whose answered calls are conversations, `max_answered` one that most people
 * pick up for (voice OTP), and `confidence` judges the lower bound of the
 * ratio, so that a few calls that happened to go badly are not a pattern.
 * `cancelled_only` counts only the calls given up on while they rang: for a
 * callee or a block, busy and unavailable say that the phones rung were full
 * or off, not what the callers did.
 */
import { definePlugin, ramp } from '../lib/engine/plugin.js';
import { bool, duration, int, points, ratio, formatDuration } from '../lib/rules/fields.js';
import {
  answeredGate, boundWords, confidenceField, conversationGate, distinctGate, earned, hasSubject, judged, maxAnsweredField,
  minConversationsField, minDistinctField, n, pct, subjectField, subjectNeeds, subjectWords, type Subject,
} from './_shared.js';

export interface UnansweredCfg {
  window: number;
  ratio: number;
  min_calls: number;
  weight: number;
  of: Subject;
  min_distinct: number;
  count_short: boolean;
  max_answered: number;
  min_conversations: number;
  confidence: number;
  cancelled_only: boolean;
  spare_talkers: number;
  spare_callbacks: number;
}

export default definePlugin<UnansweredCfg>({
  name: 'unanswered',
  description: "Share of the caller's (or its number block's, or the callee's) completed calls that were not answered",
  schema: {
    window: duration({ default: '1h', min: '1m', description: 'How far back to look' }),
    ratio: ratio({ default: 0.8, description: 'Unanswered share at which the signal fires (half the weight); all of it at 100%' }),
    min_calls: int({ default: 5, min: 1, description: 'Completed calls (answered + failed) needed before judging; fewer says nothing' }),
    weight: points({ default: 35, description: 'Points at 100% unanswered' }),
    of: subjectField(),
    min_distinct: minDistinctField(),
    count_short: bool({
      default: false,
      description: 'Also count answered calls shorter than the stats short-call setting as unanswered: the share of calls that never became a conversation',
    }),
    max_answered: maxAnsweredField(),
    min_conversations: minConversationsField(),
    confidence: confidenceField(),
    spare_talkers: int({
      default: 0,
      min: 0,
      description: "With of: block or of: callee: a caller that itself held at least this many conversations (answered calls of the short-call setting or longer) in the window is not judged on the others' calls; 0 turns this off",
    }),
    spare_callbacks: ratio({
      default: 0,
      description: "With of: block: a block is not judged once at least this share of its calls in the window went to a callee whose last call came from the same block (any of its numbers) less than stats.retry_window before: a business calling back the customers it missed from whichever line is free, where a campaign rotating through a block moves on to fresh numbers; 0 turns this off",
    }),
    cancelled_only: bool({
      default: false,
      description: 'Count as unanswered only the calls the caller cancelled while they rang (487), and leave busy, unavailable and unreachable calls out of the ratio: a full or switched-off line says nothing about the calls that reach it',
    }),
  },
  needs: (cfg) => {
    const n = subjectNeeds(cfg.of, cfg.window, cfg.min_distinct);
    if (cfg.spare_talkers > 0 && cfg.of !== 'caller') n.push({ table: 'caller', window: cfg.window });
    if (cfg.spare_callbacks > 0 && cfg.of === 'block') n.push({ table: 'block', window: cfg.window, retries: true });
    return n;
  },
  score(ctx, cfg) {
    if (!hasSubject(ctx, cfg.of)) return null;
    const s = ctx.stats[cfg.of];
    // With cancelled_only the failures judged are the ones the caller gave up on while it rang (487):
    // busy, unavailable and unreachable calls never reached anyone and stay out of the ratio.
    const allFailed = s.count('failed', cfg.window);
    const failed = cfg.cancelled_only ? Math.min(allFailed, s.count('cancelled', cfg.window)) : allFailed;
    const answered = s.count('answered', cfg.window);
    const done = answered + failed;
    if (done < cfg.min_calls || done <= 0) return null;
    // Short calls are counted when they end, answers when they start: never more short than answered.
    const allShort = cfg.count_short || cfg.min_conversations > 0 ? Math.min(answered, s.count('short', cfg.window)) : 0;
    const short = cfg.count_short ? allShort : 0;
    const r = (failed + short) / done;
    const lb = judged(r, done, cfg.confidence);
    const share = ramp(lb, cfg.ratio, 1);
    if (share === 0) return null;
    // The answered share is over every completed call, busy and unavailable ones included
    // (cancelled_only narrows what counts as unanswered, not what was completed).
    if (!answeredGate(answered, answered + allFailed, cfg.max_answered)) return null;
    if (!conversationGate(answered, allShort, cfg.min_conversations)) return null;
    // Evidence about the neighbours (or the callee) does not hold against a caller that talks to people itself.
    if (cfg.spare_talkers > 0 && cfg.of !== 'caller') {
      const c = ctx.stats.caller;
      const own = c.count('answered', cfg.window);
      if (own - Math.min(own, c.count('short', cfg.window)) >= cfg.spare_talkers) return null;
    }
    if (cfg.spare_callbacks > 0 && cfg.of === 'block') {
      const attempts = s.count('attempts', cfg.window);
      if (attempts > 0 && s.count('retries', cfg.window) >= cfg.spare_callbacks * attempts) return null;
    }
    const distinct = distinctGate(s, cfg.window, cfg.min_distinct);
    if (distinct < 0) return null;
    // Records without cancels count no-answers after ringing instead (ctx.cancels): say which.
    const missed = !cfg.cancelled_only ? 'unanswered' : ctx.cancels ? 'cancelled while ringing' : 'unanswered after ringing';
    const bound = boundWords(lb, cfg.confidence);
    const what = cfg.count_short
      ? `no conversation on ${n(failed + short)} of ${n(done)} calls (${pct(r)}: ${n(failed)} ${missed}, ${n(short)} shorter than ${formatDuration(ctx.settings.shortCall)}${bound})`
      : `${missed} ${n(failed)} of ${n(done)} calls (${pct(r)}${bound})`;
    return {
      points: earned(cfg.weight, share),
      detail: subjectWords(
        ctx,
        cfg.of,
        cfg.min_distinct,
        distinct,
        `${what} in ${formatDuration(cfg.window)}, threshold ${pct(cfg.ratio)} over at least ${cfg.min_calls}`,
      ),
    };
  },
});
