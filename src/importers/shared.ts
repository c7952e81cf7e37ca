/**
 * Helpers shared by the dataset importers: stable ids, line-numbered readers for TSV and CSV
 * (plain or gzip), field validation that reports file and line, and chunked writers that
 * report progress.
 *
 * Every importer follows the same contract: parse and validate the whole input first (any
 * problem throws ImportFormatError naming the file and 1-based line, before anything is
 * written), then write in chunks. Ids and event ids are derived from the input only, so a
 * second run of the same import leaves the store as the first left it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import { ImportFormatError } from '../domain/errors.js';
import type { Interaction } from '../domain/types.js';
import { foldText } from '../lib/text.js';
import type { Progress } from '../lib/progress.js';
import type { Store } from '../store/ports.js';

/** What one import read and stored, by name ("users", "plays", "tagAssignmentsSkipped", …). */
export type ImportSummary = Record<string, number>;

export interface ImportOptions {
  /** The user id to file a raw Spotify export under (it carries none of its own). */
  user?: string;
}

export type Importer = (store: Store, path: string, progress: Progress, options?: ImportOptions) => Promise<ImportSummary>;

/**
 * The input cannot be imported as asked (a missing file, an ambiguous folder, a bad option):
 * nothing was read. Problems inside a file are ImportFormatError instead.
 */
export class ImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportInputError';
  }
}

/** Records per write call: big enough to amortise a transaction, small enough to show progress. */
export const WRITE_CHUNK = 5000;

/** How often (in lines or records) parsers report progress. */
export const PARSE_PROGRESS_EVERY = 10_000;

// ---------------------------------------------------------------------------------------------
// Ids

/** First 16 hex characters of the SHA-1 of `text`: short, stable ids derived from content. */
export function shortHash(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** A song's identity across Spotify sources: folded artist and title. */
export function songKey(artistName: string, title: string): string {
  return `${foldText(artistName)}\u001f${foldText(title)}`;
}

/** Artist id shared by the Spotify importers, so their artists join. */
export function spotifyArtistId(artistName: string): string {
  return `sp-a-${shortHash(foldText(artistName))}`;
}

/** Track id for a song without a known Spotify track id. */
export function spotifyHashTrackId(artistName: string, title: string): string {
  return `sp-t-${shortHash(songKey(artistName, title))}`;
}

/** A Spotify base-62 track id (the part after "spotify:track:"). */
export const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

// ---------------------------------------------------------------------------------------------
// Field validation

/** A non-negative integer written in plain digits (ids, counts); throws with the line otherwise. */
export function parseNatural(value: string, file: string, line: number, what: string): number {
  const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new ImportFormatError(file, line, `${what} must be a whole number, got ${quote(value)}`);
  return n;
}

export function parsePositive(value: string, file: string, line: number, what: string): number {
  const n = parseNatural(value, file, line, what);
  if (n <= 0) throw new ImportFormatError(file, line, `${what} must be a positive whole number, got ${quote(value)}`);
  return n;
}

/** A finite decimal number, or undefined for an empty field. */
export function parseOptionalNumber(value: string | undefined, file: string, line: number, what: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new ImportFormatError(file, line, `${what} must be a number, got ${quote(value)}`);
  return n;
}

/** A value for an error message: quoted, and cut short when long. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

// ---------------------------------------------------------------------------------------------
// TSV

export interface TsvOptions {
  /** The exact header line the file must start with, as column names. */
  columns: readonly string[];
  /** Text encoding; the HetRec files mix UTF-8 and ISO-8859-1. */
  encoding?: 'utf-8' | 'latin1';
}

export interface TsvRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  fields: string[];
}

export interface TsvFile {
  /** Data rows, header excluded. */
  rows: TsvRow[];
  /** Number of lines in the file, header included. */
  lines: number;
}

/**
 * Reads a tab-separated file with a header line. Accepts LF and CRLF endings and a missing
 * final newline; ignores blank lines at the end. Throws ImportFormatError for a wrong header,
 * a blank line in the middle, or a row with a different number of columns than the header
 * (which is also what a file cut off in the middle of its last line looks like).
 */
export async function readTsv(file: string, options: TsvOptions): Promise<TsvFile> {
  const bytes = await readFile(file);
  const text = new TextDecoder(options.encoding ?? 'utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  let last = lines.length;
  while (last > 0 && stripCr(lines[last - 1]).trim() === '') last--;
  if (last === 0) throw new ImportFormatError(file, 1, `file is empty; expected the header ${quote(options.columns.join('\t'))}`);

  const header = stripCr(lines[0]).split('\t').map((c) => c.trim());
  const expected = options.columns;
  if (header.length !== expected.length || header.some((c, i) => c.toLowerCase() !== expected[i].toLowerCase())) {
    throw new ImportFormatError(file, 1, `expected the header ${quote(expected.join('\t'))}, got ${quote(stripCr(lines[0]))}`);
  }
  const rows: TsvRow[] = [];
  for (let i = 1; i < last; i++) {
    const raw = stripCr(lines[i]);
    const line = i + 1;
    if (raw.trim() === '') throw new ImportFormatError(file, line, 'blank line inside the data');
    const fields = raw.split('\t');
    if (fields.length !== expected.length) {
      throw new ImportFormatError(
        file,
        line,
        `expected ${expected.length} tab-separated columns (${expected.join(', ')}), got ${fields.length}` +
          (i === last - 1 ? ' (is the file truncated?)' : ''),
      );
    }
    rows.push({ line, fields });
  }
  return { rows, lines: last };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvRow {
  /** 1-based line number where the record ends (the header is line 1). */
  line: number;
  fields: string[];
}

/**
 * Streams the records of a CSV file (gunzipped when the name ends in .gz), header included,
 * each with its line number. Every record must have as many fields as the first. Parse errors,
 * a corrupt or truncated gzip stream, and an unterminated quote become ImportFormatError.
 */
export async function* readCsv(file: string): AsyncGenerator<CsvRow> {
  const parser = parseCsv({ info: true, bom: true, skip_empty_lines: true });
  const source = fs.createReadStream(file);
  // Errors from any stage end the parser with that error, which the loop below rethrows.
  if (file.toLowerCase().endsWith('.gz')) pipeline(source, createGunzip(), parser, () => {});
  else pipeline(source, parser, () => {});
  let lastRecordLine = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastRecordLine = item.info.lines;
      yield { line: lastRecordLine, fields: item.record };
    }
  } catch (error) {
    throw csvError(file, error, parser.info.lines, lastRecordLine);
  }
}

