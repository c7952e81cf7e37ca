/**
 * The WebAssembly SIMD kernel of ALS (src/models/cf/wasm/als.ts) against the JavaScript kernel
 * (als-kernel.ts), which stays the reference: same problem, float32 instead of float64
 * arithmetic, so close but not identical factors; bit-identical across thread counts.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AlsWasmArena, alsWasmModule } from '../../../src/models/cf/als-wasm.js';
import { type AlsParams, ImplicitALS } from '../../../src/models/cf/als.js';
import { buildMatrix, type InteractionMatrix, type Triple } from '../../../src/models/cf/matrix.js';
import { SeededRandom } from '../../../src/models/cf/rng.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Power-law item popularity and geometric user activity, so that both sides have rows short
 * enough for the exact solve and rows longer than a sparse-pass batch (64 non-zeros).
 */
function skewedMatrix(users: number, items: number, perUser: number, seed = 5): InteractionMatrix {
  const random = new SeededRandom(seed);
  const weights = Float64Array.from({ length: items }, (_, i) => 1 / Math.pow(i + 3, 0.9));
  const cumulative = new Float64Array(items);
  let total = 0;
  for (let i = 0; i < items; i++) cumulative[i] = total += weights[i];
  const triples: Triple[] = [];
  for (let u = 0; u < users; u++) {
    const want = Math.min(items, 1 + Math.round(-Math.log(1 - random.float()) * (perUser - 1)));
    const row = new Set<number>();
    while (row.size < want) {
      const x = random.float() * total;
      let i = 0;
      while (cumulative[i] < x) i++;
      row.add(i);
    }
    for (const item of row) triples.push({ user: u, item, value: 1 + random.int(30) });
  }
  return buildMatrix(users, items, triples);
}

async function fit(train: InteractionMatrix, params: Partial<AlsParams>): Promise<ImplicitALS> {
  const model = new ImplicitALS({ iterations: 4, seed: 11, computeLoss: true, ...params });
  await model.fit(train);
  return model;
}

