/**
 * `npm run worker`: the distributed mode's background process. Consumes the `signals` queue
 * and keeps the shared online state in Redis current (recounting it from the store when Redis
 * has none, or with --rebuild-popularity), and runs training jobs from the `training` queue.
 * Model artifacts go to ARTIFACTS_DIR, which API machines must be able to read (a shared volume).
 */
import 'reflect-metadata';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../config.js';
import { consoleProgress } from '../lib/progress.js';
import { RedisPopularity } from '../models/popularity/redis-popularity.js';
import { settingsFromConfig, trackArtistLookup } from '../services/index.js';
import { openStore } from '../store/index.js';
import { rebuildPopularity } from '../workers/rebuild-popularity.js';
import { ModelService } from '../services/model.service.js';
import { TrainingService } from '../services/training/training.service.js';
import { startSignalWorker } from '../workers/signal-worker.js';
import { startTrainingWorker } from '../workers/training-queue.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) {
    console.error('npm run worker needs REDIS_URL (redis://host:6379): in embedded mode the API runs everything in-process.');
    process.exit(2);
  }
  const store = await openStore(config);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
  const popularity = new RedisPopularity(redis, trackArtistLookup(store), config.redisPrefix);
  const outcome = await rebuildPopularity(redis, popularity, store, consoleProgress(), {
    prefix: config.redisPrefix,
    force: process.argv.includes('--rebuild-popularity'),
  });
  console.log(`popularity state: ${outcome}`);

  let processed = 0;
  const worker = startSignalWorker({ redisUrl: config.redisUrl, prefix: config.redisPrefix, handle: (events) => popularity.observe(events) });
  worker.on('completed', (job) => {
    processed += job.data.events.length;
  });
  worker.on('failed', (job, error) => console.error(`signal job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
  const training = new TrainingService(store, new ModelService(store), {
    artifactsDir: config.artifactsDir, ann: config.annIndex, pipeline: settingsFromConfig(config.recommend),
  });
  const trainer = startTrainingWorker({ redisUrl: config.redisUrl, prefix: config.redisPrefix, training });
  trainer.on('completed', (job, result) => console.log(`trained ${result.versionId} (${job.name}): ndcg@10 ${result.metrics['ndcg@10']?.toFixed(4)}`));
  trainer.on('failed', (job, error) => console.error(`training job ${job?.id} (${job?.name}) failed: ${error.message}`));
  const report = setInterval(() => console.log(`signals applied: ${processed} events`), 30_000);
  report.unref();
  console.log(`worker ready: consuming "${config.redisPrefix}:signals" and "${config.redisPrefix}:training" from ${new URL(config.redisUrl).host}`);

  const stop = async (signal: string) => {
    console.log(`${signal}: finishing the current jobs …`);
    await Promise.all([worker.close(), trainer.close()]);
    await store.close();
    redis.disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
