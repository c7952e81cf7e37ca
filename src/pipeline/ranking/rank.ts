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

/** Slot numbers stay below this (MAX_CANDIDATES_LIMIT is 10,000): a sort key keeps 14 bits for them. */
const SLOT_SPAN = 16_384;
const bits = new Float32Array(1);
const bitsAsUint = new Uint32Array(bits.buffer);

/**
 * `slots` (default: every slot) by descending score, ties by slot. Each slot becomes one
 * float64 key — the score's bits flipped to sort descending, times SLOT_SPAN, plus the slot:
 * exact below 2⁵³ — so the sort is the engine's native numeric sort, several times faster
 * than a comparator calling back into JavaScript for every comparison.
 */
export function sortedSlots(scores: Float32Array, slots?: Int32Array): Int32Array {
  const n = slots ? slots.length : scores.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const slot = slots ? slots[i] : i;
    keys[i] = descendingKey(scores[slot]) * SLOT_SPAN + slot;
  }
  keys.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i] % SLOT_SPAN;
  return order;
}

/** A 32-bit key that orders float32 scores from highest to lowest (−0 as 0, NaN last). */
function descendingKey(score: number): number {
  if (Number.isNaN(score)) return 0xffffffff;
  bits[0] = score + 0; // −0 + 0 is +0: the two zeros tie, as they compare equal
  const u = bitsAsUint[0];
  // Ascending order of the raw bits: negatives reversed (flip all bits), positives above them.
  const ascending = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  return 0xffffffff - ascending;
}
