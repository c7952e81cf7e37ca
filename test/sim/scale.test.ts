import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIVITIES, DEVICES, INTERACTION_TYPES, WEATHERS } from '../../src/domain/types.js';
import { silentProgress } from '../../src/lib/progress.js';
import { ENERGY, STYLE_SIZE } from '../../src/sim/catalogue.js';
import { DEMO_REFERENCE_TIME } from '../../src/sim/demo-world.js';
import { type EventBatch, ScaleWorld } from '../../src/sim/scale.js';
import { generateToFiles, generateToStore } from '../../src/sim/scale-output.js';
import { openStore } from '../../src/store/index.js';

const CONFIG = { seed: 5, users: 2000, tracks: 3000, interactions: 60_000, days: 14 };
const DAY_MS = 86_400_000;
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-gen-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function collect(world: ScaleWorld, from?: number, to?: number) {
  const rows: string[] = [];
  return world
    .generate(
      (b: EventBatch) => {
        for (let i = 0; i < b.size; i++) rows.push(`${b.first + i} ${b.user[i]} ${b.track[i]} ${b.type[i]} ${b.ms[i]} ${b.ts[i]} ${b.activity[i]}`);
      },
      undefined,
      from,
      to,
    )
    .then((n) => ({ n, rows }));
}

describe('scale generator', () => {
  it('makes exactly the interactions asked for, the same every time, in any split of listeners', async () => {
    const world = new ScaleWorld(CONFIG);
    const whole = await collect(world);
    expect(whole.n).toBe(CONFIG.interactions);
    expect((await collect(new ScaleWorld(CONFIG))).rows).toEqual(whole.rows);
    const ranges = world.ranges(3);
    expect(ranges[0].from).toBe(0);
    expect(ranges.at(-1)!.to).toBe(CONFIG.users);
    expect(ranges.reduce((s, r) => s + r.events, 0)).toBe(CONFIG.interactions);
    const pieces: string[] = [];
    for (const r of ranges) {
      const part = await collect(world, r.from, r.to);
      expect(part.n).toBe(r.events);
      expect(part.rows[0]?.split(' ')[0]).toBe(String(r.firstEvent));
      pieces.push(...part.rows);
    }
    expect(pieces).toEqual(whole.rows);
  });

  it('writes importable files: domain records and a well-formed TSV, byte-identical across runs and worker counts', async () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    const stats = await generateToFiles(CONFIG, a, silentProgress);
    await generateToFiles(CONFIG, b, silentProgress);
    await generateToFiles(CONFIG, c, silentProgress, { workers: 2 });
    expect(stats).toMatchObject({ tracks: 3000, users: 2000, interactions: 60_000, artists: 375 });
    for (const file of ['artists.ndjson', 'tracks.ndjson', 'users.ndjson', 'interactions.tsv', 'manifest.json']) {
      expect(fs.readFileSync(path.join(b, file)).equals(fs.readFileSync(path.join(a, file)))).toBe(true);
    }
    const parts = (name: string, ext: string, header: boolean) =>
      [1, 2].map((k, i) => {
        const text = fs.readFileSync(path.join(c, `${name}.part${k}.${ext}`), 'utf8');
        return header && i > 0 ? text.slice(text.indexOf('\n') + 1) : text;
      }).join('');
    expect(parts('interactions', 'tsv', true)).toBe(fs.readFileSync(path.join(a, 'interactions.tsv'), 'utf8'));
    expect(parts('users', 'ndjson', false)).toBe(fs.readFileSync(path.join(a, 'users.ndjson'), 'utf8'));

    const tracks = fs.readFileSync(path.join(a, 'tracks.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const users = fs.readFileSync(path.join(a, 'users.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const artists = fs.readFileSync(path.join(a, 'artists.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(tracks).toHaveLength(3000);
    expect(users).toHaveLength(2000);
    expect(new Set(artists.map((x) => x.name)).size).toBe(artists.length);
    const trackById = new Map(tracks.map((t) => [t.id, t]));
    const userById = new Map(users.map((u) => [u.id, u]));
    const artistIds = new Set(artists.map((x) => x.id));
    for (const t of tracks) expect(artistIds.has(t.artistIds[0])).toBe(true);

    const [header, ...lines] = fs.readFileSync(path.join(a, 'interactions.tsv'), 'utf8').trim().split('\n');
    expect(header.split('\t')).toEqual(['event_id', 'user_id', 'track_id', 'type', 'ms_played', 'timestamp', 'timezone', 'device', 'activity', 'weather', 'country']);
    expect(lines).toHaveLength(60_000);
    const energy = { COMMUTE: { sum: 0, n: 0 }, SLEEP: { sum: 0, n: 0 } } as Record<string, { sum: number; n: number }>;
    // Checked with plain conditions (60,000 lines): the first failing line is reported.
    const types = new Set<string>(INTERACTION_TYPES);
    const problems: string[] = [];
    const check = (ok: boolean, what: string, line: string) => {
      if (!ok && problems.length < 5) problems.push(`${what}: ${line}`);
    };
    const from = DEMO_REFERENCE_TIME - (CONFIG.days + 1) * DAY_MS;
    const to = DEMO_REFERENCE_TIME + DAY_MS;
    lines.forEach((line, i) => {
      const [eventId, userId, trackId, type, ms, ts, timezone, device, activity, weather, country] = line.split('\t');
      const user = userById.get(userId);
      const track = trackById.get(trackId);
      check(eventId === `gen:5:${i + 1}`, 'event id', line);
      check(user !== undefined && track !== undefined, 'known user and track', line);
      check(types.has(type), 'type', line);
      check(type === 'LIKE' ? ms === '' : Number(ms) > 0, 'ms_played', line);
      check(type !== 'SKIP' || Number(ms) < 30_000, 'skip length', line);
      check(type !== 'COMPLETE' || Number(ms) === track?.durationMs, 'complete length', line);
      check(Number(ts) > from && Number(ts) < to, 'timestamp', line);
      check(timezone === user?.timezone && country === user?.country, 'zone and country', line);
      check((DEVICES as readonly string[]).includes(device), 'device', line);
      check((ACTIVITIES as readonly string[]).includes(activity), 'activity', line);
      check((WEATHERS as readonly string[]).includes(weather), 'weather', line);
      if (activity in energy && type !== 'LIKE' && track) {
        energy[activity].sum += track.audioFeatures.energy;
        energy[activity].n++;
      }
    });
    expect(problems).toEqual([]);
    // Context shows in what is played: commutes are more energetic than bedtime.
    expect(energy.COMMUTE.sum / energy.COMMUTE.n).toBeGreaterThan(energy.SLEEP.sum / energy.SLEEP.n + 0.1);
  }, 60_000);

  it('streams into a store in chunks', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    try {
      const small = { ...CONFIG, users: 300, tracks: 800, interactions: 12_000 };
      const stats = await generateToStore(small, store, silentProgress);
      expect(stats).toMatchObject({ users: 300, tracks: 800, interactions: 12_000 });
      expect(await store.tracks.count()).toBe(800);
      expect(await store.users.count()).toBe(300);
      expect(await store.interactions.count()).toBe(12_000);
      const world = new ScaleWorld(small);
      const [track] = await store.tracks.getMany([world.trackId(0)]);
      const first = world.tracks().next().value;
      expect(track).toEqual(first);
      const page = await store.interactions.listByUser(world.userId(0), { first: 3 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items[0].context.location?.country).toMatch(/^[A-Z]{2}$/);
      const t = world.trackStyle;
      expect(t.length).toBe(800 * STYLE_SIZE);
      expect(t[ENERGY]).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 60_000);
});
