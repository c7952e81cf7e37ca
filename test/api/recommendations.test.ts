import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { RecommendationsDocument } from '../generated/graphql.js';
import { codes, createTestApp, listener, ok, run } from '../helpers/app.js';
import { fixturePlays, MONDAY_MORNING, SATURDAY_NIGHT, seedFixtures, trackId, userId } from '../helpers/fixtures.js';

describe('recommendations (popularity-in-context baseline)', () => {
  let app: MixtapeApp;
  beforeAll(async () => {
    app = await createTestApp({ seed: seedFixtures });
  });
  afterAll(() => app.close());

  it('returns `limit` tracks the listener has never played, each with an explanation and sources', async () => {
    const data = await ok(app, RecommendationsDocument, { userId: userId(7), limit: 10 });
    const items = data.recommendations.items;
    expect(items).toHaveLength(10);
    const played = new Set(fixturePlays().filter((e) => e.userId === userId(7)).map((e) => e.targetId));
    for (const item of items) {
      expect(played.has(item.targetId)).toBe(false);
      expect(item.track?.id).toBe(item.targetId);
      expect(item.explanation.length).toBeGreaterThan(10);
      expect(item.sources.length).toBeGreaterThan(0);
    }
    expect(items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Without CF factors MMR has no similarities to weigh: apart from exploration slots, the
    // list falls in relevance order.
    const scores = items.filter((i) => !i.sources.some((s) => s.name === 'explore')).map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // No CF version is trained in this app: the CF-based sources report EMPTY, the others serve.
    expect(data.recommendations.sources.map((s) => [s.name, s.state])).toEqual([
      ['cf', 'EMPTY'], ['item-to-item', 'EMPTY'], ['social', 'OK'], ['tag-affinity', 'OK'], ['popular-in-context', 'OK'], ['fresh-releases', 'EMPTY'],
    ]);
  });

  it('proposes what is popular in the request context, and says so', async () => {
    // The items the context-popularity source explains, in list order.
    const popular = (items: { targetId: string; explanation: string; sources: { name: string }[] }[]) =>
      items.filter((i) => i.sources[0].name === 'popular-in-context');
    // Users 0–4 never played the Saturday-night hits (tracks 100–104).
    const night = await ok(app, RecommendationsDocument, {
      userId: userId(1), limit: 20, context: { timestamp: new Date(SATURDAY_NIGHT).toISOString(), timezone: 'UTC' },
    });
    const nightHits = popular(night.recommendations.items);
    expect(nightHits.slice(0, 5).map((i) => i.targetId).sort()).toEqual([100, 101, 102, 103, 104].map(trackId));
    expect(nightHits[0].explanation).toBe('Popular with listeners on weekend late evenings, and new to you');

    const morning = await ok(app, RecommendationsDocument, {
      userId: userId(1), limit: 8, context: { timestamp: new Date(MONDAY_MORNING).toISOString(), timezone: 'UTC' },
    });
    // Tracks 0–4 are the weekday-morning hits; user 1 has played 3 and 4 but not 0–2.
    const morningHits = popular(morning.recommendations.items);
    expect(morningHits.slice(0, 3).map((i) => i.targetId).sort()).toEqual([0, 1, 2].map(trackId));
    expect(morningHits[0].explanation).toContain('weekday mornings');
    expect(morning.recommendations.items.every((i) => !i.explanation.includes('weekend'))).toBe(true);
  });

  it('recommends artists, excluding the artists of tracks already played', async () => {
    const data = await ok(app, RecommendationsDocument, { userId: userId(2), limit: 5, target: 'ARTIST' });
    const items = data.recommendations.items;
    expect(items.length).toBeGreaterThan(0);
    // user 2 played tracks 6–15, i.e. artists 6–15.
    const heardArtists = new Set(Array.from({ length: 10 }, (_, k) => `art-${String((6 + k) % 20).padStart(3, '0')}`));
    for (const item of items) {
      expect(item.targetKind).toBe('ARTIST');
      expect(heardArtists.has(item.targetId)).toBe(false);
      expect(item.artist?.id).toBe(item.targetId);
    }
  });

  it('refuses a listener asking for someone else, unknown users, bad limits and malformed context', async () => {
    expect(codes(await run(app, RecommendationsDocument, { userId: userId(1) }, listener(userId(2))))).toEqual(['FORBIDDEN']);
    expect(codes(await run(app, RecommendationsDocument, { userId: 'nobody' }))).toEqual(['NOT_FOUND']);
    expect(codes(await run(app, RecommendationsDocument, { userId: userId(1), limit: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(app, RecommendationsDocument, { userId: userId(1), limit: 100_000 }))).toEqual(['BAD_USER_INPUT']);
    const badZone = await run(app, RecommendationsDocument, { userId: userId(1), context: { timezone: 'Mars/Olympus' } });
    expect(codes(badZone)).toEqual(['BAD_USER_INPUT']);
    expect(badZone.errors?.[0].message).toContain('context.timezone');
    const badTime = await run(app, RecommendationsDocument, { userId: userId(1), context: { timestamp: 'yesterday' } });
    expect(codes(badTime)).toEqual(['BAD_USER_INPUT']);
  });

  it('pages through one list with cursors', async () => {
    const whole = await ok(app, RecommendationsDocument, { userId: userId(6), limit: 12 });
    const first = await ok(app, RecommendationsDocument, { userId: userId(6), limit: 5 });
    expect(first.recommendations.pageInfo.hasNextPage).toBe(true);
    const second = await ok(app, RecommendationsDocument, { userId: userId(6), limit: 7, after: first.recommendations.pageInfo.endCursor });
    const paged = [...first.recommendations.items, ...second.recommendations.items];
    expect(paged.map((i) => i.targetId)).toEqual(whole.recommendations.items.map((i) => i.targetId));
    expect(paged.map((i) => i.rank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // The second page keeps the first page's moment, whatever the clock says now.
    expect(second.recommendations.context.timestamp).toBe(first.recommendations.context.timestamp);
    expect(codes(await run(app, RecommendationsDocument, { userId: userId(6), after: 'bm9wZQ' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('never lists more than two tracks by one artist', async () => {
    const data = await ok(app, RecommendationsDocument, { userId: userId(4), limit: 40 });
    const perArtist = new Map<string, number>();
    for (const item of data.recommendations.items) {
      const artist = item.track!.artists[0].id;
      perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
    }
    expect(Math.max(...perArtist.values())).toBe(2);
    expect(data.recommendations.items.length).toBeGreaterThan(30);
  });

  it('lets a listener ask for their own recommendations', async () => {
    const data = await ok(app, RecommendationsDocument, { userId: userId(3), limit: 3 }, listener(userId(3)));
    expect(data.recommendations.items).toHaveLength(3);
  });
});
