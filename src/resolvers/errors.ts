/**
 * The error edge: domain errors become GraphQL errors with an `extensions.code` a client can
 * switch on. Anything unexpected is an INTERNAL_SERVER_ERROR whose details stay in the log
 * (and, outside production, in the response).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ConflictError, DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.js';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function codeOf(error: DomainError): ErrorCode {
  if (error instanceof InvalidInputError) return ErrorCode.BAD_USER_INPUT;
  if (error instanceof NotFoundError) return ErrorCode.NOT_FOUND;
  if (error instanceof ForbiddenError) return ErrorCode.FORBIDDEN;
  if (error instanceof ConflictError) return ErrorCode.CONFLICT;
  return ErrorCode.BAD_USER_INPUT;
}

export function createErrorFormatter(options: { exposeInternals: boolean; log: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return { ...formatted, extensions: { ...original.details, code: codeOf(original) } };
    }
    const code = formatted.extensions?.code;
    if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    options.log(original);
    if (options.exposeInternals) return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
    return { message: 'Internal server error: the failure is logged on the server', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
