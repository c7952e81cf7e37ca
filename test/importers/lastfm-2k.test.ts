import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportFormatError } from '../../src/domain/errors.js';
import { importLastfm2k, LASTFM_PLAY_TIME } from '../../src/importers/lastfm-2k.js';
import { silentProgress } from '../../src/lib/progress.js';
import { EMPTY_COUNTS, formatError, memoryStore, storeCounts, tmpDir, tsv, writeFiles } from './fixtures.js';

/** A small copy of the HetRec layout: mixed LF/CRLF endings, tags.dat in ISO-8859-1. */
function fixture(overrides: Record<string, string | Uint8Array> = {}): string {
  return writeFiles(tmpDir(), {
    'artists.dat': tsv([
      ['id', 'name', 'url', 'pictureURL'],
      [1, 'Björk', 'http://www.last.fm/music/Bj%C3%B6rk', 'http://userserve-ak.last.fm/serve/252/1.jpg'],
      [2, 'MALICE MIZER', 'http://www.last.fm/music/MALICE+MIZER', ''],
      [3, 'Radiohead', 'http://www.last.fm/music/Radiohead', 'http://userserve-ak.last.fm/serve/252/3.jpg'],
    ]),
    'tags.dat': Buffer.from(tsv([['tagID', 'tagValue'], [1, 'metal'], [2, 'rock français'], [3, 'chillout']], '\r\n'), 'latin1'),
    'user_artists.dat': tsv(
      [
        ['userID', 'artistID', 'weight'],
        [2, 1, 100],
        [2, 2, 5],
        [3, 1, 7],
        [3, 3, 1],
      ],
      '\r\n',
    ),
    'user_friends.dat': tsv(
      [
        ['userID', 'friendID'],
        [2, 3],
        [3, 2],
        [4, 2],
      ],
      '\r\n',
    ),
    'user_taggedartists.dat': tsv([
      ['userID', 'artistID', 'tagID', 'day', 'month', 'year'],
      [2, 1, 2, 1, 4, 2009],
      [3, 1, 2, 1, 5, 2009],
      [3, 1, 3, 1, 5, 2009],
      [2, 3, 1, 1, 1, 1956],
      [2, 999, 1, 1, 4, 2009],
    ]),
    ...overrides,
  });
}

