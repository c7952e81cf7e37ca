/**
 * The listener world: the demo catalogue and listeners, a clock that runs day by day after a
 * warm-up window of logged listening, and the hidden truth every policy is measured against.
 *
 * The truth is `appeal(listener, track, context)`: how much a listener enjoys a track at one
 * moment. It sums
 *  - taste for the track's genres and fit with the listener's own sound, pulled towards what
 *    the context asks for (energetic on a commute, calm at night, danceable at a party), the
 *    target tinted by the day's weather;
 *  - familiarity (a known track, weighted by the listener's familiarity bias and by how much
 *    the activity leans on the familiar) and having liked it;
 *  - novelty (an artist new to the listener pleases the open and puts off the rest);
 *  - fatigue: recent plays of the same track, and of the same artist, decaying by half-life;
 *  - popularity and a per-listener pickiness.
 * The response model (response.ts) turns appeal into plays, skips and likes. State that
 * changes as listeners listen (what they know, like, and are tired of) lives here and is
 * updated from the events of each session.
 *
 * Sessions follow each listener's routine (listeners.ts) in their own time zone, one local
 * day at a time; which sessions happen and in what context does not depend on the policy, so
 * every policy faces the same listeners at the same moments.
 */
import { ACTIVITIES, type Activity, type Device, type Interaction, type ListeningContext, type Weather } from '../domain/types.js';
import { type Catalogue, STYLE_SIZE } from './catalogue.js';
import { DAY_MS, ZoneClock } from './clock.js';
import { DEMO_REFERENCE_TIME, type DemoWorld, generateDemoWorld } from './demo-world.js';
import { ACTIVITY_INDEX, type Listener } from './listeners.js';
import { chooseDevice, drawWeather, routineStarts, weatherTinted } from './listening-log.js';
import { Rng } from './random.js';
import { type ResponseOverrides, type ResponseParams, responseParams, type Situation } from './response.js';

/** The simulation starts where the warm-up log ends: 2026-11-01T00:00:00Z. */
export const SIM_START = DEMO_REFERENCE_TIME;

export interface WorldConfig {
  seed: number;
  users: number;
  artists: number;
  tracks: number;
  /** Days of organic listening logged before the simulation starts (the demo log): what models warm up on. */
  warmupDays: number;
  /** Days the simulation runs. */
  days: number;
  response?: ResponseOverrides;
}

export const DEFAULT_WORLD: Readonly<WorldConfig> = { seed: 1, users: 300, artists: 600, tracks: 5000, warmupDays: 14, days: 14 };

/** Hidden traits the simulation adds to a demo listener. */
export interface ListenerTraits {
  /** Multiplier on the familiarity bonus (lognormal around 1). */
  familiarityBias: number;
  /** Share of the listener's weekly sessions per activity, ACTIVITIES order. */
  contextMix: Float64Array;
  /** sqrt(taste share / top taste share) per genre: the taste term of appeal. */
  tasteTerm: Float64Array;
}

export type SessionContext = ListeningContext & { timezone: string; activity: Activity; device: Device; weather: Weather };

export interface Session {
  day: number;
  listener: number;
  listenerId: string;
  /** UTC start of the session. */
  start: number;
  context: SessionContext;
}

/** A resolved moment of one listener: what they want now; the input of appeal. */
export interface Moment {
  listener: number;
  /** Index into ACTIVITIES. */
  activity: number;
  timestamp: number;
  target: Float64Array;
  weight: Float64Array;
  /** The sound wanted this session: the listener's style pulled towards the target. */
  ideal: Float64Array;
  familiarity: number;
  exploration: number;
  situation: Situation;
}

interface Fatigue {
  value: number;
  at: number;
}

interface ListenerState {
  heard: Set<number>;
  liked: Set<number>;
  knownArtists: Set<number>;
  trackFatigue: Map<number, Fatigue>;
  artistFatigue: Map<number, Fatigue>;
}

const HOUR_MS = 3_600_000;
/** Fatigue left by one play: a stream tires more than a skip. */
const STREAM_FATIGUE = 1;
const SKIP_FATIGUE = 0.3;

export class World {
  readonly config: WorldConfig;
  readonly params: ResponseParams;
  readonly demo: DemoWorld;
  readonly catalogue: Catalogue;
  readonly listeners: readonly Listener[];
  readonly traits: readonly ListenerTraits[];
  /** Track popularity in 0–1. */
  readonly popularity: Float64Array;
  private readonly root: Rng;
  private readonly clock = new ZoneClock();
  private readonly weather: Weather[][];
  private readonly trackIds = new Map<string, number>();
  private readonly listenerIds = new Map<string, number>();
  private readonly sessionCache = new Map<number, Session[]>();
  private warmup?: Interaction[];
  private states: ListenerState[] = [];
  private scratch: Float64Array;
  private scratchSum: Float64Array;

