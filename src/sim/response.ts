/**
 * The response model of the simulated listeners: given the slate a policy showed in one
 * session, what the listener does with it — which tracks get played, skipped (and after how
 * many ms), finished, liked, saved or disliked.
 *
 * The listener works down the slate like a playlist. Before each track after the first they
 * may leave (the session ends): the chance of going on comes from how long they listen in
 * this context, and drops after a skip. A reached track is felt with the listener's hidden
 * appeal for it (see world.ts) plus per-impression noise, minus a small penalty for its depth
 * in the list (attention wanes); the felt appeal decides skip, partial play or completion,
 * and explicit feedback, all by logistic curves.
 *
 * `respondToSlate` is a pure function of its arguments: the same slate, situation, parameters
 * and random stream give the same responses. `streamProbability` and `expectedStreams` are
 * its noise-free expectations, used for the oracle and for regret.
 */
import type { Device } from '../domain/types.js';
import { RESPONSE, SKIP_THRESHOLD_MS } from './listening-log.js';
import type { Rng } from './random.js';

export interface AppealParams {
  /** Weight of taste for the track's genres (square root of its share of the listener's top genre). */
  taste: number;
  /** Weight of the squared distance from the sound the listener wants this session (own style pulled towards the context). */
  styleMisfit: number;
  /** Weight of the context-weighted squared distance from the context's target sound. */
  contextMisfit: number;
  /** How far the sound wanted in a session moves from the listener's own style towards the context's target (0–1). */
  contextPull: number;
  /** Bonus for a known track, × the listener's familiarity bias × the context's familiarity / 0.5. */
  familiar: number;
  /** Bonus for a track the listener has liked or saved. */
  liked: number;
  /** Weight of the track's popularity (0–1). */
  popularity: number;
  /** A track by an artist new to the listener: novelty × (openness × context exploration − noveltyPivot). */
  novelty: number;
  noveltyPivot: number;
  /** Penalty per recent play of the same track (decayed), and per recent play of the same artist. */
  fatigue: number;
  artistFatigue: number;
  fatigueHalfLifeHours: number;
  /** Weight of the listener's pickiness (a per-listener offset). */
  pickiness: number;
  offset: number;
}

export interface ResponseParams {
  appeal: AppealParams;
  /** Standard deviation of the per-impression noise on appeal. */
  noise: number;
  /** P(skip) = skipiness × σ(−slope × (felt − midpoint)), capped. */
  skip: { midpoint: number; slope: number; cap: number };
  /** Of the plays not skipped, P(complete) = σ(slope × (felt − midpoint)). */
  complete: { midpoint: number; slope: number };
  /** P(like) = rate × σ(2 × (felt − midpoint)) × (familiar ? familiar : discovery); SAVE likewise with its rate. */
  like: { rate: number; midpoint: number; familiar: number; discovery: number };
  save: { rate: number };
  /** A skip felt below `below` is disliked with probability `rate`. */
  dislike: { below: number; rate: number };
  position: {
    /** Felt appeal lost per position down the list. */
    penalty: number;
    /** Multiplier on the chance of going on after a skip. */
    afterSkip: number;
  };
  /** Multiplier on skipping by device: hands on the wheel skip less than thumbs on a phone. */
  deviceSkipiness: Record<Device, number>;
}

/**
 * Default parameters. Outcome curves are the demo log's (RESPONSE). The appeal weights are
 * set so that, on the default world, the oracle streams clearly more than popularity and
 * popularity clearly more than random, and context matters (the context-blind oracle loses
 * about five points of stream rate on commutes); test/sim/simulation.test.ts holds them to it.
 */
export const RESPONSE_DEFAULTS: ResponseParams = {
  appeal: {
    taste: 2.5,
    styleMisfit: 3,
    contextMisfit: 3,
    contextPull: 0.6,
    familiar: 0.5,
    liked: 0.4,
    popularity: 1.5,
    novelty: 1,
    noveltyPivot: 0.25,
    fatigue: 0.6,
    artistFatigue: 0.12,
    fatigueHalfLifeHours: 12,
    pickiness: 0.5,
    offset: 0.25,
  },
  noise: 0.6,
  skip: { ...RESPONSE.skip },
  complete: { ...RESPONSE.complete },
  like: { ...RESPONSE.like },
  save: { ...RESPONSE.save },
  dislike: { ...RESPONSE.dislike },
  position: { penalty: 0.02, afterSkip: 0.85 },
  deviceSkipiness: { MOBILE: 1, DESKTOP: 1, WEB: 1, SPEAKER: 0.8, CAR: 0.7, TV: 0.8, WEARABLE: 0.95, OTHER: 1 },
};

export type ResponseOverrides = { noise?: number } & { [K in Exclude<keyof ResponseParams, 'noise'>]?: Partial<ResponseParams[K]> };

