/**
 * The hybrid recommender: several train-fitted sources propose candidates (candidates.ts), a
 * LambdaMART ranker orders them. It is a *stacked* model:
 *
 * 1. `fitStacked({ train, validation }, onProgress, windows)`: fit the sources on `train`;
 *    generate candidates for the users with validation items (training items excluded); label a
 *    candidate 1 when it is one of the user's validation items. `windows` (optional, from the
 *    protocol: earlier temporal windows, or folds of the training matrix) add more labelled
 *    lists the same way, each with the sources fitted on its own training matrix (a fold's plus
 *    the validation items, `windowsWithValidation`). By default
 *    (`crossFit` 3) the validation users fall in three seeded folds, one ranker per fold trains
 *    on the windows and the other folds, one tree count is chosen on the fold-averaged held-out
 *    curve (NDCG@10 counting every validation item, also those outside the candidates), and the
 *    rankers' mean score orders the candidates. With `crossFit` 0: one ranker on the windows and
 *    a seeded half, early stopping on the other half, refit on the windows and all validation users.
 * 2. `fit(train)`: (re)fit the sources on the final training matrix (skipped when it is the
 *    matrix `fitStacked` used).
 * 3. `scoreUsers`: candidates from the sources (training and validation items excluded, and on
 *    listening data the items the user skipped), the ranker's score for them, −∞ for every
 *    other item.
 *
 * Without `fitStacked` (e.g. inside a plain validation grid search) the candidates are ordered by
 * reciprocal-rank fusion of the sources instead.
 */
import { ImplicitALS } from '../cf/als.js';
import { ItemKnnRecommender, type ItemKnnWeighting } from '../cf/item-knn.js';
import type { InteractionMatrix } from '../cf/matrix.js';
import { PopularityRecommender } from '../cf/popularity.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';
import { type RowScorer, crossFitLambdaMart } from '../ranker/cross-fit.js';
import { LambdaMart, type LambdaMartParams, RANK_OBJECTIVES, type RankObjective, type RankingData, concatRanking, ndcgPerQuery } from '../ranker/lambdamart.js';
import { AveragedRecommender } from './averaged.js';
import { type CandidateBlock, type Context, type ExtraFeatures, type Source, featureNames, generateCandidates } from './candidates.js';
import { extraFeatures } from './features.js';
import { RecentAlsSource, RecentKnnSource } from './recent.js';
import type { ListeningHistory, SideData } from './side-data.js';
import { SocialRecommender } from './social.js';
import { TagKnnRecommender } from './tag-knn.js';
import { ITEM_PRECISION_NAMES, ItemPrecision, type WindowItemCounts, rankingWithItemColumns, windowItemCounts, withItemColumns } from './item-precision.js';
import { type WindowHits, rankingWithUserColumns, reliabilityTable, windowHits, withUserColumns } from './reliability.js';
import { TagProfiles, TagRecommender } from './tags.js';
import { Rp3BetaRecommender } from './rp3beta.js';
import { EaseRecommender } from './ease.js';
import { UserKnnRecommender } from './user-knn.js';
import { type PairedComparison, pairedComparison, rankingData, sourceNdcgOf, sum, unionOf, usersWithItems } from './labelled-lists.js';
import { HYBRID_ALS, HYBRID_DEFAULTS, HYBRID_SOURCES, type HybridParams, SOURCE_FEATURE_FAMILIES } from './params.js';
import type { StackedRecommender, StackingData } from './stacked.js';

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

function alsOf(model: Recommender | undefined): ImplicitALS | undefined {
  if (model instanceof ImplicitALS) return model;
  if (model instanceof AveragedRecommender && model.models[0] instanceof ImplicitALS) return model.models[0];
  return undefined;
}

