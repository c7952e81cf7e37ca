import { describe, expect, it, vi } from 'vitest';
import type { Interaction } from '../../src/domain/types.js';
import { ContextPopularity } from '../../src/models/popularity/context-popularity.js';
import {
  FreshReleasesSource, type PipelineModels, pipelineSettings, type PipelineRequest, SocialSource, type SourceInput, TagAffinitySource,
  userProfile, ItemStats, trackArtistsOf,
} from '../../src/pipeline/index.js';
import { withEvents } from '../../src/services/history-order.js';
import { CatalogueIndex } from '../../src/pipeline/catalogue-index.js';
import { artist, FRESH_JAZZ, FRESH_SHOEGAZE, GENRES, NOW, track, worldEvents, worldTracks } from './world.js';

const catalogue = CatalogueIndex.ofTracks(worldTracks());
const trackArtists = (id: string) => catalogue.artistIdsOf(id);
const events = worldEvents();
const historyOf = (userId: string) => events.filter((e) => e.userId === userId);

function input(userId: string, friends: { id: string; name: string; history: readonly Interaction[] }[] = []): SourceInput {
  const history = historyOf(userId);
  const request: PipelineRequest = {
    kind: 'TRACK', userId, context: { timestamp: NOW, timezone: 'UTC' }, history, depth: 10,
    ann: async () => [], friends: async () => friends,
  };
  const models: PipelineModels = {
    catalogue, trackArtists, popularity: new ContextPopularity(async (ids) => ids.map(trackArtists)), itemStats: new ItemStats(async (ids) => ids.map(trackArtists)),
  };
  return { request, models, profile: userProfile(history, catalogue, trackArtists), settings: pipelineSettings(), cap: 50 };
}

const ids = (items: Int32Array) => Array.from(items, (i) => catalogue.ids[i]);

describe('candidate sources', () => {
  it('tag affinity: items sharing the listener’s tags through the inverted index, nothing heard, explained by the tag', async () => {
    const out = await new TagAffinitySource().generate(input('alice'));
    const proposed = ids(out.items);
    // Every unheard shoegaze track (20 + the fresh one, minus 8 heard, skipped or disliked), and nothing else.
    expect(proposed.sort()).toEqual(worldTracks().filter((t) => t.genres[0] === 'shoegaze').map((t) => t.id)
      .filter((id) => ![0, 1, 2, 3, 4, 5].map((t) => track(0, 0, t)).concat(track(0, 1, 0), track(0, 1, 1)).includes(id)).sort());
    expect(out.reason(0)).toMatch(/^Tagged '(shoegaze|dreamy)' like your favourites$/);
    // The shared accumulator is left clean for the next request.
    expect(catalogue.scratch().every((v) => v === 0)).toBe(true);
  });

  it('fresh releases: only recent releases that fit the listener, by a familiar artist first', async () => {
    const out = await new FreshReleasesSource().generate(input('alice'));
    expect(ids(out.items)).toEqual([FRESH_SHOEGAZE]);
    expect(out.reason(0)).toBe('New release from an artist you like');
    // Erin plays folk: neither fresh release fits her.
    expect((await new FreshReleasesSource().generate(input('erin'))).items).toHaveLength(0);
    // "Fresh" is judged on the day the request is answered, not the listening moment it names.
    const later = input('alice');
    later.request = { ...later.request, receivedAt: NOW + 200 * 86_400_000 };
    expect((await new FreshReleasesSource().generate(later)).items).toHaveLength(0);
  });

  it('social: what friends played lately, more friends first, named when it is one friend', async () => {
    const friends = ['bob', 'carol'].map((id) => ({ id, name: id === 'bob' ? 'Bob' : 'Carol', history: historyOf(id) }));
    const out = await new SocialSource().generate(input('alice', friends));
    expect(ids(out.items)[0]).toBe(track(2, 0, 0));
    expect(out.scores[0]).toBeGreaterThan(out.scores[1] * 1.5);
    expect(out.reason(0)).toBe('Popular with your friends');
    expect(out.reason(ids(out.items).indexOf(track(2, 1, 0)))).toBe('Your friend Carol played this');
    expect(ids(out.items)).not.toContain(FRESH_JAZZ);
  });
});

describe('listener profile', () => {
  it('excludes what was heard with the reason, keeps recent plays newest first, and counts artist plays', () => {
    const profile = userProfile(historyOf('alice'), catalogue, trackArtists);
    expect(profile.excludedIds.get(track(0, 0, 0))).toBe('PLAYED');
    expect(profile.excludedIds.get(track(0, 0, 5))).toBe('SKIPPED');
    expect(profile.excludedIds.get(track(0, 1, 1))).toBe('DISLIKED');
    expect(ids(profile.recent)).toEqual([track(0, 1, 0), ...[4, 3, 2, 1, 0].map((t) => track(0, 0, t))]);
    expect(profile.artistPlays.get(catalogue.artistIndexOf('pw-a00'))).toBe(5);
    expect(catalogue.terms[profile.topTerms[0]]).toMatch(/^(shoegaze|dreamy)$/);
    // Cached per history array: the same array gives the same profile, a changed history a new one.
    const history = historyOf('alice');
    expect(userProfile(history, catalogue, trackArtists)).toBe(userProfile(history, catalogue, trackArtists));
    expect(userProfile([...history], catalogue, trackArtists)).not.toBe(userProfile(history, catalogue, trackArtists));
  });
});

