/**
 * Replays the recommendation pipeline offline, as of the data without a held-out slice, for
 * a seeded sample of the listeners with held-out items. Every piece of online state the
 * pipeline reads is rebuilt without the held-out (listener, item) events: the listeners' and
 * their friends' histories, the popularity model and the item statistics; the CF sources use
 * the model trained on the training slice (its user factors are the listeners' pre-holdout
 * vectors). The request moment is the listener's latest held-out event's context — what they
 * were doing when they played what the pipeline should have proposed.
 *
 * The ranker's training (ranker-training.ts) turns each replayed listener into a query; the
 * same replay can judge other first-stage settings (blend weights) on identical candidates.
 */
import type { Interaction, ListeningContext, TargetKind } from '../../domain/types.js';
import type { Progress } from '../../lib/progress.js';
import { type FactorModel } from '../../models/cf/index.js';
import { rowNorms } from '../../models/cf/factor-utils.js';
import type { InteractionMatrix } from '../../models/cf/matrix.js';
import { SeededRandom } from '../../models/cf/rng.js';
import { ContextPopularity } from '../../models/popularity/context-popularity.js';
import {
  type AnnQuery, type CatalogueIndex, type CfModelView, type FriendActivity, type Gathered, ItemStats, type PipelineModels,
  type PipelineSettings, RecommendationPipeline,
} from '../../pipeline/index.js';
import type { Store } from '../../store/ports.js';
import { CatalogueSnapshots } from '../catalogue-snapshots.js';
import { type AnnChoice, buildItemIndexes } from './cf-artifacts.js';
import type { FeedbackData } from './feedback.js';

export interface ReplayInput {
  kind: TargetKind;
  data: FeedbackData;
  holdout: InteractionMatrix;
  /** The CF model fitted on the training slice. */
  model: FactorModel;
  ann: AnnChoice;
  settings: PipelineSettings;
  seed: number;
  progress: Progress;
  /** Most listeners replayed (a seeded sample of those with held-out items). */
  maxUsers: number;
}

export interface ReplayedListener {
  userId: string;
  /** The listener's held-out item ids. */
  held: ReadonlySet<string>;
  context: ListeningContext;
  gathered: Gathered;
}

export interface Replay {
  catalogue: CatalogueIndex;
  /** The pipeline the listeners were gathered with (offline: no time budget). */
  pipeline: RecommendationPipeline;
  /** Listeners in sample order (listeners without a held-out moment or a model row are left out). */
  listeners: AsyncIterable<ReplayedListener>;
  sampled: number;
}

export async function replayHeldOut(store: Store, input: ReplayInput): Promise<Replay> {
  const { kind, data, holdout, model, progress } = input;
  const snapshots = new CatalogueSnapshots(store);
  const [catalogue, tracks] = await Promise.all([snapshots.get(kind), snapshots.get('TRACK')]);
  const trackArtists = (trackId: string) => tracks.artistIdsOf(trackId);
  const targetsOf = (event: Interaction): readonly string[] =>
    event.targetKind === kind ? [event.targetId] : kind === 'ARTIST' ? trackArtists(event.targetId) : [];

  // Listeners with held-out items, a seeded sample of them, and their friends.
  const held = new Map<string, Set<string>>();
  for (let u = 0; u < holdout.users; u++) {
    if (holdout.indptr[u + 1] === holdout.indptr[u]) continue;
    const items = new Set<string>();
    for (let p = holdout.indptr[u]; p < holdout.indptr[u + 1]; p++) items.add(data.items.ids[holdout.indices[p]]);
    held.set(data.users.ids[u], items);
  }
  const random = new SeededRandom(input.seed);
  const sample = [...held.keys()];
  for (let i = sample.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [sample[i], sample[j]] = [sample[j], sample[i]];
  }
  sample.length = Math.min(sample.length, input.maxUsers);
  const users = await store.users.getMany(sample);
  const friendsOf = new Map<string, string[]>();
  const kept = new Set(sample);
  users.forEach((user, i) => {
    const friends = (user?.friendIds ?? []).slice(0, input.settings.maxFriends);
    friendsOf.set(sample[i], friends);
    for (const id of friends) kept.add(id);
  });
  const friendIds = [...kept].filter((id) => !friendsOf.has(id));
  const names = new Map((await store.users.getMany(friendIds)).flatMap((u) => (u ? [[u.id, u.displayName] as const] : [])));

  // The pre-holdout world: every event except those on a listener's held-out items.
  const popularity = new ContextPopularity(async (ids) => ids.map(trackArtists));
  const itemStats = new ItemStats(async (ids) => ids.map(trackArtists));
  const histories = new Map<string, Interaction[]>();
  const moment = new Map<string, ListeningContext>();
  progress.start(`Ranker: replaying ${kind.toLowerCase()} events without the held-out slice`, await store.interactions.count());
  let seen = 0;
  for await (const batch of store.interactions.scan(20_000)) {
    const before: Interaction[] = [];
    for (const event of batch) {
      const heldItems = held.get(event.userId);
      if (heldItems && targetsOf(event).some((id) => heldItems.has(id))) {
        const latest = moment.get(event.userId);
        if (!latest || event.context.timestamp > latest.timestamp) moment.set(event.userId, event.context);
        continue;
      }
      before.push(event);
      if (kept.has(event.userId)) {
        let history = histories.get(event.userId);
        if (!history) histories.set(event.userId, (history = []));
        history.push(event);
      }
    }
    await popularity.observe(before);
    await itemStats.observe(before);
    seen += batch.length;
    progress.update(seen);
  }
  progress.stop();
  // Profiles read histories oldest first, as the store hands them out online.
  for (const history of histories.values()) history.sort((a, b) => a.context.timestamp - b.context.timestamp || (a.eventId < b.eventId ? -1 : 1));

  const { userIndex, similarIndex } = buildItemIndexes(model, data.items.size, input.ann);
  const itemNorms = rowNorms(model.itemFactors, data.items.size, model.factors);
  const ann = async (query: AnnQuery) => (query.index === 'user' ? userIndex : similarIndex).search(query.vector, 1, query.k, { exclude: [query.exclude] })[0];
  // No budget offline: every source answers, as it would on an idle server.
  const pipeline = new RecommendationPipeline({ ...input.settings, budgetMs: 600_000 });
  const empty: Interaction[] = [];

  async function* listeners(): AsyncIterable<ReplayedListener> {
    progress.start('Ranker: candidates per listener', sample.length);
    let done = 0;
    for (const userId of sample) {
      progress.update(done++);
      const context = moment.get(userId);
      const u = data.users.get(userId);
      if (!context || u === undefined) continue;
      const history = histories.get(userId) ?? empty;
      const cf: CfModelView = {
        versionId: 'training', kind, items: data.items, factors: model.factors, itemFactors: model.itemFactors, itemNorms,
        userVector: () => model.userFactors.subarray(u * model.factors, (u + 1) * model.factors),
      };
      const models: PipelineModels = { catalogue, trackArtists, popularity, itemStats, cf };
      const friends = async (): Promise<FriendActivity[]> =>
        (friendsOf.get(userId) ?? []).map((id) => ({ id, name: names.get(id) ?? id, history: histories.get(id) ?? empty }));
      const gathered = await pipeline.gather({ kind, userId, context: { ...context }, history, depth: 0, ann, friends }, models);
      yield { userId, held: held.get(userId)!, context, gathered };
    }
    progress.update(done);
    progress.stop();
  }
  return { catalogue, pipeline, listeners: listeners(), sampled: sample.length };
}
