/**
 * A world with clear taste blocks, for collaborative-filtering tests: five genres, each with
 * its own artists and tracks; every listener listens within one genre only. A model that
 * learns anything recommends in-genre items.
 */
import type { Artist, Interaction, Track, User } from '../../src/domain/types.js';
import { trackSearchText } from '../../src/lib/text.js';
import type { Store } from '../../src/store/ports.js';

export const BLOCK_GENRES = ['rock', 'jazz', 'techno', 'folk', 'ambient'];
const ARTISTS_PER_GENRE = 6;
const TRACKS_PER_ARTIST = 8;
const USERS_PER_GENRE = 24;

export const blockArtist = (g: number, a: number) => `b-art-${g}-${a}`;
export const blockTrack = (g: number, a: number, t: number) => `b-trk-${g}-${a}-${t}`;
export const blockUser = (g: number, u: number) => `b-usr-${g}-${u}`;
export const genreOfId = (id: string) => Number(id.split('-')[2]);

export async function seedBlocks(store: Store): Promise<void> {
  const artists: Artist[] = [];
  const tracks: Track[] = [];
  const users: User[] = [];
  const events: Interaction[] = [];
  let seq = 0;
  // A fixed pseudo-random walk so the data is identical every run.
  let state = 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  BLOCK_GENRES.forEach((genre, g) => {
    for (let a = 0; a < ARTISTS_PER_GENRE; a++) {
      artists.push({ id: blockArtist(g, a), name: `${genre} artist ${a}`, genres: [genre], tags: [], source: 'test' });
      for (let t = 0; t < TRACKS_PER_ARTIST; t++) {
        const title = `${genre} song ${a}.${t}`;
        tracks.push({
          id: blockTrack(g, a, t), title, artistIds: [blockArtist(g, a)], genres: [genre], tags: [],
          searchText: trackSearchText(title, undefined, [`${genre} artist ${a}`]), source: 'test',
        });
      }
    }
    for (let u = 0; u < USERS_PER_GENRE; u++) {
      users.push({ id: blockUser(g, u), displayName: `${genre} fan ${u}`, source: 'test', friendIds: [], createdAt: 0 });
      for (let n = 0; n < 20; n++) {
        const a = Math.floor(next() * ARTISTS_PER_GENRE);
        const t = Math.floor(next() * TRACKS_PER_ARTIST);
        const timestamp = Date.UTC(2026, 9, 1) + seq * 60_000;
        events.push({
          eventId: `blk-${seq++}`, userId: blockUser(g, u), targetKind: 'TRACK', targetId: blockTrack(g, a, t), type: 'COMPLETE',
          msPlayed: 200_000, count: 1, context: { timestamp, timezone: 'UTC' }, receivedAt: timestamp,
        });
      }
    }
  });
  await store.artists.upsertMany(artists);
  await store.tracks.upsertMany(tracks);
  await store.users.upsertMany(users);
  await store.interactions.append(events);
}
