/**
 * The importers by format name, as the import CLI offers them. Each reads a dataset from a
 * path, validates all of it, then writes it to the store; see the modules for the details.
 */
import { importLastfm2k } from './lastfm-2k.js';
import type { Importer } from './shared.js';
import { importSpotifyFeatures } from './spotify-features.js';
import { importSpotifyHistory } from './spotify-history.js';

export type { ImportOptions, ImportSummary, Importer } from './shared.js';
export { ImportInputError } from './shared.js';
export { importLastfm2k, importSpotifyFeatures, importSpotifyHistory };

export interface ImporterEntry {
  run: Importer;
  /** What the path argument names. */
  path: string;
  description: string;
}

export const IMPORTERS: Readonly<Record<string, ImporterEntry>> = {
  'lastfm-2k': {
    run: importLastfm2k,
    path: '<folder>',
    description: 'HetRec 2011 Last.fm 2K dataset (artists.dat, user_artists.dat, user_friends.dat, tags.dat, user_taggedartists.dat)',
  },
  'spotify-history': {
    run: importSpotifyHistory,
    path: '<folder|file>',
    description:
      'Spotify listening histories: listens.csv(.gz) [+ playlists.csv, playlist_tracks.csv], or StreamingHistory*.json [+ Playlist*.json] (--user <id> names their user)',
  },
  'spotify-features': {
    run: importSpotifyFeatures,
    path: '<csv|folder>',
    description: 'Spotify tracks with audio features (track_id, track_name, track_artist, playlist_genre, danceability, …)',
  },
};
