/**
 * Parsed data: songs, users, listens (column-wise, to keep ~1M listens small) and playlists,
 * and the users, artists, tracks, playlists and interactions built from them.
 */
import { ImportFormatError } from '../../domain/errors.js';
import type { Artist, Interaction, Playlist, Track, User } from '../../domain/types.js';
import { foldText, trackSearchText } from '../../lib/text.js';
import { quote, shortHash } from '../shared.js';
import { looksLikeEpisode, USER_KEY } from './fields.js';

export const SPOTIFY_HISTORY_SOURCE = 'spotify-history';
/** A listen shorter than this is a skip. */
export const SKIP_THRESHOLD_MS = 30_000;

export const spotifyUserId = (userKey: string): string => `spotify-${userKey}`;

export interface ParsedPlaylist {
  ownerKey: string;
  name: string;
  description?: string;
  /** Song indexes in playlist order. */
  songs: number[];
}

export class HistoryData {
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
