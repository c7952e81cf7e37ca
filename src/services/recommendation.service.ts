/**
 * Recommendations for one listener in one context, and items similar to an item.
 *
 * `recommend` validates the request and checks access, then runs the pipeline
 * (src/pipeline/): candidates from CF, item-to-item, friends, tag affinity, context
 * popularity and fresh releases, ranked by the learned ranker of the serving CF version (or a
 * weighted blend of the sources without one), blended with exclusions, artist and album caps,
 * MMR diversity and exploration slots, each item explained. Nothing the listener has played,
 * skipped or disliked is ever proposed. Pages (`after`) are pages of one list: the cursor keeps
 * the first page's moment, and the pipeline's list for a deeper page starts with the list for
 * a shallower one.
 */
import { NotFoundError } from '../domain/errors.js';
import type { ListeningContext, TargetKind, User } from '../domain/types.js';
import type { PopularityModel } from '../models/popularity/context-popularity.js';
import {
  debugItem, type FriendActivity, type ItemDebug, type ItemStats, type PipelineModels, type PipelineTrace,
  type RecommendationPipeline, type SourceReport, type SourceScore, trackArtistsOf,
} from '../pipeline/index.js';
import { assertAdmin, assertCanActFor, type Viewer } from './access.js';
import type { CatalogueSnapshots } from './catalogue-snapshots.js';
import type { CfServing } from './cf-serving.js';
import { type ContextInput, toContext, validateContext } from './ingestion.service.js';
import type { HistorySource } from './history-cache.js';
import type { Loaders } from './loaders.js';
import type { UserCache } from './user-cache.js';
import { Problems } from './validation.js';

export type { SourceReport, SourceScore, SourceState } from '../pipeline/index.js';

export interface RecommendationRequest {
  userId: string;
  target: TargetKind;
  context?: ContextInput | null;
  limit: number;
  /** A cursor from a previous page's `endCursor`: the next `limit` items of the same list. */
  after?: string | null;
}

export interface RecommendedItem {
  targetKind: TargetKind;
  id: string;
  score: number;
  sources: SourceScore[];
  explanation: string;
}

export interface RecommendationList {
  userId: string;
  target: TargetKind;
  context: ListeningContext;
  items: RecommendedItem[];
  sources: SourceReport[];
  generatedAt: number;
  /** 0-based position of the first item in the whole list. */
  offset: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string };
  /** What the pipeline computed, for the admin debug view. */
  trace: PipelineTrace;
}

export interface SimilarList {
  seedId: string;
  target: TargetKind;
  items: RecommendedItem[];
  sources: SourceReport[];
}

export const MAX_RECOMMENDATIONS = 500;

export interface RecommendationDeps {
  popularity: PopularityModel;
  cf: CfServing;
  histories: HistorySource;
  /** Where friends' histories come from (may be staler than the listener's own); default: `histories`. */
  friendHistories?: HistorySource;
  catalogues: CatalogueSnapshots;
  itemStats: ItemStats;
  pipeline: RecommendationPipeline;
  /** Where listener records come from (the request's loader behind a cache). */
  users: UserCache;
  now?: () => number;
}

export class RecommendationService {
  private readonly now: () => number;

  private readonly users: UserCache;

  constructor(private readonly deps: RecommendationDeps) {
    this.now = deps.now ?? Date.now;
    this.users = deps.users;
  }

  get pipeline(): RecommendationPipeline {
    return this.deps.pipeline;
  }

  async recommend(viewer: Viewer, request: RecommendationRequest, loaders: Loaders): Promise<RecommendationList> {
    const now = this.now();
    const problems = new Problems();
    problems.id('userId', request.userId);
    problems.range('limit', request.limit, 1, MAX_RECOMMENDATIONS, true);
    validateContext(problems, 'context', request.context, now);
    const page = request.after ? decodeListCursor(request.after) : { offset: 0, timestamp: undefined };
    if (!page) problems.add('after', 'is not a cursor this API issued: pass pageInfo.endCursor unchanged');
    else if (page.offset + request.limit > MAX_RECOMMENDATIONS) problems.add('after', `pages end at item ${MAX_RECOMMENDATIONS}`);
    problems.throwIfAny('recommendation request');
    const { offset, timestamp: pageTimestamp } = page!;
    assertCanActFor(viewer, request.userId);
    const user = await this.users.get(request.userId, loaders);
    if (!user) throw new NotFoundError('User', request.userId, 'userId');

    // Later pages keep the first page's moment, so the list they continue is the same list.
    const context = toContext({ timezone: user.timezone, ...request.context, timestamp: request.context?.timestamp ?? pageTimestamp }, now);
    if (!context.timezone && user.timezone) context.timezone = user.timezone;
    const { catalogues, cf, histories } = this.deps;
    const [catalogue, tracks, history] = await Promise.all([
      catalogues.get(request.target), catalogues.get('TRACK'), histories.history(request.userId),
    ]);
    const trackArtists = trackArtistsOf(tracks);
    const bundle = cf.bundle(request.target);
    const models: PipelineModels = {
      catalogue, trackArtists, popularity: this.deps.popularity, itemStats: this.deps.itemStats,
      ...(bundle ? { cf: cf.view(bundle, request.userId, history, trackArtists) } : {}),
    };

    // The list up to the end of this page, plus one item to know whether another page follows.
    const depth = offset + request.limit + 1;
    const result = await this.deps.pipeline.run({
      kind: request.target, userId: request.userId, context, history, depth, receivedAt: now,
      ann: (query) => loaders.ann.load(query),
      friends: () => this.friends(user, loaders),
    }, models, bundle?.ranker);

    const items = result.items.map((item): RecommendedItem => ({ targetKind: request.target, ...item }));
    const end = offset + request.limit;
    const hasNextPage = items.length > end && end < MAX_RECOMMENDATIONS;
    return {
      userId: request.userId, target: request.target, context, sources: result.reports, generatedAt: now, offset,
      items: items.slice(offset, end),
      pageInfo: { hasNextPage, ...(hasNextPage ? { endCursor: encodeListCursor(end, context.timestamp) } : {}) },
      trace: result.trace,
    };
  }

