import type Database from 'better-sqlite3';
import { parseNumericKey, toPage } from '../page-keys.js';
import type { Page, PageRequest } from '../ports.js';

/**
 * Reads records by id in one statement (ids travel as one JSON array parameter, so there is
 * no limit on their number) and returns them in the order asked.
 */
export function getManyById<T>(db: Database.Database, table: string, ids: readonly string[]): (T | undefined)[] {
  if (ids.length === 0) return [];
  const rows = byIdStatement(db, table).all(JSON.stringify(ids)) as { id: string; doc: string }[];
  const byId = new Map(rows.map((row) => [row.id, JSON.parse(row.doc) as T]));
  return ids.map((id) => byId.get(id));
}

const byIdStatements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The by-id statement of a table, prepared once per connection (preparing it took longer than running it). */
function byIdStatement(db: Database.Database, table: string): Database.Statement {
  let statements = byIdStatements.get(db);
  if (!statements) byIdStatements.set(db, (statements = new Map()));
  let statement = statements.get(table);
  if (!statement) {
    statement = db.prepare(`SELECT id, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`);
    statements.set(table, statement);
  }
  return statement;
}

export function countRows(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Escapes LIKE wildcards so user text is matched literally. */
export function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Where a newest-first listing reads: `table`'s rows of one owner, by (time desc, id desc). */
export interface NewestFirst {
  table: string;
  ownerColumn: string;
  timeColumn: string;
  idColumn: string;
}

/**
 * One page of an owner's rows newest first, keyset-paged on (time, id) so that a page costs
 * the same at any depth. The names in `on` are the store's own constants, never user input.
 */
export function pageNewestFirst<T>(db: Database.Database, on: NewestFirst, owner: string, page: PageRequest, keyOf: (item: T) => string): Page<T> {
  const { table, ownerColumn: o, timeColumn: t, idColumn: id } = on;
  const after = page.after === undefined ? undefined : parseNumericKey(page.after);
  const rows = (
    after
      ? db
          .prepare(`SELECT doc FROM ${table} WHERE ${o} = ? AND (${t} < ? OR (${t} = ? AND ${id} < ?)) ORDER BY ${t} DESC, ${id} DESC LIMIT ?`)
          .all(owner, after.n, after.n, after.id, page.first + 1)
      : db.prepare(`SELECT doc FROM ${table} WHERE ${o} = ? ORDER BY ${t} DESC, ${id} DESC LIMIT ?`).all(owner, page.first + 1)
  ) as { doc: string }[];
  return toPage(
    rows.map((r) => JSON.parse(r.doc) as T),
    page,
    keyOf,
  );
}
