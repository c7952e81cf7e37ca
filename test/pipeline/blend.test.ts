import { describe, expect, it } from 'vitest';
import { blend, type BlendInput, uncertainty } from '../../src/pipeline/blend.js';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { keyMap } from '../../src/pipeline/cf-view.js';
import type { RankedCandidates } from '../../src/pipeline/ranking/rank.js';
import { pipelineSettings, SOURCE_NAMES } from '../../src/pipeline/index.js';
import { catalogueOf, cfViewOf, lcg, output } from './helpers.js';

const CLUSTERS = 4;
const PER_CLUSTER = 10;

/**
 * 40 tracks in four taste clusters (factor vectors near one axis each, plus noise). Relevance
 * falls cluster by cluster: the ten most relevant are all cluster 0.
 */
function clustered() {
  const n = CLUSTERS * PER_CLUSTER;
  const catalogue = catalogueOf(Array.from({ length: n }, (_, i) => ({ id: `t${String(i).padStart(2, '0')}` })));
  const random = lcg(3);
  const vectors = Array.from({ length: n }, (_, i) => Array.from({ length: 8 }, (_, f) => (f === Math.floor(i / PER_CLUSTER) ? 1 : 0) + 0.15 * (random() - 0.5)));
  const cf = cfViewOf(catalogue, vectors);
  const items = Array.from({ length: n }, (_, i) => i);
  const pool = CandidatePool.merge([output(items, items.map((i) => 1 - i * 0.01))], 1000);
  const relevance = Float32Array.from(pool.items, (item) => 1 - item * 0.01);
  const order = Int32Array.from(relevance.keys()).sort((a, b) => relevance[b] - relevance[a] || a - b);
  const ranked: RankedCandidates = { firstStage: relevance, relevance, order, ranker: 'test' };
  const cosine = (a: number, b: number) => {
    let dot = 0;
    for (let f = 0; f < 8; f++) dot += vectors[a][f] * vectors[b][f];
    return dot / (cf.itemNorms[a] * cf.itemNorms[b]);
  };
  const input = (overrides: Partial<BlendInput['settings']> = {}, depth = 10): BlendInput => ({
    pool, ranked, catalogue, excluded: new Set(), cf: { view: cf, keyOf: keyMap(catalogue, cf.items).keyOf }, uncertain: () => false, depth,
    settings: { ...pipelineSettings({ explorationEvery: 0 }), ...overrides },
  });
  return { pool, input, cosine };
}

function pairwise(items: number[], cosine: (a: number, b: number) => number): { max: number; mean: number } {
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++) {
      const s = cosine(items[a], items[b]);
      max = Math.max(max, s);
      sum += s;
      pairs++;
    }
  }
  return { max, mean: sum / pairs };
}

describe('blend', () => {
  it('MMR lowers the similarity between listed items compared with ranking by relevance alone', () => {
    const { pool, input, cosine } = clustered();
    const pure = Array.from(blend(input({ mmrLambda: 1 })).picks, (slot) => pool.items[slot]);
    const mmr = Array.from(blend(input({ mmrLambda: 0.5 })).picks, (slot) => pool.items[slot]);
    // Relevance alone lists cluster 0's ten items.
    expect(pure).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // MMR spreads the first four over the four clusters, starting with the most relevant item.
    expect(mmr[0]).toBe(0);
    expect(new Set(mmr.slice(0, 4).map((i) => Math.floor(i / PER_CLUSTER))).size).toBe(4);
    expect(pairwise(mmr.slice(0, 4), cosine).max).toBeLessThan(0.3);
    expect(pairwise(pure.slice(0, 4), cosine).max).toBeGreaterThan(0.9);
    expect(pairwise(mmr, cosine).mean).toBeLessThan(pairwise(pure, cosine).mean - 0.4);
  });

  it('puts an uncertain candidate in every n-th position and marks it explored', () => {
    const { pool, input } = clustered();
    // Items 30–39 are the uncertain ones (say, proposed only by the tag source).
    const result = blend({ ...input({ mmrLambda: 1, explorationEvery: 4 }, 12), uncertain: (slot) => pool.items[slot] >= 30 });
    const listed = Array.from(result.picks, (slot) => pool.items[slot]);
    expect([...result.explored].flatMap((e, p) => (e ? [p + 1] : []))).toEqual([4, 8, 12]);
    expect([listed[3], listed[7], listed[11]]).toEqual([30, 31, 32]);
    expect(listed.filter((_, p) => (p + 1) % 4 !== 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('caps artists and albums, skips excluded items, and a deeper list starts with the shallower one', () => {
    const catalogue = catalogueOf(Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, artist: `a${i % 3}`, album: `album ${i % 6}` })));
    const items = Array.from({ length: 12 }, (_, i) => i);
    const pool = CandidatePool.merge([output(items)], 100);
    const relevance = Float32Array.from(pool.items, (item) => 1 - item * 0.01);
    const order = Int32Array.from(relevance.keys()).sort((a, b) => relevance[b] - relevance[a]);
    const base: BlendInput = {
      pool, catalogue, ranked: { firstStage: relevance, relevance, order, ranker: 'test' }, excluded: new Set([1]), uncertain: () => false, depth: 12,
      settings: pipelineSettings({ explorationEvery: 0, maxPerArtist: 2, maxPerAlbum: 1 }),
    };
    const result = blend(base);
    const listed = Array.from(result.picks, (slot) => pool.items[slot]);
    // t1 excluded; a0 = t0, t3 (t6, t9 capped); a1 = t4, t7; a2 = t2, t5. Album i % 6: t6 repeats t0's album.
    expect(listed).toEqual([0, 2, 3, 4, 5, 7]);
    expect(result.decision[pool.slotOf(1)]).toBe(3); // EXCLUDED
    expect([4, 5]).toContain(result.decision[pool.slotOf(6)]); // ARTIST_CAP or ALBUM_CAP
    const shallow = blend({ ...base, depth: 3 });
    expect(Array.from(shallow.picks)).toEqual(Array.from(result.picks).slice(0, 3));
  });

  it('calls candidates proposed only by social, tags or fresh releases uncertain', () => {
    const social = SOURCE_NAMES.indexOf('social');
    const cf = SOURCE_NAMES.indexOf('cf');
    const outputs = Array.from({ length: SOURCE_NAMES.length }, () => undefined as ReturnType<typeof output> | undefined);
    outputs[cf] = output([0, 1]);
    outputs[social] = output([1, 2]);
    const pool = CandidatePool.merge(outputs, 10);
    const order = Int32Array.from(pool.items.keys());
    const sameFame = uncertainty(pool, order, () => 1);
    expect(Object.fromEntries(Array.from(pool.items, (item, slot) => [item, sameFame(slot)]))).toEqual({ 0: false, 1: false, 2: true });
    // With popularity known, the least popular of the known candidates is uncertain too.
    const bigPool = CandidatePool.merge(named8(), 10);
    const fame = uncertainty(bigPool, Int32Array.from(bigPool.items.keys()), (slot) => bigPool.items[slot]);
    expect(Array.from(bigPool.items).filter((_, slot) => fame(slot))).toEqual([0, 1]);
  });
});

/** Eight CF candidates 0–7 (popularity = the item number in the test above). */
function named8() {
  return SOURCE_NAMES.map((name) => (name === 'cf' ? output([0, 1, 2, 3, 4, 5, 6, 7]) : undefined));
}
