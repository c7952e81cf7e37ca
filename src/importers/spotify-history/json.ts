/**
 * Spotify's JSON export: StreamingHistory*.json (listens) and Playlist*.json (playlists).
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ImportFormatError } from '../../domain/errors.js';
import type { Progress } from '../../lib/progress.js';
import { quote } from '../shared.js';
import { decodeEntities, parseEndTime } from './fields.js';
import type { HistoryData } from './history-data.js';
import { LocatedJson } from './located-json.js';
import { playlistSong } from './playlist-items.js';

/**
 * Reads a StreamingHistory or Playlist JSON file. Problems name the line where the offending
 * item starts (or where its field is, for flat items); a syntax error names its own line.
 */
export async function readJson(file: string, userKey: string, kind: 'history' | 'podcasts' | 'playlists' | undefined, data: HistoryData, progress: Progress): Promise<void> {
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
