/**
 * Page keys, shared by both stores so that a key one store issues means the same in the other:
 * records in id order page by their id; records newest first page by `${number}:${id}` (the
 * sort value, then the id that breaks ties).
 */
import { InvalidInputError } from '../domain/errors.js';
import type { Page, PageRequest } from './ports.js';

/** Turns `first + 1` fetched records into a page: the extra record only says there is a next page. */
export function toPage<T>(rows: T[], page: PageRequest, keyOf: (item: T) => string): Page<T> {
  const hasNextPage = rows.length > page.first;
  const items = hasNextPage ? rows.slice(0, page.first) : rows;
  const last = items[items.length - 1];
  return { items, hasNextPage, endKey: last === undefined ? undefined : keyOf(last) };
}

/** Page key for orders on (number desc, id desc). */
export function numericKey(n: number, id: string): string {
  return `${n}:${id}`;
}

/**
 * Splits a `${number}:${id}` key at the first colon (ids may contain colons). A key of another
 * shape (a cursor from another list, say) is bad input, not "from the start": going back to the
 * first page would send a client that pages until the end round in a loop.
 */
export function parseNumericKey(key: string): { n: number; id: string } {
  const at = key.indexOf(':');
  const n = at > 0 ? Number(key.slice(0, at)) : NaN;
  if (!Number.isFinite(n)) throw new InvalidInputError(`"after" is not a cursor of this list: pass a pageInfo.endCursor or edge cursor of the same connection`);
  return { n, id: key.slice(at + 1) };
}
