/**
 * `AnnIndex` on USearch (an HNSW graph in native code). Batch search runs on several threads
 * inside the binding; a single query runs on the calling thread.
 *
 * Settings (the names of the HNSW paper in brackets):
 * - connectivity [M]: graph degree. More = better recall, more memory, slower build.
 * - expansionAdd [efConstruction]: search width while building.
 * - expansionSearch [ef]: search width per query, the recall/latency knob. The effective
 *   width is max(expansionSearch, number of hits asked for). The node binding fixes it when
 *   the index is created or loaded: pass `expansionSearch` to `loadAnnIndex` to change it.
 * - quantization: how vectors are stored ('f32' default; 'f16'/'bf16' halve the memory;
 *   'i8' only suits vectors with components in [−1, 1], such as normalised ones under 'cos').
 * - augmentForMips (metric 'ip' only): store each item x as [x, √(M² − ‖x‖²)] and each query
 *   q as [q, 0], where M is the largest item norm. Inner products are unchanged (so scores
 *   and ranking are the true inner products), but all stored vectors get the same norm, so
 *   the graph is built over a proper cosine geometry instead of the non-metric inner product,
 *   where a few long vectors dominate. M is `mipsMaxNorm` or, by default, the largest norm in
 *   the first `add`; items added later with a larger norm get 0 as the extra component (still
 *   scored exactly, the graph just fits them less well). See bench/ann.ts for its effect.
 *
 * Keys cross into the binding as BigUint64Array, written through a Uint32Array view of the
 * same buffer (no BigInt per key).
 *
 * Inserts run on one thread (`buildThreads`, default 1). The binding's multi-threaded insert
 * (usearch 2.25) leaves about 0.5% of nodes without in-links: 11–15 of 2,000 self-queries
 * over 40 builds of 500 normalised items never found their own item, against 0 when built on
 * one thread — items that could never be recommended. The binding reserves one search
 * context per insert thread whenever an insert grows the index, and a batch search on more
 * threads than reserved contexts fails ("Reserve capacity ahead of searches!"); it has no
 * call to reserve more. So this adapter counts the contexts: after a growing insert, batch
 * searches use at most that many threads, and a saved index loads with one per core
 * (which is how serving gets it: training saves, replicas load).
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import { BatchMatches, Index, type Matches, MetricKind, ScalarKind } from 'usearch';
import type { AnnHit, AnnIndex, AnnSearchOptions, Metric } from './ann-index.js';
import {
  type AnnMetaBase,
  DenseKeySet,
  LITTLE_ENDIAN,
  META_FORMAT,
  META_VERSION,
  checkDimensions,
  checkK,
  checkMetric,
  checkRows,
  fetchSize,
  lastRowPerKey,
  readMeta,
  tempPathOf,
  toKeyArray,
  writeMeta,
} from './shared.js';

export type Quantization = 'f32' | 'f16' | 'bf16' | 'i8';

export interface UsearchIndexOptions {
  dimensions: number;
  /** Default 'ip'. */
  metric?: Metric;
  /** Graph degree M. Default USEARCH_DEFAULTS.connectivity. */
  connectivity?: number;
  /** efConstruction. Default USEARCH_DEFAULTS.expansionAdd. */
  expansionAdd?: number;
  /** ef at query time. Default: USEARCH_DEFAULTS.expansionSearch. */
  expansionSearch?: number;
  /** Default 'f32'. */
  quantization?: Quantization;
  /** Metric 'ip' only: the extra-dimension reduction of inner-product to cosine search. */
  augmentForMips?: boolean;
  /** The M of the reduction; default: the largest item norm of the first `add`. */
  mipsMaxNorm?: number;
  /**
   * Threads for batch add and batch search; 0 (default) = every core. Capped at the core
   * count: the binding reserves one search context per core when it loads a file, and a
   * search on more threads than reserved contexts fails.
   */
  threads?: number;
  /**
   * Threads for inserts; default 1 (see the header: more threads leave some nodes
   * unreachable, and also limit later batch searches of this in-memory index to as many).
   */
  buildThreads?: number;
}

