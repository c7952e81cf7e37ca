import { IdIndex } from '../../../src/models/cf/matrix.js';
import type { CandidateBlock } from '../../../src/models/hybrid/candidates.js';
import { extraFeatures } from '../../../src/models/hybrid/features.js';
import { DAY_MS, type ListenLog, type PairData } from '../../../src/eval/split.js';
import { type SideData, friendMatrix } from '../../../src/models/hybrid/side-data.js';

/**
 * Block-structured data: `groups` groups of users, each with its own block of items; a user
 * plays 12..20 items, mostly of their block, a few popular items outside; friends are within
 * the group; the items of a block carry the block's tag (given by other users of the group).
 */
export function blockData(groups = 4, usersPerGroup = 30, itemsPerBlock = 40, seed = 3): { pairs: PairData; side: SideData } {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const users = groups * usersPerGroup;
  const items = groups * itemsPerBlock + 20;
  const u: number[] = [];
  const i: number[] = [];
  for (let a = 0; a < users; a++) {
    const g = Math.floor(a / usersPerGroup);
    const chosen = new Set<number>();
    const n = 12 + Math.floor(rand() * 9);
    while (chosen.size < n) {
      chosen.add(rand() < 0.85 ? g * itemsPerBlock + Math.floor(Math.pow(rand(), 1.5) * itemsPerBlock) : groups * itemsPerBlock + Math.floor(rand() * 20));
    }
    for (const item of chosen) {
      u.push(a);
      i.push(item);
    }
  }
  const pairs: PairData = {
    users: IdIndex.from(Array.from({ length: users }, (_, k) => `u${k}`)),
    items: IdIndex.from(Array.from({ length: items }, (_, k) => `i${k}`)),
    user: Int32Array.from(u),
    item: Int32Array.from(i),
  };
  const friendPairs: [number, number][] = [];
  for (let a = 0; a < users; a++) {
    const g = Math.floor(a / usersPerGroup);
    for (let k = 0; k < 3; k++) friendPairs.push([a, g * usersPerGroup + Math.floor(rand() * usersPerGroup)]);
  }
  const tu: number[] = [];
  const ti: number[] = [];
  const tt: number[] = [];
  for (let item = 0; item < groups * itemsPerBlock; item++) {
    const g = Math.floor(item / itemsPerBlock);
    for (let k = 0; k < 2; k++) {
      tu.push(g * usersPerGroup + Math.floor(rand() * usersPerGroup));
      ti.push(item);
      tt.push(rand() < 0.9 ? g : groups + Math.floor(rand() * 3));
    }
  }
  return {
    pairs,
    side: { friends: friendMatrix(users, friendPairs), tags: { tags: groups + 3, user: Int32Array.from(tu), item: Int32Array.from(ti), tag: Int32Array.from(tt) } },
  };
}

/** Small, fast hybrid parameters for tests. */
export const FAST_HYBRID = {
  candidates: 30,
  alsFactors: 8,
  alsIterations: 5,
  alsLambda: 5,
  knnK: 50,
  trees: 40,
  depths: '2,3',
  minLeaf: 10,
  patience: 10,
  threads: 1,
};

/**
 * A listening log with time: `groups` groups of users, each with its own block of artists;
 * every user listens on each of `days` days to one or two artists of their block (a growing
 * repertoire, so new artists keep appearing) and sometimes briefly (a skip) to another.
 */
export function temporalLog(groups = 3, usersPerGroup = 12, itemsPerBlock = 40, days = 150, seed = 5): ListenLog {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const t0 = Date.UTC(2023, 0, 1);
  const user: number[] = [];
  const item: number[] = [];
  const time: number[] = [];
  const ms: number[] = [];
  const users = groups * usersPerGroup;
  for (let u = 0; u < users; u++) {
    const g = Math.floor(u / usersPerGroup);
    for (let d = 0; d < days; d++) {
      const known = Math.min(itemsPerBlock, 4 + Math.floor((d * itemsPerBlock) / days));
      const plays = 1 + Math.floor(rand() * 2);
      for (let p = 0; p < plays; p++) {
        user.push(u);
        item.push(g * itemsPerBlock + Math.floor(Math.pow(rand(), 1.3) * known));
        time.push(t0 + (d + rand()) * DAY_MS);
        ms.push(120_000);
      }
      if (rand() < 0.3) {
        user.push(u);
        item.push(Math.floor(rand() * groups * itemsPerBlock));
        time.push(t0 + (d + rand()) * DAY_MS);
        ms.push(5_000);
      }
    }
  }
  return {
    users: IdIndex.from(Array.from({ length: users }, (_, k) => `u${k}`)),
    items: IdIndex.from(Array.from({ length: groups * itemsPerBlock }, (_, k) => `a${k}`)),
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    time: Float64Array.from(time),
    msPlayed: Float64Array.from(ms),
  };
}

/** Feature values of user u's candidates `items`, by feature name. */
export function featuresOf(groups: string[], inputs: Parameters<typeof extraFeatures>[1], u: number, items: number[]): Record<string, number>[] {
  const extra = extraFeatures(groups, inputs);
  if (!extra) throw new Error('no features built');
  const out = new Float32Array(items.length * extra.names.length);
  extra.fill(u, items, out);
  return items.map((_, c) => Object.fromEntries(extra.names.map((n, k) => [n, out[c * extra.names.length + k]])));
}

/** A hand-made candidate block: per user a list of rows, each row's item and feature values picked from it. */
export function candidateBlock<Row>(users: number[], lists: Row[][], itemOf: (row: Row) => number, featuresOf: (row: Row) => number[]): CandidateBlock {
  const items: number[] = [];
  const features: number[] = [];
  const offsets = [0];
  let numFeatures = 0;
  for (const list of lists) {
    for (const row of list) {
      const values = featuresOf(row);
      numFeatures = values.length;
      items.push(itemOf(row));
      features.push(...values);
    }
    offsets.push(items.length);
  }
  return { users: Int32Array.from(users), offsets: Int32Array.from(offsets), items: Int32Array.from(items), features: Float32Array.from(features), numFeatures };
}
