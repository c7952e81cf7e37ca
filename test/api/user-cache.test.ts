import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { createLoaders } from '../../src/services/loaders.js';
import { UserCache } from '../../src/services/user-cache.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { Store } from '../../src/store/ports.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function user(id: string, friendIds: string[] = []): User {
  return { id, displayName: `Listener ${id}`, country: 'GB', timezone: 'Europe/London', source: 'test', friendIds, createdAt: 0 };
}

/** Counts the user reads that reach the store. */
function counting(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const users = new Proxy(store.users, {
    get: (target, prop, receiver) => {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'getMany') return typeof value === 'function' ? value.bind(target) : value;
      return (ids: readonly string[]) => {
        reads += ids.length;
        return target.getMany(ids);
      };
    },
  });
  return { store: { ...store, users, init: () => store.init(), close: () => store.close() }, reads: () => reads };
}

describe('user cache', () => {
  it('reads a record once, notices a second connection\'s change to a record (not its events or new listeners), never remembers an unknown id, and expires after the TTL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-users-'));
    dirs.push(dir);
    const file = path.join(dir, 'mixtape.db');
    const inner = new EmbeddedStore(file);
    await inner.init();
    await inner.users.upsertMany([user('alice', ['bob'])]);
    const { store, reads } = counting(inner);
    let now = 1_000;
    const cache = new UserCache(store, { ttlMs: 60_000, checkEveryMs: 0, now: () => now });
    const loaders = () => createLoaders(store, undefined as never);

    expect((await cache.get('alice', loaders()))?.friendIds).toEqual(['bob']);
    expect((await cache.get('alice', loaders()))?.friendIds).toEqual(['bob']);
    expect(reads()).toBe(1);
    expect(await cache.get('nobody', loaders())).toBeNull();
    expect(await cache.get('nobody', loaders())).toBeNull();
    expect(reads()).toBe(3);

    const importer = new EmbeddedStore(file); // another connection, as `npm run import` would open
    await importer.init();
    // Events and new listeners from another connection change no cached record: kept.
    await importer.interactions.append([{
      eventId: 'e1', userId: 'dave', targetKind: 'TRACK', targetId: 't1', type: 'PLAY', count: 1, context: { timestamp: 1000 }, receivedAt: 1000,
    }]);
    await importer.users.upsertMany([user('dave')]);
    expect((await cache.get('alice', loaders()))?.friendIds).toEqual(['bob']);
    expect(reads()).toBe(3);
    await importer.users.upsertMany([user('alice', ['bob', 'carol'])]);
    await importer.close();
    expect((await cache.get('alice', loaders()))?.friendIds).toEqual(['bob', 'carol']);
    expect(reads()).toBe(4);

    now += 60_000;
    await cache.get('alice', loaders());
    expect(reads()).toBe(5);
    await inner.close();
  });
});
