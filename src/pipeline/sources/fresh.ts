/**
 * Fresh releases: items released in the last `freshDays` before the day the request is
 * answered on (types.ts, momentOf) that fit the listener — by an artist they play, or sharing
 * their tags and genres. Newer is better (a 30-day half-life). The snapshot keeps items sorted by release day, so this reads only the
 * window, not the catalogue.
 */
import { type CatalogueIndex, DAY_MS } from '../catalogue-index.js';
import type { UserProfile } from '../profile.js';
import { selectTop } from '../top.js';
import { momentOf, type PipelineRequest } from '../types.js';
import { type CandidateSource, EMPTY_OUTPUT, TASTE_STALENESS, type SourceInput, type SourceOutput } from './source.js';
import { strongestSharedTerm } from './tag-affinity.js';

const HALF_LIFE_DAYS = 30;
/** A familiar artist's release counts like this much tag affinity, plus a little per play. */
const FAMILIAR_ARTIST = 0.5;

export class FreshReleasesSource implements CandidateSource {
  readonly name = 'fresh-releases' as const;
  readonly staleness = TASTE_STALENESS;

  /** The window ends on the day the request is answered. */
  reuseKey(request: PipelineRequest): number {
    return Math.floor(momentOf(request) / DAY_MS);
  }

  async generate(input: SourceInput): Promise<SourceOutput> {
    const { catalogue } = input.models;
    const { profile } = input;
    if (input.cap === 0 || (profile.terms.size === 0 && profile.artistPlays.size === 0)) return EMPTY_OUTPUT;
    const today = Math.floor(momentOf(input.request) / DAY_MS);
    const order = catalogue.byRelease;
    // First item released on or after the window's first day.
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (catalogue.releaseDay[order[mid]] < today - input.settings.freshDays) lo = mid + 1;
      else hi = mid;
    }
    const items: number[] = [];
    const scores: number[] = [];
    const familiar = new Set<number>();
    for (let n = lo; n < order.length; n++) {
      const item = order[n];
      const day = catalogue.releaseDay[item];
      if (day > today) break;
      if (profile.excludedItems.has(item)) continue;
      let affinity = 0;
      for (let k = catalogue.termPtr[item]; k < catalogue.termPtr[item + 1]; k++) {
        affinity += profile.termWeights[catalogue.termIdx[k]] * catalogue.termWeight[k];
      }
      let plays = 0;
      for (let k = catalogue.artistPtr[item]; k < catalogue.artistPtr[item + 1]; k++) {
        plays = Math.max(plays, profile.artistPlays.get(catalogue.artistIdx[k]) ?? 0);
      }
      if (plays > 0) familiar.add(item);
      const fit = affinity + (plays > 0 ? FAMILIAR_ARTIST + 0.1 * Math.log1p(plays) : 0);
      if (fit <= 0) continue;
      items.push(item);
      scores.push(fit * 2 ** (-(today - day) / HALF_LIFE_DAYS));
    }
    const top = selectTop(items, scores, items.length, input.cap);
    return freshOutput(catalogue, profile, top.items, top.scores, Uint8Array.from(top.items, (item) => (familiar.has(item) ? 1 : 0)));
  }
}

/** The output, made outside `generate` so that its kept `reason` holds only the listed items' facts. */
function freshOutput(catalogue: CatalogueIndex, profile: UserProfile, items: Int32Array, scores: Float32Array, byFamiliarArtist: Uint8Array): SourceOutput {
  return {
    items,
    scores,
    reason: (position) => {
      if (byFamiliarArtist[position]) return 'New release from an artist you like';
      const term = strongestSharedTerm(catalogue, profile, items[position]);
      return term ? `New release tagged '${term}', like your favourites` : 'New release you may like';
    },
  };
}
