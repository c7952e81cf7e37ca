/**
 * CSV inputs of the prepared dataset: listens.csv(.gz), and playlists.csv with
 * playlist_tracks.csv.
 */
import path from 'node:path';
import { ImportFormatError } from '../../domain/errors.js';
import type { Progress } from '../../lib/progress.js';
import { csvColumns, parseNatural, quote, readCsv, throttledUpdate } from '../shared.js';
import { decodeEntities, parseEndTime } from './fields.js';
import type { HistoryData, ParsedPlaylist } from './history-data.js';
import { playlistSong } from './playlist-items.js';

export async function readListensCsv(file: string, data: HistoryData, progress: Progress): Promise<void> {
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

export async function readPlaylistsCsv(playlistsFile: string, tracksFile: string, data: HistoryData, progress: Progress): Promise<void> {
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
