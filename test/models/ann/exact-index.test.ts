import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExactAnnIndex } from '../../../src/models/ann/exact-index.js';
import { createAnnIndex, loadAnnIndex } from '../../../src/models/ann/index.js';
import { describeAnnContract, gaussianMatrix, referenceTopK, row } from './ann.contract.js';

describeAnnContract({
  name: 'exact',
  create: (options) => createAnnIndex('exact', options),
  metrics: ['ip', 'cos', 'l2sq'],
  exact: true,
});

describe('ExactAnnIndex', () => {
  it('equals brute force over sparse keys, across item and query blocks', () => {
    const d = 7; // not a multiple of the unrolled 4
    const n = 1300; // more than two item blocks
    const items = gaussianMatrix(n, d, 30);
    const index = new ExactAnnIndex({ dimensions: d, metric: 'ip' });
    // Keys with holes: even rows only.
    const keys = Uint32Array.from({ length: n / 2 }, (_, i) => 2 * i);
    const even = new Float32Array((n / 2) * d);
    for (let i = 0; i < n / 2; i++) even.set(row(items, 2 * i, d), i * d);
    index.add(keys, even);
    const queries = gaussianMatrix(21, d, 31); // not a multiple of the query block
    const results = index.search(queries, 21, 12);
    const odd = new Set(Array.from({ length: n / 2 }, (_, i) => 2 * i + 1));
    for (let q = 0; q < 21; q++) {
      const reference = referenceTopK('ip', items, d, row(queries, q, d), 12, odd);
      expect(results[q].map((h) => h.key)).toEqual(reference.map((h) => h.key));
    }
  });

  it('breaks score ties by ascending key', () => {
    const index = new ExactAnnIndex({ dimensions: 2, metric: 'ip' });
    index.add([9, 4, 6, 1], new Float32Array([1, 0, 1, 0, 1, 0, 0, 1]));
    expect(index.search(new Float32Array([1, 0]), 1, 2)[0].map((h) => h.key)).toEqual([4, 6]);
  });

  it('saves raw little-endian keys and vectors plus a meta file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-ann-exact-'));
    try {
      const index = new ExactAnnIndex({ dimensions: 3, metric: 'cos' });
      index.add([2, 0], new Float32Array([1, 2, 3, 4, 5, 6]));
      const file = path.join(dir, 'items.ann');
      await index.save(file);
      expect((await stat(file)).size).toBe(2 * 4 + 2 * 3 * 4);
      const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as Record<string, unknown>;
      expect(meta).toMatchObject({ format: 'mixtape-ann', kind: 'exact', dimensions: 3, metric: 'cos', size: 2, keySpan: 3 });
      const loaded = (await loadAnnIndex(file)) as ExactAnnIndex;
      expect(Array.from(loaded.vector(2) ?? [])).toEqual([1, 2, 3]);
      expect(Array.from(loaded.vector(0) ?? [])).toEqual([4, 5, 6]);
      expect(loaded.vector(1)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