export interface UsearchLoadOptions {
  /** Overrides the saved ef. */
  expansionSearch?: number;
  threads?: number;
  /** Memory-map the file instead of reading it (read-only: `add` and `remove` throw). */
  view?: boolean;
}

/**
 * The served defaults, from `npm run bench -- ann` (100k × 64-d ALS-like item factors, 2,000
 * user-like queries, 2 cores). Rule: the cheapest setting with recall@10 ≥ 0.98 at p50 < 1 ms.
 * Plain inner product with M = 16, efConstruction = 128 qualifies from ef = 64, but ef = 64
 * straddles the bar from one build to the next (recall@10 0.978 / 0.982: USearch builds on
 * several threads, so graphs differ run to run), while ef = 128 clears it every time
 * (0.993) at the same latency (~0.05 ms p50 for a top-100 query, which searches at
 * max(ef, 100) anyway). augmentForMips gave recall@10 0.52–0.59 on the same data (item norms
 * are long-tailed: median 1.2, max 10.5), so it is off.
 * Caveat: top-100 lists of an M = 16 inner-product graph reach only ~0.47 recall@100 (mid-norm
 * items get few in-links); connectivity 64 lifts that to ~0.95 at the same query latency, for
 * ~4× the build time and about twice the memory. Pass `connectivity: 64` when long candidate
 * lists matter more than build time.
 */
export const USEARCH_DEFAULTS = {
  metric: 'ip' as Metric,
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 128,
  quantization: 'f32' as Quantization,
  augmentForMips: false,
};

export interface UsearchMeta extends AnnMetaBase {
  kind: 'usearch';
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  quantization: Quantization;
  augmentForMips: boolean;
  mipsMaxNorm: number | null;
}

export interface UsearchSettings {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  quantization: Quantization;
  augmentForMips: boolean;
  mipsMaxNorm: number | null;
  threads: number;
  buildThreads: number;
}

const METRIC_KINDS: Record<Metric, MetricKind> = { ip: MetricKind.IP, cos: MetricKind.Cos, l2sq: MetricKind.L2sq };
const SCALAR_KINDS: Record<Quantization, ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, bf16: ScalarKind.BF16, i8: ScalarKind.I8 };
/** Position of a key's low 32 bits within its 64-bit slot, in 32-bit words. */
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;
/** Fewest queries of a batch per search thread (see nativeSearch). */
const QUERIES_PER_THREAD = 16;

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`UsearchAnnIndex: ${name} must be an integer ≥ ${min}, got ${value}`);
}

function toBigKeys(keys: Uint32Array): BigUint64Array {
  const out = new BigUint64Array(keys.length);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < keys.length; i++) words[2 * i + LOW_WORD] = keys[i];
  return out;
}

export class UsearchAnnIndex implements AnnIndex {
  readonly kind = 'usearch' as const;
  readonly dimensions: number;
  readonly metric: Metric;

  private readonly native: Index;
  private readonly stored: number;
  private readonly settings_: UsearchSettings;
  /** The thread count passed to the binding: settings.threads, capped at the core count. */
  private readonly threads: number;
  /** Insert threads: settings.buildThreads, capped at the core count. */
  private readonly buildThreads: number;
  /**
   * Search contexts the binding has reserved: as many as the insert threads after a growing
   * insert, one per core after a load. Unknown (Infinity) before the first insert.
   */
  private searchContexts = Number.POSITIVE_INFINITY;
  private readonly present = new DenseKeySet();
  private readOnly = false;

