/**
 * One playlist item, from the CSV or the JSON export: its song, or counted as skipped when it
 * is not a music track.
 */
import { ImportFormatError } from '../../domain/errors.js';
import { quote, SPOTIFY_ID } from '../shared.js';
import type { HistoryData } from './history-data.js';

/** Records one playlist item; undefined (and counted as skipped) for episodes, local files and nameless items. */
export function playlistSong(
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