/** The defaults with some values replaced; unknown keys are refused so a typo never goes unnoticed. */
export function responseParams(overrides: ResponseOverrides = {}): ResponseParams {
  const out = structuredClone(RESPONSE_DEFAULTS) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in out)) throw new RangeError(`unknown response parameter "${key}"`);
    const current = out[key];
    if (typeof current === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`response parameter "${key}" must be a number`);
      out[key] = value;
      continue;
    }
    const group = current as Record<string, number>;
    for (const [inner, v] of Object.entries(value as Record<string, unknown>)) {
      if (!(inner in group)) throw new RangeError(`unknown response parameter "${key}.${inner}"`);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`response parameter "${key}.${inner}" must be a number`);
      group[inner] = v;
    }
  }
  return out as unknown as ResponseParams;
}

/** What the moment does to responses, apart from appeal. */
export interface Situation {
  /** Multiplier on the skip probability (activity × device). */
  skipiness: number;
  /** Chance of going on to the next track of the slate (before any skip penalty). */
  continueProb: number;
}

export interface SlateItem {
  track: number;
  /** The listener's hidden appeal for the track in this moment (world.appeal). */
  appeal: number;
  durationMs: number;
  /** The listener has heard the track before. */
  familiar: boolean;
  /** The track's artist is new to the listener. */
  newArtist: boolean;
}

export type PlayOutcome = 'SKIP' | 'PLAY' | 'COMPLETE';

export interface ItemResponse {
  position: number;
  track: number;
  outcome: PlayOutcome;
  msPlayed: number;
  /** When the play started, relative to the session start. */
  startOffsetMs: number;
  liked: boolean;
  saved: boolean;
  disliked: boolean;
  familiar: boolean;
  newArtist: boolean;
}

/**
 * The listener's responses to one slate, for the tracks they reached (a prefix of the slate).
 * Every reached position draws the same number of random values whatever happens, so two
 * policies shown to the same session share their noise position by position.
 */
export function respondToSlate(items: readonly SlateItem[], situation: Situation, params: ResponseParams, rng: Rng): ItemResponse[] {
  const out: ItemResponse[] = [];
  let offset = 0;
  let lastSkipped = false;
  for (let i = 0; i < items.length; i++) {
    const uGo = rng.next();
    if (i > 0 && uGo >= situation.continueProb * (lastSkipped ? params.position.afterSkip : 1)) break;
    const item = items[i];
    const felt = item.appeal + rng.normal(0, params.noise) - params.position.penalty * i;
    const uSkip = rng.next();
    const uComplete = rng.next();
    const uLength = rng.next();
    const uLike = rng.next();
    const uSave = rng.next();
    const uDislike = rng.next();
    const uGap = rng.next();
    const duration = Math.max(SKIP_THRESHOLD_MS + 2000, item.durationMs);
    let outcome: PlayOutcome;
    let msPlayed: number;
    if (uSkip < skipProbability(felt, situation, params)) {
      outcome = 'SKIP';
      msPlayed = Math.min(duration - 1000, 1500 + Math.floor(Math.pow(uLength, 1.3) * (SKIP_THRESHOLD_MS - 1501)));
    } else if (uComplete < sigmoid(params.complete.slope * (felt - params.complete.midpoint))) {
      outcome = 'COMPLETE';
      msPlayed = duration;
    } else {
      outcome = 'PLAY';
      msPlayed = SKIP_THRESHOLD_MS + Math.floor((duration - SKIP_THRESHOLD_MS - 1) * (0.3 + 0.65 * uLength));
    }
    let liked = false;
    let saved = false;
    let disliked = false;
    if (outcome !== 'SKIP') {
      const warmth = sigmoid(2 * (felt - params.like.midpoint)) * (item.familiar ? params.like.familiar : params.like.discovery);
      liked = uLike < params.like.rate * warmth;
      saved = uSave < params.save.rate * warmth;
    } else {
      disliked = felt < params.dislike.below && uDislike < params.dislike.rate;
    }
    out.push({ position: i, track: item.track, outcome, msPlayed, startOffsetMs: offset, liked, saved, disliked, familiar: item.familiar, newArtist: item.newArtist });
    offset += msPlayed + 200 + Math.floor(uGap * 2500);
    lastSkipped = outcome === 'SKIP';
  }
  return out;
}

export function skipProbability(felt: number, situation: Situation, params: ResponseParams): number {
  return Math.min(params.skip.cap, situation.skipiness * sigmoid(-params.skip.slope * (felt - params.skip.midpoint)));
}

/** Chance that a track at `position` is streamed (reached and not skipped), without noise. */
export function streamProbability(appeal: number, position: number, situation: Situation, params: ResponseParams): number {
  return reachProbability(position, situation) * (1 - skipProbability(appeal - params.position.penalty * position, situation, params));
}

/** Chance of reaching `position` when nothing before it is skipped. */
export function reachProbability(position: number, situation: Situation): number {
  return Math.pow(situation.continueProb, position);
}

/**
 * Expected streams of a slate whose items have these appeals, in slate order: the value the
 * oracle maximises and regret is measured in. Noise and the after-skip drop are left out, so
 * sorting by appeal, best first, maximises it.
 */
export function expectedStreams(appeals: ArrayLike<number>, situation: Situation, params: ResponseParams): number {
  let sum = 0;
  for (let i = 0; i < appeals.length; i++) sum += streamProbability(appeals[i], i, situation, params);
  return sum;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
