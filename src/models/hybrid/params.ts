/** The hybrid's settings and their defaults (each default is a validation choice: README.md). */
import { LAMBDAMART_DEFAULTS } from '../ranker/lambdamart.js';
import { EASE_DEFAULTS } from './ease.js';

/** The per-source feature columns (candidates.ts): score, rank, score − the best, z-score. */
export const SOURCE_FEATURE_FAMILIES = ['score', 'rank', 'relative', 'z'] as const;

export const HYBRID_SOURCES = ['als', 'item-knn', 'user-knn', 'rp3beta', 'ease', 'social', 'tags', 'tag-knn', 'popularity', 'recent-knn', 'recent-als'] as const;

export interface HybridParams {
  /** Candidates proposed per source and user. */
  candidates: number;
  /**
   * Sources, comma-separated among als, item-knn, user-knn, rp3beta, ease, social, tags, popularity,
   * recent-knn, recent-als. A source the data cannot feed (no friend graph, no tags, no
   * listening history) is left out.
   */
  sources: string;
  alsFactors: number;
  alsAlpha: number;
  alsLambda: number;
  alsIterations: number;
  /** ALS fits (seeds seed, seed + 1, …) whose scores are averaged into the als source. */
  alsFits: number;
  knnK: number;
  knnWeighting: string;
  knnShrink: number;
  userKnnK: number;
  rp3Beta: number;
  easeLambda: number;
  socialFloor: number;
  tagOwnWeight: number;
  /** Neighbours per artist of the tag-kNN source. */
  tagKnnK: number;
  /**
   * Per-source feature families the ranker may split on, comma-separated among score, rank,
   * relative, z (the columns stay: the fusion reads the ranks).
   */
  sourceFeatures: string;
  /** Share of the features each ranker tree may split on (1: all). */
  featureFraction: number;
  /** Extra feature groups, comma-separated among FEATURE_GROUPS (features.ts); '' for none. */
  features: string;
  /** On listening data, never propose items the user listened to only briefly before (skips). */
  maskSkips: boolean;
  /**
   * When ranking after `fitStacked` on the same training matrix: make the candidates and their
   * features with the validation items still in the pool, as in the validation lists the ranker
   * learned from, and drop them only after scoring. Otherwise they leave the pool first, which
   * moves every other candidate's rank, relative score and z-score away from what the ranker saw.
   */
  validationInPool: boolean;
  /** Extra labelled windows asked of the protocol for the ranker's training (see fitStacked). */
  windows: number;
  /**
   * Rounds of `windows` (random splits): each round folds every user's training items anew, so
   * the ranker sees rounds × windows labelled lists per user. 1: one partition.
   */
  windowRounds: number;
  /** Share of a window's negative candidates kept for the ranker (seeded; positives always kept). */
  windowNegatives: number;
  /**
   * Fit each window's sources on its training matrix plus the validation items (as inputs, never
   * as labels), so a window's lists are shaped like the validation lists: as many known items per
   * user, the held-out items, and only the test items unknown. Not on listening data, whose
   * windows are earlier in time than validation.
   */
  windowsWithValidation: boolean;
  /**
   * Give the ranker, per user and source, how well that source found the user's held-out items
   * in the stacking windows (reliability.ts; a window's lists from the other windows). Needs at
   * least two windows.
   */
  userReliability: boolean;
  /**
   * Give the ranker, per candidate artist, its precision as a candidate over the stacking windows
   * (item-precision.ts; a window's lists from the other windows), shrunk towards the pooled
   * precision with this many pseudo-proposals; 0: off (no gain measured). Needs at least two windows.
   */
  itemPrecisionPrior: number;
  /** Maximum trees (early stopping on the inner half picks the number). */
  trees: number;
  learningRate: number;
  /** Tree depths tried on the inner split, comma-separated. */
  depths: string;
  minLeaf: number;
  /** L2 regularisation of the ranker's leaf values (Newton steps Σg / (Σh + l2)). */
  rankerL2: number;
  patience: number;
  /** Early stopping keeps the tree count whose ±smoothing neighbourhood is best on the held-out half. */
  smoothing: number;
  /** Share of the lists each tree of the ranker is grown on (stochastic boosting; 1: all). */
  rankerSubsample: number;
  /** The ranker's loss: 'lambdarank' (pairwise, NDCG-weighted) or 'softmax' (listwise cross-entropy). */
  rankerObjective: string;
  /** Share of the validation users the ranker trains on during the inner selection. */
  innerShare: number;
  /** Retrain the chosen ranker on all validation users (else keep the one trained on the inner half). */
  refit: boolean;
  /**
   * Cross-fitting (≥ 2; 0 or 1: off): the validation users fall in `crossFit` seeded folds; one
   * ranker per fold trains on the windows and the other folds, the tree count is chosen on the
   * held-out curves averaged over the folds, and the rankers' mean score orders the candidates
   * (no refit; `depths`' first depth; `innerShare` and `refit` unused).
   */
  crossFit: number;
  /**
   * How candidates are ordered: 'ranker' (LambdaMART), 'rrf' (reciprocal-rank fusion of the
   * sources), or 'auto': the ranker when it beats the fusion on the held-out validation users
   * by more than `autoMargin` standard errors (paired over users), else the fusion — a learned
   * ranker needs enough labels to beat a fixed rule.
   */
  combiner: string;
  autoMargin: number;
  /**
   * The sources the reciprocal-rank fusion adds up (comma-separated; those present). Default:
   * all but popularity and user-kNN, whose lists are nearly the same popular items for
   * everyone (see README).
   */
  fusion: string;
  /** The constant k of the fusion: score = Σ 1 / (k + rank). */
  fusionK: number;
  seed: number;
  /**
   * Added to the seed of the rankers' own draws only (which lists each tree grows on), not to
   * the sources, the folds or the sampled negatives: for measuring how much of a figure is the
   * ranker's seed.
   */
  rankerSeedOffset: number;
  threads: number | string;
}

