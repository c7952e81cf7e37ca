/**
 * Global popularity learned online: every observed event adds its weight (the service's
 * POPULARITY_WEIGHTS: plays and completions 1, likes and saves 2, skips nothing) to its
 * track, starting from the warm-up log. A listener gets the most popular tracks they have not
 * played, skipped or disliked yet. No context, no personal taste.
 */
import type { Interaction } from '../../domain/types.js';
import { POPULARITY_WEIGHTS } from '../../models/popularity/context-popularity.js';
import type { World } from '../world.js';
import { HeardTracks, type Policy, topUnexcluded } from './policy.js';

export class PopularityPolicy implements Policy {
  readonly name = 'popularity';
  private readonly counts: Float64Array;
  private readonly heard: HeardTracks;

  constructor(private readonly world: World) {
    this.counts = new Float64Array(world.trackCount);
    this.heard = new HeardTracks((id) => world.trackIndex(id));
    this.learn(world.warmupEvents());
  }

  async recommend(listenerId: string, _context: unknown, k: number): Promise<string[]> {
    return topUnexcluded(this.counts, k, this.heard.of(listenerId)).map((t) => this.world.catalogue.tracks[t].id);
  }

  async observe(events: readonly Interaction[]): Promise<void> {
    this.learn(events);
  }

  private learn(events: readonly Interaction[]): void {
    this.heard.observe(events);
    for (const e of events) {
      const t = this.world.trackIndex(e.targetId);
      if (t !== undefined) this.counts[t] += POPULARITY_WEIGHTS[e.type] * e.count;
    }
  }
}
