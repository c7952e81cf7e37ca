/**
 * Online item statistics for ranking features, updated from every stored event (no
 * retraining): exponentially decayed engagement over a short and a long half-life (their
 * ratio is the item's trend), and all-time engagement per time-of-week segment (how much an
 * item belongs to mornings, weekend nights, …). Track events also count for their artists.
 *
 * Decay is kept per item: each counter remembers when it was last brought up to date, so an
 * event costs O(1) and reading at any moment decays on the fly. Events may arrive out of order.
 */
import { POPULARITY_WEIGHTS, type TrackArtistLookup } from '../models/popularity/context-popularity.js';
import type { Interaction, TargetKind } from '../domain/types.js';
import { TIME_SEGMENTS, timeSegment } from './time-segments.js';

export const SHORT_HALF_LIFE_MS = 3 * 86_400_000;
export const LONG_HALF_LIFE_MS = 30 * 86_400_000;
/** Segment evidence at which an item's own segment mix counts as much as the kind's overall mix. */
const SEGMENT_PRIOR = 5;
/** Decay per millisecond, as exponents of e (Math.exp is cheaper than a fractional power of 2). */
const SHORT_DECAY = -Math.LN2 / SHORT_HALF_LIFE_MS;
const LONG_DECAY = -Math.LN2 / LONG_HALF_LIFE_MS;
const TREND_SCALE = LONG_HALF_LIFE_MS / SHORT_HALF_LIFE_MS;
const MINUTE_MS = 60_000;
/** Bounds of the view memo: (kind, segment, minute) keys, and items per key. */
const MEMO_KEYS = 400;
const MEMO_ITEMS = 50_000;

interface Counter {
  at: number;
  short: number;
  long: number;
  total: number;
  segments: Float32Array;
}

/** What the ranker reads about one item at one moment. */
export interface ItemStatsView {
  /** log(1 + long-decayed engagement). */
  popularity: number;
  /** log of short- over long-decayed engagement rate: > 0 rising, < 0 fading. */
  trend: number;
  /** How much more than the kind's average this item is engaged with in the segment (1 = average). */
  segmentLift: number;
}

export class ItemStats {
  private readonly counters: Record<TargetKind, Map<string, Counter>> = { TRACK: new Map(), ARTIST: new Map() };
  private readonly segmentTotals: Record<TargetKind, Float64Array> = { TRACK: new Float64Array(TIME_SEGMENTS), ARTIST: new Float64Array(TIME_SEGMENTS) };
  /** Bumped by every count: remembered views of an older generation are stale. */
  private generation = 0;
  /** Views per (kind, segment, minute) — see `reader`. */
  private readonly views = new Map<string, { generation: number; views: Map<string, ItemStatsView> }>();
  /** Tracks' artists, looked up once per track: a track's artists practically never change. */
  private readonly artistsOf = new Map<string, readonly string[]>();

  constructor(private readonly artistsOfTracks: TrackArtistLookup) {}

  async observe(events: readonly Interaction[]): Promise<void> {
    const artistsOf = this.artistsOf;
    const unknown = [...new Set(events.filter((e) => e.targetKind === 'TRACK' && !artistsOf.has(e.targetId)).map((e) => e.targetId))];
    if (unknown.length > 0) {
      const artists = await this.artistsOfTracks(unknown);
      unknown.forEach((id, i) => artistsOf.set(id, artists[i] ?? []));
    }
    for (const event of events) {
      const weight = POPULARITY_WEIGHTS[event.type] * Math.max(1, event.count);
      if (weight <= 0) continue;
      const segment = timeSegment(event.context);
      if (event.targetKind === 'TRACK') {
        this.add('TRACK', event.targetId, weight, event.context.timestamp, segment);
        for (const artist of artistsOf.get(event.targetId) ?? []) this.add('ARTIST', artist, weight, event.context.timestamp, segment);
      } else {
        this.add('ARTIST', event.targetId, weight, event.context.timestamp, segment);
      }
    }
  }

