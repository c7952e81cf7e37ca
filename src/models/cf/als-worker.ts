/**
 * Worker thread of the parallel ALS solver: receives the shared factor and matrix arrays once
 * (workerData), then runs one phase per message and answers 'done'. Started through
 * worker-boot.mjs (see there for why).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type AlsShared, createScratch, type PhaseMessage, runPhase } from './als-kernel.js';

const port = parentPort;
if (!port) throw new Error('als-worker.ts must run in a worker thread');
const { shared } = workerData as { shared: AlsShared };
const scratch = createScratch(shared.settings);
port.on('message', (message: PhaseMessage) => {
  runPhase(shared, scratch, message);
  port.postMessage('done');
});
port.postMessage('ready');
