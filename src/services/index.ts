/**
 * The services a request can use, built once per process from a store and configuration.
 */
import type { Config, RecommendConfig } from '../config.js';
import { ContextPopularity, type PopularityModel, type TrackArtistLookup } from '../models/popularity/context-popularity.js';
import type { Interaction } from '../domain/types.js';
import { ItemStats, type PipelineSettings, pipelineSettings, RecommendationPipeline, SOURCE_NAMES } from '../pipeline/index.js';
import type { Store } from '../store/ports.js';
import { CatalogueService } from './catalogue.service.js';
import { CatalogueSnapshots } from './catalogue-snapshots.js';
import { type BundleLoader, CfServing } from './cf-serving.js';
import { type HistorySource, historySources, type HistorySources } from './history-cache.js';
import { UserCache } from './user-cache.js';
import { ModelService } from './model.service.js';
import { loadCfBundle } from './training/cf-artifacts.js';
import { TrainingService } from './training/training.service.js';
import { IngestionService } from './ingestion.service.js';
import type { PeerBus } from './peers.js';
import { PlaylistService } from './playlist.service.js';
import { RecommendationService } from './recommendation.service.js';
import { UserService } from './user.service.js';

export interface Services {
  catalogue: CatalogueService;
  users: UserService;
  playlists: PlaylistService;
  ingestion: IngestionService;
  recommendations: RecommendationService;
  popularity: PopularityModel;
  models: ModelService;
  cf: CfServing;
  training: TrainingService;
  /** The pipeline's catalogue snapshots (built at start-up, rebuilt when the catalogue changes). */
  catalogues: CatalogueSnapshots;
  /** Where requests read listeners' own histories (a cache in embedded mode). */
  histories: HistorySource;
  itemStats: ItemStats;
}

/** Where online state lives and how stored signals reach it; see src/runtime.ts. */
export interface OnlineWiring {
  popularity: PopularityModel;
  /**
   * Item statistics for ranking features, warmed from the store at start-up; stored events
   * reach them in this process (createServices). Created empty when not given.
   */
  itemStats?: ItemStats;
  /** Delivers stored events to the online learners (in-process, or a queue in distributed mode). */
  deliverSignals(events: readonly Interaction[]): Promise<void>;
  /**
   * Other API processes on this machine (cluster mode). Stored events and model activations
   * are published to them; their events reach this process's in-memory state.
   */
  peers?: PeerBus;
  /** True when the online state is shared by every process (Redis): peers' events need no applying here. */
  sharedState?: boolean;
  /** Listeners' histories, created before the start-up scan so it can prime them; default: historySources. */
  histories?: HistorySources;
}

/** The artists of tracks, read from the store (popularity counts track plays for artists too). */
export function trackArtistLookup(store: Store): TrackArtistLookup {
  return async (trackIds) => (await store.tracks.getMany(trackIds)).map((t) => t?.artistIds);
}

/** Embedded wiring: popularity in memory, signals applied in-process. */
export function inProcessWiring(store: Store): OnlineWiring {
  const popularity = new ContextPopularity(trackArtistLookup(store));
  return { popularity, itemStats: new ItemStats(trackArtistLookup(store)), deliverSignals: (events) => popularity.observe(events) };
}

export type ServiceConfig = Pick<Config, 'maxPageSize' | 'maxInteractionBatch' | 'artifactsDir' | 'annIndex'> & Partial<Pick<Config, 'redisUrl' | 'recommend'>>;

/** The pipeline settings a configuration asks for (defaults for what it leaves out). */
export function settingsFromConfig(config: RecommendConfig | undefined): PipelineSettings {
  if (!config) return pipelineSettings();
  const cap = config.sourceCap;
  return pipelineSettings({
    maxCandidates: config.maxCandidates, budgetMs: config.budgetMs, mmrLambda: config.mmrLambda, explorationEvery: config.exploreEvery,
    ...(cap === undefined ? {} : { sourceCaps: Object.fromEntries(SOURCE_NAMES.map((name) => [name, cap])) }),
  });
}

export function createServices(
  store: Store,
  config: ServiceConfig,
  wiring: OnlineWiring = inProcessWiring(store),
  now: () => number = Date.now,
  loadBundle: BundleLoader = loadCfBundle,
): Services {
  const { popularity } = wiring;
  const itemStats = wiring.itemStats ?? new ItemStats(trackArtistLookup(store));
  const cf = new CfServing(store, loadBundle);
  const models = new ModelService(store);
  models.onActivated(async (version) => {
    if (version.model.startsWith('cf:')) await cf.activate(version);
  });
  const ingestion = new IngestionService(store, config.maxInteractionBatch, now);
  const { histories, friendHistories } = wiring.histories ?? historySources(store, Boolean(config.redisUrl));
  ingestion.onStored(async (events) => {
    histories.extend(events);
    if (friendHistories !== histories) friendHistories.extend(events);
    // Ranking features follow the signal flow in every process (item statistics are per
    // process); their failure must not keep the events from the other learners.
    await itemStats.observe(events).catch((error: unknown) => console.error('item statistics update failed:', error));
    await wiring.deliverSignals(events);
    wiring.peers?.publish({ kind: 'signals', events });
  });
  models.onActivated(async () => wiring.peers?.publish({ kind: 'models' }));
  wiring.peers?.subscribe(async (message) => {
    if (message.kind === 'models') return cf.syncWithStore();
    // The peer stored these events: its relay is what the store holds.
    histories.extend(message.events);
    if (friendHistories !== histories) friendHistories.extend(message.events);
    await itemStats.observe(message.events).catch((error: unknown) => console.error('item statistics update failed:', error));
    if (!wiring.sharedState) await popularity.observe(message.events);
  });
  const catalogue = new CatalogueService(store, config.maxPageSize);
  const catalogues = new CatalogueSnapshots(store, (line) => console.error(line));
  catalogue.onChanged(() => catalogues.invalidate());
  const pipeline = new RecommendationPipeline(settingsFromConfig(config.recommend));
  return {
    catalogue,
    users: new UserService(store, config.maxPageSize),
    playlists: new PlaylistService(store, config.maxPageSize, now),
    ingestion,
    recommendations: new RecommendationService({ popularity, cf, histories, friendHistories, catalogues, itemStats, pipeline, users: new UserCache(store), now }),
    popularity,
    models,
    cf,
    training: new TrainingService(store, models, { artifactsDir: config.artifactsDir, ann: config.annIndex, pipeline: pipeline.settings }),
    catalogues,
    histories,
    itemStats,
  };
}

/** Feeds every stored interaction to the online state (popularity, item statistics, the history primer), with progress. */
export async function warmUp(
  store: Store,
  observers: readonly { observe(events: readonly Interaction[]): Promise<void> }[],
  onProgress: (done: number) => void = () => {},
): Promise<void> {
  let done = 0;
  for await (const batch of store.interactions.scan(20_000)) {
    for (const observer of observers) await observer.observe(batch);
    done += batch.length;
    onProgress(done);
  }
}
