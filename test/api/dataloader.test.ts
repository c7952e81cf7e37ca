import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { CreatePlaylistDocument, PlaylistDocument, RecommendationsDocument, SearchTracksDocument } from '../generated/graphql.js';
import { createTestApp, ok } from '../helpers/app.js';
import { countingStore, type StoreCall } from '../helpers/counting-store.js';
import { seedFixtures, trackId, userId } from '../helpers/fixtures.js';

describe('DataLoader batching (no N+1 store reads)', () => {
  let app: MixtapeApp;
  let calls: StoreCall[];
  beforeAll(async () => {
    const counted = countingStore(new EmbeddedStore(':memory:'));
    calls = counted.calls;
    app = await createTestApp({ store: counted.store, seed: seedFixtures });
  });
  beforeEach(() => {
    calls.length = 0;
  });
  afterAll(() => app.close());

  const summary = () => calls.map((c) => `${c.repository}.${c.method}`);

  it('reads 50 tracks and all their artists in two store calls', async () => {
    const data = await ok(app, SearchTracksDocument, { first: 50 });
    expect(data.tracks.edges).toHaveLength(50);
    expect(data.tracks.edges.every((e) => e.node.artists.length === 1)).toBe(true);
    expect(summary()).toEqual(['tracks.list', 'artists.getMany']);
    expect((calls[1].args[0] as string[]).length).toBe(20); // 50 tracks by 20 distinct artists, each asked once
  });

  it("reads a 50-track playlist's tracks and artists in one batch each", async () => {
    const trackIds = Array.from({ length: 50 }, (_, i) => trackId(i * 3));
    const created = await ok(app, CreatePlaylistDocument, { input: { ownerId: userId(1), name: 'Fifty', trackIds } });
    calls.length = 0;
    const data = await ok(app, PlaylistDocument, { id: created.createPlaylist.id });
    expect(data.playlist?.tracks.map((t) => t.id)).toEqual(trackIds);
    expect(summary().sort()).toEqual(['playlists.getMany', 'tracks.getMany', 'users.getMany']);
  });

  it('loads the tracks and artists of a recommendation list in one batch each', async () => {
    const data = await ok(app, RecommendationsDocument, { userId: userId(2), limit: 30 });
    expect(data.recommendations.items).toHaveLength(30);
    const tracksReads = calls.filter((c) => c.repository === 'tracks' && c.method === 'getMany');
    const artistReads = calls.filter((c) => c.repository === 'artists' && c.method === 'getMany');
    // The pipeline takes artists, albums and tags from its catalogue snapshot, not the store:
    // the only track read is the list's own 30 tracks (the `track` fields), and their artists
    // come in one more read.
    expect(tracksReads).toHaveLength(1);
    expect(new Set(tracksReads[0].args[0] as string[])).toEqual(new Set(data.recommendations.items.map((i) => i.targetId)));
    expect(artistReads).toHaveLength(1);
    // The listener's and friends' histories are cached across requests: a second request for the
    // same listener reads no history at all.
    calls.length = 0;
    await ok(app, RecommendationsDocument, { userId: userId(2), limit: 30 });
    expect(calls.filter((c) => c.repository === 'interactions')).toEqual([]);
  });
});
