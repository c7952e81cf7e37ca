/**
 * The WebAssembly SIMD cosine kernel of serving (src/pipeline/wasm/similarity.ts) against the
 * JavaScript dot product (factor-utils.ts), which stays the reference and the fallback: float32
 * lanes instead of float64, so equal up to float32 rounding; and MMR (blend.ts) lists the same
 * items with and without it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dot } from '../../src/models/cf/factor-utils.js';
import { blend, type BlendInput } from '../../src/pipeline/blend.js';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { type CfModelView, factorCosine, factorCosines, keyMap, similarityKernel, unitFactors } from '../../src/pipeline/cf-view.js';
import { pipelineSettings } from '../../src/pipeline/index.js';
import type { RankedCandidates } from '../../src/pipeline/ranking/rank.js';
import { BATCH_ROWS, PICK_ROWS, SimilarityKernel, similarityWasmModule } from '../../src/pipeline/wasm/similarity-wasm.js';
import { catalogueOf, cfViewOf, lcg, output } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Float32 rounding of a k-term dot product, relative to Σ |a_f·b_f|. */
function tolerance(a: Float32Array, ao: number, b: Float32Array, bo: number, k: number): number {
  let scale = 0;
  for (let f = 0; f < k; f++) scale += Math.abs(a[ao + f] * b[bo + f]);
  return 1e-6 * scale + 1e-12;
}

/** `rows` random rows of k floats in [−1, 1) in a kernel's memory; every fifth row zero. */
function filledKernel(rows: number, k: number, seed: number): SimilarityKernel {
  const kernel = SimilarityKernel.create(rows, k)!;
  const random = lcg(seed);
  for (let row = 0; row < rows; row++) {
    if (row % 5 === 3) continue;
    for (let f = 0; f < k; f++) kernel.units[row * k + f] = 2 * random() - 1;
  }
  return kernel;
}

/** A CF view over `n` random k-dimensional vectors near one of `clusters` centres (some zero). */
function randomView(n: number, k: number, clusters: number, seed: number) {
  const catalogue = catalogueOf(Array.from({ length: n }, (_, i) => ({ id: `t${i}`, artist: `a${i % 17}`, album: `al${i % 29}` })));
  const random = lcg(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: k }, () => random() - 0.5));
  const vectors = Array.from({ length: n }, (_, i) => (i % 23 === 5 ? new Array<number>(k).fill(0) : centres[i % clusters].map((c) => c + 0.5 * (random() - 0.5))));
  return { catalogue, vectors };
}

/** The same model twice, with distinct factor arrays: units in the kernel's memory, and in JavaScript's. */
function twoViews(catalogue: ReturnType<typeof catalogueOf>, vectors: number[][]): { wasm: CfModelView; js: CfModelView } {
  const wasm = cfViewOf(catalogue, vectors);
  const js = cfViewOf(catalogue, vectors);
  unitFactors(js, false);
  return { wasm, js };
}

