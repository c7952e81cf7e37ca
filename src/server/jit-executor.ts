/**
 * GraphQL execution by graphql-jit: each distinct operation is compiled once into a function
 * that resolves exactly its fields, instead of graphql-js walking the query on every request.
 * Apollo still parses, validates (with its document cache) and formats errors; only the
 * execution step changes.
 *
 * Why: graphql-js builds two dictionary objects for every field it resolves (its argument
 * maps, arguments or not), and a `recommendations(limit: 30)` answer resolves about a hundred
 * fields: a fifth of a served request's allocations (docs/benchmarks.md).
 *
 * Where graphql-jit differs from graphql-js, graphql-js decides:
 * - variables are coerced by graphql-js first (`getVariableValues`): its errors are the ones
 *   Apollo classifies as BAD_USER_INPUT, and an omitted variable with a default takes the
 *   default even on a non-null type (graphql-jit rejects it);
 * - graphql-jit's errors are rebuilt as graphql-js errors, so a resolver's error code
 *   (FORBIDDEN, NOT_FOUND, …) reaches the response.
 *
 * Apollo Server 4+ takes a custom executor only through its `gateway` hook (the supergraph
 * interface); this "gateway" serves our own schema and never changes it.
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  type DocumentNode, type ExecutionResult, getVariableValues, GraphQLError, type GraphQLSchema, type OperationDefinitionNode, printSchema, valueFromASTUntyped,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

export function jitExecutor(schema: GraphQLSchema): GatewayExecutor {
  /** Compiled operations per document (Apollo's document cache hands out one document per query text) and operation name. */
  const byDocument = new WeakMap<DocumentNode, Map<string, CompiledQuery>>();
  return async ({ document, operation, operationName, request, context }) => {
    const inputs = request.variables ?? {};
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    let compiled = byDocument.get(document);
    if (!compiled) byDocument.set(document, (compiled = new Map()));
    let query = compiled.get(operationName ?? '');
    if (!query) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      if (!isCompiledQuery(result)) return withGraphQLErrors(result);
      query = result;
      compiled.set(operationName ?? '', query);
    }
    return withGraphQLErrors(await query.query(undefined, context, withDefaults(operation, inputs)));
  };
}

/** The request's variables with each omitted one that has a default set to it (graphql-jit applies defaults only to nullable variables). */
function withDefaults(operation: OperationDefinitionNode, inputs: Record<string, unknown>): Record<string, unknown> {
  let out = inputs;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && inputs[name] === undefined) {
      if (out === inputs) out = { ...inputs };
      out[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  return out;
}

/** What graphql-jit's error class carries (it passes `instanceof GraphQLError` without being constructed as one). */
interface JitError {
  message: string;
  path?: readonly (string | number)[];
  locations?: GraphQLError['locations'];
  originalError?: Error;
  extensions?: GraphQLError['extensions'];
}

function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error: JitError) => {
    if (error instanceof GraphQLError && error.extensions) return error;
    const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError });
    (rebuilt as { locations?: JitError['locations'] }).locations = error.locations;
    return rebuilt;
  });
  return { ...result, errors };
}

/** The `gateway` Apollo takes a custom executor through: our own schema, loaded once, never updated. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    async load() {
      return { executor: jitExecutor(schema) };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
  };
}
