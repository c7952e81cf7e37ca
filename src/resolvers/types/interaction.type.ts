import { Field, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';
import type {
  Activity, CoarseLocation, Device, Interaction, InteractionType, ListeningContext, TargetKind, Weather,
} from '../../domain/types.js';
import { connectionOf } from './connection.js';
import { ActivityEnum, DeviceEnum, InteractionTypeEnum, TargetKindEnum, WeatherEnum } from './enums.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('Location', { description: 'Coarse location: country, optionally region and city. Never coordinates.' })
export class LocationType implements CoarseLocation {
  @Field(() => String) country!: string;
  @Field(() => String, { nullable: true }) region?: string;
  @Field(() => String, { nullable: true }) city?: string;
}

@ObjectType('ListeningContext')
export class ListeningContextType implements ListeningContext {
  @Field(() => DateTimeScalar) timestamp!: number;
  @Field(() => String, { nullable: true }) timezone?: string;
  @Field(() => DeviceEnum, { nullable: true }) device?: Device;
  @Field(() => LocationType, { nullable: true }) location?: CoarseLocation;
  @Field(() => WeatherEnum, { nullable: true }) weather?: Weather;
  @Field(() => ActivityEnum, { nullable: true }) activity?: Activity;
}

@ObjectType('Interaction', { description: 'One thing a listener did with a track or an artist.' })
export class InteractionObjectType implements Omit<Interaction, 'userId'> {
  @Field(() => ID) eventId!: string;
  @Field(() => InteractionTypeEnum) type!: InteractionType;
  @Field(() => TargetKindEnum) targetKind!: TargetKind;
  @Field(() => ID) targetId!: string;
  @Field(() => Int, { nullable: true }) msPlayed?: number;
  @Field(() => Int, { description: 'Plays this event stands for (above 1 for imported play counts).' }) count!: number;
  @Field(() => String, { nullable: true }) tag?: string;
  @Field(() => ListeningContextType) context!: ListeningContext;
  @Field(() => DateTimeScalar) receivedAt!: number;
}

export const InteractionConnection = connectionOf('Interaction', InteractionObjectType);
