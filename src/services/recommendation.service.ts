/**
 * Recommendations for one listener in one context. Until the learned models land, candidates
 * come from the context-popularity baseline: what is played most in situations like this one,
 * never anything the listener has already played or disliked.
 */
import { describeSegment } from '../domain/context-segments.js';
import { NotFoundError } from '../domain/errors.js';
import type { ListeningContext, TargetKind } from '../domain/types.js';
import type { PopularityModel } from '../models/popularity/context-popularity.js';
import type { Store } from '../store/ports.js';
import { assertCanActFor, type Viewer } from './access.js';
import { type ContextInput, toContext, validateContext } from './ingestion.service.js';
import { Problems } from './validation.js';

export interface RecommendationRequest {
  userId: string;
  target: TargetKind;
  context?: ContextInput | null;
  limit: number;
}

export interface SourceScore {
  name: string;
  score: number;
}

export interface RecommendedItem {
  targetKind: TargetKind;
  id: string;
  score: number;
  sources: SourceScore[];
  explanation: string;
}

export type SourceState = 'OK' | 'EMPTY' | 'TIMEOUT' | 'FAILED';

export interface SourceReport {
  name: string;
  state: SourceState;
  candidates: number;
  ms: number;
}

export interface RecommendationList {
  userId: string;
  target: TargetKind;
  context: ListeningContext;
  items: RecommendedItem[];
  sources: SourceReport[];
  generatedAt: number;
}

export const MAX_RECOMMENDATIONS = 500;

export class RecommendationService {
  constructor(
    private readonly store: Store,
    private readonly popularity: PopularityModel,
    private readonly now: () => number = Date.now,
  ) {}

  async recommend(viewer: Viewer, request: RecommendationRequest): Promise<RecommendationList> {
    const now = this.now();
    const problems = new Problems();
    problems.id('userId', request.userId);
    problems.range('limit', request.limit, 1, MAX_RECOMMENDATIONS, true);
    validateContext(problems, 'context', request.context, now);
    problems.throwIfAny('recommendation request');
    assertCanActFor(viewer, request.userId);
    const [user] = await this.store.users.getMany([request.userId]);
    if (!user) throw new NotFoundError('User', request.userId, 'userId');

    const context = toContext(request.context ?? { timezone: user.timezone }, now);
    if (!context.timezone && user.timezone) context.timezone = user.timezone;
    const exclude = await this.heardOrRejected(request.userId, request.target);

    const started = performance.now();
    const ranked = await this.popularity.rank(request.target, context, request.limit, exclude);
    const items = ranked.map(
      (candidate): RecommendedItem => ({
        targetKind: request.target,
        id: candidate.id,
        score: candidate.score,
        sources: [{ name: candidate.strongestSegment ? 'popular-in-context' : 'popular', score: candidate.score }],
        explanation: candidate.strongestSegment
          ? `Popular with listeners ${describeSegment(candidate.strongestSegment)}, and new to you`
          : `One of the most played ${request.target === 'TRACK' ? 'tracks' : 'artists'} right now, and new to you`,
      }),
    );
    const report: SourceReport = {
      name: 'popularity',
      state: items.length > 0 ? 'OK' : 'EMPTY',
      candidates: items.length,
      ms: performance.now() - started,
    };
    return { userId: request.userId, target: request.target, context, items, sources: [report], generatedAt: now };
  }

  /** Everything the listener has played, skipped or disliked: for artists, also the artists of their tracks. */
  private async heardOrRejected(userId: string, target: TargetKind): Promise<Set<string>> {
    const events = await this.store.interactions.allOfUser(userId);
    const ids = new Set<string>();
    const trackIds = new Set<string>();
    for (const event of events) {
      if (event.targetKind === target) ids.add(event.targetId);
      if (event.targetKind === 'TRACK') trackIds.add(event.targetId);
    }
    if (target === 'ARTIST' && trackIds.size > 0) {
      const tracks = await this.store.tracks.getMany([...trackIds]);
      for (const track of tracks) for (const artistId of track?.artistIds ?? []) ids.add(artistId);
    }
    return ids;
  }
}
