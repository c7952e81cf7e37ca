/**
 * Loaders for evaluation data, read straight from the dataset files (never through the store),
 * so that an evaluation is reproducible from the files and the command line alone.
 *
 * - Last.fm 2K (HetRec 2011): `user_artists.dat` (userID, artistID, weight; tab-separated,
 *   header, CRLF). Every row is one binary user–artist pair; the weights (play counts) are
 *   ignored. Items are all artists of the file (17,632), indexed by ascending id.
 * - Spotify listening histories: `listens.csv(.gz)` (user_id, end_time_utc, artist_name,
 *   track_name, ms_played). Items are tracks (folded artist + title, as the importer
 *   identifies songs) or artists (folded name). Podcast episodes are left out with the
 *   importer's heuristic; skips are kept (the split decides what a positive is).
 */
import fs from 'node:fs';
import path from 'node:path';
import { looksLikeEpisode, parseEndTime } from '../importers/spotify-history.js';
import { ImportInputError, csvColumns, parseNatural, readCsv, readTsv, songKey } from '../importers/shared.js';
import { foldText } from '../lib/text.js';
import { IdIndex } from '../models/cf/matrix.js';
import type { ListenLog, PairData } from './split.js';

export const LASTFM_PLAYS_FILE = 'user_artists.dat';

/** `dir` may be the dataset folder or the user_artists.dat file itself. */
export async function loadLastfm2k(dir: string): Promise<PairData> {
  const file = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? path.join(dir, LASTFM_PLAYS_FILE) : dir;
  if (!fs.existsSync(file)) throw new ImportInputError(`${file}: not found (expected the HetRec Last.fm 2K ${LASTFM_PLAYS_FILE})`);
  const tsv = await readTsv(file, { columns: ['userID', 'artistID', 'weight'] });
  const n = tsv.rows.length;
  const rawUser = new Int32Array(n);
  const rawItem = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const { fields, line } = tsv.rows[k];
    rawUser[k] = parseNatural(fields[0].trim(), file, line, 'userID');
    rawItem[k] = parseNatural(fields[1].trim(), file, line, 'artistID');
  }
  // Indices by ascending id: independent of the row order of the file.
  const users = IdIndex.from([...new Set(rawUser)].sort((a, b) => a - b).map(String));
  const items = IdIndex.from([...new Set(rawItem)].sort((a, b) => a - b).map(String));
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    user[k] = users.get(String(rawUser[k])) as number;
    item[k] = items.get(String(rawItem[k])) as number;
  }
  return { users, items, user, item };
}

export type SpotifyTarget = 'track' | 'artist';

export interface SpotifyListens extends ListenLog {
  readonly target: SpotifyTarget;
  /** Listens left out as podcast episodes. */
  readonly podcastListens: number;
}

/** `input` may be the dataset folder (listens.csv.gz or listens.csv inside) or the file. */
export async function loadSpotifyListens(input: string, target: SpotifyTarget): Promise<SpotifyListens> {
  let file = input;
  if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
    const found = ['listens.csv.gz', 'listens.csv'].map((name) => path.join(input, name)).find((p) => fs.existsSync(p));
    if (!found) throw new ImportInputError(`${input}: found neither listens.csv.gz nor listens.csv`);
    file = found;
  } else if (!fs.existsSync(input)) {
    throw new ImportInputError(`${input}: not found`);
  }
  const users = new IdIndex();
  const items = new IdIndex();
  const user: number[] = [];
  const item: number[] = [];
  const time: number[] = [];
  const ms: number[] = [];
  let podcastListens = 0;
  const itemOfRaw = new Map<string, number>(); // raw artist\u001ftitle → item (or -1: episode)
  let col: { user_id: number; end_time_utc: number; artist_name: number; track_name: number; ms_played: number } | undefined;
  for await (const row of readCsv(file)) {
    if (!col) {
      col = csvColumns(file, row, ['user_id', 'end_time_utc', 'artist_name', 'track_name', 'ms_played']);
      continue;
    }
    const { fields, line } = row;
    const artist = fields[col.artist_name].trim();
    const title = fields[col.track_name].trim();
    const raw = `${artist}\u001f${title}`;
    let i = itemOfRaw.get(raw);
    if (i === undefined) {
      i = looksLikeEpisode(artist, title) ? -1 : items.add(target === 'track' ? songKey(artist, title) : foldText(artist));
      itemOfRaw.set(raw, i);
    }
    if (i < 0) {
      podcastListens++;
      continue;
    }
    const userKey = fields[col.user_id].trim();
    if (userKey === '') throw new ImportInputError(`${file}:${line}: user_id is empty`);
    user.push(users.add(userKey));
    item.push(i);
    time.push(parseEndTime(fields[col.end_time_utc], file, line));
    ms.push(parseNatural(fields[col.ms_played].trim(), file, line, 'ms_played'));
  }
  if (!col) throw new ImportInputError(`${file}: empty; expected a header with user_id, end_time_utc, artist_name, track_name, ms_played`);
  return {
    users,
    items,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    time: Float64Array.from(time),
    msPlayed: Float64Array.from(ms),
    target,
    podcastListens,
  };
}
