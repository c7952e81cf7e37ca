/**
 * The listening log: D days of sessions acted out by the listeners, ending at a fixed
 * reference instant, emitted in time order.
 *
 * Day by day (in each listener's local calendar) every routine slot may open a session. A
 * session has one context — device, activity, the region's weather that day, country — and
 * plays a run of tracks. Each track is chosen in two steps: a source (a favourite, another
 * track by a favourite artist, a friend's favourite, or a genre drawn from taste × fit with the
 * context, sometimes outside the listener's taste), then a few candidates drawn by popularity
 * from alias tables, of which one is kept with probability growing with its fit to the
 * context and to the listener's style. A response model turns each play into SKIP, PLAY or
 * COMPLETE and occasionally LIKE, SAVE or DISLIKE; liked and finished tracks join the
 * listener's favourites, so familiarity builds up over the window.
 *
 * Nothing here reads the clock or Math.random: each listener draws from its own forked stream
 * and events are ordered by (timestamp, listener, sequence), so the log is a pure function of
 * its inputs. Events leave in batches as soon as no later local day can precede them.
 */
import { ACTIVITIES, DEVICES, type Activity, type Device, type Interaction, type InteractionType, type Weather, WEATHERS } from '../domain/types.js';
import { type Catalogue, GENRES, STYLE_SIZE, VALENCE, ACOUSTICNESS, ENERGY } from './catalogue.js';
import { DAY_MS, ZoneClock } from './clock.js';
import {
  ACTIVITY_INDEX,
  ACTIVITY_PROFILES,
  baseContext,
  contextFit,
  type ContextPreference,
  type Listener,
  REGIONS,
  type RoutineSlot,
} from './listeners.js';
import { AliasTable, type Rng } from './random.js';

const HOUR_MS = 3_600_000;
/** Largest UTC offset in use anywhere (Kiribati): no local day starts earlier than midnight UTC − 14 h. */
export const MAX_UTC_OFFSET_MS = 14 * HOUR_MS;
/** A play shorter than this counts as a skip. */
export const SKIP_THRESHOLD_MS = 30_000;
const URN_CAPACITY = 300;
/** How strongly the pick among candidates follows their fit (a softmax temperature's inverse). */
const CHOICE_SHARPNESS = 3;
/** How readily a familiar track that does not suit the context is passed over. */
const FAMILIAR_MISFIT_PENALTY = 0.5;
/** How far a session's wanted sound moves from the listener's own style towards the context's. */
export const CONTEXT_PULL = 0.4;

/**
 * The response model's knobs. Appeal (see appealOf) is a weighted sum; outcomes are logistic
 * in it. With seed 42 and the default sizes they give roughly 28 % skips, 25 % partial plays,
 * 44 % complete plays and about 3 % explicit feedback.
 */
export const RESPONSE = {
  appeal: { taste: 1.1, contextMisfit: 0.45, styleMisfit: 2, familiar: 0.4, liked: 0.5, popularity: 0.4, pickiness: 0.5, offset: 0.2, noise: 0.6 },
  /** P(skip) = skipiness(activity) × σ(−slope × (appeal − midpoint)), capped. */
  skip: { midpoint: 0.3, slope: 2.2, cap: 0.95 },
  /** Of the plays not skipped, P(complete) = σ(slope × (appeal − midpoint)). */
  complete: { midpoint: 0.65, slope: 2 },
  /** P(like) = rate × σ(2 × (appeal − midpoint)) × (familiar ? familiar : discovery); SAVE likewise. */
  like: { rate: 0.06, midpoint: 0.9, familiar: 0.5, discovery: 1.5 },
  save: { rate: 0.025 },
  /** A skip with appeal below `below` is disliked with probability `rate`. */
  dislike: { below: -0.3, rate: 0.08 },
  /** Chance that a completed play makes the track a favourite (urn vote). */
  adopt: { familiar: 0.25, discovery: 0.3 },
} as const;

