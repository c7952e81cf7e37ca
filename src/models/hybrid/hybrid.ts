/**
 * The hybrid recommender: several train-fitted sources propose candidates (candidates.ts), a
 * LambdaMART ranker orders them. It is a *stacked* model:
 *
 * 1. `fitStacked({ train, validation })`: fit the sources on `train`; generate candidates for
 *    the users with validation items (training items excluded); label a candidate 1 when it is
 *    one of the user's validation items; split those users in two halves (seeded), train the
 *    ranker on one half for each tree depth in `depths` with early stopping on the other half
 *    (NDCG@10 counting every validation item, also those outside the candidates), keep the best
 *    depth and tree count, and retrain on all of them with those settings.
 * 2. `fit(train)`: (re)fit the sources on the final training matrix (skipped when it is the
 *    matrix `fitStacked` used).
 * 3. `scoreUsers`: candidates from the sources (training and validation items excluded), the
 *    ranker's score for them, −∞ for every other item.
 *
 * Without `fitStacked` (e.g. inside a plain validation grid search) the candidates are ordered by
 * reciprocal-rank fusion of the sources instead.
 */
import { ImplicitALS } from '../cf/als.js';
import { ItemKnnRecommender, type ItemKnnWeighting } from '../cf/item-knn.js';
import type { InteractionMatrix } from '../cf/matrix.js';
import { PopularityRecommender } from '../cf/popularity.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';
import { LambdaMart, type RankingData, meanNdcg } from '../ranker/lambdamart.js';
import { type CandidateBlock, type Context, type Source, generateCandidates } from './candidates.js';
import type { SideData } from './side-data.js';
import { SocialRecommender } from './social.js';
import { TagProfiles, TagRecommender } from './tags.js';
import { Rp3BetaRecommender } from './rp3beta.js';
import { UserKnnRecommender } from './user-knn.js';

/** Training and validation matrices: all a stacked model may see (never test). */
export interface StackingData {
  readonly train: InteractionMatrix;
  readonly validation: InteractionMatrix;
}

export interface StackedRecommender extends Recommender {
  /** Fits whatever needs held-out labels (a ranker) from validation; sources from train. */
  fitStacked(data: StackingData, onProgress?: TrainProgress): Promise<void>;
}

export function isStacked(model: Recommender): model is StackedRecommender {
  return typeof (model as Partial<StackedRecommender>).fitStacked === 'function';
}

export interface HybridParams {
  /** Candidates proposed per source and user. */
  candidates: number;
  /** Sources, comma-separated among als, item-knn, user-knn, rp3beta, social, tags, popularity. */
  sources: string;
  alsFactors: number;
  alsAlpha: number;
  alsLambda: number;
  alsIterations: number;
  knnK: number;
  knnWeighting: string;
  knnShrink: number;
  userKnnK: number;
  rp3Beta: number;
  socialFloor: number;
  tagOwnWeight: number;
  /** Maximum trees (early stopping on the inner half picks the number). */
  trees: number;
  learningRate: number;
  /** Tree depths tried on the inner split, comma-separated. */
  depths: string;
  minLeaf: number;
  patience: number;
  /** Share of the validation users the ranker trains on during the inner selection. */
  innerShare: number;
  /** Retrain the chosen ranker on all validation users (else keep the one trained on the inner half). */
  refit: boolean;
  seed: number;
  threads: number | string;
}

export const HYBRID_DEFAULTS: Readonly<HybridParams> = Object.freeze({
  candidates: 50,
  sources: 'als,item-knn,user-knn,rp3beta,social,tags,popularity',
  alsFactors: 64,
  alsAlpha: 16,
  alsLambda: 50,
  alsIterations: 15,
  knnK: 200,
  knnWeighting: 'tfidf',
  knnShrink: 5,
  userKnnK: 80,
  rp3Beta: 0.5,
  socialFloor: 0.05,
  tagOwnWeight: 0.5,
  trees: 300,
  learningRate: 0.1,
  depths: '3,5',
  minLeaf: 50,
  patience: 30,
  innerShare: 0.5,
  refit: true,
  seed: 1,
  threads: 'auto',
});

const tagProfileCache = new WeakMap<object, TagProfiles>();

/** Tag profiles for `side`, built once per side-data object. */
export function tagProfilesOf(side: SideData, users: number, items: number): TagProfiles | undefined {
  if (!side.tags) return undefined;
  let p = tagProfileCache.get(side.tags);
  if (!p || p.items !== items) {
    p = new TagProfiles(side.tags, users, items);
    tagProfileCache.set(side.tags, p);
  }
  return p;
}

