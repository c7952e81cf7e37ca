/**
 * Training as a BullMQ job on real Redis: a producer enqueues, a worker trains and activates,
 * and an API replica that syncs with the store serves the new version.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { ModelService } from '../../src/services/model.service.js';
import { TrainingService } from '../../src/services/training/training.service.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { startTrainingWorker, TrainingQueue } from '../../src/workers/training-queue.js';
import { RecommendationsDocument } from '../generated/graphql.js';
import { createTestApp, ok } from '../helpers/app.js';
import { blockUser, genreOfId, seedBlocks } from '../helpers/blocks.js';
import { deleteKeys, redisTestUrl } from '../helpers/redis.js';

describe('training jobs on BullMQ', () => {
  const prefix = `test-${randomUUID()}`;
  const url = redisTestUrl();
  const store = new EmbeddedStore(':memory:');
  const artifactsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-artifacts-'));
  let api: MixtapeApp;
  let queue: TrainingQueue;
  let worker: ReturnType<typeof startTrainingWorker>;

  beforeAll(async () => {
    await seedBlocks(store);
    api = await createTestApp({ store, env: { REDIS_URL: url, REDIS_PREFIX: prefix, ARTIFACTS_DIR: artifactsDir } });
    const training = new TrainingService(store, new ModelService(store), { artifactsDir, ann: 'exact' });
    worker = startTrainingWorker({ redisUrl: url, prefix, training });
    queue = new TrainingQueue(url, prefix);
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await queue?.close();
    const redis = new Redis(url);
    await deleteKeys(redis, prefix);
    redis.disconnect();
    fs.rmSync(artifactsDir, { recursive: true, force: true });
  });

  it('a queued job trains and activates a version, reporting progress, and replicas pick it up', async () => {
    const before = await ok(api, RecommendationsDocument, { userId: blockUser(1, 1), limit: 5 });
    expect(before.recommendations.sources[0]).toMatchObject({ name: 'cf', state: 'EMPTY' });

    const phases = new Set<string>();
    const job = await queue.enqueue({ model: 'cf', kind: 'TRACK', params: { factors: 16, iterations: 8 } });
    const result = await queue.wait(job, (p) => phases.add((p as { phase: string }).phase));
    expect(result.active).toBe(true);
    expect(result.metrics['ndcg@10']).toBeGreaterThan(result.metrics['popularity.ndcg@10']);
    expect([...phases].some((p) => p.startsWith('ALS on all data'))).toBe(true);
    expect((await store.modelVersions.active('cf:TRACK'))?.id).toBe(result.versionId);

    await api.services.cf.syncWithStore();
    const after = await ok(api, RecommendationsDocument, { userId: blockUser(1, 1), limit: 5 });
    expect(after.recommendations.sources[0]).toMatchObject({ name: 'cf', state: 'OK', modelVersion: result.versionId });
    expect(after.recommendations.items.every((i) => genreOfId(i.targetId) === 1)).toBe(true);
  });
});
