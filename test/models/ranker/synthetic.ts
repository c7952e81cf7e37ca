import type { RankingData } from '../../../src/models/ranker/lambdamart.js';

/**
 * Queries of `size` rows, 3 features: relevant iff feature 0 lies in a middle band (not
 * monotone) and feature 1 > 0.3; feature 2 is noise. With `labelNoise` > 0 that share of labels
 * is flipped (one more draw per row).
 */
export function synthetic(queries: number, size: number, seed: number, labelNoise = 0): RankingData {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const f = 3;
  const features = new Float32Array(queries * size * f);
  const labels = new Float32Array(queries * size);
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
      const relevant = Number(x0 > 0.4 && x0 < 0.6 && x1 > 0.3);
      labels[i] = labelNoise > 0 && rand() < labelNoise ? 1 - relevant : relevant;
    }
  }
  return { features, numFeatures: f, labels, groups };
}