export interface ListeningLogOptions {
  seed: number;
  days: number;
  /** The log ends just before this instant (ms since the epoch, UTC). */
  referenceTime: number;
}

export interface LogBatch {
  events: Interaction[];
  /** Local days simulated so far, of `daysTotal` (the window plus a day either side for time zones). */
  daysDone: number;
  daysTotal: number;
}

/** Per-listener mutable state during generation; profiles themselves stay untouched. */
interface ListenerState {
  rng: Rng;
  /** Favourites as an urn: a track appears once per "vote", so often-loved tracks come up more. */
  urn: number[];
  heard: Set<number>;
  liked: Set<number>;
  saved: Set<number>;
  seq: number;
  lastTrack: number;
  busyUntil: number;
  maxTaste: number;
}

/** What a session shares across its events. */
interface SessionContext {
  timezone: string;
  device: Device;
  country: string;
  weather: Weather;
  activity: Activity;
}

interface PendingEvent {
  ts: number;
  user: number;
  seq: number;
  track: number;
  type: InteractionType;
  /** -1 when the event has no duration (LIKE, SAVE, DISLIKE). */
  msPlayed: number;
  ctx: SessionContext;
}

const DEVICE_INDEX = Object.fromEntries(DEVICES.map((d, i) => [d, i])) as Record<Device, number>;
const GLOOMY: ReadonlySet<Weather> = new Set<Weather>(['RAIN', 'STORM', 'FOG', 'SNOW', 'COLD', 'CLOUDY']);
const BRIGHT: ReadonlySet<Weather> = new Set<Weather>(['CLEAR', 'HOT']);

/** Chronological batches of the log. Calling it again replays the same log. */
export function* listeningLogBatches(
  rng: Rng,
  catalogue: Catalogue,
  listeners: readonly Listener[],
  options: ListeningLogOptions,
): Generator<LogBatch> {
  const days = Math.max(0, Math.floor(options.days));
  const windowEnd = options.referenceTime;
  const windowStart = windowEnd - days * DAY_MS;
  // Local calendar days to simulate: every day that is current somewhere on Earth during the
  // window — zones behind UTC still live the day before it opens, zones ahead already live
  // the day it closes on.
  const firstLocalDay = Math.floor((windowStart - MAX_UTC_OFFSET_MS) / DAY_MS) * DAY_MS;
  const lastLocalDay = Math.floor((windowEnd - 1 + MAX_UTC_OFFSET_MS) / DAY_MS) * DAY_MS;
  const daysTotal = Math.round((lastLocalDay - firstLocalDay) / DAY_MS) + 1;
  if (days === 0 || listeners.length === 0 || catalogue.tracks.length === 0) {
    yield { events: [], daysDone: daysTotal, daysTotal };
    return;
  }

  const clock = new ZoneClock();
  const weather = drawWeather(rng.fork('weather'), daysTotal);
  const discovery = ACTIVITIES.map((a) => discoveryTable(catalogue, baseContext(a)));
  const popularity = Float64Array.from(catalogue.tracks, (t) => (t.popularity ?? 50) / 100);
  const states: ListenerState[] = listeners.map((l) => ({
    rng: rng.fork('log').fork(l.id),
    urn: Array.from(l.favourites),
    heard: new Set(l.favourites),
    liked: new Set<number>(),
    saved: new Set<number>(),
    seq: 0,
    lastTrack: -1,
    busyUntil: -Infinity,
    maxTaste: Math.max(...l.taste),
  }));
  const sim: Sim = { catalogue, listeners, states, discovery, popularity, clock, windowStart, windowEnd, pending: [] };

  let eventNumber = 0;
  for (let day = 0; day < daysTotal; day++) {
    const localMidnight = firstLocalDay + day * DAY_MS;
    const weekday = new Date(localMidnight).getUTCDay();
    for (let u = 0; u < listeners.length; u++) {
      simulateDay(sim, u, localMidnight, weekday, weather[listeners[u].region][day]);
    }
    // Every session of a later local day starts after the next local midnight in the most
    // eastern zone, so everything before it is final.
    const watermark = day === daysTotal - 1 ? Infinity : localMidnight + DAY_MS - MAX_UTC_OFFSET_MS;
    sim.pending.sort((a, b) => a.ts - b.ts || a.user - b.user || a.seq - b.seq);
    let cut = 0;
    while (cut < sim.pending.length && sim.pending[cut].ts < watermark) cut++;
    const ready = sim.pending.slice(0, cut);
    sim.pending = sim.pending.slice(cut);
    const events: Interaction[] = new Array(ready.length);
    for (let k = 0; k < ready.length; k++) events[k] = toInteraction(ready[k], ++eventNumber, options.seed, catalogue, listeners);
    yield { events, daysDone: day + 1, daysTotal };
  }
}

