/**
 * The WebAssembly SIMD kernel of implicit ALS (source: wasm/als.ts, AssemblyScript; binary:
 * wasm/als.wasm, committed). Same phases, blocks and block order as the JavaScript kernel in
 * als-kernel.ts, so results are again bit-identical for any thread count; they differ from the
 * JavaScript kernel's in rounding (float32 vectors there, see wasm/als.ts).
 *
 * Everything a phase touches (both sides' CSR arrays and confidences, both factor matrices,
 * the Gram or eigenvector matrix, the block partials, λ per row length and one scratch slot per
 * thread) lives in one shared WebAssembly.Memory, sized once per fit (no memory.grow, so the
 * typed-array views over it never go stale) and imported by an instance in every thread. The
 * kernel functions take byte addresses: the views' byteOffsets.
 *
 * wasm32 addresses at most 4 GiB; a fit that would need more (or a runtime without SIMD or
 * shared memory) uses the JavaScript kernel (als.ts decides).
 */
import fs from 'node:fs';
import { type AlsShared, type AlsWasmShared, createScratch, exactRowLimit, type PhaseMessage, runPhase } from './als-kernel.js';

/**
 * The parts of the WebAssembly JavaScript API used here, typed locally: the project's
 * TypeScript lib (ES2023, @types/node 20) declares no WebAssembly globals.
 */
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: { env: { memory: WasmMemory } }) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE = 65536;
/** wasm32: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

interface AlsExports {
  scratchBytes(k: number, limit: number): number;
  gram(k: number, factors: number, start: number, end: number, partial: number, scratch: number): void;
  rotate(k: number, factors: number, start: number, end: number, q: number, scratch: number): void;
  solveDiag(
    k: number,
    alpha0: number,
    steps: number,
    precondition: number,
    exactLimit: number,
    indptr: number,
    indices: number,
    conf: number,
    lambdas: number,
    factors: number,
    y: number,
    start: number,
    end: number,
    q: number,
    eigenvalues: number,
    scratch: number,
  ): void;
  solveDense(
    k: number,
    alpha0: number,
    steps: number,
    precondition: number,
    limit: number,
    indptr: number,
    indices: number,
    conf: number,
    lambdas: number,
    factors: number,
    y: number,
    start: number,
    end: number,
    g: number,
    scratch: number,
  ): void;
}

/** The path of the committed binary (wasm/build.mjs writes it). */
export const ALS_WASM_URL = new URL('./wasm/als.wasm', import.meta.url);

let compiled: WasmModule | null | undefined;

/** The compiled kernel module, or null where this runtime cannot run it (no SIMD, no shared memory). */
export function alsWasmModule(): WasmModule | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = fs.readFileSync(ALS_WASM_URL);
      if (wasmApi && typeof SharedArrayBuffer === 'function' && wasmApi.validate(bytes)) compiled = new wasmApi.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function instantiate(module: WasmModule, memory: WasmMemory): AlsExports {
  return new wasmApi!.Instance(module, { env: { memory } }).exports as AlsExports;
}

/** Bytes of one thread's scratch, as laid out by wasm/als.ts (asked of a throwaway instance). */
function scratchBytesOf(module: WasmModule, k: number, limit: number): number {
  const probe = new wasmApi!.Memory({ initial: 1, maximum: 1, shared: true });
  return instantiate(module, probe).scratchBytes(k, limit);
}

/** Arena regions start on cache lines (64 bytes): a factor row of k = 64 then spans exactly 4. */
const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Sizes (in elements) of everything a fit places in the memory; see AlsWasmArena. */
export interface WasmFitShape {
  users: number;
  items: number;
  nnz: number;
  k: number;
  /** The longest user row and item row (λ tables cover lengths 0..max). */
  maxUserRow: number;
  maxItemRow: number;
  /** Blocks of the side with more blocks (one partial Gram matrix each). */
  maxBlocks: number;
  /** Threads that may run phases at once, including the main thread's own slot. */
  slots: number;
  exactLimit: number;
}

/**
 * A bump allocator over one shared WebAssembly.Memory, sized for a fit's shape up front. Its
 * int32/float32/float64 methods match als.ts's allocator; views are 64-byte aligned.
 */
export class AlsWasmArena {
  private next = 64;

  private constructor(
    readonly module: WasmModule,
    readonly memory: WasmMemory,
    private readonly bytes: number,
    readonly scratchBytes: number,
  ) {}

