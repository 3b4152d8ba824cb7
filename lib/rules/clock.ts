/**
 * Local minute-of-day and weekday for scope `hours` / `days`. Intl is slow
 * (microseconds per call), so the answer is cached per UTC minute: calls come
 * in time order, so nearly every call hits the cached minute.
 */

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export class LocalClock {
  /** Minute of the local day, 0..1439, after sync(). */
  minute = 0;
  /** Local weekday, 0 = Monday .. 6 = Sunday, after sync(). */
  day = 0;
  private bucket = NaN;
  private readonly fmt: Intl.DateTimeFormat | null;

  constructor(readonly timezone: string) {
    this.fmt = timezone === 'UTC' ? null : new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  }

  /** Bring minute/day to the local time at `at` (epoch ms). */
  sync(at: number): this {
    const b = Math.floor(at / 60_000);
    if (b === this.bucket) return this;
    this.bucket = b;
    const t = b * 60_000;
    if (this.fmt === null) {
      this.minute = ((b % 1440) + 1440) % 1440;
      this.day = (Math.floor(b / 1440) + 3) % 7; // 1970-01-01 was a Thursday
      if (this.day < 0) this.day += 7;
      return this;
    }
    let h = 0;
    let m = 0;
    for (const p of this.fmt.formatToParts(t)) {
      if (p.type === 'hour') h = Number(p.value);
      else if (p.type === 'minute') m = Number(p.value);
      else if (p.type === 'weekday') this.day = WEEKDAYS[p.value] ?? 0;
    }
    this.minute = h * 60 + m;
    return this;
  }
}
