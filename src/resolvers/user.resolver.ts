import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Interaction, Playlist, User } from '../domain/types.js';
import { loadExisting } from '../services/loaders.js';
import type { Connection } from '../services/paging.js';
import type { RequestContext } from './context.js';
import { InteractionConnection } from './types/interaction.type.js';
import { PlaylistConnection } from './types/playlist.type.js';
import { UserConnection, UserType } from './types/user.type.js';
import { requireFound } from './util.js';

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { nullable: true, description: 'The listener named by the x-user-id header; null when there is none.' })
  async me(@Ctx() ctx: RequestContext): Promise<User | null> {
    return ctx.viewer.userId ? ctx.loaders.users.load(ctx.viewer.userId) : null;
  }

  @Query(() => UserConnection, { description: 'Every user, by id. Admin only.' })
  users(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<User>> {
    return ctx.services.users.list(ctx.viewer, { first, after });
  }

  @Query(() => UserType, { nullable: true })
  async user(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<User | null> {
    return requireFound('User', id, await ctx.loaders.users.load(id));
  }

  @FieldResolver(() => [UserType])
  friends(@Root() user: User, @Ctx() ctx: RequestContext): Promise<User[]> {
    return loadExisting(ctx.loaders.users, user.friendIds);
  }

  @FieldResolver(() => InteractionConnection, { description: "The listener's events, newest first. The listener or an admin only." })
  history(
    @Root() user: User,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<Interaction>> {
    return ctx.services.users.history(ctx.viewer, user.id, { first, after });
  }

  @FieldResolver(() => PlaylistConnection, { description: 'Newest first.' })
  playlists(
    @Root() user: User,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<Playlist>> {
    return ctx.services.playlists.byOwner(ctx.viewer, user.id, { first, after });
  }
}
