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
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ImportFormatError } from '../domain/errors.js';
import type { Artist, Interaction, Playlist, Track, User } from '../domain/types.js';
import type { Progress } from '../lib/progress.js';
import { foldText, trackSearchText } from '../lib/text.js';
import type { Store } from '../store/ports.js';
import {
  type ImportOptions,
  type ImportSummary,
  ImportInputError,
  appendInteractions,
  csvColumns,
  insertMissing,
  isDirectory,
  listFolder,
  parseNatural,
  quote,
  readCsv,
  shortHash,
  SPOTIFY_ID,
  throttledUpdate,
  writeInChunks,
} from './shared.js';

export const SPOTIFY_HISTORY_SOURCE = 'spotify-history';
/** A listen shorter than this is a skip. */
export const SKIP_THRESHOLD_MS = 30_000;

const USER_KEY = /^[^\s:]+$/;
const HISTORY_JSON = /^(.*?)StreamingHistory(_music_|_podcast_|_)?\d*\.json$/i;
const PLAYLIST_JSON = /^(.*?)Playlist\d*\.json$/i;

export const spotifyUserId = (userKey: string): string => `spotify-${userKey}`;

interface Sources {
  listensCsv?: string;
  playlistsCsv?: string;
  playlistTracksCsv?: string;
  json: { file: string; userKey: string; kind?: 'history' | 'podcasts' | 'playlists' }[];
}

interface ParsedPlaylist {
  ownerKey: string;
  name: string;
  description?: string;
  /** Song indexes in playlist order. */
  songs: number[];
}

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

// ---------------------------------------------------------------------------------------------
// Finding the input files

function findSources(input: string, user: string | undefined): Sources {
  const resolved = path.resolve(input);
  const folder = isDirectory(resolved) ? resolved : path.dirname(resolved);
  const names = resolved === folder ? listFolder(folder) : [path.basename(resolved)];
  const sources: Sources = { json: [] };
  const folderKey = shortHash(path.basename(folder));
  const userFor = (prefix: string): string => {
    if (user !== undefined) return user;
    const slug = foldText(prefix).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return slug ? `${folderKey}-${slug}` : folderKey;
  };

  for (const name of names) {
    const file = path.join(folder, name);
    const lower = name.toLowerCase();
    if (/^listens\.csv(\.gz)?$/.test(lower) || (resolved !== folder && /\.csv(\.gz)?$/.test(lower) && !/^playlist/.test(lower))) {
      if (sources.listensCsv) throw new ImportInputError(`${folder}: both ${path.basename(sources.listensCsv)} and ${name}; keep one`);
      sources.listensCsv = file;
    } else if (lower === 'playlists.csv') {
      sources.playlistsCsv = file;
    } else if (lower === 'playlist_tracks.csv') {
      sources.playlistTracksCsv = file;
    } else if (lower.endsWith('.json')) {
      const history = HISTORY_JSON.exec(name);
      const playlist = PLAYLIST_JSON.exec(name);
      if (history) {
        sources.json.push({ file, userKey: userFor(history[1]), kind: /podcast/i.test(history[2] ?? '') ? 'podcasts' : 'history' });
      } else if (playlist) {
        sources.json.push({ file, userKey: userFor(playlist[1]), kind: 'playlists' });
      } else if (resolved !== folder) {
        sources.json.push({ file, userKey: userFor('') }); // a single file: its content tells what it is
      }
    }
  }
  if (!!sources.playlistsCsv !== !!sources.playlistTracksCsv) {
    throw new ImportInputError(`${folder}: playlists.csv and playlist_tracks.csv go together; found only ${path.basename((sources.playlistsCsv ?? sources.playlistTracksCsv) as string)}`);
  }
  if (!sources.listensCsv && !sources.playlistsCsv && sources.json.length === 0) {
    throw new ImportInputError(
      resolved === folder
        ? `${folder}: found neither listens.csv(.gz), playlists.csv, nor StreamingHistory*.json / Playlist*.json`
        : `${resolved}: not a listens CSV or a Spotify StreamingHistory / Playlist JSON file`,
    );
  }
  return sources;
}

// ---------------------------------------------------------------------------------------------
// Parsed data: songs, users, listens (column-wise, to keep ~1M listens small) and playlists

