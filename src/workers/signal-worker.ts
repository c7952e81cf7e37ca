/**
 * The consumer side of the signal flow: a BullMQ worker that hands each job's events to the
 * online learners. A handler that throws fails the job, which BullMQ retries with backoff.
 */
import { Worker } from 'bullmq';
import type { Interaction } from '../domain/types.js';
import { QUEUES, redisConnection, type SignalJob } from './queues.js';

export interface SignalWorkerOptions {
  redisUrl: string;
  prefix?: string;
  concurrency?: number;
  handle(events: readonly Interaction[]): Promise<void>;
}

export function startSignalWorker(options: SignalWorkerOptions): Worker<SignalJob> {
  return new Worker<SignalJob>(
    QUEUES.signals,
    async (job) => {
      await options.handle(job.data.events);
      return { events: job.data.events.length };
    },
    { connection: redisConnection(options.redisUrl), prefix: options.prefix ?? 'mixtape', concurrency: options.concurrency ?? 4 },
  );
}
