import { describe, expect, it } from 'vitest';
import { IdIndex, type InteractionMatrix } from '../../src/models/cf/matrix.js';
import { DAY_MS, type ListenLog, listeningContextOf, nestedEvalSplit, randomEvalSplit, randomSplit, recboleSplitCounts, temporalSplit } from '../../src/eval/split.js';
import { syntheticPairs } from './helpers.js';

function rowOf(m: InteractionMatrix, u: number): number[] {
  return Array.from(m.indices.subarray(m.indptr[u], m.indptr[u + 1]));
}

describe('recboleSplitCounts', () => {
  it('follows RecBole for large and small groups', () => {
    expect(recboleSplitCounts(50)).toEqual([40, 5, 5]);
    expect(recboleSplitCounts(49)).toEqual([41, 4, 4]);
    expect(recboleSplitCounts(20)).toEqual([16, 2, 2]);
    expect(recboleSplitCounts(15)).toEqual([13, 1, 1]);
    expect(recboleSplitCounts(10)).toEqual([8, 1, 1]);
    expect(recboleSplitCounts(9)).toEqual([7, 1, 1]);
    expect(recboleSplitCounts(4)).toEqual([2, 1, 1]);
    expect(recboleSplitCounts(3)).toEqual([1, 1, 1]);
    expect(recboleSplitCounts(2)).toEqual([1, 0, 1]);
    expect(recboleSplitCounts(1)).toEqual([1, 0, 0]);
    expect(recboleSplitCounts(0)).toEqual([0, 0, 0]);
    for (let n = 0; n <= 200; n++) expect(recboleSplitCounts(n).reduce((a, b) => a + b)).toBe(n);
  });
});

