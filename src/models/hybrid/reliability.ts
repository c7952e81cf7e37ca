/**
 * Per-user source reliability: how well each source found *this* user's held-out items in the
 * stacking windows. Users differ in what drives their taste — one picks up what friends play,
 * another follows tags, a third is mainstream — and a list's own features cannot tell the
 * ranker which kind of user it is ranking for. Over the windows each user has about as many
 * held-out items as windows × validation items (≈ 40 on Last.fm 2K), enough to estimate, per
 * source, the mean reciprocal rank of those items in the source's list.
 *
 * A window's own lists get the figure from the *other* windows (its labels never describe
 * themselves); validation and test lists get it from all windows. No test cell is read: the
 * windows are made from the tuning part. Their sources do train on the validation items
 * (`windowsWithValidation`), so a user's figure depends on their validation items — but it is
 * one value for every row of the user's list and cannot order it. A per-*row* figure counted
 * over those windows would leak (validation-independence.test.ts; the hybrid README).
 */
import type { InteractionMatrix } from '../cf/matrix.js';
import type { RankingData } from '../ranker/lambdamart.js';
import type { CandidateBlock } from './candidates.js';

/** Per window: per user × source, Σ 1/(1 + rank) over the user's held-out items among the candidates, and the held-out count. */
export interface WindowHits {
  readonly hits: Float64Array;
  readonly heldOut: Float64Array;
}

/**
 * The hits of one window's candidate block: source s's rank is feature column S + s (N when
 * the source did not propose the item), labels are the window's held-out items.
 */
export function windowHits(block: CandidateBlock, labels: InteractionMatrix, sources: number, users: number): WindowHits {
  const hits = new Float64Array(users * sources);
  const heldOut = new Float64Array(users);
  const f = block.numFeatures;
  for (let b = 0; b < block.users.length; b++) {
    const u = block.users[b];
    const held = new Set<number>();
    for (let k = labels.indptr[u]; k < labels.indptr[u + 1]; k++) held.add(labels.indices[k]);
    heldOut[u] = held.size;
    for (let r = block.offsets[b]; r < block.offsets[b + 1]; r++) {
      if (!held.has(block.items[r])) continue;
      for (let s = 0; s < sources; s++) hits[u * sources + s] += 1 / (1 + block.features[r * f + sources + s]);
    }
  }
  return { hits, heldOut };
}

/** users × sources: the mean reciprocal rank over the windows, leaving out window `except` (−1: none); 0 without held-out items. */
export function reliabilityTable(windows: readonly WindowHits[], sources: number, users: number, except = -1): Float32Array {
  const out = new Float32Array(users * sources);
  for (let u = 0; u < users; u++) {
    let n = 0;
    for (let w = 0; w < windows.length; w++) if (w !== except) n += windows[w].heldOut[u];
    if (n === 0) continue;
    for (let s = 0; s < sources; s++) {
      let h = 0;
      for (let w = 0; w < windows.length; w++) if (w !== except) h += windows[w].hits[u * sources + s];
      out[u * sources + s] = h / n;
    }
  }
  return out;
}

/** The block with `sources` more columns per row: the row's user's entries of `table`. */
export function withUserColumns(block: CandidateBlock, table: Float32Array, sources: number): CandidateBlock {
  return { ...block, ...appendUserColumns(block.features, block.numFeatures, block.offsets, block.users, table, sources) };
}

/** Labelled lists with `sources` more columns per row: the entries of `table` for each list's user (`listUsers[q]`). */
export function rankingWithUserColumns(data: RankingData, listUsers: readonly number[], table: Float32Array, sources: number): RankingData {
  return { ...data, ...appendUserColumns(data.features, data.numFeatures, data.groups, listUsers, table, sources) };
}

/** Rows × (f + sources): each row's f features, then its list's user's `sources` entries of `table` (list q is rows bounds[q] .. bounds[q + 1]). */
function appendUserColumns(
  rowsIn: Float32Array,
  f: number,
  bounds: ArrayLike<number>,
  users: ArrayLike<number>,
  table: Float32Array,
  sources: number,
): { features: Float32Array; numFeatures: number } {
  const g = f + sources;
  const features = new Float32Array((rowsIn.length / f) * g);
  for (let q = 0; q + 1 < bounds.length; q++) {
    const extra = table.subarray(users[q] * sources, (users[q] + 1) * sources);
    for (let r = bounds[q]; r < bounds[q + 1]; r++) {
      features.set(rowsIn.subarray(r * f, (r + 1) * f), r * g);
      features.set(extra, r * g + f);
    }
  }
  return { features, numFeatures: g };
}
