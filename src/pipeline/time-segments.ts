/**
 * The ten time-of-week segments (weekday/weekend × five dayparts) as small integers, for
 * per-item and per-listener counters. Deriving a local hour takes an Intl call; events and
 * requests fall into few distinct (time zone, quarter hour) pairs, so results are memoised per
 * UTC quarter hour — every time zone's offset is a whole number of quarter hours, so a local
 * hour never changes inside one (an hour would be wrong for half of a boundary hour in India).
 */
import { daypartOf, localTime } from '../domain/context-segments.js';
import type { ListeningContext } from '../domain/types.js';

export const TIME_SEGMENTS = 10;
const DAYPARTS = ['night', 'morning', 'daytime', 'evening', 'late'] as const;
const QUARTER_MS = 900_000;
const MEMO_LIMIT = 200_000;
/** Per time zone: segment per UTC quarter hour since the epoch (no string key to build per call). */
const memo = new Map<string, Map<number, number>>();

/** 0–4: weekday night…late; 5–9: weekend night…late. */
export function timeSegment(context: Pick<ListeningContext, 'timestamp' | 'timezone'>): number {
  const zone = context.timezone ?? 'UTC';
  const quarter = Math.floor(context.timestamp / QUARTER_MS);
  let perZone = memo.get(zone);
  let segment = perZone?.get(quarter);
  if (segment === undefined) {
    const time = localTime(context.timestamp, zone);
    segment = (time.weekend ? 5 : 0) + DAYPARTS.indexOf(daypartOf(time.hour));
    if (!perZone || perZone.size >= MEMO_LIMIT) memo.set(zone, (perZone = new Map()));
    perZone.set(quarter, segment);
  }
  return segment;
}
