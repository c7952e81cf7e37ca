/**
 * Training jobs on BullMQ: `npm run train -- cf --queue` and scheduled retraining enqueue
 * here; `npm run worker` runs them. Finished jobs are kept for a while (not removed at once),
 * so a caller can wait for the result.
 */
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Progress } from '../lib/progress.js';
import type { TrainingService } from '../services/training/training.service.js';
import { QUEUES, redisConnection, type TrainingJob, type TrainingResult } from './queues.js';

export class TrainingQueue {
  private readonly queue: Queue<TrainingJob, TrainingResult>;
  private events?: QueueEvents;
  private closing?: Promise<void>;

  constructor(private readonly redisUrl: string, private readonly prefix = 'mixtape') {
    this.queue = new Queue<TrainingJob, TrainingResult>(QUEUES.training, {
      connection: redisConnection(redisUrl),
      prefix,
      defaultJobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 5000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } },
    });
  }

  async enqueue(job: TrainingJob): Promise<Job<TrainingJob, TrainingResult>> {
    return this.queue.add(`${job.model}:${job.kind}`, job);
  }

  /** Waits for a job's result; `onProgress` sees the worker's progress reports. */
  async wait(job: Job<TrainingJob, TrainingResult>, onProgress?: (progress: unknown) => void): Promise<TrainingResult> {
    this.events ??= new QueueEvents(QUEUES.training, { connection: redisConnection(this.redisUrl), prefix: this.prefix });
    await this.events.waitUntilReady();
    const listener = ({ jobId, data }: { jobId: string; data: unknown }) => {
      if (jobId === job.id) onProgress?.(data);
    };
    this.events.on('progress', listener);
    try {
      return await job.waitUntilFinished(this.events);
    } finally {
      this.events.off('progress', listener);
    }
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([this.queue.close(), this.events?.close()]).then(() => undefined);
    return this.closing;
  }
}

/** Runs training jobs one at a time per worker (training already uses every core). */
export function startTrainingWorker(options: { redisUrl: string; prefix?: string; training: TrainingService }): Worker<TrainingJob, TrainingResult> {
  return new Worker<TrainingJob, TrainingResult>(
    QUEUES.training,
    async (job) => {
      const version = await options.training.trainCf(job.data.kind, jobProgress(job), { activate: job.data.activate, params: job.data.params });
      return { versionId: version.id, metrics: version.metrics, active: version.active };
    },
    { connection: redisConnection(options.redisUrl), prefix: options.prefix ?? 'mixtape', concurrency: 1, lockDuration: 120_000 },
  );
}

/** Reports a job's progress to BullMQ as { phase, done, total }, at most twice a second. */
function jobProgress(job: Job): Progress {
  let phase = '';
  let total = 0;
  let last = 0;
  return {
    start(label, n) {
      phase = label;
      total = n;
      void job.updateProgress({ phase, done: 0, total });
    },
    update(done) {
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      void job.updateProgress({ phase, done, total });
    },
    stop() {
      void job.updateProgress({ phase, done: total, total });
    },
  };
}
