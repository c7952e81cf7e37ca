/**
 * The embedded store: one SQLite file through better-sqlite3, so a fresh clone runs with no
 * database server. Each aggregate is a table holding the record as JSON plus the columns its
 * queries filter and order by. WAL mode lets a reader (the API) and a writer (an importer in
 * another process) share the file; synchronous=FULL keeps an acknowledged interaction on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../ports.js';
import { SqliteArtists, SqliteTracks, SqliteUsers } from './catalogue.js';
import { SqliteInteractions } from './interactions.js';
import { SqliteModelVersions } from './model-versions.js';
import { SqlitePlaylists } from './playlists.js';
import { SCHEMA } from './schema.js';

export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly db: Database.Database;
  readonly users: SqliteUsers;
  readonly artists: SqliteArtists;
  readonly tracks: SqliteTracks;
  readonly playlists: SqlitePlaylists;
  readonly interactions: SqliteInteractions;
  readonly modelVersions: SqliteModelVersions;
  private closing?: Promise<void>;

  /** `file` is a path, or ':memory:' for a private in-memory database. */
  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = OFF');
    // An importer in another process may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.users = new SqliteUsers(this.db);
    this.artists = new SqliteArtists(this.db);
    this.tracks = new SqliteTracks(this.db);
    this.playlists = new SqlitePlaylists(this.db);
    this.interactions = new SqliteInteractions(this.db);
    this.modelVersions = new SqliteModelVersions(this.db);
  }

  async init(): Promise<void> {
    // The schema is created in the constructor (CREATE … IF NOT EXISTS); nothing else to do.
  }

  close(): Promise<void> {
    this.closing ??= Promise.resolve().then(() => {
      if (this.db.open) this.db.close();
    });
    return this.closing;
  }
}
