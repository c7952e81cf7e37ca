import { describe, expect, it } from 'vitest';
import { randomEvalSplit } from '../../../src/eval/split.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import type { CandidateBlock } from '../../../src/models/hybrid/candidates.js';
import { HybridRecommender } from '../../../src/models/hybrid/hybrid.js';
import { rankingWithUserColumns, reliabilityTable, windowHits, withUserColumns } from '../../../src/models/hybrid/reliability.js';
import { FAST_HYBRID, blockData, candidateBlock } from './helpers.js';

// Two sources; a row is [score a, score b, rank a, rank b] (rank N = 5 when not proposed).
const block = (users: number[], lists: [item: number, rankA: number, rankB: number][][]): CandidateBlock =>
  candidateBlock(
    users,
    lists,
    ([item]) => item,
    ([, ra, rb]) => [1, 1, ra, rb],
  );

describe('per-user source reliability', () => {
  // User 0 held out items 3 and 7; item 3 is source a's first and source b's fourth, item 7 is no candidate.
  const labels = buildMatrix(2, 10, [
    { user: 0, item: 3, value: 1 },
    { user: 0, item: 7, value: 1 },
    { user: 1, item: 2, value: 1 },
  ]);
  const b = block(
    [0, 1],
    [
      [
        [3, 0, 3],
        [4, 1, 5],
      ],
      [[2, 5, 0]],
    ],
  );

  it("sums 1/(1 + rank) of the user's held-out candidates per source and counts every held-out item", () => {
    const h = windowHits(b, labels, 2, 2);
    expect(Array.from(h.hits)).toEqual([1, 1 / 4, 1 / 6, 1]);
    expect(Array.from(h.heldOut)).toEqual([2, 1]);
  });

  it('averages over the windows, leaving one out on request', () => {
    const w0 = windowHits(b, labels, 2, 2);
    const w1 = { hits: Float64Array.from([0, 1, 0, 0]), heldOut: Float64Array.from([2, 0]) };
    expect(Array.from(reliabilityTable([w0, w1], 2, 2))).toEqual([1 / 4, 1.25 / 4, 1 / 6, 1].map(Math.fround));
    // Without window 0, user 1 has nothing held out: zeros, not NaN.
    expect(Array.from(reliabilityTable([w0, w1], 2, 2, 0))).toEqual([0, 0.5, 0, 0]);
    expect(Array.from(reliabilityTable([w0, w1], 2, 2, 1))).toEqual([0.5, 0.125, 1 / 6, 1].map(Math.fround));
  });

  it("appends the list user's row of the table to every candidate", () => {
    const table = Float32Array.from([10, 11, 20, 21]);
    const wide = withUserColumns(b, table, 2);
    expect(wide.numFeatures).toBe(6);
    expect(Array.from(wide.features.subarray(6, 12))).toEqual([1, 1, 1, 5, 10, 11]);
    expect(Array.from(wide.features.subarray(12, 18))).toEqual([1, 1, 5, 0, 20, 21]);
    const data = { features: Float32Array.from([1, 2, 3, 4]), numFeatures: 2, labels: Float32Array.from([1, 0]), groups: Int32Array.from([0, 1, 2]) };
    expect(Array.from(rankingWithUserColumns(data, [1, 0], table, 2).features)).toEqual([1, 2, 20, 21, 3, 4, 10, 11]);
  });

  it('in the hybrid: the ranker gets one reliability column per source, and only with two windows or more', async () => {
    const { pairs, side } = blockData();
    const split = randomEvalSplit(pairs, 1);
    const data = { train: split.tuning.train, validation: split.tuning.validation };
    const windows = (split.stackingWindows?.(3) ?? []).map((w) => ({ train: w.train, validation: w.validation }));
    const hybrid = new HybridRecommender({ ...FAST_HYBRID, crossFit: 3, combiner: 'ranker', userReliability: true, seed: 1 }, side);
    const lists = await hybrid.stackingLists(data, undefined, windows);
    const names = hybrid.featureNames();
    const S = names.filter((n) => n.endsWith(':score')).length;
    expect(names.slice(-S)).toEqual(names.filter((n) => n.endsWith(':score')).map((n) => `reliability:${n.slice(0, -':score'.length)}`));
    expect(lists.block.numFeatures).toBe(names.length);
    for (const w of lists.windows) expect(w.numFeatures).toBe(names.length);
    // Some user has a non-zero reliability for some source, and every value is a mean reciprocal rank.
    const col = (r: number, s: number): number => lists.block.features[r * names.length + names.length - S + s];
    let positive = 0;
    for (let r = 0; r < lists.block.items.length; r++) {
      for (let s = 0; s < S; s++) {
        expect(col(r, s)).toBeGreaterThanOrEqual(0);
        expect(col(r, s)).toBeLessThanOrEqual(1);
        if (col(r, s) > 0) positive++;
      }
    }
    expect(positive).toBeGreaterThan(0);
    hybrid.fitRanker(lists);
    await hybrid.fit(split.test.train);
    const out = new Float32Array(pairs.items.size);
    hybrid.scoreUsers(Int32Array.from([0]), out);
    expect([...out].some((v) => Number.isFinite(v))).toBe(true);
    // One window: no reliability columns.
    const single = new HybridRecommender({ ...FAST_HYBRID, userReliability: true, seed: 1 }, side);
    await single.stackingLists(data, undefined, windows.slice(0, 1));
    expect(single.featureNames().some((n) => n.startsWith('reliability:'))).toBe(false);
  });
});
