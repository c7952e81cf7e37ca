/**
 * What the pipeline needs of a serving CF model: its item factors, the listener's folded-in
 * vector, and the mapping between the model's item numbers and a catalogue snapshot's. The
 * service builds one per request from the loaded model version; training builds one from the
 * model it is judging. The pipeline never loads or trains a model itself.
 */
import type { TargetKind } from '../domain/types.js';
import { dot } from '../models/cf/factor-utils.js';
import type { CatalogueIndex } from './catalogue-index.js';

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

/**
 * The model's item factors scaled to unit length (zero rows stay zero), made once per model:
 * a request compares items by cosine hundreds of times (features, MMR), and a dot product of
 * unit rows is all a cosine then costs.
 */
export function unitFactors(cf: Pick<CfModelView, 'factors' | 'itemFactors' | 'itemNorms'>): Float32Array {
  let units = unitCache.get(cf.itemFactors);
  if (!units) {
    const k = cf.factors;
    units = new Float32Array(cf.itemFactors.length);
    for (let key = 0; key < cf.itemNorms.length; key++) {
      const norm = cf.itemNorms[key];
      if (!(norm > 0)) continue;
      for (let f = 0; f < k; f++) units[key * k + f] = cf.itemFactors[key * k + f] / norm;
    }
    unitCache.set(cf.itemFactors, units);
  }
  return units;
}

/** Cosine of two model items' factors (0 when either is a zero vector). */
export function factorCosine(cf: CfModelView, a: number, b: number): number {
  const units = unitFactors(cf);
  return dot(units, a * cf.factors, units, b * cf.factors, cf.factors);
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
