/**
 * The demo world `npm start` loads into an empty store: a catalogue, a population of
 * listeners and a few weeks of their listening, all from one seed. `generateDemoWorld` is pure
 * (no store, no clock); `loadDemoWorld` writes its output in chunks and reports progress.
 */
import type { DemoConfig } from '../config.js';
import type { Artist, Interaction, Track, User } from '../domain/types.js';
import type { Progress } from '../lib/progress.js';
import type { Store } from '../store/ports.js';
import { buildCatalogue, type Catalogue } from './catalogue.js';
import { buildListeners, type Listener } from './listeners.js';
import { listeningLog, listeningLogBatches, type LogBatch } from './listening-log.js';
import { NameForge } from './names.js';
import { Rng } from './random.js';

/** The demo log ends just before 2026-11-01T00:00:00Z; the window is fixed so output never depends on the clock. */
export const DEMO_REFERENCE_TIME = Date.UTC(2026, 10, 1);

export type DemoWorldConfig = Pick<DemoConfig, 'seed' | 'users' | 'artists' | 'tracks' | 'days'>;

export interface DemoWorldOptions {
  /** End of the simulated window (exclusive); DEMO_REFERENCE_TIME unless a test moves it. */
  referenceTime?: number;
}

export interface DemoWorld {
  config: DemoWorldConfig;
  referenceTime: number;
  artists: Artist[];
  tracks: Track[];
  users: User[];
  /** The hidden side, for tests and for the simulator to build on. */
  catalogue: Catalogue;
  listeners: Listener[];
  /** The listening log in time order; each call replays it from the start. */
  interactions(): Generator<Interaction>;
  /** The same log in chronological batches with day progress. */
  interactionBatches(): Generator<LogBatch>;
}

export function generateDemoWorld(config: DemoWorldConfig, options: DemoWorldOptions = {}): DemoWorld {
  const referenceTime = options.referenceTime ?? DEMO_REFERENCE_TIME;
  const root = new Rng(config.seed, 'mixtape-demo');
  const names = new NameForge();
  const catalogue = buildCatalogue(root.fork('catalogue'), { artists: config.artists, tracks: config.tracks, referenceTime }, names);
  const population = buildListeners(root.fork('listeners'), catalogue, { users: config.users, days: config.days, referenceTime }, names);
  const logOptions = { seed: config.seed, days: config.days, referenceTime };
  const logRng = root.fork('listening');
  return {
    config: { seed: config.seed, users: config.users, artists: config.artists, tracks: config.tracks, days: config.days },
    referenceTime,
    artists: catalogue.artists,
    tracks: catalogue.tracks,
    users: population.users,
    catalogue,
    listeners: population.listeners,
    interactions: () => listeningLog(logRng, catalogue, population.listeners, logOptions),
    interactionBatches: () => listeningLogBatches(logRng, catalogue, population.listeners, logOptions),
  };
}

export interface DemoLoadResult {
  artists: number;
  tracks: number;
  users: number;
  interactions: number;
  ms: number;
}

const ENTITY_CHUNK = 1000;
const INTERACTION_CHUNK = 5000;

/** Generates the demo world for `config` and writes it to `store`, which is expected to be empty. */
export async function loadDemoWorld(store: Store, config: DemoConfig, progress: Progress): Promise<DemoLoadResult> {
  const started = performance.now();
  progress.start('Demo: catalogue and listeners', 1);
  const world = generateDemoWorld(config);
  progress.update(1);
  progress.stop();

  await writeInChunks('Demo: artists', world.artists, (chunk) => store.artists.upsertMany(chunk), progress);
  await writeInChunks('Demo: tracks', world.tracks, (chunk) => store.tracks.upsertMany(chunk), progress);
  await writeInChunks('Demo: users', world.users, (chunk) => store.users.upsertMany(chunk), progress);

  let interactions = 0;
  let buffer: Interaction[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const result = await store.interactions.append(buffer);
    interactions += result.inserted.length;
    buffer = [];
  };
  let phaseStarted = false;
  for (const batch of world.interactionBatches()) {
    if (!phaseStarted) {
      progress.start('Demo: listening history (days)', batch.daysTotal);
      phaseStarted = true;
    }
    for (const event of batch.events) {
      buffer.push(event);
      if (buffer.length >= INTERACTION_CHUNK) await flush();
    }
    progress.update(batch.daysDone);
  }
  await flush();
  if (phaseStarted) progress.stop();

  return {
    artists: world.artists.length,
    tracks: world.tracks.length,
    users: world.users.length,
    interactions,
    ms: Math.round(performance.now() - started),
  };
}

async function writeInChunks<T>(label: string, items: readonly T[], write: (chunk: readonly T[]) => Promise<void>, progress: Progress): Promise<void> {
  progress.start(label, items.length);
  for (let i = 0; i < items.length; i += ENTITY_CHUNK) {
    await write(items.slice(i, i + ENTITY_CHUNK));
    progress.update(Math.min(items.length, i + ENTITY_CHUNK));
  }
  progress.stop();
}
