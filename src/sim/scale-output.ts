/**
 * Where the scale generator's world goes: files for bulk import, or a store.
 *
 * Files (one folder):
 *   artists.ndjson, tracks.ndjson, users.ndjson   one domain record (Artist, Track, User) per line
 *   interactions.tsv                              a header, then one event per line
 *                                                 (interactions.part<k>.tsv and users.part<k>.ndjson
 *                                                 with several workers, one per range of listeners):
 *     event_id user_id track_id type ms_played timestamp timezone device activity weather country
 *     (ms_played empty for LIKE; timestamp in ms since the epoch, UTC)
 *   manifest.json                                 the configuration and the counts
 * Interactions are formatted straight into a large byte buffer from the generator's typed
 * batches: no per-event objects, no JSON.stringify.
 *
 * Store: entity records are upserted and events appended in chunks, as the store's port
 * expects; slower, and the rate is reported the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACTIVITIES, DEVICES, type Interaction, type User, WEATHERS } from '../domain/types.js';
import type { Progress } from '../lib/progress.js';
import type { Store } from '../store/ports.js';
import { REGIONS } from './listeners.js';
import { EVENT_TYPES, type EventBatch, type ScaleConfig, ScaleWorld } from './scale.js';
import type { RangeResult } from './scale-workers.js';

export type { RangeResult } from './scale-workers.js';

export interface GenerateStats {
  artists: number;
  tracks: number;
  users: number;
  interactions: number;
  /** Bytes written (files only). */
  bytes: number;
  ms: { catalogue: number; entities: number; interactions: number; total: number };
  /** CPU time (user + system) of the listeners-and-interactions phase: the rate without other processes' noise. */
  interactionsCpuMs: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const TSV_HEADER = 'event_id\tuser_id\ttrack_id\ttype\tms_played\ttimestamp\ttimezone\tdevice\tactivity\tweather\tcountry\n';
const BUFFER_BYTES = 1 << 24;

/** Buffered bytes to a file descriptor, with the few formatters the TSV needs. */
class ByteWriter {
  readonly buf = Buffer.allocUnsafe(BUFFER_BYTES);
  /** Bytes filled; formatters may write `buf` directly and set `pos`. */
  pos = 0;
  written = 0;

  constructor(private readonly fd: number) {}

  /** Makes room for at least n bytes. */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i];
    this.pos = p;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer below 2^53 in decimal. */
  uint(n: number): void {
    if (n < 2147483648) {
      this.small(n);
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.fixed(n, digits);
  }

  /** A non-negative integer below 2^31, with integer arithmetic. */
  small(n: number): void {
    const digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
    this.fixedSmall(n, digits);
  }

  /** A non-negative integer below 2^31 as exactly `width` digits (zero-padded). */
  fixedSmall(n: number, width: number): void {
    const buf = this.buf;
    let q = this.pos + width;
    this.pos = q;
    for (let i = 0; i < width; i++) {
      const next = (n / 10) | 0;
      buf[--q] = 48 + n - next * 10;
      n = next;
    }
  }

  /** A non-negative integer below 10^13 as exactly 13 digits (epoch milliseconds). */
  millis(n: number): void {
    const high = Math.floor(n / 1e6);
    this.fixedSmall(high, 7);
    this.fixedSmall(n - high * 1e6, 6);
  }

  /** A non-negative integer as exactly `width` digits (zero-padded). */
  fixed(n: number, width: number): void {
    const buf = this.buf;
    let q = this.pos + width;
    this.pos = q;
    for (let i = 0; i < width; i++) {
      const d = n % 10;
      buf[--q] = 48 + d;
      n = (n - d) / 10;
    }
  }

  text(s: string): void {
    const n = Buffer.byteLength(s);
    if (n > this.buf.length) {
      this.flush();
      this.written += fs.writeSync(this.fd, s);
      return;
    }
    this.room(n);
    this.pos += this.buf.write(s, this.pos);
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += fs.writeSync(this.fd, this.buf, off, this.pos - off);
    this.written += this.pos;
    this.pos = 0;
  }
}

const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'utf8'));

/** The constant pieces of a TSV line. */
interface LineParts {
  eventPrefix: Uint8Array;
  /** "\tgen-u<listener>\tgen-t", kept current by the caller. */
  userPart: Uint8Array;
  trackWidth: number;
  types: Uint8Array[];
  tails: Uint8Array[];
  nD: number;
  nA: number;
  nW: number;
  maxLine: number;
}

/**
 * Formats events [from, to) of a batch as TSV lines straight into the writer's buffer: one
 * tight loop over local variables, integers written digit by digit.
 */
