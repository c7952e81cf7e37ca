/** The floor: k distinct tracks drawn uniformly from the catalogue, from the policy's own seeded stream. */
import { Rng } from '../random.js';
import type { World } from '../world.js';
import type { Policy } from './policy.js';

export class RandomPolicy implements Policy {
  readonly name = 'random';
  private readonly rng: Rng;

  constructor(private readonly world: World) {
    this.rng = new Rng(world.config.seed, 'policy/random');
  }

  async recommend(_listenerId: string, _context: unknown, k: number): Promise<string[]> {
    const n = this.world.trackCount;
    const chosen = new Set<number>();
    while (chosen.size < Math.min(k, n)) chosen.add(this.rng.int(n));
    return [...chosen].map((t) => this.world.catalogue.tracks[t].id);
  }

  async observe(): Promise<void> {}
}
