/**
 * Top-K ranking metrics over the full item catalogue.
 *
 * For every user with held-out items: score all items, drop the masked ones (the rows of the
 * `exclude` matrices: what the user already has), take the top K by partial selection, and
 * compare with the held-out set T:
 *
 * - Recall@K = hits / |T|
 * - Precision@K = hits / K
 * - Hit@K = 1 when hits > 0
 * - MRR@K = 1 / rank of the first hit (0 without a hit)
 * - NDCG@K = Σ_{hits at rank r} 1/log2(r + 1), divided by the ideal Σ_{r=1..min(|T|, K)} 1/log2(r + 1)
 *
 * each averaged over the users with held-out items. Beyond accuracy, over the same users:
 *
 * - coverage@K: the share of all items that appear in at least one user's top K;
 * - novelty@K: the mean self-information −log2 p(i) of the recommended items (mean per list,
 *   then over users), with p(i) the share of training users who have item i, Laplace-smoothed
 *   as (users with i + 1) / (training users + 1) so that untrained items stay finite.
 *
 * Ties are broken towards the lower item index (deterministic); NaN scores count as −∞.
 * Users are scored in blocks (`blockSize` rows into one reused buffer) to bound memory.
 */
import type { InteractionMatrix } from '../models/cf/matrix.js';
import type { Recommender } from '../models/cf/recommender.js';

export type Scorer = Pick<Recommender, 'scoreUsers'>;

export interface RankingTask {
  /** Held-out items per user; users with an empty row are not evaluated. */
  readonly target: InteractionMatrix;
  /** Items never ranked for a user: the union of these rows. */
  readonly exclude: readonly InteractionMatrix[];
  /** Training data, for the popularity behind novelty. */
  readonly train: InteractionMatrix;
}

export interface RankingOptions {
  /** Cut-offs; default [10, 20]. */
  ks?: readonly number[];
  /** Cut-off for coverage and novelty; default 10; 0 to skip them. */
  beyondK?: number;
  /** Users scored per scoreUsers call; default 256. */
  blockSize?: number;
  /** Called after each block with the users done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface RankingResult {
  /** Users evaluated (with held-out items). */
  readonly users: number;
  /** "recall@10", "ndcg@10", "precision@10", "hit@10", "mrr@10", …, "coverage@10", "novelty@10". */
  readonly metrics: Record<string, number>;
}

export const ACCURACY_METRICS = ['recall', 'ndcg', 'precision', 'hit', 'mrr'] as const;
export type AccuracyMetric = (typeof ACCURACY_METRICS)[number];

/**
 * The top `k` items of `scores[offset .. offset + n)` skipping `skip[i] = 1`, best first, into
 * `outItems`; returns how many were found (fewer than k only when fewer items are eligible).
 */
export function topK(scores: Float32Array, offset: number, n: number, k: number, skip: Uint8Array | undefined, outItems: Int32Array, outScores: Float64Array): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (skip && skip[i]) continue;
    let s = scores[offset + i];
    if (s !== s) s = -Infinity; // NaN
    if (count === k) {
      if (!(s > outScores[k - 1])) continue;
    } else {
      count++;
    }
    // Insert after every equal or better score (earlier items win ties).
    let at = count - 1;
    while (at > 0 && outScores[at - 1] < s) {
      outScores[at] = outScores[at - 1];
      outItems[at] = outItems[at - 1];
      at--;
    }
    outScores[at] = s;
    outItems[at] = i;
  }
  return count;
}

/** 1/log2(r + 1) for r = 1..k, and its prefix sums (ideal DCGs). */
function discounts(k: number): { gain: Float64Array; ideal: Float64Array } {
  const gain = new Float64Array(k + 1);
  const ideal = new Float64Array(k + 1);
  for (let r = 1; r <= k; r++) {
    gain[r] = 1 / Math.log2(r + 1);
    ideal[r] = ideal[r - 1] + gain[r];
  }
  return { gain, ideal };
}

/**
 * Accuracy metrics of one ranked list against a held-out set of `relevantCount` items
 * (`isRelevant(item)`), for each k in `ks`. Exposed for tests and for per-user reports.
 */
export function listMetrics(ranked: ArrayLike<number>, length: number, isRelevant: (item: number) => boolean, relevantCount: number, ks: readonly number[]): Record<string, number> {
  const maxK = Math.max(...ks);
  const { gain, ideal } = discounts(maxK);
  const out: Record<string, number> = {};
  for (const k of ks) {
    let hits = 0;
    let dcg = 0;
    let firstHit = 0;
    for (let r = 1; r <= Math.min(k, length); r++) {
      if (isRelevant(ranked[r - 1])) {
        hits++;
        dcg += gain[r];
        if (firstHit === 0) firstHit = r;
      }
    }
    out[`recall@${k}`] = relevantCount > 0 ? hits / relevantCount : 0;
    out[`ndcg@${k}`] = relevantCount > 0 ? dcg / ideal[Math.min(relevantCount, k)] : 0;
    out[`precision@${k}`] = hits / k;
    out[`hit@${k}`] = hits > 0 ? 1 : 0;
    out[`mrr@${k}`] = firstHit > 0 ? 1 / firstHit : 0;
  }
  return out;
}