class HistoryData {
  readonly userKeys = new Map<string, number>();
  // Songs, by index.
  private readonly songKeys: string[] = [];
  private readonly songArtist: string[] = [];
  private readonly songTitle: string[] = [];
  private readonly songAlbum: (string | undefined)[] = [];
  /** The smallest Spotify track id seen for a song. */
  private readonly songSpotifyId = new Map<number, string>();
  private readonly songByKey = new Map<string, number>();
  /** Raw "artist\u001ftitle" → song index, or -1 for a podcast episode: skips folding repeats. */
  private readonly songByRaw = new Map<string, number>();
  // Listens, by index.
  private readonly listenUser: number[] = [];
  private readonly listenTime: number[] = [];
  private readonly listenSong: number[] = [];
  private readonly listenMs: number[] = [];
  plays = 0;
  podcastListens = 0;
  readonly playlists: ParsedPlaylist[] = [];
  playlistItems = 0;
  playlistItemsSkipped = 0;

  get songCount(): number {
    return this.songKeys.length;
  }

  /** Listens kept (podcast episodes excluded). */
  get listenCount(): number {
    return this.listenUser.length;
  }

  user(key: string, file: string, line: number): number {
    let index = this.userKeys.get(key);
    if (index === undefined) {
      if (!USER_KEY.test(key)) throw new ImportFormatError(file, line, `user id must be non-empty without spaces or colons, got ${quote(key)}`);
      this.userKeys.set(key, (index = this.userKeys.size));
    }
    return index;
  }

  /** The song index of a listen, or -1 when it looks like a podcast episode. */
  listenedSong(artist: string, title: string): number {
    const raw = `${artist}\u001f${title}`;
    let index = this.songByRaw.get(raw);
    if (index === undefined) {
      index = looksLikeEpisode(artist, title) ? -1 : this.song(artist, title);
      this.songByRaw.set(raw, index);
    }
    return index;
  }

  song(artist: string, title: string, album?: string, spotifyId?: string): number {
    const key = `${foldText(artist)}\u001f${foldText(title)}`;
    let index = this.songByKey.get(key);
    if (index === undefined) {
      index = this.songKeys.length;
      this.songByKey.set(key, index);
      this.songKeys.push(key);
      this.songArtist.push(artist);
      this.songTitle.push(title);
      this.songAlbum.push(album);
    } else if (album && !this.songAlbum[index]) {
      this.songAlbum[index] = album;
    }
    if (spotifyId) {
      const known = this.songSpotifyId.get(index);
      if (known === undefined || spotifyId < known) this.songSpotifyId.set(index, spotifyId);
    }
    return index;
  }

  addListen(user: number, timestamp: number, song: number, msPlayed: number): void {
    if (song < 0) {
      this.podcastListens++;
      return;
    }
    this.listenUser.push(user);
    this.listenTime.push(timestamp);
    this.listenSong.push(song);
    this.listenMs.push(msPlayed);
    if (msPlayed >= SKIP_THRESHOLD_MS) this.plays++;
  }

  build(): { users: User[]; artists: Artist[]; tracks: Track[]; playlists: Playlist[]; trackIdOfSong: string[] } {
    const users: User[] = [...this.userKeys.keys()].map((key) => ({
      id: spotifyUserId(key),
      displayName: `Spotify listener ${key}`,
      source: SPOTIFY_HISTORY_SOURCE,
      friendIds: [],
      createdAt: 0,
    }));
    const artists = new Map<string, Artist>();
    const tracks = new Map<string, Track>();
    const trackIdOfSong: string[] = [];
    for (let i = 0; i < this.songKeys.length; i++) {
      const spotifyId = this.songSpotifyId.get(i);
      const trackId = spotifyId ? `spotify:track:${spotifyId}` : `sp-t-${shortHash(this.songKeys[i])}`;
      trackIdOfSong.push(trackId);
      if (tracks.has(trackId)) continue; // several names for one Spotify track: the first wins
      const artistName = this.songArtist[i];
      const artistId = `sp-a-${shortHash(foldText(artistName))}`;
      if (!artists.has(artistId)) artists.set(artistId, { id: artistId, name: artistName, genres: [], tags: [], source: SPOTIFY_HISTORY_SOURCE });
      const album = this.songAlbum[i];
      const track: Track = {
        id: trackId,
        title: this.songTitle[i],
        artistIds: [artistId],
        genres: [],
        tags: [],
        searchText: trackSearchText(this.songTitle[i], album, [artistName]),
        source: SPOTIFY_HISTORY_SOURCE,
      };
      if (album) track.album = album;
      tracks.set(trackId, track);
    }

    const ownerNames = new Map<string, number>();
    const playlists = this.playlists.map((p): Playlist => {
      const nameKey = `${p.ownerKey}\u001f${p.name}`;
      const occurrence = (ownerNames.get(nameKey) ?? 0) + 1;
      ownerNames.set(nameKey, occurrence);
      const playlist: Playlist = {
        id: `spotify-pl-${shortHash(occurrence === 1 ? nameKey : `${nameKey}#${occurrence}`)}`,
        ownerId: spotifyUserId(p.ownerKey),
        name: p.name,
        kind: 'USER',
        trackIds: p.songs.map((s) => trackIdOfSong[s]),
        revision: 1,
        createdAt: 0,
        updatedAt: 0,
      };
      if (p.description) playlist.description = p.description;
      return playlist;
    });
    return { users, artists: [...artists.values()], tracks: [...tracks.values()], playlists, trackIdOfSong };
  }