  constructor(options: UsearchIndexOptions) {
    checkDimensions(options.dimensions);
    const metric = options.metric ?? USEARCH_DEFAULTS.metric;
    checkMetric(metric);
    const settings: UsearchSettings = {
      connectivity: options.connectivity ?? USEARCH_DEFAULTS.connectivity,
      expansionAdd: options.expansionAdd ?? USEARCH_DEFAULTS.expansionAdd,
      expansionSearch: options.expansionSearch ?? USEARCH_DEFAULTS.expansionSearch,
      quantization: options.quantization ?? USEARCH_DEFAULTS.quantization,
      augmentForMips: options.augmentForMips ?? USEARCH_DEFAULTS.augmentForMips,
      mipsMaxNorm: options.mipsMaxNorm ?? null,
      threads: options.threads ?? 0,
      buildThreads: options.buildThreads ?? 1,
    };
    checkCount('connectivity', settings.connectivity, 2);
    checkCount('expansionAdd', settings.expansionAdd, 1);
    checkCount('expansionSearch', settings.expansionSearch, 1);
    checkCount('threads', settings.threads, 0);
    checkCount('buildThreads', settings.buildThreads, 1);
    if (!(settings.quantization in SCALAR_KINDS)) throw new RangeError(`UsearchAnnIndex: unknown quantization '${settings.quantization}'`);
    if (settings.augmentForMips && metric !== 'ip') throw new RangeError(`UsearchAnnIndex: augmentForMips only applies to metric 'ip', not '${metric}'`);
    if (settings.mipsMaxNorm !== null && !(settings.mipsMaxNorm > 0 && Number.isFinite(settings.mipsMaxNorm))) {
      throw new RangeError(`UsearchAnnIndex: mipsMaxNorm must be a positive number, got ${settings.mipsMaxNorm}`);
    }
    this.dimensions = options.dimensions;
    this.metric = metric;
    this.settings_ = settings;
    const cores = Math.max(1, os.availableParallelism());
    this.threads = settings.threads === 0 ? cores : Math.min(settings.threads, cores);
    this.buildThreads = Math.min(settings.buildThreads, cores);
    this.stored = options.dimensions + (settings.augmentForMips ? 1 : 0);
    this.native = new Index({
      dimensions: this.stored,
      metric: METRIC_KINDS[metric],
      quantization: SCALAR_KINDS[settings.quantization],
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
      expansion_search: settings.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.present.size;
  }

  get settings(): Readonly<UsearchSettings> {
    return this.settings_;
  }

  has(key: number): boolean {
    return this.present.has(key);
  }

  add(keys: Uint32Array | readonly number[], vectors: Float32Array): void {
    this.checkWritable('add');
    let keyArray = toKeyArray(keys);
    checkRows('vectors', vectors, keyArray.length, this.dimensions);
    if (keyArray.length === 0) return;
    const d = this.dimensions;
    const rows = lastRowPerKey(keyArray);
    if (rows) {
      const picked = new Float32Array(rows.length * d);
      for (let r = 0; r < rows.length; r++) picked.set(vectors.subarray(rows[r] * d, rows[r] * d + d), r * d);
      const pickedKeys = Uint32Array.from(rows, (row) => keyArray[row]);
      keyArray = pickedKeys;
      vectors = picked;
    }
    // USearch refuses duplicate keys: replacing means removing first.
    const replaced: number[] = [];
    for (let i = 0; i < keyArray.length; i++) if (this.present.has(keyArray[i])) replaced.push(keyArray[i]);
    if (replaced.length > 0) this.remove(replaced);

    const bigKeys = toBigKeys(keyArray);
    const capacity = this.native.capacity();
    try {
      this.native.add(bigKeys, this.toStored(vectors, keyArray.length, true), this.buildThreads);
      // A growing insert re-reserved the search contexts: one per insert thread.
      if (this.native.capacity() !== capacity) this.searchContexts = this.buildThreads;
    } catch (error) {
      this.resyncPresence(bigKeys, keyArray);
      throw error;
    }
    for (let i = 0; i < keyArray.length; i++) this.present.add(keyArray[i]);
  }

  remove(keys: Uint32Array | readonly number[]): number {
    this.checkWritable('remove');
    const keyArray = toKeyArray(keys);
    const targets: number[] = [];
    for (let i = 0; i < keyArray.length; i++) if (this.present.delete(keyArray[i])) targets.push(keyArray[i]);
    if (targets.length > 0) this.native.remove(toBigKeys(Uint32Array.from(targets)));
    return targets.length;
  }

  search(queries: Float32Array, count: number, k: number, options: AnnSearchOptions = {}): AnnHit[][] {
    checkRows('queries', queries, count, this.dimensions);
    checkK(k);
    const results: AnnHit[][] = new Array(count);
    const size = this.size;
    if (k === 0 || size === 0) {
      for (let q = 0; q < count; q++) results[q] = [];
      return results;
    }
    const stored = this.toStored(queries, count, false);
    const exclude = options.exclude ?? [];

    // Group queries by how many hits they must fetch so that k survive their exclusions.
    let pending = new Map<number, number[]>();
    for (let q = 0; q < count; q++) {
      const excluded = exclude[q];
      const fetch = fetchSize(k, excluded && excluded.size > 0 ? this.present.countPresent(excluded) : 0, size);
      let group = pending.get(fetch);
      if (!group) pending.set(fetch, (group = []));
      group.push(q);
    }
    while (pending.size > 0) {
      const retry = new Map<number, number[]>();
      for (const [fetch, group] of pending) {
        const matches = this.nativeSearch(stored, group, count, fetch);
        for (let g = 0; g < group.length; g++) {
          const q = group[g];
          const excluded = exclude[q];
          const hits: AnnHit[] = [];
          const base = g * matches.stride;
          const found = matches.counts[g];
          for (let j = 0; j < found && hits.length < k; j++) {
            const key = matches.words[2 * (base + j) + LOW_WORD];
            if (excluded !== undefined && excluded.has(key)) continue;
            hits.push({ key, score: this.score(matches.distances[base + j]) });
          }
          results[q] = hits;
          // Too many of the fetched hits were excluded (or the graph returned fewer than
          // asked): widen the fetch, up to the whole index.
          if (hits.length < k && fetch < size) {
            const wider = Math.min(size, fetch * 2);
            let again = retry.get(wider);
            if (!again) retry.set(wider, (again = []));
            again.push(q);
          }
        }
      }
      pending = retry;
    }
    return results;
  }

  async save(path: string): Promise<void> {
    const temp = tempPathOf(path);
    this.native.save(temp);
    await fsp.rename(temp, path);
    const s = this.settings_;
    const meta: UsearchMeta = {
      format: META_FORMAT,
      version: META_VERSION,
      kind: 'usearch',
      dimensions: this.dimensions,
      metric: this.metric,
      size: this.size,
      keySpan: this.present.span,
      savedAt: new Date().toISOString(),
      connectivity: s.connectivity,
      expansionAdd: s.expansionAdd,
      expansionSearch: s.expansionSearch,
      quantization: s.quantization,
      augmentForMips: s.augmentForMips,
      mipsMaxNorm: s.mipsMaxNorm,
    };
    await writeMeta(path, meta);
  }

  /** Reads an index written by `save` (the meta file is read when not given). */
  static async load(path: string, meta?: AnnMetaBase, options: UsearchLoadOptions = {}): Promise<UsearchAnnIndex> {
    const m = (meta ?? (await readMeta(path))) as UsearchMeta;
    if (m.kind !== 'usearch') throw new Error(`${path} holds a '${m.kind}' ANN index, not a usearch one`);
    const index = new UsearchAnnIndex({
      dimensions: m.dimensions,
      metric: m.metric,
      connectivity: m.connectivity,
      expansionAdd: m.expansionAdd,
      expansionSearch: options.expansionSearch ?? m.expansionSearch,
      quantization: m.quantization,
      augmentForMips: m.augmentForMips,
      mipsMaxNorm: m.mipsMaxNorm ?? undefined,
      threads: options.threads,
    });
    if (options.view) {
      index.native.view(path);
      index.readOnly = true;
    } else {
      index.native.load(path);
    }
    // Loading and viewing reserve one search context per core.
    index.searchContexts = Math.max(1, os.availableParallelism());
    if (index.native.dimensions() !== index.stored) {
      throw new Error(`${path}: the graph has ${index.native.dimensions()} dimensions, the meta file implies ${index.stored}`);
    }
    // Rebuild the key set: ask the graph which keys of [0, keySpan) it holds.
    const chunk = 1 << 16;
    for (let start = 0; start < m.keySpan; start += chunk) {
      const keys = Uint32Array.from({ length: Math.min(chunk, m.keySpan - start) }, (_, i) => start + i);
      const held = index.native.contains(toBigKeys(keys)) as boolean[];
      for (let i = 0; i < keys.length; i++) if (held[i]) index.present.add(keys[i]);
    }
    if (index.present.size !== index.native.size()) {
      throw new Error(`${path}: found ${index.present.size} keys below ${m.keySpan}, but the graph holds ${index.native.size()}`);
    }
    return index;
  }

  private checkWritable(what: string): void {
    if (this.readOnly) throw new Error(`UsearchAnnIndex.${what}: this index is a read-only view of a file; load it without { view: true } to modify it`);
  }

  /** Converts a distance of the binding into this port's higher-is-better score. */
  private score(distance: number): number {
    // 'ip' distance is 1 − q·x (also with augmentation: the query's extra component is 0);
    // 'cos' distance is 1 − cosine; 'l2sq' distance is the squared distance.
    return this.metric === 'l2sq' ? -distance : 1 - distance;
  }

  /** Vectors in the layout the graph stores: augmented when augmentForMips is set. */
  private toStored(vectors: Float32Array, rows: number, items: boolean): Float32Array {
    if (!this.settings_.augmentForMips) return vectors;
    const d = this.dimensions;
    const norms = new Float64Array(rows);
    if (items) {
      let largest = 0;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = r * d; j < r * d + d; j++) s += vectors[j] * vectors[j];
        norms[r] = Math.sqrt(s);
        if (norms[r] > largest) largest = norms[r];
      }
      if (this.settings_.mipsMaxNorm === null) this.settings_.mipsMaxNorm = largest > 0 ? largest : 1;
    }
    const maxNorm = this.settings_.mipsMaxNorm ?? 1;
    const out = new Float32Array(rows * (d + 1));
    for (let r = 0; r < rows; r++) {
      out.set(vectors.subarray(r * d, r * d + d), r * (d + 1));
      out[r * (d + 1) + d] = items ? Math.sqrt(Math.max(0, maxNorm * maxNorm - norms[r] * norms[r])) : 0;
    }
    return out;
  }

