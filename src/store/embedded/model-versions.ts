import type Database from 'better-sqlite3';
import { NotFoundError } from '../../domain/errors.js';
import type { ModelVersion } from '../../domain/types.js';
import type { ModelVersionRepository } from '../ports.js';

export class SqliteModelVersions implements ModelVersionRepository {
  constructor(private readonly db: Database.Database) {}

  async insert(version: ModelVersion): Promise<void> {
    this.db
      .prepare('INSERT INTO model_versions (id, model, created_at, active, doc) VALUES (?, ?, ?, ?, ?)')
      .run(version.id, version.model, version.createdAt, version.active ? 1 : 0, JSON.stringify(version));
  }

  async list(model: string): Promise<ModelVersion[]> {
    const rows = this.db
      .prepare('SELECT doc, active FROM model_versions WHERE model = ? ORDER BY created_at DESC, id DESC')
      .all(model) as { doc: string; active: number }[];
    return rows.map(fromRow);
  }

  async get(id: string): Promise<ModelVersion | undefined> {
    const row = this.db.prepare('SELECT doc, active FROM model_versions WHERE id = ?').get(id) as
      | { doc: string; active: number }
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  async activate(id: string): Promise<void> {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT model FROM model_versions WHERE id = ?').get(id) as { model: string } | undefined;
      if (!row) throw new NotFoundError('ModelVersion', id);
      this.db.prepare('UPDATE model_versions SET active = (id = ?) WHERE model = ?').run(id, row.model);
    })();
  }

  async active(model: string): Promise<ModelVersion | undefined> {
    const row = this.db
      .prepare('SELECT doc, active FROM model_versions WHERE model = ? AND active = 1')
      .get(model) as { doc: string; active: number } | undefined;
    return row ? fromRow(row) : undefined;
  }
}

/** The active flag lives in its own column (it changes without rewriting the record). */
function fromRow(row: { doc: string; active: number }): ModelVersion {
  return { ...(JSON.parse(row.doc) as ModelVersion), active: row.active === 1 };
}