describe('similarity WebAssembly kernel', () => {
  it('runs here (Node has WebAssembly SIMD)', () => {
    expect(similarityWasmModule()).not.toBeNull();
  });

  it('is built from its source: the committed similarity.wasm matches a fresh compile', () => {
    const output = execFileSync(process.execPath, [path.join(root, 'src/models/cf/wasm/build.mjs'), '--check', 'similarity'], { cwd: root, encoding: 'utf8' });
    expect(output).toContain('similarity.wasm matches its source');
  }, 60_000);

  for (const k of [8, 64, 128]) {
    it(`computes the dot products of the JavaScript kernel up to float32 rounding (k = ${k}, zero rows included)`, () => {
      const rows = 40;
      const kernel = filledKernel(rows, k, k);
      const units = kernel.units;
      const js = (a: number, b: number) => dot(units, a * k, units, b * k, k);
      for (let a = 0; a < rows; a++) {
        for (let b = 0; b < rows; b++) {
          const got = kernel.dot(a, b);
          expect(Math.abs(got - js(a, b))).toBeLessThanOrEqual(tolerance(units, a * k, units, b * k, k));
          if (a % 5 === 3 || b % 5 === 3) expect(got).toBe(0);
        }
      }
      // dots: one row against a batch, as many results.
      const batch = Int32Array.from({ length: rows }, (_, v) => (v * 7) % rows);
      kernel.batch.set(batch);
      kernel.dots(11, rows);
      for (let v = 0; v < rows; v++) expect(Math.abs(kernel.out[v] - js(11, batch[v]))).toBeLessThanOrEqual(tolerance(units, 11 * k, units, batch[v] * k, k));
      // maxDot: the max over a range of the picks, never below `start`.
      const picks = Int32Array.from({ length: rows }, (_, v) => (v * 13 + 2) % rows);
      kernel.picks.set(picks);
      for (const [from, to] of [[0, rows], [3, 9], [7, 8], [5, 5]]) {
        let expected = Number.NEGATIVE_INFINITY;
        for (let v = from; v < to; v++) expected = Math.max(expected, js(1, picks[v]));
        const got = kernel.maxDot(1, from, to, Number.NEGATIVE_INFINITY);
        if (from === to) expect(got).toBe(Number.NEGATIVE_INFINITY);
        else expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-6 * k);
        expect(kernel.maxDot(1, from, to, 1e9)).toBe(1e9);
      }
    });
  }

  it('places unit vectors in its memory, equal to the JavaScript ones; falls back for k % 4 ≠ 0 or when told to', () => {
    const { catalogue, vectors } = randomView(60, 12, 3, 4);
    const { wasm, js } = twoViews(catalogue, vectors);
    const wasmUnits = unitFactors(wasm);
    const jsUnits = unitFactors(js);
    expect(similarityKernel(wasmUnits)).toBeDefined();
    expect(similarityKernel(jsUnits)).toBeUndefined();
    expect(wasmUnits.buffer).not.toBe(jsUnits.buffer);
    expect(Array.from(wasmUnits)).toEqual(Array.from(jsUnits));
    // Made once per model: the same array (and kernel) on every call.
    expect(unitFactors(wasm)).toBe(wasmUnits);

    const odd = randomView(30, 6, 2, 5);
    const oddView = cfViewOf(odd.catalogue, odd.vectors);
    expect(SimilarityKernel.create(30, 6)).toBeNull();
    const oddUnits = unitFactors(oddView);
    expect(similarityKernel(oddUnits)).toBeUndefined();
    // The JavaScript path of both helpers, and a batch longer than the kernel's.
    expect(factorCosine(oddView, 1, 2)).toBeCloseTo(dot(oddUnits, 6, oddUnits, 12, 6), 12);
    const others = Int32Array.from({ length: 29 }, (_, v) => v + 1);
    const cosines = Array.from(factorCosines(oddView, 0, others).subarray(0, 29));
    expect(cosines).toEqual(Array.from(others, (o) => dot(oddUnits, 0, oddUnits, o * 6, 6)));
    const many = Int32Array.from({ length: BATCH_ROWS + 5 }, (_, v) => v % 60);
    const long = factorCosines(wasm, 7, many);
    for (let v = 0; v < many.length; v++) expect(long[v]).toBe(factorCosine(js, 7, many[v]));
  });

  it('gives the cosines of the JavaScript path through factorCosine and factorCosines', () => {
    const { catalogue, vectors } = randomView(80, 64, 4, 6);
    const { wasm, js } = twoViews(catalogue, vectors);
    const seeds = Int32Array.from([0, 5, 9, 17, 28, 33, 41, 50, 66, 79]);
    for (let key = 0; key < 80; key++) {
      const got = Array.from(factorCosines(wasm, key, seeds).subarray(0, seeds.length));
      seeds.forEach((seed, s) => {
        const expected = factorCosine(js, key, seed);
        expect(Math.abs(got[s] - expected)).toBeLessThan(1e-6);
        expect(Math.abs(factorCosine(wasm, key, seed) - expected)).toBeLessThan(1e-6);
      });
    }
  });
});

