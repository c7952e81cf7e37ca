/**
 * A running Mixtape server as a policy, over GraphQL: slates from the `recommendations`
 * query, reactions back through the `recordInteractions` mutation (batches of at most 500).
 *
 * The server must hold this world: start it on an empty store with the demo world of the same
 * seed and sizes, the warm-up days as DEMO_DAYS (see `serverEnvFor`). The policy checks the
 * first and last track titles before the run and refuses a server with another catalogue.
 * Event ids are `<prefix>:<n>`; a server keeps the first event with an id, so use a fresh
 * store (or another prefix) for each run.
 */
import type { Interaction, ListeningContext } from '../../domain/types.js';
import type { World, WorldConfig } from '../world.js';
import { toContextInput, toInteractionInput } from './mixtape.js';
import type { Policy } from './policy.js';

const RECOMMENDATIONS = `query SimRecommendations($userId: ID!, $limit: Int!, $context: ContextInput) {
  recommendations(userId: $userId, limit: $limit, target: TRACK, context: $context) { items { targetId } }
}`;
const RECORD = `mutation SimRecord($events: [InteractionInput!]!) { recordInteractions(events: $events) { accepted duplicates } }`;
const TRACK = `query SimTrack($id: ID!) { track(id: $id) { id title } }`;
const BATCH = 500;

export interface HttpPolicyOptions {
  /** The admin token (Authorization: Bearer …); needed when the server runs in production mode. */
  token?: string;
  fetchImpl?: typeof fetch;
}

/** The environment a server needs to hold the catalogue, listeners and warm-up log of a world with this configuration. */
export function serverEnvFor(c: WorldConfig): Record<string, string> {
  return {
    DEMO_DATA: 'true',
    DEMO_SEED: String(c.seed),
    DEMO_USERS: String(c.users),
    DEMO_ARTISTS: String(c.artists),
    DEMO_TRACKS: String(c.tracks),
    DEMO_DAYS: String(c.warmupDays),
  };
}

export class HttpPolicy implements Policy {
  readonly name: string;
  private readonly fetchImpl: typeof fetch;

  private constructor(private readonly url: string, private readonly options: HttpPolicyOptions) {
    this.name = url;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  static async create(url: string, world: World, options: HttpPolicyOptions = {}): Promise<HttpPolicy> {
    const policy = new HttpPolicy(url, options);
    const { tracks } = world.demo;
    for (const track of [tracks[0], tracks.at(-1)]) {
      if (!track) continue;
      const data = await policy.call<{ track: { title: string } | null }>(TRACK, { id: track.id });
      if (data.track?.title !== track.title) {
        const env = Object.entries(serverEnvFor(world.config)).map(([k, v]) => `${k}=${v}`).join(' ');
        throw new Error(`${url} does not hold this world (track ${track.id} is ${JSON.stringify(data.track?.title ?? null)}, expected ${JSON.stringify(track.title)}); start it on an empty store with ${env}`);
      }
    }
    return policy;
  }

  async recommend(listenerId: string, context: ListeningContext, k: number): Promise<string[]> {
    const data = await this.call<{ recommendations: { items: { targetId: string }[] } }>(RECOMMENDATIONS, {
      userId: listenerId,
      limit: k,
      context: wireContext(context),
    });
    return data.recommendations.items.map((item) => item.targetId);
  }

  async observe(events: readonly Interaction[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH).map((e) => {
        const input = toInteractionInput(e);
        return { ...input, context: wireContext(e.context) };
      });
      await this.call(RECORD, { events: batch });
    }
  }

  private async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const response = await this.fetchImpl(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) {
      throw new Error(`${this.url}: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`}`);
    }
    return body.data;
  }
}

/** A context as GraphQL variables: DateTime as an ISO string, no nulls. */
function wireContext(context: ListeningContext): Record<string, unknown> {
  const input = toContextInput(context);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== null && value !== undefined) out[key] = value;
  out.timestamp = new Date(context.timestamp).toISOString();
  return out;
}
