/**
 * The policy runner: plays a world day by day against a policy. For every session of every
 * listener (in start order) it builds the context, asks the policy for a slate of k tracks,
 * lets the listener respond (response.ts), updates the listener's hidden state, feeds the
 * events back to the policy and scores the slate against the oracle's in the same moment.
 *
 * The output is a pure function of the world's configuration, the policy and k: no wall-clock
 * time enters a report, so the same seed gives byte-identical JSON.
 */
import type { Interaction } from '../domain/types.js';
import { DAY_MS } from './clock.js';
import { METRIC_DEFINITIONS, MetricsCollector, type MetricsReport } from './metrics.js';
import { createPolicy, type PolicyOptions } from './policies/index.js';
import type { Policy } from './policies/policy.js';
import { expectedStreams, type ItemResponse, type ResponseParams, respondToSlate, type SlateItem } from './response.js';
import { type Session, SIM_START, World, type WorldConfig } from './world.js';

export const DEFAULT_SLATE_SIZE = 10;

export interface RunOptions {
  /** Slate length (default 10). */
  k?: number;
  /** Event ids are `<prefix>:<n>` (default `sim:<seed>`). */
  eventPrefix?: string;
  /** Called after each simulated day with days done and the total. */
  onDay?: (done: number, total: number) => void;
}

export interface PolicyRun extends MetricsReport {
  policy: string;
}

export interface SimulationReport {
  simulation: {
    seed: number;
    users: number;
    artists: number;
    tracks: number;
    warmupDays: number;
    days: number;
    k: number;
    start: string;
    warmupEvents: number;
    sessions: number;
    response: ResponseParams;
  };
  definitions: Readonly<Record<string, string>>;
  runs: PolicyRun[];
}

/** Runs one policy over the whole simulated window, from the world's state at SIM_START. */
export async function runPolicy(world: World, policy: Policy, options: RunOptions = {}): Promise<PolicyRun> {
  world.reset();
  const k = options.k ?? DEFAULT_SLATE_SIZE;
  const prefix = options.eventPrefix ?? `sim:${world.config.seed}`;
  const params = world.params;
  const metrics = new MetricsCollector();
  const days = world.config.days;
  let eventNumber = 0;
  const nextId = () => `${prefix}:${++eventNumber}`;

  for (let day = 0; day < days; day++) {
    const date = new Date(SIM_START + day * DAY_MS).toISOString().slice(0, 10);
    for (const session of world.sessionsOfDay(day)) {
      const u = session.listener;
      const returned = await policy.recommend(session.listenerId, session.context, k);
      const slate: number[] = [];
      const seen = new Set<number>();
      let invalid = 0;
      for (const id of returned) {
        const t = world.trackIndex(id);
        if (t === undefined || seen.has(t) || slate.length >= k) {
          invalid++;
          continue;
        }
        seen.add(t);
        slate.push(t);
      }
      const { context } = session;
      const moment = world.moment(u, context.activity, context.timestamp, context.weather, context.device);
      const items: SlateItem[] = slate.map((t) => ({
        track: t,
        appeal: world.appealAt(moment, t),
        durationMs: world.catalogue.trackDurationMs[t],
        familiar: world.heard(u, t),
        newArtist: !world.knowsArtist(u, t),
      }));
      const oracleAppeals = world.topK(u, context, k).map((t) => world.appealAt(moment, t));
      const responses = respondToSlate(items, moment.situation, params, world.responseRng(session));
      const events = sessionEvents(world, session, responses, nextId);
      world.apply(u, events);
      metrics.add(
        {
          shown: k,
          invalid,
          responses,
          expectedStreams: expectedStreams(items.map((i) => i.appeal), moment.situation, params),
          oracleExpectedStreams: expectedStreams(oracleAppeals, moment.situation, params),
        },
        context,
        day,
        date,
      );
      await policy.observe(events);
    }
    await policy.endDay?.(day);
    options.onDay?.(day + 1, days);
  }
  return { policy: policy.name, ...metrics.report() };
}

/** The interactions a session's responses stand for, in time order. */
export function sessionEvents(world: World, session: Session, responses: readonly ItemResponse[], nextId: () => string): Interaction[] {
  const events: Interaction[] = [];
  const at = (ts: number) => ({ ...session.context, timestamp: ts });
  for (const r of responses) {
    const targetId = world.catalogue.tracks[r.track].id;
    const ts = session.start + r.startOffsetMs;
    const base = { userId: session.listenerId, targetKind: 'TRACK' as const, targetId, count: 1 };
    events.push({ eventId: nextId(), ...base, type: r.outcome, msPlayed: r.msPlayed, context: at(ts), receivedAt: ts });
    if (r.liked) {
      const t = ts + Math.floor(r.msPlayed * 0.6);
      events.push({ eventId: nextId(), ...base, type: 'LIKE', context: at(t), receivedAt: t });
    }
    if (r.saved || r.disliked) {
      const t = ts + r.msPlayed;
      events.push({ eventId: nextId(), ...base, type: r.saved ? 'SAVE' : 'DISLIKE', context: at(t), receivedAt: t });
    }
  }
  return events;
}

export interface SimulateOptions extends RunOptions, PolicyOptions {
  /** Called before each policy's run starts. */
  onPolicy?: (name: string) => void;
}

/** Builds the world once and runs each named policy on it from the same starting state. */
export async function simulate(config: WorldConfig, policies: readonly string[], options: SimulateOptions = {}): Promise<SimulationReport> {
  const world = new World(config);
  const runs: PolicyRun[] = [];
  for (const name of policies) {
    options.onPolicy?.(name);
    world.reset();
    const policy = await createPolicy(name, world, options);
    try {
      runs.push(await runPolicy(world, policy, options));
    } finally {
      await policy.close?.();
    }
  }
  return { simulation: describe(world, options.k ?? DEFAULT_SLATE_SIZE), definitions: METRIC_DEFINITIONS, runs };
}

export function describe(world: World, k: number): SimulationReport['simulation'] {
  const c = world.config;
  let sessions = 0;
  for (let day = 0; day < c.days; day++) sessions += world.sessionsOfDay(day).length;
  return {
    seed: c.seed,
    users: c.users,
    artists: c.artists,
    tracks: c.tracks,
    warmupDays: c.warmupDays,
    days: c.days,
    k,
    start: new Date(SIM_START).toISOString(),
    warmupEvents: world.warmupEvents().length,
    sessions,
    response: world.params,
  };
}
