/**
 * User-based k-nearest neighbours on the training matrix: the k users whose training items
 * overlap most with the user's (cosine, shrunk), score(u, i) = Σ over those neighbours having i
 * of similarity^power. A collaborative source complementary to item-kNN and ALS.
 */
import { type InteractionMatrix, transpose } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

export interface UserKnnParams {
  k: number;
  shrink: number;
  power: number;
}

export const USER_KNN_DEFAULTS: Readonly<UserKnnParams> = Object.freeze({ k: 80, shrink: 2, power: 1 });

export class UserKnnRecommender implements Recommender {
  readonly name = 'user-knn';
  readonly params: UserKnnParams;
  private train: InteractionMatrix | undefined;
  private byItem: InteractionMatrix | undefined;

  constructor(params: Partial<UserKnnParams> = {}) {
    this.params = { ...USER_KNN_DEFAULTS, ...params };
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    this.train = train;
    this.byItem = transpose(train);
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const train = this.train;
    const byItem = this.byItem;
    if (!train || !byItem) throw new Error('user-knn: fit first');
    const n = train.items;
    const overlap = new Float64Array(train.users);
    const touched: number[] = [];
    const { k, shrink, power } = this.params;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * n;
      out.fill(0, row, row + n);
      const lenU = train.indptr[u + 1] - train.indptr[u];
      if (lenU === 0) continue;
      for (let e = train.indptr[u]; e < train.indptr[u + 1]; e++) {
        const i = train.indices[e];
        for (let f = byItem.indptr[i]; f < byItem.indptr[i + 1]; f++) {
          const v = byItem.indices[f];
          if (v === u) continue;
          if (overlap[v] === 0) touched.push(v);
          overlap[v]++;
        }
      }
      const sims = touched.map((v) => {
        const lenV = train.indptr[v + 1] - train.indptr[v];
        return { v, s: overlap[v] / (Math.sqrt(lenU * lenV) + shrink) };
      });
      for (const v of touched) overlap[v] = 0;
      touched.length = 0;
      sims.sort((a, c) => c.s - a.s || a.v - c.v);
      for (let r = 0; r < Math.min(k, sims.length); r++) {
        const { v, s } = sims[r];
        const w = power === 1 ? s : Math.pow(s, power);
        for (let e = train.indptr[v]; e < train.indptr[v + 1]; e++) out[row + train.indices[e]] += w;
      }
    }
  }
}
