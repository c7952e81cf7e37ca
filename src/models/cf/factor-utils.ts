/**
 * Helpers shared by the factor models (ALS, BPR) and by serving: top-K selection with a
 * bounded min-heap, dot products, dense user × item scoring, and cosine similarity between
 * item factors.
 */
import type { FactorRecommender } from './recommender.js';

export interface TopK {
  /** Row indices, best first (ties: the smaller index first). */
  items: Int32Array;
  scores: Float32Array;
}

type Scores = Float32Array | Float64Array;

/**
 * The `n` highest of `scores[offset .. offset + length)`, as indices relative to `offset`.
 * Scores that are NaN or -Infinity are never selected (callers mask items that way), nor are
 * indices for which `exclude` returns true. O(length · log n); no full sort.
 */
export function topK(scores: Scores, n: number, options: { offset?: number; length?: number; exclude?: (index: number) => boolean } = {}): TopK {
  const offset = options.offset ?? 0;
  const length = options.length ?? scores.length - offset;
  const exclude = options.exclude;
  const capacity = Math.max(0, Math.min(n, length));
  // Min-heap on score: the root is the weakest of the kept candidates. Indices are scanned in
  // ascending order, so an equal score never displaces a kept one and ties keep smaller indices.
  const heapIndex = new Int32Array(capacity);
  const heapScore = new Float64Array(capacity);
  let size = 0;
  for (let i = 0; i < length; i++) {
    const s = scores[offset + i];
    if (!(s > -Infinity)) continue;
    if (size === capacity && !(s > heapScore[0])) continue;
    if (exclude && exclude(i)) continue;
    if (size < capacity) {
      // Sift up.
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(s, i, heapScore[parent], heapIndex[parent])) break;
        heapScore[at] = heapScore[parent];
        heapIndex[at] = heapIndex[parent];
        at = parent;
      }
      heapScore[at] = s;
      heapIndex[at] = i;
    } else {
      siftDown(heapScore, heapIndex, size, s, i);
    }
  }
  // Pop the weakest repeatedly, filling the result from the back.
  const items = new Int32Array(size);
  const out = new Float32Array(size);
  for (let end = size; end > 0; end--) {
    items[end - 1] = heapIndex[0];
    out[end - 1] = heapScore[0];
    const lastScore = heapScore[end - 1];
    const lastIndex = heapIndex[end - 1];
    if (end > 1) siftDown(heapScore, heapIndex, end - 1, lastScore, lastIndex);
  }
  return { items, scores: out };
}

/** Whether (score a, index i) ranks below (score b, index j). */
function worse(a: number, i: number, b: number, j: number): boolean {
  return a < b || (a === b && i > j);
}

/** Places (score, index) at the root of a heap of `size` and sifts it down. */
function siftDown(heapScore: Float64Array, heapIndex: Int32Array, size: number, score: number, index: number): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && worse(heapScore[right], heapIndex[right], heapScore[left], heapIndex[left])) child = right;
    if (!worse(heapScore[child], heapIndex[child], score, index)) break;
    heapScore[at] = heapScore[child];
    heapIndex[at] = heapIndex[child];
    at = child;
  }
  heapScore[at] = score;
  heapIndex[at] = index;
}

/** Dot product of rows `a[ao .. ao+k)` and `b[bo .. bo+k)`. */
export function dot(a: Scores, ao: number, b: Scores, bo: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 4 <= k; f += 4) {
    s0 += a[ao + f] * b[bo + f];
    s1 += a[ao + f + 1] * b[bo + f + 1];
    s2 += a[ao + f + 2] * b[bo + f + 2];
    s3 += a[ao + f + 3] * b[bo + f + 3];
  }
  for (; f < k; f++) s0 += a[ao + f] * b[bo + f];
  return s0 + s1 + (s2 + s3);
}

/** Item tile for `scoreRows`: 256 items × 64 Float32 factors = 64 KB, which stays in L2. */
const ITEM_TILE = 256;

/**
 * out[r·items + i] = rowFactors[rows[r]] · itemFactors[i] for every row r of `rows` and every
 * item i (a dense matmul). Items are processed in tiles that stay in cache while every
 * requested row is scored against them, and four items are scored per pass over a row.
 */
export function scoreRows(rowFactors: Float32Array, rows: Int32Array, itemFactors: Float32Array, k: number, items: number, out: Float32Array): void {
  if (out.length < rows.length * items) throw new RangeError(`out has ${out.length} cells, needs ${rows.length} × ${items}`);
  for (let tile = 0; tile < items; tile += ITEM_TILE) {
    const tileEnd = Math.min(items, tile + ITEM_TILE);
    for (let r = 0; r < rows.length; r++) {
      const uo = rows[r] * k;
      const outRow = r * items;
      let i = tile;
      for (; i + 4 <= tileEnd; i += 4) {
        const o0 = i * k;
        const o1 = o0 + k;
        const o2 = o1 + k;
        const o3 = o2 + k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let f = 0; f < k; f++) {
          const u = rowFactors[uo + f];
          s0 += u * itemFactors[o0 + f];
          s1 += u * itemFactors[o1 + f];
          s2 += u * itemFactors[o2 + f];
          s3 += u * itemFactors[o3 + f];
        }
        out[outRow + i] = s0;
        out[outRow + i + 1] = s1;
        out[outRow + i + 2] = s2;
        out[outRow + i + 3] = s3;
      }
      for (; i < tileEnd; i++) out[outRow + i] = dot(rowFactors, uo, itemFactors, i * k, k);
    }
  }
}

/** Euclidean norm of each row of a rows × k matrix. */
export function rowNorms(factors: Float32Array, rows: number, k: number): Float32Array {
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) norms[r] = Math.sqrt(dot(factors, r * k, factors, r * k, k));
  return norms;
}

/**
 * The `n` items most similar to `item` by cosine of factor vectors (the item itself
 * excluded). `norms` are the item-factor row norms (see `rowNorms`); pass them when calling
 * repeatedly.
 */
export function similarByFactors(itemFactors: Float32Array, k: number, item: number, n: number, norms?: Float32Array): TopK {
  const items = itemFactors.length / k;
  if (!(item >= 0 && item < items)) throw new RangeError(`item ${item} is outside 0..${items - 1}`);
  const norm = norms ?? rowNorms(itemFactors, items, k);
  const scores = new Float32Array(items);
  const io = item * k;
  const ni = norm[item];
  for (let j = 0; j < items; j++) {
    const d = norm[j] * ni;
    scores[j] = d > 0 ? dot(itemFactors, io, itemFactors, j * k, k) / d : -Infinity;
  }
  scores[item] = -Infinity;
  return topK(scores, n);
}

/** Cosine nearest items of a factor model, caching the item norms per model. */
const normCache = new WeakMap<Float32Array, Float32Array>();
export function similarItems(model: Pick<FactorRecommender, 'itemFactors' | 'factors'>, item: number, n: number): TopK {
  let norms = normCache.get(model.itemFactors);
  if (!norms) {
    norms = rowNorms(model.itemFactors, model.itemFactors.length / model.factors, model.factors);
    normCache.set(model.itemFactors, norms);
  }
  return similarByFactors(model.itemFactors, model.factors, item, n, norms);
}
