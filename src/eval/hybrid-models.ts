/**
 * The hybrid recommender and its own sources (social, tags, tag-knn, user-knn, rp3beta, ease, recent-knn,
 * recent-als) as {@link ModelSpec}s. They need the dataset's side data (friend graph, tag
 * assignments, listening history), so their specs are bound to the
 * dataset by the runner (`bind`) before use; the hybrid is stacked (the runner hands it
 * { train, validation } in a `fitStacked` step before the final fit, never test).
 */
import { ImplicitALS } from '../models/cf/als.js';
import { ItemKnnRecommender, type ItemKnnWeighting } from '../models/cf/item-knn.js';
import { HybridRecommender, tagProfilesOf } from '../models/hybrid/hybrid.js';
import { HYBRID_ALS, HYBRID_DEFAULTS, type HybridParams } from '../models/hybrid/params.js';
import { RecentAlsSource, RecentKnnSource } from '../models/hybrid/recent.js';
import type { SideData } from '../models/hybrid/side-data.js';
import { SOCIAL_DEFAULTS, SocialRecommender } from '../models/hybrid/social.js';
import { TAG_KNN_DEFAULTS, TagKnnRecommender } from '../models/hybrid/tag-knn.js';
import { TAG_DEFAULTS, TagRecommender } from '../models/hybrid/tags.js';
import { RP3_DEFAULTS, Rp3BetaRecommender } from '../models/hybrid/rp3beta.js';
import { EASE_DEFAULTS, EaseRecommender } from '../models/hybrid/ease.js';
import { USER_KNN_DEFAULTS, UserKnnRecommender } from '../models/hybrid/user-knn.js';
import type { InteractionMatrix } from '../models/cf/matrix.js';
import type { Recommender, TrainProgress } from '../models/cf/recommender.js';
import type { EvalDataset } from './runner.js';
import type { GridSpec, ModelSpec, Params } from './tuning.js';

export const HYBRID_MODEL_NAMES = ['hybrid', 'social', 'tags', 'tag-knn', 'user-knn', 'rp3beta', 'ease', 'recent-knn', 'recent-als'] as const;
export type HybridModelName = (typeof HYBRID_MODEL_NAMES)[number];

export function isHybridModelName(name: string): name is HybridModelName {
  return (HYBRID_MODEL_NAMES as readonly string[]).includes(name);
}

export const HYBRID_GRIDS: Record<HybridModelName, { full: GridSpec; quick: GridSpec }> = {
  // One point: the ranker's own hyperparameters (depth, trees) are chosen inside fitStacked on
  // an inner split of the validation users; the sources use the lab's ALS choice (α 16, λ 50).
  hybrid: { full: { values: {} }, quick: { fixed: { candidates: 50, trees: 100, windows: 1 }, values: {} } },
  social: { full: { values: { floor: [0, 0.05, 0.3] } }, quick: { values: { floor: [0.05] } } },
  tags: { full: { values: { ownWeight: [0, 0.5, 2] } }, quick: { values: { ownWeight: [0.5] } } },
  'tag-knn': { full: { values: { k: [50, 100, 200] } }, quick: { values: { k: [100] } } },
  // The hybrid's two extra collaborative sources, as rows of their own.
  'user-knn': { full: { values: { k: [40, 80, 160] } }, quick: { values: { k: [80] } } },
  rp3beta: { full: { values: { beta: [0.3, 0.5, 0.7] } }, quick: { values: { beta: [0.5] } } },
  ease: { full: { values: { lambda: [50, 100, 200, 400] } }, quick: { values: { lambda: [100] } } },
  // The listening-history sources (temporal data), with the hybrid's item-kNN and ALS settings.
  'recent-knn': { full: { values: {} }, quick: { values: {} } },
  'recent-als': { full: { values: {} }, quick: { values: {} } },
};

/** The recent-plays sources take the hybrid's item-kNN and ALS settings. */
const RECENT_DEFAULTS: Readonly<Params> = Object.freeze({
  knnK: HYBRID_DEFAULTS.knnK,
  knnWeighting: HYBRID_DEFAULTS.knnWeighting,
  knnShrink: HYBRID_DEFAULTS.knnShrink,
  alsFactors: HYBRID_DEFAULTS.alsFactors,
  alsAlpha: HYBRID_DEFAULTS.alsAlpha,
  alsLambda: HYBRID_DEFAULTS.alsLambda,
  alsIterations: HYBRID_DEFAULTS.alsIterations,
});