describe('randomSplit', () => {
  const data = syntheticPairs(60, 300);
  // One user with exactly 50 items.
  const fifty = {
    users: IdIndex.from(['a']),
    items: IdIndex.from(Array.from({ length: 80 }, (_, i) => `i${i}`)),
    user: new Int32Array(50),
    item: Int32Array.from({ length: 50 }, (_, i) => i + 10),
  };

  it('is deterministic per seed and differs across seeds', () => {
    const a = randomSplit(data, 1);
    const b = randomSplit(data, 1);
    const c = randomSplit(data, 2);
    expect(Array.from(a.test.indices)).toEqual(Array.from(b.test.indices));
    expect(Array.from(a.validation.indices)).toEqual(Array.from(b.validation.indices));
    expect(Array.from(a.test.indices)).not.toEqual(Array.from(c.test.indices));
  });

  it('puts every item of a user in exactly one part', () => {
    const s = randomSplit(data, 3);
    const byUser = new Map<number, Set<number>>();
    for (let k = 0; k < data.user.length; k++) {
      if (!byUser.has(data.user[k])) byUser.set(data.user[k], new Set());
      byUser.get(data.user[k])?.add(data.item[k]);
    }
    for (const [u, items] of byUser) {
      const parts = [rowOf(s.train, u), rowOf(s.validation, u), rowOf(s.test, u)];
      const all = parts.flat();
      expect(new Set(all).size).toBe(all.length); // disjoint
      expect(new Set(all)).toEqual(items); // complete
      expect(parts.map((p) => p.length)).toEqual(recboleSplitCounts(items.size));
    }
    expect(s.train.items).toBe(300);
  });

  it('splits a 50-item user 40/5/5', () => {
    for (const seed of [1, 2, 3]) {
      const s = randomSplit(fifty, seed);
      expect([rowOf(s.train, 0).length, rowOf(s.validation, 0).length, rowOf(s.test, 0).length]).toEqual([40, 5, 5]);
      expect(s.test.items).toBe(80);
    }
  });

  it('does not depend on the row order of the input', () => {
    const order = Array.from(data.user.keys()).reverse();
    const reversed = { ...data, user: Int32Array.from(order, (k) => data.user[k]), item: Int32Array.from(order, (k) => data.item[k]) };
    expect(Array.from(randomSplit(reversed, 4).test.indices)).toEqual(Array.from(randomSplit(data, 4).test.indices));
  });

  it('stacking folds hold out validation-sized runs of training items, never anything else', () => {
    const s = randomEvalSplit(data, 5);
    const folds = s.stackingWindows?.(3) ?? [];
    expect(folds).toHaveLength(3);
    const train = s.tuning.train;
    for (let u = 0; u < train.users; u++) {
      const trainRow = new Set(rowOf(train, u));
      const m = rowOf(s.tuning.validation, u).length;
      const heldSoFar = new Set<number>();
      for (const fold of folds) {
        const kept = rowOf(fold.train, u);
        const held = rowOf(fold.validation, u);
        // Every cell comes from the training part; a fold splits the user's training items.
        for (const i of [...kept, ...held]) expect(trainRow.has(i)).toBe(true);
        expect(new Set([...kept, ...held])).toEqual(trainRow);
        expect(kept.filter((i) => held.includes(i))).toEqual([]);
        if (held.length > 0) {
          expect(held.length).toBe(m);
          expect(kept.length).toBeGreaterThanOrEqual(2);
        }
        // Folds hold out different items.
        for (const i of held) expect(heldSoFar.has(i)).toBe(false);
        for (const i of held) heldSoFar.add(i);
      }
    }
    expect(folds[0].validation.indices.length).toBeGreaterThan(0);
    // Deterministic per seed.
    expect(Array.from(s.stackingWindows?.(1)[0].validation.indices ?? [])).toEqual(Array.from(folds[0].validation.indices));
  });

  it('stacking rounds fold every user again from a new order; round 0 is the one-round set', () => {
    const s = randomEvalSplit(data, 5);
    const one = s.stackingWindows?.(3) ?? [];
    const two = s.stackingWindows?.(3, 2) ?? [];
    expect(two).toHaveLength(6);
    for (let k = 0; k < 3; k++) expect(Array.from(two[k].validation.indices)).toEqual(Array.from(one[k].validation.indices));
    const train = s.tuning.train;
    let regrouped = 0;
    for (let u = 0; u < train.users; u++) {
      const trainRow = new Set(rowOf(train, u));
      const heldInRound = [0, 1].map((r) => two.slice(3 * r, 3 * r + 3).map((f) => rowOf(f.validation, u)));
      for (const round of heldInRound) {
        // Within a round the folds hold out disjoint training items, as with one round.
        const all = round.flat();
        expect(new Set(all).size).toBe(all.length);
        for (const i of all) expect(trainRow.has(i)).toBe(true);
      }
      const key = (folds: number[][]): string => folds.map((f) => [...f].sort((a, b) => a - b).join(',')).join('|');
      if (key(heldInRound[0]) !== key(heldInRound[1])) regrouped++;
    }
    // The second round is a new shuffle, not a copy of the first.
    expect(regrouped).toBeGreaterThan(0);
    expect(() => s.stackingWindows?.(3, 0)).toThrow(RangeError);
  });

  it('in the evaluation layout, test masks train and validation', () => {
    const s = randomEvalSplit(data, 1);
    expect(s.test.exclude).toEqual([s.tuning.train, s.tuning.validation]);
    expect(s.test.train).toBe(s.tuning.train);
    expect(Object.keys(s.tuning).sort()).toEqual(['train', 'validation']);
  });
});

