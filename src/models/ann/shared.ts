/**
 * Pieces both `AnnIndex` adapters share: input checks, the dense key set, the top-k heap,
 * the over-fetch plan for `exclude`, and the meta file next to a saved index.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import type { AnnHit, AnnKind, Metric } from './ann-index.js';

export const METRICS: readonly Metric[] = ['ip', 'cos', 'l2sq'];
export const MAX_KEY = 0xffff_ffff;
export const LITTLE_ENDIAN = os.endianness() === 'LE';

export function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0) throw new RangeError(`ANN index dimensions must be a positive integer, got ${dimensions}`);
}

export function checkMetric(metric: string): asserts metric is Metric {
  if (!(METRICS as readonly string[]).includes(metric)) throw new RangeError(`unknown ANN metric '${metric}' (expected one of ${METRICS.join(', ')})`);
}

/** Keys as a Uint32Array, checked: integers in [0, 2³² − 1]. */
export function toKeyArray(keys: Uint32Array | readonly number[]): Uint32Array {
  if (keys instanceof Uint32Array) return keys;
  const out = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!Number.isInteger(key) || key < 0 || key > MAX_KEY) throw new RangeError(`ANN keys must be integers in [0, ${MAX_KEY}], got ${key} at position ${i}`);
    out[i] = key;
  }
  return out;
}

/** Throws unless `vectors` holds exactly `rows` rows of `dimensions` finite floats. */
export function checkRows(what: 'vectors' | 'queries', vectors: Float32Array, rows: number, dimensions: number): void {
  if (!(vectors instanceof Float32Array)) throw new TypeError(`ANN ${what} must be a Float32Array`);
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`ANN ${what}: row count must be a non-negative integer, got ${rows}`);
  if (vectors.length !== rows * dimensions) {
    const actual = vectors.length % dimensions === 0 ? `${vectors.length / dimensions} rows of ${dimensions}` : `not a multiple of ${dimensions}`;
    throw new Error(
      `ANN ${what} dimension mismatch: the index has ${dimensions} dimensions, so ${rows} ${what === 'vectors' ? 'keys' : 'queries'} need ` +
        `${rows * dimensions} floats, got ${vectors.length} (${actual})`,
    );
  }
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) throw new RangeError(`ANN ${what}: non-finite value ${vectors[i]} in row ${Math.floor(i / dimensions)}`);
  }
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`ANN search: k must be a non-negative integer, got ${k}`);
}

/**
 * Row positions to insert so that, when a key repeats within one call, its last row wins.
 * Returns null when there are no repeats (the common case).
 */
export function lastRowPerKey(keys: Uint32Array): Int32Array | null {
  const n = keys.length;
  if (n < 2) return null;
  let maxKey = 0;
  for (let i = 0; i < n; i++) if (keys[i] > maxKey) maxKey = keys[i];
  let repeats = false;
  let isLast: (row: number) => boolean;
  if (maxKey < 8 * n + 1024) {
    const last = new Int32Array(maxKey + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      if (last[keys[i]] !== -1) repeats = true;
      last[keys[i]] = i;
    }
    isLast = (row) => last[keys[row]] === row;
  } else {
    const last = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (last.has(keys[i])) repeats = true;
      last.set(keys[i], i);
    }
    isLast = (row) => last.get(keys[row]) === row;
  }
  if (!repeats) return null;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (isLast(i)) rows.push(i);
  return Int32Array.from(rows);
}

/** A set of dense integer keys backed by a growable byte map. */
export class DenseKeySet {
  private bits = new Uint8Array(0);
  private count = 0;
  private highWater = 0;

  get size(): number {
    return this.count;
  }

  /** One past the largest key ever added (an upper bound of every present key). */
  get span(): number {
    return this.highWater;
  }

  /** The byte map itself (1 = present), for tight loops; valid until the next `add`. */
  get bytes(): Uint8Array {
    return this.bits;
  }

  has(key: number): boolean {
    return key < this.bits.length && this.bits[key] === 1;
  }

  /** Adds `key`; returns true when it was absent. */
  add(key: number): boolean {
    if (key >= this.bits.length) this.grow(key + 1);
    if (key >= this.highWater) this.highWater = key + 1;
    if (this.bits[key] === 1) return false;
    this.bits[key] = 1;
    this.count++;
    return true;
  }

  /** Removes `key`; returns true when it was present. */
  delete(key: number): boolean {
    if (!this.has(key)) return false;
    this.bits[key] = 0;
    this.count--;
    return true;
  }

