/**
 * The scale generator: a world of any size (a million tracks, a million listeners, a hundred
 * million interactions) streamed out without holding the log in memory.
 *
 * It speaks the demo world's language — the same genres and style space (catalogue.ts), the
 * same regions, activities and context targets (listeners.ts), the same outcome curves
 * (RESPONSE) — with cheaper machinery so it runs at millions of events per second:
 *  - the catalogue lives in typed arrays (style, genre, artist, duration, popularity) with an
 *    alias table per genre; titles and names are made only when records are written;
 *  - a listener is a function of (seed, index): up to three genres, a style point, openness,
 *    an activity level and a weekly mix of activities; nothing per listener is kept except
 *    the activity level, which decides how many of the interactions are theirs;
 *  - sessions are placed by activity windows in the listener's local time (each region's
 *    standard offset at the start of the window; daylight-saving changes inside the window
 *    are ignored) and tracks are drawn from favourites, the listener's genres or a discovery
 *    genre, by popularity, keeping the better of two candidates for the context;
 *  - events leave in reusable typed-array batches; a sink turns them into file bytes or
 *    store records. Randomness is a small inline generator (sfc32) reseeded per listener.
 * The same configuration always gives the same output.
 */
import { ACTIVITIES, type Activity, type Artist, DEVICES, type Device, type Interaction, type InteractionType, type Track, type User, WEATHERS } from '../domain/types.js';
import { trackSearchText } from '../lib/text.js';
import { ACOUSTICNESS, DANCEABILITY, ENERGY, GENRES, INSTRUMENTALNESS, STYLE_SIZE, TEMPO, VALENCE } from './catalogue.js';
import { DAY_MS, ZoneClock } from './clock.js';
import { DEMO_REFERENCE_TIME } from './demo-world.js';
import { ACTIVITY_PROFILES, baseContext, contextFit, REGIONS } from './listeners.js';
import { RESPONSE, SKIP_THRESHOLD_MS } from './listening-log.js';
import { NameForge, trackTitleCandidate } from './names.js';
import { type AliasArrays, buildAliasArrays, hashString, Rng } from './random.js';

export interface ScaleConfig {
  seed: number;
  users: number;
  tracks: number;
  /** Defaults to one artist per eight tracks. */
  artists?: number;
  interactions: number;
  /** Length of the window the interactions fall in (ending at referenceTime). */
  days: number;
  referenceTime?: number;
}

/** Event type codes in batches. */
export const EVENT_TYPES: readonly InteractionType[] = ['PLAY', 'SKIP', 'COMPLETE', 'LIKE'];
const PLAY = 0;
const SKIP = 1;
const COMPLETE = 2;
const LIKE = 3;

export const BATCH_SIZE = 1 << 16;

/**
 * A reusable struct-of-arrays batch of events; `size` are filled, numbered from `first`
 * (1-based). Handed out once it holds at least BATCH_SIZE events (or at the end).
 */
export interface EventBatch {
  size: number;
  first: number;
  user: Int32Array;
  track: Int32Array;
  type: Uint8Array;
  /** ms played; -1 for LIKE. */
  ms: Int32Array;
  ts: Float64Array;
  activity: Uint8Array;
  device: Uint8Array;
  weather: Uint8Array;
  region: Uint8Array;
}

function newBatch(capacity: number): EventBatch {
  return {
    size: 0,
    first: 1,
    user: new Int32Array(capacity),
    track: new Int32Array(capacity),
    type: new Uint8Array(capacity),
    ms: new Int32Array(capacity),
    ts: new Float64Array(capacity),
    activity: new Uint8Array(capacity),
    device: new Uint8Array(capacity),
    weather: new Uint8Array(capacity),
    region: new Uint8Array(capacity),
  };
}

/** A batch with room for `capacity` events holding the same events. */
function grown(batch: EventBatch, capacity: number): EventBatch {
  const next = newBatch(Math.max(capacity, 2 * batch.user.length));
  next.size = batch.size;
  next.first = batch.first;
  next.user.set(batch.user.subarray(0, batch.size));
  next.track.set(batch.track.subarray(0, batch.size));
  next.type.set(batch.type.subarray(0, batch.size));
  next.ms.set(batch.ms.subarray(0, batch.size));
  next.ts.set(batch.ts.subarray(0, batch.size));
  next.activity.set(batch.activity.subarray(0, batch.size));
  next.device.set(batch.device.subarray(0, batch.size));
  next.weather.set(batch.weather.subarray(0, batch.size));
  next.region.set(batch.region.subarray(0, batch.size));
  return next;
}

/** Scratch the generator reuses from listener to listener. */
interface GenerationState {
  rng: FastRng;
  profile: Profile;
  favourites: Int32Array;
  sessionGenres: Float64Array;
  ideal: Float64Array;
  target: Float64Array;
  weight: Float64Array;
  firstWeekday: number;
}

