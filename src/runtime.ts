/**
 * Chooses where online state lives from configuration. Embedded: in this process, rebuilt
 * from the store at start-up. Distributed (REDIS_URL): in Redis, shared by every API replica;
 * stored signals travel as BullMQ jobs to `npm run worker`, which keeps that state current
 * and rebuilds it from the store when Redis has none. The ranking features' item statistics
 * stay in each process either way: warmed from the store here, then fed the events this
 * process stores (in distributed mode a replica does not see the others' newest events).
 * The same start-up scan primes the history cache (history-primer.ts) and notes who was
 * active last, for pre-warming their recommendations (src/services/prewarm.ts).
 */
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Progress } from './lib/progress.js';
import { RedisPopularity } from './models/popularity/redis-popularity.js';
import { ItemStats } from './pipeline/index.js';
import { historySources, type HistorySources } from './services/history-cache.js';
import { HistoryPrimer } from './services/history-primer.js';
import { inProcessWiring, type OnlineWiring, trackArtistLookup, warmUp } from './services/index.js';
import type { PeerBus } from './services/peers.js';
import type { Store } from './store/ports.js';
import { SignalQueue } from './workers/signal-queue.js';

export interface OnlineRuntime {
  wiring: OnlineWiring;
  /** Listeners by the time of their latest stored event, most recent first, as the start-up scan saw them. */
  recentListeners(limit: number): string[];
  /** Listeners whose histories the start-up scan put in the history cache. */
  primedHistories: number;
  close(): Promise<void>;
}

export async function startOnlineRuntime(config: Config, store: Store, progress: Progress, peers?: PeerBus): Promise<OnlineRuntime> {
  // Created before the scan: the cache's change-feed baseline then covers every event stored
  // while the scan runs.
  const histories = historySources(store, Boolean(config.redisUrl));
  if (!config.redisUrl) {
    const wiring: OnlineWiring = { ...inProcessWiring(store), peers, histories };
    const scanned = await scanStore(store, histories, [wiring.popularity, ...(wiring.itemStats ? [wiring.itemStats] : [])], progress, 'Warming up online state');
    return { wiring, ...scanned, close: async () => {} };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  const popularity = new RedisPopularity(redis, trackArtistLookup(store), config.redisPrefix);
  const itemStats = new ItemStats(trackArtistLookup(store));
  const scanned = await scanStore(store, histories, [itemStats], progress, 'Warming up item statistics');
  const signals = new SignalQueue(config.redisUrl, config.redisPrefix);
  return {
    wiring: { popularity, itemStats, deliverSignals: async (events) => void (await signals.publish(events)), peers, sharedState: true, histories },
    ...scanned,
    close: async () => {
      await signals.close();
      redis.disconnect();
    },
  };
}

/** One pass over every stored event: the online state's observers, and the history primer. */
async function scanStore(
  store: Store,
  histories: HistorySources,
  observers: Parameters<typeof warmUp>[1],
  progress: Progress,
  label: string,
): Promise<Pick<OnlineRuntime, 'recentListeners' | 'primedHistories'>> {
  const total = await store.interactions.count();
  const primer = new HistoryPrimer(total);
  const startedAt = Date.now();
  progress.start(label, total);
  await warmUp(store, [...observers, primer], (done) => progress.update(done));
  progress.stop();
  return { primedHistories: primer.primeInto(histories.cache, startedAt), recentListeners: (limit) => primer.recentListeners(limit) };
}