  /** How many keys of `keys` are present. */
  countPresent(keys: ReadonlySet<number>): number {
    let n = 0;
    for (const key of keys) if (this.has(key)) n++;
    return n;
  }

  private grow(minLength: number): void {
    const next = new Uint8Array(Math.max(minLength, Math.ceil(this.bits.length * 1.5), 1024));
    next.set(this.bits);
    this.bits = next;
  }
}

/**
 * Bounded top-k by score (a binary min-heap on the current worst hit). Among equal scores the
 * smaller key ranks first, so results do not depend on visiting order.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;
  private n = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.keys = new Float64Array(k);
  }

  get length(): number {
    return this.n;
  }

  /** The score a candidate must beat to enter (−∞ until the heap is full). */
  get threshold(): number {
    return this.n < this.k ? -Infinity : this.scores[0];
  }

  /** Whether (score, key) would enter the heap. */
  admits(score: number, key: number): boolean {
    if (this.n < this.k) return this.k > 0;
    const worst = this.scores[0];
    return score > worst || (score === worst && key < this.keys[0]);
  }

  push(score: number, key: number): void {
    if (!this.admits(score, key)) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, key, this.scores[parent], this.keys[parent])) break;
        this.scores[i] = this.scores[parent];
        this.keys[i] = this.keys[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.keys[i] = key;
      return;
    }
    // Replace the root (the worst) and sift down.
    let i = 0;
    const n = this.n;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.worse(this.scores[right], this.keys[right], this.scores[left], this.keys[left])) child = right;
      if (!this.worse(this.scores[child], this.keys[child], score, key)) break;
      this.scores[i] = this.scores[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    this.scores[i] = score;
    this.keys[i] = key;
  }

  /** The hits, best first; empties the heap. */
  drain(): AnnHit[] {
    const out: AnnHit[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = { key: this.keys[i], score: this.scores[i] };
    this.n = 0;
    return out.sort((a, b) => b.score - a.score || a.key - b.key);
  }

  /** True when (s1, k1) ranks below (s2, k2). */
  private worse(s1: number, k1: number, s2: number, k2: number): boolean {
    return s1 < s2 || (s1 === s2 && k1 > k2);
  }
}

/**
 * How many hits to ask an approximate index for so that `k` survive the exclusion of
 * `excludedPresent` keys: k plus the excluded count rounded up to a power of two (so that
 * queries with similar exclusions share one batch call), capped at the index size.
 */
export function fetchSize(k: number, excludedPresent: number, size: number): number {
  if (excludedPresent === 0) return Math.min(k, size);
  let pad = 1;
  while (pad < excludedPresent) pad *= 2;
  return Math.min(k + pad, size);
}

// ---------------------------------------------------------------------------------------
// Saved files

export const META_FORMAT = 'mixtape-ann';
export const META_VERSION = 1;

export interface AnnMetaBase {
  format: typeof META_FORMAT;
  version: typeof META_VERSION;
  kind: AnnKind;
  dimensions: number;
  metric: Metric;
  size: number;
  /** One past the largest key present when saved. */
  keySpan: number;
  savedAt: string;
}

export function metaPathOf(path: string): string {
  return `${path}.meta.json`;
}

export function tempPathOf(path: string): string {
  return `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
}

export async function writeMeta(path: string, meta: AnnMetaBase): Promise<void> {
  const target = metaPathOf(path);
  const temp = tempPathOf(target);
  await fsp.writeFile(temp, `${JSON.stringify(meta, null, 2)}\n`);
  await fsp.rename(temp, target);
}

export async function readMeta(path: string): Promise<AnnMetaBase & Record<string, unknown>> {
  const file = metaPathOf(path);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ANN index meta file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const meta = JSON.parse(text) as AnnMetaBase & Record<string, unknown>;
  if (meta.format !== META_FORMAT) throw new Error(`${file} is not an ANN index meta file (format: ${String(meta.format)})`);
  if (meta.version !== META_VERSION) throw new Error(`${file}: unsupported ANN meta version ${String(meta.version)} (this build reads ${META_VERSION})`);
  checkDimensions(meta.dimensions);
  checkMetric(meta.metric);
  return meta;
}

export function requireLittleEndian(what: string): void {
  if (!LITTLE_ENDIAN) throw new Error(`${what}: ANN index files are little-endian and this machine is big-endian`);
}
