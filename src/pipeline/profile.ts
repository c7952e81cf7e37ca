/**
 * A listener's profile, derived from their history against a catalogue snapshot: what can
 * never be recommended to them (and why), their recent plays, how much they play each artist,
 * their tag/genre profile, audio taste, activity, and when in the week they listen.
 *
 * Deriving it is O(history); it is cached per history array and snapshot. The history cache
 * hands out the same array until the listener's events change, so a profile lives exactly as
 * long as the history it describes, with no explicit invalidation. When the listener's new
 * history is their previous one with events appended (the history cache appends what this
 * process stores), the per-event pass continues from the previous profile's totals instead of
 * starting over: the same profile, for the cost of the new events (after a play, the full
 * pass was a fifth of the listener's next request).
 */
import type { Interaction, InteractionType } from '../domain/types.js';
import { AUDIO_FEATURES, type CatalogueIndex } from './catalogue-index.js';
import { TIME_SEGMENTS, timeSegment } from './time-segments.js';
import type { ExclusionReason } from './types.js';

/** How much an event says "this listener likes this" (the weights CF trains with). */
export const TASTE_WEIGHTS: Record<InteractionType, number> = {
  PLAY: 1, COMPLETE: 1, LIKE: 3, SAVE: 3, SKIP: 0, DISLIKE: 0, TAG: 0,
};
/** Recent distinct items kept (the item-to-item source uses the first few). */
const RECENT_MAX = 50;
/** Favourite items kept: enough to explain any CF candidate by one of them. */
const FAVOURITES_MAX = 50;
/** Profile terms kept, strongest first. */
const TOP_TERMS = 32;

export interface UserProfile {
  /** Ids of the target kind never to recommend, with the reason shown by the debug view. */
  excludedIds: ReadonlyMap<string, ExclusionReason>;
  /** The same ids as a set (what the popularity model's exclusion takes). */
  excludedIdSet: ReadonlySet<string>;
  /** The same as snapshot item numbers (items the snapshot lacks are left out). */
  excludedItems: ReadonlySet<number>;
  /** Distinct items of positive events, newest first. */
  recent: Int32Array;
  /** Distinct items of positive events, most engaged with first (at most FAVOURITES_MAX). */
  favourites: Int32Array;
  /** Weighted positive events per artist number (the snapshot's artist numbering). */
  artistPlays: ReadonlyMap<number, number>;
  /** Term → weight, L2-normalised; a sum of the item vectors of the listener's positive events. */
  terms: ReadonlyMap<number, number>;
  /** The same weights by term number (0 for other terms): per-candidate affinities read this, not the map. */
  termWeights: Float32Array;
  /** Strongest terms first. */
  topTerms: Int32Array;
  topTermWeights: Float32Array;
  /** Mean audio features of positively played items (NaN where none known). */
  audioMean: Float32Array;
  /** Weighted positive events. */
  positives: number;
  distinctArtists: number;
  /** Shannon entropy (nats) of the term profile: how broad the listener's taste is. */
  tasteEntropy: number;
  /** Moment of the latest positive event (−Infinity without one). */
  lastPlayAt: number;
  /** Share of positive events per time-of-week segment. */
  segmentShare: Float32Array;
}

/**
 * Artists of a track id (from the track snapshot); used to credit track events to artists. One
 * function per snapshot: a profile continues from an earlier one only with the same function.
 */
export type TrackArtists = (trackId: string) => readonly string[];

const trackArtistFunctions = new WeakMap<CatalogueIndex, TrackArtists>();

/** The artists-of-a-track function of a track snapshot, the same function for the same snapshot. */
export function trackArtistsOf(tracks: CatalogueIndex): TrackArtists {
  let of = trackArtistFunctions.get(tracks);
  if (!of) trackArtistFunctions.set(tracks, (of = (trackId) => tracks.artistIdsOf(trackId)));
  return of;
}

const cache = new WeakMap<readonly Interaction[], Map<CatalogueIndex, UserProfile>>();

/**
 * The per-event totals behind a profile, and what they were summed over: the history array
 * and the snapshot. Kept so that a longer history of the same listener can continue the sum.
 */
