/**
 * The ten time-of-week segments (weekday/weekend × five dayparts) as small integers, for
 * per-item and per-listener counters. Deriving a local hour takes an Intl call; events and
 * requests fall into few distinct (time zone, hour) pairs, so results are memoised per hour.
 */
import { daypartOf, localTime } from '../domain/context-segments.js';
import type { ListeningContext } from '../domain/types.js';

export const TIME_SEGMENTS = 10;
const DAYPARTS = ['night', 'morning', 'daytime', 'evening', 'late'] as const;
const HOUR_MS = 3_600_000;
const MEMO_LIMIT = 200_000;
/** Per time zone: segment per UTC hour since the epoch (no string key to build per call). */
const memo = new Map<string, Map<number, number>>();

/** 0–4: weekday night…late; 5–9: weekend night…late. */
export function timeSegment(context: Pick<ListeningContext, 'timestamp' | 'timezone'>): number {
  const zone = context.timezone ?? 'UTC';
  const hour = Math.floor(context.timestamp / HOUR_MS);
  let perZone = memo.get(zone);
  let segment = perZone?.get(hour);
  if (segment === undefined) {
    const time = localTime(context.timestamp, zone);
    segment = (time.weekend ? 5 : 0) + DAYPARTS.indexOf(daypartOf(time.hour));
    if (!perZone || perZone.size >= MEMO_LIMIT) memo.set(zone, (perZone = new Map()));
    perZone.set(hour, segment);
  }
  return segment;
}
