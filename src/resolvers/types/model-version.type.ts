import { Field, Float, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('MetricValue')
export class MetricValueType {
  @Field(() => String, { description: 'e.g. "ndcg@10" on the held-out slice.' }) name!: string;
  @Field(() => Float) value!: number;
}

@ObjectType('DataWindow', { description: 'The events a version was trained on.' })
export class DataWindowType {
  @Field(() => DateTimeScalar) from!: number;
  @Field(() => DateTimeScalar) to!: number;
  @Field(() => Int) interactions!: number;
}

@ObjectType('ModelVersion', { description: 'One trained version of a model; exactly one per model serves.' })
export class ModelVersionType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'e.g. "cf:TRACK", "cf:ARTIST".' }) model!: string;
  @Field(() => DateTimeScalar) createdAt!: number;
  @Field(() => Boolean) active!: boolean;
  @Field(() => [MetricValueType]) metrics!: MetricValueType[];
  @Field(() => String, { description: 'Hyperparameters, as JSON.' }) params!: string;
  @Field(() => DataWindowType, { nullable: true }) dataWindow?: DataWindowType;
}
