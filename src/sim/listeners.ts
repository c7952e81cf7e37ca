/**
 * Demo listeners: the User records plus the hidden profile the listening-log generator acts
 * out. A profile holds
 *  - where the listener lives (country, IANA time zone);
 *  - taste: a sparse Dirichlet mixture over genres, nudged by regional scenes, and a personal
 *    point in style space (see catalogue.ts);
 *  - habits: how active they are, how long their sessions run, how open to new music, how
 *    quick to skip, which devices they use;
 *  - a weekly routine of listening slots (commute, work, workout, party nights, winding down)
 *    and, per activity, the sound they want then (a target point and axis weights in style space)
 *    and how much they lean on familiar tracks;
 *  - favourites they already had before the simulated window, and friends with similar taste.
 *
 * Profiles are read-only inputs to the log generator; it keeps its own mutable state.
 */
import { ACTIVITIES, DEVICES, type Activity, type Device, type User, WEATHERS } from '../domain/types.js';
import { DAY_MS } from './clock.js';
import { type Catalogue, demoId, GENRES, STYLE_SIZE } from './catalogue.js';
import { NameForge } from './names.js';
import { AliasTable, type Rng } from './random.js';

export interface Region {
  country: string;
  timezone: string;
  /** Relative share of listeners. */
  weight: number;
  /** Multipliers on genres' listener share: local scenes. */
  scenes: Readonly<Record<string, number>>;
  /** Relative daily weather frequencies for the season simulated, in WEATHERS order. */
  climate: readonly number[];
}

//                                                           CLEAR CLOUDY RAIN SNOW STORM FOG HOT COLD
export const REGIONS: readonly Region[] = [
  region('US', 'America/New_York', 1.4, { 'hip hop': 1.8, soul: 1.3, punk: 1.2 }, [4, 3, 2, 0, 0.5, 0.5, 0.2, 0.8]),
  region('US', 'America/Chicago', 0.8, { house: 1.8, blues: 2, 'hip hop': 1.3, country: 1.3 }, [3, 3, 2, 0.3, 0.5, 0.5, 0, 1.5]),
  region('US', 'America/Los_Angeles', 1.0, { 'hip hop': 1.5, punk: 1.3, 'indie rock': 1.2, reggaeton: 1.3 }, [7, 1.5, 0.3, 0, 0, 1, 2.5, 0]),
  region('GB', 'Europe/London', 1.0, { 'drum and bass': 2.2, 'indie rock': 1.5, punk: 1.4, shoegaze: 1.6 }, [1.5, 4, 4, 0, 0.6, 1.2, 0, 0.6]),
  region('DE', 'Europe/Berlin', 1.0, { techno: 2.4, metal: 1.5, classical: 1.3 }, [2, 4, 3, 0.1, 0.3, 1.2, 0, 1]),
  region('SE', 'Europe/Stockholm', 0.8, { synthwave: 2, techno: 1.4, metal: 1.6, 'indie rock': 1.2 }, [2, 4, 3, 0.3, 0.3, 1, 0, 2]),
  region('JP', 'Asia/Tokyo', 0.9, { jazz: 1.8, 'lo-fi': 1.6, shoegaze: 1.4, 'k-pop': 1.3, classical: 1.3 }, [4, 3, 2, 0, 0.5, 0.3, 0.5, 0]),
  region('BR', 'America/Sao_Paulo', 1.0, { reggaeton: 1.5, afrobeats: 1.3, 'hip hop': 1.2, house: 1.2 }, [3, 2.5, 3, 0, 1.5, 0.3, 2, 0]),
  region('AU', 'Australia/Sydney', 0.7, { 'indie rock': 1.5, house: 1.3, 'drum and bass': 1.4 }, [5, 2, 1.5, 0, 0.7, 0.3, 1.5, 0]),
  region('MX', 'America/Mexico_City', 0.7, { reggaeton: 2.8, 'hip hop': 1.1 }, [4, 2.5, 2, 0, 1, 0.3, 1, 0]),
  region('KR', 'Asia/Seoul', 0.6, { 'k-pop': 3.5, 'hip hop': 1.3 }, [5, 2.5, 1, 0, 0.2, 0.5, 0, 0.5]),
  region('NG', 'Africa/Lagos', 0.5, { afrobeats: 4, 'hip hop': 1.2, soul: 1.3 }, [2.5, 2.5, 3, 0, 2, 0.2, 3, 0]),
];

