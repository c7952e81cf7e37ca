/**
 * The admin debug view of one item in one request: which sources proposed it (score, rank),
 * its feature values by name, its first-stage and ranker scores, what blending did with it,
 * and where it ended up. Read from the request's trace; features of a candidate the learned
 * ranker did not score (or of any candidate when the blend ranked) are computed on demand.
 */
import { BLEND_DECISIONS, type BlendDecision } from './blend.js';
import { computeFeatures, FEATURE_COUNT, FEATURE_NAMES } from './features.js';
import type { PipelineTrace } from './pipeline.js';
import { SOURCE_COUNT, SOURCE_NAMES, type ExclusionReason } from './types.js';

export interface SourceDebug {
  name: string;
  score: number;
  /** 1-based rank in the source's own list. */
  rank: number;
}

export interface ItemDebug {
  itemId: string;
  /** False when the catalogue snapshot does not know the item. */
  inCatalogue: boolean;
  /** Why the listener can never get it, if so. */
  excluded?: ExclusionReason;
  /** Whether any source proposed it (within the candidate caps). */
  candidate: boolean;
  sources: SourceDebug[];
  features: { name: string; value: number }[];
  firstStageScore?: number;
  rankerScore?: number;
  ranker: string;
  /** 1-based place in relevance order, before blending. */
  relevanceRank?: number;
  decision: BlendDecision | 'NOT_A_CANDIDATE';
  mmrRelevance?: number;
  mmrSimilarity?: number;
  explored: boolean;
  /** 1-based position in the whole list (not the page). */
  finalPosition?: number;
  /** One line per stage, for people. */
  notes: string[];
}

export function debugItem(trace: PipelineTrace, itemId: string): ItemDebug {
  const { catalogue } = trace.models;
  const item = catalogue.indexOf(itemId);
  const excluded = trace.profile.excludedIds.get(itemId);
  const slot = item >= 0 ? trace.pool.slotOf(item) : -1;
  const notes: string[] = [];
  const base = { itemId, inCatalogue: item >= 0, ...(excluded ? { excluded } : {}), ranker: trace.ranked.ranker };
  if (item < 0) notes.push('not in the catalogue snapshot the request used');
  if (excluded) notes.push(`excluded: the listener ${excluded.toLowerCase()} it`);
  if (slot < 0) {
    if (item >= 0 && !excluded) notes.push('no source proposed it within its candidate cap');
    return { ...base, candidate: false, sources: [], features: [], decision: 'NOT_A_CANDIDATE', explored: false, notes };
  }

  const sources: SourceDebug[] = [];
  for (let s = 0; s < SOURCE_COUNT; s++) {
    const rank = trace.pool.ranks[slot * SOURCE_COUNT + s];
    if (rank >= 0) sources.push({ name: SOURCE_NAMES[s], score: trace.pool.scores[slot * SOURCE_COUNT + s], rank: rank + 1 });
  }
  notes.push(`proposed by ${sources.map((s) => `${s.name} (#${s.rank})`).join(', ')}`);

  const row = new Float32Array(FEATURE_COUNT);
  const scored = trace.ranked.scored;
  const at = scored ? scored.slots.indexOf(slot) : -1;
  if (scored && at >= 0) row.set(scored.features.subarray(at * FEATURE_COUNT, (at + 1) * FEATURE_COUNT));
  else computeFeatures(trace.features(), [slot], row);
  const features = FEATURE_NAMES.map((name, f) => ({ name, value: row[f] }));

  const relevanceRank = trace.ranked.order.indexOf(slot) + 1;
  const learned = scored !== undefined;
  notes.push(learned
    ? at >= 0 ? `ranked by ${trace.ranked.ranker}: score ${trace.ranked.relevance[slot].toFixed(4)}` : `below the learned ranker's depth (${trace.settings.rankDepth}): kept the blend's order`
    : `ranked by the weighted blend: ${trace.ranked.firstStage[slot].toFixed(4)}`);
  notes.push(`relevance rank ${relevanceRank} of ${trace.pool.size}`);

  const blended = trace.blended;
  const decision = BLEND_DECISIONS[blended.decision[slot]];
  const position = blended.position[slot];
  const explored = position >= 0 && blended.explored[position] === 1;
  const mmrRelevance = blended.mmrRelevance[slot];
  const mmrSimilarity = blended.mmrSimilarity[slot];
  switch (decision) {
    case 'PICKED':
      notes.push(Number.isNaN(mmrRelevance)
        ? `placed at ${position + 1} after the MMR pool, in relevance order`
        : `MMR placed it at ${position + 1}: relevance ${mmrRelevance.toFixed(3)}, max similarity to earlier items ${mmrSimilarity.toFixed(3)}, λ ${trace.settings.mmrLambda}`);
      break;
    case 'EXPLORATION':
      notes.push(`exploration slot at ${position + 1}: the most relevant less-certain candidate`);
      break;
    case 'ARTIST_CAP':
      notes.push(`capped: its artist already had ${trace.settings.maxPerArtist} items higher in the list`);
      break;
    case 'ALBUM_CAP':
      notes.push(`capped: its album already had ${trace.settings.maxPerAlbum} item(s) higher in the list`);
      break;
    case 'EXCLUDED':
      notes.push('removed by the blend: already heard or rejected');
      break;
    case 'NOT_REACHED':
      notes.push(`not reached: the list was filled to ${blended.picks.length} before its turn`);
      break;
  }
  return {
    ...base, candidate: true, sources, features,
    firstStageScore: trace.ranked.firstStage[slot],
    rankerScore: trace.ranked.relevance[slot],
    relevanceRank,
    decision,
    ...(Number.isNaN(mmrRelevance) ? {} : { mmrRelevance }),
    ...(Number.isNaN(mmrSimilarity) ? {} : { mmrSimilarity }),
    explored,
    ...(position >= 0 ? { finalPosition: position + 1 } : {}),
    notes,
  };
}
