import { IdIndex, type InteractionMatrix, buildMatrix } from '../../src/models/cf/matrix.js';
import type { Recommender, TrainProgress } from '../../src/models/cf/recommender.js';
import type { PairData } from '../../src/eval/split.js';

/** A matrix from rows of item lists. */
export function matrix(items: number, rows: number[][]): InteractionMatrix {
  return buildMatrix(
    rows.length,
    items,
    rows.flatMap((row, user) => row.map((item) => ({ user, item, value: 1 }))),
  );
}

/** Scores from a fixed table: scores[user][item]. */
export class FixedScores implements Recommender {
  readonly name = 'fixed';
  constructor(private readonly scores: number[][]) {}
  async fit(): Promise<void> {}
  scoreUsers(users: Int32Array, out: Float32Array): void {
    const items = this.scores[0].length;
    users.forEach((u, b) => out.set(this.scores[u], b * items));
  }
}

/** Scores every item by its number of training users (plus a tiny index tie-break). */
export class TestPopularity implements Recommender {
  readonly name = 'test-popularity';
  private counts = new Float32Array(0);
  fitCalls: InteractionMatrix[] = [];
  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    this.fitCalls.push(train);
    this.counts = new Float32Array(train.items);
    for (let k = 0; k < train.indices.length; k++) this.counts[train.indices[k]]++;
    onProgress?.(1, 1);
  }
  scoreUsers(users: Int32Array, out: Float32Array): void {
    for (let b = 0; b < users.length; b++) out.set(this.counts, b * this.counts.length);
  }
}

/** A synthetic dataset: `users` users with 8..50 items each, over `items` items, skewed popularity. */
export function syntheticPairs(users: number, items: number, seed = 7): PairData {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const u: number[] = [];
  const i: number[] = [];
  for (let a = 0; a < users; a++) {
    const n = 8 + Math.floor(rand() * 43);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(n, items)) chosen.add(Math.floor(Math.pow(rand(), 2) * items));
    for (const item of chosen) {
      u.push(a);
      i.push(item);
    }
  }
  return {
    users: IdIndex.from(Array.from({ length: users }, (_, k) => `u${k}`)),
    items: IdIndex.from(Array.from({ length: items }, (_, k) => `i${k}`)),
    user: Int32Array.from(u),
    item: Int32Array.from(i),
  };
}
