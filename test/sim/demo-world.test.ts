import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITIES, DEVICES, type Interaction, WEATHERS } from '../../src/domain/types.js';
import { silentProgress } from '../../src/lib/progress.js';
import { trackSearchText } from '../../src/lib/text.js';
import { DEMO_REFERENCE_TIME, type DemoWorld, type DemoWorldConfig, generateDemoWorld, loadDemoWorld } from '../../src/sim/demo-world.js';
import { openStore } from '../../src/store/index.js';

const DAY_MS = 86_400_000;
const SMALL: DemoWorldConfig = { seed: 7, users: 80, artists: 200, tracks: 1500, days: 7 };
const DEFAULT: DemoWorldConfig = { seed: 42, users: 1000, artists: 1500, tracks: 10_000, days: 28 };

function digest(world: DemoWorld): { hash: string; interactions: number } {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(world.artists));
  hash.update(JSON.stringify(world.tracks));
  hash.update(JSON.stringify(world.users));
  let interactions = 0;
  for (const event of world.interactions()) {
    hash.update(JSON.stringify(event));
    hash.update('\n');
    interactions++;
  }
  return { hash: hash.digest('hex'), interactions };
}

/** Local hour and weekday (0 = Sunday) by Intl, independently of the simulator's own clock. */
function localTime(): (timezone: string, timestamp: number) => { hour: number; weekday: number } {
  const formats = new Map<string, Intl.DateTimeFormat>();
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return (timezone, timestamp) => {
    let format = formats.get(timezone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' });
      formats.set(timezone, format);
    }
    const parts = format.formatToParts(new Date(timestamp));
    return {
      hour: Number(parts.find((p) => p.type === 'hour')!.value) % 24,
      weekday: weekdays.indexOf(parts.find((p) => p.type === 'weekday')!.value),
    };
  };
}

