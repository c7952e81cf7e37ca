/**
 * Two API processes over one store (cluster mode), here as two apps in one process joined by
 * an in-memory peer network: what one stores, the other learns without reading the store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { LocalPeerNetwork } from '../../src/server/peer-bus.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { RecommendationsDocument, RecordInteractionsDocument } from '../generated/graphql.js';
import { admin, createTestApp, ok } from '../helpers/app.js';
import { MONDAY_MORNING, seedFixtures, trackId, userId } from '../helpers/fixtures.js';

describe('API processes sharing a store (peer messages)', () => {
  let dir: string;
  let a: MixtapeApp;
  let b: MixtapeApp;
  const network = new LocalPeerNetwork();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-peers-'));
    const file = path.join(dir, 'mixtape.db');
    const seeding = new EmbeddedStore(file);
    await seedFixtures(seeding);
    await seeding.close();
    a = await createTestApp({ store: new EmbeddedStore(file), peers: network.member() });
    b = await createTestApp({ store: new EmbeddedStore(file), peers: network.member() });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const play = (eventId: string, user: string, track: string) => ({
    eventId, userId: user, trackId: track, type: 'PLAY' as const, msPlayed: 150_000,
    context: { timestamp: new Date(MONDAY_MORNING).toISOString(), timezone: 'UTC' },
  });

  it("a play stored by one process leaves the other's recommendations at once", async () => {
    const before = await ok(b, RecommendationsDocument, { userId: userId(7), limit: 5 }, admin);
    const top = before.recommendations.items[0].targetId;
    // b now holds user 7's history in its cache; only the peer message can tell it about the play.
    await ok(a, RecordInteractionsDocument, { events: [play('peer-1', userId(7), top)] }, admin);
    await network.settled();
    const after = await ok(b, RecommendationsDocument, { userId: userId(7), limit: 5 }, admin);
    expect(after.recommendations.items.map((i) => i.targetId)).not.toContain(top);
    // The relay's events were added to b's cached history: what a read of the store returns.
    const history = await b.services.histories.history(userId(7));
    expect(history.map((e) => e.eventId)).toContain('peer-1');
    expect(history).toEqual(await b.store.interactions.allOfUser(userId(7)));
  });

  it("plays stored by one process count in the other's popularity", async () => {
    const context = { timestamp: MONDAY_MORNING, timezone: 'UTC' };
    const fresh = trackId(199); // nobody has played it
    const rankOf = async () => (await b.services.popularity.rank('TRACK', context, 10, new Set())).findIndex((c) => c.id === fresh);
    expect(await rankOf()).toBe(-1);
    const events = Array.from({ length: 30 }, (_, u) => play(`peer-pop-${u}`, userId(u), fresh));
    await ok(a, RecordInteractionsDocument, { events }, admin);
    await network.settled();
    // A context's blended chart is rebuilt at most every 10 s while counts change
    // (context-popularity.ts): look from 10 s later.
    await expect.poll(() => tenSecondsLater(rankOf), { timeout: 3000, interval: 200 }).toBe(0);
  });

  it('never applies its own messages twice', async () => {
    const context = { timestamp: MONDAY_MORNING, timezone: 'UTC' };
    const scoreIn = async (app: MixtapeApp, id: string) => (await app.services.popularity.rank('TRACK', context, 50, new Set())).find((c) => c.id === id)?.score;
    // Both processes counted the same 30 plays once: their charts agree.
    await expect.poll(() => tenSecondsLater(async () => (await scoreIn(a, trackId(199)))! - (await scoreIn(b, trackId(199)))!), { timeout: 3000, interval: 200 }).toBeCloseTo(0, 10);
  });
});

/** Runs `read` with the clock 10 s ahead (Date only: timers and I/O run as usual). */
async function tenSecondsLater<T>(read: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 10_001);
  try {
    return await read();
  } finally {
    vi.useRealTimers();
  }
}
