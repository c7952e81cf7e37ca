import { describe, expect, it } from 'vitest';
import { createRecommender, DEFAULT_PARAMS, ImplicitALS, ItemKnnRecommender, PopularityRecommender, RECOMMENDER_NAMES } from '../../../src/models/cf/index.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';

describe('PopularityRecommender', () => {
  it('scores every item by its number of users, the same for everyone', async () => {
    const m = buildMatrix(3, 3, [
      { user: 0, item: 0, value: 9 },
      { user: 1, item: 0, value: 1 },
      { user: 2, item: 0, value: 1 },
      { user: 2, item: 2, value: 50 },
    ]);
    const model = new PopularityRecommender();
    await model.fit(m);
    const out = new Float32Array(2 * 3);
    model.scoreUsers(Int32Array.of(0, 2), out);
    expect(Array.from(out)).toEqual([3, 0, 1, 3, 0, 1]);
  });
});

describe('createRecommender', () => {
  it('creates every registered model with its defaults, overridable', () => {
    for (const name of RECOMMENDER_NAMES) expect(createRecommender(name).name).toBe(name);
    expect(createRecommender('als')).toBeInstanceOf(ImplicitALS);
    expect(createRecommender('als', { factors: 16 }).factors).toBe(16);
    expect(createRecommender('item-knn', { k: 5 })).toBeInstanceOf(ItemKnnRecommender);
    expect(DEFAULT_PARAMS.als.factors).toBe(64);
    expect(DEFAULT_PARAMS['item-knn'].k).toBe(100);
    expect(() => createRecommender('nope' as never)).toThrow(RangeError);
  });
});
