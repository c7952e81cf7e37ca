import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Playlist, Track, User } from '../domain/types.js';
import { loadExisting } from '../services/loaders.js';
import type { RequestContext } from './context.js';
import { TrackType } from './types/catalogue.type.js';
import { CreatePlaylistInputType } from './types/inputs.js';
import { PlaylistType } from './types/playlist.type.js';
import { UserType } from './types/user.type.js';
import { requireFound } from './util.js';

const revisionArg = { nullable: true, description: 'The revision you edited; a CONFLICT error when the playlist has changed since.' };

@Resolver(() => PlaylistType)
export class PlaylistResolver {
  @Query(() => PlaylistType, { nullable: true })
  async playlist(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Playlist> {
    return requireFound('Playlist', id, await ctx.loaders.playlists.load(id));
  }

  @FieldResolver(() => UserType)
  async owner(@Root() playlist: Playlist, @Ctx() ctx: RequestContext): Promise<User> {
    return requireFound('User', playlist.ownerId, await ctx.loaders.users.load(playlist.ownerId));
  }

  @FieldResolver(() => [TrackType], { description: 'In playlist order.' })
  tracks(@Root() playlist: Playlist, @Ctx() ctx: RequestContext): Promise<Track[]> {
    return loadExisting(ctx.loaders.tracks, playlist.trackIds);
  }

  @FieldResolver(() => Int)
  trackCount(@Root() playlist: Playlist): number {
    return playlist.trackIds.length;
  }

  @Mutation(() => PlaylistType)
  createPlaylist(@Ctx() ctx: RequestContext, @Arg('input', () => CreatePlaylistInputType) input: CreatePlaylistInputType): Promise<Playlist> {
    return ctx.services.playlists.create(ctx.viewer, input);
  }

  @Mutation(() => PlaylistType, { description: 'Renames; a null description removes it, an absent one keeps it.' })
  renamePlaylist(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('name', () => String) name: string,
    @Arg('description', () => String, { nullable: true }) description?: string | null,
    @Arg('expectedRevision', () => Int, revisionArg) expectedRevision?: number,
  ): Promise<Playlist> {
    return ctx.services.playlists.rename(ctx.viewer, id, name, description, expectedRevision);
  }

  @Mutation(() => PlaylistType, { description: 'Inserts tracks before `position` (at the end when absent).' })
  addTracksToPlaylist(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('trackIds', () => [ID]) trackIds: string[],
    @Arg('position', () => Int, { nullable: true }) position?: number,
    @Arg('expectedRevision', () => Int, revisionArg) expectedRevision?: number,
  ): Promise<Playlist> {
    return ctx.services.playlists.addTracks(ctx.viewer, id, trackIds, position, expectedRevision);
  }

  @Mutation(() => PlaylistType, { description: 'Removes every occurrence of the given tracks.' })
  removeTracksFromPlaylist(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('trackIds', () => [ID]) trackIds: string[],
    @Arg('expectedRevision', () => Int, revisionArg) expectedRevision?: number,
  ): Promise<Playlist> {
    return ctx.services.playlists.removeTracks(ctx.viewer, id, trackIds, expectedRevision);
  }

  @Mutation(() => PlaylistType, { description: 'Moves rangeLength tracks from rangeStart to before the track now at insertBefore.' })
  reorderPlaylist(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('rangeStart', () => Int) rangeStart: number,
    @Arg('insertBefore', () => Int) insertBefore: number,
    @Arg('rangeLength', () => Int, { defaultValue: 1 }) rangeLength: number,
    @Arg('expectedRevision', () => Int, revisionArg) expectedRevision?: number,
  ): Promise<Playlist> {
    return ctx.services.playlists.reorder(ctx.viewer, id, rangeStart, insertBefore, rangeLength, expectedRevision);
  }

  @Mutation(() => Boolean, { description: 'True when the playlist existed and was deleted.' })
  deletePlaylist(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return ctx.services.playlists.delete(ctx.viewer, id);
  }
}
