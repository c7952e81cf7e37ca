/**
 * The producer side of the signal flow in distributed mode: after a batch is stored, one
 * job per batch goes to the `signals` queue, and the API acknowledges the client. Workers
 * apply the job to online state; a crashed worker's job is retried (attempts with backoff).
 */
import { Queue } from 'bullmq';
import type { Interaction } from '../domain/types.js';
import { QUEUES, redisConnection, type SignalJob } from './queues.js';

export class SignalQueue {
  private readonly queue: Queue<SignalJob>;
  private closing?: Promise<void>;

  constructor(redisUrl: string, prefix = 'mixtape') {
    this.queue = new Queue<SignalJob>(QUEUES.signals, {
      connection: redisConnection(redisUrl),
      prefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 500 },
        // Keep a bounded tail of finished jobs: enough to inspect and to await in tests.
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
  }

  /** Enqueues one job for the batch and returns its id. */
  async publish(events: readonly Interaction[]): Promise<string> {
    const job = await this.queue.add('interactions', { events: [...events] });
    return job.id ?? '';
  }

  get bullQueue(): Queue<SignalJob> {
    return this.queue;
  }

  close(): Promise<void> {
    this.closing ??= this.queue.close();
    return this.closing;
  }
}