describe('MMR with the similarity kernel', () => {
  /** blend.test.ts's inputs: a pool of the catalogue in relevance order. */
  function inputs(catalogue: ReturnType<typeof catalogueOf>, vectors: number[][], relevanceOf: (item: number) => number) {
    const { wasm, js } = twoViews(catalogue, vectors);
    const items = Array.from({ length: catalogue.size }, (_, i) => i);
    const pool = CandidatePool.merge([output(items, items.map(relevanceOf))], catalogue.size + 10);
    const relevance = Float32Array.from(pool.items, relevanceOf);
    const order = Int32Array.from(relevance.keys()).sort((a, b) => relevance[b] - relevance[a] || a - b);
    const ranked: RankedCandidates = { firstStage: relevance, relevance, order, ranker: 'test' };
    const input = (view: CfModelView, overrides: Partial<BlendInput['settings']>, depth: number): BlendInput => ({
      pool, ranked, catalogue, excluded: new Set([items[3]]), cf: { view, keyOf: keyMap(catalogue, view.items).keyOf }, uncertain: (slot) => pool.items[slot] % 11 === 0, depth,
      settings: { ...pipelineSettings({}), ...overrides },
    });
    return { wasm, js, input };
  }

  function expectSameLists(a: ReturnType<typeof blend>, b: ReturnType<typeof blend>): void {
    expect(Array.from(a.picks)).toEqual(Array.from(b.picks));
    expect(Array.from(a.explored)).toEqual(Array.from(b.explored));
    expect(Array.from(a.decision)).toEqual(Array.from(b.decision));
    for (let slot = 0; slot < a.mmrSimilarity.length; slot++) {
      if (Number.isNaN(b.mmrSimilarity[slot])) expect(a.mmrSimilarity[slot]).toBeNaN();
      else expect(Math.abs(a.mmrSimilarity[slot] - b.mmrSimilarity[slot])).toBeLessThan(1e-6);
    }
  }

  it('picks the same items as the JavaScript path (blend.test.ts clusters, k = 8)', () => {
    const random = lcg(3);
    const catalogue = catalogueOf(Array.from({ length: 40 }, (_, i) => ({ id: `t${String(i).padStart(2, '0')}` })));
    const vectors = Array.from({ length: 40 }, (_, i) => Array.from({ length: 8 }, (_, f) => (f === Math.floor(i / 10) ? 1 : 0) + 0.15 * (random() - 0.5)));
    const { wasm, js, input } = inputs(catalogue, vectors, (item) => 1 - item * 0.01);
    for (const mmrLambda of [0.2, 0.5, 0.8]) {
      for (const depth of [4, 10, 30]) {
        const settings = { mmrLambda, explorationEvery: 0, maxPerArtist: 100, maxPerAlbum: 100 };
        const withKernel = blend(input(wasm, settings, depth));
        expectSameLists(withKernel, blend(input(js, settings, depth)));
        // Spread over the clusters, as blend.test.ts expects of the JavaScript path.
        if (mmrLambda === 0.5 && depth === 10) expect(new Set(Array.from(withKernel.picks.slice(0, 4), (slot) => Math.floor(slot / 10))).size).toBe(4);
      }
    }
  });

  it('picks the same items as the JavaScript path on a larger pool (k = 64, caps, exploration, zero vectors)', () => {
    const { catalogue, vectors } = randomView(600, 64, 12, 8);
    const random = lcg(9);
    const scores = Array.from({ length: 600 }, () => random());
    const { wasm, js, input } = inputs(catalogue, vectors, (item) => scores[item]);
    for (const settings of [{}, { mmrLambda: 0.5, mmrPool: 300 }, { mmrLambda: 0.9, explorationEvery: 0 }]) {
      for (const depth of [31, 121]) expectSameLists(blend(input(wasm, settings, depth)), blend(input(js, settings, depth)));
    }
  });

  it('uses JavaScript for a list deeper than its scratch of picks, with the same result', () => {
    const n = PICK_ROWS + 200;
    const { catalogue, vectors } = randomView(n, 8, 5, 10);
    const { wasm, js, input } = inputs(catalogue, vectors, (item) => 1 - item / n);
    const settings = { mmrLambda: 0.7, mmrPool: 60, explorationEvery: 0, maxPerArtist: n, maxPerAlbum: n };
    const deep = blend(input(wasm, settings, PICK_ROWS + 50));
    expect(deep.picks.length).toBe(PICK_ROWS + 50);
    expectSameLists(deep, blend(input(js, settings, PICK_ROWS + 50)));
    // A shallower list (the kernel's) starts the same way.
    expect(Array.from(blend(input(wasm, settings, 100)).picks)).toEqual(Array.from(deep.picks.slice(0, 100)));
  });
});