  /** Runs the queries `group` (row numbers of `stored`) through the binding in one call. */
  private nativeSearch(stored: Float32Array, group: number[], count: number, fetch: number): { words: Uint32Array; distances: Float32Array; counts: number[]; stride: number } {
    const d = this.stored;
    let input: Float32Array;
    if (group.length === count) {
      input = stored; // every query, in order
    } else {
      input = new Float32Array(group.length * d);
      for (let g = 0; g < group.length; g++) input.set(stored.subarray(group[g] * d, group[g] * d + d), g * d);
    }
    // With a flat array of one row the binding returns Matches, with several BatchMatches.
    // The binding starts its threads anew on every call: for a small batch (one request's
    // lookups) that costs more CPU than it saves, so each thread gets at least
    // QUERIES_PER_THREAD queries.
    const threads = Math.max(1, Math.min(this.threads, this.searchContexts, Math.ceil(group.length / QUERIES_PER_THREAD)));
    const raw = this.native.search(input, fetch, threads) as Matches | BatchMatches;
    const words = new Uint32Array(raw.keys.buffer, raw.keys.byteOffset, raw.keys.length * 2);
    if (raw instanceof BatchMatches) {
      return { words, distances: raw.distances, counts: Array.from(raw.counts, Number), stride: raw.k };
    }
    return { words, distances: raw.distances, counts: [raw.keys.length], stride: raw.keys.length };
  }

  private resyncPresence(bigKeys: BigUint64Array, keys: Uint32Array): void {
    const held = this.native.contains(bigKeys) as boolean[];
    for (let i = 0; i < keys.length; i++) {
      if (held[i]) this.present.add(keys[i]);
      else this.present.delete(keys[i]);
    }
  }
}
