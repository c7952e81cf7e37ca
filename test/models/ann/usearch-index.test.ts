import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactAnnIndex } from '../../../src/models/ann/exact-index.js';
import { createAnnIndex, loadAnnIndex } from '../../../src/models/ann/index.js';
import { UsearchAnnIndex } from '../../../src/models/ann/usearch-index.js';
import { describeAnnContract, gaussianMatrix, referenceScore, row } from './ann.contract.js';

describeAnnContract({
  name: 'usearch',
  create: (options) => createAnnIndex('usearch', options),
  metrics: ['ip', 'cos', 'l2sq'],
  exact: false,
});

describeAnnContract({
  name: 'usearch with augmentForMips',
  create: (options) => createAnnIndex('usearch', { ...options, augmentForMips: true }),
  metrics: ['ip'],
  exact: false,
});

function recallAt10(approximate: { key: number }[][], exact: { key: number }[][]): number {
  let found = 0;
  let total = 0;
  for (let q = 0; q < exact.length; q++) {
    const truth = new Set(exact[q].map((h) => h.key));
    found += approximate[q].filter((h) => truth.has(h.key)).length;
    total += truth.size;
  }
  return found / total;
}

describe('UsearchAnnIndex', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-ann-usearch-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('recall@10 against exact search is ≥ 0.95 at default settings (5,000 random 32-d vectors)', () => {
    const d = 32;
    const n = 5000;
    const items = gaussianMatrix(n, d, 40);
    const keys = Uint32Array.from({ length: n }, (_, i) => i);
    const queries = gaussianMatrix(200, d, 41);
    const approximate = new UsearchAnnIndex({ dimensions: d });
    approximate.add(keys, items);
    const exact = new ExactAnnIndex({ dimensions: d, metric: approximate.metric });
    exact.add(keys, items);
    const recall = recallAt10(approximate.search(queries, 200, 10), exact.search(queries, 200, 10));
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('augmentForMips keeps true inner-product scores', () => {
    const d = 8;
    const items = gaussianMatrix(300, d, 42);
    for (let i = 0; i < items.length; i++) items[i] *= 1 + (i % 5); // unequal norms
    const index = new UsearchAnnIndex({ dimensions: d, metric: 'ip', augmentForMips: true });
    index.add(Uint32Array.from({ length: 300 }, (_, i) => i), items);
    expect(index.settings.mipsMaxNorm).toBeGreaterThan(0);
    const query = gaussianMatrix(1, d, 43);
    for (const hit of index.search(query, 1, 10)[0]) {
      const expected = referenceScore('ip', query, row(items, hit.key, d));
      expect(hit.score).toBeCloseTo(expected, 3);
    }
    // A later, longer vector is still scored exactly.
    const long = new Float32Array(d).fill(100);
    index.add([300], long);
    const top = index.search(new Float32Array(d).fill(1), 1, 1)[0][0];
    expect(top).toMatchObject({ key: 300 });
    expect(top.score).toBeCloseTo(100 * d, 1);
  });

  it('stores f16 vectors and still finds the exact neighbours of duplicates', () => {
    const d = 16;
    const items = gaussianMatrix(500, d, 46, true);
    const index = new UsearchAnnIndex({ dimensions: d, metric: 'cos', quantization: 'f16' });
    index.add(Uint32Array.from({ length: 500 }, (_, i) => i), items);
    const results = index.search(items.slice(0, 50 * d), 50, 1);
    results.forEach((hits, q) => {
      expect(hits[0].key).toBe(q);
      expect(hits[0].score).toBeCloseTo(1, 2);
    });
  });

  it('leaves no item unreachable: every item finds itself (10 builds × 500 items)', () => {
    // Built on two insert threads the binding loses ≈ 0.5% of nodes (≈ 25 misses here);
    // the adapter inserts on one thread by default.
    const d = 16;
    let misses = 0;
    for (let build = 0; build < 10; build++) {
      const items = gaussianMatrix(500, d, 100 + build, true);
      const index = new UsearchAnnIndex({ dimensions: d, metric: 'cos', threads: 2 });
      index.add(Uint32Array.from({ length: 500 }, (_, i) => i), items);
      index.search(items, 500, 1).forEach((hits, q) => {
        if (hits[0]?.key !== q) misses++;
      });
    }
    expect(misses).toBe(0);
  });

  it('searches a loaded index with any thread setting (capped at the core count)', async () => {
    const d = 8;
    const items = gaussianMatrix(800, d, 47);
    const index = new UsearchAnnIndex({ dimensions: d, threads: 1 });
    index.add(Uint32Array.from({ length: 800 }, (_, i) => i), items);
    const file = path.join(dir, 'threads.usearch');
    await index.save(file);
    const queries = items.slice(0, 300 * d);
    const expected = index.search(queries, 300, 5);
    const loaded = await loadAnnIndex(file, { threads: 64 });
    expect(loaded.search(queries, 300, 5)).toEqual(expected);
    const wide = new UsearchAnnIndex({ dimensions: d, threads: 64 });
    wide.add(Uint32Array.from({ length: 800 }, (_, i) => i), items);
    expect(wide.search(queries, 300, 5).every((hits) => hits.length === 5)).toBe(true);
    // Built on two insert threads, the binding holds two search contexts: still searchable.
    const builtWide = new UsearchAnnIndex({ dimensions: d, threads: 64, buildThreads: 2 });
    builtWide.add(Uint32Array.from({ length: 800 }, (_, i) => i), items);
    expect(builtWide.search(queries, 300, 5).every((hits) => hits.length === 5)).toBe(true);
  });

  it('rejects augmentForMips for metrics other than ip, and bad settings', () => {
    expect(() => new UsearchAnnIndex({ dimensions: 4, metric: 'cos', augmentForMips: true })).toThrow(/augmentForMips only applies/);
    expect(() => new UsearchAnnIndex({ dimensions: 0 })).toThrow(RangeError);
    expect(() => new UsearchAnnIndex({ dimensions: 4, expansionSearch: 0 })).toThrow(/expansionSearch/);
  });

  it('round-trips keys above 2¹⁶ through the 64-bit keys of the binding', () => {
    const index = new UsearchAnnIndex({ dimensions: 2, metric: 'ip' });
    index.add([70_001, 1_000_003], new Float32Array([1, 0, 0, 1]));
    expect(index.search(new Float32Array([0, 1, 1, 0]), 2, 1).map((hits) => hits[0].key)).toEqual([1_000_003, 70_001]);
  });

  it('loads with another expansionSearch, or as a read-only memory-mapped view', async () => {
    const d = 16;
    const items = gaussianMatrix(1000, d, 44);
    const index = new UsearchAnnIndex({ dimensions: d, metric: 'ip', expansionSearch: 40, augmentForMips: true });
    index.add(Uint32Array.from({ length: 1000 }, (_, i) => i), items);
    const file = path.join(dir, 'view.usearch');
    await index.save(file);
    const queries = gaussianMatrix(20, d, 45);

    const wider = (await loadAnnIndex(file, { expansionSearch: 200 })) as UsearchAnnIndex;
    expect(wider.settings).toMatchObject({ expansionSearch: 200, augmentForMips: true, mipsMaxNorm: index.settings.mipsMaxNorm });

    const view = (await loadAnnIndex(file, { view: true })) as UsearchAnnIndex;
    expect(view.size).toBe(1000);
    expect(view.search(queries, 20, 10)).toEqual(index.search(queries, 20, 10));
    expect(() => view.add([5], row(items, 5, d))).toThrow(/read-only view/);
    expect(() => view.remove([5])).toThrow(/read-only view/);
  });

  it('refuses to load a file of the other kind, or without a meta file', async () => {
    const exact = new ExactAnnIndex({ dimensions: 2 });
    exact.add([0], new Float32Array([1, 2]));
    const file = path.join(dir, 'exact.ann');
    await exact.save(file);
    await expect(UsearchAnnIndex.load(file)).rejects.toThrow(/not a usearch one/);
    await expect(loadAnnIndex(path.join(dir, 'missing.ann'))).rejects.toThrow(/cannot read ANN index meta file/);
  });
});
