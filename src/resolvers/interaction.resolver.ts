import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Artist, Interaction, Track } from '../domain/types.js';
import type { RequestContext } from './context.js';
import { ArtistType, TrackType } from './types/catalogue.type.js';
import { InteractionInputType } from './types/inputs.js';
import { InteractionObjectType } from './types/interaction.type.js';
import { RecordInteractionsPayload } from './types/payloads.js';

@Resolver(() => InteractionObjectType)
export class InteractionResolver {
  @Mutation(() => RecordInteractionsPayload, {
    description:
      'Stores a batch of events, idempotent by eventId. The batch is all-or-nothing: one invalid event rejects it with BAD_USER_INPUT (or NOT_FOUND for unknown tracks/artists) and stores nothing.',
  })
  async recordInteractions(
    @Ctx() ctx: RequestContext,
    @Arg('events', () => [InteractionInputType]) events: InteractionInputType[],
  ): Promise<RecordInteractionsPayload> {
    const result = await ctx.services.ingestion.record(ctx.viewer, events);
    return {
      accepted: result.accepted.length,
      duplicates: result.duplicates.length,
      acceptedEventIds: result.accepted,
      duplicateEventIds: result.duplicates,
    };
  }

  @FieldResolver(() => TrackType, { nullable: true, description: 'The track, for TRACK events.' })
  track(@Root() event: Interaction, @Ctx() ctx: RequestContext): Promise<Track | null> | null {
    return event.targetKind === 'TRACK' ? ctx.loaders.tracks.load(event.targetId) : null;
  }

  @FieldResolver(() => ArtistType, { nullable: true, description: 'The artist, for ARTIST events.' })
  artist(@Root() event: Interaction, @Ctx() ctx: RequestContext): Promise<Artist | null> | null {
    return event.targetKind === 'ARTIST' ? ctx.loaders.artists.load(event.targetId) : null;
  }
}
