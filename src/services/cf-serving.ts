/**
 * Serving a collaborative-filtering model: holds the active version per target kind (with the
 * learned ranker trained next to it, when there is one), swaps to a new one atomically (a
 * request keeps the bundle it started with), and turns a listener's history into a user
 * vector by fold-in — so a listener who played something a second ago already gets
 * recommendations that reflect it, without retraining. `view` hands the pipeline what it
 * needs of a bundle for one request.
 */
import type { Interaction, ModelVersion, TargetKind } from '../domain/types.js';
import type { AnnIndex } from '../models/ann/index.js';
import { rowNorms } from '../models/cf/factor-utils.js';
import type { IdIndex } from '../models/cf/matrix.js';
import type { FactorRecommender } from '../models/cf/recommender.js';
import type { CfModelView, LearnedRanker, TrackArtists } from '../pipeline/index.js';
import type { Store } from '../store/ports.js';
import { FEEDBACK_WEIGHTS } from './training/feedback.js';

/** One loaded model version: factors, id maps and its two ANN indexes. */
export interface CfBundle {
  version: ModelVersion;
  kind: TargetKind;
  users: IdIndex;
  items: IdIndex;
  model: FactorRecommender;
  /** Inner product over item factors: user vector → best items. */
  userIndex: AnnIndex;
  /** Cosine over item factors: item → similar items. */
  similarIndex: AnnIndex;
  /** The learned ranker trained with this version, if any (else the pipeline's weighted blend ranks). */
  ranker?: LearnedRanker;
}

export type BundleLoader = (version: ModelVersion) => Promise<CfBundle>;

/** The model name of the CF model for a target kind, as stored in model versions. */
export function cfModelName(kind: TargetKind): string {
  return `cf:${kind}`;
}

/** A history reduced to what fold-in needs: item indices and feedback strengths. */
export interface FoldInInput {
  items: Int32Array;
  values: Float32Array;
}

const USER_VECTOR_CACHE = 50_000;

export class CfServing {
  private readonly bundles = new Map<TargetKind, CfBundle>();
  private readonly norms = new Map<string, Float32Array>();
  private readonly vectors = new Map<string, Float32Array>();
  /** Feedback per history array (the history cache's arrays live exactly as long as they are current). */
  private readonly feedback = new WeakMap<readonly Interaction[], { versionId: string; feedback: FoldInInput }>();

  constructor(private readonly store: Store, private readonly load: BundleLoader) {}

  bundle(kind: TargetKind): CfBundle | undefined {
    return this.bundles.get(kind);
  }

  /** Loads `version` and makes it the one that serves its kind. */
  async activate(version: ModelVersion): Promise<void> {
    const bundle = await this.load(version);
    const replaced = this.bundles.get(bundle.kind);
    this.bundles.set(bundle.kind, bundle);
    if (replaced && replaced.version.id !== bundle.version.id) this.norms.delete(replaced.version.id);
    this.vectors.clear();
  }

  /** Loads whatever versions the store marks active and are not loaded yet (start-up, other replicas' training). */
  async syncWithStore(): Promise<void> {
    for (const kind of ['TRACK', 'ARTIST'] as const) {
      const active = await this.store.modelVersions.active(cfModelName(kind));
      if (active && active.id !== this.bundles.get(kind)?.version.id) await this.activate(active);
    }
  }

  /**
   * The feedback of a history on the model's items. `artistsOfTrack` credits track events to
   * artists for an artist model.
   */
  feedbackOf(bundle: CfBundle, history: readonly Interaction[], artistsOfTrack?: TrackArtists): FoldInInput {
    const cached = this.feedback.get(history);
    if (cached?.versionId === bundle.version.id) return cached.feedback;
    const strength = new Map<number, number>();
    for (const event of history) {
      const weight = FEEDBACK_WEIGHTS[event.type] * Math.max(1, event.count);
      if (weight <= 0) continue;
      const targets = event.targetKind === bundle.kind ? [event.targetId] : bundle.kind === 'ARTIST' ? (artistsOfTrack?.(event.targetId) ?? []) : [];
      for (const target of targets) {
        const item = bundle.items.get(target);
        if (item !== undefined) strength.set(item, (strength.get(item) ?? 0) + weight);
      }
    }
    const feedback = { items: Int32Array.from(strength.keys()), values: Float32Array.from(strength.values()) };
    this.feedback.set(history, { versionId: bundle.version.id, feedback });
    return feedback;
  }

  /** The pipeline's view of a bundle for one listener's request (the vector is folded in on first use). */
  view(bundle: CfBundle, userId: string, history: readonly Interaction[], artistsOfTrack: TrackArtists): CfModelView {
    let vector: Float32Array | undefined | null = null;
    return {
      versionId: bundle.version.id,
      kind: bundle.kind,
      items: bundle.items,
      factors: bundle.model.factors,
      itemFactors: bundle.model.itemFactors,
      itemNorms: this.itemNorms(bundle),
      userVector: () => {
        if (vector === null) vector = this.userVector(bundle, userId, this.feedbackOf(bundle, history, artistsOfTrack));
        return vector;
      },
    };
  }

  /**
   * The listener's vector from their whole current history (fold-in against the fixed item
   * factors), cached until the history or the model version changes. Undefined for a
   * listener with no feedback on the model's items.
   */
  userVector(bundle: CfBundle, userId: string, feedback: FoldInInput): Float32Array | undefined {
    if (feedback.items.length === 0) return undefined;
    const key = `${bundle.version.id}\u0000${userId}\u0000${feedback.items.length}\u0000${sum(feedback.values)}`;
    let vector = this.vectors.get(key);
    if (!vector) {
      vector = bundle.model.foldIn(feedback.items, feedback.values);
      if (this.vectors.size >= USER_VECTOR_CACHE) this.vectors.clear();
      this.vectors.set(key, vector);
    }
    return vector;
  }

  /** The item vector of an id, or undefined when the model does not know it. */
  itemVector(bundle: CfBundle, id: string): Float32Array | undefined {
    const item = bundle.items.get(id);
    if (item === undefined) return undefined;
    const k = bundle.model.factors;
    return bundle.model.itemFactors.subarray(item * k, (item + 1) * k);
  }

  /** Row norms of the bundle's item factors (computed once per version). */
  itemNorms(bundle: CfBundle): Float32Array {
    let norms = this.norms.get(bundle.version.id);
    if (!norms) {
      norms = rowNorms(bundle.model.itemFactors, bundle.items.size, bundle.model.factors);
      this.norms.set(bundle.version.id, norms);
    }
    return norms;
  }
}

function sum(values: Float32Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
