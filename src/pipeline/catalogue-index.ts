/**
 * An in-memory, read-only snapshot of the catalogue for one target kind, laid out for the
 * request path: dense item numbers, typed arrays per attribute, and an inverted index from
 * tags and genres to items. Built when the service starts and rebuilt when the catalogue
 * changes (see catalogue-provider.ts), so no request scans the store for tags, artists,
 * albums or release dates.
 *
 * Terms are tags and genres in one lower-cased vocabulary (a genre is a tag every catalogue
 * agrees on). An item's term vector is idf-weighted and L2-normalised, so a listener's profile
 * (a sum of such vectors) scores items by cosine.
 */
import type { Artist, AudioFeatures, TargetKind, Track } from '../domain/types.js';

/** Audio features the ranker sees, in this order; tempo is scaled to about [0, 1]. */
export const AUDIO_FEATURES = ['energy', 'valence', 'danceability', 'acousticness', 'instrumentalness', 'tempo'] as const satisfies readonly (keyof AudioFeatures)[];
const TEMPO_SCALE = 1 / 250;
export const DAY_MS = 86_400_000;

/** One catalogue item reduced to what the pipeline uses. */
interface ItemRecord {
  id: string;
  title: string;
  artistIds: readonly string[];
  album?: string;
  releaseDate?: string;
  terms: readonly string[];
  audio?: AudioFeatures;
  popularity?: number;
}

export class CatalogueIndex {
  readonly size: number;
  readonly ids: readonly string[];
  readonly titles: readonly string[];
  /** Items' artists (CSR over dense artist numbers; an artist item is its own artist). */
  readonly artistPtr: Int32Array;
  readonly artistIdx: Int32Array;
  readonly artistIds: readonly string[];
  /** Dense album number per item, −1 without an album. */
  readonly album: Int32Array;
  /** Release day (days since the epoch) per item, NaN when unknown. */
  readonly releaseDay: Float64Array;
  /** Items with a release day, oldest first. */
  readonly byRelease: Int32Array;
  /** Items' terms (CSR), with idf-weighted, unit-norm weights. */
  readonly termPtr: Int32Array;
  readonly termIdx: Int32Array;
  readonly termWeight: Float32Array;
  /** Terms' items (CSR; the inverted index), with the same weights. */
  readonly postPtr: Int32Array;
  readonly postIdx: Int32Array;
  readonly postWeight: Float32Array;
  readonly terms: readonly string[];
  /** Audio features per item (AUDIO_FEATURES.length each), NaN when unknown. */
  readonly audio: Float32Array;
  /** The catalogue's own popularity (0–100) per item, NaN when unknown. */
  readonly catalogPopularity: Float32Array;

  private readonly byId: Map<string, number>;
  private readonly artistById: Map<string, number>;
  private readonly termById: Map<string, number>;
  private scratchBuffer?: Float32Array;

