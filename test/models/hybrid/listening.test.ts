import { describe, expect, it } from 'vitest';
import { listeningContextOf, temporalSplit } from '../../../src/eval/split.js';
import { ImplicitALS } from '../../../src/models/cf/als.js';
import { ItemKnnRecommender } from '../../../src/models/cf/item-knn.js';
import { buildMatrix } from '../../../src/models/cf/matrix.js';
import type { Recommender } from '../../../src/models/cf/recommender.js';
import { AveragedRecommender } from '../../../src/models/hybrid/averaged.js';
import { HybridRecommender } from '../../../src/models/hybrid/hybrid.js';
import { RecentAlsSource, RecentKnnSource } from '../../../src/models/hybrid/recent.js';
import type { SideData } from '../../../src/models/hybrid/side-data.js';
import { FAST_HYBRID, temporalLog } from './helpers.js';

const log = temporalLog();
const split = temporalSplit(log, { cutoff: 'per-user', testDays: 28, validationDays: 14, skipMs: 30_000, strength: 'plays' });
const side: SideData = { listening: listeningContextOf };

function finiteItems(model: Recommender, u: number, items: number): number[] {
  const out = new Float32Array(items);
  model.scoreUsers(Int32Array.from([u]), out);
  return [...out.keys()].filter((i) => Number.isFinite(out[i]));
}

describe('hybrid on listening histories', () => {
  it('never proposes an item the user only skipped before the cut-off (unless told to)', async () => {
    const skips = listeningContextOf(split.test.train)?.skips;
    expect(skips && skips.indices.length).toBeGreaterThan(0);
    const items = log.items.size;
    for (const maskSkips of [true, false]) {
      const hybrid = new HybridRecommender({ ...FAST_HYBRID, candidates: 60, maskSkips, seed: 1 }, side);
      await hybrid.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
      await hybrid.fit(split.test.train);
      let proposedSkips = 0;
      for (let u = 0; u < log.users.size; u++) {
        const finite = new Set(finiteItems(hybrid, u, items));
        for (let k = skips!.indptr[u]; k < skips!.indptr[u + 1]; k++) if (finite.has(skips!.indices[k])) proposedSkips++;
      }
      if (maskSkips) expect(proposedSkips).toBe(0);
      else expect(proposedSkips).toBeGreaterThan(0);
    }
  });

  it('uses the recent-plays sources when the data has a listening history, and only then', async () => {
    const hybrid = new HybridRecommender({ ...FAST_HYBRID, seed: 1 }, side);
    await hybrid.fit(split.tuning.train);
    expect(hybrid.featureNames()).toContain('recent-knn:score');
    expect(hybrid.featureNames()).toContain('recent-als:score');
    const plain = new HybridRecommender({ ...FAST_HYBRID, seed: 1 }, {});
    await plain.fit(split.tuning.train);
    expect(plain.featureNames().some((n) => n.startsWith('recent-'))).toBe(false);
  });

  it('orders by reciprocal-rank fusion when told to, and the auto rule follows its paired comparison', async () => {
    const rrf = new HybridRecommender({ ...FAST_HYBRID, combiner: 'rrf', seed: 1 }, side);
    await rrf.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
    expect(rrf.report?.combiner).toBe('rrf');
    const auto = new HybridRecommender({ ...FAST_HYBRID, seed: 1 }, side);
    await auto.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
    const v = auto.report!.versusFusion;
    expect(v.users).toBeGreaterThan(0);
    expect(auto.report?.combiner).toBe(v.meanDifference > 2 * v.standardError ? 'ranker' : 'rrf');
    await expect(new HybridRecommender({ ...FAST_HYBRID, combiner: 'vote' }, side).fitStacked({ train: split.tuning.train, validation: split.tuning.validation })).rejects.toThrow(/combiner/);
  });
});

describe('recent-plays sources', () => {
  const train = buildMatrix(3, 5, [
    { user: 0, item: 0, value: 3 },
    { user: 0, item: 1, value: 1 },
    { user: 1, item: 0, value: 1 },
    { user: 1, item: 2, value: 1 },
    { user: 2, item: 1, value: 1 },
    { user: 2, item: 3, value: 2 },
  ]);
  // User 0 played item 1 recently (not item 0).
  const recent = buildMatrix(3, 5, [{ user: 0, item: 1, value: 2 }]);

  it('recent-knn scores the neighbours of the recent items only', async () => {
    const knn = new ItemKnnRecommender({ k: 10, weighting: 'none', shrink: 0 });
    await knn.fit(train);
    const source = new RecentKnnSource(knn, recent);
    await source.fit(train);
    const out = new Float32Array(5);
    source.scoreUsers(Int32Array.from([0]), out);
    // Item 1's neighbours: items 0 and 3 (co-played by users 0 and 2); item 2 only co-occurs with item 0.
    expect(out[3]).toBeGreaterThan(0);
    expect(out[0]).toBeGreaterThan(0);
    expect(out[2]).toBe(0);
    expect(out[4]).toBe(0);
    const none = new Float32Array(5);
    source.scoreUsers(Int32Array.from([1]), none);
    expect(Array.from(none)).toEqual([0, 0, 0, 0, 0]);
  });

  it('recent-als scores against the user vector folded in from the recent plays', async () => {
    const als = new ImplicitALS({ factors: 4, iterations: 5, lambda: 0.1, regScaling: 'none', seed: 3, threads: 1 });
    await als.fit(train);
    const source = new RecentAlsSource(als, recent);
    await source.fit(train);
    const out = new Float32Array(5);
    source.scoreUsers(Int32Array.from([0]), out);
    const x = als.foldIn(Int32Array.from([1]), Float32Array.from([2]));
    for (let i = 0; i < 5; i++) {
      let dot = 0;
      for (let f = 0; f < 4; f++) dot += x[f] * als.itemFactors[i * 4 + f];
      expect(out[i]).toBeCloseTo(dot, 5);
    }
  });

  it('AveragedRecommender averages its fits', async () => {
    const a = new ItemKnnRecommender({ k: 10, weighting: 'none', shrink: 0 });
    const b = new ItemKnnRecommender({ k: 1, weighting: 'none', shrink: 0 });
    const avg = new AveragedRecommender('knn', [a, b]);
    await avg.fit(train);
    const users = Int32Array.from([0, 2]);
    const [oa, ob, o] = [new Float32Array(10), new Float32Array(10), new Float32Array(10)];
    a.scoreUsers(users, oa);
    b.scoreUsers(users, ob);
    avg.scoreUsers(users, o);
    for (let k = 0; k < 10; k++) expect(o[k]).toBeCloseTo((oa[k] + ob[k]) / 2, 6);
  });
});

describe('--skips mask', () => {
  it('masks the skipped items in the test ranking as well', () => {
    const masked = temporalSplit(log, { cutoff: 'per-user', testDays: 28, validationDays: 14, skipMs: 30_000, strength: 'plays', maskSkips: true });
    expect(masked.test.exclude).toHaveLength(2);
    expect(masked.test.exclude[1]).toBe(listeningContextOf(masked.test.train)?.skips);
    expect(split.test.exclude).toHaveLength(1);
  });
});
