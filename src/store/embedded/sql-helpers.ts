import type Database from 'better-sqlite3';
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

/** Turns `first + 1` fetched rows into a page: the extra row only says there is a next page. */
export function toPage<T>(rows: T[], page: PageRequest, keyOf: (item: T) => string): Page<T> {
  const hasNextPage = rows.length > page.first;
  const items = hasNextPage ? rows.slice(0, page.first) : rows;
  const last = items[items.length - 1];
  return { items, hasNextPage, endKey: last === undefined ? undefined : keyOf(last) };
}

/** Escapes LIKE wildcards so user text is matched literally. */
export function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Splits a `${number}:${id}` keyset cursor; ids may themselves contain colons. */
export function splitNumericKey(key: string): { n: number; id: string } | undefined {
  const at = key.indexOf(':');
  if (at <= 0) return undefined;
  const n = Number(key.slice(0, at));
  return Number.isFinite(n) ? { n, id: key.slice(at + 1) } : undefined;
}
