import { describe, expect, it } from 'vitest';
import { ContextPopularity } from '../../src/models/popularity/context-popularity.js';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { CatalogueIndex } from '../../src/pipeline/catalogue-index.js';
import { factorCosine } from '../../src/pipeline/cf-view.js';
import { computeFeatures, FEATURE_COUNT, FEATURE_NAMES, featureContext } from '../../src/pipeline/features.js';
import { ItemStats, type PipelineRequest, SOURCE_COUNT, userProfile } from '../../src/pipeline/index.js';
import { cfViewOf, lcg, output } from './helpers.js';
import { NOW, worldEvents, worldTracks } from './world.js';

const catalogue = CatalogueIndex.ofTracks(worldTracks());
const trackArtists = (id: string) => catalogue.artistIdsOf(id);
const column = (name: string) => FEATURE_NAMES.indexOf(name);

function randomVectors(seed: number, factors = 8): number[][] {
  const next = lcg(seed);
  return Array.from({ length: catalogue.size }, () => Array.from({ length: factors }, () => next() - 0.5));
}

describe('feature rows', () => {
  const history = worldEvents().filter((e) => e.userId === 'alice');
  const request: PipelineRequest = {
    kind: 'TRACK', userId: 'alice', context: { timestamp: NOW, timezone: 'UTC' }, history, depth: 10, ann: async () => [], friends: async () => [],
  };
  const base = {
    catalogue, trackArtists, popularity: new ContextPopularity(async (ids: readonly string[]) => ids.map(trackArtists)),
    itemStats: new ItemStats(async (ids) => ids.map(trackArtists)),
  };
  const profile = userProfile(history, catalogue, trackArtists);
  const next = lcg(7);
  const items = [...new Set(Array.from({ length: 30 }, () => Math.floor(next() * catalogue.size)))];
  const pool = CandidatePool.merge([output(items), ...Array.from({ length: SOURCE_COUNT - 1 }, () => undefined)], 100);
  const slots = Int32Array.from(pool.items.keys());
  const rowsFor = (cf: ReturnType<typeof cfViewOf>, of: ArrayLike<number> = slots) => {
    const rows = new Float32Array(of.length * FEATURE_COUNT);
    computeFeatures(featureContext(request, { ...base, cf }, profile, pool), of, rows);
    return rows;
  };

  it('gives the same rows on a repeat request, in any slot order, as the first time', () => {
    const cf = cfViewOf(catalogue, randomVectors(1));
    const first = rowsFor(cf);
    expect(rowsFor(cf)).toEqual(first);
    const reversed = Int32Array.from(slots).reverse();
    const again = rowsFor(cf, reversed);
    reversed.forEach((slot, r) => {
      expect(again.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT)).toEqual(first.subarray(slot * FEATURE_COUNT, (slot + 1) * FEATURE_COUNT));
    });
  });

  it('computes the similarity to recent plays from the serving model, not one seen before', () => {
    const before = cfViewOf(catalogue, randomVectors(1));
    const after = cfViewOf(catalogue, randomVectors(2));
    rowsFor(before);
    const rows = rowsFor(after);
    const seeds = featureContext(request, { ...base, cf: after }, profile, pool).seeds;
    expect(seeds.length).toBeGreaterThan(0);
    const item = pool.items[0]; // model keys equal snapshot numbers in cfViewOf
    const similarities = Array.from(seeds, (seed) => factorCosine(after, item, seed));
    expect(rows[column('user_item.similarity_recent_max')]).toBeCloseTo(Math.max(...similarities), 5);
    expect(rows[column('user_item.similarity_recent_mean')]).toBeCloseTo(similarities.reduce((a, b) => a + b) / similarities.length, 5);
  });
});
