/**
 * Imports the HetRec 2011 Last.fm 2K dataset (a folder of tab-separated .dat files with a
 * header line; tags.dat is ISO-8859-1, the rest UTF-8; line endings vary between files).
 *
 * - users: everyone in user_artists, user_friends or user_taggedartists → `lastfm-u<id>`,
 *   with friend ids from user_friends;
 * - artists: the rows of artists.dat → `lastfm-a<id>`, tagged with the 20 most used tags of
 *   user_taggedartists;
 * - one PLAY per user_artists row (count = the listening count; the dataset has no play time,
 *   so every play is dated 2011-01-01 UTC, the dataset's release);
 * - one TAG per user_taggedartists row, dated by its day/month/year.
 *
 * user_taggedartists names a few hundred artists that artists.dat lacks (a known quirk of the
 * dataset): those assignments are skipped and counted. A play of an unknown artist is an error.
 */
import path from 'node:path';
import { ImportFormatError } from '../domain/errors.js';
import type { Artist, Interaction, TagCount, User } from '../domain/types.js';
import type { Progress } from '../lib/progress.js';
import type { Store } from '../store/ports.js';
import {
  type ImportSummary,
  appendInteractions,
  parseNatural,
  parsePositive,
  quote,
  readTsv,
  requireFile,
  type TsvFile,
  writeInChunks,
} from './shared.js';

export const LASTFM_SOURCE = 'lastfm-2k';
/** The dataset gives play counts without times; they are dated to its release. */
export const LASTFM_PLAY_TIME = Date.UTC(2011, 0, 1);
/** Tags kept per artist. */
export const LASTFM_TOP_TAGS = 20;

const FILES = {
  artists: { name: 'artists.dat', columns: ['id', 'name', 'url', 'pictureURL'] },
  tags: { name: 'tags.dat', columns: ['tagID', 'tagValue'], encoding: 'latin1' as const },
  plays: { name: 'user_artists.dat', columns: ['userID', 'artistID', 'weight'] },
  friends: { name: 'user_friends.dat', columns: ['userID', 'friendID'] },
  tagAssignments: { name: 'user_taggedartists.dat', columns: ['userID', 'artistID', 'tagID', 'day', 'month', 'year'] },
};

export const lastfmUserId = (userId: number): string => `lastfm-u${userId}`;
export const lastfmArtistId = (artistId: number): string => `lastfm-a${artistId}`;

interface ParsedPlay {
  userId: number;
  artistId: number;
  weight: number;
}

interface ParsedTag {
  userId: number;
  artistId: number;
  tagId: number;
  timestamp: number;
}

