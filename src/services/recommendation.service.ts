/**
 * Recommendations for one listener in one context, and items similar to an item.
 *
 * Candidates come from collaborative filtering (the listener's folded-in vector → ANN over
 * item factors) when a trained version serves and the listener has feedback it knows, and
 * from popularity in the listener's context otherwise and to fill up. Nothing the listener
 * has played, skipped or disliked is ever proposed. Every item names the sources that
 * proposed it and says why in words.
 */
import { describeSegment } from '../domain/context-segments.js';
import { NotFoundError } from '../domain/errors.js';
import type { Interaction, ListeningContext, TargetKind } from '../domain/types.js';
import type { PopularityModel } from '../models/popularity/context-popularity.js';
import type { Store } from '../store/ports.js';
import { assertCanActFor, type Viewer } from './access.js';
import type { CfBundle, CfServing, FoldInInput } from './cf-serving.js';
import { type ContextInput, toContext, validateContext } from './ingestion.service.js';
import type { HistorySource } from './history-cache.js';
import type { Loaders } from './loaders.js';
import { Problems } from './validation.js';

export interface RecommendationRequest {
  userId: string;
  target: TargetKind;
  context?: ContextInput | null;
  limit: number;
  /** A cursor from a previous page's `endCursor`: the next `limit` items of the same list. */
  after?: string | null;
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
  /** The model version the source used, when it has one. */
  modelVersion?: string;
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
}

export interface SimilarList {
  seedId: string;
  target: TargetKind;
  items: RecommendedItem[];
  sources: SourceReport[];
}

export const MAX_RECOMMENDATIONS = 500;
/** Most tracks by one artist in one list: a list is a mix, not one artist's discography. */
export const MAX_TRACKS_PER_ARTIST = 2;
/** Candidates asked of each source per wanted item, so that the artist cap can still fill the list. */
const CANDIDATE_FACTOR = 4;
/** Tracks whose artists are remembered between requests (about 100 bytes each). */
const TRACK_ARTIST_CACHE = 2_000_000;

/** A CF candidate with the history item that explains it. */
interface CfCandidate {
  id: string;
  score: number;
  because?: string;
}

export class RecommendationService {
  private readonly artistsOfTrack = new Map<string, readonly string[]>();

  constructor(
    private readonly store: Store,
    private readonly popularity: PopularityModel,
    private readonly cf: CfServing,
    private readonly histories: HistorySource,
    private readonly now: () => number = Date.now,
  ) {}

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
    const user = await loaders.users.load(request.userId);
    if (!user) throw new NotFoundError('User', request.userId, 'userId');

    // Later pages keep the first page's moment, so the list they continue is the same list.
    const context = toContext({ timezone: user.timezone, ...request.context, timestamp: request.context?.timestamp ?? pageTimestamp }, now);
    if (!context.timezone && user.timezone) context.timezone = user.timezone;
    const history = await this.histories.history(request.userId);
    const artistsOfTrack = request.target === 'ARTIST' ? await this.artistsOfHistoryTracks(history, loaders) : undefined;
    const exclude = heardOrRejected(history, request.target, artistsOfTrack);

    // The list up to the end of this page, plus one item to know whether another page follows.
    const depth = offset + request.limit + 1;
    const reports: SourceReport[] = [];
    const cfCandidates = await this.timed(reports, 'cf', () => this.cfCandidates({ ...request, limit: depth }, history, exclude, artistsOfTrack, loaders));
    const popular = await this.timed(reports, 'popularity', async () => {
      const ranked = await this.popularity.rank(request.target, context, depth * CANDIDATE_FACTOR, exclude);
      return { items: ranked };
    });

    const items: RecommendedItem[] = [];
    const chosen = new Set<string>();
    const popularById = new Map(popular.map((p) => [p.id, p]));
    const names = await this.names(request.target, cfCandidates.flatMap((c) => (c.because ? [c.because] : [])), loaders);
    const artistCap = request.target === 'TRACK' ? await this.artistCap(cfCandidates.map((c) => c.id).concat(popular.map((p) => p.id)), loaders) : () => true;
    for (const candidate of cfCandidates) {
      if (items.length >= depth) break;
      if (!artistCap(candidate.id)) continue;
      const sources: SourceScore[] = [{ name: 'cf', score: candidate.score }];
      const alsoPopular = popularById.get(candidate.id);
      if (alsoPopular) sources.push({ name: alsoPopular.strongestSegment ? 'popular-in-context' : 'popular', score: alsoPopular.score });
      const because = candidate.because ? names.get(candidate.because) : undefined;
      items.push({
        targetKind: request.target,
        id: candidate.id,
        score: candidate.score,
        sources,
        explanation: because ? `Listeners of ${because} also play this` : 'Listeners with your taste play this',
      });
      chosen.add(candidate.id);
    }
    for (const candidate of popular) {
      if (items.length >= depth) break;
      if (chosen.has(candidate.id) || !artistCap(candidate.id)) continue;
      items.push({
        targetKind: request.target,
        id: candidate.id,
        score: candidate.score,
        sources: [{ name: candidate.strongestSegment ? 'popular-in-context' : 'popular', score: candidate.score }],
        explanation: candidate.strongestSegment
          ? `Popular with listeners ${describeSegment(candidate.strongestSegment)}, and new to you`
          : `One of the most played ${request.target === 'TRACK' ? 'tracks' : 'artists'} right now, and new to you`,
      });
    }
    const bundle = this.cf.bundle(request.target);
    if (bundle) reports[0].modelVersion = bundle.version.id;
    const end = offset + request.limit;
    const hasNextPage = items.length > end && end < MAX_RECOMMENDATIONS;
    return {
      userId: request.userId, target: request.target, context, sources: reports, generatedAt: now, offset,
      items: items.slice(offset, end),
      pageInfo: { hasNextPage, ...(hasNextPage ? { endCursor: encodeListCursor(end, context.timestamp) } : {}) },
    };
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
    const bundle = this.cf.bundle(kind);
    const seed = bundle?.items.get(id);
    const vector = bundle ? this.cf.itemVector(bundle, id) : undefined;
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