/** Seeded hash in [0, 1) of (seed, a, b), for the inner split and the negative samples. */
function hash01(seed: number, a: number, b = 0): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(a + 1, 0xc2b2ae35) ^ Math.imul(b + 1, 0x27d4eb2f)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Sources fitted on one training matrix, with what candidate generation needs around them. */
interface SourceSet {
  readonly train: InteractionMatrix;
  readonly sources: Source[];
  readonly context: Context;
  readonly extra: ExtraFeatures | undefined;
  /** Besides the training items, never proposed (skips on listening data). */
  readonly masks: InteractionMatrix[];
}

export interface StackReport {
  trainUsers: number;
  heldOutUsers: number;
  rows: number;
  positivesInCandidates: number;
  validationItems: number;
  /** Per extra window: lists (users with a labelled candidate), held-out items, positives among the candidates, rows, and the known items its sources trained on. */
  windows: { lists: number; items: number; positivesInCandidates: number; rows: number; trainItems: number }[];
  perDepth: { depth: number; trees: number; ndcg: number }[];
  /** Held-out half: the chosen ranker against the reciprocal-rank fusion, paired over users. */
  versusFusion: PairedComparison;
  /** 'ranker' or 'rrf'. */
  combiner: string;
  /** NDCG@10 of each source alone on the held-out half of the validation users. */
  sourceNdcg: Record<string, number>;
  chosen: { depth: number; trees: number };
  /** With cross-fitting: the folds and the fold-averaged held-out curve (NDCG@10 per tree count). */
  crossFit?: { folds: number; curve: number[] };
  features: string[];
  /** Source fits and candidate generation. */
  candidateSeconds: number;
  seconds: number;
}

/** What `fitStacked` learns from (see `HybridRecommender.stackingLists`). */
export interface StackingLists {
  /** One labelled set of lists per extra window (users with a labelled candidate; negatives subsampled). */
  readonly windows: RankingData[];
  readonly windowReport: StackReport['windows'];
  /** Candidates of the users with validation items, from the train-fitted sources. */
  readonly block: CandidateBlock;
  readonly validation: InteractionMatrix;
  readonly candidateSeconds: number;
}

export class HybridRecommender implements StackedRecommender {
  readonly name = 'hybrid';
  readonly params: HybridParams;
  private set: SourceSet | undefined;
  private validation: InteractionMatrix | undefined;
  /** The training matrix `fitStacked` fitted the sources on (the validation lists' pool). */
  private stackedTrain: InteractionMatrix | undefined;
  private ranker: RowScorer | undefined;
  /** users × sources: each source's reliability for each user over all windows (userReliability). */
  private reliability: Float32Array | undefined;
  /** Each artist's candidate precision over all windows (itemPrecisionPrior). */
  private itemPrecision: ItemPrecision | undefined;
  /** Filled by fitStacked. */
  report: StackReport | undefined;

  constructor(
    params: Partial<HybridParams> = {},
    private readonly side: SideData = {},
  ) {
    this.params = { ...HYBRID_DEFAULTS, ...params };
    for (const name of this.sourceNames()) {
      if (!(HYBRID_SOURCES as readonly string[]).includes(name)) throw new RangeError(`hybrid: unknown source "${name}" (${HYBRID_SOURCES.join(', ')})`);
    }
    for (const family of this.sourceFamilies()) {
      if (!(SOURCE_FEATURE_FAMILIES as readonly string[]).includes(family)) throw new RangeError(`hybrid: unknown source feature family "${family}" (${SOURCE_FEATURE_FAMILIES.join(', ')})`);
    }
    if (!(RANK_OBJECTIVES as readonly string[]).includes(this.params.rankerObjective)) throw new RangeError(`hybrid: unknown ranker objective "${this.params.rankerObjective}" (${RANK_OBJECTIVES.join(', ')})`);
  }

  get stackingWindows(): number {
    return Math.max(0, Math.floor(this.params.windows));
  }

  get stackingRounds(): number {
    return Math.max(1, Math.floor(this.params.windowRounds));
  }

  private sourceNames(): string[] {
    return listOf(this.params.sources);
  }