/** The whole log as a flat, chronological sequence of events. */
export function* listeningLog(
  rng: Rng,
  catalogue: Catalogue,
  listeners: readonly Listener[],
  options: ListeningLogOptions,
): Generator<Interaction> {
  for (const batch of listeningLogBatches(rng, catalogue, listeners, options)) yield* batch.events;
}

interface Sim {
  catalogue: Catalogue;
  listeners: readonly Listener[];
  states: ListenerState[];
  discovery: { genres: Int32Array; table: AliasTable }[];
  popularity: Float64Array;
  clock: ZoneClock;
  windowStart: number;
  windowEnd: number;
  pending: PendingEvent[];
}

function toInteraction(p: PendingEvent, n: number, seed: number, catalogue: Catalogue, listeners: readonly Listener[]): Interaction {
  const context = {
    timestamp: p.ts,
    timezone: p.ctx.timezone,
    device: p.ctx.device,
    location: { country: p.ctx.country },
    weather: p.ctx.weather,
    activity: p.ctx.activity,
  };
  const eventId = `demo:${seed}:${n}`;
  const userId = listeners[p.user].id;
  const targetId = catalogue.tracks[p.track].id;
  return p.msPlayed >= 0
    ? { eventId, userId, targetKind: 'TRACK', targetId, type: p.type, msPlayed: p.msPlayed, count: 1, context, receivedAt: p.ts }
    : { eventId, userId, targetKind: 'TRACK', targetId, type: p.type, count: 1, context, receivedAt: p.ts };
}

/** Daily weather per region (REGIONS order, then day): a sticky Markov chain around the region's climate. */
export function drawWeather(rng: Rng, days: number): Weather[][] {
  return REGIONS.map((region, i) => {
    const r = rng.fork(i);
    const table = new AliasTable(region.climate);
    const out: Weather[] = [];
    for (let d = 0; d < days; d++) out.push(d > 0 && r.chance(0.55) ? out[d - 1] : WEATHERS[table.sample(r)]);
    return out;
  });
}

/** Genres anyone might wander into during an activity: overall listener share × fit. */
function discoveryTable(catalogue: Catalogue, ctx: ContextPreference): { genres: Int32Array; table: AliasTable } {
  const genres: number[] = [];
  const weights: number[] = [];
  GENRES.forEach((genre, gi) => {
    if (catalogue.genreTracks[gi].length === 0) return;
    genres.push(gi);
    weights.push(genre.listenerShare * (0.05 + contextFit(genre.prototype, ctx)));
  });
  return { genres: Int32Array.from(genres), table: new AliasTable(weights) };
}

function simulateDay(sim: Sim, u: number, localMidnight: number, weekday: number, weather: Weather): void {
  const listener = sim.listeners[u];
  const st = sim.states[u];
  const r = st.rng;
  for (const { slot, local } of routineStarts(r, listener.routine, localMidnight, weekday)) {
    let start = sim.clock.localToUtc(listener.timezone, local);
    if (start < st.busyUntil) start = st.busyUntil + (1 + r.int(20)) * 60_000;
    if (start >= sim.windowEnd) continue;
    runSession(sim, u, slot.activity, start, weather);
  }
}