function region(country: string, timezone: string, weight: number, scenes: Record<string, number>, climate: number[]): Region {
  if (climate.length !== WEATHERS.length) throw new Error(`climate of ${timezone} needs ${WEATHERS.length} weights`);
  return { country, timezone, weight, scenes, climate };
}

/** What a listener wants from music during one activity, in style space. */
export interface ContextPreference {
  activity: Activity;
  /** The ideal style point (STYLE_SIZE values in [0, 1]). */
  target: Float64Array;
  /** How much each style axis matters; already multiplied by the listener's context sensitivity. */
  weight: Float64Array;
  /** Probability that a play is drawn from the listener's favourites. */
  familiarity: number;
  /** Multiplier on the listener's openness: how willing to try new things now. */
  exploration: number;
  /** Multiplier on the skip probability (active listening skips more than background). */
  skipiness: number;
  /** Mean number of tracks in a session. */
  meanTracks: number;
}

interface ActivityProfile {
  target: number[];
  weight: number[];
  familiarity: number;
  exploration: number;
  skipiness: number;
  meanTracks: number;
  devices: Partial<Record<Device, number>>;
}

/**
 * Shared expectations per activity; each listener perturbs them. Targets and weights are in
 * STYLE_DIMS order: energy, tempo, acousticness, danceability, valence, instrumentalness.
 */
export const ACTIVITY_PROFILES: Readonly<Record<Activity, ActivityProfile>> = {
  COMMUTE: act([0.78, 0.5, 0.2, 0.65, 0.62, 0.2], [2.5, 0.6, 0.8, 1, 1, 0.6], 0.65, 0.5, 1.2, 7, { MOBILE: 6, WEARABLE: 0.5 }),
  WORK: act([0.32, 0.35, 0.5, 0.4, 0.5, 0.8], [2, 0.5, 1, 0.5, 0.3, 2], 0.35, 1, 0.6, 13, { DESKTOP: 4, WEB: 2.5, MOBILE: 2, SPEAKER: 0.5 }),
  STUDY: act([0.22, 0.25, 0.6, 0.35, 0.45, 0.9], [2.2, 0.6, 1, 0.5, 0.3, 2.5], 0.4, 0.8, 0.5, 11, { DESKTOP: 3, WEB: 2, MOBILE: 3 }),
  WORKOUT: act([0.93, 0.7, 0.05, 0.75, 0.6, 0.3], [3, 1.5, 1, 1, 0.5, 0.3], 0.55, 0.8, 1.2, 11, { MOBILE: 3, WEARABLE: 3 }),
  RELAX: act([0.33, 0.3, 0.6, 0.45, 0.5, 0.4], [1.5, 0.5, 1, 0.4, 0.4, 0.5], 0.45, 1.2, 0.9, 7, { SPEAKER: 3, MOBILE: 3, TV: 1.5, DESKTOP: 1 }),
  PARTY: act([0.86, 0.5, 0.1, 0.88, 0.75, 0.3], [2.5, 0.6, 1, 2.5, 1.2, 0.3], 0.5, 0.7, 0.8, 16, { SPEAKER: 5, MOBILE: 2, TV: 1 }),
  SLEEP: act([0.1, 0.12, 0.75, 0.25, 0.35, 0.8], [3, 1, 1.2, 0.5, 0.4, 1.2], 0.55, 0.6, 0.5, 6, { MOBILE: 4, SPEAKER: 2 }),
  COOKING: act([0.55, 0.4, 0.4, 0.6, 0.72, 0.2], [1, 0.4, 0.5, 1, 1.5, 0.4], 0.5, 1, 0.9, 7, { SPEAKER: 5, MOBILE: 2 }),
  DRIVING: act([0.72, 0.5, 0.25, 0.6, 0.68, 0.2], [2, 0.6, 0.6, 0.6, 1.2, 0.4], 0.6, 0.7, 1, 9, { CAR: 8, MOBILE: 1 }),
  GAMING: act([0.72, 0.55, 0.1, 0.55, 0.45, 0.7], [1.8, 0.8, 0.8, 0.4, 0.4, 1.5], 0.4, 0.9, 0.8, 10, { DESKTOP: 4, TV: 2, MOBILE: 1 }),
};

