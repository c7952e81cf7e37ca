/**
 * Playlists: create, rename, add, remove, reorder, delete. Every change checks ownership,
 * checks that added tracks exist, and writes with an optimistic revision check, so two
 * clients editing at once never silently overwrite each other.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Playlist, PlaylistKind } from '../domain/types.js';
import type { Store } from '../store/ports.js';
import { assertCanActFor, type Viewer } from './access.js';
import { type Connection, type PageArgs, toConnection, toPageRequest } from './paging.js';
import { Problems } from './validation.js';

export const MAX_PLAYLIST_TRACKS = 10_000;
export const MAX_TRACKS_PER_CHANGE = 500;

export interface CreatePlaylistInput {
  ownerId: string;
  name: string;
  description?: string | null;
  kind?: PlaylistKind | null;
  trackIds?: string[] | null;
}

export class PlaylistService {
  constructor(
    private readonly store: Store,
    private readonly maxPageSize: number,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = () => `pl-${crypto.randomUUID()}`,
  ) {}

  async byOwner(viewer: Viewer, ownerId: string, args: PageArgs): Promise<Connection<Playlist>> {
    const page = await this.store.playlists.listByOwner(ownerId, toPageRequest(args, this.maxPageSize));
    return toConnection(page, (p) => `${p.createdAt}:${p.id}`);
  }

  async create(viewer: Viewer, input: CreatePlaylistInput): Promise<Playlist> {
    const problems = new Problems();
    problems.id('input.ownerId', input.ownerId);
    problems.text('input.name', input.name, 200, true);
    problems.text('input.description', input.description, 2000);
    problems.range('input.trackIds', input.trackIds?.length, 0, MAX_TRACKS_PER_CHANGE);
    problems.throwIfAny('playlist');
    assertCanActFor(viewer, input.ownerId);
    const [owner] = await this.store.users.getMany([input.ownerId]);
    if (!owner) throw new NotFoundError('User', input.ownerId, 'input.ownerId');
    const trackIds = input.trackIds ?? [];
    await this.assertTracksExist(trackIds, 'input.trackIds');
    const now = this.now();
    const playlist: Playlist = {
      id: this.newId(),
      ownerId: input.ownerId,
      name: input.name.trim(),
      ...(input.description ? { description: input.description } : {}),
      kind: input.kind ?? 'USER',
      trackIds,
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.playlists.insert(playlist);
    return playlist;
  }

  async rename(viewer: Viewer, id: string, name: string, description: string | null | undefined, expectedRevision?: number | null): Promise<Playlist> {
    const problems = new Problems();
    problems.text('name', name, 200, true);
    problems.text('description', description, 2000);
    problems.throwIfAny('playlist');
    return this.change(viewer, id, expectedRevision, (p) => {
      p.name = name.trim();
      if (description !== undefined) {
        if (description === null || description === '') delete p.description;
        else p.description = description;
      }
    });
  }

  /** Inserts tracks before `position` (the end when absent). */
  async addTracks(viewer: Viewer, id: string, trackIds: string[], position?: number | null, expectedRevision?: number | null): Promise<Playlist> {
    const problems = new Problems();
    problems.batch('trackIds', trackIds.length, MAX_TRACKS_PER_CHANGE);
    problems.throwIfAny('tracks to add');
    await this.assertTracksExist(trackIds, 'trackIds');
    return this.change(viewer, id, expectedRevision, (p) => {
      const at = position ?? p.trackIds.length;
      if (!Number.isInteger(at) || at < 0 || at > p.trackIds.length) {
        throw new InvalidInputError(`position must be from 0 to ${p.trackIds.length} (the playlist's length), got ${at}`);
      }
      if (p.trackIds.length + trackIds.length > MAX_PLAYLIST_TRACKS) {
        throw new InvalidInputError(`a playlist holds at most ${MAX_PLAYLIST_TRACKS} tracks`);
      }
      p.trackIds.splice(at, 0, ...trackIds);
    });
  }

  /** Removes every occurrence of the given tracks. */
  async removeTracks(viewer: Viewer, id: string, trackIds: string[], expectedRevision?: number | null): Promise<Playlist> {
    const problems = new Problems();
    problems.batch('trackIds', trackIds.length, MAX_TRACKS_PER_CHANGE);
    problems.throwIfAny('tracks to remove');
    const remove = new Set(trackIds);
    return this.change(viewer, id, expectedRevision, (p) => {
      p.trackIds = p.trackIds.filter((t) => !remove.has(t));
    });
  }

  /** Moves `rangeLength` tracks starting at `rangeStart` to before the track now at `insertBefore`. */
  async reorder(viewer: Viewer, id: string, rangeStart: number, insertBefore: number, rangeLength = 1, expectedRevision?: number | null): Promise<Playlist> {
    return this.change(viewer, id, expectedRevision, (p) => {
      const n = p.trackIds.length;
      if (!Number.isInteger(rangeStart) || rangeStart < 0 || !Number.isInteger(rangeLength) || rangeLength < 1 || rangeStart + rangeLength > n) {
        throw new InvalidInputError(`rangeStart ${rangeStart} and rangeLength ${rangeLength} must select tracks within the playlist's ${n}`);
      }
      if (!Number.isInteger(insertBefore) || insertBefore < 0 || insertBefore > n) {
        throw new InvalidInputError(`insertBefore must be from 0 to ${n}, got ${insertBefore}`);
      }
      const moved = p.trackIds.splice(rangeStart, rangeLength);
      const target = insertBefore > rangeStart ? Math.max(rangeStart, insertBefore - rangeLength) : insertBefore;
      p.trackIds.splice(target, 0, ...moved);
    });
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const playlist = await this.load(id);
    assertCanActFor(viewer, playlist.ownerId);
    return this.store.playlists.delete(id);
  }

  private async load(id: string): Promise<Playlist> {
    const [playlist] = await this.store.playlists.getMany([id]);
    if (!playlist) throw new NotFoundError('Playlist', id);
    return playlist;
  }

  /**
   * Applies `edit` to a copy and writes it at the next revision. With `expectedRevision` the
   * client says which version it edited; a mismatch is a conflict it must resolve.
   */
  private async change(viewer: Viewer, id: string, expectedRevision: number | null | undefined, edit: (p: Playlist) => void): Promise<Playlist> {
    const current = await this.load(id);
    assertCanActFor(viewer, current.ownerId);
    if (expectedRevision != null && expectedRevision !== current.revision) {
      throw new ConflictError(`playlist "${id}" is at revision ${current.revision}, not ${expectedRevision}: read it again and retry`);
    }
    const next: Playlist = { ...current, trackIds: [...current.trackIds] };
    edit(next);
    next.revision = current.revision + 1;
    next.updatedAt = this.now();
    await this.store.playlists.replace(next, current.revision);
    return next;
  }

  private async assertTracksExist(trackIds: readonly string[], path: string): Promise<void> {
    const unique = [...new Set(trackIds)];
    const found = await this.store.tracks.getMany(unique);
    const missing = unique.find((_, i) => found[i] === undefined);
    if (missing !== undefined) throw new NotFoundError('Track', missing, path);
  }
}
