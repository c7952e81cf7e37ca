import type { Collection } from 'mongodb';
import type { User } from '../../domain/types.js';
import type { Page, PageRequest, UserRepository } from '../ports.js';
import { getManyById, RECORD_ONLY, type Stored, upsertById } from './documents.js';
import { afterId, toPage } from './paging.js';

export class MongoUsers implements UserRepository {
  constructor(private readonly users: Collection<Stored<User>>) {}

  getMany(ids: readonly string[]): Promise<(User | undefined)[]> {
    return getManyById<User, Stored<User>>(this.users, ids);
  }

  count(): Promise<number> {
    return this.users.countDocuments({});
  }

  upsertMany(users: readonly User[]): Promise<void> {
    return upsertById(this.users, users);
  }

  async list(page: PageRequest): Promise<Page<User>> {
    const rows = await this.users
      .find<User>(afterId(page.after), { projection: RECORD_ONLY, sort: { _id: 1 }, limit: page.first + 1 })
      .toArray();
    return toPage(rows, page, (user) => user.id);
  }
}
