/**
 * Context popularity: the online popularity model's chart for the request's context (time of
 * week, activity, device, weather, country), everything the listener heard excluded. The
 * explanation names the context segment that lifts the item most.
 */
import { describeSegment } from '../../domain/context-segments.js';
import type { PopularityCandidate } from '../../models/popularity/context-popularity.js';
import type { CatalogueIndex } from '../catalogue-index.js';
import { type CandidateSource, EMPTY_OUTPUT, kindNoun, type SourceInput, type SourceOutput } from './source.js';

const itemNumberCache = new WeakMap<CatalogueIndex, WeakMap<PopularityCandidate, number>>();

/**
 * Snapshot item numbers of popularity candidates: the model hands out the same candidate
 * objects to every request in a context until its counts change, so each id is looked up once.
 */
function itemNumbers(catalogue: CatalogueIndex): WeakMap<PopularityCandidate, number> {
  let map = itemNumberCache.get(catalogue);
  if (!map) itemNumberCache.set(catalogue, (map = new WeakMap()));
  return map;
}

export class PopularSource implements CandidateSource {
  readonly name = 'popular-in-context' as const;

  async generate(input: SourceInput): Promise<SourceOutput> {
    if (input.cap === 0) return EMPTY_OUTPUT;
    const { kind, context } = input.request;
    const ranked = await input.models.popularity.rank(kind, context, input.cap, input.profile.excludedIdSet);
    const { catalogue } = input.models;
    const items = new Int32Array(ranked.length);
    const scores = new Float32Array(ranked.length);
    const segments: (string | undefined)[] = [];
    let n = 0;
    const itemOf = itemNumbers(catalogue);
    for (const candidate of ranked) {
      let item = itemOf.get(candidate);
      if (item === undefined) itemOf.set(candidate, (item = catalogue.indexOf(candidate.id)));
      if (item < 0) continue; // counted by popularity but not (yet) in the catalogue snapshot
      items[n] = item;
      scores[n++] = candidate.score;
      segments.push(candidate.strongestSegment);
    }
    return {
      items: items.subarray(0, n),
      scores: scores.subarray(0, n),
      reason: (position) => {
        const segment = segments[position];
        return segment
          ? `Popular with listeners ${describeSegment(segment)}, and new to you`
          : `One of the most played ${kindNoun(input)} right now, and new to you`;
      },
    };
  }
}
