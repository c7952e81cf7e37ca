/**
 * The project's collaborative recommenders (ALS, BPR, item-kNN from src/models/cf) as
 * simulation policies, without the service around them: trained on the warm-up log, retrained
 * on everything observed every `retrainDays` days, scoring the listener's row of the last
 * fit. Tracks the listener has played, skipped or disliked are never proposed; a listener the
 * model has no row for gets the most popular unheard tracks. Context is ignored.
 */
import type { Interaction } from '../../domain/types.js';
import { createRecommender } from '../../models/cf/index.js';
import type { Recommender } from '../../models/cf/recommender.js';
import { buildMatrix, type Triple } from '../../models/cf/matrix.js';
import { FEEDBACK_WEIGHTS } from '../../services/training/feedback.js';
import type { World } from '../world.js';
import { HeardTracks, type Policy, topUnexcluded } from './policy.js';

export const CF_ALGORITHMS = ['als', 'bpr', 'item-knn'] as const;
export type CfAlgorithm = (typeof CF_ALGORITHMS)[number];

export class CfPolicy implements Policy {
  readonly name: string;
  private readonly heard: HeardTracks;
  private readonly triples: Triple[] = [];
  private readonly popularity: Float64Array;
  private readonly trained = new Set<number>();
  private model?: Recommender;
  private scores: Float32Array;

  private constructor(private readonly world: World, private readonly algorithm: CfAlgorithm, private readonly retrainDays: number) {
    this.name = `cf-${algorithm}`;
    this.heard = new HeardTracks((id) => world.trackIndex(id));
    this.popularity = new Float64Array(world.trackCount);
    this.scores = new Float32Array(world.trackCount);
  }

  static async create(world: World, algorithm: CfAlgorithm, retrainDays: number): Promise<CfPolicy> {
    const policy = new CfPolicy(world, algorithm, retrainDays);
    policy.learn(world.warmupEvents());
    await policy.train();
    return policy;
  }

  async recommend(listenerId: string, _context: unknown, k: number): Promise<string[]> {
    const u = this.world.listenerIndex(listenerId);
    const exclude = this.heard.of(listenerId);
    let picks: number[];
    if (this.model && u !== undefined && this.trained.has(u)) {
      this.model.scoreUsers(Int32Array.of(u), this.scores);
      picks = topUnexcluded(this.scores, k, exclude);
    } else {
      picks = topUnexcluded(this.popularity, k, exclude);
    }
    return picks.map((t) => this.world.catalogue.tracks[t].id);
  }

  async observe(events: readonly Interaction[]): Promise<void> {
    this.learn(events);
  }

  async endDay(day: number): Promise<void> {
    if ((day + 1) % this.retrainDays === 0) await this.train();
  }

  private learn(events: readonly Interaction[]): void {
    this.heard.observe(events);
    for (const e of events) {
      const weight = FEEDBACK_WEIGHTS[e.type] * Math.max(1, e.count);
      if (weight <= 0) continue;
      const user = this.world.listenerIndex(e.userId);
      const item = this.world.trackIndex(e.targetId);
      if (user === undefined || item === undefined) continue;
      this.triples.push({ user, item, value: weight });
      this.popularity[item] += weight;
    }
  }

  private async train(): Promise<void> {
    const matrix = buildMatrix(this.world.listeners.length, this.world.trackCount, this.triples);
    const model = createRecommender(this.algorithm);
    await model.fit(matrix);
    this.model = model;
    this.trained.clear();
    for (let u = 0; u < matrix.users; u++) if (matrix.indptr[u + 1] > matrix.indptr[u]) this.trained.add(u);
  }
}
