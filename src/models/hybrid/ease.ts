/**
 * EASE (Steck 2019: an item-item linear autoencoder with a zero diagonal, closed form):
 * B = I − P · diag(1 / diag(P)), P = (XᵀX + λI)⁻¹, score(u) = x_u B. Unlike item-kNN and
 * RP3beta its weights are fitted jointly (a regression of every item on all the others), which
 * is why it complements ALS where the neighbourhood sources do not.
 *
 * The primal form inverts an items × items matrix (17,632² on Last.fm 2K). This class uses the
 * dual form instead, exact by the Woodbury identity: with M = (XXᵀ + λI)⁻¹ (users × users),
 * X P = M X and diag(P)_i = (1 − x_iᵀ M x_i) / λ (x_i: item i's column), so for an item the
 * user has not played, score(u, i) = −(M X)[u, i] / P[i, i]. Cost: users³/2 multiply-adds and a
 * users² matrix — right when there are fewer users than items (the lab's datasets), wrong for
 * millions of listeners.
 */
import { choleskyInverse } from '../cf/linalg.js';
import { type InteractionMatrix, transpose } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';

export interface EaseParams {
  /** L2 penalty λ on the item-item weights. */
  lambda: number;
}

/** λ 100: best of 50 / 100 / 200 / 400 on the Last.fm 2K validation split (seeds 1 and 2). */
export const EASE_DEFAULTS: Readonly<EaseParams> = Object.freeze({ lambda: 100 });

/** Above this many users the dual matrix (users², float64) is refused: 20,000 users is 3.2 GB. */
export const EASE_MAX_USERS = 20_000;

export class EaseRecommender implements Recommender {
  readonly name = 'ease';
  readonly params: EaseParams;
  private train: InteractionMatrix | undefined;
  /** (XXᵀ + λI)⁻¹, users × users. */
  private dual: Float64Array | undefined;
  /** 1 / P[i, i] per item (λ for an item nobody trained on). */
  private inverseDiagonal: Float64Array | undefined;

  constructor(params: Partial<EaseParams> = {}) {
    this.params = { ...EASE_DEFAULTS, ...params };
    if (!(this.params.lambda > 0)) throw new RangeError(`ease: lambda must be > 0, got ${this.params.lambda}`);
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const { users, items } = train;
    if (users > EASE_MAX_USERS) throw new RangeError(`ease: ${users} users is over the dual form's limit of ${EASE_MAX_USERS}`);
    const { lambda } = this.params;
    // XXᵀ + λI over presence (EASE is fitted on binary data): co-played items per user pair.
    const byItem = transpose(train);
    const gram = new Float64Array(users * users);
    for (let i = 0; i < items; i++) {
      const start = byItem.indptr[i];
      const end = byItem.indptr[i + 1];
      for (let e = start; e < end; e++) {
        const row = byItem.indices[e] * users;
        for (let f = start; f < end; f++) gram[row + byItem.indices[f]] += 1;
      }
    }
    for (let u = 0; u < users; u++) gram[u * users + u] += lambda;
    const dual = choleskyInverse(gram, users, (done, total) => onProgress?.(done, total, 'ease: inverting'));
    // diag(P)_i = (1 − Σ_{v, w ∈ users(i)} M[v, w]) / λ.
    const inverseDiagonal = new Float64Array(items);
    for (let i = 0; i < items; i++) {
      let quadratic = 0;
      for (let e = byItem.indptr[i]; e < byItem.indptr[i + 1]; e++) {
        const row = byItem.indices[e] * users;
        for (let f = byItem.indptr[i]; f < byItem.indptr[i + 1]; f++) quadratic += dual[row + byItem.indices[f]];
      }
      inverseDiagonal[i] = lambda / (1 - quadratic);
    }
    this.train = train;
    this.dual = dual;
    this.inverseDiagonal = inverseDiagonal;
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const train = this.train;
    const dual = this.dual;
    const inverseDiagonal = this.inverseDiagonal;
    if (!train || !dual || !inverseDiagonal) throw new Error('ease: fit first');
    const n = train.items;
    const row = new Float64Array(n);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      // (M X)[u] = Σ_v M[u, v] x_v.
      row.fill(0);
      const mo = u * train.users;
      for (let v = 0; v < train.users; v++) {
        const m = dual[mo + v];
        for (let e = train.indptr[v]; e < train.indptr[v + 1]; e++) row[train.indices[e]] += m;
      }
      const o = b * n;
      for (let i = 0; i < n; i++) out[o + i] = -row[i] * inverseDiagonal[i];
      // A played item's own weight is excluded (B's zero diagonal): x_u P adds P[i, i] for it.
      for (let e = train.indptr[u]; e < train.indptr[u + 1]; e++) out[o + train.indices[e]] += 1;
    }
  }
}
