import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spotifyArtistId } from '../../src/importers/shared.js';
import { importSpotifyFeatures } from '../../src/importers/spotify-features.js';
import { importSpotifyHistory } from '../../src/importers/spotify-history.js';
import { silentProgress } from '../../src/lib/progress.js';
import { EMPTY_COUNTS, formatError, memoryStore, storeCounts, tmpDir, writeFiles } from './fixtures.js';

// The layout of the shared copy: release_year and duration_min, no key/mode.
const PREPARED = [
  '"track_id","track_name","track_artist","track_popularity","track_album_name","release_year","playlist_genre","playlist_subgenre","danceability","energy","speechiness","acousticness","instrumentalness","liveness","valence","tempo","loudness","duration_min"',
  '"6RewYu2hTmEuiSRSGUTPH5","Over And Over","Sylvester",0,"Sylvester",1977,"edm","progressive electro house",0.481,0.632,0.0342,0.0108,0.000602,0.11,0.937,131.418,-8.17,7.03555',
  '"2mCLc4lZjbpcpXgNBrC5lY","It Looks Like Love","Goody Goody",41,"Goody Goody",1978,"edm","progressive electro house",0.883,0.333,0.053,0.00799,0.804,0.257,0.964,121.099,-17.848,6.5',
  '"6RewYu2hTmEuiSRSGUTPH5","Over And Over","Sylvester",0,"Sylvester",1977,"pop","dance pop",0.481,0.632,0.0342,0.0108,0.000602,0.11,0.937,131.418,-8.17,7.03555',
  '"0017A6SJgTbfQVU2EtsPNo","Pangarap","Barbie\'s Cradle",41,"Trip",2001,"rock","classic rock",0.682,0.401,0.0236,0.279,0.0117,0.0887,0.566,97.091,-10.068,3.924',
  '"1aaaaaaaaaaaaaaaaaaaaa","Another One","SYLVESTER",10,"Other",1980,"edm","progressive electro house",0.5,0.5,0.05,0.01,0,0.1,0.5,120,-8,4',
].join('\n') + '\n';

// The original layout: full release dates, duration_ms, key and mode, extra columns.
const ORIGINAL = [
  'track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms',
  '6f807x0ima9a1j3VPbc7VN,I Don\'t Care (with Justin Bieber) - Loud Luxury Remix,Ed Sheeran,66,2oCs0DGTsRO98Gh5ZSl2Cx,I Don\'t Care (with Justin Bieber) [Loud Luxury Remix],2019-06-14,Pop Remix,37i9dQZF1DXcZDD7cfEKhW,pop,dance pop,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754',
  '0r7CVbZTWZgbTCYdfa2P31,Memories - Dillon Francis Remix,Maroon 5,67,63rPSO264uRjW1X5E6cWv6,Memories (Dillon Francis Remix),2019-12,Pop Remix,37i9dQZF1DXcZDD7cfEKhW,pop,dance pop,0.726,0.815,11,-4.969,1,0.0373,0.0724,0.00421,0.357,0.693,99.972,162600',
  ',,,,,,,,,pop,dance pop,,,,,,,,,,,,',
].join('\r\n') + '\r\n';

