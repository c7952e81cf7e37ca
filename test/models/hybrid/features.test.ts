import { describe, expect, it } from 'vitest';
import { ImplicitALS } from '../../../src/models/cf/als.js';
import { ItemKnnRecommender } from '../../../src/models/cf/item-knn.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import { extraFeatures } from '../../../src/models/hybrid/features.js';
import { featuresOf } from './helpers.js';
import { friendMatrix } from '../../../src/models/hybrid/side-data.js';

// 5 users × 6 artists: artists 0–2 go together, so do 3–5; artist 0 is the most popular.
const train = buildMatrix(5, 6, [
  ...[0, 1, 2, 3].map((u) => ({ user: u, item: 0, value: 1 })),
  ...[0, 1, 2].map((u) => ({ user: u, item: 1, value: 1 })),
  ...[1, 2].map((u) => ({ user: u, item: 2, value: 1 })),
  ...[3, 4].flatMap((u) => [3, 4, 5].map((i) => ({ user: u, item: i, value: 1 }))),
]);
const friends = friendMatrix(5, [
  [0, 1],
  [0, 2],
  [0, 4],
]);

describe('extra feature groups', () => {
  it('pop: the user mean log popularity and the candidate against it', () => {
    const [c2, c5] = featuresOf(['pop'], { train }, 0, [2, 5]);
    const mean = (Math.log1p(4) + Math.log1p(3)) / 2; // user 0 trains on artists 0 (4 users) and 1 (3)
    expect(c2['user:meanLogPopularity']).toBeCloseTo(mean, 6);
    expect(c2['item:popularityVsUser']).toBeCloseTo(Math.log1p(2) - mean, 6);
    expect(c5['item:popularityVsUser']).toBeCloseTo(Math.log1p(2) - mean, 6);
  });

  it("social: how many friends trained on the candidate, and their share of the user's friends", () => {
    const [c2, c4] = featuresOf(['social'], { train, friends }, 0, [2, 4]);
    expect(c2['social:friendsWith']).toBe(2); // friends 1 and 2
    expect(c2['social:shareOfFriends']).toBeCloseTo(2 / 3, 6);
    expect(c4['social:friendsWith']).toBe(1); // friend 4
    // User 3 has no friends: zero, not a division by zero.
    const [lonely] = featuresOf(['social'], { train, friends }, 3, [2]);
    expect(lonely['social:shareOfFriends']).toBe(0);
  });

  it("knn: the strongest link and the number of links from the user's training artists", async () => {
    const knn = new ItemKnnRecommender({ k: 5, weighting: 'none', shrink: 0 });
    await knn.fit(train);
    /** From the neighbour lists of user u's training artists. */
    const expected = (u: number, i: number): [number, number] => {
      let maxSim = 0;
      let links = 0;
      for (let e = train.indptr[u]; e < train.indptr[u + 1]; e++) {
        const j = train.indices[e];
        for (let q = knn.nbrPtr[j]; q < knn.nbrPtr[j + 1]; q++) {
          if (knn.nbrIndex[q] !== i) continue;
          maxSim = Math.max(maxSim, knn.nbrSim[q]);
          links++;
        }
      }
      return [maxSim, links];
    };
    expect(expected(0, 2)[1]).toBe(2); // artists 0 and 1 both link to 2
    expect(expected(0, 2)[0]).toBeGreaterThan(expected(0, 5)[0]);
    const extra = extraFeatures(['knn'], { train, knn });
    const out = new Float32Array(2 * 2);
    // User 4's training artists link to artist 5 strongly first: the scratch must not carry over.
    extra?.fill(4, [5, 2], out);
    extra?.fill(0, [2, 5], out);
    expect(out[0]).toBeCloseTo(expected(0, 2)[0], 6);
    expect(out[1]).toBe(2);
    expect(out[2]).toBeCloseTo(expected(0, 5)[0], 6);
    expect(out[3]).toBe(expected(0, 5)[1]);
  });

  it('als: vector lengths and their cosine', async () => {
    const als = new ImplicitALS({ factors: 4, iterations: 5, lambda: 0.1, seed: 2, threads: 1 as never });
    await als.fit(train);
    const [c] = featuresOf(['als'], { train, als }, 1, [3]);
    const k = 4;
    const x = als.userFactors.subarray(k, 2 * k);
    const y = als.itemFactors.subarray(3 * k, 4 * k);
    const dot = x.reduce((s, v, f) => s + v * y[f], 0);
    const nx = Math.hypot(...x);
    const ny = Math.hypot(...y);
    expect(c['als:userNorm']).toBeCloseTo(nx, 5);
    expect(c['als:itemNorm']).toBeCloseTo(ny, 5);
    expect(c['als:cosine']).toBeCloseTo(dot / (nx * ny), 5);
  });

  it("friend-als: the mean and the maximum of the friends' ALS scores; zeros without friends", async () => {
    const als = new ImplicitALS({ factors: 4, iterations: 5, lambda: 0.1, seed: 2, threads: 1 as never });
    await als.fit(train);
    const k = 4;
    const score = (u: number, i: number): number => als.userFactors.subarray(u * k, (u + 1) * k).reduce((s, v, f) => s + v * als.itemFactors[i * k + f], 0);
    // User 0's friends are 1, 2 and 4; user 3 has none.
    const [c4, c1] = featuresOf(['friend-als'], { train, als, friends }, 0, [4, 1]);
    for (const [c, i] of [
      [c4, 4],
      [c1, 1],
    ] as const) {
      const scores = [1, 2, 4].map((f) => score(f, i));
      expect(c['friendAls:mean']).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 3, 5);
      expect(c['friendAls:max']).toBeCloseTo(Math.max(...scores), 5);
    }
    // Artists 3–5 go with user 4, the friend outside the 0–2 group: the maximum finds them.
    expect(c4['friendAls:max']).toBeGreaterThan(c4['friendAls:mean']);
    const [lonely] = featuresOf(['friend-als'], { train, als, friends }, 3, [4]);
    expect([lonely['friendAls:mean'], lonely['friendAls:max']]).toEqual([0, 0]);
    expect(extraFeatures(['friend-als'], { train, als })).toBeUndefined();
  });

  it('leaves out a group whose input is missing and rejects an unknown one', () => {
    expect(extraFeatures(['knn', 'als', 'social'], { train })).toBeUndefined();
    expect(() => extraFeatures(['pop', 'nope'], { train })).toThrow(/unknown feature group "nope"/);
    expect(extraFeatures(['pop', 'social'], { train, friends })?.names).toEqual(['user:meanLogPopularity', 'item:popularityVsUser', 'social:friendsWith', 'social:shareOfFriends']);
  });
});

