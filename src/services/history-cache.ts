/**
 * Listeners' histories, kept in memory between requests. Reading and parsing a heavy
 * listener's few hundred events is the largest cost of a recommendation request, and the
 * profile and reusable source outputs derived from a history are keyed by the array itself
 * (src/pipeline/source-cache.ts): handing out a new array costs the listener a first request
 * again. So an entry is replaced only when that listener's events changed:
 * - events stored through this process's ingestion, or relayed by a cluster peer, are added to
 *   their listeners' cached histories (a new array, as a read would return it: re-reading a
 *   heavy listener's history after each play was a quarter of their next request's CPU, and in
 *   a cluster the social source re-read every friend who had played);
 * - events stored by other connections (a peer process, `npm run import` on the same
 *   DATA_DIR) are found through the store's change feed, where it has one (embedded): at most
 *   every `checkEveryMs`, a cheap version check, and when it moved, the new events are added to
 *   the histories of the listeners cached (everything is dropped after a bulk import); a peer's
 *   events already added from its relay are recognised by id;
 * - only a store without a change feed (MongoDB) falls back to trusting an entry for `ttlMs`.
 */
import type { Interaction } from '../domain/types.js';
import type { InteractionChangeFeed, Store } from '../store/ports.js';
import { withEvents } from './history-order.js';

export interface HistorySource {
  history(userId: string): Promise<readonly Interaction[]>;
  invalidate(userIds: Iterable<string>): void;
  /** Events just stored (here, or by a peer that relayed them): their listeners' histories now include them. */
  extend(events: readonly Interaction[]): void;
}

/**
 * No cache: every read goes to the store (distributed mode, where other replicas write too).
 * But a read that finds the same events as the previous read of that listener hands out the
 * previous array: profiles and reusable source outputs are keyed by the array
 * (src/pipeline/source-cache.ts), and would otherwise never be reused in this mode. Events
 * are append-only and idempotent by id, so the same count with the same first and last event
 * is the same history.
 */
export function storeHistory(store: Store, maxUsers = 20_000): HistorySource {
  const last = new Map<string, readonly Interaction[]>();
  return {
    history: async (userId) => {
      const events = await store.interactions.allOfUser(userId);
      const before = last.get(userId);
      if (before && sameHistory(before, events)) return before;
      last.delete(userId);
      if (last.size >= maxUsers) last.delete(last.keys().next().value as string);
      last.set(userId, events);
      return events;
    },
    invalidate: (userIds) => {
      for (const id of userIds) last.delete(id);
    },
    // Every read goes to the store anyway.
    extend: (events) => {
      for (const event of events) last.delete(event.userId);
    },
  };
}

function sameHistory(a: readonly Interaction[], b: readonly Interaction[]): boolean {
  return a.length === b.length && (a.length === 0 || (a[0].eventId === b[0].eventId && a[a.length - 1].eventId === b[b.length - 1].eventId));
}

/** Where a process reads listeners' own and friends' histories, and the cache behind them. */
export interface HistorySources {
  histories: HistorySource;
  friendHistories: HistorySource;
  /** The cache to prime at start-up. */
  cache: HistoryCache;
}

/**
 * Embedded mode caches every history: all writes either pass through this process or are
 * found by the store's change feed. Distributed mode reads the listener's own history from
 * the store on every request (other replicas write to it, and MongoDB has no change feed), but
 * caches friends' histories, which may be a TTL old: the social source reads up to 50 per
 * request, which would otherwise be 50 store reads per request.
 */
export function historySources(store: Store, distributed: boolean): HistorySources {
  const cache = new HistoryCache(store);
  return distributed ? { histories: storeHistory(store), friendHistories: cache, cache } : { histories: cache, friendHistories: cache, cache };
}

export interface HistoryCacheOptions {
  /** Most listeners kept (least recently used leave first). */
  maxUsers?: number;
  /** How long an entry is trusted when the store has no change feed. */
  ttlMs?: number;
  /**
   * Least time between two looks at the change feed. Outside writes are noticed within it.
   * A look costs ≈ 2 µs and a request reads up to 51 histories (the listener and 50 friends):
   * checking on every read would add ≈ 0.1 ms to a 2.5 ms repeat request.
   */
  checkEveryMs?: number;
  /**
   * More new events than this since the last look (a bulk import) drop every entry instead
   * of reading the listeners of each.
   */
  maxChangesPerCheck?: number;
  now?: () => number;
}

