/**
 * A small hand-made world for API tests: a few artists and genres, users with known
 * histories, and listening concentrated in known contexts.
 */
import type { Artist, Interaction, Track, User } from '../../src/domain/types.js';
import { trackSearchText } from '../../src/lib/text.js';
import type { Store } from '../../src/store/ports.js';

export const GENRES = ['rock', 'jazz', 'techno', 'folk', 'ambient'];
/** Monday 2026-11-02 08:00 UTC: a weekday morning. */
export const MONDAY_MORNING = Date.UTC(2026, 10, 2, 8, 0);
/** Saturday 2026-11-07 23:00 UTC: a weekend late evening. */
export const SATURDAY_NIGHT = Date.UTC(2026, 10, 7, 23, 0);

export function artistId(i: number): string {
  return `art-${String(i).padStart(3, '0')}`;
}
export function trackId(i: number): string {
  return `trk-${String(i).padStart(4, '0')}`;
}
export function userId(i: number): string {
  return `usr-${String(i).padStart(3, '0')}`;
}

export function fixtureArtists(n = 20): Artist[] {
  return Array.from({ length: n }, (_, i) => ({
    id: artistId(i), name: `Artist ${i} ${GENRES[i % GENRES.length]}`, genres: [GENRES[i % GENRES.length]],
    tags: [{ tag: GENRES[i % GENRES.length], count: 3 }], source: 'test',
  }));
}

/** Track i is by artist i % artists, in that artist's genre, released in 2000 + i % 25. */
export function fixtureTracks(n = 200, artists = 20): Track[] {
  return Array.from({ length: n }, (_, i) => {
    const genre = GENRES[(i % artists) % GENRES.length];
    const title = `Song ${i}`;
    return {
      id: trackId(i), title, artistIds: [artistId(i % artists)], album: `Album ${Math.floor(i / 10)}`, durationMs: 200_000,
      releaseDate: `${2000 + (i % 25)}-06-01`, genres: [genre], tags: [genre],
      audioFeatures: { energy: genre === 'techno' ? 0.9 : 0.3 }, searchText: trackSearchText(title, `Album ${Math.floor(i / 10)}`, [`Artist ${i % artists} ${genre}`]),
      source: 'test',
    };
  });
}

export function fixtureUsers(n = 30): User[] {
  return Array.from({ length: n }, (_, i) => ({
    id: userId(i), displayName: `Listener ${i}`, timezone: 'UTC', country: 'SE', source: 'test',
    friendIds: [userId((i + 1) % n)], createdAt: 0,
  }));
}

/**
 * Plays: user u plays tracks u*3 … u*3+9 on weekday mornings; everyone also plays tracks 100–104
 * on Saturday nights (a late-weekend hit list) and tracks 0–4 on weekday mornings.
 */
export function fixturePlays(users = 30): Interaction[] {
  const events: Interaction[] = [];
  const add = (u: number, t: number, timestamp: number) =>
    events.push({
      eventId: `fx-${u}-${t}-${timestamp}`, userId: userId(u), targetKind: 'TRACK', targetId: trackId(t), type: 'PLAY',
      msPlayed: 180_000, count: 1, context: { timestamp, timezone: 'UTC', device: 'MOBILE' }, receivedAt: timestamp,
    });
  for (let u = 0; u < users; u++) {
    for (let k = 0; k < 10; k++) add(u, (u * 3 + k) % 100, MONDAY_MORNING + k * 60_000);
    if (u >= 5) for (let t = 100; t < 105; t++) add(u, t, SATURDAY_NIGHT + t * 1000);
    if (u >= 5) for (let t = 0; t < 5; t++) add(u, t, MONDAY_MORNING + 3_600_000 + t * 1000);
  }
  return events;
}

export async function seedFixtures(store: Store): Promise<void> {
  await store.artists.upsertMany(fixtureArtists());
  await store.tracks.upsertMany(fixtureTracks());
  await store.users.upsertMany(fixtureUsers());
  await store.interactions.append(fixturePlays());
}
