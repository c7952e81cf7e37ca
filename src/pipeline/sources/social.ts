/**
 * Social: what the listener's friends played lately. Each friend's last plays count once per
 * item, weighted by how recent they are (a week's half-life before the end of the minute the
 * request is answered in), so an item several friends are into right now ranks first.
 * Reading friends' histories is the one source that may wait on the store, so it is the one
 * most likely to run out of budget — and the one whose reuse matters most: its output is
 * reused within the same wall-clock minute, so friends' newest plays show up within a
 * minute, and a listener's repeated requests do not read fifty histories each.
 */
import { hashString } from '../../lib/hash.js';
import { TASTE_WEIGHTS } from '../profile.js';
import { selectTop } from '../top.js';
import { momentOf, type PipelineRequest } from '../types.js';
import { type CandidateSource, EMPTY_OUTPUT, type SourceInput, type SourceOutput } from './source.js';

const HALF_LIFE_MS = 7 * 86_400_000;
/** Even an old play of a friend says something. */
const MIN_WEIGHT = 0.1;
const MINUTE_MS = 60_000;

export class SocialSource implements CandidateSource {
  readonly name = 'social' as const;

  reuseKey(request: PipelineRequest): number {
    return minuteOf(request);
  }

  async generate(input: SourceInput): Promise<SourceOutput> {
    if (input.cap === 0) return EMPTY_OUTPUT;
    const friends = (await input.request.friends()).slice(0, input.settings.maxFriends);
    if (friends.length === 0) return EMPTY_OUTPUT;
    const { catalogue, trackArtists } = input.models;
    const { kind } = input.request;
    const now = minuteEnd(input.request);
    const excluded = input.profile.excludedItems;
    const scores = new Map<number, { score: number; friends: number[] }>();
    friends.forEach((friend, f) => {
      const counted = new Set<number>();
      const history = friend.history;
      for (let e = history.length - 1; e >= 0 && counted.size < input.settings.friendPlays; e--) {
        const event = history[e];
        if (TASTE_WEIGHTS[event.type] <= 0) continue;
        const ids = event.targetKind === kind ? [event.targetId] : kind === 'ARTIST' ? trackArtists(event.targetId) : [];
        const age = Math.max(0, now - event.context.timestamp);
        const weight = Math.max(MIN_WEIGHT, 2 ** (-age / HALF_LIFE_MS));
        for (const id of ids) {
          const item = catalogue.indexOf(id);
          if (item < 0 || counted.has(item) || excluded.has(item)) continue;
          counted.add(item);
          const entry = scores.get(item);
          if (entry) {
            entry.score += weight;
            entry.friends.push(f);
          } else {
            scores.set(item, { score: weight, friends: [f] });
          }
        }
      }
    });
    const ids = Int32Array.from(scores.keys());
    const top = selectTop(ids, Float32Array.from(scores.values(), (s) => s.score), ids.length, input.cap);
    // The one friend behind each listed item, if only one: all its kept `reason` needs.
    const onlyFriend = Array.from(top.items, (item) => {
      const who = scores.get(item)!.friends;
      return who.length === 1 ? friends[who[0]].name : undefined;
    });
    return socialOutput(top.items, top.scores, onlyFriend);
  }
}

/**
 * The listener's current minute. Each listener's minutes start at their own offset, so the
 * recomputations do not all fall on the same wall-clock second (every listener's first request
 * after a shared minute boundary would otherwise recompute at once).
 */
function minuteOf(request: Pick<PipelineRequest, 'receivedAt' | 'context' | 'userId'>): number {
  return Math.floor((momentOf(request) + offsetOf(request.userId)) / MINUTE_MS);
}

/** When a listener's minute ends (what plays are aged from). */
function minuteEnd(request: Pick<PipelineRequest, 'receivedAt' | 'context' | 'userId'>): number {
  return (minuteOf(request) + 1) * MINUTE_MS - offsetOf(request.userId);
}

/** A stable spread of listeners over the minute (FNV-1a of the id). */
function offsetOf(userId: string): number {
  return hashString(userId) % MINUTE_MS;
}

/** The output, made outside `generate` so that its kept `reason` does not hold friends' histories. */
function socialOutput(items: Int32Array, scores: Float32Array, onlyFriend: readonly (string | undefined)[]): SourceOutput {
  return {
    items,
    scores,
    reason: (position) => {
      const name = onlyFriend[position];
      return name === undefined ? 'Popular with your friends' : `Your friend ${name} played this`;
    },
  };
}
