/**
 * Per-artist candidate precision: how often an artist, when the sources propose it, turns out
 * to be a held-out item, over the stacking windows. The sources share blind spots — an artist
 * that sits in many users' top 50 yet scores low everywhere (or one that every source
 * over-proposes) — which a row's own scores cannot reveal; the windows can, since each holds
 * out known items of every user.
 *
 * A window's own rows get the figure from the *other* windows (a row's label never describes
 * itself: in the other windows the user knows that artist, so it is not their candidate);
 * validation and test rows get it from all windows. Windows are made from the tuning part's
 * training data only, so nothing here reads a validation label or a test cell.
 */
import type { InteractionMatrix } from '../cf/matrix.js';
import type { RankingData } from '../ranker/lambdamart.js';
import type { CandidateBlock } from './candidates.js';

export const ITEM_PRECISION_NAMES = ['item:windowPrecision', 'item:windowProposals'] as const;

/** Per window: per item, how many lists proposed it and in how many of those it was held out. */
export interface WindowItemCounts {
  readonly proposed: Float64Array;
  readonly heldOut: Float64Array;
}

/** The counts of one window's candidate block (every candidate, before negatives are subsampled). */
export function windowItemCounts(block: CandidateBlock, labels: InteractionMatrix, items: number): WindowItemCounts {
  const proposed = new Float64Array(items);
  const heldOut = new Float64Array(items);
  for (let b = 0; b < block.users.length; b++) {
    const u = block.users[b];
    const held = new Set<number>();
    for (let k = labels.indptr[u]; k < labels.indptr[u + 1]; k++) held.add(labels.indices[k]);
    for (let r = block.offsets[b]; r < block.offsets[b + 1]; r++) {
      const i = block.items[r];
      proposed[i] += 1;
      if (held.has(i)) heldOut[i] += 1;
    }
  }
  return { proposed, heldOut };
}

/**
 * items × 2, leaving out window `except` (−1: none): the precision shrunk towards the pooled
 * precision with `prior` pseudo-proposals, and log(1 + proposals per window).
 */
export function itemPrecisionTable(windows: readonly WindowItemCounts[], items: number, prior: number, except = -1): Float32Array {
  const used = windows.filter((_, w) => w !== except);
  let allProposed = 0;
  let allHeld = 0;
  for (const w of used) for (let i = 0; i < items; i++) {
    allProposed += w.proposed[i];
    allHeld += w.heldOut[i];
  }
  const pooled = allProposed > 0 ? allHeld / allProposed : 0;
  const out = new Float32Array(items * 2);
  for (let i = 0; i < items; i++) {
    let proposed = 0;
    let held = 0;
    for (const w of used) {
      proposed += w.proposed[i];
      held += w.heldOut[i];
    }
    out[i * 2] = (held + prior * pooled) / (proposed + prior);
    out[i * 2 + 1] = Math.log1p(used.length > 0 ? proposed / used.length : 0);
  }
  return out;
}

/** The block with 2 more columns per row: its item's entries of `table`. */
export function withItemColumns(block: CandidateBlock, table: Float32Array): CandidateBlock {
  return { ...block, ...appendItemColumns(block.features, block.numFeatures, block.items, table) };
}

/** Labelled lists with 2 more columns per row: the entries of `table` for each row's item (`rowItems[r]`). */
export function rankingWithItemColumns(data: RankingData, rowItems: ArrayLike<number>, table: Float32Array): RankingData {
  return { ...data, ...appendItemColumns(data.features, data.numFeatures, rowItems, table) };
}

function appendItemColumns(rowsIn: Float32Array, f: number, rowItems: ArrayLike<number>, table: Float32Array): { features: Float32Array; numFeatures: number } {
  const width = ITEM_PRECISION_NAMES.length;
  const g = f + width;
  const rows = rowsIn.length / f;
  if (rowItems.length !== rows) throw new RangeError(`item precision: ${rowItems.length} row items for ${rows} rows`);
  const features = new Float32Array(rows * g);
  for (let r = 0; r < rows; r++) {
    features.set(rowsIn.subarray(r * f, (r + 1) * f), r * g);
    features.set(table.subarray(rowItems[r] * width, (rowItems[r] + 1) * width), r * g + f);
  }
  return { features, numFeatures: g };
}
