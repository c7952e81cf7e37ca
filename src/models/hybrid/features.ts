/**
 * Features per (user, candidate) beyond the sources' scores, computed from the training matrix
 * and the fitted sources. Groups, each optional (HybridParams.features):
 *
 * - `knn`: over the user's training items j, the largest item-kNN similarity sim(j → i), and
 *   how many of them have i among their k neighbours (the item-kNN score is the weighted sum);
 * - `pop`: the mean log popularity of the user's training items (how mainstream the user is)
 *   and the candidate's log popularity minus it;
 * - `als`: the length of the ALS user and item vectors and their cosine (the dot product is the
 *   ALS score already);
 * - `social`: how many friends trained on the candidate, and that count over the friends.
 *
 * Everything here reads the training matrix, the friend graph and the fitted sources only.
 */
import type { ImplicitALS } from '../cf/als.js';
import type { ItemKnnRecommender } from '../cf/item-knn.js';
import type { InteractionMatrix } from '../cf/matrix.js';
import type { ExtraFeatures } from './candidates.js';

export const FEATURE_GROUPS = ['knn', 'pop', 'als', 'social'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

export interface FeatureInputs {
  readonly train: InteractionMatrix;
  readonly knn?: ItemKnnRecommender;
  readonly als?: ImplicitALS;
  readonly friends?: InteractionMatrix;
}

interface Group {
  names: string[];
  /** Writes its values for candidates `items` of user u at out[c * stride + offset + k]. */
  fill(u: number, items: readonly number[], out: Float32Array, stride: number, offset: number): void;
}

function knnGroup(train: InteractionMatrix, knn: ItemKnnRecommender): Group {
  const maxSim = new Float32Array(train.items);
  const count = new Int32Array(train.items);
  return {
    names: ['knn:maxSim', 'knn:links'],
    fill(u, items, out, stride, offset) {
      const { nbrPtr, nbrIndex, nbrSim } = knn;
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
        const j = train.indices[k];
        for (let q = nbrPtr[j]; q < nbrPtr[j + 1]; q++) {
          const i = nbrIndex[q];
          if (nbrSim[q] > maxSim[i]) maxSim[i] = nbrSim[q];
          count[i]++;
        }
      }
      items.forEach((i, c) => {
        out[c * stride + offset] = maxSim[i];
        out[c * stride + offset + 1] = count[i];
      });
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
        const j = train.indices[k];
        for (let q = nbrPtr[j]; q < nbrPtr[j + 1]; q++) {
          maxSim[nbrIndex[q]] = 0;
          count[nbrIndex[q]] = 0;
        }
      }
    },
  };
}

function popGroup(train: InteractionMatrix): Group {
  const logPop = new Float64Array(train.items);
  for (let k = 0; k < train.indices.length; k++) logPop[train.indices[k]]++;
  for (let i = 0; i < train.items; i++) logPop[i] = Math.log1p(logPop[i]);
  return {
    names: ['user:meanLogPopularity', 'item:popularityVsUser'],
    fill(u, items, out, stride, offset) {
      let sum = 0;
      const n = train.indptr[u + 1] - train.indptr[u];
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) sum += logPop[train.indices[k]];
      const mean = n > 0 ? sum / n : 0;
      items.forEach((i, c) => {
        out[c * stride + offset] = mean;
        out[c * stride + offset + 1] = logPop[i] - mean;
      });
    },
  };
}

function alsGroup(als: ImplicitALS): Group {
  const k = als.factors;
  const norm = (m: Float32Array, r: number): number => {
    let s = 0;
    for (let f = 0; f < k; f++) s += m[r * k + f] * m[r * k + f];
    return Math.sqrt(s);
  };
  let itemNorms: Float32Array | undefined;
  return {
    names: ['als:userNorm', 'als:itemNorm', 'als:cosine'],
    fill(u, items, out, stride, offset) {
      const Y = als.itemFactors;
      const X = als.userFactors;
      if (!itemNorms || itemNorms.length * k !== Y.length) {
        const n = Y.length / k;
        itemNorms = new Float32Array(n);
        for (let i = 0; i < n; i++) itemNorms[i] = norm(Y, i);
      }
      const un = norm(X, u);
      items.forEach((i, c) => {
        let dot = 0;
        for (let f = 0; f < k; f++) dot += X[u * k + f] * Y[i * k + f];
        const inorm = (itemNorms as Float32Array)[i];
        out[c * stride + offset] = un;
        out[c * stride + offset + 1] = inorm;
        out[c * stride + offset + 2] = un > 0 && inorm > 0 ? dot / (un * inorm) : 0;
      });
    },
  };
}

function socialGroup(train: InteractionMatrix, friends: InteractionMatrix): Group {
  const count = new Int32Array(train.items);
  return {
    names: ['social:friendsWith', 'social:shareOfFriends'],
    fill(u, items, out, stride, offset) {
      const deg = friends.indptr[u + 1] - friends.indptr[u];
      for (let e = friends.indptr[u]; e < friends.indptr[u + 1]; e++) {
        const f = friends.indices[e];
        for (let k = train.indptr[f]; k < train.indptr[f + 1]; k++) count[train.indices[k]]++;
      }
      items.forEach((i, c) => {
        out[c * stride + offset] = count[i];
        out[c * stride + offset + 1] = deg > 0 ? count[i] / deg : 0;
      });
      for (let e = friends.indptr[u]; e < friends.indptr[u + 1]; e++) {
        const f = friends.indices[e];
        for (let k = train.indptr[f]; k < train.indptr[f + 1]; k++) count[train.indices[k]] = 0;
      }
    },
  };
}

/** The requested groups that the inputs support (a group whose source is missing is left out). */
export function extraFeatures(groups: readonly string[], inputs: FeatureInputs): ExtraFeatures | undefined {
  const built: Group[] = [];
  for (const g of groups) {
    if (!(FEATURE_GROUPS as readonly string[]).includes(g)) throw new RangeError(`hybrid: unknown feature group "${g}" (${FEATURE_GROUPS.join(', ')})`);
    if (g === 'knn' && inputs.knn) built.push(knnGroup(inputs.train, inputs.knn));
    if (g === 'pop') built.push(popGroup(inputs.train));
    if (g === 'als' && inputs.als) built.push(alsGroup(inputs.als));
    if (g === 'social' && inputs.friends) built.push(socialGroup(inputs.train, inputs.friends));
  }
  if (built.length === 0) return undefined;
  const names = built.flatMap((g) => g.names);
  return {
    names,
    fill(u, items, out) {
      let offset = 0;
      for (const g of built) {
        g.fill(u, items, out, names.length, offset);
        offset += g.names.length;
      }
    },
  };
}
