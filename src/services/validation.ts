/**
 * Input checks that collect every problem of a request before failing, so a client fixes a
 * batch in one round trip. Failing throws one InvalidInputError listing them all.
 */
import { InvalidInputError } from '../domain/errors.js';

export interface InputProblem {
  /** Path to the offending field, e.g. "events[3].context.timezone". */
  path: string;
  message: string;
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._\-/]{0,127}$/;
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export class Problems {
  readonly list: InputProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  id(path: string, value: string): void {
    if (!ID_PATTERN.test(value)) this.add(path, `"${truncate(value)}" is not a valid id (1–128 letters, digits and : . _ - /, starting with a letter or digit)`);
  }

  text(path: string, value: string | undefined | null, max: number, required = false): void {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'is required');
      return;
    }
    if (required && value.trim().length === 0) this.add(path, 'must not be empty');
    if (value.length > max) this.add(path, `must be at most ${max} characters (got ${value.length})`);
  }

  range(path: string, value: number | undefined | null, min: number, max: number, integer = false): void {
    if (value === undefined || value === null) return;
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      this.add(path, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${value})`);
    }
  }

  isoDate(path: string, value: string | undefined | null): void {
    if (value === undefined || value === null) return;
    const match = ISO_DATE.exec(value);
    const month = match?.[2] === undefined ? 1 : Number(match[2]);
    const day = match?.[3] === undefined ? 1 : Number(match[3]);
    if (!match || month < 1 || month > 12 || day < 1 || day > 31) {
      this.add(path, `"${truncate(value)}" is not a date: use YYYY, YYYY-MM or YYYY-MM-DD`);
    }
  }

  batch(path: string, size: number, max: number): void {
    if (size === 0) this.add(path, 'must contain at least one item');
    if (size > max) this.add(path, `may contain at most ${max} items (got ${size}): split it into several calls`);
  }

  /** Throws when any problem was found; the message lists the first few. */
  throwIfAny(what: string): void {
    if (this.list.length === 0) return;
    const shown = this.list.slice(0, 5).map((p) => `${p.path} ${p.message}`).join('; ');
    const more = this.list.length > 5 ? ` (and ${this.list.length - 5} more in extensions.problems)` : '';
    throw new InvalidInputError(`Invalid ${what}: ${shown}${more}`, { problems: this.list });
  }
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