/** sfc32: four 32-bit words of state, fast and good enough for simulation; reseedable without allocating. */
export class FastRng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 1;
  private spare = NaN;

  constructor(seed: number, stream = 0) {
    this.reseed(seed, stream);
  }

  reseed(seed: number, stream: number): void {
    this.a = seed ^ 0x9e3779b9;
    this.b = stream ^ 0x85ebca6b;
    this.c = Math.imul(seed ^ (stream << 7), 0xc2b2ae35) ^ 0x27d4eb2f;
    this.d = 1;
    this.spare = NaN;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  normal(): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

const HOT_STRIDE = 8;
const HOT_POPULARITY = STYLE_SIZE;
const HOT_DURATION = STYLE_SIZE + 1;

/**
 * An alias table over a list of tracks with each slot's two outcomes and threshold side by
 * side (16 bytes): a draw touches one cache line, whatever the table's size.
 */
interface PackedAlias {
  n: number;
  /** Per slot: track, alias track, (threshold bits), unused. */
  ints: Int32Array;
  floats: Float32Array;
}

function packAlias(table: AliasArrays, members: Int32Array): PackedAlias {
  const buffer = new ArrayBuffer(Math.max(1, table.n) * 16);
  const ints = new Int32Array(buffer);
  const floats = new Float32Array(buffer);
  for (let i = 0; i < table.n; i++) {
    ints[4 * i] = members[i];
    ints[4 * i + 1] = members[table.alias[i]];
    floats[4 * i + 2] = table.prob[i];
  }
  return { n: table.n, ints, floats };
}

function samplePacked(table: PackedAlias, u: number): number {
  const x = u * table.n;
  const i = x | 0;
  return x - i < table.floats[4 * i + 2] ? table.ints[4 * i] : table.ints[4 * i + 1];
}

/**
 * Popularity is heavy-tailed: a few tracks carry most plays. The head (the most popular
 * tracks holding HEAD_MASS of the weight, at most HEAD_MAX of them) gets its own small table
 * that stays in cache; the long tail its own. Same distribution, far fewer cache misses.
 */
interface SplitAlias {
  headMass: number;
  head: PackedAlias;
  tail: PackedAlias;
}

const HEAD_MASS = 0.7;
const HEAD_MAX = 4096;

function splitAlias(members: Int32Array, weights: Float64Array): SplitAlias {
  const order = Array.from(members).sort((a, b) => weights[b] - weights[a] || a - b);
  let total = 0;
  for (const t of order) total += weights[t];
  let mass = 0;
  let cut = 0;
  while (cut < order.length && cut < HEAD_MAX && mass < HEAD_MASS * total) mass += weights[order[cut++]];
  const head = Int32Array.from(order.slice(0, cut));
  const tail = Int32Array.from(order.slice(cut));
  const headMass = total > 0 ? (tail.length === 0 ? 1 : mass / total) : 1;
  return {
    headMass,
    head: packAlias(buildAliasArrays(Float64Array.from(head, (t) => weights[t])), head),
    tail: packAlias(buildAliasArrays(Float64Array.from(tail, (t) => weights[t])), tail),
  };
}

function sampleSplit(table: SplitAlias, u: number): number {
  return u < table.headMass ? samplePacked(table.head, u / table.headMass) : samplePacked(table.tail, (u - table.headMass) / (1 - table.headMass));
}

function sampleAlias(table: AliasArrays, u: number): number {
  const x = u * table.n;
  const i = x | 0;
  return x - i < table.prob[i] ? i : table.alias[i];
}

// ---- activities: when they happen and what they want -------------------------------------------

interface ActivityTiming {
  /** Local start hours of the windows sessions start in, and their lengths. */
  windows: readonly [start: number, span: number][];
  /** Weekdays the activity happens on (0 = Sunday). */
  days: readonly number[];
}

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];
const TIMING: Readonly<Record<Activity, ActivityTiming>> = {
  COMMUTE: { windows: [[6.8, 1.6], [16.5, 2]], days: WEEKDAYS },
  WORK: { windows: [[9, 7.5]], days: WEEKDAYS },
  STUDY: { windows: [[13, 8]], days: ALL_DAYS },
  WORKOUT: { windows: [[6.3, 0.8], [17.5, 2.5]], days: ALL_DAYS },
  RELAX: { windows: [[19.3, 2.5], [10, 3]], days: ALL_DAYS },
  PARTY: { windows: [[21.5, 2.5]], days: [5, 6] },
  SLEEP: { windows: [[22.5, 1.7]], days: ALL_DAYS },
  COOKING: { windows: [[18, 1.5]], days: ALL_DAYS },
  DRIVING: { windows: [[11, 6]], days: [0, 6] },
  GAMING: { windows: [[19.5, 3]], days: ALL_DAYS },
};
const ACTIVITY_CODE = Object.fromEntries(ACTIVITIES.map((a, i) => [a, i])) as Record<Activity, number>;
const DEVICE_CODE = Object.fromEntries(DEVICES.map((d, i) => [d, i])) as Record<Device, number>;

