/**
 * Side data a hybrid recommender may use besides the interaction matrix, indexed by the same
 * user and item indices as the split:
 *
 * - `friends`: an undirected friendship graph (users × users, symmetric, no self loops);
 * - `tags`: tag assignments (user u gave tag t to artist i), one entry per assignment.
 *
 * Neither depends on the split. Whoever turns tags into features must not let a user's own
 * assignment on an artist reveal that the user knows it (see TagProfiles).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImportInputError, parseNatural, readTsv } from '../../importers/shared.js';
import { type IdIndex, type InteractionMatrix, type Triple, buildMatrix } from '../cf/matrix.js';

export interface TagAssignments {
  /** Number of distinct tags (tag indices are 0..tags-1). */
  readonly tags: number;
  readonly user: Int32Array;
  readonly item: Int32Array;
  readonly tag: Int32Array;
  /**
   * When each assignment was made, in months since year 0 (year × 12 + month − 1), or −1 when
   * unknown. Optional: data without dates leaves it out.
   */
  readonly month?: Int32Array;
}

/** Tag dates before this year are treated as unknown (Last.fm 2K holds a few from 1956–1979). */
export const FIRST_TAG_YEAR = 2005;

/**
 * What a listening log knows about a training matrix's users beyond the matrix, as of that
 * matrix's cut-off: items listened to only briefly (skips, never a full play) and the plays
 * of the last `recentDays`. Made by the temporal split (src/eval/split.ts), one per training
 * matrix, from listens before that matrix's cut-off only.
 */
export interface ListeningHistory {
  readonly skips: InteractionMatrix;
  readonly recent: InteractionMatrix;
  readonly recentDays: number;
}

export interface SideData {
  readonly friends?: InteractionMatrix;
  readonly tags?: TagAssignments;
  /** The listening history behind a training matrix (temporal data only). */
  readonly listening?: (train: InteractionMatrix) => ListeningHistory | undefined;
}

export const LASTFM_FRIENDS_FILE = 'user_friends.dat';
export const LASTFM_TAGS_FILE = 'user_taggedartists.dat';

/** A symmetric friendship matrix from pairs (either direction; duplicates and self pairs dropped). */
export function friendMatrix(users: number, pairs: Iterable<[number, number]>): InteractionMatrix {
  const triples: Triple[] = [];
  for (const [a, b] of pairs) {
    if (a === b) continue;
    triples.push({ user: a, item: b, value: 1 }, { user: b, item: a, value: 1 });
  }
  const m = buildMatrix(users, users, triples);
  m.values.fill(1);
  return m;
}

/**
 * Loads the Last.fm 2K friend graph and tag assignments, indexed by `users` and `items` (the
 * split's indices). Rows naming a user or artist absent from the plays are skipped.
 */
export async function loadLastfmSide(dir: string, users: IdIndex, items: IdIndex): Promise<SideData> {
  const friendsFile = path.join(dir, LASTFM_FRIENDS_FILE);
  const tagsFile = path.join(dir, LASTFM_TAGS_FILE);
  for (const f of [friendsFile, tagsFile]) if (!fs.existsSync(f)) throw new ImportInputError(`${f}: not found`);
  const friendsTsv = await readTsv(friendsFile, { columns: ['userID', 'friendID'] });
  const pairs: [number, number][] = [];
  for (const { fields, line } of friendsTsv.rows) {
    const a = users.get(String(parseNatural(fields[0].trim(), friendsFile, line, 'userID')));
    const b = users.get(String(parseNatural(fields[1].trim(), friendsFile, line, 'friendID')));
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  const tagsTsv = await readTsv(tagsFile, { columns: ['userID', 'artistID', 'tagID', 'day', 'month', 'year'] });
  const tagIndex = new Map<number, number>();
  const u: number[] = [];
  const i: number[] = [];
  const t: number[] = [];
  const m: number[] = [];
  for (const { fields, line } of tagsTsv.rows) {
    const user = users.get(String(parseNatural(fields[0].trim(), tagsFile, line, 'userID')));
    const item = items.get(String(parseNatural(fields[1].trim(), tagsFile, line, 'artistID')));
    if (user === undefined || item === undefined) continue;
    const rawTag = parseNatural(fields[2].trim(), tagsFile, line, 'tagID');
    let tag = tagIndex.get(rawTag);
    if (tag === undefined) tagIndex.set(rawTag, (tag = tagIndex.size));
    u.push(user);
    i.push(item);
    t.push(tag);
    m.push(tagMonth(fields[4], fields[5]));
  }
  return {
    friends: friendMatrix(users.size, pairs),
    tags: { tags: tagIndex.size, user: Int32Array.from(u), item: Int32Array.from(i), tag: Int32Array.from(t), month: Int32Array.from(m) },
  };
}

/** Months since year 0 of a (month, year) pair, or −1 when missing, malformed or implausibly early. */
export function tagMonth(month: string | undefined, year: string | undefined): number {
  const mo = Number(month?.trim());
  const y = Number(year?.trim());
  if (!Number.isInteger(mo) || !Number.isInteger(y) || mo < 1 || mo > 12 || y < FIRST_TAG_YEAR) return -1;
  return y * 12 + mo - 1;
}