  /** How the pipeline treated one item of a list it made: admins only. */
  debug(viewer: Viewer, list: Pick<RecommendationList, 'target' | 'trace'>, itemId: string): ItemDebug {
    assertAdmin(viewer, 'recommendations.debug');
    const problems = new Problems();
    problems.id('itemId', itemId);
    problems.throwIfAny('debug request');
    const debug = debugItem(list.trace, itemId);
    if (!debug.inCatalogue) throw new NotFoundError(list.target === 'TRACK' ? 'Track' : 'Artist', itemId, 'itemId');
    return debug;
  }

  /** Items whose listeners overlap most with this item's (cosine of CF item factors). */
  async similar(kind: TargetKind, id: string, limit: number, loaders: Loaders): Promise<SimilarList> {
    const problems = new Problems();
    problems.id('id', id);
    problems.range('limit', limit, 1, MAX_RECOMMENDATIONS, true);
    problems.throwIfAny('similar-items request');
    const exists = kind === 'TRACK' ? await loaders.tracks.load(id) : await loaders.artists.load(id);
    if (!exists) throw new NotFoundError(kind === 'TRACK' ? 'Track' : 'Artist', id, 'id');
    const started = performance.now();
    const { cf } = this.deps;
    const bundle = cf.bundle(kind);
    const seed = bundle?.items.get(id);
    const vector = bundle ? cf.itemVector(bundle, id) : undefined;
    const hits = bundle && vector && seed !== undefined
      ? await loaders.ann.load({ kind, index: 'similar', vector, k: limit, exclude: new Set([seed]) })
      : [];
    const name = kind === 'TRACK' ? (exists as { title: string }).title : (exists as { name: string }).name;
    const items = hits.map((hit): RecommendedItem => ({
      targetKind: kind,
      id: bundle!.items.ids[hit.key],
      score: hit.score,
      sources: [{ name: 'cf-similar', score: hit.score }],
      explanation: `Listeners of ${name} also play this`,
    }));
    const report: SourceReport = {
      name: 'cf-similar', state: items.length > 0 ? 'OK' : 'EMPTY', candidates: items.length, ms: performance.now() - started,
      ...(bundle ? { modelVersion: bundle.version.id } : {}),
    };
    return { seedId: id, target: kind, items, sources: [report] };
  }

  /** The listener's friends (at most the pipeline's maxFriends) with their names and histories. */
  private async friends(user: User, loaders: Loaders): Promise<FriendActivity[]> {
    const ids = user.friendIds.slice(0, this.deps.pipeline.settings.maxFriends);
    if (ids.length === 0) return [];
    const [friends, histories] = await Promise.all([
      Promise.all(ids.map((id) => this.users.get(id, loaders))),
      Promise.all(ids.map((id) => (this.deps.friendHistories ?? this.deps.histories).history(id))),
    ]);
    const out: FriendActivity[] = [];
    friends.forEach((friend, i) => {
      if (friend) out.push({ id: friend.id, name: friend.displayName, history: histories[i] });
    });
    return out;
  }
}

/** A page cursor of a recommendation list: where the next page starts and the list's moment. */
function encodeListCursor(offset: number, timestamp: number): string {
  return Buffer.from(`${offset}:${timestamp}`, 'utf8').toString('base64url');
}

function decodeListCursor(cursor: string): { offset: number; timestamp: number } | undefined {
  const match = /^(\d{1,4}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || encodeListCursor(Number(match[1]), Number(match[2])) !== cursor) return undefined;
  return { offset: Number(match[1]), timestamp: Number(match[2]) };
}
