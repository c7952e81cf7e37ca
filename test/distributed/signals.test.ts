/**
 * Distributed mode end to end, on real Redis: the API stores a batch and enqueues a signal
 * job; a worker applies it to the shared popularity; every API replica then ranks with it.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { silentProgress } from '../../src/lib/progress.js';
import { RedisPopularity } from '../../src/models/popularity/redis-popularity.js';
import { trackArtistLookup } from '../../src/services/index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { QUEUES, redisConnection } from '../../src/workers/queues.js';
import { rebuildPopularity } from '../../src/workers/rebuild-popularity.js';
import { startSignalWorker } from '../../src/workers/signal-worker.js';
import { RecommendationsDocument, RecordInteractionsDocument } from '../generated/graphql.js';
import { createTestApp, ok } from '../helpers/app.js';
import { SATURDAY_NIGHT, seedFixtures, trackId, userId } from '../helpers/fixtures.js';
import { deleteKeys, redisTestUrl } from '../helpers/redis.js';

describe('distributed signal flow (BullMQ + Redis)', () => {
  const prefix = `test-${randomUUID()}`;
  const url = redisTestUrl();
  const store = new EmbeddedStore(':memory:');
  let redis: Redis;
  let apiA: MixtapeApp;
  let apiB: MixtapeApp;
  let worker: Worker;
  let queueEvents: QueueEvents;

  beforeAll(async () => {
    await seedFixtures(store);
    redis = new Redis(url);
    const popularity = new RedisPopularity(redis, trackArtistLookup(store), prefix);
    expect(await rebuildPopularity(redis, popularity, store, silentProgress, { prefix })).toBe('rebuilt');
    expect(await rebuildPopularity(redis, popularity, store, silentProgress, { prefix })).toBe('already-built');
    worker = startSignalWorker({ redisUrl: url, prefix, handle: (events) => popularity.observe(events) });
    queueEvents = new QueueEvents(QUEUES.signals, { connection: redisConnection(url), prefix });
    await queueEvents.waitUntilReady();
    // Two API replicas sharing one store and one Redis.
    const env = { REDIS_URL: url, REDIS_PREFIX: prefix };
    apiA = await createTestApp({ store, env });
    apiB = await createTestApp({ store: sharedView(store), env });
  });
  afterAll(async () => {
    await apiA?.close();
    await apiB?.close();
    await worker?.close();
    await queueEvents?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('an event recorded on one replica changes what every replica recommends', async () => {
    const night = { timestamp: new Date(SATURDAY_NIGHT).toISOString(), timezone: 'UTC' };
    const before = await ok(apiB, RecommendationsDocument, { userId: userId(0), limit: 5, context: night });
    expect(before.recommendations.items.map((i) => i.targetId)).not.toContain(trackId(199));

    // Thirty other listeners discover track 199 on a Saturday night, through replica A.
    const events = Array.from({ length: 30 }, (_, u) => ({
      eventId: `dist-${u}`, userId: userId(u + 1), trackId: trackId(199), type: 'PLAY' as const, msPlayed: 200_000,
      context: { ...night, timestamp: new Date(SATURDAY_NIGHT + u * 1000).toISOString() },
    }));
    const completed = new Promise<void>((resolve) => queueEvents.on('completed', () => resolve()));
    const recorded = await ok(apiA, RecordInteractionsDocument, { events });
    expect(recorded.recordInteractions.accepted).toBe(30);
    await completed;

    // Replica B now lists it as the most popular track of weekend nights (its explanation may
    // name a friend instead: user 1, user 0's friend, is one of the thirty).
    const after = await ok(apiB, RecommendationsDocument, { userId: userId(0), limit: 5, context: night });
    const popularScore = (item: (typeof after.recommendations.items)[number]) => item.sources.find((s) => s.name === 'popular-in-context')?.score ?? 0;
    const hit = after.recommendations.items.find((i) => i.targetId === trackId(199));
    expect(hit).toBeDefined();
    expect(Math.max(...after.recommendations.items.map(popularScore))).toBe(popularScore(hit!));
  });

  it('resending the batch stores nothing and enqueues nothing', async () => {
    const queue = new Queue(QUEUES.signals, { connection: redisConnection(url), prefix });
    const jobs = () => queue.getJobCountByTypes('completed', 'waiting', 'active', 'delayed', 'failed');
    const jobsBefore = await jobs();
    expect(jobsBefore).toBe(1);
    const before = await store.interactions.count();
    const again = await ok(apiA, RecordInteractionsDocument, {
      events: [{ eventId: 'dist-0', userId: userId(1), trackId: trackId(199), type: 'PLAY', msPlayed: 200_000 }],
    });
    expect(again.recordInteractions).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await store.interactions.count()).toBe(before);
    expect(await jobs()).toBe(jobsBefore);
    await queue.close();
  });
});

/** The same store under a second handle whose close() is a no-op (replica A owns it). */
function sharedView(store: EmbeddedStore): EmbeddedStore {
  return new Proxy(store, { get: (target, prop, receiver) => (prop === 'close' ? async () => {} : Reflect.get(target, prop, receiver)) });
}
