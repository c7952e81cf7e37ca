/**
 * Reuse of context-independent candidate sources between one listener's requests.
 *
 * CF, item-to-item and tag affinity read nothing of a request but the listener's profile
 * (their history against a catalogue snapshot) and the CF model; fresh releases also read the
 * day the request is answered, and social the minute (friends' plays reach a listener's
 * social candidates within a minute). So while those are the same
 * objects, a second request may reuse what the first computed (up to KEYS_PER_SOURCE keys per
 * source) and rerun only the source that depends on the context (context popularity).
 *
 * Keys are object identities, so invalidation is exact without any explicit call:
 * - the profile is cached per history array and snapshot (profile.ts), and the history
 *   cache hands out a new array as soon as the listener's events change (their own
 *   ingestion, a cluster peer's relay, the TTL) — a new profile misses;
 * - a catalogue rebuild is a new snapshot, hence a new profile, and a miss;
 * - a model activation is a new bundle with new item ids and factors; the first request
 *   that sees the new model also drops every entry of that kind, so old factors and
 *   indexes are not kept alive by listeners who do not come back.
 * An answer is kept whenever it arrives, even after the request's budget ran out (a source
 * that throws keeps nothing). Entries are bounded (LRU).
 *
 * One exception to exactness, by choice: sources whose output follows the listener's whole
 * taste (CF, tag affinity, fresh releases: `staleness`) may serve an output computed before
 * a few of their newest events (10, for up to 10 minutes). After a play, recomputing them was
 * most of the cost of the listener's next request; item-to-item, which follows the latest
 * plays, always runs again, and blending excludes what the listener heard whatever a source
 * proposes.
 */
import type { TargetKind } from '../domain/types.js';
import type { CatalogueIndex } from './catalogue-index.js';
import type { CfItemIds, CfModelView } from './cf-view.js';
import type { UserProfile } from './profile.js';
import type { SourceOutput, Staleness } from './sources/source.js';
import type { ReuseKey, SourceName } from './types.js';

/**
 * Outputs kept per source, one per key: a listener's requests may alternate between a few
 * keys (days, social windows), and recomputing on every alternation would waste the cache.
 */
export const KEYS_PER_SOURCE = 8;

/** An output and what it was computed from: the listener's event count and the moment. */
interface Kept {
  output: SourceOutput;
  events: number;
  at: number;
}

/** One listener's reusable outputs for one (profile, CF model) pair. */
export class ReusableOutputs {
  /** Per source: key → output, oldest first (insertion order is the eviction order). */
  private readonly outputs = new Map<SourceName, Map<ReuseKey, Kept>>();

  constructor(
    readonly profile: UserProfile,
    readonly cfItems: CfItemIds | undefined,
    readonly cfFactors: Float32Array | undefined,
    readonly cfVersion: string | undefined,
    /** Events in the history the profile was derived from. */
    readonly events = 0,
  ) {}

  get(name: SourceName, key: ReuseKey): SourceOutput | undefined {
    return this.outputs.get(name)?.get(key)?.output;
  }

  /** Keeps an output computed now, from this entry's profile. */
  set(name: SourceName, key: ReuseKey, output: SourceOutput, at: number): void {
    this.keep(name, key, { output, events: this.events, at });
  }

  matches(profile: UserProfile, cf: CfModelView | undefined): boolean {
    return this.profile === profile && this.sameModel(cf);
  }

  sameModel(cf: CfModelView | undefined): boolean {
    return this.cfItems === cf?.items && this.cfFactors === cf?.itemFactors && this.cfVersion === cf?.versionId;
  }

  /**
   * Takes over from the listener's previous entry the outputs of sources that tolerate it
   * (`staleness`): computed before at most `events` of the events this entry's history added,
   * and at most `ms` before `now`. The count of events, not their identity, is compared:
   * events are append-only, so a longer history of the same listener holds the older one.
   */
  carryOver(previous: ReusableOutputs, staleness: ReadonlyMap<SourceName, Staleness>, now: number): void {
    for (const [name, byKey] of previous.outputs) {
      const limit = staleness.get(name);
      if (!limit) continue;
      for (const [key, kept] of byKey) {
        const behind = this.events - kept.events;
        if (behind >= 0 && behind <= limit.events && now - kept.at <= limit.ms) this.keep(name, key, kept);
      }
    }
  }

  private keep(name: SourceName, key: ReuseKey, kept: Kept): void {
    let byKey = this.outputs.get(name);
    if (!byKey) this.outputs.set(name, (byKey = new Map()));
    byKey.delete(key);
    if (byKey.size >= KEYS_PER_SOURCE) byKey.delete(byKey.keys().next().value as ReuseKey);
    byKey.set(key, kept);
  }
}

interface Generation {
  catalogue: CatalogueIndex;
  cfItems: CfItemIds | undefined;
}

export class SourceCache {
  private readonly entries = new Map<string, ReusableOutputs>();
  private readonly generations = new Map<TargetKind, Generation>();
  /** Lookups that found an entry for the listener's current profile and model (for tests and benches). */
  hits = 0;
  misses = 0;

  /** How stale each tolerant source's output may get (CandidateSource.staleness). */
  private readonly staleness: ReadonlyMap<SourceName, Staleness>;

  constructor(readonly capacity: number, staleness: Partial<Record<SourceName, Staleness>> = {}) {
    this.staleness = new Map(Object.entries(staleness) as [SourceName, Staleness][]);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The reusable outputs of this listener for this profile and CF model: the cached entry
   * when it is still theirs, otherwise a fresh empty one (stored, replacing the old).
   * Undefined when the cache is off.
   */
  entry(
    kind: TargetKind, userId: string, catalogue: CatalogueIndex, profile: UserProfile, cf: CfModelView | undefined,
    events = 0, now = Date.now(),
  ): ReusableOutputs | undefined {
    if (this.capacity <= 0) return undefined;
    const cfOfKind = cf && cf.kind === kind ? cf : undefined;
    const generation = this.generations.get(kind);
    if (!generation || generation.catalogue !== catalogue || generation.cfItems !== cfOfKind?.items) {
      // A new snapshot or model for this kind: nothing cached for it can match any more.
      if (generation) for (const key of this.entries.keys()) if (key.startsWith(entryKey(kind, ''))) this.entries.delete(key);
      this.generations.set(kind, { catalogue, cfItems: cfOfKind?.items });
    }
    const key = entryKey(kind, userId);
    const cached = this.entries.get(key);
    if (cached) this.entries.delete(key); // re-inserted last: the LRU order
    if (cached?.matches(profile, cfOfKind)) {
      this.hits++;
      this.entries.set(key, cached);
      return cached;
    }
    this.misses++;
    const fresh = new ReusableOutputs(profile, cfOfKind?.items, cfOfKind?.itemFactors, cfOfKind?.versionId, events);
    // The same snapshot (entries of an older one are gone) and model: a new profile, most
    // often after a play, still takes the outputs that may lag a few events.
    if (cached?.sameModel(cfOfKind)) fresh.carryOver(cached, this.staleness, now);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, fresh);
    return fresh;
  }

  /** The profile of the listener's latest entry (their previous request), if any: a new profile may continue from it (profile.ts). */
  lastProfile(kind: TargetKind, userId: string): UserProfile | undefined {
    return this.entries.get(entryKey(kind, userId))?.profile;
  }

  clear(): void {
    this.entries.clear();
    this.generations.clear();
  }
}

/** A listener's entry key; `entryKey(kind, '')` is the prefix of every entry of that kind. */
function entryKey(kind: TargetKind, userId: string): string {
  return `${kind}\u0000${userId}`;
}
