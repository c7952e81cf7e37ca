import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ModelVersion } from '../domain/types.js';
import type { RequestContext } from './context.js';
import { ModelVersionType } from './types/model-version.type.js';

function toGraphQL(version: ModelVersion): ModelVersionType {
  return {
    ...version,
    metrics: Object.entries(version.metrics).map(([name, value]) => ({ name, value })),
    params: JSON.stringify(version.params),
  };
}

@Resolver(() => ModelVersionType)
export class ModelResolver {
  @Query(() => [ModelVersionType], { description: 'Versions of a model ("cf:TRACK", "cf:ARTIST"), newest first.' })
  async modelVersions(@Ctx() ctx: RequestContext, @Arg('model', () => String) model: string): Promise<ModelVersionType[]> {
    return (await ctx.services.models.versions(model)).map(toGraphQL);
  }

  @Mutation(() => ModelVersionType, { description: 'Serves this version from now on. Admin only.' })
  async activateModelVersion(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ModelVersionType> {
    return toGraphQL(await ctx.services.models.activate(ctx.viewer, id));
  }

  @Mutation(() => ModelVersionType, { description: 'Goes back to the version trained before the active one. Admin only.' })
  async rollbackModel(@Ctx() ctx: RequestContext, @Arg('model', () => String) model: string): Promise<ModelVersionType> {
    return toGraphQL(await ctx.services.models.rollback(ctx.viewer, model));
  }
}
