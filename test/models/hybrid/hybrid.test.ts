import { describe, expect, it } from 'vitest';
import { evaluateRanking } from '../../../src/eval/metrics.js';
import { type EvalSplit, randomEvalSplit } from '../../../src/eval/split.js';
import type { InteractionMatrix } from '../../../src/models/cf/matrix.js';
import type { Recommender } from '../../../src/models/cf/recommender.js';
import { HybridRecommender } from '../../../src/models/hybrid/hybrid.js';
import { isStacked } from '../../../src/models/hybrid/stacked.js';
import { SocialRecommender } from '../../../src/models/hybrid/social.js';
import { TagProfiles, TagRecommender } from '../../../src/models/hybrid/tags.js';
import { PopularityRecommender } from '../../../src/models/cf/popularity.js';
import type { AveragedRanker } from '../../../src/models/ranker/cross-fit.js';
import type { LambdaMart } from '../../../src/models/ranker/lambdamart.js';
import { FAST_HYBRID, blockData } from './helpers.js';

const { pairs, side } = blockData();

function rowOf(m: InteractionMatrix, u: number): number[] {
  return Array.from(m.indices.subarray(m.indptr[u], m.indptr[u + 1]));
}

function testNdcg(model: Recommender, split: EvalSplit): number {
  return evaluateRanking(model, { target: split.test.target, exclude: split.test.exclude, train: split.test.train }, { ks: [10], beyondK: 0 }).metrics['ndcg@10'];
}

