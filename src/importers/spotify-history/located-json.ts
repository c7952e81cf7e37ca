/**
 * A JSON document parsed with the line numbers of its objects, for error messages that name
 * the line of the offending item or field.
 */
import { ImportFormatError } from '../../domain/errors.js';

export type JsonObject = Record<string, unknown>;

/**
 * A parsed JSON document that can say on which line each of its objects starts. JSON.parse
 * keeps no positions, so the text is scanned once for the offsets of its "{" (outside strings),
 * which come in the same order as a depth-first walk of the parsed value meets the objects.
 */
export class LocatedJson {
  readonly value: unknown;
  private readonly starts = new WeakMap<object, { offset: number; end: number }>();
  private readonly lineStarts: number[] = [0];

  constructor(readonly file: string, private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    try {
      this.value = JSON.parse(text);
    } catch (error) {
      throw new ImportFormatError(file, this.syntaxErrorLine(error as Error), `invalid JSON: ${(error as Error).message}`);
    }
    const offsets: number[] = [];
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92) i++; // backslash: skip the escaped character
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123) offsets.push(i);
    }
    let next = 0;
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        for (const x of v) walk(x);
      } else if (typeof v === 'object' && v !== null) {
        const k = next++;
        // An object's own fields lie between its "{" and the next "{" (exact for flat objects).
        this.starts.set(v, { offset: offsets[k] ?? 0, end: offsets[k + 1] ?? text.length });
        for (const x of Object.values(v)) walk(x);
      }
    };
    walk(this.value);
  }

  /** The line of `key` in `obj` when found among its own fields, else the line `obj` starts on. */
  lineOf(obj: object, key?: string): number {
    const at = this.starts.get(obj);
    if (!at) return 1;
    if (key !== undefined) {
      const found = this.text.indexOf(JSON.stringify(key), at.offset);
      if (found >= 0 && found < at.end) return this.lineAt(found);
    }
    return this.lineAt(at.offset);
  }

  /** `value` as an object; otherwise an error at the line of `near` (its container), if known. */
  object(value: unknown, what: string, near?: object): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ImportFormatError(this.file, near ? this.lineOf(near) : 1, `${what} must be a JSON object, got ${JSON.stringify(value) ?? 'nothing'}`);
    }
    return value as JsonObject;
  }

  /** A string field; null or absent is "" unless required. */
  string(obj: JsonObject, key: string, required: boolean): string {
    const v = obj[key];
    if (typeof v === 'string' && (v !== '' || !required)) return v;
    if ((v === null || v === undefined) && !required) return '';
    throw new ImportFormatError(this.file, this.lineOf(obj, key), `"${key}" must be a ${required ? 'non-empty ' : ''}string, got ${JSON.stringify(v) ?? 'nothing'}`);
  }

  natural(obj: JsonObject, key: string): number {
    const v = obj[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    throw new ImportFormatError(this.file, this.lineOf(obj, key), `"${key}" must be a whole number of milliseconds, got ${JSON.stringify(v) ?? 'nothing'}`);
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private syntaxErrorLine(error: Error): number {
    const lineCol = /line (\d+) column/.exec(error.message);
    if (lineCol) return Number(lineCol[1]);
    const position = /position (\d+)/.exec(error.message);
    if (position) return this.lineAt(Number(position[1]));
    // "Unexpected end of JSON input": the file stops short, on its last line with content.
    return this.lineAt(this.text.trimEnd().length);
  }
}
