/**
 * Small helpers shared by the built-in signals: number formatting for
 * reasons and list fields that validate their entries. Not a plugin.
 *
 * Reasons travel in SIP headers (X-Ringfence-Reasons) and 603 Reason text,
 * so everything here stays plain ASCII.
 */
import { ramp, round1, type Need, type Score, type SignalContext, type StatsView } from '../lib/engine/plugin.js';
import { formatDuration, int, oneOf, ratio, strings, type Field } from '../lib/rules/fields.js';
import { blockOf } from '../lib/numbers/block.js';
import { homePlan } from '../lib/numbers/metadata.js';
import { classifyUncached } from '../lib/numbers/classify.js';
import { analyse } from '../lib/numbers/normalise.js';
import type { NumberInfo } from '../lib/numbers/types.js';

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

/**
 * The `max_answered` gate of a ratio signal (unanswered, short-calls): a
 * subject most of whose completed calls were answered is calling people who
 * expect the call (voice OTP, notifications, appointment reminders). Cold
 * lists are not answered like that, whatever the calls sound like. The
 * subject is judged only when the upper bound of its answered share (95%
 * one-sided, Wilson) is at most `max_answered`: a few calls at an hour when
 * people do not pick up must not make an expected caller look like a cold
 * one. 1 turns the gate off.
 */
export const maxAnsweredField = (): Field<number> =>
  ratio({
    default: 1,
    description: 'Judged only when the answered share of completed calls (answered + failed) is clearly at most this (its 95% upper bound): people pick up for callers they expect (voice OTP, notifications); 1 turns the gate off',
  });

/** z of the one-sided 95% bound the `max_answered` gate uses. */
const GATE_Z = 1.6448536269514722;

/** Whether the `max_answered` gate lets the signal judge: the answered share's upper bound is at most `max`. */
export function answeredGate(answered: number, done: number, max: number): boolean {
  if (max >= 1 || done <= 0) return true;
  const p = Math.min(1, answered / done);
  return 1 - wilsonLower(1 - p, done, GATE_Z) <= max;
}

/**
 * The `min_conversations` gate of a ratio signal: the subject's answered
 * calls that lasted at least `stats.short_call` (conversations). Once there
 * are at least `min` of them and at least as many as short ones, the subject
 * talks to whoever picks up, and how many do not pick up says nothing about
 * it (an outbound call centre, a hotline in a rush, a contact centre's range
 * of numbers). 0 turns the gate off.
 */
export const minConversationsField = (): Field<number> =>
  int({
    default: 0,
    min: 0,
    description: 'Not judged once at least this many answered calls lasted the short-call setting or longer and they are at least as many as the shorter ones (the subject talks to whoever picks up); 0 turns the gate off',
  });

/** Whether the `min_conversations` gate lets the signal judge (true) or the subject is holding conversations (false). */
export function conversationGate(answered: number, short: number, min: number): boolean {
  if (min <= 0) return true;
  const talks = answered - short;
  return !(talks >= min && talks >= short);
}

/**
 * The `confidence` of a ratio signal: judge the lower bound of the ratio at
 * this one-sided confidence (Wilson score interval) instead of the ratio as
 * measured, so that a handful of calls that happen to go badly is not taken
 * for a pattern, while a long run of them still is. 0 turns it off.
 */
export const confidenceField = (): Field<number> =>
  ratio({
    default: 0,
    description: 'Judge the lower bound of the ratio at this one-sided confidence (e.g. 0.9) instead of the ratio as measured, so that a few calls that happen to go badly are not a pattern; 0 judges the ratio as measured',
  });

/**
 * Standard normal quantile for p in [0.5, 1) (Abramowitz and Stegun 26.2.23,
 * error below 4.5e-4): the z of a one-sided confidence.
 */
export function zOf(p: number): number {
  if (!(p > 0.5)) return 0;
  const q = Math.min(1 - p, 0.5);
  if (q <= 0) return 6;
  const t = Math.sqrt(-2 * Math.log(q));
  return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
}

