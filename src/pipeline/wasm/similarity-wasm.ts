/**
 * The WebAssembly SIMD cosine kernel of serving (source: similarity.ts, AssemblyScript; binary:
 * similarity.wasm, committed): loads it and lays out the memory it works in.
 *
 * One memory per CF model, sized once for its unit item vectors plus a small scratch of int32
 * row numbers and float64 results, and never grown, so the typed-array views over it never go
 * stale: ../cf-view.ts keeps the model's unit vectors in it (as a Float32Array that every
 * JavaScript reader uses as before) and hands the kernel of that array to the hot loops.
 *
 * The memory is not shared: each thread that serves makes its own (cf-view.ts caches per
 * model array, and a worker has its own). A runtime without WebAssembly SIMD, k not a multiple
 * of 4, or a model over wasm32's 4 GiB: no kernel, and callers use factor-utils.ts dot.
 */
import fs from 'node:fs';

/**
 * The parts of the WebAssembly JavaScript API used here, typed locally: the project's
 * TypeScript lib (ES2023, @types/node 20) declares no WebAssembly globals.
 */
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: { env: { memory: WasmMemory } }) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** What similarity.ts exports: byte addresses, row numbers, k. */
interface SimilarityExports {
  dot(units: number, k: number, a: number, b: number): number;
  maxDot(units: number, k: number, key: number, keys: number, from: number, to: number, start: number): number;
  dots(units: number, k: number, key: number, keys: number, n: number, out: number): void;
}

const PAGE = 65536;
/** wasm32: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;
/** Int32 row numbers in the scratch of MMR's picks: one per listed position (a deeper list uses JavaScript). */
export const PICK_ROWS = 4096;
/** Rows of one `dots` batch (int32 row numbers in, float64 cosines out). */
export const BATCH_ROWS = 256;

/** The path of the committed binary (src/models/cf/wasm/build.mjs writes it). */
export const SIMILARITY_WASM_URL = new URL('./similarity.wasm', import.meta.url);

let compiled: WasmModule | null | undefined;

/** The compiled kernel module, or null where this runtime cannot run it (no WebAssembly SIMD). */
export function similarityWasmModule(): WasmModule | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = fs.readFileSync(SIMILARITY_WASM_URL);
      // validate() is false where the engine lacks an instruction the binary uses (SIMD).
      if (wasmApi && wasmApi.validate(bytes)) compiled = new wasmApi.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Regions start on cache lines: a unit row of k = 64 then spans exactly 4. */
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/**
 * The kernel over one model's unit vectors. `units` is the rows (rows × k float32) in the
 * kernel's memory; `picks`, `batch` and `out` are its scratch. MMR keeps its picks in `picks`
 * for the whole of one synchronous blend(); `batch` is filled just before a `dots` call, whose
 * results are read from `out` right after it. Separate regions, so that a cosine asked for
 * in the middle of a blend (by a callback, say) cannot overwrite the picks.
 */
export class SimilarityKernel {
  private readonly at: number;
  private readonly picksAt: number;
  private readonly batchAt: number;
  private readonly outAt: number;

  private constructor(
    private readonly kernel: SimilarityExports,
    readonly k: number,
    readonly units: Float32Array,
    readonly picks: Int32Array,
    readonly batch: Int32Array,
    readonly out: Float64Array,
  ) {
    this.at = units.byteOffset;
    this.picksAt = picks.byteOffset;
    this.batchAt = batch.byteOffset;
    this.outAt = out.byteOffset;
  }

  /**
   * A kernel with room for `rows` × `k` unit floats (zero-filled), or null when it cannot run
   * here: no WebAssembly SIMD, k not a multiple of 4, or more than wasm32 can address.
   */
  static create(rows: number, k: number): SimilarityKernel | null {
    const module = similarityWasmModule();
    if (!module || !(k > 0) || k % 4 !== 0) return null;
    // The first cache line stays unused: address 0 is no row's.
    const picksAt = 64;
    const batchAt = picksAt + align(4 * PICK_ROWS);
    const outAt = batchAt + align(4 * BATCH_ROWS);
    const unitsAt = outAt + align(8 * BATCH_ROWS);
    const pages = Math.ceil((unitsAt + 4 * rows * k) / PAGE);
    if (pages > MAX_PAGES) return null;
    try {
      const memory = new wasmApi!.Memory({ initial: pages, maximum: pages });
      const exports = new wasmApi!.Instance(module, { env: { memory } }).exports as SimilarityExports;
      const { buffer } = memory;
      return new SimilarityKernel(exports, k, new Float32Array(buffer, unitsAt, rows * k), new Int32Array(buffer, picksAt, PICK_ROWS), new Int32Array(buffer, batchAt, BATCH_ROWS), new Float64Array(buffer, outAt, BATCH_ROWS));
    } catch {
      return null; // out of memory, say: the JavaScript path needs none of this
    }
  }

  /** Unit row a · unit row b. */
  dot(a: number, b: number): number {
    return this.kernel.dot(this.at, this.k, a, b);
  }

  /** max(start, max over v in [from, to) of row key · row picks[v]), to ≤ PICK_ROWS. */
  maxDot(key: number, from: number, to: number, start: number): number {
    return this.kernel.maxDot(this.at, this.k, key, this.picksAt, from, to, start);
  }

  /** out[v] = row key · row batch[v] for v in [0, n), n ≤ BATCH_ROWS. */
  dots(key: number, n: number): void {
    this.kernel.dots(this.at, this.k, key, this.batchAt, n, this.outAt);
  }
}
