import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLastfm2k, loadSpotifyListens } from '../../src/eval/datasets.js';
import { spotifyDataset } from '../../src/eval/protocols.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadLastfm2k', () => {
  it('reads user_artists.dat (CRLF, header) into binary pairs indexed by ascending id', async () => {
    const folder = path.join(dir, 'lastfm');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'user_artists.dat'), 'userID\tartistID\tweight\r\n7\t30\t100\r\n2\t51\t5\r\n2\t30\t1\r\n');
    const data = await loadLastfm2k(folder);
    expect(data.users.ids).toEqual(['2', '7']);
    expect(data.items.ids).toEqual(['30', '51']);
    expect(Array.from(data.user)).toEqual([1, 0, 0]);
    expect(Array.from(data.item)).toEqual([0, 1, 0]);
  });

  it('rejects a wrong header', async () => {
    const file = path.join(dir, 'bad.dat');
    writeFileSync(file, 'user\tartist\tweight\n1\t2\t3\n');
    await expect(loadLastfm2k(file)).rejects.toThrow(/header/);
  });
});

describe('loadSpotifyListens', () => {
  const csv = [
    'user_id,end_time_utc,artist_name,track_name,ms_played',
    'u1,2023-01-02 10:00,Björk,Jóga,200000',
    'u1,2023-01-03 10:00,bjork,joga,20000',
    'u1,2023-01-04 10:00,Björk,Hyperballad,200000',
    'u2,2023-01-05 10:00,"Some Show, The",Episode 12: Guests,900000',
    'u2,2023-01-06 10:00,Sigur Rós,Hoppípolla,250000',
  ].join('\n');
  const file = path.join(dir, 'listens.csv.gz');
  writeFileSync(file, gzipSync(csv));

  it('folds tracks (artist + title) and drops podcast episodes', async () => {
    const log = await loadSpotifyListens(dir, 'track');
    expect(log.items.size).toBe(3);
    expect(log.user.length).toBe(4);
    expect(log.podcastListens).toBe(1);
    expect(log.item[0]).toBe(log.item[1]); // "Björk – Jóga" and "bjork – joga" are one track
    expect(Array.from(log.msPlayed)).toEqual([200000, 20000, 200000, 250000]);
    expect(log.time[0]).toBe(Date.UTC(2023, 0, 2, 10, 0));
  });

  it('or artists', async () => {
    const log = await loadSpotifyListens(file, 'artist');
    expect(log.items.ids).toEqual(['bjork', 'sigur ros']);
  });

  it('builds the temporal protocol', async () => {
    const dataset = await spotifyDataset(dir, { target: 'artist', cutoff: '2023-01-04', validationDays: 1 });
    const split = await dataset.split(1);
    expect(split.stats.listens).toBe(4);
    expect(dataset.protocol.timeRange).toBe('2023-01-02 .. 2023-01-06');
    // u1 trained on Björk; u2 has no plays before the cut-off: not evaluated.
    expect(split.stats.usersWithTest).toBe(0);
    expect(split.stats.coldStartUsersDropped).toBe(1);
  });
});