describe('nestedEvalSplit', () => {
  const data = syntheticPairs(60, 300);

  it('is the protocol inside the tuning part: tuned without one training fold, measured on validation, test never read', () => {
    const outer = randomEvalSplit(data, 2);
    const s = nestedEvalSplit(outer, 2);
    expect(s.test.target).toBe(outer.tuning.validation);
    expect(s.test.train).toBe(s.tuning.train);
    expect(s.test.exclude).toEqual([s.tuning.train, s.tuning.validation]);
    const windows = s.stackingWindows?.(2) ?? [];
    expect(windows).toHaveLength(2);
    let held = 0;
    for (let u = 0; u < data.users.size; u++) {
      const outerTrain = rowOf(outer.tuning.train, u);
      const kept = rowOf(s.tuning.train, u);
      const fold = rowOf(s.tuning.validation, u);
      held += fold.length;
      // The outer training items, split in two; nothing of validation or test.
      expect(new Set([...kept, ...fold])).toEqual(new Set(outerTrain));
      expect(kept.filter((i) => fold.includes(i))).toEqual([]);
      if (fold.length > 0) expect(fold.length).toBe(rowOf(outer.tuning.validation, u).length);
      // The inner windows take cells of the inner training matrix only.
      const keptSet = new Set(kept);
      for (const w of windows) for (const i of [...rowOf(w.train, u), ...rowOf(w.validation, u)]) expect(keptSet.has(i)).toBe(true);
    }
    expect(held).toBeGreaterThan(0);
    expect(s.stats.test).toBe(outer.tuning.validation.indices.length);
  });

  it('refuses a split whose final model trains on more than the tuning part (temporal)', () => {
    const outer = randomEvalSplit(data, 1);
    const temporalLike = { ...outer, test: { ...outer.test, train: outer.test.target } };
    expect(() => nestedEvalSplit(temporalLike, 1)).toThrow(/random split/);
  });
});

