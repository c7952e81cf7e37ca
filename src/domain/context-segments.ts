/**
 * Context segments: the coarse situations a listening moment falls into. Popularity, features
 * and evaluation reports are all broken down by these, so they are defined once here.
 */
import type { ListeningContext } from './types.js';

export type Daypart = 'night' | 'morning' | 'daytime' | 'evening' | 'late';

export interface LocalTime {
  hour: number;
  /** 0 = Sunday … 6 = Saturday, in the listener's time zone. */
  weekday: number;
  weekend: boolean;
  daypart: Daypart;
}

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** True when `timezone` is an IANA zone this runtime knows. */
export function isKnownTimezone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

export function daypartOf(hour: number): Daypart {
  if (hour < 6) return 'night';
  if (hour < 10) return 'morning';
  if (hour < 17) return 'daytime';
  if (hour < 22) return 'evening';
  return 'late';
}

/**
 * Every UTC offset in use, and every offset change, falls on a quarter hour, so a zone's local
 * hour and weekday are the same throughout each UTC quarter hour (counted from the epoch).
 */
const QUARTER_HOUR_MS = 900_000;
/** Quarter hours remembered per zone before that zone's memo starts over. */
const LOCAL_TIME_MEMO = 50_000;
const localTimes = new Map<string, Map<number, LocalTime>>();

/**
 * The listener's local hour and weekday (UTC when the time zone is unknown). Memoised per
 * zone and quarter hour: the Intl formatter dominated replaying events into the popularity
 * model and each request's context segments. The result is shared: do not modify it.
 */
export function localTime(timestamp: number, timezone = 'UTC'): LocalTime {
  const quarter = Math.floor(timestamp / QUARTER_HOUR_MS);
  let memo = localTimes.get(timezone);
  const known = memo?.get(quarter);
  if (known) return known;
  let hour: number;
  let weekday: number;
  if (timezone === 'UTC') {
    const date = new Date(timestamp);
    hour = date.getUTCHours();
    weekday = date.getUTCDay();
  } else {
    const parts = formatterFor(timezone).formatToParts(timestamp);
    hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    weekday = weekdayIndex[parts.find((p) => p.type === 'weekday')?.value ?? 'Sun'] ?? 0;
  }
  const time: LocalTime = Object.freeze({ hour, weekday, weekend: weekday === 0 || weekday === 6, daypart: daypartOf(hour) });
  if (Number.isFinite(quarter)) {
    if (!memo || memo.size >= LOCAL_TIME_MEMO) localTimes.set(timezone, (memo = new Map()));
    memo.set(quarter, time);
  }
  return time;
}

/**
 * The segment keys a context belongs to, most specific first: time of week, device, activity,
 * weather, country. Each is a string like "time:weekday-morning" or "device:CAR".
 */
export function contextSegments(context: ListeningContext): string[] {
  const time = localTime(context.timestamp, context.timezone);
  const segments = [`time:${time.weekend ? 'weekend' : 'weekday'}-${time.daypart}`];
  if (context.activity) segments.push(`activity:${context.activity}`);
  if (context.device) segments.push(`device:${context.device}`);
  if (context.weather) segments.push(`weather:${context.weather}`);
  if (context.location?.country) segments.push(`country:${context.location.country}`);
  return segments;
}

const activityPhrases: Record<string, string> = {
  COMMUTE: 'on the commute', WORK: 'at work', STUDY: 'while studying', WORKOUT: 'while working out',
  RELAX: 'while relaxing', PARTY: 'at parties', SLEEP: 'at bedtime', COOKING: 'while cooking',
  DRIVING: 'while driving', GAMING: 'while gaming',
};

/** Words for a segment key, for explanations: "time:weekday-morning" → "on weekday mornings". */
export function describeSegment(segment: string): string {
  const [kind, value = ''] = segment.split(':');
  switch (kind) {
    case 'time': {
      const [week, part] = value.split('-');
      const dayparts: Record<string, string> = {
        night: 'at night', morning: 'mornings', daytime: 'daytime', evening: 'evenings', late: 'late evenings',
      };
      return `on ${week} ${dayparts[part ?? ''] ?? part}`;
    }
    case 'activity':
      return activityPhrases[value] ?? `while ${value.toLowerCase()}`;
    case 'device':
      return `on ${value.toLowerCase()}`;
    case 'weather':
      return `in ${value.toLowerCase()} weather`;
    case 'country':
      return `in ${value}`;
    default:
      return segment;
  }
}
