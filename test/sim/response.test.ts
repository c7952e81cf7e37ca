import { beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/domain/types.js';
import { Rng } from '../../src/sim/random.js';
import {
  expectedStreams,
  reachProbability,
  respondToSlate,
  RESPONSE_DEFAULTS,
  responseParams,
  type Situation,
  type SlateItem,
  skipProbability,
  streamProbability,
} from '../../src/sim/response.js';
import { SIM_START, World } from '../../src/sim/world.js';

const SITUATION: Situation = { skipiness: 1, continueProb: 0.9 };
const P = RESPONSE_DEFAULTS;

function item(track: number, appeal: number): SlateItem {
  return { track, appeal, durationMs: 200_000, familiar: false, newArtist: true };
}

describe('response model', () => {
  it('streams more of what appeals more, less further down the list', () => {
    const appeals = [-2, -1, -0.5, 0, 0.5, 1, 2];
    for (let i = 1; i < appeals.length; i++) {
      expect(skipProbability(appeals[i], SITUATION, P)).toBeLessThan(skipProbability(appeals[i - 1], SITUATION, P));
      expect(streamProbability(appeals[i], 0, SITUATION, P)).toBeGreaterThan(streamProbability(appeals[i - 1], 0, SITUATION, P));
    }
    for (let pos = 1; pos < 10; pos++) {
      expect(reachProbability(pos, SITUATION)).toBeLessThan(reachProbability(pos - 1, SITUATION));
      expect(streamProbability(0.5, pos, SITUATION, P)).toBeLessThan(streamProbability(0.5, pos - 1, SITUATION, P));
    }
    // Best first is worth more than best last.
    expect(expectedStreams([1, 0.5, 0, -0.5], SITUATION, P)).toBeGreaterThan(expectedStreams([-0.5, 0, 0.5, 1], SITUATION, P));
    // A skippier moment streams less.
    expect(streamProbability(0.5, 0, { ...SITUATION, skipiness: 1.2 }, P)).toBeLessThan(streamProbability(0.5, 0, SITUATION, P));
  });

  it('acts it out: higher appeal gets played more, later positions are reached less', () => {
    const trials = 3000;
    const streams = [0, 0];
    const reached = new Array(10).fill(0);
    for (let n = 0; n < trials; n++) {
      const slate = Array.from({ length: 10 }, (_, i) => item(i, i % 2 === 0 ? 1 : -0.5));
      for (const r of respondToSlate(slate, SITUATION, P, new Rng(5, `trial/${n}`))) {
        reached[r.position]++;
        if (r.outcome !== 'SKIP') streams[r.position % 2]++;
      }
    }
    expect(streams[0]).toBeGreaterThan(1.5 * streams[1]);
    expect(reached[0]).toBe(trials);
    for (let pos = 1; pos < 10; pos++) expect(reached[pos]).toBeLessThan(reached[pos - 1]);
  });

  it('is a pure function of its inputs and keeps the outcome rules', () => {
    const slate = Array.from({ length: 10 }, (_, i) => ({ ...item(i, 0.3 * i - 1), durationMs: 120_000 + 1000 * i }));
    const a = respondToSlate(slate, SITUATION, P, new Rng(9, 'x'));
    const b = respondToSlate(slate, SITUATION, P, new Rng(9, 'x'));
    expect(b).toEqual(a);
    a.forEach((r, i) => {
      expect(r.position).toBe(i);
      if (r.outcome === 'SKIP') expect(r.msPlayed).toBeLessThan(30_000);
      if (r.outcome === 'PLAY') expect(r.msPlayed).toBeGreaterThanOrEqual(30_000);
      if (r.outcome === 'PLAY') expect(r.msPlayed).toBeLessThan(slate[i].durationMs);
      if (r.outcome === 'COMPLETE') expect(r.msPlayed).toBe(slate[i].durationMs);
      if (i > 0) expect(r.startOffsetMs).toBeGreaterThan(a[i - 1].startOffsetMs + a[i - 1].msPlayed);
      if (r.liked || r.saved) expect(r.outcome).not.toBe('SKIP');
      if (r.disliked) expect(r.outcome).toBe('SKIP');
    });
  });

  it('takes overrides and refuses unknown parameters', () => {
    const params = responseParams({ noise: 0.2, appeal: { fatigue: 1.5 } });
    expect(params.noise).toBe(0.2);
    expect(params.appeal.fatigue).toBe(1.5);
    expect(params.appeal.taste).toBe(RESPONSE_DEFAULTS.appeal.taste);
    expect(RESPONSE_DEFAULTS.noise).toBe(0.6);
    expect(() => responseParams({ appeal: { tastee: 1 } } as never)).toThrow(/tastee/);
    expect(() => responseParams({ nosie: 1 } as never)).toThrow(/nosie/);
  });
});

describe('appeal in the world: fatigue, familiarity, novelty', () => {
  let world: World;
  beforeAll(() => {
    world = new World({ seed: 4, users: 20, artists: 80, tracks: 600, warmupDays: 3, days: 2 });
  });

  const play = (listener: number, track: number, at: number, n: number, type: Interaction['type'] = 'COMPLETE'): Interaction => ({
    eventId: `t:${listener}:${track}:${at}:${n}`,
    userId: world.listeners[listener].id,
    targetKind: 'TRACK',
    targetId: world.catalogue.tracks[track].id,
    type,
    msPlayed: 200_000,
    count: 1,
    context: { timestamp: at },
    receivedAt: at,
  });

  it('tires of repeats and recovers with time', () => {
    world.reset();
    const u = 0;
    const t = world.catalogue.tracks.findIndex((_, i) => !world.heard(u, i));
    const at = SIM_START + 3_600_000;
    const context = { timestamp: at, activity: 'RELAX' as const };
    world.apply(u, [play(u, t, at - 60_000, 0)]);
    const once = world.appeal(u, t, context);
    world.apply(u, [play(u, t, at - 50_000, 1), play(u, t, at - 40_000, 2)]);
    const thrice = world.appeal(u, t, context);
    expect(thrice).toBeLessThan(once - 0.5 * RESPONSE_DEFAULTS.appeal.fatigue);
    const m = world.moment(u, 'RELAX', at);
    expect(streamProbability(thrice, 0, m.situation, world.params)).toBeLessThan(streamProbability(once, 0, m.situation, world.params));
    const later = world.appeal(u, t, { ...context, timestamp: at + 4 * 24 * 3_600_000 });
    expect(later).toBeGreaterThan(thrice + 1.5 * RESPONSE_DEFAULTS.appeal.fatigue);
    world.reset();
    expect(world.appeal(u, t, context)).not.toBe(thrice);
  });

  it('knows what a listener has heard: familiarity and novelty change appeal by their terms', () => {
    world.reset();
    const u = 1;
    const l = world.listeners[u];
    const t = world.catalogue.tracks.findIndex((_, i) => !world.heard(u, i) && !world.knowsArtist(u, i));
    const at = SIM_START + 3_600_000;
    const context = { timestamp: at + 30 * 24 * 3_600_000, activity: 'COMMUTE' as const };
    const before = world.appeal(u, t, context);
    world.apply(u, [play(u, t, at, 0)]);
    expect(world.heard(u, t)).toBe(true);
    expect(world.knowsArtist(u, t)).toBe(true);
    const after = world.appeal(u, t, context);
    const m = world.moment(u, 'COMMUTE', context.timestamp);
    const p = world.params.appeal;
    const novelty = p.novelty * (l.openness * m.exploration - p.noveltyPivot);
    const familiar = (p.familiar * world.traits[u].familiarityBias * m.familiarity) / 0.5;
    // Fatigue has decayed away after 30 days (to ~1e-18).
    expect(after - before).toBeCloseTo(familiar - novelty, 6);
    world.reset();
  });
});