/** Lower bound of the Wilson score interval of a share `p` measured over `n` trials, at normal quantile `z`. */
export function wilsonLower(p: number, n: number, z: number): number {
  if (!(n > 0) || z <= 0) return p;
  p = Math.min(1, Math.max(0, p)); // a sliding-window estimate can overshoot 1
  const z2 = z * z;
  const lb = (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return Math.max(0, Math.min(p, lb));
}

/** The ratio a signal judges: as measured, or its lower bound at `confidence` (0: as measured). */
export const judged = (p: number, n: number, confidence: number): number => (confidence > 0 ? wilsonLower(p, n, zOf(confidence)) : p);

/** Words for a judged lower bound, empty when the ratio is judged as measured. */
export const boundWords = (lb: number, confidence: number): string => (confidence > 0 ? `, at least ${pct(lb)} at ${pct(confidence)} confidence` : '');

/**
 * How a caller ID carried its country, for the signals that judge the
 * number itself (domestic-cli, invalid-cli, toll-free). `national` when the
 * digits as presented may not contain the country code, so that the
 * numbering module read them against the home plan: a home number in
 * national format, or a foreign carrier's number with its country code
 * dropped, and the digits alone cannot tell which. Also (`bareCode`) when
 * bare digits that begin with the home country code ('86...', no '+' or
 * 00) are no valid number that way: a US 866 388 3525 sent without its 1
 * reads as +86 63883525, an unallocated Chinese range, and is no evidence
 * of a Chinese caller ID. Valid bare numbers ('8613812345678', as Chinese
 * carriers send them) keep their country code. (Bare digits that begin with
 * another country code and are no valid number that way are read against
 * the home plan by the numbering module, so they are `national` already.)
 * `length`: how many digits
 * were presented. `foreign`: the same digits classified as an international
 * number without its '+', when that is a valid number of another country
 * (the usual case of a carrier that drops the '+': US +1 312 ... sent as
 * 1312..., which also reads as a Chinese mobile); else null.
 * Only called for the few callers these signals look at, so the second
 * parse stays off the hot path.
 */
export interface Presentation {
  national: boolean;
  bareCode: boolean;
  length: number;
  foreign: NumberInfo | null;
}

const INTERNATIONAL: Presentation = Object.freeze({ national: false, bareCode: false, length: 0, foreign: null });

/**
 * Per classified number (the engine caches them per presented string), so
 * the signals that ask for one caller (domestic-cli under three ids,
 * invalid-cli, toll-free twice in the example) parse its digits again once,
 * not once each, and a caller calling again costs no parse at all.
 */
const presentations = new WeakMap<NumberInfo, { home: string; p: Presentation }>();

export function presentation(c: NumberInfo, home: string): Presentation {
  const known = presentations.get(c);
  if (known?.home === home) return known.p;
  const p = readPresentation(c, home);
  presentations.set(c, { home, p });
  return p;
}

function readPresentation(c: NumberInfo, home: string): Presentation {
  let digits: string;
  try {
    digits = analyse(c.raw, homePlan(home)).digits;
  } catch {
    return INTERNATIONAL;
  }
  if (digits.length === 0 || digits.charCodeAt(0) === 43) return INTERNATIONAL;
  // IDD-prefixed ('0086...') or bare country code ('86...'): the digits end with the E.164 digits.
  // Digits starting '00' that were read as a national number ('0000000000' as +1 000 000 0000,
  // where the IDD is 011) were presented without a country code like any other national reading.
  if (digits.startsWith('00') && (c.e164 === null || digits.endsWith(c.e164.slice(1)))) return INTERNATIONAL;
  if (c.e164 !== null && digits.endsWith(c.e164.slice(1))) {
    return c.valid || digits.length !== c.e164.length - 1 ? INTERNATIONAL : { national: true, bareCode: true, length: digits.length, foreign: null };
  }
  let foreign: NumberInfo | null = null;
  try {
    // Classified here, once per number: toll-free judges this reading's type, domestic-cli only that it exists.
    const f = classifyUncached('+' + digits, home);
    if (f.valid && f.e164 !== null && f.e164 !== c.e164) foreign = f;
  } catch {
    foreign = null;
  }
  return { national: true, bareCode: false, length: digits.length, foreign };
}

/** Which presentations a caller-ID signal judges. */
export const PRESENTED = ['any', 'international', 'national'] as const;
export type Presented = (typeof PRESENTED)[number];

/** The `national_cap` field of invalid-cli. */
export const nationalCapField = (what: string): Field<number> =>
  int({
    default: 1000,
    min: 0,
    max: 1000,
    description: `Most points for ${what} when the caller ID was presented without its country code, in 7 digits or more, and read against the home numbering plan: it may be another country's national number; 1000 leaves the points as they are`,
  });
