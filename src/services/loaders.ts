/**
 * Per-request DataLoaders: every entity lookup of one request tick goes to the store as one
 * batched read, so a query over 50 tracks and their artists costs two reads, not 100.
 * Loaders cache for one request only: create a fresh set per request.
 */
import DataLoader from 'dataloader';
import type { Artist, Playlist, Track, User } from '../domain/types.js';
import type { AnnHit } from '../models/ann/index.js';
import type { AnnQuery } from '../pipeline/index.js';
import type { CfServing } from './cf-serving.js';
import type { EntityReader, Store } from '../store/ports.js';

export interface Loaders {
  users: DataLoader<string, User | null>;
  artists: DataLoader<string, Artist | null>;
  tracks: DataLoader<string, Track | null>;
  playlists: DataLoader<string, Playlist | null>;
  ann: DataLoader<AnnLookup, AnnHit[]>;
  annStats: AnnStats;
}

function loaderFor<T>(reader: EntityReader<T>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => (await reader.getMany(ids)).map((item) => item ?? null), {
    maxBatchSize: 1000,
  });
}

export function createLoaders(store: Store, cf: CfServing): Loaders {
  const annStats: AnnStats = { searches: 0, queries: 0, batches: [] };
  return {
    users: loaderFor(store.users),
    artists: loaderFor(store.artists),
    tracks: loaderFor(store.tracks),
    playlists: loaderFor(store.playlists),
    ann: createAnnLoader(cf, annStats),
    annStats,
  };
}

/** Loads entities that must exist (ids taken from stored records); missing ones are dropped. */
export async function loadExisting<T>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<T[]> {
  const items = await loader.loadMany(ids);
  return items.filter((item): item is T => item !== null && !(item instanceof Error));
}

/** One nearest-neighbour lookup: against the user index (a listener's vector) or the similar-items index. */
export type AnnLookup = AnnQuery;

/** Counts batched searches, for tests and the debug output. */
export interface AnnStats {
  searches: number;
  queries: number;
  /** One "KIND:index" entry per batched search, in order. */
  batches: string[];
}

/**
 * Gathers every ANN lookup of one request tick and runs one batched search per (kind, index):
 * USearch answers a batch of queries in one call, on several threads.
 */
export function createAnnLoader(cf: CfServing, stats: AnnStats = { searches: 0, queries: 0, batches: [] }): DataLoader<AnnLookup, AnnHit[]> {
  return new DataLoader<AnnLookup, AnnHit[]>(
    async (lookups) => {
      const results: (AnnHit[] | Error)[] = new Array(lookups.length);
      const groups = new Map<string, number[]>();
      lookups.forEach((lookup, i) => {
        const key = `${lookup.kind}:${lookup.index}`;
        const group = groups.get(key);
        if (group) group.push(i);
        else groups.set(key, [i]);
      });
      for (const positions of groups.values()) {
        const first = lookups[positions[0]];
        const bundle = cf.bundle(first.kind);
        if (!bundle) {
          for (const i of positions) results[i] = [];
          continue;
        }
        const index = first.index === 'user' ? bundle.userIndex : bundle.similarIndex;
        const d = index.dimensions;
        const queries = new Float32Array(positions.length * d);
        positions.forEach((i, n) => queries.set(lookups[i].vector, n * d));
        const k = Math.max(...positions.map((i) => lookups[i].k));
        const hits = index.search(queries, positions.length, k, { exclude: positions.map((i) => lookups[i].exclude) });
        stats.searches++;
        stats.queries += positions.length;
        stats.batches.push(`${first.kind}:${first.index}`);
        positions.forEach((i, n) => {
          results[i] = hits[n].slice(0, lookups[i].k);
        });
      }
      return results;
    },
    { cache: false, maxBatchSize: 1024 },
  );
}
