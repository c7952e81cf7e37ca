import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CatalogueSnapshots } from '../../src/services/catalogue-snapshots.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { worldTracks } from '../pipeline/world.js';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An embedded store in a fresh file holding the test world's tracks, and a writer on the same file. */
async function storeWithTracks() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-snapshots-'));
  dirs.push(dir);
  const file = path.join(dir, 'mixtape.db');
  const store = new EmbeddedStore(file);
  await store.init();
  const tracks = worldTracks();
  await store.tracks.upsertMany(tracks);
  /** Renames a track through another connection (as `npm run import` would): the count stays. */
  const renameElsewhere = async (index: number) => {
    const other = new EmbeddedStore(file);
    await other.init();
    await other.tracks.upsertMany([{ ...tracks[index], title: 'Renamed' }]);
    await other.close();
  };
  return { store, tracks, renameElsewhere };
}

describe('catalogue snapshots', () => {
  it('rebuilds exactly when another connection wrote tracks: never for age alone', async () => {
    const { store, tracks, renameElsewhere } = await storeWithTracks();
    const snapshots = new CatalogueSnapshots(store);
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await snapshots.get('TRACK');
    vi.setSystemTime(Date.now() + 60 * 60_000);
    await store.interactions.append([{ eventId: 'e1', userId: 'u1', targetKind: 'TRACK', targetId: tracks[0].id, type: 'PLAY', count: 1, context: { timestamp: 1 }, receivedAt: 1 }]);
    await snapshots.refreshIfChanged();
    expect(await snapshots.get('TRACK')).toBe(first);
    await renameElsewhere(1);
    await snapshots.refreshIfChanged();
    const second = await snapshots.get('TRACK');
    expect(second).not.toBe(first);
    await store.close();
  });

  it('without a write counter, keeps the same snapshot when a periodic re-read finds the same records, and replaces it when one changed', async () => {
    const { store: embedded, renameElsewhere } = await storeWithTracks();
    // As MongoDB: the same repositories, no change feed.
    const store = { ...embedded, interactions: { ...embedded.interactions, changes: undefined }, tracks: embedded.tracks, artists: embedded.artists } as unknown as EmbeddedStore;
    const snapshots = new CatalogueSnapshots(store);
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const first = await snapshots.get('TRACK');

    // Older than the maximum age, same records: the same object, so per-snapshot caches live on.
    vi.setSystemTime(start + 11 * 60_000);
    await snapshots.refreshIfChanged();
    expect(await snapshots.get('TRACK')).toBe(first);

    // Another connection renames a track: the count stays, the re-read notices the change.
    await renameElsewhere(0);
    vi.setSystemTime(start + 22 * 60_000);
    await snapshots.refreshIfChanged();
    const second = await snapshots.get('TRACK');
    expect(second).not.toBe(first);
    expect(second.size).toBe(first.size);
    await embedded.close();
  });
});
