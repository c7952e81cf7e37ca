/**
 * The popularity contract on both implementations: the in-memory model and the Redis one,
 * fed the same events, rank alike. Runs against the real Redis at REDIS_TEST_URL.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextPopularity, type PopularityModel } from '../../src/models/popularity/context-popularity.js';
import { RedisPopularity } from '../../src/models/popularity/redis-popularity.js';
import { fixturePlays, fixtureTracks, MONDAY_MORNING, SATURDAY_NIGHT } from '../helpers/fixtures.js';
import { deleteKeys, redisTestUrl } from '../helpers/redis.js';

const tracks = new Map(fixtureTracks().map((t) => [t.id, t.artistIds]));
const lookup = async (ids: readonly string[]) => ids.map((id) => tracks.get(id));

describe('popularity: in-memory and Redis rank alike', () => {
  const prefix = `test-${randomUUID()}`;
  let redis: Redis;
  let models: [string, PopularityModel][];
  let redisModel: RedisPopularity;

  beforeAll(async () => {
    redis = new Redis(redisTestUrl());
    redisModel = new RedisPopularity(redis, lookup, prefix);
    const memory = new ContextPopularity(lookup);
    models = [['memory', memory], ['redis', redisModel]];
    const events = fixturePlays();
    for (let i = 0; i < events.length; i += 100) {
      const batch = events.slice(i, i + 100);
      await memory.observe(batch);
      await redisModel.observe(batch);
    }
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const contexts = {
    'weekday morning on mobile': { timestamp: MONDAY_MORNING, timezone: 'UTC', device: 'MOBILE' as const },
    'saturday night': { timestamp: SATURDAY_NIGHT, timezone: 'UTC' },
    'an unseen context': { timestamp: SATURDAY_NIGHT, device: 'CAR' as const, activity: 'WORKOUT' as const },
  };

  for (const [name, context] of Object.entries(contexts)) {
    it(`ranks tracks and artists the same way: ${name}`, async () => {
      for (const kind of ['TRACK', 'ARTIST'] as const) {
        const exclude = new Set(kind === 'TRACK' ? ['trk-0000', 'trk-0101'] : ['art-001']);
        const [memory, shared] = await Promise.all(models.map(([, m]) => m.rank(kind, context, 15, exclude)));
        expect(shared.map((c) => c.id)).toEqual(memory.map((c) => c.id));
        shared.forEach((c, i) => {
          expect(c.score).toBeCloseTo(memory[i].score, 9);
          expect(c.strongestSegment).toBe(memory[i].strongestSegment);
        });
        expect(memory.some((c) => exclude.has(c.id))).toBe(false);
      }
    });
  }

  it('knows when it has counts and can clear them', async () => {
    expect(await redisModel.isBuilt()).toBe(true);
    const other = new RedisPopularity(redis, lookup, `${prefix}-empty`);
    expect(await other.isBuilt()).toBe(false);
    expect(await other.rank('TRACK', contexts['saturday night'], 5, new Set())).toEqual([]);
  });
});
