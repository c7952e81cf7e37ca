import { describe, expect, it } from 'vitest';
import { randomEvalSplit } from '../../../src/eval/split.js';
import { type InteractionMatrix, buildMatrix } from '../../../src/models/cf/matrix.js';
import { HybridRecommender } from '../../../src/models/hybrid/hybrid.js';
import { FAST_HYBRID, blockData } from './helpers.js';

/**
 * The validation lists are what the ranker is measured on out of fold. Their features must not
 * read the validation labels, directly or through the stacking windows (whose sources train on
 * the validation items): a feature that does ranks a user's validation artists differently from
 * how it can rank their test artists, and inflates the out-of-fold figure. (A per-artist
 * precision counted over those windows did exactly that: +0.005 out of fold, −0.001 nested.)
 */
describe('the validation lists do not depend on the validation labels', () => {
  const { pairs, side } = blockData();
  const split = randomEvalSplit(pairs, 1);
  const { train, validation } = split.tuning;
  const windows = (split.stackingWindows?.(3) ?? []).map((w) => ({ train: w.train, validation: w.validation }));

  /** Every user's validation items replaced by as many other items the user has not trained on (the same users). */
  function relabelled(v: InteractionMatrix): InteractionMatrix {
    const cells: { user: number; item: number; value: number }[] = [];
    for (let u = 0; u < v.users; u++) {
      const taken = new Set<number>();
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) taken.add(train.indices[k]);
      for (let k = v.indptr[u]; k < v.indptr[u + 1]; k++) taken.add(v.indices[k]);
      let next = 0;
      for (let k = v.indptr[u]; k < v.indptr[u + 1]; k++) {
        while (taken.has(next)) next++;
        cells.push({ user: u, item: next, value: 1 });
        taken.add(next);
      }
    }
    return buildMatrix(v.users, v.items, cells);
  }

  // Every optional feature group is on; userReliability is not: it is one value per user,
  // the same for all of a list's rows, so it cannot order a list.
  for (const settings of [{}, { features: 'knn,pop,als,social,era,recency,coherence,friend-tags,friend-als' }, { itemPrecisionPrior: 10 }]) {
    it(`same candidates and features with other labels (${Object.keys(settings).join(', ') || 'defaults'})`, async () => {
      const other = relabelled(validation);
      expect(Array.from(other.indptr)).toEqual(Array.from(validation.indptr));
      expect(Array.from(other.indices)).not.toEqual(Array.from(validation.indices));
      const lists = async (v: InteractionMatrix) =>
        new HybridRecommender({ ...FAST_HYBRID, ...settings, seed: 1 }, side).stackingLists(
          { train, validation: v },
          undefined,
          windows,
        );
      const a = await lists(validation);
      const b = await lists(other);
      expect(Array.from(b.block.users)).toEqual(Array.from(a.block.users));
      expect(Array.from(b.block.items)).toEqual(Array.from(a.block.items));
      expect(Array.from(b.block.features)).toEqual(Array.from(a.block.features));
    });
  }
});
