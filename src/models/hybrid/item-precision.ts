/**
 * Per-artist candidate precision: how often an artist, when the sources propose it, turns out
 * to be a held-out item, over the stacking windows. The sources share blind spots — an artist
 * that sits in many users' top 50 yet scores low everywhere (or one that every source
 * over-proposes) — which a row's own scores cannot reveal; the windows can, since each holds
 * out known items of every user.
 *
 * Two exclusions keep a row's label out of its own feature:
 * - a window's rows get the figure from the *other* windows;
 * - every row leaves its *own user* out. A user's proposals of an artist depend on their
 *   labels: an artist the user holds out in one window is known to them, so never proposed to
 *   them, in every other window, and a validation item is known in every window (they train on
 *   the validation items). Counting the user's own proposals would make a rare artist's figure
 *   differ between the user's positives and negatives — a difference test rows never show.
 *
 * And the counts never come from sources that know a validation item. The windows' ranker
 * lists do (`windowsWithValidation`): those sources propose a user's validation artists to
 * the user's friends and neighbours, so a rare artist's counts would differ between a user's
 * validation artists and their other candidates — on the lists the out-of-fold figure is
 * measured on, and never on test artists (+0.005 out of fold, −0.001 in a nested run). The
 * hybrid therefore counts over candidates from sources fitted on each window's own training
 * matrix, a part of the tuning part's training data; test/models/hybrid/
 * validation-independence.test.ts checks that the validation lists' columns do not move when
 * the validation labels do.
 */
import type { InteractionMatrix } from '../cf/matrix.js';
import type { RankingData } from '../ranker/lambdamart.js';
import type { CandidateBlock } from './candidates.js';

export const ITEM_PRECISION_NAMES = ['item:windowPrecision', 'item:windowProposals'] as const;

/** One window's candidates: per item, how many lists proposed it and held it out; per user, the proposals. */
export interface WindowItemCounts {
  readonly proposed: Float64Array;
  readonly heldOut: Float64Array;
  /** Per user (−1: no list), the index into `offsets`. */
  readonly listOf: Int32Array;
  /** The proposals of list k are items[offsets[k] .. offsets[k + 1]), ascending; `held` flags the held-out ones. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly held: Uint8Array;
}

/** The counts of one window's candidate block (every candidate, before negatives are subsampled). */
export function windowItemCounts(block: CandidateBlock, labels: InteractionMatrix, users: number, items: number): WindowItemCounts {
  const proposed = new Float64Array(items);
  const heldOut = new Float64Array(items);
  const listOf = new Int32Array(users).fill(-1);
  const sortedItems = new Int32Array(block.items.length);
  const held = new Uint8Array(block.items.length);
  for (let b = 0; b < block.users.length; b++) {
    const u = block.users[b];
    listOf[u] = b;
    const heldSet = new Set<number>();
    for (let k = labels.indptr[u]; k < labels.indptr[u + 1]; k++) heldSet.add(labels.indices[k]);
    const from = block.offsets[b];
    const to = block.offsets[b + 1];
    sortedItems.set(block.items.subarray(from, to), from);
    sortedItems.subarray(from, to).sort();
    for (let r = from; r < to; r++) {
      const i = sortedItems[r];
      proposed[i] += 1;
      if (heldSet.has(i)) {
        heldOut[i] += 1;
        held[r] = 1;
      }
    }
  }
  return { proposed, heldOut, listOf, offsets: block.offsets, items: sortedItems, held };
}

/** Whether window `c` proposed item i to user u (0/1), and whether it was held out there (0/1). */
function ownCounts(c: WindowItemCounts, u: number, i: number): [proposed: number, held: number] {
  const k = u < c.listOf.length ? c.listOf[u] : -1;
  if (k < 0) return [0, 0];
  let lo = c.offsets[k];
  let hi = c.offsets[k + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.items[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < c.offsets[k + 1] && c.items[lo] === i ? [1, c.held[lo]] : [0, 0];
}

/**
 * The figures of the windows but one (`except`, −1: none) for any (user, item): the precision
 * shrunk towards the pooled precision with `prior` pseudo-proposals, and log(1 + proposals per
 * window), both without the user's own proposals.
 */
export class ItemPrecision {
  private readonly used: readonly WindowItemCounts[];
  private readonly proposed: Float64Array;
  private readonly heldOut: Float64Array;
  private readonly pooled: number;

  constructor(
    windows: readonly WindowItemCounts[],
    items: number,
    private readonly prior: number,
    except = -1,
  ) {
    this.used = windows.filter((_, w) => w !== except);
    this.proposed = new Float64Array(items);
    this.heldOut = new Float64Array(items);
    for (const w of this.used) {
      for (let i = 0; i < items; i++) {
        this.proposed[i] += w.proposed[i];
        this.heldOut[i] += w.heldOut[i];
      }
    }
    let p = 0;
    let h = 0;
    for (let i = 0; i < items; i++) {
      p += this.proposed[i];
      h += this.heldOut[i];
    }
    this.pooled = p > 0 ? h / p : 0;
  }

  /** Writes the two figures of (u, i) into out[at], out[at + 1]. */
  write(u: number, i: number, out: Float32Array, at: number): void {
    let proposed = this.proposed[i];
    let held = this.heldOut[i];
    for (const w of this.used) {
      const [p, h] = ownCounts(w, u, i);
      proposed -= p;
      held -= h;
    }
    out[at] = (held + this.prior * this.pooled) / (proposed + this.prior);
    out[at + 1] = Math.log1p(this.used.length > 0 ? proposed / this.used.length : 0);
  }
}

/** The block with 2 more columns per row: the figures of the row's (user, item). */
export function withItemColumns(block: CandidateBlock, precision: ItemPrecision): CandidateBlock {
  return { ...block, ...appendItemColumns(block.features, block.numFeatures, block.offsets, block.users, block.items, precision) };
}

/** Labelled lists with 2 more columns per row: the figures of (listUsers[q], rowItems[r]) for row r of list q. */
export function rankingWithItemColumns(data: RankingData, listUsers: readonly number[], rowItems: ArrayLike<number>, precision: ItemPrecision): RankingData {
  return { ...data, ...appendItemColumns(data.features, data.numFeatures, data.groups, listUsers, rowItems, precision) };
}

/** Rows × (f + 2): each row's f features, then the figures of (its list's user, its item) (list q is rows bounds[q] .. bounds[q + 1]). */
function appendItemColumns(
  rowsIn: Float32Array,
  f: number,
  bounds: ArrayLike<number>,
  users: ArrayLike<number>,
  rowItems: ArrayLike<number>,
  precision: ItemPrecision,
): { features: Float32Array; numFeatures: number } {
  const g = f + ITEM_PRECISION_NAMES.length;
  const rows = rowsIn.length / f;
  if (rowItems.length !== rows) throw new RangeError(`item precision: ${rowItems.length} row items for ${rows} rows`);
  const features = new Float32Array(rows * g);
  for (let q = 0; q + 1 < bounds.length; q++) {
    for (let r = bounds[q]; r < bounds[q + 1]; r++) {
      features.set(rowsIn.subarray(r * f, (r + 1) * f), r * g);
      precision.write(users[q], rowItems[r], features, r * g + f);
    }
  }
  return { features, numFeatures: g };
}
