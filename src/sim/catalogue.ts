/**
 * The demo catalogue: genres with a style prototype each, artists drawn around those
 * prototypes with a power-law popularity, and tracks drawn around their artist's style.
 *
 * Style space. Every genre, artist and track has a point in a six-dimensional style space,
 * each axis in [0, 1]: energy, tempo (60–200 bpm mapped to 0–1), acousticness, danceability,
 * valence, instrumentalness. A track's audioFeatures are read off its point; listeners'
 * tastes and context preferences are expressed in the same space (see listeners.ts), so the
 * simulator can score any (listener, context, track) triple without looking at text.
 *
 * Besides the domain records (Artist, Track) the catalogue keeps compact typed arrays indexed
 * by track position and per-genre / per-artist alias tables, so the listening-log generator
 * can draw a track in O(1) without walking the catalogue.
 */
import type { Artist, AudioFeatures, TagCount, Track } from '../domain/types.js';
import { trackSearchText } from '../lib/text.js';
import { NameForge, type NameStyle } from './names.js';
import { AliasTable, type Rng } from './random.js';

export const STYLE_DIMS = ['energy', 'tempo', 'acousticness', 'danceability', 'valence', 'instrumentalness'] as const;
export type StyleDim = (typeof STYLE_DIMS)[number];
export const STYLE_SIZE = STYLE_DIMS.length;
export const ENERGY = 0;
export const TEMPO = 1;
export const ACOUSTICNESS = 2;
export const DANCEABILITY = 3;
export const VALENCE = 4;
export const INSTRUMENTALNESS = 5;

const TEMPO_MIN_BPM = 60;
const TEMPO_RANGE_BPM = 140;

export interface GenreSpec {
  name: string;
  /** Centre of the genre in style space, in STYLE_DIMS order. */
  prototype: readonly number[];
  /** Standard deviation of artists around the prototype, per axis. */
  spread: number;
  /** Relative number of artists in the catalogue. */
  artistShare: number;
  /** Relative weight of the genre in listeners' tastes. */
  listenerShare: number;
  /** Earliest release year for the genre. */
  since: number;
  /** Typical track length in seconds. */
  durationSec: number;
  speechiness: number;
  /** Probability that a track has a featured second artist. */
  featuring: number;
  nameStyle: NameStyle;
  moods: readonly string[];
}

