/**
 * The popularity baseline: how often each track and artist is engaged with, overall and
 * within each context segment (time of week, activity, device, weather, country). It learns
 * online — every stored interaction is observed once — and needs no training run.
 *
 * Scoring blends the segment shares the request's context belongs to with the overall share,
 * each segment weighted by how much evidence it has, so a thin segment falls back to the
 * overall chart instead of amplifying noise.
 */
import { contextSegments } from '../../domain/context-segments.js';
import type { Interaction, InteractionType, ListeningContext, TargetKind } from '../../domain/types.js';
import { Tally } from './tally.js';

/** How much one event says "people want this"; skips and dislikes say nothing positive. */
export const POPULARITY_WEIGHTS: Record<InteractionType, number> = {
  PLAY: 1, COMPLETE: 1, LIKE: 2, SAVE: 2, SKIP: 0, DISLIKE: 0, TAG: 0.5,
};

/** Evidence (weighted events) at which a segment counts as much as the overall chart. */
const SEGMENT_PRIOR = 200;
/**
 * How deep each chart is read: enough that `limit` items survive the exclusions, plus a
 * margin so that a segment's hits just below the overall top still compete.
 */
const CANDIDATE_MARGIN = 100;
const MAX_CANDIDATES_PER_SEGMENT = 5000;

/** Contexts whose blended scores are remembered (ContextPopularity.memoFor), and items per context. */
const BLENDED_CONTEXTS = 2000;
const BLENDED_ITEMS = 20_000;
/**
 * How deep into each chart a context's blended chart reaches (ContextPopularity.contextChart).
 * A listener who has heard so much of a chart's head that fewer than `limit` items of it
 * remain takes the per-request path instead.
 */
const CONTEXT_CHART_DEPTH = 1000;

/**
 * How stale a context's blended chart may get while events arrive: building one blends
 * thousands of ids, and a busy process sees hundreds of contexts (docs/benchmarks.md).
 */
const CONTEXT_CHART_REFRESH_MS = 10_000;
/**
 * Least time between two rebuilds of stale context charts in one process. Charts go stale
 * together (the first event after a quiet spell), and rebuilding a few hundred at once (≈ 3 ms
 * each on the 100k demo) stalled every request behind them for a second; spaced out, a stale
 * chart is served a little longer instead — under steady writes a process refreshes 10 charts a
 * second (≈ 3 % of a core), so with C contexts in use a chart is up to 10 s + C / 10 s old. A
 * context seen for the first time is always built.
 */
const CONTEXT_CHART_SPACING_MS = 100;

/** The popularity model's contract, kept by the in-memory and the Redis implementation. */
export interface PopularityModel {
  /** Counts stored events (each once; skips and dislikes count nothing). */
  observe(events: readonly Interaction[]): Promise<void>;
  rank(kind: TargetKind, context: ListeningContext, limit: number, exclude: ReadonlySet<string>): Promise<PopularityCandidate[]>;
  /**
   * Optional: the chart `rank` walks for this context — the same array for every listener in
   * it until it is rebuilt, best first — and whether it is `cut` at a fixed depth (then a
   * listener who excludes so much of it that fewer than `limit` items remain needs `rank`
   * itself). A caller that walks it past its own exclusions gets what `rank` would return.
   */
  sharedChart?(kind: TargetKind, context: ListeningContext): SharedChart;
}

export interface SharedChart {
  chart: readonly PopularityCandidate[];
  cut: boolean;
}

export interface PopularityCandidate {
  id: string;
  score: number;
  /** The segment that lifted this item most above its overall share, if any. */
  strongestSegment?: string;
}

/** Resolves the artists of tracks, so track plays also count towards their artists. */
export type TrackArtistLookup = (trackIds: readonly string[]) => Promise<(readonly string[] | undefined)[]>;

/** How deep into each chart to look for candidates. */
export function candidateDepth(limit: number, excluded: number): number {
  return Math.min(MAX_CANDIDATES_PER_SEGMENT, limit + excluded + CANDIDATE_MARGIN);
}

/**
 * The candidates one chart contributes: its first `limit + CANDIDATE_MARGIN` ids that are not
 * excluded, among its first `candidateDepth` ids. A heavy listener excludes hundreds of ids;
 * scoring every id down to that depth in every segment cost more than the rest of a request.
 */
export function chartHead(chart: Iterable<string>, exclude: ReadonlySet<string>, limit: number, into: Set<string>): void {
  const wanted = limit + CANDIDATE_MARGIN;
  const depth = candidateDepth(limit, exclude.size);
  let taken = 0;
  let read = 0;
  for (const id of chart) {
    if (read++ >= depth || taken >= wanted) return;
    if (exclude.has(id)) continue;
    into.add(id);
    taken++;
  }
}

export interface SegmentShares {
  key: string;
  /** Total weighted events in the segment. */
  evidence: number;
  share(id: string): number;
}

