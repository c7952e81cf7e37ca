/**
 * Fills the history cache from the start-up warm-up scan, which parses every stored event
 * anyway: without it, each listener's and each friend's first read is one SQLite query and
 * the JSON parsing of their whole history, inside somebody's request.
 *
 * Memory is the bound. Which listeners were active most recently is known only at the end of
 * the scan, so the events of every listener are held until then: at most `maxEvents` of them
 * (default 2,000,000, ≈ 0.5 GB of parsed events at the ≈ 250 bytes each measured on the 100k
 * demo — which holds 474k events). A larger store is not primed: its listeners' histories are
 * read on first use, as without priming. Either way the listeners' latest activity is kept
 * (one number each), for choosing whom to pre-warm.
 */
import type { Interaction } from '../domain/types.js';
import type { HistoryCache } from './history-cache.js';
import { byStoreOrder, compareCodePoints } from './history-order.js';

export const PRIME_MAX_EVENTS = 2_000_000;

export class HistoryPrimer {
  private readonly lastActive = new Map<string, number>();
  private byListener?: Map<string, Interaction[]>;
  private held = 0;

  /** `expectedEvents`: the store's event count before the scan (a larger store is not collected at all). */
  constructor(expectedEvents: number, private readonly maxEvents = PRIME_MAX_EVENTS) {
    if (expectedEvents <= maxEvents) this.byListener = new Map();
  }

  /** True while the scan's events are being held for priming. */
  get collecting(): boolean {
    return this.byListener !== undefined;
  }

  async observe(batch: readonly Interaction[]): Promise<void> {
    for (const event of batch) {
      const last = this.lastActive.get(event.userId);
      if (last === undefined || event.context.timestamp > last) this.lastActive.set(event.userId, event.context.timestamp);
    }
    if (!this.byListener) return;
    this.held += batch.length;
    // Events stored while the scan ran may push it over the bound.
    if (this.held > this.maxEvents) {
      this.byListener = undefined;
      return;
    }
    for (const event of batch) {
      const events = this.byListener.get(event.userId);
      if (events) events.push(event);
      else this.byListener.set(event.userId, [event]);
    }
  }

  /** Listeners by the time of their latest event, most recent first (ties by id). */
  recentListeners(limit = Infinity): string[] {
    return [...this.lastActive]
      .sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]))
      .slice(0, limit)
      .map(([id]) => id);
  }

  /**
   * Primes `cache` with the histories of the most recently active listeners that fit in it,
   * each ordered like `allOfUser` (by timestamp, then event id), and lets go of the rest.
   * Returns how many listeners were primed. `readAt`: when the scan started.
   */
  primeInto(cache: HistoryCache, readAt: number): number {
    const byListener = this.byListener;
    this.byListener = undefined;
    if (!byListener) return 0;
    const chosen = this.recentListeners(cache.maxUsers);
    let primed = 0;
    // Least recent first: the most recent are the last the LRU evicts.
    for (let i = chosen.length - 1; i >= 0; i--) {
      const events = byListener.get(chosen[i]);
      if (events && cache.prime(chosen[i], events.sort(byStoreOrder), readAt)) primed++;
    }
    return primed;
  }
}
