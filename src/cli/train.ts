/**
 * `npm run train -- cf [--kind track|artist|all] [--factors 64] [--iterations 15] [--alpha 1]
 *   [--lambda 0.1] [--no-ranker] [--no-activate] [--queue]`
 *
 * Trains a collaborative-filtering version from the store's events, judges it on a held-out
 * slice, trains the recommendation pipeline's learned ranker on the same slice (unless
 * --no-ranker), saves both and (unless --no-activate) makes the version serve: a running API
 * picks it up within MODEL_SYNC_SECONDS. With --queue (needs REDIS_URL) the job goes to a
 * worker and this command waits for it, showing its progress.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config.js';
import type { TargetKind } from '../domain/types.js';
import { consoleProgress } from '../lib/progress.js';
import { settingsFromConfig } from '../services/index.js';
import { ModelService } from '../services/model.service.js';
import { TrainingService } from '../services/training/training.service.js';
import { openStore } from '../store/index.js';
import { TrainingQueue } from '../workers/training-queue.js';

const USAGE = 'usage: npm run train -- cf [--kind track|artist|all] [--factors N] [--iterations N] [--alpha X] [--lambda X] [--no-ranker] [--no-activate] [--queue]';
const NUMERIC = ['factors', 'iterations', 'alpha', 'lambda', 'cgSteps', 'seed'] as const;

function parse(argv: string[]): { kinds: TargetKind[]; params: Record<string, number>; activate: boolean; queue: boolean; ranker: boolean } {
  const [model, ...rest] = argv;
  if (model !== 'cf') throw new UsageError(`unknown model "${model ?? ''}": only "cf" trains today`);
  const params: Record<string, number> = {};
  let kind = 'all';
  let activate = true;
  let queue = false;
  let ranker = true;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--no-activate') activate = false;
    else if (flag === '--queue') queue = true;
    else if (flag === '--no-ranker') ranker = false;
    else if (flag === '--kind') kind = rest[++i] ?? '';
    else if (NUMERIC.includes(flag.slice(2) as (typeof NUMERIC)[number])) {
      const value = Number(rest[++i]);
      if (!Number.isFinite(value)) throw new UsageError(`${flag} needs a number`);
      params[flag.slice(2)] = value;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  const kinds: Record<string, TargetKind[]> = { all: ['TRACK', 'ARTIST'], track: ['TRACK'], artist: ['ARTIST'] };
  if (!kinds[kind]) throw new UsageError(`--kind must be track, artist or all, got "${kind}"`);
  return { kinds: kinds[kind], params, activate, queue, ranker };
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig();
  const options = parse(process.argv.slice(2));
  if (options.queue) {
    if (!config.redisUrl) throw new UsageError('--queue needs REDIS_URL: without it, training runs in this process');
    const queue = new TrainingQueue(config.redisUrl, config.redisPrefix);
    try {
      for (const kind of options.kinds) {
        const job = await queue.enqueue({ model: 'cf', kind, params: options.params, activate: options.activate });
        console.log(`queued training job ${job.id} (cf:${kind}); waiting for a worker …`);
        const result = await queue.wait(job, (p) => {
          const { phase, done, total } = p as { phase?: string; done?: number; total?: number };
          if (phase) process.stderr.write(`  ${phase}: ${done}/${total}\n`);
        });
        console.log(`${result.versionId}: ${JSON.stringify(result.metrics)}${result.active ? ' (active)' : ''}`);
      }
    } finally {
      await queue.close();
    }
    return;
  }
  const store = await openStore(config);
  try {
    const training = new TrainingService(store, new ModelService(store), {
      artifactsDir: config.artifactsDir, ann: config.annIndex, ...(options.ranker ? { pipeline: settingsFromConfig(config.recommend) } : {}),
    });
    for (const kind of options.kinds) {
      const started = performance.now();
      const version = await training.trainCf(kind, consoleProgress(), { activate: options.activate, params: options.params });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${version.id} in ${seconds} s${version.active ? ', now serving' : ''}`);
      for (const [name, value] of Object.entries(version.metrics)) console.log(`  ${name.padEnd(24)} ${Number.isInteger(value) ? value : value.toFixed(4)}`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
