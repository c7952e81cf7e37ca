import { Field, Float, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';
import type { Artist, AudioFeatures, TagCount, Track } from '../../domain/types.js';
import { connectionOf } from './connection.js';

@ObjectType('TagCount')
export class TagCountType implements TagCount {
  @Field(() => String)
  tag!: string;

  @Field(() => Int, { description: 'How many listeners gave this tag.' })
  count!: number;
}

@ObjectType('Artist')
export class ArtistType implements Omit<Artist, 'source'> {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [String])
  genres!: string[];

  @Field(() => [TagCountType], { description: 'Most used tags first.' })
  tags!: TagCount[];

  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => String, { nullable: true })
  imageUrl?: string;
}

@ObjectType('AudioFeatures', { description: 'Spotify-style audio descriptors; most are 0–1.' })
export class AudioFeaturesType implements AudioFeatures {
  @Field(() => Float, { nullable: true }) danceability?: number;
  @Field(() => Float, { nullable: true }) energy?: number;
  @Field(() => Int, { nullable: true, description: 'Pitch class 0–11, -1 when unknown.' }) key?: number;
  @Field(() => Float, { nullable: true, description: 'Decibels, typically -60 to 0.' }) loudness?: number;
  @Field(() => Int, { nullable: true, description: '1 major, 0 minor.' }) mode?: number;
  @Field(() => Float, { nullable: true }) speechiness?: number;
  @Field(() => Float, { nullable: true }) acousticness?: number;
  @Field(() => Float, { nullable: true }) instrumentalness?: number;
  @Field(() => Float, { nullable: true }) liveness?: number;
  @Field(() => Float, { nullable: true }) valence?: number;
  @Field(() => Float, { nullable: true, description: 'Beats per minute.' }) tempo?: number;
}

@ObjectType('Track')
export class TrackType implements Omit<Track, 'searchText' | 'source' | 'artistIds'> {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  album?: string;

  @Field(() => Int, { nullable: true })
  durationMs?: number;

  @Field(() => String, { nullable: true, description: 'YYYY, YYYY-MM or YYYY-MM-DD, as precise as known.' })
  releaseDate?: string;

  @Field(() => [String])
  genres!: string[];

  @Field(() => [String])
  tags!: string[];

  @Field(() => AudioFeaturesType, { nullable: true })
  audioFeatures?: AudioFeatures;

  @Field(() => Float, { nullable: true, description: 'Popularity 0–100 from the source catalogue, when known.' })
  popularity?: number;
}

export const TrackConnection = connectionOf('Track', TrackType);
export const ArtistConnection = connectionOf('Artist', ArtistType);
