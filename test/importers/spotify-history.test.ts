import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { shortHash, songKey, spotifyArtistId, spotifyHashTrackId } from '../../src/importers/shared.js';
import { importSpotifyHistory, looksLikeEpisode, SKIP_THRESHOLD_MS } from '../../src/importers/spotify-history.js';
import { silentProgress } from '../../src/lib/progress.js';
import { EMPTY_COUNTS, formatError, memoryStore, storeCounts, tmpDir, writeFiles } from './fixtures.js';

const JOGA_ID = 'spotify:track:AAAAAAAAAAAAAAAAAAAAAA';
const JOGA_OTHER_ID = 'spotify:track:BBBBBBBBBBBBBBBBBBBBBB';

const LISTENS = [
  'user_id,end_time_utc,artist_name,track_name,ms_played,export_format',
  'u1,2023-01-25 00:01,Björk,Jóga,200000,basic_music_only',
  'u1,2023-01-25 00:05,bjork,joga,29999,basic_music_only',
  'u1,2023-01-25 00:09,Radiohead,Creep,30000,basic_music_only',
  'u1,2023-01-25 00:09,Radiohead,Creep,30000,basic_music_only',
  'u2,2023-01-26 10:00,Lex Fridman Podcast,#300 – A Conversation,3600000,basic_music_and_podcasts',
  'u2,2023-01-26 11:00,"Crosby, Stills & Nash","Suite: Judy Blue Eyes",445000,basic_music_and_podcasts',
  'u2,2023-01-26 12:00,,Some episode,1000,basic_music_and_podcasts',
].join('\r\n') + '\r\n';

const PLAYLISTS = [
  'playlist_id,user_id,playlist_name,last_modified_date,description,number_of_followers,n_items',
  'u1_p000,u1,Favourites,2023-01-01,Feb &amp; Mar &#x27;21,0,2',
  'u3_p000,u3,Favourites,2023-01-01,,0,2',
  'u1_p001,u1,Favourites,2023-02-01,,0,0',
].join('\n') + '\n';

const PLAYLIST_TRACKS = [
  'playlist_id,position,track_name,artist_name,album_name,track_uri,added_date',
  'u1_p000,1,Creep,Radiohead,Pablo Honey,,',
  `u1_p000,0,Jóga,Björk,Homogenic,${JOGA_OTHER_ID},2021-09-02`,
  `u3_p000,0,Joga,Bjork,Homogenic,${JOGA_ID},2021-09-02`,
  'u3_p000,1,Some Show,Some Host,,spotify:episode:CCCCCCCCCCCCCCCCCCCCCC,2021-09-02',
].join('\n') + '\n';

function csvFolder(overrides: Record<string, string | Uint8Array> = {}): string {
  return writeFiles(tmpDir(), { 'listens.csv': LISTENS, 'playlists.csv': PLAYLISTS, 'playlist_tracks.csv': PLAYLIST_TRACKS, ...overrides });
}

const withoutWriteCounts = (summary: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(summary).filter(([k]) => !/New$|AlreadyStored$|^playlists(Inserted|Replaced|Unchanged)$/.test(k)));