function formatLines(out: ByteWriter, batch: EventBatch, from: number, to: number, p: LineParts): void {
  const { eventPrefix, userPart, trackWidth, types, tails, nD, nA, nW, maxLine } = p;
  let buf = out.buf;
  let pos = out.pos;
  for (let i = from; i < to; i++) {
    if (pos + maxLine > buf.length) {
      out.pos = pos;
      out.flush();
      buf = out.buf;
      pos = out.pos;
    }
    pos = copy(buf, pos, eventPrefix);
    const id = batch.first + i;
    if (id < 2147483648) pos = writeInt(buf, pos, id);
    else {
      out.pos = pos;
      out.uint(id);
      pos = out.pos;
    }
    pos = copy(buf, pos, userPart);
    pos = writeFixed(buf, pos, batch.track[i] + 1, trackWidth);
    pos = copy(buf, pos, types[batch.type[i]]);
    const ms = batch.ms[i];
    if (ms >= 0) pos = writeInt(buf, pos, ms);
    buf[pos++] = 9;
    const ts = batch.ts[i];
    if (ts >= 1e12 && ts < 1e13) {
      const high = Math.floor(ts / 1e6);
      pos = writeFixed(buf, pos, high, 7);
      pos = writeFixed(buf, pos, ts - high * 1e6, 6);
    } else {
      out.pos = pos;
      out.uint(ts);
      pos = out.pos;
    }
    pos = copy(buf, pos, tails[((batch.region[i] * nD + batch.device[i]) * nA + batch.activity[i]) * nW + batch.weather[i]]);
  }
  out.pos = pos;
}

function copy(buf: Uint8Array, pos: number, bytes: Uint8Array): number {
  for (let j = 0; j < bytes.length; j++) buf[pos + j] = bytes[j];
  return pos + bytes.length;
}

/** A non-negative integer below 2^31 in decimal. */
function writeInt(buf: Uint8Array, pos: number, n: number): number {
  const digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
  return writeFixed(buf, pos, n, digits);
}

/** A non-negative integer below 2^31 as exactly `width` digits. */
function writeFixed(buf: Uint8Array, pos: number, n: number, width: number): number {
  let q = pos + width;
  for (let i = 0; i < width; i++) {
    const next = (n / 10) | 0;
    buf[--q] = 48 + n - next * 10;
    n = next;
  }
  return pos + width;
}

export interface FileOptions {
  /**
   * Worker threads generating listeners and interactions side by side, each over a range of
   * listeners into its own part files (interactions.part<k>.tsv, users.part<k>.ndjson);
   * 1 (the default) writes interactions.tsv and users.ndjson from this thread.
   */
  workers?: number;
}

/**
 * Writes the events and User records of listeners [range.from, range.to) as `interactionsFile`
 * and `usersFile` in `dir`. Reports events done (within the range) after each batch.
 */
