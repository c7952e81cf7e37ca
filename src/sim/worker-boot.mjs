// Entry point of the simulator's worker threads. It imports the module named in
// workerData.entry; when that module is TypeScript (running from source under tsx or vitest),
// it first registers tsx's ESM loader inside the worker, because on Node 20 loader hooks do
// not reach worker threads. Plain JavaScript: it must load before any TypeScript loader exists.
import { workerData } from 'node:worker_threads';

const entry = workerData && workerData.entry;
if (typeof entry !== 'string') throw new Error('worker-boot.mjs needs workerData.entry (a module URL)');
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