  /** The listens as interactions, in input order. */
  *listenEvents(trackIdOfSong: readonly string[]): Iterable<Interaction> {
    const occurrence = this.occurrences();
    const userKeys = [...this.userKeys.keys()];
    const songHash = new Map<number, string>();
    for (let i = 0; i < this.listenUser.length; i++) {
      const song = this.listenSong[i];
      let hash = songHash.get(song);
      if (hash === undefined) songHash.set(song, (hash = shortHash(this.songKeys[song])));
      const userKey = userKeys[this.listenUser[i]];
      const timestamp = this.listenTime[i];
      const msPlayed = this.listenMs[i];
      const base = `${SPOTIFY_HISTORY_SOURCE}:${userKey}:${timestamp}:${hash}`;
      yield {
        eventId: occurrence[i] > 1 ? `${base}:${occurrence[i]}` : base,
        userId: spotifyUserId(userKey),
        targetKind: 'TRACK',
        targetId: trackIdOfSong[song],
        type: msPlayed < SKIP_THRESHOLD_MS ? 'SKIP' : 'PLAY',
        msPlayed,
        count: 1,
        context: { timestamp, timezone: 'UTC' },
        receivedAt: timestamp,
      };
    }
  }

  /** For each listen, 1 + the number of identical listens (user, time, song) before it in the input. */
  private occurrences(): Uint32Array {
    const n = this.listenUser.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const { listenUser: u, listenTime: t, listenSong: s } = this;
    order.sort((a, b) => u[a] - u[b] || t[a] - t[b] || s[a] - s[b] || a - b);
    const occurrence = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const prev = k > 0 ? order[k - 1] : -1;
      occurrence[i] = prev >= 0 && u[prev] === u[i] && t[prev] === t[i] && s[prev] === s[i] ? occurrence[prev] + 1 : 1;
    }
    return occurrence;
  }
}

/** Heuristic for the podcast episodes the basic export mixes in with music. */
export function looksLikeEpisode(artist: string, title: string): boolean {
  if (artist.trim() === '' || title.trim() === '') return true;
  if (/\bpodcast\b/i.test(artist)) return true;
  return /^\s*(ep(isode)?|épisode)\.?\s*#?\d+/i.test(title) || /\b(episode|épisode|ep\.?)\s*#?\d+\s*[:\-–—|]/i.test(title);
}

/** "YYYY-MM-DD HH:MM" (Spotify's basic export, UTC), optionally with seconds, T and Z. */
export function parseEndTime(value: string, file: string, line: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?$/.exec(value.trim());
  if (m) {
    const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0));
    const time = Date.UTC(year, month - 1, day, hour, minute, second);
    const d = new Date(time);
    if (d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60) return time;
  }
  throw new ImportFormatError(file, line, `end time must look like "2023-01-25 00:01" (UTC), got ${quote(value)}`);
}

// ---------------------------------------------------------------------------------------------
// CSV inputs

