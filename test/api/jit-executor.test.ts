/**
 * The GraphQL executor (graphql-jit behind Apollo, src/server/jit-executor.ts) against
 * graphql-js itself: the same answers, and graphql-js's rules where graphql-jit's differ.
 * Every other API test runs through it too.
 */
import { getIntrospectionQuery, graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { buildMixtapeSchema } from '../../src/resolvers/schema.js';
import { admin, createTestApp } from '../helpers/app.js';

describe('the GraphQL executor', () => {
  let app: MixtapeApp;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  const execute = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await app.apollo.executeOperation({ query, variables }, { contextValue: app.contextAs(admin) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };

  it('answers the introspection query (Apollo Sandbox) exactly as graphql-js does', async () => {
    const source = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true });
    const reference = await graphql({ schema: await buildMixtapeSchema(), source });
    expect(reference.errors).toBeUndefined();
    const answer = await execute(source);
    expect(answer.errors).toBeUndefined();
    expect(JSON.parse(JSON.stringify(answer.data))).toEqual(JSON.parse(JSON.stringify(reference.data)));
  });

  it('gives an omitted non-null variable its default, as graphql-js does', async () => {
    const answer = await execute('query ($name: String! = "Query") { __type(name: $name) { name kind } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ __type: { name: 'Query', kind: 'OBJECT' } });
  });

  it('rejects a variable of the wrong type with BAD_USER_INPUT before anything runs', async () => {
    const answer = await execute('query ($name: String!) { __type(name: $name) { name } }', { name: 5 });
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0].message).toMatch(/Variable "\$name" got invalid value 5/);
  });

  it('keeps a resolver error\'s code, path and location', async () => {
    const answer = await execute('query { track(id: "no-such-track") { id } }');
    expect(answer.errors?.map((e) => [e.extensions?.code, e.path, e.locations])).toEqual([['NOT_FOUND', ['track'], [{ line: 1, column: 9 }]]]);
  });
});
