/**
 * The evaluation datasets with their protocols: files → {@link EvalDataset} (a split per seed
 * plus a description of how it is made, for the report).
 */
import fs from 'node:fs';
import path from 'node:path';
import { LASTFM_FRIENDS_FILE, LASTFM_TAGS_FILE, loadLastfmSide } from '../models/hybrid/side-data.js';
import { loadLastfm2k, loadSpotifyListens, type SpotifyTarget } from './datasets.js';
import type { EvalDataset } from './runner.js';
import { DEFAULT_TEMPORAL, RECENT_DAYS, type TemporalSplitOptions, listeningContextOf, nestedEvalSplit, randomEvalSplit, temporalSplit } from './split.js';

export const DATASETS = ['lastfm-2k', 'spotify-history'] as const;
export type DatasetName = (typeof DATASETS)[number];

export async function lastfmDataset(dir: string): Promise<EvalDataset> {
  const data = await loadLastfm2k(dir);
  // Side data (friend graph, tag assignments) for the hybrid and its sources, when the folder has it.
  const folder = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : path.dirname(dir);
  const hasSide = [LASTFM_FRIENDS_FILE, LASTFM_TAGS_FILE].every((f) => fs.existsSync(path.join(folder, f)));
  const side = hasSide ? await loadLastfmSide(folder, data.users, data.items) : undefined;
  return {
    side,
    name: 'lastfm-2k',
    protocol: {
      data: `${dir} (user_artists.dat)`,
      interactions: 'all user–artist pairs, binary (play counts ignored)',
      users: data.users.size,
      items: data.items.size,
      pairs: data.user.length,
      split: 'random per user, seeded shuffle, 80/10/10 with RecBole rounding (50 items → 40/5/5; < 10 items: 1 validation and 1 test item while ≥ 2 remain for training; 2 items → 1/0/1; 1 item → train only)',
      ranking: 'all artists',
      validationMask: 'training artists',
      testMask: 'training and validation artists',
      training: 'final models fit on the training part only (validation only selects parameters and epochs)',
      averaging: 'over users with held-out items',
      sideData: hasSide ? `${LASTFM_FRIENDS_FILE} (friend graph), ${LASTFM_TAGS_FILE} (tags; a user's own tags only on their training artists, artist profiles from other users' tags)` : 'none',
    },
    split: (seed) => randomEvalSplit(data, seed),
  };
}

/**
 * `dataset` one level down (`nestedEvalSplit`): tuned on the tuning part's training matrix less
 * one fold, "tested" on the validation part. For decisions about the final fit and the test
 * ranking; the test part is never read.
 */
export function nestedDataset(dataset: EvalDataset): EvalDataset {
  return {
    ...dataset,
    protocol: {
      ...dataset.protocol,
      nested: "inside the tuning part: tuned on its training matrix less one stacking fold (validation-shaped), measured on its validation part (training and the fold masked); the test part is never read",
    },
    split: async (seed) => nestedEvalSplit(await dataset.split(seed), seed),
  };
}

export interface SpotifyProtocolOptions {
  target: SpotifyTarget;
  /** 'per-user' or a date (YYYY-MM-DD, UTC midnight). */
  cutoff: string;
  testDays?: number;
  validationDays?: number;
  strength?: 'binary' | 'plays';
  /** Mask the items skipped before the cut-off in the test ranking too (see TemporalSplitOptions.maskSkips). */
  maskSkips?: boolean;
}

export function parseCutoff(value: string): number | 'per-user' {
  if (value === 'per-user') return value;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!Number.isFinite(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new RangeError(`cut-off must be "per-user" or a date YYYY-MM-DD, got "${value}"`);
  }
  return time;
}

export async function spotifyDataset(dir: string, options: SpotifyProtocolOptions): Promise<EvalDataset> {
  const log = await loadSpotifyListens(dir, options.target);
  const cutoff = parseCutoff(options.cutoff);
  const split: TemporalSplitOptions = {
    cutoff,
    testDays: options.testDays ?? (cutoff === 'per-user' ? DEFAULT_TEMPORAL.testDays : undefined),
    validationDays: options.validationDays ?? DEFAULT_TEMPORAL.validationDays,
    skipMs: DEFAULT_TEMPORAL.skipMs,
    strength: options.strength ?? DEFAULT_TEMPORAL.strength,
    maskSkips: options.maskSkips ?? false,
  };
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < log.time.length; k++) {
    first = Math.min(first, log.time[k]);
    last = Math.max(last, log.time[k]);
  }
  const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
  // The split has no randomness: build it once, whatever the seed (seeds still vary the models).
  const made = temporalSplit(log, split);
  return {
    // For the hybrid: per training matrix, the skips and recent plays before its cut-off.
    side: { listening: listeningContextOf },
    name: 'spotify-history',
    protocol: {
      data: dir,
      target: options.target === 'track' ? 'tracks (folded artist + title)' : 'artists (folded name)',
      listens: log.user.length,
      podcastListensLeftOut: log.podcastListens,
      users: log.users.size,
      items: log.items.size,
      timeRange: `${day(first)} .. ${day(last)}`,
      split:
        cutoff === 'per-user'
          ? `temporal, per user: cut-off = the user's last listen − ${split.testDays} days; test = the last ${split.testDays} days`
          : `temporal, global cut-off ${options.cutoff}${split.testDays === undefined ? '; test = everything after it' : `; test = the ${split.testDays} days after it`}`,
      positives: `plays ≥ ${split.skipMs / 1000} s (shorter plays are skips)`,
      testItems: 'items played after the cut-off that the user never listened to before it (not even skipped)',
      validation: `same rule ${split.validationDays} days earlier: train on plays before cut-off − ${split.validationDays} d, validate on items first listened to in the ${split.validationDays} days before the cut-off`,
      training: `final models fit on all plays before the cut-off (values: ${split.strength === 'plays' ? 'number of plays' : 'binary'})`,
      ranking: `all ${options.target}s of the file`,
      validationMask: 'items played before cut-off − validation days',
      testMask: split.maskSkips
        ? 'items listened to before the cut-off: played (training + validation slice) or only skipped'
        : 'items played before the cut-off (training + validation slice)',
      coldStart: 'users without plays before their cut-off are not evaluated',
      sideData: `for the hybrid, per training matrix: items listened to only for < ${split.skipMs / 1000} s before its cut-off (skips) and the plays of the last ${RECENT_DAYS} days before it`,
      validationDays: split.validationDays,
      testDays: split.testDays ?? null,
      cutoff: cutoff === 'per-user' ? 'per-user' : new Date(cutoff).toISOString(),
    },
    split: () => made,
  };
}