describe('spotify-history importer (prepared CSV dataset)', () => {
  it('imports listens, songs, artists, users and playlists', async () => {
    const store = await memoryStore();
    const summary = await importSpotifyHistory(store, csvFolder(), silentProgress);

    expect(summary).toMatchObject({
      users: 3,
      listens: 7,
      plays: 4,
      skips: 1,
      podcastEpisodesSkipped: 2,
      artists: 3,
      tracks: 3,
      playlists: 3,
      playlistItems: 4,
      playlistItemsSkipped: 1,
      playlistsInserted: 3,
      interactionsNew: 5,
    });
    expect(await storeCounts(store)).toEqual({ users: 3, artists: 3, tracks: 3, playlists: 3, interactions: 5 });

    // One song, one id: both spellings and both playlist URIs map to the smallest Spotify id.
    const creepId = spotifyHashTrackId('Radiohead', 'Creep');
    const [joga, creep] = await store.tracks.getMany([JOGA_ID, creepId]);
    expect(joga).toMatchObject({ title: 'Jóga', album: 'Homogenic', artistIds: [spotifyArtistId('Björk')], searchText: 'joga homogenic bjork' });
    expect(creep).toMatchObject({ title: 'Creep', album: 'Pablo Honey', source: 'spotify-history' });
    expect(await store.tracks.getMany([JOGA_OTHER_ID])).toEqual([undefined]);

    const events = await store.interactions.allOfUser('spotify-u1');
    expect(events.map((e) => [e.type, e.targetId, e.msPlayed])).toEqual([
      ['PLAY', JOGA_ID, 200000],
      ['SKIP', JOGA_ID, 29999],
      ['PLAY', creepId, 30000],
      ['PLAY', creepId, 30000],
    ]);
    const creepBase = `spotify-history:u1:${Date.UTC(2023, 0, 25, 0, 9)}:${shortHash(songKey('Radiohead', 'Creep'))}`;
    expect(events.slice(2).map((e) => e.eventId)).toEqual([creepBase, `${creepBase}:2`]);
    expect(events[0]).toMatchObject({ count: 1, context: { timestamp: Date.UTC(2023, 0, 25, 0, 1), timezone: 'UTC' } });

    const u2 = await store.interactions.allOfUser('spotify-u2');
    expect(u2).toHaveLength(1);
    expect(u2[0].targetId).toBe(spotifyHashTrackId('Crosby, Stills & Nash', 'Suite: Judy Blue Eyes'));

    const u1Playlists = (await store.playlists.listByOwner('spotify-u1', { first: 10 })).items;
    expect(u1Playlists).toHaveLength(2); // same name twice: two playlists, two ids
    const favourites = u1Playlists.find((p) => p.trackIds.length > 0);
    expect(favourites).toMatchObject({ name: 'Favourites', description: "Feb & Mar '21", kind: 'USER', revision: 1, trackIds: [JOGA_ID, creepId] });
    const u3Playlists = (await store.playlists.listByOwner('spotify-u3', { first: 10 })).items;
    expect(u3Playlists[0].trackIds).toEqual([JOGA_ID]);
  });

  it('gives the same store on a second run, and replaces a changed playlist at the next revision', async () => {
    const store = await memoryStore();
    const folder = csvFolder();
    const first = await importSpotifyHistory(store, folder, silentProgress);
    const counts = await storeCounts(store);
    const second = await importSpotifyHistory(store, folder, silentProgress);

    expect(await storeCounts(store)).toEqual(counts);
    expect(withoutWriteCounts(second)).toEqual(withoutWriteCounts(first));
    expect(second).toMatchObject({ interactionsNew: 0, interactionsAlreadyStored: 5, playlistsUnchanged: 3, playlistsInserted: 0, tracksNew: 0, artistsNew: 0 });

    fs.appendFileSync(path.join(folder, 'playlist_tracks.csv'), 'u1_p001,0,Creep,Radiohead,Pablo Honey,,\n');
    const third = await importSpotifyHistory(store, folder, silentProgress);
    expect(third).toMatchObject({ playlistsReplaced: 1, playlistsUnchanged: 2 });
    const replaced = (await store.playlists.listByOwner('spotify-u1', { first: 10 })).items.filter((p) => p.revision === 2);
    expect(replaced).toHaveLength(1);
    expect(await storeCounts(store)).toEqual(counts);
  });

  it('splits plays from skips at 30 seconds', async () => {
    expect(SKIP_THRESHOLD_MS).toBe(30_000);
    const store = await memoryStore();
    const listens = ['user_id,end_time_utc,artist_name,track_name,ms_played', 'u1,2023-01-01 10:00,A,B,0', 'u1,2023-01-01 10:01,A,B,29999', 'u1,2023-01-01 10:02,A,B,30000', 'u1,2023-01-01 10:03,A,B,30001'].join('\n');
    const summary = await importSpotifyHistory(store, writeFiles(tmpDir(), { 'listens.csv': listens }), silentProgress);
    expect(summary).toMatchObject({ plays: 2, skips: 2 });
    const types = (await store.interactions.allOfUser('spotify-u1')).map((e) => [e.msPlayed, e.type]);
    expect(types).toEqual([
      [0, 'SKIP'],
      [29999, 'SKIP'],
      [30000, 'PLAY'],
      [30001, 'PLAY'],
    ]);
  });

  it('reads listens.csv.gz, and a single listens file gives its songs hash ids', async () => {
    const store = await memoryStore();
    const folder = writeFiles(tmpDir(), { 'listens.csv.gz': gzipSync(LISTENS) });
    const summary = await importSpotifyHistory(store, path.join(folder, 'listens.csv.gz'), silentProgress);
    expect(summary).toMatchObject({ users: 2, listens: 7, plays: 4, skips: 1, tracks: 3, playlists: 0 });
    const [joga] = await store.tracks.getMany([spotifyHashTrackId('Björk', 'Jóga')]);
    expect(joga?.title).toBe('Jóga');
  });

  it('rejects a truncated gzip file and writes nothing', async () => {
    const store = await memoryStore();
    const many = LISTENS + Array.from({ length: 2000 }, (_, i) => `u9,2023-02-01 ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},Artist ${i},Song ${i},${i * 100}`).join('\n');
    const gz = gzipSync(many);
    const folder = writeFiles(tmpDir(), { 'listens.csv.gz': gz.subarray(0, Math.floor(gz.length / 2)) });
    const error = await formatError(() => importSpotifyHistory(store, folder, silentProgress));
    expect(error.file).toBe(path.join(folder, 'listens.csv.gz'));
    expect(error.message).toMatch(/truncated/);
    expect(error.line).toBeGreaterThan(1);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });

  it.each([
    ['a non-numeric ms_played', 'listens.csv', LISTENS.replace('30000,basic_music_only\r\nu1', '30x00,basic_music_only\r\nu1'), 4, /ms_played must be a whole number/],
    ['a bad end time', 'listens.csv', LISTENS.replace('2023-01-25 00:05', '2023-02-30 00:05'), 3, /end time/],
    ['a truncated last line', 'listens.csv', LISTENS.slice(0, LISTENS.lastIndexOf(',Some episode')), 8, /expected 6 fields like the header, got 3/],
    ['an unclosed quote', 'listens.csv', `${LISTENS}u2,2023-01-26 13:00,"Unfinished,Song,1,x\r\n`, 9, /quoted field is never closed/],
    ['a missing column', 'listens.csv', 'user_id,end_time,artist_name,track_name,ms_played\nu1,2023-01-01 00:00,A,B,1\n', 1, /missing column end_time_utc/],
    ['an unknown playlist', 'playlist_tracks.csv', `${PLAYLIST_TRACKS}u9_p000,0,Creep,Radiohead,,,\n`, 6, /u9_p000.*not in playlists\.csv/],
    ['a bad track URI', 'playlist_tracks.csv', PLAYLIST_TRACKS.replace(JOGA_ID, 'spotify:track:short'), 4, /not a valid Spotify track URI/],
  ])('rejects %s with its line number and writes nothing', async (_what, fileName, content, line, problem) => {
    const store = await memoryStore();
    const folder = csvFolder({ [fileName]: content });
    const error = await formatError(() => importSpotifyHistory(store, folder, silentProgress));
    expect(error.file).toBe(path.join(folder, fileName));
    expect(error.line).toBe(line);
    expect(error.message).toMatch(problem);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });

  it('recognises podcast episodes by heuristic', () => {
    expect(looksLikeEpisode('', 'Anything')).toBe(true);
    expect(looksLikeEpisode('The Daily Podcast', 'Monday')).toBe(true);
    expect(looksLikeEpisode('Some Show', 'Ep 85 - License To Blast')).toBe(true);
    expect(looksLikeEpisode('Some Show', '‘1619,’ Episode 5: The Land of Our Fathers')).toBe(true);
    expect(looksLikeEpisode('Glass Animals', 'Season 2 Episode 3')).toBe(false);
    expect(looksLikeEpisode('Run The Jewels', 'yankee and the brave (ep. 4)')).toBe(false);
  });
});

