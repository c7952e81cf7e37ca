/**
 * What the pipeline needs of a serving CF model: its item factors, the listener's folded-in
 * vector, and the mapping between the model's item numbers and a catalogue snapshot's. The
 * service builds one per request from the loaded model version; training builds one from the
 * model it is judging. The pipeline never loads or trains a model itself.
 */
import type { TargetKind } from '../domain/types.js';
import { dot } from '../models/cf/factor-utils.js';
import type { CatalogueIndex } from './catalogue-index.js';
import { BATCH_ROWS, SimilarityKernel } from './wasm/similarity-wasm.js';

export interface CfItemIds {
  get(id: string): number | undefined;
  readonly ids: readonly string[];
  readonly size: number;
}

export interface CfModelView {
  versionId: string;
  kind: TargetKind;
  items: CfItemIds;
  factors: number;
  /** items × factors, row-major. */
  itemFactors: Float32Array;
  /** Row norms of itemFactors. */
  itemNorms: Float32Array;
  /** The listener's vector from their current history, or undefined when the model knows none of it. */
  userVector(): Float32Array | undefined;
}

/** Both directions between a snapshot's item numbers and a model's. */
export interface KeyMap {
  /** Per snapshot item: the model's item number, or −1. */
  keyOf: Int32Array;
  /** Per model item: the snapshot's item number, or −1. */
  itemOf: Int32Array;
}

const keyMaps = new WeakMap<CatalogueIndex, WeakMap<CfItemIds, KeyMap>>();

/** The key map of a snapshot and a model, computed once per pair. */
export function keyMap(catalogue: CatalogueIndex, items: CfItemIds): KeyMap {
  let perModel = keyMaps.get(catalogue);
  if (!perModel) keyMaps.set(catalogue, (perModel = new WeakMap()));
  let map = perModel.get(items);
  if (!map) {
    const keyOf = new Int32Array(catalogue.size).fill(-1);
    const itemOf = new Int32Array(items.size).fill(-1);
    items.ids.forEach((id, key) => {
      const item = catalogue.indexOf(id);
      if (item >= 0) {
        keyOf[item] = key;
        itemOf[key] = item;
      }
    });
    map = { keyOf, itemOf };
    perModel.set(items, map);
  }
  return map;
}

const unitCache = new WeakMap<Float32Array, Float32Array>();
const kernels = new WeakMap<Float32Array, SimilarityKernel>();

/**
 * The model's item factors scaled to unit length (zero rows stay zero), made once per model:
 * a request compares items by cosine hundreds of times (features, MMR), and a dot product of
 * unit rows is all a cosine then costs.
 *
 * Where the WebAssembly SIMD kernel runs (wasm/similarity-wasm.ts) the rows are placed in its
 * memory, and `similarityKernel(units)` gives the kernel for hot loops; the array is an
 * ordinary Float32Array to everything else. `kernel: false` keeps them in plain JavaScript
 * memory (tests compare the two); the first call for a model decides, later calls reuse it.
 */
export function unitFactors(cf: Pick<CfModelView, 'factors' | 'itemFactors' | 'itemNorms'>, kernel = true): Float32Array {
  let units = unitCache.get(cf.itemFactors);
  if (!units) {
    const k = cf.factors;
    const rows = cf.itemNorms.length;
    const wasm = kernel ? SimilarityKernel.create(rows, k) : null;
    units = wasm ? wasm.units : new Float32Array(rows * k);
    for (let key = 0; key < rows; key++) {
      const norm = cf.itemNorms[key];
      if (!(norm > 0)) continue;
      for (let f = 0; f < k; f++) units[key * k + f] = cf.itemFactors[key * k + f] / norm;
    }
    unitCache.set(cf.itemFactors, units);
    if (wasm) kernels.set(units, wasm);
  }
  return units;
}

/** The WebAssembly kernel over `units` (from unitFactors), or undefined: use JavaScript. */
export function similarityKernel(units: Float32Array): SimilarityKernel | undefined {
  return kernels.get(units);
}

/** Cosine of two model items' factors (0 when either is a zero vector). */
export function factorCosine(cf: CfModelView, a: number, b: number): number {
  const units = unitFactors(cf);
  const kernel = kernels.get(units);
  return kernel ? kernel.dot(a, b) : dot(units, a * cf.factors, units, b * cf.factors, cf.factors);
}

/** The JavaScript path's results of factorCosines (grown on demand; read before the next call). */
let cosineScratch = new Float64Array(BATCH_ROWS);

/**
 * Cosines of model item `key` with each of `others`, in `[0 .. others.length)` of the array
 * returned, which is scratch: valid until the next call. One kernel call for all of them
 * where it runs (up to BATCH_ROWS of them).
 */
export function factorCosines(cf: CfModelView, key: number, others: Int32Array): Float64Array {
  const units = unitFactors(cf);
  const kernel = kernels.get(units);
  const n = others.length;
  if (kernel && n <= BATCH_ROWS) {
    kernel.batch.set(others);
    kernel.dots(key, n);
    return kernel.out;
  }
  if (cosineScratch.length < n) cosineScratch = new Float64Array(n);
  const k = cf.factors;
  for (let v = 0; v < n; v++) cosineScratch[v] = dot(units, key * k, units, others[v] * k, k);
  return cosineScratch;
}

const excludedKeyCache = new WeakMap<ReadonlySet<string>, WeakMap<CfItemIds, ReadonlySet<number>>>();

/** The model item numbers of excluded ids (cached per exclusion set and model), for ANN `exclude`. */
export function excludedKeys(excludedIds: ReadonlySet<string>, items: CfItemIds): ReadonlySet<number> {
  let perModel = excludedKeyCache.get(excludedIds);
  if (!perModel) excludedKeyCache.set(excludedIds, (perModel = new WeakMap()));
  let keys = perModel.get(items);
  if (!keys) {
    const set = new Set<number>();
    for (const id of excludedIds) {
      const key = items.get(id);
      if (key !== undefined) set.add(key);
    }
    perModel.set(items, (keys = set));
  }
  return keys;
}
