/**
 * The store port: one repository per aggregate. Two adapters implement it — embedded
 * (SQLite, the default) and MongoDB — and one contract suite (test/store.contract.test.ts)
 * holds both to the behaviour documented here.
 *
 * What the contract covers: reads by id in the caller's order, upserts, cursor pages in a
 * stable order, idempotent interaction ingestion, optimistic playlist revisions, and full
 * scans in a stable order for training jobs.
 * What it leaves out: authorisation and input validation (services do both before calling),
 * and cross-aggregate transactions (no operation needs one).
 */
import type { Artist, Interaction, ModelVersion, Playlist, TargetKind, Track, User } from '../domain/types.js';

/** A forward page request. `after` is an opaque key from a previous page's `endKey`. */
export interface PageRequest {
  first: number;
  after?: string;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  /** Key of the last item; pass it as `after` to read the next page. */
  endKey?: string;
}

/** Reads return `undefined` in the slot of an id that does not exist, in the order asked. */
export interface EntityReader<T> {
  getMany(ids: readonly string[]): Promise<(T | undefined)[]>;
  count(): Promise<number>;
}

export interface UserRepository extends EntityReader<User> {
  upsertMany(users: readonly User[]): Promise<void>;
  /** Users ordered by id. */
  list(page: PageRequest): Promise<Page<User>>;
}

export interface ArtistRepository extends EntityReader<Artist> {
  upsertMany(artists: readonly Artist[]): Promise<void>;
  /** Artists ordered by id; `text` keeps artists whose name contains every word of it. */
  list(query: { text?: string }, page: PageRequest): Promise<Page<Artist>>;
}

export interface TrackQuery {
  /** Every whitespace-separated word must occur in the track's searchText (lower-cased, accent-folded). */
  text?: string;
  genre?: string;
  artistId?: string;
  /**
   * Inclusive bounds on releaseDate, compared as ISO strings at the precision given:
   * releasedFrom "2019" keeps "2019-05-01"; releasedTo "2019" keeps it too (a prefix match counts).
   * Tracks without a releaseDate are left out when either bound is given.
   */
  releasedFrom?: string;
  releasedTo?: string;
}

export interface TrackRepository extends EntityReader<Track> {
  upsertMany(tracks: readonly Track[]): Promise<void>;
  /** Tracks matching every given condition, ordered by id. */
  list(query: TrackQuery, page: PageRequest): Promise<Page<Track>>;
}

export interface PlaylistRepository extends EntityReader<Playlist> {
  insert(playlist: Playlist): Promise<void>;
  /**
   * Replaces the playlist if its stored revision is `expectedRevision`; the caller passes the
   * new record with revision = expectedRevision + 1. Throws ConflictError otherwise.
   */
  replace(playlist: Playlist, expectedRevision: number): Promise<void>;
  /** A user's playlists, newest first (by createdAt, then id). */
  listByOwner(ownerId: string, page: PageRequest): Promise<Page<Playlist>>;
  delete(id: string): Promise<boolean>;
}

export interface AppendResult {
  /** Event ids stored by this call. */
  inserted: string[];
  /** Event ids that were already stored (by an earlier call or earlier in this batch). */
  duplicates: string[];
}

export interface InteractionRepository {
  /**
   * Stores the events whose eventId is new and ignores the rest; within one batch the first
   * event with an id wins. The embedded adapter is all-or-nothing (one transaction). MongoDB
   * without a transaction may keep part of a batch if the server fails mid-write; the call then
   * throws, and a retry with the same events is safe because ingestion is idempotent. Callers
   * validate a batch completely before calling, so bad input never leaves part of a batch.
   */
  append(events: readonly Interaction[]): Promise<AppendResult>;
  /** A user's events, newest first (by context.timestamp, then eventId). */
  listByUser(userId: string, page: PageRequest): Promise<Page<Interaction>>;
  /** Every event of one user about one kind of target, oldest first. */
  allOfUser(userId: string, kind?: TargetKind): Promise<Interaction[]>;
  /** Every event in a stable order, in batches: for training and for rebuilding online state. */
  scan(batchSize?: number): AsyncIterable<Interaction[]>;
  count(): Promise<number>;
  /**
   * Events stored by other connections to the same store (another API process, an importer),
   * for in-process caches. Optional: only adapters that can tell cheaply and exactly have one
   * (embedded); caches fall back to a TTL without it.
   */
  readonly changes?: InteractionChangeFeed;
}

/**
 * Synchronous on purpose: a cache consults it on its hot path, so only an adapter that answers
 * without a network round trip implements it. Positions order stored events: an event
 * committed later has a greater position.
 */
/** Records whose writes a change feed counts. */
export type RecordKind = 'users' | 'tracks' | 'artists';

export interface InteractionChangeFeed {
  /**
   * An opaque number that differs from the previous call's answer exactly when another
   * connection committed something (to any table) in between; this connection's own commits
   * leave it unchanged. Cheap: reads no table.
   */
  externalVersion(): number;
  /** The position of the newest stored event (0 when none). */
  position(): number;
  /**
   * A number that changes whenever records of this kind are written, by any connection:
   * tracks and artists on every insert, update or delete; listener records only when one is
   * changed or deleted (new ones leave it: a cache of records never holds an unknown id).
   */
  recordsVersion(records: RecordKind): number;
  /**
   * The events stored after `position` (as `allOfUser` returns them), in the order they were
   * stored, and the position of the newest of them. `events` is undefined when more than
   * `limit` events were stored (a bulk import): the caller treats every listener as changed.
   */
  eventsSince(position: number, limit: number): { events?: Interaction[]; position: number };
}

export interface ModelVersionRepository {
  insert(version: ModelVersion): Promise<void>;
  /** Versions of one model, newest first. */
  list(model: string): Promise<ModelVersion[]>;
  get(id: string): Promise<ModelVersion | undefined>;
  /** Marks `id` active and every other version of its model inactive, atomically for readers. */
  activate(id: string): Promise<void>;
  active(model: string): Promise<ModelVersion | undefined>;
}

export type StoreKind = 'embedded' | 'mongodb';

export interface Store {
  readonly kind: StoreKind;
  readonly users: UserRepository;
  readonly artists: ArtistRepository;
  readonly tracks: TrackRepository;
  readonly playlists: PlaylistRepository;
  readonly interactions: InteractionRepository;
  readonly modelVersions: ModelVersionRepository;
  /** Creates tables/collections and indexes; safe to call on an existing store. */
  init(): Promise<void>;
  /** Idempotent: a second call returns the first call's promise. */
  close(): Promise<void>;
}
