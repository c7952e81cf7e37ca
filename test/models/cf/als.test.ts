import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactRowLimit } from '../../../src/models/cf/als-kernel.js';
import { ImplicitALS } from '../../../src/models/cf/als.js';
import { topK } from '../../../src/models/cf/factor-utils.js';
import { loadFactorModel, saveFactorModel } from '../../../src/models/cf/persist.js';
import { allUsers, blockData, heldOutAboveOutGroup } from './block-data.js';

const data = blockData();
const users = allUsers(data.train);
const params = { factors: 8, iterations: 10, lambda: 10, alpha: 2, seed: 7, threads: 1 } as const;

function scores(model: ImplicitALS): Float32Array {
  const out = new Float32Array(data.train.users * data.train.items);
  model.scoreUsers(users, out);
  return out;
}

describe('ImplicitALS', () => {
  let model: ImplicitALS;
  beforeAll(async () => {
    model = new ImplicitALS({ ...params, computeLoss: true });
    await model.fit(data.train);
  });

  it('ranks each user’s held-out in-group item above all out-group items', () => {
    expect(heldOutAboveOutGroup(data, scores(model))).toBe(1);
  });

  it('decreases the training loss', () => {
    const losses = model.lossHistory;
    expect(losses).toHaveLength(params.iterations);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    // ALS never increases the loss by more than CG's approximation error.
    for (let t = 1; t < losses.length; t++) expect(losses[t]).toBeLessThanOrEqual(losses[t - 1] * 1.001);
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const again = new ImplicitALS({ ...params, computeLoss: true });
    await again.fit(data.train);
    expect(again.userFactors).toEqual(model.userFactors);
    expect(again.itemFactors).toEqual(model.itemFactors);
    const other = new ImplicitALS({ ...params, seed: 8 });
    await other.fit(data.train);
    expect(other.itemFactors).not.toEqual(model.itemFactors);
  });

  it('gives identical factors with 1 and 2 worker threads', async () => {
    const parallel = new ImplicitALS({ ...params, threads: 2, computeLoss: true });
    await parallel.fit(data.train);
    expect(parallel.threadsUsed).toBe(2);
    expect(parallel.userFactors).toEqual(model.userFactors);
    expect(parallel.itemFactors).toEqual(model.itemFactors);
    expect(parallel.lossHistory).toEqual(model.lossHistory);
  });

  it('solves the same problem with the CG-only path (no exact short rows, no preconditioner)', async () => {
    const cg = new ImplicitALS({ ...params, exactShortRows: false, precondition: false, cgSteps: 6, computeLoss: true });
    await cg.fit(data.train);
    expect(heldOutAboveOutGroup(data, scores(cg))).toBe(1);
    const last = (m: ImplicitALS): number => m.lossHistory[m.lossHistory.length - 1];
    expect(Math.abs(last(cg) - last(model)) / last(model)).toBeLessThan(0.02);
  });

  it('supports log/binary confidence, frequency-scaled regularisation and α₀', async () => {
    for (const variant of [
      { confidence: 'log', epsilon: 2 },
      { confidence: 'binary', alpha: 3 },
      { regScaling: 'frequency', lambda: 0.3, unobservedWeight: 0.5 },
    ] as const) {
      const m = new ImplicitALS({ ...params, ...variant });
      await m.fit(data.train);
      expect(heldOutAboveOutGroup(data, scores(m))).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('folds in a user’s history to a vector with the same top items as the trained vector', () => {
    const k = model.factors;
    const n = 10;
    for (const u of [0, 25, 59]) {
      const start = data.train.indptr[u];
      const end = data.train.indptr[u + 1];
      const started = performance.now();
      const vector = model.foldIn(data.train.indices.slice(start, end), data.train.values.slice(start, end));
      expect(performance.now() - started).toBeLessThan(50);
      const rank = (x: Float32Array): number[] => {
        const s = new Float32Array(data.train.items);
        for (let i = 0; i < data.train.items; i++) {
          let d = 0;
          for (let f = 0; f < k; f++) d += x[f] * model.itemFactors[i * k + f];
          s[i] = d;
        }
        return Array.from(topK(s, n).items);
      };
      const trained = rank(model.userFactors.subarray(u * k, (u + 1) * k));
      const folded = rank(vector);
      const overlap = folded.filter((i) => trained.includes(i)).length;
      expect(overlap).toBeGreaterThanOrEqual(n - 1);
      expect(folded.every((i) => data.groupOfItem(i) === data.groupOfUser(u))).toBe(true);
    }
  });

  it('folds in at k = 64 and ~50 items well under 10 ms', async () => {
    const big = new ImplicitALS({ factors: 64, iterations: 1, threads: 1 });
    await big.fit(blockData(4, 30, 100, 0.6).train);
    const items = Int32Array.from({ length: 50 }, (_, n) => n * 7);
    const values = Float32Array.from({ length: 50 }, (_, n) => 1 + n);
    big.foldIn(items, values);
    const started = performance.now();
    for (let rep = 0; rep < 20; rep++) big.foldIn(items, values);
    expect((performance.now() - started) / 20).toBeLessThan(10);
  });

  it('returns in-group items as the most similar by factor cosine', () => {
    const similar = model.similarItems(3, 5);
    expect(similar.items).toHaveLength(5);
    expect(similar.items).not.toContain(3);
    for (const i of similar.items) expect(data.groupOfItem(i)).toBe(data.groupOfItem(3));
    for (let r = 1; r < similar.scores.length; r++) expect(similar.scores[r]).toBeLessThanOrEqual(similar.scores[r - 1]);
  });

  describe('save and load', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mixtape-als-'));
    });
    afterAll(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('round-trips to identical scores and fold-ins', async () => {
      await saveFactorModel(model, dir);
      const meta = JSON.parse(await fs.readFile(path.join(dir, 'meta.json'), 'utf8')) as { model: string; factors: number; users: number; items: number };
      expect(meta).toMatchObject({ model: 'als', factors: 8, users: data.train.users, items: data.train.items });
      expect((await fs.stat(path.join(dir, 'user_factors.bin'))).size).toBe(data.train.users * 8 * 4);
      const loaded = await loadFactorModel(dir);
      expect(loaded).toBeInstanceOf(ImplicitALS);
      expect(scores(loaded as ImplicitALS)).toEqual(scores(model));
      const items = Int32Array.of(1, 2, 3);
      const values = Float32Array.of(5, 1, 2);
      const a = model.foldIn(items, values);
      const b = loaded.foldIn(items, values);
      for (let f = 0; f < a.length; f++) expect(b[f]).toBeCloseTo(a[f], 5);
    });
  });

  it('solves short rows exactly below the cost crossover', () => {
    expect(exactRowLimit(64, 3)).toBe(17);
    expect(exactRowLimit(8, 3)).toBeGreaterThan(0);
  });

  it('rejects invalid parameters', () => {
    expect(() => new ImplicitALS({ factors: 0 })).toThrow(RangeError);
    expect(() => new ImplicitALS({ confidence: 'cubic' as never })).toThrow(RangeError);
    expect(() => new ImplicitALS({ unobservedWeight: 0 })).toThrow(RangeError);
  });
});
