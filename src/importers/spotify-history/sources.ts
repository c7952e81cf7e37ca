/**
 * Finding the input files: which listens CSV, playlist CSVs and StreamingHistory / Playlist
 * JSON files a path names, and whose (user key) each JSON file is.
 */
import path from 'node:path';
import { foldText } from '../../lib/text.js';
import { ImportInputError, isDirectory, listFolder, shortHash } from '../shared.js';

const HISTORY_JSON = /^(.*?)StreamingHistory(_music_|_podcast_|_)?\d*\.json$/i;
const PLAYLIST_JSON = /^(.*?)Playlist\d*\.json$/i;

export interface Sources {
  listensCsv?: string;
  playlistsCsv?: string;
  playlistTracksCsv?: string;
  json: { file: string; userKey: string; kind?: 'history' | 'podcasts' | 'playlists' }[];
}

export function findSources(input: string, user: string | undefined): Sources {
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
