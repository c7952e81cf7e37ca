/**
 * Entry point of the ANN module: pick an adapter by name, or load a saved index whatever its
 * adapter (the meta file next to it says which).
 */
import type { AnnIndex, AnnKind } from './ann-index.js';
import { ExactAnnIndex, type ExactIndexOptions } from './exact-index.js';
import { readMeta } from './shared.js';
import { UsearchAnnIndex, type UsearchIndexOptions, type UsearchLoadOptions } from './usearch-index.js';

export type { AnnHit, AnnIndex, AnnKind, AnnSearchOptions, Metric } from './ann-index.js';
export { ExactAnnIndex, type ExactIndexOptions } from './exact-index.js';
export { USEARCH_DEFAULTS, UsearchAnnIndex, type Quantization, type UsearchIndexOptions, type UsearchLoadOptions } from './usearch-index.js';

export function createAnnIndex(kind: 'usearch', options: UsearchIndexOptions): UsearchAnnIndex;
export function createAnnIndex(kind: 'exact', options: ExactIndexOptions): ExactAnnIndex;
export function createAnnIndex(kind: AnnKind, options: UsearchIndexOptions | ExactIndexOptions): AnnIndex;
export function createAnnIndex(kind: AnnKind, options: UsearchIndexOptions | ExactIndexOptions): AnnIndex {
  switch (kind) {
    case 'usearch':
      return new UsearchAnnIndex(options);
    case 'exact':
      return new ExactAnnIndex(options);
    default:
      throw new RangeError(`unknown ANN index kind '${String(kind)}' (expected 'usearch' or 'exact')`);
  }
}

/**
 * Loads an index saved with `save(path)`. `options` apply to USearch indexes (a different
 * expansionSearch, thread count, or a read-only memory-mapped view) and are ignored otherwise.
 */
export async function loadAnnIndex(path: string, options: UsearchLoadOptions = {}): Promise<AnnIndex> {
  const meta = await readMeta(path);
  switch (meta.kind) {
    case 'usearch':
      return UsearchAnnIndex.load(path, meta, options);
    case 'exact':
      return ExactAnnIndex.load(path, meta);
    default:
      throw new Error(`${path}: unknown ANN index kind '${String(meta.kind)}' in its meta file`);
  }
}
