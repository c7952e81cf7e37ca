/**
 * A small world with one clear reason behind each source, for pipeline tests:
 *
 * - four genres, two artists each, ten tracks per artist on two albums (old releases), plus
 *   one fresh shoegaze release by pw-a00 and one fresh jazz release by pw-a20;
 * - alice loves shoegaze (played five tracks of pw-a00's first album and one of pw-a01's),
 *   skipped one track and disliked another; her friends bob and carol both just played the
 *   jazz track pw-t200;
 * - erin plays folk; her only friend is bob;
 * - a crowd of twenty plays techno on weekday mornings (popular in that context).
 */
import type { Artist, Interaction, Track, User } from '../../src/domain/types.js';
import { trackSearchText } from '../../src/lib/text.js';
import type { Store } from '../../src/store/ports.js';

/** Monday 2026-11-02 08:00 UTC: the moment tests ask for recommendations. */
export const NOW = Date.UTC(2026, 10, 2, 8, 0);
const DAY = 86_400_000;
export const GENRES = [
  { name: 'shoegaze', tag: 'dreamy' },
  { name: 'techno', tag: 'dark' },
  { name: 'jazz', tag: 'smooth' },
  { name: 'folk', tag: 'acoustic' },
];

export const artist = (g: number, a: number) => `pw-a${g}${a}`;
export const track = (g: number, a: number, t: number) => `pw-t${g}${a}${t}`;
export const FRESH_SHOEGAZE = 'pw-t00f';
export const FRESH_JAZZ = 'pw-t20f';

export function worldTracks(): Track[] {
  const tracks: Track[] = [];
  const add = (id: string, g: number, a: number, title: string, album: string, releaseDate: string) =>
    tracks.push({
      id, title, artistIds: [artist(g, a)], album, releaseDate, genres: [GENRES[g].name], tags: [GENRES[g].name, GENRES[g].tag],
      popularity: 50, searchText: trackSearchText(title, album, [`${GENRES[g].name} artist ${a}`]), source: 'test',
    });
  GENRES.forEach((_, g) => {
    for (let a = 0; a < 2; a++) {
      for (let t = 0; t < 10; t++) add(track(g, a, t), g, a, `${GENRES[g].name} ${a}.${t}`, `Album ${Math.floor(t / 5)}`, '2010-05-01');
    }
  });
  add(FRESH_SHOEGAZE, 0, 0, 'Fresh Shoegaze', 'New Album', new Date(NOW - 8 * DAY).toISOString().slice(0, 10));
  add(FRESH_JAZZ, 2, 0, 'Fresh Jazz', 'New Jazz', new Date(NOW - 5 * DAY).toISOString().slice(0, 10));
  return tracks;
}

function worldUsers(): User[] {
  const user = (id: string, displayName: string, friendIds: string[] = []): User => ({ id, displayName, timezone: 'UTC', source: 'test', friendIds, createdAt: 0 });
  return [
    user('alice', 'Alice', ['bob', 'carol']), user('bob', 'Bob'), user('carol', 'Carol'), user('erin', 'Erin', ['bob']),
    ...Array.from({ length: 20 }, (_, i) => user(`crowd-${i}`, `Crowd ${i}`)),
  ];
}

export function worldEvents(): Interaction[] {
  const events: Interaction[] = [];
  let seq = 0;
  const add = (userId: string, targetId: string, timestamp: number, type: Interaction['type'] = 'PLAY') =>
    events.push({
      eventId: `pw-${seq++}`, userId, targetKind: 'TRACK', targetId, type, count: 1, msPlayed: 180_000,
      context: { timestamp, timezone: 'UTC' }, receivedAt: timestamp,
    });
  const lastMonday = NOW - 7 * DAY;
  for (let t = 0; t < 5; t++) add('alice', track(0, 0, t), lastMonday + t * 60_000);
  add('alice', track(0, 1, 0), lastMonday + 10 * 60_000);
  add('alice', track(0, 0, 5), lastMonday + 11 * 60_000, 'SKIP');
  add('alice', track(0, 1, 1), lastMonday + 12 * 60_000, 'DISLIKE');
  for (const friend of ['bob', 'carol']) add(friend, track(2, 0, 0), NOW - DAY);
  add('bob', track(2, 0, 1), NOW - DAY + 60_000);
  add('carol', track(2, 1, 0), NOW - DAY + 60_000);
  for (let t = 0; t < 3; t++) add('erin', track(3, 0, t), lastMonday + t * 60_000);
  for (let c = 0; c < 20; c++) {
    for (let t = 0; t < 10; t++) add(`crowd-${c}`, track(1, t % 2, t), lastMonday + c * 600_000 + t * 1000);
  }
  return events;
}

export async function seedWorld(store: Store): Promise<void> {
  const artists: Artist[] = GENRES.flatMap((genre, g) => [0, 1].map((a) => ({
    id: artist(g, a), name: `${genre.name} artist ${a}`, genres: [genre.name], tags: [{ tag: genre.tag, count: 1 }], source: 'test',
  })));
  await store.artists.upsertMany(artists);
  await store.tracks.upsertMany(worldTracks());
  await store.users.upsertMany(worldUsers());
  await store.interactions.append(worldEvents());
}
