/**
 * Typed configuration. This is the only module that reads the environment: everything else
 * receives a Config. Embedded defaults need nothing set; a bad value stops start-up with a
 * message naming the variable and what it accepts.
 */
import os from 'node:os';
import path from 'node:path';

export type Environment = 'development' | 'production' | 'test';

export interface Config {
  env: Environment;
  host: string;
  port: number;
  /** Where the embedded store and model artifacts live. */
  dataDir: string;
  /** Set: the MongoDB store adapter; unset: the embedded SQLite store under dataDir. */
  mongodbUri?: string;
  mongodbDatabase: string;
  /** Set: BullMQ queues and model workers; unset: in-process execution. */
  redisUrl?: string;
  /** Prefix of every Redis key Mixtape writes (queues and online state). */
  redisPrefix: string;
  /**
   * Bearer token that grants admin rights. Unset outside production means every request is
   * treated as admin (a local sandbox); production refuses to start without it.
   */
  adminToken?: string;
  /** Where trained model versions keep their artifacts. */
  artifactsDir: string;
  /** Train models that have data but no serving version when the API starts (embedded mode). */
  trainOnStart: boolean;
  /** ANN index for CF serving: exact for small catalogues, USearch for large ones ('auto'). */
  annIndex: 'auto' | 'usearch' | 'exact';
  /** How often an API replica checks the store for newly activated model versions (0: never). */
  modelSyncSeconds: number;
  /** Most events accepted by one recordInteractions call. */
  maxInteractionBatch: number;
  /** Most items one page of a connection may ask for. */
  maxPageSize: number;
  /**
   * API processes sharing the port (node:cluster). 1: this process serves. More: a primary
   * prepares the store and models once, then forks that many workers that relay stored
   * signals and model activations to each other (src/server/cluster.ts).
   */
  serverProcesses: number;
  /**
   * How long an idle keep-alive connection stays open, in ms. Longer than the idle timeout of
   * the clients and load balancers in front (60 s on common ones): when the server closes an
   * idle socket first, a request the client sends on it at that moment fails.
   */
  keepAliveMs: number;
  /** The recommendation pipeline's main knobs (the rest keep src/pipeline/settings.ts defaults). */
  recommend: RecommendConfig;
  demo: DemoConfig;
}

export interface RecommendConfig {
  /** Most candidates per source; unset keeps each source's default. */
  sourceCap?: number;
  /** Most candidates per request after merging the sources. */
  maxCandidates: number;
  /** Time the candidate sources get per request. */
  budgetMs: number;
  /** MMR trade-off: 1 = relevance only, 0 = diversity only. */
  mmrLambda: number;
  /** Every n-th list position is an exploration slot; 0 = none. */
  exploreEvery: number;
  /**
   * Listeners (the most recently active) whose recommendations each API process computes once
   * before it reports ready, so their first request reuses cached work; 0 = none.
   */
  prewarmListeners: number;
}

export interface DemoConfig {
  /** Generate the demo world on start when the store is empty. */
  enabled: boolean;
  seed: number;
  users: number;
  artists: number;
  tracks: number;
  days: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const config: Config = {
    env: nodeEnv,
    host: read.string('HOST', 'localhost'),
    port: read.integer('PORT', 4000, 0, 65535),
    dataDir: path.resolve(read.string('DATA_DIR', './data')),
    mongodbUri: read.url('MONGODB_URI', ['mongodb:', 'mongodb+srv:']),
    mongodbDatabase: read.string('MONGODB_DATABASE', 'mixtape'),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: read.string('REDIS_PREFIX', 'mixtape'),
    adminToken: read.optional('ADMIN_TOKEN'),
    artifactsDir: '',
    trainOnStart: read.boolean('TRAIN_ON_START', true),
    annIndex: read.oneOf('ANN_INDEX', ['auto', 'usearch', 'exact'] as const, 'auto'),
    modelSyncSeconds: read.integer('MODEL_SYNC_SECONDS', 30, 0, 86_400),
    maxInteractionBatch: read.integer('MAX_INTERACTION_BATCH', 500, 1, 10_000),
    maxPageSize: read.integer('MAX_PAGE_SIZE', 100, 1, 1000),
    serverProcesses: read.processCount('SERVER_PROCESSES', 1),
    keepAliveMs: read.integer('HTTP_KEEP_ALIVE_MS', 65_000, 1, 3_600_000),
    recommend: {
      sourceCap: read.optional('RECOMMEND_SOURCE_CAP') === undefined ? undefined : read.integer('RECOMMEND_SOURCE_CAP', 0, 0, 10_000),
      maxCandidates: read.integer('RECOMMEND_MAX_CANDIDATES', 400, 1, 10_000),
      budgetMs: read.integer('RECOMMEND_BUDGET_MS', 150, 1, 60_000),
      mmrLambda: read.number('RECOMMEND_MMR_LAMBDA', 0.8, 0, 1),
      exploreEvery: read.integer('RECOMMEND_EXPLORE_EVERY', 10, 0, 1000),
      prewarmListeners: read.integer('RECOMMEND_PREWARM_LISTENERS', 2000, 0, 1_000_000),
    },
    demo: {
      enabled: read.boolean('DEMO_DATA', true),
      seed: read.integer('DEMO_SEED', 42, 0, 2 ** 31 - 1),
      users: read.integer('DEMO_USERS', 1000, 1, 10_000_000),
      artists: read.integer('DEMO_ARTISTS', 1500, 1, 10_000_000),
      tracks: read.integer('DEMO_TRACKS', 10_000, 1, 100_000_000),
      days: read.integer('DEMO_DAYS', 28, 1, 3650),
    },
  };
  config.artifactsDir = path.resolve(read.string('ARTIFACTS_DIR', path.join(config.dataDir, 'models')));
  if (config.env === 'production' && !config.adminToken) {
    problems.push('ADMIN_TOKEN must be set when NODE_ENV=production (it guards admin operations)');
  }
  if (config.adminToken !== undefined && config.adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Which adapters the configuration selects, for logs and health output. */
export function describeMode(config: Config): { store: 'embedded' | 'mongodb'; execution: 'in-process' | 'bullmq' } {
  return {
    store: config.mongodbUri ? 'mongodb' : 'embedded',
    execution: config.redisUrl ? 'bullmq' : 'in-process',
  };
}

class EnvReader {
  constructor(private readonly env: Env, private readonly problems: string[]) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** An integer from 1 to 256, or 'auto' for one per core. */
  processCount(name: string, fallback: number): number {
    const raw = this.optional(name);
    if (raw?.toLowerCase() === 'auto') return Math.max(1, os.availableParallelism());
    return this.integer(name, fallback, 1, 256);
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${url.protocol}//…"`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return raw;
  }
}
