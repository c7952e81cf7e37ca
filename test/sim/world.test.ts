import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITIES } from '../../src/domain/types.js';
import { ENERGY, STYLE_SIZE } from '../../src/sim/catalogue.js';
import { SIM_START, topIndices, World } from '../../src/sim/world.js';

const DAY_MS = 86_400_000;

describe('World', () => {
  let world: World;
  beforeAll(() => {
    world = new World({ seed: 3, users: 60, artists: 150, tracks: 1200, warmupDays: 4, days: 7 });
  });

  it('schedules sessions by routine in local time, after the start, the same every time', () => {
    const local = new Map<string, Intl.DateTimeFormat>();
    let commutes = 0;
    for (let day = 0; day < 7; day++) {
      const sessions = world.sessionsOfDay(day);
      expect(sessions.length).toBeGreaterThan(20);
      for (let i = 1; i < sessions.length; i++) expect(sessions[i].start).toBeGreaterThanOrEqual(sessions[i - 1].start);
      for (const s of sessions) {
        expect(s.start).toBeGreaterThanOrEqual(SIM_START);
        expect(s.start).toBeLessThan(SIM_START + (day + 2) * DAY_MS);
        expect(s.context.timezone).toBe(world.listeners[s.listener].timezone);
        if (s.context.activity !== 'COMMUTE') continue;
        commutes++;
        let f = local.get(s.context.timezone);
        if (!f) local.set(s.context.timezone, (f = new Intl.DateTimeFormat('en-US', { timeZone: s.context.timezone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' })));
        const parts = f.formatToParts(s.start);
        const hour = Number(parts.find((p) => p.type === 'hour')!.value);
        const weekday = parts.find((p) => p.type === 'weekday')!.value;
        expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(weekday);
        expect((hour >= 6 && hour < 10) || (hour >= 15 && hour < 21)).toBe(true);
      }
    }
    expect(commutes).toBeGreaterThan(20);
    const again = new World(world.config);
    expect(JSON.stringify(again.sessionsOfDay(2))).toBe(JSON.stringify(world.sessionsOfDay(2)));
  });

  it('exposes the hidden truth consistently: single, bulk, top-k and the no-context average', () => {
    world.reset();
    const scratch = new Float64Array(world.trackCount);
    for (const u of [0, 7, 19]) {
      const context = { timestamp: SIM_START + DAY_MS, activity: 'WORKOUT' as const, weather: 'RAIN' as const };
      const all = world.appealAllIn(u, context, scratch).slice();
      for (const t of [0, 5, 111, world.trackCount - 1]) expect(world.appeal(u, t, context)).toBeCloseTo(all[t], 9);
      expect(world.appeal(world.listeners[u].id, world.catalogue.tracks[5].id, context)).toBeCloseTo(all[5], 9);
      const top = world.topK(u, context, 10);
      const brute = Array.from(all.keys()).sort((a, b) => all[b] - all[a] || a - b).slice(0, 10);
      expect(top).toEqual(brute);
      // Without an activity: the listener's routine mix of contexts.
      const mix = world.traits[u].contextMix;
      const t = 42;
      let expected = 0;
      ACTIVITIES.forEach((activity, a) => {
        if (mix[a] > 0) expected += mix[a] * world.appeal(u, t, { timestamp: context.timestamp, activity });
      });
      expect(world.appeal(u, t, { timestamp: context.timestamp })).toBeCloseTo(expected, 9);
      expect(mix.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    }
  });

  it('wants energetic music on commutes and calm music at bedtime', () => {
    world.reset();
    let higher = 0;
    const meanEnergy = (tracks: number[]) => tracks.reduce((s, t) => s + world.catalogue.trackStyle[t * STYLE_SIZE + ENERGY], 0) / tracks.length;
    for (let u = 0; u < world.listeners.length; u++) {
      const at = SIM_START + 3 * DAY_MS;
      const commute = world.topK(u, { timestamp: at, activity: 'COMMUTE' }, 20);
      const sleep = world.topK(u, { timestamp: at, activity: 'SLEEP' }, 20);
      if (meanEnergy(commute) > meanEnergy(sleep) + 0.1) higher++;
    }
    expect(higher / world.listeners.length).toBeGreaterThan(0.9);
  });

  it('topIndices picks the largest values, ties by index', () => {
    expect(topIndices([1, 5, 3, 5, 2], 3)).toEqual([1, 3, 2]);
    expect(topIndices([1, 2], 5)).toEqual([1, 0]);
    expect(topIndices([], 3)).toEqual([]);
  });
});