function csvError(file: string, error: unknown, linesRead: number, lastRecordLine: number): Error {
  if (error instanceof ImportFormatError) return error;
  const e = error as { code?: string; message?: string; lines?: number };
  switch (e.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const counts = /expect (\d+), got (\d+)/.exec(e.message ?? '');
      const problem = counts ? `expected ${counts[1]} fields like the header, got ${counts[2]}` : 'wrong number of fields';
      return new ImportFormatError(file, e.lines ?? linesRead, `${problem} (is the file truncated?)`);
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      // Reported at the end of the input; the open quote is in the record after the last good one.
      return new ImportFormatError(file, lastRecordLine + 1, 'a quoted field is never closed (is the file truncated?)');
    // For gzip errors, the line reached when the data went bad.
    case 'Z_BUF_ERROR':
      return new ImportFormatError(file, linesRead, 'the gzip data ends unexpectedly: the file is truncated');
    case 'Z_DATA_ERROR':
      return new ImportFormatError(file, linesRead, `not valid gzip data (${e.message ?? 'corrupt'})`);
    default:
      if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
        return new ImportFormatError(file, e.lines ?? linesRead, e.message ?? e.code);
      }
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** Finds the named columns in a CSV header; throws (line 1) if a required one is missing. */
export function csvColumns<R extends string, O extends string>(
  file: string,
  header: CsvRow,
  required: readonly R[],
  optional: readonly O[] = [],
): Record<R, number> & Partial<Record<O, number>> {
  const positions = new Map(header.fields.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = required.filter((name) => !positions.has(name.toLowerCase()));
  if (missing.length > 0) {
    throw new ImportFormatError(file, header.line, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header ${quote(header.fields.join(','))}`);
  }
  const result: Record<string, number> = {};
  for (const name of [...required, ...optional]) {
    const at = positions.get(name.toLowerCase());
    if (at !== undefined) result[name] = at;
  }
  return result as Record<R, number> & Partial<Record<O, number>>;
}

// ---------------------------------------------------------------------------------------------
// Files and folders

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    throw new ImportInputError(`${p}: no such file or folder`);
  }
}

/** The entries of a folder, sorted by name so imports do not depend on directory order. */
export function listFolder(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

export function requireFile(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new ImportInputError(`${file}: missing (${what})`);
  return file;
}

export function displayName(file: string): string {
  return path.basename(file);
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Calls `write` with consecutive chunks of `items`, reporting progress as "label". */
export async function writeInChunks<T>(
  progress: Progress,
  label: string,
  total: number,
  items: Iterable<T>,
  write: (chunk: T[]) => Promise<void>,
  chunkSize = WRITE_CHUNK,
): Promise<void> {
  progress.start(label, total);
  let done = 0;
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === chunkSize) {
      await write(chunk);
      done += chunk.length;
      progress.update(done);
      chunk = [];
    }
  }
  if (chunk.length > 0) {
    await write(chunk);
    done += chunk.length;
    progress.update(done);
  }
  progress.stop();
}

export interface AppendCounts {
  /** Events stored by this run. */
  inserted: number;
  /** Events the store already held (an earlier run of the same import). */
  alreadyStored: number;
}

/** Appends interactions in chunks; the store ignores event ids it already holds. */
export async function appendInteractions(
  store: Store,
  progress: Progress,
  label: string,
  total: number,
  events: Iterable<Interaction>,
): Promise<AppendCounts> {
  const counts: AppendCounts = { inserted: 0, alreadyStored: 0 };
  await writeInChunks(progress, label, total, events, async (chunk) => {
    const result = await store.interactions.append(chunk);
    counts.inserted += result.inserted.length;
    counts.alreadyStored += result.duplicates.length;
  });
  return counts;
}

/**
 * Writes only the records whose id the repository does not hold yet, and returns how many that
 * was. Used for artists and tracks that several Spotify importers derive: the first importer to
 * store a record keeps it, so importing listening history after the audio-features catalogue
 * does not wipe the features off shared tracks.
 */
export async function insertMissing<T extends { id: string }>(
  repo: { getMany(ids: readonly string[]): Promise<(T | undefined)[]>; upsertMany(items: readonly T[]): Promise<void> },
  progress: Progress,
  label: string,
  items: readonly T[],
): Promise<number> {
  let inserted = 0;
  await writeInChunks(progress, label, items.length, items, async (chunk) => {
    const existing = await repo.getMany(chunk.map((item) => item.id));
    const missing = chunk.filter((_, i) => existing[i] === undefined);
    if (missing.length > 0) await repo.upsertMany(missing);
    inserted += missing.length;
  });
  return inserted;
}

/** Calls progress.update at most every PARSE_PROGRESS_EVERY steps. */
export function throttledUpdate(progress: Progress): (done: number) => void {
  return (done) => {
    if (done % PARSE_PROGRESS_EVERY === 0) progress.update(done);
  };
}
