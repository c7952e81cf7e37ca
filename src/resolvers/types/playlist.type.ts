import { Field, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';
import type { Playlist, PlaylistKind } from '../../domain/types.js';
import { connectionOf } from './connection.js';
import { PlaylistKindEnum } from './enums.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('Playlist')
export class PlaylistType implements Omit<Playlist, 'ownerId' | 'trackIds'> {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => PlaylistKindEnum)
  kind!: PlaylistKind;

  @Field(() => Int, { description: 'Increases with every change; send it back as expectedRevision to edit safely.' })
  revision!: number;

  @Field(() => DateTimeScalar)
  createdAt!: number;

  @Field(() => DateTimeScalar)
  updatedAt!: number;
}

export const PlaylistConnection = connectionOf('Playlist', PlaylistType);
