import { describe, expect, it } from 'vitest';
import { LambdaMart, type RankingData, concatRanking, meanNdcg, ndcgPerQuery } from '../../../src/models/ranker/lambdamart.js';
import { synthetic } from './synthetic.js';

describe('LambdaMart', () => {
  it('learns a non-monotone synthetic ordering and generalises to new queries', () => {
    const train = synthetic(200, 30, 1);
    const held = synthetic(100, 30, 2);
    const test = synthetic(100, 30, 3);
    const ranker = new LambdaMart({ trees: 60, maxDepth: 3, minLeaf: 10, learningRate: 0.2, patience: 20 });
    const report = ranker.fit(train, held);
    expect(report.trees).toBeGreaterThan(0);
    expect(report.trees).toBe(ranker.size);
    const scores = new Float32Array(test.labels.length);
    ranker.predict(test.features, scores);
    const learned = meanNdcg(scores, test, 10);
    // Ranking by feature 0 alone (monotone) or by noise is far worse.
    const byX0 = Float32Array.from({ length: test.labels.length }, (_, i) => test.features[i * 3]);
    const noise = Float32Array.from({ length: test.labels.length }, (_, i) => test.features[i * 3 + 2]);
    expect(learned).toBeGreaterThan(0.95);
    expect(learned).toBeGreaterThan(meanNdcg(byX0, test, 10) + 0.3);
    expect(learned).toBeGreaterThan(meanNdcg(noise, test, 10) + 0.3);
  });

  it('the listwise softmax objective learns the same ordering by different trees; an unknown objective is refused', () => {
    const train = synthetic(200, 30, 1);
    const test = synthetic(100, 30, 3);
    const fit = (objective: 'lambdarank' | 'softmax'): Float32Array => {
      const ranker = new LambdaMart({ trees: 60, maxDepth: 3, minLeaf: 10, learningRate: 0.2, objective });
      ranker.fit(train);
      const scores = new Float32Array(test.labels.length);
      ranker.predict(test.features, scores);
      return scores;
    };
    const softmax = fit('softmax');
    expect(meanNdcg(softmax, test, 10)).toBeGreaterThan(0.95);
    expect(Array.from(softmax)).not.toEqual(Array.from(fit('lambdarank')));
    expect(() => new LambdaMart({ objective: 'pointwise' as never })).toThrow(/objective must be one of lambdarank, softmax/);
  });

  it('never splits on excluded columns', () => {
    const train = synthetic(100, 30, 6);
    const ranker = new LambdaMart({ trees: 20, maxDepth: 3, minLeaf: 10, exclude: [1] });
    ranker.fit(train);
    const counts = ranker.splitCounts();
    expect(counts[1]).toBe(0);
    expect(counts[0]).toBeGreaterThan(0);
    // Without the exclusion feature 1 is split on (it decides relevance).
    const free = new LambdaMart({ trees: 20, maxDepth: 3, minLeaf: 10 });
    free.fit(train);
    expect(free.splitCounts()[1]).toBeGreaterThan(0);
  });

  it('keeps the best prefix of trees on the held-out queries', () => {
    const train = synthetic(50, 20, 4);
    const held = synthetic(50, 20, 5);
    const ranker = new LambdaMart({ trees: 40, maxDepth: 2, minLeaf: 5, patience: 5 });
    const report = ranker.fit(train, held);
    const best = Math.max(...report.curve);
    expect(report.best).toBe(best);
    expect(report.curve[report.trees - 1]).toBe(best);
  });

  it('meanNdcg uses the given ideal DCG (relevant items outside the rows count as misses)', () => {
    const data: RankingData = { features: new Float32Array(2), numFeatures: 1, labels: Float32Array.from([1, 0]), groups: Int32Array.from([0, 2]) };
    expect(meanNdcg([2, 1], data, 10)).toBeCloseTo(1);
    const ideal = 1 + 1 / Math.log2(3);
    expect(meanNdcg([2, 1], { ...data, idealDcg: Float64Array.from([ideal]) }, 10)).toBeCloseTo(1 / ideal);
  });
});

describe('LambdaMart options', () => {
  it('stochastic boosting (query subsample, feature fraction) is seeded and still learns', () => {
    const train = synthetic(200, 30, 6);
    const test = synthetic(100, 30, 7);
    const fit = (seed: number): Float32Array => {
      const r = new LambdaMart({ trees: 40, maxDepth: 3, minLeaf: 10, learningRate: 0.2, subsample: 0.5, featureFraction: 0.67, seed });
      r.fit(train);
      const out = new Float32Array(test.labels.length);
      r.predict(test.features, out);
      return out;
    };
    const a = fit(1);
    expect(Array.from(fit(1))).toEqual(Array.from(a));
    expect(Array.from(fit(2))).not.toEqual(Array.from(a));
    expect(meanNdcg(a, test, 10)).toBeGreaterThan(0.8);
    expect(() => new LambdaMart({ subsample: 0 })).toThrow(RangeError);
  });

  it('truncated gradients still order the top', () => {
    const train = synthetic(200, 30, 8);
    const test = synthetic(100, 30, 9);
    const r = new LambdaMart({ trees: 60, maxDepth: 3, minLeaf: 10, learningRate: 0.2, truncation: 5 });
    r.fit(train);
    const out = new Float32Array(test.labels.length);
    r.predict(test.features, out);
    expect(meanNdcg(out, test, 10)).toBeGreaterThan(0.9);
  });

  it('concatRanking appends queries and keeps ideal DCGs; ndcgPerQuery marks queries without relevant items', () => {
    const a: RankingData = { features: Float32Array.from([1, 2]), numFeatures: 1, labels: Float32Array.from([1, 0]), groups: Int32Array.from([0, 2]), idealDcg: Float64Array.from([1]) };
    const b: RankingData = { features: Float32Array.from([3, 4, 5]), numFeatures: 1, labels: Float32Array.from([0, 0, 1]), groups: Int32Array.from([0, 1, 3]), idealDcg: Float64Array.from([0, 2]) };
    const c = concatRanking([a, b]);
    expect(Array.from(c.groups)).toEqual([0, 2, 3, 5]);
    expect(Array.from(c.labels)).toEqual([1, 0, 0, 0, 1]);
    expect(Array.from(c.features)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(c.idealDcg ?? [])).toEqual([1, 0, 2]);
    const per = ndcgPerQuery([2, 1, 0, 1, 2], c, 10);
    expect(per[0]).toBeCloseTo(1);
    expect(Number.isNaN(per[1])).toBe(true);
    expect(per[2]).toBeCloseTo(0.5);
    expect(meanNdcg([2, 1, 0, 1, 2], c, 10)).toBeCloseTo(0.75);
  });
});

describe('LambdaMart early stopping with smoothing', () => {
  it('keeps the tree count whose neighbourhood is best on average', () => {
    const train = synthetic(50, 20, 10);
    const held = synthetic(50, 20, 11);
    const w = 3;
    const ranker = new LambdaMart({ trees: 40, maxDepth: 2, minLeaf: 5, patience: 40, smoothing: w });
    const report = ranker.fit(train, held);
    const c = report.curve;
    const smooth = c.map((_, t) => {
      const from = Math.max(0, t - w);
      const to = Math.min(c.length - 1, t + w);
      return c.slice(from, to + 1).reduce((a, b) => a + b, 0) / (to - from + 1);
    });
    const bestT = smooth.indexOf(Math.max(...smooth)) + 1;
    expect(report.trees).toBe(bestT);
    expect(ranker.size).toBe(bestT);
    expect(report.best).toBe(c[bestT - 1]);
  });
});
