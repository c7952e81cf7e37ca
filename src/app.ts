/**
 * The Mixtape process: store → services → schema → Apollo → HTTP, with an explicit lifecycle
 * (starting → ready → draining → stopped). main.ts runs one; tests create one on an in-memory
 * store and call `apollo.executeOperation` or real HTTP.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { type Config, describeMode } from './config.js';
import { type Progress, silentProgress } from './lib/progress.js';
import type { RequestContext } from './resolvers/context.js';
import { buildMixtapeSchema } from './resolvers/schema.js';
import { createApolloServer, requestContext } from './server/apollo.js';
import { createHttpServer, type Phase } from './server/http.js';
import { viewerFromHeaders } from './server/viewer.js';
import type { Viewer } from './services/access.js';
import { startOnlineRuntime, type OnlineRuntime } from './runtime.js';
import { createServices, type Services } from './services/index.js';
import { prewarmRecommendations } from './services/prewarm.js';
import type { PeerBus } from './services/peers.js';
import { openStore } from './store/index.js';
import type { Store } from './store/ports.js';

export interface AppOptions {
  progress?: Progress;
  log?: (line: string) => void;
  /** Overrides the store the configuration would open (tests pass an in-memory one). */
  store?: Store;
  now?: () => number;
  /** Other API processes on this machine (cluster mode: src/server/cluster.ts). */
  peers?: PeerBus;
  /**
   * The store and models were prepared by another process (the cluster primary): skip the
   * demo world and start-up training.
   */
  prepared?: boolean;
}

export class MixtapeApp {
  private phaseNow: Phase = 'starting';
  private httpServer?: http.Server;
  private closing?: Promise<void>;

  private constructor(
    readonly config: Config,
    readonly store: Store,
    private readonly runtime: OnlineRuntime,
    readonly services: Services,
    readonly schema: GraphQLSchema,
    readonly apollo: ApolloServer<RequestContext>,
    private readonly log: (line: string) => void,
  ) {}

  static async create(config: Config, options: AppOptions = {}): Promise<MixtapeApp> {
    const log = options.log ?? ((line: string) => console.log(line));
    const progress = options.progress ?? silentProgress;
    const store = options.store ?? (await openStore(config));
    try {
      if (!options.prepared) await ensureDemoWorld(store, config, progress, log);
      const runtime = await startOnlineRuntime(config, store, progress, options.peers);
      const services = createServices(store, config, runtime.wiring, options.now);
      await services.cf.syncWithStore();
      // Embedded mode trains what it needs before serving; in distributed mode workers train.
      if (!options.prepared && config.trainOnStart && !config.redisUrl) await services.training.trainMissing(progress, log);
      // The recommendation pipeline's catalogue snapshots: built now, so no request waits for them.
      await services.catalogues.warm();
      if (runtime.primedHistories > 0) log(`History cache: primed ${runtime.primedHistories} listeners from the start-up scan`);
      // Before ready (and, in a cluster, before the worker's warm handshake): the most recently
      // active listeners' first requests then reuse cached work.
      await prewarm(services, store, runtime.recentListeners(config.recommend.prewarmListeners), progress, log);
      const schema = await buildMixtapeSchema();
      const apollo = createApolloServer(schema, { production: config.env === 'production' });
      await apollo.start();
      const app = new MixtapeApp(config, store, runtime, services, schema, apollo, log);
      app.phaseNow = 'ready';
      app.startModelSync();
      return app;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * What a cluster primary does once before forking the API processes: the demo world on an
   * empty store and, in embedded mode, training the models that have none. Closes the store.
   */
  static async prepare(config: Config, options: Pick<AppOptions, 'progress' | 'log'> = {}): Promise<void> {
    const log = options.log ?? ((line: string) => console.log(line));
    const progress = options.progress ?? silentProgress;
    const store = await openStore(config);
    try {
      await ensureDemoWorld(store, config, progress, log);
      if (config.trainOnStart && !config.redisUrl) await createServices(store, config).training.trainMissing(progress, log);
    } finally {
      await store.close();
    }
  }

  private modelSync?: NodeJS.Timeout;

  /** Replicas pick up versions activated elsewhere (a worker's training, another replica's rollback). */
  private startModelSync(): void {
    if (this.config.modelSyncSeconds <= 0) return;
    this.modelSync = setInterval(() => {
      this.services.cf.syncWithStore().catch((error: unknown) => this.log(`model sync failed: ${String(error)}`));
      // Other processes may have changed the catalogue too.
      this.services.catalogues.refreshIfChanged().catch((error: unknown) => this.log(`catalogue refresh failed: ${String(error)}`));
    }, this.config.modelSyncSeconds * 1000);
    this.modelSync.unref();
  }

  get phase(): Phase {
    return this.phaseNow;
  }

  /** The context for a request with these headers (throws UNAUTHENTICATED for a bad token). */
  async contextFor(headers: http.IncomingHttpHeaders): Promise<RequestContext> {
    const viewer = viewerFromHeaders(headers, { adminToken: this.config.adminToken, openSandbox: this.config.env !== 'production' });
    return this.contextAs(viewer);
  }

  contextAs(viewer: Viewer): RequestContext {
    return requestContext(viewer, this.services, this.store);
  }

  async listen(): Promise<string> {
    const server = createHttpServer({
      apollo: this.apollo,
      context: (headers) => this.contextFor(headers),
      phase: () => this.phaseNow,
      keepAliveMs: this.config.keepAliveMs,
      // The process id tells a cluster's API processes apart (load balancers, tests).
      describe: () => ({ ...describeMode(this.config), pid: process.pid }),
    });
    this.httpServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return `http://${this.config.host}:${port}/graphql`;
  }

  /** Drains: stops accepting requests, lets in-flight ones finish, then closes everything. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.phaseNow = 'draining';
    clearInterval(this.modelSync);
    this.services.catalogues.close();
    const steps: [string, () => Promise<void>][] = [
      ['http', () => this.stopHttp()],
      ['apollo', () => this.apollo.stop()],
      ['online runtime', () => this.runtime.close()],
      ['store', () => this.store.close()],
    ];
    for (const [name, step] of steps) {
      await step().catch((error: unknown) => this.log(`closing ${name} failed: ${String(error)}`));
    }
    this.phaseNow = 'stopped';
  }

  private stopHttp(): Promise<void> {
    const server = this.httpServer;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}

async function prewarm(services: Services, store: Store, listeners: string[], progress: Progress, log: (line: string) => void): Promise<void> {
  if (listeners.length === 0) return;
  const report = await prewarmRecommendations(services, store, listeners, progress, log);
  const failed = report.failed > 0 ? `, ${report.failed} failed` : '';
  log(`Pre-warmed ${report.kinds.join(' and ')} recommendations of ${report.listeners} listeners in ${(report.ms / 1000).toFixed(1)} s${failed}`);
}

/** Generates the demo world when it is enabled and the store is empty. */
async function ensureDemoWorld(store: Store, config: Config, progress: Progress, log: (line: string) => void): Promise<void> {
  if (!config.demo.enabled || (await store.tracks.count()) > 0 || (await store.interactions.count()) > 0) return;
  log(`Empty store: generating the demo world (seed ${config.demo.seed}) …`);
  // Loaded only when needed: a store with data never loads the simulator.
  const { loadDemoWorld } = await import('./sim/demo-world.js');
  const made = await loadDemoWorld(store, config.demo, progress);
  log(`Demo world: ${made.artists} artists, ${made.tracks} tracks, ${made.users} users, ${made.interactions} interactions in ${(made.ms / 1000).toFixed(1)} s`);
}
