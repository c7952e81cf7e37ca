import { NotFoundError } from '../domain/errors.js';

/** Root lookups by id answer an unknown id with a NOT_FOUND error rather than a silent null. */
export function requireFound<T>(entity: string, id: string, value: T | null | undefined): T {
  if (value === null || value === undefined) throw new NotFoundError(entity, id);
  return value;
}
