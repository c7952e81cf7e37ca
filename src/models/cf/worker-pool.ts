/**
 * A fixed set of worker threads that all run the same phase at once: `run(message)` posts the
 * message to every worker and resolves when each has answered 'done'. The workers split the
 * phase's work among themselves (see als-kernel.ts: blocks taken from a shared counter).
 */
import { Worker } from 'node:worker_threads';

/** Whether this module runs from TypeScript source (tsx, vitest) rather than compiled JavaScript. */
const fromSource = import.meta.url.endsWith('.ts');

/** The URL of a sibling worker module given its base name, e.g. workerModule('als-worker'). */
export function workerModule(baseName: string): URL {
  return new URL(`./${baseName}${fromSource ? '.ts' : '.js'}`, import.meta.url);
}

export class WorkerPool<Message> {
  private pending: { resolve: () => void; reject: (error: Error) => void; remaining: number } | null = null;
  private failure: Error | null = null;
  private closing = false;

  private constructor(private readonly workers: Worker[]) {}

  /** Starts `count` workers of module `entry` and waits until each reports 'ready'. */
  static async start<Message>(count: number, entry: URL, data: Record<string, unknown>): Promise<WorkerPool<Message>> {
    const boot = new URL('./worker-boot.mjs', import.meta.url);
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let w = 0; w < count; w++) {
      const worker = new Worker(boot, { workerData: { ...data, entry: entry.href } });
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onMessage = (message: unknown): void => {
            if (message !== 'ready') return;
            worker.off('message', onMessage);
            worker.off('error', reject);
            resolve();
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
        }),
      );
    }
    const pool = new WorkerPool<Message>(workers);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    for (const worker of workers) {
      worker.on('message', (message: unknown) => {
        if (message === 'done') pool.settle(null);
      });
      worker.on('error', (error: Error) => pool.settle(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !pool.closing) pool.settle(new Error(`worker exited with code ${code}`));
      });
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Posts `message` to every worker; resolves when all are done, rejects if one fails. */
  run(message: Message): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('a phase is already running'));
    return new Promise<void>((resolve, reject) => {
      this.pending = { resolve, reject, remaining: this.workers.length };
      for (const worker of this.workers) worker.postMessage(message);
    });
  }

  private settle(error: Error | null): void {
    if (error) this.failure ??= error;
    const pending = this.pending;
    if (!pending) return;
    if (error) {
      this.pending = null;
      pending.reject(error);
      return;
    }
    if (--pending.remaining === 0) {
      this.pending = null;
      pending.resolve();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