export async function importLastfm2k(store: Store, folder: string, progress: Progress): Promise<ImportSummary> {
  const file = (key: keyof typeof FILES): string => requireFile(path.join(folder, FILES[key].name), 'part of the HetRec Last.fm 2K dataset');
  const paths = {
    artists: file('artists'),
    tags: file('tags'),
    plays: file('plays'),
    friends: file('friends'),
    tagAssignments: file('tagAssignments'),
  };
  const read = async (key: keyof typeof FILES): Promise<TsvFile> => {
    const spec = FILES[key];
    progress.start(`Reading ${spec.name}`, 0);
    const tsv = await readTsv(paths[key], { columns: spec.columns, encoding: 'encoding' in spec ? spec.encoding : 'utf-8' });
    progress.update(tsv.rows.length);
    progress.stop();
    return tsv;
  };

  // --- Parse and validate everything -----------------------------------------------------------

  const artistRows = new Map<number, { name: string; url?: string; imageUrl?: string; line: number }>();
  for (const { line, fields } of (await read('artists')).rows) {
    const id = parseNatural(fields[0], paths.artists, line, 'artist id');
    const name = fields[1].trim();
    if (name === '') throw new ImportFormatError(paths.artists, line, `artist ${id} has an empty name`);
    const earlier = artistRows.get(id);
    if (earlier) throw new ImportFormatError(paths.artists, line, `artist id ${id} appears again (first on line ${earlier.line})`);
    artistRows.set(id, { name, url: fields[2].trim() || undefined, imageUrl: fields[3].trim() || undefined, line });
  }

  const tagText = new Map<number, string>();
  for (const { line, fields } of (await read('tags')).rows) {
    const id = parseNatural(fields[0], paths.tags, line, 'tag id');
    const text = fields[1].trim();
    if (text === '') throw new ImportFormatError(paths.tags, line, `tag ${id} is empty`);
    if (tagText.has(id)) throw new ImportFormatError(paths.tags, line, `tag id ${id} appears again`);
    tagText.set(id, text);
  }

  // Users in order of first appearance; friend lists without repeats.
  const friends = new Map<number, Set<number>>();
  const addUser = (id: number): Set<number> => {
    let set = friends.get(id);
    if (!set) friends.set(id, (set = new Set()));
    return set;
  };

  const plays: ParsedPlay[] = [];
  const playLines = new Map<string, number>();
  for (const { line, fields } of (await read('plays')).rows) {
    const userId = parseNatural(fields[0], paths.plays, line, 'userID');
    const artistId = parseNatural(fields[1], paths.plays, line, 'artistID');
    const weight = parsePositive(fields[2], paths.plays, line, 'weight (listening count)');
    if (!artistRows.has(artistId)) throw new ImportFormatError(paths.plays, line, `artist ${artistId} is not in ${FILES.artists.name}`);
    const key = `${userId}:${artistId}`;
    const earlier = playLines.get(key);
    if (earlier !== undefined) {
      throw new ImportFormatError(paths.plays, line, `user ${userId} and artist ${artistId} appear again (first on line ${earlier})`);
    }
    playLines.set(key, line);
    addUser(userId);
    plays.push({ userId, artistId, weight });
  }
  playLines.clear();

  for (const { line, fields } of (await read('friends')).rows) {
    const userId = parseNatural(fields[0], paths.friends, line, 'userID');
    const friendId = parseNatural(fields[1], paths.friends, line, 'friendID');
    addUser(friendId);
    if (friendId !== userId) addUser(userId).add(friendId);
  }

  const tagAssignments: ParsedTag[] = [];
  const tagLines = new Map<string, number>();
  const artistTagCounts = new Map<number, Map<string, number>>();
  let skippedUnknownArtist = 0;
  for (const { line, fields } of (await read('tagAssignments')).rows) {
    const file = paths.tagAssignments;
    const userId = parseNatural(fields[0], file, line, 'userID');
    const artistId = parseNatural(fields[1], file, line, 'artistID');
    const tagId = parseNatural(fields[2], file, line, 'tagID');
    const day = parseNatural(fields[3], file, line, 'day');
    const month = parseNatural(fields[4], file, line, 'month');
    const year = parseNatural(fields[5], file, line, 'year');
    const timestamp = Date.UTC(year, month - 1, day);
    const date = new Date(timestamp);
    if (year < 1900 || year > 2100 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      throw new ImportFormatError(file, line, `invalid date ${quote(`${fields[5]}-${fields[4]}-${fields[3]}`)} (day, month, year)`);
    }
    const tag = tagText.get(tagId);
    if (tag === undefined) throw new ImportFormatError(file, line, `tag ${tagId} is not in ${FILES.tags.name}`);
    const key = `${userId}:${artistId}:${tagId}`;
    const earlier = tagLines.get(key);
    if (earlier !== undefined) {
      throw new ImportFormatError(file, line, `user ${userId} tagged artist ${artistId} with tag ${tagId} again (first on line ${earlier})`);
    }
    tagLines.set(key, line);
    addUser(userId);
    if (!artistRows.has(artistId)) {
      skippedUnknownArtist++;
      continue;
    }
    tagAssignments.push({ userId, artistId, tagId, timestamp });
    let counts = artistTagCounts.get(artistId);
    if (!counts) artistTagCounts.set(artistId, (counts = new Map()));
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  tagLines.clear();

  // --- Build records -----------------------------------------------------------------------------

  const users: User[] = [...friends].map(([id, friendSet]) => ({
    id: lastfmUserId(id),
    displayName: `Last.fm listener ${id}`,
    source: LASTFM_SOURCE,
    friendIds: [...friendSet].map(lastfmUserId),
    createdAt: 0,
  }));

  const artists: Artist[] = [...artistRows].map(([id, row]) => {
    const artist: Artist = { id: lastfmArtistId(id), name: row.name, genres: [], tags: topTags(artistTagCounts.get(id)), source: LASTFM_SOURCE };
    if (row.url) artist.url = row.url;
    if (row.imageUrl) artist.imageUrl = row.imageUrl;
    return artist;
  });

  function* playEvents(): Iterable<Interaction> {
    for (const p of plays) {
      yield {
        eventId: `${LASTFM_SOURCE}:play:${p.userId}:${p.artistId}`,
        userId: lastfmUserId(p.userId),
        targetKind: 'ARTIST',
        targetId: lastfmArtistId(p.artistId),
        type: 'PLAY',
        count: p.weight,
        context: { timestamp: LASTFM_PLAY_TIME },
        receivedAt: LASTFM_PLAY_TIME,
      };
    }
  }

  function* tagEvents(): Iterable<Interaction> {
    for (const t of tagAssignments) {
      yield {
        eventId: `${LASTFM_SOURCE}:tag:${t.userId}:${t.artistId}:${t.tagId}`,
        userId: lastfmUserId(t.userId),
        targetKind: 'ARTIST',
        targetId: lastfmArtistId(t.artistId),
        type: 'TAG',
        tag: tagText.get(t.tagId) as string,
        count: 1,
        context: { timestamp: t.timestamp },
        receivedAt: t.timestamp,
      };
    }
  }

  // --- Write ---------------------------------------------------------------------------------------

  await writeInChunks(progress, 'Writing users', users.length, users, (chunk) => store.users.upsertMany(chunk));
  await writeInChunks(progress, 'Writing artists', artists.length, artists, (chunk) => store.artists.upsertMany(chunk));
  const playCounts = await appendInteractions(store, progress, 'Writing plays', plays.length, playEvents());
  const tagCounts = await appendInteractions(store, progress, 'Writing tag assignments', tagAssignments.length, tagEvents());

  return {
    users: users.length,
    artists: artists.length,
    tags: tagText.size,
    plays: plays.length,
    tagAssignments: tagAssignments.length,
    tagAssignmentsSkippedUnknownArtist: skippedUnknownArtist,
    interactionsNew: playCounts.inserted + tagCounts.inserted,
    interactionsAlreadyStored: playCounts.alreadyStored + tagCounts.alreadyStored,
  };
}

/** The most used tags, most used first, ties by tag text. */
function topTags(counts: Map<string, number> | undefined): TagCount[] {
  if (!counts) return [];
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
    .slice(0, LASTFM_TOP_TAGS);
}
