import type { Redis } from 'ioredis';

/** The Redis the distributed tests use; CI starts one at this address. */
export function redisTestUrl(): string {
  return process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
}

/** Deletes every key under a test's random prefix. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