/** A listener, rebuilt on demand from (seed, index) into reused arrays. */
interface Profile {
  region: number;
  genreCount: number;
  genres: Int32Array;
  /** sqrt(taste share / top share) per chosen genre: the taste term. */
  tasteTerm: Float64Array;
  /** Taste share per chosen genre (sums to 1). */
  genreTable: Float64Array;
  style: Float64Array;
  openness: number;
  activityLevel: number;
  engagement: number;
  carCommuter: boolean;
  mixCount: number;
  mixActivity: Int32Array;
  mixCumulative: Float64Array;
  weekly: Float64Array;
}

function newProfile(): Profile {
  return {
    region: 0,
    genreCount: 0,
    genres: new Int32Array(3),
    tasteTerm: new Float64Array(3),
    genreTable: new Float64Array(3),
    style: new Float64Array(STYLE_SIZE),
    openness: 0,
    activityLevel: 1,
    engagement: 1,
    carCommuter: false,
    mixCount: 0,
    mixActivity: new Int32Array(ACTIVITIES.length),
    mixCumulative: new Float64Array(ACTIVITIES.length),
    weekly: new Float64Array(ACTIVITIES.length),
  };
}

/** Size of the per-listener ring of recent favourites. */
const FAVOURITES = 32;

export class ScaleWorld {
  readonly config: Required<ScaleConfig>;
  readonly artistCount: number;
  readonly trackCount: number;
  readonly artistGenre: Uint8Array;
  readonly artistWeight: Float64Array;
  readonly trackArtist: Int32Array;
  readonly trackGenre: Uint8Array;
  readonly trackStyle: Float32Array;
  readonly trackDurationMs: Int32Array;
  readonly trackPopularity: Uint8Array;
  private readonly artistStyle: Float32Array;
  /**
   * What the generator reads of a track, packed for locality (8 floats, 32 bytes): style
   * (STYLE_SIZE), popularity, duration in ms (exact in float32 below 2^24).
   */
  private readonly hot: Float32Array;
  private readonly genreAlias: SplitAlias[];
  private readonly regionAlias: AliasArrays;
  private readonly regionGenreAlias: AliasArrays[];
  /** Per activity: genres anyone might wander into then (listener share × fit with the activity). */
  private readonly discoveryAlias: AliasArrays[];
  /** How well each genre suits each activity: contextFit(prototype, activity), genre-major. */
  private readonly genreFit: Float64Array;
  private readonly deviceAlias: AliasArrays[];
  private readonly regionOffsetMs: Float64Array;
  /** Weather code per region × day. */
  private readonly weather: Uint8Array;
  private readonly windowStart: number;
  private readonly days: number;
  private artistNames?: string[];

