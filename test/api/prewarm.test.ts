import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import type { Progress } from '../../src/lib/progress.js';
import type { RecommendationRequest } from '../../src/services/recommendation.service.js';
import { prewarmRecommendations } from '../../src/services/prewarm.js';
import type { Services } from '../../src/services/index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { RecommendationsDocument } from '../generated/graphql.js';
import { createTestApp, ok } from '../helpers/app.js';
import { SATURDAY_NIGHT, seedFixtures, trackId, userId } from '../helpers/fixtures.js';

describe('pre-warming recommendations at start-up', () => {
  let app: MixtapeApp;
  const log: string[] = [];
  beforeAll(async () => {
    app = await createTestApp({
      seed: async (store) => {
        await seedFixtures(store);
        // The most recent listener has no user record: their pre-warm request fails.
        await store.interactions.append([{
          eventId: 'ghost-1', userId: 'ghost', targetKind: 'TRACK', targetId: trackId(1), type: 'PLAY', count: 1, msPlayed: 150_000,
          context: { timestamp: SATURDAY_NIGHT + 86_400_000, timezone: 'UTC' }, receivedAt: SATURDAY_NIGHT + 86_400_000,
        }]);
      },
      env: { RECOMMEND_PREWARM_LISTENERS: '3' },
      log: (line) => log.push(line),
    });
  });
  afterAll(() => app.close());

  it('logs a failing listener and still starts', () => {
    expect(app.phase).toBe('ready');
    expect(log.some((line) => line.includes('ghost') && line.includes('failed'))).toBe(true);
    expect(log.find((line) => line.startsWith('Pre-warmed'))).toMatch(/^Pre-warmed TRACK recommendations of 3 listeners in [\d.]+ s, 1 failed$/);
  });

  it("reuses a pre-warmed listener's source outputs on their first request, and only theirs", async () => {
    const cache = app.services.recommendations.pipeline.sourceCache;
    // The most recently active after the ghost: usr-005 and usr-006 (ties by id).
    const { hits, misses } = cache;
    await ok(app, RecommendationsDocument, { userId: userId(5), limit: 30 });
    expect([cache.hits, cache.misses]).toEqual([hits + 1, misses]);
    await ok(app, RecommendationsDocument, { userId: userId(6), limit: 30 });
    expect([cache.hits, cache.misses]).toEqual([hits + 2, misses]);
    await ok(app, RecommendationsDocument, { userId: userId(20), limit: 30 });
    expect([cache.hits, cache.misses]).toEqual([hits + 2, misses + 1]);
  });

  it('is off with RECOMMEND_PREWARM_LISTENERS=0', async () => {
    const off = await createTestApp({ store: new EmbeddedStore(':memory:'), seed: seedFixtures, env: { RECOMMEND_PREWARM_LISTENERS: '0' } });
    const cache = off.services.recommendations.pipeline.sourceCache;
    expect([cache.hits, cache.misses]).toEqual([0, 0]);
    await ok(off, RecommendationsDocument, { userId: userId(5), limit: 30 });
    expect([cache.hits, cache.misses]).toEqual([0, 1]);
    await off.close();
  });
});

describe('prewarmRecommendations', () => {
  const progress: Progress & { updates: number[] } = { updates: [], start() {}, update(done) { this.updates.push(done); }, stop() {} };
  const store = new EmbeddedStore(':memory:');

  it('asks for artists too when an artist CF model serves, as admin, least recent listener first, and goes on past failures (logging a few)', async () => {
    const asked: [string, RecommendationRequest][] = [];
    const services = {
      cf: { bundle: (kind: string) => (kind === 'ARTIST' ? {} : undefined) },
      recommendations: {
        recommend: async (viewer: { isAdmin: boolean }, request: RecommendationRequest) => {
          asked.push([viewer.isAdmin ? 'admin' : 'listener', request]);
          if (request.userId.startsWith('bad')) throw new Error(`no such user ${request.userId}`);
          return {};
        },
      },
    } as unknown as Pick<Services, 'recommendations' | 'cf'>;
    const lines: string[] = [];
    const listeners = ['u1', 'bad1', 'bad2', 'bad3', 'u2'];
    const report = await prewarmRecommendations(services, store, listeners, progress, (line) => lines.push(line));
    expect(asked.map(([who, r]) => `${who}:${r.userId}:${r.target}:${r.limit}`)).toEqual(
      [...listeners].reverse().flatMap((u) => [`admin:${u}:TRACK:30`, `admin:${u}:ARTIST:30`]),
    );
    expect(report).toMatchObject({ listeners: 5, kinds: ['TRACK', 'ARTIST'], requests: 10, failed: 6 });
    expect(progress.updates.at(-1)).toBe(10);
    expect(lines.slice(0, 5).every((line) => line.includes('failed'))).toBe(true);
    expect(lines[5]).toBe('pre-warming: 1 more requests failed');
  });
});
