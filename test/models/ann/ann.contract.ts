/**
 * The `AnnIndex` contract, run against every adapter (see src/models/ann/ann-index.ts for the
 * contract itself). Approximate adapters are held to the same behaviour; only the checks that
 * need exact answers (equality with a brute-force reference) are relaxed for them, and on
 * these small inputs an HNSW graph finds the exact answer anyway.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnHit, AnnIndex, Metric } from '../../../src/models/ann/ann-index.js';
import { loadAnnIndex } from '../../../src/models/ann/index.js';

export interface ContractSubject {
  name: string;
  create(options: { dimensions: number; metric: Metric }): AnnIndex;
  /** Metrics the adapter supports in this configuration. */
  metrics: Metric[];
  /** True when results must equal the brute-force reference exactly. */
  exact: boolean;
}

// ---------------------------------------------------------------------------------------
// Deterministic data and a brute-force reference independent of the adapters.

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussianMatrix(rows: number, dims: number, seed: number, normalise = false): Float32Array {
  const random = rng(seed);
  const out = new Float32Array(rows * dims);
  for (let i = 0; i < out.length; i++) {
    const u = Math.max(random(), 1e-12);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  if (normalise) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += out[r * dims + j] ** 2;
      const norm = Math.sqrt(s);
      for (let j = 0; j < dims; j++) out[r * dims + j] /= norm;
    }
  }
  return out;
}

export function row(matrix: Float32Array, r: number, dims: number): Float32Array {
  return matrix.slice(r * dims, (r + 1) * dims);
}

export function referenceScore(metric: Metric, q: Float32Array, x: Float32Array): number {
  let dot = 0;
  let qq = 0;
  let xx = 0;
  for (let j = 0; j < q.length; j++) {
    dot += q[j] * x[j];
    qq += q[j] * q[j];
    xx += x[j] * x[j];
  }
  if (metric === 'ip') return dot;
  if (metric === 'cos') return dot / Math.sqrt(qq * xx);
  return -(qq - 2 * dot + xx);
}

/** Brute-force top-k of one query over rows 0..n−1 (key = row). */
export function referenceTopK(metric: Metric, items: Float32Array, dims: number, q: Float32Array, k: number, exclude?: ReadonlySet<number>): AnnHit[] {
  const all: AnnHit[] = [];
  for (let r = 0; r < items.length / dims; r++) {
    if (exclude?.has(r)) continue;
    all.push({ key: r, score: referenceScore(metric, q, row(items, r, dims)) });
  }
  return all.sort((a, b) => b.score - a.score || a.key - b.key).slice(0, k);
}

function keysOf(hits: AnnHit[]): number[] {
  return hits.map((h) => h.key);
}

function overlap(a: number[], b: number[]): number {
  const set = new Set(b);
  return a.filter((x) => set.has(x)).length;
}

function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}

// ---------------------------------------------------------------------------------------

