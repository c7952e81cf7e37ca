import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { ArtistDocument, SearchArtistsDocument, SearchTracksDocument, TrackDocument, UpsertArtistsDocument, UpsertTracksDocument } from '../generated/graphql.js';
import { codes, createTestApp, listener, ok, run } from '../helpers/app.js';
import { artistId, seedFixtures, trackId } from '../helpers/fixtures.js';

describe('catalogue', () => {
  let app: MixtapeApp;
  beforeAll(async () => {
    app = await createTestApp({ seed: seedFixtures });
  });
  afterAll(() => app.close());

  it('reads a track with its artists and audio features', async () => {
    const data = await ok(app, TrackDocument, { id: trackId(7) });
    expect(data.track).toMatchObject({ id: trackId(7), title: 'Song 7', releaseDate: '2007-06-01', artists: [{ id: artistId(7) }] });
    expect(data.track?.audioFeatures?.energy).toBeCloseTo(0.9); // artist 7 plays techno
  });

  it('answers an unknown id with NOT_FOUND and the id in the message', async () => {
    const result = await run(app, TrackDocument, { id: 'nope' });
    expect(codes(result)).toEqual(['NOT_FOUND']);
    expect(result.errors?.[0].message).toBe('Track "nope" does not exist');
    expect(result.data?.track).toBeNull();
  });

  it('pages through search results without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    for (let page = 0; page < 10; page++) {
      const data = await ok(app, SearchTracksDocument, { filter: { genre: 'jazz' }, first: 7, after });
      seen.push(...data.tracks.edges.map((e) => e.node.id));
      after = data.tracks.pageInfo.endCursor;
      if (!data.tracks.pageInfo.hasNextPage) break;
    }
    // jazz is artists 1, 6, 11, 16 → tracks whose index ≡ 1 (mod 5) among 200.
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
    expect(seen).toEqual([...seen].sort());
  });

  it('searches by words of title, album and artist name, with filters', async () => {
    const data = await ok(app, SearchTracksDocument, { search: 'song 12', first: 50 });
    expect(data.tracks.edges.map((e) => e.node.id)).toContain(trackId(12));
    expect(data.tracks.edges.map((e) => e.node.id)).not.toContain(trackId(5));
    const byArtist = await ok(app, SearchTracksDocument, { search: 'artist 3 folk', filter: { releasedFrom: '2010', releasedTo: '2015' }, first: 50 });
    for (const { node } of byArtist.tracks.edges) {
      // Every word must occur somewhere in title, album or artist ("3" also matches "Song 138").
      expect(node.artists[0].genres).toEqual(['folk']);
      expect(node.releaseDate! >= '2010' && node.releaseDate! <= '2015-12-31').toBe(true);
    }
    expect(byArtist.tracks.edges.map((e) => e.node.artists[0].id)).toContain(artistId(3));
    const artists = await ok(app, SearchArtistsDocument, { search: 'TECHNO' });
    expect(artists.artists.edges.map((e) => e.node.id)).toEqual([2, 7, 12, 17].map(artistId));
  });

  it("lists an artist's tracks", async () => {
    const data = await ok(app, ArtistDocument, { id: artistId(4), first: 3 });
    expect(data.artist?.tracks.edges.map((e) => e.node.id)).toEqual([trackId(4), trackId(24), trackId(44)]);
    expect(data.artist?.tracks.pageInfo.hasNextPage).toBe(true);
  });

  it('rejects malformed filters', async () => {
    const result = await run(app, SearchTracksDocument, { filter: { releasedFrom: 'last year' } });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].message).toContain('filter.releasedFrom');
  });

  it('upserts artists and tracks for admins only, checking artists exist', async () => {
    expect(codes(await run(app, UpsertArtistsDocument, { artists: [{ id: 'new-artist', name: 'Nova' }] }, listener('usr-001')))).toEqual(['FORBIDDEN']);
    await ok(app, UpsertArtistsDocument, { artists: [{ id: 'new-artist', name: 'Nova', genres: ['synthwave'] }] });
    const created = await ok(app, UpsertTracksDocument, {
      tracks: [{ id: 'new-track', title: 'Aurora', artistIds: ['new-artist'], releaseDate: '2026-01-15', audioFeatures: { energy: 0.8, tempo: 118 } }],
    });
    expect(created.upsertTracks).toEqual({ upserted: 1, ids: ['new-track'] });
    const found = await ok(app, SearchTracksDocument, { search: 'nova aurora' });
    expect(found.tracks.edges.map((e) => e.node.id)).toEqual(['new-track']);

    const unknownArtist = await run(app, UpsertTracksDocument, { tracks: [{ id: 'x-track', title: 'X', artistIds: ['ghost'] }] });
    expect(codes(unknownArtist)).toEqual(['NOT_FOUND']);
    const invalid = await run(app, UpsertTracksDocument, { tracks: [{ id: 'bad id!', title: '', artistIds: [], audioFeatures: { energy: 7 } }] });
    expect(codes(invalid)).toEqual(['BAD_USER_INPUT']);
    expect((invalid.errors?.[0].extensions?.problems as unknown[]).length).toBe(4);
    const [ghost] = await app.store.tracks.getMany(['x-track']);
    expect(ghost).toBeUndefined();
  });
});
