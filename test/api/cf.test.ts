import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { silentProgress } from '../../src/lib/progress.js';
import {
  ActivateModelVersionDocument, ModelVersionsDocument, RecommendationDebugDocument, RecommendationsDocument, RecordInteractionsDocument, RollbackModelDocument,
  SimilarArtistsDocument, SimilarTracksDocument, SimilarTrioDocument,
} from '../generated/graphql.js';
import { admin, codes, createTestApp, listener, ok, run } from '../helpers/app.js';
import { blockArtist, blockTrack, blockUser, genreOfId, seedBlocks } from '../helpers/blocks.js';

describe('collaborative filtering in the API', () => {
  let app: MixtapeApp;
  beforeAll(async () => {
    app = await createTestApp({ seed: seedBlocks, env: { TRAIN_ON_START: 'true', ANN_INDEX: 'usearch' } });
  });
  afterAll(() => app.close());

  it('trains a track and an artist model at start-up and serves them', async () => {
    for (const model of ['cf:TRACK', 'cf:ARTIST']) {
      const { modelVersions } = await ok(app, ModelVersionsDocument, { model });
      expect(modelVersions).toHaveLength(1);
      expect(modelVersions[0].active).toBe(true);
      const metric = (name: string) => modelVersions[0].metrics.find((m) => m.name === name)?.value ?? 0;
      expect(metric('ndcg@10')).toBeGreaterThan(metric('popularity.ndcg@10'));
      expect(modelVersions[0].dataWindow?.interactions).toBe(5 * 24 * 20);
    }
  });

  it("recommends unplayed tracks from the listener's own taste, explained by a track they played", async () => {
    const data = await ok(app, RecommendationsDocument, { userId: blockUser(2, 3), limit: 10 });
    const { items, sources } = data.recommendations;
    expect(sources[0]).toMatchObject({ name: 'cf', state: 'OK' });
    expect(sources[0].modelVersion).toMatch(/^cf-track-/);
    expect(items).toHaveLength(10);
    const played = new Set((await app.store.interactions.allOfUser(blockUser(2, 3))).map((e) => e.targetId));
    let inGenre = 0;
    for (const item of items) {
      expect(played.has(item.targetId)).toBe(false);
      inGenre += genreOfId(item.targetId) === 2 ? 1 : 0;
      // The strongest reason is the listener's taste: CF, or a neighbour of a recent play.
      expect(['cf', 'item-to-item']).toContain(item.sources[0].name);
      expect(item.explanation).toMatch(
        item.sources[0].name === 'cf' ? /^Listeners of techno song \d\.\d also play this$/ : /^Because you played techno song \d\.\d$/,
      );
    }
    // At most two tracks per artist reaches below the very top of the CF list.
    expect(inGenre).toBeGreaterThanOrEqual(8);
  });

  it('recommends artists for a track listener from the artist model', async () => {
    const data = await ok(app, RecommendationsDocument, { userId: blockUser(4, 1), limit: 3, target: 'ARTIST' });
    expect(data.recommendations.sources[0].modelVersion).toMatch(/^cf-artist-/);
    for (const item of data.recommendations.items) expect(item.sources.map((s) => s.name)).toContain('cf');
  });

  it('folds in a brand-new listener: five plays, and the next query reflects them', async () => {
    const newcomer = 'fresh-jazz-fan';
    const plays = [0, 1, 2, 3, 4].map((a) => ({
      eventId: `fresh-${a}`, userId: newcomer, trackId: blockTrack(1, a, 0), type: 'COMPLETE' as const, msPlayed: 200_000,
    }));
    await ok(app, RecordInteractionsDocument, { events: plays }, listener(newcomer));
    const data = await ok(app, RecommendationsDocument, { userId: newcomer, limit: 10 }, listener(newcomer));
    const items = data.recommendations.items;
    expect(items.every((i) => ['cf', 'item-to-item'].includes(i.sources[0].name))).toBe(true);
    expect(items.filter((i) => genreOfId(i.targetId) === 1).length).toBeGreaterThanOrEqual(9);
    expect(items.map((i) => i.targetId)).not.toContain(blockTrack(1, 0, 0));
  });

  it('finds similar tracks and artists in the same block', async () => {
    const tracks = await ok(app, SimilarTracksDocument, { id: blockTrack(3, 2, 5), limit: 8 });
    expect(tracks.similarTracks.items).toHaveLength(8);
    expect(tracks.similarTracks.items.map((i) => i.targetId)).not.toContain(blockTrack(3, 2, 5));
    expect(tracks.similarTracks.items.filter((i) => genreOfId(i.targetId) === 3).length).toBeGreaterThanOrEqual(7);
    expect(tracks.similarTracks.items[0].explanation).toBe('Listeners of folk song 2.5 also play this');
    const artists = await ok(app, SimilarArtistsDocument, { id: blockArtist(0, 0), limit: 5 });
    expect(artists.similarArtists.items.map((i) => genreOfId(i.targetId))).toEqual([0, 0, 0, 0, 0]);
    expect(codes(await run(app, SimilarTracksDocument, { id: 'nope' }))).toEqual(['NOT_FOUND']);
  });

  it('runs every ANN lookup of one request as one batched search', async () => {
    const context = app.contextAs(admin);
    const response = await app.apollo.executeOperation(
      { query: SimilarTrioDocument, variables: { a: blockTrack(0, 0, 0), b: blockTrack(1, 1, 1), c: blockTrack(2, 2, 2) } },
      { contextValue: context },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();
    expect(context.loaders.annStats).toEqual({ searches: 1, queries: 3, batches: ['TRACK:similar'] });
  });

  it('sends all ANN lookups of a recommendation request to USearch as one batched search per index', async () => {
    const context = app.contextAs(admin);
    const response = await app.apollo.executeOperation(
      { query: RecommendationsDocument, variables: { userId: blockUser(3, 4), limit: 20 } },
      { contextValue: context },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();
    const { annStats } = context.loaders;
    // The CF source's user vector, and one similar-items query per recent play (five by default).
    expect([...annStats.batches].sort()).toEqual(['TRACK:similar', 'TRACK:user']);
    expect(annStats.queries).toBe(1 + 5);
  });

  it('trains a learned ranker next to the track model, reports it against CF alone, and serves with it', async () => {
    const { modelVersions } = await ok(app, ModelVersionsDocument, { model: 'cf:TRACK' });
    const metric = (name: string) => modelVersions[0].metrics.find((m) => m.name === name)?.value;
    for (const name of ['ranker.ndcg@10', 'ranker.cf.ndcg@10', 'ranker.blend.ndcg@10']) {
      expect(metric(name)).toBeGreaterThan(0);
      expect(metric(name)).toBeLessThanOrEqual(1);
    }
    expect(metric('ranker.users')).toBeGreaterThanOrEqual(5);
    expect(metric('ranker.trees')).toBeGreaterThan(0);
    const used = metric('ranker.used') === 1;
    const someItem = blockTrack(3, 1, 1);
    const data = await ok(app, RecommendationDebugDocument, { userId: blockUser(3, 4), limit: 5, itemId: someItem });
    expect(data.recommendations.debug?.ranker).toBe(used ? `lambdamart (${modelVersions[0].id})` : 'weighted-blend');
  });

  it('rolls back to the previous version and activates any version, admin only', async () => {
    const second = await app.services.training.trainCf('TRACK', silentProgress, { params: { factors: 16 } });
    let versions = (await ok(app, ModelVersionsDocument, { model: 'cf:TRACK' })).modelVersions;
    expect(versions.map((v) => [v.id, v.active])).toEqual([[second.id, true], [versions[1].id, false]]);
    expect(JSON.parse(versions[0].params)).toMatchObject({ factors: 16, kind: 'TRACK' });

    expect(codes(await run(app, RollbackModelDocument, { model: 'cf:TRACK' }, listener(blockUser(0, 0))))).toEqual(['FORBIDDEN']);
    const rolled = await ok(app, RollbackModelDocument, { model: 'cf:TRACK' });
    expect(rolled.rollbackModel).toEqual({ id: versions[1].id, active: true });
    const served = await ok(app, RecommendationsDocument, { userId: blockUser(0, 0), limit: 1 });
    expect(served.recommendations.sources[0].modelVersion).toBe(versions[1].id);
    expect(codes(await run(app, RollbackModelDocument, { model: 'cf:TRACK' }))).toEqual(['BAD_USER_INPUT']);

    await ok(app, ActivateModelVersionDocument, { id: second.id });
    versions = (await ok(app, ModelVersionsDocument, { model: 'cf:TRACK' })).modelVersions;
    expect(versions[0]).toMatchObject({ id: second.id, active: true });
    const again = await ok(app, RecommendationsDocument, { userId: blockUser(0, 0), limit: 1 });
    expect(again.recommendations.sources[0].modelVersion).toBe(second.id);
    expect(codes(await run(app, ActivateModelVersionDocument, { id: 'no-such-version' }))).toEqual(['NOT_FOUND']);
  });
});
