import { Field, Float, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';
import type { ListeningContext, TargetKind } from '../../domain/types.js';
import type { PipelineTrace } from '../../pipeline/index.js';
import type { RecommendedItem, SourceReport, SourceScore, SourceState } from '../../services/recommendation.service.js';
import { SourceStateEnum, TargetKindEnum } from './enums.js';
import { PageInfoType } from './connection.js';
import { ListeningContextType } from './interaction.type.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('SourceScore', { description: 'A candidate source that proposed an item, with its score.' })
export class SourceScoreType implements SourceScore {
  @Field(() => String) name!: string;
  @Field(() => Float) score!: number;
}

@ObjectType('Recommendation')
export class RecommendationType implements Omit<RecommendedItem, 'id'> {
  @Field(() => Int, { description: '1-based position in the list.' }) rank!: number;
  @Field(() => TargetKindEnum) targetKind!: TargetKind;
  @Field(() => ID, { description: 'The id of the track or artist.' }) targetId!: string;
  @Field(() => Float, {
    description: 'Relevance (the learned ranker\'s score, or the weighted blend\'s); higher is better, comparable within one list. The order also weighs diversity and exploration, so it need not fall down the list.',
  }) score!: number;
  @Field(() => [SourceScoreType], { description: 'Every source that proposed the item, strongest first; `explore` marks an exploration slot.' }) sources!: SourceScore[];
  @Field(() => String, { description: 'Why this item is here, in words a listener can read.' }) explanation!: string;
}

@ObjectType('SourceReport', { description: 'How one candidate source fared for this request.' })
export class SourceReportType implements SourceReport {
  @Field(() => String) name!: string;
  @Field(() => SourceStateEnum) state!: SourceState;
  @Field(() => Int) candidates!: number;
  @Field(() => Float) ms!: number;
  @Field(() => String, { nullable: true, description: 'The model version the source used.' }) modelVersion?: string;
}

@ObjectType('RecommendationList')
export class RecommendationListType {
  @Field(() => ID) userId!: string;
  @Field(() => TargetKindEnum) target!: TargetKind;
  @Field(() => ListeningContextType, { description: 'The context the list was made for, after defaults.' }) context!: ListeningContext;
  @Field(() => [RecommendationType]) items!: RecommendationType[];
  @Field(() => [SourceReportType]) sources!: SourceReport[];
  @Field(() => DateTimeScalar) generatedAt!: number;
  @Field(() => PageInfoType, { description: 'Pass endCursor as `after` for the next items of the same list.' }) pageInfo!: PageInfoType;
  /** What the pipeline computed (not a GraphQL field): the debug field reads it. */
  trace!: PipelineTrace;
}

@ObjectType('SimilarList', { description: 'Items like a seed item, best first.' })
export class SimilarListType {
  @Field(() => ID) seedId!: string;
  @Field(() => TargetKindEnum) target!: TargetKind;
  @Field(() => [RecommendationType]) items!: RecommendationType[];
  @Field(() => [SourceReportType]) sources!: SourceReport[];
}
