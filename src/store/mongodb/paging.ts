import type { Document } from 'mongodb';
import { parseNumericKey } from '../page-keys.js';

export { numericKey, toPage } from '../page-keys.js';

/** Condition for records after `after` in `_id` ascending order (no condition on the first page). */
export function afterId(after: string | undefined): Document {
  return after === undefined ? {} : { _id: { $gt: after } };
}

/**
 * Condition for records after `after` in (`field` desc, `_id` desc) order: a smaller value, or
 * the same value and a smaller id. Keyset paging, so a page costs the same at any depth.
 */
export function afterDescending(field: string, after: string | undefined): Document {
  if (after === undefined) return {};
  const key = parseNumericKey(after);
  return { $or: [{ [field]: { $lt: key.n } }, { [field]: key.n, _id: { $lt: key.id } }] };
}