describe('spotify-features importer', () => {
  it('imports tracks with features, merging the genres of repeated rows', async () => {
    const store = await memoryStore();
    const folder = writeFiles(tmpDir(), { 'spotify_songs_prepared.csv': PREPARED, 'README.md': '# notes' });
    const summary = await importSpotifyFeatures(store, folder, silentProgress);

    expect(summary).toMatchObject({ rows: 5, tracks: 4, artists: 3, artistsNew: 3, rowsSkippedNoName: 0 });
    expect(await storeCounts(store)).toEqual({ users: 0, artists: 3, tracks: 4, playlists: 0, interactions: 0 });

    const [track] = await store.tracks.getMany(['spotify:track:6RewYu2hTmEuiSRSGUTPH5']);
    expect(track).toEqual({
      id: 'spotify:track:6RewYu2hTmEuiSRSGUTPH5',
      title: 'Over And Over',
      artistIds: [spotifyArtistId('Sylvester')],
      album: 'Sylvester',
      durationMs: 422133,
      releaseDate: '1977',
      popularity: 0,
      genres: ['edm', 'progressive electro house', 'pop', 'dance pop'],
      tags: [],
      audioFeatures: {
        danceability: 0.481,
        energy: 0.632,
        loudness: -8.17,
        speechiness: 0.0342,
        acousticness: 0.0108,
        instrumentalness: 0.000602,
        liveness: 0.11,
        valence: 0.937,
        tempo: 131.418,
      },
      searchText: 'over and over sylvester sylvester',
      source: 'spotify-features',
    });
    // "SYLVESTER" folds to the same artist.
    const [another] = await store.tracks.getMany(['spotify:track:1aaaaaaaaaaaaaaaaaaaaa']);
    expect(another?.artistIds).toEqual([spotifyArtistId('Sylvester')]);
    expect((await store.tracks.list({ genre: 'dance pop' }, { first: 10 })).items.map((t) => t.id)).toEqual(['spotify:track:6RewYu2hTmEuiSRSGUTPH5']);
  });

  it('gives the same store on a second run', async () => {
    const store = await memoryStore();
    const file = path.join(writeFiles(tmpDir(), { 'songs.csv': PREPARED }), 'songs.csv');
    const first = await importSpotifyFeatures(store, file, silentProgress);
    const counts = await storeCounts(store);
    const second = await importSpotifyFeatures(store, file, silentProgress);
    expect(await storeCounts(store)).toEqual(counts);
    expect({ ...second, artistsNew: first.artistsNew }).toEqual(first);
    expect(second.artistsNew).toBe(0);
  });

  it('reads the original column layout and skips rows without a name', async () => {
    const store = await memoryStore();
    const file = path.join(writeFiles(tmpDir(), { 'spotify_songs.csv': ORIGINAL }), 'spotify_songs.csv');
    const error = await formatError(() => importSpotifyFeatures(store, file, silentProgress));
    // The nameless row also has no track id: that is an error, not a skip.
    expect(error.line).toBe(4);

    const fixed = ORIGINAL.replace(',,,,,,,,,pop', '3aaaaaaaaaaaaaaaaaaaaa,,,,,,,,,pop');
    writeFiles(path.dirname(file), { 'spotify_songs.csv': fixed });
    const summary = await importSpotifyFeatures(store, file, silentProgress);
    expect(summary).toMatchObject({ rows: 3, tracks: 2, rowsSkippedNoName: 1 });
    const [track] = await store.tracks.getMany(['spotify:track:0r7CVbZTWZgbTCYdfa2P31']);
    expect(track).toMatchObject({ releaseDate: '2019-12', durationMs: 162600, audioFeatures: { key: 11, mode: 1, tempo: 99.972 } });
  });

  it('shares artist ids with spotify-history and keeps features when history is imported later', async () => {
    const store = await memoryStore();
    await importSpotifyFeatures(store, writeFiles(tmpDir(), { 'songs.csv': PREPARED }), silentProgress);
    const history = writeFiles(tmpDir(), {
      'listens.csv': 'user_id,end_time_utc,artist_name,track_name,ms_played\nu1,2023-01-01 10:00,Sylvester,Over And Over,200000\n',
      'playlists.csv': 'playlist_id,user_id,playlist_name\np1,u1,Disco\n',
      'playlist_tracks.csv': 'playlist_id,position,track_name,artist_name,album_name,track_uri\np1,0,Over And Over,Sylvester,,spotify:track:6RewYu2hTmEuiSRSGUTPH5\n',
    });
    const summary = await importSpotifyHistory(store, history, silentProgress);
    expect(summary).toMatchObject({ artistsNew: 0, tracksNew: 0 });
    const [event] = await store.interactions.allOfUser('spotify-u1');
    expect(event.targetId).toBe('spotify:track:6RewYu2hTmEuiSRSGUTPH5');
    const [track] = await store.tracks.getMany([event.targetId]);
    expect(track?.audioFeatures?.danceability).toBe(0.481);
  });

  it.each([
    ['numeric garbage', PREPARED.replace('0.883,0.333', '0.883,high'), 3, /energy must be a number, got "high"/],
    ['a bad track id', PREPARED.replace('2mCLc4lZjbpcpXgNBrC5lY', '2mCLc4'), 3, /track_id must be a 22-character Spotify id/],
    ['a bad release year', PREPARED.replace(',2001,', ',20o1,'), 5, /release date/],
    ['a truncated last line', PREPARED.slice(0, PREPARED.lastIndexOf(',0.1,0.5')), 6, /expected 18 fields like the header, got 13/],
    ['a missing column', PREPARED.replace('"track_artist"', '"artist"'), 1, /missing column track_artist/],
  ])('rejects %s with its line number and writes nothing', async (_what, content, line, problem) => {
    const store = await memoryStore();
    const file = path.join(writeFiles(tmpDir(), { 'songs.csv': content }), 'songs.csv');
    const error = await formatError(() => importSpotifyFeatures(store, file, silentProgress));
    expect(error.file).toBe(file);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(problem);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });
});
