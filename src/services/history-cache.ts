/**
 * Listeners' histories, kept in memory between requests. Reading and parsing a heavy
 * listener's few hundred events is the largest cost of a recommendation request; the history
 * only changes when that listener's events are stored, and those pass through this process's
 * ingestion, which invalidates the entry. The TTL bounds staleness from writers outside this
 * process (an importer): it is used only where every API write is local (embedded mode).
 */
import type { Interaction } from '../domain/types.js';
import type { Store } from '../store/ports.js';

export interface HistorySource {
  history(userId: string): Promise<readonly Interaction[]>;
  invalidate(userIds: Iterable<string>): void;
}

/** No cache: every read goes to the store (distributed mode, where other replicas write too). */
export function storeHistory(store: Store): HistorySource {
  return { history: (userId) => store.interactions.allOfUser(userId), invalidate: () => {} };
}

export class HistoryCache implements HistorySource {
  private readonly entries = new Map<string, { events: readonly Interaction[]; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly maxUsers = 20_000,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async history(userId: string): Promise<readonly Interaction[]> {
    const entry = this.entries.get(userId);
    if (entry && this.now() - entry.at < this.ttlMs) {
      // Refresh the entry's place in the LRU order.
      this.entries.delete(userId);
      this.entries.set(userId, entry);
      return entry.events;
    }
    const events = await this.store.interactions.allOfUser(userId);
    if (this.entries.size >= this.maxUsers) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(userId, { events, at: this.now() });
    return events;
  }

  invalidate(userIds: Iterable<string>): void {
    for (const id of userIds) this.entries.delete(id);
  }
}
