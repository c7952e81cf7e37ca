import { describe, expect, it } from 'vitest';
import { randomEvalSplit } from '../../../src/eval/split.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import type { CandidateBlock } from '../../../src/models/hybrid/candidates.js';
import { HybridRecommender } from '../../../src/models/hybrid/hybrid.js';
import { rankingData } from '../../../src/models/hybrid/labelled-lists.js';
import { ITEM_PRECISION_NAMES, ItemPrecision, rankingWithItemColumns, windowItemCounts, withItemColumns } from '../../../src/models/hybrid/item-precision.js';
import { FAST_HYBRID, blockData, candidateBlock } from './helpers.js';

// One feature per row: the row's item, so that appended columns can be checked against it.
const block = (users: number[], lists: number[][]): CandidateBlock => candidateBlock(users, lists, (item) => item, (item) => [item]);

describe('per-item candidate precision', () => {
  // User 0 held out items 1 and 3, user 1 item 1; item 3 is user 0's candidate, 4 nobody's held-out item.
  const labels = buildMatrix(2, 5, [
    { user: 0, item: 1, value: 1 },
    { user: 0, item: 3, value: 1 },
    { user: 1, item: 1, value: 1 },
  ]);
  const b = block(
    [0, 1],
    [
      [1, 3, 4],
      [1, 4, 2],
    ],
  );

  it('counts, per item, the lists that proposed it and those in which it was held out, and keeps each list sorted', () => {
    const c = windowItemCounts(b, labels, 2, 5);
    expect(Array.from(c.proposed)).toEqual([0, 2, 1, 1, 2]);
    expect(Array.from(c.heldOut)).toEqual([0, 2, 0, 1, 0]);
    expect(Array.from(c.items)).toEqual([1, 3, 4, 1, 2, 4]);
    expect(Array.from(c.held)).toEqual([1, 1, 0, 1, 0, 0]);
  });

  // Window 1: user 0 is proposed items 2 and 4 (item 2 held out), user 2 items 2 and 4 (item 2 held out).
  const labels1 = buildMatrix(3, 5, [
    { user: 0, item: 2, value: 1 },
    { user: 2, item: 2, value: 1 },
  ]);
  const b1 = block(
    [0, 2],
    [
      [4, 2],
      [2, 4],
    ],
  );
  const figures = (p: ItemPrecision, u: number, i: number): number[] => {
    const out = new Float32Array(2);
    p.write(u, i, out, 0);
    return Array.from(out);
  };

  it("shrinks each precision towards the pooled one, without the row's own user", () => {
    const w0 = windowItemCounts(b, labels, 2, 5);
    const w1 = windowItemCounts(b1, labels1, 3, 5);
    // Pooled over both windows: 5 held out of 10 proposals; prior 1.
    const both = new ItemPrecision([w0, w1], 5, 1);
    const p = 5 / 10;
    // User 1 on item 2: proposed by user 1 in window 0 (left out) and by users 0 and 2 in window 1, both held out.
    expect(figures(both, 1, 2)).toEqual([(2 + p) / 3, Math.log1p(1)].map(Math.fround));
    // User 0 on item 2: only user 1's and user 2's proposals count.
    expect(figures(both, 0, 2)).toEqual([(1 + p) / 3, Math.log1p(1)].map(Math.fround));
    // User 5 (in no window) on item 4: all four proposals, none held out.
    expect(figures(both, 5, 4)).toEqual([p / 5, Math.log1p(2)].map(Math.fround));
  });

  it("a row's own label never moves its figures: its window is left out, and so is its user", () => {
    const w0 = windowItemCounts(b, labels, 2, 5);
    const w1 = windowItemCounts(b1, labels1, 3, 5);
    const without0 = new ItemPrecision([w0, w1], 5, 1, 0);
    // Window 0's labels changed: nothing seen without window 0 changes.
    const relabelled = windowItemCounts(b, buildMatrix(2, 5, [{ user: 1, item: 4, value: 1 }]), 2, 5);
    const again = new ItemPrecision([relabelled, w1], 5, 1, 0);
    for (const u of [0, 1, 2]) for (let i = 0; i < 5; i++) expect(figures(again, u, i)).toEqual(figures(without0, u, i));
    // User 0 no longer proposed item 4 in window 1 (as if they knew it): user 0's figures stay, user 2's change.
    const known = windowItemCounts(block([0, 2], [[2], [2, 4]]), labels1, 3, 5);
    const withKnown = new ItemPrecision([w0, known], 5, 1);
    const withAll = new ItemPrecision([w0, w1], 5, 1);
    expect(figures(withKnown, 0, 4)[1]).toEqual(figures(withAll, 0, 4)[1]);
    expect(figures(withKnown, 2, 4)[1]).not.toEqual(figures(withAll, 2, 4)[1]);
  });

  it("appends the figures of each row's user and item, also after negatives were subsampled", () => {
    const w1 = windowItemCounts(b1, labels1, 3, 5);
    const precision = new ItemPrecision([w1], 5, 1);
    const expected = (u: number, i: number): number[] => [i, ...figures(precision, u, i)];
    const wide = withItemColumns(b, precision);
    expect(wide.numFeatures).toBe(3);
    expect(Array.from(wide.features)).toEqual([expected(0, 1), expected(0, 3), expected(0, 4), expected(1, 1), expected(1, 4), expected(1, 2)].flat());
    // Keep only the negatives of row 5 (user 1's item 2): the row items follow the kept rows.
    const rowItems: number[] = [];
    const listUsers: number[] = [];
    const data = rankingData(b, labels, () => true, true, (_b, r) => r === 5, listUsers, rowItems);
    expect(rowItems).toEqual([1, 3, 1, 2]);
    expect(listUsers).toEqual([0, 1]);
    const labelled = rankingWithItemColumns(data, listUsers, rowItems, precision);
    expect(Array.from(labelled.features)).toEqual([expected(0, 1), expected(0, 3), expected(1, 1), expected(1, 2)].flat());
    expect(() => rankingWithItemColumns(data, listUsers, rowItems.slice(1), precision)).toThrow(RangeError);
  });

  it('in the hybrid: the ranker gets the two columns and scores with them, only with two windows or more', async () => {
    const { pairs, side } = blockData();
    const split = randomEvalSplit(pairs, 1);
    const data = { train: split.tuning.train, validation: split.tuning.validation };
    const windows = (split.stackingWindows?.(3) ?? []).map((w) => ({ train: w.train, validation: w.validation }));
    const hybrid = new HybridRecommender({ ...FAST_HYBRID, crossFit: 3, combiner: 'ranker', itemPrecisionPrior: 5, seed: 1 }, side);
    const lists = await hybrid.stackingLists(data, undefined, windows);
    const names = hybrid.featureNames();
    expect(names.slice(-2)).toEqual([...ITEM_PRECISION_NAMES]);
    expect(lists.block.numFeatures).toBe(names.length);
    for (const w of lists.windows) expect(w.numFeatures).toBe(names.length);
    const precision = (r: number): number => lists.block.features[r * names.length + names.length - 2];
    let positive = 0;
    for (let r = 0; r < lists.block.items.length; r++) {
      expect(precision(r)).toBeGreaterThanOrEqual(0);
      expect(precision(r)).toBeLessThanOrEqual(1);
      if (precision(r) > 0) positive++;
    }
    expect(positive).toBeGreaterThan(0);
    hybrid.fitRanker(lists);
    await hybrid.fit(split.test.train);
    const out = new Float32Array(pairs.items.size);
    hybrid.scoreUsers(Int32Array.from([0]), out);
    expect([...out].some((v) => Number.isFinite(v))).toBe(true);
    const single = new HybridRecommender({ ...FAST_HYBRID, itemPrecisionPrior: 5, seed: 1 }, side);
    await single.stackingLists(data, undefined, windows.slice(0, 1));
    expect(single.featureNames().some((n) => n.startsWith('item:window'))).toBe(false);
  });
});