  constructor(config: ScaleConfig) {
    const tracks = Math.max(1, Math.floor(config.tracks));
    const artists = Math.max(1, Math.min(tracks, Math.floor(config.artists ?? Math.max(1, Math.round(tracks / 8)))));
    this.config = {
      seed: config.seed,
      users: Math.max(1, Math.floor(config.users)),
      tracks,
      artists,
      interactions: Math.max(0, Math.floor(config.interactions)),
      days: Math.max(1, Math.floor(config.days)),
      referenceTime: config.referenceTime ?? DEMO_REFERENCE_TIME,
    };
    this.artistCount = artists;
    this.trackCount = tracks;
    this.days = this.config.days;
    this.windowStart = this.config.referenceTime - this.days * DAY_MS;
    const seed = hashString(`gen:${config.seed}`);
    const r = new FastRng(seed, 1);

    // ---- artists ----------------------------------------------------------------------------------
    const genreShare = buildAliasArrays(GENRES.map((g) => g.artistShare));
    this.artistGenre = new Uint8Array(artists);
    this.artistStyle = new Float32Array(artists * STYLE_SIZE);
    this.artistWeight = new Float64Array(artists);
    const ranks = new Int32Array(artists);
    for (let a = 0; a < artists; a++) ranks[a] = a;
    for (let a = artists - 1; a > 0; a--) {
      const j = Math.floor(r.next() * (a + 1));
      const tmp = ranks[a];
      ranks[a] = ranks[j];
      ranks[j] = tmp;
    }
    for (let a = 0; a < artists; a++) {
      const g = sampleAlias(genreShare, r.next());
      this.artistGenre[a] = g;
      this.artistWeight[a] = 1 / Math.pow(ranks[a] + 1, 0.95);
      const spec = GENRES[g];
      for (let d = 0; d < STYLE_SIZE; d++) this.artistStyle[a * STYLE_SIZE + d] = clamp(spec.prototype[d] + spec.spread * r.normal(), 0.02, 0.98);
    }

    // ---- tracks: counts per artist, then contiguous ranges -----------------------------------------
    const counts = new Int32Array(artists).fill(1);
    const productivity = new Float64Array(artists);
    for (let a = 0; a < artists; a++) productivity[a] = Math.exp(0.7 * r.normal()) * Math.pow(this.artistWeight[a], 0.3);
    const productive = buildAliasArrays(productivity);
    for (let left = tracks - artists; left > 0; left--) counts[sampleAlias(productive, r.next())]++;
    this.trackArtist = new Int32Array(tracks);
    this.trackGenre = new Uint8Array(tracks);
    this.trackStyle = new Float32Array(tracks * STYLE_SIZE);
    this.trackDurationMs = new Int32Array(tracks);
    const trackWeight = new Float64Array(tracks);
    let t = 0;
    for (let a = 0; a < artists; a++) {
      const first = t;
      let hitTotal = 0;
      for (let k = 0; k < counts[a]; k++, t++) {
        this.trackArtist[t] = a;
        const g = this.artistGenre[a];
        this.trackGenre[t] = g;
        for (let d = 0; d < STYLE_SIZE; d++) {
          this.trackStyle[t * STYLE_SIZE + d] = clamp(this.artistStyle[a * STYLE_SIZE + d] + 0.07 * r.normal(), 0.01, 0.99);
        }
        const typical = GENRES[g].durationSec * 1000;
        this.trackDurationMs[t] = Math.round(clamp(typical * Math.exp(0.22 * r.normal()), 60_000, 1_500_000));
        const hit = Math.exp(0.9 * r.normal()) * (k === 0 ? 1.8 : 1);
        trackWeight[t] = hit;
        hitTotal += hit;
      }
      for (let i = first; i < t; i++) trackWeight[i] = (this.artistWeight[a] * trackWeight[i]) / hitTotal;
    }
    this.trackPopularity = new Uint8Array(tracks);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < tracks; i++) {
      const l = Math.log(trackWeight[i]);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
    for (let i = 0; i < tracks; i++) this.trackPopularity[i] = hi > lo ? Math.round((100 * (Math.log(trackWeight[i]) - lo)) / (hi - lo)) : 50;

    const perGenre = new Int32Array(GENRES.length);
    for (let i = 0; i < tracks; i++) perGenre[this.trackGenre[i]]++;
    const genreTracks = GENRES.map((_, g) => new Int32Array(perGenre[g]));
    const fill = new Int32Array(GENRES.length);
    for (let i = 0; i < tracks; i++) genreTracks[this.trackGenre[i]][fill[this.trackGenre[i]]++] = i;
    this.genreAlias = genreTracks.map((members) => splitAlias(members, trackWeight));
    this.hot = new Float32Array(tracks * HOT_STRIDE);
    for (let i = 0; i < tracks; i++) {
      for (let d = 0; d < STYLE_SIZE; d++) this.hot[i * HOT_STRIDE + d] = this.trackStyle[i * STYLE_SIZE + d];
      this.hot[i * HOT_STRIDE + HOT_POPULARITY] = this.trackPopularity[i];
      this.hot[i * HOT_STRIDE + HOT_DURATION] = this.trackDurationMs[i];
    }

    // ---- listeners' shared tables -------------------------------------------------------------------
    const hasTracks = GENRES.map((_, g) => perGenre[g] > 0);
    this.regionAlias = buildAliasArrays(REGIONS.map((x) => x.weight));
    this.regionGenreAlias = REGIONS.map((region) =>
      buildAliasArrays(GENRES.map((g, gi) => (hasTracks[gi] ? g.listenerShare * (region.scenes[g.name] ?? 1) : 0))),
    );
    this.genreFit = new Float64Array(GENRES.length * ACTIVITIES.length);
    GENRES.forEach((g, gi) => ACTIVITIES.forEach((a, ai) => (this.genreFit[gi * ACTIVITIES.length + ai] = contextFit(g.prototype, baseContext(a)))));
    this.discoveryAlias = ACTIVITIES.map((_, ai) =>
      buildAliasArrays(GENRES.map((g, gi) => (hasTracks[gi] ? g.listenerShare * (0.05 + this.genreFit[gi * ACTIVITIES.length + ai]) : 0))),
    );
    this.deviceAlias = ACTIVITIES.map((a) => buildAliasArrays(DEVICES.map((d) => ACTIVITY_PROFILES[a].devices[d] ?? 0.05)));
    const clock = new ZoneClock();
    this.regionOffsetMs = Float64Array.from(REGIONS, (x) => clock.offsetMs(x.timezone, this.windowStart));
    this.weather = new Uint8Array(REGIONS.length * (this.days + 1));
    REGIONS.forEach((region, ri) => {
      const climate = buildAliasArrays(region.climate);
      let previous = sampleAlias(climate, r.next());
      for (let d = 0; d <= this.days; d++) {
        if (d > 0 && r.next() >= 0.55) previous = sampleAlias(climate, r.next());
        this.weather[ri * (this.days + 1) + d] = previous;
      }
    });
  }

  // ---- records ------------------------------------------------------------------------------------------

  artistId(a: number): string {
    return `gen-a${String(a + 1).padStart(String(this.artistCount).length, '0')}`;
  }

  trackId(t: number): string {
    return `gen-t${String(t + 1).padStart(String(this.trackCount).length, '0')}`;
  }

