import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Artist, TargetKind, Track } from '../domain/types.js';
import type { RequestContext } from './context.js';
import { ArtistType, TrackType } from './types/catalogue.type.js';
import { TargetKindEnum } from './types/enums.js';
import { ContextInputType } from './types/inputs.js';
import type { ItemDebug } from '../pipeline/index.js';
import type { RecommendedItem } from '../services/recommendation.service.js';
import { RecommendationDebugType } from './types/recommendation-debug.type.js';
import { RecommendationListType, RecommendationType, SimilarListType } from './types/recommendation.type.js';

function ranked(items: readonly RecommendedItem[], offset = 0): RecommendationType[] {
  // A literal of the fields, not a spread: this runs for every item of every request.
  return items.map((item, i) => ({
    rank: offset + i + 1, targetKind: item.targetKind, targetId: item.id, score: item.score, sources: item.sources, explanation: item.explanation,
  }));
}

@Resolver(() => RecommendationType)
export class RecommendationResolver {
  @Query(() => RecommendationListType, {
    description: "Tracks (or artists) for a listener in a context, none they have played. The listener or an admin only.",
  })
  async recommendations(
    @Ctx() ctx: RequestContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('context', () => ContextInputType, { nullable: true }) context?: ContextInputType,
    @Arg('limit', () => Int, { defaultValue: 20 }) limit = 20,
    @Arg('target', () => TargetKindEnum, { defaultValue: 'TRACK' }) target: TargetKind = 'TRACK',
    @Arg('after', () => String, { nullable: true, description: "A previous page's pageInfo.endCursor." }) after?: string,
  ): Promise<RecommendationListType> {
    const list = await ctx.services.recommendations.recommend(ctx.viewer, { userId, context, limit, target, after }, ctx.loaders);
    return { ...list, items: ranked(list.items, list.offset) };
  }

  @Query(() => SimilarListType, { description: 'Tracks whose listeners overlap most with this track\'s (collaborative filtering).' })
  async similarTracks(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('limit', () => Int, { defaultValue: 20 }) limit = 20,
  ): Promise<SimilarListType> {
    const list = await ctx.services.recommendations.similar('TRACK', id, limit, ctx.loaders);
    return { ...list, items: ranked(list.items) };
  }

  @Query(() => SimilarListType, { description: 'Artists whose listeners overlap most with this artist\'s (collaborative filtering).' })
  async similarArtists(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('limit', () => Int, { defaultValue: 20 }) limit = 20,
  ): Promise<SimilarListType> {
    const list = await ctx.services.recommendations.similar('ARTIST', id, limit, ctx.loaders);
    return { ...list, items: ranked(list.items) };
  }

  @FieldResolver(() => TrackType, { nullable: true, description: 'The track, when targetKind is TRACK.' })
  track(@Root() item: RecommendationType, @Ctx() ctx: RequestContext): Promise<Track | null> | null {
    return item.targetKind === 'TRACK' ? ctx.loaders.tracks.load(item.targetId) : null;
  }

  @FieldResolver(() => ArtistType, { nullable: true, description: 'The artist, when targetKind is ARTIST.' })
  artist(@Root() item: RecommendationType, @Ctx() ctx: RequestContext): Promise<Artist | null> | null {
    return item.targetKind === 'ARTIST' ? ctx.loaders.artists.load(item.targetId) : null;
  }
}

@Resolver(() => RecommendationListType)
export class RecommendationListResolver {
  @FieldResolver(() => RecommendationDebugType, {
    nullable: true,
    description: 'How the pipeline treated one item (listed or not): its sources, features, scores and blend decisions. Admins only (FORBIDDEN otherwise).',
  })
  debug(@Root() list: RecommendationListType, @Arg('itemId', () => ID) itemId: string, @Ctx() ctx: RequestContext): ItemDebug {
    return ctx.services.recommendations.debug(ctx.viewer, list, itemId);
  }
}
