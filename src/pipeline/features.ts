/**
 * The ranker's feature vector per candidate, by name. The same code computes it online and in
 * training, so a learned ranker sees online exactly what it was trained on. Every feature is
 * cheap for a few hundred candidates: typed-array reads, a handful of Map lookups, and
 * ≤ `recentPlays` factor dot products.
 *
 * Unknown values are −1 (ages, audio) — trees split them off — and a source that did not
 * propose an item has score 0 and rank RANK_ABSENT.
 */
import { AUDIO_FEATURES, DAY_MS } from './catalogue-index.js';
import type { CandidatePool } from './candidates.js';
import { factorCosines, keyMap } from './cf-view.js';
import type { UserProfile } from './profile.js';
import type { PipelineModels } from './sources/source.js';
import { timeSegment } from './time-segments.js';
import { SOURCE_COUNT, SOURCE_NAMES, type PipelineRequest } from './types.js';

/** The rank feature of a source that did not propose the item. */
export const RANK_ABSENT = 10_000;
/** Recent plays compared with each candidate for the similarity features. */
const SIMILARITY_SEEDS = 10;

export const FEATURE_NAMES: readonly string[] = Object.freeze([
  ...SOURCE_NAMES.flatMap((s) => [`source.${s}.score`, `source.${s}.rank`]),
  'source.count',
  'user.activity',
  'user.artists',
  'user.taste_breadth',
  'user.hours_since_last_play',
  'user.segment_share',
  'item.popularity',
  'item.trend',
  'item.segment_lift',
  'item.catalogue_popularity',
  'item.age_days',
  ...AUDIO_FEATURES.map((f) => `item.audio.${f}`),
  'user_item.artist_plays',
  'user_item.similarity_recent_max',
  'user_item.similarity_recent_mean',
  'user_item.tag_affinity',
  'user_item.audio_distance',
]);
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Per-request values every candidate's features share. */
export interface FeatureContext {
  request: PipelineRequest;
  models: PipelineModels;
  profile: UserProfile;
  pool: CandidatePool;
  segment: number;
  /** Recent plays as model item numbers (for similarity), newest first. */
  seeds: Int32Array;
}

export function featureContext(request: PipelineRequest, models: PipelineModels, profile: UserProfile, pool: CandidatePool): FeatureContext {
  const seeds: number[] = [];
  if (models.cf && models.cf.kind === request.kind) {
    const { keyOf } = keyMap(models.catalogue, models.cf.items);
    for (const item of profile.recent) {
      if (seeds.length >= SIMILARITY_SEEDS) break;
      if (keyOf[item] >= 0) seeds.push(keyOf[item]);
    }
  }
  return { request, models, profile, pool, segment: timeSegment(request.context), seeds: Int32Array.from(seeds) };
}

/** Writes the features of pool slots `slots` into `out` (slots.length × FEATURE_COUNT, row-major). */
export function computeFeatures(ctx: FeatureContext, slots: ArrayLike<number>, out: Float32Array): void {
  const { pool, profile, models, request } = ctx;
  const { catalogue, cf, itemStats } = models;
  const keyOf = cf && cf.kind === request.kind ? keyMap(catalogue, cf.items).keyOf : undefined;
  const now = request.context.timestamp;
  const today = now / DAY_MS;
  const hoursSinceLast = Number.isFinite(profile.lastPlayAt) ? Math.log1p(Math.max(0, now - profile.lastPlayAt) / 3_600_000) : -1;
  const userActivity = Math.log1p(profile.positives);
  const userArtists = Math.log1p(profile.distinctArtists);
  const userSegment = profile.segmentShare[ctx.segment];
  const audioDims = AUDIO_FEATURES.length;
  const writeStats = itemStats.itemWriter(request.kind, catalogue, now, ctx.segment);
  const memo = listenerItemMemo(profile, cf && cf.kind === request.kind ? cf : undefined);
  for (let r = 0; r < slots.length; r++) {
    const slot = slots[r];
    const item = pool.items[slot];
    let f = r * FEATURE_COUNT;
    for (let s = 0; s < SOURCE_COUNT; s++) {
      const rank = pool.ranks[slot * SOURCE_COUNT + s];
      out[f++] = rank >= 0 ? pool.scores[slot * SOURCE_COUNT + s] : 0;
      out[f++] = rank >= 0 ? rank : RANK_ABSENT;
    }
    out[f++] = pool.sourceCount(slot);
    out[f++] = userActivity;
    out[f++] = userArtists;
    out[f++] = profile.tasteEntropy;
    out[f++] = hoursSinceLast;
    out[f++] = userSegment;

    writeStats(item, out, f);
    f += 3;
    const catalogPopularity = catalogue.catalogPopularity[item];
    out[f++] = Number.isNaN(catalogPopularity) ? -1 : catalogPopularity / 100;
    const released = catalogue.releaseDay[item];
    out[f++] = Number.isNaN(released) ? -1 : Math.log1p(Math.max(0, today - released));
    for (let a = 0; a < audioDims; a++) {
      const value = catalogue.audio[item * audioDims + a];
      out[f++] = Number.isNaN(value) ? -1 : value;
    }

    let at = memo.offsetOf(item);
    if (at < 0) {
      at = memo.add(item);
      listenerItemColumns(ctx, keyOf, item, memo.values, at);
    }
    for (let c = 0; c < PAIR_COLUMNS; c++) out[f++] = memo.values[at + c];
  }
}

