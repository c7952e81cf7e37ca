import { describe, expect, it } from 'vitest';
import { randomEvalSplit } from '../../../src/eval/split.js';
import { choleskyInverse } from '../../../src/models/cf/linalg.js';
import { buildMatrix, type InteractionMatrix } from '../../../src/models/cf/matrix.js';
import { EaseRecommender } from '../../../src/models/hybrid/ease.js';
import { blockData } from './helpers.js';

/** Seeded uniform numbers in [0, 1). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** EASE's scores the textbook way: B = I − P diag(1/diag P), P = (XᵀX + λI)⁻¹, scores = X B. */
function primalScores(train: InteractionMatrix, lambda: number): Float64Array {
  const { users, items } = train;
  const x = new Float64Array(users * items);
  for (let u = 0; u < users; u++) for (let e = train.indptr[u]; e < train.indptr[u + 1]; e++) x[u * items + train.indices[e]] = 1;
  const gram = new Float64Array(items * items);
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) for (let j = 0; j < items; j++) gram[i * items + j] += x[u * items + i] * x[u * items + j];
  for (let i = 0; i < items; i++) gram[i * items + i] += lambda;
  const p = choleskyInverse(gram, items);
  const b = new Float64Array(items * items);
  for (let i = 0; i < items; i++) for (let j = 0; j < items; j++) b[i * items + j] = i === j ? 0 : -p[i * items + j] / p[j * items + j];
  const scores = new Float64Array(users * items);
  for (let u = 0; u < users; u++)
    for (let i = 0; i < items; i++) {
      if (x[u * items + i] === 0) continue;
      for (let j = 0; j < items; j++) scores[u * items + j] += b[i * items + j];
    }
  return scores;
}

describe('choleskyInverse', () => {
  it('inverts a symmetric positive definite matrix (A · A⁻¹ = I)', () => {
    const n = 37;
    const rand = uniform(11);
    const r = Float64Array.from({ length: n * n }, () => rand() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += r[i * n + k] * r[j * n + k];
    for (let i = 0; i < n; i++) a[i * n + i] += 0.5;
    const inverse = choleskyInverse(a.slice(), n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * inverse[k * n + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyInverse(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});

describe('EASE', () => {
  it('the dual form gives the primal form’s scores, also on the played items', async () => {
    const rand = uniform(5);
    const cells: { user: number; item: number; value: number }[] = [];
    const users = 23;
    const items = 31;
    for (let u = 0; u < users; u++) for (let i = 0; i < items; i++) if (rand() < 0.2 + 0.3 * ((u + i) % 3 === 0 ? 1 : 0)) cells.push({ user: u, item: i, value: 1 + Math.floor(rand() * 9) });
    const train = buildMatrix(users, items, cells);
    const lambda = 3;
    const ease = new EaseRecommender({ lambda });
    await ease.fit(train);
    const out = new Float32Array(users * items);
    ease.scoreUsers(Int32Array.from({ length: users }, (_, u) => u), out);
    const expected = primalScores(train, lambda);
    let largest = 0;
    for (let k = 0; k < out.length; k++) largest = Math.max(largest, Math.abs(expected[k]));
    expect(largest).toBeGreaterThan(0.1);
    for (let k = 0; k < out.length; k++) expect(Math.abs(out[k] - expected[k])).toBeLessThan(1e-5 * largest + 1e-6);
  });

  it('puts the user’s own block first on block data', async () => {
    const { pairs } = blockData();
    const split = randomEvalSplit(pairs, 1);
    const ease = new EaseRecommender();
    await ease.fit(split.tuning.train);
    const out = new Float32Array(pairs.items.size);
    ease.scoreUsers(Int32Array.from([0]), out); // user 0: group 0, items 0..39
    const inBlock = Array.from(out.subarray(0, 40)).reduce((a, b) => a + b, 0) / 40;
    const otherBlock = Array.from(out.subarray(40, 80)).reduce((a, b) => a + b, 0) / 40;
    expect(inBlock).toBeGreaterThan(otherBlock + 0.05);
  });

  it('rejects λ ≤ 0 and scoring before fit', () => {
    expect(() => new EaseRecommender({ lambda: 0 })).toThrow(/lambda/);
    expect(() => new EaseRecommender().scoreUsers(Int32Array.from([0]), new Float32Array(1))).toThrow(/fit first/);
  });
});
