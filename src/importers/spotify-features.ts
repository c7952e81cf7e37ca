/**
 * Imports a Spotify tracks + audio features CSV (the "spotify songs" dataset: one row per track
 * and playlist it was found in). The path is the CSV (optionally .gz) or a folder holding
 * exactly one.
 *
 * - tracks: `spotify:track:<track_id>`, with title, album, release date, duration, popularity,
 *   audio features, and genres = playlist_genre and playlist_subgenre merged over the rows of
 *   the same track (a track found in several playlists appears once per playlist); the other
 *   fields come from the track's first row;
 * - artists: one per track_artist string, `sp-a-<hash of the folded name>` — the same scheme as
 *   the spotify-history importer, so listening history and catalogue join. A string naming
 *   several artists ("A & B") is kept as one artist: the file does not separate them reliably.
 *
 * Either column layout of the dataset is read: track_album_release_date or release_year,
 * duration_ms or duration_min; key and mode when present. Rows without a track name or artist
 * (the dataset has a few) are skipped and counted. A value that is not a number where one is
 * expected is an error naming its line.
 */
import path from 'node:path';
import { ImportFormatError } from '../domain/errors.js';
import type { Artist, AudioFeatures, Track } from '../domain/types.js';
import type { Progress } from '../lib/progress.js';
import { trackSearchText } from '../lib/text.js';
import type { Store } from '../store/ports.js';
import {
  type ImportSummary,
  ImportInputError,
  csvColumns,
  insertMissing,
  isDirectory,
  listFolder,
  parseOptionalNumber,
  quote,
  readCsv,
  SPOTIFY_ID,
  spotifyArtistId,
  throttledUpdate,
  writeInChunks,
} from './shared.js';

export const SPOTIFY_FEATURES_SOURCE = 'spotify-features';

const FEATURE_COLUMNS = [
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
] as const satisfies readonly (keyof AudioFeatures)[];

const REQUIRED = ['track_id', 'track_name', 'track_artist'] as const;
const OPTIONAL = [
  'track_popularity',
  'track_album_name',
  'track_album_release_date',
  'release_year',
  'playlist_genre',
  'playlist_subgenre',
  'duration_ms',
  'duration_min',
  ...FEATURE_COLUMNS,
] as const;