/**
 * The sessions a routine opens on one local day, in local-time order: every slot draws
 * whether it opens and when, used or not, so one slot's outcome never shifts another's.
 * `local` is the wall-clock start as ms since the epoch "as if local were UTC".
 */
export function routineStarts(r: Rng, routine: readonly RoutineSlot[], localMidnight: number, weekday: number): { slot: RoutineSlot; local: number }[] {
  const starts: { slot: RoutineSlot; local: number }[] = [];
  for (const slot of routine) {
    const open = r.next() < slot.byWeekday[weekday];
    const offset = r.next();
    if (!open) continue;
    const local = localMidnight + Math.floor((slot.startHour + offset * slot.spanHours) * 3600) * 1000;
    starts.push({ slot, local });
  }
  starts.sort((a, b) => a.local - b.local);
  return starts;
}

/** The device a session plays on: the listener's device habits × what suits the activity (cars for car commuters). */
export function chooseDevice(r: Rng, listener: Listener, activity: Activity): Device {
  if (activity === 'COMMUTE' && listener.commutesByCar) return 'CAR';
  const fit = ACTIVITY_PROFILES[activity].devices;
  const weights = new Float64Array(DEVICES.length);
  for (const d of DEVICES) weights[DEVICE_INDEX[d]] = listener.devices[DEVICE_INDEX[d]] * (fit[d] ?? 0.05);
  return DEVICES[r.weightedIndex(weights)];
}

function runSession(sim: Sim, u: number, activity: Activity, start: number, weather: Weather): void {
  const listener = sim.listeners[u];
  const st = sim.states[u];
  const r = st.rng;
  const ctx = listener.contexts[ACTIVITY_INDEX[activity]];
  const target = weatherTinted(ctx.target, weather);
  // The sound the listener wants in this session: their own style pulled towards the context.
  const ideal = new Float64Array(STYLE_SIZE);
  for (let d = 0; d < STYLE_SIZE; d++) ideal[d] = (1 - CONTEXT_PULL) * listener.style[d] + CONTEXT_PULL * target[d];
  const session: SessionContext = {
    timezone: listener.timezone,
    device: chooseDevice(r, listener, activity),
    country: listener.country,
    weather,
    activity,
  };
  const plays = 1 + r.poisson(Math.max(0, ctx.meanTracks * listener.engagement - 1));
  let t = start;
  for (let k = 0; k < plays && t < sim.windowEnd; k++) {
    const track = chooseTrack(sim, u, ctx, target, ideal);
    const duration = sim.catalogue.trackDurationMs[track];
    const appeal = appealOf(sim, u, track, ctx, target, ideal);
    const familiar = st.heard.has(track);

    let type: InteractionType;
    let msPlayed: number;
    const pSkip = Math.min(RESPONSE.skip.cap, ctx.skipiness * sigmoid(-RESPONSE.skip.slope * (appeal - RESPONSE.skip.midpoint)));
    if (r.next() < pSkip) {
      type = 'SKIP';
      msPlayed = Math.min(duration - 1000, 1500 + Math.floor(Math.pow(r.next(), 1.3) * (SKIP_THRESHOLD_MS - 1501)));
    } else if (r.next() < sigmoid(RESPONSE.complete.slope * (appeal - RESPONSE.complete.midpoint))) {
      type = 'COMPLETE';
      msPlayed = duration;
    } else {
      type = 'PLAY';
      msPlayed = SKIP_THRESHOLD_MS + Math.floor((duration - SKIP_THRESHOLD_MS - 1) * (0.3 + 0.65 * r.next()));
    }
    emit(sim, u, t, track, type, msPlayed, session);

    // Explicit feedback: likes and saves after a listen, dislikes after a sour skip.
    const uLike = r.next();
    const uSave = r.next();
    const uDislike = r.next();
    if (type !== 'SKIP') {
      const warmth = sigmoid(2 * (appeal - RESPONSE.like.midpoint)) * (familiar ? RESPONSE.like.familiar : RESPONSE.like.discovery);
      if (!st.liked.has(track) && uLike < RESPONSE.like.rate * warmth) {
        st.liked.add(track);
        emit(sim, u, t + Math.floor(msPlayed * (0.3 + 0.6 * r.next())), track, 'LIKE', -1, session);
        for (let c = 0; c < 3; c++) addFavourite(st, track);
      }
      if (!st.saved.has(track) && uSave < RESPONSE.save.rate * warmth) {
        st.saved.add(track);
        emit(sim, u, t + msPlayed, track, 'SAVE', -1, session);
        addFavourite(st, track);
      }
      if (type === 'COMPLETE' && r.next() < (familiar ? RESPONSE.adopt.familiar : RESPONSE.adopt.discovery)) addFavourite(st, track);
    } else if (appeal < RESPONSE.dislike.below && uDislike < RESPONSE.dislike.rate) {
      emit(sim, u, t + msPlayed, track, 'DISLIKE', -1, session);
    }
    st.heard.add(track);
    st.lastTrack = track;
    t += msPlayed + 200 + r.int(2500);
  }
  st.busyUntil = t;
}

