/**
 * The `AnnIndex` port: top-k search over item vectors, used to serve recommendations from
 * factor models (user vector · item vectors) without scoring the whole catalogue.
 *
 * Contract (every adapter honours it; test/models/ann/ann.contract.ts checks it):
 *
 * - Keys are dense item indices: integers in [0, 2³² − 1]; memory in the exact adapter grows with the largest key. Vectors are row-major
 *   Float32Array, `dimensions` floats per row, finite values only.
 * - `add` inserts; adding a key that is already present replaces its vector (the size does
 *   not change). When one call holds the same key twice, the last row wins.
 * - `remove` deletes keys; unknown keys are ignored.
 * - `search` takes `count` queries in one call and returns one list per query, best first.
 *   `score` is higher-is-better for every metric: the inner product for 'ip', the cosine
 *   similarity for 'cos', and minus the squared Euclidean distance for 'l2sq'.
 * - `exclude[q]` removes keys from query q's answer (the items a listener already played).
 *   A list still holds `k` hits whenever the index has at least `k` present keys outside
 *   `exclude[q]`, and every present key otherwise. Excluding keys that are not in the index
 *   is harmless.
 * - Batch and one-by-one search return the same hits for the same query.
 * - `save(path)` writes `path` (the vectors or graph) and `path + '.meta.json'` (which adapter,
 *   its settings); `loadAnnIndex(path)` in ./index.ts reads them back into an index that
 *   answers exactly like the saved one. Files are written to a temporary name and renamed.
 * - Mismatched input sizes (vector length vs. dimensions and key count, query length vs.
 *   count × dimensions) throw an Error that names the expected and actual sizes.
 *
 * What it leaves out:
 *
 * - Approximate adapters (USearch) trade recall for speed: the hits are the adapter's best
 *   guess, not always the exact top-k. Only the exact adapter is exact.
 * - `exclude` is applied after the graph search in the USearch adapter: it asks for k plus
 *   the number of excluded keys present (rounded up to a power of two, capped at the index
 *   size) and drops the excluded ones, widening the request when too few survive. A query's
 *   cost therefore grows with its exclusions (a listener with 5,000 plays searches for ~8,300
 *   candidates); the exact adapter filters for free.
 * - Ties between equal scores are ordered by ascending key in the exact adapter only.
 * - Cosine similarity with a zero vector is undefined; do not index zero vectors under 'cos'.
 * - No metadata filters other than `exclude`, no multi-vector keys, no string ids (map store
 *   ids to dense indices with `IdIndex` from ../cf/matrix.ts), no concurrent writers.
 * - Heavy churn (many removals and re-adds) degrades an HNSW graph; rebuild from the factors
 *   after retraining rather than patching the old index.
 */

export type Metric = 'ip' | 'cos' | 'l2sq';

export type AnnKind = 'usearch' | 'exact';

/** One search result. `score` is higher-is-better for every metric (see the contract above). */
export interface AnnHit {
  key: number;
  score: number;
}

export interface AnnSearchOptions {
  /**
   * Per query (same order as the queries): keys that must not be returned. Missing entries,
   * `undefined`, or a shorter array mean "nothing to exclude".
   */
  exclude?: readonly (ReadonlySet<number> | undefined)[];
}

export interface AnnIndex {
  readonly kind: AnnKind;
  readonly dimensions: number;
  readonly metric: Metric;
  /** Number of keys currently present. */
  readonly size: number;

  /** Adds `keys.length` rows of `vectors` (row-major); a present key is replaced. */
  add(keys: Uint32Array | readonly number[], vectors: Float32Array): void;

  /** Removes keys; returns how many were present. */
  remove(keys: Uint32Array | readonly number[]): number;

  has(key: number): boolean;

  /**
   * Batch search: `count` queries (row-major in `queries`), the best `k` hits each.
   * One call for many queries; the USearch adapter spreads them over several threads.
   */
  search(queries: Float32Array, count: number, k: number, options?: AnnSearchOptions): AnnHit[][];

  /** Writes `path` and `path + '.meta.json'`. */
  save(path: string): Promise<void>;
}
