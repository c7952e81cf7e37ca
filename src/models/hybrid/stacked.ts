/**
 * The contract between the evaluation lab and a *stacked* model: one that learns something (a
 * ranker) from held-out labels. The lab hands it the tuning part and, on request, more labelled
 * windows made from the training data alone — never a test cell.
 */
import type { InteractionMatrix } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

/** Training and validation matrices: all a stacked model may see (never test). */
export interface StackingData {
  readonly train: InteractionMatrix;
  readonly validation: InteractionMatrix;
}

export interface StackedRecommender extends Recommender {
  /** How many extra labelled windows `fitStacked` would like from the protocol (0: none). */
  readonly stackingWindows: number;
  /** Rounds of those windows, each from a new shuffle where the protocol can (default 1). */
  readonly stackingRounds?: number;
  /**
   * Fits whatever needs held-out labels (a ranker) from validation, and from `windows` (more
   * {train, held-out} pairs made from the training data alone); sources from train.
   */
  fitStacked(data: StackingData, onProgress?: TrainProgress, windows?: readonly StackingData[]): Promise<void>;
  /** A summary of the stacked fit for reports (JSON-serialisable), once fitted. */
  stackReport?(): unknown;
}

export function isStacked(model: Recommender): model is StackedRecommender {
  return typeof (model as Partial<StackedRecommender>).fitStacked === 'function';
}
