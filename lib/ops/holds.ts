/**
 * What `/holds` answers and how `ringfence holds` prints it: the callers on
 * hold, most rejected calls first, each with the reject that set its hold.
 */
import { padColumns } from '../text-table.js';

export interface HoldRow {
  caller: string;
  /** Calls rejected on the hold (the reject that set it not included). */
  rejected: number;
  /** Probe calls let through so far (hold.probe). */
  probes: number;
  /** false: this hold is never probed (a rule with probe: false scored the caller); absent from older servers. */
  probed?: boolean;
  since: string;
  until: string;
  /** The reject that set the hold: when, and its strongest reason. */
  why: string;
}

export interface HoldsReport {
  /** When the list was taken (the server's clock). */
  at: string;
  /** Holds in force, listed or not. */
  held: number;
  holds: HoldRow[];
}

/** Longest reason shown per hold in the table; --json has it whole. */
const WHY_CHARS = 140;

export function formatHolds(r: HoldsReport): string {
  if (r.holds.length === 0) return `no caller on hold at ${r.at}\n`;
  const rows = r.holds.map((h) => [
    h.caller,
    String(h.rejected),
    h.probed === false ? 'never' : String(h.probes),
    h.since.replace(/\.\d{3}Z$/, 'Z'),
    h.until.replace(/\.\d{3}Z$/, 'Z'),
    h.why.length > WHY_CHARS ? `${h.why.slice(0, WHY_CHARS - 3)}...` : h.why,
  ]);
  const head = ['caller', 'rejected', 'probes', 'since', 'until', 'set by'];
  const more = r.held > r.holds.length ? `, the ${r.holds.length} with the most rejected calls listed` : '';
  // The counts (rejected, probes) right-aligned, the rest left.
  return [`${r.held} caller${r.held === 1 ? '' : 's'} on hold at ${r.at}${more}`, '', ...padColumns([head, ...rows], [0, 3, 4, 5]), ''].join('\n');
}
