/**
 * Training the learned ranker next to a CF model, on the held-out slice CF training already
 * makes. The pipeline is replayed offline as of the data without that slice
 * (held-out-replay.ts); each replayed listener's candidates (the first stage's best
 * `rankDepth`, as online) get feature rows, and a row is relevant when its item is one of the
 * listener's held-out items.
 *
 * Listeners are split by a seeded shuffle: 60% train the LambdaMART, 20% stop it early, 20%
 * judge it. The judged NDCG@10 counts every held-out item (also those no source proposed)
 * and is reported next to two orderings on the same listeners: CF alone (the CF source's own
 * list) and the weighted blend (the fallback ranker). The ranker is kept only when it beats
 * the blend on the early-stopping listeners.
 */
import type { TargetKind } from '../../domain/types.js';
import type { Progress } from '../../lib/progress.js';
import type { FactorModel } from '../../models/cf/index.js';
import type { InteractionMatrix } from '../../models/cf/matrix.js';
import { LambdaMart, type LambdaMartParams, meanNdcg, type RankingData } from '../../models/ranker/lambdamart.js';
import { computeFeatures, FEATURE_COUNT, type PipelineSettings, SOURCE_NAMES } from '../../pipeline/index.js';
import type { Store } from '../../store/ports.js';
import type { AnnChoice } from './cf-artifacts.js';
import type { FeedbackData } from './feedback.js';
import { replayHeldOut } from './held-out-replay.js';

export interface RankerTrainingInput {
  kind: TargetKind;
  data: FeedbackData;
  train: InteractionMatrix;
  holdout: InteractionMatrix;
  /** The CF model fitted on `train` (its user factors are the listeners' pre-holdout vectors). */
  model: FactorModel;
  ann: AnnChoice;
  settings: PipelineSettings;
  seed: number;
  progress: Progress;
  /** Most listeners replayed (a seeded sample of those with held-out items). */
  maxUsers?: number;
  params?: Partial<LambdaMartParams>;
}

export interface RankerTrainingResult {
  /** The trained ranker, when it beat the weighted blend on the early-stopping listeners. */
  ranker?: LambdaMart;
  metrics: Record<string, number>;
}

/** Enough listeners for a stable comparison (20% of them judge), few enough to keep training in seconds. */
const DEFAULT_MAX_USERS = 800;
const NDCG_AT = 10;
/** Below this many listeners per split the comparison says nothing: no ranker. */
const MIN_USERS_PER_SPLIT = 5;
/** Shallow trees on half the queries each (stochastic boosting): seconds to train, and less prone to overfit a few hundred listeners. */
export const RANKER_DEFAULTS: Partial<LambdaMartParams> = {
  trees: 150, learningRate: 0.1, maxDepth: 4, minLeaf: 20, bins: 32, patience: 20, evalAt: NDCG_AT, subsample: 0.5,
};

interface Query {
  rows: Float32Array;
  labels: Float32Array;
  ideal: number;
  cfNdcg: number;
  blendNdcg: number;
}

export async function trainRanker(store: Store, input: RankerTrainingInput): Promise<RankerTrainingResult> {
  const { progress } = input;
  const replay = await replayHeldOut(store, { ...input, maxUsers: input.maxUsers ?? DEFAULT_MAX_USERS });
  const { catalogue, pipeline } = replay;
  const cfIndex = SOURCE_NAMES.indexOf('cf');
  const queries: Query[] = [];
  for await (const { held, gathered } of replay.listeners) {
    const { ranked, features } = pipeline.rank(gathered);
    const depth = Math.min(input.settings.rankDepth, gathered.pool.size);
    const slots = ranked.order.subarray(0, depth);
    const rows = new Float32Array(depth * FEATURE_COUNT);
    computeFeatures(features(), slots, rows);
    const isHeld = (item: number) => held.has(catalogue.ids[item]);
    const labels = Float32Array.from(slots, (slot) => (isHeld(gathered.pool.items[slot]) ? 1 : 0));
    const ideal = idealDcg(held.size);
    const cfList = gathered.outputs[cfIndex]?.items ?? new Int32Array(0);
    queries.push({
      rows, labels, ideal,
      cfNdcg: dcg(Array.from(cfList.subarray(0, NDCG_AT), isHeld)) / ideal,
      blendNdcg: dcg(Array.from(slots.subarray(0, NDCG_AT), (slot) => isHeld(gathered.pool.items[slot]))) / ideal,
    });
  }

  const usable = queries.filter((q) => q.ideal > 0);
  const trainEnd = Math.floor(usable.length * 0.6);
  const validEnd = Math.floor(usable.length * 0.8);
  const split = { train: usable.slice(0, trainEnd), valid: usable.slice(trainEnd, validEnd), test: usable.slice(validEnd) };
  const mean = (qs: Query[], pick: (q: Query) => number) => (qs.length > 0 ? qs.reduce((s, q) => s + pick(q), 0) / qs.length : 0);
  const metrics: Record<string, number> = {
    'ranker.users': split.test.length,
    [`ranker.cf.ndcg@${NDCG_AT}`]: mean(split.test, (q) => q.cfNdcg),
    [`ranker.blend.ndcg@${NDCG_AT}`]: mean(split.test, (q) => q.blendNdcg),
  };
  if (Math.min(split.train.length, split.valid.length, split.test.length) < MIN_USERS_PER_SPLIT) return { metrics: { ...metrics, 'ranker.used': 0 } };

  progress.start('Ranker: LambdaMART', 1);
  const ranker = new LambdaMart({ ...RANKER_DEFAULTS, seed: input.seed, ...input.params });
  const fit = ranker.fit(rankingData(split.train), rankingData(split.valid));
  progress.update(1);
  progress.stop();
  const test = rankingData(split.test);
  const scores = new Float32Array(test.labels.length);
  if (test.labels.length > 0) ranker.predict(test.features, scores);
  const used = fit.trees > 0 && fit.best > mean(split.valid, (q) => q.blendNdcg);
  return {
    ...(used ? { ranker } : {}),
    metrics: {
      ...metrics,
      [`ranker.ndcg@${NDCG_AT}`]: meanNdcg(scores, test, NDCG_AT),
      'ranker.trees': fit.trees,
      'ranker.rows': split.train.reduce((s, q) => s + q.labels.length, 0),
      'ranker.used': used ? 1 : 0,
    },
  };
}

function dcg(relevant: boolean[]): number {
  let sum = 0;
  relevant.forEach((hit, r) => {
    if (hit) sum += 1 / Math.log2(r + 2);
  });
  return sum;
}

function idealDcg(relevant: number): number {
  return dcg(Array.from({ length: Math.min(relevant, NDCG_AT) }, () => true));
}

function rankingData(queries: readonly Query[]): RankingData {
  const total = queries.reduce((s, q) => s + q.labels.length, 0);
  const features = new Float32Array(total * FEATURE_COUNT);
  const labels = new Float32Array(total);
  const groups = new Int32Array(queries.length + 1);
  const ideal = new Float64Array(queries.length);
  let at = 0;
  queries.forEach((q, i) => {
    features.set(q.rows, at * FEATURE_COUNT);
    labels.set(q.labels, at);
    at += q.labels.length;
    groups[i + 1] = at;
    ideal[i] = q.ideal;
  });
  return { features, numFeatures: FEATURE_COUNT, labels, groups, idealDcg: ideal };
}