function act(
  target: number[],
  weight: number[],
  familiarity: number,
  exploration: number,
  skipiness: number,
  meanTracks: number,
  devices: Partial<Record<Device, number>>,
): ActivityProfile {
  return { target, weight, familiarity, exploration, skipiness, meanTracks, devices };
}

/** The shared (unperturbed) preference for an activity. */
export function baseContext(activity: Activity): ContextPreference {
  const base = ACTIVITY_PROFILES[activity];
  return {
    activity,
    target: Float64Array.from(base.target),
    weight: Float64Array.from(base.weight),
    familiarity: base.familiarity,
    exploration: base.exploration,
    skipiness: base.skipiness,
    meanTracks: base.meanTracks,
  };
}

export const ACTIVITY_INDEX: Readonly<Record<Activity, number>> = Object.fromEntries(ACTIVITIES.map((a, i) => [a, i])) as Record<Activity, number>;

/** One recurring listening opportunity in a listener's week, in local time. */
export interface RoutineSlot {
  activity: Activity;
  /** Local start hour of the window (may exceed 24: past midnight of the same evening). */
  startHour: number;
  /** Length of the window sessions start in, in hours. */
  spanHours: number;
  /** Probability of a session in this slot on each weekday, Sunday = 0. */
  byWeekday: readonly number[];
}

export interface Listener {
  index: number;
  id: string;
  /** Index into REGIONS. */
  region: number;
  country: string;
  timezone: string;
  /** Genre mixture (sums to 1, mostly zeros), indexed like GENRES. */
  taste: Float64Array;
  /** Personal style point: what the listener's music sounds like regardless of context. */
  style: Float64Array;
  /** Multiplier on routine probabilities (lognormal around 1). */
  activity: number;
  /** Expected sessions per day implied by routine × activity. */
  sessionsPerDay: number;
  /** Multiplier on session length. */
  engagement: number;
  /** 0–1: how often a play is a discovery outside the listener's usual genres and favourites. */
  openness: number;
  /** Shift of the skip threshold: positive skips more. */
  pickiness: number;
  /** Device preference weights, indexed like DEVICES. */
  devices: Float64Array;
  commutesByCar: boolean;
  routine: RoutineSlot[];
  /** Per activity (ACTIVITIES order). */
  contexts: ContextPreference[];
  /** Per activity: the listener's genres weighted by taste × fit with the context. */
  genreChoice: { genres: Int32Array; table: AliasTable }[];
  /** Tracks the listener already loved before the window, with repeats for the most-loved. */
  favourites: Int32Array;
  friends: number[];
}

export interface ListenerOptions {
  users: number;
  days: number;
  referenceTime: number;
}

export interface ListenerPopulation {
  users: User[];
  listeners: Listener[];
}

const WEEKDAYS = [1, 2, 3, 4, 5];
/** Weight every genre keeps in a listener's context-driven genre choice, next to their taste. */
const OUTSIDE_TASTE_WEIGHT = 0.02;

