import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import type { TagAssignments } from '../../../src/models/hybrid/side-data.js';
import { TagKnnRecommender } from '../../../src/models/hybrid/tag-knn.js';
import { TagProfiles } from '../../../src/models/hybrid/tags.js';

function assignments(rows: [user: number, item: number, tag: number][]): TagAssignments {
  return { tags: 3, user: Int32Array.from(rows.map((r) => r[0])), item: Int32Array.from(rows.map((r) => r[1])), tag: Int32Array.from(rows.map((r) => r[2])) };
}

// Users 1 and 2 tag: artists 0 and 1 with tag 0, artists 2 and 3 with tag 1, artist 4 with tag 2.
const others: [number, number, number][] = [
  [1, 0, 0],
  [2, 0, 0],
  [1, 1, 0],
  [1, 2, 1],
  [2, 3, 1],
  [1, 4, 2],
];
// Users 0 and 3 both train on artist 0 only.
const train = buildMatrix(4, 5, [
  { user: 0, item: 0, value: 1 },
  { user: 3, item: 0, value: 1 },
  { user: 1, item: 1, value: 1 },
]);

async function scores(rows: [number, number, number][], k = 3): Promise<Float32Array> {
  const model = new TagKnnRecommender(new TagProfiles(assignments(rows), 4, 5), { k });
  await model.fit(train);
  const out = new Float32Array(2 * 5);
  model.scoreUsers(Int32Array.from([0, 3]), out);
  return out;
}

describe('tag-knn source', () => {
  it("scores the artists that share the training artists' tags", async () => {
    const s = await scores(others);
    expect(s[1]).toBeGreaterThan(0.99); // artist 1: the same tag vector as artist 0
    expect([s[2], s[3], s[4]]).toEqual([0, 0, 0]);
  });

  it("keeps a user's own tag on an artist from raising that artist's score for them", async () => {
    // User 0 gives artist 2 the tag of their training artist.
    const withOwn = await scores([...others, [0, 2, 0]]);
    const without = await scores(others);
    expect(withOwn[2]).toBe(without[2]);
    // For user 3 the assignment is someone else's, and artist 2 does come closer to artist 0.
    expect(withOwn[5 + 2]).toBeGreaterThan(without[5 + 2]);
  });

  it('counts a similarity only within the neighbour cut-off', async () => {
    // With k 1 artist 0 keeps one neighbour (artist 1); artist 3, also tagged 0 by user 2, is cut.
    const s = await scores([...others, [2, 3, 0]], 1);
    expect(s[1]).toBeGreaterThan(0);
    expect(s[3]).toBe(0);
  });

  it('rejects a k below 1', () => {
    expect(() => new TagKnnRecommender(new TagProfiles(assignments(others), 4, 5), { k: 0 })).toThrow(RangeError);
  });
});
