import { describe, expect, it } from 'vitest';
import { AveragedRanker, crossFitLambdaMart, smoothedArgmax } from '../../../src/models/ranker/cross-fit.js';
import { LambdaMart, type RankingData, meanNdcg } from '../../../src/models/ranker/lambdamart.js';
import { synthetic } from './synthetic.js';

const params = { trees: 30, maxDepth: 3, minLeaf: 10, learningRate: 0.2, subsample: 0.5, seed: 4 };

function fitOnce(seed: number) {
  const shared = [synthetic(60, 20, 1, 0.1)];
  const folds = [2, 3, 4].map((s) => ({ train: synthetic(40, 20, s, 0.1), heldOut: synthetic(40, 20, s, 0.1) }));
  return crossFitLambdaMart(shared, folds, { ...params, seed }, 3);
}

describe('crossFitLambdaMart', () => {
  it('is deterministic for a seed, and another seed gives other rankers', () => {
    const test = synthetic(50, 20, 9, 0.1);
    const score = (r: ReturnType<typeof fitOnce>): Float32Array => {
      const out = new Float32Array(test.labels.length);
      r.ranker.predict(test.features, out);
      return out;
    };
    const a = fitOnce(1);
    const b = fitOnce(1);
    expect(b.trees).toBe(a.trees);
    expect(b.curve).toEqual(a.curve);
    expect(Array.from(score(b))).toEqual(Array.from(score(a)));
    expect(Array.from(score(fitOnce(2)))).not.toEqual(Array.from(score(a)));
  });

  it('cuts every ranker to the tree count that maximises the smoothed fold-averaged curve, and learns', () => {
    const r = fitOnce(1);
    expect(r.members).toHaveLength(3);
    expect(r.curve).toHaveLength(params.trees);
    expect(r.trees).toBe(smoothedArgmax(r.curve, 3) + 1);
    for (const m of r.members) expect(m.size).toBe(r.trees);
    expect(r.best).toBe(r.curve[r.trees - 1]);
    expect(r.heldOutNdcg).toHaveLength(3);
    const test = synthetic(100, 20, 11, 0.1);
    const scores = new Float32Array(test.labels.length);
    r.ranker.predict(test.features, scores);
    const noise = Float32Array.from({ length: test.labels.length }, (_, i) => test.features[i * 3 + 2]);
    expect(meanNdcg(scores, test, 10)).toBeGreaterThan(meanNdcg(noise, test, 10) + 0.2);
  });

  it('trains ranker k on the shared lists and every fold but k (its held-out fold never)', () => {
    // Fold 0's lists carry a feature no other list has: only rankers 1 and 2 may split on it.
    const mark = (d: RankingData, value: number): RankingData => {
      const features = Float32Array.from(d.features);
      for (let i = 0; i < d.labels.length; i++) features[i * 3 + 2] = d.labels[i] > 0 ? value : 0;
      return { ...d, features };
    };
    const plain = (d: RankingData): RankingData => {
      const features = Float32Array.from(d.features);
      for (let i = 0; i < d.labels.length; i++) features[i * 3 + 2] = 0;
      return { ...d, features };
    };
    const f0 = mark(synthetic(60, 20, 2, 0.1), 1);
    const folds = [
      { train: f0, heldOut: f0 },
      { train: plain(synthetic(60, 20, 3, 0.1)), heldOut: plain(synthetic(60, 20, 3, 0.1)) },
      { train: plain(synthetic(60, 20, 4, 0.1)), heldOut: plain(synthetic(60, 20, 4, 0.1)) },
    ];
    const r = crossFitLambdaMart([plain(synthetic(30, 20, 1, 0.1))], folds, { ...params, trees: 10 });
    expect(r.members[0].splitCounts()[2]).toBe(0);
    expect(r.members[1].splitCounts()[2]).toBeGreaterThan(0);
    expect(r.members[2].splitCounts()[2]).toBeGreaterThan(0);
  });

  it('AveragedRanker scores with the mean of its members; truncate keeps a prefix', () => {
    const data = synthetic(40, 20, 5, 0.1);
    const a = new LambdaMart({ ...params, seed: 1 });
    const b = new LambdaMart({ ...params, seed: 2 });
    a.fit(data);
    b.fit(data);
    const sa = new Float64Array(data.labels.length);
    const sb = new Float64Array(data.labels.length);
    const mean = new Float64Array(data.labels.length);
    a.predict(data.features, sa);
    b.predict(data.features, sb);
    new AveragedRanker([a, b]).predict(data.features, mean);
    for (let i = 0; i < mean.length; i++) expect(mean[i]).toBeCloseTo((sa[i] + sb[i]) / 2, 10);
    a.truncate(5);
    expect(a.size).toBe(5);
    a.truncate(50);
    expect(a.size).toBe(5);
    expect(() => new AveragedRanker([])).toThrow(RangeError);
  });
});

describe('smoothedArgmax', () => {
  it('picks the best neighbourhood, not a lone spike', () => {
    expect(smoothedArgmax([0, 0.9, 0, 0.5, 0.6, 0.5, 0.4], 0)).toBe(1);
    expect(smoothedArgmax([0, 0.9, 0, 0.5, 0.6, 0.5, 0.4], 1)).toBe(4);
  });
});
