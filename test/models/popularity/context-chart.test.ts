/**
 * The embedded popularity model answers most requests by walking a context's blended chart
 * past what the listener heard; a listener who heard most of a chart's head takes the
 * per-request path. Both must give the true blended order.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Interaction } from '../../../src/domain/types.js';
import { ContextPopularity } from '../../../src/models/popularity/context-popularity.js';

const MONDAY_MORNING = Date.UTC(2026, 10, 2, 8);
const ITEMS = 1500;
const id = (i: number) => `t${String(i).padStart(4, '0')}`;

/** Track i is played ITEMS − i times on mobile; the last 100 tracks are also big in the car. */
function events(): Interaction[] {
  const out: Interaction[] = [];
  const play = (i: number, count: number, device: 'MOBILE' | 'CAR') => out.push({
    eventId: `e${out.length}`, userId: 'u', targetKind: 'TRACK', targetId: id(i), type: 'PLAY', count,
    context: { timestamp: MONDAY_MORNING, timezone: 'UTC', device }, receivedAt: MONDAY_MORNING,
  });
  for (let i = 0; i < ITEMS; i++) play(i, ITEMS - i, 'MOBILE');
  for (let i = ITEMS - 100; i < ITEMS; i++) play(i, 3000, 'CAR');
  return out;
}

async function model(): Promise<ContextPopularity> {
  const popularity = new ContextPopularity(async (ids) => ids.map(() => []));
  await popularity.observe(events());
  return popularity;
}

const context = (device: 'MOBILE' | 'CAR') => ({ timestamp: MONDAY_MORNING, timezone: 'UTC', device });

describe('context charts', () => {
  it('gives a light listener the blended top of everything they have not heard', async () => {
    const popularity = await model();
    // Limit above the chart's depth: the per-request path, reading every chart to the end.
    const everything = await popularity.rank('TRACK', context('CAR'), ITEMS, new Set());
    expect(everything).toHaveLength(ITEMS);
    const heard = new Set([id(3), id(ITEMS - 1), id(500)]);
    const ranked = await popularity.rank('TRACK', context('CAR'), 100, heard);
    expect(ranked.map((c) => c.id)).toEqual(everything.filter((c) => !heard.has(c.id)).slice(0, 100).map((c) => c.id));
    // The car's own hits lead in the car, named by their segment.
    expect(ranked.slice(0, 10).map((c) => c.id)).toEqual(Array.from({ length: 10 }, (_, n) => id(ITEMS - 100 + n)));
    expect(ranked[0].strongestSegment).toBe('device:CAR');
    // Another listener in the same context walks the same chart.
    const other = await popularity.rank('TRACK', context('CAR'), 100, new Set());
    expect(other.filter((c) => !heard.has(c.id)).slice(0, 97)).toEqual(ranked.slice(0, 97));
  });

  it('still fills the list for a listener who heard most of a chart head', async () => {
    const popularity = await model();
    const everything = await popularity.rank('TRACK', context('MOBILE'), ITEMS, new Set());
    const heard = new Set(everything.slice(0, 1200).map((c) => c.id));
    const ranked = await popularity.rank('TRACK', context('MOBILE'), 50, heard);
    expect(ranked.map((c) => c.id)).toEqual(everything.slice(1200, 1250).map((c) => c.id));
  });

  it('follows new counts', async () => {
    const popularity = await model();
    const before = await popularity.rank('TRACK', context('MOBILE'), 5, new Set());
    expect(before[0].id).toBe(id(ITEMS - 100));
    await popularity.observe([{
      eventId: 'late', userId: 'v', targetKind: 'TRACK', targetId: id(42), type: 'PLAY', count: 100_000,
      context: { timestamp: MONDAY_MORNING, timezone: 'UTC', device: 'MOBILE' }, receivedAt: MONDAY_MORNING,
    }]);
    // A context's blended chart may be up to CONTEXT_CHART_REFRESH_MS (10 s) stale while events
    // arrive; the per-request path (a limit beyond the blended chart) reads the current counts.
    const stale = await popularity.rank('TRACK', context('MOBILE'), 5, new Set());
    expect(stale[0].id).toBe(id(ITEMS - 100));
    const deep = await popularity.rank('TRACK', context('MOBILE'), ITEMS, new Set());
    expect(deep[0].id).toBe(id(42));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10_001);
      const after = await popularity.rank('TRACK', context('MOBILE'), 5, new Set());
      expect(after[0].id).toBe(id(42));
    } finally {
      vi.useRealTimers();
    }
  });

  it('rebuilds stale context charts one at a time, serving the stale one meanwhile', async () => {
    const popularity = await model();
    // Two contexts with charts of their own: Monday morning and Monday evening on mobile.
    const evening = { ...context('MOBILE'), timestamp: MONDAY_MORNING + 11 * 3_600_000 };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.now();
      vi.setSystemTime(start);
      expect((await popularity.rank('TRACK', context('MOBILE'), 1, new Set()))[0].id).toBe(id(ITEMS - 100));
      expect((await popularity.rank('TRACK', evening, 1, new Set()))[0].id).toBe(id(ITEMS - 100));
      await popularity.observe([{
        eventId: 'late', userId: 'v', targetKind: 'TRACK', targetId: id(42), type: 'PLAY', count: 100_000,
        context: { timestamp: MONDAY_MORNING, timezone: 'UTC', device: 'MOBILE' }, receivedAt: MONDAY_MORNING,
      }]);
      vi.setSystemTime(start + 10_001);
      // Both charts are stale: the first asked for is rebuilt, the other waits its turn.
      expect((await popularity.rank('TRACK', context('MOBILE'), 1, new Set()))[0].id).toBe(id(42));
      expect((await popularity.rank('TRACK', evening, 1, new Set()))[0].id).toBe(id(ITEMS - 100));
      vi.setSystemTime(start + 10_001 + 100);
      expect((await popularity.rank('TRACK', evening, 1, new Set()))[0].id).toBe(id(42));
    } finally {
      vi.useRealTimers();
    }
  });
});
