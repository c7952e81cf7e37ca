/**
 * Social source: the artists a user's friends play (training matrix only), each friend weighted
 * by how much their training artists overlap with the user's (cosine) plus a floor, so that a
 * friend with similar taste counts more but every friend counts.
 */
import type { InteractionMatrix } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

export interface SocialParams {
  /** Weight every friend gets on top of the taste cosine. */
  floor: number;
}

export const SOCIAL_DEFAULTS: Readonly<SocialParams> = Object.freeze({ floor: 0.05 });

export class SocialRecommender implements Recommender {
  readonly name = 'social';
  readonly params: SocialParams;
  private train: InteractionMatrix | undefined;

  constructor(
    private readonly friends: InteractionMatrix,
    params: Partial<SocialParams> = {},
  ) {
    this.params = { ...SOCIAL_DEFAULTS, ...params };
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train.users !== this.friends.users) throw new RangeError(`train has ${train.users} users, the friend graph ${this.friends.users}`);
    this.train = train;
    onProgress?.(1, 1);
  }

  friendCount(u: number): number {
    return this.friends.indptr[u + 1] - this.friends.indptr[u];
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const train = this.train;
    if (!train) throw new Error('social: fit first');
    const n = train.items;
    const mark = new Uint8Array(n);
    const g = this.friends;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * n;
      out.fill(0, row, row + n);
      const lenU = train.indptr[u + 1] - train.indptr[u];
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) mark[train.indices[k]] = 1;
      for (let e = g.indptr[u]; e < g.indptr[u + 1]; e++) {
        const f = g.indices[e];
        const lenF = train.indptr[f + 1] - train.indptr[f];
        if (lenF === 0) continue;
        let overlap = 0;
        for (let k = train.indptr[f]; k < train.indptr[f + 1]; k++) overlap += mark[train.indices[k]];
        const w = this.params.floor + (lenU > 0 ? overlap / Math.sqrt(lenU * lenF) : 0);
        for (let k = train.indptr[f]; k < train.indptr[f + 1]; k++) out[row + train.indices[k]] += w;
      }
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) mark[train.indices[k]] = 0;
    }
  }
}
