import type { Collection } from 'mongodb';
import type { Artist } from '../../domain/types.js';
import { foldText, searchWords } from '../../lib/text.js';
import type { ArtistRepository, Page, PageRequest } from '../ports.js';
import { containsEvery, getManyById, type Stored, upsertById } from './documents.js';
import { afterId, toPage } from './paging.js';

/** `searchText` (the folded name) is stored only to search by; reads leave it out. */
export type ArtistDocument = Stored<Artist> & { searchText: string };

const ARTIST_ONLY = { _id: 0, searchText: 0 } as const;

export class MongoArtists implements ArtistRepository {
  constructor(private readonly artists: Collection<ArtistDocument>) {}

  getMany(ids: readonly string[]): Promise<(Artist | undefined)[]> {
    return getManyById<Artist, ArtistDocument>(this.artists, ids, ARTIST_ONLY);
  }

  count(): Promise<number> {
    return this.artists.countDocuments({});
  }

  upsertMany(artists: readonly Artist[]): Promise<void> {
    return upsertById(this.artists, artists, (artist) => ({ ...artist, searchText: foldText(artist.name) }));
  }

  async list(query: { text?: string }, page: PageRequest): Promise<Page<Artist>> {
    const conditions = [afterId(page.after), ...containsEvery('searchText', query.text ? searchWords(query.text) : [])];
    const rows = await this.artists
      .find<Artist>({ $and: conditions }, { projection: ARTIST_ONLY, sort: { _id: 1 }, limit: page.first + 1 })
      .toArray();
    return toPage(rows, page, (artist) => artist.id);
  }
}
