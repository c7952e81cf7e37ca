/**
 * Imports Spotify listening histories and playlists. The path is one of:
 *
 * - a folder of the prepared dataset: listens.csv or listens.csv.gz (user_id, end_time_utc,
 *   artist_name, track_name, ms_played), optionally playlists.csv (playlist_id, user_id,
 *   playlist_name, description) with playlist_tracks.csv (playlist_id, position, track_name,
 *   artist_name, album_name, track_uri);
 * - a folder of Spotify's own account-data export: StreamingHistory*.json and Playlist*.json;
 * - one of those files on its own.
 *
 * What it stores:
 * - users `spotify-<user_id>`. The raw export carries no user id: its files belong to the user
 *   given with `--user`, or else to one named by a hash of the folder name. Files whose names
 *   have a prefix before "StreamingHistory"/"Playlist" (e.g. "alice.StreamingHistory0.json")
 *   belong to a user per prefix, unless `--user` is given;
 * - artists `sp-a-<hash of the folded name>` (shared with spotify-features);
 * - tracks, one per song (folded artist + title). Track ids: a song gets `spotify:track:<id>`
 *   when the playlists of the same import give it a Spotify track id (the smallest, if they
 *   give several), and `sp-t-<hash of folded artist + title>` otherwise. Listens and playlist
 *   items of the same song therefore point at the same track, and tracks with a Spotify id join
 *   the spotify-features catalogue. (Importing the listens alone, without the playlists, gives
 *   their songs hash ids.) Artists and tracks already in the store are left as they are;
 * - one interaction per listen: SKIP under 30 s of playing, PLAY otherwise, dated by its end
 *   time (UTC). Event id: `spotify-history:<user>:<end time ms>:<hash of the song>`, with
 *   `:<n>` appended for the n-th (n ≥ 2) identical listen, so a repeat in the file is kept and a
 *   re-import adds nothing;
 * - playlists `spotify-pl-<hash of user + name>` (`#<n>` added to the name in the hash for the
 *   n-th playlist of the same name), inserted when new, replaced at revision + 1 when their
 *   name, description or tracks changed, left alone otherwise.
 *
 * Podcast episodes are skipped and counted: listens without an artist or title, by a "podcast"
 * artist, or titled like an episode ("Ep 12 - …", "Episode 3: …"), StreamingHistory_podcast
 * files, and episode items of playlists. Without a content type in the basic export this is a
 * heuristic: episodes of shows not named like that are imported as music.
 *
 * The work is split over spotify-history/: sources.ts finds the files, csv.ts and json.ts
 * (with located-json.ts) read them into a HistoryData (history-data.ts, with fields.ts and
 * playlist-items.ts), and write-playlists.ts stores the playlists.
 */
import type { Progress } from '../lib/progress.js';
import type { Store } from '../store/ports.js';
import {
  type ImportOptions,
  type ImportSummary,
  ImportInputError,
  appendInteractions,
  insertMissing,
  quote,
  writeInChunks,
} from './shared.js';
import { readListensCsv, readPlaylistsCsv } from './spotify-history/csv.js';
import { USER_KEY } from './spotify-history/fields.js';
import { HistoryData } from './spotify-history/history-data.js';
import { readJson } from './spotify-history/json.js';
import { findSources } from './spotify-history/sources.js';
import { writePlaylists } from './spotify-history/write-playlists.js';

export { looksLikeEpisode, parseEndTime } from './spotify-history/fields.js';
export { SKIP_THRESHOLD_MS, SPOTIFY_HISTORY_SOURCE, spotifyUserId } from './spotify-history/history-data.js';

export async function importSpotifyHistory(
  store: Store,
  input: string,
  progress: Progress,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  if (options.user !== undefined && !USER_KEY.test(options.user)) {
    throw new ImportInputError(`--user must be a non-empty id without spaces or colons, got ${quote(options.user)}`);
  }
  const sources = findSources(input, options.user);
  const data = new HistoryData();

  // --- Parse and validate everything -------------------------------------------------------------

  if (sources.listensCsv) await readListensCsv(sources.listensCsv, data, progress);
  if (sources.playlistsCsv && sources.playlistTracksCsv) await readPlaylistsCsv(sources.playlistsCsv, sources.playlistTracksCsv, data, progress);
  for (const source of sources.json) await readJson(source.file, source.userKey, source.kind, data, progress);

  // --- Build records -----------------------------------------------------------------------------

  progress.start('Preparing records', data.songCount);
  const built = data.build();
  progress.update(data.songCount);
  progress.stop();

  // --- Write ---------------------------------------------------------------------------------------

  await writeInChunks(progress, 'Writing users', built.users.length, built.users, (chunk) => store.users.upsertMany(chunk));
  const artistsNew = await insertMissing(store.artists, progress, 'Writing artists', built.artists);
  const tracksNew = await insertMissing(store.tracks, progress, 'Writing tracks', built.tracks);
  const playlistCounts = await writePlaylists(store, progress, built.playlists);
  const events = await appendInteractions(store, progress, 'Writing listens', data.listenCount, data.listenEvents(built.trackIdOfSong));

  return {
    users: built.users.length,
    listens: data.listenCount + data.podcastListens,
    plays: data.plays,
    skips: data.listenCount - data.plays,
    podcastEpisodesSkipped: data.podcastListens,
    artists: built.artists.length,
    artistsNew,
    tracks: built.tracks.length,
    tracksNew,
    playlists: built.playlists.length,
    playlistItems: data.playlistItems,
    playlistItemsSkipped: data.playlistItemsSkipped,
    ...playlistCounts,
    interactionsNew: events.inserted,
    interactionsAlreadyStored: events.alreadyStored,
  };
}