  constructor(config: WorldConfig) {
    this.config = { ...config };
    this.params = responseParams(config.response);
    this.root = new Rng(config.seed, 'mixtape-world');
    this.demo = generateDemoWorld(
      { seed: config.seed, users: config.users, artists: config.artists, tracks: config.tracks, days: config.warmupDays },
      { referenceTime: SIM_START },
    );
    this.catalogue = this.demo.catalogue;
    this.listeners = this.demo.listeners;
    this.popularity = Float64Array.from(this.catalogue.tracks, (t) => (t.popularity ?? 50) / 100);
    this.catalogue.tracks.forEach((t, i) => this.trackIds.set(t.id, i));
    this.listeners.forEach((l, i) => this.listenerIds.set(l.id, i));
    const traitRng = this.root.fork('traits');
    this.traits = this.listeners.map((l) => listenerTraits(traitRng.fork(l.index), l));
    // Local days from the day before the start to the day after the end cover every zone.
    this.weather = drawWeather(this.root.fork('weather'), Math.max(1, config.days) + 2);
    this.scratch = new Float64Array(this.catalogue.tracks.length);
    this.scratchSum = new Float64Array(this.catalogue.tracks.length);
    this.reset();
  }

  get trackCount(): number {
    return this.catalogue.tracks.length;
  }

  trackIndex(id: string): number | undefined {
    return this.trackIds.get(id);
  }

  listenerIndex(id: string): number | undefined {
    return this.listenerIds.get(id);
  }

  /** The warm-up log (the demo listening of `warmupDays` days before SIM_START), in time order. */
  warmupEvents(): readonly Interaction[] {
    this.warmup ??= [...this.demo.interactions()];
    return this.warmup;
  }

  /** Back to the state at SIM_START: favourites from before the window plus everything in the warm-up log. */
  reset(): void {
    this.states = this.listeners.map((l) => {
      const heard = new Set<number>(l.favourites);
      const knownArtists = new Set<number>();
      for (const t of heard) knownArtists.add(this.catalogue.trackArtist[t]);
      return { heard, liked: new Set<number>(), knownArtists, trackFatigue: new Map(), artistFatigue: new Map() };
    });
    const byListener = new Map<number, Interaction[]>();
    for (const event of this.warmupEvents()) {
      const u = this.listenerIds.get(event.userId)!;
      let list = byListener.get(u);
      if (!list) byListener.set(u, (list = []));
      list.push(event);
    }
    for (const [u, events] of byListener) this.apply(u, events);
  }

  /** The sessions of simulated day `day` (0-based), every listener's, in start order. */
  sessionsOfDay(day: number): Session[] {
    const cached = this.sessionCache.get(day);
    if (cached) return cached;
    const localMidnight = SIM_START + day * DAY_MS;
    const weekday = new Date(localMidnight).getUTCDay();
    const sessions: Session[] = [];
    const dayRng = this.root.fork('sessions').fork(day);
    for (const listener of this.listeners) {
      const r = dayRng.fork(listener.index);
      for (const { slot, local } of routineStarts(r, listener.routine, localMidnight, weekday)) {
        const start = this.clock.localToUtc(listener.timezone, local);
        const device = chooseDevice(r, listener, slot.activity);
        if (start < SIM_START) continue; // already lived in the warm-up log
        const weather = this.weather[listener.region][day + 1];
        sessions.push({
          day,
          listener: listener.index,
          listenerId: listener.id,
          start,
          context: { timestamp: start, timezone: listener.timezone, device, location: { country: listener.country }, weather, activity: slot.activity },
        });
      }
    }
    sessions.sort((a, b) => a.start - b.start || a.listener - b.listener);
    this.sessionCache.set(day, sessions);
    return sessions;
  }

  /** The random stream of a session's responses: the same for every policy. */
  responseRng(session: Session): Rng {
    return this.root.fork('response').fork(`${session.listener}:${session.start}`);
  }

  /** What the listener wants at this moment. Without an activity: their usual mix of contexts (see momentsOf). */
  moment(listener: number, activity: Activity, timestamp: number, weather?: Weather, device?: Device): Moment {
    const l = this.listeners[listener];
    const pref = l.contexts[ACTIVITY_INDEX[activity]];
    const target = weatherTinted(pref.target, weather);
    const pull = this.params.appeal.contextPull;
    const ideal = new Float64Array(STYLE_SIZE);
    for (let d = 0; d < STYLE_SIZE; d++) ideal[d] = (1 - pull) * l.style[d] + pull * target[d];
    const budget = Math.min(40, Math.max(1, pref.meanTracks * l.engagement));
    return {
      listener,
      activity: ACTIVITY_INDEX[activity],
      timestamp,
      target,
      weight: pref.weight,
      ideal,
      familiarity: pref.familiarity,
      exploration: pref.exploration,
      situation: {
        skipiness: pref.skipiness * (device ? this.params.deviceSkipiness[device] : 1),
        continueProb: budget / (budget + 1),
      },
    };
  }

