/**
 * The signal flow's front door: validates a batch of interactions, stores it durably
 * (idempotent by eventId, all-or-nothing) and only then hands the new events to the online
 * learners. A batch with any bad event is rejected whole, so a client never has to work out
 * which half of a batch landed.
 */
import { NotFoundError } from '../domain/errors.js';
import { isKnownTimezone } from '../domain/context-segments.js';
import type { Activity, Device, Interaction, InteractionType, ListeningContext, User, Weather } from '../domain/types.js';
import type { Store } from '../store/ports.js';
import { assertCanActFor, type Viewer } from './access.js';
import { Problems } from './validation.js';

export interface ContextInput {
  /** Milliseconds since the epoch; the server's clock when absent. */
  timestamp?: number | null;
  timezone?: string | null;
  device?: Device | null;
  location?: { country: string; region?: string | null; city?: string | null } | null;
  weather?: Weather | null;
  activity?: Activity | null;
}

export interface InteractionInput {
  eventId: string;
  userId: string;
  trackId?: string | null;
  artistId?: string | null;
  type: InteractionType;
  msPlayed?: number | null;
  /** Aggregated plays (e.g. a play count from another service); 1 when absent. */
  count?: number | null;
  tag?: string | null;
  context?: ContextInput | null;
}

export interface RecordResult {
  accepted: string[];
  duplicates: string[];
}

/** Receives events after they are stored: bandits, popularity, session state. */
export type SignalListener = (events: readonly Interaction[]) => Promise<void>;

/** How far in the future a client clock may be before its timestamps are refused. */
const MAX_CLOCK_SKEW_MS = 24 * 3600 * 1000;
const MAX_PLAY_MS = 24 * 3600 * 1000;

export class IngestionService {
  private readonly listeners: SignalListener[] = [];

  constructor(
    private readonly store: Store,
    private readonly maxBatch: number,
    private readonly now: () => number = Date.now,
    private readonly reportListenerError: (error: unknown) => void = (error) => console.error('signal listener failed:', error),
  ) {}

  onStored(listener: SignalListener): void {
    this.listeners.push(listener);
  }

  async record(viewer: Viewer, inputs: readonly InteractionInput[]): Promise<RecordResult> {
    const receivedAt = this.now();
    const problems = new Problems();
    problems.batch('events', inputs.length, this.maxBatch);
    inputs.forEach((input, i) => validateEvent(problems, `events[${i}]`, input, receivedAt));
    problems.throwIfAny('interactions');
    for (const userId of new Set(inputs.map((e) => e.userId))) assertCanActFor(viewer, userId);
    await this.assertTargetsExist(inputs);

    const events = inputs.map((input) => toInteraction(input, receivedAt));
    await this.registerNewUsers(events, receivedAt);
    const { inserted, duplicates } = await this.store.interactions.append(events);
    if (inserted.length > 0) {
      const fresh = new Set(inserted);
      const stored = events.filter((e) => fresh.delete(e.eventId));
      // The events are stored: a failing listener must not turn that into an error for the
      // client (a retry would be a duplicate anyway). It is reported and online state catches
      // up on the next rebuild.
      for (const listener of this.listeners) {
        await listener(stored).catch((error: unknown) => this.reportListenerError(error));
      }
    }
    return { accepted: inserted, duplicates };
  }

  private async assertTargetsExist(inputs: readonly InteractionInput[]): Promise<void> {
    const check = async (kind: 'Track' | 'Artist', field: 'trackId' | 'artistId') => {
      const ids = [...new Set(inputs.flatMap((e) => (e[field] ? [e[field] as string] : [])))];
      const found = kind === 'Track' ? await this.store.tracks.getMany(ids) : await this.store.artists.getMany(ids);
      const missing = ids.filter((_, i) => found[i] === undefined);
      if (missing.length > 0) {
        const index = inputs.findIndex((e) => e[field] === missing[0]);
        const others = missing.length > 1 ? `; ${missing.length - 1} more unknown ${field}s in this batch` : '';
        throw new NotFoundError(kind, missing[0], `events[${index}].${field}${others}; nothing was stored`);
      }
    };
    await check('Track', 'trackId');
    await check('Artist', 'artistId');
  }

