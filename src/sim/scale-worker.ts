/** One scale-generator worker thread: writes the range of listeners in workerData.job. */
import { parentPort, workerData } from 'node:worker_threads';
import { ScaleWorld } from './scale.js';
import { writeRange } from './scale-output.js';
import type { RangeJob } from './scale-workers.js';

const job = (workerData as { job: RangeJob }).job;
const world = new ScaleWorld(job.config);
const result = await writeRange(world, job.dir, job.range, job.files, (done) => parentPort!.postMessage({ progress: done }));
parentPort!.postMessage({ result });
