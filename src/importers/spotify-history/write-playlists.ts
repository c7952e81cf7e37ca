/**
 * Writing playlists: insert the new ones, replace the changed ones at revision + 1, leave the
 * identical ones alone.
 */
import type { Playlist } from '../../domain/types.js';
import type { Progress } from '../../lib/progress.js';
import type { Store } from '../../store/ports.js';
import { writeInChunks } from '../shared.js';

function samePlaylist(a: Playlist, b: Playlist): boolean {
  return (
    a.ownerId === b.ownerId &&
    a.name === b.name &&
    (a.description ?? '') === (b.description ?? '') &&
    a.kind === b.kind &&
    a.trackIds.length === b.trackIds.length &&
    a.trackIds.every((id, i) => id === b.trackIds[i])
  );
}

/** Inserts new playlists, replaces changed ones at revision + 1, leaves identical ones alone. */
export async function writePlaylists(
  store: Store,
  progress: Progress,
  playlists: readonly Playlist[],
): Promise<{ playlistsInserted: number; playlistsReplaced: number; playlistsUnchanged: number }> {
  const counts = { playlistsInserted: 0, playlistsReplaced: 0, playlistsUnchanged: 0 };
  await writeInChunks(progress, 'Writing playlists', playlists.length, playlists, async (chunk) => {
    const stored = await store.playlists.getMany(chunk.map((p) => p.id));
    for (let i = 0; i < chunk.length; i++) {
      const playlist = chunk[i];
      const old = stored[i];
      if (!old) {
        await store.playlists.insert(playlist);
        counts.playlistsInserted++;
      } else if (samePlaylist(old, playlist)) {
        counts.playlistsUnchanged++;
      } else {
        // The file wins over edits made since the last import; the revision records the change.
        await store.playlists.replace({ ...playlist, revision: old.revision + 1, createdAt: old.createdAt, updatedAt: Date.now() }, old.revision);
        counts.playlistsReplaced++;
      }
    }
  }, 500);
  return counts;
}
