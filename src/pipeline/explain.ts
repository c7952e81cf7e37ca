/**
 * What a listed item says about itself: the sources that proposed it (strongest first, with
 * their scores; `explore` added for an exploration slot) and one explanation — the strongest
 * source's reason, whichever ranker ordered the list (a learned ranker's score does not
 * decompose into reasons; a source's own certainty does).
 *
 * "Strongest": a personal reason — a recent play (item-to-item), friends, a new release, the
 * listener's CF neighbours, in that order — when its source is reasonably sure of the item
 * (its score at least SPECIFIC_MIN of its best in the request); otherwise the source with
 * the largest score relative to its best times its explanation weight
 * (settings.explanationWeights). Broad sources (a tag, the crowd) rate many items alike, so
 * they explain an item only when nothing personal does.
 */
import type { CandidatePool } from './candidates.js';
import type { SourceOutput } from './sources/source.js';
import { EXPLORE_SOURCE, SOURCE_COUNT, SOURCE_NAMES, type SourceName, type SourceScore } from './types.js';

/** A personal source explains an item when its score is at least this share of its best. */
export const SPECIFIC_MIN = 0.3;
const PERSONAL: readonly number[] = (['item-to-item', 'social', 'fresh-releases', 'cf'] as const).map((name) => SOURCE_NAMES.indexOf(name));

/** Scratch of `order`: the strengths of the sources ordered so far (order is synchronous). */
const strengths = new Float64Array(SOURCE_COUNT);

/** Orders an item's proposing sources by how strongly each speaks for it. */
export class ReasonStrength {
  private readonly weights: Float32Array;

  constructor(weights: Record<SourceName, number>) {
    this.weights = Float32Array.from(SOURCE_NAMES, (name) => weights[name]);
  }

  /** The proposing sources of a slot, the explaining one first, then by weighted strength (ties: SOURCE_NAMES order). */
  order(pool: CandidatePool, slot: number): number[] {
    const proposing: number[] = [];
    // An insertion sort over the few proposing sources (at most SOURCE_COUNT), strongest first,
    // ties in SOURCE_NAMES order. Array.prototype.sort with a comparator boxed every
    // comparison's result: 7 % of a served request's allocations (docs/benchmarks.md).
    for (let s = 0; s < SOURCE_COUNT; s++) {
      if (!pool.proposed(slot, s)) continue;
      const value = this.weights[s] * pool.normalised(slot, s);
      let at = proposing.length;
      proposing.push(s);
      while (at > 0 && strengths[at - 1] < value) {
        strengths[at] = strengths[at - 1];
        proposing[at] = proposing[at - 1];
        at--;
      }
      strengths[at] = value;
      proposing[at] = s;
    }
    const personal = PERSONAL.find((s) => pool.proposed(slot, s) && pool.normalised(slot, s) >= SPECIFIC_MIN);
    if (personal !== undefined && proposing[0] !== personal) {
      proposing.splice(proposing.indexOf(personal), 1);
      proposing.unshift(personal);
    }
    return proposing;
  }
}

export function itemSources(pool: CandidatePool, ordered: readonly number[], slot: number, explored: boolean, relevance: number): SourceScore[] {
  const sources: SourceScore[] = ordered.map((s) => ({ name: SOURCE_NAMES[s], score: pool.scores[slot * SOURCE_COUNT + s] }));
  if (explored) sources.push({ name: EXPLORE_SOURCE, score: relevance });
  return sources;
}

export function explanation(pool: CandidatePool, outputs: readonly (SourceOutput | undefined)[], ordered: readonly number[], slot: number): string {
  const strongest = ordered[0];
  const output = strongest === undefined ? undefined : outputs[strongest];
  const reason = output?.reason(pool.ranks[slot * SOURCE_COUNT + strongest]);
  return reason || 'Picked for you';
}
