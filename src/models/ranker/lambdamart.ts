/**
 * LambdaMART: gradient-boosted regression trees trained on LambdaRank gradients (pairwise
 * logistic loss between a relevant and an irrelevant item of the same query, weighted by how
 * much swapping them changes NDCG). Small and single-threaded:
 *
 * - features are binned once into at most `bins` quantile bins per feature;
 * - trees grow depth-wise to `maxDepth`, splits found from gradient/hessian histograms (the
 *   larger child's histogram is the parent's minus the smaller child's, so each level scans
 *   at most half of the rows);
 * - leaf values are Newton steps Σg / (Σh + `l2`), shrunk by `learningRate`;
 * - optional stochastic boosting: each tree sees a seeded sample of the queries (`subsample`)
 *   and may split on a seeded sample of the features (`featureFraction`);
 * - optional truncation: only pairs with at least one row ranked above `truncation` (by the
 *   current scores) get a gradient, which concentrates the trees on the top of each list;
 * - optionally a listwise objective instead (`objective: 'softmax'`): the cross-entropy between
 *   the softmax of a query's scores and its labels normalised to sum 1 — no pairs, no NDCG
 *   weights, a smoother loss whose mistakes differ from LambdaRank's;
 * - optional early stopping on a held-out set of queries (NDCG@k), keeping the best prefix of
 *   trees (optionally by the curve averaged over neighbouring tree counts).
 *
 * Labels are relevance grades (≥ 0; 0 = irrelevant). Queries are contiguous row ranges.
 */
import { CompleteForest } from './complete-forest.js';

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
  /**
   * Keep the number of trees that maximises the held-out curve averaged over ±`smoothing`
   * trees (0: the raw maximum). A noisy, flat curve otherwise often peaks after a handful of trees.
   */
  smoothing: number;
  /** Share of the queries each tree is grown on (1: all). */
  subsample: number;
  /** With a held-out set, keep only the best prefix of trees (false: keep every tree grown, e.g. to cut later). */
  keepBest: boolean;
  /** Share of the features each tree may split on (1: all). */
  featureFraction: number;
  /** Columns no tree ever splits on (e.g. redundant feature families). */
  exclude: readonly number[];
  /** Only pairs with a row ranked within the first `truncation` get gradients (0: every pair). */
  truncation: number;
  /** The loss the trees descend: 'lambdarank' (pairwise, NDCG-weighted) or 'softmax' (listwise cross-entropy). */
  objective: RankObjective;
  /** Seeds the query and feature samples. */
  seed: number;
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
  smoothing: 0,
  subsample: 1,
  keepBest: true,
  featureFraction: 1,
  exclude: [],
  truncation: 0,
  objective: 'lambdarank',
  seed: 1,
});

export const RANK_OBJECTIVES = ['lambdarank', 'softmax'] as const;
export type RankObjective = (typeof RANK_OBJECTIVES)[number];

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

/** NDCG@k per query (NaN for a query without a relevant item, by its rows or `idealDcg`). */
export function ndcgPerQuery(scores: ArrayLike<number>, data: RankingData, k: number): Float64Array {
  const out = new Float64Array(data.groups.length - 1);
  const order: number[] = [];
  for (let q = 0; q + 1 < data.groups.length; q++) {
    const start = data.groups[q];
    const end = data.groups[q + 1];
    let ideal = data.idealDcg ? data.idealDcg[q] : 0;
    if (!data.idealDcg) {
      const labels = Array.from(data.labels.subarray(start, end)).sort((a, b) => b - a);
      for (let r = 0; r < Math.min(k, labels.length); r++) ideal += (2 ** labels[r] - 1) / log2(r + 2);
    }
    if (!(ideal > 0)) {
      out[q] = NaN;
      continue;
    }
    order.length = 0;
    for (let i = start; i < end; i++) order.push(i);
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    let dcg = 0;
    for (let r = 0; r < Math.min(k, order.length); r++) dcg += (2 ** data.labels[order[r]] - 1) / log2(r + 2);
    out[q] = dcg / ideal;
  }
  return out;
}