//                    energy tempo acoust dance valence instr
export const GENRES: readonly GenreSpec[] = [
  g('indie rock', [0.68, 0.43, 0.2, 0.5, 0.5, 0.1], 0.1, 1.4, 1.3, 1985, 225, 0.05, 0.05, 'band', ['melancholic', 'nostalgic', 'jangly']),
  g('synthwave', [0.65, 0.36, 0.05, 0.62, 0.45, 0.6], 0.08, 0.6, 0.6, 2008, 260, 0.04, 0.05, 'electronic', ['retro', 'nocturnal', 'dreamy']),
  g('jazz', [0.35, 0.36, 0.75, 0.45, 0.55, 0.7], 0.12, 1.0, 0.8, 1970, 330, 0.05, 0.08, 'jazz', ['smooth', 'mellow', 'sophisticated']),
  g('techno', [0.86, 0.5, 0.03, 0.74, 0.3, 0.9], 0.07, 0.8, 0.8, 1988, 400, 0.05, 0.04, 'electronic', ['hypnotic', 'dark', 'driving']),
  g('hip hop', [0.66, 0.23, 0.12, 0.8, 0.5, 0.03], 0.09, 1.6, 1.8, 1982, 210, 0.28, 0.3, 'rap', ['confident', 'gritty', 'bouncy']),
  g('ambient', [0.12, 0.14, 0.6, 0.2, 0.3, 0.95], 0.08, 0.6, 0.6, 1978, 420, 0.03, 0.02, 'electronic', ['calm', 'atmospheric', 'meditative']),
  g('folk', [0.3, 0.29, 0.88, 0.4, 0.45, 0.08], 0.09, 1.0, 0.9, 1970, 220, 0.04, 0.06, 'solo', ['warm', 'earthy', 'wistful']),
  g('metal', [0.95, 0.64, 0.02, 0.35, 0.2, 0.15], 0.07, 0.9, 0.8, 1975, 300, 0.06, 0.04, 'dark', ['aggressive', 'intense', 'dark']),
  g('classical', [0.2, 0.25, 0.95, 0.2, 0.38, 0.95], 0.12, 0.8, 0.7, 1970, 420, 0.03, 0.03, 'ensemble', ['elegant', 'serene', 'dramatic']),
  g('reggaeton', [0.76, 0.25, 0.15, 0.86, 0.75, 0.02], 0.07, 0.9, 1.2, 2000, 210, 0.12, 0.35, 'solo', ['sensual', 'festive', 'hot']),
  g('k-pop', [0.8, 0.43, 0.08, 0.75, 0.72, 0.02], 0.07, 0.8, 1.0, 2000, 205, 0.08, 0.1, 'idol', ['catchy', 'bright', 'polished']),
  g('house', [0.78, 0.46, 0.05, 0.86, 0.66, 0.7], 0.07, 1.1, 1.1, 1985, 330, 0.05, 0.15, 'electronic', ['groovy', 'euphoric', 'uplifting']),
  g('soul', [0.45, 0.29, 0.45, 0.6, 0.62, 0.05], 0.09, 0.9, 0.9, 1970, 230, 0.05, 0.1, 'solo', ['soulful', 'warm', 'romantic']),
  g('punk', [0.93, 0.79, 0.05, 0.45, 0.55, 0.05], 0.07, 0.8, 0.6, 1975, 150, 0.07, 0.03, 'band', ['rebellious', 'raw', 'fast']),
  g('lo-fi', [0.25, 0.14, 0.5, 0.62, 0.45, 0.85], 0.07, 0.7, 0.9, 2014, 150, 0.04, 0.05, 'electronic', ['chill', 'cozy', 'nostalgic']),
  g('country', [0.55, 0.36, 0.6, 0.55, 0.62, 0.03], 0.08, 0.9, 0.9, 1970, 200, 0.05, 0.08, 'solo', ['heartfelt', 'rootsy', 'storytelling']),
  g('drum and bass', [0.9, 0.81, 0.03, 0.6, 0.45, 0.7], 0.06, 0.7, 0.6, 1993, 330, 0.06, 0.12, 'electronic', ['energetic', 'rolling', 'dark']),
  g('blues', [0.45, 0.25, 0.6, 0.45, 0.35, 0.15], 0.09, 0.7, 0.5, 1970, 260, 0.05, 0.05, 'solo', ['soulful', 'gritty', 'melancholic']),
  g('afrobeats', [0.72, 0.32, 0.2, 0.86, 0.8, 0.05], 0.07, 0.8, 1.0, 2008, 215, 0.1, 0.3, 'solo', ['sunny', 'groovy', 'festive']),
  g('shoegaze', [0.6, 0.39, 0.1, 0.3, 0.3, 0.35], 0.08, 0.6, 0.5, 1988, 280, 0.03, 0.03, 'band', ['dreamy', 'hazy', 'melancholic']),
];

function g(
  name: string,
  prototype: number[],
  spread: number,
  artistShare: number,
  listenerShare: number,
  since: number,
  durationSec: number,
  speechiness: number,
  featuring: number,
  nameStyle: NameStyle,
  moods: string[],
): GenreSpec {
  return { name, prototype, spread, artistShare, listenerShare, since, durationSec, speechiness, featuring, nameStyle, moods };
}

export interface CatalogueOptions {
  artists: number;
  tracks: number;
  /** Releases fall before this instant (ms since the epoch, UTC). */
  referenceTime: number;
}

/** The generated catalogue plus the lookup structures the simulator samples from. */
export interface Catalogue {
  genres: readonly GenreSpec[];
  artists: Artist[];
  tracks: Track[];
  /** Artist style points, artists.length × STYLE_SIZE. */
  artistStyle: Float64Array;
  /** Artist popularity weights (power law, max 1). */
  artistWeight: Float64Array;
  /** Genre indices of each artist (1 or 2, primary first). */
  artistGenres: number[][];
  /** Track indices of each artist (as primary artist), and an alias table over them by popularity. */
  artistTracks: Int32Array[];
  artistTrackAlias: (AliasTable | undefined)[];
  /** Track style points, tracks.length × STYLE_SIZE. */
  trackStyle: Float64Array;
  /** Track popularity weights (sum over an artist's tracks = the artist's weight). */
  trackWeight: Float64Array;
  /** Primary artist index of each track. */
  trackArtist: Int32Array;
  /** Primary and secondary genre of each track (-1 when it has only one). */
  trackGenre: Int16Array;
  trackGenre2: Int16Array;
  trackDurationMs: Int32Array;
  /** Release instant of each track (ms, UTC midnight of its release date). */
  trackReleased: Float64Array;
  /** Tracks of each genre and an alias table over them by popularity; empty genres have none. */
  genreTracks: Int32Array[];
  genreTrackAlias: (AliasTable | undefined)[];
}

