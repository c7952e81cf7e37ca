/**
 * Brute-force `AnnIndex`: exact top-k over every present item. For tests, evaluation ground
 * truth and small catalogues (a few thousand items answer in well under a millisecond).
 *
 * Rows live at their key's position in one Float32Array (keys are dense item indices). A
 * batch is scored block by block (a block of queries against a block of items, so both stay
 * in cache: a blocked matrix product) and each query keeps its best k in a small heap. The
 * `exclude` set is only consulted for candidates that would enter the heap, so excluding
 * thousands of played items costs next to nothing and the answer is the exact filtered top-k.
 *
 * Saved as raw little-endian binary (u32 keys[size], then f32 vectors[size × dimensions])
 * plus the JSON meta file.
 */
import { promises as fsp } from 'node:fs';
import type { AnnHit, AnnIndex, AnnSearchOptions, Metric } from './ann-index.js';
import {
  type AnnMetaBase,
  DenseKeySet,
  META_FORMAT,
  META_VERSION,
  TopK,
  checkDimensions,
  checkK,
  checkMetric,
  checkRows,
  readMeta,
  requireLittleEndian,
  tempPathOf,
  toKeyArray,
  writeMeta,
} from './shared.js';

export interface ExactIndexOptions {
  dimensions: number;
  /** Default 'ip' (scores of factor models are dot products). */
  metric?: Metric;
}

export interface ExactMeta extends AnnMetaBase {
  kind: 'exact';
  layout: 'u32le-keys,f32le-vectors';
  byteLength: number;
}

/** Queries scored together against one block of items. */
const QUERY_BLOCK = 8;
/** Items per block: 512 rows × 64 floats × 4 bytes = 128 KiB, about an L2 cache's worth. */
const ITEM_BLOCK = 512;

export class ExactAnnIndex implements AnnIndex {
  readonly kind = 'exact' as const;
  readonly dimensions: number;
  readonly metric: Metric;

  private data = new Float32Array(0);
  /** Per row: the Euclidean norm ('cos') or the squared norm ('l2sq'); unused for 'ip'. */
  private norms = new Float64Array(0);
  private readonly present = new DenseKeySet();

  constructor(options: ExactIndexOptions) {
    checkDimensions(options.dimensions);
    const metric = options.metric ?? 'ip';
    checkMetric(metric);
    this.dimensions = options.dimensions;
    this.metric = metric;
  }

  get size(): number {
    return this.present.size;
  }

  has(key: number): boolean {
    return this.present.has(key);
  }

  add(keys: Uint32Array | readonly number[], vectors: Float32Array): void {
    const keyArray = toKeyArray(keys);
    const d = this.dimensions;
    checkRows('vectors', vectors, keyArray.length, d);
    let maxKey = -1;
    for (let i = 0; i < keyArray.length; i++) if (keyArray[i] > maxKey) maxKey = keyArray[i];
    this.reserve(maxKey + 1);
    // In order, so a key repeated within the call keeps its last row.
    for (let i = 0; i < keyArray.length; i++) {
      const key = keyArray[i];
      this.data.set(vectors.subarray(i * d, i * d + d), key * d);
      this.norms[key] = this.rowNorm(key);
      this.present.add(key);
    }
  }

  remove(keys: Uint32Array | readonly number[]): number {
    const keyArray = toKeyArray(keys);
    let removed = 0;
    for (let i = 0; i < keyArray.length; i++) if (this.present.delete(keyArray[i])) removed++;
    return removed;
  }

  search(queries: Float32Array, count: number, k: number, options: AnnSearchOptions = {}): AnnHit[][] {
    const d = this.dimensions;
    checkRows('queries', queries, count, d);
    checkK(k);
    const results: AnnHit[][] = new Array(count);
    if (k === 0 || this.size === 0) {
      for (let q = 0; q < count; q++) results[q] = [];
      return results;
    }
    const exclude = options.exclude ?? [];
    const data = this.data;
    const norms = this.norms;
    const present = this.present.bytes;
    const rows = this.present.span;
    const metric = this.metric;
    const heapSize = Math.min(k, this.size);

    for (let q0 = 0; q0 < count; q0 += QUERY_BLOCK) {
      const q1 = Math.min(count, q0 + QUERY_BLOCK);
      const heaps: TopK[] = [];
      const queryNorms: number[] = [];
      for (let q = q0; q < q1; q++) {
        heaps.push(new TopK(heapSize));
        queryNorms.push(this.queryNorm(queries, q));
      }
      for (let i0 = 0; i0 < rows; i0 += ITEM_BLOCK) {
        const i1 = Math.min(rows, i0 + ITEM_BLOCK);
        for (let q = q0; q < q1; q++) {
          const heap = heaps[q - q0];
          const qNorm = queryNorms[q - q0];
          const excluded = exclude[q];
          const qo = q * d;
          for (let i = i0; i < i1; i++) {
            if (present[i] !== 1) continue;
            const io = i * d;
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            let s3 = 0;
            let j = 0;
            for (; j + 3 < d; j += 4) {
              s0 += queries[qo + j] * data[io + j];
              s1 += queries[qo + j + 1] * data[io + j + 1];
              s2 += queries[qo + j + 2] * data[io + j + 2];
              s3 += queries[qo + j + 3] * data[io + j + 3];
            }
            for (; j < d; j++) s0 += queries[qo + j] * data[io + j];
            const dot = s0 + s1 + (s2 + s3);
            let score: number;
            if (metric === 'ip') score = dot;
            else if (metric === 'cos') score = qNorm > 0 && norms[i] > 0 ? dot / (qNorm * norms[i]) : 0;
            else score = -Math.max(0, qNorm - 2 * dot + norms[i]);
            if (heap.admits(score, i) && !(excluded !== undefined && excluded.has(i))) heap.push(score, i);
          }
        }
      }
      for (let q = q0; q < q1; q++) results[q] = heaps[q - q0].drain();
    }
    return results;
  }

