/**
 * Item-to-item: items whose factors are closest (cosine, the 'similar' index) to each of the
 * listener's most recent plays — what to play after what they just played. One lookup per
 * recent play, all issued before any await so they reach USearch as one batched search.
 * A candidate's score is its best similarity to a seed, damped by how far back the seed is.
 *
 * Heard items are filtered after the search, not passed as the index's `exclude`: USearch
 * widens every query by the number of excluded keys, which for a listener with hundreds of
 * plays made a few small neighbour lookups cost more than the rest of the request. Each seed
 * asks for twice its share instead.
 */
import type { AnnHit } from '../../models/ann/index.js';
import { type CfModelView, keyMap } from '../cf-view.js';
import { selectTop } from '../top.js';
import { type CandidateSource, EMPTY_OUTPUT, type SourceInput, type SourceOutput } from './source.js';

/** Per step back in the listener's recent plays, a seed's neighbours count this much less. */
const SEED_DECAY = 0.95;

export class ItemToItemSource implements CandidateSource {
  readonly name = 'item-to-item' as const;

  reuseKey(): number {
    return 0;
  }

  async generate(input: SourceInput): Promise<SourceOutput> {
    const { cf, catalogue } = input.models;
    if (!cf || cf.kind !== input.request.kind || input.cap === 0) return EMPTY_OUTPUT;
    const { itemOf, keyOf } = keyMap(catalogue, cf.items);
    const seeds: number[] = [];
    for (const item of input.profile.recent) {
      if (seeds.length >= input.settings.recentPlays) break;
      const key = keyOf[item];
      if (key >= 0 && cf.itemNorms[key] > 0) seeds.push(item);
    }
    if (seeds.length === 0) return { ...EMPTY_OUTPUT, modelVersion: cf.versionId };
    const k = Math.min(cf.items.size, Math.ceil((2 * input.cap) / seeds.length));
    const lookups = lookUp(input, cf, keyOf, seeds, k);
    const excluded = input.profile.excludedItems;
    const results = await Promise.all(lookups);

    const best = new Map<number, { score: number; seed: number }>();
    results.forEach((hits, s) => {
      const damping = SEED_DECAY ** s;
      for (const hit of hits) {
        const item = itemOf[hit.key];
        if (item < 0 || excluded.has(item)) continue;
        const score = hit.score * damping;
        const before = best.get(item);
        if (!before || score > before.score) best.set(item, { score, seed: seeds[s] });
      }
    });
    const ids = Int32Array.from(best.keys());
    const top = selectTop(ids, Float32Array.from(best.values(), (b) => b.score), ids.length, input.cap);
    const seedTitles = Array.from(top.items, (item) => catalogue.titles[best.get(item)!.seed]);
    return itemToItemOutput(top.items, top.scores, cf.versionId, seedTitles);
  }
}

/** The output, made outside `generate` so that its kept `reason` holds only the seeds' titles. */
function itemToItemOutput(items: Int32Array, scores: Float32Array, modelVersion: string, seedTitles: readonly string[]): SourceOutput {
  return { items, scores, modelVersion, reason: (position) => `Because you played ${seedTitles[position]}` };
}

/**
 * The seeds' neighbour lookups, issued at once. A function of its own so that the output's
 * `reason` (which the pipeline may keep between requests) does not keep the request alive.
 */
function lookUp(input: SourceInput, cf: CfModelView, keyOf: Int32Array, seeds: readonly number[], k: number): Promise<AnnHit[]>[] {
  return seeds.map((item) => {
    const key = keyOf[item];
    const vector = cf.itemFactors.subarray(key * cf.factors, (key + 1) * cf.factors);
    return input.request.ann({ kind: input.request.kind, index: 'similar', vector, k });
  });
}