const FIRST_YEAR = 1970;

/** Zero-padded id with the width of the count: `demo-a0001` for 1,500 artists. */
export function demoId(prefix: string, index: number, count: number): string {
  return `demo-${prefix}${String(index + 1).padStart(String(count).length, '0')}`;
}

export function buildCatalogue(rng: Rng, options: CatalogueOptions, names: NameForge = new NameForge()): Catalogue {
  const nGenres = GENRES.length;
  const nArtists = Math.max(0, Math.floor(options.artists));
  const nTracks = Math.max(0, Math.floor(options.tracks));
  const refDate = new Date(options.referenceTime);
  const lastYear = refDate.getUTCFullYear();
  // The last day a release may fall on: the day before the reference instant.
  const lastReleaseTime = options.referenceTime - 86_400_000;

  // ---- artists: genres, style, popularity, career ---------------------------------------
  const artistRng = rng.fork('artists');
  const genreShare = new AliasTable(GENRES.map((x) => x.artistShare));
  const artistGenres: number[][] = [];
  const artistStyle = new Float64Array(nArtists * STYLE_SIZE);
  const artistWeight = new Float64Array(nArtists);
  const artistNameStyle: NameStyle[] = [];
  const careerStart = new Int32Array(nArtists);
  const careerEnd = new Int32Array(nArtists);

  // Zipf popularity over a random ranking: weight = 1 / rank^0.95.
  const ranks = artistRng.fork('ranks').shuffle(Array.from({ length: nArtists }, (_, i) => i));
  for (let a = 0; a < nArtists; a++) artistWeight[a] = 1 / Math.pow(ranks[a] + 1, 0.95);

  for (let a = 0; a < nArtists; a++) {
    const r = artistRng.fork(a);
    const primary = genreShare.sample(r);
    const genres = [primary];
    if (r.chance(0.35)) {
      // A second genre near the first in style space: shoegaze with indie rock, not with reggaeton.
      const weights = GENRES.map((other, j) =>
        j === primary ? 0 : other.artistShare * Math.exp(-styleDistance2(GENRES[primary].prototype, other.prototype) / 0.12),
      );
      genres.push(r.weightedIndex(weights));
    }
    artistGenres.push(genres);
    const mix = genres.length === 1 ? [1] : [0.7, 0.3];
    const spread = GENRES[primary].spread;
    for (let d = 0; d < STYLE_SIZE; d++) {
      let v = 0;
      for (let k = 0; k < genres.length; k++) v += mix[k] * GENRES[genres[k]].prototype[d];
      artistStyle[a * STYLE_SIZE + d] = clamp01(v + r.normal(0, spread), 0.02);
    }
    artistNameStyle.push(r.chance(0.8) ? GENRES[primary].nameStyle : r.pick<NameStyle>(['band', 'solo']));
    // Careers start recently more often than long ago: years ago = span × u^1.5.
    const since = Math.max(FIRST_YEAR, ...genres.map((x) => GENRES[x].since));
    const span = Math.max(0, lastYear - since);
    const start = lastYear - Math.floor(span * Math.pow(r.next(), 1.5));
    careerStart[a] = start;
    careerEnd[a] = Math.min(lastYear, start + 1 + Math.floor(r.exponential(1 / 10)));
  }

  const artistNames: string[] = [];
  const nameRng = rng.fork('artist-names');
  for (let a = 0; a < nArtists; a++) artistNames.push(names.artistName(nameRng.fork(a), artistNameStyle[a]));

  // ---- how many tracks each artist has ----------------------------------------------------
  const trackCount = new Int32Array(nArtists);
  if (nArtists > 0 && nTracks > 0) {
    const countRng = rng.fork('track-counts');
    let remaining = nTracks;
    if (nTracks >= nArtists) {
      trackCount.fill(1);
      remaining -= nArtists;
    }
    // Prolific artists are somewhat more popular; both are heavy-tailed.
    const productivity = Array.from({ length: nArtists }, (_, a) => countRng.logNormal(0, 0.7) * Math.pow(artistWeight[a], 0.3));
    const table = new AliasTable(productivity);
    for (; remaining > 0; remaining--) trackCount[table.sample(countRng)]++;
  }

  // ---- tracks, artist by artist, release by release ------------------------------------------
  const trackRng = rng.fork('tracks');
  const genreArtistTables = GENRES.map((_, gi) => {
    const members: number[] = [];
    for (let a = 0; a < nArtists; a++) if (artistGenres[a].includes(gi)) members.push(a);
    return { members, table: members.length > 1 ? new AliasTable(members.map((a) => artistWeight[a])) : undefined };
  });

  const tracks: Track[] = [];
  const trackStyle = new Float64Array(nTracks * STYLE_SIZE);
  const trackWeight = new Float64Array(nTracks);
  const trackArtist = new Int32Array(nTracks);
  const trackGenre = new Int16Array(nTracks);
  const trackGenre2 = new Int16Array(nTracks).fill(-1);
  const trackDurationMs = new Int32Array(nTracks);
  const trackReleased = new Float64Array(nTracks);
  const artistTracks: Int32Array[] = [];
  const style = new Float64Array(STYLE_SIZE);

  let t = 0;
  for (let a = 0; a < nArtists; a++) {
    const r = trackRng.fork(a);
    const count = trackCount[a];
    const own = new Int32Array(count);
    const genres = artistGenres[a];
    const hitFactors: number[] = [];
    const albums = new Set<string>();
    let made = 0;
    while (made < count) {
      const left = count - made;
      const kind = r.next();
      const size = Math.min(left, kind < 0.3 ? 1 : kind < 0.5 ? r.intBetween(3, 5) : r.intBetween(8, 14));
      const releaseTime = releaseInstant(r, careerStart[a], careerEnd[a], lastReleaseTime);
      const releaseDate = new Date(releaseTime).toISOString().slice(0, 10);
      const albumOffset = Array.from({ length: STYLE_SIZE }, () => r.normal(0, 0.04));
      let album = '';
      for (let k = 0; k < size; k++, made++, t++) {
        own[made] = t;
        for (let d = 0; d < STYLE_SIZE; d++) {
          style[d] = clamp01(artistStyle[a * STYLE_SIZE + d] + albumOffset[d] + r.normal(0, 0.07), 0.01);
          trackStyle[t * STYLE_SIZE + d] = style[d];
        }
        const title = names.trackTitle(r, artistNameStyle[a]);
        if (k === 0) album = size === 1 ? title : names.albumTitle(r, artistNameStyle[a], title, albums);

        // Genres: the artist's; a two-genre artist's track sometimes keeps only the nearer one.
        let trackGenres = genres;
        if (genres.length === 2 && r.chance(0.3)) {
          const d0 = styleDistance2(style, GENRES[genres[0]].prototype);
          const d1 = styleDistance2(style, GENRES[genres[1]].prototype);
          trackGenres = [d0 <= d1 ? genres[0] : genres[1]];
        }
        trackGenre[t] = trackGenres[0];
        if (trackGenres.length > 1) trackGenre2[t] = trackGenres[1];

        const artistIds = [demoId('a', a, nArtists)];
        const artistNamesOfTrack = [artistNames[a]];
        const featTable = genreArtistTables[trackGenres[0]];
        if (featTable.table && r.chance(GENRES[trackGenres[0]].featuring)) {
          const other = featTable.members[featTable.table.sample(r)];
          if (other !== a) {
            artistIds.push(demoId('a', other, nArtists));
            artistNamesOfTrack.push(artistNames[other]);
          }
        }

        const typicalSec = GENRES[trackGenres[0]].durationSec;
        const durationMs = Math.round(
          Math.min(1_500_000, Math.max(60_000, typicalSec * 1000 * r.logNormal(0, typicalSec > 300 ? 0.35 : 0.22))),
        );
        trackDurationMs[t] = durationMs;
        trackReleased[t] = releaseTime;
        trackArtist[t] = a;
        hitFactors.push(r.logNormal(0, 0.9) * (k === 0 ? 1.8 : 1)); // lead tracks tend to be the hits

        tracks.push({
          id: demoId('t', t, nTracks),
          title,
          artistIds,
          album,
          durationMs,
          releaseDate,
          genres: trackGenres.map((x) => GENRES[x].name),
          tags: trackTags(r, style, trackGenres),
          audioFeatures: audioFeatures(r, style, trackGenres[0]),
          popularity: 0, // set below, once every weight is known
          searchText: trackSearchText(title, album, artistNamesOfTrack),
          source: 'demo',
        });
      }
    }
    // The artist's weight is shared among its tracks by hit factor.
    const totalHit = hitFactors.reduce((s, x) => s + x, 0);
    for (let k = 0; k < count; k++) trackWeight[own[k]] = (artistWeight[a] * hitFactors[k]) / totalHit;
    artistTracks.push(own);
  }

  // Popularity 0–100 on a log scale of the track weights.
  if (nTracks > 0) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < nTracks; i++) {
      const l = Math.log(trackWeight[i]);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
    for (let i = 0; i < nTracks; i++) {
      tracks[i].popularity = hi > lo ? Math.round((100 * (Math.log(trackWeight[i]) - lo)) / (hi - lo)) : 50;
    }
  }

  const artists: Artist[] = [];
  for (let a = 0; a < nArtists; a++) {
    artists.push({
      id: demoId('a', a, nArtists),
      name: artistNames[a],
      genres: artistGenres[a].map((x) => GENRES[x].name),
      tags: artistTags(rng.fork('artist-tags').fork(a), artistStyle.subarray(a * STYLE_SIZE, (a + 1) * STYLE_SIZE), artistGenres[a], artistWeight[a]),
      source: 'demo',
    });
  }

  const genreTracks: Int32Array[] = [];
  const genreTrackAlias: (AliasTable | undefined)[] = [];
  for (let gi = 0; gi < nGenres; gi++) {
    const members: number[] = [];
    for (let i = 0; i < nTracks; i++) if (trackGenre[i] === gi || trackGenre2[i] === gi) members.push(i);
    genreTracks.push(Int32Array.from(members));
    genreTrackAlias.push(members.length > 0 ? new AliasTable(members.map((i) => trackWeight[i])) : undefined);
  }
  const artistTrackAlias = artistTracks.map((own) =>
    own.length > 0 ? new AliasTable(Array.from(own, (i) => trackWeight[i])) : undefined,
  );

  return {
    genres: GENRES,
    artists,
    tracks,
    artistStyle,
    artistWeight,
    artistGenres,
    artistTracks,
    artistTrackAlias,
    trackStyle,
    trackWeight,
    trackArtist,
    trackGenre,
    trackGenre2,
    trackDurationMs,
    trackReleased,
    genreTracks,
    genreTrackAlias,
  };
}

