/**
 * How domain records become documents and back. A document is the record plus `_id` (the
 * record's id, so lookups and uniqueness use the built-in `_id` index) and, for some
 * collections, fields that exist only to query by. Reads project those fields away, so a
 * record comes back exactly as it was given.
 */
import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';

/** A stored record: the record's own fields plus `_id`. */
export type Stored<T> = T & { _id: string };

/** Projection that returns the bare record. */
export const RECORD_ONLY = { _id: 0 } as const;

/** Server error code of a unique index violation. */
export const DUPLICATE_KEY = 11000;

/** Reads records by id with one query and returns them in the order asked. */
export async function getManyById<T extends { id: string }, TSchema extends Document>(
  collection: Collection<TSchema>,
  ids: readonly string[],
  projection: Document = RECORD_ONLY,
): Promise<(T | undefined)[]> {
  if (ids.length === 0) return [];
  const filter = { _id: { $in: [...new Set(ids)] } } as Filter<TSchema>;
  const found = await collection.find<T>(filter, { projection }).toArray();
  const byId = new Map(found.map((record) => [record.id, record]));
  return ids.map((id) => byId.get(id));
}

/**
 * Upserts one document per record. Unordered writes may be applied in any order, so repeated
 * ids are collapsed first: the last record with an id wins, as with sequential upserts.
 */
export async function upsertById<T extends { id: string }, TSchema extends Document>(
  collection: Collection<TSchema>,
  records: readonly T[],
  toDocument: (record: T) => Document = (record) => ({ ...record }),
): Promise<void> {
  if (records.length === 0) return;
  const lastById = new Map(records.map((record) => [record.id, record]));
  await collection.bulkWrite(
    [...lastById.values()].map(
      (record): AnyBulkWriteOperation<TSchema> => ({
        // No _id in the replacement: an upsert takes it from the filter.
        replaceOne: { filter: { _id: record.id } as Filter<TSchema>, replacement: toDocument(record) as TSchema, upsert: true },
      }),
    ),
    { ordered: false },
  );
}

/** Conditions that each word occurs, literally, somewhere in `field`. */
export function containsEvery(field: string, words: readonly string[]): Document[] {
  return words.map((word) => ({ [field]: { $regex: escapeRegex(word) } }));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