describe('generateDemoWorld (small config)', () => {
  it('gives byte-identical output for the same seed', () => {
    const first = digest(generateDemoWorld(SMALL));
    const second = digest(generateDemoWorld(SMALL));
    expect(first.interactions).toBeGreaterThan(1000);
    expect(second).toEqual(first);
  });

  it('replays the same log on every call to interactions()', () => {
    const world = generateDemoWorld(SMALL);
    const a = [...world.interactions()];
    const b = [...world.interactions()];
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const batched = [...world.interactionBatches()].flatMap((batch) => batch.events);
    expect(JSON.stringify(batched)).toBe(JSON.stringify(a));
  });

  it('gives different output for a different seed', () => {
    const a = generateDemoWorld(SMALL);
    const b = generateDemoWorld({ ...SMALL, seed: 8 });
    expect(digest(b).hash).not.toBe(digest(a).hash);
    expect(b.artists.map((x) => x.name)).not.toEqual(a.artists.map((x) => x.name));
    expect(b.users.map((x) => x.timezone)).not.toEqual(a.users.map((x) => x.timezone));
  });

  it('produces well-formed, consistent records', () => {
    const world = generateDemoWorld(SMALL);
    const { artists, tracks, users } = world;
    expect(artists).toHaveLength(200);
    expect(tracks).toHaveLength(1500);
    expect(users).toHaveLength(80);
    expect(artists[0].id).toBe('demo-a001');
    expect(tracks[0].id).toBe('demo-t0001');
    expect(users[0].id).toBe('demo-u01');
    expect(artists.at(-1)!.id).toBe('demo-a200');
    expect(tracks.at(-1)!.id).toBe('demo-t1500');

    const artistById = new Map(artists.map((a) => [a.id, a]));
    expect(artistById.size).toBe(artists.length);
    expect(new Set(artists.map((a) => a.name)).size).toBe(artists.length);
    for (const artist of artists) {
      expect(artist.source).toBe('demo');
      expect(artist.genres.length).toBeGreaterThanOrEqual(1);
      expect(artist.genres.length).toBeLessThanOrEqual(2);
      expect(artist.tags.map((t) => t.tag)).toEqual(expect.arrayContaining(artist.genres));
    }
    const lastReleaseDay = new Date(DEMO_REFERENCE_TIME - DAY_MS).toISOString().slice(0, 10);
    for (const track of tracks) {
      expect(track.source).toBe('demo');
      expect(track.artistIds.length).toBeGreaterThanOrEqual(1);
      expect(track.artistIds.length).toBeLessThanOrEqual(2);
      const names = track.artistIds.map((id) => artistById.get(id)!.name);
      expect(track.searchText).toBe(trackSearchText(track.title, track.album, names));
      expect(track.genres.every((g) => artistById.get(track.artistIds[0])!.genres.includes(g))).toBe(true);
      expect(track.releaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(track.releaseDate! >= '1970-01-01' && track.releaseDate! <= lastReleaseDay).toBe(true);
      expect(track.durationMs).toBeGreaterThanOrEqual(60_000);
      expect(track.popularity).toBeGreaterThanOrEqual(0);
      expect(track.popularity).toBeLessThanOrEqual(100);
      const f = track.audioFeatures!;
      for (const value of [f.energy, f.danceability, f.valence, f.acousticness, f.instrumentalness]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(f.tempo).toBeGreaterThanOrEqual(60);
      expect(f.tempo).toBeLessThanOrEqual(200);
    }

    const userIds = new Set(users.map((u) => u.id));
    const windowStart = DEMO_REFERENCE_TIME - SMALL.days * DAY_MS;
    for (const user of users) {
      expect(user.source).toBe('demo');
      expect(user.displayName).toMatch(/^\S+ \S\.$/);
      expect(user.timezone).toBeTruthy();
      expect(user.country).toMatch(/^[A-Z]{2}$/);
      expect(user.createdAt).toBeLessThan(windowStart);
      expect(user.friendIds).not.toContain(user.id);
      for (const friend of user.friendIds) {
        expect(userIds.has(friend)).toBe(true);
        // Friendship is mutual.
        expect(users.find((u) => u.id === friend)!.friendIds).toContain(user.id);
      }
    }

    const trackById = new Map(tracks.map((t) => [t.id, t]));
    const userById = new Map(users.map((u) => [u.id, u]));
    const eventIds = new Set<string>();
    let previous = -Infinity;
    let n = 0;
    for (const event of world.interactions()) {
      n++;
      expect(event.eventId).toBe(`demo:${SMALL.seed}:${n}`);
      eventIds.add(event.eventId);
      expect(event.targetKind).toBe('TRACK');
      expect(event.count).toBe(1);
      expect(event.receivedAt).toBe(event.context.timestamp);
      expect(event.context.timestamp).toBeGreaterThanOrEqual(previous);
      previous = event.context.timestamp;
      expect(event.context.timestamp).toBeGreaterThanOrEqual(windowStart);
      expect(event.context.timestamp).toBeLessThan(DEMO_REFERENCE_TIME);
      const user = userById.get(event.userId)!;
      const track = trackById.get(event.targetId)!;
      expect(user).toBeDefined();
      expect(track).toBeDefined();
      expect(event.context.timezone).toBe(user.timezone);
      expect(event.context.location).toEqual({ country: user.country });
      expect(DEVICES).toContain(event.context.device);
      expect(WEATHERS).toContain(event.context.weather);
      expect(ACTIVITIES).toContain(event.context.activity);
      switch (event.type) {
        case 'SKIP':
          expect(event.msPlayed).toBeLessThan(30_000);
          expect(event.msPlayed).toBeGreaterThan(0);
          break;
        case 'PLAY':
          expect(event.msPlayed).toBeGreaterThanOrEqual(30_000);
          expect(event.msPlayed).toBeLessThan(track.durationMs!);
          break;
        case 'COMPLETE':
          expect(event.msPlayed).toBe(track.durationMs);
          break;
        case 'LIKE':
        case 'SAVE':
        case 'DISLIKE':
          expect(event.msPlayed).toBeUndefined();
          break;
        default:
          throw new Error(`unexpected type ${event.type}`);
      }
    }
    expect(eventIds.size).toBe(n);
  });

  it('places sessions in local time: commutes on local weekday mornings and evenings', () => {
    const world = generateDemoWorld(SMALL);
    const local = localTime();
    let commutes = 0;
    for (const event of world.interactions()) {
      if (event.context.activity !== 'COMMUTE') continue;
      commutes++;
      const { hour, weekday } = local(event.context.timezone!, event.context.timestamp);
      expect(weekday >= 1 && weekday <= 5).toBe(true);
      expect((hour >= 6 && hour < 11) || (hour >= 16 && hour < 23)).toBe(true);
    }
    expect(commutes).toBeGreaterThan(100);
  });

  it('copes with degenerate sizes', () => {
    for (const config of [
      { seed: 1, users: 1, artists: 1, tracks: 1, days: 1 },
      { seed: 2, users: 3, artists: 50, tracks: 10, days: 2 },
      { seed: 3, users: 5, artists: 5, tracks: 40, days: 1 },
    ]) {
      const world = generateDemoWorld(config);
      expect(world.artists).toHaveLength(config.artists);
      expect(world.tracks).toHaveLength(config.tracks);
      expect(world.users).toHaveLength(config.users);
      const trackIds = new Set(world.tracks.map((t) => t.id));
      for (const event of world.interactions()) expect(trackIds.has(event.targetId)).toBe(true);
    }
  });
});

describe('default demo world (seed 42, 1,000 users, 1,500 artists, 10,000 tracks, 28 days)', () => {
  let world: DemoWorld;
  let generationMs = 0;
  let events: Interaction[] = [];

  beforeAll(() => {
    const started = performance.now();
    world = generateDemoWorld(DEFAULT);
    events = [...world.interactions()];
    generationMs = performance.now() - started;
  }, 120_000);

  it('meets the size minimums quickly', () => {
    expect(world.artists).toHaveLength(1500);
    expect(world.tracks).toHaveLength(10_000);
    expect(world.users).toHaveLength(1000);
    expect(world.artists[0].id).toBe('demo-a0001');
    expect(world.tracks[0].id).toBe('demo-t00001');
    expect(world.users[0].id).toBe('demo-u0001');
    expect(events.length).toBeGreaterThanOrEqual(200_000);
    expect(generationMs).toBeLessThan(15_000);
    expect(new Set(events.map((e) => e.userId)).size).toBe(1000);
  });

  it('gives listeners distinct tastes, visible in their plays', () => {
    const genreOf = new Map(world.tracks.map((t) => [t.id, t.genres[0]]));
    const perUser = new Map<string, Map<string, number>>();
    for (const e of events) {
      if (e.type === 'SKIP' || e.type === 'DISLIKE') continue;
      const counts = perUser.get(e.userId) ?? new Map<string, number>();
      perUser.set(e.userId, counts);
      const genre = genreOf.get(e.targetId)!;
      counts.set(genre, (counts.get(genre) ?? 0) + 1);
    }
    const topGenres = new Set<string>();
    let focused = 0;
    for (const counts of perUser.values()) {
      const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      topGenres.add(sorted[0][0]);
      const total = sorted.reduce((s, [, c]) => s + c, 0);
      if (sorted[0][1] / total > 0.3) focused++;
    }
    expect(topGenres.size).toBeGreaterThanOrEqual(10);
    // Tastes are sparse: most listeners give a large share of their plays to one genre.
    expect(focused / perUser.size).toBeGreaterThan(0.6);
  });

  it('makes context visible: weekday 07–09 plays are more energetic than 22–02 plays', () => {
    const energyOf = new Map(world.tracks.map((t) => [t.id, t.audioFeatures!.energy!]));
    const local = localTime();
    const morning = { sum: 0, n: 0 };
    const night = { sum: 0, n: 0 };
    for (const e of events) {
      if (e.msPlayed === undefined) continue;
      const { hour, weekday } = local(e.context.timezone!, e.context.timestamp);
      const bucket = weekday >= 1 && weekday <= 5 && hour >= 7 && hour < 9 ? morning : hour >= 22 || hour < 2 ? night : undefined;
      if (!bucket) continue;
      bucket.sum += energyOf.get(e.targetId)!;
      bucket.n++;
    }
    expect(morning.n).toBeGreaterThan(10_000);
    expect(night.n).toBeGreaterThan(10_000);
    expect(morning.sum / morning.n).toBeGreaterThan(night.sum / night.n + 0.08);
  });

  it('mixes outcomes plausibly and repeats favourites', () => {
    const counts: Record<string, number> = {};
    for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
    const share = (type: string) => (counts[type] ?? 0) / events.length;
    expect(share('SKIP')).toBeGreaterThan(0.15);
    expect(share('SKIP')).toBeLessThan(0.45);
    expect(share('COMPLETE')).toBeGreaterThan(0.25);
    expect(share('PLAY')).toBeGreaterThan(0.1);
    for (const type of ['LIKE', 'SAVE', 'DISLIKE']) {
      expect(share(type)).toBeGreaterThan(0.001);
      expect(share(type)).toBeLessThan(0.05);
    }
    // Familiarity: a good part of a listener's plays are repeats of tracks they already played.
    const seen = new Set<string>();
    let repeats = 0;
    let plays = 0;
    for (const e of events) {
      if (e.msPlayed === undefined) continue;
      plays++;
      const key = `${e.userId} ${e.targetId}`;
      if (seen.has(key)) repeats++;
      else seen.add(key);
    }
    expect(repeats / plays).toBeGreaterThan(0.3);
  });

  it('loads into the in-memory store with the right counts', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    try {
      const result = await loadDemoWorld(store, { enabled: true, ...DEFAULT }, silentProgress);
      expect(result).toMatchObject({ artists: 1500, tracks: 10_000, users: 1000, interactions: events.length });
      expect(result.ms).toBeLessThan(30_000);
      expect(await store.artists.count()).toBe(1500);
      expect(await store.tracks.count()).toBe(10_000);
      expect(await store.users.count()).toBe(1000);
      expect(await store.interactions.count()).toBe(events.length);
      const [first] = await store.tracks.getMany(['demo-t00001']);
      expect(first).toEqual(world.tracks[0]);
      const page = await store.interactions.listByUser('demo-u0001', { first: 5 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((e) => e.userId === 'demo-u0001')).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});
