/**
 * The online recommendation pipeline for one request:
 *
 *   signals (profile.ts: the listener's history against the catalogue snapshot)
 *   → candidate generation (sources/, concurrently, under a time budget)
 *   → ranking (ranking/: weighted blend, then the learned ranker over features.ts)
 *   → blending (blend.ts: exclusions, caps, MMR, exploration) and explanations (explain.ts).
 *
 * It holds no per-request state between calls and knows nothing of GraphQL or the store: the
 * service hands it the request and the models (catalogue snapshot, popularity, item stats, CF
 * view, ranker), and training replays `gather` + `rank` offline with models built from the
 * pre-holdout data.
 */
import { blend, type BlendResult, uncertainty } from './blend.js';
import { CandidatePool } from './candidates.js';
import { keyMap } from './cf-view.js';
import { explanation, itemSources, ReasonStrength } from './explain.js';
import { FEATURE_COUNT, FEATURE_NAMES, featureContext, type FeatureContext } from './features.js';
import { type UserProfile, userProfile } from './profile.js';
import { rankCandidates, type RankedCandidates } from './ranking/rank.js';
import { type LearnedRanker, WeightedBlend } from './ranking/ranker.js';
import type { PipelineSettings } from './settings.js';
import { defaultSources } from './sources/index.js';
import { SourceCache } from './source-cache.js';
import { runSources } from './sources/run-sources.js';
import type { CandidateSource, PipelineModels, SourceOutput } from './sources/source.js';
import { momentOf, SOURCE_COUNT, SOURCE_NAMES, type PipelineRequest, type SourceReport, type SourceScore } from './types.js';

/** Listeners whose reusable source outputs a pipeline keeps by default (a few MB). */
export const DEFAULT_REUSE_LISTENERS = 10_000;

export interface PipelineItem {
  id: string;
  /** Relevance: the learned ranker's score, or the weighted blend's. */
  score: number;
  sources: SourceScore[];
  explanation: string;
}

/** The candidates of a request, before ranking. */
export interface Gathered {
  request: PipelineRequest;
  models: PipelineModels;
  profile: UserProfile;
  outputs: (SourceOutput | undefined)[];
  reports: SourceReport[];
  pool: CandidatePool;
}

/** Everything a request computed, kept for the admin debug view (debug.ts). */
export interface PipelineTrace extends Gathered {
  ranked: RankedCandidates;
  blended: BlendResult;
  blend: WeightedBlend;
  settings: PipelineSettings;
  features: () => FeatureContext;
}

export interface PipelineResult {
  items: PipelineItem[];
  reports: SourceReport[];
  trace: PipelineTrace;
}

export class RecommendationPipeline {
  readonly blend: WeightedBlend;
  private readonly reasons: ReasonStrength;

  /** Context-independent source outputs kept between one listener's requests (source-cache.ts). */
  readonly sourceCache: SourceCache;

  constructor(
    readonly settings: PipelineSettings,
    private readonly sources: readonly CandidateSource[] = defaultSources(),
    private readonly log?: (message: string, error: unknown) => void,
    /** Listeners whose reusable source outputs are kept; 0 turns reuse off. */
    reuseListeners = DEFAULT_REUSE_LISTENERS,
  ) {
    this.blend = new WeightedBlend(settings.blendWeights);
    this.reasons = new ReasonStrength(settings.explanationWeights);
    this.sourceCache = new SourceCache(reuseListeners, Object.fromEntries(sources.flatMap((source) => (source.staleness ? [[source.name, source.staleness]] : []))));
  }