describe('lastfm-2k importer', () => {
  it('imports users, artists with top tags, plays and tag assignments', async () => {
    const store = await memoryStore();
    const summary = await importLastfm2k(store, fixture(), silentProgress);

    expect(summary).toMatchObject({
      users: 3,
      artists: 3,
      tags: 3,
      plays: 4,
      tagAssignments: 4,
      tagAssignmentsSkippedUnknownArtist: 1,
      interactionsNew: 8,
      interactionsAlreadyStored: 0,
    });
    expect(await storeCounts(store)).toEqual({ users: 3, artists: 3, tracks: 0, playlists: 0, interactions: 8 });

    const [bjork, malice] = await store.artists.getMany(['lastfm-a1', 'lastfm-a2']);
    expect(bjork).toEqual({
      id: 'lastfm-a1',
      name: 'Björk',
      url: 'http://www.last.fm/music/Bj%C3%B6rk',
      imageUrl: 'http://userserve-ak.last.fm/serve/252/1.jpg',
      genres: [],
      // ISO-8859-1 decoded; most used first, then by tag text.
      tags: [
        { tag: 'rock français', count: 2 },
        { tag: 'chillout', count: 1 },
      ],
      source: 'lastfm-2k',
    });
    expect(malice?.imageUrl).toBeUndefined();

    const [u2, u4] = await store.users.getMany(['lastfm-u2', 'lastfm-u4']);
    expect(u2).toEqual({ id: 'lastfm-u2', displayName: 'Last.fm listener 2', source: 'lastfm-2k', friendIds: ['lastfm-u3'], createdAt: 0 });
    expect(u4?.friendIds).toEqual(['lastfm-u2']);

    const events = await store.interactions.allOfUser('lastfm-u2');
    const play = events.find((e) => e.eventId === 'lastfm-2k:play:2:1');
    expect(play).toEqual({
      eventId: 'lastfm-2k:play:2:1',
      userId: 'lastfm-u2',
      targetKind: 'ARTIST',
      targetId: 'lastfm-a1',
      type: 'PLAY',
      count: 100,
      context: { timestamp: LASTFM_PLAY_TIME },
      receivedAt: LASTFM_PLAY_TIME,
    });
    const oldTag = events.find((e) => e.eventId === 'lastfm-2k:tag:2:3:1');
    expect(oldTag).toMatchObject({ type: 'TAG', tag: 'metal', targetId: 'lastfm-a3', count: 1, context: { timestamp: Date.UTC(1956, 0, 1) } });
    expect(events.some((e) => e.targetId === 'lastfm-a999')).toBe(false);
  });

  it('gives the same store on a second run', async () => {
    const store = await memoryStore();
    const folder = fixture();
    const first = await importLastfm2k(store, folder, silentProgress);
    const afterFirst = await storeCounts(store);
    const second = await importLastfm2k(store, folder, silentProgress);

    expect(await storeCounts(store)).toEqual(afterFirst);
    expect(second.interactionsNew).toBe(0);
    expect(second.interactionsAlreadyStored).toBe(first.interactionsNew);
    const { interactionsNew: _n1, interactionsAlreadyStored: _d1, ...firstRead } = first;
    const { interactionsNew: _n2, interactionsAlreadyStored: _d2, ...secondRead } = second;
    expect(secondRead).toEqual(firstRead);
  });

  it('rejects a truncated final line with its line number and writes nothing', async () => {
    const store = await memoryStore();
    const folder = fixture();
    // Cut user_artists.dat in the middle of its last row ("3\t3\t1" → "3\t3").
    const file = path.join(folder, 'user_artists.dat');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.lastIndexOf('\t')));

    const error = await formatError(() => importLastfm2k(store, folder, silentProgress));
    expect(error.file).toBe(file);
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/user_artists\.dat:5: expected 3 tab-separated columns/);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });

  it.each([
    ['a missing header', { 'user_friends.dat': tsv([[2, 3]]) }, 'user_friends.dat', 1, /expected the header/],
    ['a non-numeric id', { 'user_friends.dat': tsv([['userID', 'friendID'], [2, 3], ['x7', 2]], '\r\n') }, 'user_friends.dat', 3, /friendID|userID/],
    ['a play of an unknown artist', { 'user_artists.dat': tsv([['userID', 'artistID', 'weight'], [2, 1, 4], [2, 42, 1]]) }, 'user_artists.dat', 3, /artist 42 is not in artists\.dat/],
    ['a zero weight', { 'user_artists.dat': tsv([['userID', 'artistID', 'weight'], [2, 1, 0]]) }, 'user_artists.dat', 2, /positive/],
    ['a repeated play row', { 'user_artists.dat': tsv([['userID', 'artistID', 'weight'], [2, 1, 3], [2, 1, 4]]) }, 'user_artists.dat', 3, /first on line 2/],
    [
      'an impossible date',
      { 'user_taggedartists.dat': tsv([['userID', 'artistID', 'tagID', 'day', 'month', 'year'], [2, 1, 1, 31, 2, 2009]]) },
      'user_taggedartists.dat',
      2,
      /invalid date/,
    ],
    ['a blank line inside the data', { 'tags.dat': Buffer.from('tagID\ttagValue\r\n1\tmetal\r\n\r\n2\trock\r\n', 'latin1') }, 'tags.dat', 3, /blank line/],
  ])('rejects %s', async (_what, overrides, fileName, line, problem) => {
    const store = await memoryStore();
    const folder = fixture(overrides);
    const error = await formatError(() => importLastfm2k(store, folder, silentProgress));
    expect(error).toBeInstanceOf(ImportFormatError);
    expect(error.file).toBe(path.join(folder, fileName));
    expect(error.line).toBe(line);
    expect(error.message).toMatch(problem);
    expect(await storeCounts(store)).toEqual(EMPTY_COUNTS);
  });
});
