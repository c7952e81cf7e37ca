import { describe, expect, it } from 'vitest';
import { HistoryCache } from '../../src/services/history-cache.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { countingStore } from '../helpers/counting-store.js';
import { fixturePlays, userId } from '../helpers/fixtures.js';

describe('history cache', () => {
  it('reads a history once, re-reads after invalidation or the TTL, and evicts the least recently used', async () => {
    const { store, calls } = countingStore(new EmbeddedStore(':memory:'));
    await store.interactions.append(fixturePlays());
    let now = 0;
    const cache = new HistoryCache(store, 2, 1000, () => now);
    const reads = () => calls.filter((c) => c.method === 'allOfUser').length;

    const first = await cache.history(userId(1));
    expect(first.length).toBeGreaterThan(0);
    expect(await cache.history(userId(1))).toBe(first);
    expect(reads()).toBe(1);

    cache.invalidate([userId(1)]);
    await cache.history(userId(1));
    expect(reads()).toBe(2);

    now = 1500;
    await cache.history(userId(1));
    expect(reads()).toBe(3);

    await cache.history(userId(2));
    await cache.history(userId(1)); // user 1 is now the most recent
    await cache.history(userId(3)); // evicts user 2
    expect(reads()).toBe(5);
    await cache.history(userId(1));
    expect(reads()).toBe(5);
    await cache.history(userId(2));
    expect(reads()).toBe(6);
  });
});
