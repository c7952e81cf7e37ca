/**
 * Candidate generation and features for the hybrid: every source proposes its top N items per
 * user (masked items excluded), the union is the candidate set, and each (user, candidate) pair
 * gets a feature row: every source's score (all sources score every item, so a candidate keeps
 * each source's score even where that source did not propose it) and rank (N when not
 * proposed), how many sources proposed it, and user/item context.
 */
import { topK } from '../cf/factor-utils.js';
import type { InteractionMatrix } from '../cf/matrix.js';
import type { Recommender } from '../cf/recommender.js';

export interface Source {
  readonly name: string;
  readonly model: Recommender;
  /** Only items with a score above this are proposed (e.g. 0 for count-like sources). */
  readonly minScore?: number;
}

export interface Context {
  /** Training items per user. */
  activity(u: number): number;
  friends(u: number): number;
  /** Training users per item. */
  popularity(i: number): number;
  /** Tag assignments on item i by users other than u. */
  otherTags(u: number, i: number): number;
}

/** More features per (user, candidate), computed from the fitted sources and the training data. */
export interface ExtraFeatures {
  readonly names: readonly string[];
  /** Writes names.length values per candidate of `items`, row-major, into `out`. */
  fill(u: number, items: readonly number[], out: Float32Array): void;
}

export interface CandidateBlock {
  readonly users: Int32Array;
  /** Candidates of users[b] are items[offsets[b] .. offsets[b+1]). */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  /** One row of `numFeatures` per candidate. */
  readonly features: Float32Array;
  readonly numFeatures: number;
}

export function featureNames(sources: readonly Source[], extra?: ExtraFeatures): string[] {
  return [
    ...sources.map((s) => `${s.name}:score`),
    ...sources.map((s) => `${s.name}:rank`),
    ...sources.map((s) => `${s.name}:relative`),
    ...sources.map((s) => `${s.name}:z`),
    'sources',
    'user:activity',
    'user:friends',
    'item:popularity',
    'item:otherTags',
    ...(extra?.names ?? []),
  ];
}

/** Users scored per source call (bounds the score buffers: sources × this × items floats). */
const SUB_BLOCK = 64;

export function generateCandidates(
  sources: readonly Source[],
  context: Context,
  users: Int32Array,
  items: number,
  masks: readonly InteractionMatrix[],
  perSource: number,
  extra?: ExtraFeatures,
): CandidateBlock {
  const S = sources.length;
  const numFeatures = featureNames(sources, extra).length;
  const E = extra?.names.length ?? 0;
  let extraOut = new Float32Array(0);
  const buffers = sources.map(() => new Float32Array(SUB_BLOCK * items));
  const masked = new Uint8Array(items);
  const rankOf = sources.map(() => new Int32Array(items).fill(-1));
  const offsets = new Int32Array(users.length + 1);
  const outItems: number[] = [];
  let outFeatures = new Float32Array(1 << 16);
  let used = 0;
  const push = (v: number): void => {
    if (used === outFeatures.length) {
      const grown = new Float32Array(outFeatures.length * 2);
      grown.set(outFeatures);
      outFeatures = grown;
    }
    outFeatures[used++] = v;
  };
  const maxScore = new Float64Array(S);
  const meanScore = new Float64Array(S);
  const sdScore = new Float64Array(S);
  for (let start = 0; start < users.length; start += SUB_BLOCK) {
    const sub = users.subarray(start, Math.min(users.length, start + SUB_BLOCK));
    for (let s = 0; s < S; s++) sources[s].model.scoreUsers(sub, buffers[s]);
    for (let b = 0; b < sub.length; b++) {
      const u = sub[b];
      for (const m of masks) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) masked[m.indices[k]] = 1;
      const union: number[] = [];
      for (let s = 0; s < S; s++) {
        const minScore = sources[s].minScore ?? -Infinity;
        const top = topK(buffers[s], perSource, { offset: b * items, length: items, exclude: (i) => masked[i] === 1 || !(buffers[s][b * items + i] > minScore) });
        for (let r = 0; r < top.items.length; r++) {
          const i = top.items[r];
          let seen = false;
          for (let t = 0; t < S; t++) if (rankOf[t][i] >= 0) seen = true;
          if (!seen) union.push(i);
          rankOf[s][i] = r;
        }
      }
      for (let s = 0; s < S; s++) {
        let mx = -Infinity;
        let sum = 0;
        let sq = 0;
        for (const i of union) {
          const v = buffers[s][b * items + i];
          mx = Math.max(mx, v);
          sum += v;
          sq += v * v;
        }
        maxScore[s] = mx;
        const mean = union.length > 0 ? sum / union.length : 0;
        meanScore[s] = mean;
        sdScore[s] = Math.sqrt(Math.max(0, union.length > 0 ? sq / union.length - mean * mean : 0)) + 1e-9;
      }
      if (E > 0 && extra) {
        if (extraOut.length < union.length * E) extraOut = new Float32Array(union.length * E * 2);
        extra.fill(u, union, extraOut);
      }
      for (let c = 0; c < union.length; c++) {
        const i = union[c];
        outItems.push(i);
        let proposed = 0;
        for (let s = 0; s < S; s++) push(buffers[s][b * items + i]);
        for (let s = 0; s < S; s++) {
          const r = rankOf[s][i];
          if (r >= 0) proposed++;
          push(r >= 0 ? r : perSource);
        }
        for (let s = 0; s < S; s++) push(buffers[s][b * items + i] - maxScore[s]);
        for (let s = 0; s < S; s++) push((buffers[s][b * items + i] - meanScore[s]) / sdScore[s]);
        push(proposed);
        push(Math.log1p(context.activity(u)));
        push(Math.log1p(context.friends(u)));
        push(Math.log1p(context.popularity(i)));
        push(Math.log1p(context.otherTags(u, i)));
        for (let e = 0; e < E; e++) push(extraOut[c * E + e]);
      }
      for (const i of union) for (let s = 0; s < S; s++) rankOf[s][i] = -1;
      for (const m of masks) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) masked[m.indices[k]] = 0;
      offsets[start + b + 1] = outItems.length;
    }
  }
  return { users, offsets, items: Int32Array.from(outItems), features: outFeatures.slice(0, used), numFeatures };
}