  /** The stored vector of `key` (a copy), or undefined when absent. */
  vector(key: number): Float32Array | undefined {
    if (!this.present.has(key)) return undefined;
    return this.data.slice(key * this.dimensions, (key + 1) * this.dimensions);
  }

  async save(path: string): Promise<void> {
    requireLittleEndian('ExactAnnIndex.save');
    const d = this.dimensions;
    const n = this.size;
    const keys = new Uint32Array(n);
    const vectors = new Float32Array(n * d);
    const present = this.present.bytes;
    let at = 0;
    for (let key = 0; key < this.present.span; key++) {
      if (present[key] !== 1) continue;
      keys[at] = key;
      vectors.set(this.data.subarray(key * d, key * d + d), at * d);
      at++;
    }
    const temp = tempPathOf(path);
    const file = await fsp.open(temp, 'w');
    try {
      await file.write(new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength));
      await file.write(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    } finally {
      await file.close();
    }
    await fsp.rename(temp, path);
    const meta: ExactMeta = {
      format: META_FORMAT,
      version: META_VERSION,
      kind: 'exact',
      dimensions: d,
      metric: this.metric,
      size: n,
      keySpan: n === 0 ? 0 : keys[n - 1] + 1,
      savedAt: new Date().toISOString(),
      layout: 'u32le-keys,f32le-vectors',
      byteLength: keys.byteLength + vectors.byteLength,
    };
    await writeMeta(path, meta);
  }

  /** Reads an index written by `save` (the meta file is read when not given). */
  static async load(path: string, meta?: AnnMetaBase): Promise<ExactAnnIndex> {
    requireLittleEndian('ExactAnnIndex.load');
    const m = (meta ?? (await readMeta(path))) as ExactMeta;
    if (m.kind !== 'exact') throw new Error(`${path} holds a '${m.kind}' ANN index, not an exact one`);
    const bytes = await fsp.readFile(path);
    const n = m.size;
    const d = m.dimensions;
    const expected = n * 4 * (1 + d);
    if (bytes.byteLength !== expected) {
      throw new Error(`${path}: expected ${expected} bytes for ${n} rows of ${d} dimensions, found ${bytes.byteLength}`);
    }
    // Copy into fresh, aligned buffers (a Buffer may sit at any offset of a shared pool).
    const keys = new Uint32Array(n);
    new Uint8Array(keys.buffer).set(bytes.subarray(0, n * 4));
    const vectors = new Float32Array(n * d);
    new Uint8Array(vectors.buffer).set(bytes.subarray(n * 4));
    const index = new ExactAnnIndex({ dimensions: d, metric: m.metric });
    index.add(keys, vectors);
    return index;
  }

  private reserve(rows: number): void {
    const capacity = this.norms.length;
    if (rows <= capacity) return;
    const next = Math.max(rows, Math.ceil(capacity * 1.5), 256);
    const data = new Float32Array(next * this.dimensions);
    data.set(this.data);
    this.data = data;
    const norms = new Float64Array(next);
    norms.set(this.norms);
    this.norms = norms;
  }

  private rowNorm(key: number): number {
    if (this.metric === 'ip') return 0;
    const d = this.dimensions;
    let s = 0;
    for (let j = key * d; j < key * d + d; j++) s += this.data[j] * this.data[j];
    return this.metric === 'cos' ? Math.sqrt(s) : s;
  }

  private queryNorm(queries: Float32Array, q: number): number {
    if (this.metric === 'ip') return 0;
    const d = this.dimensions;
    let s = 0;
    for (let j = q * d; j < q * d + d; j++) s += queries[j] * queries[j];
    return this.metric === 'cos' ? Math.sqrt(s) : s;
  }
}