const DEFAULTS: Record<HybridModelName, Readonly<Params>> = {
  hybrid: HYBRID_DEFAULTS as unknown as Params,
  social: SOCIAL_DEFAULTS as unknown as Params,
  tags: TAG_DEFAULTS as unknown as Params,
  'tag-knn': TAG_KNN_DEFAULTS as unknown as Params,
  'user-knn': USER_KNN_DEFAULTS as unknown as Params,
  rp3beta: RP3_DEFAULTS as unknown as Params,
  ease: EASE_DEFAULTS as unknown as Params,
  'recent-knn': RECENT_DEFAULTS,
  'recent-als': RECENT_DEFAULTS,
};

/** Builds a tag source lazily: tag profiles need the matrix shape, known at fit. */
class LazyTags implements Recommender {
  private inner: Recommender | undefined;
  constructor(
    readonly name: 'tags' | 'tag-knn',
    private readonly side: SideData,
    private readonly params: Params,
  ) {}
  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const profiles = tagProfilesOf(this.side, train.users, train.items);
    if (!profiles) throw new RangeError(`${this.name}: the dataset has no tag assignments`);
    this.inner = this.name === 'tags' ? new TagRecommender(profiles, this.params) : new TagKnnRecommender(profiles, this.params);
    await this.inner.fit(train, onProgress);
  }
  scoreUsers(users: Int32Array, out: Float32Array): void {
    if (!this.inner) throw new Error(`${this.name}: fit first`);
    this.inner.scoreUsers(users, out);
  }
}

/** A recent-plays source on its own: fits the model it reuses (item-kNN or ALS), then scores from the recent plays. */
class LazyRecent implements Recommender {
  private inner: Recommender | undefined;
  constructor(
    readonly name: 'recent-knn' | 'recent-als',
    private readonly side: SideData,
    private readonly params: Params,
    private readonly seed: number,
  ) {}
  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    const listening = this.side.listening?.(train);
    if (!listening) throw new RangeError(`${this.name}: the dataset has no listening history`);
    const p = { ...HYBRID_DEFAULTS, ...this.params };
    if (this.name === 'recent-knn') {
      const knn = new ItemKnnRecommender({ k: p.knnK, weighting: p.knnWeighting as ItemKnnWeighting, shrink: p.knnShrink });
      await knn.fit(train, onProgress);
      this.inner = new RecentKnnSource(knn, listening.recent);
    } else {
      const als = new ImplicitALS({ ...HYBRID_ALS, factors: p.alsFactors, alpha: p.alsAlpha, lambda: p.alsLambda, iterations: p.alsIterations, seed: this.seed });
      await als.fit(train, onProgress);
      this.inner = new RecentAlsSource(als, listening.recent);
    }
    await this.inner.fit(train);
  }
  scoreUsers(users: Int32Array, out: Float32Array): void {
    if (!this.inner) throw new Error(`${this.name}: fit first`);
    this.inner.scoreUsers(users, out);
  }
}

function create(name: HybridModelName, side: SideData, params: Params, seed: number): Recommender {
  switch (name) {
    case 'hybrid':
      return new HybridRecommender({ ...(params as Partial<HybridParams>), seed }, side);
    case 'social':
      if (!side.friends) throw new RangeError('social: the dataset has no friend graph');
      return new SocialRecommender(side.friends, params);
    case 'tags':
    case 'tag-knn':
      return new LazyTags(name, side, params);
    case 'user-knn':
      return new UserKnnRecommender(params);
    case 'rp3beta':
      return new Rp3BetaRecommender(params);
    case 'ease':
      return new EaseRecommender(params);
    case 'recent-knn':
    case 'recent-als':
      return new LazyRecent(name, side, params, seed);
  }
}

export function hybridModelSpec(name: HybridModelName, grid: GridSpec = HYBRID_GRIDS[name].full): ModelSpec {
  const defaults = DEFAULTS[name];
  for (const param of [...Object.keys(grid.values), ...Object.keys(grid.fixed ?? {})]) {
    if (!(param in defaults)) throw new RangeError(`${name} has no parameter "${param}" (it has: ${Object.keys(defaults).join(', ')})`);
  }
  const unbound = (): never => {
    throw new Error(`${name} needs the dataset's side data: the runner binds it (spec.bind(dataset))`);
  };
  const spec = (side: SideData | undefined): ModelSpec => ({
    name,
    grid,
    create: (params, seed) => (side ? create(name, side, params, seed) : unbound()),
    describe: (params, seed) => ({ ...defaults, ...params, ...(name === 'hybrid' ? { seed } : {}) }),
    bind: (dataset: EvalDataset) => spec(dataset.side ?? {}),
  });
  return spec(undefined);
}