describe('item statistics', () => {
  it('reads a rising item as trending and a morning item as lifted in the morning', async () => {
    const stats = new ItemStats(async (trackIds) => trackIds.map(() => ['a']));
    const day = 86_400_000;
    const play = (targetId: string, timestamp: number): Interaction => ({
      eventId: `${targetId}-${timestamp}`, userId: 'u', targetKind: 'TRACK', targetId, type: 'PLAY', count: 1, context: { timestamp, timezone: 'UTC' }, receivedAt: timestamp,
    });
    const events: Interaction[] = [];
    // "old" was played daily for two months until a month ago; "new" daily in the last week.
    const noon = NOW + 4 * 3_600_000;
    for (let d = 30; d < 90; d++) events.push(play('old', noon - d * day));
    for (let d = 1; d <= 7; d++) events.push(play('new', noon - d * day));
    // A track only ever played on weekday mornings, and one in the evenings.
    for (let d = 0; d < 10; d++) events.push(play('morning', Date.UTC(2026, 9, 5 + (d % 5), 8)), play('evening', Date.UTC(2026, 9, 5 + (d % 5), 20)));
    await stats.observe(events);
    const morning = 1; // weekday morning
    expect(stats.read('TRACK', 'new', NOW, morning).trend).toBeGreaterThan(0.5);
    expect(stats.read('TRACK', 'old', NOW, morning).trend).toBeLessThan(-0.5);
    expect(stats.read('TRACK', 'morning', NOW, morning).segmentLift).toBeGreaterThan(1.5);
    expect(stats.read('TRACK', 'evening', NOW, morning).segmentLift).toBeLessThan(0.5);
    expect(stats.read('ARTIST', 'a', NOW, morning).popularity).toBeGreaterThan(stats.read('TRACK', 'new', NOW, morning).popularity);
    expect(stats.read('TRACK', 'never', NOW, morning)).toEqual({ popularity: 0, trend: 0, segmentLift: 1 });
    // By a snapshot's item numbers, the same; and an item counted for the first time is found.
    const snapshot = CatalogueIndex.ofTracks(['new', 'old', 'fresh'].map((id) => ({ ...worldTracks()[0], id })));
    const byItem = stats.itemReader('TRACK', snapshot, NOW, morning);
    expect(byItem(0)).toEqual(stats.read('TRACK', 'new', NOW, morning));
    expect(byItem(2)).toEqual({ popularity: 0, trend: 0, segmentLift: 1 });
    // Written into a feature row: the same three values at the offset, the neighbours untouched.
    const row = new Float32Array(8).fill(-7);
    const write = stats.itemWriter('TRACK', snapshot, NOW, morning);
    write(0, row, 2);
    write(2, row, 5);
    const seen = byItem(0);
    expect([...row]).toEqual([-7, -7, Math.fround(seen.popularity), Math.fround(seen.trend), Math.fround(seen.segmentLift), 0, 0, 1]);
    expect(seen.popularity).toBeGreaterThan(0);
    const popularityOf = stats.itemPopularityReader('TRACK', snapshot, NOW);
    expect(popularityOf(1)).toBeCloseTo(stats.read('TRACK', 'old', NOW, morning).popularity, 12);
    await stats.observe([play('fresh', NOW)]);
    expect(stats.itemReader('TRACK', snapshot, NOW, morning)(2).popularity).toBeGreaterThan(0);
    // A miss is remembered only until some counter is created: a reader made before sees it too.
    expect(byItem(2).popularity).toBeGreaterThan(0);
    expect(byItem(2).popularity).toBe(stats.read('TRACK', 'fresh', NOW, morning).popularity);
  });

  it('continues from the previous profile when events were appended, giving exactly the profile a full pass gives', () => {
    const artists = CatalogueIndex.ofArtists(GENRES.flatMap((genre, g) => [0, 1].map((a) => ({
      id: artist(g, a), name: `a${g}${a}`, genres: [genre.name], tags: [{ tag: genre.tag, count: 1 }], source: 'test',
    }))));
    const tracks = CatalogueIndex.ofTracks(worldTracks());
    const byTrack = trackArtistsOf(tracks);
    expect(trackArtistsOf(tracks)).toBe(byTrack);
    const at = (minutes: number) => NOW + minutes * 60_000;
    const event = (n: number, targetId: string, type: Interaction['type'], minutes: number, count = 1): Interaction => ({
      eventId: `more-${n}`, userId: 'alice', targetKind: 'TRACK', targetId, type, count, msPlayed: 180_000,
      context: { timestamp: at(minutes), timezone: 'Europe/Paris' }, receivedAt: at(minutes),
    });
    const added = [event(1, track(0, 1, 1), 'PLAY', 1), event(2, track(1, 0, 0), 'LIKE', 2, 3), event(3, track(0, 0, 0), 'DISLIKE', 3), event(4, track(2, 1, 0), 'SKIP', 4)];
    for (const snapshot of [tracks, artists]) {
      const before = historyOf('alice');
      const previous = userProfile(before, snapshot, byTrack);
      let history: readonly Interaction[] = before;
      let profile = previous;
      for (const next of added) {
        history = withEvents(history, [next]);
        const indexOf = vi.spyOn(snapshot, 'artistIndexOf');
        const earlier = profile;
        profile = userProfile(history, snapshot, byTrack, () => earlier);
        // Only the new event went through the per-event pass (artist familiarity: one look-up per positive event's artist).
        expect(indexOf.mock.calls.length).toBeLessThanOrEqual(1);
        indexOf.mockRestore();
        // A copy of the same history shares no events with it: a full pass.
        expect(profile).toEqual(userProfile([...history], snapshot, byTrack, () => previous));
      }
      // The earlier profile is unchanged by the continuation.
      expect(previous).toEqual(userProfile([...before], snapshot, byTrack));
    }
  });
});
