import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ArtistResolver, TrackResolver } from './catalogue.resolver.js';
import { InteractionResolver } from './interaction.resolver.js';
import { ModelResolver } from './model.resolver.js';
import { PlaylistResolver } from './playlist.resolver.js';
import { RecommendationListResolver, RecommendationResolver } from './recommendation.resolver.js';
import { UserResolver } from './user.resolver.js';

export const resolvers = [
  UserResolver, TrackResolver, ArtistResolver, PlaylistResolver, InteractionResolver, RecommendationResolver, RecommendationListResolver, ModelResolver,
] as const;

export function buildMixtapeSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false });
}

/** The schema as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export function printMixtapeSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
