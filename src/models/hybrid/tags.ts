/**
 * Tag affinity: artists described by the tags users gave them, users described by the tags of
 * the artists they trained on, score = cosine between the two.
 *
 * No leakage through the tags: a user's own assignment on an artist says that the user knows
 * the artist, so an artist's profile *as seen by user u* is built from the other users' tags
 * only (u's assignments are subtracted), and u's own tags enter u's profile only on u's
 * training artists. Tag weights are log(1 + users who gave the tag) × idf, where idf is a
 * global statistic of the tag (how many artists carry it), the same for every artist and user.
 */
import { topK } from '../cf/factor-utils.js';
import { type InteractionMatrix, buildMatrix, transpose } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';
import type { TagAssignments } from './side-data.js';

export interface TagParams {
  /** Weight of the user's own tags (on training artists) in their profile, relative to one artist profile. */
  ownWeight: number;
}

export const TAG_DEFAULTS: Readonly<TagParams> = Object.freeze({ ownWeight: 0.5 });

/** Artist tag vectors with per-user exclusion of that user's own assignments. */
export class TagProfiles {
  readonly items: number;
  readonly tags: number;
  /** items × tags: users who gave tag t to artist i. */
  private readonly counts: InteractionMatrix;
  /** Normalised weights aligned with counts.indices (all users' assignments). */
  private readonly normalized: Float32Array;
  private readonly idf: Float64Array;
  /** Assignments per artist (all users). */
  readonly itemTotals: Float32Array;
  /** user * items + item → that user's tags on that artist. */
  private readonly own = new Map<number, number[]>();
  /** Per user, the artists they tagged. */
  private readonly taggedBy: number[][];
  private readonly neighbourCache = new Map<number, { ptr: Int32Array; index: Int32Array; sim: Float32Array }>();

  constructor(assignments: TagAssignments, users: number, items: number) {
    this.items = items;
    this.tags = assignments.tags;
    const n = assignments.user.length;
    const triples = [];
    this.taggedBy = Array.from({ length: users }, () => []);
    this.itemTotals = new Float32Array(items);
    for (let k = 0; k < n; k++) {
      const u = assignments.user[k];
      const i = assignments.item[k];
      const t = assignments.tag[k];
      const key = u * items + i;
      let list = this.own.get(key);
      if (!list) {
        this.own.set(key, (list = []));
        this.taggedBy[u].push(i);
      }
      if (list.includes(t)) continue; // the same user gives a tag to an artist once
      list.push(t);
      triples.push({ user: i, item: t, value: 1 });
      this.itemTotals[i]++;
    }
    this.counts = buildMatrix(items, this.tags, triples);
    const df = new Float64Array(this.tags);
    let taggedItems = 0;
    for (let i = 0; i < items; i++) {
      if (this.counts.indptr[i + 1] > this.counts.indptr[i]) taggedItems++;
      for (let k = this.counts.indptr[i]; k < this.counts.indptr[i + 1]; k++) df[this.counts.indices[k]]++;
    }
    this.idf = df.map((d) => (d > 0 ? Math.log(1 + taggedItems / d) : 0));
    this.normalized = new Float32Array(this.counts.values.length);
    for (let i = 0; i < items; i++) {
      let norm = 0;
      for (let k = this.counts.indptr[i]; k < this.counts.indptr[i + 1]; k++) {
        const w = Math.log1p(this.counts.values[k]) * this.idf[this.counts.indices[k]];
        this.normalized[k] = w;
        norm += w * w;
      }
      norm = Math.sqrt(norm);
      if (norm > 0) for (let k = this.counts.indptr[i]; k < this.counts.indptr[i + 1]; k++) this.normalized[k] /= norm;
    }
  }

  /** User u's own tags on artist i (empty when none). */
  ownTags(u: number, i: number): readonly number[] {
    return this.own.get(u * this.items + i) ?? [];
  }

  /** The artists user u tagged. */
  tagged(u: number): readonly number[] {
    return this.taggedBy[u];
  }

  /** Assignments on artist i by users other than u. */
  othersCount(u: number, i: number): number {
    return this.itemTotals[i] - this.ownTags(u, i).length;
  }

