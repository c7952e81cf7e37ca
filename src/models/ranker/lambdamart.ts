/**
 * LambdaMART: gradient-boosted regression trees trained on LambdaRank gradients (pairwise
 * logistic loss between a relevant and an irrelevant item of the same query, weighted by how
 * much swapping them changes NDCG). Small and single-threaded:
 *
 * - features are binned once into at most `bins` quantile bins per feature;
 * - trees grow depth-wise to `maxDepth`, splits found from gradient/hessian histograms;
 * - leaf values are Newton steps Σg / (Σh + `l2`), shrunk by `learningRate`;
 * - optional early stopping on a held-out set of queries (NDCG@k), keeping the best prefix of trees.
 *
 * Labels are relevance grades (≥ 0; 0 = irrelevant). Queries are contiguous row ranges.
 */

export interface RankingData {
  /** Rows × features, row-major. */
  readonly features: Float32Array;
  readonly numFeatures: number;
  /** Relevance per row. */
  readonly labels: Float32Array;
  /** Query boundaries: query q is rows [groups[q], groups[q+1]). */
  readonly groups: Int32Array;
  /**
   * Ideal DCG@k per query for evaluation, when relevant items exist outside the rows (e.g. not
   * among the candidates); default: from the rows' own labels.
   */
  readonly idealDcg?: Float64Array;
}

export interface LambdaMartParams {
  trees: number;
  learningRate: number;
  maxDepth: number;
  /** Minimum rows per leaf. */
  minLeaf: number;
  /** L2 regularisation of leaf values. */
  l2: number;
  bins: number;
  /** Cut-off of the early-stopping NDCG. */
  evalAt: number;
  /** Stop after this many trees without improvement on the held-out queries. */
  patience: number;
}

export const LAMBDAMART_DEFAULTS: Readonly<LambdaMartParams> = Object.freeze({
  trees: 200,
  learningRate: 0.1,
  maxDepth: 5,
  minLeaf: 20,
  l2: 1,
  bins: 64,
  evalAt: 10,
  patience: 30,
});

