import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * An instant as an ISO-8601 string on the wire ("2026-11-27T08:15:00.000Z"), epoch
 * milliseconds inside the server, so domain records pass through resolvers unchanged.
 */
export const DateTimeScalar = new GraphQLScalarType<number, string>({
  name: 'DateTime',
  description: 'An instant, as an ISO-8601 string with a time zone offset (e.g. "2026-11-27T08:15:00Z").',
  serialize(value) {
    const ms = value instanceof Date ? value.getTime() : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new GraphQLError('DateTime cannot represent this value');
    return new Date(ms).toISOString();
  },
  parseValue(value) {
    return parseInstant(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseInstant(ast.value);
  },
});

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: unknown): number {
  const ms = typeof value === 'string' && ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new GraphQLError(`DateTime must be an ISO-8601 instant with an offset, like "2026-11-27T08:15:00Z"; got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return ms;
}
