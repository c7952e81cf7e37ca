/**
 * A recommendation policy as the simulator sees it: asked for a slate of k tracks for a
 * listener in a context, then shown what the listener did with it. Online learners learn in
 * `observe`; batch learners retrain in `endDay`.
 */
import type { Interaction, ListeningContext } from '../../domain/types.js';

export interface Policy {
  readonly name: string;
  /** Track ids, best first; more than k, unknown or repeated ids are dropped (and counted). */
  recommend(listenerId: string, context: ListeningContext, k: number): Promise<readonly string[]>;
  /** The events of one session, in time order, after the listener acted. */
  observe(events: readonly Interaction[]): Promise<void>;
  /** After each simulated day (0-based): retraining, chart refreshes. */
  endDay?(day: number): Promise<void>;
  close?(): Promise<void>;
}

/** Tracks a listener has played, skipped or disliked, per listener, as the events show them. */
export class HeardTracks {
  private readonly byListener = new Map<string, Set<number>>();

  constructor(private readonly trackIndex: (id: string) => number | undefined) {}

  observe(events: readonly Interaction[]): void {
    for (const e of events) {
      if (e.targetKind !== 'TRACK' || e.type === 'LIKE' || e.type === 'SAVE' || e.type === 'TAG') continue;
      const t = this.trackIndex(e.targetId);
      if (t === undefined) continue;
      let set = this.byListener.get(e.userId);
      if (!set) this.byListener.set(e.userId, (set = new Set()));
      set.add(t);
    }
  }

  of(listenerId: string): ReadonlySet<number> {
    return this.byListener.get(listenerId) ?? EMPTY;
  }
}

const EMPTY: ReadonlySet<number> = new Set();

/** The k best indices by score among those not excluded, best first (ties by lower index). */
export function topUnexcluded(scores: ArrayLike<number>, k: number, exclude: ReadonlySet<number>): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (exclude.has(i)) continue;
    const v = scores[i];
    if (best.length === k && v <= scores[best[k - 1]]) continue;
    let at = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(i);
    while (at > 0 && scores[best[at - 1]] < v) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return best;
}
