/**
 * The embedded store's change feed (InteractionChangeFeed): what in-process caches rely on to
 * notice events stored by other connections to the same file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/domain/types.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';

const play = (eventId: string, userId: string): Interaction => ({
  eventId, userId, targetKind: 'TRACK', targetId: 't1', type: 'PLAY', count: 1, msPlayed: 1000,
  context: { timestamp: 1000 }, receivedAt: 1000,
});

describe('embedded store: interaction change feed', () => {
  let dir: string;
  let api: EmbeddedStore;
  let importer: EmbeddedStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-changes-'));
    api = new EmbeddedStore(path.join(dir, 'mixtape.db'));
    importer = new EmbeddedStore(path.join(dir, 'mixtape.db'));
  });
  afterEach(async () => {
    await api.close();
    await importer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("moves the version for another connection's commits only, of any table", async () => {
    const feed = api.interactions.changes;
    const version = feed.externalVersion();
    await api.interactions.append([play('e1', 'u1')]);
    expect(feed.externalVersion()).toBe(version);
    await importer.interactions.append([play('e2', 'u2')]);
    const moved = feed.externalVersion();
    expect(moved).not.toBe(version);
    expect(feed.externalVersion()).toBe(moved);
    await importer.users.upsertMany([{ id: 'u3', displayName: 'U3', source: 'test', friendIds: [], createdAt: 1 }]);
    expect(feed.externalVersion()).not.toBe(moved);
  });

  it('counts changed and deleted listener records, by any connection, and not new ones', async () => {
    const feed = api.interactions.changes;
    const start = feed.recordsVersion('users');
    const record = (displayName: string) => ({ id: 'u1', displayName, source: 'test', friendIds: [], createdAt: 1 });
    await importer.users.upsertMany([record('new')]);
    await importer.interactions.append([play('e1', 'u1')]);
    expect(feed.recordsVersion('users')).toBe(start);
    await importer.users.upsertMany([record('renamed')]);
    const changed = feed.recordsVersion('users');
    expect(changed).not.toBe(start);
    await api.users.upsertMany([record('renamed again')]);
    expect(feed.recordsVersion('users')).not.toBe(changed);
  });

  it('counts every write to tracks and artists, by any connection', async () => {
    const feed = api.interactions.changes;
    const tracks = feed.recordsVersion('tracks');
    const artists = feed.recordsVersion('artists');
    const track = { id: 't1', title: 'T', artistIds: ['a1'], genres: [], tags: [], searchText: 't', source: 'test' };
    await importer.tracks.upsertMany([track]);
    const inserted = feed.recordsVersion('tracks');
    expect(inserted).not.toBe(tracks);
    await importer.tracks.upsertMany([{ ...track, title: 'Renamed' }]);
    expect(feed.recordsVersion('tracks')).not.toBe(inserted);
    expect(feed.recordsVersion('artists')).toBe(artists);
    await importer.interactions.append([play('e9', 'u9')]);
    expect(feed.recordsVersion('artists')).toBe(artists);
  });

  it('hands out the events stored after a position as allOfUser returns them, or none when there are more than asked', async () => {
    const feed = api.interactions.changes;
    expect(feed.position()).toBe(0);
    await api.interactions.append([play('e1', 'u1')]);
    const start = feed.position();
    await importer.interactions.append([play('e2', 'u2'), play('e3', 'u3'), play('e4', 'u2'), play('e1', 'u9')]); // e1: a duplicate, not stored
    const changed = feed.eventsSince(start, 3);
    expect(changed.events?.map((e) => [e.eventId, e.userId])).toEqual([['e2', 'u2'], ['e3', 'u3'], ['e4', 'u2']]);
    expect(changed.events?.filter((e) => e.userId === 'u2')).toEqual(await api.interactions.allOfUser('u2'));
    expect(changed.position).toBe(feed.position());
    expect(feed.eventsSince(changed.position, 3)).toEqual({ events: [], position: changed.position });
    expect(feed.eventsSince(start, 2)).toEqual({ position: feed.position() });
  });
});
