import type { Document } from 'mongodb';
import type { Page, PageRequest } from '../ports.js';

/** Turns `first + 1` fetched records into a page: the extra record only says there is a next page. */
export function toPage<T>(rows: T[], page: PageRequest, keyOf: (item: T) => string): Page<T> {
  const hasNextPage = rows.length > page.first;
  const items = hasNextPage ? rows.slice(0, page.first) : rows;
  const last = items[items.length - 1];
  return { items, hasNextPage, endKey: last === undefined ? undefined : keyOf(last) };
}

/** Condition for records after `after` in `_id` ascending order (no condition on the first page). */
export function afterId(after: string | undefined): Document {
  return after === undefined ? {} : { _id: { $gt: after } };
}

/** Page key for orders on (number desc, id desc); same shape as the embedded store's. */
export function numericKey(n: number, id: string): string {
  return `${n}:${id}`;
}

/**
 * Splits a `${number}:${id}` key at the first colon (ids may contain colons). A malformed key
 * gives undefined, which callers treat as "from the start", as the embedded store does.
 */
export function splitNumericKey(key: string): { n: number; id: string } | undefined {
  const at = key.indexOf(':');
  if (at <= 0) return undefined;
  const n = Number(key.slice(0, at));
  return Number.isFinite(n) ? { n, id: key.slice(at + 1) } : undefined;
}

/**
 * Condition for records after `after` in (`field` desc, `_id` desc) order: a smaller value, or
 * the same value and a smaller id. Keyset paging, so a page costs the same at any depth.
 */
export function afterDescending(field: string, after: string | undefined): Document {
  const key = after ? splitNumericKey(after) : undefined;
  if (key === undefined) return {};
  return { $or: [{ [field]: { $lt: key.n } }, { [field]: key.n, _id: { $lt: key.id } }] };
}