  /** An arena for `shape`, or null when the kernel cannot run here or the fit needs more than 4 GiB. */
  static create(shape: WasmFitShape): AlsWasmArena | null {
    const module = alsWasmModule();
    if (!module || shape.k % 4 !== 0) return null;
    const scratch = align(scratchBytesOf(module, shape.k, shape.exactLimit));
    const { users, items, nnz, k } = shape;
    const bytes =
      64 +
      align(4 * (users + 1)) +
      align(4 * (items + 1)) +
      4 * align(4 * nnz) +
      align(4 * users * k) +
      align(4 * items * k) +
      align(8 * k * k) +
      align(8 * k) +
      align(8 * shape.maxBlocks * k * k) +
      align(8 * shape.maxBlocks) +
      align(8 * (Math.max(shape.maxUserRow, shape.exactLimit) + 1)) +
      align(8 * (Math.max(shape.maxItemRow, shape.exactLimit) + 1)) +
      shape.slots * scratch;
    const pages = Math.ceil(bytes / PAGE);
    if (pages > MAX_PAGES) return null;
    let memory: WasmMemory;
    try {
      memory = new wasmApi!.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      return null;
    }
    return new AlsWasmArena(module, memory, pages * PAGE, scratch);
  }

  private take(bytes: number): number {
    const at = this.next;
    this.next = at + align(bytes);
    if (this.next > this.bytes) throw new Error(`ALS wasm arena overflow: ${this.next} > ${this.bytes} bytes`);
    return at;
  }

  int32(n: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(4 * n), n);
  }

  float32(n: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(4 * n), n);
  }

  float64(n: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(8 * n), n);
  }

  /** What the threads need: takes `slots` scratch slots; the λ tables are filled by the caller. */
  shared(slots: number, lambdas: { users: Float64Array; items: Float64Array }): AlsWasmShared {
    const scratchBase = this.take(slots * this.scratchBytes);
    return { module: this.module, memory: this.memory, lambdas, scratchBase, scratchBytes: this.scratchBytes, slots, nextSlot: new Int32Array(new SharedArrayBuffer(4)) };
  }
}

/** Runs one phase on the calling thread, sharing its blocks with the other threads. */
export type PhaseRunner = (message: PhaseMessage) => void;

/**
 * The phase runner of one thread: the WebAssembly kernel when `shared.wasm` is set (`slot` is
 * then this thread's scratch slot: 0 for the main thread), else als-kernel.ts.
 */
export function phaseRunner(shared: AlsShared, slot: number): PhaseRunner {
  const scratch = createScratch(shared.settings);
  const wasm = shared.wasm;
  if (!wasm) return (message) => runPhase(shared, scratch, message);
  if (!(slot >= 0 && slot < wasm.slots)) throw new RangeError(`ALS wasm scratch slot ${slot} is outside 0..${wasm.slots - 1}`);
  const kernel = instantiate(wasm.module as WasmModule, wasm.memory as WasmMemory);
  const at = wasm.scratchBase + slot * wasm.scratchBytes;
  const { settings } = shared;
  const { k, alpha0, cgSteps } = settings;
  const precondition = settings.precondition ? 1 : 0;
  const exactLimit = settings.exactShortRows ? exactRowLimit(k, cgSteps) : 0;
  const kk8 = 8 * k * k;
  return (message) => {
    // The loss is computed once per iteration at most (computeLoss): the JavaScript kernel
    // reads the same memory through the views.
    if (message.phase === 'loss') return runPhase(shared, scratch, message);
    const usersSide = message.side === 'users';
    const side = usersSide ? shared.users : shared.items;
    const factors = (usersSide ? shared.userFactors : shared.itemFactors).byteOffset;
    const otherFactors = (usersSide ? shared.itemFactors : shared.userFactors).byteOffset;
    const lambdas = (usersSide ? wasm.lambdas.users : wasm.lambdas.items).byteOffset;
    const blockCount = side.blocks.length - 1;
    const partials = shared.partials.byteOffset;
    for (;;) {
      const b = Atomics.add(shared.counter, 0, 1);
      if (b >= blockCount) return;
      const start = side.blocks[b];
      const end = side.blocks[b + 1];
      switch (message.phase) {
        case 'gram':
          kernel.gram(k, factors, start, end, partials + b * kk8, at);
          break;
        case 'rotate':
          kernel.rotate(k, factors, start, end, shared.matrix.byteOffset, at);
          break;
        case 'solve': {
          const { indptr, indices, conf } = side;
          if (message.mode === 'diag') {
            kernel.solveDiag(k, alpha0, cgSteps, precondition, exactLimit, indptr.byteOffset, indices.byteOffset, conf.byteOffset, lambdas, factors, otherFactors, start, end, shared.matrix.byteOffset, shared.eigenvalues.byteOffset, at);
          } else {
            kernel.solveDense(k, alpha0, cgSteps, precondition, exactLimit, indptr.byteOffset, indices.byteOffset, conf.byteOffset, lambdas, factors, otherFactors, start, end, shared.matrix.byteOffset, at);
          }
          kernel.gram(k, factors, start, end, partials + b * kk8, at);
          break;
        }
      }
    }
  };
}