/**
 * The blend both implementations score with: overall share plus each segment's share,
 * weighted by the segment's evidence; names the segment that lifts an item most. `memo`
 * (optional) keeps each id's blended score for the same segments and counts: the caller
 * must hand a fresh map whenever either changes.
 */
export function blendPopularity(
  candidates: readonly string[],
  overallShare: (id: string) => number,
  segments: readonly SegmentShares[],
  limit: number,
  memo?: Map<string, PopularityCandidate>,
): PopularityCandidate[] {
  const weights = segments.map((s) => s.evidence / (s.evidence + SEGMENT_PRIOR));
  const weightSum = 1 + weights.reduce((a, b) => a + b, 0);
  const ranked: PopularityCandidate[] = new Array(candidates.length);
  for (let c = 0; c < candidates.length; c++) {
    const id = candidates[c];
    let candidate = memo?.get(id);
    if (!candidate) {
      candidate = blendOne(id, overallShare, segments, weights, weightSum);
      memo?.set(id, candidate);
    }
    ranked[c] = candidate;
  }
  ranked.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return ranked.slice(0, limit);
}

function blendOne(id: string, overallShare: (id: string) => number, segments: readonly SegmentShares[], weights: readonly number[], weightSum: number): PopularityCandidate {
  const base = overallShare(id);
  let score = base;
  let strongestSegment: string | undefined;
  let strongestLift = 1.2; // a segment must lift an item 20% above its overall share to be named
  for (let i = 0; i < segments.length; i++) {
    const share = segments[i].share(id);
    score += weights[i] * share;
    const lift = base > 0 ? share / base : 0;
    if (lift > strongestLift) {
      strongestLift = lift;
      strongestSegment = segments[i].key;
    }
  }
  return { id, score: score / weightSum, strongestSegment };
}

/** Splits events into weighted counts per (kind, segment, item); track plays also count for their artists. */
export async function countEvents(
  events: readonly Interaction[],
  artistsOfTracks: TrackArtistLookup,
  count: (kind: TargetKind, weight: number, segments: string[], ids: readonly string[]) => void,
): Promise<void> {
  const trackIds = [...new Set(events.filter((e) => e.targetKind === 'TRACK').map((e) => e.targetId))];
  const artists = await artistsOfTracks(trackIds);
  const artistsByTrack = new Map(trackIds.map((id, i) => [id, artists[i] ?? []]));
  for (const event of events) {
    const weight = POPULARITY_WEIGHTS[event.type];
    if (weight <= 0) continue;
    const segments = contextSegments(event.context);
    count('TRACK', weight, segments, event.targetKind === 'TRACK' ? [event.targetId] : []);
    count('ARTIST', weight, segments, event.targetKind === 'ARTIST' ? [event.targetId] : (artistsByTrack.get(event.targetId) ?? []));
  }
}

/** The embedded implementation: counts in memory, rebuilt from the store at start-up. */
export class ContextPopularity implements PopularityModel {
  private readonly overall: Record<TargetKind, Tally> = { TRACK: new Tally(MAX_CANDIDATES_PER_SEGMENT), ARTIST: new Tally(MAX_CANDIDATES_PER_SEGMENT) };
  private readonly bySegment: Record<TargetKind, Map<string, Tally>> = { TRACK: new Map(), ARTIST: new Map() };
  private observedEvents = 0;
  /** Bumped by every count: blended scores remembered under an older one are stale. */
  private generation = 0;
  /** Blended scores per (kind, context segments), valid for `generation` (see rank). */
  private readonly blended = new Map<string, { generation: number; scores: Map<string, PopularityCandidate> }>();
  /** Per (kind, context segments): the blended chart (contextChart), its generation and when it was made. */
  private readonly contextCharts = new Map<string, { generation: number; at: number; chart: readonly PopularityCandidate[] }>();
  /** When this process last built a context chart (CONTEXT_CHART_SPACING_MS). */
  private chartBuiltAt = -Infinity;

  constructor(private readonly artistsOfTracks: TrackArtistLookup) {}

  get eventsObserved(): number {
    return this.observedEvents;
  }

  async observe(events: readonly Interaction[]): Promise<void> {
    this.observedEvents += events.length;
    await countEvents(events, this.artistsOfTracks, (kind, weight, segments, ids) => this.count(kind, weight, segments, ids));
  }

  /**
   * Items ranked by popularity in this context, best first, skipping `exclude`. Scores are
   * blended shares (comparable within one call, not across calls).
   */
  async rank(kind: TargetKind, context: ListeningContext, limit: number, exclude: ReadonlySet<string>): Promise<PopularityCandidate[]> {
    const segments = this.segmentsOf(kind, context);
    // Most requests: the context's blended chart, walked past what the listener heard.
    const chart = this.contextChart(kind, segments);
    const ranked: PopularityCandidate[] = [];
    for (let i = 0; i < chart.length && ranked.length < limit; i++) if (!exclude.has(chart[i].id)) ranked.push(chart[i]);
    if (ranked.length >= limit || chart.length < CONTEXT_CHART_DEPTH) return ranked;
    return this.rankDeep(kind, segments, limit, exclude);
  }

