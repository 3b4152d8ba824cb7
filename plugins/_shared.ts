/**
 * Small helpers shared by the built-in signals: number formatting for
 * reasons and list fields that validate their entries. Not a plugin.
 *
 * Reasons travel in SIP headers (X-Ringfence-Reasons) and 603 Reason text,
 * so everything here stays plain ASCII.
 */
import { ramp, round1, type Score, type StatsView } from '../lib/engine/plugin.js';
import { formatDuration, strings, type Field } from '../lib/rules/fields.js';

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
 * `what` turns the (possibly "at least") count into the statistic's words.
 */
export function distinctScore(
  s: StatsView,
  cfg: { window: number; distinct: number; weight: number },
  what: (count: string) => string,
): Score | null {
  const d = s.distinct(cfg.window);
  const share = ramp(d, cfg.distinct);
  if (share === 0) return null;
  return {
    points: earned(cfg.weight, share),
    detail: `${what(atLeast(d, s.distinctCap))} in ${formatDuration(cfg.window)} (threshold ${cfg.distinct})`,
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
