/**
 * Local time for the simulator: listeners live by their own clock (a commute at 08:00 in
 * Tokyo is a different UTC instant from one in São Paulo), and daylight-saving changes inside
 * the simulated window must be honoured. Offsets come from Intl once per zone and UTC hour and
 * are cached, so converting a session time costs a map lookup.
 */

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export class ZoneClock {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();
  private readonly offsets = new Map<string, Map<number, number>>();

  /** Local time minus UTC, in ms, in `timeZone` at the UTC instant `utcMs`. */
  offsetMs(timeZone: string, utcMs: number): number {
    const hour = Math.floor(utcMs / HOUR_MS);
    let byHour = this.offsets.get(timeZone);
    if (!byHour) {
      byHour = new Map();
      this.offsets.set(timeZone, byHour);
    }
    let offset = byHour.get(hour);
    if (offset === undefined) {
      offset = this.computeOffset(timeZone, hour * HOUR_MS);
      byHour.set(hour, offset);
    }
    return offset;
  }

  /**
   * The UTC instant of a wall-clock time, given as ms since the epoch "as if local were UTC".
   * A wall time skipped by a spring-forward change maps just past the gap; a repeated one
   * (fall-back) maps to its first occurrence.
   */
  localToUtc(timeZone: string, localMs: number): number {
    const first = localMs - this.offsetMs(timeZone, localMs);
    const offset = this.offsetMs(timeZone, first);
    const second = localMs - offset;
    // Both guesses agree except around a change; prefer the one that round-trips.
    if (second + this.offsetMs(timeZone, second) === localMs) return second;
    if (first + this.offsetMs(timeZone, first) === localMs) return first;
    return Math.max(first, second);
  }

  /** Wall-clock time at `utcMs`, as ms since the epoch "as if local were UTC". */
  utcToLocal(timeZone: string, utcMs: number): number {
    return utcMs + this.offsetMs(timeZone, utcMs);
  }

  /** Local hour (0–23) and weekday (0 = Sunday) at `utcMs`. */
  localHourAndWeekday(timeZone: string, utcMs: number): { hour: number; weekday: number } {
    const local = new Date(this.utcToLocal(timeZone, utcMs));
    return { hour: local.getUTCHours(), weekday: local.getUTCDay() };
  }

  private computeOffset(timeZone: string, utcMs: number): number {
    let format = this.formats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      this.formats.set(timeZone, format);
    }
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(utcMs))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
    return asUtc - utcMs;
  }
}
