/**
 * The project's own service as a policy, in process: the services an embedded Mixtape
 * server runs (createServices with in-process popularity) on an in-memory store seeded with
 * the world's catalogue, listeners and warm-up log. Slates come from
 * RecommendationService.recommend as ADMIN, reactions go back through
 * IngestionService.record, so the popularity model and (after retraining) CF learn from them.
 *
 * `mixtape`: CF trained with TrainingService.trainCf('TRACK') after the warm-up and again
 * every `retrainDays` days. `mixtape-popularity`: the same service without any CF version,
 * so it serves context popularity only.
 *
 * Determinism: the service's popularity model re-sorts its charts by wall-clock time (at
 * most once a second while events arrive), which would make slates depend on how fast the
 * machine runs. Here the model is rebuilt from every stored event at the end of each
 * simulated day and left untouched during the day, so charts are a function of the events
 * alone: the popularity source learns in daily batches. Its clock (`now`) is the simulated one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import type { Interaction, ListeningContext, TargetKind } from '../../domain/types.js';
import { silentProgress } from '../../lib/progress.js';
import { ContextPopularity, type PopularityCandidate, type PopularityModel } from '../../models/popularity/context-popularity.js';
import { ADMIN } from '../../services/access.js';
import { createServices, type Services, trackArtistLookup } from '../../services/index.js';
import type { ContextInput, InteractionInput } from '../../services/ingestion.service.js';
import { createLoaders } from '../../services/loaders.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/ports.js';
import type { World } from '../world.js';
import type { Policy } from './policy.js';

export interface MixtapePolicyOptions {
  /** Train CF after the warm-up and every retrainDays days; false: popularity only. */
  train: boolean;
  retrainDays: number;
  log?: (line: string) => void;
}

const ENTITY_CHUNK = 1000;
const EVENT_CHUNK = 5000;

/** The service's popularity model, rebuilt from all stored events on refresh() and frozen in between. */
class DailyPopularity implements PopularityModel {
  private readonly events: Interaction[] = [];
  private current: ContextPopularity;

  constructor(private readonly store: Store) {
    this.current = new ContextPopularity(trackArtistLookup(store));
  }

  async observe(events: readonly Interaction[]): Promise<void> {
    for (const e of events) this.events.push(e);
  }

  rank(kind: TargetKind, context: ListeningContext, limit: number, exclude: ReadonlySet<string>): Promise<PopularityCandidate[]> {
    return this.current.rank(kind, context, limit, exclude);
  }

  async refresh(): Promise<void> {
    const next = new ContextPopularity(trackArtistLookup(this.store));
    for (let i = 0; i < this.events.length; i += EVENT_CHUNK) await next.observe(this.events.slice(i, i + EVENT_CHUNK));
    this.current = next;
  }
}

export class MixtapePolicy implements Policy {
  readonly name: string;

  private constructor(
    private readonly store: Store,
    private readonly services: Services,
    private readonly popularity: DailyPopularity,
    private readonly clock: { now: number },
    private readonly dataDir: string,
    private readonly options: MixtapePolicyOptions,
    private readonly maxBatch: number,
  ) {
    this.name = options.train ? 'mixtape' : 'mixtape-popularity';
  }

  static async create(world: World, options: MixtapePolicyOptions): Promise<MixtapePolicy> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-sim-'));
    const config = loadConfig({ DEMO_DATA: 'false', TRAIN_ON_START: 'false', MODEL_SYNC_SECONDS: '0', DATA_DIR: dataDir });
    const store = await openStore({ dataDir: ':memory:' });
    try {
      const { artists, tracks, users } = world.demo;
      for (let i = 0; i < artists.length; i += ENTITY_CHUNK) await store.artists.upsertMany(artists.slice(i, i + ENTITY_CHUNK));
      for (let i = 0; i < tracks.length; i += ENTITY_CHUNK) await store.tracks.upsertMany(tracks.slice(i, i + ENTITY_CHUNK));
      for (let i = 0; i < users.length; i += ENTITY_CHUNK) await store.users.upsertMany(users.slice(i, i + ENTITY_CHUNK));
      const warmup = world.warmupEvents();
      for (let i = 0; i < warmup.length; i += EVENT_CHUNK) await store.interactions.append(warmup.slice(i, i + EVENT_CHUNK));

      const popularity = new DailyPopularity(store);
      await popularity.observe(warmup);
      await popularity.refresh();
      // The service's clock is the simulated one: the latest moment the policy has seen.
      const clock = { now: warmup.at(-1)?.context.timestamp ?? 0 };
      const wiring = { popularity, deliverSignals: (events: readonly Interaction[]) => popularity.observe(events) };
      const services = createServices(store, config, wiring, () => clock.now);
      const policy = new MixtapePolicy(store, services, popularity, clock, dataDir, options, config.maxInteractionBatch);
      if (options.train) await policy.train();
      return policy;
    } catch (error) {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  async recommend(listenerId: string, context: ListeningContext, k: number): Promise<string[]> {
    this.clock.now = Math.max(this.clock.now, context.timestamp);
    const list = await this.services.recommendations.recommend(
      ADMIN,
      { userId: listenerId, target: 'TRACK', context: toContextInput(context), limit: k },
      createLoaders(this.store, this.services.cf),
    );
    return list.items.map((item) => item.id);
  }

  async observe(events: readonly Interaction[]): Promise<void> {
    if (events.length === 0) return;
    for (const e of events) this.clock.now = Math.max(this.clock.now, e.context.timestamp);
    for (let i = 0; i < events.length; i += this.maxBatch) {
      await this.services.ingestion.record(ADMIN, events.slice(i, i + this.maxBatch).map(toInteractionInput));
    }
  }

  async endDay(day: number): Promise<void> {
    await this.popularity.refresh();
    if (this.options.train && (day + 1) % this.options.retrainDays === 0) await this.train();
  }

  async close(): Promise<void> {
    await this.store.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async train(): Promise<void> {
    const version = await this.services.training.trainCf('TRACK', silentProgress);
    this.options.log?.(`mixtape: trained ${version.model} on ${version.metrics.users} listeners × ${version.metrics.items} tracks (held-out ndcg@10 ${version.metrics['ndcg@10']?.toFixed(4)}, popularity ${version.metrics['popularity.ndcg@10']?.toFixed(4)})`);
  }
}

export function toContextInput(context: ListeningContext): ContextInput {
  return {
    timestamp: context.timestamp,
    timezone: context.timezone ?? null,
    device: context.device ?? null,
    location: context.location ? { country: context.location.country } : null,
    weather: context.weather ?? null,
    activity: context.activity ?? null,
  };
}

export function toInteractionInput(event: Interaction): InteractionInput {
  return {
    eventId: event.eventId,
    userId: event.userId,
    trackId: event.targetKind === 'TRACK' ? event.targetId : null,
    artistId: event.targetKind === 'ARTIST' ? event.targetId : null,
    type: event.type,
    msPlayed: event.msPlayed ?? null,
    count: event.count,
    context: toContextInput(event.context),
  };
}