describe('coherence and friend-tags feature groups', () => {
  it("coherence: the sum and count of item-kNN links from the user's other candidates", async () => {
    const knn = new ItemKnnRecommender({ k: 5, weighting: 'none', shrink: 0 });
    await knn.fit(train);
    const candidates = [2, 4, 5];
    const expected = (i: number): [number, number] => {
      let sum = 0;
      let links = 0;
      for (const j of candidates) {
        if (j === i) continue;
        for (let q = knn.nbrPtr[j]; q < knn.nbrPtr[j + 1]; q++) {
          if (knn.nbrIndex[q] !== i) continue;
          sum += knn.nbrSim[q];
          links++;
        }
      }
      return [sum, links];
    };
    const extra = extraFeatures(['coherence'], { train, knn });
    const out = new Float32Array(candidates.length * 2);
    extra?.fill(0, [0, 1, 3], out); // another list first: nothing may carry over
    extra?.fill(0, candidates, out);
    candidates.forEach((i, c) => {
      expect(out[2 * c]).toBeCloseTo(expected(i)[0], 6);
      expect(out[2 * c + 1]).toBe(expected(i)[1]);
    });
    // Artists 4 and 5 go together (users 3 and 4), artist 2 with neither.
    expect(out[3]).toBeGreaterThan(0);
    expect(out[1]).toBe(0);
  });

  it("friend-tags: friends who tagged the candidate, and those of them who did not train on it; never the user's own tags", () => {
    const tags = {
      tags: 1,
      user: Int32Array.from([1, 1, 2, 4, 0, 3]),
      item: Int32Array.from([2, 2, 5, 5, 5, 5]),
      tag: Int32Array.from([0, 0, 0, 0, 0, 0]),
    };
    // User 0's friends are 1, 2 and 4: friend 1 tagged artist 2 (twice) and trained on it,
    // friends 2 and 4 tagged artist 5, which friend 4 trained on; user 0 and user 3 (no friend) tagged 5 too.
    const [c2, c5, c3] = featuresOf(['friend-tags'], { train, friends, tags }, 0, [2, 5, 3]);
    expect([c2['friendTags:friends'], c2['friendTags:notTrained']]).toEqual([1, 0]);
    expect([c5['friendTags:friends'], c5['friendTags:notTrained']]).toEqual([2, 1]);
    expect([c3['friendTags:friends'], c3['friendTags:notTrained']]).toEqual([0, 0]);
  });
});
