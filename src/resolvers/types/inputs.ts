/**
 * Input types. Their shapes mirror the service inputs; limits and cross-field rules are
 * checked in the services, so they hold for every caller, not only GraphQL.
 */
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import type { Activity, Device, InteractionType, PlaylistKind, Weather } from '../../domain/types.js';
import type { ArtistInput, TrackFilter, TrackInput } from '../../services/catalogue.service.js';
import type { ContextInput, InteractionInput } from '../../services/ingestion.service.js';
import type { CreatePlaylistInput } from '../../services/playlist.service.js';
import { ActivityEnum, DeviceEnum, InteractionTypeEnum, PlaylistKindEnum, WeatherEnum } from './enums.js';
import { DateTimeScalar } from './scalars.js';

@InputType('LocationInput')
export class LocationInput {
  @Field(() => String, { description: 'ISO 3166-1 alpha-2, upper case (e.g. "SE").' }) country!: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
}

@InputType('ContextInput', { description: 'Where and how the listener is listening. Every field is optional.' })
export class ContextInputType implements ContextInput {
  @Field(() => DateTimeScalar, { nullable: true, description: "The moment; the server's clock when absent." })
  timestamp?: number | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. "Europe/Stockholm"; the user\'s own when absent.' })
  timezone?: string | null;

  @Field(() => DeviceEnum, { nullable: true }) device?: Device | null;
  @Field(() => LocationInput, { nullable: true }) location?: LocationInput | null;
  @Field(() => WeatherEnum, { nullable: true }) weather?: Weather | null;
  @Field(() => ActivityEnum, { nullable: true }) activity?: Activity | null;
}

@InputType('InteractionInput')
export class InteractionInputType implements InteractionInput {
  @Field(() => ID, { description: 'Chosen by the client, unique per event: resending an event with the same id stores it once.' })
  eventId!: string;

  @Field(() => ID) userId!: string;
  @Field(() => ID, { nullable: true, description: 'Exactly one of trackId and artistId.' }) trackId?: string | null;
  @Field(() => ID, { nullable: true }) artistId?: string | null;
  @Field(() => InteractionTypeEnum) type!: InteractionType;
  @Field(() => Int, { nullable: true }) msPlayed?: number | null;
  @Field(() => Int, { nullable: true, description: 'Plays this event stands for; 1 when absent.' }) count?: number | null;
  @Field(() => String, { nullable: true, description: 'The tag, for TAG events only.' }) tag?: string | null;
  @Field(() => ContextInputType, { nullable: true }) context?: ContextInputType | null;
}

@InputType('TrackFilter')
export class TrackFilterInput implements TrackFilter {
  @Field(() => String, { nullable: true }) genre?: string | null;
  @Field(() => ID, { nullable: true }) artistId?: string | null;
  @Field(() => String, { nullable: true, description: 'Inclusive: YYYY, YYYY-MM or YYYY-MM-DD.' }) releasedFrom?: string | null;
  @Field(() => String, { nullable: true, description: 'Inclusive: "2019" keeps everything released in 2019.' }) releasedTo?: string | null;
}

@InputType('AudioFeaturesInput')
export class AudioFeaturesInput {
  @Field(() => Float, { nullable: true }) danceability?: number;
  @Field(() => Float, { nullable: true }) energy?: number;
  @Field(() => Int, { nullable: true }) key?: number;
  @Field(() => Float, { nullable: true }) loudness?: number;
  @Field(() => Int, { nullable: true }) mode?: number;
  @Field(() => Float, { nullable: true }) speechiness?: number;
  @Field(() => Float, { nullable: true }) acousticness?: number;
  @Field(() => Float, { nullable: true }) instrumentalness?: number;
  @Field(() => Float, { nullable: true }) liveness?: number;
  @Field(() => Float, { nullable: true }) valence?: number;
  @Field(() => Float, { nullable: true }) tempo?: number;
}

@InputType('TrackInput')
export class TrackInputType implements TrackInput {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => [ID], { description: 'Artists must exist (upsert them first).' }) artistIds!: string[];
  @Field(() => String, { nullable: true }) album?: string | null;
  @Field(() => Int, { nullable: true }) durationMs?: number | null;
  @Field(() => String, { nullable: true }) releaseDate?: string | null;
  @Field(() => [String], { nullable: true }) genres?: string[] | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => AudioFeaturesInput, { nullable: true }) audioFeatures?: AudioFeaturesInput | null;
  @Field(() => Float, { nullable: true }) popularity?: number | null;
}

@InputType('ArtistInput')
export class ArtistInputType implements ArtistInput {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [String], { nullable: true }) genres?: string[] | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
}

@InputType('CreatePlaylistInput')
export class CreatePlaylistInputType implements CreatePlaylistInput {
  @Field(() => ID) ownerId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => PlaylistKindEnum, { nullable: true, description: 'USER when absent.' }) kind?: PlaylistKind | null;
  @Field(() => [ID], { nullable: true }) trackIds?: string[] | null;
}