describe('temporalSplit', () => {
  const t0 = Date.UTC(2023, 0, 1);
  const day = (d: number): number => t0 + d * DAY_MS;
  // [user, item, day, ms]
  const listens: [number, number, number, number][] = [
    // user 0
    [0, 0, 1, 200_000], // train (early)
    [0, 1, 2, 200_000], // train (early)
    [0, 2, 3, 10_000], // skip of item 2 before the cut-off
    [0, 3, 52, 200_000], // validation slice (days 46..60): new item 3 → validation
    [0, 0, 53, 200_000], // repeat in the validation slice: not a validation item
    [0, 4, 61, 200_000], // after the cut-off (day 60): new item 4 → test
    [0, 1, 62, 200_000], // repeat after the cut-off: not a test item
    [0, 2, 63, 200_000], // skipped before the cut-off: heard already, not a test item
    [0, 5, 64, 5_000], // a skip after the cut-off: not a positive
    // user 1: only after the cut-off (cold start): not evaluated
    [1, 4, 70, 200_000],
    // user 2: plays only in the validation slice, new item after
    [2, 1, 50, 200_000],
    [2, 5, 65, 200_000],
  ];
  const log: ListenLog = {
    users: IdIndex.from(['a', 'b', 'c']),
    items: IdIndex.from(['i0', 'i1', 'i2', 'i3', 'i4', 'i5']),
    user: Int32Array.from(listens.map((l) => l[0])),
    item: Int32Array.from(listens.map((l) => l[1])),
    time: Float64Array.from(listens.map((l) => day(l[2]))),
    msPlayed: Float64Array.from(listens.map((l) => l[3])),
  };

  it('global cut-off: train before, test = new items after, validation = the slice before', () => {
    const s = temporalSplit(log, { cutoff: day(60), validationDays: 14, skipMs: 30_000, strength: 'plays' });
    expect(rowOf(s.test.train, 0)).toEqual([0, 1, 3]);
    expect(Array.from(s.test.train.values.subarray(s.test.train.indptr[0], s.test.train.indptr[1]))).toEqual([2, 1, 1]);
    expect(rowOf(s.test.target, 0)).toEqual([4]);
    expect(rowOf(s.test.target, 1)).toEqual([]); // cold start
    expect(rowOf(s.test.target, 2)).toEqual([5]);
    expect(s.test.exclude).toEqual([s.test.train]);
    expect(rowOf(s.tuning.train, 0)).toEqual([0, 1]);
    expect(rowOf(s.tuning.validation, 0)).toEqual([3]);
    // user 2 has nothing before the validation slice: no validation row
    expect(rowOf(s.tuning.validation, 2)).toEqual([]);
    expect(s.stats.coldStartUsersDropped).toBe(1);
    expect(s.stats.skips).toBe(2);
  });

  it('binary strength and a bounded test window', () => {
    const s = temporalSplit(log, { cutoff: day(60), testDays: 3, validationDays: 14, skipMs: 30_000, strength: 'binary' });
    expect(Array.from(s.test.train.values)).toEqual(Array.from(s.test.train.values).map(() => 1));
    expect(rowOf(s.test.target, 0)).toEqual([4]);
    expect(rowOf(s.test.target, 2)).toEqual([]); // day 65 is past the 3-day window
  });

  it('per-user cut-off: each user’s last testDays are the test window', () => {
    const s = temporalSplit(log, { cutoff: 'per-user', testDays: 3, validationDays: 14, skipMs: 30_000, strength: 'binary' });
    // user 0: last listen day 64 → cut-off day 61: item 4 (day 61) is in the test window
    expect(rowOf(s.test.target, 0)).toEqual([4]);
    expect(rowOf(s.test.train, 0)).toEqual([0, 1, 3]);
    // user 2: last day 65 → cut-off 62; trained on item 1, tests item 5
    expect(rowOf(s.test.target, 2)).toEqual([5]);
  });

  it('registers, per training matrix, the skips and recent plays before its own cut-off only', () => {
    const s = temporalSplit(log, { cutoff: day(60), validationDays: 14, skipMs: 30_000, strength: 'plays' });
    const final = listeningContextOf(s.test.train);
    const tuning = listeningContextOf(s.tuning.train);
    expect(final && tuning).toBeTruthy();
    // Item 2 was skipped on day 3 (before both cut-offs) and played only after the cut-off.
    expect(rowOf(final!.skips, 0)).toEqual([2]);
    expect(rowOf(tuning!.skips, 0)).toEqual([2]);
    // Nothing after the cut-off: item 5's skip (day 64) is not there, nor any test item.
    for (let u = 0; u < 3; u++) for (const i of rowOf(s.test.target, u)) expect(rowOf(final!.skips, u).concat(rowOf(final!.recent, u))).not.toContain(i);
    // Recent = plays in the 28 days before the cut-off: days 52 and 53 for user 0 (cut-off 60).
    expect(rowOf(final!.recent, 0)).toEqual([0, 3]);
    // Before the tuning cut-off (day 46) user 0's last plays were on days 1–2: none recent.
    expect(rowOf(tuning!.recent, 0)).toEqual([]);
    expect(listeningContextOf(s.test.target)).toBeUndefined();
  });

  it('stacking windows apply the validation rule earlier, inside the tuning training plays', () => {
    const s = temporalSplit(log, { cutoff: day(60), validationDays: 14, skipMs: 30_000, strength: 'plays' });
    const [w1, w2] = s.stackingWindows?.(2) ?? [];
    // Window 1: train before day 32, held out = new items first heard in [32, 46): none for this log.
    expect(w1.validation.indices.length).toBe(0);
    expect(rowOf(w1.train, 0)).toEqual([0, 1]);
    // Window 2: train before day 18: user 0's plays of days 1–2.
    expect(rowOf(w2.train, 0)).toEqual([0, 1]);
    for (const w of [w1, w2]) {
      for (const m of [w.train, w.validation]) {
        for (let u = 0; u < 3; u++) for (const i of rowOf(m, u)) expect(rowOf(s.tuning.train, u)).toContain(i);
      }
      expect(listeningContextOf(w.train)).toBeTruthy();
    }
  });

  it('a stacking window holds out the items first heard in it', () => {
    // user 0 plays item 0 early, item 1 first on day 40 (window 1 of cut-off 60: [32, 46)), again on day 50.
    const small: ListenLog = {
      users: IdIndex.from(['a']),
      items: IdIndex.from(['i0', 'i1', 'i2']),
      user: Int32Array.from([0, 0, 0, 0]),
      item: Int32Array.from([0, 1, 1, 2]),
      time: Float64Array.from([day(1), day(40), day(50), day(61)]),
      msPlayed: Float64Array.from([200_000, 200_000, 200_000, 200_000]),
    };
    const s = temporalSplit(small, { cutoff: day(60), validationDays: 14, skipMs: 30_000, strength: 'plays' });
    const [w1] = s.stackingWindows?.(1) ?? [];
    expect(rowOf(w1.train, 0)).toEqual([0]);
    expect(rowOf(w1.validation, 0)).toEqual([1]);
    expect(rowOf(s.tuning.validation, 0)).toEqual([]); // item 1 was heard before the validation slice
  });
});
