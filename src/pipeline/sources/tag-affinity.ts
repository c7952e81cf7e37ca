/**
 * Tag/genre affinity: the listener's tag profile (profile.ts) against every catalogue item's
 * tags and genres through the snapshot's inverted index — only the postings of the profile's
 * strongest terms are visited. Scores are cosines; the catalogue's own popularity breaks ties,
 * so among equally fitting items the known ones come first.
 */
import type { CatalogueIndex } from '../catalogue-index.js';
import type { UserProfile } from '../profile.js';
import { selectTop } from '../top.js';
import { type CandidateSource, EMPTY_OUTPUT, TASTE_STALENESS, type SourceInput, type SourceOutput } from './source.js';

/** Weight of the catalogue's popularity (0–100) as a tie-breaker between equal cosines. */
const POPULARITY_TIE_BREAK = 1e-5;

export class TagAffinitySource implements CandidateSource {
  readonly name = 'tag-affinity' as const;
  readonly staleness = TASTE_STALENESS;

  reuseKey(): number {
    return 0;
  }

  async generate(input: SourceInput): Promise<SourceOutput> {
    const { catalogue } = input.models;
    const { profile } = input;
    const terms = Math.min(input.settings.profileTerms, profile.topTerms.length);
    if (terms === 0 || input.cap === 0) return EMPTY_OUTPUT;
    // The shared accumulator must be clean again before this function first awaits.
    const acc = catalogue.scratch();
    const touched: number[] = [];
    for (let n = 0; n < terms; n++) {
      const t = profile.topTerms[n];
      const w = profile.topTermWeights[n];
      for (let p = catalogue.postPtr[t]; p < catalogue.postPtr[t + 1]; p++) {
        const item = catalogue.postIdx[p];
        if (acc[item] === 0) touched.push(item);
        acc[item] += w * catalogue.postWeight[p];
      }
    }
    // What the listener heard never makes the list. Marking the heard items the terms touched
    // (a few hundred) costs far less than asking the exclusion set about every touched item
    // (tens of thousands on a large catalogue).
    for (const item of profile.excludedItems) if (acc[item] !== 0) acc[item] = Number.NEGATIVE_INFINITY;
    const count = touched.length;
    const positions = new Int32Array(count);
    const cosines = new Float32Array(count);
    const keys = new Float64Array(count);
    for (let n = 0; n < count; n++) {
      const item = touched[n];
      positions[n] = n;
      cosines[n] = acc[item];
      acc[item] = 0;
      const popularity = catalogue.catalogPopularity[item];
      // −∞ for a heard item: selectTop passes it over.
      keys[n] = cosines[n] + (Number.isNaN(popularity) ? 0 : popularity * POPULARITY_TIE_BREAK);
    }
    const best = selectTop(positions, keys, count, input.cap).items;
    const items = new Int32Array(best.length);
    const scores = new Float32Array(best.length);
    for (let n = 0; n < best.length; n++) {
      items[n] = touched[best[n]];
      scores[n] = cosines[best[n]];
    }
    return tagOutput(catalogue, profile, items, scores);
  }
}

/**
 * The output, made outside `generate` so that its `reason` (kept between requests by the
 * source cache) holds only what it needs, not the request's per-posting scratch arrays.
 */
function tagOutput(catalogue: CatalogueIndex, profile: UserProfile, items: Int32Array, scores: Float32Array): SourceOutput {
  return { items, scores, reason: (position) => describe(catalogue, profile, items[position]) };
}

/** Names the term that contributes most to the item's cosine with the listener's profile. */
function describe(catalogue: CatalogueIndex, profile: UserProfile, item: number): string {
  const term = strongestSharedTerm(catalogue, profile, item);
  return term ? `Tagged '${term}' like your favourites` : 'Like the music you play most';
}

export function strongestSharedTerm(catalogue: CatalogueIndex, profile: UserProfile, item: number): string | undefined {
  let best = -1;
  let bestWeight = 0;
  for (let k = catalogue.termPtr[item]; k < catalogue.termPtr[item + 1]; k++) {
    const t = catalogue.termIdx[k];
    const w = profile.termWeights[t] * catalogue.termWeight[k];
    if (w > bestWeight) {
      bestWeight = w;
      best = t;
    }
  }
  return best >= 0 ? catalogue.terms[best] : undefined;
}