export const HYBRID_DEFAULTS: Readonly<HybridParams> = Object.freeze({
  candidates: 50,
  sources: 'als,item-knn,user-knn,rp3beta,social,tags,popularity,recent-knn,recent-als',
  alsFactors: 64,
  alsAlpha: 16,
  alsLambda: 50,
  alsIterations: 15,
  alsFits: 1,
  knnK: 200,
  knnWeighting: 'tfidf',
  knnShrink: 5,
  userKnnK: 80,
  rp3Beta: 0.5,
  easeLambda: EASE_DEFAULTS.lambda,
  socialFloor: 0.05,
  tagOwnWeight: 0.5,
  tagKnnK: 100,
  sourceFeatures: 'score,rank,relative,z',
  featureFraction: 1,
  features: '',
  maskSkips: true,
  validationInPool: false,
  userReliability: false,
  itemPrecisionPrior: 0,
  windows: 8,
  windowRounds: 1,
  windowNegatives: 0.25,
  windowsWithValidation: true,
  trees: 300,
  learningRate: 0.1,
  depths: '3',
  minLeaf: 50,
  rankerL2: LAMBDAMART_DEFAULTS.l2,
  patience: 50,
  smoothing: 10,
  rankerSubsample: 0.5,
  rankerObjective: LAMBDAMART_DEFAULTS.objective,
  innerShare: 0.5,
  refit: true,
  crossFit: 3,
  combiner: 'auto',
  autoMargin: 2,
  fusion: 'als,item-knn,rp3beta,social,tags,recent-knn,recent-als',
  fusionK: 60,
  seed: 1,
  rankerSeedOffset: 0,
  threads: 'auto',
});

/** The ALS settings every hybrid ALS fit shares (the lab's validation choice on Last.fm 2K besides factors, α, λ and iterations). */
export const HYBRID_ALS = Object.freeze({ confidence: 'log' as const, epsilon: 1, regScaling: 'none' as const, unobservedWeight: 1 });
