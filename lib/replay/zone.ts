/**
 * Local wall-clock times of one IANA time zone to UTC, for call records
 * whose timestamps carry no offset (many switch and SBC exports write local
 * time). Offsets come from Intl and are remembered per quarter hour of
 * wall time (zone changes happen on quarter hours), so a million rows cost
 * a Map lookup each, not an Intl call.
 */
const QUARTER = 900_000;

export class ZoneClock {
  readonly zone: string;
  private readonly fmt: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

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
   * The UTC instant of wall time `wall` (its fields read as if UTC, ms). In
   * the hour a change skips or repeats, one of the two offsets is taken: an
   * hour either way, once a year.
   */
  toUtc(wall: number): number {
    const q = Math.floor(wall / QUARTER);
    let off = this.offsets.get(q);
    if (off === undefined) {
      // Two steps: the offset at a first guess, then at the instant that guess gives.
      off = this.offsetAt(wall - this.offsetAt(wall));
      if (this.offsets.size < 1_000_000) this.offsets.set(q, off);
    }
    return wall - off;
  }
}

/** Whether a timestamp is a calendar date-time written without a UTC offset or Z (local time, read in --timezone). */
export function isNaiveCalendar(ts: string): boolean {
  if (/^(19|20)\d{12}$/.test(ts)) return true; // YYYYMMDDhhmmss
  if (!/^\d{4}[-/]\d{2}[-/]\d{2}/.test(ts)) return false; // epoch seconds are UTC by definition
  return !/([Zz]|[+-]\d{2}(:?\d{2})?)\s*$/.test(ts.slice(10));
}
