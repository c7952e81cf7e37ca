/**
 * The candidate-source port. A source proposes items (snapshot item numbers) with scores,
 * best first, and can say in words why it proposed any one of them. Sources run concurrently
 * under one time budget (run-sources.ts); one that fails or runs late is reported, not fatal.
 *
 * Contract for ANN lookups: a source calls `request.ann` before its first `await` of anything
 * else, so every source's lookups join the same DataLoader tick and reach the index as one
 * batched search per index.
 */
import type { PopularityModel } from '../../models/popularity/context-popularity.js';
import type { CatalogueIndex } from '../catalogue-index.js';
import type { CfModelView } from '../cf-view.js';
import type { ItemStats } from '../item-stats.js';
import type { TrackArtists, UserProfile } from '../profile.js';
import type { PipelineSettings } from '../settings.js';
import type { PipelineRequest, ReuseKey, SourceName } from '../types.js';

/** The models and online state a request ranks with; the same shape online and in training. */
export interface PipelineModels {
  catalogue: CatalogueIndex;
  /** Artists of a track id (the track snapshot): credits track events to artists. */
  trackArtists: TrackArtists;
  popularity: PopularityModel;
  itemStats: ItemStats;
  cf?: CfModelView;
}

export interface SourceInput {
  request: PipelineRequest;
  models: PipelineModels;
  profile: UserProfile;
  settings: PipelineSettings;
  /** Most candidates to return. */
  cap: number;
}

export interface SourceOutput {
  /** Snapshot item numbers, best first. */
  items: Int32Array;
  scores: Float32Array;
  /** Why the item at `position` was proposed, in words a listener can read. */
  reason(position: number): string;
  /** The model version the source used, if any. */
  modelVersion?: string;
}

export interface CandidateSource {
  readonly name: SourceName;
  /**
   * Set when the output depends on nothing of the request but the listener's profile, the
   * catalogue snapshot, the CF model and the pipeline's settings — plus the key this returns
   * (e.g. the request's day): the pipeline may then reuse one request's output for the next
   * (source-cache.ts). The output's `reason` must not hold on to the request.
   */
  reuseKey?(request: PipelineRequest): ReuseKey;
  /**
   * With `reuseKey`: how far behind the listener's history a reused output may be — computed
   * before at most `events` of their newer events and at most `ms` ago (source-cache.ts). Unset:
   * any new event of theirs makes the source run again.
   */
  readonly staleness?: Staleness;
  generate(input: SourceInput): Promise<SourceOutput>;
}

export interface Staleness {
  events: number;
  ms: number;
}

/**
 * The staleness of the sources whose output follows the listener's whole taste (their CF
 * vector, tag profile, favourite artists), not their latest play: one more play barely moves
 * it, recomputing it after every play was most of the cost of a listener's next request, and
 * what they just played is excluded at blending whatever a source proposes.
 */
export const TASTE_STALENESS: Staleness = Object.freeze({ events: 10, ms: 10 * 60_000 });

export const EMPTY_OUTPUT: SourceOutput = Object.freeze({
  items: new Int32Array(0),
  scores: new Float32Array(0),
  reason: () => '',
});

/** "tracks" or "artists", for explanations. */
export function kindNoun(input: SourceInput): string {
  return input.request.kind === 'TRACK' ? 'tracks' : 'artists';
}
