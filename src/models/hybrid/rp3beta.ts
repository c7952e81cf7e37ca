/**
 * RP3beta (a random walk user → item → user → item, re-weighted against popularity): item-item
 * weights W[j, i] = Σ_u P(u | j)^α P(i | u)^α / popularity(i)^β, the top k per item kept;
 * score(u, i) = Σ over the user's training items j of W[j, i]. Another collaborative source,
 * with a popularity penalty the other sources lack.
 */
import { type InteractionMatrix, transpose } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

export interface Rp3Params {
  k: number;
  alpha: number;
  beta: number;
}

export const RP3_DEFAULTS: Readonly<Rp3Params> = Object.freeze({ k: 100, alpha: 1, beta: 0.5 });

export class Rp3BetaRecommender implements Recommender {
  readonly name = 'rp3beta';
  readonly params: Rp3Params;
  private train: InteractionMatrix | undefined;
  private neighbours: { indptr: Int32Array; indices: Int32Array; values: Float32Array } | undefined;

  constructor(params: Partial<Rp3Params> = {}) {
    this.params = { ...RP3_DEFAULTS, ...params };
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const { k, alpha, beta } = this.params;
    const byItem = transpose(train);
    const n = train.items;
    const degUser = (u: number): number => train.indptr[u + 1] - train.indptr[u];
    const degItem = (i: number): number => byItem.indptr[i + 1] - byItem.indptr[i];
    const acc = new Float64Array(n);
    const touched: number[] = [];
    const indptr = new Int32Array(n + 1);
    const indices: number[] = [];
    const values: number[] = [];
    for (let j = 0; j < n; j++) {
      const dj = degItem(j);
      if (dj > 0) {
        const pj = Math.pow(1 / dj, alpha);
        for (let e = byItem.indptr[j]; e < byItem.indptr[j + 1]; e++) {
          const u = byItem.indices[e];
          const w = pj * Math.pow(1 / degUser(u), alpha);
          for (let f = train.indptr[u]; f < train.indptr[u + 1]; f++) {
            const i = train.indices[f];
            if (i === j) continue;
            if (acc[i] === 0) touched.push(i);
            acc[i] += w;
          }
        }
        const scored = touched.map((i) => ({ i, w: acc[i] / Math.pow(degItem(i), beta) }));
        for (const i of touched) acc[i] = 0;
        touched.length = 0;
        scored.sort((a, b) => b.w - a.w || a.i - b.i);
        for (let r = 0; r < Math.min(k, scored.length); r++) {
          indices.push(scored[r].i);
          values.push(scored[r].w);
        }
      }
      indptr[j + 1] = indices.length;
    }
    this.neighbours = { indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
    this.train = train;
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const train = this.train;
    const w = this.neighbours;
    if (!train || !w) throw new Error('rp3beta: fit first');
    const n = train.items;
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * n;
      out.fill(0, row, row + n);
      for (let e = train.indptr[u]; e < train.indptr[u + 1]; e++) {
        const j = train.indices[e];
        for (let f = w.indptr[j]; f < w.indptr[j + 1]; f++) out[row + w.indices[f]] += w.values[f];
      }
    }
  }
}