/** Weather tints the wanted sound a little: grey days softer and sadder, bright days livelier. */
export function weatherTinted(contextTarget: ArrayLike<number>, weather: Weather | undefined): Float64Array {
  const target = Float64Array.from(contextTarget);
  if (weather === undefined) return target;
  if (GLOOMY.has(weather)) {
    target[VALENCE] = Math.max(0.02, target[VALENCE] - 0.08);
    target[ACOUSTICNESS] = Math.min(0.98, target[ACOUSTICNESS] + 0.08);
  } else if (BRIGHT.has(weather)) {
    target[VALENCE] = Math.min(0.98, target[VALENCE] + 0.08);
    target[ENERGY] = Math.min(0.98, target[ENERGY] + 0.04);
  }
  return target;
}

function emit(sim: Sim, u: number, ts: number, track: number, type: InteractionType, msPlayed: number, ctx: SessionContext): void {
  if (ts < sim.windowStart || ts >= sim.windowEnd) return;
  sim.pending.push({ ts, user: u, seq: sim.states[u].seq++, track, type, msPlayed, ctx });
}

function addFavourite(st: ListenerState, track: number): void {
  if (st.urn.length < URN_CAPACITY) st.urn.push(track);
  else st.urn[st.rng.int(URN_CAPACITY)] = track;
}

const candidates = new Int32Array(8);
const candidateWeights = new Float64Array(8);

/**
 * Picks the next track: a source first (a favourite, more by a favourite artist, a friend's
 * favourite, or a genre), then one of a few candidates from it by fit. A familiar pick that
 * does not suit the moment is often passed over for a genre pick instead.
 */
