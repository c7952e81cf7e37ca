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
 * - `social`: how many friends trained on the candidate, and that count over the friends;
 * - `era` (tag dates): when the candidate was tagged (the other users' mean tag date, and the
 *   share of those tags in the data's last year), when the user tagged their training artists
 *   (mean and latest), and the gap between the candidate's and the user's mean dates: a user
 *   whose tagging stopped in 2007 has a 2007 top-50;
 * - `recency` (tag dates): item-kNN scores (sum and maximum) from only those training artists
 *   the user tagged in the `RECENT_MONTHS` before their latest tag — the artists they were
 *   engaged with last, the nearest thing Last.fm 2K has to recent plays.
 * - `coherence`: how strongly the candidate is linked to the user's other candidates in the
 *   item-kNN graph (sum and count of sim(j → i) over the other candidates j): the union of the
 *   sources' lists marks where the user's taste lies, and a candidate in its middle is likelier
 *   than an outlier one source proposed alone.
 * - `friend-tags`: how many of the user's friends tagged the candidate, and how many of those
 *   have not trained on it (an artist a friend writes about but the social source, which reads
 *   the friends' training artists, cannot see). The user's own tags never count.
 * - `friend-als`: the friends' ALS scores for the candidate (mean and maximum of x_f · y_i over
 *   the user's friends f; 0 without friends): the friends' latent taste, which reaches artists
 *   none of them trained on, where the social source only counts what they trained on.
 *
 * Everything here reads the training matrix, the friend graph, the fitted sources and the tag
 * assignments only. Dates follow the tag source's leakage rule: an artist's dates as seen by
 * user u leave out u's own assignments, and u's own dates count only on u's training artists.
 */
import type { ImplicitALS } from '../cf/als.js';
import type { ItemKnnRecommender } from '../cf/item-knn.js';
import type { InteractionMatrix } from '../cf/matrix.js';
import type { ExtraFeatures } from './candidates.js';
import type { TagAssignments } from './side-data.js';

export const FEATURE_GROUPS = ['knn', 'pop', 'als', 'social', 'era', 'recency', 'coherence', 'friend-tags', 'friend-als'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

export interface FeatureInputs {
  readonly train: InteractionMatrix;
  readonly knn?: ItemKnnRecommender;
  readonly als?: ImplicitALS;
  readonly friends?: InteractionMatrix;
  readonly tags?: TagAssignments;
}

interface Group {
  names: string[];
  /** Writes its values for candidates `items` of user u at out[c * stride + offset + k]. */
  fill(u: number, items: readonly number[], out: Float32Array, stride: number, offset: number): void;
}

/** Writes, for every candidate i, the i-th entry of each per-item array as consecutive columns from `offset`. */
function writeColumns(items: readonly number[], out: Float32Array, stride: number, offset: number, ...columns: ArrayLike<number>[]): void {
  items.forEach((i, c) => {
    for (let k = 0; k < columns.length; k++) out[c * stride + offset + k] = columns[k][i];
  });
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
      writeColumns(items, out, stride, offset, maxSim, count);
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

function friendAlsGroup(als: ImplicitALS, friends: InteractionMatrix): Group {
  const k = als.factors;
  return {
    names: ['friendAls:mean', 'friendAls:max'],
    fill(u, items, out, stride, offset) {
      const X = als.userFactors;
      const Y = als.itemFactors;
      const from = u < friends.users ? friends.indptr[u] : 0;
      const to = u < friends.users ? friends.indptr[u + 1] : 0;
      items.forEach((i, c) => {
        let sum = 0;
        let max = to > from ? -Infinity : 0;
        for (let e = from; e < to; e++) {
          const f = friends.indices[e];
          let dot = 0;
          for (let d = 0; d < k; d++) dot += X[f * k + d] * Y[i * k + d];
          sum += dot;
          if (dot > max) max = dot;
        }
        out[c * stride + offset] = to > from ? sum / (to - from) : 0;
        out[c * stride + offset + 1] = max;
      });
    },
  };
}

/** A date feature's value when there is no date to compute it from (far outside −100…0 months). */
export const UNKNOWN_DATE = -1000;
/** How far back from the user's latest tag an artist still counts as recent (`recency`). */
export const RECENT_MONTHS = 6;

/**
 * The tag dates per (user, artist) pair: the month the user first tagged the artist. Pairs are
 * counted once however many tags the user gave, so a prolific tagger does not date an artist alone.
 */
export class TagDates {
  /** user * items + item → month of the pair. */
  readonly pairMonth = new Map<number, number>();
  readonly itemSum: Float64Array;
  readonly itemCount: Float64Array;
  /** Pairs per artist dated in the data's last 12 months. */
  readonly itemRecent: Float64Array;
  readonly recentFrom: number;
  /** The data's latest month: dates are given relative to it. */
  readonly last: number;

  constructor(
    tags: TagAssignments,
    readonly items: number,
  ) {
    const month = tags.month;
    if (!month) throw new RangeError('TagDates: the tag assignments carry no dates');
    let last = -1;
    for (let k = 0; k < month.length; k++) {
      const m = month[k];
      if (m < 0) continue;
      if (m > last) last = m;
      const key = tags.user[k] * items + tags.item[k];
      const seen = this.pairMonth.get(key);
      if (seen === undefined || m < seen) this.pairMonth.set(key, m);
    }
    this.last = last;
    this.recentFrom = last - 11;
    this.itemSum = new Float64Array(items);
    this.itemCount = new Float64Array(items);
    this.itemRecent = new Float64Array(items);
    for (const [key, m] of this.pairMonth) {
      const i = key % items;
      this.itemSum[i] += m;
      this.itemCount[i]++;
      if (m >= this.recentFrom) this.itemRecent[i]++;
    }
  }

  /** Month user u tagged artist i, or −1. */
  own(u: number, i: number): number {
    return this.pairMonth.get(u * this.items + i) ?? -1;
  }

  /** The artist's mean date and share of recent dates over the other users' pairs (u's left out). */
  itemAsSeenBy(u: number, i: number): { mean: number; recentShare: number } {
    let sum = this.itemSum[i];
    let count = this.itemCount[i];
    let recent = this.itemRecent[i];
    const m = this.own(u, i);
    if (m >= 0) {
      sum -= m;
      count--;
      if (m >= this.recentFrom) recent--;
    }
    if (count <= 0) return { mean: UNKNOWN_DATE, recentShare: -1 };
    return { mean: sum / count - this.last, recentShare: recent / count };
  }
}

function eraGroup(train: InteractionMatrix, dates: TagDates): Group {
  return {
    names: ['era:item', 'era:itemRecentShare', 'era:user', 'era:userLatest', 'era:gap'],
    fill(u, items, out, stride, offset) {
      let sum = 0;
      let count = 0;
      let latest = -1;
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
        const m = dates.own(u, train.indices[k]);
        if (m < 0) continue;
        sum += m;
        count++;
        if (m > latest) latest = m;
      }
      const userEra = count > 0 ? sum / count - dates.last : UNKNOWN_DATE;
      const userLatest = latest >= 0 ? latest - dates.last : UNKNOWN_DATE;
      items.forEach((i, c) => {
        const item = dates.itemAsSeenBy(u, i);
        const o = c * stride + offset;
        out[o] = item.mean;
        out[o + 1] = item.recentShare;
        out[o + 2] = userEra;
        out[o + 3] = userLatest;
        out[o + 4] = count > 0 && item.mean !== UNKNOWN_DATE ? item.mean - userEra : UNKNOWN_DATE;
      });
    },
  };
}

function recencyGroup(train: InteractionMatrix, knn: ItemKnnRecommender, dates: TagDates): Group {
  const sum = new Float32Array(train.items);
  const max = new Float32Array(train.items);
  return {
    names: ['recency:knn', 'recency:maxSim'],
    fill(u, items, out, stride, offset) {
      let latest = -1;
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) latest = Math.max(latest, dates.own(u, train.indices[k]));
      const recent: number[] = [];
      if (latest >= 0) {
        for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
          const m = dates.own(u, train.indices[k]);
          if (m >= 0 && m >= latest - RECENT_MONTHS) recent.push(train.indices[k]);
        }
      }
      const { nbrPtr, nbrIndex, nbrSim } = knn;
      for (const j of recent) {
        for (let q = nbrPtr[j]; q < nbrPtr[j + 1]; q++) {
          const i = nbrIndex[q];
          sum[i] += nbrSim[q];
          if (nbrSim[q] > max[i]) max[i] = nbrSim[q];
        }
      }
      writeColumns(items, out, stride, offset, sum, max);
      for (const j of recent) {
        for (let q = nbrPtr[j]; q < nbrPtr[j + 1]; q++) {
          sum[nbrIndex[q]] = 0;
          max[nbrIndex[q]] = 0;
        }
      }
    },
  };
}

function coherenceGroup(items: number, knn: ItemKnnRecommender): Group {
  const inUnion = new Uint8Array(items);
  const sum = new Float32Array(items);
  const links = new Int32Array(items);
  return {
    names: ['coherence:knn', 'coherence:links'],
    fill(_u, candidates, out, stride, offset) {
      const { nbrPtr, nbrIndex, nbrSim } = knn;
      for (const i of candidates) inUnion[i] = 1;
      for (const j of candidates) {
        for (let q = nbrPtr[j]; q < nbrPtr[j + 1]; q++) {
          const i = nbrIndex[q];
          if (inUnion[i] === 0 || i === j) continue;
          sum[i] += nbrSim[q];
          links[i]++;
        }
      }
      writeColumns(candidates, out, stride, offset, sum, links);
      for (const i of candidates) {
        inUnion[i] = 0;
        sum[i] = 0;
        links[i] = 0;
      }
    },
  };
}

function friendTagsGroup(train: InteractionMatrix, friends: InteractionMatrix, tags: TagAssignments): Group {
  // Per user, the artists they tagged (each once).
  const taggedBy: number[][] = Array.from({ length: train.users }, () => []);
  const seen = new Set<number>();
  for (let k = 0; k < tags.user.length; k++) {
    const key = tags.user[k] * train.items + tags.item[k];
    if (seen.has(key)) continue;
    seen.add(key);
    taggedBy[tags.user[k]].push(tags.item[k]);
  }
  const tagged = new Int32Array(train.items);
  const notTrained = new Int32Array(train.items);
  const inTrain = new Uint8Array(train.items);
  return {
    names: ['friendTags:friends', 'friendTags:notTrained'],
    fill(u, items, out, stride, offset) {
      const touched: number[] = [];
      for (let e = friends.indptr[u]; e < friends.indptr[u + 1]; e++) {
        const f = friends.indices[e];
        if (f === u) continue;
        for (let k = train.indptr[f]; k < train.indptr[f + 1]; k++) inTrain[train.indices[k]] = 1;
        for (const i of taggedBy[f]) {
          if (tagged[i] === 0 && notTrained[i] === 0) touched.push(i);
          tagged[i]++;
          if (inTrain[i] === 0) notTrained[i]++;
        }
        for (let k = train.indptr[f]; k < train.indptr[f + 1]; k++) inTrain[train.indices[k]] = 0;
      }
      writeColumns(items, out, stride, offset, tagged, notTrained);
      for (const i of touched) {
        tagged[i] = 0;
        notTrained[i] = 0;
      }
    },
  };
}

/** The requested groups that the inputs support (a group whose source is missing is left out). */
export function extraFeatures(groups: readonly string[], inputs: FeatureInputs): ExtraFeatures | undefined {
  const built: Group[] = [];
  let dates: TagDates | undefined;
  for (const g of groups) {
    if (!(FEATURE_GROUPS as readonly string[]).includes(g)) throw new RangeError(`hybrid: unknown feature group "${g}" (${FEATURE_GROUPS.join(', ')})`);
    if (g === 'knn' && inputs.knn) built.push(knnGroup(inputs.train, inputs.knn));
    if (g === 'pop') built.push(popGroup(inputs.train));
    if (g === 'als' && inputs.als) built.push(alsGroup(inputs.als));
    if (g === 'social' && inputs.friends) built.push(socialGroup(inputs.train, inputs.friends));
    if (g === 'friend-als' && inputs.als && inputs.friends) built.push(friendAlsGroup(inputs.als, inputs.friends));
    if (g === 'friend-tags' && inputs.friends && inputs.tags) built.push(friendTagsGroup(inputs.train, inputs.friends, inputs.tags));
    if (g === 'coherence' && inputs.knn) built.push(coherenceGroup(inputs.train.items, inputs.knn));
    if ((g === 'era' || g === 'recency') && inputs.tags?.month) {
      dates ??= new TagDates(inputs.tags, inputs.train.items);
      if (g === 'era') built.push(eraGroup(inputs.train, dates));
      if (g === 'recency' && inputs.knn) built.push(recencyGroup(inputs.train, inputs.knn, dates));
    }
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
