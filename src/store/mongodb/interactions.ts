import { type Collection, MongoBulkWriteError } from 'mongodb';
import type { Interaction, TargetKind } from '../../domain/types.js';
import type { AppendResult, InteractionRepository, Page, PageRequest } from '../ports.js';
import { DUPLICATE_KEY, RECORD_ONLY, type Stored } from './documents.js';
import { afterDescending, afterId, numericKey, toPage } from './paging.js';

export class MongoInteractions implements InteractionRepository {
  constructor(private readonly events: Collection<Stored<Interaction>>) {}

  async append(events: readonly Interaction[]): Promise<AppendResult> {
    // Repeats within the batch are settled here, so the first occurrence wins whatever order
    // the server applies unordered inserts in.
    const firstOccurrences = new Map<string, Stored<Interaction>>();
    for (const event of events) {
      if (!firstOccurrences.has(event.eventId)) firstOccurrences.set(event.eventId, { _id: event.eventId, ...event });
    }
    const alreadyStored = await this.insertNew([...firstOccurrences.values()]);
    const result: AppendResult = { inserted: [], duplicates: [] };
    const seen = new Set<string>();
    for (const { eventId } of events) {
      const isNew = !seen.has(eventId) && !alreadyStored.has(eventId);
      seen.add(eventId);
      (isNew ? result.inserted : result.duplicates).push(eventId);
    }
    return result;
  }

  /**
   * Inserts the documents and returns the ids that were already stored. Unordered, so one
   * duplicate does not stop the rest; majority write concern, so an acknowledged event survives
   * a failover (clients do not resend what was acknowledged).
   */
  private async insertNew(documents: Stored<Interaction>[]): Promise<Set<string>> {
    if (documents.length === 0) return new Set();
    try {
      await this.events.insertMany(documents, { ordered: false, writeConcern: { w: 'majority' } });
      return new Set();
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      // Only "every failure is a duplicate id, and the rest is durable" is a success.
      const onlyDuplicates =
        writeErrors.length > 0 &&
        writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY) &&
        error.result?.getWriteConcernError() === undefined;
      if (!onlyDuplicates) throw error;
      return new Set(writeErrors.map((writeError) => documents[writeError.index]._id));
    }
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<Interaction>> {
    const rows = await this.events
      .find<Interaction>(
        { userId, ...afterDescending('context.timestamp', page.after) },
        { projection: RECORD_ONLY, sort: { 'context.timestamp': -1, _id: -1 }, limit: page.first + 1 },
      )
      .toArray();
    return toPage(rows, page, (event) => numericKey(event.context.timestamp, event.eventId));
  }

  allOfUser(userId: string, kind?: TargetKind): Promise<Interaction[]> {
    return this.events
      .find<Interaction>(kind === undefined ? { userId } : { userId, targetKind: kind }, {
        projection: RECORD_ONLY,
        sort: { 'context.timestamp': 1, _id: 1 },
      })
      .toArray();
  }

  /**
   * Batches in eventId order, one query per batch from the last id seen: a training job may
   * take longer over a batch than the server keeps an idle cursor open.
   */
  async *scan(batchSize = 10_000): AsyncIterable<Interaction[]> {
    // limit(0) means "no limit" to MongoDB; refuse it rather than return everything at once.
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    let after: string | undefined;
    for (;;) {
      const batch = await this.events
        .find<Interaction>(afterId(after), { projection: RECORD_ONLY, sort: { _id: 1 }, limit: batchSize })
        .toArray();
      if (batch.length === 0) return;
      after = batch[batch.length - 1].eventId;
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  count(): Promise<number> {
    return this.events.countDocuments({});
  }
}
