/**
 * Several API processes on one port (SERVER_PROCESSES > 1), for machines with more cores than
 * one Node event loop can use. One GraphQL request is mostly single-threaded JavaScript, so a
 * second process roughly doubles what the API serves on two cores.
 *
 * The primary does the one-off work (demo world, start-up training), forks the workers and
 * relays peer messages between them (peer-bus.ts): every worker keeps its own in-memory
 * online state, and learns the events the others stored through the relay. The workers warm
 * up from the store first and start listening together, once all are warm, so no event can
 * reach a worker both through its warm-up scan and through the relay. A worker that dies is
 * replaced (a replacement warms up while the others serve; an event stored during its warm-up
 * may be counted twice in its popularity — the event log stays exact).
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import { isPeerEnvelope } from './peer-bus.js';

/** Control messages between the primary and a worker (peer messages travel in envelopes). */
type Control = { mixtapeControl: 'warm' } | { mixtapeControl: 'listen' } | { mixtapeControl: 'listening'; url: string };

function isControl(value: unknown): value is Control {
  return typeof value === 'object' && value !== null && 'mixtapeControl' in value;
}

export interface PrimaryOptions {
  log: (line: string) => void;
  /** The one-off preparation before forking (MixtapeApp.prepare). */
  prepare: () => Promise<void>;
}

/** Runs the cluster primary until SIGINT/SIGTERM; resolves with the URL once every worker listens. */
export async function runPrimary(config: Config, options: PrimaryOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const { log } = options;
  await options.prepare();
  // 'advanced' serialisation: events keep their exact shape (structured clone, not JSON).
  cluster.setupPrimary({ serialization: 'advanced', execArgv: withServingHeap(process.execArgv) });
  const workers = new Set<Worker>();
  let stopping = false;
  let warm = 0;
  let listening = 0;
  let ready: (url: string) => void = () => {};
  const allListening = new Promise<string>((resolve) => (ready = resolve));

  const relay = (from: Worker, message: unknown): void => {
    for (const peer of workers) if (peer !== from && peer.isConnected()) peer.send(message as never);
  };

  const fork = (initial: boolean): void => {
    const worker = cluster.fork();
    workers.add(worker);
    worker.on('message', (message: unknown) => {
      if (isPeerEnvelope(message)) return relay(worker, message);
      if (!isControl(message)) return;
      if (message.mixtapeControl === 'warm') {
        // The first generation starts listening together; a replacement starts at once.
        if (!initial) return void worker.send({ mixtapeControl: 'listen' } satisfies Control);
        if (++warm === config.serverProcesses) for (const w of workers) w.send({ mixtapeControl: 'listen' } satisfies Control);
      } else if (message.mixtapeControl === 'listening' && initial && ++listening === config.serverProcesses) {
        ready(message.url);
      }
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      log(`API process ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a replacement`);
      fork(false);
    });
  };
  for (let i = 0; i < config.serverProcesses; i++) fork(true);

  const stop = async (): Promise<void> => {
    stopping = true;
    const exits = [...workers].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    for (const w of workers) w.process.kill('SIGTERM');
    await Promise.all(exits);
  };
  return { url: await allListening, stop };
}

/**
 * The worker side: call `warm()` once the app is created (its online state rebuilt), and it
 * resolves when the primary says to listen.
 */
export function workerHandshake(): { warmAndWait: () => Promise<void>; listening: (url: string) => void } {
  const send = (message: Control): void => {
    process.send?.(message);
  };
  return {
    warmAndWait: () =>
      new Promise<void>((resolve) => {
        const onMessage = (message: unknown): void => {
          if (!isControl(message) || message.mixtapeControl !== 'listen') return;
          process.off('message', onMessage);
          resolve();
        };
        process.on('message', onMessage);
        send({ mixtapeControl: 'warm' });
      }),
    listening: (url) => send({ mixtapeControl: 'listening', url }),
  };
}

export const isClusterWorker = (): boolean => cluster.isWorker;

/**
 * The V8 flags an API process runs with: a request's garbage (candidate pools, feature rows,
 * the response) dies young, and with V8's default young generation much of it is promoted
 * anyway; the old space, which holds the caches (hundreds of MB), then fills and its
 * mark-compact (≈ 300 ms of marking on the 100k demo) stalls requests for a moment. A 64 MB
 * semi-space keeps request garbage young (docs/benchmarks.md, serving). `npm start` passes the
 * same flag to a single process.
 */
export function withServingHeap(execArgv: readonly string[]): string[] {
  return execArgv.some((flag) => flag.startsWith('--max-semi-space-size')) ? [...execArgv] : [...execArgv, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}

const SEMI_SPACE_MB = 64;
