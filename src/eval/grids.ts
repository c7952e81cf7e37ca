/**
 * The hyperparameter grids searched on validation, per model: `full` for reported runs,
 * `quick` (one or two points) for smoke runs. Parameters not named keep the model's defaults
 * (src/models/cf DEFAULT_PARAMS). Epochs and iterations are grid dimensions, so they are chosen
 * on validation like the rest.
 *
 * Embedding size is fixed at 64 for the factor models, as in the published Last.fm 2K table
 * (RecBole-GNN restricts every model to 64 "for fairness").
 */
import type { RecommenderName } from '../models/cf/index.js';
import type { GridSpec } from './tuning.js';

export const GRIDS: Record<RecommenderName, { full: GridSpec; quick: GridSpec }> = {
  // 8 points, ≈ 4 s each on Last.fm 2K (2 threads). Binary data wants far larger alpha and
  // lambda than the model defaults (alpha 1, lambda 0.1: validation NDCG@10 ≈ 0.15 vs ≈ 0.18).
  als: {
    full: { fixed: { factors: 64 }, values: { alpha: [8, 16], lambda: [20, 50], iterations: [10, 20] } },
    quick: { fixed: { factors: 64 }, values: { alpha: [16], lambda: [50], iterations: [10] } },
  },
  // 8 points, 5–15 s each: BPR keeps improving past 100 epochs at these rates.
  bpr: {
    full: { fixed: { factors: 64 }, values: { learningRate: [0.05, 0.1], regularization: [0.003, 0.01], epochs: [100, 300] } },
    quick: { fixed: { factors: 64 }, values: { epochs: [50] } },
  },
  // 27 points, < 0.5 s each. On binary data 'bm25' (the model default) is far behind.
  'item-knn': {
    full: { values: { k: [100, 200, 400], weighting: ['none', 'tfidf', 'bm25'], shrink: [0, 10, 100] } },
    quick: { values: { k: [200], weighting: ['tfidf'], shrink: [30] } },
  },
  popularity: {
    full: { values: {} },
    quick: { values: {} },
  },
};