/** max |a − b| / max |a|. */
function relativeGap(a: Float32Array, b: Float32Array): number {
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    gap = Math.max(gap, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return gap / scale;
}

describe('ALS WebAssembly kernel', () => {
  it('runs here (Node has WebAssembly SIMD and shared memory)', () => {
    expect(alsWasmModule()).not.toBeNull();
  });

  it('is built from its source: the committed als.wasm matches a fresh compile', () => {
    const output = execFileSync(process.execPath, [path.join(root, 'src/models/cf/wasm/build.mjs'), '--check', 'als'], { cwd: root, encoding: 'utf8' });
    expect(output).toContain('als.wasm matches its source');
  }, 60_000);

  const big = skewedMatrix(900, 400, 14);
  const configurations: { name: string; train: InteractionMatrix; params: Partial<AlsParams> }[] = [
    // k = 64: the 32-float register blocks; users are the eigenbasis side (more rows).
    { name: 'k = 64, users in the eigenbasis', train: big, params: { factors: 64 } },
    // More items than users: items are the eigenbasis side, users the dense side.
    { name: 'k = 64, items in the eigenbasis', train: skewedMatrix(300, 700, 30), params: { factors: 64 } },
    // k = 12: only the 4-float tails of every loop.
    { name: 'k = 12, linear confidence, no λ scaling', train: big, params: { factors: 12, confidence: 'linear', alpha: 2, regScaling: 'none', lambda: 5 } },
    // The CG-only path: no exact short rows, no preconditioner.
    { name: 'k = 32, CG only', train: big, params: { factors: 32, exactShortRows: false, precondition: false, cgSteps: 5 } },
  ];

  for (const { name, train, params } of configurations) {
    it(`matches the JavaScript kernel (${name})`, async () => {
      const js = await fit(train, { ...params, kernel: 'js', threads: 1 });
      const wasm = await fit(train, { ...params, kernel: 'wasm', threads: 1 });
      expect(js.kernelUsed).toBe('js');
      expect(wasm.kernelUsed).toBe('wasm');
      for (let t = 0; t < js.lossHistory.length; t++) expect(Math.abs(wasm.lossHistory[t] - js.lossHistory[t]) / js.lossHistory[t]).toBeLessThan(1e-5);
      expect(relativeGap(js.itemFactors, wasm.itemFactors)).toBeLessThan(2e-3);
      expect(relativeGap(js.userFactors, wasm.userFactors)).toBeLessThan(2e-3);
    });
  }

  it('gives bit-identical factors with 1 and 2 threads at k = 64', async () => {
    const one = await fit(big, { factors: 64, kernel: 'wasm', threads: 1 });
    const two = await fit(big, { factors: 64, kernel: 'wasm', threads: 2 });
    expect(two.threadsUsed).toBe(2);
    expect(two.userFactors).toEqual(one.userFactors);
    expect(two.itemFactors).toEqual(one.itemFactors);
    expect(two.lossHistory).toEqual(one.lossHistory);
  });

  it('accumulates Gram blocks longer than its float32 flush interval (256 rows) like the JavaScript kernel', async () => {
    // 256 blocks at most per side: 80,000 users make blocks of over 300 rows.
    const random = new SeededRandom(2);
    const triples: Triple[] = [];
    for (let u = 0; u < 80_000; u++) for (const item of new Set([random.int(40), random.int(40)])) triples.push({ user: u, item, value: 1 + random.int(5) });
    const train = buildMatrix(80_000, 40, triples);
    const js = await fit(train, { factors: 8, iterations: 2, kernel: 'js', threads: 1 });
    const wasm = await fit(train, { factors: 8, iterations: 2, kernel: 'wasm', threads: 1 });
    for (let t = 0; t < js.lossHistory.length; t++) expect(Math.abs(wasm.lossHistory[t] - js.lossHistory[t]) / js.lossHistory[t]).toBeLessThan(1e-5);
    expect(relativeGap(js.itemFactors, wasm.itemFactors)).toBeLessThan(2e-3);
  });

  it("falls back to the JavaScript kernel for k % 4 ≠ 0 under 'auto', and refuses under 'wasm'", async () => {
    const train = skewedMatrix(60, 30, 5);
    const auto = await fit(train, { factors: 6, threads: 1 });
    expect(auto.kernelUsed).toBe('js');
    await expect(fit(train, { factors: 6, kernel: 'wasm', threads: 1 })).rejects.toThrow(/cannot run here/);
    expect(() => new ImplicitALS({ kernel: 'gpu' as never })).toThrow(RangeError);
  });

  it('declines a fit that needs more than the 4 GiB wasm32 can address (als.ts then uses the JavaScript kernel)', () => {
    // 20M users × 64 float32 factors alone are 5.1 GB; nothing is allocated for the answer.
    expect(AlsWasmArena.create({ users: 20_000_000, items: 1000, nnz: 100_000_000, k: 64, maxUserRow: 50, maxItemRow: 1_000_000, maxBlocks: 256, slots: 3, exactLimit: 17 })).toBeNull();
    expect(AlsWasmArena.create({ users: 1000, items: 100, nnz: 10_000, k: 64, maxUserRow: 50, maxItemRow: 500, maxBlocks: 256, slots: 3, exactLimit: 17 })).not.toBeNull();
  });

  it('reports progress after every iteration with live factors, and owns plain copies after the fit', async () => {
    const model = new ImplicitALS({ factors: 16, iterations: 3, kernel: 'wasm', threads: 1 });
    const seen: number[] = [];
    await model.fit(big, (iteration, total) => {
      seen.push(iteration);
      expect(total).toBe(3);
      expect(model.userFactors.some((v) => v !== 0)).toBe(true);
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(model.userFactors.buffer).toBeInstanceOf(ArrayBuffer);
    expect(model.itemFactors.buffer).toBeInstanceOf(ArrayBuffer);
    expect(model.userFactors.length).toBe(big.users * 16);
  });
});
