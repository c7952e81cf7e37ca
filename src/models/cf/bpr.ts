/**
 * Matrix factorisation trained with Bayesian Personalized Ranking (Rendle et al. 2009):
 * stochastic gradient ascent on ln σ(x̂_ui − x̂_uj) over triples of a user u, an item i the
 * user interacted with (drawn uniformly among all interactions) and an item j drawn uniformly
 * among the items the user did not interact with. x̂_ui = p_u · q_i + b_i.
 *
 * To honour the FactorRecommender contract (score = dot product), the item bias is stored as
 * an extra factor: userFactors rows are [p_u, 1] and itemFactors rows are [q_i, b_i], so the
 * exposed `factors` is the latent dimension + 1.
 */
import { scoreRows, similarItems, type TopK } from './factor-utils.js';
import type { InteractionMatrix } from './matrix.js';
import type { FactorRecommender, TrainProgress } from './recommender.js';
import { deriveSeed, SeededRandom } from './rng.js';

export interface BprParams {
  /** Latent dimension (the exposed `factors` is one more: the bias column). */
  factors: number;
  /** Passes of (number of interactions) SGD steps each. */
  epochs: number;
  learningRate: number;
  /** L2 weight on the user and item factors. */
  regularization: number;
  /** L2 weight on the item biases. */
  biasRegularization: number;
  /** Initial factors ~ N(0, (initScale/√k)²); biases start at 0. */
  initScale: number;
  seed: number;
  /** SGD passes over a history in `foldIn`. */
  foldInEpochs: number;
}

/**
 * Defaults tuned on the Last.fm 2K validation split (bench/als.ts --quality): Recall@10
 * 0.177–0.185 over seeds at 400 epochs with lr 0.05 and regularisation 0.01 (lr 0.1 or
 * regularisation 0.05 were worse; 128 factors gained ~0.005 at twice the cost).
 */
export const BPR_DEFAULTS: Readonly<BprParams> = Object.freeze({
  factors: 64,
  epochs: 400,
  learningRate: 0.05,
  regularization: 0.01,
  biasRegularization: 0.01,
  initScale: 0.1,
  seed: 42,
  foldInEpochs: 100,
});

export class BprRecommender implements FactorRecommender {
  readonly name: string = 'bpr';
  readonly params: BprParams;
  userFactors: Float32Array = new Float32Array(0);
  itemFactors: Float32Array = new Float32Array(0);