/** Mean NDCG@k over queries with at least one relevant item (by the rows or `idealDcg`). */
export function meanNdcg(scores: ArrayLike<number>, data: RankingData, k: number): number {
  let sum = 0;
  let count = 0;
  for (const v of ndcgPerQuery(scores, data, k)) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/** The queries of several data sets, one after the other (ideal DCGs kept when every part has them). */
export function concatRanking(parts: readonly RankingData[]): RankingData {
  if (parts.length === 0) throw new RangeError('concatRanking: nothing to concatenate');
  if (parts.length === 1) return parts[0];
  const f = parts[0].numFeatures;
  if (parts.some((d) => d.numFeatures !== f)) throw new RangeError('concatRanking: feature counts differ');
  const rows = parts.reduce((n, d) => n + d.labels.length, 0);
  const queries = parts.reduce((n, d) => n + d.groups.length - 1, 0);
  const features = new Float32Array(rows * f);
  const labels = new Float32Array(rows);
  const groups = new Int32Array(queries + 1);
  const withIdeal = parts.every((d) => d.idealDcg);
  const idealDcg = withIdeal ? new Float64Array(queries) : undefined;
  let row = 0;
  let query = 0;
  for (const d of parts) {
    features.set(d.features, row * f);
    labels.set(d.labels, row);
    for (let q = 0; q + 1 < d.groups.length; q++) {
      groups[query + q + 1] = row + d.groups[q + 1];
      if (idealDcg && d.idealDcg) idealDcg[query + q] = d.idealDcg[q];
    }
    row += d.labels.length;
    query += d.groups.length - 1;
  }
  return { features, numFeatures: f, labels, groups, idealDcg };
}

/** A small seeded generator (mulberry32) for the samples. */
function seededRandom(seed: number): () => number {
  let a = (seed ^ 0x6d2b79f5) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LambdaMart {
  readonly params: LambdaMartParams;
  private trees: Tree[] = [];
  private compiled?: { trees: Tree[]; count: number; forest: CompleteForest | undefined };
  numFeatures = 0;

  constructor(params: Partial<LambdaMartParams> = {}) {
    this.params = { ...LAMBDAMART_DEFAULTS, ...params };
    const p = this.params;
    if (!(p.subsample > 0 && p.subsample <= 1)) throw new RangeError('subsample must be in (0, 1]');
    if (!(p.featureFraction > 0 && p.featureFraction <= 1)) throw new RangeError('featureFraction must be in (0, 1]');
    if (!RANK_OBJECTIVES.includes(p.objective)) throw new RangeError(`objective must be one of ${RANK_OBJECTIVES.join(', ')}, not "${p.objective}"`);
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
    const random = seededRandom(p.seed);
    const queries = data.groups.length - 1;
    const allowed = new Uint8Array(f);
    const sampled = new Uint8Array(queries).fill(1);
    const grower = new TreeGrower(binned, thresholds, f, p);
    for (let t = 0; t < p.trees; t++) {
      let count = 0;
      if (p.subsample < 1) {
        for (let q = 0; q < queries; q++) {
          sampled[q] = random() < p.subsample ? 1 : 0;
          if (!sampled[q]) continue;
          for (let i = data.groups[q]; i < data.groups[q + 1]; i++) rows[count++] = i;
        }
      } else {
        for (let i = 0; i < n; i++) rows[count++] = i;
      }
      // Gradients only where the tree will look (the sampled queries).
      if (p.objective === 'softmax') softmaxGradients(data, scores, grad, hess, sampled);
      else lambdaGradients(data, scores, grad, hess, p.truncation, sampled);
      if (p.featureFraction < 1) {
        const keep = Math.max(1, Math.round(p.featureFraction * f));
        const order = Array.from({ length: f }, (_, j) => j);
        for (let j = f - 1; j > 0; j--) {
          const k = Math.floor(random() * (j + 1));
          [order[j], order[k]] = [order[k], order[j]];
        }
        allowed.fill(0);
        for (let j = 0; j < keep; j++) allowed[order[j]] = 1;
      } else {
        allowed.fill(1);
      }
      for (const j of p.exclude) allowed[j] = 0;
      const tree = grower.grow(rows, count, grad, hess, allowed);
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
    if (heldOut && p.smoothing > 0 && curve.length > 0) {
      // The prefix whose neighbourhood of tree counts is best on average.
      let bestMean = -Infinity;
      for (let t = 0; t < curve.length; t++) {
        const from = Math.max(0, t - p.smoothing);
        const to = Math.min(curve.length - 1, t + p.smoothing);
        let s = 0;
        for (let u = from; u <= to; u++) s += curve[u];
        if (s / (to - from + 1) > bestMean) {
          bestMean = s / (to - from + 1);
          bestTrees = t + 1;
        }
      }
      best = curve[bestTrees - 1];
    }
    if (heldOut && p.keepBest) this.trees.length = bestTrees;
    return { trees: heldOut ? bestTrees : this.trees.length, curve, best: heldOut ? best : NaN };
  }

  /** Keeps only the first `trees` trees (at least one). */
  truncate(trees: number): void {
    this.trees.length = Math.max(1, Math.min(this.trees.length, Math.floor(trees)));
  }

  /** Scores of rows `features` (rows × numFeatures) into `out`. */
  predict(features: Float32Array, out: Float32Array | Float64Array): void {
    const forest = this.completeForest();
    if (forest) return forest.predict(features, this.numFeatures, out);
    const f = this.numFeatures;
    const rows = features.length / f;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (const tree of this.trees) s += predictTree(tree, features, i * f);
      out[i] = s;
    }
  }

  /**
   * The trees in the layout prediction walks fastest (the same scores), made on first use and
   * again whenever the trees change (a fit, truncate, or trees loaded from a file).
   */
  private completeForest(): CompleteForest | undefined {
    const made = this.compiled;
    if (made && made.trees === this.trees && made.count === this.trees.length) return made.forest;
    const forest = CompleteForest.from(this.trees);
    this.compiled = { trees: this.trees, count: this.trees.length, forest };
    return forest;
  }

  /** How often each feature is split on, over all trees (a rough importance). */
  splitCounts(): Int32Array {
    const counts = new Int32Array(this.numFeatures);
    for (const tree of this.trees) for (const j of tree.feature) if (j >= 0) counts[j]++;
    return counts;
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

/** Sorts idx[0, n) by score descending, ties by the lower row index (an insertion/quick sort without closures). */
function sortByScore(idx: Int32Array, n: number, scores: Float64Array): void {
  const before = (a: number, b: number): boolean => scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const hi = stack.pop() as number;
    const lo = stack.pop() as number;
    if (hi - lo < 16) {
      for (let i = lo + 1; i <= hi; i++) {
        const v = idx[i];
        let j = i - 1;
        while (j >= lo && before(v, idx[j])) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = v;
      }
      continue;
    }
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot.
    if (before(idx[mid], idx[lo])) [idx[mid], idx[lo]] = [idx[lo], idx[mid]];
    if (before(idx[hi], idx[lo])) [idx[hi], idx[lo]] = [idx[lo], idx[hi]];
    if (before(idx[hi], idx[mid])) [idx[hi], idx[mid]] = [idx[mid], idx[hi]];
    const pivot = idx[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(idx[i], pivot)) i++;
      while (before(pivot, idx[j])) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (lo < j) stack.push(lo, j);
    if (i < hi) stack.push(i, hi);
  }
}

/** 1 / log2(r + 2) for ranks r = 0 .. n − 1, growing as needed. */
let discountTable = new Float64Array(0);
function discountsUpTo(n: number): Float64Array {
  if (discountTable.length < n) {
    discountTable = new Float64Array(Math.max(n, 2 * discountTable.length));
    for (let r = 0; r < discountTable.length; r++) discountTable[r] = 1 / log2(r + 2);
  }
  return discountTable;
}

/**
 * LambdaRank gradients (towards a higher score) and hessians, per row (only the queries
 * `sampled` marks, when given; the others get 0). With `truncation` > 0, a pair gets a gradient
 * only when one of its rows is ranked within the first `truncation`.
 */
function lambdaGradients(data: RankingData, scores: Float64Array, grad: Float64Array, hess: Float64Array, truncation: number, sampled?: Uint8Array): void {
  grad.fill(0);
  hess.fill(0);
  const rank = new Int32Array(data.labels.length);
  let maxSize = 0;
  for (let q = 0; q + 1 < data.groups.length; q++) maxSize = Math.max(maxSize, data.groups[q + 1] - data.groups[q]);
  const order = new Int32Array(maxSize);
  const discount = discountsUpTo(maxSize);
  const cut = truncation > 0 ? truncation : Infinity;
  const positives: number[] = [];
  const labels = data.labels;
  for (let q = 0; q + 1 < data.groups.length; q++) {
    if (sampled && !sampled[q]) continue;
    const start = data.groups[q];
    const end = data.groups[q + 1];
    const size = end - start;
    positives.length = 0;
    for (let i = start; i < end; i++) {
      order[i - start] = i;
      if (labels[i] > 0) positives.push(labels[i]);
    }
    if (positives.length === 0 || positives.length === size) continue;
    sortByScore(order, size, scores);
    for (let r = 0; r < size; r++) rank[order[r]] = r;
    positives.sort((a, b) => b - a);
    let ideal = 0;
    for (let r = 0; r < positives.length; r++) ideal += (2 ** positives[r] - 1) * discount[r];
    for (let i = start; i < end; i++) {
      const li = labels[i];
      if (li <= 0) continue;
      const gi = 2 ** li - 1;
      const di = discount[rank[i]];
      const iTop = rank[i] < cut;
      const si = scores[i];
      let gSum = 0;
      let hSum = 0;
      for (let j = start; j < end; j++) {
        const lj = labels[j];
        if (lj >= li) continue;
        if (!iTop && rank[j] >= cut) continue;
        const delta = (Math.abs((gi - (lj > 0 ? 2 ** lj - 1 : 0)) * (di - discount[rank[j]])) / ideal) || 0;
        const rho = 1 / (1 + Math.exp(si - scores[j]));
        const g = rho * delta;
        const h = Math.max(rho * (1 - rho) * delta, 1e-12);
        gSum += g;
        hSum += h;
        grad[j] -= g;
        hess[j] += h;
      }
      grad[i] += gSum;
      hess[i] += hSum;
    }
  }
}

/**
 * Listwise softmax cross-entropy gradients (towards a higher score) and diagonal hessians per
 * row: with p = softmax(query scores) and y = labels / Σ labels, g = y − p, h = p (1 − p).
 * Only the queries `sampled` marks; queries without a relevant row, or with only relevant rows,
 * get 0 (as in lambdaGradients).
 */
function softmaxGradients(data: RankingData, scores: Float64Array, grad: Float64Array, hess: Float64Array, sampled?: Uint8Array): void {
  grad.fill(0);
  hess.fill(0);
  const labels = data.labels;
  for (let q = 0; q + 1 < data.groups.length; q++) {
    if (sampled && !sampled[q]) continue;
    const start = data.groups[q];
    const end = data.groups[q + 1];
    let labelSum = 0;
    let positives = 0;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      if (labels[i] > 0) {
        labelSum += labels[i];
        positives++;
      }
      if (scores[i] > max) max = scores[i];
    }
    if (positives === 0 || positives === end - start) continue;
    // hess holds exp(score − max) until the normaliser is known: one exp per row.
    let z = 0;
    for (let i = start; i < end; i++) z += hess[i] = Math.exp(scores[i] - max);
    for (let i = start; i < end; i++) {
      const prob = hess[i] / z;
      grad[i] = Math.max(labels[i], 0) / labelSum - prob;
      hess[i] = Math.max(prob * (1 - prob), 1e-12);
    }
  }
}

/** A node waiting to be split: its rows are rows[start, end), its histogram is known. */
interface Pending {
  node: number;
  start: number;
  end: number;
  g: number;
  h: number;
  /** Per (feature, bin): gradient sum, hessian sum, row count, interleaved (index 3 × (j × bins + b)). */
  hist: Float64Array;
}

/** Grows depth-wise trees over fixed binned features; reuses its histogram buffers. */
class TreeGrower {
  private readonly pool: Float64Array[] = [];

  constructor(
    private readonly binned: Uint8Array,
    private readonly thresholds: Float32Array[],
    private readonly f: number,
    private readonly p: LambdaMartParams,
  ) {}

  private take(): Float64Array {
    return this.pool.pop() ?? new Float64Array(3 * this.f * this.p.bins);
  }

  private give(hist: Float64Array): void {
    this.pool.push(hist);
  }

  /** Histogram of rows[start, end) into `hist` (cleared first). */
  private histogram(rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array, hist: Float64Array): void {
    hist.fill(0);
    const f = this.f;
    const nb3 = 3 * this.p.bins;
    const binned = this.binned;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const g = grad[r];
      const h = hess[r];
      const base = r * f;
      for (let j = 0, off = 0; j < f; j++, off += nb3) {
        const b = off + 3 * binned[base + j];
        hist[b] += g;
        hist[b + 1] += h;
        hist[b + 2]++;
      }
    }
  }

  grow(rows: Int32Array, count: number, grad: Float64Array, hess: Float64Array, allowed: Uint8Array): Tree {
    const { f, p, binned, thresholds } = this;
    const nb = p.bins;
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const newNode = (): number => {
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      return feature.length - 1;
    };
    const leaf = (node: number, g: number, h: number): void => {
      value[node] = (p.learningRate * g) / (h + p.l2);
    };
    const rootHist = this.take();
    this.histogram(rows, 0, count, grad, hess, rootHist);
    let G0 = 0;
    let H0 = 0;
    for (let k = 0; k < count; k++) {
      G0 += grad[rows[k]];
      H0 += hess[rows[k]];
    }
    let frontier: Pending[] = [{ node: newNode(), start: 0, end: count, g: G0, h: H0, hist: rootHist }];
    for (let depth = 0; depth < p.maxDepth && frontier.length > 0; depth++) {
      const next: Pending[] = [];
      for (const pending of frontier) {
        const { node, start, end, g: G, h: H, hist } = pending;
        const n = end - start;
        let bestGain = 1e-12;
        let bestFeature = -1;
        let bestBin = -1;
        if (n >= 2 * p.minLeaf) {
          const parent = (G * G) / (H + p.l2);
          for (let j = 0; j < f; j++) {
            if (!allowed[j]) continue;
            const cuts = thresholds[j].length;
            let gl = 0;
            let hl = 0;
            let cl = 0;
            for (let b = 0; b < cuts; b++) {
              const at = 3 * (j * nb + b);
              gl += hist[at];
              hl += hist[at + 1];
              cl += hist[at + 2];
              if (cl < p.minLeaf) continue;
              if (n - cl < p.minLeaf) break;
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
        }
        if (bestFeature < 0) {
          leaf(node, G, H);
          this.give(pending.hist);
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
        let gl = 0;
        let hl = 0;
        for (let b = 0; b <= bestBin; b++) {
          gl += hist[3 * (bestFeature * nb + b)];
          hl += hist[3 * (bestFeature * nb + b) + 1];
        }
        feature[node] = bestFeature;
        threshold[node] = thresholds[bestFeature][bestBin];
        const l = newNode();
        const r = newNode();
        left[node] = l;
        right[node] = r;
        const leftSide = { node: l, start, end: lo, g: gl, h: hl };
        const rightSide = { node: r, start: lo, end, g: G - gl, h: H - hl };
        if (depth + 1 >= p.maxDepth) {
          leaf(l, leftSide.g, leftSide.h);
          leaf(r, rightSide.g, rightSide.h);
          this.give(pending.hist);
          continue;
        }
        // Scan the smaller child; the larger one's histograms are the parent's minus it.
        const small = lo - start <= end - lo ? leftSide : rightSide;
        const large = small === leftSide ? rightSide : leftSide;
        const smallHist = this.take();
        this.histogram(rows, small.start, small.end, grad, hess, smallHist);
        for (let b = 0; b < hist.length; b++) hist[b] -= smallHist[b];
        next.push({ ...small, hist: smallHist }, { ...large, hist });
      }
      frontier = next;
    }
    for (const pending of frontier) {
      leaf(pending.node, pending.g, pending.h);
      this.give(pending.hist);
    }
    return {
      feature: Int32Array.from(feature),
      threshold: Float32Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float32Array.from(value),
    };
  }
}

function predictTree(tree: Tree, features: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = features[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}
