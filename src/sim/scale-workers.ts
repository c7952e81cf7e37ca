/**
 * Worker threads for the scale generator: each builds the same ScaleWorld from the
 * configuration and writes one range of listeners (see writeRange). Output does not depend
 * on the number of workers except for how it is split into part files.
 */
import { Worker } from 'node:worker_threads';
import type { ScaleConfig } from './scale.js';

/** What one range of listeners produced. */
export interface RangeResult {
  events: number;
  users: number;
  bytes: number;
}

export interface RangeJob {
  config: ScaleConfig;
  dir: string;
  range: { from: number; to: number };
  files: { interactions: string; users: string };
}

const fromSource = import.meta.url.endsWith('.ts');

export function runRangeWorker(job: RangeJob, onProgress: (eventsDone: number) => void): Promise<RangeResult> {
  const entry = new URL(`./scale-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { entry: entry.href, job } });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: { progress?: number; result?: RangeResult }) => {
      if (message.progress !== undefined) onProgress(message.progress);
      if (message.result) {
        resolve(message.result);
        void worker.terminate();
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`scale generator worker stopped with exit code ${code}`));
    });
  });
}
