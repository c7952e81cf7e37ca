/**
 * The distributed implementation of the popularity model: the same counts and the same blend
 * as ContextPopularity, held in Redis sorted sets so every API replica ranks from one shared
 * state and the signal workers update it. One sorted set per (kind, segment) — "all" is the
 * overall chart — and one hash of totals per kind.
 *
 * Counting is at-least-once: a signal job retried after a crash may count its events twice.
 * Popularity is a statistic, so that is accepted; the event log in the store stays exact and
 * `rebuild` recounts from it.
 */
import type { Redis } from 'ioredis';
import { contextSegments } from '../../domain/context-segments.js';
import type { Interaction, ListeningContext, TargetKind } from '../../domain/types.js';
import {
  blendPopularity, candidateDepth, chartHead, countEvents, type PopularityCandidate, type PopularityModel, type TrackArtistLookup,
} from './context-popularity.js';

const OVERALL = 'all';

export class RedisPopularity implements PopularityModel {
  constructor(
    private readonly redis: Redis,
    private readonly artistsOfTracks: TrackArtistLookup,
    private readonly prefix = 'mixtape',
  ) {}

  async observe(events: readonly Interaction[]): Promise<void> {
    // Sum locally first: one ZINCRBY per distinct (key, item) instead of one per event.
    const increments = new Map<string, Map<string, number>>();
    const totals = new Map<string, number>();
    const add = (key: string, id: string, weight: number) => {
      let byId = increments.get(key);
      if (!byId) increments.set(key, (byId = new Map()));
      byId.set(id, (byId.get(id) ?? 0) + weight);
    };
    await countEvents(events, this.artistsOfTracks, (kind, weight, segments, ids) => {
      for (const id of ids) {
        for (const segment of [OVERALL, ...segments]) {
          add(this.chartKey(kind, segment), id, weight);
          const totalKey = `${kind}\u0000${segment}`;
          totals.set(totalKey, (totals.get(totalKey) ?? 0) + weight);
        }
      }
    });
    if (increments.size === 0) return;
    const tx = this.redis.multi();
    for (const [key, byId] of increments) for (const [id, weight] of byId) tx.zincrby(key, weight, id);
    for (const [totalKey, weight] of totals) {
      const [kind, segment] = totalKey.split('\u0000');
      tx.hincrbyfloat(this.totalsKey(kind as TargetKind), segment, weight);
    }
    await tx.exec();
  }

  async rank(kind: TargetKind, context: ListeningContext, limit: number, exclude: ReadonlySet<string>): Promise<PopularityCandidate[]> {
    const segments = contextSegments(context);
    const charts = [OVERALL, ...segments];
    const depth = candidateDepth(limit, exclude.size);
    const read = this.redis.pipeline();
    for (const segment of charts) read.zrevrange(this.chartKey(kind, segment), 0, depth - 1);
    read.hmget(this.totalsKey(kind), ...charts);
    const results = await read.exec();
    if (!results) return [];
    const candidates = new Set<string>();
    for (let i = 0; i < charts.length; i++) chartHead((results[i][1] as string[]) ?? [], exclude, limit, candidates);
    const totals = ((results[charts.length][1] as (string | null)[]) ?? []).map((t) => Number(t ?? 0));
    if (candidates.size === 0) return [];

    const ids = [...candidates];
    const scoresRead = this.redis.pipeline();
    for (const segment of charts) scoresRead.zmscore(this.chartKey(kind, segment), ...ids);
    const scoreResults = (await scoresRead.exec()) ?? [];
    const shareOf = (chart: number) => {
      const scores = new Map<string, number>();
      ((scoreResults[chart]?.[1] as (string | null)[]) ?? []).forEach((s, j) => scores.set(ids[j], Number(s ?? 0)));
      const total = totals[chart];
      return (id: string) => (total > 0 ? (scores.get(id) ?? 0) / total : 0);
    };
    const segmentShares = segments
      .map((key, i) => ({ key, evidence: totals[i + 1], share: shareOf(i + 1) }))
      .filter((s) => s.evidence > 0);
    return blendPopularity(ids, shareOf(0), segmentShares, limit);
  }

  /** True when the counts have been built (by a worker's rebuild or by signals). */
  async isBuilt(): Promise<boolean> {
    return (await this.redis.exists(this.totalsKey('TRACK'), this.totalsKey('ARTIST'))) > 0;
  }

  /** Deletes every count, so a rebuild can recount from the event log. */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}:pop:*`, 'COUNT', 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  private chartKey(kind: TargetKind, segment: string): string {
    return `${this.prefix}:pop:${kind}:${segment}`;
  }

  private totalsKey(kind: TargetKind): string {
    return `${this.prefix}:pop:${kind}:totals`;
  }
}