interface Entry {
  events: readonly Interaction[];
  at: number;
}

export class HistoryCache implements HistorySource {
  readonly maxUsers: number;
  private readonly ttlMs: number;
  private readonly checkEveryMs: number;
  private readonly maxChangesPerCheck: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly feed?: InteractionChangeFeed;
  private version = 0;
  private position = 0;
  private checkedAt = -Infinity;
  /** Bumped by every invalidation: a read that an invalidation overtook is not kept. */
  private generation = 0;

  constructor(private readonly store: Store, options: HistoryCacheOptions = {}) {
    this.maxUsers = options.maxUsers ?? 20_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.checkEveryMs = options.checkEveryMs ?? 100;
    this.maxChangesPerCheck = options.maxChangesPerCheck ?? 10_000;
    this.now = options.now ?? Date.now;
    this.feed = store.interactions.changes;
    // The baseline: what a prime or a read after this moment may miss is found at the next look.
    // Position before version, as in noticeOutsideWrites.
    if (this.feed) {
      this.position = this.feed.position();
      this.version = this.feed.externalVersion();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async history(userId: string): Promise<readonly Interaction[]> {
    const now = this.now();
    this.noticeOutsideWrites(now);
    const entry = this.entries.get(userId);
    if (entry && (this.feed || now - entry.at < this.ttlMs)) {
      // Refresh the entry's place in the LRU order.
      this.entries.delete(userId);
      this.entries.set(userId, entry);
      return entry.events;
    }
    const generation = this.generation;
    const events = await this.store.interactions.allOfUser(userId);
    if (generation === this.generation) this.remember(userId, { events, at: now });
    return events;
  }

  /**
   * Fills an entry from events read elsewhere (the start-up scan), ordered exactly as
   * `allOfUser` orders them. An entry already read is kept; a full cache takes no more.
   * `readAt` is when the events were read (for the TTL fallback).
   */
  prime(userId: string, events: readonly Interaction[], readAt = this.now()): boolean {
    if (this.entries.has(userId) || this.entries.size >= this.maxUsers) return false;
    this.entries.set(userId, { events, at: readAt });
    return true;
  }

  invalidate(userIds: Iterable<string>): void {
    this.generation++;
    for (const id of userIds) this.entries.delete(id);
  }

  /**
   * Adds events just stored (here, or by a peer that relayed them) to the cached histories of
   * their listeners, in the store's order (history-order.ts), as new arrays. A listener without
   * an entry is read in full on their next request. The events are copied as the store keeps
   * them (a JSON document), so a cached history equals a fresh read.
   */
  extend(events: readonly Interaction[]): void {
    this.append(events, (event) => JSON.parse(JSON.stringify(event)) as Interaction);
  }

  private append(events: readonly Interaction[], asStored: (event: Interaction) => Interaction = (event) => event): void {
    // A read that started before these events were stored may lack them: it is not kept.
    this.generation++;
    const byListener = new Map<string, Interaction[]>();
    for (const event of events) {
      if (!this.entries.has(event.userId)) continue;
      let added = byListener.get(event.userId);
      if (!added) byListener.set(event.userId, (added = []));
      added.push(asStored(event));
    }
    for (const [userId, added] of byListener) {
      const entry = this.entries.get(userId)!;
      this.entries.set(userId, { events: withEvents(entry.events, added), at: entry.at });
    }
  }

  private remember(userId: string, entry: Entry): void {
    this.entries.delete(userId);
    if (this.entries.size >= this.maxUsers) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(userId, entry);
  }

  private noticeOutsideWrites(now: number): void {
    if (!this.feed || now - this.checkedAt < this.checkEveryMs) return;
    this.checkedAt = now;
    // The newest position first, then the version: a commit by another connection in between
    // moves the version, so `newest` is only trusted when no such commit happened. Advancing
    // past this process's own events keeps the next look from re-reading them all.
    const newest = this.feed.position();
    const version = this.feed.externalVersion();
    if (version === this.version) {
      this.position = newest;
      return;
    }
    // The version is read before the events: a commit after this look moves it again.
    this.version = version;
    const changed = this.feed.eventsSince(this.position, this.maxChangesPerCheck);
    this.position = changed.position;
    if (changed.events) {
      // Read from the store's documents: already as a read would return them.
      if (changed.events.length > 0) this.append(changed.events);
    } else {
      this.generation++;
      this.entries.clear();
    }
  }
}
