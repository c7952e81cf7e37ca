/**
 * The interface every collaborative recommender implements (ALS, BPR, item-kNN, popularity),
 * so that training, evaluation and serving treat them alike and comparisons are fair.
 */
import type { InteractionMatrix } from './matrix.js';

export interface TrainProgress {
  /** Called after each epoch/iteration with the 1-based number and the total. */
  (done: number, total: number, note?: string): void;
}

export interface Recommender {
  readonly name: string;
  fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void>;
  /**
   * Scores of every item for each of `users` (rows of the training matrix), row-major into
   * `out` (length users.length × items). Higher is better. Items the user trained on are not
   * masked here: the caller masks what it must.
   */
  scoreUsers(users: Int32Array, out: Float32Array): void;
}

/** Recommenders that embed users and items in one space (score = dot product). */
export interface FactorRecommender extends Recommender {
  readonly factors: number;
  /** users × factors, row-major. */
  readonly userFactors: Float32Array;
  /** items × factors, row-major. */
  readonly itemFactors: Float32Array;
  /**
   * A user vector for a history that was not trained on (a new or changed listener), computed
   * against the fixed item factors: milliseconds, no retraining.
   */
  foldIn(items: Int32Array, values: Float32Array): Float32Array;
}
