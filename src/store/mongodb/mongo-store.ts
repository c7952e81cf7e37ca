/**
 * The MongoDB store: one collection per aggregate, one document per record with `_id` set to
 * the record's id (an interaction's eventId), so reads by id, upserts and duplicate detection
 * all use the built-in unique `_id` index. Collections are created by their first write.
 *
 * Indexes (created by init(); createIndexes is a no-op for an index that already exists):
 * - tracks {artistIds, _id}, {genres, _id}: the filter and the id order of a filtered page in
 *   one index walk; {releaseDate} for date ranges. Text search is a regex scan (see below).
 * - playlists {ownerId, createdAt desc, _id desc}: listByOwner's order, read straight off it.
 * - interactions {userId, context.timestamp desc, _id desc}: listByUser reads it forwards,
 *   allOfUser backwards. The only secondary index on the busiest collection, to keep ingestion
 *   cheap; scan pages by `_id`.
 * - modelVersions {model, createdAt desc, _id desc}: list(model) and active(model).
 * - users and artists: `_id` only. Artist and track text search is an unanchored regex per
 *   word on `searchText`, which no index speeds up; it runs over the `_id` order of the page.
 *
 * Write concern: interaction inserts ask for `majority` explicitly, because a client drops an
 * event once it is acknowledged and a rolled-back event is lost for good. Other writes use the
 * deployment's default (majority on replica sets since MongoDB 5.0): catalogue imports can be
 * rerun, and playlist edits carry a revision the client re-reads on conflict.
 *
 * `ignoreUndefined`: the driver otherwise stores an undefined optional field as null, and the
 * record would come back with a field it was not given.
 */
import { type Db, type IndexDescription, MongoClient } from 'mongodb';
import type { Interaction, Playlist, Track, User } from '../../domain/types.js';
import type { Store } from '../ports.js';
import { type ArtistDocument, MongoArtists } from './artists.js';
import type { Stored } from './documents.js';
import { MongoInteractions } from './interactions.js';
import { type ModelVersionDocument, MongoModelVersions } from './model-versions.js';
import { MongoPlaylists } from './playlists.js';
import { MongoTracks } from './tracks.js';
import { MongoUsers } from './users.js';

const INDEXES: Record<string, IndexDescription[]> = {
  tracks: [{ key: { artistIds: 1, _id: 1 } }, { key: { genres: 1, _id: 1 } }, { key: { releaseDate: 1 } }],
  playlists: [{ key: { ownerId: 1, createdAt: -1, _id: -1 } }],
  interactions: [{ key: { userId: 1, 'context.timestamp': -1, _id: -1 } }],
  modelVersions: [{ key: { model: 1, createdAt: -1, _id: -1 } }],
};

export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  readonly users: MongoUsers;
  readonly artists: MongoArtists;
  readonly tracks: MongoTracks;
  readonly playlists: MongoPlaylists;
  readonly interactions: MongoInteractions;
  readonly modelVersions: MongoModelVersions;
  private readonly client: MongoClient;
  private readonly db: Db;
  private closing?: Promise<void>;

  constructor(
    private readonly uri: string,
    databaseName: string,
  ) {
    this.client = new MongoClient(uri, { ignoreUndefined: true });
    this.db = this.client.db(databaseName);
    this.users = new MongoUsers(this.db.collection<Stored<User>>('users'));
    this.artists = new MongoArtists(this.db.collection<ArtistDocument>('artists'));
    this.tracks = new MongoTracks(this.db.collection<Stored<Track>>('tracks'));
    this.playlists = new MongoPlaylists(this.db.collection<Stored<Playlist>>('playlists'));
    this.interactions = new MongoInteractions(this.db.collection<Stored<Interaction>>('interactions'));
    this.modelVersions = new MongoModelVersions(this.db.collection<ModelVersionDocument>('modelVersions'));
  }

  async init(): Promise<void> {
    // Connect explicitly so a wrong URI or an unreachable server fails here, at start-up.
    await this.client.connect();
    await Promise.all(Object.entries(INDEXES).map(([collection, indexes]) => this.db.collection(collection).createIndexes(indexes)));
  }

  close(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  /**
   * Drops the whole database; for tests. A closed client refuses every operation, and test
   * clean-up runs even after a test closed the store, so a closed store drops through a
   * short-lived client of its own.
   */
  async dropDatabase(): Promise<void> {
    if (this.closing === undefined) {
      await this.db.dropDatabase();
      return;
    }
    const client = new MongoClient(this.uri);
    try {
      await client.db(this.db.databaseName).dropDatabase();
    } finally {
      await client.close();
    }
  }
}