  /** The moments a context stands for, with weights: one for a context with an activity, the listener's mix otherwise. */
  momentsOf(listener: number, context: ListeningContext): { weight: number; moment: Moment }[] {
    if (context.activity) {
      return [{ weight: 1, moment: this.moment(listener, context.activity, context.timestamp, context.weather, context.device) }];
    }
    const mix = this.traits[listener].contextMix;
    const out: { weight: number; moment: Moment }[] = [];
    ACTIVITIES.forEach((activity, a) => {
      if (mix[a] > 0) out.push({ weight: mix[a], moment: this.moment(listener, activity, context.timestamp, context.weather, context.device) });
    });
    return out;
  }

  /** The hidden truth: how much `listener` enjoys `track` in `context` (an average over their contexts when it names no activity). */
  appeal(listener: number | string, track: number | string, context: ListeningContext): number {
    const u = typeof listener === 'number' ? listener : this.listenerIds.get(listener);
    const t = typeof track === 'number' ? track : this.trackIds.get(track);
    if (u === undefined || t === undefined) throw new RangeError(`unknown listener or track: ${String(listener)}, ${String(track)}`);
    let sum = 0;
    for (const { weight, moment } of this.momentsOf(u, context)) sum += weight * this.appealAt(moment, t);
    return sum;
  }

  /** Appeal of one track at a resolved moment. */
  appealAt(m: Moment, track: number): number {
    const st = this.states[m.listener];
    const artist = this.catalogue.trackArtist[track];
    let a = this.staticAppeal(m, track);
    if (!st.knownArtists.has(artist)) a += this.noveltyTerm(m);
    if (st.heard.has(track)) a += this.familiarTerm(m);
    if (st.liked.has(track)) a += this.params.appeal.liked;
    const tf = st.trackFatigue.get(track);
    if (tf) a -= this.params.appeal.fatigue * this.decayed(tf, m.timestamp);
    const af = st.artistFatigue.get(artist);
    if (af) a -= this.params.appeal.artistFatigue * this.decayed(af, m.timestamp);
    return a;
  }

  /** Appeal of every track at a moment, into `out` (length trackCount). */
  appealAll(m: Moment, out: Float64Array): Float64Array {
    const st = this.states[m.listener];
    const n = this.trackCount;
    const novelty = this.noveltyTerm(m);
    for (let t = 0; t < n; t++) out[t] = this.staticAppeal(m, t) + novelty;
    const { artistTracks } = this.catalogue;
    for (const artist of st.knownArtists) for (const t of artistTracks[artist]) out[t] -= novelty;
    const familiar = this.familiarTerm(m);
    for (const t of st.heard) out[t] += familiar;
    for (const t of st.liked) out[t] += this.params.appeal.liked;
    for (const [t, f] of st.trackFatigue) out[t] -= this.params.appeal.fatigue * this.decayed(f, m.timestamp);
    for (const [artist, f] of st.artistFatigue) {
      const penalty = this.params.appeal.artistFatigue * this.decayed(f, m.timestamp);
      for (const t of artistTracks[artist]) out[t] -= penalty;
    }
    return out;
  }

  /** Appeal of every track in a context (averaged over the listener's contexts when it names no activity). */
  appealAllIn(listener: number, context: ListeningContext, out: Float64Array): Float64Array {
    const moments = this.momentsOf(listener, context);
    if (moments.length === 1) return this.appealAll(moments[0].moment, out);
    out.fill(0);
    for (const { weight, moment } of moments) {
      this.appealAll(moment, this.scratchSum);
      for (let t = 0; t < out.length; t++) out[t] += weight * this.scratchSum[t];
    }
    return out;
  }

  /** The k tracks of highest appeal in a context, best first (ties by index): the oracle's slate. */
  topK(listener: number, context: ListeningContext, k: number): number[] {
    return topIndices(this.appealAllIn(listener, context, this.scratch), k);
  }

  heard(listener: number, track: number): boolean {
    return this.states[listener].heard.has(track);
  }

  knowsArtist(listener: number, track: number): boolean {
    return this.states[listener].knownArtists.has(this.catalogue.trackArtist[track]);
  }