  userId(u: number): string {
    return `gen-u${String(u + 1).padStart(String(this.config.users).length, '0')}`;
  }

  /** Artist names, made once (unique, like the demo catalogue's). */
  private names(): string[] {
    if (!this.artistNames) {
      const forge = new NameForge();
      const rng = new Rng(this.config.seed, 'gen/artist-names');
      this.artistNames = Array.from({ length: this.artistCount }, (_, a) => forge.artistName(rng, GENRES[this.artistGenre[a]].nameStyle));
    }
    return this.artistNames;
  }

  *artists(): Generator<Artist> {
    const names = this.names();
    for (let a = 0; a < this.artistCount; a++) {
      const genre = GENRES[this.artistGenre[a]].name;
      const count = Math.max(1, Math.round(5 + 995 * Math.pow(this.artistWeight[a], 0.7)));
      yield { id: this.artistId(a), name: names[a], genres: [genre], tags: [{ tag: genre, count }], source: 'gen' };
    }
  }

  *tracks(): Generator<Track> {
    const names = this.names();
    const rng = new Rng(this.config.seed, 'gen/titles');
    const lastYear = new Date(this.config.referenceTime).getUTCFullYear();
    for (let t = 0; t < this.trackCount; t++) {
      const a = this.trackArtist[t];
      const spec = GENRES[this.trackGenre[t]];
      const title = trackTitleCandidate(rng, spec.nameStyle);
      const year = Math.max(spec.since, lastYear - Math.floor(Math.pow(rng.next(), 1.5) * (lastYear - spec.since + 1)));
      const off = t * STYLE_SIZE;
      const s = this.trackStyle;
      yield {
        id: this.trackId(t),
        title,
        artistIds: [this.artistId(a)],
        durationMs: this.trackDurationMs[t],
        releaseDate: String(Math.min(lastYear, year)),
        genres: [spec.name],
        tags: [spec.name],
        audioFeatures: {
          danceability: round3(s[off + DANCEABILITY]),
          energy: round3(s[off + ENERGY]),
          key: rng.int(12),
          loudness: round3(clamp(-22 + 17 * s[off + ENERGY], -40, -1)),
          mode: rng.chance(0.35 + 0.5 * s[off + VALENCE]) ? 1 : 0,
          speechiness: round3(spec.speechiness),
          acousticness: round3(s[off + ACOUSTICNESS]),
          instrumentalness: round3(s[off + INSTRUMENTALNESS]),
          valence: round3(s[off + VALENCE]),
          tempo: Math.round((60 + 140 * s[off + TEMPO]) * 10) / 10,
        },
        popularity: this.trackPopularity[t],
        searchText: searchTextOf(title, names[a]),
        source: 'gen',
      };
    }
  }

  /** Listener u's User record. */
  user(u: number): User {
    const profile = newProfile();
    this.profile(u, profile, new FastRng(0));
    return this.userRecord(u, profile);
  }

  private userRecord(u: number, profile: Profile): User {
    return this.userOf(u, profile.region, this.createdAt(u));
  }

  /** The User record of listener u living in REGIONS[region]. */
  userOf(u: number, region: number, createdAt: number): User {
    const id = this.userId(u);
    return { id, displayName: id, country: REGIONS[region].country, timezone: REGIONS[region].timezone, source: 'gen', friendIds: [], createdAt };
  }

  /** Joined between a day and three years before the window, from a hash of the index. */
  createdAt(u: number): number {
    const daysBefore = 1 + ((Math.imul(u + 1, 0x9e3779b1) >>> 0) % 1095);
    return this.windowStart - daysBefore * DAY_MS;
  }

  // ---- listeners ----------------------------------------------------------------------------------------

  /** The activity level of listener u: the first draw of their stream, so quotas need nothing else. */
  private activityLevel(u: number, rng: FastRng): number {
    rng.reseed(hashString(`gen:${this.config.seed}`), u + 1000);
    return Math.exp(-0.25 + 0.6 * rng.normal());
  }

