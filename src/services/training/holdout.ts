/**
 * A held-out slice for judging a freshly trained version before it serves: a seeded share of
 * each active listener's items. Listeners with fewer than `minItems` items keep them all.
 */
import { buildMatrix, type InteractionMatrix, type Triple } from '../../models/cf/matrix.js';
import { SeededRandom } from '../../models/cf/rng.js';

export function splitHoldout(m: InteractionMatrix, share: number, seed: number, minItems = 5): { train: InteractionMatrix; holdout: InteractionMatrix } {
  const random = new SeededRandom(seed);
  const train: Triple[] = [];
  const held: Triple[] = [];
  for (let u = 0; u < m.users; u++) {
    const start = m.indptr[u];
    const n = m.indptr[u + 1] - start;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const holdCount = n >= minItems ? Math.max(1, Math.round(n * share)) : 0;
    order.forEach((offset, rank) => {
      const cell = { user: u, item: m.indices[start + offset], value: m.values[start + offset] };
      (rank < holdCount ? held : train).push(cell);
    });
  }
  return { train: buildMatrix(m.users, m.items, train), holdout: buildMatrix(m.users, m.items, held) };
}
