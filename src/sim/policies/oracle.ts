/**
 * Policies that read the hidden truth. `oracle`: the k tracks of highest appeal for the
 * listener in the true context, at this moment (familiarity, fatigue and all) — the ceiling
 * regret is measured from. `oracle-no-context`: the same truth averaged over the listener's
 * usual contexts (their routine's mix of activities, no weather) — the best any policy that
 * ignores context can do, so its gap to `oracle` in a segment is what context is worth there.
 */
import type { ListeningContext } from '../../domain/types.js';
import type { World } from '../world.js';
import type { Policy } from './policy.js';

export class OraclePolicy implements Policy {
  readonly name: string;

  constructor(private readonly world: World, private readonly useContext: boolean) {
    this.name = useContext ? 'oracle' : 'oracle-no-context';
  }

  async recommend(listenerId: string, context: ListeningContext, k: number): Promise<string[]> {
    const u = this.world.listenerIndex(listenerId);
    if (u === undefined) return [];
    const seen: ListeningContext = this.useContext ? context : { timestamp: context.timestamp, timezone: context.timezone };
    return this.world.topK(u, seen, k).map((t) => this.world.catalogue.tracks[t].id);
  }

  async observe(): Promise<void> {}
}