export async function writeRange(
  world: ScaleWorld,
  dir: string,
  range: { from: number; to: number },
  files: { interactions: string; users: string },
  onProgress: (eventsDone: number) => void,
): Promise<RangeResult> {
  const usersFd = fs.openSync(path.join(dir, files.users), 'w');
  const usersOut = new ByteWriter(usersFd);
  const eventsFd = fs.openSync(path.join(dir, files.interactions), 'w');
  const out = new ByteWriter(eventsFd);
  out.text(TSV_HEADER);
  const c = world.config;
  const eventPrefix = ascii(`gen:${c.seed}:`);
  const userWidth = String(c.users).length;
  const trackWidth = String(c.tracks).length;
  const types = EVENT_TYPES.map((t) => ascii(`\t${t}\t`));
  // The tail of a line (time zone, device, activity, weather, country) for every combination.
  const tails: Uint8Array[] = [];
  for (const region of REGIONS) {
    for (const device of DEVICES) {
      for (const activity of ACTIVITIES) {
        for (const weather of WEATHERS) tails.push(ascii(`\t${region.timezone}\t${device}\t${activity}\t${weather}\t${region.country}\n`));
      }
    }
  }
  const nD = DEVICES.length;
  const nA = ACTIVITIES.length;
  const nW = WEATHERS.length;
  const maxLine = 96 + eventPrefix.length + userWidth + trackWidth + 64;
  // The "\tgen-u…\tgen-t" between event id and track number, rewritten when the listener changes.
  let currentUser = -1;
  const userPart = ascii(`\tgen-u${'0'.repeat(userWidth)}\tgen-t`);
  const setUser = (u: number) => {
    let n = u + 1;
    for (let i = 5 + userWidth; i > 5; i--) {
      const next = (n / 10) | 0;
      userPart[i] = 48 + n - next * 10;
      n = next;
    }
  };
  // users.ndjson lines from bytes: the record's fields are plain ASCII (see ScaleWorld.userOf).
  const userHead = ascii('{"id":"gen-u');
  const userName = ascii('","displayName":"gen-u');
  const userCountry = REGIONS.map((r) => ascii(`","country":"${r.country}","timezone":"${r.timezone}","source":"gen","friendIds":[],"createdAt":`));
  const userEnd = ascii('}\n');
  let users = 0;
  let done = 0;
  const line: LineParts = { eventPrefix, userPart, trackWidth, types, tails, nD, nA, nW, maxLine };
  const events = await world.generate(
    (batch: EventBatch) => {
      const n = batch.size;
      // Listener ids change rarely within a batch: refresh the id bytes when they do.
      let start = 0;
      while (start < n) {
        let end = start + 1;
        while (end < n && batch.user[end] === batch.user[start]) end++;
        if (batch.user[start] !== currentUser) {
          currentUser = batch.user[start];
          setUser(currentUser);
        }
        formatLines(out, batch, start, end, line);
        start = end;
      }
      done += n;
      onProgress(done);
    },
    (u: number, region: number, createdAt: number) => {
      let buf = usersOut.buf;
      let pos = usersOut.pos;
      if (pos + 256 > buf.length) {
        usersOut.flush();
        buf = usersOut.buf;
        pos = usersOut.pos;
      }
      pos = copy(buf, pos, userHead);
      pos = writeFixed(buf, pos, u + 1, userWidth);
      pos = copy(buf, pos, userName);
      pos = writeFixed(buf, pos, u + 1, userWidth);
      pos = copy(buf, pos, userCountry[region]);
      const high = Math.floor(createdAt / 1e6);
      pos = writeFixed(buf, pos, high, 7);
      pos = writeFixed(buf, pos, createdAt - high * 1e6, 6);
      pos = copy(buf, pos, userEnd);
      usersOut.pos = pos;
      users++;
    },
    range.from,
    range.to,
  );
  out.flush();
  usersOut.flush();
  fs.closeSync(eventsFd);
  fs.closeSync(usersFd);
  return { events, users, bytes: out.written + usersOut.written };
}

/** Writes the world into `dir` (created if needed; files of the same names are replaced). */
export async function generateToFiles(config: ScaleConfig, dir: string, progress: Progress, options: FileOptions = {}): Promise<GenerateStats> {
  const started = performance.now();
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  fs.mkdirSync(dir, { recursive: true });
  progress.start('Generate: catalogue', 1);
  const world = new ScaleWorld(config);
  progress.update(1);
  progress.stop();
  const catalogueDone = performance.now();
  let bytes = 0;

  const c = world.config;
  const parts = world.ranges(workers);
  const files = parts.map((_, k) =>
    workers === 1 ? { interactions: 'interactions.tsv', users: 'users.ndjson' } : { interactions: `interactions.part${k + 1}.tsv`, users: `users.part${k + 1}.ndjson` },
  );
  const writeRecords = (file: string, label: string, total: number, records: Iterable<unknown>) => {
    const fd = fs.openSync(path.join(dir, file), 'w');
    const out = new ByteWriter(fd);
    progress.start(label, total);
    let n = 0;
    for (const record of records) {
      out.text(`${JSON.stringify(record)}\n`);
      if (++n % 10_000 === 0) progress.update(n);
    }
    out.flush();
    fs.closeSync(fd);
    progress.update(n);
    progress.stop();
    bytes += out.written;
    return n;
  };
  const artists = writeRecords('artists.ndjson', 'Generate: artists', world.artistCount, world.artists());
  const tracks = writeRecords('tracks.ndjson', 'Generate: tracks', world.trackCount, world.tracks());
  const entitiesDone = performance.now();

  // Listeners and their events: users and interactions side by side, in one thread or in
  // worker threads over ranges of listeners.
  const interactionsStarted = performance.now();
  const cpuStart = cpuMs();
  progress.start('Generate: listeners and interactions', c.interactions);
  let results: RangeResult[];
  if (workers === 1) {
    results = [await writeRange(world, dir, parts[0], files[0], (done) => progress.update(done))];
  } else {
    const done = parts.map(() => 0);
    const { runRangeWorker } = await import('./scale-workers.js');
    results = await Promise.all(
      parts.map((range, k) =>
        runRangeWorker({ config: c, dir, range, files: files[k] }, (n) => {
          done[k] = n;
          progress.update(done.reduce((a, b) => a + b, 0));
        }),
      ),
    );
  }
  progress.stop();
  const interactions = results.reduce((sum, r) => sum + r.events, 0);
  const users = results.reduce((sum, r) => sum + r.users, 0);
  bytes += results.reduce((sum, r) => sum + r.bytes, 0);
  const done = performance.now();
  const interactionsCpuMs = cpuMs() - cpuStart;
  const manifest = {
    format: 'mixtape-gen/1',
    config: c,
    counts: { artists, tracks, users, interactions },
    files: { artists: 'artists.ndjson', tracks: 'tracks.ndjson', users: files.map((f) => f.users), interactions: files.map((f) => f.interactions) },
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    artists,
    tracks,
    users,
    interactions,
    bytes,
    ms: { catalogue: catalogueDone - started, entities: entitiesDone - catalogueDone, interactions: done - interactionsStarted, total: done - started },
    interactionsCpuMs,
  };
}

