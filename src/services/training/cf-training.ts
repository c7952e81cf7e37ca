/**
 * Training a CF model version end to end: collect feedback from the event log, judge the
 * configuration on a held-out slice (ALS next to the popularity baseline), train the
 * recommendation pipeline's learned ranker on the same slice (ranker-training.ts), fit on all
 * the data, build the ANN indexes, write the artifacts (the ranker's with them) and record
 * the version. The caller decides whether to activate it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { InvalidInputError } from '../../domain/errors.js';
import type { ModelVersion, TargetKind } from '../../domain/types.js';
import { evaluateRanking } from '../../eval/metrics.js';
import type { Progress } from '../../lib/progress.js';
import { type AlsParams, createRecommender } from '../../models/cf/index.js';
import { type PipelineSettings, RANKER_FILE, saveRanker } from '../../pipeline/index.js';
import type { Store } from '../../store/ports.js';
import { cfModelName } from '../cf-serving.js';
import { type AnnChoice, buildItemIndexes, saveCfArtifacts } from './cf-artifacts.js';
import { collectFeedback } from './feedback.js';
import { splitHoldout } from './holdout.js';
import { trainRanker } from './ranker-training.js';

export interface CfTrainingOptions {
  kind: TargetKind;
  /** Folder under which each version gets its own folder. */
  artifactsDir: string;
  params?: Partial<AlsParams>;
  holdoutShare?: number;
  seed?: number;
  ann?: AnnChoice;
  progress: Progress;
  now?: () => number;
  /** Train the pipeline's learned ranker with these settings; without them, no ranker. */
  pipeline?: PipelineSettings;
}

export async function trainCfVersion(store: Store, options: CfTrainingOptions): Promise<ModelVersion> {
  const { kind, progress } = options;
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const data = await collectFeedback(store, kind, progress);
  if (data.users.size < 2 || data.items.size < 2) {
    throw new InvalidInputError(`not enough ${kind.toLowerCase()} feedback to train (${data.users.size} listeners, ${data.items.size} items)`);
  }
  const params: Partial<AlsParams> = { ...options.params, seed };

  const { train, holdout } = splitHoldout(data.matrix, options.holdoutShare ?? 0.1, seed);
  const trial = createRecommender('als', params);
  await trial.fit(train, stage(progress, 'ALS on the training slice', params));
  const task = { target: holdout, exclude: [train], train };
  const judged = evaluateRanking(trial, task, { ks: [10] });
  const popularity = createRecommender('popularity');
  await popularity.fit(train);
  const baseline = evaluateRanking(popularity, task, { ks: [10], beyondK: 0 });
  const ranking = options.pipeline
    ? await trainRanker(store, { kind, data, train, holdout, model: trial, ann: options.ann ?? 'auto', settings: options.pipeline, seed, progress })
    : undefined;

  const model = createRecommender('als', params);
  await model.fit(data.matrix, stage(progress, 'ALS on all data', params));
  const indexes = buildItemIndexes(model, data.items.size, options.ann ?? 'auto');

  const createdAt = now();
  const id = `${cfModelName(kind).replace(':', '-').toLowerCase()}-${new Date(createdAt).toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const artifactPath = path.join(options.artifactsDir, id);
  await saveCfArtifacts(artifactPath, { model, users: data.users, items: data.items, ...indexes });
  if (ranking?.ranker) await saveRanker(ranking.ranker, path.join(artifactPath, RANKER_FILE));
  const version: ModelVersion = {
    id,
    model: cfModelName(kind),
    createdAt,
    active: false,
    metrics: {
      ...pick(judged.metrics, ['recall@10', 'ndcg@10', 'precision@10', 'hit@10', 'mrr@10', 'coverage@10']),
      'popularity.recall@10': baseline.metrics['recall@10'],
      'popularity.ndcg@10': baseline.metrics['ndcg@10'],
      users: data.users.size,
      items: data.items.size,
      nonZeros: data.matrix.indices.length,
      ...ranking?.metrics,
    },
    params: { kind, algorithm: 'als', ...model.params, holdoutShare: options.holdoutShare ?? 0.1, ann: indexes.userIndex.kind },
    artifactPath,
    dataWindow: { ...data.window, interactions: data.events },
  };
  await store.modelVersions.insert(version);
  return version;
}

function stage(progress: Progress, label: string, params: Partial<AlsParams>) {
  let started = false;
  return (done: number, total: number) => {
    if (!started) {
      progress.start(`${label} (${params.factors ?? 64} factors)`, total);
      started = true;
    }
    progress.update(done);
    if (done === total) progress.stop();
  };
}

function pick(metrics: Record<string, number>, names: string[]): Record<string, number> {
  return Object.fromEntries(names.filter((n) => metrics[n] !== undefined).map((n) => [n, metrics[n]]));
}
