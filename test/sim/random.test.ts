import { describe, expect, it } from 'vitest';
import { AliasTable, Rng } from '../../src/sim/random.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.uint32());
}

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(draws(new Rng(42), 20)).toEqual(draws(new Rng(42), 20));
    expect(draws(new Rng(42), 20)).not.toEqual(draws(new Rng(43), 20));
  });

  it('forks by label, independently of how much the parent has drawn', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    draws(b, 100);
    expect(draws(a.fork('x'), 10)).toEqual(draws(b.fork('x'), 10));
    expect(draws(a.fork('x'), 10)).not.toEqual(draws(a.fork('y'), 10));
    expect(draws(a.fork('x').fork(1), 10)).not.toEqual(draws(a.fork('x').fork(2), 10));
  });

  it('keeps next() in [0, 1) and int(n) in range with every value reachable', () => {
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = rng.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(7);
  });

  it('draws normal, gamma, poisson with the right moments', () => {
    const rng = new Rng(3);
    const n = 50_000;
    const normals = Array.from({ length: n }, () => rng.normal(2, 3));
    const mean = normals.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(normals.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    expect(mean).toBeCloseTo(2, 1);
    expect(sd).toBeCloseTo(3, 1);
    for (const shape of [0.3, 1, 4.5]) {
      const gammaMean = Array.from({ length: n }, () => rng.gamma(shape, 2)).reduce((s, x) => s + x, 0) / n;
      expect(Math.abs(gammaMean - 2 * shape) / (2 * shape)).toBeLessThan(0.05);
    }
    for (const lambda of [0.5, 6, 80]) {
      const poissonMean = Array.from({ length: n }, () => rng.poisson(lambda)).reduce((s, x) => s + x, 0) / n;
      expect(Math.abs(poissonMean - lambda) / lambda).toBeLessThan(0.05);
    }
  });

  it('draws Dirichlet vectors that sum to 1 and are sparse for small alphas', () => {
    const rng = new Rng(4);
    let nearZero = 0;
    for (let i = 0; i < 200; i++) {
      const v = rng.dirichlet(new Array(20).fill(0.1));
      expect(v.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
      nearZero += v.filter((x) => x < 0.01).length;
    }
    expect(nearZero / (200 * 20)).toBeGreaterThan(0.5);
  });

  it('shuffles into a permutation and samples without replacement', () => {
    const rng = new Rng(5);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle(items.slice());
    expect(shuffled).not.toEqual(items);
    expect(shuffled.slice().sort((a, b) => a - b)).toEqual(items);
    const sample = rng.sample(items, 10);
    expect(new Set(sample).size).toBe(10);
  });

  it('weightedIndex never picks a zero weight and follows the weights', () => {
    const rng = new Rng(6);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.weightedIndex([1, 0, 3, 0])]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.7);
    expect(counts[2] / counts[0]).toBeLessThan(3.3);
  });
});

describe('AliasTable', () => {
  it('samples in proportion to the weights', () => {
    const weights = [5, 1, 0, 3, 1];
    const table = new AliasTable(weights);
    const rng = new Rng(7);
    const counts = new Array(weights.length).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[table.sample(rng)]++;
    expect(counts[2]).toBe(0);
    weights.forEach((w, i) => expect(Math.abs(counts[i] / n - w / 10)).toBeLessThan(0.01));
  });

  it('rejects an all-zero weight list', () => {
    expect(() => new AliasTable([0, 0])).toThrow();
  });
});
