import { type Collection, MongoServerError } from 'mongodb';
import { ConflictError } from '../../domain/errors.js';
import type { Playlist } from '../../domain/types.js';
import type { Page, PageRequest, PlaylistRepository } from '../ports.js';
import { DUPLICATE_KEY, getManyById, RECORD_ONLY, type Stored } from './documents.js';
import { afterDescending, numericKey, toPage } from './paging.js';

export class MongoPlaylists implements PlaylistRepository {
  constructor(private readonly playlists: Collection<Stored<Playlist>>) {}

  getMany(ids: readonly string[]): Promise<(Playlist | undefined)[]> {
    return getManyById<Playlist, Stored<Playlist>>(this.playlists, ids);
  }

  count(): Promise<number> {
    return this.playlists.countDocuments({});
  }

  async insert(playlist: Playlist): Promise<void> {
    try {
      await this.playlists.insertOne({ _id: playlist.id, ...playlist });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
        throw new ConflictError(`playlist "${playlist.id}" already exists`);
      }
      throw error;
    }
  }

  async replace(playlist: Playlist, expectedRevision: number): Promise<void> {
    // The revision in the filter makes this a compare-and-swap: a concurrent edit matches nothing.
    const result = await this.playlists.replaceOne({ _id: playlist.id, revision: expectedRevision }, { ...playlist });
    if (result.matchedCount > 0) return;
    const exists = (await this.playlists.countDocuments({ _id: playlist.id }, { limit: 1 })) > 0;
    throw new ConflictError(
      exists
        ? `playlist "${playlist.id}" changed since revision ${expectedRevision}: read it again and retry`
        : `playlist "${playlist.id}" no longer exists`,
    );
  }

  async listByOwner(ownerId: string, page: PageRequest): Promise<Page<Playlist>> {
    const rows = await this.playlists
      .find<Playlist>(
        { ownerId, ...afterDescending('createdAt', page.after) },
        { projection: RECORD_ONLY, sort: { createdAt: -1, _id: -1 }, limit: page.first + 1 },
      )
      .toArray();
    return toPage(rows, page, (playlist) => numericKey(playlist.createdAt, playlist.id));
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.playlists.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }
}
