/**
 * The vocabulary of the online recommendation pipeline (signals → candidates → features →
 * ranking → blending), shared by its stages, the service that runs it and the training job
 * that replays it offline. Nothing here knows about GraphQL or a store.
 */
import type { Interaction, ListeningContext, TargetKind } from '../domain/types.js';
import type { AnnHit } from '../models/ann/index.js';

/** The candidate sources, in the fixed order every per-source array follows. */
export const SOURCE_NAMES = ['cf', 'item-to-item', 'social', 'tag-affinity', 'popular-in-context', 'fresh-releases'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
export const SOURCE_COUNT = SOURCE_NAMES.length;

/** The pseudo-source an exploration slot adds to an item's sources. */
export const EXPLORE_SOURCE = 'explore';

/** What a reusable source output depends on besides the profile and models (e.g. the request's day; source-cache.ts). */
export type ReuseKey = string | number;

export type SourceState = 'OK' | 'EMPTY' | 'TIMEOUT' | 'FAILED';

/** How one candidate source fared for one request. */
export interface SourceReport {
  name: string;
  state: SourceState;
  candidates: number;
  ms: number;
  /** The model version the source used, when it has one. */
  modelVersion?: string;
}

/** One score a source gave an item. */
export interface SourceScore {
  name: string;
  score: number;
}

/** One nearest-neighbour lookup, as the request-scoped ANN loader takes it. */
export interface AnnQuery {
  kind: TargetKind;
  index: 'user' | 'similar';
  vector: Float32Array;
  k: number;
  exclude?: ReadonlySet<number>;
}

/** Runs an ANN lookup; online this is the per-request DataLoader, so one tick's lookups batch. */
export type AnnLookupFn = (query: AnnQuery) => Promise<AnnHit[]>;

/** What a friend has been listening to, for the social source and its explanations. */
export interface FriendActivity {
  id: string;
  name: string;
  history: readonly Interaction[];
}

/** Why an item can never be recommended to this listener. */
export type ExclusionReason = 'PLAYED' | 'SKIPPED' | 'DISLIKED';

/** One request as the pipeline sees it, after validation and access checks. */
/** The moment "new" and "lately" are judged at: when the request is answered, or (offline replays) its context's moment. */
export function momentOf(request: Pick<PipelineRequest, 'receivedAt' | 'context'>): number {
  return request.receivedAt ?? request.context.timestamp;
}

export interface PipelineRequest {
  kind: TargetKind;
  userId: string;
  context: ListeningContext;
  /** The listener's whole history, oldest first (the history cache's array: it keys derived caches). */
  history: readonly Interaction[];
  /** How many list positions to fill (the page's end plus one, to know whether a next page exists). */
  depth: number;
  ann: AnnLookupFn;
  /** The listener's friends and their histories (read only when the social source runs). */
  friends: () => Promise<FriendActivity[]>;
  /**
   * Wall-clock time the request is answered at (ms since the epoch). What is new and what
   * friends played lately is judged as of this moment (fresh releases, social), whatever
   * listening moment the context describes; offline replays leave it out and use the
   * context's timestamp.
   */
  receivedAt?: number;
}