  /** Listeners the product has not told us about yet are created on their first event. */
  private async registerNewUsers(events: readonly Interaction[], now: number): Promise<void> {
    const ids = [...new Set(events.map((e) => e.userId))];
    const existing = await this.store.users.getMany(ids);
    const fresh = ids
      .filter((_, i) => existing[i] === undefined)
      .map((id): User => ({ id, displayName: id, source: 'api', friendIds: [], createdAt: now }));
    if (fresh.length > 0) await this.store.users.upsertMany(fresh);
  }
}

function validateEvent(problems: Problems, path: string, input: InteractionInput, now: number): void {
  problems.id(`${path}.eventId`, input.eventId);
  problems.id(`${path}.userId`, input.userId);
  const targets = [input.trackId, input.artistId].filter((t) => t !== undefined && t !== null);
  if (targets.length !== 1) problems.add(path, 'must name exactly one of trackId and artistId');
  if (input.trackId != null) problems.id(`${path}.trackId`, input.trackId);
  if (input.artistId != null) problems.id(`${path}.artistId`, input.artistId);
  problems.range(`${path}.msPlayed`, input.msPlayed, 0, MAX_PLAY_MS, true);
  problems.range(`${path}.count`, input.count, 1, 1_000_000, true);
  if (input.type === 'TAG') problems.text(`${path}.tag`, input.tag, 100, true);
  else if (input.tag != null) problems.add(`${path}.tag`, 'is only allowed on TAG events');
  validateContext(problems, `${path}.context`, input.context, now);
}

export function validateContext(problems: Problems, path: string, context: ContextInput | null | undefined, now: number): void {
  if (!context) return;
  if (context.timestamp != null && context.timestamp > now + MAX_CLOCK_SKEW_MS) {
    problems.add(`${path}.timestamp`, 'is more than a day in the future: check the client clock');
  }
  if (context.timestamp != null && context.timestamp < 0) problems.add(`${path}.timestamp`, 'must be after 1970');
  if (context.timezone != null && !isKnownTimezone(context.timezone)) {
    problems.add(`${path}.timezone`, `"${context.timezone}" is not an IANA time zone (e.g. "Europe/Stockholm")`);
  }
  if (context.location) {
    if (!/^[A-Z]{2}$/.test(context.location.country)) {
      problems.add(`${path}.location.country`, `"${context.location.country}" is not an ISO 3166-1 alpha-2 code (e.g. "SE")`);
    }
    problems.text(`${path}.location.region`, context.location.region, 100);
    problems.text(`${path}.location.city`, context.location.city, 100);
  }
}

export function toContext(input: ContextInput | null | undefined, now: number): ListeningContext {
  const context: ListeningContext = { timestamp: input?.timestamp ?? now };
  if (input?.timezone) context.timezone = input.timezone;
  if (input?.device) context.device = input.device;
  if (input?.weather) context.weather = input.weather;
  if (input?.activity) context.activity = input.activity;
  if (input?.location) {
    const { country, region, city } = input.location;
    context.location = { country, ...(region ? { region } : {}), ...(city ? { city } : {}) };
  }
  return context;
}

function toInteraction(input: InteractionInput, receivedAt: number): Interaction {
  const event: Interaction = {
    eventId: input.eventId,
    userId: input.userId,
    targetKind: input.trackId ? 'TRACK' : 'ARTIST',
    targetId: (input.trackId ?? input.artistId) as string,
    type: input.type,
    count: input.count ?? 1,
    context: toContext(input.context, receivedAt),
    receivedAt,
  };
  if (input.msPlayed != null) event.msPlayed = input.msPlayed;
  if (input.tag != null) event.tag = input.tag;
  return event;
}
