/**
 * Domain errors. Services throw these; the GraphQL edge (src/resolvers/errors.ts) maps each
 * to a GraphQLError with an `extensions.code`. Messages are written for the client developer
 * who will read them: say what was wrong and what to send instead.
 */
export class DomainError extends Error {
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed or breaks a documented limit. */
export class InvalidInputError extends DomainError {}

/** A referenced entity does not exist. */
export class NotFoundError extends DomainError {
  /** `where` says where the id came from in the request, e.g. "events[3].trackId". */
  constructor(readonly entity: string, readonly id: string, where?: string) {
    super(`${entity} "${id}" does not exist${where ? ` (${where})` : ''}`, { entity, id, ...(where ? { path: where } : {}) });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {}

/** A concurrent change won: re-read and retry. */
export class ConflictError extends DomainError {}

/** A malformed input file; names the file and line so it can be fixed. */
export class ImportFormatError extends DomainError {
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}`, { file, line });
  }
}
