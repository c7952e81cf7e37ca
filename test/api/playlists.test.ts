import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import {
  AddTracksToPlaylistDocument, CreatePlaylistDocument, DeletePlaylistDocument, PlaylistDocument, RemoveTracksFromPlaylistDocument,
  RenamePlaylistDocument, ReorderPlaylistDocument, UserPlaylistsDocument,
} from '../generated/graphql.js';
import { codes, createTestApp, listener, ok, run } from '../helpers/app.js';
import { seedFixtures, trackId, userId } from '../helpers/fixtures.js';

describe('playlists', () => {
  let app: MixtapeApp;
  const owner = listener(userId(1));
  beforeAll(async () => {
    app = await createTestApp({ seed: seedFixtures });
  });
  afterAll(() => app.close());

  async function create(name: string, tracks: number[]) {
    const data = await ok(app, CreatePlaylistDocument, { input: { ownerId: userId(1), name, trackIds: tracks.map(trackId) } }, owner);
    return data.createPlaylist;
  }

  it('creates, renames, adds, removes, reorders and deletes, bumping the revision each time', async () => {
    const created = await create('Morning', [0, 1, 2]);
    expect(created).toMatchObject({ name: 'Morning', kind: 'USER', revision: 1, trackCount: 3, owner: { id: userId(1) } });

    const renamed = await ok(app, RenamePlaylistDocument, { id: created.id, name: 'Morning run', description: 'fast', expectedRevision: 1 }, owner);
    expect(renamed.renamePlaylist).toMatchObject({ name: 'Morning run', description: 'fast', revision: 2 });

    const added = await ok(app, AddTracksToPlaylistDocument, { id: created.id, trackIds: [trackId(9), trackId(8)], position: 1 }, owner);
    expect(added.addTracksToPlaylist.tracks.map((t) => t.id)).toEqual([0, 9, 8, 1, 2].map(trackId));

    const reordered = await ok(app, ReorderPlaylistDocument, { id: created.id, rangeStart: 1, rangeLength: 2, insertBefore: 5 }, owner);
    expect(reordered.reorderPlaylist.tracks.map((t) => t.id)).toEqual([0, 1, 2, 9, 8].map(trackId));
    const toFront = await ok(app, ReorderPlaylistDocument, { id: created.id, rangeStart: 4, insertBefore: 0 }, owner);
    expect(toFront.reorderPlaylist.tracks.map((t) => t.id)).toEqual([8, 0, 1, 2, 9].map(trackId));

    const removed = await ok(app, RemoveTracksFromPlaylistDocument, { id: created.id, trackIds: [trackId(0), trackId(9)] }, owner);
    expect(removed.removeTracksFromPlaylist).toMatchObject({ revision: 6, trackCount: 3 });

    expect((await ok(app, DeletePlaylistDocument, { id: created.id }, owner)).deletePlaylist).toBe(true);
    expect(codes(await run(app, PlaylistDocument, { id: created.id }))).toEqual(['NOT_FOUND']);
  });

  it('reports a stale revision as CONFLICT and keeps the newer change', async () => {
    const created = await create('Shared', [3]);
    await ok(app, RenamePlaylistDocument, { id: created.id, name: 'First edit', expectedRevision: 1 }, owner);
    const stale = await run(app, RenamePlaylistDocument, { id: created.id, name: 'Second edit', expectedRevision: 1 }, owner);
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect((await ok(app, PlaylistDocument, { id: created.id })).playlist?.name).toBe('First edit');
  });

  it('refuses edits by others, unknown tracks, and positions out of range', async () => {
    const created = await create('Mine', [1, 2]);
    expect(codes(await run(app, RenamePlaylistDocument, { id: created.id, name: 'Stolen' }, listener(userId(2))))).toEqual(['FORBIDDEN']);
    expect(codes(await run(app, AddTracksToPlaylistDocument, { id: created.id, trackIds: ['ghost'] }, owner))).toEqual(['NOT_FOUND']);
    expect(codes(await run(app, AddTracksToPlaylistDocument, { id: created.id, trackIds: [trackId(5)], position: 9 }, owner))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(app, ReorderPlaylistDocument, { id: created.id, rangeStart: 1, rangeLength: 5, insertBefore: 0 }, owner))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await run(app, CreatePlaylistDocument, { input: { ownerId: userId(1), name: '   ' } }, owner))).toEqual(['BAD_USER_INPUT']);
    expect((await ok(app, PlaylistDocument, { id: created.id })).playlist).toMatchObject({ name: 'Mine', revision: 1, trackCount: 2 });
  });

  it("pages a user's playlists newest first", async () => {
    const user = userId(9);
    for (let i = 0; i < 5; i++) {
      await ok(app, CreatePlaylistDocument, { input: { ownerId: user, name: `List ${i}` } });
      await new Promise((r) => setTimeout(r, 2));
    }
    const first = await ok(app, UserPlaylistsDocument, { userId: user, first: 3 });
    expect(first.user?.playlists.edges.map((e) => e.node.name)).toEqual(['List 4', 'List 3', 'List 2']);
    const rest = await ok(app, UserPlaylistsDocument, { userId: user, first: 3, after: first.user?.playlists.pageInfo.endCursor });
    expect(rest.user?.playlists.edges.map((e) => e.node.name)).toEqual(['List 1', 'List 0']);
    expect(rest.user?.playlists.pageInfo.hasNextPage).toBe(false);
  });
});
