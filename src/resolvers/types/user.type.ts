import { Field, ID } from 'type-graphql';
import { ObjectType } from './object-type.js';
import type { User } from '../../domain/types.js';
import { connectionOf } from './connection.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('User')
export class UserType implements Omit<User, 'friendIds'> {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2.' })
  country?: string;

  @Field(() => String, { nullable: true, description: 'IANA time zone; recommendations use it when a request gives none.' })
  timezone?: string;

  @Field(() => String, { description: 'Where the account came from: demo, lastfm-2k, spotify-history or api.' })
  source!: string;

  @Field(() => DateTimeScalar)
  createdAt!: number;
}

export const UserConnection = connectionOf('User', UserType);