  constructor(params: Partial<BprParams> = {}) {
    this.params = { ...BPR_DEFAULTS, ...params };
    const { factors, epochs, learningRate, regularization, biasRegularization, foldInEpochs } = this.params;
    if (!Number.isInteger(factors) || factors < 1) throw new RangeError(`BPR factors must be a positive integer, got ${factors}`);
    if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`BPR epochs must be ≥ 0, got ${epochs}`);
    if (!Number.isInteger(foldInEpochs) || foldInEpochs < 0) throw new RangeError(`BPR foldInEpochs must be ≥ 0, got ${foldInEpochs}`);
    if (!(learningRate > 0)) throw new RangeError(`BPR learningRate must be > 0, got ${learningRate}`);
    if (!(regularization >= 0) || !(biasRegularization >= 0)) throw new RangeError('BPR regularization must be ≥ 0');
  }

  /** Width of a factor row: latent dimension + the bias column. */
  get factors(): number {
    return this.params.factors + 1;
  }

  get items(): number {
    return this.itemFactors.length / this.factors;
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const { factors: k, epochs, learningRate: lr, regularization: reg, biasRegularization: regBias, initScale, seed } = this.params;
    const width = k + 1;
    const { users, items, indptr, indices } = train;
    const nnz = indices.length;
    const p = new Float32Array(users * width);
    const q = new Float32Array(items * width);
    const sigma = initScale / Math.sqrt(k);
    const init = new SeededRandom(deriveSeed(seed, 'bpr-init'));
    for (let u = 0; u < users; u++) {
      for (let f = 0; f < k; f++) p[u * width + f] = sigma * init.normal();
      p[u * width + k] = 1;
    }
    for (let i = 0; i < items; i++) for (let f = 0; f < k; f++) q[i * width + f] = sigma * init.normal();
    // The user of each interaction, so that interactions can be drawn uniformly.
    const userOf = new Int32Array(nnz);
    for (let u = 0; u < users; u++) userOf.fill(u, indptr[u], indptr[u + 1]);
    // The arrays are live during training, so a progress callback can evaluate checkpoints.
    this.userFactors = p;
    this.itemFactors = q;
    const random = new SeededRandom(deriveSeed(seed, 'bpr-sgd'));
    for (let epoch = 1; epoch <= epochs; epoch++) {
      for (let step = 0; step < nnz; step++) {
        const n = random.int(nnz);
        const u = userOf[n];
        const start = indptr[u];
        const end = indptr[u + 1];
        if (end - start >= items) continue;
        let j = random.int(items);
        while (contains(indices, start, end, j)) j = random.int(items);
        sgdStep(p, u * width, q, indices[n] * width, j * width, k, lr, reg, regBias, true);
      }
      onProgress?.(epoch, epochs);
      if (epoch % 10 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Restores a trained model from its packed factors (see persist.ts). */
  static fromFactors(params: Partial<BprParams>, userFactors: Float32Array, itemFactors: Float32Array): BprRecommender {
    const model = new BprRecommender(params);
    const width = model.factors;
    if (userFactors.length % width !== 0 || itemFactors.length % width !== 0) throw new RangeError(`factor arrays are not multiples of ${width}`);
    model.userFactors = userFactors;
    model.itemFactors = itemFactors;
    return model;
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    scoreRows(this.userFactors, users, this.itemFactors, this.factors, this.items, out);
  }

  similarItems(item: number, n: number): TopK {
    return similarItems(this, item, n);
  }

  /**
   * A user vector for a history (strengths are ignored: BPR is binary), by the same SGD with
   * the item factors and biases fixed, starting from zero; deterministic.
   */
  foldIn(items: Int32Array, values: Float32Array): Float32Array {
    if (items.length !== values.length) throw new RangeError(`foldIn: ${items.length} items but ${values.length} values`);
    const { factors: k, learningRate: lr, regularization: reg, foldInEpochs, seed } = this.params;
    const width = k + 1;
    const itemCount = this.items;
    const positives = Int32Array.from(new Set(Array.from(items).filter((_, n) => values[n] > 0))).sort();
    for (const i of positives) if (!(i >= 0 && i < itemCount)) throw new RangeError(`foldIn: item ${i} is outside 0..${itemCount - 1}`);
    const user = new Float32Array(width);
    user[k] = 1;
    if (positives.length === 0 || positives.length >= itemCount) return user;
    const random = new SeededRandom(deriveSeed(seed, 'bpr-fold-in'));
    const steps = foldInEpochs * positives.length;
    for (let step = 0; step < steps; step++) {
      const i = positives[random.int(positives.length)];
      let j = random.int(itemCount);
      while (contains(positives, 0, positives.length, j)) j = random.int(itemCount);
      sgdStep(user, 0, this.itemFactors, i * width, j * width, k, lr, reg, 0, false);
    }
    return user;
  }
}

/** Whether sorted[start .. end) contains value (binary search). */
function contains(sorted: Int32Array, start: number, end: number, value: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * One BPR step on (user row at po, positive item row at io, negative item row at jo); the
 * bias is column k of the item rows. With `updateItems` false only the user row moves.
 */
function sgdStep(p: Float32Array, po: number, q: Float32Array, io: number, jo: number, k: number, lr: number, reg: number, regBias: number, updateItems: boolean): void {
  const k4 = k & ~3;
  let x0 = q[io + k] - q[jo + k];
  let x1 = 0;
  let x2 = 0;
  let x3 = 0;
  let f = 0;
  for (; f < k4; f += 4) {
    x0 += p[po + f] * (q[io + f] - q[jo + f]);
    x1 += p[po + f + 1] * (q[io + f + 1] - q[jo + f + 1]);
    x2 += p[po + f + 2] * (q[io + f + 2] - q[jo + f + 2]);
    x3 += p[po + f + 3] * (q[io + f + 3] - q[jo + f + 3]);
  }
  for (; f < k; f++) x0 += p[po + f] * (q[io + f] - q[jo + f]);
  // d/dx ln σ(x) = σ(−x).
  const g = 1 / (1 + Math.exp(x0 + x1 + (x2 + x3)));
  const gl = lr * g;
  const decay = 1 - lr * reg;
  if (updateItems) {
    for (f = 0; f < k4; f += 4) {
      const pu0 = p[po + f];
      const pu1 = p[po + f + 1];
      const pu2 = p[po + f + 2];
      const pu3 = p[po + f + 3];
      const qi0 = q[io + f];
      const qi1 = q[io + f + 1];
      const qi2 = q[io + f + 2];
      const qi3 = q[io + f + 3];
      const qj0 = q[jo + f];
      const qj1 = q[jo + f + 1];
      const qj2 = q[jo + f + 2];
      const qj3 = q[jo + f + 3];
      p[po + f] = decay * pu0 + gl * (qi0 - qj0);
      p[po + f + 1] = decay * pu1 + gl * (qi1 - qj1);
      p[po + f + 2] = decay * pu2 + gl * (qi2 - qj2);
      p[po + f + 3] = decay * pu3 + gl * (qi3 - qj3);
      q[io + f] = decay * qi0 + gl * pu0;
      q[io + f + 1] = decay * qi1 + gl * pu1;
      q[io + f + 2] = decay * qi2 + gl * pu2;
      q[io + f + 3] = decay * qi3 + gl * pu3;
      q[jo + f] = decay * qj0 - gl * pu0;
      q[jo + f + 1] = decay * qj1 - gl * pu1;
      q[jo + f + 2] = decay * qj2 - gl * pu2;
      q[jo + f + 3] = decay * qj3 - gl * pu3;
    }
    for (; f < k; f++) {
      const pu = p[po + f];
      const qi = q[io + f];
      const qj = q[jo + f];
      p[po + f] = decay * pu + gl * (qi - qj);
      q[io + f] = decay * qi + gl * pu;
      q[jo + f] = decay * qj - gl * pu;
    }
    q[io + k] += lr * (g - regBias * q[io + k]);
    q[jo + k] += lr * (-g - regBias * q[jo + k]);
  } else {
    for (f = 0; f < k; f++) p[po + f] = decay * p[po + f] + gl * (q[io + f] - q[jo + f]);
  }
}
