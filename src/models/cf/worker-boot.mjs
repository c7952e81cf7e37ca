// Entry point of the collaborative-filtering worker threads. It imports the worker module
// named in workerData.entry; when that module is TypeScript (we run from source under tsx or
// vitest), it first registers tsx's ESM loader inside this worker.
//
// Why: on Node 20, loader hooks do not reach worker threads. Measured in this repository:
// `new Worker(new URL('./x.ts', import.meta.url))` fails with "Unknown file extension .ts"
// both under `tsx` and under vitest, and so does passing `execArgv: ['--import', 'tsx']`.
// Registering the loader from inside the worker works in both (about 0.1 s per worker). This
// file is plain JavaScript because it must load before any TypeScript loader exists. When the
// code is compiled to JavaScript, entry ends in .js and nothing is registered.
import { workerData } from 'node:worker_threads';

const entry = workerData && workerData.entry;
if (typeof entry !== 'string') throw new Error('worker-boot.mjs needs workerData.entry (a module URL)');
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