/**
 * The user×item columns that depend only on the listener's profile and the CF model (artist
 * plays, similarity to recent plays, tag affinity, audio distance), in `out[at..at + 4]`. They are the
 * costly ones — ten 64-dimension cosines and a walk of the item's terms — and a listener's
 * requests rank mostly the same items, so they are memoised per profile (below).
 */
function listenerItemColumns(ctx: FeatureContext, keyOf: Int32Array | undefined, item: number, out: Float32Array, at: number): void {
  const { profile, models } = ctx;
  const { catalogue, cf } = models;
  let plays = 0;
  for (let k = catalogue.artistPtr[item]; k < catalogue.artistPtr[item + 1]; k++) {
    plays = Math.max(plays, profile.artistPlays.get(catalogue.artistIdx[k]) ?? 0);
  }
  out[at + 0] = Math.log1p(plays);
  let simMax = 0;
  let simSum = 0;
  const key = keyOf ? keyOf[item] : -1;
  if (cf && key >= 0 && ctx.seeds.length > 0) {
    simMax = Number.NEGATIVE_INFINITY;
    // All seeds in one call (the WebAssembly kernel where it runs), then the same max and sum.
    const similarities = factorCosines(cf, key, ctx.seeds);
    for (let s = 0; s < ctx.seeds.length; s++) {
      const similarity = similarities[s];
      simSum += similarity;
      if (similarity > simMax) simMax = similarity;
    }
  }
  out[at + 1] = simMax;
  out[at + 2] = ctx.seeds.length > 0 ? simSum / ctx.seeds.length : 0;
  let affinity = 0;
  for (let k = catalogue.termPtr[item]; k < catalogue.termPtr[item + 1]; k++) {
    affinity += profile.termWeights[catalogue.termIdx[k]] * catalogue.termWeight[k];
  }
  out[at + 3] = affinity;
  let distance = 0;
  let known = 0;
  const audioDims = AUDIO_FEATURES.length;
  for (let a = 0; a < audioDims; a++) {
    const value = catalogue.audio[item * audioDims + a];
    const mean = profile.audioMean[a];
    if (!Number.isNaN(value) && !Number.isNaN(mean)) {
      distance += (value - mean) * (value - mean);
      known++;
    }
  }
  out[at + 4] = known > 0 ? Math.sqrt(distance / known) : -1;
}

const PAIR_COLUMNS = 5;
/** Items one listener's memo holds before it starts afresh (≈ 100 KB). */
const PAIR_MEMO_ITEMS = 4096;

/**
 * One listener's user×item columns by snapshot item, for one CF model. It lives as long as the
 * profile (a WeakMap entry): a new play makes a new history, so a new profile and an empty memo.
 */
class ListenerItemMemo {
  private readonly offsets = new Map<number, number>();
  /** PAIR_COLUMNS values per memoised item, at the offset `offsetOf` gives. */
  values = new Float32Array(64 * PAIR_COLUMNS);

  constructor(readonly model: Float32Array | undefined) {}

  /** Where the item's columns start in `values`, or −1 when they are not memoised. */
  offsetOf(item: number): number {
    return this.offsets.get(item) ?? -1;
  }

  /** Makes room for the item's columns (the caller fills them) and returns their offset. */
  add(item: number): number {
    if (this.offsets.size === PAIR_MEMO_ITEMS) this.offsets.clear();
    const at = this.offsets.size * PAIR_COLUMNS;
    if (at + PAIR_COLUMNS > this.values.length) {
      const grown = new Float32Array(Math.min(PAIR_MEMO_ITEMS * PAIR_COLUMNS, 2 * this.values.length));
      grown.set(this.values);
      this.values = grown;
    }
    this.offsets.set(item, at);
    return at;
  }
}

const pairMemos = new WeakMap<UserProfile, ListenerItemMemo>();

function listenerItemMemo(profile: UserProfile, cf: PipelineModels['cf']): ListenerItemMemo {
  // Keyed by the model's factor array, which outlives the per-request CF view.
  const model = cf?.itemFactors;
  let memo = pairMemos.get(profile);
  if (!memo || memo.model !== model) pairMemos.set(profile, (memo = new ListenerItemMemo(model)));
  return memo;
}
