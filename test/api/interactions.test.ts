import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { HistoryDocument, type InteractionInput, RecordInteractionsDocument, RecommendationsDocument } from '../generated/graphql.js';
import { codes, createTestApp, listener, ok, run } from '../helpers/app.js';
import { seedFixtures, trackId, userId } from '../helpers/fixtures.js';

const play = (eventId: string, user: string, track: string, extra: Partial<InteractionInput> = {}): InteractionInput => ({
  eventId, userId: user, trackId: track, type: 'PLAY', msPlayed: 150_000,
  context: { timestamp: '2026-11-20T08:00:00Z', timezone: 'Europe/Stockholm', device: 'MOBILE', location: { country: 'SE' } },
  ...extra,
});

describe('recordInteractions', () => {
  let app: MixtapeApp;
  beforeAll(async () => {
    app = await createTestApp({ seed: seedFixtures });
  });
  afterAll(() => app.close());

  it('stores a batch once, however often it is sent', async () => {
    const before = await app.store.interactions.count();
    const events = [play('ev-a1', userId(1), trackId(150)), play('ev-a2', userId(1), trackId(151))];
    const first = await ok(app, RecordInteractionsDocument, { events });
    expect(first.recordInteractions).toMatchObject({ accepted: 2, duplicates: 0 });
    const again = await ok(app, RecordInteractionsDocument, { events: [...events, play('ev-a3', userId(1), trackId(152))] });
    expect(again.recordInteractions).toMatchObject({ accepted: 1, duplicates: 2, acceptedEventIds: ['ev-a3'], duplicateEventIds: ['ev-a1', 'ev-a2'] });
    expect(await app.store.interactions.count()).toBe(before + 3);
  });

  it('stores the context and shows it in the history, newest first, page by page', async () => {
    await ok(app, RecordInteractionsDocument, {
      events: [0, 1, 2, 3, 4].map((k) =>
        play(`ev-h${k}`, userId(20), trackId(160 + k), { context: { timestamp: `2026-11-2${k}T07:30:00Z`, timezone: 'Europe/Stockholm', device: 'CAR', activity: 'COMMUTE', weather: 'RAIN', location: { country: 'SE', city: 'Malmö' } } }),
      ),
    });
    const first = await ok(app, HistoryDocument, { userId: userId(20), first: 2 });
    const page1 = first.user!.history;
    expect(page1.edges.map((e) => e.node.eventId)).toEqual(['ev-h4', 'ev-h3']);
    expect(page1.edges[0].node.context).toMatchObject({ timestamp: '2026-11-24T07:30:00.000Z', device: 'CAR', activity: 'COMMUTE', weather: 'RAIN', location: { country: 'SE', city: 'Malmö' } });
    expect(page1.edges[0].node.track?.id).toBe(trackId(164));
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await ok(app, HistoryDocument, { userId: userId(20), first: 2, after: page1.pageInfo.endCursor });
    expect(second.user!.history.edges.map((e) => e.node.eventId)).toEqual(['ev-h2', 'ev-h1']);
  });

  it('registers an unknown listener on their first event, who then gets recommendations without those tracks', async () => {
    const newcomer = 'brand-new-listener';
    await ok(app, RecordInteractionsDocument, { events: [play('ev-n1', newcomer, trackId(100)), play('ev-n2', newcomer, trackId(101))] });
    const recs = await ok(app, RecommendationsDocument, { userId: newcomer, limit: 20 });
    const ids = recs.recommendations.items.map((i) => i.targetId);
    expect(ids).toHaveLength(20);
    expect(ids).not.toContain(trackId(100));
    expect(ids).not.toContain(trackId(101));
  });

  it('rejects empty and oversized batches', async () => {
    const empty = await run(app, RecordInteractionsDocument, { events: [] });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors?.[0].message).toContain('at least one');
    const tooMany = Array.from({ length: 501 }, (_, i) => play(`big-${i}`, userId(1), trackId(i % 200)));
    const oversized = await run(app, RecordInteractionsDocument, { events: tooMany });
    expect(codes(oversized)).toEqual(['BAD_USER_INPUT']);
    expect(oversized.errors?.[0].message).toContain('at most 500');
  });

  it('rejects a whole batch with a malformed event and stores none of it', async () => {
    const before = await app.store.interactions.count();
    const result = await run(app, RecordInteractionsDocument, {
      events: [
        play('ok-1', userId(2), trackId(1)),
        play('bad-1', userId(2), trackId(2), { context: { timezone: 'Not/AZone', location: { country: 'sweden' } } }),
        play('bad-2', userId(2), trackId(3), { msPlayed: -5 }),
        { eventId: 'bad-3', userId: userId(2), type: 'PLAY', trackId: trackId(1), artistId: 'art-001' },
        play('bad-4', userId(2), trackId(4), { context: { timestamp: '2099-01-01T00:00:00Z' } }),
      ],
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    const problems = result.errors?.[0].extensions?.problems as { path: string }[];
    expect(problems.map((p) => p.path)).toEqual([
      'events[1].context.timezone', 'events[1].context.location.country', 'events[2].msPlayed', 'events[3]', 'events[4].context.timestamp',
    ]);
    expect(await app.store.interactions.count()).toBe(before);
  });

  it('rejects unknown tracks with NOT_FOUND naming the event, storing nothing', async () => {
    const before = await app.store.interactions.count();
    const result = await run(app, RecordInteractionsDocument, { events: [play('nf-1', userId(2), trackId(1)), play('nf-2', userId(2), 'no-such-track')] });
    expect(codes(result)).toEqual(['NOT_FOUND']);
    expect(result.errors?.[0].message).toContain('events[1].trackId');
    expect(await app.store.interactions.count()).toBe(before);
  });

  it('rejects an enum value the schema does not know before any resolver runs', async () => {
    const result = await run(app, RecordInteractionsDocument, { events: [{ ...play('en-1', userId(2), trackId(1)), type: 'DANCE' as 'PLAY' }] });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('lets listeners record only their own events and read only their own history', async () => {
    const own = await run(app, RecordInteractionsDocument, { events: [play('own-1', userId(4), trackId(1))] }, listener(userId(4)));
    expect(own.errors).toBeUndefined();
    const other = await run(app, RecordInteractionsDocument, { events: [play('oth-1', userId(5), trackId(1))] }, listener(userId(4)));
    expect(codes(other)).toEqual(['FORBIDDEN']);
    const history = await run(app, HistoryDocument, { userId: userId(5) }, listener(userId(4)));
    expect(codes(history)).toEqual(['FORBIDDEN']);
  });

  it('rejects a cursor it did not issue and page sizes out of range', async () => {
    expect(codes(await run(app, HistoryDocument, { userId: userId(1), after: '%%%not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    // A well-formed cursor of another list (a users connection pages by id) is not taken as "from the start".
    const otherList = Buffer.from(userId(3), 'utf8').toString('base64url');
    const mixed = await run(app, HistoryDocument, { userId: userId(1), after: otherList });
    expect(codes(mixed)).toEqual(['BAD_USER_INPUT']);
    expect(mixed.errors?.[0].message).toMatch(/not a cursor of this list/);
    expect(codes(await run(app, HistoryDocument, { userId: userId(1), first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(app, HistoryDocument, { userId: userId(1), first: 1000 }))).toEqual(['BAD_USER_INPUT']);
  });
});