export function buildListeners(rng: Rng, catalogue: Catalogue, options: ListenerOptions, names: NameForge = new NameForge()): ListenerPopulation {
  const n = Math.max(0, Math.floor(options.users));
  const regionTable = new AliasTable(REGIONS.map((r) => r.weight));
  const genresWithTracks = GENRES.map((_, gi) => catalogue.genreTracks[gi].length > 0);
  const windowStart = options.referenceTime - options.days * DAY_MS;

  const listeners: Listener[] = [];
  const users: User[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.fork('listener').fork(i);
    const regionIndex = regionTable.sample(r);
    const home = REGIONS[regionIndex];
    const taste = drawTaste(r, home);
    const style = new Float64Array(STYLE_SIZE);
    for (let d = 0; d < STYLE_SIZE; d++) {
      let v = 0;
      for (let gi = 0; gi < GENRES.length; gi++) v += taste[gi] * GENRES[gi].prototype[d];
      style[d] = Math.min(0.98, Math.max(0.02, v + r.normal(0, 0.06)));
    }
    const activity = r.logNormal(-0.25, 0.6);
    const engagement = r.logNormal(0, 0.35);
    const openness = r.beta(2, 5);
    const pickiness = r.normal(0, 0.5);
    const sensitivity = r.logNormal(0, 0.35);
    const devices = new Float64Array(DEVICES.length);
    const deviceBase: Record<Device, number> = { MOBILE: 5, DESKTOP: 2, WEB: 1, SPEAKER: 1.5, CAR: 1, TV: 0.4, WEARABLE: 0.4, OTHER: 0.1 };
    DEVICES.forEach((d, k) => (devices[k] = deviceBase[d] * r.gamma(0.8, 1.25) + 0.02));
    const commutesByCar = r.chance(home.country === 'US' || home.country === 'AU' ? 0.55 : 0.25);
    const routine = drawRoutine(r, activity);
    let weekly = 0;
    for (const slot of routine) for (const p of slot.byWeekday) weekly += p;

    const contexts = ACTIVITIES.map((a) => {
      const base = ACTIVITY_PROFILES[a];
      return {
        activity: a,
        target: Float64Array.from(base.target, (v) => Math.min(0.98, Math.max(0.02, v + r.normal(0, 0.08)))),
        weight: Float64Array.from(base.weight, (w) => w * sensitivity),
        familiarity: Math.min(0.9, Math.max(0.05, base.familiarity + r.normal(0, 0.08))),
        exploration: base.exploration,
        skipiness: base.skipiness,
        meanTracks: base.meanTracks,
      };
    });
    const genreChoice = contexts.map((ctx) => genreChoiceFor(taste, ctx, genresWithTracks));
    const id = demoId('u', i, n);
    const listener: Listener = {
      index: i,
      id,
      region: regionIndex,
      country: home.country,
      timezone: home.timezone,
      taste,
      style,
      activity,
      sessionsPerDay: Math.round((weekly / 7) * 100) / 100,
      engagement,
      openness,
      pickiness,
      devices,
      commutesByCar,
      routine,
      contexts,
      genreChoice,
      favourites: drawFavourites(r.fork('favourites'), catalogue, taste, style, engagement),
      friends: [],
    };
    listeners.push(listener);
    // Joined between three years and a day before the window opens, on a whole second.
    const joinedAgo = DAY_MS + Math.floor(r.next() * 3 * 365 * DAY_MS);
    users.push({
      id,
      displayName: names.displayName(r),
      country: home.country,
      timezone: home.timezone,
      source: 'demo',
      friendIds: [],
      createdAt: Math.floor((windowStart - joinedAgo) / 1000) * 1000,
    });
  }

  linkFriends(rng.fork('friends'), listeners);
  for (const listener of listeners) {
    users[listener.index].friendIds = listener.friends.map((f) => listeners[f].id);
  }
  return { users, listeners };
}

/** Sparse taste: Dirichlet with small concentration around the (regional) genre prior, pruned. */
function drawTaste(r: Rng, home: Region): Float64Array {
  const prior = GENRES.map((genre) => genre.listenerShare * (home.scenes[genre.name] ?? 1));
  const total = prior.reduce((s, x) => s + x, 0);
  const concentration = 2.5;
  const taste = r.dirichlet(prior.map((p) => (concentration * p) / total));
  let top = 0;
  for (let gi = 1; gi < taste.length; gi++) if (taste[gi] > taste[top]) top = gi;
  let kept = 0;
  for (let gi = 0; gi < taste.length; gi++) {
    if (taste[gi] < 0.04 && gi !== top) taste[gi] = 0;
    kept += taste[gi];
  }
  for (let gi = 0; gi < taste.length; gi++) taste[gi] /= kept;
  return taste;
}