async function readListensCsv(file: string, data: HistoryData, progress: Progress): Promise<void> {
  progress.start(`Reading ${path.basename(file)}`, 0);
  const tick = throttledUpdate(progress);
  let col: { user_id: number; end_time_utc: number; artist_name: number; track_name: number; ms_played: number } | undefined;
  let rows = 0;
  for await (const row of readCsv(file)) {
    if (!col) {
      col = csvColumns(file, row, ['user_id', 'end_time_utc', 'artist_name', 'track_name', 'ms_played']);
      continue;
    }
    const { line, fields } = row;
    const user = data.user(fields[col.user_id].trim(), file, line);
    const time = parseEndTime(fields[col.end_time_utc], file, line);
    const ms = parseNatural(fields[col.ms_played].trim(), file, line, 'ms_played');
    data.addListen(user, time, data.listenedSong(fields[col.artist_name].trim(), fields[col.track_name].trim()), ms);
    tick(++rows);
  }
  if (!col) throw new ImportFormatError(file, 1, 'file is empty; expected a header with user_id, end_time_utc, artist_name, track_name, ms_played');
  progress.update(rows);
  progress.stop();
}

async function readPlaylistsCsv(playlistsFile: string, tracksFile: string, data: HistoryData, progress: Progress): Promise<void> {
  progress.start(`Reading ${path.basename(playlistsFile)}`, 0);
  const byId = new Map<string, { playlist: ParsedPlaylist; line: number; items: { position: number; song: number }[] }>();
  let pc: { playlist_id: number; user_id: number; playlist_name: number; description?: number } | undefined;
  for await (const row of readCsv(playlistsFile)) {
    if (!pc) {
      pc = csvColumns(playlistsFile, row, ['playlist_id', 'user_id', 'playlist_name'], ['description']);
      continue;
    }
    const { line, fields } = row;
    const id = fields[pc.playlist_id].trim();
    if (id === '') throw new ImportFormatError(playlistsFile, line, 'playlist_id is empty');
    const earlier = byId.get(id);
    if (earlier) throw new ImportFormatError(playlistsFile, line, `playlist_id ${quote(id)} appears again (first on line ${earlier.line})`);
    const ownerKey = fields[pc.user_id].trim();
    data.user(ownerKey, playlistsFile, line);
    const description = pc.description === undefined ? undefined : decodeEntities(fields[pc.description].trim()) || undefined;
    // Names are kept as they are: Spotify allows blank ones (the dataset has a " ").
    const name = fields[pc.playlist_name];
    const playlist: ParsedPlaylist = { ownerKey, name, description, songs: [] };
    data.playlists.push(playlist);
    byId.set(id, { playlist, line, items: [] });
  }
  if (!pc) throw new ImportFormatError(playlistsFile, 1, 'file is empty; expected a header with playlist_id, user_id, playlist_name');
  progress.update(byId.size);
  progress.stop();

  progress.start(`Reading ${path.basename(tracksFile)}`, 0);
  const tick = throttledUpdate(progress);
  let tc: { playlist_id: number; position: number; track_name: number; artist_name: number; album_name?: number; track_uri?: number } | undefined;
  let rows = 0;
  for await (const row of readCsv(tracksFile)) {
    if (!tc) {
      tc = csvColumns(tracksFile, row, ['playlist_id', 'position', 'track_name', 'artist_name'], ['album_name', 'track_uri']);
      continue;
    }
    const { line, fields } = row;
    tick(++rows);
    const id = fields[tc.playlist_id].trim();
    const entry = byId.get(id);
    if (!entry) throw new ImportFormatError(tracksFile, line, `playlist_id ${quote(id)} is not in ${path.basename(playlistsFile)}`);
    const position = parseNatural(fields[tc.position].trim(), tracksFile, line, 'position');
    const uri = tc.track_uri === undefined ? '' : fields[tc.track_uri].trim();
    const song = playlistSong(
      data,
      fields[tc.artist_name].trim(),
      fields[tc.track_name].trim(),
      tc.album_name === undefined ? undefined : fields[tc.album_name].trim(),
      uri,
      tracksFile,
      line,
    );
    if (song !== undefined) entry.items.push({ position, song });
  }
  if (!tc) throw new ImportFormatError(tracksFile, 1, 'file is empty; expected a header with playlist_id, position, track_name, artist_name');
  for (const { playlist, items } of byId.values()) {
    items.sort((a, b) => a.position - b.position); // stable: equal positions keep file order
    playlist.songs = items.map((item) => item.song);
  }
  progress.update(rows);
  progress.stop();
}