  private profile(u: number, p: Profile, rng: FastRng): void {
    p.activityLevel = this.activityLevel(u, rng);
    p.region = sampleAlias(this.regionAlias, rng.next());
    const genreAlias = this.regionGenreAlias[p.region];
    p.genreCount = 0;
    const want = 1 + (rng.next() < 0.6 ? 1 : 0) + (rng.next() < 0.3 ? 1 : 0);
    for (let k = 0; k < 8 && p.genreCount < want; k++) {
      const g = sampleAlias(genreAlias, rng.next());
      let dup = false;
      for (let j = 0; j < p.genreCount; j++) if (p.genres[j] === g) dup = true;
      if (!dup) p.genres[p.genreCount++] = g;
    }
    // Shares: the first genre leads; the others follow.
    let total = 0;
    for (let j = 0; j < p.genreCount; j++) {
      const share = j === 0 ? 1 : 0.2 + 0.6 * rng.next();
      p.genreTable[j] = share;
      p.tasteTerm[j] = Math.sqrt(share);
      total += share;
    }
    for (let j = 0; j < p.genreCount; j++) {
      const share = p.genreTable[j] / total;
      p.genreTable[j] = share;
      for (let d = 0; d < STYLE_SIZE; d++) p.style[d] = (j === 0 ? 0 : p.style[d]) + share * GENRES[p.genres[j]].prototype[d];
    }
    for (let d = 0; d < STYLE_SIZE; d++) p.style[d] = clamp(p.style[d] + 0.06 * rng.normal(), 0.02, 0.98);
    p.openness = 0.05 + 0.45 * rng.next();
    p.engagement = Math.exp(0.35 * rng.normal());
    const country = REGIONS[p.region].country;
    p.carCommuter = rng.next() < (country === 'US' || country === 'AU' ? 0.55 : 0.25);
    // The week: expected sessions per activity, as in the demo routines.
    const weekly = p.weekly.fill(0);
    const worker = rng.next() < 0.7;
    if (worker && rng.next() < 0.75) weekly[ACTIVITY_CODE.COMMUTE] = 6.75;
    if (worker && rng.next() < 0.6) weekly[ACTIVITY_CODE.WORK] = 3;
    if (!worker || rng.next() < 0.15) weekly[ACTIVITY_CODE.STUDY] = 2.8;
    if (rng.next() < 0.45) weekly[ACTIVITY_CODE.WORKOUT] = 2.1;
    if (rng.next() < 0.35) weekly[ACTIVITY_CODE.PARTY] = 1.1;
    if (rng.next() < 0.45) weekly[ACTIVITY_CODE.SLEEP] = 3.5;
    weekly[ACTIVITY_CODE.RELAX] = 3.8;
    if (rng.next() < 0.3) weekly[ACTIVITY_CODE.COOKING] = 2.4;
    if (rng.next() < 0.3) weekly[ACTIVITY_CODE.DRIVING] = 0.7;
    if (rng.next() < 0.25) weekly[ACTIVITY_CODE.GAMING] = 2.8;
    let sum = 0;
    for (const w of weekly) sum += w;
    p.mixCount = 0;
    let acc = 0;
    for (let a = 0; a < weekly.length; a++) {
      if (weekly[a] <= 0) continue;
      acc += weekly[a] / sum;
      p.mixActivity[p.mixCount] = a;
      p.mixCumulative[p.mixCount] = acc;
      p.mixCount++;
    }
  }

  // ---- the log --------------------------------------------------------------------------------------------

  private quotaCache?: Int32Array;

  /**
   * How many of the interactions each listener has: shares by activity level, rounded so
   * they sum to the total exactly. A listener's events are numbered after all earlier
   * listeners' events, so any range of listeners can be generated on its own.
   */
  quotas(): Int32Array {
    if (this.quotaCache) return this.quotaCache;
    const { users, interactions } = this.config;
    const rng = new FastRng(0);
    const levels = new Float64Array(users);
    let total = 0;
    for (let u = 0; u < users; u++) total += levels[u] = this.activityLevel(u, rng);
    const quotas = new Int32Array(users);
    let cumulative = 0;
    let assigned = 0;
    for (let u = 0; u < users; u++) {
      cumulative += levels[u];
      const upTo = u === users - 1 ? interactions : Math.round((interactions * cumulative) / total);
      quotas[u] = upTo - assigned;
      assigned = upTo;
    }
    this.quotaCache = quotas;
    return quotas;
  }

  /**
   * Splits the listeners into `parts` contiguous ranges with about equal numbers of events:
   * [from, to) of each, and the number of its first event.
   */
  ranges(parts: number): { from: number; to: number; firstEvent: number; events: number }[] {
    const quotas = this.quotas();
    const { users, interactions } = this.config;
    const out: { from: number; to: number; firstEvent: number; events: number }[] = [];
    let u = 0;
    let done = 0;
    for (let k = 0; k < parts; k++) {
      const from = u;
      const firstEvent = done + 1;
      const goal = k === parts - 1 ? interactions : Math.round((interactions * (k + 1)) / parts);
      while (u < users && (done < goal || k === parts - 1)) done += quotas[u++];
      out.push({ from, to: u, firstEvent, events: done - firstEvent + 1 });
    }
    return out;
  }

