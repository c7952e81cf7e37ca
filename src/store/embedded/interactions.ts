import type Database from 'better-sqlite3';
import type { Interaction, TargetKind } from '../../domain/types.js';
import type { AppendResult, InteractionChangeFeed, InteractionRepository, Page, PageRequest } from '../ports.js';
import { SqliteInteractionChanges } from './interaction-changes.js';
import { numericKey } from '../page-keys.js';
import { type NewestFirst, countRows, pageNewestFirst } from './sql-helpers.js';

const BY_USER_NEWEST: NewestFirst = { table: 'interactions', ownerColumn: 'user_id', timeColumn: 'ts', idColumn: 'event_id' };

export class SqliteInteractions implements InteractionRepository {
  readonly changes: InteractionChangeFeed;

  constructor(private readonly db: Database.Database) {
    this.changes = new SqliteInteractionChanges(db);
  }

  async append(events: readonly Interaction[]): Promise<AppendResult> {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO interactions (event_id, user_id, target_kind, ts, doc) VALUES (?, ?, ?, ?, ?)',
    );
    const result: AppendResult = { inserted: [], duplicates: [] };
    // One transaction: a failure part-way rolls the whole batch back.
    this.db.transaction(() => {
      for (const event of events) {
        const { changes } = insert.run(event.eventId, event.userId, event.targetKind, event.context.timestamp, JSON.stringify(event));
        (changes > 0 ? result.inserted : result.duplicates).push(event.eventId);
      }
    })();
    return result;
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<Interaction>> {
    return pageNewestFirst<Interaction>(this.db, BY_USER_NEWEST, userId, page, (e) => numericKey(e.context.timestamp, e.eventId));
  }

  async allOfUser(userId: string, kind?: TargetKind): Promise<Interaction[]> {
    const rows = (
      kind
        ? this.db
            .prepare('SELECT doc FROM interactions WHERE user_id = ? AND target_kind = ? ORDER BY ts, event_id')
            .all(userId, kind)
        : this.db.prepare('SELECT doc FROM interactions WHERE user_id = ? ORDER BY ts, event_id').all(userId)
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Interaction);
  }

  async *scan(batchSize = 10_000): AsyncIterable<Interaction[]> {
    const next = this.db.prepare('SELECT seq, doc FROM interactions WHERE seq > ? ORDER BY seq LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = next.all(after, batchSize) as { seq: number; doc: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].seq;
      yield rows.map((r) => JSON.parse(r.doc) as Interaction);
      if (rows.length < batchSize) return;
    }
  }

  async count(): Promise<number> {
    return countRows(this.db, 'interactions');
  }
}
