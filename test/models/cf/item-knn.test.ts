import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender, weightMatrix } from '../../../src/models/cf/item-knn.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import { allUsers, blockData, heldOutAboveOutGroup } from './block-data.js';

const data = blockData();
const users = allUsers(data.train);

describe('ItemKnnRecommender', () => {
  for (const weighting of ['none', 'bm25', 'tfidf'] as const) {
    it(`ranks held-out in-group items above out-group items (${weighting})`, async () => {
      const model = new ItemKnnRecommender({ weighting, k: 20 });
      await model.fit(data.train);
      const out = new Float32Array(data.train.users * data.train.items);
      model.scoreUsers(users, out);
      expect(heldOutAboveOutGroup(data, out)).toBe(1);
    });
  }

  it('returns in-group items, best first, as similar items', async () => {
    const model = new ItemKnnRecommender({ k: 10 });
    await model.fit(data.train);
    for (const item of [0, 20, 44]) {
      const similar = model.similarItems(item, 5);
      expect(similar.items).toHaveLength(5);
      expect(similar.items).not.toContain(item);
      for (const i of similar.items) expect(data.groupOfItem(i)).toBe(data.groupOfItem(item));
      for (let r = 1; r < 5; r++) expect(similar.scores[r]).toBeLessThanOrEqual(similar.scores[r - 1]);
    }
    expect(model.similarItems(0, 50).items.length).toBeLessThanOrEqual(10);
  });

  it('computes exact cosine similarities and keeps only the top k', async () => {
    // Items 0 and 1 share users 0, 1; item 2 shares user 1 with both; item 3 is alone.
    const m = buildMatrix(3, 4, [
      { user: 0, item: 0, value: 1 },
      { user: 0, item: 1, value: 1 },
      { user: 1, item: 0, value: 1 },
      { user: 1, item: 1, value: 1 },
      { user: 1, item: 2, value: 1 },
      { user: 2, item: 3, value: 1 },
    ]);
    const model = new ItemKnnRecommender({ weighting: 'none', k: 1, shrink: 0 });
    await model.fit(m);
    const s = model.similarItems(0, 3);
    expect(Array.from(s.items)).toEqual([1]);
    expect(s.scores[0]).toBeCloseTo(1, 6);
    const s2 = model.similarItems(2, 3);
    expect(s2.scores[0]).toBeCloseTo(1 / Math.SQRT2, 6);
    expect(model.similarItems(3, 3).items).toHaveLength(0);
  });

  it('down-weights heavy users with bm25 and tf-idf', () => {
    const m = buildMatrix(2, 3, [
      { user: 0, item: 0, value: 4 },
      { user: 1, item: 0, value: 4 },
      { user: 1, item: 1, value: 4 },
      { user: 1, item: 2, value: 4 },
    ]);
    for (const weighting of ['bm25', 'tfidf'] as const) {
      const w = weightMatrix(m, { weighting, bm25K1: 1.2, bm25B: 0.75 });
      expect(w[0]).toBeGreaterThan(w[1]);
    }
    expect(Array.from(weightMatrix(m, { weighting: 'none', bm25K1: 1.2, bm25B: 0.75 }))).toEqual([1, 1, 1, 1]);
  });
});
