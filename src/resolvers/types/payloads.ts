import { Field, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';

@ObjectType('RecordInteractionsPayload')
export class RecordInteractionsPayload {
  @Field(() => Int, { description: 'Events stored by this call.' }) accepted!: number;
  @Field(() => Int, { description: 'Events ignored because their eventId was already stored.' }) duplicates!: number;
  @Field(() => [ID]) acceptedEventIds!: string[];
  @Field(() => [ID]) duplicateEventIds!: string[];
}

@ObjectType('UpsertPayload')
export class UpsertPayload {
  @Field(() => Int) upserted!: number;
  @Field(() => [ID]) ids!: string[];
}
