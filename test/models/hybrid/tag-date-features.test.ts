import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ItemKnnRecommender } from '../../../src/models/cf/item-knn.js';
import { IdIndex, buildMatrix, type InteractionMatrix } from '../../../src/models/cf/matrix.js';
import { RECENT_MONTHS, UNKNOWN_DATE, extraFeatures } from '../../../src/models/hybrid/features.js';
import { featuresOf } from './helpers.js';
import { type TagAssignments, loadLastfmSide, tagMonth } from '../../../src/models/hybrid/side-data.js';

const month = (year: number, m: number): number => year * 12 + m - 1;

function tags(rows: [user: number, item: number, tag: number, month: number][]): TagAssignments {
  return {
    tags: 3,
    user: Int32Array.from(rows.map((r) => r[0])),
    item: Int32Array.from(rows.map((r) => r[1])),
    tag: Int32Array.from(rows.map((r) => r[2])),
    month: Int32Array.from(rows.map((r) => r[3])),
  };
}

// 3 users × 5 artists. User 0 trains on artists 0 and 1; artist 2 is one they do not train on.
const train: InteractionMatrix = buildMatrix(3, 5, [
  { user: 0, item: 0, value: 1 },
  { user: 0, item: 1, value: 1 },
  { user: 1, item: 2, value: 1 },
  { user: 2, item: 1, value: 1 },
]);

describe('era features (tag dates)', () => {
  const last = month(2011, 5);
  const base: [number, number, number, number][] = [
    [0, 0, 0, month(2010, 1)], // user 0 on a training artist
    [0, 0, 1, month(2010, 3)], // a second tag on the same artist: the pair keeps its first month
    [1, 2, 0, month(2008, 6)],
    [1, 2, 1, month(2009, 6)], // user 1's pair on artist 2 dates from 2008-06
    [2, 1, 0, last], // the data's latest month
    [2, 3, 0, -1], // an unknown date is ignored
  ];

  it("dates an artist by the other users' pairs, relative to the data's last month", () => {
    const [a0, a1, a2, a3] = featuresOf(['era'], { train, tags: tags(base) }, 0, [0, 1, 2, 3]);
    expect(a2['era:item']).toBe(month(2008, 6) - last);
    expect(a2['era:itemRecentShare']).toBe(0);
    expect(a1['era:item']).toBe(0);
    expect(a1['era:itemRecentShare']).toBe(1);
    // Artist 0 is tagged by user 0 only: as seen by user 0 it has no date; artist 3 has none at all.
    expect(a0['era:item']).toBe(UNKNOWN_DATE);
    expect(a3['era:item']).toBe(UNKNOWN_DATE);
    expect(a3['era:gap']).toBe(UNKNOWN_DATE);
    // User 0's era is their one dated training pair (first month, not the second tag's).
    expect(a2['era:user']).toBe(month(2010, 1) - last);
    expect(a2['era:userLatest']).toBe(month(2010, 1) - last);
    expect(a2['era:gap']).toBeCloseTo(month(2008, 6) - month(2010, 1), 5);
  });

  it("never lets a user's own tag on an artist they do not train on show", () => {
    const withOwn = featuresOf(['era'], { train, tags: tags([...base, [0, 2, 2, month(2011, 4)], [0, 4, 2, month(2011, 1)]]) }, 0, [2, 3, 4]);
    const without = featuresOf(['era'], { train, tags: tags(base) }, 0, [2, 3, 4]);
    expect(withOwn).toEqual(without);
    // Another user's view of artist 2 does include user 0's pair.
    const seenBy2 = featuresOf(['era'], { train, tags: tags([...base, [0, 2, 2, month(2011, 4)]]) }, 2, [2])[0];
    expect(seenBy2['era:item']).toBeCloseTo((month(2008, 6) + month(2011, 4)) / 2 - last, 5);
  });

  it('is left out when the tags carry no dates', () => {
    const { month: _m, ...undated } = tags(base);
    expect(extraFeatures(['era'], { train, tags: undated })).toBeUndefined();
  });
});

describe('recency features (item-kNN from the last-tagged training artists)', () => {
  // Artists 0 and 2 always co-occur, as do 1 and 3: each is the other's neighbour.
  const plays = buildMatrix(6, 4, [
    ...[1, 2, 3].flatMap((u) => [
      { user: u, item: 0, value: 1 },
      { user: u, item: 2, value: 1 },
    ]),
    ...[4, 5].flatMap((u) => [
      { user: u, item: 1, value: 1 },
      { user: u, item: 3, value: 1 },
    ]),
    { user: 0, item: 0, value: 1 },
    { user: 0, item: 1, value: 1 },
  ]);

  async function recency(rows: [number, number, number, number][]): Promise<Record<string, number>[]> {
    const knn = new ItemKnnRecommender({ k: 2, weighting: 'none', shrink: 0 });
    await knn.fit(plays);
    return featuresOf(['recency'], { train: plays, knn, tags: tags(rows) }, 0, [2, 3]);
  }

  it('scores only the neighbours of artists tagged within RECENT_MONTHS of the latest tag', async () => {
    const [n2, n3] = await recency([
      [0, 0, 0, month(2011, 1)],
      [0, 1, 0, month(2011, 1) - RECENT_MONTHS - 1],
    ]);
    expect(n2['recency:knn']).toBeGreaterThan(0);
    expect(n2['recency:maxSim']).toBe(n2['recency:knn']);
    expect(n3['recency:knn']).toBe(0);
    const [m2, m3] = await recency([
      [0, 0, 0, month(2011, 1)],
      [0, 1, 0, month(2011, 1) - RECENT_MONTHS],
    ]);
    expect(m2['recency:knn']).toBeGreaterThan(0);
    expect(m3['recency:knn']).toBeGreaterThan(0);
  });

  it('is zero for a user without dated tags on training artists', async () => {
    const [n2, n3] = await recency([[0, 3, 0, month(2011, 1)]]); // artist 3 is not user 0's training artist
    expect(n2['recency:knn']).toBe(0);
    expect(n3['recency:knn']).toBe(0);
  });
});

describe('tag dates from Last.fm 2K', () => {
  it('parses month and year, and treats implausible years as unknown', () => {
    expect(tagMonth('4', '2009')).toBe(month(2009, 4));
    expect(tagMonth('4', '1956')).toBe(-1);
    expect(tagMonth('13', '2009')).toBe(-1);
    expect(tagMonth(undefined, '2009')).toBe(-1);
  });

  it('loads one date per assignment', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lastfm-side-'));
    fs.writeFileSync(path.join(dir, 'user_friends.dat'), 'userID\tfriendID\n2\t3\n');
    fs.writeFileSync(path.join(dir, 'user_taggedartists.dat'), 'userID\tartistID\ttagID\tday\tmonth\tyear\n2\t52\t13\t1\t4\t2009\n3\t52\t7\t1\t1\t1956\n');
    const side = await loadLastfmSide(dir, IdIndex.from(['2', '3']), IdIndex.from(['52']));
    expect(Array.from(side.tags?.month ?? [])).toEqual([month(2009, 4), -1]);
    expect(Array.from(side.tags?.user ?? [])).toEqual([0, 1]);
  });
});