/**
 * The week: which activities the listener has music on for, when, and how reliably. Window
 * probabilities are raised to the listener's activity level (p' = 1 − (1 − p)^activity).
 */
function drawRoutine(r: Rng, activity: number): RoutineSlot[] {
  const slots: RoutineSlot[] = [];
  const chronotype = r.normal(0, 0.75);
  const add = (a: Activity, startHour: number, spanHours: number, days: number[], p: number) => {
    const byWeekday = [0, 0, 0, 0, 0, 0, 0];
    const scaled = 1 - Math.pow(1 - Math.min(0.97, p), activity);
    for (const d of days) byWeekday[d] = Math.round(scaled * 1000) / 1000;
    slots.push({ activity: a, startHour: Math.round(startHour * 100) / 100, spanHours, byWeekday });
  };

  const worker = r.chance(0.7);
  if (worker && r.chance(0.75)) {
    add('COMMUTE', clamp(r.normal(7.2, 0.35), 6.2, 8.3), 0.6, WEEKDAYS, 0.8);
    add('COMMUTE', clamp(r.normal(17.2, 0.5), 16, 18.5), 0.8, WEEKDAYS, 0.55);
  }
  if (worker && r.chance(0.6)) add('WORK', 9, 7.5, WEEKDAYS, r.uniform(0.4, 0.85));
  if (!worker || r.chance(0.15)) add('STUDY', 13 + chronotype, 8, [0, 1, 2, 3, 4, 5, 6], r.uniform(0.25, 0.6));
  if (r.chance(0.45)) {
    const days = r.sample([0, 1, 2, 3, 4, 5, 6], r.intBetween(1, 4));
    const morning = r.chance(0.35);
    add('WORKOUT', morning ? 6.3 : 17.5 + r.uniform(0, 1.5), morning ? 0.8 : 1.5, days, 0.85);
  }
  if (r.chance(0.35)) add('PARTY', 21.5 + chronotype / 2, 2.5, [5, 6], r.uniform(0.3, 0.8));
  if (r.chance(0.45)) add('SLEEP', 22.8 + chronotype, 1.7, [0, 1, 2, 3, 4, 5, 6], r.uniform(0.3, 0.7));
  add('RELAX', 19.3 + chronotype / 2, 2.5, [0, 1, 2, 3, 4, 5, 6], r.uniform(0.2, 0.6));
  add('RELAX', 10 + chronotype / 2, 3, [0, 6], r.uniform(0.3, 0.7));
  if (r.chance(0.3)) add('COOKING', 18, 1.5, [0, 1, 2, 3, 4, 5, 6], r.uniform(0.2, 0.5));
  if (r.chance(0.3)) add('DRIVING', 11, 6, [0, 6], r.uniform(0.2, 0.5));
  if (r.chance(0.25)) add('GAMING', 19.5 + chronotype, 3, [0, 1, 2, 3, 4, 5, 6], r.uniform(0.25, 0.55));
  return slots;
}

/** How well a genre's sound suits a context preference: exp(−weighted squared distance). */
export function contextFit(prototype: ArrayLike<number>, ctx: ContextPreference): number {
  let s = 0;
  for (let d = 0; d < STYLE_SIZE; d++) {
    const x = prototype[d] - ctx.target[d];
    s += ctx.weight[d] * x * x;
  }
  return Math.exp(-s);
}

/**
 * Genre weights for one activity: taste × fit with the context. Genres outside the taste keep
 * a sliver of weight, so a context can pull in music that suits it (a metal fan's sleep
 * music need not be metal) while the taste still dominates where it fits.
 */