  private constructor(readonly kind: TargetKind, records: readonly ItemRecord[]) {
    const n = records.length;
    this.size = n;
    this.ids = records.map((r) => r.id);
    this.titles = records.map((r) => r.title);
    this.byId = new Map(this.ids.map((id, i) => [id, i]));

    this.artistById = new Map();
    const artistIds: string[] = [];
    const artistOf = (id: string) => {
      let a = this.artistById.get(id);
      if (a === undefined) {
        a = artistIds.length;
        this.artistById.set(id, a);
        artistIds.push(id);
      }
      return a;
    };
    this.artistPtr = new Int32Array(n + 1);
    const artistIdx: number[] = [];
    const albums = new Map<string, number>();
    this.album = new Int32Array(n).fill(-1);
    this.releaseDay = new Float64Array(n).fill(Number.NaN);
    this.audio = new Float32Array(n * AUDIO_FEATURES.length).fill(Number.NaN);
    this.catalogPopularity = new Float32Array(n).fill(Number.NaN);
    records.forEach((r, i) => {
      for (const a of r.artistIds) artistIdx.push(artistOf(a));
      this.artistPtr[i + 1] = artistIdx.length;
      if (r.album) {
        // Albums are named per artist: two artists' "Greatest Hits" are different albums.
        const key = `${r.artistIds[0] ?? ''}\u0000${r.album}`;
        let album = albums.get(key);
        if (album === undefined) albums.set(key, (album = albums.size));
        this.album[i] = album;
      }
      if (r.releaseDate) {
        const time = Date.parse(r.releaseDate.length === 4 ? `${r.releaseDate}-01-01` : r.releaseDate.length === 7 ? `${r.releaseDate}-01` : r.releaseDate);
        if (Number.isFinite(time)) this.releaseDay[i] = Math.floor(time / DAY_MS);
      }
      if (r.audio) {
        AUDIO_FEATURES.forEach((name, f) => {
          const value = r.audio?.[name];
          if (value !== undefined && Number.isFinite(value)) this.audio[i * AUDIO_FEATURES.length + f] = name === 'tempo' ? value * TEMPO_SCALE : value;
        });
      }
      if (r.popularity !== undefined && Number.isFinite(r.popularity)) this.catalogPopularity[i] = r.popularity;
    });
    this.artistIdx = Int32Array.from(artistIdx);
    this.artistIds = artistIds;
    const released = [...Array(n).keys()].filter((i) => !Number.isNaN(this.releaseDay[i]));
    released.sort((a, b) => this.releaseDay[a] - this.releaseDay[b] || a - b);
    this.byRelease = Int32Array.from(released);

    // Terms: document frequencies, then idf-weighted unit vectors per item.
    this.termById = new Map();
    const terms: string[] = [];
    const itemTerms = records.map((r) => {
      const own = new Set<number>();
      for (const raw of r.terms) {
        const term = raw.trim().toLowerCase();
        if (!term) continue;
        let t = this.termById.get(term);
        if (t === undefined) {
          t = terms.length;
          this.termById.set(term, t);
          terms.push(term);
        }
        own.add(t);
      }
      return [...own].sort((a, b) => a - b);
    });
    this.terms = terms;
    const df = new Int32Array(terms.length);
    for (const own of itemTerms) for (const t of own) df[t]++;
    const idf = Float32Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
    this.termPtr = new Int32Array(n + 1);
    let nnz = 0;
    itemTerms.forEach((own, i) => {
      nnz += own.length;
      this.termPtr[i + 1] = nnz;
    });
    this.termIdx = new Int32Array(nnz);
    this.termWeight = new Float32Array(nnz);
    itemTerms.forEach((own, i) => {
      let norm = 0;
      for (const t of own) norm += idf[t] * idf[t];
      norm = Math.sqrt(norm) || 1;
      own.forEach((t, k) => {
        this.termIdx[this.termPtr[i] + k] = t;
        this.termWeight[this.termPtr[i] + k] = idf[t] / norm;
      });
    });
    this.postPtr = new Int32Array(terms.length + 1);
    for (let t = 0; t < terms.length; t++) this.postPtr[t + 1] = this.postPtr[t] + df[t];
    this.postIdx = new Int32Array(nnz);
    this.postWeight = new Float32Array(nnz);
    const fill = this.postPtr.slice(0, terms.length);
    for (let i = 0; i < n; i++) {
      for (let k = this.termPtr[i]; k < this.termPtr[i + 1]; k++) {
        const at = fill[this.termIdx[k]]++;
        this.postIdx[at] = i;
        this.postWeight[at] = this.termWeight[k];
      }
    }
  }

  static ofTracks(tracks: readonly Track[]): CatalogueIndex {
    return new CatalogueIndex('TRACK', tracks.map((t) => ({
      id: t.id, title: t.title, artistIds: t.artistIds, album: t.album, releaseDate: t.releaseDate,
      terms: [...t.genres, ...t.tags], audio: t.audioFeatures, popularity: t.popularity,
    })));
  }

  static ofArtists(artists: readonly Artist[]): CatalogueIndex {
    return new CatalogueIndex('ARTIST', artists.map((a) => ({
      id: a.id, title: a.name, artistIds: [a.id], terms: [...a.genres, ...a.tags.map((t) => t.tag)],
    })));
  }

  /** The dense number of an item id, or −1 when the snapshot does not have it. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  /** The dense number of an artist id (as used by artistIdx), or −1. */
  artistIndexOf(id: string): number {
    return this.artistById.get(id) ?? -1;
  }

  /** The artist ids of an item id ([] when the snapshot does not have it). */
  artistIdsOf(id: string): readonly string[] {
    const item = this.indexOf(id);
    if (item < 0) return [];
    const out: string[] = [];
    for (let k = this.artistPtr[item]; k < this.artistPtr[item + 1]; k++) out.push(this.artistIds[this.artistIdx[k]]);
    return out;
  }

  termIndexOf(term: string): number {
    return this.termById.get(term.trim().toLowerCase()) ?? -1;
  }

  /**
   * A zeroed accumulator with one cell per item, shared by every request of this process. JS
   * runs one request's synchronous code at a time, so a caller that zeroes the cells it
   * touched before its next `await` leaves it clean for the next caller.
   */
  scratch(): Float32Array {
    this.scratchBuffer ??= new Float32Array(this.size);
    return this.scratchBuffer;
  }
}
