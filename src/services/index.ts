/**
 * The services a request can use, built once per process from a store and configuration.
 */
import type { Config } from '../config.js';
import { ContextPopularity } from '../models/popularity/context-popularity.js';
import type { Store } from '../store/ports.js';
import { CatalogueService } from './catalogue.service.js';
import { IngestionService } from './ingestion.service.js';
import { PlaylistService } from './playlist.service.js';
import { RecommendationService } from './recommendation.service.js';
import { UserService } from './user.service.js';

export interface Services {
  catalogue: CatalogueService;
  users: UserService;
  playlists: PlaylistService;
  ingestion: IngestionService;
  recommendations: RecommendationService;
  popularity: ContextPopularity;
}

export type ServiceConfig = Pick<Config, 'maxPageSize' | 'maxInteractionBatch'>;

export function createServices(store: Store, config: ServiceConfig, now: () => number = Date.now): Services {
  const popularity = new ContextPopularity(async (trackIds) => (await store.tracks.getMany(trackIds)).map((t) => t?.artistIds));
  const ingestion = new IngestionService(store, config.maxInteractionBatch, now);
  ingestion.onStored((events) => popularity.observe(events));
  return {
    catalogue: new CatalogueService(store, config.maxPageSize),
    users: new UserService(store, config.maxPageSize),
    playlists: new PlaylistService(store, config.maxPageSize, now),
    ingestion,
    recommendations: new RecommendationService(store, popularity, now),
    popularity,
  };
}

/** Rebuilds the online state (popularity) from every stored interaction, with progress. */
export async function warmUp(store: Store, services: Services, onProgress: (done: number) => void = () => {}): Promise<void> {
  let done = 0;
  for await (const batch of store.interactions.scan(20_000)) {
    await services.popularity.observe(batch);
    done += batch.length;
    onProgress(done);
  }
}
