/**
 * The collaborative-filtering recommenders behind one registry:
 *
 *   createRecommender('als' | 'bpr' | 'item-knn' | 'popularity', params?)
 *
 * `params` overrides the model's defaults (DEFAULT_PARAMS, documented on each model's params
 * interface). Factor models (ALS, BPR) are saved and loaded with saveFactorModel /
 * loadFactorModel (persist.ts).
 */
import { ALS_DEFAULTS, type AlsParams, ImplicitALS } from './als.js';
import { BPR_DEFAULTS, type BprParams, BprRecommender } from './bpr.js';
import { ITEM_KNN_DEFAULTS, type ItemKnnParams, ItemKnnRecommender } from './item-knn.js';
import { PopularityRecommender } from './popularity.js';

export { ALS_DEFAULTS, type AlsParams, confidenceOf, ImplicitALS } from './als.js';
export { BPR_DEFAULTS, type BprParams, BprRecommender } from './bpr.js';
export { dot, rowNorms, scoreRows, similarByFactors, similarItems, topK, type TopK } from './factor-utils.js';
export { ITEM_KNN_DEFAULTS, type ItemKnnParams, ItemKnnRecommender, type ItemKnnWeighting } from './item-knn.js';
export { type FactorModel, type FactorModelMeta, loadFactorModel, saveFactorModel } from './persist.js';
export { PopularityRecommender } from './popularity.js';

export type RecommenderName = 'als' | 'bpr' | 'item-knn' | 'popularity';

export interface RecommenderParams {
  als: Partial<AlsParams>;
  bpr: Partial<BprParams>;
  'item-knn': Partial<ItemKnnParams>;
  popularity: Record<string, never>;
}

export interface RecommenderTypes {
  als: ImplicitALS;
  bpr: BprRecommender;
  'item-knn': ItemKnnRecommender;
  popularity: PopularityRecommender;
}

/** Every model's default parameters. */
export const DEFAULT_PARAMS: { readonly [N in RecommenderName]: Readonly<Required<RecommenderParams[N]>> } = Object.freeze({
  als: ALS_DEFAULTS,
  bpr: BPR_DEFAULTS,
  'item-knn': ITEM_KNN_DEFAULTS,
  popularity: Object.freeze({}),
});

export const RECOMMENDER_NAMES: readonly RecommenderName[] = ['als', 'bpr', 'item-knn', 'popularity'];

export function createRecommender<N extends RecommenderName>(name: N, params: RecommenderParams[N] = {} as RecommenderParams[N]): RecommenderTypes[N] {
  switch (name) {
    case 'als':
      return new ImplicitALS(params as Partial<AlsParams>) as RecommenderTypes[N];
    case 'bpr':
      return new BprRecommender(params as Partial<BprParams>) as RecommenderTypes[N];
    case 'item-knn':
      return new ItemKnnRecommender(params as Partial<ItemKnnParams>) as RecommenderTypes[N];
    case 'popularity':
      return new PopularityRecommender() as RecommenderTypes[N];
    default:
      throw new RangeError(`unknown recommender ${String(name)}; expected one of ${RECOMMENDER_NAMES.join(', ')}`);
  }
}