  /** Updates what a listener knows, likes and is tired of from their events (any order within a session). */
  apply(listener: number, events: readonly Interaction[]): void {
    const st = this.states[listener];
    const halfLife = this.params.appeal.fatigueHalfLifeHours * HOUR_MS;
    for (const event of events) {
      if (event.targetKind !== 'TRACK') continue;
      const t = this.trackIds.get(event.targetId);
      if (t === undefined) continue;
      const artist = this.catalogue.trackArtist[t];
      const at = event.context.timestamp;
      switch (event.type) {
        case 'PLAY':
        case 'COMPLETE':
        case 'SKIP': {
          st.heard.add(t);
          st.knownArtists.add(artist);
          const amount = event.type === 'SKIP' ? SKIP_FATIGUE : STREAM_FATIGUE;
          addFatigue(st.trackFatigue, t, at, amount, halfLife);
          addFatigue(st.artistFatigue, artist, at, amount, halfLife);
          break;
        }
        case 'LIKE':
        case 'SAVE':
          st.liked.add(t);
          break;
        default:
          break;
      }
    }
    const latest = events.length > 0 ? events[events.length - 1].context.timestamp : 0;
    pruneFatigue(st.trackFatigue, latest, halfLife);
    pruneFatigue(st.artistFatigue, latest, halfLife);
  }

  private staticAppeal(m: Moment, t: number): number {
    const p = this.params.appeal;
    const { trackStyle, trackGenre, trackGenre2 } = this.catalogue;
    const taste = this.traits[m.listener].tasteTerm;
    const off = t * STYLE_SIZE;
    let style = 0;
    let context = 0;
    for (let d = 0; d < STYLE_SIZE; d++) {
      const s = trackStyle[off + d];
      const x = s - m.ideal[d];
      style += x * x;
      const y = s - m.target[d];
      context += m.weight[d] * y * y;
    }
    const g2 = trackGenre2[t];
    const tasteTerm = Math.max(taste[trackGenre[t]], g2 >= 0 ? taste[g2] : 0);
    return (
      p.taste * tasteTerm -
      p.styleMisfit * style -
      p.contextMisfit * context +
      p.popularity * this.popularity[t] -
      p.pickiness * this.listeners[m.listener].pickiness +
      p.offset
    );
  }

  private noveltyTerm(m: Moment): number {
    const p = this.params.appeal;
    return p.novelty * (this.listeners[m.listener].openness * m.exploration - p.noveltyPivot);
  }

  private familiarTerm(m: Moment): number {
    return (this.params.appeal.familiar * this.traits[m.listener].familiarityBias * m.familiarity) / 0.5;
  }

  private decayed(f: Fatigue, now: number): number {
    const halfLife = this.params.appeal.fatigueHalfLifeHours * HOUR_MS;
    return now <= f.at ? f.value : f.value * Math.pow(2, -(now - f.at) / halfLife);
  }
}

function listenerTraits(r: Rng, l: Listener): ListenerTraits {
  const contextMix = new Float64Array(ACTIVITIES.length);
  let total = 0;
  for (const slot of l.routine) {
    let weekly = 0;
    for (const p of slot.byWeekday) weekly += p;
    contextMix[ACTIVITY_INDEX[slot.activity]] += weekly;
    total += weekly;
  }
  if (total > 0) for (let a = 0; a < contextMix.length; a++) contextMix[a] /= total;
  else contextMix[ACTIVITY_INDEX.RELAX] = 1;
  let top = 0;
  for (const x of l.taste) top = Math.max(top, x);
  const tasteTerm = Float64Array.from(l.taste, (x) => (top > 0 ? Math.sqrt(x / top) : 0));
  return { familiarityBias: r.logNormal(0, 0.4), contextMix, tasteTerm };
}

function addFatigue(map: Map<number, Fatigue>, key: number, at: number, amount: number, halfLife: number): void {
  const f = map.get(key);
  if (!f) {
    map.set(key, { value: amount, at });
    return;
  }
  const value = at <= f.at ? f.value : f.value * Math.pow(2, -(at - f.at) / halfLife);
  f.value = value + amount;
  f.at = Math.max(at, f.at);
}

/** Drops fatigue that has decayed below 1 %, so the maps stay small. */
function pruneFatigue(map: Map<number, Fatigue>, now: number, halfLife: number): void {
  if (map.size < 64) return;
  for (const [key, f] of map) if (f.value * Math.pow(2, -(now - f.at) / halfLife) < 0.01) map.delete(key);
}

/** Indices of the k largest values, largest first; ties by lower index. */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  const n = Math.min(k, values.length);
  if (n <= 0) return [];
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (best.length === n && v <= values[best[n - 1]]) continue;
    let at = best.length < n ? best.length : n - 1;
    if (best.length < n) best.push(i);
    while (at > 0 && values[best[at - 1]] < v) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return best;
}
