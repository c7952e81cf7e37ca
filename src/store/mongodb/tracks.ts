import type { Collection, Document } from 'mongodb';
import type { Track } from '../../domain/types.js';
import { searchWords } from '../../lib/text.js';
import type { Page, PageRequest, TrackQuery, TrackRepository } from '../ports.js';
import { containsEvery, getManyById, RECORD_ONLY, type Stored, upsertById } from './documents.js';
import { afterId, toPage } from './paging.js';

export class MongoTracks implements TrackRepository {
  constructor(private readonly tracks: Collection<Stored<Track>>) {}

  getMany(ids: readonly string[]): Promise<(Track | undefined)[]> {
    return getManyById<Track, Stored<Track>>(this.tracks, ids);
  }

  count(): Promise<number> {
    return this.tracks.countDocuments({});
  }

  upsertMany(tracks: readonly Track[]): Promise<void> {
    return upsertById(this.tracks, tracks);
  }

  async list(query: TrackQuery, page: PageRequest): Promise<Page<Track>> {
    const rows = await this.tracks
      .find<Track>(
        { $and: [afterId(page.after), ...trackConditions(query)] },
        { projection: RECORD_ONLY, sort: { _id: 1 }, limit: page.first + 1 },
      )
      .toArray();
    return toPage(rows, page, (track) => track.id);
  }
}

function trackConditions(query: TrackQuery): Document[] {
  const conditions = containsEvery('searchText', query.text ? searchWords(query.text) : []);
  // Equality on an array field matches when the array holds the value.
  if (query.genre !== undefined) conditions.push({ genres: query.genre });
  if (query.artistId !== undefined) conditions.push({ artistIds: query.artistId });
  const released: Document = {};
  if (query.releasedFrom !== undefined) released.$gte = query.releasedFrom;
  // "2019" as an upper bound keeps every date within 2019, as in the embedded store.
  if (query.releasedTo !== undefined) released.$lte = `${query.releasedTo}\uffff`;
  // A range on strings only matches strings, so tracks without a releaseDate drop out.
  if (Object.keys(released).length > 0) conditions.push({ releaseDate: released });
  return conditions;
}
