/**
 * Cursor pagination shared by every connection. Cursors are opaque to clients (base64url of
 * the store's page key), so the store may change how it pages without breaking them.
 */
import { InvalidInputError } from '../domain/errors.js';
import type { Page, PageRequest } from '../store/ports.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string };
}

export const DEFAULT_PAGE_SIZE = 20;

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0 || encodeCursor(key) !== cursor) {
    throw new InvalidInputError(`"after" is not a cursor this API issued: pass a pageInfo.endCursor or edge cursor unchanged`);
  }
  return key;
}

export function toPageRequest(args: PageArgs, maxPageSize: number): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw new InvalidInputError(`"first" must be from 1 to ${maxPageSize}, got ${first}`);
  }
  return { first, after: args.after ? decodeCursor(args.after) : undefined };
}

/** Builds a connection; `keyOf` must give the same key the store uses to page. */
export function toConnection<T>(page: Page<T>, keyOf: (item: T) => string): Connection<T> {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endKey === undefined ? undefined : encodeCursor(page.endKey) },
  };
}