interface Tree {
  /** Per node: split feature, or −1 for a leaf. */
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

export interface FitReport {
  /** Trees kept. */
  trees: number;
  /** Held-out NDCG@evalAt per number of trees (when a held-out set was given). */
  curve: number[];
  best: number;
}

const log2 = (x: number): number => Math.log(x) / Math.LN2;

/** Mean NDCG@k over queries with at least one relevant item (by the rows or `idealDcg`). */
export function meanNdcg(scores: ArrayLike<number>, data: RankingData, k: number): number {
  let sum = 0;
  let count = 0;
  const order: number[] = [];
  for (let q = 0; q + 1 < data.groups.length; q++) {
    const start = data.groups[q];
    const end = data.groups[q + 1];
    let ideal = data.idealDcg ? data.idealDcg[q] : 0;
    if (!data.idealDcg) {
      const labels = Array.from(data.labels.subarray(start, end)).sort((a, b) => b - a);
      for (let r = 0; r < Math.min(k, labels.length); r++) ideal += (2 ** labels[r] - 1) / log2(r + 2);
    }
    if (!(ideal > 0)) continue;
    order.length = 0;
    for (let i = start; i < end; i++) order.push(i);
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    let dcg = 0;
    for (let r = 0; r < Math.min(k, order.length); r++) dcg += (2 ** data.labels[order[r]] - 1) / log2(r + 2);
    sum += dcg / ideal;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

export class LambdaMart {
  readonly params: LambdaMartParams;
  private trees: Tree[] = [];
  numFeatures = 0;

  constructor(params: Partial<LambdaMartParams> = {}) {
    this.params = { ...LAMBDAMART_DEFAULTS, ...params };
  }

  get size(): number {
    return this.trees.length;
  }

  /** Trains from scratch; `heldOut` (other queries) drives early stopping. */
  fit(data: RankingData, heldOut?: RankingData): FitReport {
    const p = this.params;
    const n = data.labels.length;
    const f = data.numFeatures;
    this.numFeatures = f;
    this.trees = [];
    const { thresholds, binned } = binFeatures(data, p.bins);
    const scores = new Float64Array(n);
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    const heldScores = heldOut ? new Float64Array(heldOut.labels.length) : undefined;
    const curve: number[] = [];
    let best = -Infinity;
    let bestTrees = 0;
    const rows = new Int32Array(n);
    for (let t = 0; t < p.trees; t++) {
      lambdaGradients(data, scores, grad, hess);
      for (let i = 0; i < n; i++) rows[i] = i;
      const tree = growTree(binned, thresholds, n, f, rows, grad, hess, p);
      this.trees.push(tree);
      for (let i = 0; i < n; i++) scores[i] += predictTree(tree, data.features, i * f);
      if (heldOut && heldScores) {
        for (let i = 0; i < heldScores.length; i++) heldScores[i] += predictTree(tree, heldOut.features, i * f);
        const v = meanNdcg(heldScores, heldOut, p.evalAt);
        curve.push(v);
        if (v > best) {
          best = v;
          bestTrees = t + 1;
        } else if (t + 1 - bestTrees >= p.patience) {
          break;
        }
      }
    }
    if (heldOut) this.trees.length = bestTrees;
    return { trees: this.trees.length, curve, best: heldOut ? best : NaN };
  }

  /** Scores of rows `features` (rows × numFeatures) into `out`. */
  predict(features: Float32Array, out: Float32Array | Float64Array): void {
    const f = this.numFeatures;
    const rows = features.length / f;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (const tree of this.trees) s += predictTree(tree, features, i * f);
      out[i] = s;
    }
  }
}

/** Quantile thresholds per feature and the bin of every value (row-major, like the features). */
function binFeatures(data: RankingData, bins: number): { thresholds: Float32Array[]; binned: Uint8Array } {
  const n = data.labels.length;
  const f = data.numFeatures;
  if (bins > 256) throw new RangeError('at most 256 bins');
  const thresholds: Float32Array[] = [];
  const binned = new Uint8Array(n * f);
  const sampleEvery = Math.max(1, Math.floor(n / 50_000));
  for (let j = 0; j < f; j++) {
    const sample: number[] = [];
    for (let i = 0; i < n; i += sampleEvery) sample.push(data.features[i * f + j]);
    sample.sort((a, b) => a - b);
    const cuts: number[] = [];
    for (let b = 1; b < bins; b++) {
      const v = sample[Math.min(sample.length - 1, Math.floor((b * sample.length) / bins))];
      if (cuts.length === 0 || v > cuts[cuts.length - 1]) cuts.push(v);
    }
    // Bin b holds values in (cuts[b-1], cuts[b]]; the last bin everything above.
    const th = Float32Array.from(cuts);
    thresholds.push(th);
    for (let i = 0; i < n; i++) {
      const x = data.features[i * f + j];
      let lo = 0;
      let hi = th.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (th[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      binned[i * f + j] = lo;
    }
  }
  return { thresholds, binned };
}

/** LambdaRank gradients (towards a higher score) and hessians, per row. */
function lambdaGradients(data: RankingData, scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
  grad.fill(0);
  hess.fill(0);
  const order: number[] = [];
  const rank = new Int32Array(data.labels.length);
  for (let q = 0; q + 1 < data.groups.length; q++) {
    const start = data.groups[q];
    const end = data.groups[q + 1];
    order.length = 0;
    let relevant = 0;
    for (let i = start; i < end; i++) {
      order.push(i);
      if (data.labels[i] > 0) relevant++;
    }
    if (relevant === 0 || relevant === end - start) continue;
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    const sortedLabels = order.map((i) => data.labels[i]).sort((a, b) => b - a);
    let ideal = 0;
    for (let r = 0; r < sortedLabels.length && sortedLabels[r] > 0; r++) ideal += (2 ** sortedLabels[r] - 1) / log2(r + 2);
    for (let i = start; i < end; i++) {
      const li = data.labels[i];
      if (li <= 0) continue;
      const gi = 2 ** li - 1;
      const di = 1 / log2(rank[i] + 2);
      for (let j = start; j < end; j++) {
        const lj = data.labels[j];
        if (lj >= li) continue;
        const delta = (Math.abs((gi - (2 ** lj - 1)) * (di - 1 / log2(rank[j] + 2))) / ideal) || 0;
        const rho = 1 / (1 + Math.exp(scores[i] - scores[j]));
        const g = rho * delta;
        const h = Math.max(rho * (1 - rho) * delta, 1e-12);
        grad[i] += g;
        grad[j] -= g;
        hess[i] += h;
        hess[j] += h;
      }
    }
  }
}

function growTree(binned: Uint8Array, thresholds: Float32Array[], n: number, f: number, rows: Int32Array, grad: Float64Array, hess: Float64Array, p: LambdaMartParams): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const nb = p.bins;
  const histG = new Float64Array(f * nb);
  const histH = new Float64Array(f * nb);
  const histC = new Int32Array(f * nb);
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    return feature.length - 1;
  };
  // Each pending node owns rows[start, end).
  let frontier: { node: number; start: number; end: number }[] = [{ node: newNode(), start: 0, end: n }];
  const leafValue = (start: number, end: number): number => {
    let g = 0;
    let h = 0;
    for (let k = start; k < end; k++) {
      g += grad[rows[k]];
      h += hess[rows[k]];
    }
    return (p.learningRate * g) / (h + p.l2);
  };
  for (let depth = 0; depth < p.maxDepth && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { node, start, end } of frontier) {
      const count = end - start;
      if (count < 2 * p.minLeaf) {
        value[node] = leafValue(start, end);
        continue;
      }
      histG.fill(0);
      histH.fill(0);
      histC.fill(0);
      let G = 0;
      let H = 0;
      for (let k = start; k < end; k++) {
        const r = rows[k];
        G += grad[r];
        H += hess[r];
      }
      for (let k = start; k < end; k++) {
        const r = rows[k];
        const g = grad[r];
        const h = hess[r];
        const base = r * f;
        for (let j = 0; j < f; j++) {
          const b = j * nb + binned[base + j];
          histG[b] += g;
          histH[b] += h;
          histC[b]++;
        }
      }
      const parent = (G * G) / (H + p.l2);
      let bestGain = 1e-12;
      let bestFeature = -1;
      let bestBin = -1;
      for (let j = 0; j < f; j++) {
        const cuts = thresholds[j].length;
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < cuts; b++) {
          gl += histG[j * nb + b];
          hl += histH[j * nb + b];
          cl += histC[j * nb + b];
          if (cl < p.minLeaf) continue;
          if (count - cl < p.minLeaf) break;
          const gr = G - gl;
          const hr = H - hl;
          const gain = (gl * gl) / (hl + p.l2) + (gr * gr) / (hr + p.l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = j;
            bestBin = b;
          }
        }
      }
      if (bestFeature < 0) {
        value[node] = leafValue(start, end);
        continue;
      }
      // Partition rows in place: bin ≤ bestBin to the left.
      let lo = start;
      let hi = end - 1;
      while (lo <= hi) {
        if (binned[rows[lo] * f + bestFeature] <= bestBin) lo++;
        else {
          const tmp = rows[lo];
          rows[lo] = rows[hi];
          rows[hi] = tmp;
          hi--;
        }
      }
      feature[node] = bestFeature;
      threshold[node] = thresholds[bestFeature][bestBin];
      const l = newNode();
      const r = newNode();
      left[node] = l;
      right[node] = r;
      next.push({ node: l, start, end: lo }, { node: r, start: lo, end });
    }
    frontier = next;
  }
  for (const { node, start, end } of frontier) value[node] = leafValue(start, end);
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
  };
}

function predictTree(tree: Tree, features: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = features[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}