interface Totals {
  history: readonly Interaction[];
  catalogue: CatalogueIndex;
  artistsOfTrack: TrackArtists;
  excludedIds: Map<string, ExclusionReason>;
  positiveWeight: Map<number, number>;
  artistPlays: Map<number, number>;
  segmentCounts: Float32Array;
  positives: number;
  lastPlayAt: number;
}

const totalsOf = new WeakMap<UserProfile, Totals>();

/**
 * The listener's profile. `previous` (their profile from an earlier request, if any; asked
 * only when this history has no profile yet) lets the per-event pass start where it stopped
 * when `history` is that profile's history with events appended.
 */
export function userProfile(
  history: readonly Interaction[], catalogue: CatalogueIndex, artistsOfTrack: TrackArtists, previous?: () => UserProfile | undefined,
): UserProfile {
  let perCatalogue = cache.get(history);
  if (!perCatalogue) cache.set(history, (perCatalogue = new Map()));
  let profile = perCatalogue.get(catalogue);
  if (!profile) {
    const earlier = previous?.();
    const before = earlier && totalsOf.get(earlier);
    const sameSnapshots = before && before.catalogue === catalogue && before.artistsOfTrack === artistsOfTrack;
    const totals = sameSnapshots && isAppendedTo(history, before.history) ? continued(before, history) : sum(history, catalogue, artistsOfTrack);
    profile = deriveProfile(totals);
    totalsOf.set(profile, totals);
    perCatalogue.set(catalogue, profile);
  }
  return profile;
}

/**
 * Whether `history` starts with every event of `earlier`, in the same objects: the history
 * cache's appended arrays share the earlier array's events, while a fresh read from the store
 * never shares any, so the last shared position is proof enough.
 */
function isAppendedTo(history: readonly Interaction[], earlier: readonly Interaction[]): boolean {
  const n = earlier.length;
  return n > 0 && history.length >= n && history[n - 1] === earlier[n - 1] && history[0] === earlier[0];
}

function sum(history: readonly Interaction[], catalogue: CatalogueIndex, artistsOfTrack: TrackArtists): Totals {
  const totals: Totals = {
    history, catalogue, artistsOfTrack, excludedIds: new Map(), positiveWeight: new Map(), artistPlays: new Map(),
    segmentCounts: new Float32Array(TIME_SEGMENTS), positives: 0, lastPlayAt: Number.NEGATIVE_INFINITY,
  };
  addEvents(totals, 0);
  return totals;
}

/** `before`'s totals (copied: the earlier profile keeps its own) plus the events `history` appended. */
function continued(before: Totals, history: readonly Interaction[]): Totals {
  const totals: Totals = {
    history, catalogue: before.catalogue, artistsOfTrack: before.artistsOfTrack, excludedIds: new Map(before.excludedIds), positiveWeight: new Map(before.positiveWeight),
    artistPlays: new Map(before.artistPlays), segmentCounts: before.segmentCounts.slice(), positives: before.positives, lastPlayAt: before.lastPlayAt,
  };
  addEvents(totals, before.history.length);
  return totals;
}

const reasonOf = (type: InteractionType): ExclusionReason => (type === 'DISLIKE' ? 'DISLIKED' : type === 'SKIP' ? 'SKIPPED' : 'PLAYED');
const REASON_RANK: Record<ExclusionReason, number> = { SKIPPED: 0, PLAYED: 1, DISLIKED: 2 };

/** Which ids of the snapshot's kind an event is about: itself, or (for artists) a track's artists. */
function targetsOf(event: Interaction, catalogue: CatalogueIndex, artistsOfTrack: TrackArtists): readonly string[] {
  const kind = catalogue.kind;
  return event.targetKind === kind ? [event.targetId] : kind === 'ARTIST' ? artistsOfTrack(event.targetId) : [];
}

