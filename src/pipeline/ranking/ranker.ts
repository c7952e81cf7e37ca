/**
 * Rankers order a request's candidates. Two implementations of one interface:
 *
 * - `WeightedBlend`, the first stage and the fallback when no learned ranker serves: each
 *   source's score divided by its best score in the request (0…1), times the source's weight
 *   (settings.blendWeights), summed over the sources that proposed the item, plus
 *   AGREEMENT_BONUS per additional proposing source. Needs no features.
 * - `LearnedRanker`: a LambdaMART model over the feature vector (features.ts), trained by the
 *   training job on held-out plays. It scores the first stage's best `rankDepth` candidates.
 */
import type { LambdaMart } from '../../models/ranker/lambdamart.js';
import type { CandidatePool } from '../candidates.js';
import { FEATURE_NAMES } from '../features.js';
import { SOURCE_COUNT, SOURCE_NAMES, type SourceName } from '../types.js';

/** Added per proposing source beyond the first: agreement between sources is evidence. */
export const AGREEMENT_BONUS = 0.05;

export class WeightedBlend {
  private readonly weights: Float32Array;

  constructor(weights: Record<SourceName, number>, private readonly agreementBonus = AGREEMENT_BONUS) {
    this.weights = Float32Array.from(SOURCE_NAMES, (name) => weights[name]);
  }

  /** Each source's contribution to a slot's blended score (0 when it did not propose it). */
  contribution(pool: CandidatePool, slot: number, source: number): number {
    return this.weights[source] * pool.normalised(slot, source);
  }

  score(pool: CandidatePool, out: Float32Array): void {
    for (let slot = 0; slot < pool.size; slot++) {
      let score = 0;
      let proposing = 0;
      for (let s = 0; s < SOURCE_COUNT; s++) {
        if (!pool.proposed(slot, s)) continue;
        score += this.contribution(pool, slot, s);
        proposing++;
      }
      out[slot] = score + this.agreementBonus * Math.max(0, proposing - 1);
    }
  }
}

/** A model that scores feature rows (rows × FEATURE_NAMES.length). */
export interface LearnedRanker {
  /** For reports and the debug view, e.g. "lambdamart (cf-track-…)". */
  readonly name: string;
  score(features: Float32Array, rows: number, out: Float32Array): void;
}

export class LambdaMartRanker implements LearnedRanker {
  readonly name: string;

  constructor(private readonly model: LambdaMart, versionId: string) {
    if (model.numFeatures !== FEATURE_NAMES.length) {
      throw new Error(`ranker of ${versionId} has ${model.numFeatures} features, the pipeline computes ${FEATURE_NAMES.length}`);
    }
    this.name = `lambdamart (${versionId})`;
  }

  score(features: Float32Array, rows: number, out: Float32Array): void {
    this.model.predict(features.subarray(0, rows * FEATURE_NAMES.length), out);
  }
}
