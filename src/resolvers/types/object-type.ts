/**
 * type-graphql's `@ObjectType` with plain field resolution (`simpleResolvers`): a field without
 * its own `@FieldResolver` is read by graphql-js's default resolver instead of a type-graphql
 * wrapper that runs the (here empty) middleware chain. This API puts no middleware or
 * `@Authorized` on fields — access is checked in the services — and a recommendation list
 * resolves about a hundred such fields per request: the wrappers were a measurable share of a
 * served request's allocations (docs/benchmarks.md).
 */
import { ObjectType as TypeGraphQLObjectType, type ObjectTypeOptions } from 'type-graphql';

export function ObjectType(name: string, options: ObjectTypeOptions = {}): ClassDecorator {
  return TypeGraphQLObjectType(name, { simpleResolvers: true, ...options });
}
