import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambdaMart } from '../../src/models/ranker/lambdamart.js';
import { FEATURE_COUNT, LambdaMartRanker, loadRanker, saveRanker } from '../../src/pipeline/index.js';
import { lcg } from './helpers.js';

/** Queries of 20 rows over the pipeline's features; relevant when feature 3 is high and feature 7 low. */
function data(queries: number, seed: number) {
  const random = lcg(seed);
  const rows = queries * 20;
  const features = Float32Array.from({ length: rows * FEATURE_COUNT }, () => random());
  const labels = Float32Array.from({ length: rows }, (_, r) => (features[r * FEATURE_COUNT + 3] > 0.6 && features[r * FEATURE_COUNT + 7] < 0.5 ? 1 : 0));
  const groups = Int32Array.from({ length: queries + 1 }, (_, q) => q * 20);
  return { features, numFeatures: FEATURE_COUNT, labels, groups };
}

describe('ranker files', () => {
  it('round-trips a trained LambdaMART: the loaded ranker scores exactly like the saved one', async () => {
    const model = new LambdaMart({ trees: 15, maxDepth: 3, minLeaf: 5 });
    model.fit(data(40, 1));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-ranker-')), 'ranker.json');
    await saveRanker(model, file);
    const loaded = await loadRanker(file);
    expect(loaded?.size).toBe(15);
    const test = data(5, 2);
    const before = new Float32Array(100);
    const after = new Float32Array(100);
    new LambdaMartRanker(model, 'v1').score(test.features, 100, before);
    new LambdaMartRanker(loaded!, 'v1').score(test.features, 100, after);
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(new Set(before).size).toBeGreaterThan(1);
  });

  it('refuses a ranker trained on other features, and reads a missing file as no ranker', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-ranker-'));
    const file = path.join(dir, 'ranker.json');
    const model = new LambdaMart({ trees: 2, minLeaf: 5 });
    model.fit(data(10, 3));
    await saveRanker(model, file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.featureNames[0] = 'something.else';
    fs.writeFileSync(file, JSON.stringify(json));
    await expect(loadRanker(file)).rejects.toThrow(/other features/);
    expect(await loadRanker(path.join(dir, 'none.json'))).toBeUndefined();
  });
});