export function describeAnnContract(subject: ContractSubject): void {
  const d = 16;

  describe(`AnnIndex contract: ${subject.name}`, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-ann-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    function build(metric: Metric, items: Float32Array): AnnIndex {
      const index = subject.create({ dimensions: d, metric });
      index.add(Uint32Array.from(range(items.length / d)), items);
      return index;
    }

    it('knows its shape and size', () => {
      const index = build(subject.metrics[0], gaussianMatrix(50, d, 1));
      expect(index.dimensions).toBe(d);
      expect(index.metric).toBe(subject.metrics[0]);
      expect(index.size).toBe(50);
      expect(index.has(49)).toBe(true);
      expect(index.has(50)).toBe(false);
    });

    for (const metric of subject.metrics) {
      it(`returns the item itself for exact-duplicate queries (${metric})`, () => {
        const items = gaussianMatrix(400, d, 2, true);
        const index = build(metric, items);
        const queries = items.slice(0, 60 * d);
        const results = index.search(queries, 60, 5);
        const selfScore = metric === 'l2sq' ? 0 : 1;
        for (let q = 0; q < 60; q++) {
          expect(results[q][0].key).toBe(q);
          expect(results[q][0].score).toBeCloseTo(selfScore, 4);
        }
      });

      it(`scores are higher-is-better and match the metric (${metric})`, () => {
        const items = gaussianMatrix(300, d, 3);
        const index = build(metric, items);
        const queries = gaussianMatrix(20, d, 4);
        const results = index.search(queries, 20, 15);
        for (let q = 0; q < 20; q++) {
          const hits = results[q];
          expect(hits).toHaveLength(15);
          for (let i = 1; i < hits.length; i++) expect(hits[i - 1].score).toBeGreaterThanOrEqual(hits[i].score);
          const query = row(queries, q, d);
          for (const hit of hits) {
            const expected = referenceScore(metric, query, row(items, hit.key, d));
            expect(Math.abs(hit.score - expected)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
          }
          const reference = referenceTopK(metric, items, d, query, 15);
          if (subject.exact) expect(keysOf(hits)).toEqual(keysOf(reference));
          else expect(overlap(keysOf(hits), keysOf(reference))).toBeGreaterThanOrEqual(12);
          // Higher is better: the best hit scores at least as well as every item (exact), or at
          // least as well as the true fifth best (an approximate graph may miss the very best; a
          // reversed order would put the worst item first).
          const bar = reference[subject.exact ? 0 : 4].score;
          expect(hits[0].score).toBeGreaterThanOrEqual(bar - 1e-4 * Math.max(1, Math.abs(bar)));
        }
      });
    }

    it('batch search equals one-by-one search', () => {
      const metric = subject.metrics[0];
      const items = gaussianMatrix(2000, d, 5);
      const index = build(metric, items);
      const count = 64;
      const queries = gaussianMatrix(count, d, 6);
      const exclude = range(count).map((q) => (q % 3 === 0 ? new Set(range(30, q * 7)) : undefined));
      const batch = index.search(queries, count, 10, { exclude });
      for (let q = 0; q < count; q++) {
        const single = index.search(row(queries, q, d), 1, 10, { exclude: [exclude[q]] });
        expect(keysOf(batch[q])).toEqual(keysOf(single[0]));
        for (let i = 0; i < single[0].length; i++) expect(batch[q][i].score).toBeCloseTo(single[0][i].score, 5);
      }
    });

    it('exclude removes keys and still returns k hits', () => {
      const metric = subject.metrics[0];
      const items = gaussianMatrix(500, d, 7);
      const index = build(metric, items);
      const random = rng(8);
      const count = 30;
      const queries = gaussianMatrix(count, d, 9);
      const plain = index.search(queries, count, 10);
      const exclude = plain.map((hits) => {
        const set = new Set(keysOf(hits)); // the best ten…
        while (set.size < 200) set.add(Math.floor(random() * 500)); // …and more
        set.add(123_456); // not in the index: harmless
        return set;
      });
      const results = index.search(queries, count, 10, { exclude });
      for (let q = 0; q < count; q++) {
        expect(results[q]).toHaveLength(10);
        for (const hit of results[q]) expect(exclude[q].has(hit.key)).toBe(false);
        const reference = referenceTopK(metric, items, d, row(queries, q, d), 10, exclude[q]);
        if (subject.exact) expect(keysOf(results[q])).toEqual(keysOf(reference));
        else expect(overlap(keysOf(results[q]), keysOf(reference))).toBeGreaterThanOrEqual(9);
      }
    });

    it('exclude leaving exactly k, or fewer than k, items returns all of them', () => {
      const metric = subject.metrics[0];
      const index = build(metric, gaussianMatrix(500, d, 10));
      const queries = gaussianMatrix(2, d, 11);
      const allButTen = new Set(range(490, 10)); // keeps 0..9
      const allButThree = new Set(range(497, 3)); // keeps 0..2
      const results = index.search(queries, 2, 10, { exclude: [allButTen, allButThree] });
      expect(keysOf(results[0]).sort((a, b) => a - b)).toEqual(range(10));
      expect(keysOf(results[1]).sort((a, b) => a - b)).toEqual(range(3));
    });

    it('handles k = 0, k > size and an empty index', () => {
      const metric = subject.metrics[0];
      const empty = subject.create({ dimensions: d, metric });
      expect(empty.search(gaussianMatrix(2, d, 12), 2, 5)).toEqual([[], []]);
      const index = build(metric, gaussianMatrix(7, d, 13));
      expect(index.search(gaussianMatrix(1, d, 14), 1, 0)).toEqual([[]]);
      expect(index.search(gaussianMatrix(1, d, 14), 1, 50)[0]).toHaveLength(7);
      expect(index.search(new Float32Array(0), 0, 5)).toEqual([]);
    });

    it('re-adding a key replaces its vector; the last of repeated keys wins', () => {
      const metric = subject.metrics[0];
      const items = gaussianMatrix(200, d, 15, true);
      const index = build(metric, items);
      const fresh = gaussianMatrix(2, d, 16, true);
      index.add([5], row(fresh, 0, d));
      expect(index.size).toBe(200);
      expect(index.search(row(fresh, 0, d), 1, 1)[0][0].key).toBe(5);
      const old = index.search(row(items, 5, d), 1, 3)[0];
      expect(old[0].key).not.toBe(5);

      index.add([7, 7], fresh); // two rows for one key: the second wins
      expect(index.size).toBe(200);
      expect(index.search(row(fresh, 1, d), 1, 1)[0][0]).toMatchObject({ key: 7 });
      expect(index.search(row(fresh, 1, d), 1, 1)[0][0].score).toBeCloseTo(metric === 'l2sq' ? 0 : 1, 4);
    });

    it('remove deletes keys and ignores unknown ones', () => {
      const metric = subject.metrics[0];
      const items = gaussianMatrix(300, d, 17, true);
      const index = build(metric, items);
      expect(index.remove([3, 4, 1000])).toBe(2);
      expect(index.size).toBe(298);
      expect(index.has(3)).toBe(false);
      const results = index.search(items.slice(0, 10 * d), 10, 10);
      for (const hits of results) for (const hit of hits) expect([3, 4]).not.toContain(hit.key);
      index.add([3], row(items, 3, d));
      expect(index.size).toBe(299);
      expect(index.search(row(items, 3, d), 1, 1)[0][0].key).toBe(3);
    });

    it('save → load gives the same results', async () => {
      for (const metric of subject.metrics) {
        const items = gaussianMatrix(1500, d, 18);
        const index = build(metric, items);
        index.remove([10, 11]);
        const file = path.join(dir, `${subject.name.replace(/\W+/g, '-')}-${metric}.ann`);
        await index.save(file);
        const loaded = await loadAnnIndex(file);
        expect(loaded.kind).toBe(index.kind);
        expect(loaded.metric).toBe(metric);
        expect(loaded.dimensions).toBe(d);
        expect(loaded.size).toBe(index.size);
        expect(loaded.has(10)).toBe(false);
        expect(loaded.has(1499)).toBe(true);
        const queries = gaussianMatrix(40, d, 19);
        const exclude = [new Set([1, 2, 3])];
        expect(loaded.search(queries, 40, 10, { exclude })).toEqual(index.search(queries, 40, 10, { exclude }));
        // The loaded index stays writable.
        loaded.add([10], row(items, 10, d));
        expect(loaded.size).toBe(index.size + 1);
      }
    });

    it('dimension mismatches throw a clear Error', () => {
      const index = subject.create({ dimensions: d, metric: subject.metrics[0] });
      expect(() => index.add([0, 1], new Float32Array(d))).toThrow(/dimension mismatch.*16 dimensions.*2 keys need 32 floats, got 16/);
      expect(() => index.add([0], new Float32Array(d + 1))).toThrow(/dimension mismatch/);
      index.add([0, 1], gaussianMatrix(2, d, 20));
      expect(() => index.search(new Float32Array(d - 1), 1, 5)).toThrow(/dimension mismatch.*got 15/);
      expect(() => index.search(new Float32Array(2 * d), 3, 5)).toThrow(/dimension mismatch/);
      expect(() => index.add([-1], new Float32Array(d))).toThrow(RangeError);
      expect(() => index.add([0], new Float32Array(d).fill(Number.NaN))).toThrow(/non-finite/);
      expect(index.size).toBe(2);
    });
  });
}
