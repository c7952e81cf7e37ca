/**
 * Cross-fitted LambdaMART: K rankers, ranker k trained on the shared lists plus every labelled
 * fold but k, and evaluated after every tree on fold k. The tree count is chosen once, on the
 * held-out curves averaged over the folds (every fold's users are out-of-fold for exactly one
 * ranker, so the averaged curve is an out-of-fold estimate over all of them, far less noisy
 * than one held-out half), optionally smoothed over ±`smoothing` trees; every ranker is cut to
 * that count and the ensemble scores with their mean. No refit: each ranker already saw all
 * the lists but one fold, and the average of K such rankers varies less than one refit.
 */
import { LambdaMart, type LambdaMartParams, type RankingData, concatRanking, ndcgPerQuery } from './lambdamart.js';

/** Anything that scores feature rows (a LambdaMART, or an average of them). */
export interface RowScorer {
  predict(features: Float32Array, out: Float32Array | Float64Array): void;
}

/** The mean score of several rankers. */
export class AveragedRanker implements RowScorer {
  constructor(readonly members: readonly RowScorer[]) {
    if (members.length === 0) throw new RangeError('AveragedRanker: no members');
  }

  predict(features: Float32Array, out: Float32Array | Float64Array): void {
    const rows = out.length;
    const tmp = new Float64Array(rows);
    const acc = new Float64Array(rows);
    for (const m of this.members) {
      m.predict(features, tmp);
      for (let i = 0; i < rows; i++) acc[i] += tmp[i];
    }
    const inv = 1 / this.members.length;
    for (let i = 0; i < rows; i++) out[i] = acc[i] * inv;
  }
}

export interface CrossFitFold {
  /** The fold's lists the other rankers train on (e.g. only lists with a relevant row). */
  readonly train: RankingData;
  /** The fold's lists its own ranker is evaluated on. */
  readonly heldOut: RankingData;
}

export interface CrossFitResult {
  ranker: AveragedRanker;
  /** The K rankers, cut to `trees`. */
  members: LambdaMart[];
  trees: number;
  /** Held-out NDCG@evalAt per tree count, averaged over the folds. */
  curve: number[];
  /** The averaged curve at `trees`. */
  best: number;
  /** Per fold, NDCG@evalAt per held-out query of its own ranker (cut to `trees`). */
  heldOutNdcg: Float64Array[];
}

/**
 * Fits one LambdaMART per fold (seeds `params.seed + k`), each to `params.trees` trees (no
 * early stopping: the curves must be comparable), then cuts all to the tree count that
 * maximises the fold-averaged held-out curve smoothed over ±`smoothing` trees.
 */
export function crossFitLambdaMart(shared: readonly RankingData[], folds: readonly CrossFitFold[], params: Partial<LambdaMartParams>, smoothing = 0): CrossFitResult {
  if (folds.length < 2) throw new RangeError('crossFitLambdaMart: at least two folds');
  const seed = params.seed ?? 1;
  const members: LambdaMart[] = [];
  const curves: number[][] = [];
  for (let k = 0; k < folds.length; k++) {
    const train = concatRanking([...shared, ...folds.filter((_, j) => j !== k).map((f) => f.train)]);
    const ranker = new LambdaMart({ ...params, patience: Infinity, smoothing: 0, keepBest: false, seed: seed + k });
    const report = ranker.fit(train, folds[k].heldOut);
    members.push(ranker);
    curves.push(report.curve);
  }
  const length = Math.min(...curves.map((c) => c.length));
  const curve = Array.from({ length }, (_, t) => curves.reduce((s, c) => s + c[t], 0) / curves.length);
  const trees = smoothedArgmax(curve, smoothing) + 1;
  for (const m of members) m.truncate(trees);
  const evalAt = members[0].params.evalAt;
  const heldOutNdcg = folds.map((f, k) => {
    const scores = new Float64Array(f.heldOut.labels.length);
    members[k].predict(f.heldOut.features, scores);
    return ndcgPerQuery(scores, f.heldOut, evalAt);
  });
  return { ranker: new AveragedRanker(members), members, trees, curve, best: curve[trees - 1] ?? NaN, heldOutNdcg };
}

/** Index of the best mean over ±`smoothing` neighbours (ties: the first). */
export function smoothedArgmax(curve: readonly number[], smoothing: number): number {
  let best = -Infinity;
  let at = 0;
  for (let t = 0; t < curve.length; t++) {
    const from = Math.max(0, t - smoothing);
    const to = Math.min(curve.length - 1, t + smoothing);
    let s = 0;
    for (let u = from; u <= to; u++) s += curve[u];
    if (s / (to - from + 1) > best) {
      best = s / (to - from + 1);
      at = t;
    }
  }
  return at;
}
