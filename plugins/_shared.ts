/**
 * Small helpers shared by the built-in signals: number formatting for
 * reasons and list fields that validate their entries. Not a plugin.
 *
 * Reasons travel in SIP headers (X-Ringfence-Reasons) and 603 Reason text,
 * so everything here stays plain ASCII.
 */
import { ramp, round1, type Need, type Score, type SignalContext, type StatsView } from '../lib/engine/plugin.js';
import { formatDuration, int, oneOf, strings, type Field } from '../lib/rules/fields.js';
import { blockOf } from '../lib/numbers/block.js';

/** A counter value for a reason: counters are sliding-window estimates, so keep one decimal. */
export const n = (x: number): string => String(round1(x));

/** A ratio as a whole percentage. */
export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** A distinct count, saying "at least" when the set hit its cap and the true value may be higher. */
export const atLeast = (x: number, cap: number): string => (x >= cap ? `at least ${x}` : String(x));

/** Seconds as 45s, 3m12s, 1h05m: talk times and ages read better this way than formatDuration's exact units. */
export function hms(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Points earned: weight times the ramp share, rounded for the reason and the score. */
export const earned = (weight: number, share: number): number => round1(weight * share);

/**
 * The distinct-counterparty signals (fan-out, fan-in, rotating-cli) share one
 * shape: distinct members of a key's set in a window against a threshold.
 * `what` turns the (possibly "at least") count into the statistic's words;
 * it gets the context as an argument, so signals pass a module-level function
 * instead of making a closure on every call.
 */
export function distinctScore(
  s: StatsView,
  cfg: { window: number; distinct: number; weight: number },
  what: (count: string, ctx: SignalContext) => string,
  ctx: SignalContext,
): Score | null {
  const d = s.distinct(cfg.window);
  const share = ramp(d, cfg.distinct);
  if (share === 0) return null;
  return {
    points: earned(cfg.weight, share),
    detail: `${what(atLeast(d, s.distinctCap), ctx)} in ${formatDuration(cfg.window)} (threshold ${cfg.distinct})`,
  };
}

/**
 * A list field whose entries must pass `check` (which returns an error or null),
 * so a typo such as `tollfree` fails at load time with a position instead of
 * silently never matching.
 */
export function checkedStrings(
  o: { default: string[]; description: string },
  check: (entry: string) => string | null,
): Field<string[]> {
  const base = strings(o);
  return {
    ...base,
    parse(v: unknown) {
      const r = base.parse(v);
      if (!r.ok) return r;
      for (let i = 0; i < r.value.length; i++) {
        const err = check(r.value[i] as string);
        if (err) return { ok: false, error: `entry ${i + 1}: ${err}` };
      }
      return r;
    },
  };
}

/** Entries limited to a fixed vocabulary. */
export const stringsOf = (allowed: readonly string[], o: { default: string[]; description: string }): Field<string[]> =>
  checkedStrings(o, (e) => (allowed.includes(e) ? null : `expected one of ${allowed.join(', ')}, got '${e}'`));

/** Digit prefixes, written with or without a leading '+'; parsed to bare digits so matching is a plain startsWith. */
export function prefixes(o: { default: string[]; description: string }): Field<string[]> {
  const base = checkedStrings(o, (e) => (/^\+?\d{1,15}$/.test(e.trim()) ? null : `expected digits such as +4478, got '${e}'`));
  return {
    ...base,
    parse(v: unknown) {
      const r = base.parse(v);
      return r.ok ? { ok: true, value: r.value.map(bare) } : r;
    },
  };
}

const bare = (p: string): string => p.trim().replace(/^\+/, '');

/** Whether an E.164 number starts with one of the prefixes (a default may still carry '+'). */
export function matchesPrefix(e164: string, list: readonly string[]): boolean {
  const digits = bare(e164);
  return list.some((p) => digits.startsWith(bare(p)));
}

/**
 * A presented value quoted for a reason: bounded in length, control and
 * non-ASCII characters escaped, so a hostile caller ID cannot break the SIP
 * header the reason ends up in.
 */
export function quote(raw: string, max = 40): string {
  const cut = raw.length > max ? `${raw.slice(0, max)}...` : raw;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Whose record a ratio signal (unanswered, short-calls) judges: the caller
 * itself; the caller's number block, so that caller IDs rotated through one
 * range pool their evidence; or the callee, so that a flood of different
 * callers on one number is seen as one. Each key's distinct set holds its
 * counterparties: a caller's callees, a block's or a callee's callers.
 */
export const SUBJECTS = ['caller', 'block', 'callee'] as const;
export type Subject = (typeof SUBJECTS)[number];

/** The `of` field of a ratio signal: whose calls are judged. */
export const subjectField = (): Field<Subject> =>
  oneOf(SUBJECTS, {
    default: 'caller',
    description: "Whose calls are judged: the caller; its number block (every caller ID sharing it, against rotating caller IDs); or the callee (every call to this number, against floods of different callers)",
  });

/** The `min_distinct` gate of a ratio signal. */
export const minDistinctField = (): Field<number> =>
  int({
    default: 0,
    min: 0,
    description: 'Distinct counterparties needed in the window before judging (a caller\'s callees; a block\'s or a callee\'s callers); 0 turns the gate off',
  });

/**
 * What `needs` returns for a ratio signal judging `of` over `window`: the
 * counters, plus the distinct set when `min_distinct` gates it.
 */
export function subjectNeeds(of: Subject, window: number, minDistinct: number): Need[] {
  return [minDistinct > 0 ? { table: of, window, distinct: true } : { table: of, window }];
}

/** Whether the call has a record for the subject at all: a block needs an E.164 caller. */
export const hasSubject = (ctx: SignalContext, of: Subject): boolean => of !== 'block' || ctx.caller.e164 !== null;

/**
 * The `min_distinct` gate: -1 when the record spans fewer than `min`
 * counterparties in the window (the signal then says nothing), otherwise the
 * distinct count (0 when there is no gate). Signals call it last, after their
 * cheap counter tests, since it scans the distinct set.
 */
export function distinctGate(s: StatsView, window: number, min: number): number {
  if (min <= 0) return 0;
  const d = s.distinct(window);
  return d < min ? -1 : d;
}

/**
 * A ratio signal's reason: `detail` with the subject named before it and the
 * counterparties after it. For the caller with no gate it is `detail` as is,
 * so existing reasons read as they always have. Only called when the signal fires.
 */
export function subjectWords(ctx: SignalContext, of: Subject, minDistinct: number, distinct: number, detail: string): string {
  const e164 = ctx.caller.e164;
  const prefix = of === 'block' && e164 !== null ? `block ${blockLabel(e164, ctx.settings.blockDigits)}: ` : of === 'callee' ? 'calls to this callee: ' : '';
  if (minDistinct <= 0) return prefix + detail;
  const who = of === 'caller' ? 'callees' : of === 'block' ? 'caller IDs' : 'callers';
  return `${prefix}${detail}, ${atLeast(distinct, ctx.stats[of].distinctCap)} distinct ${who} (threshold ${minDistinct})`;
}

/** A number block as text: the E.164 number with its last `digits` digits shown as x. */
export function blockLabel(e164: string, digits: number): string {
  const b = blockOf(e164, digits);
  return b + 'x'.repeat(e164.length - b.length);
}