function chooseTrack(sim: Sim, u: number, ctx: ContextPreference, target: Float64Array, ideal: Float64Array): number {
  const { catalogue } = sim;
  const listener = sim.listeners[u];
  const st = sim.states[u];
  const r = st.rng;
  const roll = r.next();
  let n = 0;
  if (st.urn.length > 0 && roll < ctx.familiarity) {
    // An old favourite.
    for (; n < 4; n++) candidates[n] = st.urn[r.int(st.urn.length)];
  } else if (st.urn.length > 0 && roll < ctx.familiarity + (1 - ctx.familiarity) * 0.2) {
    // More from an artist the listener loves.
    const artist = catalogue.trackArtist[st.urn[r.int(st.urn.length)]];
    const table = catalogue.artistTrackAlias[artist]!;
    const own = catalogue.artistTracks[artist];
    for (; n < 3; n++) candidates[n] = own[table.sample(r)];
  } else if (listener.friends.length > 0 && roll > 0.97) {
    // Something a friend loves.
    const friend = sim.states[r.pick(listener.friends)];
    if (friend.urn.length > 0) for (; n < 3; n++) candidates[n] = friend.urn[r.int(friend.urn.length)];
  }
  if (n > 0) {
    const pick = pickByFit(sim, u, n, ctx, target, ideal);
    const misfit = weightedDistance(catalogue.trackStyle, pick * STYLE_SIZE, target, ctx.weight);
    if (r.next() < Math.exp(-FAMILIAR_MISFIT_PENALTY * misfit)) return pick;
  }
  // A genre (usually by the listener's taste, sometimes anyone's) and popular tracks in it.
  const explore = Math.min(0.8, listener.openness * ctx.exploration);
  const choice = r.next() < explore ? sim.discovery[ACTIVITY_INDEX[ctx.activity]] : listener.genreChoice[ACTIVITY_INDEX[ctx.activity]];
  const genre = choice.genres[choice.table.sample(r)];
  const table = catalogue.genreTrackAlias[genre]!;
  const members = catalogue.genreTracks[genre];
  for (n = 0; n < 6; n++) candidates[n] = members[table.sample(r)];
  return pickByFit(sim, u, n, ctx, target, ideal);
}

/** One of the first `n` candidates, by a softmax over fit with the context and the listener's style. */
function pickByFit(sim: Sim, u: number, n: number, ctx: ContextPreference, target: Float64Array, ideal: Float64Array): number {
  const { catalogue } = sim;
  const st = sim.states[u];
  let total = 0;
  for (let k = 0; k < n; k++) {
    const t = candidates[k];
    const off = t * STYLE_SIZE;
    const fit = -weightedDistance(catalogue.trackStyle, off, target, ctx.weight) - 1.5 * styleDistance(catalogue.trackStyle, off, ideal);
    candidateWeights[k] = t === st.lastTrack ? 0 : Math.exp(CHOICE_SHARPNESS * fit);
    total += candidateWeights[k];
  }
  if (!(total > 0)) return candidates[0];
  let x = st.rng.next() * total;
  for (let k = 0; k < n; k++) {
    x -= candidateWeights[k];
    if (x < 0) return candidates[k];
  }
  return candidates[n - 1];
}

/**
 * How much the listener enjoys this track now: taste for its genres, fit with the context
 * and with the sound wanted this session, familiarity, popularity, and noise. Around 0 is lukewarm.
 */
function appealOf(sim: Sim, u: number, track: number, ctx: ContextPreference, target: Float64Array, ideal: Float64Array): number {
  const { catalogue } = sim;
  const listener = sim.listeners[u];
  const st = sim.states[u];
  const w = RESPONSE.appeal;
  const g1 = catalogue.trackGenre[track];
  const g2 = catalogue.trackGenre2[track];
  const taste = Math.max(listener.taste[g1], g2 >= 0 ? listener.taste[g2] : 0) / st.maxTaste;
  const off = track * STYLE_SIZE;
  return (
    w.taste * Math.sqrt(taste) -
    w.contextMisfit * weightedDistance(catalogue.trackStyle, off, target, ctx.weight) -
    w.styleMisfit * styleDistance(catalogue.trackStyle, off, ideal) +
    (st.heard.has(track) ? w.familiar : 0) +
    (st.liked.has(track) ? w.liked : 0) +
    w.popularity * sim.popularity[track] -
    w.pickiness * listener.pickiness +
    w.offset +
    st.rng.normal(0, w.noise)
  );
}

function weightedDistance(styles: Float64Array, off: number, target: Float64Array, weight: Float64Array): number {
  let s = 0;
  for (let d = 0; d < STYLE_SIZE; d++) {
    const x = styles[off + d] - target[d];
    s += weight[d] * x * x;
  }
  return s;
}

function styleDistance(styles: Float64Array, off: number, style: Float64Array): number {
  let s = 0;
  for (let d = 0; d < STYLE_SIZE; d++) {
    const x = styles[off + d] - style[d];
    s += x * x;
  }
  return s;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
