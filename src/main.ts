/**
 * Entry point of `npm start`: configuration → store (with the demo world on first start) →
 * services → GraphQL over HTTP. SIGINT/SIGTERM drain and exit.
 *
 * With SERVER_PROCESSES > 1 this process becomes a cluster primary: it prepares the store and
 * models once, forks that many API processes on the same port and relays what they learn to
 * each other (src/server/cluster.ts); each forked process runs this file again as a worker.
 */
import 'reflect-metadata';
import { MixtapeApp } from './app.js';
import { type Config, ConfigError, describeMode, loadConfig } from './config.js';
import { consoleProgress } from './lib/progress.js';
import { isClusterWorker, runPrimary, workerHandshake } from './server/cluster.js';
import { ipcPeerBus } from './server/peer-bus.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (isClusterWorker()) return serveAsWorker(config);
  const mode = describeMode(config);
  console.log(`Mixtape starting: ${mode.store} store, ${mode.execution} execution, data in ${config.mongodbUri ? 'MongoDB' : config.dataDir}`);
  if (config.serverProcesses > 1) return serveAsPrimary(config);
  const app = await MixtapeApp.create(config, { progress: consoleProgress() });
  announce(config, await app.listen());
  onStopSignal(() => app.close());
}

async function serveAsPrimary(config: Config): Promise<void> {
  const log = (line: string) => console.log(line);
  const cluster = await runPrimary(config, { log, prepare: () => MixtapeApp.prepare(config, { progress: consoleProgress(), log }) });
  announce(config, cluster.url, `${config.serverProcesses} API processes`);
  onStopSignal(cluster.stop);
}

async function serveAsWorker(config: Config): Promise<void> {
  const handshake = workerHandshake();
  const app = await MixtapeApp.create(config, { prepared: true, peers: ipcPeerBus(), log: (line) => console.log(`[${process.pid}] ${line}`) });
  await handshake.warmAndWait();
  handshake.listening(await app.listen());
  // The primary signals each worker on shutdown; an interrupt in a terminal reaches all.
  onStopSignal(() => app.close(), false);
}

function announce(config: Config, url: string, processes?: string): void {
  console.log(`Mixtape ready at ${url}${processes ? ` (${processes})` : ''}${config.env === 'production' ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  if (!config.adminToken && config.env !== 'production') {
    console.log('No ADMIN_TOKEN set: every request has admin rights (local sandbox). Set ADMIN_TOKEN to enforce access rules.');
  }
}

function onStopSignal(stop: () => Promise<void>, verbose = true): void {
  const handle = (signal: string) => {
    if (verbose) console.log(`${signal}: draining …`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => handle('SIGINT'));
  process.once('SIGTERM', () => handle('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Mixtape failed to start:', error);
  process.exit(1);
});
