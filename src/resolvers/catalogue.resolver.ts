import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Artist, Track } from '../domain/types.js';
import { loadExisting } from '../services/loaders.js';
import type { Connection } from '../services/paging.js';
import type { RequestContext } from './context.js';
import { ArtistConnection, ArtistType, TrackConnection, TrackType } from './types/catalogue.type.js';
import { ArtistInputType, TrackFilterInput, TrackInputType } from './types/inputs.js';
import { UpsertPayload } from './types/payloads.js';
import { requireFound } from './util.js';

@Resolver(() => TrackType)
export class TrackResolver {
  @Query(() => TrackType, { nullable: true })
  async track(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Track> {
    return requireFound('Track', id, await ctx.loaders.tracks.load(id));
  }

  @Query(() => TrackConnection, { description: 'Tracks whose title, album or artist contain every word of `search`, and that match `filter`, by id.' })
  tracks(
    @Ctx() ctx: RequestContext,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('filter', () => TrackFilterInput, { nullable: true }) filter?: TrackFilterInput,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<Track>> {
    return ctx.services.catalogue.searchTracks(search, filter, { first, after });
  }

  @FieldResolver(() => [ArtistType])
  artists(@Root() track: Track, @Ctx() ctx: RequestContext): Promise<Artist[]> {
    return loadExisting(ctx.loaders.artists, track.artistIds);
  }

  @Mutation(() => UpsertPayload, { description: 'Creates or replaces tracks. Admin only; at most 1,000 per call.' })
  async upsertTracks(@Ctx() ctx: RequestContext, @Arg('tracks', () => [TrackInputType]) tracks: TrackInputType[]): Promise<UpsertPayload> {
    const stored = await ctx.services.catalogue.upsertTracks(ctx.viewer, tracks);
    return { upserted: stored.length, ids: stored.map((t) => t.id) };
  }
}

@Resolver(() => ArtistType)
export class ArtistResolver {
  @Query(() => ArtistType, { nullable: true })
  async artist(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Artist> {
    return requireFound('Artist', id, await ctx.loaders.artists.load(id));
  }

  @Query(() => ArtistConnection, { description: 'Artists whose name contains every word of `search`, by id.' })
  artists(
    @Ctx() ctx: RequestContext,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<Artist>> {
    return ctx.services.catalogue.searchArtists(search, { first, after });
  }

  @FieldResolver(() => TrackConnection)
  tracks(
    @Root() artist: Artist,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<Track>> {
    return ctx.services.catalogue.tracksOfArtist(artist.id, { first, after });
  }

  @Mutation(() => UpsertPayload, { description: 'Creates or replaces artists. Admin only; at most 1,000 per call.' })
  async upsertArtists(@Ctx() ctx: RequestContext, @Arg('artists', () => [ArtistInputType]) artists: ArtistInputType[]): Promise<UpsertPayload> {
    const stored = await ctx.services.catalogue.upsertArtists(ctx.viewer, artists);
    return { upserted: stored.length, ids: stored.map((a) => a.id) };
  }
}
