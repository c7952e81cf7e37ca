/**
 * The services a request can use, built once per process from a store and configuration.
 */
import type { Config } from '../config.js';
import { ContextPopularity, type PopularityModel, type TrackArtistLookup } from '../models/popularity/context-popularity.js';
import type { Interaction } from '../domain/types.js';
import type { Store } from '../store/ports.js';
import { CatalogueService } from './catalogue.service.js';
import { type BundleLoader, CfServing } from './cf-serving.js';
import { HistoryCache, storeHistory } from './history-cache.js';
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
}

/** Where online state lives and how stored signals reach it; see src/runtime.ts. */
export interface OnlineWiring {
  popularity: PopularityModel;
  /** Delivers stored events to the online learners (in-process, or a queue in distributed mode). */
  deliverSignals(events: readonly Interaction[]): Promise<void>;
  /**
   * Other API processes on this machine (cluster mode). Stored events and model activations
   * are published to them; their events reach this process's in-memory state.
   */
  peers?: PeerBus;
  /** True when the online state is shared by every process (Redis): peers' events need no applying here. */
  sharedState?: boolean;
}

/** The artists of tracks, read from the store (popularity counts track plays for artists too). */
export function trackArtistLookup(store: Store): TrackArtistLookup {
  return async (trackIds) => (await store.tracks.getMany(trackIds)).map((t) => t?.artistIds);
}

/** Embedded wiring: popularity in memory, signals applied in-process. */
export function inProcessWiring(store: Store): OnlineWiring {
  const popularity = new ContextPopularity(trackArtistLookup(store));
  return { popularity, deliverSignals: (events) => popularity.observe(events) };
}

export type ServiceConfig = Pick<Config, 'maxPageSize' | 'maxInteractionBatch' | 'artifactsDir' | 'annIndex'> & Partial<Pick<Config, 'redisUrl'>>;

export function createServices(
  store: Store,
  config: ServiceConfig,
  wiring: OnlineWiring = inProcessWiring(store),
  now: () => number = Date.now,
  loadBundle: BundleLoader = loadCfBundle,
): Services {
  const { popularity } = wiring;
  const cf = new CfServing(store, loadBundle);
  const models = new ModelService(store);
  models.onActivated(async (version) => {
    if (version.model.startsWith('cf:')) await cf.activate(version);
  });
  const ingestion = new IngestionService(store, config.maxInteractionBatch, now);
  // Histories are cached only where every write passes through this process (embedded mode).
  const histories = config.redisUrl ? storeHistory(store) : new HistoryCache(store);
  ingestion.onStored(async (events) => {
    histories.invalidate(new Set(events.map((e) => e.userId)));
    await wiring.deliverSignals(events);
    wiring.peers?.publish({ kind: 'signals', events });
  });
  models.onActivated(async () => wiring.peers?.publish({ kind: 'models' }));
  wiring.peers?.subscribe(async (message) => {
    if (message.kind === 'models') return cf.syncWithStore();
    histories.invalidate(new Set(message.events.map((e) => e.userId)));
    if (!wiring.sharedState) await popularity.observe(message.events);
  });
  return {
    catalogue: new CatalogueService(store, config.maxPageSize),
    users: new UserService(store, config.maxPageSize),
    playlists: new PlaylistService(store, config.maxPageSize, now),
    ingestion,
    recommendations: new RecommendationService(store, popularity, cf, histories, now),
    popularity,
    models,
    cf,
    training: new TrainingService(store, models, { artifactsDir: config.artifactsDir, ann: config.annIndex }),
  };
}

/** Rebuilds online state (popularity) from every stored interaction, with progress. */
export async function warmUp(store: Store, popularity: PopularityModel, onProgress: (done: number) => void = () => {}): Promise<void> {
  let done = 0;
  for await (const batch of store.interactions.scan(20_000)) {
    await popularity.observe(batch);
    done += batch.length;
    onProgress(done);
  }
}
