/**
 * The non-personalised baseline: an item's score is the number of users who interacted with
 * it, the same for every user.
 */
import type { InteractionMatrix } from './matrix.js';
import type { Recommender, TrainProgress } from './recommender.js';

export class PopularityRecommender implements Recommender {
  readonly name = 'popularity';
  /** Users per item, from the last fit. */
  counts: Float32Array = new Float32Array(0);

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const counts = new Float32Array(train.items);
    for (let n = 0; n < train.indices.length; n++) counts[train.indices[n]]++;
    this.counts = counts;
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const items = this.counts.length;
    if (out.length < users.length * items) throw new RangeError(`out has ${out.length} cells, needs ${users.length} × ${items}`);
    for (let r = 0; r < users.length; r++) out.set(this.counts, r * items);
  }
}
