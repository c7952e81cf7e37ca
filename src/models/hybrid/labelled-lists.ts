/**
 * Labelled lists from candidate blocks (the ranker's training and held-out data), and what the
 * stacked fit measures on them: each source alone, and a paired comparison of two scorers.
 */
import { type InteractionMatrix, type Triple, buildMatrix } from '../cf/matrix.js';
import { type RankingData, meanNdcg } from '../ranker/lambdamart.js';
import type { CandidateBlock } from './candidates.js';

/** Two scorers' mean NDCG over the same queries and their paired difference. */
export interface PairedComparison {
  ranker: number;
  fusion: number;
  meanDifference: number;
  standardError: number;
  users: number;
}

/**
 * Each source alone on some lists: its score column orders the candidates (its own top N are
 * all candidates, so its top 10 is its full-catalogue top 10 among what it may propose).
 */
export function sourceNdcgOf(sources: readonly { readonly name: string }[], data: RankingData): Record<string, number> {
  const out: Record<string, number> = {};
  sources.forEach((source, s) => {
    const column = Float32Array.from({ length: data.labels.length }, (_, r) => data.features[r * data.numFeatures + s]);
    out[source.name] = meanNdcg(column, data, 10);
  });
  return out;
}

/** Mean of a − b over the queries where both are defined, its standard error, and the two means. */
export function pairedComparison(a: Float64Array, b: Float64Array): PairedComparison {
  const diffs: number[] = [];
  let sa = 0;
  let sb = 0;
  for (let q = 0; q < a.length; q++) {
    if (Number.isNaN(a[q]) || Number.isNaN(b[q])) continue;
    diffs.push(a[q] - b[q]);
    sa += a[q];
    sb += b[q];
  }
  const n = diffs.length;
  if (n === 0) return { ranker: 0, fusion: 0, meanDifference: 0, standardError: Infinity, users: 0 };
  const mean = diffs.reduce((x, y) => x + y, 0) / n;
  const variance = n > 1 ? diffs.reduce((x, d) => x + (d - mean) * (d - mean), 0) / (n - 1) : Infinity;
  return { ranker: sa / n, fusion: sb / n, meanDifference: mean, standardError: Math.sqrt(variance / n), users: n };
}

export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k];
  return s;
}

/** The cells of both matrices (same shape; a cell in both adds up). */
export function unionOf(a: InteractionMatrix, b: InteractionMatrix): InteractionMatrix {
  const triples: Triple[] = [];
  for (const m of [a, b]) {
    for (let u = 0; u < m.users; u++) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) triples.push({ user: u, item: m.indices[k], value: m.values[k] });
  }
  return buildMatrix(a.users, a.items, triples);
}

export function usersWithItems(m: InteractionMatrix): Int32Array {
  const users: number[] = [];
  for (let u = 0; u < m.users; u++) if (m.indptr[u + 1] > m.indptr[u]) users.push(u);
  return Int32Array.from(users);
}

/**
 * The candidate rows of the users `keep(b)` selects, labelled by `labels`; optionally only users
 * with a labelled candidate, and only the negative rows `keepNegative(b, row)` accepts.
 */
export function rankingData(
  block: CandidateBlock,
  labels: InteractionMatrix,
  keep: (b: number) => boolean,
  onlyWithPositives: boolean,
  keepNegative?: (b: number, row: number) => boolean,
  listUsers?: number[],
  rowItems?: number[],
): RankingData {
  const f = block.numFeatures;
  const rows: number[] = [];
  const lab: number[] = [];
  const groups: number[] = [0];
  const ideal: number[] = [];
  for (let b = 0; b < block.users.length; b++) {
    if (!keep(b)) continue;
    const u = block.users[b];
    const start = labels.indptr[u];
    const end = labels.indptr[u + 1];
    const set = new Set<number>();
    for (let k = start; k < end; k++) set.add(labels.indices[k]);
    const from = rows.length;
    let positives = 0;
    for (let r = block.offsets[b]; r < block.offsets[b + 1]; r++) {
      const y = set.has(block.items[r]) ? 1 : 0;
      if (y === 0 && keepNegative && !keepNegative(b, r)) continue;
      rows.push(r);
      positives += y;
      lab.push(y);
    }
    if (onlyWithPositives && positives === 0) {
      rows.length = from;
      lab.length = from;
      continue;
    }
    groups.push(rows.length);
    listUsers?.push(u);
    if (rowItems) for (let k = from; k < rows.length; k++) rowItems.push(block.items[rows[k]]);
    let dcg = 0;
    for (let r = 0; r < Math.min(10, set.size); r++) dcg += 1 / Math.log2(r + 2);
    ideal.push(dcg);
  }
  const features = new Float32Array(rows.length * f);
  for (let k = 0; k < rows.length; k++) features.set(block.features.subarray(rows[k] * f, rows[k] * f + f), k * f);
  return { features, numFeatures: f, labels: Float32Array.from(lab), groups: Int32Array.from(groups), idealDcg: Float64Array.from(ideal) };
}