  /** Fits every source on `train` (seeds offset by `seedOffset`, so that windows get their own draws). */
  private async buildSources(train: InteractionMatrix, seedOffset: number, onProgress?: TrainProgress): Promise<SourceSet> {
    const p = this.params;
    const seed = p.seed + seedOffset;
    const tagProfiles = tagProfilesOf(this.side, train.users, train.items);
    const listening: ListeningHistory | undefined = this.side.listening?.(train);
    const sources: Source[] = [];
    const late: (() => void)[] = [];
    for (const name of this.sourceNames()) {
      switch (name) {
        case 'als': {
          const fits = Array.from(
            { length: Math.max(1, p.alsFits) },
            (_, k) =>
              new ImplicitALS({
                factors: p.alsFactors,
                alpha: p.alsAlpha,
                lambda: p.alsLambda,
                iterations: p.alsIterations,
                ...HYBRID_ALS,
                seed: seed + k,
                threads: p.threads as never,
              }),
          );
          sources.push({ name, model: fits.length === 1 ? fits[0] : new AveragedRecommender(name, fits) });
          break;
        }
        case 'item-knn':
          sources.push({ name, model: new ItemKnnRecommender({ k: p.knnK, weighting: p.knnWeighting as ItemKnnWeighting, shrink: p.knnShrink }) });
          break;
        case 'rp3beta':
          sources.push({ name, model: new Rp3BetaRecommender({ beta: p.rp3Beta }), minScore: 0 });
          break;
        case 'ease':
          sources.push({ name, model: new EaseRecommender({ lambda: p.easeLambda }) });
          break;
        case 'user-knn':
          sources.push({ name, model: new UserKnnRecommender({ k: p.userKnnK }), minScore: 0 });
          break;
        case 'social':
          // A dataset without a friend graph (Spotify histories) simply has no social source.
          if (this.side.friends) sources.push({ name, model: new SocialRecommender(this.side.friends, { floor: p.socialFloor }), minScore: 0 });
          break;
        case 'tags':
          if (tagProfiles) sources.push({ name, model: new TagRecommender(tagProfiles, { ownWeight: p.tagOwnWeight }), minScore: 0 });
          break;
        case 'tag-knn':
          if (tagProfiles) sources.push({ name, model: new TagKnnRecommender(tagProfiles, { k: p.tagKnnK }), minScore: 0 });
          break;
        case 'popularity':
          sources.push({ name, model: new PopularityRecommender(), minScore: 0 });
          break;
        case 'recent-knn':
        case 'recent-als':
          // Built once the model they reuse is fitted; without a listening history, left out.
          if (listening) late.push(() => this.addRecent(name, sources, listening.recent));
          break;
      }
    }
    if (sources.length === 0) throw new RangeError('hybrid: no sources');
    for (let s = 0; s < sources.length; s++) {
      await sources[s].model.fit(train);
      onProgress?.(s + 1, sources.length, sources[s].name);
    }
    for (const add of late) add();
    for (const s of sources.filter((x) => x.name.startsWith('recent-'))) await s.model.fit(train);
    const popularity = new Float32Array(train.items);
    for (let k = 0; k < train.indices.length; k++) popularity[train.indices[k]]++;
    const friends = this.side.friends;
    const context: Context = {
      activity: (u) => train.indptr[u + 1] - train.indptr[u],
      friends: (u) => (friends ? friends.indptr[u + 1] - friends.indptr[u] : 0),
      popularity: (i) => popularity[i],
      otherTags: (u, i) => (tagProfiles ? tagProfiles.othersCount(u, i) : 0),
    };
    const extra = extraFeatures(
      listOf(p.features),
      { train, knn: sources.find((s) => s.name === 'item-knn')?.model as ItemKnnRecommender | undefined, als: alsOf(sources.find((s) => s.name === 'als')?.model), friends, tags: this.side.tags },
    );
    const masks = p.maskSkips && listening ? [listening.skips] : [];
    return { train, sources, context, extra, masks };
  }

