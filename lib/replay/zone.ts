/**
 * Local wall-clock times of one IANA time zone to UTC, for call records
 * whose timestamps carry no offset (many switch and SBC exports write local
 * time). Offsets come from Intl and are remembered per quarter hour of
 * wall time (zone changes happen on quarter hours), so a million rows cost
 * a Map lookup each, not an Intl call.
 */
const QUARTER = 900_000;
const DAY = 86_400_000;

/** A quarter hour of wall time the zone repeats: the offsets of its first and its second occurrence. */
type Repeated = readonly [first: number, second: number];

export class ZoneClock {
  readonly zone: string;
  private readonly fmt: Intl.DateTimeFormat;
  /** Per quarter hour of wall time: its offset, or both where the zone repeats it. */
  private readonly offsets = new Map<number, number | Repeated>();
  /** Quarters the zone skips (clocks go forward), remembered so each is counted as such. */
  private readonly skippedQuarters = new Set<number>();
  /** Wall times read in a repeated hour and in a skipped one, with the first of each (ms, fields as UTC). */
  readonly counts = { repeated: 0, skipped: 0, firstRepeated: NaN, firstSkipped: NaN };

  /** Throws a RangeError naming the zone when Intl does not know it. */
  constructor(zone: string) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone '${zone}': use an IANA name such as Asia/Shanghai, Europe/London or UTC`);
    }
    this.zone = this.fmt.resolvedOptions().timeZone;
  }

  /** The zone's offset from UTC at instant `utc` (ms; positive east of Greenwich). */
  offsetAt(utc: number): number {
    const p = this.fmt.formatToParts(new Date(utc));
    const n = (type: string): number => Number(p.find((x) => x.type === type)?.value);
    const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
    return wall - Math.floor(utc / 1000) * 1000;
  }

  /**
   * The UTC instant of wall time `wall` (its fields read as if UTC, ms).
   * Where the zone repeats an hour (clocks go back) the wall time names two
   * instants: the one nearer `near` (the file's previous timestamp) is
   * taken, so a file in time order stays in order through the repeat. Where
   * it skips an hour, the offset from before the change is kept. Both are
   * counted (`counts`).
   */
  toUtc(wall: number, near = NaN): number {
    const q = Math.floor(wall / QUARTER);
    let off = this.offsets.get(q);
    if (off === undefined) {
      off = this.offsetsOf(wall, q);
      if (this.offsets.size < 1_000_000) this.offsets.set(q, off);
    }
    if (typeof off === 'number') {
      if (this.skippedQuarters.has(q)) {
        if (this.counts.skipped++ === 0) this.counts.firstSkipped = wall;
      }
      return wall - off;
    }
    if (this.counts.repeated++ === 0) this.counts.firstRepeated = wall;
    const first = wall - off[0];
    const second = wall - off[1];
    return !Number.isNaN(near) && Math.abs(second - near) < Math.abs(first - near) ? second : first;
  }

  /** The offset(s) under which wall time `wall` names a real instant (the zone's offsets a day either side). */
  private offsetsOf(wall: number, q: number): number | Repeated {
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    const valid = (o: number): boolean => this.offsetAt(wall - o) === o;
    if (before !== after) {
      const b = valid(before);
      const a = valid(after);
      // The larger offset puts the wall time at the earlier instant: the first occurrence.
      if (b && a) return before > after ? [before, after] : [after, before];
      if (b) return before;
      if (a) return after;
      this.skippedQuarters.add(q);
      return before;
    }
    // Two steps: the offset at a first guess, then at the instant that guess gives.
    return this.offsetAt(wall - this.offsetAt(wall));
  }
}

/** Whether a timestamp is a calendar date-time written without a UTC offset or Z (local time, read in --timezone). */
export function isNaiveCalendar(ts: string): boolean {
  if (/^(19|20)\d{12}$/.test(ts)) return true; // YYYYMMDDhhmmss
  if (!/^\d{4}[-/]\d{2}[-/]\d{2}/.test(ts)) return false; // epoch seconds are UTC by definition
  return !/([Zz]|[+-]\d{2}(:?\d{2})?)\s*$/.test(ts.slice(10));
}
