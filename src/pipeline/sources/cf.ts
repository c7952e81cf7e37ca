/**
 * Collaborative filtering: the listener's folded-in vector against the model's inner-product
 * index ('user'), everything they heard excluded. Explained by the favourite whose factors
 * are closest to the candidate's ("Listeners of X also play this").
 */
import { excludedKeys, factorCosine, keyMap } from '../cf-view.js';
import { type CandidateSource, EMPTY_OUTPUT, TASTE_STALENESS, type SourceInput, type SourceOutput } from './source.js';

export class CfSource implements CandidateSource {
  readonly name = 'cf' as const;
  readonly staleness = TASTE_STALENESS;

  reuseKey(): number {
    return 0;
  }

  async generate(input: SourceInput): Promise<SourceOutput> {
    const { cf, catalogue } = input.models;
    if (!cf || cf.kind !== input.request.kind || input.cap === 0) return EMPTY_OUTPUT;
    const vector = cf.userVector();
    if (!vector) return { ...EMPTY_OUTPUT, modelVersion: cf.versionId };
    const exclude = excludedKeys(input.profile.excludedIdSet, cf.items);
    const hits = await input.request.ann({ kind: input.request.kind, index: 'user', vector, k: input.cap, exclude });
    const { itemOf, keyOf } = keyMap(catalogue, cf.items);
    const items = new Int32Array(hits.length);
    const scores = new Float32Array(hits.length);
    let n = 0;
    for (const hit of hits) {
      const item = itemOf[hit.key];
      if (item < 0) continue; // the model knows an item the catalogue no longer has
      items[n] = item;
      scores[n++] = hit.score;
    }
    const favourites = input.profile.favourites;
    return {
      items: items.subarray(0, n),
      scores: scores.subarray(0, n),
      modelVersion: cf.versionId,
      reason: (position) => {
        const key = keyOf[items[position]];
        let best = -1;
        let bestSimilarity = Number.NEGATIVE_INFINITY;
        for (const favourite of favourites) {
          const other = keyOf[favourite];
          if (other < 0) continue;
          const similarity = factorCosine(cf, key, other);
          if (similarity > bestSimilarity) {
            bestSimilarity = similarity;
            best = favourite;
          }
        }
        return best >= 0 ? `Listeners of ${catalogue.titles[best]} also play this` : 'Listeners with your taste play this';
      },
    };
  }
}
