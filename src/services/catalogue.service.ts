/**
 * The catalogue: reading, searching and (for admins) upserting tracks and artists.
 */
import { NotFoundError } from '../domain/errors.js';
import type { Artist, AudioFeatures, Track } from '../domain/types.js';
import { trackSearchText } from '../lib/text.js';
import type { Store } from '../store/ports.js';
import { assertAdmin, type Viewer } from './access.js';
import { type Connection, type PageArgs, toConnection, toPageRequest } from './paging.js';
import { Problems } from './validation.js';

export interface TrackInput {
  id: string;
  title: string;
  artistIds: string[];
  album?: string | null;
  durationMs?: number | null;
  releaseDate?: string | null;
  genres?: string[] | null;
  tags?: string[] | null;
  audioFeatures?: AudioFeatures | null;
  popularity?: number | null;
}

export interface ArtistInput {
  id: string;
  name: string;
  genres?: string[] | null;
  tags?: string[] | null;
  url?: string | null;
  imageUrl?: string | null;
}

export interface TrackFilter {
  genre?: string | null;
  artistId?: string | null;
  releasedFrom?: string | null;
  releasedTo?: string | null;
}

export const MAX_UPSERT_BATCH = 1000;

/** Valid ranges of Spotify-style audio features. */
const FEATURE_RANGES: Record<keyof AudioFeatures, [number, number]> = {
  danceability: [0, 1], energy: [0, 1], speechiness: [0, 1], acousticness: [0, 1], instrumentalness: [0, 1],
  liveness: [0, 1], valence: [0, 1], key: [-1, 11], mode: [0, 1], loudness: [-80, 10], tempo: [0, 400],
};

export class CatalogueService {
  private readonly changeListeners: (() => void)[] = [];

  constructor(private readonly store: Store, private readonly maxPageSize: number) {}

  /** Called after tracks or artists were upserted (the recommendation pipeline's snapshots follow). */
  onChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  async searchTracks(search: string | undefined | null, filter: TrackFilter | undefined | null, args: PageArgs): Promise<Connection<Track>> {
    const problems = new Problems();
    problems.text('search', search, 200);
    problems.isoDate('filter.releasedFrom', filter?.releasedFrom);
    problems.isoDate('filter.releasedTo', filter?.releasedTo);
    problems.throwIfAny('track search');
    const page = await this.store.tracks.list(
      {
        text: search ?? undefined,
        genre: filter?.genre ?? undefined,
        artistId: filter?.artistId ?? undefined,
        releasedFrom: filter?.releasedFrom ?? undefined,
        releasedTo: filter?.releasedTo ?? undefined,
      },
      toPageRequest(args, this.maxPageSize),
    );
    return toConnection(page, (t) => t.id);
  }

  async searchArtists(search: string | undefined | null, args: PageArgs): Promise<Connection<Artist>> {
    const problems = new Problems();
    problems.text('search', search, 200);
    problems.throwIfAny('artist search');
    const page = await this.store.artists.list({ text: search ?? undefined }, toPageRequest(args, this.maxPageSize));
    return toConnection(page, (a) => a.id);
  }

  async tracksOfArtist(artistId: string, args: PageArgs): Promise<Connection<Track>> {
    const page = await this.store.tracks.list({ artistId }, toPageRequest(args, this.maxPageSize));
    return toConnection(page, (t) => t.id);
  }

  async upsertArtists(viewer: Viewer, inputs: readonly ArtistInput[]): Promise<Artist[]> {
    assertAdmin(viewer, 'upsertArtists');
    const problems = new Problems();
    problems.batch('artists', inputs.length, MAX_UPSERT_BATCH);
    inputs.forEach((input, i) => {
      problems.id(`artists[${i}].id`, input.id);
      problems.text(`artists[${i}].name`, input.name, 500, true);
      problems.text(`artists[${i}].url`, input.url, 2000);
      problems.text(`artists[${i}].imageUrl`, input.imageUrl, 2000);
    });
    problems.throwIfAny('artists');
    const artists = inputs.map(
      (input): Artist => ({
        id: input.id,
        name: input.name.trim(),
        genres: dedupe(input.genres ?? []),
        tags: dedupe(input.tags ?? []).map((tag) => ({ tag, count: 1 })),
        ...(input.url ? { url: input.url } : {}),
        ...(input.imageUrl ? { imageUrl: input.imageUrl } : {}),
        source: 'api',
      }),
    );
    await this.store.artists.upsertMany(artists);
    for (const listener of this.changeListeners) listener();
    return artists;
  }

  /** Upserts tracks whose artists all exist; an unknown artist fails the whole batch. */
  async upsertTracks(viewer: Viewer, inputs: readonly TrackInput[]): Promise<Track[]> {
    assertAdmin(viewer, 'upsertTracks');
    const problems = new Problems();
    problems.batch('tracks', inputs.length, MAX_UPSERT_BATCH);
    inputs.forEach((input, i) => validateTrack(problems, `tracks[${i}]`, input));
    problems.throwIfAny('tracks');

    const artistIds = dedupe(inputs.flatMap((t) => t.artistIds));
    const artists = await this.store.artists.getMany(artistIds);
    const names = new Map<string, string>();
    artists.forEach((artist, i) => {
      if (!artist) throw new NotFoundError('Artist', artistIds[i]);
      names.set(artist.id, artist.name);
    });
    const tracks = inputs.map((input): Track => {
      const track: Track = {
        id: input.id,
        title: input.title.trim(),
        artistIds: dedupe(input.artistIds),
        genres: dedupe(input.genres ?? []),
        tags: dedupe(input.tags ?? []),
        searchText: trackSearchText(input.title, input.album ?? undefined, input.artistIds.map((id) => names.get(id) ?? '')),
        source: 'api',
      };
      if (input.album) track.album = input.album;
      if (input.durationMs != null) track.durationMs = input.durationMs;
      if (input.releaseDate) track.releaseDate = input.releaseDate;
      if (input.audioFeatures) track.audioFeatures = stripNulls(input.audioFeatures);
      if (input.popularity != null) track.popularity = input.popularity;
      return track;
    });
    await this.store.tracks.upsertMany(tracks);
    for (const listener of this.changeListeners) listener();
    return tracks;
  }
}

function validateTrack(problems: Problems, path: string, input: TrackInput): void {
  problems.id(`${path}.id`, input.id);
  problems.text(`${path}.title`, input.title, 500, true);
  problems.text(`${path}.album`, input.album, 500);
  if (input.artistIds.length === 0) problems.add(`${path}.artistIds`, 'must name at least one artist');
  if (input.artistIds.length > 20) problems.add(`${path}.artistIds`, 'may name at most 20 artists');
  input.artistIds.forEach((id, j) => problems.id(`${path}.artistIds[${j}]`, id));
  problems.range(`${path}.durationMs`, input.durationMs, 0, 24 * 3600 * 1000, true);
  problems.range(`${path}.popularity`, input.popularity, 0, 100);
  problems.isoDate(`${path}.releaseDate`, input.releaseDate);
  for (const [name, value] of Object.entries(input.audioFeatures ?? {})) {
    const range = FEATURE_RANGES[name as keyof AudioFeatures];
    if (range) problems.range(`${path}.audioFeatures.${name}`, value as number | null, range[0], range[1]);
  }
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}

function stripNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}
