import type Database from 'better-sqlite3';
import { ConflictError } from '../../domain/errors.js';
import type { Playlist } from '../../domain/types.js';
import type { Page, PageRequest, PlaylistRepository } from '../ports.js';
import { numericKey } from '../page-keys.js';
import { type NewestFirst, countRows, getManyById, pageNewestFirst } from './sql-helpers.js';

const BY_OWNER_NEWEST: NewestFirst = { table: 'playlists', ownerColumn: 'owner_id', timeColumn: 'created_at', idColumn: 'id' };

export class SqlitePlaylists implements PlaylistRepository {
  constructor(private readonly db: Database.Database) {}

  async getMany(ids: readonly string[]): Promise<(Playlist | undefined)[]> {
    return getManyById<Playlist>(this.db, 'playlists', ids);
  }

  async count(): Promise<number> {
    return countRows(this.db, 'playlists');
  }

  async insert(playlist: Playlist): Promise<void> {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO playlists (id, owner_id, created_at, revision, doc) VALUES (?, ?, ?, ?, ?)')
      .run(playlist.id, playlist.ownerId, playlist.createdAt, playlist.revision, JSON.stringify(playlist));
    if (result.changes === 0) throw new ConflictError(`playlist "${playlist.id}" already exists`);
  }

  async replace(playlist: Playlist, expectedRevision: number): Promise<void> {
    const result = this.db
      .prepare('UPDATE playlists SET owner_id = ?, created_at = ?, revision = ?, doc = ? WHERE id = ? AND revision = ?')
      .run(playlist.ownerId, playlist.createdAt, playlist.revision, JSON.stringify(playlist), playlist.id, expectedRevision);
    if (result.changes === 0) {
      const exists = this.db.prepare('SELECT 1 FROM playlists WHERE id = ?').get(playlist.id) !== undefined;
      throw new ConflictError(
        exists
          ? `playlist "${playlist.id}" changed since revision ${expectedRevision}: read it again and retry`
          : `playlist "${playlist.id}" no longer exists`,
      );
    }
  }

  async listByOwner(ownerId: string, page: PageRequest): Promise<Page<Playlist>> {
    return pageNewestFirst<Playlist>(this.db, BY_OWNER_NEWEST, ownerId, page, (p) => numericKey(p.createdAt, p.id));
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM playlists WHERE id = ?').run(id).changes > 0;
  }
}