/** Adds the history's events from position `from` on to the totals. */
function addEvents(totals: Totals, from: number): void {
  const { history, catalogue, artistsOfTrack, excludedIds, positiveWeight, artistPlays, segmentCounts } = totals;
  const kind = catalogue.kind;
  for (let e = from; e < history.length; e++) {
    const event = history[e];
    const reason = reasonOf(event.type);
    const weight = TASTE_WEIGHTS[event.type] * Math.max(1, event.count);
    for (const id of targetsOf(event, catalogue, artistsOfTrack)) {
      const before = excludedIds.get(id);
      if (before === undefined || REASON_RANK[reason] > REASON_RANK[before]) excludedIds.set(id, reason);
      if (weight <= 0) continue;
      const item = catalogue.indexOf(id);
      if (item >= 0) positiveWeight.set(item, (positiveWeight.get(item) ?? 0) + weight);
    }
    if (weight <= 0) continue;
    totals.positives += weight;
    totals.lastPlayAt = Math.max(totals.lastPlayAt, event.context.timestamp);
    segmentCounts[timeSegment(event.context)] += weight;
    // Artist familiarity counts plays of the artist through any of their tracks.
    const artists = event.targetKind === 'ARTIST' ? [event.targetId] : kind === 'TRACK' ? catalogue.artistIdsOf(event.targetId) : artistsOfTrack(event.targetId);
    for (const artist of artists) {
      const a = catalogue.artistIndexOf(artist);
      if (a >= 0) artistPlays.set(a, (artistPlays.get(a) ?? 0) + weight);
    }
  }
}

function deriveProfile(totals: Totals): UserProfile {
  const { history, catalogue, artistsOfTrack, excludedIds, positiveWeight, artistPlays, segmentCounts, positives, lastPlayAt } = totals;

  const excludedItems = new Set<number>();
  for (const id of excludedIds.keys()) {
    const item = catalogue.indexOf(id);
    if (item >= 0) excludedItems.add(item);
  }

  const recent: number[] = [];
  const seen = new Set<number>();
  for (let e = history.length - 1; e >= 0 && recent.length < RECENT_MAX; e--) {
    const event = history[e];
    if (TASTE_WEIGHTS[event.type] <= 0) continue;
    for (const id of targetsOf(event, catalogue, artistsOfTrack)) {
      const item = catalogue.indexOf(id);
      if (item >= 0 && !seen.has(item)) {
        seen.add(item);
        recent.push(item);
      }
    }
  }

  // Tag/genre profile: the sum of positively played items' term vectors, log-damped so one
  // obsessively replayed track does not define a listener's taste.
  const terms = new Map<number, number>();
  const audioSum = new Float64Array(AUDIO_FEATURES.length);
  const audioCount = new Float64Array(AUDIO_FEATURES.length);
  for (const [item, weight] of positiveWeight) {
    const w = Math.log1p(weight);
    for (let k = catalogue.termPtr[item]; k < catalogue.termPtr[item + 1]; k++) {
      const t = catalogue.termIdx[k];
      terms.set(t, (terms.get(t) ?? 0) + w * catalogue.termWeight[k]);
    }
    for (let f = 0; f < AUDIO_FEATURES.length; f++) {
      const value = catalogue.audio[item * AUDIO_FEATURES.length + f];
      if (!Number.isNaN(value)) {
        audioSum[f] += w * value;
        audioCount[f] += w;
      }
    }
  }
  let norm = 0;
  let l1 = 0;
  for (const v of terms.values()) {
    norm += v * v;
    l1 += v;
  }
  norm = Math.sqrt(norm) || 1;
  let tasteEntropy = 0;
  for (const [t, v] of terms) {
    terms.set(t, v / norm);
    const p = v / l1;
    if (p > 0) tasteEntropy -= p * Math.log(p);
  }
  const termWeights = new Float32Array(catalogue.terms.length);
  for (const [t, v] of terms) termWeights[t] = v;
  const favourites = [...positiveWeight].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, FAVOURITES_MAX).map(([item]) => item);
  const top = [...terms].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP_TERMS);

  const segmentShare = new Float32Array(TIME_SEGMENTS);
  for (let s = 0; s < TIME_SEGMENTS; s++) segmentShare[s] = positives > 0 ? segmentCounts[s] / positives : 0;

  return {
    excludedIds, excludedIdSet: new Set(excludedIds.keys()), excludedItems, recent: Int32Array.from(recent),
    favourites: Int32Array.from(favourites), artistPlays, terms, termWeights,
    topTerms: Int32Array.from(top, ([t]) => t), topTermWeights: Float32Array.from(top, ([, w]) => w),
    audioMean: Float32Array.from(audioSum, (s, f) => (audioCount[f] > 0 ? s / audioCount[f] : Number.NaN)),
    positives, distinctArtists: artistPlays.size, tasteEntropy, lastPlayAt, segmentShare,
  };
}
