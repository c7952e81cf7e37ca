/**
 * Blending: turns candidates in relevance order into the list. Position by position:
 *
 * - never an excluded item (played, skipped, disliked: sources exclude them already; this is
 *   the guarantee) and never an item twice (the pool holds each item once);
 * - at most `maxPerArtist` items per artist and `maxPerAlbum` per album;
 * - every `explorationEvery`-th position is an exploration slot: the most relevant "uncertain"
 *   candidate (see `uncertainSlots`), marked so the sources list says `explore` — the slot a
 *   bandit will fill later;
 * - other positions by MMR among the `mmrPool` most relevant candidates:
 *   λ·relevance − (1 − λ)·(max cosine of CF item factors to the items already picked), with
 *   relevance min-max normalised over that pool; when the pool is used up, the remaining
 *   candidates follow in relevance order.
 *
 * Each step depends only on the steps before it, so the list for a deeper page starts with the
 * list for a shallower one: pages of one list agree (the service relies on this).
 */
import type { CatalogueIndex } from './catalogue-index.js';
import type { CandidatePool } from './candidates.js';
import { dot } from '../models/cf/factor-utils.js';
import { type CfModelView, similarityKernel, unitFactors } from './cf-view.js';
import { PICK_ROWS } from './wasm/similarity-wasm.js';
import type { RankedCandidates } from './ranking/rank.js';
import type { PipelineSettings } from './settings.js';
import { SOURCE_NAMES } from './types.js';

const CF_BASED = [SOURCE_NAMES.indexOf('cf'), SOURCE_NAMES.indexOf('item-to-item')];
const POPULAR = SOURCE_NAMES.indexOf('popular-in-context');

export const BLEND_DECISIONS = ['NOT_REACHED', 'PICKED', 'EXPLORATION', 'EXCLUDED', 'ARTIST_CAP', 'ALBUM_CAP'] as const;
export type BlendDecision = (typeof BLEND_DECISIONS)[number];
// 0 (NOT_REACHED) is the zero-filled default.
const PICKED = 1;
const EXPLORATION = 2;
const EXCLUDED = 3;
const ARTIST_CAP = 4;
const ALBUM_CAP = 5;

export interface BlendInput {
  pool: CandidatePool;
  ranked: RankedCandidates;
  catalogue: CatalogueIndex;
  excluded: ReadonlySet<number>;
  /** CF factors for similarity, and the snapshot → model item map. */
  cf?: { view: CfModelView; keyOf: Int32Array };
  /** Whether the candidate in a slot may fill an exploration slot (asked lazily: few are). */
  uncertain: (slot: number) => boolean;
  /** Positions to fill. */
  depth: number;
  settings: Pick<PipelineSettings, 'mmrLambda' | 'mmrPool' | 'explorationEvery' | 'maxPerArtist' | 'maxPerAlbum'>;
}

export interface BlendResult {
  /** Slots in list order. */
  picks: Int32Array;
  /** Per position: 1 for an exploration slot's item. */
  explored: Uint8Array;
  /** Per slot: an index into BLEND_DECISIONS. */
  decision: Uint8Array;
  /** Per slot: 0-based list position, −1 when not in the list. */
  position: Int32Array;
  /** Per slot: normalised relevance inside the MMR pool (NaN outside it). */
  mmrRelevance: Float32Array;
  /** Per slot: its max similarity to the items picked before it, when MMR picked it (NaN otherwise). */
  mmrSimilarity: Float32Array;
}

