/**
 * Listener records (time zone, friends), kept in memory between recommendation requests: a
 * request needs its listener's record and, for the social source, up to 50 friends' names,
 * and reading and parsing them was a tenth of a repeat request's cost. Records change only
 * when an importer or a simulator writes them, never through the API, so:
 * - where the store reports commits by other connections (embedded SQLite: a peer process,
 *   `npm run import` on the same DATA_DIR), a commit that changed or deleted a listener record
 *   drops every entry, looked at most every `checkEveryMs` (commits of events alone — a peer's
 *   plays, many a second — keep them: dropping on every commit made each request read its
 *   listener's record again);
 * - an entry is trusted for at most `ttlMs` in any case (writes through this process's own
 *   store connection outside the API, and stores without a change feed).
 * Unknown ids are not remembered: a listener created by their first events is found at once.
 */
import type { User } from '../domain/types.js';
import type { InteractionChangeFeed, Store } from '../store/ports.js';
import type { Loaders } from './loaders.js';

export interface UserCacheOptions {
  maxUsers?: number;
  ttlMs?: number;
  checkEveryMs?: number;
  now?: () => number;
}

export class UserCache {
  private readonly entries = new Map<string, { user: User; at: number }>();
  private readonly feed?: InteractionChangeFeed;
  private readonly maxUsers: number;
  private readonly ttlMs: number;
  private readonly checkEveryMs: number;
  private readonly now: () => number;
  private version = 0;
  private recordsVersion = 0;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(store: Store, options: UserCacheOptions = {}) {
    this.feed = store.interactions.changes;
    this.maxUsers = options.maxUsers ?? 50_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.checkEveryMs = options.checkEveryMs ?? 100;
    this.now = options.now ?? Date.now;
    if (this.feed) {
      this.version = this.feed.externalVersion();
      this.recordsVersion = this.feed.recordsVersion('users');
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The record, from memory or through the request's loader (so misses of one tick batch). */
  async get(userId: string, loaders: Pick<Loaders, 'users'>): Promise<User | null> {
    const now = this.now();
    this.noticeOutsideWrites(now);
    const entry = this.entries.get(userId);
    if (entry && now - entry.at < this.ttlMs) return entry.user;
    const user = await loaders.users.load(userId);
    if (user) {
      this.entries.delete(userId);
      if (this.entries.size >= this.maxUsers) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(userId, { user, at: now });
    }
    return user;
  }

  private noticeOutsideWrites(now: number): void {
    if (!this.feed || now - this.checkedAt < this.checkEveryMs) return;
    this.checkedAt = now;
    const version = this.feed.externalVersion();
    if (version !== this.version) {
      this.version = version;
      const records = this.feed.recordsVersion('users');
      if (records !== this.recordsVersion) {
        this.recordsVersion = records;
        this.entries.clear();
      }
    }
  }
}