function genreChoiceFor(taste: Float64Array, ctx: ContextPreference, available: boolean[]): { genres: Int32Array; table: AliasTable } {
  const genres: number[] = [];
  const weights: number[] = [];
  const meanShare = GENRES.reduce((s, x) => s + x.listenerShare, 0) / GENRES.length;
  for (let gi = 0; gi < GENRES.length; gi++) {
    if (!available[gi]) continue;
    const pull = taste[gi] + OUTSIDE_TASTE_WEIGHT * (GENRES[gi].listenerShare / meanShare);
    genres.push(gi);
    weights.push(pull * (0.02 + contextFit(GENRES[gi].prototype, ctx)));
  }
  if (genres.length === 0) {
    // None of the listener's genres has tracks (a tiny catalogue): fall back to any that has.
    for (let gi = 0; gi < GENRES.length; gi++) {
      if (available[gi]) {
        genres.push(gi);
        weights.push(GENRES[gi].listenerShare);
      }
    }
  }
  return { genres: Int32Array.from(genres), table: new AliasTable(weights.length > 0 ? weights : [1]) };
}

/** Favourites from before the window: popular-leaning picks from the listener's genres near their style. */
function drawFavourites(r: Rng, catalogue: Catalogue, taste: Float64Array, style: Float64Array, engagement: number): Int32Array {
  if (catalogue.tracks.length === 0) return new Int32Array(0);
  const genres: number[] = [];
  const weights: number[] = [];
  for (let gi = 0; gi < GENRES.length; gi++) {
    if (taste[gi] > 0 && catalogue.genreTrackAlias[gi]) {
      genres.push(gi);
      weights.push(taste[gi]);
    }
  }
  if (genres.length === 0) return new Int32Array(0);
  const table = new AliasTable(weights);
  const count = 12 + r.poisson(25 * engagement);
  const chosen = new Set<number>();
  const urn: number[] = [];
  for (let k = 0; k < count * 2 && chosen.size < count; k++) {
    const gi = genres[table.sample(r)];
    let best = -1;
    let bestDist = Infinity;
    for (let c = 0; c < 4; c++) {
      const t = catalogue.genreTracks[gi][catalogue.genreTrackAlias[gi]!.sample(r)];
      let dist = 0;
      for (let d = 0; d < STYLE_SIZE; d++) {
        const x = catalogue.trackStyle[t * STYLE_SIZE + d] - style[d];
        dist += x * x;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = t;
      }
    }
    if (chosen.has(best)) continue;
    chosen.add(best);
    const copies = 1 + r.poisson(1);
    for (let c = 0; c < copies; c++) urn.push(best);
  }
  return Int32Array.from(urn);
}

/**
 * Friendships: each listener looks at a random sample of others and befriends a few, favouring
 * similar taste and the same country. Links are mutual and capped at 12 per listener.
 */
function linkFriends(r: Rng, listeners: Listener[]): void {
  const n = listeners.length;
  if (n < 2) return;
  const links = listeners.map(() => new Set<number>());
  for (let i = 0; i < n; i++) {
    const want = r.poisson(1.6);
    if (want === 0) continue;
    const candidates: number[] = [];
    const weights: number[] = [];
    const pool = Math.min(n - 1, 40);
    for (let k = 0; k < pool; k++) {
      const j = n - 1 <= 40 ? (i + 1 + k) % n : (i + 1 + r.int(n - 1)) % n;
      if (links[i].has(j) || links[j].size >= 12 || candidates.includes(j)) continue;
      const sim = cosine(listeners[i].taste, listeners[j].taste) + (listeners[i].country === listeners[j].country ? 0.3 : 0);
      candidates.push(j);
      weights.push(Math.exp(4 * sim));
    }
    for (let k = 0; k < want && candidates.length > 0 && links[i].size < 12; k++) {
      const c = r.weightedIndex(weights);
      const j = candidates[c];
      links[i].add(j);
      links[j].add(i);
      candidates.splice(c, 1);
      weights.splice(c, 1);
    }
  }
  for (let i = 0; i < n; i++) listeners[i].friends = [...links[i]].sort((a, b) => a - b);
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
