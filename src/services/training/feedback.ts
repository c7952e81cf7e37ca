/**
 * Turns the event log into the implicit-feedback matrix a collaborative model trains on, for
 * one target kind. Tracks: plays, completions, likes and saves of tracks. Artists: the same
 * events on artists, plus every track event credited to the track's artists — so a catalogue
 * of track plays also trains an artist model, and Last.fm's artist play counts train one directly.
 */
import type { Interaction, InteractionType, TargetKind } from '../../domain/types.js';
import type { Progress } from '../../lib/progress.js';
import { IdIndex, type InteractionMatrix, buildMatrix, type Triple } from '../../models/cf/matrix.js';
import type { Store } from '../../store/ports.js';

/** How much one event says "this listener likes this". Skips, dislikes and tags say nothing here. */
export const FEEDBACK_WEIGHTS: Record<InteractionType, number> = {
  PLAY: 1, COMPLETE: 1, LIKE: 3, SAVE: 3, SKIP: 0, DISLIKE: 0, TAG: 0,
};

export interface FeedbackData {
  kind: TargetKind;
  users: IdIndex;
  items: IdIndex;
  matrix: InteractionMatrix;
  /** Events that contributed. */
  events: number;
  /** Time span of the contributing events. */
  window: { from: number; to: number };
}

export async function collectFeedback(store: Store, kind: TargetKind, progress: Progress): Promise<FeedbackData> {
  const users = new IdIndex();
  const items = new IdIndex();
  const triples: Triple[] = [];
  const artistsOfTrack = new Map<string, readonly string[]>();
  let events = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  progress.start(`Collecting ${kind.toLowerCase()} feedback`, await store.interactions.count());
  let seen = 0;
  for await (const batch of store.interactions.scan(20_000)) {
    if (kind === 'ARTIST') await cacheTrackArtists(store, batch, artistsOfTrack);
    for (const event of batch) {
      const weight = FEEDBACK_WEIGHTS[event.type] * Math.max(1, event.count);
      if (weight <= 0) continue;
      const targets = event.targetKind === kind ? [event.targetId] : kind === 'ARTIST' ? (artistsOfTrack.get(event.targetId) ?? []) : [];
      if (targets.length === 0) continue;
      const user = users.add(event.userId);
      for (const target of targets) triples.push({ user, item: items.add(target), value: weight });
      events++;
      from = Math.min(from, event.context.timestamp);
      to = Math.max(to, event.context.timestamp);
    }
    seen += batch.length;
    progress.update(seen);
  }
  progress.stop();
  return {
    kind, users, items, matrix: buildMatrix(users.size, items.size, triples), events,
    window: { from: Number.isFinite(from) ? from : 0, to: Number.isFinite(to) ? to : 0 },
  };
}

async function cacheTrackArtists(store: Store, batch: readonly Interaction[], cache: Map<string, readonly string[]>): Promise<void> {
  const missing = [...new Set(batch.filter((e) => e.targetKind === 'TRACK' && !cache.has(e.targetId)).map((e) => e.targetId))];
  if (missing.length === 0) return;
  const tracks = await store.tracks.getMany(missing);
  missing.forEach((id, i) => cache.set(id, tracks[i]?.artistIds ?? []));
}
