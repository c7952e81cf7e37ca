/**
 * Per-request DataLoaders: every entity lookup of one request tick goes to the store as one
 * batched read, so a query over 50 tracks and their artists costs two reads, not 100.
 * Loaders cache for one request only: create a fresh set per request.
 */
import DataLoader from 'dataloader';
import type { Artist, Playlist, Track, User } from '../domain/types.js';
import type { EntityReader, Store } from '../store/ports.js';

export interface Loaders {
  users: DataLoader<string, User | null>;
  artists: DataLoader<string, Artist | null>;
  tracks: DataLoader<string, Track | null>;
  playlists: DataLoader<string, Playlist | null>;
}

function loaderFor<T>(reader: EntityReader<T>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => (await reader.getMany(ids)).map((item) => item ?? null), {
    maxBatchSize: 1000,
  });
}

export function createLoaders(store: Store): Loaders {
  return {
    users: loaderFor(store.users),
    artists: loaderFor(store.artists),
    tracks: loaderFor(store.tracks),
    playlists: loaderFor(store.playlists),
  };
}

/** Loads entities that must exist (ids taken from stored records); missing ones are dropped. */
export async function loadExisting<T>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<T[]> {
  const items = await loader.loadMany(ids);
  return items.filter((item): item is T => item !== null && !(item instanceof Error));
}
