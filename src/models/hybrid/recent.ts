/**
 * Sources from a listener's recent plays (the last weeks before the cut-off, from
 * `ListeningHistory.recent`), for temporal data where what someone discovers next follows what
 * they play now more than what they played a year ago:
 *
 * - `recent-knn`: item-kNN scores from the recent items only, each weighted by log(1 + plays);
 * - `recent-als`: the ALS item factors scored against a user vector folded in from the recent
 *   plays alone (same confidence as training).
 *
 * Both reuse a source fitted on the full training matrix (its neighbour lists or item factors);
 * their own `fit` only checks the shapes.
 */
import type { ImplicitALS } from '../cf/als.js';
import type { ItemKnnRecommender } from '../cf/item-knn.js';
import type { InteractionMatrix } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

export class RecentKnnSource implements Recommender {
  readonly name = 'recent-knn';
  constructor(
    private readonly knn: ItemKnnRecommender,
    private readonly recent: InteractionMatrix,
  ) {}

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train.items !== this.recent.items || train.users !== this.recent.users) throw new RangeError('recent-knn: the recent plays do not match the training matrix');
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const r = this.recent;
    const n = r.items;
    const { nbrPtr, nbrIndex, nbrSim } = this.knn;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * n;
      out.fill(0, row, row + n);
      for (let k = r.indptr[u]; k < r.indptr[u + 1]; k++) {
        const j = r.indices[k];
        const w = Math.log1p(r.values[k]);
        for (let q = nbrPtr[j]; q < nbrPtr[j + 1]; q++) out[row + nbrIndex[q]] += w * nbrSim[q];
      }
    }
  }
}

export class RecentAlsSource implements Recommender {
  readonly name = 'recent-als';
  constructor(
    private readonly als: ImplicitALS,
    private readonly recent: InteractionMatrix,
  ) {}

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train.items !== this.recent.items || train.users !== this.recent.users) throw new RangeError('recent-als: the recent plays do not match the training matrix');
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const r = this.recent;
    const n = r.items;
    const k = this.als.factors;
    const y = this.als.itemFactors;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * n;
      if (r.indptr[u + 1] === r.indptr[u]) {
        out.fill(0, row, row + n);
        continue;
      }
      const x = this.als.foldIn(r.indices.subarray(r.indptr[u], r.indptr[u + 1]), r.values.subarray(r.indptr[u], r.indptr[u + 1]));
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let f = 0; f < k; f++) s += x[f] * y[i * k + f];
        out[row + i] = s;
      }
    }
  }
}
