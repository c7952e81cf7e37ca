/**
 * Tables of the embedded store. Records are stored whole as JSON (`doc`); the other columns
 * exist only to filter and order. Side tables index array fields (a track's artists and genres).
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL
) WITHOUT ROWID;

-- Record change counters, bumped by any connection's writes: caches of records ask them after
-- another connection committed. Listener records count changes and deletions (not inserts:
-- nobody caches an unknown id); tracks and artists count every write (a snapshot holds them all).
CREATE TABLE IF NOT EXISTS change_counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO change_counters (name, value) VALUES ('users', 0), ('tracks', 0), ('artists', 0);
CREATE TRIGGER IF NOT EXISTS users_updated AFTER UPDATE ON users
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'users'; END;
CREATE TRIGGER IF NOT EXISTS users_deleted AFTER DELETE ON users
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'users'; END;

CREATE TABLE IF NOT EXISTS artists (
  id TEXT PRIMARY KEY,
  search_text TEXT NOT NULL,
  doc TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS tracks (
  id TEXT PRIMARY KEY,
  search_text TEXT NOT NULL,
  release_date TEXT,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tracks_release ON tracks (release_date);

CREATE TABLE IF NOT EXISTS track_artists (
  artist_id TEXT NOT NULL,
  track_id TEXT NOT NULL,
  PRIMARY KEY (artist_id, track_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS track_artists_track ON track_artists (track_id);

CREATE TABLE IF NOT EXISTS track_genres (
  genre TEXT NOT NULL,
  track_id TEXT NOT NULL,
  PRIMARY KEY (genre, track_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS track_genres_track ON track_genres (track_id);

CREATE TABLE IF NOT EXISTS playlists (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS playlists_owner ON playlists (owner_id, created_at DESC, id DESC);

-- seq gives scans a stable insertion order; event_id makes ingestion idempotent.
CREATE TABLE IF NOT EXISTS interactions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  ts INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS interactions_user_time ON interactions (user_id, ts DESC, event_id DESC);

CREATE TABLE IF NOT EXISTS model_versions (
  id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active INTEGER NOT NULL,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS model_versions_model ON model_versions (model, created_at DESC);

CREATE TRIGGER IF NOT EXISTS tracks_inserted AFTER INSERT ON tracks
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'tracks'; END;
CREATE TRIGGER IF NOT EXISTS tracks_updated AFTER UPDATE ON tracks
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'tracks'; END;
CREATE TRIGGER IF NOT EXISTS tracks_deleted AFTER DELETE ON tracks
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'tracks'; END;
CREATE TRIGGER IF NOT EXISTS artists_inserted AFTER INSERT ON artists
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'artists'; END;
CREATE TRIGGER IF NOT EXISTS artists_updated AFTER UPDATE ON artists
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'artists'; END;
CREATE TRIGGER IF NOT EXISTS artists_deleted AFTER DELETE ON artists
  BEGIN UPDATE change_counters SET value = value + 1 WHERE name = 'artists'; END;
`;