// Spotify's own account-data export: JSON without a user id.
const STREAMS = [
  { endTime: '2021-03-11 17:34', artistName: 'Capital Cities', trackName: 'Safe And Sound', msPlayed: 15990 },
  { endTime: '2021-03-11 20:09', artistName: 'Clean Bandit', trackName: 'Higher (feat. iann dior)', msPlayed: 201355 },
  { endTime: '2021-03-12 05:39', artistName: 'Lex Fridman Podcast', trackName: 'Some guest', msPlayed: 3_000_000 },
];
const PODCAST_STREAMS = [{ endTime: '2021-03-12 06:00', podcastName: 'A Show', episodeName: 'Ep 1', msPlayed: 1000 }];
const PLAYLIST_JSON = {
  playlists: [
    {
      name: 'All Rock',
      lastModifiedDate: '2022-03-11',
      description: null,
      numberOfFollowers: 0,
      items: [
        { track: { trackName: 'Becoming', artistName: 'Volbeat', albumName: 'Becoming', trackUri: 'spotify:track:6grZ25M9c5o8T75z0tY0xq' }, episode: null, localTrack: null },
        { track: null, episode: { episodeName: 'Ep 1', showName: 'A Show', episodeUri: 'spotify:episode:x' }, localTrack: null },
        { track: { trackName: 'Safe And Sound', artistName: 'Capital Cities', albumName: 'In A Tidal Wave Of Mystery', trackUri: '' }, episode: null, localTrack: null },
      ],
    },
  ],
};

