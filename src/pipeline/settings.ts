/**
 * The pipeline's knobs, with defaults sized for a ~10 ms request on a 100k-track catalogue.
 * Candidate counts are fixed per request, not derived from the page size: a list must be the
 * same list whichever page of it is asked for (see blend.ts on prefix stability).
 */
import { SOURCE_NAMES, type SourceName } from './types.js';

export interface PipelineSettings {
  /** Most candidates each source may propose. */
  sourceCaps: Record<SourceName, number>;
  /** Most candidates after merging every source (each source keeps its best when this bites). */
  maxCandidates: number;
  /** Time every source gets, from the moment the sources start; a late source is reported TIMEOUT and ignored. */
  budgetMs: number;
  /** Candidates the learned ranker scores: the first stage's (weighted blend's) best. */
  rankDepth: number;
  /** MMR trade-off: 1 = relevance only, 0 = diversity only. */
  mmrLambda: number;
  /** Candidates MMR chooses among (the most relevant); the rest follow in relevance order. */
  mmrPool: number;
  /** Every n-th position (n, 2n, …) holds an exploration item; 0 turns exploration off. */
  explorationEvery: number;
  maxPerArtist: number;
  maxPerAlbum: number;
  /** Recent plays the item-to-item source searches from. */
  recentPlays: number;
  maxFriends: number;
  /** Recent plays per friend the social source looks at. */
  friendPlays: number;
  /** How recent a release must be for the fresh-releases source. */
  freshDays: number;
  /** Terms of the listener's tag profile the tag source searches with. */
  profileTerms: number;
  /** Fallback ranker (no learned ranker serving): weight of each source's normalised score. */
  blendWeights: Record<SourceName, number>;
  /**
   * Which source's reason an item states: the one with the largest normalised score times
   * this weight. Specific reasons (a play of yours, your friends, a new release) come before
   * broad ones (the crowd, a tag) when the sources are about equally sure.
   */
  explanationWeights: Record<SourceName, number>;
}

/** Most candidates a request may gather: beyond this the request path stops being interactive. */
export const MAX_CANDIDATES_LIMIT = 10_000;

export const DEFAULT_PIPELINE_SETTINGS: Readonly<PipelineSettings> = Object.freeze({
  sourceCaps: {
    cf: 100, 'item-to-item': 100, social: 50, 'tag-affinity': 100, 'popular-in-context': 100, 'fresh-releases': 30,
  },
  maxCandidates: 400,
  budgetMs: 150,
  rankDepth: 100,
  mmrLambda: 0.8,
  mmrPool: 100,
  explorationEvery: 10,
  maxPerArtist: 2,
  maxPerAlbum: 1,
  recentPlays: 5,
  maxFriends: 50,
  friendPlays: 50,
  freshDays: 90,
  profileTerms: 8,
  // Chosen on the demo world's held-out slice (the same replay the ranker trains on; the
  // training job reports this blend's NDCG as ranker.blend.ndcg@10): CF carries the ranking,
  // context popularity helps, the other sources mostly add candidates for the learned ranker.
  blendWeights: {
    cf: 1, 'item-to-item': 0.3, social: 0.15, 'tag-affinity': 0.15, 'popular-in-context': 0.55, 'fresh-releases': 0.1,
  },
  explanationWeights: {
    'item-to-item': 1, cf: 0.9, social: 0.9, 'fresh-releases': 0.9, 'popular-in-context': 0.7, 'tag-affinity': 0.6,
  },
});

/** Defaults overridden by `overrides`; every per-source cap at most maxCandidates. Throws RangeError on impossible values. */
export function pipelineSettings(overrides: Partial<Omit<PipelineSettings, 'sourceCaps' | 'blendWeights' | 'explanationWeights'>> & {
  sourceCaps?: Partial<Record<SourceName, number>>;
  blendWeights?: Partial<Record<SourceName, number>>;
  explanationWeights?: Partial<Record<SourceName, number>>;
} = {}): PipelineSettings {
  const settings: PipelineSettings = {
    ...DEFAULT_PIPELINE_SETTINGS,
    ...overrides,
    sourceCaps: { ...DEFAULT_PIPELINE_SETTINGS.sourceCaps, ...overrides.sourceCaps },
    blendWeights: { ...DEFAULT_PIPELINE_SETTINGS.blendWeights, ...overrides.blendWeights },
    explanationWeights: { ...DEFAULT_PIPELINE_SETTINGS.explanationWeights, ...overrides.explanationWeights },
  };
  const check = (name: string, value: number, min: number, max: number) => {
    if (!(value >= min && value <= max)) throw new RangeError(`pipeline setting ${name} must be from ${min} to ${max}, got ${value}`);
  };
  check('maxCandidates', settings.maxCandidates, 1, MAX_CANDIDATES_LIMIT);
  for (const name of SOURCE_NAMES) check(`sourceCaps.${name}`, settings.sourceCaps[name], 0, MAX_CANDIDATES_LIMIT);
  check('budgetMs', settings.budgetMs, 1, 60_000);
  check('rankDepth', settings.rankDepth, 1, MAX_CANDIDATES_LIMIT);
  check('mmrLambda', settings.mmrLambda, 0, 1);
  check('mmrPool', settings.mmrPool, 1, MAX_CANDIDATES_LIMIT);
  check('explorationEvery', settings.explorationEvery, 0, 1000);
  check('maxPerArtist', settings.maxPerArtist, 1, 1000);
  check('maxPerAlbum', settings.maxPerAlbum, 1, 1000);
  return settings;
}
