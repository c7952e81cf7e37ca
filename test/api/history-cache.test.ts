import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/domain/types.js';
import { HistoryCache, storeHistory } from '../../src/services/history-cache.js';
import { HistoryPrimer } from '../../src/services/history-primer.js';
import { compareCodePoints, withEvents } from '../../src/services/history-order.js';
import { warmUp } from '../../src/services/index.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { Store } from '../../src/store/ports.js';
import { RecordInteractionsDocument } from '../generated/graphql.js';
import { createTestApp, ok } from '../helpers/app.js';
import { countingStore } from '../helpers/counting-store.js';
import { fixturePlays, MONDAY_MORNING, seedFixtures, trackId, userId } from '../helpers/fixtures.js';

const play = (eventId: string, user: string, timestamp: number): Interaction => ({
  eventId, userId: user, targetKind: 'TRACK', targetId: trackId(1), type: 'PLAY', msPlayed: 150_000, count: 1,
  context: { timestamp, timezone: 'UTC', device: 'MOBILE' }, receivedAt: timestamp,
});

/** The same store without a change feed, as MongoDB is. */
function withoutChangeFeed(store: Store): Store {
  const interactions = new Proxy(store.interactions, { get: (target, prop, receiver) => (prop === 'changes' ? undefined : Reflect.get(target, prop, receiver)) });
  return { ...store, interactions, init: () => store.init(), close: () => store.close() };
}

