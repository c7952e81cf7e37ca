/**
 * The store contract: every adapter of the Store port must pass these. Each adapter's test
 * file calls `storeContract(name, factory)`; the factory returns a fresh, empty store and a
 * clean-up function.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import type { Interaction, Playlist, Track, User } from '../../src/domain/types.js';
import type { Store } from '../../src/store/ports.js';

export interface StoreFixture {
  store: Store;
  dispose(): Promise<void>;
}

const user = (id: string, extra: Partial<User> = {}): User => ({
  id, displayName: `User ${id}`, source: 'test', friendIds: [], createdAt: 1, ...extra,
});

const track = (id: string, extra: Partial<Track> = {}): Track => ({
  id, title: `Song ${id}`, artistIds: ['a1'], genres: ['rock'], tags: [], searchText: `song ${id}`, source: 'test', ...extra,
});

const play = (eventId: string, userId: string, targetId: string, timestamp: number): Interaction => ({
  eventId, userId, targetKind: 'TRACK', targetId, type: 'PLAY', count: 1, msPlayed: 120_000,
  context: { timestamp, device: 'MOBILE' }, receivedAt: timestamp,
});

const playlist = (id: string, ownerId: string, createdAt: number): Playlist => ({
  id, ownerId, name: `List ${id}`, kind: 'USER', trackIds: ['t1', 't2'], revision: 1, createdAt, updatedAt: createdAt,
});

async function drain<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('entities', () => {
      it('reads by id in the order asked, with undefined for unknown ids', async () => {
        await store.users.upsertMany([user('u1'), user('u2'), user('u3')]);
        const got = await store.users.getMany(['u3', 'missing', 'u1']);
        expect(got.map((u) => u?.id)).toEqual(['u3', undefined, 'u1']);
        expect(await store.users.getMany([])).toEqual([]);
      });

      it('returns records exactly as stored, and upsert replaces them', async () => {
        const original = user('u1', { country: 'SE', friendIds: ['u2'] });
        await store.users.upsertMany([original]);
        expect((await store.users.getMany(['u1']))[0]).toEqual(original);
        await store.users.upsertMany([user('u1', { displayName: 'Renamed' })]);
        const [renamed] = await store.users.getMany(['u1']);
        expect(renamed?.displayName).toBe('Renamed');
        expect(renamed?.country).toBeUndefined();
        expect(await store.users.count()).toBe(1);
      });

      it('pages users by id with a cursor', async () => {
        await store.users.upsertMany(['u5', 'u1', 'u4', 'u2', 'u3'].map((id) => user(id)));
        const first = await store.users.list({ first: 2 });
        expect(first.items.map((u) => u.id)).toEqual(['u1', 'u2']);
        expect(first.hasNextPage).toBe(true);
        const second = await store.users.list({ first: 2, after: first.endKey });
        expect(second.items.map((u) => u.id)).toEqual(['u3', 'u4']);
        const third = await store.users.list({ first: 2, after: second.endKey });
        expect(third.items.map((u) => u.id)).toEqual(['u5']);
        expect(third.hasNextPage).toBe(false);
      });

      it('finds artists by every word of their folded name', async () => {
        await store.artists.upsertMany([
          { id: 'a1', name: 'Björk', genres: [], tags: [], source: 'test' },
          { id: 'a2', name: 'The Bjork Tribute Band', genres: [], tags: [], source: 'test' },
          { id: 'a3', name: 'Radiohead', genres: [], tags: [], source: 'test' },
        ]);
        const found = await store.artists.list({ text: 'BJORK' }, { first: 10 });
        expect(found.items.map((a) => a.id)).toEqual(['a1', 'a2']);
        const both = await store.artists.list({ text: 'bjork band' }, { first: 10 });
        expect(both.items.map((a) => a.id)).toEqual(['a2']);
        const literal = await store.artists.list({ text: '%' }, { first: 10 });
        expect(literal.items).toEqual([]);
      });

      it('filters tracks by text, genre, artist and release dates', async () => {
        await store.tracks.upsertMany([
          track('t1', { searchText: 'midnight city m83', genres: ['synthpop'], artistIds: ['m83'], releaseDate: '2011-08-16' }),
          track('t2', { searchText: 'city of stars', genres: ['jazz'], artistIds: ['ost'], releaseDate: '2016' }),
          track('t3', { searchText: 'teardrop massive attack', genres: ['trip hop'], artistIds: ['ma'], releaseDate: '1998-05' }),
          track('t4', { searchText: 'untitled city', genres: ['synthpop'], artistIds: ['m83'] }),
        ]);
        const ids = async (q: Parameters<Store['tracks']['list']>[0]) =>
          (await store.tracks.list(q, { first: 10 })).items.map((t) => t.id);
        expect(await ids({ text: 'City' })).toEqual(['t1', 't2', 't4']);
        expect(await ids({ text: 'city m83' })).toEqual(['t1']);
        expect(await ids({ genre: 'synthpop' })).toEqual(['t1', 't4']);
        expect(await ids({ artistId: 'm83', text: 'midnight' })).toEqual(['t1']);
        expect(await ids({ releasedFrom: '2000' })).toEqual(['t1', 't2']);
        expect(await ids({ releasedTo: '2011' })).toEqual(['t1', 't3']);
        expect(await ids({ releasedFrom: '1998-05-01', releasedTo: '2016' })).toEqual(['t1', 't2']);
      });

      it('re-indexes a track when its genres and artists change', async () => {
        await store.tracks.upsertMany([track('t1', { genres: ['rock'], artistIds: ['a1'] })]);
        await store.tracks.upsertMany([track('t1', { genres: ['jazz'], artistIds: ['a2'] })]);
        expect((await store.tracks.list({ genre: 'rock' }, { first: 10 })).items).toEqual([]);
        expect((await store.tracks.list({ artistId: 'a1' }, { first: 10 })).items).toEqual([]);
        expect((await store.tracks.list({ artistId: 'a2', genre: 'jazz' }, { first: 10 })).items).toHaveLength(1);
      });
    });

    describe('interactions', () => {
      it('stores an event id once, within a batch and across batches', async () => {
        const first = await store.interactions.append([play('e1', 'u1', 't1', 100), play('e2', 'u1', 't2', 200), play('e1', 'u1', 't9', 300)]);
        expect(first).toEqual({ inserted: ['e1', 'e2'], duplicates: ['e1'] });
        const second = await store.interactions.append([play('e2', 'u1', 't2', 200), play('e3', 'u2', 't1', 150)]);
        expect(second).toEqual({ inserted: ['e3'], duplicates: ['e2'] });
        expect(await store.interactions.count()).toBe(3);
        const [kept] = await store.interactions.allOfUser('u1');
        expect(kept.targetId).toBe('t1');
      });

      it("pages a user's history newest first", async () => {
        await store.interactions.append([
          play('e1', 'u1', 't1', 100), play('e2', 'u1', 't2', 300), play('e3', 'u1', 't3', 200),
          play('e4', 'u1', 't4', 300), play('e5', 'u2', 't5', 400),
        ]);
        const first = await store.interactions.listByUser('u1', { first: 2 });
        expect(first.items.map((e) => e.eventId)).toEqual(['e4', 'e2']);
        expect(first.hasNextPage).toBe(true);
        const rest = await store.interactions.listByUser('u1', { first: 10, after: first.endKey });
        expect(rest.items.map((e) => e.eventId)).toEqual(['e3', 'e1']);
        expect(rest.hasNextPage).toBe(false);
      });

      it('rejects a page key that is not one of its own, and keeps what is stored', async () => {
        await store.interactions.append([play('e1', 'u1', 't1', 100)]);
        await store.playlists.insert(playlist('p1', 'u1', 10));
        for (const after of ['u7', 'not-a-number:e1', ':e1']) {
          await expect(store.interactions.listByUser('u1', { first: 2, after })).rejects.toThrow(InvalidInputError);
          await expect(store.playlists.listByOwner('u1', { first: 2, after })).rejects.toThrow(InvalidInputError);
        }
        expect((await store.interactions.listByUser('u1', { first: 2 })).items.map((e) => e.eventId)).toEqual(['e1']);
        expect((await store.playlists.listByOwner('u1', { first: 2 })).items.map((p) => p.id)).toEqual(['p1']);
      });

      it('lists all events of a user oldest first, optionally by target kind', async () => {
        await store.interactions.append([
          play('e2', 'u1', 't2', 200),
          { ...play('e1', 'u1', 'a1', 100), targetKind: 'ARTIST', count: 7 },
        ]);
        expect((await store.interactions.allOfUser('u1')).map((e) => e.eventId)).toEqual(['e1', 'e2']);
        const artists = await store.interactions.allOfUser('u1', 'ARTIST');
        expect(artists).toHaveLength(1);
        expect(artists[0].count).toBe(7);
      });

      it('scans every event exactly once in batches', async () => {
        const events = Array.from({ length: 25 }, (_, i) => play(`e${String(i).padStart(2, '0')}`, `u${i % 3}`, `t${i}`, i));
        await store.interactions.append(events);
        const batches: number[] = [];
        const seen: string[] = [];
        for await (const batch of store.interactions.scan(10)) {
          batches.push(batch.length);
          seen.push(...batch.map((e) => e.eventId));
        }
        expect(batches).toEqual([10, 10, 5]);
        expect(seen.sort()).toEqual(events.map((e) => e.eventId).sort());
        expect(await drain(store.interactions.scan(100))).toHaveLength(25);
      });
    });

    describe('playlists', () => {
      it('inserts once and refuses a second insert with the same id', async () => {
        await store.playlists.insert(playlist('p1', 'u1', 10));
        await expect(store.playlists.insert(playlist('p1', 'u1', 10))).rejects.toBeInstanceOf(ConflictError);
      });

      it('replaces only at the expected revision', async () => {
        await store.playlists.insert(playlist('p1', 'u1', 10));
        await store.playlists.replace({ ...playlist('p1', 'u1', 10), name: 'Renamed', revision: 2 }, 1);
        await expect(store.playlists.replace({ ...playlist('p1', 'u1', 10), name: 'Stale', revision: 2 }, 1)).rejects.toBeInstanceOf(
          ConflictError,
        );
        const [stored] = await store.playlists.getMany(['p1']);
        expect(stored?.name).toBe('Renamed');
        expect(stored?.revision).toBe(2);
        await expect(store.playlists.replace({ ...playlist('nope', 'u1', 1), revision: 2 }, 1)).rejects.toBeInstanceOf(ConflictError);
      });

      it("pages an owner's playlists newest first and deletes", async () => {
        await store.playlists.insert(playlist('p1', 'u1', 10));
        await store.playlists.insert(playlist('p2', 'u1', 30));
        await store.playlists.insert(playlist('p3', 'u1', 20));
        await store.playlists.insert(playlist('p4', 'u2', 40));
        const first = await store.playlists.listByOwner('u1', { first: 2 });
        expect(first.items.map((p) => p.id)).toEqual(['p2', 'p3']);
        const rest = await store.playlists.listByOwner('u1', { first: 2, after: first.endKey });
        expect(rest.items.map((p) => p.id)).toEqual(['p1']);
        expect(await store.playlists.delete('p1')).toBe(true);
        expect(await store.playlists.delete('p1')).toBe(false);
        expect(await store.playlists.count()).toBe(3);
      });
    });

    describe('model versions', () => {
      it('keeps exactly one active version per model', async () => {
        const version = (id: string, createdAt: number) => ({
          id, model: 'cf', createdAt, active: false, metrics: { ndcg: 0.2 }, params: { factors: 64 },
        });
        await store.modelVersions.insert(version('v1', 1));
        await store.modelVersions.insert(version('v2', 2));
        await store.modelVersions.insert({ ...version('x1', 3), model: 'ranker' });
        await store.modelVersions.activate('v1');
        await store.modelVersions.activate('x1');
        expect((await store.modelVersions.active('cf'))?.id).toBe('v1');
        await store.modelVersions.activate('v2');
        expect((await store.modelVersions.active('cf'))?.id).toBe('v2');
        expect((await store.modelVersions.list('cf')).map((v) => [v.id, v.active])).toEqual([['v2', true], ['v1', false]]);
        expect((await store.modelVersions.active('ranker'))?.id).toBe('x1');
        await expect(store.modelVersions.activate('nope')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    it('close() can be called twice', async () => {
      await store.close();
      await store.close();
    });
  });
}