describe('hybrid', () => {
  it('beats its weakest source on block-structured data, and gives −∞ to non-candidates and masked items', async () => {
    const split = randomEvalSplit(pairs, 1);
    const hybrid = new HybridRecommender({ ...FAST_HYBRID, seed: 1 }, side);
    expect(isStacked(hybrid)).toBe(true);
    await hybrid.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
    await hybrid.fit(split.test.train);
    expect(hybrid.report?.positivesInCandidates).toBeGreaterThan(0);
    const popularity = new PopularityRecommender();
    await popularity.fit(split.test.train);
    const social = new SocialRecommender(side.friends!);
    await social.fit(split.test.train);
    const hybridNdcg = testNdcg(hybrid, split);
    const weakest = Math.min(testNdcg(popularity, split), testNdcg(social, split));
    expect(hybridNdcg).toBeGreaterThan(weakest + 0.05);

    const n = pairs.items.size;
    const out = new Float32Array(n);
    hybrid.scoreUsers(Int32Array.from([0]), out);
    const finite = [...out].filter((s) => Number.isFinite(s)).length;
    expect(finite).toBeGreaterThan(0);
    expect(finite).toBeLessThanOrEqual(5 * FAST_HYBRID.candidates);
    for (const m of split.test.exclude) for (let k = m.indptr[0]; k < m.indptr[1]; k++) expect(out[m.indices[k]]).toBe(-Infinity);
  });

  it('cross-fitted ranker: deterministic for a seed, out-of-fold report over all validation users, mean of the fold rankers', async () => {
    const split = randomEvalSplit(pairs, 1);
    const windows = (split.stackingWindows?.(2) ?? []).map((w) => ({ train: w.train, validation: w.validation }));
    const fitted = async (seed: number): Promise<{ hybrid: HybridRecommender; scores: Float32Array }> => {
      const hybrid = new HybridRecommender({ ...FAST_HYBRID, crossFit: 3, combiner: 'ranker', seed }, side);
      await hybrid.fitStacked({ train: split.tuning.train, validation: split.tuning.validation }, undefined, windows);
      await hybrid.fit(split.test.train);
      const scores = new Float32Array(4 * pairs.items.size);
      hybrid.scoreUsers(Int32Array.from([0, 1, 2, 3]), scores);
      return { hybrid, scores };
    };
    const a = await fitted(1);
    const b = await fitted(1);
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    const report = a.hybrid.report!;
    expect(report.crossFit?.folds).toBe(3);
    expect(report.crossFit?.curve).toHaveLength(FAST_HYBRID.trees);
    expect(report.chosen.trees).toBeGreaterThan(0);
    expect(report.chosen.trees).toBeLessThanOrEqual(FAST_HYBRID.trees);
    // Every validation user is held out once (out of fold), none twice.
    let withValidation = 0;
    for (let u = 0; u < split.tuning.validation.users; u++) if (split.tuning.validation.indptr[u + 1] > split.tuning.validation.indptr[u]) withValidation++;
    expect(report.heldOutUsers).toBe(withValidation);
    expect(report.versusFusion.users).toBe(withValidation);
    expect(report.windows).toHaveLength(2);
    const other = await fitted(2);
    expect(Array.from(other.scores)).not.toEqual(Array.from(a.scores));
    expect(testNdcg(a.hybrid, split)).toBeGreaterThan(0);
  });

  it('passes its ranker settings (min leaf, L2, learning rate, subsample) to every fold ranker, where they act', async () => {
    const split = randomEvalSplit(pairs, 1);
    const membersOf = async (params: Record<string, number>): Promise<LambdaMart[]> => {
      const hybrid = new HybridRecommender({ ...FAST_HYBRID, crossFit: 3, combiner: 'ranker', ...params }, side);
      await hybrid.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
      return (hybrid as unknown as { ranker: AveragedRanker }).ranker.members as LambdaMart[];
    };
    const tuned = await membersOf({ minLeaf: 17, rankerL2: 3, learningRate: 0.07, rankerSubsample: 0.6 });
    expect(tuned).toHaveLength(3);
    for (const m of tuned) expect(m.params).toMatchObject({ minLeaf: 17, l2: 3, learningRate: 0.07, subsample: 0.6 });
    // A leaf larger than all the training rows: no tree can split.
    const unsplittable = await membersOf({ minLeaf: 1e9 });
    for (const m of unsplittable) expect(m.splitCounts().reduce((a, b) => a + b, 0)).toBe(0);
    const splitting = await membersOf({});
    expect(splitting.some((m) => m.splitCounts().reduce((a, b) => a + b, 0) > 0)).toBe(true);
  });

  it('rankerSeedOffset moves only the rankers\' own seeds: the same lists, other rankers', async () => {
    const split = randomEvalSplit(pairs, 1);
    const data = { train: split.tuning.train, validation: split.tuning.validation };
    const fitted = async (rankerSeedOffset: number) => {
      const hybrid = new HybridRecommender({ ...FAST_HYBRID, crossFit: 3, combiner: 'ranker', seed: 4, rankerSeedOffset }, side);
      const lists = await hybrid.stackingLists(data);
      hybrid.fitRanker(lists);
      const members = (hybrid as unknown as { ranker: AveragedRanker }).ranker.members as LambdaMart[];
      return { lists, seeds: members.map((m) => m.params.seed) };
    };
    const base = await fitted(0);
    const moved = await fitted(100);
    expect(Array.from(moved.lists.block.features)).toEqual(Array.from(base.lists.block.features));
    expect(moved.seeds).toEqual(base.seeds.map((seed) => (seed as number) + 100));
  });

  it('sourceFeatures keeps the ranker off the left-out feature families', async () => {
    expect(() => new HybridRecommender({ sourceFeatures: 'rank,bogus' }, side)).toThrow(/unknown source feature family "bogus"/);
    const split = randomEvalSplit(pairs, 1);
    const hybrid = new HybridRecommender({ ...FAST_HYBRID, crossFit: 3, combiner: 'ranker', sourceFeatures: 'rank' }, side);
    await hybrid.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
    const names = hybrid.featureNames();
    const members = (hybrid as unknown as { ranker: AveragedRanker }).ranker.members as LambdaMart[];
    const splits = new Int32Array(names.length);
    for (const member of members) member.splitCounts().forEach((count, column) => (splits[column] += count));
    const used = names.filter((_, column) => splits[column] > 0);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(name).toMatch(/:rank$|^(sources|user:|item:)/);
  });

  it('validationInPool: ranks the validation lists\' own candidates (validation items dropped after scoring); off, they leave the pool first', async () => {
    const split = randomEvalSplit(pairs, 1);
    const users = Int32Array.from({ length: 12 }, (_, u) => u);
    const n = pairs.items.size;
    const scored = async (validationInPool: boolean): Promise<{ hybrid: HybridRecommender; out: Float32Array }> => {
      const hybrid = new HybridRecommender({ ...FAST_HYBRID, combiner: 'ranker', validationInPool, seed: 1 }, side);
      await hybrid.fitStacked({ train: split.tuning.train, validation: split.tuning.validation });
      await hybrid.fit(split.test.train);
      const out = new Float32Array(users.length * n);
      hybrid.scoreUsers(users, out);
      return { hybrid, out };
    };
    const finiteOf = (out: Float32Array, b: number): number[] => [...out.subarray(b * n, (b + 1) * n).keys()].filter((i) => Number.isFinite(out[b * n + i]));
    const candidatesOf = (hybrid: HybridRecommender, masks: InteractionMatrix[], b: number): number[] => {
      const block = hybrid.candidates(users.subarray(b, b + 1), masks);
      return Array.from(block.items.subarray(block.offsets[0], block.offsets[1])).sort((x, y) => x - y);
    };
    const pooled = await scored(true);
    const apart = await scored(false);
    const { train, validation } = split.tuning;
    let differ = 0;
    users.forEach((u, b) => {
      const heldOut = rowOf(validation, u);
      for (const out of [pooled.out, apart.out]) for (const i of [...heldOut, ...rowOf(train, u)]) expect(out[b * n + i]).toBe(-Infinity);
      // Pooled: the candidates of the user's validation list, less the validation items.
      expect(finiteOf(pooled.out, b)).toEqual(candidatesOf(pooled.hybrid, [train], b).filter((i) => !heldOut.includes(i)));
      // Apart: the candidates generated with the validation items masked.
      expect(finiteOf(apart.out, b)).toEqual(candidatesOf(apart.hybrid, [train, validation], b));
      if (finiteOf(pooled.out, b).some((i) => pooled.out[b * n + i] !== apart.out[b * n + i])) differ++;
    });
    expect(differ).toBeGreaterThan(0);
  });

  it('windowsWithValidation: each window\'s sources train on its training matrix plus the validation items, its labels stay its own held-out items', async () => {
    const split = randomEvalSplit(pairs, 1);
    const { train, validation } = split.tuning;
    const windows = (split.stackingWindows?.(2) ?? []).map((w) => ({ train: w.train, validation: w.validation }));
    const fitted = async (windowsWithValidation: boolean): Promise<HybridRecommender> => {
      const hybrid = new HybridRecommender({ ...FAST_HYBRID, combiner: 'ranker', windowsWithValidation, seed: 1 }, side);
      await hybrid.fitStacked({ train, validation }, undefined, windows);
      return hybrid;
    };
    const plain = (await fitted(false)).report!.windows;
    const withValidation = (await fitted(true)).report!.windows;
    windows.forEach((w, k) => {
      expect(plain[k].trainItems).toBe(w.train.indices.length);
      expect(withValidation[k].trainItems).toBe(w.train.indices.length + validation.indices.length);
      // The labels stay the window's own held-out training items.
      expect(withValidation[k].items).toBe(w.validation.indices.length);
    });
  });

  it('refuses stacking data holding more than train and validation', async () => {
    const split = randomEvalSplit(pairs, 2);
    const hybrid = new HybridRecommender({ ...FAST_HYBRID }, side);
    const data = { train: split.tuning.train, validation: split.tuning.validation, test: split.test.target };
    await expect(hybrid.fitStacked(data)).rejects.toThrow(/only train and validation/);
  });
});

describe('tags', () => {
  it("never uses a user's own tag on an artist to score that artist for them", async () => {
    // Two users, three artists, tags 0 and 1. User 0 tagged artist 2 (held out) with tag 0;
    // nobody else tagged artist 2. User 0 trained on artist 0, tagged 0 by user 1.
    const profiles = new TagProfiles({ tags: 2, user: Int32Array.from([0, 1, 1]), item: Int32Array.from([2, 0, 1]), tag: Int32Array.from([0, 0, 1]) }, 2, 3);
    const train = { users: 2, items: 3, indptr: Int32Array.from([0, 1, 1]), indices: Int32Array.from([0]), values: Float32Array.from([1]) };
    const model = new TagRecommender(profiles, { ownWeight: 1 });
    await model.fit(train);
    const out = new Float32Array(3);
    model.scoreUsers(Int32Array.from([0]), out);
    expect(out[0]).toBeGreaterThan(0);
    expect(out[2]).toBe(0); // only user 0's own tag describes artist 2
    expect(profiles.othersCount(0, 2)).toBe(0);
    expect(profiles.othersCount(1, 2)).toBe(1);
  });
});
