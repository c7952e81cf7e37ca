import { describe, expect, it } from 'vitest';
import { randomEvalSplit } from '../../../src/eval/split.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import type { CandidateBlock } from '../../../src/models/hybrid/candidates.js';
import { HybridRecommender, rankingData } from '../../../src/models/hybrid/hybrid.js';
import { ITEM_PRECISION_NAMES, itemPrecisionTable, rankingWithItemColumns, windowItemCounts, withItemColumns } from '../../../src/models/hybrid/item-precision.js';
import { FAST_HYBRID, blockData } from './helpers.js';

// One feature per row: the row's item, so that appended columns can be checked against it.
function block(users: number[], lists: number[][]): CandidateBlock {
  const items = lists.flat();
  const offsets = [0];
  for (const list of lists) offsets.push(offsets[offsets.length - 1] + list.length);
  return { users: Int32Array.from(users), offsets: Int32Array.from(offsets), items: Int32Array.from(items), features: Float32Array.from(items), numFeatures: 1 };
}

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

  it('counts, per item, the lists that proposed it and those in which it was held out', () => {
    const c = windowItemCounts(b, labels, 5);
    expect(Array.from(c.proposed)).toEqual([0, 2, 1, 1, 2]);
    expect(Array.from(c.heldOut)).toEqual([0, 2, 0, 1, 0]);
  });

  it('shrinks each precision towards the pooled one, leaving a window out on request', () => {
    const w0 = windowItemCounts(b, labels, 5);
    const w1 = { proposed: Float64Array.from([0, 0, 3, 0, 2]), heldOut: Float64Array.from([0, 0, 3, 0, 0]) };
    // Pooled over both: 6 held out of 11 proposals; prior 1.
    const p = 6 / 11;
    const both = itemPrecisionTable([w0, w1], 5, 1);
    const expected = [
      [p / 1, 0],
      [(2 + p) / 3, Math.log1p(1)],
      [(3 + p) / 5, Math.log1p(2)],
      [(1 + p) / 2, Math.log1p(0.5)],
      [p / 5, Math.log1p(2)],
    ].flat();
    expect(Array.from(both)).toEqual(expected.map(Math.fround));
    // Without window 0 the table is window 1's alone: what window 0 held out cannot describe its own rows.
    const without0 = itemPrecisionTable([w0, w1], 5, 1, 0);
    const changed = { proposed: w0.proposed, heldOut: Float64Array.from([0, 0, 1, 0, 1]) };
    expect(Array.from(itemPrecisionTable([changed, w1], 5, 1, 0))).toEqual(Array.from(without0));
    expect(without0[2 * 2]).toBeCloseTo((3 + 3 / 5) / 4, 6);
    expect(without0[1 * 2]).toBeCloseTo(3 / 5, 6);
  });

  it("appends the row item's entries of the table, also after negatives were subsampled", () => {
    const table = Float32Array.from([0, 0, 10, 11, 20, 21, 30, 31, 40, 41]);
    const wide = withItemColumns(b, table);
    expect(wide.numFeatures).toBe(3);
    expect(Array.from(wide.features)).toEqual([1, 10, 11, 3, 30, 31, 4, 40, 41, 1, 10, 11, 4, 40, 41, 2, 20, 21]);
    // Keep only the negatives of row 5 (item 2): the row items follow the kept rows.
    const rowItems: number[] = [];
    const data = rankingData(b, labels, () => true, true, (_b, r) => r === 5, undefined, rowItems);
    expect(rowItems).toEqual([1, 3, 1, 2]);
    const labelled = rankingWithItemColumns(data, rowItems, table);
    expect(Array.from(labelled.features)).toEqual([1, 10, 11, 3, 30, 31, 1, 10, 11, 2, 20, 21]);
    expect(() => rankingWithItemColumns(data, rowItems.slice(1), table)).toThrow(RangeError);
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
