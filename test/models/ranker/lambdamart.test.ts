import { describe, expect, it } from 'vitest';
import { LambdaMart, type RankingData, meanNdcg } from '../../../src/models/ranker/lambdamart.js';

/** Queries of `size` rows, 3 features: relevant iff feature 0 lies in a middle band (not monotone) and feature 1 > 0.3; feature 2 is noise. */
function synthetic(queries: number, size: number, seed: number): RankingData {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const f = 3;
  const n = queries * size;
  const features = new Float32Array(n * f);
  const labels = new Float32Array(n);
  const groups = new Int32Array(queries + 1);
  for (let q = 0; q < queries; q++) {
    groups[q + 1] = (q + 1) * size;
    for (let r = 0; r < size; r++) {
      const i = q * size + r;
      const x0 = rand();
      const x1 = rand();
      features[i * f] = x0;
      features[i * f + 1] = x1;
      features[i * f + 2] = rand();
      labels[i] = x0 > 0.4 && x0 < 0.6 && x1 > 0.3 ? 1 : 0;
    }
  }
  return { features, numFeatures: f, labels, groups };
}

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
