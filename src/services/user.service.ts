import { NotFoundError } from '../domain/errors.js';
import type { Interaction, User } from '../domain/types.js';
import type { Store } from '../store/ports.js';
import { assertAdmin, assertCanActFor, type Viewer } from './access.js';
import { type Connection, type PageArgs, toConnection, toPageRequest } from './paging.js';

export class UserService {
  constructor(private readonly store: Store, private readonly maxPageSize: number) {}

  async list(viewer: Viewer, args: PageArgs): Promise<Connection<User>> {
    assertAdmin(viewer, 'users');
    const page = await this.store.users.list(toPageRequest(args, this.maxPageSize));
    return toConnection(page, (u) => u.id);
  }

  /** A listener's events, newest first: visible to the listener and to admins. */
  async history(viewer: Viewer, userId: string, args: PageArgs): Promise<Connection<Interaction>> {
    assertCanActFor(viewer, userId);
    const request = toPageRequest(args, this.maxPageSize);
    const page = await this.store.interactions.listByUser(userId, request);
    return toConnection(page, (e) => `${e.context.timestamp}:${e.eventId}`);
  }

  async require(id: string): Promise<User> {
    const [user] = await this.store.users.getMany([id]);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }
}
