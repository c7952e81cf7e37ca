import type { Collection } from 'mongodb';
import { NotFoundError } from '../../domain/errors.js';
import type { ModelVersion } from '../../domain/types.js';
import type { ModelVersionRepository } from '../ports.js';
import type { Stored } from './documents.js';

/** `activatedAt` (server time of the last activation) orders competing activations; reads leave it out. */
export type ModelVersionDocument = Stored<ModelVersion> & { activatedAt?: Date };

const VERSION_ONLY = { _id: 0, activatedAt: 0 } as const;
const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

export class MongoModelVersions implements ModelVersionRepository {
  constructor(private readonly versions: Collection<ModelVersionDocument>) {}

  async insert(version: ModelVersion): Promise<void> {
    await this.versions.insertOne({ _id: version.id, ...version });
  }

  list(model: string): Promise<ModelVersion[]> {
    return this.versions.find<ModelVersion>({ model }, { projection: VERSION_ONLY, sort: NEWEST_FIRST }).toArray();
  }

  async get(id: string): Promise<ModelVersion | undefined> {
    return (await this.versions.findOne<ModelVersion>({ _id: id }, { projection: VERSION_ONLY })) ?? undefined;
  }

  /**
   * Two writes, not a transaction (those need a replica set). This version is marked active
   * first, so a reader never finds none active; for the moment until the second write, `active()`
   * picks the latest activation. The second write only deactivates versions activated before
   * this one (ties broken by id), so two concurrent activations still leave exactly one active.
   */
  async activate(id: string): Promise<void> {
    const activated = await this.versions.findOneAndUpdate(
      { _id: id },
      { $set: { active: true }, $currentDate: { activatedAt: true } },
      { returnDocument: 'after', projection: { model: 1, activatedAt: 1 } },
    );
    if (!activated) throw new NotFoundError('ModelVersion', id);
    const at = activated.activatedAt;
    await this.versions.updateMany(
      {
        model: activated.model,
        active: true,
        _id: { $ne: id },
        $or: [{ activatedAt: { $exists: false } }, { activatedAt: { $lt: at } }, { activatedAt: at, _id: { $lt: id } }],
      },
      { $set: { active: false } },
    );
  }

  async active(model: string): Promise<ModelVersion | undefined> {
    const version = await this.versions.findOne<ModelVersion>(
      { model, active: true },
      { projection: VERSION_ONLY, sort: { activatedAt: -1, _id: -1 } },
    );
    return version ?? undefined;
  }
}