  sharedChart(kind: TargetKind, context: ListeningContext): SharedChart {
    const chart = this.contextChart(kind, this.segmentsOf(kind, context));
    return { chart, cut: chart.length >= CONTEXT_CHART_DEPTH };
  }

  /** The context's segments that have counts. */
  private segmentsOf(kind: TargetKind, context: ListeningContext): { key: string; tally: Tally }[] {
    return contextSegments(context)
      .map((key) => ({ key, tally: this.bySegment[kind].get(key) }))
      .filter((s): s is { key: string; tally: Tally } => s.tally !== undefined && s.tally.total > 0);
  }

  /**
   * The blend over every chart's first CONTEXT_CHART_DEPTH items, best first: shared by every
   * listener in the context, so a request only walks it skipping what its listener heard.
   * That is the blended top of the charts' heads — at least the candidates the per-request
   * path (rankDeep) considers for a listener who has not heard most of a head. Made again
   * when counts changed, at most once per CONTEXT_CHART_REFRESH_MS, and stale charts one at a
   * time (CONTEXT_CHART_SPACING_MS).
   */
  private contextChart(kind: TargetKind, segments: readonly { key: string; tally: Tally }[]): readonly PopularityCandidate[] {
    const key = `${kind}|${segments.map((s) => s.key).join('|')}`;
    const cached = this.contextCharts.get(key);
    const now = Date.now();
    if (cached && (cached.generation === this.generation || now - cached.at < CONTEXT_CHART_REFRESH_MS)) return cached.chart;
    if (cached && now - this.chartBuiltAt < CONTEXT_CHART_SPACING_MS) return cached.chart;
    this.chartBuiltAt = now;
    const overall = this.overall[kind];
    const ids = new Set<string>();
    const head = (chart: readonly (readonly [string, number])[]) => {
      for (let i = 0; i < chart.length && i < CONTEXT_CHART_DEPTH; i++) ids.add(chart[i][0]);
    };
    head(overall.chart());
    for (const { tally } of segments) head(tally.chart());
    const chart = blendPopularity(
      [...ids],
      (id) => overall.share(id),
      segments.map(({ key: segment, tally }) => ({ key: segment, evidence: tally.total, share: (id: string) => tally.share(id) })),
      ids.size,
    );
    if (!cached && this.contextCharts.size >= BLENDED_CONTEXTS) this.contextCharts.clear();
    this.contextCharts.set(key, { generation: this.generation, at: now, chart });
    return chart;
  }

  /** Per request: each chart read past the listener's exclusions (chartHead), then blended. */
  private rankDeep(kind: TargetKind, segments: readonly { key: string; tally: Tally }[], limit: number, exclude: ReadonlySet<string>): PopularityCandidate[] {
    const overall = this.overall[kind];
    const candidateIds = new Set<string>();
    chartHead(idsOf(overall.chart()), exclude, limit, candidateIds);
    for (const { tally } of segments) chartHead(idsOf(tally.chart()), exclude, limit, candidateIds);
    return blendPopularity(
      [...candidateIds],
      (id) => overall.share(id),
      segments.map(({ key, tally }) => ({ key, evidence: tally.total, share: (id: string) => tally.share(id) })),
      limit,
      this.memoFor(kind, segments),
    );
  }

  /**
   * An item's blended score depends only on the counts and the context's segments, not on
   * the listener: requests in the same context share them until the next event is counted.
   */
  private memoFor(kind: TargetKind, segments: readonly { key: string }[]): Map<string, PopularityCandidate> {
    const key = `${kind}|${segments.map((s) => s.key).join('|')}`;
    let entry = this.blended.get(key);
    if (!entry || entry.generation !== this.generation) {
      if (!entry && this.blended.size >= BLENDED_CONTEXTS) this.blended.clear();
      entry = { generation: this.generation, scores: new Map() };
      this.blended.set(key, entry);
    } else if (entry.scores.size >= BLENDED_ITEMS) {
      entry.scores.clear();
    }
    return entry.scores;
  }

  private count(kind: TargetKind, weight: number, segments: string[], ids: readonly string[]): void {
    if (ids.length > 0) this.generation++;
    for (const id of ids) {
      this.overall[kind].add(id, weight);
      for (const segment of segments) {
        let tally = this.bySegment[kind].get(segment);
        if (!tally) this.bySegment[kind].set(segment, (tally = new Tally(MAX_CANDIDATES_PER_SEGMENT)));
        tally.add(id, weight);
      }
    }
  }
}

function* idsOf(chart: readonly (readonly [string, number])[]): Iterable<string> {
  for (const entry of chart) yield entry[0];
}
