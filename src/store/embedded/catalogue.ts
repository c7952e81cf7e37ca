import type Database from 'better-sqlite3';
import type { Artist, Track, User } from '../../domain/types.js';
import { foldText, searchWords } from '../../lib/text.js';
import type { ArtistRepository, Page, PageRequest, TrackQuery, TrackRepository, UserRepository } from '../ports.js';
import { toPage } from '../page-keys.js';
import { countRows, getManyById, likeContains } from './sql-helpers.js';

export class SqliteUsers implements UserRepository {
  constructor(private readonly db: Database.Database) {}

  async getMany(ids: readonly string[]): Promise<(User | undefined)[]> {
    return getManyById<User>(this.db, 'users', ids);
  }

  async count(): Promise<number> {
    return countRows(this.db, 'users');
  }

  async upsertMany(users: readonly User[]): Promise<void> {
    const upsert = this.db.prepare('INSERT INTO users (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc');
    this.db.transaction(() => {
      for (const user of users) upsert.run(user.id, JSON.stringify(user));
    })();
  }

  async list(page: PageRequest): Promise<Page<User>> {
    const rows = this.db
      .prepare('SELECT doc FROM users WHERE id > ? ORDER BY id LIMIT ?')
      .all(page.after ?? '', page.first + 1) as { doc: string }[];
    return toPage(rows.map((r) => JSON.parse(r.doc) as User), page, (u) => u.id);
  }
}

export class SqliteArtists implements ArtistRepository {
  constructor(private readonly db: Database.Database) {}

  async getMany(ids: readonly string[]): Promise<(Artist | undefined)[]> {
    return getManyById<Artist>(this.db, 'artists', ids);
  }

  async count(): Promise<number> {
    return countRows(this.db, 'artists');
  }

  async upsertMany(artists: readonly Artist[]): Promise<void> {
    const upsert = this.db.prepare(
      'INSERT INTO artists (id, search_text, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET search_text = excluded.search_text, doc = excluded.doc',
    );
    this.db.transaction(() => {
      for (const artist of artists) upsert.run(artist.id, foldText(artist.name), JSON.stringify(artist));
    })();
  }

  async list(query: { text?: string }, page: PageRequest): Promise<Page<Artist>> {
    const words = query.text ? searchWords(query.text) : [];
    const where = ['id > ?', ...words.map(() => "search_text LIKE ? ESCAPE '\\'")];
    const rows = this.db
      .prepare(`SELECT doc FROM artists WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`)
      .all(page.after ?? '', ...words.map(likeContains), page.first + 1) as { doc: string }[];
    return toPage(rows.map((r) => JSON.parse(r.doc) as Artist), page, (a) => a.id);
  }
}

export class SqliteTracks implements TrackRepository {
  constructor(private readonly db: Database.Database) {}

  async getMany(ids: readonly string[]): Promise<(Track | undefined)[]> {
    return getManyById<Track>(this.db, 'tracks', ids);
  }

  async count(): Promise<number> {
    return countRows(this.db, 'tracks');
  }

  async upsertMany(tracks: readonly Track[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO tracks (id, search_text, release_date, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET search_text = excluded.search_text, release_date = excluded.release_date, doc = excluded.doc`,
    );
    const clearArtists = this.db.prepare('DELETE FROM track_artists WHERE track_id = ?');
    const clearGenres = this.db.prepare('DELETE FROM track_genres WHERE track_id = ?');
    const addArtist = this.db.prepare('INSERT OR IGNORE INTO track_artists (artist_id, track_id) VALUES (?, ?)');
    const addGenre = this.db.prepare('INSERT OR IGNORE INTO track_genres (genre, track_id) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const track of tracks) {
        upsert.run(track.id, track.searchText, track.releaseDate ?? null, JSON.stringify(track));
        clearArtists.run(track.id);
        clearGenres.run(track.id);
        for (const artistId of track.artistIds) addArtist.run(artistId, track.id);
        for (const genre of track.genres) addGenre.run(genre, track.id);
      }
    })();
  }

  async list(query: TrackQuery, page: PageRequest): Promise<Page<Track>> {
    const where: string[] = ['t.id > ?'];
    const params: unknown[] = [page.after ?? ''];
    for (const word of query.text ? searchWords(query.text) : []) {
      where.push("t.search_text LIKE ? ESCAPE '\\'");
      params.push(likeContains(word));
    }
    if (query.genre !== undefined) {
      where.push('t.id IN (SELECT track_id FROM track_genres WHERE genre = ?)');
      params.push(query.genre);
    }
    if (query.artistId !== undefined) {
      where.push('t.id IN (SELECT track_id FROM track_artists WHERE artist_id = ?)');
      params.push(query.artistId);
    }
    if (query.releasedFrom !== undefined) {
      where.push('t.release_date >= ?');
      params.push(query.releasedFrom);
    }
    if (query.releasedTo !== undefined) {
      // "2019" as an upper bound includes every date within 2019.
      where.push('t.release_date <= ?');
      params.push(`${query.releasedTo}\uffff`);
    }
    const rows = this.db
      .prepare(`SELECT t.doc FROM tracks t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ?`)
      .all(...params, page.first + 1) as { doc: string }[];
    return toPage(rows.map((r) => JSON.parse(r.doc) as Track), page, (t) => t.id);
  }
}