function jsonFolder(files: Record<string, unknown> = {}): string {
  const root = tmpDir();
  const folder = path.join(root, 'my-export');
  const contents: Record<string, string> = {};
  for (const [name, value] of Object.entries({ 'StreamingHistory0.json': STREAMS, 'StreamingHistory_podcast_0.json': PODCAST_STREAMS, 'Playlist1.json': PLAYLIST_JSON, ...files })) {
    contents[name] = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  }
  return writeFiles(folder, contents);
}

describe('spotify-history importer (raw StreamingHistory / Playlist JSON)', () => {
  it('imports a folder for the user given with --user', async () => {
    const store = await memoryStore();
    const summary = await importSpotifyHistory(store, jsonFolder(), silentProgress, { user: 'alice' });
    expect(summary).toMatchObject({ users: 1, listens: 4, plays: 1, skips: 1, podcastEpisodesSkipped: 2, tracks: 3, playlists: 1, playlistItems: 3, playlistItemsSkipped: 1 });
    expect(await storeCounts(store)).toEqual({ users: 1, artists: 3, tracks: 3, playlists: 1, interactions: 2 });

    const events = await store.interactions.allOfUser('spotify-alice');
    expect(events.map((e) => [e.type, e.targetId])).toEqual([
      ['SKIP', spotifyHashTrackId('Capital Cities', 'Safe And Sound')],
      ['PLAY', spotifyHashTrackId('Clean Bandit', 'Higher (feat. iann dior)')],
    ]);
    const [playlist] = (await store.playlists.listByOwner('spotify-alice', { first: 10 })).items;
    expect(playlist).toMatchObject({ name: 'All Rock', trackIds: ['spotify:track:6grZ25M9c5o8T75z0tY0xq', spotifyHashTrackId('Capital Cities', 'Safe And Sound')] });
    expect(playlist.description).toBeUndefined();

    const again = await importSpotifyHistory(store, jsonFolder(), silentProgress, { user: 'alice' });
    expect(again).toMatchObject({ interactionsNew: 0, interactionsAlreadyStored: 2, playlistsUnchanged: 1 });
  });

  it('files an export without --user under a hash of the folder name, one user per file prefix', async () => {
    const store = await memoryStore();
    const folder = jsonFolder();
    await importSpotifyHistory(store, folder, silentProgress);
    const userKey = shortHash('my-export');
    expect((await store.users.getMany([`spotify-${userKey}`]))[0]).toMatchObject({ displayName: `Spotify listener ${userKey}`, source: 'spotify-history' });

    const store2 = await memoryStore();
    const prefixed = writeFiles(path.join(tmpDir(), 'examples'), {
      'music-only.StreamingHistory0.json': JSON.stringify(STREAMS.slice(0, 1)),
      'music-and-podcasts.StreamingHistory0.json': JSON.stringify(STREAMS.slice(1)),
    });
    const summary = await importSpotifyHistory(store2, prefixed, silentProgress);
    expect(summary.users).toBe(2);
    const hash = shortHash('examples');
    expect((await store2.users.getMany([`spotify-${hash}-music-only`, `spotify-${hash}-music-and-podcasts`])).every(Boolean)).toBe(true);
  });

  it('imports a single StreamingHistory file', async () => {
    const store = await memoryStore();
    const file = path.join(jsonFolder(), 'StreamingHistory0.json');
    const summary = await importSpotifyHistory(store, file, silentProgress, { user: 'bob' });
    expect(summary).toMatchObject({ users: 1, listens: 3, plays: 1, skips: 1, playlists: 0 });
  });

  it('names the line of a bad field', async () => {
    const store = await memoryStore();
    const streams = STREAMS.map((s, i) => (i === 1 ? { ...s, msPlayed: 'lots' } : s));
    const folder = jsonFolder({ 'StreamingHistory0.json': streams });
    const text = fs.readFileSync(path.join(folder, 'StreamingHistory0.json'), 'utf8');
    const expectedLine = text.split('\n').findIndex((l) => l.includes('"lots"')) + 1;
    const error = await formatError(() => importSpotifyHistory(store, folder, silentProgress, { user: 'alice' }));
    expect(error.file).toBe(path.join(folder, 'StreamingHistory0.json'));
    expect(error.line).toBe(expectedLine);
    expect(error.message).toMatch(/"msPlayed" must be a whole number/);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });

  it('rejects a truncated JSON file with its last line and writes nothing', async () => {
    const store = await memoryStore();
    const full = JSON.stringify(STREAMS, null, 2);
    const cut = full.slice(0, full.indexOf('"Clean Bandit"'));
    const folder = jsonFolder({ 'StreamingHistory0.json': cut });
    const error = await formatError(() => importSpotifyHistory(store, folder, silentProgress, { user: 'alice' }));
    expect(error.line).toBe(cut.trimEnd().split('\n').length);
    expect(error.message).toMatch(/invalid JSON/);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });
});