/** A release instant within the artist's career, at UTC midnight, never after `latest`. */
function releaseInstant(r: Rng, startYear: number, endYear: number, latest: number): number {
  // Within a career, later years are a little more likely (catalogues grow).
  const year = startYear + Math.floor((endYear - startYear + 1) * Math.pow(r.next(), 0.8));
  const from = Date.UTC(year, 0, 1);
  const to = Math.min(Date.UTC(year + 1, 0, 1), latest);
  const day = Math.floor(r.next() * Math.max(1, Math.floor((to - from) / 86_400_000)));
  return Math.min(from + day * 86_400_000, Math.floor(latest / 86_400_000) * 86_400_000);
}

/** Squared Euclidean distance between two style points. */
export function styleDistance2(a: ArrayLike<number>, b: ArrayLike<number>, bOffset = 0, aOffset = 0): number {
  let s = 0;
  for (let d = 0; d < STYLE_SIZE; d++) {
    const x = a[aOffset + d] - b[bOffset + d];
    s += x * x;
  }
  return s;
}

function clamp01(x: number, margin = 0): number {
  return Math.min(1 - margin, Math.max(margin, x));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Mood words a style point earns, strongest first. */
function styleMoods(style: ArrayLike<number>): string[] {
  const moods: [string, number][] = [];
  if (style[ENERGY] > 0.75) moods.push(['energetic', style[ENERGY] - 0.75]);
  if (style[ENERGY] < 0.25) moods.push(['calm', 0.25 - style[ENERGY]]);
  if (style[VALENCE] > 0.68) moods.push(['happy', style[VALENCE] - 0.68]);
  if (style[VALENCE] < 0.3) moods.push(['sad', 0.3 - style[VALENCE]]);
  if (style[ACOUSTICNESS] > 0.72) moods.push(['acoustic', style[ACOUSTICNESS] - 0.72]);
  if (style[DANCEABILITY] > 0.78) moods.push(['danceable', style[DANCEABILITY] - 0.78]);
  if (style[INSTRUMENTALNESS] > 0.8) moods.push(['instrumental', style[INSTRUMENTALNESS] - 0.8]);
  if (style[TEMPO] > 0.72) moods.push(['fast', style[TEMPO] - 0.72]);
  if (style[TEMPO] < 0.12) moods.push(['slow', 0.12 - style[TEMPO]]);
  moods.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return moods.map((m) => m[0]);
}

function trackTags(r: Rng, style: ArrayLike<number>, genres: number[]): string[] {
  const tags = genres.map((x) => GENRES[x].name);
  for (const mood of styleMoods(style).slice(0, 2)) if (!tags.includes(mood)) tags.push(mood);
  if (r.chance(0.5)) {
    const mood = r.pick(GENRES[genres[0]].moods);
    if (!tags.includes(mood)) tags.push(mood);
  }
  return tags;
}

function artistTags(r: Rng, style: ArrayLike<number>, genres: number[], weight: number): TagCount[] {
  // Tag counts scale with popularity, like crowd-sourced tags do.
  const scale = 5 + 995 * Math.pow(weight, 0.7);
  const counts = new Map<string, number>();
  const add = (tag: string, relevance: number) => {
    const count = Math.max(1, Math.round(scale * relevance * r.uniform(0.8, 1.2)));
    counts.set(tag, Math.max(counts.get(tag) ?? 0, count));
  };
  add(GENRES[genres[0]].name, 1);
  if (genres.length > 1) add(GENRES[genres[1]].name, 0.55);
  for (const mood of r.sample(GENRES[genres[0]].moods, 2)) add(mood, r.uniform(0.15, 0.45));
  styleMoods(style).slice(0, 2).forEach((mood, i) => add(mood, 0.35 - 0.1 * i));
  return [...counts.entries()]
    .map(([tag, count]) => ({ tag, count }))
    .sort((x, y) => y.count - x.count || (x.tag < y.tag ? -1 : 1));
}

function audioFeatures(r: Rng, style: ArrayLike<number>, genre: number): AudioFeatures {
  const energy = style[ENERGY];
  const valence = style[VALENCE];
  return {
    danceability: round3(style[DANCEABILITY]),
    energy: round3(energy),
    key: r.int(12),
    loudness: round3(Math.min(-1, Math.max(-40, -22 + 17 * energy + r.normal(0, 2)))),
    mode: r.chance(0.35 + 0.5 * valence) ? 1 : 0,
    speechiness: round3(clamp01(GENRES[genre].speechiness * r.logNormal(0, 0.35), 0.01)),
    acousticness: round3(style[ACOUSTICNESS]),
    instrumentalness: round3(style[INSTRUMENTALNESS]),
    liveness: round3(clamp01(0.05 + r.gamma(1.5, 0.06), 0.01)),
    valence: round3(valence),
    tempo: Math.round((TEMPO_MIN_BPM + TEMPO_RANGE_BPM * style[TEMPO]) * 10) / 10,
  };
}

/** Back from a track's audioFeatures to its style point (tempo in bpm to 0–1). */
export function styleOfFeatures(features: AudioFeatures): number[] {
  return [
    features.energy ?? 0.5,
    features.tempo === undefined ? 0.5 : clamp01((features.tempo - TEMPO_MIN_BPM) / TEMPO_RANGE_BPM),
    features.acousticness ?? 0.5,
    features.danceability ?? 0.5,
    features.valence ?? 0.5,
    features.instrumentalness ?? 0.5,
  ];
}
