/**
 * Chooses where online state lives from configuration. Embedded: in this process, rebuilt
 * from the store at start-up. Distributed (REDIS_URL): in Redis, shared by every API replica;
 * stored signals travel as BullMQ jobs to `npm run worker`, which keeps that state current
 * and rebuilds it from the store when Redis has none. The ranking features' item statistics
 * stay in each process either way: warmed from the store here, then fed the events this
 * process stores (in distributed mode a replica does not see the others' newest events).
 */
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Progress } from './lib/progress.js';
import { RedisPopularity } from './models/popularity/redis-popularity.js';
import { ItemStats } from './pipeline/index.js';
import { inProcessWiring, type OnlineWiring, trackArtistLookup, warmUp } from './services/index.js';
import type { PeerBus } from './services/peers.js';
import type { Store } from './store/ports.js';
import { SignalQueue } from './workers/signal-queue.js';

export interface OnlineRuntime {
  wiring: OnlineWiring;
  close(): Promise<void>;
}

export async function startOnlineRuntime(config: Config, store: Store, progress: Progress, peers?: PeerBus): Promise<OnlineRuntime> {
  if (!config.redisUrl) {
    const wiring: OnlineWiring = { ...inProcessWiring(store), peers };
    progress.start('Warming up online state', await store.interactions.count());
    await warmUp(store, [wiring.popularity, ...(wiring.itemStats ? [wiring.itemStats] : [])], (done) => progress.update(done));
    progress.stop();
    return { wiring, close: async () => {} };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  const popularity = new RedisPopularity(redis, trackArtistLookup(store), config.redisPrefix);
  const itemStats = new ItemStats(trackArtistLookup(store));
  progress.start('Warming up item statistics', await store.interactions.count());
  await warmUp(store, [itemStats], (done) => progress.update(done));
  progress.stop();
  const signals = new SignalQueue(config.redisUrl, config.redisPrefix);
  return {
    wiring: { popularity, itemStats, deliverSignals: async (events) => void (await signals.publish(events)), peers, sharedState: true },
    close: async () => {
      await signals.close();
      redis.disconnect();
    },
  };
}