/** Metric names in report order for the given cut-offs. */
export function metricNames(ks: readonly number[], beyondK: number): string[] {
  const names: string[] = [];
  for (const k of ks) for (const m of ACCURACY_METRICS) names.push(`${m}@${k}`);
  if (beyondK > 0) names.push(`coverage@${beyondK}`, `novelty@${beyondK}`);
  return names;
}

function checkShapes(task: RankingTask): void {
  const { users, items } = task.target;
  for (const m of [task.train, ...task.exclude]) {
    if (m.users !== users || m.items !== items) throw new RangeError(`matrix shapes differ: ${m.users} × ${m.items} vs ${users} × ${items}`);
  }
}

/** Ranks all items for every user with held-out items and averages the metrics. */
export function evaluateRanking(model: Scorer, task: RankingTask, options: RankingOptions = {}): RankingResult {
  checkShapes(task);
  const ks = options.ks ?? [10, 20];
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new RangeError('ks must be positive integers');
  const beyondK = options.beyondK ?? 10;
  const blockSize = Math.max(1, options.blockSize ?? 256);
  const { target, exclude, train } = task;
  const nItems = target.items;
  const maxK = Math.max(...ks, beyondK);
  const { gain, ideal } = discounts(maxK);

  const evalUsers: number[] = [];
  for (let u = 0; u < target.users; u++) if (target.indptr[u + 1] > target.indptr[u]) evalUsers.push(u);
  const nEval = evalUsers.length;

  // Self-information of each item from the training popularity (users per item).
  let selfInfo: Float64Array | undefined;
  if (beyondK > 0) {
    const degree = new Int32Array(nItems);
    for (let k = 0; k < train.indices.length; k++) degree[train.indices[k]]++;
    let trainUsers = 0;
    for (let u = 0; u < train.users; u++) if (train.indptr[u + 1] > train.indptr[u]) trainUsers++;
    selfInfo = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) selfInfo[i] = -Math.log2((degree[i] + 1) / (trainUsers + 1));
  }

  const sums: Record<string, number> = {};
  for (const k of ks) for (const m of ACCURACY_METRICS) sums[`${m}@${k}`] = 0;
  const recommended = new Uint8Array(nItems);
  let noveltySum = 0;

  const block = Math.min(blockSize, Math.max(nEval, 1));
  const scores = new Float32Array(block * nItems);
  const skip = new Uint8Array(nItems);
  const relevant = new Uint8Array(nItems);
  const topItems = new Int32Array(maxK);
  const topScores = new Float64Array(maxK);

  for (let start = 0; start < nEval; start += block) {
    const users = Int32Array.from(evalUsers.slice(start, start + block));
    const out = scores.subarray(0, users.length * nItems);
    out.fill(0);
    model.scoreUsers(users, out);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      for (const m of exclude) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) skip[m.indices[k]] = 1;
      const tStart = target.indptr[u];
      const tEnd = target.indptr[u + 1];
      for (let k = tStart; k < tEnd; k++) relevant[target.indices[k]] = 1;
      const nRelevant = tEnd - tStart;

      const found = topK(out, b * nItems, nItems, maxK, skip, topItems, topScores);
      for (const k of ks) {
        let hits = 0;
        let dcg = 0;
        let firstHit = 0;
        const upto = Math.min(k, found);
        for (let r = 1; r <= upto; r++) {
          if (relevant[topItems[r - 1]]) {
            hits++;
            dcg += gain[r];
            if (firstHit === 0) firstHit = r;
          }
        }
        sums[`recall@${k}`] += hits / nRelevant;
        sums[`ndcg@${k}`] += dcg / ideal[Math.min(nRelevant, k)];
        sums[`precision@${k}`] += hits / k;
        sums[`hit@${k}`] += hits > 0 ? 1 : 0;
        sums[`mrr@${k}`] += firstHit > 0 ? 1 / firstHit : 0;
      }
      if (selfInfo) {
        const upto = Math.min(beyondK, found);
        let info = 0;
        for (let r = 0; r < upto; r++) {
          recommended[topItems[r]] = 1;
          info += selfInfo[topItems[r]];
        }
        if (upto > 0) noveltySum += info / upto;
      }

      for (const m of exclude) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) skip[m.indices[k]] = 0;
      for (let k = tStart; k < tEnd; k++) relevant[target.indices[k]] = 0;
    }
    options.onProgress?.(Math.min(start + block, nEval), nEval);
  }

  const metrics: Record<string, number> = {};
  for (const name of Object.keys(sums)) metrics[name] = nEval > 0 ? sums[name] / nEval : 0;
  if (beyondK > 0) {
    let covered = 0;
    for (let i = 0; i < nItems; i++) covered += recommended[i];
    metrics[`coverage@${beyondK}`] = nItems > 0 ? covered / nItems : 0;
    metrics[`novelty@${beyondK}`] = nEval > 0 ? noveltySum / nEval : 0;
  }
  return { users: nEval, metrics };
}
