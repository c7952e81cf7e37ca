/**
 * The candidate pool: the union of every source's proposals, each candidate keeping the score
 * and rank every proposing source gave it. When the union exceeds the total cap, sources are
 * merged round-robin by rank, so each keeps its best candidates rather than the first source
 * taking every slot; scores of candidates already in the pool are still recorded.
 */
import type { SourceOutput } from './sources/source.js';
import { SOURCE_COUNT } from './types.js';

export class CandidatePool {
  /** Snapshot item number per slot. */
  readonly items: Int32Array;
  /** slot × SOURCE_COUNT: the source's score, NaN when it did not propose the item. */
  readonly scores: Float32Array;
  /** slot × SOURCE_COUNT: the 0-based rank in the source's list, −1 when not proposed. */
  readonly ranks: Int32Array;
  /** Per source: its best score in this pool (for normalisation), 0 when none is positive. */
  readonly bestScore = new Float32Array(SOURCE_COUNT);
  readonly size: number;
  /** Item → slot, made on first use (only the debug view asks). */
  private slotByItem?: Map<number, number>;

  private constructor(items: Int32Array, scores: Float32Array, ranks: Int32Array) {
    this.items = items;
    this.scores = scores;
    this.ranks = ranks;
    this.size = items.length;
    for (let slot = 0; slot < this.size; slot++) {
      for (let s = 0; s < SOURCE_COUNT; s++) {
        const score = scores[slot * SOURCE_COUNT + s];
        if (score > this.bestScore[s]) this.bestScore[s] = score;
      }
    }
  }

  /** Merges source outputs (indexed like SOURCE_NAMES; undefined = no answer) into at most `cap` candidates. */
  static merge(outputs: readonly (SourceOutput | undefined)[], cap: number): CandidatePool {
    let longest = 0;
    let total = 0;
    for (const output of outputs) {
      if (!output) continue;
      longest = Math.max(longest, output.items.length);
      total += output.items.length;
    }
    const capacity = Math.min(cap, total);
    const items = new Int32Array(capacity);
    const scores = new Float32Array(capacity * SOURCE_COUNT).fill(Number.NaN);
    const ranks = new Int32Array(capacity * SOURCE_COUNT).fill(-1);
    let slotOf: Int32Array = scratch;
    // The outputs come from different sources, so they have different shapes: read their arrays
    // once here rather than through a megamorphic property access in the inner loop.
    const itemsOf = outputs.map((output) => output?.items ?? EMPTY_ITEMS);
    const scoresOf = outputs.map((output) => output?.scores ?? EMPTY_SCORES);
    let size = 0;
    for (let rank = 0; rank < longest; rank++) {
      for (let s = 0; s < itemsOf.length; s++) {
        const sourceItems = itemsOf[s];
        if (rank >= sourceItems.length) continue;
        const item = sourceItems[rank];
        if (item >= slotOf.length) slotOf = growScratch(item);
        let slot = slotOf[item];
        if (slot < 0) {
          if (size === capacity) continue;
          slot = size++;
          slotOf[item] = slot;
          items[slot] = item;
        }
        // A source lists an item once; keep its first (best) rank if it repeats one anyway.
        if (ranks[slot * SOURCE_COUNT + s] < 0) {
          ranks[slot * SOURCE_COUNT + s] = rank;
          scores[slot * SOURCE_COUNT + s] = scoresOf[s][rank];
        }
      }
    }
    // Leave the scratch as it was found: −1 everywhere.
    for (let slot = 0; slot < size; slot++) slotOf[items[slot]] = -1;
    return new CandidatePool(items.subarray(0, size), scores.subarray(0, size * SOURCE_COUNT), ranks.subarray(0, size * SOURCE_COUNT));
  }

  slotOf(item: number): number {
    if (!this.slotByItem) {
      this.slotByItem = new Map();
      for (let slot = 0; slot < this.size; slot++) this.slotByItem.set(this.items[slot], slot);
    }
    return this.slotByItem.get(item) ?? -1;
  }

  proposed(slot: number, source: number): boolean {
    return this.ranks[slot * SOURCE_COUNT + source] >= 0;
  }

  /** The source's score divided by its best in the pool: 0…1, 0 when not proposed. */
  normalised(slot: number, source: number): number {
    const score = this.scores[slot * SOURCE_COUNT + source];
    const best = this.bestScore[source];
    return score > 0 && best > 0 ? score / best : 0;
  }

  sourceCount(slot: number): number {
    let n = 0;
    for (let s = 0; s < SOURCE_COUNT; s++) if (this.ranks[slot * SOURCE_COUNT + s] >= 0) n++;
    return n;
  }
}

/**
 * Item → slot while merging, shared by every merge: −1 everywhere between merges (a merge
 * resets what it set, and runs synchronously). An array indexed by item number costs a
 * fraction of a Map's lookups for the few hundred candidates of a request.
 */
let scratch: Int32Array = new Int32Array(0);
const EMPTY_ITEMS = new Int32Array(0);
const EMPTY_SCORES = new Float32Array(0);

/** A larger scratch holding `item`, −1 everywhere but where the current merge set slots. */
function growScratch(item: number): Int32Array {
  const grown = new Int32Array(Math.max(item + 1, 2 * scratch.length)).fill(-1);
  grown.set(scratch);
  scratch = grown;
  return scratch;
}
