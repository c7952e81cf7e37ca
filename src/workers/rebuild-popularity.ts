/**
 * Recounts the shared popularity state from the event log. A worker does this when Redis has
 * no counts (a fresh Redis, or after a flush), under a lock so that only one worker of many
 * recounts. Signals that arrive during a recount may be counted twice (at-least-once).
 */
import type { Redis } from 'ioredis';
import type { Progress } from '../lib/progress.js';
import type { RedisPopularity } from '../models/popularity/redis-popularity.js';
import type { Store } from '../store/ports.js';

const LOCK_SECONDS = 3600;

export async function rebuildPopularity(
  redis: Redis,
  popularity: RedisPopularity,
  store: Store,
  progress: Progress,
  options: { prefix: string; force?: boolean },
): Promise<'rebuilt' | 'already-built' | 'locked'> {
  if (!options.force && (await popularity.isBuilt())) return 'already-built';
  const lock = `${options.prefix}:pop-rebuild-lock`;
  if ((await redis.set(lock, String(process.pid), 'EX', LOCK_SECONDS, 'NX')) !== 'OK') return 'locked';
  try {
    await popularity.clear();
    progress.start('Recounting popularity', await store.interactions.count());
    let done = 0;
    for await (const batch of store.interactions.scan(20_000)) {
      await popularity.observe(batch);
      done += batch.length;
      progress.update(done);
    }
    progress.stop();
    return 'rebuilt';
  } finally {
    await redis.del(lock);
  }
}
