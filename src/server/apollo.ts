/**
 * The Apollo Server for a schema and services: error formatting, landing page, and the
 * per-request context (viewer and fresh DataLoaders).
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { RequestContext } from '../resolvers/context.js';
import { createErrorFormatter } from '../resolvers/errors.js';
import type { Viewer } from '../services/access.js';
import type { Services } from '../services/index.js';
import { createLoaders } from '../services/loaders.js';
import type { Store } from '../store/ports.js';

export interface ApolloOptions {
  production: boolean;
  plugins?: ApolloServerPlugin<RequestContext>[];
  log?: (error: unknown) => void;
}

export function createApolloServer(schema: GraphQLSchema, options: ApolloOptions): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema,
    // Sandbox explores the API outside production; partners use persisted queries (APQ is on).
    introspection: !options.production,
    includeStacktraceInErrorResponses: !options.production,
    formatError: createErrorFormatter({
      exposeInternals: !options.production,
      log: options.log ?? ((error) => console.error('unexpected error:', error)),
    }),
    plugins: [
      // No HTTP caching of personalised answers; the cache-control plugin would otherwise wrap
      // every field resolver of every request.
      ApolloServerPluginCacheControlDisabled(),
      options.production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, includeCookies: false }),
      ...(options.plugins ?? []),
    ],
  });
}

/** A request's context: the loaders are new for every request, so nothing is cached across requests. */
export function requestContext(viewer: Viewer, services: Services, store: Store): RequestContext {
  return { viewer, services, loaders: createLoaders(store, services.cf) };
}