  /**
   * Signals and candidate generation. Sources whose output depends only on the listener's
   * profile and the models are reused from the listener's previous request while those are
   * the same (source-cache.ts); the others run, under the time budget.
   */
  async gather(request: PipelineRequest, models: PipelineModels): Promise<Gathered> {
    const profile = userProfile(request.history, models.catalogue, models.trackArtists, () => this.sourceCache.lastProfile(request.kind, request.userId));
    const { settings } = this;
    const now = momentOf(request);
    const cached = this.sourceCache.entry(request.kind, request.userId, models.catalogue, profile, models.cf, request.history.length, now);
    const outputs: (SourceOutput | undefined)[] = new Array(SOURCE_COUNT).fill(undefined);
    const reports: SourceReport[] = new Array(this.sources.length);
    const toRun: CandidateSource[] = [];
    const runAt: number[] = [];
    this.sources.forEach((source, i) => {
      const key = cached && source.reuseKey?.(request);
      const reused = key !== undefined ? cached!.get(source.name, key) : undefined;
      if (reused) {
        outputs[SOURCE_NAMES.indexOf(source.name)] = reused;
        reports[i] = {
          name: source.name, state: reused.items.length > 0 ? 'OK' : 'EMPTY', candidates: reused.items.length, ms: 0,
          ...(reused.modelVersion ? { modelVersion: reused.modelVersion } : {}),
        };
      } else {
        const reusable = key !== undefined;
        // A reusable output is kept whenever it arrives, even after the budget ran out: it is
        // just as right for the listener's next request (and an overloaded process would
        // otherwise never stop recomputing it).
        toRun.push(reusable ? { name: source.name, generate: (input) => source.generate(input).then((output) => {
          const kept = withRememberedReasons(output);
          cached!.set(source.name, key, kept, now);
          return kept;
        }) } : source);
        runAt.push(i);
      }
    });
    if (toRun.length > 0) {
      const run = await runSources(
        toRun,
        (source) => ({ request, models, profile, settings, cap: settings.sourceCaps[source.name] }),
        settings.budgetMs,
        this.log,
      );
      toRun.forEach((source, n) => {
        const s = SOURCE_NAMES.indexOf(source.name);
        reports[runAt[n]] = run.reports[n];
        outputs[s] = run.outputs[s];
      });
    }
    const pool = CandidatePool.merge(outputs, settings.maxCandidates);
    return { request, models, profile, outputs, reports, pool };
  }

  /** Ranking: relevance per candidate and the relevance order. */
  rank(gathered: Gathered, learned?: LearnedRanker): { ranked: RankedCandidates; features: () => FeatureContext } {
    let context: FeatureContext | undefined;
    const features = () => (context ??= featureContext(gathered.request, gathered.models, gathered.profile, gathered.pool));
    const ranked = rankCandidates(gathered.pool, this.blend, learned, features, this.settings.rankDepth);
    return { ranked, features };
  }

  async run(request: PipelineRequest, models: PipelineModels, learned?: LearnedRanker): Promise<PipelineResult> {
    const gathered = await this.gather(request, models);
    const { ranked, features } = this.rank(gathered, learned);
    const { pool, profile } = gathered;
    const { catalogue, cf } = models;
    const cfOfKind = cf && cf.kind === request.kind ? { view: cf, keyOf: keyMap(catalogue, cf.items).keyOf } : undefined;
    const blended = blend({
      pool, ranked, catalogue, excluded: profile.excludedItems, cf: cfOfKind, depth: request.depth, settings: this.settings,
      uncertain: this.settings.explorationEvery > 0 ? uncertainty(pool, ranked.order, this.popularityOf(gathered, ranked)) : () => false,
    });
    const items = Array.from(blended.picks, (slot, position): PipelineItem => {
      const ordered = this.reasons.order(pool, slot);
      return {
        id: catalogue.ids[pool.items[slot]],
        score: ranked.relevance[slot],
        sources: itemSources(pool, ordered, slot, blended.explored[position] === 1, ranked.relevance[slot]),
        explanation: explanation(pool, gathered.outputs, ordered, slot),
      };
    });
    return { items, reports: gathered.reports, trace: { ...gathered, ranked, blended, blend: this.blend, settings: this.settings, features } };
  }

  /**
   * Online popularity of a candidate, read on first use (the exploration slots prefer the
   * least known); the learned ranker's feature rows already hold it for the candidates it scored.
   */
  private popularityOf({ pool, request, models }: Gathered, ranked: RankedCandidates): (slot: number) => number {
    const popularityOf = models.itemStats.itemPopularityReader(request.kind, models.catalogue, request.context.timestamp);
    const known = new Float32Array(pool.size).fill(Number.NaN);
    if (ranked.scored) {
      const { slots, features } = ranked.scored;
      for (let r = 0; r < slots.length; r++) known[slots[r]] = features[r * FEATURE_COUNT + POPULARITY_FEATURE];
    }
    return (slot) => {
      if (Number.isNaN(known[slot])) known[slot] = popularityOf(pool.items[slot]);
      return known[slot];
    };
  }
}

const POPULARITY_FEATURE = FEATURE_NAMES.indexOf('item.popularity');

/**
 * A reusable output whose reasons are worded once: a reused output explains the same
 * positions request after request, and some reasons (CF's "because you played X") compare
 * an item with the listener's favourites.
 */
function withRememberedReasons(output: SourceOutput): SourceOutput {
  const reasons: (string | undefined)[] = new Array(output.items.length);
  return {
    ...output,
    reason: (position) => (reasons[position] ??= output.reason(position)),
  };
}
