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
import type { CatalogueIndex } from './catalogue-index.js';
import { TIME_SEGMENTS, timeSegment } from './time-segments.js';

export const SHORT_HALF_LIFE_MS = 3 * 86_400_000;
export const LONG_HALF_LIFE_MS = 30 * 86_400_000;
/** Segment evidence at which an item's own segment mix counts as much as the kind's overall mix. */
const SEGMENT_PRIOR = 5;
/** Decay per millisecond, as exponents of e (Math.exp is cheaper than a fractional power of 2). */
const SHORT_DECAY = -Math.LN2 / SHORT_HALF_LIFE_MS;
const LONG_DECAY = -Math.LN2 / LONG_HALF_LIFE_MS;
const TREND_SCALE = LONG_HALF_LIFE_MS / SHORT_HALF_LIFE_MS;

interface Counter {
  /** Its place in ItemStats.list. */
  number: number;
  at: number;
  short: number;
  long: number;
  total: number;
  segments: Float32Array;
}

/**
 * A snapshot's items → counters, as typed arrays: a plain array of a 100k-item catalogue's size
 * would be a dictionary in V8, and every read a hash lookup.
 */
interface SnapshotCounters {
  /** Per item: its counter's number (ItemStats.list), −1 when not found yet. */
  counterAt: Int32Array;
  /** Per item: how many counters existed when it had none, −1 when not looked up. */
  missingAt: Int32Array;
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

type StatsWriter = (counter: Counter | undefined, out: Float64Array | Float32Array, offset: number) => void;

/** One item's values as an object (tests, debugging, single reads), through the same writer the features use. */
function viewOf(write: StatsWriter, counter: Counter | undefined): ItemStatsView {
  const values = new Float64Array(3);
  write(counter, values, 0);
  return { popularity: values[0], trend: values[1], segmentLift: values[2] };
}

export class ItemStats {
  private readonly counters: Record<TargetKind, Map<string, Counter>> = { TRACK: new Map(), ARTIST: new Map() };
  private readonly segmentTotals: Record<TargetKind, Float64Array> = { TRACK: new Float64Array(TIME_SEGMENTS), ARTIST: new Float64Array(TIME_SEGMENTS) };
  /** Per snapshot: counters by its item numbers, filled as they are found, and misses (counterOf). */
  private readonly indexes: Record<TargetKind, WeakMap<CatalogueIndex, SnapshotCounters>> = {
    TRACK: new WeakMap(), ARTIST: new WeakMap(),
  };
  /** Every counter per kind, by number (creation order): a miss recorded at an older length may have been counted since. */
  private readonly list: Record<TargetKind, Counter[]> = { TRACK: [], ARTIST: [] };
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

  /** Reads many items at one moment and segment (the kind's segment mix is computed once). */
  reader(kind: TargetKind, at: number, segment: number): (id: string) => ItemStatsView {
    const counters = this.counters[kind];
    const write = this.writerOf(kind, at, segment);
    return (id) => viewOf(write, counters.get(id));
  }

  /**
   * The same by a catalogue snapshot's item numbers: a request reads a few hundred items, and
   * an array index is much cheaper than a lookup among every counted id.
   */
  itemReader(kind: TargetKind, catalogue: CatalogueIndex, at: number, segment: number): (item: number) => ItemStatsView {
    const counterOf = this.counterOf(kind, catalogue);
    const write = this.writerOf(kind, at, segment);
    return (item) => viewOf(write, counterOf(item));
  }

  /**
   * `itemReader`'s three values written straight into a feature row (popularity, trend,
   * segment lift at `out[offset..offset + 2]`): the ranker's features read every candidate of
   * every request, and an object per candidate would be garbage the moment it is copied.
   */
  itemWriter(kind: TargetKind, catalogue: CatalogueIndex, at: number, segment: number): (item: number, out: Float32Array, offset: number) => void {
    const counterOf = this.counterOf(kind, catalogue);
    const write = this.writerOf(kind, at, segment);
    return (item, out, offset) => write(counterOf(item), out, offset);
  }

  /** Popularity only (log(1 + long-decayed engagement)) by item number: the cheap part of `itemReader`. */
  itemPopularityReader(kind: TargetKind, catalogue: CatalogueIndex, at: number): (item: number) => number {
    const counterOf = this.counterOf(kind, catalogue);
    return (item) => {
      const counter = counterOf(item);
      return counter ? Math.log1p(counter.long * Math.exp(Math.max(0, at - counter.at) * LONG_DECAY)) : 0;
    };
  }

  /** Writes a counter's popularity, trend and segment lift at `at` into `out[offset..offset + 2]`. */
  private writerOf(kind: TargetKind, at: number, segment: number): StatsWriter {
    const totals = this.segmentTotals[kind];
    let all = 0;
    for (let s = 0; s < TIME_SEGMENTS; s++) all += totals[s];
    const overall = all > 0 ? totals[segment] / all : 1 / TIME_SEGMENTS;
    return (counter, out, offset) => {
      if (!counter) {
        out[offset] = 0;
        out[offset + 1] = 0;
        out[offset + 2] = 1;
        return;
      }
      // Reading before the last update (offline replays) does not inflate the counts.
      const dt = Math.max(0, at - counter.at);
      const short = counter.short * Math.exp(dt * SHORT_DECAY);
      const long = counter.long * Math.exp(dt * LONG_DECAY);
      const own = (counter.segments[segment] + SEGMENT_PRIOR * overall) / (counter.total + SEGMENT_PRIOR);
      out[offset] = Math.log1p(long);
      // Steady engagement gives short/long ≈ SHORT/LONG half-life ratio; rescale so that reads 0.
      out[offset + 1] = Math.log((short * TREND_SCALE + 1) / (long + 1));
      out[offset + 2] = overall > 0 ? own / overall : 1;
    };
  }

  /**
   * An item's counter by snapshot item number. Counters are updated in place and never
   * replaced, so one found is kept in the snapshot's array for good; an item without one yet
   * is looked up by id each time (it may be counted since).
   */
  private counterOf(kind: TargetKind, catalogue: CatalogueIndex): (item: number) => Counter | undefined {
    let index = this.indexes[kind].get(catalogue);
    if (!index) {
      index = { counterAt: new Int32Array(catalogue.size).fill(-1), missingAt: new Int32Array(catalogue.size).fill(-1) };
      this.indexes[kind].set(catalogue, index);
    }
    const { counterAt, missingAt } = index;
    const counters = this.counters[kind];
    const list = this.list[kind];
    return (item) => {
      const at = counterAt[item];
      if (at >= 0) return list[at];
      // Most of a large catalogue is never played: a miss holds until another counter is created.
      if (missingAt[item] === list.length) return undefined;
      const found = counters.get(catalogue.ids[item]);
      if (found) counterAt[item] = found.number;
      else missingAt[item] = list.length;
      return found;
    };
  }

  /** Items counted, per kind (for tests and logs). */
  size(kind: TargetKind): number {
    return this.counters[kind].size;
  }

  private add(kind: TargetKind, id: string, weight: number, at: number, segment: number): void {
    let counter = this.counters[kind].get(id);
    if (!counter) {
      counter = { number: this.list[kind].length, at, short: 0, long: 0, total: 0, segments: new Float32Array(TIME_SEGMENTS) };
      this.counters[kind].set(id, counter);
      this.list[kind].push(counter);
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