export function blend(input: BlendInput): BlendResult {
  const { pool, ranked, catalogue, settings, cf } = input;
  const n = pool.size;
  const order = ranked.order;
  const decision = new Uint8Array(n);
  const position = new Int32Array(n).fill(-1);
  const mmrRelevance = new Float32Array(n).fill(Number.NaN);
  const mmrSimilarity = new Float32Array(n).fill(Number.NaN);
  const maxSimilarity = new Float32Array(n);
  const alive = new Uint8Array(n);
  for (let slot = 0; slot < n; slot++) {
    if (input.excluded.has(pool.items[slot])) decision[slot] = EXCLUDED;
    else alive[slot] = 1;
  }

  const poolSize = Math.min(settings.mmrPool, n);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < poolSize; i++) {
    const r = ranked.relevance[order[i]];
    if (r < low) low = r;
    if (r > high) high = r;
  }
  const span = high - low;
  for (let i = 0; i < poolSize; i++) mmrRelevance[order[i]] = span > 0 ? (ranked.relevance[order[i]] - low) / span : 1;

  const perArtist = new Map<number, number>();
  const perAlbum = new Map<number, number>();
  /** True when the slot fits under the caps; marks it capped (for good: counts only grow) otherwise. */
  const admissible = (slot: number): boolean => {
    const item = pool.items[slot];
    for (let k = catalogue.artistPtr[item]; k < catalogue.artistPtr[item + 1]; k++) {
      if ((perArtist.get(catalogue.artistIdx[k]) ?? 0) >= settings.maxPerArtist) {
        decision[slot] = ARTIST_CAP;
        alive[slot] = 0;
        return false;
      }
    }
    const album = catalogue.album[item];
    if (album >= 0 && (perAlbum.get(album) ?? 0) >= settings.maxPerAlbum) {
      decision[slot] = ALBUM_CAP;
      alive[slot] = 0;
      return false;
    }
    return true;
  };

  // Lazy greedy MMR. The pool is in relevance order and similarity only lowers a candidate's
  // value, so a step can stop at the first candidate whose relevance term alone cannot beat
  // the best value found; and a candidate's max similarity is brought up to date (against the
  // items picked since it was last looked at) only when its value with the similarity known so
  // far could still win. The list is the one plain MMR would make, for a fraction of the dot
  // products.
  const k = cf ? cf.view.factors : 0;
  const diversify = cf !== undefined && settings.mmrLambda < 1;
  const units = diversify ? unitFactors(cf.view) : new Float32Array(0);
  // With the WebAssembly kernel, the picks' model item numbers live in its scratch, so that a
  // refresh is one call over all the picks it has not seen; blend() is synchronous, so no
  // other blend uses that scratch while it runs. A list deeper than the scratch uses JavaScript.
  const kernel = diversify && input.depth <= PICK_ROWS ? similarityKernel(units) : undefined;
  /** Model item numbers of the picks that have a CF vector, in pick order. */
  const pickedKeys = kernel ? kernel.picks : new Int32Array(diversify ? input.depth : 0);
  let vectors = 0;
  const upToDate = new Int32Array(poolSize);
  const keyOfSlot = (slot: number): number => {
    const key = cf ? cf.keyOf[pool.items[slot]] : -1;
    return key >= 0 && cf!.view.itemNorms[key] > 0 ? key : -1;
  };
  const refresh = (i: number, slot: number) => {
    if (upToDate[i] === vectors) return;
    const key = keyOfSlot(slot);
    if (key >= 0) {
      if (kernel) {
        maxSimilarity[slot] = kernel.maxDot(key, upToDate[i], vectors, maxSimilarity[slot]);
      } else {
        let max = maxSimilarity[slot];
        for (let v = upToDate[i]; v < vectors; v++) {
          const similarity = dot(units, key * k, units, pickedKeys[v] * k, k);
          if (similarity > max) max = similarity;
        }
        maxSimilarity[slot] = max;
      }
    }
    upToDate[i] = vectors;
  };

  const picks: number[] = [];
  const explored: number[] = [];
  const lambda = settings.mmrLambda;
  let tail = poolSize;
  let exploreFrom = 0;
  for (let p = 0; p < input.depth; p++) {
    let chosen = -1;
    let exploring = false;
    let viaMmr = false;
    if (settings.explorationEvery > 0 && (p + 1) % settings.explorationEvery === 0) {
      // Whether a candidate is uncertain never changes and a passed-over candidate never
      // comes back to life, so each exploration slot resumes where the last one stopped.
      for (; exploreFrom < n && chosen < 0; exploreFrom++) {
        const slot = order[exploreFrom];
        if (alive[slot] && input.uncertain(slot) && admissible(slot)) chosen = slot;
      }
      exploring = chosen >= 0;
    }
    if (chosen < 0) {
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < poolSize; i++) {
        const slot = order[i];
        if (!alive[slot]) continue;
        if (lambda * mmrRelevance[slot] <= best) break;
        if (diversify) {
          // Its similarity so far only grows with the newer picks: if even that cannot beat
          // the best value found, neither can the up-to-date one, and the dot products wait.
          if (lambda * mmrRelevance[slot] - (1 - lambda) * maxSimilarity[slot] <= best) continue;
          refresh(i, slot);
        }
        const value = lambda * mmrRelevance[slot] - (1 - lambda) * maxSimilarity[slot];
        // Caps only ever close, so checking them only for a would-be winner is enough.
        if (value > best && admissible(slot)) {
          best = value;
          chosen = slot;
        }
      }
      viaMmr = chosen >= 0;
    }
    while (chosen < 0 && tail < n) {
      const slot = order[tail++];
      if (alive[slot] && admissible(slot)) chosen = slot;
    }
    if (chosen < 0) break;

    alive[chosen] = 0;
    decision[chosen] = exploring ? EXPLORATION : PICKED;
    position[chosen] = picks.length;
    if (viaMmr) mmrSimilarity[chosen] = maxSimilarity[chosen];
    picks.push(chosen);
    explored.push(exploring ? 1 : 0);
    const item = pool.items[chosen];
    for (let a = catalogue.artistPtr[item]; a < catalogue.artistPtr[item + 1]; a++) {
      const artist = catalogue.artistIdx[a];
      perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
    }
    if (catalogue.album[item] >= 0) perAlbum.set(catalogue.album[item], (perAlbum.get(catalogue.album[item]) ?? 0) + 1);
    if (diversify) {
      const key = keyOfSlot(chosen);
      if (key >= 0) pickedKeys[vectors++] = key;
    }
  }
  return { picks: Int32Array.from(picks), explored: Uint8Array.from(explored), decision, position, mmrRelevance, mmrSimilarity };
}

/**
 * Candidates a ranker is least sure of: proposed by none of the sources that know the
 * listener's taste or the crowd's (CF, item-to-item, context popularity) — only by social,
 * tags or fresh releases — or among the least popular quarter of the most relevant
 * candidates (`popularity(slot)`, read only for the candidates asked about and those
 * `order[0 .. reference)` that set the quarter).
 */
export function uncertainty(pool: CandidatePool, order: Int32Array, popularity: (slot: number) => number, reference = 200): (slot: number) => boolean {
  // A plain loop: TypedArray.from with a mapping function calls back from the engine's builtin
  // for every element and cost twice as much on the request path.
  const sample = new Float32Array(Math.min(reference, order.length));
  for (let i = 0; i < sample.length; i++) sample[i] = popularity(order[i]);
  sample.sort();
  const quartile = sample.length >= 4 ? sample[Math.floor((sample.length - 1) / 4)] : Number.NEGATIVE_INFINITY;
  const top = sample.length > 0 ? sample[sample.length - 1] : 0;
  return (slot) => {
    let known = pool.proposed(slot, POPULAR);
    for (const s of CF_BASED) known ||= pool.proposed(slot, s);
    if (!known) return true;
    const own = popularity(slot);
    return own <= quartile && own < top;
  };
}