  private async cfCandidates(
    request: RecommendationRequest,
    history: readonly Interaction[],
    exclude: ReadonlySet<string>,
    artistsOfTrack: ReadonlyMap<string, readonly string[]> | undefined,
    loaders: Loaders,
  ): Promise<{ items: CfCandidate[] }> {
    const bundle = this.cf.bundle(request.target);
    if (!bundle) return { items: [] };
    const feedback = this.cf.feedbackOf(bundle, history, artistsOfTrack);
    const vector = this.cf.userVector(bundle, request.userId, feedback);
    if (!vector) return { items: [] };
    const excludeKeys = new Set<number>();
    for (const id of exclude) {
      const key = bundle.items.get(id);
      if (key !== undefined) excludeKeys.add(key);
    }
    const hits = await loaders.ann.load({ kind: request.target, index: 'user', vector, k: request.limit * CANDIDATE_FACTOR, exclude: excludeKeys });
    return { items: this.explain(bundle, hits, feedback) };
  }

  private explain(bundle: CfBundle, hits: readonly { key: number; score: number }[], feedback: FoldInInput): CfCandidate[] {
    const closest = this.cf.closestInHistory(bundle, hits.map((h) => h.key), feedback);
    return hits.map((hit, i) => ({
      id: bundle.items.ids[hit.key],
      score: hit.score,
      because: closest[i].item >= 0 ? bundle.items.ids[closest[i].item] : undefined,
    }));
  }

  /**
   * A filter that admits a track while none of its artists already has MAX_TRACKS_PER_ARTIST
   * tracks admitted; the candidates' tracks are read in one batch.
   */
  private async artistCap(candidateIds: readonly string[], loaders: Loaders): Promise<(id: string) => boolean> {
    const artistsOf = await this.trackArtists(candidateIds, loaders);
    const admitted = new Map<string, number>();
    return (id) => {
      const artists = artistsOf(id);
      if (artists.some((a) => (admitted.get(a) ?? 0) >= MAX_TRACKS_PER_ARTIST)) return false;
      for (const a of artists) admitted.set(a, (admitted.get(a) ?? 0) + 1);
      return true;
    };
  }

  /**
   * The artists of tracks, from a process-wide map filled on first read: parsing a few hundred
   * candidate tracks per request would cost more than the rest of the request. A track's
   * artists rarely change; a stale entry only affects the per-artist cap.
   */
  private async trackArtists(trackIds: readonly string[], loaders: Loaders): Promise<(id: string) => readonly string[]> {
    const missing = [...new Set(trackIds.filter((id) => !this.artistsOfTrack.has(id)))];
    if (missing.length > 0) {
      const tracks = await loaders.tracks.loadMany(missing);
      if (this.artistsOfTrack.size + missing.length > TRACK_ARTIST_CACHE) this.artistsOfTrack.clear();
      tracks.forEach((t, i) => this.artistsOfTrack.set(missing[i], t && !(t instanceof Error) ? t.artistIds : []));
    }
    return (id) => this.artistsOfTrack.get(id) ?? [];
  }

  /** Display names (track titles or artist names) by id, read in one batch. */
  private async names(kind: TargetKind, ids: readonly string[], loaders: Loaders): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const names = new Map<string, string>();
    if (kind === 'TRACK') {
      const tracks = await loaders.tracks.loadMany(unique);
      tracks.forEach((t, i) => t && !(t instanceof Error) && names.set(unique[i], t.title));
    } else {
      const artists = await loaders.artists.loadMany(unique);
      artists.forEach((a, i) => a && !(a instanceof Error) && names.set(unique[i], a.name));
    }
    return names;
  }

  private async artistsOfHistoryTracks(history: readonly Interaction[], loaders: Loaders): Promise<Map<string, readonly string[]>> {
    const trackIds = [...new Set(history.filter((e) => e.targetKind === 'TRACK').map((e) => e.targetId))];
    const tracks = await loaders.tracks.loadMany(trackIds);
    const map = new Map<string, readonly string[]>();
    tracks.forEach((t, i) => map.set(trackIds[i], t && !(t instanceof Error) ? t.artistIds : []));
    return map;
  }

  /** Runs a candidate source, recording its state, count and time; a failing source is reported, not fatal. */
  private async timed<T>(reports: SourceReport[], name: string, run: () => Promise<{ items: T[] }>): Promise<T[]> {
    const started = performance.now();
    try {
      const { items } = await run();
      reports.push({ name, state: items.length > 0 ? 'OK' : 'EMPTY', candidates: items.length, ms: performance.now() - started });
      return items;
    } catch (error) {
      console.error(`candidate source ${name} failed:`, error);
      reports.push({ name, state: 'FAILED', candidates: 0, ms: performance.now() - started });
      return [];
    }
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

/** Everything the listener has played, skipped or disliked; for artists, also the artists of their tracks. */
function heardOrRejected(history: readonly Interaction[], target: TargetKind, artistsOfTrack?: ReadonlyMap<string, readonly string[]>): Set<string> {
  const ids = new Set<string>();
  for (const event of history) {
    if (event.targetKind === target) ids.add(event.targetId);
    else if (target === 'ARTIST' && event.targetKind === 'TRACK') for (const a of artistsOfTrack?.get(event.targetId) ?? []) ids.add(a);
  }
  return ids;
}