  /** The item's statistics at `at` in time segment `segment` (zeros for an item never engaged with). */
  read(kind: TargetKind, id: string, at: number, segment: number): ItemStatsView {
    return this.reader(kind, at, segment)(id);
  }

  /**
   * Reads many items at one moment and segment (the kind's segment mix is computed once).
   * Views are remembered per (kind, segment, minute) until the next event is counted: every
   * request in that minute and segment ranks mostly the same popular items, and a minute's
   * decay is a few parts per million of a day-long half-life. So reads within a minute see
   * the statistics as of the minute's start.
   */
  reader(kind: TargetKind, at: number, segment: number): (id: string) => ItemStatsView {
    const minute = Math.floor(at / MINUTE_MS);
    const key = `${kind}|${segment}|${minute}`;
    let memo = this.views.get(key);
    if (!memo || memo.generation !== this.generation || memo.views.size >= MEMO_ITEMS) {
      if (!memo && this.views.size >= MEMO_KEYS) this.views.clear();
      memo = { generation: this.generation, views: new Map() };
      this.views.set(key, memo);
    }
    const views = memo.views;
    const read = this.exactReader(kind, minute * MINUTE_MS, segment);
    return (id) => {
      let view = views.get(id);
      if (!view) views.set(id, (view = read(id)));
      return view;
    };
  }

  /** Reads many items at exactly `at` (no memo). */
  private exactReader(kind: TargetKind, at: number, segment: number): (id: string) => ItemStatsView {
    const counters = this.counters[kind];
    const totals = this.segmentTotals[kind];
    let all = 0;
    for (let s = 0; s < TIME_SEGMENTS; s++) all += totals[s];
    const overall = all > 0 ? totals[segment] / all : 1 / TIME_SEGMENTS;
    return (id) => {
      const counter = counters.get(id);
      if (!counter) return { popularity: 0, trend: 0, segmentLift: 1 };
      // Reading before the last update (offline replays) does not inflate the counts.
      const dt = Math.max(0, at - counter.at);
      const short = counter.short * Math.exp(dt * SHORT_DECAY);
      const long = counter.long * Math.exp(dt * LONG_DECAY);
      const own = (counter.segments[segment] + SEGMENT_PRIOR * overall) / (counter.total + SEGMENT_PRIOR);
      return {
        popularity: Math.log1p(long),
        // Steady engagement gives short/long ≈ SHORT/LONG half-life ratio; rescale so that reads 0.
        trend: Math.log((short * TREND_SCALE + 1) / (long + 1)),
        segmentLift: overall > 0 ? own / overall : 1,
      };
    };
  }

  /** Reads only the popularity (log(1 + long-decayed engagement)) of many items at one moment: the cheap part of `reader`. */
  popularityReader(kind: TargetKind, at: number): (id: string) => number {
    const counters = this.counters[kind];
    return (id) => {
      const counter = counters.get(id);
      return counter ? Math.log1p(counter.long * Math.exp(Math.max(0, at - counter.at) * LONG_DECAY)) : 0;
    };
  }

  /** Items counted, per kind (for tests and logs). */
  size(kind: TargetKind): number {
    return this.counters[kind].size;
  }

  private add(kind: TargetKind, id: string, weight: number, at: number, segment: number): void {
    this.generation++;
    let counter = this.counters[kind].get(id);
    if (!counter) {
      counter = { at, short: 0, long: 0, total: 0, segments: new Float32Array(TIME_SEGMENTS) };
      this.counters[kind].set(id, counter);
    }
    if (at >= counter.at) {
      const dt = at - counter.at;
      counter.short = counter.short * 2 ** (-dt / SHORT_HALF_LIFE_MS) + weight;
      counter.long = counter.long * 2 ** (-dt / LONG_HALF_LIFE_MS) + weight;
      counter.at = at;
    } else {
      const dt = counter.at - at;
      counter.short += weight * 2 ** (-dt / SHORT_HALF_LIFE_MS);
      counter.long += weight * 2 ** (-dt / LONG_HALF_LIFE_MS);
    }
    counter.total += weight;
    counter.segments[segment] += weight;
    this.segmentTotals[kind][segment] += weight;
  }
}