/** Records one playlist item; undefined (and counted as skipped) for episodes, local files and nameless items. */
function playlistSong(
  data: HistoryData,
  artist: string,
  title: string,
  album: string | undefined,
  uri: string,
  file: string,
  line: number,
): number | undefined {
  data.playlistItems++;
  let spotifyId: string | undefined;
  if (uri.startsWith('spotify:track:')) {
    spotifyId = uri.slice('spotify:track:'.length);
    if (!SPOTIFY_ID.test(spotifyId)) throw new ImportFormatError(file, line, `not a valid Spotify track URI: ${quote(uri)}`);
  } else if (uri !== '' && !uri.startsWith('spotify:local:')) {
    // Episodes and anything else that is not a track.
    data.playlistItemsSkipped++;
    return undefined;
  }
  if (artist === '' || title === '') {
    data.playlistItemsSkipped++;
    return undefined;
  }
  return data.song(artist, title, album || undefined, spotifyId);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------------------------
// Writing playlists

function samePlaylist(a: Playlist, b: Playlist): boolean {
  return (
    a.ownerId === b.ownerId &&
    a.name === b.name &&
    (a.description ?? '') === (b.description ?? '') &&
    a.kind === b.kind &&
    a.trackIds.length === b.trackIds.length &&
    a.trackIds.every((id, i) => id === b.trackIds[i])
  );
}

/** Inserts new playlists, replaces changed ones at revision + 1, leaves identical ones alone. */
async function writePlaylists(
  store: Store,
  progress: Progress,
  playlists: readonly Playlist[],
): Promise<{ playlistsInserted: number; playlistsReplaced: number; playlistsUnchanged: number }> {
  const counts = { playlistsInserted: 0, playlistsReplaced: 0, playlistsUnchanged: 0 };
  await writeInChunks(progress, 'Writing playlists', playlists.length, playlists, async (chunk) => {
    const stored = await store.playlists.getMany(chunk.map((p) => p.id));
    for (let i = 0; i < chunk.length; i++) {
      const playlist = chunk[i];
      const old = stored[i];
      if (!old) {
        await store.playlists.insert(playlist);
        counts.playlistsInserted++;
      } else if (samePlaylist(old, playlist)) {
        counts.playlistsUnchanged++;
      } else {
        // The file wins over edits made since the last import; the revision records the change.
        await store.playlists.replace({ ...playlist, revision: old.revision + 1, createdAt: old.createdAt, updatedAt: Date.now() }, old.revision);
        counts.playlistsReplaced++;
      }
    }
  }, 500);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Spotify's JSON export

/**
 * Reads a StreamingHistory or Playlist JSON file. Problems name the line where the offending
 * item starts (or where its field is, for flat items); a syntax error names its own line.
 */
async function readJson(file: string, userKey: string, kind: 'history' | 'podcasts' | 'playlists' | undefined, data: HistoryData, progress: Progress): Promise<void> {
  progress.start(`Reading ${path.basename(file)}`, 0);
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const doc = new LocatedJson(file, text);
  const value = doc.value;
  const isHistory = Array.isArray(value);
  const isPlaylists = typeof value === 'object' && value !== null && Array.isArray((value as { playlists?: unknown }).playlists);
  if ((kind === 'history' || kind === 'podcasts') && !isHistory) {
    throw new ImportFormatError(file, 1, 'expected a JSON array of streams ({ "endTime", "artistName", "trackName", "msPlayed" })');
  }
  if (kind === 'playlists' && !isPlaylists) throw new ImportFormatError(file, 1, 'expected a JSON object with a "playlists" array');
  if (!isHistory && !isPlaylists) {
    throw new ImportFormatError(file, 1, 'not a Spotify StreamingHistory (array of streams) or Playlist ({ "playlists": [...] }) file');
  }

  if (isHistory) {
    const items = value as unknown[];
    if (kind === 'podcasts') {
      data.podcastListens += items.length;
    } else {
      const user = data.user(userKey, file, 1);
      items.forEach((item, i) => {
        const obj = doc.object(item, `stream ${i + 1}`);
        const endTime = doc.string(obj, 'endTime', true);
        const artist = doc.string(obj, 'artistName', false).trim();
        const title = doc.string(obj, 'trackName', false).trim();
        const ms = doc.natural(obj, 'msPlayed');
        data.addListen(user, parseEndTime(endTime, file, doc.lineOf(obj, 'endTime')), data.listenedSong(artist, title), ms);
      });
    }
    progress.update(items.length);
  } else {
    const playlists = (value as { playlists: unknown[] }).playlists;
    data.user(userKey, file, 1);
    playlists.forEach((p, i) => {
      const obj = doc.object(p, `playlist ${i + 1}`);
      const name = doc.string(obj, 'name', false);
      const description = decodeEntities(doc.string(obj, 'description', false).trim()) || undefined;
      const items = obj.items ?? [];
      if (!Array.isArray(items)) throw new ImportFormatError(file, doc.lineOf(obj, 'items'), `"items" of playlist ${quote(name)} must be an array`);
      const songs: number[] = [];
      items.forEach((it, j) => {
        const item = doc.object(it, `item ${j + 1} of playlist ${quote(name)}`, obj);
        if (item.track === null || item.track === undefined) {
          data.playlistItems++;
          data.playlistItemsSkipped++; // an episode or a local file
          return;
        }
        const track = doc.object(item.track, `track of item ${j + 1} of playlist ${quote(name)}`, item);
        const uri = doc.string(track, 'trackUri', false).trim();
        const song = playlistSong(
          data,
          doc.string(track, 'artistName', false).trim(),
          doc.string(track, 'trackName', false).trim(),
          doc.string(track, 'albumName', false).trim() || undefined,
          uri,
          file,
          doc.lineOf(track, 'trackUri'),
        );
        if (song !== undefined) songs.push(song);
      });
      data.playlists.push({ ownerKey: userKey, name, description, songs });
    });
    progress.update(playlists.length);
  }
  progress.stop();
}

type JsonObject = Record<string, unknown>;

/**
 * A parsed JSON document that can say on which line each of its objects starts. JSON.parse
 * keeps no positions, so the text is scanned once for the offsets of its "{" (outside strings),
 * which come in the same order as a depth-first walk of the parsed value meets the objects.
 */
class LocatedJson {
  readonly value: unknown;
  private readonly starts = new WeakMap<object, { offset: number; end: number }>();
  private readonly lineStarts: number[] = [0];

  constructor(readonly file: string, private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    try {
      this.value = JSON.parse(text);
    } catch (error) {
      throw new ImportFormatError(file, this.syntaxErrorLine(error as Error), `invalid JSON: ${(error as Error).message}`);
    }
    const offsets: number[] = [];
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92) i++; // backslash: skip the escaped character
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123) offsets.push(i);
    }
    let next = 0;
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        for (const x of v) walk(x);
      } else if (typeof v === 'object' && v !== null) {
        const k = next++;
        // An object's own fields lie between its "{" and the next "{" (exact for flat objects).
        this.starts.set(v, { offset: offsets[k] ?? 0, end: offsets[k + 1] ?? text.length });
        for (const x of Object.values(v)) walk(x);
      }
    };
    walk(this.value);
  }

  /** The line of `key` in `obj` when found among its own fields, else the line `obj` starts on. */
  lineOf(obj: object, key?: string): number {
    const at = this.starts.get(obj);
    if (!at) return 1;
    if (key !== undefined) {
      const found = this.text.indexOf(JSON.stringify(key), at.offset);
      if (found >= 0 && found < at.end) return this.lineAt(found);
    }
    return this.lineAt(at.offset);
  }

  /** `value` as an object; otherwise an error at the line of `near` (its container), if known. */
  object(value: unknown, what: string, near?: object): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ImportFormatError(this.file, near ? this.lineOf(near) : 1, `${what} must be a JSON object, got ${JSON.stringify(value) ?? 'nothing'}`);
    }
    return value as JsonObject;
  }

  /** A string field; null or absent is "" unless required. */
  string(obj: JsonObject, key: string, required: boolean): string {
    const v = obj[key];
    if (typeof v === 'string' && (v !== '' || !required)) return v;
    if ((v === null || v === undefined) && !required) return '';
    throw new ImportFormatError(this.file, this.lineOf(obj, key), `"${key}" must be a ${required ? 'non-empty ' : ''}string, got ${JSON.stringify(v) ?? 'nothing'}`);
  }

  natural(obj: JsonObject, key: string): number {
    const v = obj[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    throw new ImportFormatError(this.file, this.lineOf(obj, key), `"${key}" must be a whole number of milliseconds, got ${JSON.stringify(v) ?? 'nothing'}`);
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private syntaxErrorLine(error: Error): number {
    const lineCol = /line (\d+) column/.exec(error.message);
    if (lineCol) return Number(lineCol[1]);
    const position = /position (\d+)/.exec(error.message);
    if (position) return this.lineAt(Number(position[1]));
    // "Unexpected end of JSON input": the file stops short, on its last line with content.
    return this.lineAt(this.text.trimEnd().length);
  }
}
