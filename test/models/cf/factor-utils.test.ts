import { describe, expect, it } from 'vitest';
import { dot, rowNorms, scoreRows, similarByFactors, topK } from '../../../src/models/cf/factor-utils.js';
import { choleskySolve, symmetricEigen } from '../../../src/models/cf/linalg.js';
import { SeededRandom } from '../../../src/models/cf/rng.js';

describe('topK', () => {
  it('matches a full sort, best first, ties to the smaller index', () => {
    const random = new SeededRandom(1);
    const scores = Float32Array.from({ length: 500 }, () => Math.round(random.float() * 50));
    const expected = Array.from(scores.keys())
      .sort((a, b) => scores[b] - scores[a] || a - b)
      .slice(0, 20);
    const top = topK(scores, 20);
    expect(Array.from(top.items)).toEqual(expected);
    expect(Array.from(top.scores)).toEqual(expected.map((i) => scores[i]));
  });

  it('skips -Infinity, NaN and excluded entries, and honours offset/length', () => {
    const scores = Float32Array.of(9, 1, -Infinity, NaN, 5, 7, 8);
    expect(Array.from(topK(scores, 10).items)).toEqual([0, 6, 5, 4, 1]);
    expect(Array.from(topK(scores, 2, { exclude: (i) => i === 0 }).items)).toEqual([6, 5]);
    expect(Array.from(topK(scores, 2, { offset: 4, length: 2 }).items)).toEqual([1, 0]);
    expect(topK(scores, 0).items).toHaveLength(0);
  });
});

describe('dense helpers', () => {
  it('scoreRows equals naive dot products', () => {
    const random = new SeededRandom(2);
    const k = 7;
    const u = Float32Array.from({ length: 5 * k }, () => random.normal());
    const v = Float32Array.from({ length: 601 * k }, () => random.normal());
    const rows = Int32Array.of(4, 0, 2);
    const out = new Float32Array(3 * 601);
    scoreRows(u, rows, v, k, 601, out);
    for (let r = 0; r < 3; r++) for (let i = 0; i < 601; i += 37) expect(out[r * 601 + i]).toBeCloseTo(dot(u, rows[r] * k, v, i * k, k), 4);
  });

  it('similarByFactors ranks by cosine and excludes the item', () => {
    const f = Float32Array.of(1, 0, 2, 0.1, 0, 1, -1, 0);
    const norms = rowNorms(f, 4, 2);
    expect(norms[0]).toBeCloseTo(1);
    const top = similarByFactors(f, 2, 0, 3, norms);
    expect(Array.from(top.items)).toEqual([1, 2, 3]);
  });
});

describe('linalg', () => {
  it('Cholesky solves an SPD system', () => {
    const a = Float64Array.of(4, 2, 0, 2, 5, 1, 0, 1, 3);
    const x = Float64Array.of(1, -2, 3);
    const b = Float64Array.of(4 * 1 + 2 * -2, 2 * 1 + 5 * -2 + 3, -2 + 9);
    expect(choleskySolve(a, b, 3)).toBe(true);
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(x[i], 12);
    expect(choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2)).toBe(false);
  });

  it('symmetricEigen reconstructs the matrix with orthonormal vectors', () => {
    const random = new SeededRandom(3);
    const k = 12;
    const y = Float64Array.from({ length: 40 * k }, () => random.normal());
    const g = new Float64Array(k * k);
    for (let r = 0; r < 40; r++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) g[i * k + j] += y[r * k + i] * y[r * k + j];
    const { values, vectors } = symmetricEigen(g, k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let rebuilt = 0;
        let orthogonality = 0;
        for (let c = 0; c < k; c++) {
          rebuilt += vectors[i * k + c] * values[c] * vectors[j * k + c];
          orthogonality += vectors[c * k + i] * vectors[c * k + j];
        }
        expect(rebuilt).toBeCloseTo(g[i * k + j], 9);
        expect(orthogonality).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});