  private addRecent(name: string, sources: Source[], recent: InteractionMatrix): void {
    if (name === 'recent-knn') {
      const knn = sources.find((s) => s.name === 'item-knn')?.model;
      if (knn instanceof ItemKnnRecommender) sources.push({ name, model: new RecentKnnSource(knn, recent), minScore: 0 });
    } else {
      const als = alsOf(sources.find((s) => s.name === 'als')?.model);
      if (als) sources.push({ name, model: new RecentAlsSource(als, recent) });
    }
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train === this.set?.train) return;
    this.set = await this.buildSources(train, 0, onProgress);
  }

  /** The stack report without the feature list (for the lab's JSON). */
  stackReport(): unknown {
    if (!this.report) return undefined;
    const { features: _features, ...rest } = this.report;
    return rest;
  }

  private sourceFamilies(): string[] {
    return listOf(this.params.sourceFeatures);
  }

  /** The LambdaMART settings every ranker of this model shares. */
  private rankerParams(): Partial<LambdaMartParams> {
    const p = this.params;
    return { learningRate: p.learningRate, minLeaf: p.minLeaf, l2: p.rankerL2, subsample: p.rankerSubsample, objective: p.rankerObjective as RankObjective, featureFraction: p.featureFraction, exclude: this.excludedColumns(), seed: p.seed + p.rankerSeedOffset };
  }

  /**
   * Columns of the source feature families left out of `sourceFeatures` (the ranker never
   * splits on them): candidates.ts lays the families out first, one block of a column per
   * source each, in SOURCE_FEATURE_FAMILIES' order.
   */
  private excludedColumns(): number[] {
    const kept = new Set(this.sourceFamilies());
    const S = this.set?.sources.length ?? 0;
    return SOURCE_FEATURE_FAMILIES.flatMap((family, f) => (kept.has(family) ? [] : Array.from({ length: S }, (_, s) => f * S + s)));
  }

  /** Names of the ranker's features, in column order (after fit). */
  featureNames(): string[] {
    if (!this.set) throw new Error('hybrid: fit first');
    const names = featureNames(this.set.sources, this.set.extra);
    return [
      ...names,
      ...(this.reliability ? this.set.sources.map((x) => `reliability:${x.name}`) : []),
      ...(this.itemPrecision ? ITEM_PRECISION_NAMES : []),
    ];
  }

  /**
   * The labelled lists `fitStacked` learns from: the windows' lists (each window with its own
   * sources) and the candidates of the users with validation items (sources fitted on `train`,
   * which become this model's sources).
   */
  async stackingLists(data: StackingData, onProgress?: TrainProgress, windows: readonly StackingData[] = []): Promise<StackingLists> {
    const extra = Object.keys(data).filter((k) => k !== 'train' && k !== 'validation');
    if (extra.length > 0) throw new TypeError(`hybrid: stacking data must hold only train and validation, got also: ${extra.join(', ')}`);
    for (const w of windows) {
      const more = Object.keys(w).filter((k) => k !== 'train' && k !== 'validation');
      if (more.length > 0) throw new TypeError(`hybrid: a stacking window must hold only train and validation, got also: ${more.join(', ')}`);
    }
    const started = performance.now();
    const { train, validation } = data;
    const p = this.params;
    // Earlier windows first: each with its own sources, released once its lists are made.
    const windowData: RankingData[] = [];
    const windowReport: StackReport['windows'] = [];
    const reliable = p.userReliability && windows.length >= 2;
    const hits: WindowHits[] = [];
    const listUsers: number[][] = [];
    const precise = p.itemPrecisionPrior > 0 && windows.length >= 2;
    const itemCounts: WindowItemCounts[] = [];
    const rowItems: number[][] = [];
    for (let w = 0; w < windows.length; w++) {
      const withValidation = p.windowsWithValidation && !this.side.listening?.(windows[w].train);
      const windowTrain = withValidation ? unionOf(windows[w].train, validation) : windows[w].train;
      const set = await this.buildSources(windowTrain, 1000 * (w + 1));
      const labels = windows[w].validation;
      const users = usersWithItems(labels);
      const block = this.candidatesOf(set, users, [windowTrain]);
      const keep = p.windowNegatives < 1 ? (b: number, r: number) => hash01(p.seed + w, block.users[b], block.items[r]) < p.windowNegatives : undefined;
      const windowListUsers: number[] = [];
      const windowRowItems: number[] = [];
      const d = rankingData(block, labels, () => true, true, keep, windowListUsers, precise ? windowRowItems : undefined);
      if (precise) {
        // The counts must not know any validation item (item-precision.ts): when this window's
        // sources train on them, the counts come from sources on the window's own matrix.
        const counted = withValidation ? this.candidatesOf(await this.buildSources(windows[w].train, 1000 * (w + 1) + 500), users, [windows[w].train]) : block;
        itemCounts.push(windowItemCounts(counted, labels, windowTrain.users, windowTrain.items));
        rowItems.push(windowRowItems);
      }
      if (reliable) hits.push(windowHits(block, labels, set.sources.length, windowTrain.users));
      listUsers.push(windowListUsers);
      windowData.push(d);
      windowReport.push({ lists: d.groups.length - 1, items: labels.indices.length, positivesInCandidates: sum(d.labels), rows: d.labels.length, trainItems: windowTrain.indices.length });
      onProgress?.(w + 1, windows.length, `window ${w + 1}`);
    }
    await this.fit(train, onProgress);
    this.validation = validation;
    this.stackedTrain = train;
    const set = this.set as SourceSet;
    const S = set.sources.length;
    this.reliability = reliable ? reliabilityTable(hits, S, train.users) : undefined;
    this.itemPrecision = precise ? new ItemPrecision(itemCounts, train.items, p.itemPrecisionPrior) : undefined;
    const windowLists = windowData.map((d, w) => {
      const withUsers = reliable ? rankingWithUserColumns(d, listUsers[w], reliabilityTable(hits, S, train.users, w), S) : d;
      return precise ? rankingWithItemColumns(withUsers, listUsers[w], rowItems[w], new ItemPrecision(itemCounts, train.items, p.itemPrecisionPrior, w)) : withUsers;
    });
    const users = usersWithItems(validation);
    const block = this.withLearnedColumns(this.candidatesOf(set, users, [train]));
    return { windows: windowLists, windowReport, block, validation, candidateSeconds: (performance.now() - started) / 1000 };
  }

  async fitStacked(data: StackingData, onProgress?: TrainProgress, windows: readonly StackingData[] = []): Promise<void> {
    const lists = await this.stackingLists(data, onProgress, windows);
    this.fitRanker(lists);
  }

  /** Chooses and fits the combiner (ranker or fusion) from the lists of `stackingLists`. */
  fitRanker(lists: StackingLists): void {
    const started = performance.now();
    const p = this.params;
    const set = this.set as SourceSet;
    const { block, validation, windows: windowData } = lists;
    if (p.crossFit >= 2) {
      this.fitCrossFitted(lists, started);
      return;
    }
    const users = block.users;
    const inner = Array.from(users, (u) => hash01(p.seed, u) < p.innerShare);
    const a = concatRanking([...windowData, rankingData(block, validation, (b) => inner[b], true)]);
    const b = rankingData(block, validation, (k) => !inner[k], false);
    const validationAll = rankingData(block, validation, () => true, true);
    const all = concatRanking([...windowData, validationAll]);
    const perDepth: StackReport['perDepth'] = [];
    const depths = p.depths.split(',').map(Number);
    let innerBest: LambdaMart | undefined;
    for (const depth of depths) {
      const ranker = new LambdaMart({ ...this.rankerParams(), trees: p.trees, maxDepth: depth, patience: p.patience, smoothing: p.smoothing });
      const fitted = ranker.fit(a, b);
      if (perDepth.every((d) => fitted.best > d.ndcg)) innerBest = ranker;
      perDepth.push({ depth, trees: fitted.trees, ndcg: fitted.best });
    }
    let chosen = perDepth[0];
    for (const d of perDepth) if (d.ndcg > chosen.ndcg) chosen = d;
    // The chosen ranker against the fixed fusion on the held-out half, paired over users.
    const rankerScores = new Float64Array(b.labels.length);
    innerBest?.predict(b.features, rankerScores);
    const versusFusion = pairedComparison(ndcgPerQuery(rankerScores, b, 10), ndcgPerQuery(this.fusionScores(set, b.features, b.numFeatures), b, 10));
    const combiner = this.chooseCombiner(versusFusion);
    if (combiner === 'rrf') {
      this.ranker = undefined;
    } else if (p.refit || !innerBest) {
      const ranker = new LambdaMart({ ...this.rankerParams(), trees: Math.max(1, chosen.trees), maxDepth: chosen.depth });
      ranker.fit(all);
      this.ranker = ranker;
    } else {
      this.ranker = innerBest;
    }
    // Each source alone on the held-out half.
    const sourceNdcg = sourceNdcgOf(set.sources, b);
    this.report = this.reportOf(lists, started, {
      trainUsers: a.groups.length - 1,
      heldOutUsers: b.groups.length - 1,
      positivesInCandidates: sum(validationAll.labels),
      perDepth,
      versusFusion,
      combiner,
      sourceNdcg,
      chosen: { depth: chosen.depth, trees: chosen.trees },
    });
  }

  /** 'ranker' or 'rrf': the configured combiner, or with 'auto' the ranker only when it beats the fusion by autoMargin standard errors. */
  private chooseCombiner(versusFusion: StackReport['versusFusion']): 'ranker' | 'rrf' {
    const p = this.params;
    const combiner = p.combiner === 'auto' ? (versusFusion.meanDifference > p.autoMargin * versusFusion.standardError ? 'ranker' : 'rrf') : p.combiner;
    if (combiner !== 'ranker' && combiner !== 'rrf') throw new RangeError(`hybrid: combiner must be auto, ranker or rrf, got "${p.combiner}"`);
    return combiner;
  }

  /**
   * `fitRanker` with cross-fitting: the validation users in `crossFit` seeded folds, one ranker
   * per fold (windows + the other folds; its curve on its own fold), one tree count from the
   * fold-averaged curve, the mean of the rankers as the scorer. The comparison with the fusion
   * and each source's figure are out-of-fold, over all validation users.
   */
  private fitCrossFitted(lists: StackingLists, started: number): void {
    const p = this.params;
    const set = this.set as SourceSet;
    const { block, validation, windows } = lists;
    const K = Math.floor(p.crossFit);
    const fold = Array.from(block.users, (u) => Math.min(K - 1, Math.floor(hash01(p.seed + 0x51f15e, u) * K)));
    const folds = Array.from({ length: K }, (_, k) => ({
      train: rankingData(block, validation, (b) => fold[b] === k, true),
      heldOut: rankingData(block, validation, (b) => fold[b] === k, false),
    }));
    const depth = Number(p.depths.split(',')[0]);
    const fitted = crossFitLambdaMart(
      windows,
      folds,
      { ...this.rankerParams(), trees: p.trees, maxDepth: depth },
      p.smoothing,
    );
    // Out of fold: every validation user scored by the ranker that did not train on them.
    const held = concatRanking(folds.map((f) => f.heldOut));
    const rankerNdcg = new Float64Array(held.groups.length - 1);
    let q = 0;
    for (const per of fitted.heldOutNdcg) {
      rankerNdcg.set(per, q);
      q += per.length;
    }
    const versusFusion = pairedComparison(rankerNdcg, ndcgPerQuery(this.fusionScores(set, held.features, held.numFeatures), held, 10));
    const combiner = this.chooseCombiner(versusFusion);
    this.ranker = combiner === 'ranker' ? fitted.ranker : undefined;
    const sourceNdcg = sourceNdcgOf(set.sources, held);
    this.report = this.reportOf(lists, started, {
      trainUsers: held.groups.length - 1,
      heldOutUsers: held.groups.length - 1,
      positivesInCandidates: sum(held.labels),
      perDepth: [{ depth, trees: fitted.trees, ndcg: fitted.best }],
      versusFusion,
      combiner,
      sourceNdcg,
      chosen: { depth, trees: fitted.trees },
      crossFit: { folds: K, curve: fitted.curve.map((v) => Math.round(v * 1e5) / 1e5) },
    });
  }

  /** The report of a stacked fit: what the combiner chose (`chosen`) and what both procedures share. */
  private reportOf(
    lists: StackingLists,
    started: number,
    chosen: Omit<StackReport, 'rows' | 'validationItems' | 'windows' | 'features' | 'candidateSeconds' | 'seconds'>,
  ): StackReport {
    return {
      ...chosen,
      rows: lists.block.items.length,
      validationItems: lists.validation.indices.length,
      windows: lists.windowReport,
      features: this.featureNames(),
      candidateSeconds: lists.candidateSeconds,
      seconds: lists.candidateSeconds + (performance.now() - started) / 1000,
    };
  }

  /**
   * Reciprocal-rank fusion of the `fusion` sources: Σ 1 / (fusionK + rank) over their rank
   * columns (S .. 2S − 1 of each row; rank N when a source did not propose the candidate).
   * Falls back to every source when none of the named ones is present.
   */
  private fusionScores(set: SourceSet, features: Float32Array, numFeatures: number): Float32Array {
    const S = set.sources.length;
    const named = new Set(this.params.fusion.split(',').map((x) => x.trim()));
    let chosen = set.sources.map((src, s) => (named.has(src.name) ? s : -1)).filter((s) => s >= 0);
    if (chosen.length === 0) chosen = set.sources.map((_, s) => s);
    const k = this.params.fusionK;
    const rows = features.length / numFeatures;
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let v = 0;
      for (const s of chosen) v += 1 / (k + features[r * numFeatures + S + s]);
      out[r] = v;
    }
    return out;
  }

  private candidatesOf(set: SourceSet, users: Int32Array, masks: readonly InteractionMatrix[]): CandidateBlock {
    return generateCandidates(set.sources, set.context, users, set.train.items, [...masks, ...set.masks], this.params.candidates, set.extra);
  }

  /** Candidates and features for `users`, never proposing the items of `masks` (nor skips). */
  candidates(users: Int32Array, masks: readonly InteractionMatrix[]): CandidateBlock {
    if (!this.set) throw new Error('hybrid: fit first');
    return this.withLearnedColumns(this.candidatesOf(this.set, users, masks));
  }

  /** The block with the users' source reliabilities and the items' precisions appended, when the ranker was trained with them. */
  private withLearnedColumns(block: CandidateBlock): CandidateBlock {
    const set = this.set;
    const withUsers = this.reliability && set ? withUserColumns(block, this.reliability, set.sources.length) : block;
    return this.itemPrecision ? withItemColumns(withUsers, this.itemPrecision) : withUsers;
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const set = this.set;
    if (!set) throw new Error('hybrid: fit first');
    const n = set.train.items;
    out.fill(-Infinity, 0, users.length * n);
    const validation = this.validation;
    const pooled = validation !== undefined && this.params.validationInPool && this.stackedTrain === set.train;
    const block = this.withLearnedColumns(this.candidatesOf(set, users, validation && !pooled ? [set.train, validation] : [set.train]));
    const scores = new Float32Array(block.items.length);
    if (this.ranker) this.ranker.predict(block.features, scores);
    else scores.set(this.fusionScores(set, block.features, block.numFeatures));
    for (let b = 0; b < users.length; b++) {
      for (let r = block.offsets[b]; r < block.offsets[b + 1]; r++) out[b * n + block.items[r]] = scores[r];
      if (pooled) {
        const u = users[b];
        for (let k = validation.indptr[u]; k < validation.indptr[u + 1]; k++) out[b * n + validation.indices[k]] = -Infinity;
      }
    }
  }
}

/** The items of a comma-separated parameter, trimmed, empty ones dropped. */
function listOf(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
