import { Field, Float, ID, Int } from 'type-graphql';
import { ObjectType } from './object-type.js';
import type { ExclusionReason, ItemDebug, SourceDebug } from '../../pipeline/index.js';
import { BlendDecisionEnum, ExclusionReasonEnum } from './enums.js';

@ObjectType('SourceDebug', { description: 'One source that proposed the item.' })
export class SourceDebugType implements SourceDebug {
  @Field(() => String) name!: string;
  @Field(() => Float) score!: number;
  @Field(() => Int, { description: "1-based rank in the source's own list." }) rank!: number;
}

@ObjectType('FeatureValue', { description: "One of the ranker's features." })
export class FeatureValueType {
  @Field(() => String) name!: string;
  @Field(() => Float) value!: number;
}

@ObjectType('RecommendationDebug', { description: 'How the pipeline treated one item in this list (admins only).' })
export class RecommendationDebugType implements Omit<ItemDebug, 'decision'> {
  @Field(() => ID) itemId!: string;
  @Field(() => Boolean, { description: 'False when the catalogue snapshot the request used does not have it.' }) inCatalogue!: boolean;
  @Field(() => ExclusionReasonEnum, { nullable: true, description: 'Why the listener can never get it, if so.' }) excluded?: ExclusionReason;
  @Field(() => Boolean, { description: 'Whether any candidate source proposed it.' }) candidate!: boolean;
  @Field(() => [SourceDebugType]) sources!: SourceDebug[];
  @Field(() => [FeatureValueType], { description: 'Its feature vector, by name (empty when it was not a candidate).' }) features!: FeatureValueType[];
  @Field(() => Float, { nullable: true, description: "The weighted blend's score (the first stage)." }) firstStageScore?: number;
  @Field(() => Float, { nullable: true, description: 'The score the list is ordered by (the learned ranker where it scored).' }) rankerScore?: number;
  @Field(() => String, { description: 'Which ranker ordered the list.' }) ranker!: string;
  @Field(() => Int, { nullable: true, description: '1-based place in relevance order, before blending.' }) relevanceRank?: number;
  @Field(() => BlendDecisionEnum) decision!: keyof typeof BlendDecisionEnum;
  @Field(() => Float, { nullable: true, description: 'Its relevance normalised within the MMR pool.' }) mmrRelevance?: number;
  @Field(() => Float, { nullable: true, description: 'Its largest similarity to the items listed before it, when it was listed.' }) mmrSimilarity?: number;
  @Field(() => Boolean, { description: 'Whether it fills an exploration slot.' }) explored!: boolean;
  @Field(() => Int, { nullable: true, description: '1-based position in the whole list (not the page).' }) finalPosition?: number;
  @Field(() => [String], { description: 'One line per stage, for people.' }) notes!: string[];
}
