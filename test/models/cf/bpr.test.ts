import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BprRecommender } from '../../../src/models/cf/bpr.js';
import { loadFactorModel, saveFactorModel } from '../../../src/models/cf/persist.js';
import { allUsers, blockData, heldOutAboveOutGroup } from './block-data.js';

const data = blockData();
const users = allUsers(data.train);
const params = { factors: 8, epochs: 60, learningRate: 0.05, regularization: 0.01, seed: 5 } as const;

function scores(model: BprRecommender): Float32Array {
  const out = new Float32Array(data.train.users * data.train.items);
  model.scoreUsers(users, out);
  return out;
}

describe('BprRecommender', () => {
  let model: BprRecommender;
  beforeAll(async () => {
    model = new BprRecommender(params);
    await model.fit(data.train);
  });

  it('ranks each user’s held-out in-group item above all out-group items', () => {
    expect(heldOutAboveOutGroup(data, scores(model))).toBeGreaterThanOrEqual(0.95);
  });

  it('exposes the item bias as the last factor column, with users’ last column 1', () => {
    expect(model.factors).toBe(params.factors + 1);
    expect(model.userFactors.length).toBe(data.train.users * model.factors);
    for (let u = 0; u < data.train.users; u++) expect(model.userFactors[u * model.factors + params.factors]).toBe(1);
  });

  it('is deterministic for a seed', async () => {
    const again = new BprRecommender(params);
    await again.fit(data.train);
    expect(again.itemFactors).toEqual(model.itemFactors);
  });

  it('folds in a history towards the user’s own group', () => {
    const u = 30;
    const start = data.train.indptr[u];
    const end = data.train.indptr[u + 1];
    const vector = model.foldIn(data.train.indices.slice(start, end), data.train.values.slice(start, end));
    const k = model.factors;
    const seen = new Set(data.train.indices.slice(start, end));
    let inGroup = -Infinity;
    let outGroup = -Infinity;
    for (let i = 0; i < data.train.items; i++) {
      let s = 0;
      for (let f = 0; f < k; f++) s += vector[f] * model.itemFactors[i * k + f];
      if (data.groupOfItem(i) === data.groupOfUser(u)) {
        if (!seen.has(i)) inGroup = Math.max(inGroup, s);
      } else outGroup = Math.max(outGroup, s);
    }
    expect(inGroup).toBeGreaterThan(outGroup);
  });

  it('round-trips through save and load with identical scores', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mixtape-bpr-'));
    try {
      await saveFactorModel(model, dir);
      const loaded = await loadFactorModel(dir);
      expect(loaded).toBeInstanceOf(BprRecommender);
      expect(scores(loaded as BprRecommender)).toEqual(scores(model));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