  /**
   * Generates the events of listeners [from, to) (all by default), listener by listener,
   * handing out full batches (the batch object is reused: copy what you keep). `onUser` sees
   * each listener first (index, region, createdAt: see userOf). Returns the number of events.
   */
  async generate(
    onBatch: (batch: EventBatch) => void | Promise<void>,
    onUser?: (u: number, region: number, createdAt: number) => void | Promise<void>,
    from = 0,
    to = this.config.users,
  ): Promise<number> {
    const quotas = this.quotas();
    const state: GenerationState = {
      rng: new FastRng(0),
      profile: newProfile(),
      favourites: new Int32Array(FAVOURITES),
      sessionGenres: new Float64Array(3),
      ideal: new Float64Array(STYLE_SIZE),
      target: new Float64Array(STYLE_SIZE),
      weight: new Float64Array(STYLE_SIZE),
      firstWeekday: new Date(this.windowStart).getUTCDay(),
    };
    let batch = newBatch(BATCH_SIZE);
    let produced = 0;
    let firstEvent = 1;
    for (let u = 0; u < from; u++) firstEvent += quotas[u];
    batch.first = firstEvent;
    for (let u = from; u < to; u++) {
      this.profile(u, state.profile, state.rng);
      if (onUser) {
        const pending = onUser(u, state.profile.region, this.createdAt(u));
        if (pending) await pending;
      }
      const quota = quotas[u];
      if (quota <= 0) continue;
      // A listener's events go into the batch in one synchronous run (no awaits in the hot
      // loop); the batch grows for the rare listener with more events than it holds.
      if (batch.size + quota > batch.user.length) batch = grown(batch, batch.size + quota);
      produced += this.listenerEvents(u, quota, batch, state);
      if (batch.size >= BATCH_SIZE) {
        const pending = onBatch(batch);
        if (pending) await pending;
        batch.first += batch.size;
        batch.size = 0;
      }
    }
    if (batch.size > 0) await onBatch(batch);
    return produced;
  }

  /** Appends the `quota` events of listener u (profile already in state) to the batch. */
  private listenerEvents(u: number, quota: number, batch: EventBatch, state: GenerationState): number {
    const { rng, profile, favourites, sessionGenres, ideal, target, weight, firstWeekday } = state;
    const hot = this.hot;
    const trackGenre = this.trackGenre;
    const like = RESPONSE.like;
    const skip = RESPONSE.skip;
    const complete = RESPONSE.complete;
    const daysPlus = this.days + 1;
    let produced = 0;
    const region = profile.region;
    const offset = this.regionOffsetMs[region];
    let favCount = 0;
    let favNext = 0;
    while (quota > 0) {
      // A session: activity, day, local start, device, weather.
      const pick = rng.next();
      let m = 0;
      while (m < profile.mixCount - 1 && pick >= profile.mixCumulative[m]) m++;
      const activity = profile.mixActivity[m];
      const act = ACTIVITIES[activity];
      const timing = TIMING[act];
      let day = Math.floor(rng.next() * this.days);
      const weekday = (firstWeekday + day) % 7;
      if (!timing.days.includes(weekday)) {
        // Move to the nearest earlier allowed day (or the first one of the window).
        let back = 1;
        while (back < 7 && !timing.days.includes((weekday + 7 - back) % 7)) back++;
        day = day - back >= 0 ? day - back : day + ((timing.days[0] - weekday + 7) % 7);
        if (day >= this.days) day = this.days - 1;
      }
      const window = timing.windows[timing.windows.length > 1 && rng.next() < 0.5 ? 1 : 0];
      const localMs = (window[0] + rng.next() * window[1]) * 3_600_000;
      let ts = Math.floor(this.windowStart + day * DAY_MS + localMs - offset);
      const device = act === 'COMMUTE' && profile.carCommuter ? DEVICE_CODE.CAR : sampleAlias(this.deviceAlias[activity], rng.next());
      const weather = this.weather[region * daysPlus + day];
      const ap = ACTIVITY_PROFILES[act];
      for (let d = 0; d < STYLE_SIZE; d++) {
        target[d] = ap.target[d];
        weight[d] = ap.weight[d];
        ideal[d] = 0.6 * profile.style[d] + 0.4 * ap.target[d];
      }
      const explore = Math.min(0.8, profile.openness * ap.exploration);
      // The listener's genres weighted by taste × fit with the activity, as cumulative weights.
      let genreTotal = 0;
      for (let j = 0; j < profile.genreCount; j++) {
        genreTotal += profile.genreTable[j] * (0.02 + this.genreFit[profile.genres[j] * ACTIVITIES.length + activity]);
        sessionGenres[j] = genreTotal;
      }
      let length = 1 + Math.floor(-Math.log(1 - rng.next()) * Math.max(0, ap.meanTracks * profile.engagement - 1));
      if (length > quota) length = quota;

      for (let k = 0; k < length && quota > 0; k++) {
        // Track: a favourite (passed over, often, when it does not suit the moment), or the
        // better fit of two candidates from a genre.
        let track = -1;
        let fit = 0;
        let familiar = false;
        if (favCount > 0 && rng.next() < ap.familiarity) {
          const favourite = favourites[Math.floor(rng.next() * favCount)];
          const m = misfit(hot, favourite, ideal, target, weight);
          if (rng.next() < Math.exp(-0.5 * m)) {
            track = favourite;
            fit = m;
            familiar = true;
          }
        }
        if (track < 0) {
          let genre: number;
          if (rng.next() < explore) genre = sampleAlias(this.discoveryAlias[activity], rng.next());
          else {
            const g = rng.next() * genreTotal;
            let j = 0;
            while (j < profile.genreCount - 1 && g >= sessionGenres[j]) j++;
            genre = profile.genres[j];
          }
          const table = this.genreAlias[genre];
          const c1 = sampleSplit(table, rng.next());
          const c2 = sampleSplit(table, rng.next());
          const m1 = misfit(hot, c1, ideal, target, weight);
          const m2 = misfit(hot, c2, ideal, target, weight);
          track = m1 <= m2 ? c1 : c2;
          fit = m1 <= m2 ? m1 : m2;
        }
        // Appeal, as in the demo log: taste, fit, familiarity, popularity, noise.
        const g = trackGenre[track];
        let taste = 0;
        for (let j = 0; j < profile.genreCount; j++) if (profile.genres[j] === g) taste = profile.tasteTerm[j];
        const appeal =
          1.1 * taste -
          fit +
          (familiar ? 0.4 : 0) +
          0.004 * hot[track * HOT_STRIDE + HOT_POPULARITY] +
          0.2 +
          0.6 * (rng.next() + rng.next() + rng.next() - 1.5) * 2;
        const duration = hot[track * HOT_STRIDE + HOT_DURATION];
        const pSkip = Math.min(skip.cap, ap.skipiness / (1 + Math.exp(skip.slope * (appeal - skip.midpoint))));
        let type: number;
        let ms: number;
        if (rng.next() < pSkip) {
          type = SKIP;
          ms = Math.min(duration - 1000, 1500 + Math.floor(rng.next() * (SKIP_THRESHOLD_MS - 1501)));
        } else if (rng.next() < 1 / (1 + Math.exp(-complete.slope * (appeal - complete.midpoint)))) {
          type = COMPLETE;
          ms = duration;
        } else {
          type = PLAY;
          ms = SKIP_THRESHOLD_MS + Math.floor((duration - SKIP_THRESHOLD_MS - 1) * (0.3 + 0.65 * rng.next()));
        }
        let i = batch.size++;
        batch.user[i] = u;
        batch.track[i] = track;
        batch.type[i] = type;
        batch.ms[i] = ms;
        batch.ts[i] = ts;
        batch.activity[i] = activity;
        batch.device[i] = device;
        batch.weather[i] = weather;
        batch.region[i] = region;
        quota--;
        produced++;
        if (type !== SKIP) {
          if (quota > 0 && rng.next() < like.rate * (familiar ? like.familiar : like.discovery) / (1 + Math.exp(-2 * (appeal - like.midpoint)))) {
            i = batch.size++;
            batch.user[i] = u;
            batch.track[i] = track;
            batch.type[i] = LIKE;
            batch.ms[i] = -1;
            batch.ts[i] = ts + Math.floor(ms * 0.6);
            batch.activity[i] = activity;
            batch.device[i] = device;
            batch.weather[i] = weather;
            batch.region[i] = region;
            quota--;
            produced++;
          }
          if (!familiar && rng.next() < 0.3) {
            if (favCount < FAVOURITES) favourites[favCount++] = track;
            else {
              favourites[favNext] = track;
              favNext = (favNext + 1) % FAVOURITES;
            }
          }
        }
        ts += ms + 200 + Math.floor(rng.next() * 2500);
      }
    }
    return produced;
  }

