/**
 * Worker thread of the parallel ALS solver: receives the shared factor and matrix arrays once
 * (workerData), then runs one phase per message and answers 'done'. Started through
 * worker-boot.mjs (see there for why). With the WebAssembly kernel each worker instantiates
 * the module against the shared memory and takes its own scratch slot (1, 2, …; the main
 * thread has 0).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AlsShared, PhaseMessage } from './als-kernel.js';
import { phaseRunner } from './als-wasm.js';

const port = parentPort;
if (!port) throw new Error('als-worker.ts must run in a worker thread');
const { shared } = workerData as { shared: AlsShared };
const run = phaseRunner(shared, shared.wasm ? 1 + Atomics.add(shared.wasm.nextSlot, 0, 1) : 0);
port.on('message', (message: PhaseMessage) => {
  run(message);
  port.postMessage('done');
});
port.postMessage('ready');
