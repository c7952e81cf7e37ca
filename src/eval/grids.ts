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
  // 8 points, ≈ 4 s each on Last.fm 2K (2 threads). Binary data wants a large alpha and, with
  // 'none' scaling, a large lambda (the model defaults give validation NDCG@10 ≈ 0.14 here, this
  // grid ≈ 0.18–0.19). The grid pins the parameters its values assume, whatever the defaults.
  als: {
    full: {
      fixed: { factors: 64, confidence: 'log', epsilon: 1, regScaling: 'none', unobservedWeight: 1 },
      values: { alpha: [8, 16], lambda: [20, 50], iterations: [10, 20] },
    },
    quick: { fixed: { factors: 64, confidence: 'log', epsilon: 1, regScaling: 'none', unobservedWeight: 1, alpha: 16, lambda: 50 }, values: { iterations: [10] } },
  },
  // 8 points, 5–15 s each: BPR keeps improving past 100 epochs at these rates.
  bpr: {
    full: {
      fixed: { factors: 64, biasRegularization: 0.01, initScale: 0.1 },
      values: { learningRate: [0.05, 0.1], regularization: [0.003, 0.01], epochs: [100, 300] },
    },
    quick: { fixed: { factors: 64, biasRegularization: 0.01, initScale: 0.1, learningRate: 0.05, regularization: 0.01 }, values: { epochs: [50] } },
  },
  // 45 points, < 0.5 s each. On binary data BM25's length normalisation (bm25B 0.75, the model
  // default) is far behind; with bm25B = 0 it equals the other weightings.
  'item-knn': {
    full: { fixed: { bm25K1: 1.2, bm25B: 0.75 }, values: { k: [100, 200, 400], weighting: ['none', 'tfidf', 'bm25'], shrink: [0, 2, 5, 10, 30] } },
    quick: { fixed: { bm25K1: 1.2, bm25B: 0.75, weighting: 'tfidf', shrink: 5 }, values: { k: [200] } },
  },
  popularity: {
    full: { values: {} },
    quick: { values: {} },
  },
};
