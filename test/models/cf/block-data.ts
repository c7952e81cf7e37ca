/**
 * A small block-structured interaction matrix for the recommender tests: `groups` groups of
 * users, each user listening to most items of their own group's block of items and to nothing
 * else. One in-group item per user is held out.
 */
import { buildMatrix, type InteractionMatrix, type Triple } from '../../../src/models/cf/matrix.js';
import { SeededRandom } from '../../../src/models/cf/rng.js';

export interface BlockData {
  train: InteractionMatrix;
  groups: number;
  usersPerGroup: number;
  itemsPerGroup: number;
  /** The held-out in-group item of each user. */
  heldOut: Int32Array;
  groupOfUser(u: number): number;
  groupOfItem(i: number): number;
}

export function blockData(groups = 3, usersPerGroup = 20, itemsPerGroup = 15, density = 0.6, seed = 3): BlockData {
  const random = new SeededRandom(seed);
  const users = groups * usersPerGroup;
  const items = groups * itemsPerGroup;
  const triples: Triple[] = [];
  const heldOut = new Int32Array(users);
  for (let u = 0; u < users; u++) {
    const g = Math.floor(u / usersPerGroup);
    const chosen: number[] = [];
    for (let j = 0; j < itemsPerGroup; j++) if (random.float() < density) chosen.push(g * itemsPerGroup + j);
    while (chosen.length < 3) {
      const extra = g * itemsPerGroup + random.int(itemsPerGroup);
      if (!chosen.includes(extra)) chosen.push(extra);
    }
    random.shuffle(chosen);
    heldOut[u] = chosen[0];
    for (const item of chosen.slice(1)) triples.push({ user: u, item, value: 1 + random.int(20) });
  }
  return {
    train: buildMatrix(users, items, triples),
    groups,
    usersPerGroup,
    itemsPerGroup,
    heldOut,
    groupOfUser: (u) => Math.floor(u / usersPerGroup),
    groupOfItem: (i) => Math.floor(i / itemsPerGroup),
  };
}

/** All user indices of a matrix. */
export function allUsers(m: InteractionMatrix): Int32Array {
  return Int32Array.from({ length: m.users }, (_, u) => u);
}

/**
 * The fraction of users whose held-out item scores above every item of the other groups
 * (train items are not involved: they are all in-group).
 */
export function heldOutAboveOutGroup(data: BlockData, scores: Float32Array): number {
  const { train } = data;
  let good = 0;
  for (let u = 0; u < train.users; u++) {
    const row = u * train.items;
    const g = data.groupOfUser(u);
    const target = scores[row + data.heldOut[u]];
    let best = -Infinity;
    for (let i = 0; i < train.items; i++) if (data.groupOfItem(i) !== g) best = Math.max(best, scores[row + i]);
    if (target > best) good++;
  }
  return good / train.users;
}