  /** The store record of an event in a batch. */
  interaction(batch: EventBatch, i: number): Interaction {
    const region = REGIONS[batch.region[i]];
    const ts = batch.ts[i];
    const event: Interaction = {
      eventId: `gen:${this.config.seed}:${batch.first + i}`,
      userId: this.userId(batch.user[i]),
      targetKind: 'TRACK',
      targetId: this.trackId(batch.track[i]),
      type: EVENT_TYPES[batch.type[i]],
      count: 1,
      context: {
        timestamp: ts,
        timezone: region.timezone,
        device: DEVICES[batch.device[i]],
        location: { country: region.country },
        weather: WEATHERS[batch.weather[i]],
        activity: ACTIVITIES[batch.activity[i]],
      },
      receivedAt: ts,
    };
    if (batch.ms[i] >= 0) event.msPlayed = batch.ms[i];
    return event;
  }
}

/** Context misfit of a track: distance from the session's ideal sound plus the weighted distance from the context target. */
function misfit(hot: Float32Array, track: number, ideal: Float64Array, target: Float64Array, weight: Float64Array): number {
  const off = track * HOT_STRIDE;
  let s = 0;
  for (let d = 0; d < STYLE_SIZE; d++) {
    const v = hot[off + d];
    const x = v - ideal[d];
    const y = v - target[d];
    s += 2 * x * x + 0.45 * weight[d] * y * y;
  }
  return s;
}

const ASCII = /^[\x20-\x7e]*$/;

/** trackSearchText, with a shortcut for plain ASCII (most titles and names): nothing to fold. */
function searchTextOf(title: string, artist: string): string {
  const text = `${title} ${artist}`;
  return ASCII.test(text) ? text.toLowerCase().replace(/\s+/g, ' ').trim() : trackSearchText(title, undefined, [artist]);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
