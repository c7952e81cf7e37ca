/**
 * The ranking stage: the weighted blend scores every candidate (first stage); with a learned
 * ranker serving, its best `rankDepth` are re-scored by the ranker from their feature vectors
 * and placed above the rest, which keep the blend's order. The result is each candidate's
 * relevance and the candidates in relevance order, which blending then diversifies.
 */
import type { CandidatePool } from '../candidates.js';
import { computeFeatures, FEATURE_COUNT, type FeatureContext } from '../features.js';
import type { LearnedRanker, WeightedBlend } from './ranker.js';

export interface RankedCandidates {
  /** Per slot: the weighted blend's score. */
  firstStage: Float32Array;
  /** Per slot: the score the list is ordered by (the learned ranker's where it scored). */
  relevance: Float32Array;
  /** Slots, most relevant first (ties: the earlier slot). */
  order: Int32Array;
  /** Which ranker produced `relevance`: a learned ranker's name, or "weighted-blend". */
  ranker: string;
  /** Slots the learned ranker scored, and their feature rows (for the debug view). */
  scored?: { slots: Int32Array; features: Float32Array };
}

export const BLEND_RANKER = 'weighted-blend';

export function rankCandidates(
  pool: CandidatePool,
  blend: WeightedBlend,
  learned: LearnedRanker | undefined,
  features: () => FeatureContext,
  rankDepth: number,
): RankedCandidates {
  const n = pool.size;
  const firstStage = new Float32Array(n);
  blend.score(pool, firstStage);
  const byFirstStage = sortedSlots(firstStage);
  if (!learned || n === 0) {
    return { firstStage, relevance: firstStage, order: byFirstStage, ranker: BLEND_RANKER };
  }
  const depth = Math.min(rankDepth, n);
  const slots = byFirstStage.slice(0, depth);
  const rows = new Float32Array(depth * FEATURE_COUNT);
  computeFeatures(features(), slots, rows);
  const scores = new Float32Array(depth);
  learned.score(rows, depth, scores);
  const relevance = new Float32Array(n);
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < depth; r++) {
    relevance[slots[r]] = scores[r];
    if (scores[r] < min) min = scores[r];
  }
  // The rest stay below every ranked candidate, in first-stage order.
  const best = firstStage[byFirstStage[0]] || 1;
  for (let r = depth; r < n; r++) {
    const slot = byFirstStage[r];
    relevance[slot] = min - 1 + (0.5 * firstStage[slot]) / best;
  }
  let order: Int32Array;
  if (best > 0) {
    // With a positive best, the rest's relevance keeps their first-stage order below the
    // ranked ones, so only the ranked head needs sorting.
    order = byFirstStage;
    order.set(sortedSlots(relevance, slots));
  } else {
    order = sortedSlots(relevance);
  }
  return { firstStage, relevance, order, ranker: learned.name, scored: { slots, features: rows } };
}

/** `slots` (default: every slot) by descending score, ties by slot. */
function sortedSlots(scores: Float32Array, slots?: Int32Array): Int32Array {
  const order = slots ? Int32Array.from(slots) : Int32Array.from(scores.keys());
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order;
}