export async function importSpotifyFeatures(store: Store, input: string, progress: Progress): Promise<ImportSummary> {
  const file = resolveCsv(input);

  // --- Parse and validate everything -------------------------------------------------------------

  const tracks = new Map<string, Track>();
  const artists = new Map<string, Artist>();
  let rows = 0;
  let skippedNoName = 0;
  progress.start(`Reading ${path.basename(file)}`, 0);
  const tick = throttledUpdate(progress);
  let col: ReturnType<typeof csvColumns<(typeof REQUIRED)[number], (typeof OPTIONAL)[number]>> | undefined;
  for await (const row of readCsv(file)) {
    if (!col) {
      col = csvColumns(file, row, REQUIRED, OPTIONAL);
      continue;
    }
    rows++;
    tick(rows);
    const { line, fields } = row;
    const get = (name: (typeof OPTIONAL)[number]): string | undefined => {
      const at = col?.[name];
      return at === undefined ? undefined : fields[at].trim();
    };
    const number = (name: (typeof OPTIONAL)[number]): number | undefined => parseOptionalNumber(get(name), file, line, name);

    const spotifyId = fields[col.track_id].trim();
    if (!SPOTIFY_ID.test(spotifyId)) throw new ImportFormatError(file, line, `track_id must be a 22-character Spotify id, got ${quote(spotifyId)}`);
    const title = fields[col.track_name].trim();
    const artistName = fields[col.track_artist].trim();
    // Validate the numbers of every row, including the rows of tracks already seen.
    const popularity = number('track_popularity');
    if (popularity !== undefined && (popularity < 0 || popularity > 100)) {
      throw new ImportFormatError(file, line, `track_popularity must be from 0 to 100, got ${popularity}`);
    }
    const durationMs = durationOf(number('duration_ms'), number('duration_min'), file, line);
    const audioFeatures: AudioFeatures = {};
    for (const name of FEATURE_COLUMNS) {
      const value = number(name);
      if (value !== undefined) audioFeatures[name] = value;
    }
    const releaseDate = releaseDateOf(get('track_album_release_date') || get('release_year'), file, line);
    const genres = [get('playlist_genre'), get('playlist_subgenre')].filter((g): g is string => !!g);

    if (title === '' || artistName === '') {
      skippedNoName++;
      continue;
    }
    const id = `spotify:track:${spotifyId}`;
    const seen = tracks.get(id);
    if (seen) {
      for (const genre of genres) if (!seen.genres.includes(genre)) seen.genres.push(genre);
      continue;
    }
    const artistId = spotifyArtistId(artistName);
    if (!artists.has(artistId)) artists.set(artistId, { id: artistId, name: artistName, genres: [], tags: [], source: SPOTIFY_FEATURES_SOURCE });
    const album = get('track_album_name') || undefined;
    const track: Track = {
      id,
      title,
      artistIds: [artistId],
      genres: [...new Set(genres)],
      tags: [],
      searchText: trackSearchText(title, album, [artistName]),
      source: SPOTIFY_FEATURES_SOURCE,
    };
    if (album !== undefined) track.album = album;
    if (durationMs !== undefined) track.durationMs = durationMs;
    if (releaseDate !== undefined) track.releaseDate = releaseDate;
    if (popularity !== undefined) track.popularity = popularity;
    if (Object.keys(audioFeatures).length > 0) track.audioFeatures = audioFeatures;
    tracks.set(id, track);
  }
  if (!col) throw new ImportFormatError(file, 1, `file is empty; expected a header with ${REQUIRED.join(', ')}`);
  progress.update(rows);
  progress.stop();

  // --- Write ---------------------------------------------------------------------------------------

  // Artists carry only a name: keep one stored by an earlier import (e.g. spotify-history).
  const artistsNew = await insertMissing(store.artists, progress, 'Writing artists', [...artists.values()]);
  // This file is the catalogue of record for its tracks: it replaces what other imports stored.
  const trackList = [...tracks.values()];
  await writeInChunks(progress, 'Writing tracks', trackList.length, trackList, (chunk) => store.tracks.upsertMany(chunk));

  return { rows, tracks: tracks.size, artists: artists.size, artistsNew, rowsSkippedNoName: skippedNoName };
}

/** The CSV to read: the path itself, or the one .csv(.gz) file in a folder. */
function resolveCsv(input: string): string {
  if (!isDirectory(input)) return input;
  const candidates = listFolder(input).filter((name) => /\.csv(\.gz)?$/i.test(name));
  if (candidates.length !== 1) {
    throw new ImportInputError(
      `${input}: expected exactly one .csv file in the folder, found ${candidates.length === 0 ? 'none' : candidates.join(', ')}; pass the file instead`,
    );
  }
  return path.join(input, candidates[0]);
}

function durationOf(ms: number | undefined, minutes: number | undefined, file: string, line: number): number | undefined {
  const value = ms ?? (minutes === undefined ? undefined : minutes * 60_000);
  if (value === undefined) return undefined;
  if (value < 0) throw new ImportFormatError(file, line, `the duration must not be negative, got ${value}`);
  return Math.round(value);
}

function releaseDateOf(value: string | undefined, file: string, line: number): string | undefined {
  if (!value) return undefined;
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const month = match?.[2] === undefined ? 1 : Number(match[2]);
  const day = match?.[3] === undefined ? 1 : Number(match[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new ImportFormatError(file, line, `release date must be YYYY, YYYY-MM or YYYY-MM-DD, got ${quote(value)}`);
  }
  return value;
}