/** Seeded hash in [0, 1) of (seed, user), for the inner split. */
function userHash(seed: number, u: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(u + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export interface StackReport {
  trainUsers: number;
  heldOutUsers: number;
  rows: number;
  positivesInCandidates: number;
  validationItems: number;
  perDepth: { depth: number; trees: number; ndcg: number }[];
  /** NDCG@10 of each source alone on the held-out half of the validation users. */
  sourceNdcg: Record<string, number>;
  chosen: { depth: number; trees: number };
  /** Source fits and candidate generation. */
  candidateSeconds: number;
  seconds: number;
}

export class HybridRecommender implements StackedRecommender {
  readonly name = 'hybrid';
  readonly params: HybridParams;
  private sources: Source[] = [];
  private train: InteractionMatrix | undefined;
  private validation: InteractionMatrix | undefined;
  private ranker: LambdaMart | undefined;
  private context: Context | undefined;
  /** Filled by fitStacked. */
  report: StackReport | undefined;

  constructor(
    params: Partial<HybridParams> = {},
    private readonly side: SideData = {},
  ) {
    this.params = { ...HYBRID_DEFAULTS, ...params };
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train === this.train) return;
    const p = this.params;
    const names = p.sources.split(',').map((s) => s.trim()).filter(Boolean);
    const sources: Source[] = [];
    const tagProfiles = tagProfilesOf(this.side, train.users, train.items);
    let social: SocialRecommender | undefined;
    for (const name of names) {
      switch (name) {
        case 'als':
          sources.push({
            name,
            model: new ImplicitALS({
              factors: p.alsFactors,
              alpha: p.alsAlpha,
              lambda: p.alsLambda,
              iterations: p.alsIterations,
              confidence: 'log',
              epsilon: 1,
              regScaling: 'none',
              unobservedWeight: 1,
              seed: p.seed,
              threads: p.threads as never,
            }),
          });
          break;
        case 'item-knn':
          sources.push({ name, model: new ItemKnnRecommender({ k: p.knnK, weighting: p.knnWeighting as ItemKnnWeighting, shrink: p.knnShrink }) });
          break;
        case 'rp3beta':
          sources.push({ name, model: new Rp3BetaRecommender({ beta: p.rp3Beta }), minScore: 0 });
          break;
        case 'user-knn':
          sources.push({ name, model: new UserKnnRecommender({ k: p.userKnnK }), minScore: 0 });
          break;
        case 'social':
          // A dataset without a friend graph (Spotify histories) simply has no social source.
          if (!this.side.friends) break;
          social = new SocialRecommender(this.side.friends, { floor: p.socialFloor });
          sources.push({ name, model: social, minScore: 0 });
          break;
        case 'tags':
          if (!tagProfiles) break;
          sources.push({ name, model: new TagRecommender(tagProfiles, { ownWeight: p.tagOwnWeight }), minScore: 0 });
          break;
        case 'popularity':
          sources.push({ name, model: new PopularityRecommender(), minScore: 0 });
          break;
        default:
          throw new RangeError(`hybrid: unknown source "${name}" (als, item-knn, user-knn, rp3beta, social, tags, popularity)`);
      }
    }
    if (sources.length === 0) throw new RangeError('hybrid: no sources');
    for (let s = 0; s < sources.length; s++) {
      await sources[s].model.fit(train);
      onProgress?.(s + 1, sources.length, sources[s].name);
    }
    const popularity = new Float32Array(train.items);
    for (let k = 0; k < train.indices.length; k++) popularity[train.indices[k]]++;
    const friends = this.side.friends;
    this.context = {
      activity: (u) => train.indptr[u + 1] - train.indptr[u],
      friends: (u) => (friends ? friends.indptr[u + 1] - friends.indptr[u] : 0),
      popularity: (i) => popularity[i],
      otherTags: (u, i) => (tagProfiles ? tagProfiles.othersCount(u, i) : 0),
    };
    this.sources = sources;
    this.train = train;
  }

  async fitStacked(data: StackingData, onProgress?: TrainProgress): Promise<void> {
    const extra = Object.keys(data).filter((k) => k !== 'train' && k !== 'validation');
    if (extra.length > 0) throw new TypeError(`hybrid: stacking data must hold only train and validation, got also: ${extra.join(', ')}`);
    const started = performance.now();
    const { train, validation } = data;
    await this.fit(train, onProgress);
    this.validation = validation;
    const p = this.params;
    const users: number[] = [];
    for (let u = 0; u < validation.users; u++) if (validation.indptr[u + 1] > validation.indptr[u]) users.push(u);
    const block = this.candidates(Int32Array.from(users), [train]);
    const candidateSeconds = (performance.now() - started) / 1000;
    const inner = users.map((u) => userHash(p.seed, u) < p.innerShare);
    const a = rankingData(block, validation, (b) => inner[b], true);
    const b = rankingData(block, validation, (k) => !inner[k], false);
    const all = rankingData(block, validation, () => true, true);
    const perDepth: StackReport['perDepth'] = [];
    const depths = p.depths.split(',').map(Number);
    let innerBest: LambdaMart | undefined;
    for (const depth of depths) {
      const ranker = new LambdaMart({ trees: p.trees, learningRate: p.learningRate, maxDepth: depth, minLeaf: p.minLeaf, patience: p.patience });
      const fitted = ranker.fit(a, b);
      if (perDepth.every((d) => fitted.best > d.ndcg)) innerBest = ranker;
      perDepth.push({ depth, trees: fitted.trees, ndcg: fitted.best });
    }
    let chosen = perDepth[0];
    for (const d of perDepth) if (d.ndcg > chosen.ndcg) chosen = d;
    if (p.refit || !innerBest) {
      const ranker = new LambdaMart({ trees: Math.max(1, chosen.trees), learningRate: p.learningRate, maxDepth: chosen.depth, minLeaf: p.minLeaf });
      ranker.fit(all);
      this.ranker = ranker;
    } else {
      this.ranker = innerBest;
    }
    let positives = 0;
    for (let k = 0; k < all.labels.length; k++) positives += all.labels[k];
    // Each source alone on the held-out half (its score column orders the candidates; its own
    // top N are all candidates, so its top 10 is its full-catalogue top 10).
    const sourceNdcg: Record<string, number> = {};
    this.sources.forEach((source, s) => {
      const column = Float32Array.from({ length: b.labels.length }, (_, r) => b.features[r * b.numFeatures + s]);
      sourceNdcg[source.name] = meanNdcg(column, b, 10);
    });
    this.report = {
      trainUsers: a.groups.length - 1,
      heldOutUsers: b.groups.length - 1,
      rows: block.items.length,
      positivesInCandidates: positives,
      validationItems: validation.indices.length,
      perDepth,
      sourceNdcg,
      chosen: { depth: chosen.depth, trees: chosen.trees },
      candidateSeconds,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Candidates and features for `users`, never proposing the items of `masks`. */
  candidates(users: Int32Array, masks: readonly InteractionMatrix[]): CandidateBlock {
    if (!this.train || !this.context) throw new Error('hybrid: fit first');
    return generateCandidates(this.sources, this.context, users, this.train.items, masks, this.params.candidates);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    if (!this.train) throw new Error('hybrid: fit first');
    const n = this.train.items;
    out.fill(-Infinity, 0, users.length * n);
    const masks = this.validation ? [this.train, this.validation] : [this.train];
    const block = this.candidates(users, masks);
    const scores = new Float32Array(block.items.length);
    if (this.ranker) {
      this.ranker.predict(block.features, scores);
    } else {
      // Reciprocal-rank fusion of the sources' ranks (features S .. 2S-1).
      const S = this.sources.length;
      for (let r = 0; r < scores.length; r++) {
        let s = 0;
        for (let t = 0; t < S; t++) s += 1 / (60 + block.features[r * block.numFeatures + S + t]);
        scores[r] = s;
      }
    }
    for (let b = 0; b < users.length; b++) {
      for (let r = block.offsets[b]; r < block.offsets[b + 1]; r++) out[b * n + block.items[r]] = scores[r];
    }
  }
}

/** The candidate rows of the users `keep(b)` selects, labelled by `labels`; optionally only users with a labelled candidate. */
function rankingData(block: CandidateBlock, labels: InteractionMatrix, keep: (b: number) => boolean, onlyWithPositives: boolean): RankingData {
  const f = block.numFeatures;
  const rows: number[] = [];
  const lab: number[] = [];
  const groups: number[] = [0];
  const ideal: number[] = [];
  for (let b = 0; b < block.users.length; b++) {
    if (!keep(b)) continue;
    const u = block.users[b];
    const start = labels.indptr[u];
    const end = labels.indptr[u + 1];
    const set = new Set<number>();
    for (let k = start; k < end; k++) set.add(labels.indices[k]);
    const from = rows.length;
    let positives = 0;
    for (let r = block.offsets[b]; r < block.offsets[b + 1]; r++) {
      rows.push(r);
      const y = set.has(block.items[r]) ? 1 : 0;
      positives += y;
      lab.push(y);
    }
    if (onlyWithPositives && positives === 0) {
      rows.length = from;
      lab.length = from;
      continue;
    }
    groups.push(rows.length);
    let dcg = 0;
    for (let r = 0; r < Math.min(10, set.size); r++) dcg += 1 / Math.log2(r + 2);
    ideal.push(dcg);
  }
  const features = new Float32Array(rows.length * f);
  for (let k = 0; k < rows.length; k++) features.set(block.features.subarray(rows[k] * f, rows[k] * f + f), k * f);
  return { features, numFeatures: f, labels: Float32Array.from(lab), groups: Int32Array.from(groups), idealDcg: Float64Array.from(ideal) };
}