  /**
   * Adds `scale` × (artist i's normalised vector without u's assignments) into `dense`;
   * `touched` collects the tags written (for a cheap reset).
   */
  addItemVector(u: number, i: number, scale: number, dense: Float64Array, touched: number[]): void {
    const own = this.ownTags(u, i);
    const { indptr, indices, values } = this.counts;
    if (own.length === 0) {
      for (let k = indptr[i]; k < indptr[i + 1]; k++) {
        const t = indices[k];
        if (dense[t] === 0) touched.push(t);
        dense[t] += scale * this.normalized[k];
      }
      return;
    }
    let norm = 0;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const c = values[k] - (own.includes(indices[k]) ? 1 : 0);
      if (c > 0) norm += (Math.log1p(c) * this.idf[indices[k]]) ** 2;
    }
    if (norm === 0) return;
    norm = Math.sqrt(norm);
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const t = indices[k];
      const c = values[k] - (own.includes(t) ? 1 : 0);
      if (c <= 0) continue;
      if (dense[t] === 0) touched.push(t);
      dense[t] += (scale * Math.log1p(c) * this.idf[t]) / norm;
    }
  }

  /** Σ_t profile[t] × artist i's normalised vector (all users), into out[offset + i] for every i. */
  dotAll(profile: Float64Array, out: Float32Array, offset: number, scale: number): void {
    const { indptr, indices } = this.counts;
    for (let i = 0; i < this.items; i++) {
      let s = 0;
      for (let k = indptr[i]; k < indptr[i + 1]; k++) s += profile[indices[k]] * this.normalized[k];
      out[offset + i] = s * scale;
    }
  }

  /**
   * Every artist's `k` nearest artists by the cosine of their (all users') tag vectors, best
   * first, as CSR lists; computed once per k through the tag → artists inverted index.
   */
  neighbours(k: number): { ptr: Int32Array; index: Int32Array; sim: Float32Array } {
    const cached = this.neighbourCache.get(k);
    if (cached) return cached;
    const { indptr, indices } = this.counts;
    // tag → (artist, weight): the transpose of the normalised artist × tag matrix.
    const byTag = transpose({ ...this.counts, values: this.normalized });
    const acc = new Float64Array(this.items);
    const touched: number[] = [];
    const ptr = new Int32Array(this.items + 1);
    const index: number[] = [];
    const sim: number[] = [];
    for (let i = 0; i < this.items; i++) {
      for (let q = indptr[i]; q < indptr[i + 1]; q++) {
        const t = indices[q];
        const w = this.normalized[q];
        for (let e = byTag.indptr[t]; e < byTag.indptr[t + 1]; e++) {
          const j = byTag.indices[e];
          if (j === i) continue;
          if (acc[j] === 0) touched.push(j);
          acc[j] += w * byTag.values[e];
        }
      }
      // Only touched artists are positive; the heap keeps the best k, ties to smaller indices.
      const top = topK(acc, k, { exclude: (j) => !(acc[j] > 0) });
      for (let r = 0; r < top.items.length; r++) {
        index.push(top.items[r]);
        sim.push(acc[top.items[r]]);
      }
      ptr[i + 1] = index.length;
      for (const j of touched) acc[j] = 0;
      touched.length = 0;
    }
    const lists = { ptr, index: Int32Array.from(index), sim: Float32Array.from(sim) };
    this.neighbourCache.set(k, lists);
    return lists;
  }

  /** profile · (artist i's normalised vector without u's assignments). */
  dotExcluding(u: number, i: number, profile: Float64Array, scratch: Float64Array, touched: number[]): number {
    this.addItemVector(u, i, 1, scratch, touched);
    let s = 0;
    for (const t of touched) {
      s += profile[t] * scratch[t];
      scratch[t] = 0;
    }
    touched.length = 0;
    return s;
  }
}

export class TagRecommender implements Recommender {
  readonly name = 'tags';
  readonly params: TagParams;
  private train: InteractionMatrix | undefined;
  private readonly profiles: TagProfiles;

  constructor(
    profiles: TagProfiles,
    params: Partial<TagParams> = {},
  ) {
    this.profiles = profiles;
    this.params = { ...TAG_DEFAULTS, ...params };
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train.items !== this.profiles.items) throw new RangeError(`train has ${train.items} items, the tag profiles ${this.profiles.items}`);
    this.train = train;
    onProgress?.(1, 1);
  }

  /** User u's tag profile (dense over tags) into `profile`; returns its norm. `touched` lists the non-zeros. */
  userProfile(u: number, profile: Float64Array, touched: number[]): number {
    const train = this.train;
    if (!train) throw new Error('tags: fit first');
    const p = this.profiles;
    for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
      const i = train.indices[k];
      p.addItemVector(u, i, 1, profile, touched);
      const own = p.ownTags(u, i);
      if (own.length > 0 && this.params.ownWeight > 0) {
        const w = this.params.ownWeight / Math.sqrt(own.length);
        for (const t of own) {
          if (profile[t] === 0) touched.push(t);
          profile[t] += w;
        }
      }
    }
    let norm = 0;
    for (const t of touched) norm += profile[t] * profile[t];
    return Math.sqrt(norm);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const p = this.profiles;
    const n = p.items;
    const profile = new Float64Array(p.tags);
    const scratch = new Float64Array(p.tags);
    const touched: number[] = [];
    const scratchTouched: number[] = [];
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const norm = this.userProfile(u, profile, touched);
      if (norm === 0) {
        out.fill(0, b * n, (b + 1) * n);
      } else {
        p.dotAll(profile, out, b * n, 1 / norm);
        // Artists u tagged: their profiles without u's own assignments.
        for (const i of p.tagged(u)) out[b * n + i] = p.dotExcluding(u, i, profile, scratch, scratchTouched) / norm;
      }
      for (const t of touched) profile[t] = 0;
      touched.length = 0;
    }
  }
}