const dirs: string[] = [];
function tempDbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-history-'));
  dirs.push(dir);
  return path.join(dir, 'mixtape.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('history cache', () => {
  it('without a change feed: reads a history once, re-reads after invalidation or the TTL, evicts the least recently used', async () => {
    const { store, calls } = countingStore(withoutChangeFeed(new EmbeddedStore(':memory:')));
    await store.interactions.append(fixturePlays());
    let now = 0;
    const cache = new HistoryCache(store, { maxUsers: 2, ttlMs: 1000, now: () => now });
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

  it('distributed mode reads the store every time, but hands out the same array while the history is the same', async () => {
    const { store, calls } = countingStore(withoutChangeFeed(new EmbeddedStore(':memory:')));
    const plays = fixturePlays();
    const ofUser = plays.filter((e) => e.userId === userId(1));
    await store.interactions.append(plays.filter((e) => e !== ofUser[ofUser.length - 1]));
    const source = storeHistory(store);
    const first = await source.history(userId(1));
    expect(await source.history(userId(1))).toBe(first);
    expect(calls.filter((c) => c.method === 'allOfUser')).toHaveLength(2);
    await store.interactions.append([ofUser[ofUser.length - 1]]);
    const after = await source.history(userId(1));
    expect(after).not.toBe(first);
    expect(after).toHaveLength(first.length + 1);
  });

  it('with a change feed: keeps a history however old, and adds a write from a second connection to the same file without re-reading', async () => {
    const file = tempDbFile();
    const { store, calls } = countingStore(new EmbeddedStore(file));
    await store.interactions.append(fixturePlays());
    let now = 0;
    const cache = new HistoryCache(store, { checkEveryMs: 100, now: () => now });
    const reads = () => calls.filter((c) => c.method === 'allOfUser').map((c) => c.args[0]);

    const one = await cache.history(userId(1));
    const two = await cache.history(userId(2));
    now = 3_600_000; // an hour later, nothing written: no TTL re-read
    expect(await cache.history(userId(1))).toBe(one);
    expect(reads()).toEqual([userId(1), userId(2)]);

    const importer = new EmbeddedStore(file); // another connection, as `npm run import` would open
    await importer.interactions.append([play('outside-1', userId(1), MONDAY_MORNING + 99_000_000)]);
    now += 50; // within checkEveryMs: not looked at yet
    expect(await cache.history(userId(1))).toBe(one);
    now += 100;
    const fresh = await cache.history(userId(1));
    expect(fresh).not.toBe(one);
    expect(fresh.at(-1)?.eventId).toBe('outside-1');
    expect(fresh).toEqual(await importer.interactions.allOfUser(userId(1)));
    // The new event was added from the feed: nobody was read again, the other listener kept their array.
    expect(await cache.history(userId(2))).toBe(two);
    expect(reads()).toEqual([userId(1), userId(2)]);
    await importer.close();
    await store.close();
  });

  it("does not take this process's own writes for outside ones, and drops everything after a bulk import", async () => {
    const file = tempDbFile();
    const store = new EmbeddedStore(file);
    await store.interactions.append(fixturePlays());
    let now = 0;
    const cache = new HistoryCache(store, { checkEveryMs: 0, maxChangesPerCheck: 4, now: () => now++ });
    const one = await cache.history(userId(1));
    const two = await cache.history(userId(2));
    const tenBefore = await cache.history(userId(10));
    // The same connection's commit leaves the version alone: its ingestion invalidates instead.
    await store.interactions.append([play('own-1', userId(1), MONDAY_MORNING + 1)]);
    expect(await cache.history(userId(1))).toBe(one);

    // Four outside events (the own one before them is not counted again): exactly their listeners.
    const importer = new EmbeddedStore(file);
    await importer.interactions.append([0, 1, 2, 3].map((k) => play(`bulk-${k}`, userId(10 + k), MONDAY_MORNING + k)));
    expect(await cache.history(userId(2))).toBe(two);
    const ten = await cache.history(userId(10));
    expect(ten).not.toBe(tenBefore);
    expect(ten.map((e) => e.eventId)).toContain('bulk-0');
    // Five: more than maxChangesPerCheck, so every entry goes.
    await importer.interactions.append([0, 1, 2, 3, 4].map((k) => play(`bulk-more-${k}`, userId(20 + k), MONDAY_MORNING + k)));
    expect(await cache.history(userId(2))).not.toBe(two);
    expect(await cache.history(userId(1))).not.toBe(one);
    expect(await cache.history(userId(10))).not.toBe(ten);
    await importer.close();
    await store.close();
  });

  it('adds the events ingestion stores to the cached history without reading it again, equal to a fresh read', async () => {
    const file = tempDbFile();
    const seeding = new EmbeddedStore(file);
    await seedFixtures(seeding);
    await seeding.close();
    const { store, calls } = countingStore(new EmbeddedStore(file));
    const app = await createTestApp({ store });
    const reads = () => calls.filter((c) => c.method === 'allOfUser').length;
    const histories = app.services.histories;
    const before = await histories.history(userId(3));
    const readsBefore = reads();
    // One new event last, one older than the latest cached event (a late arrival).
    const late = before[before.length - 1].context.timestamp - 1;
    const at = new Date(MONDAY_MORNING + 86_400_000).toISOString();
    await ok(app, RecordInteractionsDocument, { events: [
      { eventId: 'svc-1', userId: userId(3), trackId: trackId(150), type: 'PLAY', context: { timestamp: at } },
      { eventId: 'svc-0', userId: userId(3), trackId: trackId(151), type: 'SKIP', msPlayed: 3000, context: { timestamp: new Date(late).toISOString() } },
    ] });
    const after = await histories.history(userId(3));
    expect(reads()).toBe(readsBefore);
    expect(after).not.toBe(before);
    expect(before.map((e) => e.eventId)).not.toContain('svc-1');
    expect(after).toEqual(await store.interactions.allOfUser(userId(3)));
    expect(after.length).toBe(before.length + 2);
    await app.close();
  });
});

describe('history order', () => {
  it('merges new events in store order into a new array, skipping events already present', () => {
    const history = [play('b', 'u', 10), play('d', 'u', 20), play('a', 'u', 30)];
    const frozen = [...history];
    // Appended after the last event: the common case.
    expect(withEvents(history, [play('z', 'u', 40)]).map((e) => e.eventId)).toEqual(['b', 'd', 'a', 'z']);
    // A late event, a tie on the timestamp broken by the id, a duplicate of a stored event.
    const merged = withEvents(history, [play('c', 'u', 20), play('e', 'u', 20), play('a', 'u', 30), play('x', 'u', 5)]);
    expect(merged.map((e) => e.eventId)).toEqual(['x', 'b', 'c', 'd', 'e', 'a']);
    expect(history).toEqual(frozen);
    // Nothing new: the same array (derived caches keep their keys).
    expect(withEvents(history, [play('d', 'u', 20)])).toBe(history);
    // Ids in UTF-8 byte order, as SQLite orders them: U+FFFD sorts before U+1F600.
    expect(withEvents([play('\u{1F600}', 'u', 1)], [play('\uFFFD', 'u', 1)]).map((e) => e.eventId)).toEqual(['\uFFFD', '\u{1F600}']);
  });
});

describe('priming from the start-up scan', () => {
  it('primes histories equal to allOfUser, order included (same timestamps ordered by event id as SQLite orders them)', async () => {
    const { store, calls } = countingStore(new EmbeddedStore(':memory:'));
    await store.interactions.append(fixturePlays());
    // Out of time order, with ties broken by event id: digits, case, and code points above
    // U+FFFF against U+FFFD (UTF-16 and UTF-8 order them differently).
    const tie = MONDAY_MORNING - 5000;
    const odd = ['b', 'a10', 'a9', 'B', 'x\u{1F600}', 'x\uFFFD', 'x'].map((id) => play(id, userId(4), tie));
    await store.interactions.append([play('late', userId(4), MONDAY_MORNING + 10_000_000), ...odd, play('early', userId(4), 1)]);

    const cache = new HistoryCache(store);
    const primer = new HistoryPrimer(await store.interactions.count());
    await warmUp(store, [primer]);
    expect(primer.primeInto(cache, 0)).toBe(30);
    calls.length = 0;
    for (let u = 0; u < 30; u++) {
      const primed = await cache.history(userId(u));
      expect(calls.filter((c) => c.method === 'allOfUser')).toEqual([]);
      expect(primed).toEqual(await store.interactions.allOfUser(userId(u)));
      calls.length = 0;
    }
    expect((await cache.history(userId(4))).slice(0, 9).map((e) => e.eventId)).toEqual(['early', 'B', 'a10', 'a9', 'b', 'x', 'x\uFFFD', 'x\u{1F600}', `fx-4-12-${MONDAY_MORNING}`]);
  });

  it('keeps the most recently active listeners when they do not all fit, and skips a store above its bound', async () => {
    const store = new EmbeddedStore(':memory:');
    await store.interactions.append([play('p1', 'old', 1000), play('p2', 'newest', 3000), play('p3', 'middle', 2000), play('p4', 'old', 1500)]);
    const primer = new HistoryPrimer(4);
    await warmUp(store, [primer]);
    expect(primer.recentListeners(10)).toEqual(['newest', 'middle', 'old']);
    const { store: counted, calls } = countingStore(store);
    const cache = new HistoryCache(counted, { maxUsers: 2 });
    expect(primer.primeInto(cache, 0)).toBe(2);
    const reads = () => calls.filter((c) => c.method === 'allOfUser').map((c) => c.args[0]);
    // 'middle' was primed before 'newest', so reading a third listener evicts it first.
    await cache.history('old');
    await cache.history('newest');
    expect(reads()).toEqual(['old']);
    await cache.history('middle');
    expect(reads()).toEqual(['old', 'middle']);

    const tooLarge = new HistoryPrimer(4, 3);
    await warmUp(store, [tooLarge]);
    expect(tooLarge.collecting).toBe(false);
    expect(tooLarge.primeInto(new HistoryCache(store), 0)).toBe(0);
    expect(tooLarge.recentListeners(1)).toEqual(['newest']);
  });

  it('primes the cache at app start-up: no history is read from the store for a recommendation', async () => {
    const { store, calls } = countingStore(new EmbeddedStore(':memory:'));
    const app = await createTestApp({ store, seed: seedFixtures });
    calls.length = 0;
    const histories = app.services.histories;
    expect(await histories.history(userId(7))).toEqual(await app.store.interactions.allOfUser(userId(7)));
    calls.length = 0;
    await app.services.recommendations.recommend({ isAdmin: true }, { userId: userId(7), target: 'TRACK', limit: 10 }, app.contextAs({ isAdmin: true }).loaders);
    expect(calls.filter((c) => c.repository === 'interactions')).toEqual([]);
    await app.close();
  });

  it('compares strings in UTF-8 byte order', () => {
    const samples = ['', 'a', 'A', 'ab', 'é', '\uFFFD', '\uE000', '\u{1F600}', '\u{10000}', 'a\u{1F600}', 'a\uFFFF', 'z', '0'];
    for (const a of samples) {
      for (const b of samples) expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }
  });
});
