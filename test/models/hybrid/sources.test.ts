import { describe, expect, it } from 'vitest';
import { randomEvalSplit } from '../../../src/eval/split.js';
import { SocialRecommender } from '../../../src/models/hybrid/social.js';
import { friendMatrix } from '../../../src/models/hybrid/side-data.js';
import { Rp3BetaRecommender } from '../../../src/models/hybrid/rp3beta.js';
import { UserKnnRecommender } from '../../../src/models/hybrid/user-knn.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import { blockData } from './helpers.js';

describe('side-data sources', () => {
  it('social scores exactly the training items of the friends', async () => {
    const train = buildMatrix(3, 4, [
      { user: 0, item: 0, value: 1 },
      { user: 1, item: 0, value: 1 },
      { user: 1, item: 1, value: 1 },
      { user: 2, item: 3, value: 1 },
    ]);
    const social = new SocialRecommender(friendMatrix(3, [[0, 1]]), { floor: 0.1 });
    await social.fit(train);
    const out = new Float32Array(4);
    social.scoreUsers(Int32Array.from([0]), out);
    // Friend 1 overlaps user 0 on item 0: weight 0.1 + 1/√2; user 2 is no friend.
    expect(out[1]).toBeCloseTo(0.1 + 1 / Math.SQRT2, 5);
    expect(out[0]).toBeCloseTo(0.1 + 1 / Math.SQRT2, 5);
    expect(out[2]).toBe(0);
    expect(out[3]).toBe(0);
  });

  it('user-kNN and RP3beta put the user’s own block first on block data', async () => {
    const { pairs } = blockData();
    const split = randomEvalSplit(pairs, 1);
    const items = pairs.items.size;
    for (const model of [new UserKnnRecommender({ k: 10 }), new Rp3BetaRecommender()]) {
      await model.fit(split.tuning.train);
      const out = new Float32Array(items);
      model.scoreUsers(Int32Array.from([0]), out); // user 0: group 0, items 0..39
      const inBlock = Array.from(out.subarray(0, 40)).reduce((a, b) => a + b, 0) / 40;
      const otherBlock = Array.from(out.subarray(40, 80)).reduce((a, b) => a + b, 0) / 40;
      expect(inBlock).toBeGreaterThan(5 * otherBlock);
    }
  });
});
