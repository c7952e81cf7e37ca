import { describe, expect, it } from 'vitest';
import type { Device, Interaction, Track } from '../../src/domain/types.js';
import { ContextPopularity, type PopularityModel } from '../../src/models/popularity/context-popularity.js';
import { CatalogueIndex } from '../../src/pipeline/catalogue-index.js';
import { ItemStats, pipelineSettings, type PipelineRequest, type SourceInput, userProfile } from '../../src/pipeline/index.js';
import { PopularSource } from '../../src/pipeline/sources/popular.js';
import { NOW } from './world.js';

/**
 * 3,000 tracks with a long-tailed play count each (deeper than the shared context chart, so that
 * listeners who heard most of its head take `rank`'s per-request path), plus popular ids the
 * catalogue snapshot does not hold yet.
 */
const TRACKS = 3000;
const id = (t: number) => `ps-t${t}`;
const tracks: Track[] = Array.from({ length: TRACKS }, (_, t) => ({
  id: id(t), title: `Track ${t}`, artistIds: [`ps-a${t % 300}`], album: `Album ${t}`, releaseDate: '2020-01-01', genres: [], tags: [],
  popularity: 50, searchText: `track ${t}`, source: 'test',
}));
const catalogue = CatalogueIndex.ofTracks(tracks);
const trackArtists = (trackId: string) => catalogue.artistIdsOf(trackId);
const DEVICES = ['MOBILE', 'CAR', 'SPEAKER'] as const;

function play(userId: string, targetId: string, n: number, count = 1): Interaction {
  const timestamp = NOW - (n % 500) * 3_600_000;
  return {
    eventId: `ps-${userId}-${n}`, userId, targetKind: 'TRACK', targetId, type: n % 17 === 0 ? 'SKIP' : 'PLAY', count, msPlayed: 180_000,
    context: { timestamp, timezone: 'UTC', device: DEVICES[n % 3] }, receivedAt: timestamp,
  };
}

async function popularity(): Promise<ContextPopularity> {
  const model = new ContextPopularity(async (ids) => ids.map(trackArtists));
  const events: Interaction[] = [];
  for (let t = 0; t < TRACKS; t++) events.push(play('crowd', id(t), t, 1 + Math.floor(3000 / (1 + t))));
  // Popular, but not in the snapshot: `rank` counts them against the limit, the source drops them.
  for (let u = 0; u < 5; u++) events.push(play('crowd', `ps-unknown-${u}`, u, 400));
  await model.observe(events);
  return model;
}

function input(model: PopularityModel, heard: readonly string[], device: Device, cap: number): SourceInput {
  const history = heard.map((trackId, n) => play('listener', trackId, n));
  const request: PipelineRequest = {
    kind: 'TRACK', userId: 'listener', context: { timestamp: NOW, timezone: 'UTC', device }, history, depth: 30,
    ann: async () => [], friends: async () => [],
  };
  return {
    request, models: { catalogue, trackArtists, popularity: model, itemStats: new ItemStats(async (ids) => ids.map(trackArtists)) },
    profile: userProfile(history, catalogue, trackArtists), settings: pipelineSettings(), cap,
  };
}

describe('popular-in-context source', () => {
  it("walks the model's shared chart by item numbers to exactly what the model's rank gives, for light and heavy listeners", async () => {
    const model = await popularity();
    // The same model without the fast path: every request through `rank`.
    const rankOnly: PopularityModel = { observe: (events) => model.observe(events), rank: (...args) => model.rank(...args) };
    const source = new PopularSource();
    const listeners: string[][] = [
      [],
      [id(0), id(1), id(5), 'ps-unknown-0', 'ps-not-anywhere'],
      Array.from({ length: 400 }, (_, k) => id(3 * k)),
      // Heard nearly all of the chart's head: the shared chart runs out, `rank` goes deeper.
      Array.from({ length: 1100 }, (_, k) => id(k)),
    ];
    let deep = 0;
    for (const heard of listeners) {
      for (const device of ['MOBILE', 'CAR', 'WEB'] as const) {
        for (const cap of [1, 100, 250]) {
          const fast = await source.generate(input(model, heard, device, cap));
          const reference = await source.generate(input(rankOnly, heard, device, cap));
          expect(Array.from(fast.items)).toEqual(Array.from(reference.items));
          expect(Array.from(fast.scores)).toEqual(Array.from(reference.scores));
          for (let p = 0; p < fast.items.length; p++) expect(fast.reason(p)).toBe(reference.reason(p));
          const heardSet = new Set(heard);
          expect(Array.from(fast.items, (item) => catalogue.ids[item]).some((trackId) => heardSet.has(trackId))).toBe(false);
          const shared = model.sharedChart('TRACK', input(model, heard, device, cap).request.context);
          if (shared.cut && heard.length > 1000) deep++;
        }
      }
    }
    expect(deep).toBeGreaterThan(0);
  });
});
