import { describe, expect, it } from 'vitest';
import { ContextPopularity } from '../../src/models/popularity/context-popularity.js';
import { CandidatePool } from '../../src/pipeline/candidates.js';
import { factorCosine, unitFactors } from '../../src/pipeline/cf-view.js';
import { featureContext } from '../../src/pipeline/features.js';
import { ItemStats, type LearnedRanker, type PipelineRequest, SOURCE_COUNT, userProfile, WeightedBlend, pipelineSettings } from '../../src/pipeline/index.js';
import { CatalogueIndex } from '../../src/pipeline/catalogue-index.js';
import { rankCandidates, sortedSlots } from '../../src/pipeline/ranking/rank.js';
import { cfViewOf, lcg, output } from './helpers.js';
import { NOW, worldEvents, worldTracks } from './world.js';

const catalogue = CatalogueIndex.ofTracks(worldTracks());
const trackArtists = (id: string) => catalogue.artistIdsOf(id);

/** A ranker scoring rows from a seeded random walk (ties included), so orders can be compared. */
function randomRanker(seed: number): LearnedRanker {
  const next = lcg(seed);
  return { name: 'random', score: (_rows, count, out) => { for (let r = 0; r < count; r++) out[r] = Math.round(next() * 20); } };
}

describe('ranking stage', () => {
  it('orders every candidate by relevance, the ranked head above the rest in first-stage order', () => {
    const history = worldEvents().filter((e) => e.userId === 'alice');
    const request: PipelineRequest = {
      kind: 'TRACK', userId: 'alice', context: { timestamp: NOW, timezone: 'UTC' }, history, depth: 10, ann: async () => [], friends: async () => [],
    };
    const models = {
      catalogue, trackArtists, popularity: new ContextPopularity(async (ids: readonly string[]) => ids.map(trackArtists)),
      itemStats: new ItemStats(async (ids) => ids.map(trackArtists)),
    };
    const profile = userProfile(history, catalogue, trackArtists);
    for (const seed of [1, 2, 3]) {
      const next = lcg(seed);
      const outputs = Array.from({ length: SOURCE_COUNT }, () => {
        const items = [...new Set(Array.from({ length: 40 }, () => Math.floor(next() * catalogue.size)))];
        return output(items, items.map(() => Math.round(next() * 10) / 10));
      });
      const pool = CandidatePool.merge(outputs, 1000);
      const blend = new WeightedBlend(pipelineSettings().blendWeights);
      const ranked = rankCandidates(pool, blend, randomRanker(seed), () => featureContext(request, models, profile, pool), 25);
      // The same order as sorting every slot by relevance (ties by slot).
      const expected = Array.from(ranked.relevance.keys()).sort((a, b) => ranked.relevance[b] - ranked.relevance[a] || a - b);
      expect(Array.from(ranked.order)).toEqual(expected);
      expect(new Set(ranked.order.subarray(0, 25))).toEqual(new Set(ranked.scored!.slots));
    }
  });

  it('compares CF items by the cosine of their factors, zero vectors included', () => {
    const small = CatalogueIndex.ofTracks(worldTracks().slice(0, 3));
    const view = cfViewOf(small, [[3, 4, 0], [0, 0, 0], [6, 8, 0.5]]);
    const cosine = (9 * 2 + 16 * 2) / (5 * Math.hypot(6, 8, 0.5));
    expect(factorCosine(view, 0, 2)).toBeCloseTo(cosine, 6);
    expect(factorCosine(view, 0, 1)).toBe(0);
    expect(Array.from(unitFactors(view).subarray(0, 3))).toEqual([0.6, 0.800000011920929, 0].map(Math.fround));
    expect(unitFactors(view)).toBe(unitFactors(view)); // made once per model
  });
});

describe('sortedSlots', () => {
  it('orders slots by descending score with ties by slot, as a comparator sort would', () => {
    const special = [0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30, -1e-30, 3.5, 3.5, 0];
    for (const seed of [1, 2, 3]) {
      const next = lcg(seed);
      const scores = Float32Array.from({ length: 500 }, (_, i) => (i < special.length ? special[i] : Math.round((next() - 0.5) * 40) / 4));
      const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
      expect(Array.from(sortedSlots(scores))).toEqual(expected);
      const subset = Int32Array.from(expected.filter((slot) => slot % 3 === 0).reverse());
      expect(Array.from(sortedSlots(scores, subset))).toEqual(expected.filter((slot) => slot % 3 === 0));
    }
  });

  it('puts NaN scores last', () => {
    expect(Array.from(sortedSlots(Float32Array.from([Number.NaN, -5, 2])))).toEqual([2, 1, 0]);
  });
});