const ENTITY_CHUNK = 5000;
const EVENT_CHUNK = 10_000;

/** Streams the world into a store in chunks. */
export async function generateToStore(config: ScaleConfig, store: Store, progress: Progress): Promise<GenerateStats> {
  const started = performance.now();
  progress.start('Generate: catalogue', 1);
  const world = new ScaleWorld(config);
  progress.update(1);
  progress.stop();
  const catalogueDone = performance.now();

  const upsertAll = async <T>(label: string, total: number, records: Iterable<T>, write: (chunk: T[]) => Promise<void>) => {
    progress.start(label, total);
    let chunk: T[] = [];
    let n = 0;
    for (const record of records) {
      chunk.push(record);
      if (chunk.length === ENTITY_CHUNK) {
        await write(chunk);
        n += chunk.length;
        chunk = [];
        progress.update(n);
      }
    }
    if (chunk.length > 0) await write(chunk);
    n += chunk.length;
    progress.update(n);
    progress.stop();
    return n;
  };
  const artists = await upsertAll('Generate: artists', world.artistCount, world.artists(), (chunk) => store.artists.upsertMany(chunk));
  const tracks = await upsertAll('Generate: tracks', world.trackCount, world.tracks(), (chunk) => store.tracks.upsertMany(chunk));
  const entitiesDone = performance.now();
  const cpuStart = cpuMs();

  const c = world.config;
  let users: User[] = [];
  let userCount = 0;
  progress.start('Generate: listeners and interactions', c.interactions);
  const interactions = await world.generate(
    async (batch) => {
      // Listeners first, so every stored event has its user.
      if (users.length > 0) {
        await store.users.upsertMany(users);
        users = [];
      }
      for (let start = 0; start < batch.size; start += EVENT_CHUNK) {
        const end = Math.min(batch.size, start + EVENT_CHUNK);
        const events: Interaction[] = new Array(end - start);
        for (let i = start; i < end; i++) events[i - start] = world.interaction(batch, i);
        await store.interactions.append(events);
      }
      progress.update(batch.first + batch.size - 1);
    },
    async (u, region, createdAt) => {
      users.push(world.userOf(u, region, createdAt));
      userCount++;
      if (users.length === ENTITY_CHUNK) {
        await store.users.upsertMany(users);
        users = [];
      }
    },
  );
  if (users.length > 0) await store.users.upsertMany(users);
  progress.stop();
  const done = performance.now();
  const interactionsCpuMs = cpuMs() - cpuStart;
  return {
    artists,
    tracks,
    users: userCount,
    interactions,
    bytes: 0,
    ms: { catalogue: catalogueDone - started, entities: entitiesDone - catalogueDone, interactions: done - entitiesDone, total: done - started },
    interactionsCpuMs,
  };
}

/** The counts, phase times and rate, for the CLI and the benchmark. */
export function describeStats(stats: GenerateStats, where: string): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const rate = Math.round(stats.interactions / Math.max(1e-9, stats.ms.interactions / 1000));
  const lines = [
    `generated ${stats.artists.toLocaleString('en')} artists, ${stats.tracks.toLocaleString('en')} tracks, ${stats.users.toLocaleString('en')} users, ${stats.interactions.toLocaleString('en')} interactions into ${where}`,
    `  catalogue ${s(stats.ms.catalogue)} s, artist and track records ${s(stats.ms.entities)} s, listeners and interactions ${s(stats.ms.interactions)} s, total ${s(stats.ms.total)} s`,
    `  ${rate.toLocaleString('en')} interactions/s (listeners and interactions phase, wall clock; ${Math.round(stats.interactions / Math.max(1e-9, stats.interactionsCpuMs / 1000)).toLocaleString('en')} per CPU-second)${stats.bytes > 0 ? `, ${(stats.bytes / 1e9).toFixed(2)} GB written` : ''}`,
    `  end to end ${Math.round(stats.interactions / Math.max(1e-9, stats.ms.total / 1000)).toLocaleString('en')} interactions/s`,
  ];
  return lines.join('\n');
}
