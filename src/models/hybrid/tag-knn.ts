/**
 * Tag kNN: item-to-item by tags. Each artist keeps its `k` nearest artists by the cosine of their
 * tag vectors (TagProfiles); a user's score for an artist is the sum of its similarities to the
 * user's training artists, counted where it is among their neighbours — as item-kNN does with
 * co-listening. Unlike the tag-affinity source (one averaged profile per user) it keeps the
 * modes of a many-sided taste apart: a metal-and-jazz listener's profile matches neither.
 *
 * Leakage: the neighbour lists come from every user's tags, so an artist user u tagged would
 * carry u's tags into its similarities. For every artist u tagged, the score is recomputed from
 * the artist vectors without u's assignments (TagProfiles.addItemVector / dotExcluding), each
 * similarity counted when it reaches the neighbour list's cut-off (its k-th similarity).
 */
import type { InteractionMatrix } from '../cf/matrix.js';
import type { Recommender, TrainProgress } from '../cf/recommender.js';
import type { TagProfiles } from './tags.js';

export interface TagKnnParams {
  /** Neighbours kept per artist. */
  k: number;
}

export const TAG_KNN_DEFAULTS: Readonly<TagKnnParams> = Object.freeze({ k: 100 });

export class TagKnnRecommender implements Recommender {
  readonly name = 'tag-knn';
  readonly params: TagKnnParams;
  private train: InteractionMatrix | undefined;
  private lists: ReturnType<TagProfiles['neighbours']> | undefined;
  /** Per artist, the similarity of its last kept neighbour (0 when it keeps fewer than k). */
  private cutoff = new Float32Array(0);

  constructor(
    private readonly profiles: TagProfiles,
    params: Partial<TagKnnParams> = {},
  ) {
    this.params = { ...TAG_KNN_DEFAULTS, ...params };
    if (!Number.isInteger(this.params.k) || this.params.k < 1) throw new RangeError(`tag-knn k must be a positive integer, got ${this.params.k}`);
  }

  async fit(train: InteractionMatrix, onProgress?: TrainProgress): Promise<void> {
    if (train.items !== this.profiles.items) throw new RangeError(`train has ${train.items} items, the tag profiles ${this.profiles.items}`);
    this.train = train;
    const lists = this.profiles.neighbours(this.params.k);
    this.lists = lists;
    this.cutoff = new Float32Array(train.items);
    for (let j = 0; j < train.items; j++) {
      const n = lists.ptr[j + 1] - lists.ptr[j];
      this.cutoff[j] = n >= this.params.k ? lists.sim[lists.ptr[j + 1] - 1] : 0;
    }
    onProgress?.(1, 1);
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const train = this.train;
    const lists = this.lists;
    if (!train || !lists) throw new Error('tag-knn: fit first');
    const p = this.profiles;
    const n = train.items;
    const vector = new Float64Array(p.tags);
    const scratch = new Float64Array(p.tags);
    const touched: number[] = [];
    const scratchTouched: number[] = [];
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * n;
      out.fill(0, row, row + n);
      for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
        const j = train.indices[k];
        for (let q = lists.ptr[j]; q < lists.ptr[j + 1]; q++) out[row + lists.index[q]] += lists.sim[q];
      }
      // Artists u tagged: similarities from the vectors without u's own assignments.
      for (const x of p.tagged(u)) {
        p.addItemVector(u, x, 1, vector, touched);
        let s = 0;
        if (touched.length > 0) {
          for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
            const j = train.indices[k];
            if (j === x) continue;
            const sim = p.dotExcluding(u, j, vector, scratch, scratchTouched);
            if (sim > 0 && sim >= this.cutoff[j]) s += sim;
          }
        }
        out[row + x] = s;
        for (const t of touched) vector[t] = 0;
        touched.length = 0;
      }
    }
  }
}
